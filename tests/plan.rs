//! `resettle plan` end to end: on the sample and on generated instances the optimal plan
//! releases at least as many home as the greedy plan, which releases at least as many as
//! the status quo; every plan keeps the invariants; the binary's outputs agree with each
//! other, are the same on every run, and bad input writes nothing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use common::check_invariants;
use resettle::calendar::Calendar;
use resettle::generate::{generate, GenerateOptions};
use resettle::instance::{Instance, PlanOptions};
use resettle::optimise::credits;
use resettle::pipeline::plan_all;
use resettle::solver::SolverOptions;
use resettle::validate::{load_inputs, InputPaths};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

fn calendar() -> Calendar {
    Calendar::new(NaiveDate::from_ymd_opt(2014, 9, 1).unwrap()).unwrap()
}

/// The sample's population and receptions, or (with a seed) a population generated on the
/// sample's reference data.
fn instance(seed: Option<u64>) -> Instance {
    let dir = sample();
    let paths = InputPaths {
        data: dir.clone(),
        population: Some(dir.join("population.csv")),
        receptions: Some(dir.join("receptions.csv")),
        booked: None,
    };
    let (mut inputs, diagnostics) = load_inputs(&paths, Some(&calendar()));
    assert!(!diagnostics.has_errors(), "the sample is valid");
    if let Some(seed) = seed {
        let options = GenerateOptions {
            seed,
            scale: 1.0,
            calendar: calendar(),
            weeks: 30,
        };
        let synthetic = generate(&inputs.data, &options).expect("generates");
        inputs.prisoners = synthetic.prisoners;
        inputs.receptions = synthetic.receptions;
    }
    Instance::new(inputs, PlanOptions::new(calendar())).expect("valid options")
}

#[test]
fn optimal_beats_greedy_beats_status_quo_on_the_sample_and_generated_instances() {
    for seed in [None, Some(1), Some(2), Some(3)] {
        let instance = instance(seed);
        let planned = plan_all(&instance, SolverOptions::default(), &mut |_| {}).expect("plans");
        let home = |plan| credits(&instance, plan);
        for plan in [&planned.status_quo, &planned.greedy, &planned.optimal.plan] {
            check_invariants(&instance, plan);
        }
        let (status_quo, greedy, optimal) = (
            home(&planned.status_quo),
            home(&planned.greedy),
            home(&planned.optimal.plan),
        );
        assert!(
            optimal >= greedy && greedy >= status_quo,
            "seed {seed:?}: optimal {optimal}, greedy {greedy}, status quo {status_quo}"
        );
        assert!(
            optimal > status_quo,
            "seed {seed:?}: moves earn home releases"
        );
        let report = &planned.optimal.report;
        assert_eq!(report.home, optimal);
        assert!(report.home_bound >= optimal as f64);
        assert!(report.gap <= 0.001, "seed {seed:?}: gap {}", report.gap);
    }
}

/// Runs `resettle plan` on the sample into `out`.
fn plan(out: &Path, population: &Path) -> std::process::Output {
    let dir = sample();
    Command::cargo_bin("resettle")
        .unwrap()
        .args(["plan", "--quiet", "--start", "2014-09-01", "--data"])
        .arg(&dir)
        .arg("--population")
        .arg(population)
        .arg("--receptions")
        .arg(dir.join("receptions.csv"))
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_plan_command_writes_consistent_files_the_same_on_every_run() {
    let temp = tempfile::tempdir().unwrap();
    let (a, b) = (temp.path().join("a"), temp.path().join("b"));
    let population = sample().join("population.csv");
    for out in [&a, &b] {
        let output = plan(out, &population);
        assert!(output.status.success(), "{output:?}");
    }
    assert_eq!(files(&a), files(&b), "two runs give identical bytes");

    // One transfer request per group of moves: their counts add up to the moves.
    let moves = fs::read_to_string(a.join("moves.csv")).unwrap();
    let rows = moves.lines().count() - 1;
    assert!(rows > 0, "the sample's optimal plan moves people");
    let allocations: serde_json::Value =
        serde_json::from_slice(&fs::read(a.join("allocations.json")).unwrap()).unwrap();
    let requested: u64 = allocations["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["attributes"]["moves_count"].as_u64().unwrap())
        .sum();
    assert_eq!(requested, rows as u64);

    // kpis.json ranks the plans and holds the bound within the gap asked for.
    let kpis: serde_json::Value =
        serde_json::from_slice(&fs::read(a.join("kpis.json")).unwrap()).unwrap();
    let home = |plan: &str| kpis[plan]["k1"]["home"].as_u64().unwrap();
    assert!(home("optimal") >= home("greedy") && home("greedy") >= home("status_quo"));
    assert!(kpis["bound"]["home"].as_u64().unwrap() >= home("optimal"));
    assert!(kpis["gap"].as_f64().unwrap() <= 0.001);
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let bad = temp.path().join("population.csv");
    let good = fs::read_to_string(sample().join("population.csv")).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    let broken = lines[1].replacen(",2014-", ",2014-13-", 1);
    lines[1] = &broken;
    fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let out = temp.path().join("out");
    let output = plan(&out, &bad);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:2:", bad.display())),
        "names the file and line: {stderr}"
    );
    assert!(!out.exists(), "nothing is written");
}
