//! `resettle plan` end to end: on the sample and on generated instances the optimal plan
//! releases at least as many home as the greedy plan, which releases at least as many as
//! the status quo; every plan keeps the invariants; the binary's outputs agree with each
//! other, are the same on every run, and bad input writes nothing.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use chrono::NaiveDate;
use common::{check_invariants, csv_records, sample};
use resettle::domain::calendar::Calendar;
use resettle::domain::Estate;
use resettle::generate::{generate, GenerateOptions};
use resettle::input::validate::{load_inputs, InputPaths};
use resettle::output::OutputDir;
use resettle::output::ReportOptions;
use resettle::pipeline::{outputs, plan_all};
use resettle::planners::optimal::credits;
use resettle::problem::instance::{Instance, PlanOptions};
use resettle::problem::kpi::evaluate;
use resettle::solver::SolverOptions;

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

    // One transfer request per group of moves of the first movable week: their counts add up
    // to that week's moves (tests/requests.rs checks more).
    let moves = csv_records(&a.join("moves.csv"));
    let first_week = moves.iter().filter(|r| r["week"] == "1").count();
    assert!(
        first_week > 0,
        "the sample's optimal plan moves people in week 1"
    );
    let allocations: serde_json::Value =
        serde_json::from_slice(&fs::read(a.join("allocations.json")).unwrap()).unwrap();
    let requested: u64 = allocations["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["attributes"]["moves_count"].as_u64().unwrap())
        .sum();
    assert_eq!(requested, first_week as u64);

    // kpis.json ranks the plans and holds the bound within the gap asked for.
    let kpis: serde_json::Value =
        serde_json::from_slice(&fs::read(a.join("kpis.json")).unwrap()).unwrap();
    let home = |plan: &str| kpis[plan]["k1"]["home"].as_u64().unwrap();
    assert!(home("optimal") >= home("greedy") && home("greedy") >= home("status_quo"));
    let credits = |plan: &str| kpis[plan]["home_plus_on_track"].as_u64().unwrap();
    assert!(kpis["bound"]["home_plus_on_track"].as_u64().unwrap() >= credits("optimal"));
    assert!(kpis["gap"].as_f64().unwrap() <= 0.001);

    // K1 within reach is K1 over the release weeks from m + W on (kpis_by_week.csv).
    let reach_from = kpis["parameters"]["within_reach_from_week"]
        .as_u64()
        .unwrap();
    assert_eq!(reach_from, 13);
    let weeks = csv_records(&a.join("kpis_by_week.csv"));
    for plan in ["status_quo", "greedy", "optimal"] {
        let sum = |column: &str, within: bool| -> u64 {
            weeks
                .iter()
                .filter(|r| r["plan"] == plan)
                .filter(|r| !within || r["week"].parse::<u64>().unwrap() >= reach_from)
                .map(|r| r[column].parse::<u64>().unwrap())
                .sum()
        };
        let k = &kpis[plan];
        assert_eq!(k["k1_within_reach"]["home"], sum("k1_home", true), "{plan}");
        assert_eq!(k["k1_within_reach"]["eligible"], sum("k1_eligible", true));
        assert_eq!(
            k["k1_within_reach"]["home"],
            sum("k1_within_reach_home", false)
        );
        assert_eq!(k["k1"]["home"], sum("k1_home", false));
        assert_eq!(credits(plan), home(plan) + k["on_track"].as_u64().unwrap());
    }

    // Every move says why, in the words of its kind.
    let moves = csv_records(&a.join("moves.csv"));
    for row in &moves {
        let why = &row["why"];
        let fits = match row["reason"].as_str() {
            "resettle" => {
                why.starts_with("home release ") || why.starts_with("on track for home release ")
            }
            "decant" => {
                why.starts_with("frees a place at ") || why.starts_with("relieves overflow at ")
            }
            "closure" => why.starts_with("closure of "),
            "booked" => why == "booked",
            other => panic!("unknown reason {other}"),
        };
        assert!(fits, "{row:?}");
        if row["reason"] == "resettle" {
            assert!(why.contains(&row["release_date"]), "{row:?}");
        }
    }
    assert!(moves.iter().any(|r| r["why"].contains("prisoner's window")));
    // So does every move of a forecast cohort, its days given as weeks.
    let forecast = csv_records(&a.join("forecast_moves.csv"));
    assert!(!forecast.is_empty(), "the sample's cohorts are moved");
    for row in &forecast {
        let why = &row["why"];
        let release = format!("home release week {} (", row["release_week"]);
        let fits = why.starts_with(&release)
            || why.starts_with(&format!("on track for {release}"))
            || why.starts_with("frees a place at ")
            || why.starts_with("relieves overflow at ")
            || why.starts_with("closure of ");
        assert!(fits, "{row:?}");
    }
    assert!(fs::read_to_string(a.join("conflicts.csv"))
        .unwrap()
        .starts_with(
            "prisoner_id,from,to,week,date,reason,home_cpa,release_date,why,estate,category,\
             sentence_length\n"
        ));

    // unplaced.csv counts every eligible release not home, forecast cohorts included.
    let unplaced = csv_records(&a.join("unplaced.csv"));
    let people: u64 = unplaced
        .iter()
        .map(|r| r["count"].parse::<u64>().unwrap())
        .sum();
    let k1 = &kpis["optimal"]["k1"];
    assert_eq!(
        people,
        k1["eligible"].as_u64().unwrap() - k1["home"].as_u64().unwrap()
    );
    assert!(unplaced
        .iter()
        .any(|r| r["prisoner_id"].is_empty() && r["cohort"].starts_with("cohort ")));
    assert!(unplaced
        .iter()
        .all(|r| !r["prison"].is_empty() && !r["estate"].is_empty()));
}

