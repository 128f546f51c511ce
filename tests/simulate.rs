//! `resettle simulate`: the weekly cycle in a closed loop, through the binary on a population
//! generated on the sample's data.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::{csv_records, generated_on_sample, sample};

fn simulate(inputs: &Path, out: &Path, weeks: &str) -> std::process::Output {
    Command::cargo_bin("resettle")
        .unwrap()
        .args([
            "simulate",
            "--quiet",
            "--start",
            "2014-09-01",
            "--horizon",
            "20",
        ])
        .args(["--weeks", weeks, "--data"])
        .arg(sample())
        .arg("--population")
        .arg(inputs.join("population.csv"))
        .arg("--receptions")
        .arg(inputs.join("receptions.csv"))
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Four weeks of the loop, greedy and optimal: one row per policy and week; the releases and
/// K2 weeks due each week do not depend on the policy (only where people are held does); in
/// week 0 nobody moves (the plans move from week 1 and nothing is booked); every plan after
/// the first keeps a share of last week's; the same run gives the same file byte for byte.
#[test]
fn four_weeks_of_the_loop_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = generated_on_sample(dir.path());
    let out = dir.path().join("sim");
    let output = simulate(&inputs, &out, "4");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = csv_records(&out.join("simulate.csv"));
    assert_eq!(rows.len(), 8);
    let of = |policy: &str| -> Vec<&BTreeMap<String, String>> {
        rows.iter().filter(|r| r["policy"] == policy).collect()
    };
    let (greedy, optimal) = (of("greedy"), of("optimal"));
    for (g, o) in greedy.iter().zip(&optimal) {
        assert_eq!(g["week"], o["week"]);
        assert_eq!(g["k1_eligible"], o["k1_eligible"]);
        assert_eq!(g["k2_eligible"], o["k2_eligible"]);
        let home: u64 = o["k1_home"].parse().unwrap();
        assert!(home <= o["k1_eligible"].parse().unwrap());
    }
    assert_eq!(optimal[0]["moves"], "0");
    assert_eq!(optimal[0]["kept_share"], "");
    for week in &optimal[1..] {
        let kept: f64 = week["kept_share"].parse().unwrap();
        assert!((0.0..=1.0).contains(&kept), "{week:?}");
    }
    assert!(greedy.iter().all(|r| r["kept_share"].is_empty()));
    let summary = String::from_utf8(output.stdout).unwrap();
    assert!(
        summary.contains("optimal") && summary.contains("greedy"),
        "{summary}"
    );

    let again = dir.path().join("again");
    assert!(simulate(&inputs, &again, "4").status.success());
    assert_eq!(
        fs::read(out.join("simulate.csv")).unwrap(),
        fs::read(again.join("simulate.csv")).unwrap()
    );
}

/// No week to simulate is a bad option: exit 2, nothing written.
#[test]
fn zero_weeks_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = generated_on_sample(dir.path());
    let out = dir.path().join("sim");
    let output = simulate(&inputs, &out, "0");
    assert_eq!(output.status.code(), Some(2));
    assert!(!out.exists());
}
