//! The CRC workload forecast: exact counts on a hand-built instance, and on the sample data
//! the acceptance check of issue #5 — each resettlement prison's workload summed over home
//! CPAs equals the number of prisoners in their final twelve weeks held there, week by week.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{csv_text_records, Builder};
use resettle::analysis::workload::{workload, ByHome, Workload};
use resettle::domain::calendar::{parse_date, Calendar};
use resettle::domain::Category::C;
use resettle::domain::Function::{CatCTrainer, Local};
use resettle::input::validate::{load_inputs, InputPaths};
use resettle::output::workload_outputs;
use resettle::output::ReportOptions;
use resettle::output::{OutputDir, OutputFiles};
use resettle::pipeline::{outputs, plan_all};
use resettle::problem::instance::{Instance, PlanOptions};
use resettle::problem::plan::{Move, MoveReason, Plan};
use resettle::solver::SolverOptions;

// Prison indexes of the hand-built instance.
const NRI: usize = 0;
const SRI: usize = 1;
const TRI: usize = 2;
// CPA indexes.
const NORTH: usize = 0;
const SOUTH: usize = 1;

/// North and south each have a local resettlement prison; TRI is a trainer serving nobody.
fn instance() -> Instance {
    Builder::default()
        .cpa("north")
        .cpa("south")
        .prison("NRI", "north", Local, "C", 10)
        .prison("SRI", "south", Local, "C", 10)
        .prison("TRI", "north", CatCTrainer, "C", 10)
        .serves("NRI", "north")
        .serves("SRI", "south")
        // 0: a northerner in the trainer, released in week 5.
        .prisoner("A0000AA", "TRI", Some("north"), C, Some(5))
        // 1: a northerner at home, released in week 3.
        .prisoner("A0001AA", "NRI", Some("north"), C, Some(3))
        // 2: a southerner in the north, released in week 20 (moved home in week 10).
        .prisoner("A0002AA", "NRI", Some("south"), C, Some(20))
        // 3: no known home CPA, released in week 2.
        .prisoner("A0003AA", "NRI", None, C, Some(2))
        // 4: indeterminate: never in his final weeks.
        .prisoner("A0004AA", "NRI", Some("north"), C, None)
        // 5: three southerners received into the north in week 2, released in week 30.
        .reception(2, "NRI", Some("south"), C, Some(30), 3)
        .instance()
}

fn plan() -> Plan {
    Plan::new(vec![Move {
        mover: 2,
        count: 1,
        from: NRI,
        to: SRI,
        week: 10,
        reason: MoveReason::Resettle,
    }])
}

fn counts(entries: &[(Option<usize>, u64)]) -> ByHome {
    entries.iter().copied().collect()
}

#[test]
fn final_weeks_releases_receptions_and_moves_are_counted_where_they_happen() {
    let instance = instance();
    let w = workload(&instance, &plan());
    assert_eq!(w.window, 12);
    let cell = |prison: usize, week: usize| &w.cells[prison][week];
    // Week 0 at NRI: the northerner (own), the one with no home CPA (other).
    assert_eq!(
        cell(NRI, 0).final_weeks,
        counts(&[(None, 1), (Some(NORTH), 1)])
    );
    assert_eq!(cell(NRI, 2).releases, counts(&[(None, 1)]));
    assert_eq!(cell(NRI, 3).releases, counts(&[(Some(NORTH), 1)]));
    // The southerner enters his final twelve weeks in week 9 at NRI, then is moved home.
    assert_eq!(cell(NRI, 8).final_weeks, counts(&[]));
    assert_eq!(cell(NRI, 9).final_weeks, counts(&[(Some(SOUTH), 1)]));
    assert_eq!(cell(NRI, 10).final_weeks, counts(&[]));
    for week in 10..=20 {
        assert_eq!(cell(SRI, week).final_weeks, counts(&[(Some(SOUTH), 1)]));
    }
    assert_eq!(cell(SRI, 20).releases, counts(&[(Some(SOUTH), 1)]));
    assert_eq!(cell(SRI, 21).final_weeks, counts(&[]));
    // The trainer holds a northerner in his final weeks: it is in the per-CRC view only.
    assert_eq!(cell(TRI, 5).final_weeks, counts(&[(Some(NORTH), 1)]));
    // Receptions: the cohort in its week of arrival, nowhere else.
    assert_eq!(cell(NRI, 2).receptions, counts(&[(Some(SOUTH), 3)]));
    let received: u64 = w
        .cells
        .iter()
        .flatten()
        .flat_map(|c| c.receptions.values())
        .sum();
    assert_eq!(received, 3);
    // Moves.
    assert_eq!((cell(NRI, 10).moves_out, cell(SRI, 10).moves_in), (1, 1));
    // Own and other.
    let split = Workload::split(&instance, NRI, &cell(NRI, 0).final_weeks);
    assert_eq!((split.total, split.own, split.other), (2, 1, 1));
    let split = Workload::split(&instance, NRI, &cell(NRI, 9).final_weeks);
    assert_eq!((split.total, split.own, split.other), (1, 0, 1));
}