/// The headline figures of `kpis.json` are those `kpi::evaluate` gives for each plan.
#[test]
fn kpis_json_holds_what_the_kpi_function_gives() {
    let instance = instance(Some(1));
    let planned = plan_all(&instance, SolverOptions::default(), &mut |_| {}).expect("plans");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    outputs(&instance, &planned, &ReportOptions::default())
        .commit(OutputDir::claim(&out).unwrap())
        .unwrap();
    let kpis: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("kpis.json")).unwrap()).unwrap();
    for (name, plan) in [
        ("status_quo", &planned.status_quo),
        ("greedy", &planned.greedy),
        ("optimal", &planned.optimal.plan),
    ] {
        let expected = evaluate(&instance, plan);
        let got = &kpis[name];
        let male = expected.k1_reach.by_estate[&Estate::AdultMale];
        assert_eq!(
            got["k1_within_reach_adult_male"]["home"], male.home,
            "{name}"
        );
        assert_eq!(got["k1_within_reach_adult_male"]["eligible"], male.eligible);
        assert_eq!(
            got["k1_within_reach"]["home"],
            expected.k1_reach.national.home
        );
        assert_eq!(
            got["k1_within_reach"]["eligible"],
            expected.k1_reach.national.eligible
        );
        assert_eq!(got["on_track"], expected.on_track);
        assert_eq!(got["home_plus_on_track"], credits(&instance, plan));
    }
    assert_eq!(
        kpis["bound"]["home_plus_on_track"].as_f64().unwrap(),
        planned.optimal.report.home_bound.round()
    );
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

/// The objective value of the MPS model at `path` with the costs of `costs` (by MPS column
/// number), minimised or maximised, solved by HiGHS read from the file.
fn solve_exported(path: &Path, costs: &[(i32, f64)], maximise: bool) -> f64 {
    use std::ffi::CString;
    let name = CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: one HiGHS instance, created, used with valid column indices and destroyed here.
    unsafe {
        let highs = highs_sys::Highs_create();
        assert_eq!(
            highs_sys::Highs_setBoolOptionValue(highs, c"output_flag".as_ptr(), 0),
            0
        );
        assert_ne!(highs_sys::Highs_readModel(highs, name.as_ptr()), -1);
        let columns = highs_sys::Highs_getNumCol(highs);
        for j in 0..columns {
            highs_sys::Highs_changeColCost(highs, j, 0.0);
        }
        for &(j, c) in costs {
            highs_sys::Highs_changeColCost(highs, j, c);
        }
        highs_sys::Highs_changeObjectiveSense(highs, if maximise { -1 } else { 1 });
        assert_ne!(highs_sys::Highs_run(highs), -1);
        let value = highs_sys::Highs_getObjectiveValue(highs);
        highs_sys::Highs_destroy(highs);
        value
    }
}

#[test]
fn the_written_model_solves_to_the_plans_overflow_in_another_highs() {
    let temp = tempfile::tempdir().unwrap();
    let model = temp.path().join("model.mps");
    let dir = sample();
    let output = Command::cargo_bin("resettle")
        .unwrap()
        .args(["plan", "--quiet", "--start", "2014-09-01", "--data"])
        .arg(&dir)
        .arg("--population")
        .arg(dir.join("population.csv"))
        .arg("--receptions")
        .arg(dir.join("receptions.csv"))
        .arg("--out")
        .arg(temp.path().join("plan"))
        .arg("--write-model")
        .arg(&model)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let mps = fs::read_to_string(&model).unwrap();
    assert!(mps.contains("ROWS") && mps.contains("COLUMNS") && mps.contains("RHS"));
    let kpis: serde_json::Value =
        serde_json::from_slice(&fs::read(temp.path().join("plan/kpis.json")).unwrap()).unwrap();
    let stages = kpis["model"]["stages"].as_array().unwrap();
    // The objectives file lists the plan's stages, in its order, each with its costs.
    let objectives = fs::read_to_string(temp.path().join("model.mps.objectives.csv")).unwrap();
    let mut lines = objectives.lines();
    assert_eq!(lines.next(), Some("stage,objective,sense,column,cost"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut named: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    named.dedup();
    let planned: Vec<&str> = stages
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .filter(|name| named.contains(name))
        .collect();
    assert_eq!(named, planned);
    // Solved from the file alone, the overflow stage reaches the plan's LP value.
    let overflow: Vec<(i32, f64)> = rows
        .iter()
        .filter(|r| r[1] == "overflow")
        .map(|r| (r[3][1..].parse().unwrap(), r[4].parse().unwrap()))
        .collect();
    let lp = stages.iter().find(|s| s["name"] == "overflow").unwrap()["bound"]
        .as_f64()
        .unwrap();
    let solved = solve_exported(&model, &overflow, false);
    assert!((solved - lp).abs() < 1e-6, "{solved} against {lp}");
}
