//! `resettle plan --previous`: last week's plan as an input (docs/planning-rules.md §5
//! "Weekly re-planning"), through the binary on a population generated on the sample's data.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use common::{csv_records, generated_on_sample, sample};

/// A generated population and its first plan, made once for every test.
struct Fixture {
    _dir: tempfile::TempDir,
    inputs: PathBuf,
    first: PathBuf,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let inputs = generated_on_sample(dir.path());
        let first = dir.path().join("first");
        let output = plan(&inputs, &first, &[]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        Fixture {
            _dir: dir,
            inputs,
            first,
        }
    })
}

fn plan(inputs: &Path, out: &Path, extra: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::cargo_bin("resettle")
        .unwrap()
        .args([
            "plan",
            "--quiet",
            "--start",
            "2014-09-01",
            "--confirm-marginal",
            "0",
        ])
        .arg("--data")
        .arg(sample())
        .arg("--population")
        .arg(inputs.join("population.csv"))
        .arg("--receptions")
        .arg(inputs.join("receptions.csv"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn kpis(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("kpis.json")).unwrap()).unwrap()
}

/// Planned again from the same snapshot with its own plan as last week's, nothing has
/// changed: last week's plan is feasible and optimal for (a) and (b), so keeping every move
/// costs nothing there, and (b′) keeps them all. The moves of the freeze (weeks 0 and 1) are
/// booked as they were; (a) and (b) are those of the plan made without --previous.
#[test]
fn with_nothing_changed_every_move_is_kept_and_a_and_b_are_unchanged() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again");
    let output = plan(
        &f.inputs,
        &again,
        &[(*"--previous").as_ref(), f.first.as_os_str()],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let before = csv_records(&f.first.join("moves.csv"));
    let changes = csv_records(&again.join("changes.csv"));
    let of = |change: &str| changes.iter().filter(|r| r["change"] == change).count();
    assert!(before.len() > 100, "enough moves to mean something");
    assert_eq!(of("kept"), before.len());
    assert_eq!(of("dropped") + of("other_week") + of("other_prison"), 0);
    let frozen = changes
        .iter()
        .filter(|r| r["reason"] == "in the freeze: booked")
        .count();
    let in_freeze = before
        .iter()
        .filter(|m| m["week"].parse::<u32>().unwrap() < 2)
        .count();
    assert_eq!(frozen, in_freeze);
    for key in ["home_plus_on_track", "overflow"] {
        let value = |dir: &Path| kpis(dir)["optimal"][key].clone();
        assert_eq!(value(&f.first), value(&again), "{key}");
    }
    let summary = String::from_utf8(output.stdout).unwrap();
    assert!(summary.contains("kept (100.0%)"), "{summary}");
}

/// A prisoner of last week's plan who is no longer in the population is dropped, with the
/// reason; his move is not made.
#[test]
fn a_move_of_a_prisoner_gone_is_dropped_with_its_reason() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let previous = dir.path().join("previous");
    fs::create_dir(&previous).unwrap();
    let text = fs::read_to_string(f.first.join("moves.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // A move of someone who is not in the population, in week 5.
    let mut fields: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    fields[0] = "Z9999ZZ".into();
    fields[3] = "5".into();
    fields[4] = "2014-10-06".into();
    lines.push(fields.join(","));
    fs::write(previous.join("moves.csv"), lines.join("\n") + "\n").unwrap();
    let again = dir.path().join("again");
    let output = plan(
        &f.inputs,
        &again,
        &[(*"--previous").as_ref(), previous.as_os_str()],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let changes = csv_records(&again.join("changes.csv"));
    let gone = changes
        .iter()
        .find(|r| r["prisoner_id"] == "Z9999ZZ")
        .unwrap();
    assert_eq!(gone["change"], "dropped");
    assert!(gone["reason"].contains("not in the population"), "{gone:?}");
    assert_eq!(gone["to"], "");
}

/// Last week's plan must start a whole number of weeks before this one: a move dated on
/// another day is an input error at its file, line and column; exit 2, nothing written.
#[test]
fn a_previous_plan_off_the_weeks_exits_2_and_writes_nothing() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let previous = dir.path().join("previous");
    fs::create_dir(&previous).unwrap();
    let text = fs::read_to_string(f.first.join("moves.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut fields: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    fields[4] = "2014-09-10".into();
    lines[1] = fields.join(",");
    fs::write(previous.join("moves.csv"), lines.join("\n") + "\n").unwrap();
    let again = dir.path().join("again");
    let output = plan(
        &f.inputs,
        &again,
        &[(*"--previous").as_ref(), previous.as_os_str()],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("moves.csv") && stderr.contains("2014-09-10"),
        "{stderr}"
    );
    assert!(stderr.contains("moves.csv:2:5"), "{stderr}");
    assert!(!again.exists());
}

/// --freeze means nothing without --previous.
#[test]
fn freeze_without_previous_is_refused() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = plan(&f.inputs, &out, &[(*"--freeze").as_ref(), (*"3").as_ref()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!out.exists());
}

/// Last week's plan can be a run of the plan history (`--previous-run`, with `--db`): the
/// same moves as its folder, so the same changes.
#[test]
fn a_run_of_the_history_serves_as_last_weeks_plan() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let (recorded, from_folder, from_run) = (
        dir.path().join("recorded"),
        dir.path().join("from_folder"),
        dir.path().join("from_run"),
    );
    let with_db = |extra: &[&str]| -> Vec<std::ffi::OsString> {
        let mut args = vec!["--db".into(), db.clone().into_os_string()];
        args.extend(extra.iter().map(Into::into));
        args
    };
    let args = with_db(&[]);
    let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    assert!(plan(&f.inputs, &recorded, &refs).status.success());
    let args = [(*"--previous").as_ref(), recorded.as_os_str()];
    assert!(plan(&f.inputs, &from_folder, &args).status.success());
    let args = with_db(&["--previous-run", "1"]);
    let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let output = plan(&f.inputs, &from_run, &refs);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        fs::read(from_folder.join("changes.csv")).unwrap(),
        fs::read(from_run.join("changes.csv")).unwrap()
    );
}