fn files(instance: &Instance, plan: &Plan) -> BTreeMap<String, String> {
    let mut files = OutputFiles::default();
    workload_outputs(instance, plan, &mut files);
    let dir = tempfile::tempdir().unwrap();
    files.commit(OutputDir::claim(dir.path()).unwrap()).unwrap();
    std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn files_have_a_row_per_resettlement_prison_and_week_and_the_per_crc_view() {
    let instance = instance();
    let files = files(&instance, &plan());
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            resettle::output::MARKER,
            "workload.csv",
            "workload.json",
            "workload_by_cpa.csv",
            "workload_by_crc.csv"
        ]
    );
    let lines: Vec<&str> = files["workload.csv"].lines().collect();
    assert_eq!(
        lines[0],
        "prison,name,week,date,final_weeks,final_weeks_own,final_weeks_other,releases,\
         releases_own,releases_other,receptions,receptions_own,receptions_other,moves_in,moves_out"
    );
    // Two resettlement prisons (TRI serves nobody) × 26 weeks.
    assert_eq!(lines.len(), 1 + 2 * 26);
    assert_eq!(lines[1], "NRI,NRI,0,2014-09-01,2,1,1,0,0,0,0,0,0,0,0");
    assert_eq!(lines[3], "NRI,NRI,2,2014-09-15,2,1,1,1,0,1,3,0,3,0,0");
    assert_eq!(lines[11], "NRI,NRI,10,2014-11-10,0,0,0,0,0,0,0,0,0,0,1");
    assert_eq!(
        lines[27 + 10],
        "SRI,SRI,10,2014-11-10,1,1,0,0,0,0,0,0,0,1,0"
    );
    let by_cpa: Vec<&str> = files["workload_by_cpa.csv"].lines().collect();
    assert_eq!(
        by_cpa[..4],
        [
            "prison,week,date,home_cpa,own,final_weeks,releases,receptions",
            "NRI,0,2014-09-01,,false,1,0,0",
            "NRI,0,2014-09-01,north,true,1,0,0",
            "NRI,1,2014-09-08,,false,1,0,0",
        ]
    );
    assert!(by_cpa.contains(&"NRI,2,2014-09-15,south,false,0,0,3"));
    let crc = &files["workload_by_crc.csv"];
    assert!(crc.starts_with("cpa,week,date,prison,resettlement_for_cpa,final_weeks,releases\n"));
    assert!(crc.contains("north,5,2014-10-06,TRI,false,1,1\n"));
    assert!(crc.contains("south,9,2014-11-03,NRI,false,1,0\n"));
    assert!(crc.contains("south,20,2015-01-19,SRI,true,1,1\n"));
    // Ids never appear.
    for text in files.values() {
        assert!(
            !text.contains("A000"),
            "no prisoner id in the workload files"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&files["workload.json"]).unwrap();
    assert_eq!(json["window"], 12);
    assert_eq!(json["prisons"].as_array().unwrap().len(), 2);
    let week0 = &json["prisons"][0]["weeks"][0]["final_weeks"];
    assert_eq!(week0["total"], 2);
    assert_eq!(week0["own"], 1);
    assert_eq!(week0["other"], 1);
    assert_eq!(week0["by_cpa"]["north"], 1);
    assert_eq!(week0["unknown_home"], 1);
    let south9 = &json["crcs"][1]["weeks"][9];
    assert_eq!(south9["final_weeks"], 1);
    assert_eq!(south9["elsewhere"], 1);
    assert_eq!(south9["by_prison"]["NRI"], 1);
    assert_eq!(json["crcs"][1]["weeks"][10]["at_resettlement_prison"], 1);
}

/// The sample data set planned by the library, and the files of `resettle plan`.
fn sample() -> (Instance, Plan, BTreeMap<String, String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let paths = InputPaths {
        data: root.clone(),
        population: Some(root.join("population.csv")),
        receptions: Some(root.join("receptions.csv")),
        booked: None,
    };
    let calendar = Calendar::new(parse_date("2014-09-01").unwrap()).unwrap();
    let (inputs, diagnostics) = load_inputs(&paths, Some(&calendar));
    assert!(!diagnostics.has_errors(), "{diagnostics:?}");
    let instance = Instance::new(inputs, PlanOptions::new(calendar)).unwrap();
    let planned = plan_all(&instance, SolverOptions::default(), &mut |_| {}).unwrap();
    let files = outputs(&instance, &planned, &ReportOptions::default());
    let dir = tempfile::tempdir().unwrap();
    files.commit(OutputDir::claim(dir.path()).unwrap()).unwrap();
    let texts = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            (name, std::fs::read_to_string(e.path()).unwrap_or_default())
        })
        .collect();
    (instance, planned.optimal.plan, texts)
}

fn number(record: &BTreeMap<String, String>, column: &str) -> u64 {
    record[column].parse().unwrap()
}

#[test]
fn each_resettlement_prisons_workload_summed_over_cpas_is_everyone_in_his_final_weeks_there() {
    let (instance, plan, files) = sample();
    let horizon = instance.options.horizon;
    let window = i64::from(instance.options.window);
    assert_eq!(window, 12);
    // Counted directly from the plan's paths: everyone present in his final twelve weeks.
    let mut expected = vec![vec![0u64; horizon as usize]; instance.prisons().len()];
    for (mover, paths) in instance.movers.iter().zip(plan.routes(&instance)) {
        let Some(release) = mover.release_week else {
            continue;
        };
        for path in paths {
            for week in 0..horizon {
                if mover.present(week) && i64::from(week) > i64::from(release) - window {
                    expected[path.location(mover.prison, week)][week as usize] +=
                        u64::from(path.count);
                }
            }
        }
    }
    // Summed over home CPAs in workload_by_cpa.csv.
    let mut summed: BTreeMap<(String, u64), u64> = BTreeMap::new();
    for r in csv_text_records(&files["workload_by_cpa.csv"]) {
        *summed
            .entry((r["prison"].clone(), number(&r, "week")))
            .or_default() += number(&r, "final_weeks");
    }
    let rows = csv_text_records(&files["workload.csv"]);
    let resettlement: Vec<usize> = (0..instance.prisons().len())
        .filter(|&p| Workload::is_resettlement(&instance, p))
        .collect();
    assert!(resettlement.len() >= 10);
    assert_eq!(rows.len(), resettlement.len() * horizon as usize);
    let mut checked = 0;
    for r in &rows {
        let code = &r["prison"];
        let week = number(r, "week");
        let p = instance
            .prisons()
            .iter()
            .position(|p| p.code.as_str() == code)
            .unwrap();
        assert!(resettlement.contains(&p));
        let held = expected[p][week as usize];
        let by_cpa = summed.get(&(code.clone(), week)).copied().unwrap_or(0);
        assert_eq!(by_cpa, held, "{code} week {week}: summed over CPAs");
        assert_eq!(number(r, "final_weeks"), held, "{code} week {week}");
        assert_eq!(
            number(r, "final_weeks_own") + number(r, "final_weeks_other"),
            held
        );
        assert_eq!(
            number(r, "releases_own") + number(r, "releases_other"),
            number(r, "releases")
        );
        checked += u64::from(held > 0);
    }
    assert!(
        checked > 100,
        "the sample has prisoners in their final weeks"
    );
}

#[test]
fn the_per_crc_view_accounts_for_every_prisoner_of_the_cpa_in_his_final_weeks() {
    let (instance, plan, files) = sample();
    let w = workload(&instance, &plan);
    let mut by_crc: BTreeMap<(String, u64), (u64, u64)> = BTreeMap::new();
    for r in csv_text_records(&files["workload_by_crc.csv"]) {
        let entry = by_crc
            .entry((r["cpa"].clone(), number(&r, "week")))
            .or_default();
        entry.0 += number(&r, "final_weeks");
        if r["resettlement_for_cpa"] == "true" {
            entry.1 += number(&r, "final_weeks");
        }
    }
    let mut own_rows: BTreeMap<(String, u64), u64> = BTreeMap::new();
    for r in csv_text_records(&files["workload_by_cpa.csv"]) {
        if r["own"] == "true" {
            *own_rows
                .entry((r["home_cpa"].clone(), number(&r, "week")))
                .or_default() += number(&r, "final_weeks");
        }
    }
    for (c, cpa) in instance.inputs.data.cpas.iter().enumerate() {
        for week in 0..u64::from(instance.options.horizon) {
            let anywhere: u64 = w
                .cells
                .iter()
                .map(|weeks| weeks[week as usize].final_weeks.get(&Some(c)).copied())
                .map(Option::unwrap_or_default)
                .sum();
            let key = (cpa.id.to_string(), week);
            let (held, at_home) = by_crc.get(&key).copied().unwrap_or_default();
            assert_eq!(held, anywhere, "{key:?}");
            // Held at home = the own rows of the resettlement prisons' workload.
            assert_eq!(at_home, own_rows.get(&key).copied().unwrap_or(0), "{key:?}");
        }
    }
}

#[test]
fn the_workload_files_are_identical_from_two_runs_and_name_nobody() {
    let (_, _, first) = sample();
    let (_, _, second) = sample();
    for name in [
        "workload.csv",
        "workload_by_cpa.csv",
        "workload_by_crc.csv",
        "workload.json",
    ] {
        assert_eq!(first[name], second[name], "{name}");
        assert!(!first[name].is_empty());
    }
    let ids: Vec<String> = csv_text_records(&first["moves.csv"])
        .into_iter()
        .map(|r| r["prisoner_id"].clone())
        .collect();
    assert!(!ids.is_empty());
    for name in ["workload.csv", "workload_by_crc.csv", "workload.json"] {
        assert!(ids.iter().all(|id| !first[name].contains(id.as_str())));
    }
}
