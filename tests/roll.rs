//! `resettle roll` on the sample: week 0 of the plan is carried out (its moves made, those
//! released gone, its receptions arrived as prisoners), week 1's moves are booked, later
//! receptions and bookings move a week earlier; the rolled inputs validate and plan a week
//! later, the same bytes on every run; the planner agrees with the roll on who is held where;
//! a plan not made from the inputs is refused with exit code 2 and nothing written.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use common::{csv_records, sample};
use resettle::cycle::roll::{load_plan, roll, Rolled};
use resettle::domain::calendar::Calendar;
use resettle::input::validate::{load_inputs, InputPaths, Inputs};
use resettle::problem::instance::{movers, Instance, Origin, PlanOptions};
use resettle::problem::kpi::evaluate;
use resettle::problem::plan::Plan;
use tempfile::TempDir;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn calendar(start: &str) -> Calendar {
    Calendar::new(date(start)).unwrap()
}

/// Booked moves, checked by hand against the sample: A0000AA (ASI, Dorset, Devon and
/// Cornwall, released 2015-03-02) to Channings Wood in week 0; A0004AA (ASI, released
/// 2015-06-04) to Guys Marsh in week 1; A0005AA (ASI, released 2015-09-07) to Channings Wood
/// in week 3.
const BOOKED: &str = "prisoner_id,to,week\nA0000AA,CWI,0\nA0004AA,GMI,1\nA0005AA,CWI,3\n";

/// The sample's receptions and two cohorts of week 0: 3 men at Swansea released in week 30
/// (2015-03-30), and 2 on remand at Cardiff expected to leave within week 0.
const EXTRA_RECEPTIONS: &str = "0,SWI,wales,adult_male,C,30,,3\n0,CFI,wales,adult_male,C,,0,2\n";

/// This week's inputs: the sample's data and population, the receptions with
/// [`EXTRA_RECEPTIONS`] and the booked moves [`BOOKED`].
struct Week {
    dir: TempDir,
}

impl Week {
    fn new() -> Week {
        let dir = tempfile::tempdir().unwrap();
        let mut receptions = fs::read_to_string(sample().join("receptions.csv")).unwrap();
        receptions.push_str(EXTRA_RECEPTIONS);
        fs::write(dir.path().join("receptions.csv"), receptions).unwrap();
        fs::write(dir.path().join("booked.csv"), BOOKED).unwrap();
        Week { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The arguments naming this week's inputs, as `plan` and `roll` take them.
    fn input_args(&self, start: &str) -> Vec<String> {
        let path = |p: PathBuf| p.to_string_lossy().into_owned();
        vec![
            "--data".into(),
            path(sample()),
            "--population".into(),
            path(sample().join("population.csv")),
            "--receptions".into(),
            path(self.path("receptions.csv")),
            "--booked".into(),
            path(self.path("booked.csv")),
            "--start".into(),
            start.into(),
        ]
    }

    /// Plans this week into `name`, with the extra arguments.
    fn plan(&self, name: &str, extra: &[&str]) -> PathBuf {
        let out = self.path(name);
        resettle()
            .arg("plan")
            .args(self.input_args("2014-09-01"))
            .args(["--quiet", "--out"])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        out
    }

    /// Runs `resettle roll` with the plan folder `plan` into `out`.
    fn roll(&self, plan: &Path, out: &Path) -> std::process::Output {
        resettle()
            .arg("roll")
            .args(self.input_args("2014-09-01"))
            .arg("--plan")
            .arg(plan)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    }

    /// This week's inputs, loaded.
    fn inputs(&self) -> Inputs {
        let paths = InputPaths {
            data: sample(),
            population: Some(sample().join("population.csv")),
            receptions: Some(self.path("receptions.csv")),
            booked: Some(self.path("booked.csv")),
        };
        let (inputs, diagnostics) = load_inputs(&paths, Some(&calendar("2014-09-01")));
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        inputs
    }

    /// A plan folder whose `moves.csv` holds no move.
    fn no_moves(&self) -> PathBuf {
        let plan = self.path("no-moves");
        fs::create_dir_all(&plan).unwrap();
        let header = "prisoner_id,from,to,week,date,reason\n";
        fs::write(plan.join("moves.csv"), header).unwrap();
        plan
    }

    /// Rolled through the library with a plan of no moves but the booked ones.
    fn rolled_without_plan(&self) -> Rolled {
        let inputs = self.inputs();
        let moves = load_plan(&self.no_moves(), &inputs).unwrap();
        roll(&inputs, calendar("2014-09-01"), &moves).unwrap()
    }
}

fn resettle() -> Command {
    Command::cargo_bin("resettle").unwrap()
}

/// The population rows by prisoner id.
fn population(dir: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    csv_records(&dir.join("population.csv"))
        .into_iter()
        .map(|r| (r["prisoner_id"].clone(), r))
        .collect()
}

/// The (prisoner id, to, week) of a booked-moves file.
fn booked(dir: &Path) -> Vec<(String, String, String)> {
    csv_records(&dir.join("booked.csv"))
        .into_iter()
        .map(|r| (r["prisoner_id"].clone(), r["to"].clone(), r["week"].clone()))
        .collect()
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, fs::read(entry.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn rolling_carries_out_week_0_and_books_week_1() {
    let week = Week::new();
    let plan = week.plan("plan", &[]);
    let next = week.path("next");
    let output = week.roll(&plan, &next);
    assert!(output.status.success(), "{output:?}");
    let people = population(&next);

    // The booked move of week 0 is made: he is at Channings Wood, arrived on the week's Monday.
    let a0 = &people["A0000AA"];
    assert_eq!(
        (a0["prison"].as_str(), a0["arrived"].as_str()),
        ("CWI", "2014-09-01")
    );
    assert_eq!(a0["custody_start"], "2013-06-01", "the rest is kept");

    // Released (2014-09-06) and departed (remand, expected 2014-09-04) in week 0: gone; released
    // in week 1 (2014-09-14): still held, where he was.
    assert!(!people.contains_key("A0011AA") && !people.contains_key("A0143AA"));
    assert_eq!(people["A0001AA"]["prison"], "ASI");

    // The cohort of 3 arriving at Swansea in week 0 is 3 prisoners; the 2 who leave in week 0
    // never appear.
    let swansea: Vec<_> = people
        .values()
        .filter(|p| p["prisoner_id"].starts_with("R20140908-") && p["prison"] == "SWI")
        .filter(|p| p["release_date"] == "2015-03-30")
        .collect();
    assert_eq!(swansea.len(), 3);
    for p in &swansea {
        assert_eq!(p["home_cpa"], "wales");
        assert_eq!(
            (p["estate"].as_str(), p["category"].as_str()),
            ("adult_male", "C")
        );
        assert_eq!(p["sentence"], "determinate");
        assert_eq!(
            (p["custody_start"].as_str(), p["arrived"].as_str()),
            ("2014-09-01", "2014-09-01")
        );
        assert_eq!(
            (p["do_not_move"].as_str(), p["removal"].as_str()),
            ("false", "false")
        );
    }
    let arrived_at_cardiff_on_remand = people
        .values()
        .filter(|p| p["prisoner_id"].starts_with('R') && p["prison"] == "CFI")
        .filter(|p| p["sentence"] == "remand" && p["expected_release"] == "2014-09-01")
        .count();
    assert_eq!(arrived_at_cardiff_on_remand, 0);
    let week_0: u64 = csv_records(&week.path("receptions.csv"))
        .iter()
        .filter(|r| r["week"] == "0")
        .map(|r| r["count"].parse::<u64>().unwrap())
        .sum();
    let received = people.keys().filter(|id| id.starts_with('R')).count() as u64;
    assert_eq!(received, week_0 - 2);

    // Later receptions stay, every week one less, in the same order.
    let shift = |text: &str| {
        text.parse::<u32>()
            .map_or(String::new(), |w| (w - 1).to_string())
    };
    let later: Vec<Vec<String>> = csv_records(&week.path("receptions.csv"))
        .into_iter()
        .filter(|r| r["week"] != "0")
        .map(|r| {
            vec![
                shift(&r["week"]),
                r["prison"].clone(),
                r["home_cpa"].clone(),
                r["estate"].clone(),
                r["category"].clone(),
                shift(&r["release_week"]),
                shift(&r["expected_release_week"]),
                r["count"].clone(),
            ]
        })
        .collect();
    let rolled: Vec<Vec<String>> = csv_records(&next.join("receptions.csv"))
        .into_iter()
        .map(|r| {
            [
                "week",
                "prison",
                "home_cpa",
                "estate",
                "category",
                "release_week",
                "expected_release_week",
                "count",
            ]
            .iter()
            .map(|c| r[*c].clone())
            .collect()
        })
        .collect();
    assert_eq!(rolled, later);

    // The plan's moves of week 1 (the booked one among them) are booked for the new week 0;
    // the move booked for week 3 stays booked, in week 2; later planned moves are not booked.
    let moves = csv_records(&plan.join("moves.csv"));
    let in_week_1: Vec<_> = moves.iter().filter(|r| r["week"] == "1").collect();
    assert!(
        in_week_1.len() > 10,
        "the sample's plan moves people in week 1"
    );
    assert!(in_week_1
        .iter()
        .any(|r| r["prisoner_id"] == "A0004AA" && r["to"] == "GMI" && r["reason"] == "booked"));
    let mut expected: Vec<(String, String, String)> = in_week_1
        .iter()
        .map(|r| (r["prisoner_id"].clone(), r["to"].clone(), "0".to_string()))
        .collect();
    expected.sort();
    expected.push(("A0005AA".into(), "CWI".into(), "2".into()));
    assert_eq!(booked(&next), expected);

    // The summary gives counts only: no prisoner id, no date.
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("moves made in week 0:  1 "), "{stdout}");
    assert!(stdout.contains(&format!("{received} people now in the population (2 more")));
    assert!(
        !stdout.contains("A00") && !stdout.contains("R2014"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("2014-") && !stdout.contains("2015-"),
        "{stdout}"
    );
}

#[test]
fn planned_moves_of_week_0_are_made_when_the_plan_moved_people_then() {
    let week = Week::new();
    let plan = week.plan("plan", &["--first-movable-week", "0"]);
    let next = week.path("next");
    let output = week.roll(&plan, &next);
    assert!(output.status.success(), "{output:?}");
    let people = population(&next);
    let moves = csv_records(&plan.join("moves.csv"));
    let planned_in_week_0: Vec<_> = moves
        .iter()
        .filter(|m| m["week"] == "0" && m["reason"] != "booked")
        .collect();
    assert!(
        !planned_in_week_0.is_empty(),
        "the plan moves people in week 0"
    );
    for m in planned_in_week_0 {
        let p = &people[&m["prisoner_id"]];
        assert_eq!(
            (&p["prison"], p["arrived"].as_str()),
            (&m["to"], "2014-09-01")
        );
    }
}

#[test]
fn rolled_inputs_validate_and_plan_a_week_later() {
    let week = Week::new();
    let plan = week.plan("plan", &[]);
    let next = week.path("next");
    assert!(week.roll(&plan, &next).status.success());
    let args = [
        "--data".into(),
        sample(),
        "--population".into(),
        next.join("population.csv"),
        "--receptions".into(),
        next.join("receptions.csv"),
        "--booked".into(),
        next.join("booked.csv"),
        "--start".into(),
        "2014-09-08".into(),
    ];
    let validated = resettle().arg("validate").args(&args).output().unwrap();
    assert!(validated.status.success(), "{validated:?}");
    let stdout = String::from_utf8(validated.stdout).unwrap();
    assert!(stdout.contains("no errors, 0 warning(s)"), "{stdout}");
    resettle()
        .arg("plan")
        .args(&args)
        .args(["--quiet", "--out"])
        .arg(week.path("plan-next"))
        .assert()
        .success();
}

#[test]
fn rolling_gives_the_same_bytes_on_every_run() {
    let week = Week::new();
    let plan = week.plan("plan", &[]);
    let (a, b) = (week.path("a"), week.path("b"));
    for out in [&a, &b] {
        assert!(week.roll(&plan, out).status.success());
    }
    let (a, b) = (files(&a), files(&b));
    let names: Vec<&str> = a.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"population.csv") && names.contains(&"booked.csv"));
    assert_eq!(a, b);
}

/// A reception of week 0 is a prisoner the planner treats as it treated his cohort: the same
/// prison, eligibility, sentence, custody start and qualifying arrival, every week one less.
#[test]
fn a_rolled_reception_is_planned_as_its_cohort_was() {
    let week = Week::new();
    let inputs = week.inputs();
    let rolled = week.rolled_without_plan();
    let before = movers(&inputs, &PlanOptions::new(calendar("2014-09-01")));
    let next_inputs = Inputs {
        prisoners: rolled.prisoners.clone(),
        ..inputs.clone()
    };
    let after = movers(&next_inputs, &PlanOptions::new(rolled.calendar));
    let mut received = after
        .iter()
        .zip(&rolled.prisoners)
        .filter(|(_, p)| p.id.as_str().starts_with('R'));
    let mut compared = 0;
    for cohort in before.iter().filter(|m| m.arrival_week == 0) {
        let Origin::Reception(_) = cohort.origin else {
            continue;
        };
        if !cohort.present(1) {
            continue;
        }
        for _ in 0..cohort.count {
            let (person, _) = received.next().expect("one prisoner per person");
            let less = |week: Option<u32>| week.map(|w| w - 1);
            assert_eq!(person.prison, cohort.prison);
            assert_eq!(person.home, cohort.home);
            assert_eq!(
                (person.estate, person.category),
                (cohort.estate, cohort.category)
            );
            assert_eq!(person.eligible, cohort.eligible);
            assert_eq!(person.remand, cohort.remand);
            assert_eq!(person.do_not_move, cohort.do_not_move);
            assert_eq!(person.release_week, less(cohort.release_week));
            assert_eq!(person.last_week, less(cohort.last_week));
            assert_eq!(person.release_date, cohort.release_date);
            assert_eq!(
                (person.custody_start, person.arrived),
                (cohort.custody_start, cohort.arrived)
            );
            assert_eq!(
                person.latest_qualifying_arrival(12),
                cohort.latest_qualifying_arrival(12)
            );
            compared += 1;
        }
    }
    assert!(received.next().is_none());
    assert!(compared > 50, "{compared}");
}

/// With no moves but the booked ones, the planner holds the same people in every prison in
/// week t + 1 of this week's plan as in week t of next week's: roll and plan agree on who has
/// gone, who arrived and where the moves took them.
#[test]
fn roll_and_plan_agree_on_who_is_held_where_week_by_week() {
    let week = Week::new();
    let inputs = week.inputs();
    let rolled = week.rolled_without_plan();
    let held = |inputs: Inputs, calendar: Calendar, horizon: u32| {
        let options = PlanOptions {
            horizon,
            ..PlanOptions::new(calendar)
        };
        let instance = Instance::new(inputs, options).unwrap();
        evaluate(&instance, &Plan::new(Plan::booked(&instance))).occupancy
    };
    let now = held(inputs.clone(), calendar("2014-09-01"), 27);
    let next_inputs = Inputs {
        prisoners: rolled.prisoners,
        receptions: rolled.receptions,
        booked: rolled.booked,
        ..inputs
    };
    let next = held(next_inputs, rolled.calendar, 26);
    for (prison, (now, next)) in now.iter().zip(&next).enumerate() {
        assert_eq!(&now[1..], &next[..], "prison {prison}");
    }
    assert_eq!(rolled.counts.moves_made, 1);
    assert_eq!(rolled.counts.received_and_gone, 2);
    assert_eq!(
        (rolled.counts.booked_now, rolled.counts.booked_later),
        (1, 1)
    );
}

/// Runs roll on a copy of the plan changed by `change` (given moves.csv's text) and checks
/// that it is refused with exit code 2, nothing written, and a message holding `expected`.
fn refused(week: &Week, plan: &Path, change: impl FnOnce(&str) -> String, expected: &str) {
    let broken = week.path("broken");
    let _ = fs::remove_dir_all(&broken);
    fs::create_dir(&broken).unwrap();
    let moves = fs::read_to_string(plan.join("moves.csv")).unwrap();
    fs::write(broken.join("moves.csv"), change(&moves)).unwrap();
    let out = week.path("refused");
    let output = week.roll(&broken, &out);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(expected), "{expected:?} not in {stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_plan_not_made_from_these_inputs_is_refused_and_nothing_written() {
    let week = Week::new();
    let plan = week.plan("plan", &[]);
    let second_line = |moves: &str| moves.lines().nth(1).unwrap().to_string();
    let moves = fs::read_to_string(plan.join("moves.csv")).unwrap();
    let first = second_line(&moves);
    let fields: Vec<&str> = first.split(',').collect();
    let (id, from) = (fields[0].to_string(), fields[1].to_string());

    // A prisoner who is not in the population.
    refused(
        &week,
        &plan,
        |m| m.replacen(&format!("{id},"), "Z9999ZZ,", 1),
        "moves.csv:2:1: error: column 'prisoner_id', value \"Z9999ZZ\": no such prisoner in the \
         population file: the plan was not made from these inputs",
    );
    // A move from where he is not.
    let elsewhere = if from == "BLI" { "CFI" } else { "BLI" };
    refused(
        &week,
        &plan,
        |m| m.replacen(&format!("{id},{from},"), &format!("{id},{elsewhere},"), 1),
        &format!(
            "moves.csv:2:2: error: column 'from', value \"{elsewhere}\": the population file \
             holds the prisoner in {from}: the plan was not made from these inputs"
        ),
    );
    // A plan made for another start date.
    refused(
        &week,
        &plan,
        |m| m.replacen(",2014-09-08,", ",2014-09-15,", 1),
        "error: column 'date', value \"2014-09-15\": week 1 of the plan starting on 2014-09-01 \
         (--start) begins on 2014-09-08: the plan was made for another start date",
    );
    // A booked move the booked moves file does not hold.
    refused(
        &week,
        &plan,
        |m| m.replacen("A0000AA,ASI,CWI,0", "A0000AA,ASI,GMI,0", 1),
        "error: column 'reason', value \"booked\": booked, but the booked moves file books no \
         move of the prisoner to GMI in week 0",
    );
    // A folder that holds no plan.
    refused(
        &week,
        &plan,
        |_| "week,count\n".into(),
        "the header lacks column(s)",
    );
}

#[test]
fn a_pseudonymised_plan_is_refused() {
    let week = Week::new();
    let key = week.path("resettle.key");
    fs::write(&key, [7u8; 32]).unwrap();
    let key = key.to_string_lossy().into_owned();
    let plan = week.plan("plan", &["--pseudonymise", "--pseudonym-key-file", &key]);
    let out = week.path("next");
    let output = week.roll(&plan, &out);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "a pseudonym, not an id of the population file: roll needs the plan \
                         written without --pseudonymise"
        ),
        "{stderr}"
    );
    assert!(!out.exists());

    let not_a_plan = week.roll(&week.path("no-such-plan"), &out);
    assert_eq!(not_a_plan.status.code(), Some(2));
    let stderr = String::from_utf8(not_a_plan.stderr).unwrap();
    assert!(stderr.contains("is not a folder"), "{stderr}");
    assert!(!out.exists());
}

/// The tiny fixture with a closed local prison (operational capacity 0) holding a
/// do-not-move prisoner, one on remand and one neither: the plan moves all three out in
/// week 1.
fn closing_prison() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let tiny = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    for entry in fs::read_dir(&tiny).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let append = |name: &str, rows: &str| {
        let path = dir.path().join(name);
        let text = fs::read_to_string(&path).unwrap() + rows;
        fs::write(path, text).unwrap();
    };
    append(
        "prisons.csv",
        "CLO,Closeby,central,local,adult_male;young_offender_male,B;C,public,0,0,,\n",
    );
    append(
        "population.csv",
        "P013,CLO,central,adult_male,C,determinate,2014-06-02,2014-06-02,2015-06-15,true,false\n\
         P014,CLO,north,adult_male,C,remand,2014-08-20,2014-08-20,,false,false\n\
         P015,CLO,central,adult_male,C,determinate,2014-06-02,2014-06-02,2015-06-15,false,false\n",
    );
    dir
}

#[test]
fn closure_moves_of_week_1_that_cannot_be_booked_are_left_to_the_next_plan() {
    let dir = closing_prison();
    let run = |command: &str, start: &str, inputs: &Path, extra: &[&str], out: &str| {
        resettle()
            .current_dir(dir.path())
            .args([command, "--data", ".", "--start", start])
            .arg("--population")
            .arg(inputs.join("population.csv"))
            .arg("--receptions")
            .arg(inputs.join("receptions.csv"))
            .arg("--booked")
            .arg(inputs.join("booked.csv"))
            .args(extra)
            .args(["--out", out])
            .output()
            .unwrap()
    };
    let here = dir.path().to_path_buf();
    assert!(run("plan", "2014-09-01", &here, &["--quiet"], "plan")
        .status
        .success());
    let closures = csv_records(&dir.path().join("plan/moves.csv"))
        .into_iter()
        .filter(|m| m["week"] == "1" && m["reason"] == "closure")
        .count();
    assert_eq!(closures, 3);
    let rolled = run("roll", "2014-09-01", &here, &["--plan", "plan"], "next");
    assert!(rolled.status.success(), "{rolled:?}");
    let stdout = String::from_utf8(rolled.stdout).unwrap();
    assert!(
        stdout.contains("not booked:            2 move(s)"),
        "{stdout}"
    );
    let next = dir.path().join("next");
    // P015 leaves the closed prison through a pool: Northtown and Centreham both have room
    // and neither earns more (Closeby has no coordinates), so either is an optimum.
    let booked = booked(&next);
    let who: Vec<(&str, &str)> = booked
        .iter()
        .map(|(id, _, week)| (id.as_str(), week.as_str()))
        .collect();
    assert_eq!(who, [("P015", "0"), ("P006", "1")]);
    assert!(["NLO", "CTR"].contains(&booked[0].1.as_str()), "{booked:?}");
    assert_eq!(booked[1].1, "NLO");
    // The next plan forces the two out again, a week later.
    assert!(run("plan", "2014-09-08", &next, &["--quiet"], "plan-next")
        .status
        .success());
    let forced: Vec<String> = csv_records(&dir.path().join("plan-next/moves.csv"))
        .into_iter()
        .filter(|m| m["reason"] == "closure")
        .map(|m| m["prisoner_id"].clone())
        .collect();
    assert_eq!(forced, ["P013", "P014"]);
}

#[test]
fn reception_ids_follow_the_pattern_and_skip_those_the_population_uses() {
    let week = Week::new();
    let mut inputs = week.inputs();
    assert_eq!(inputs.prisoners[1].id.as_str(), "A0001AA");
    inputs.prisoners[1].id = "R20140908-0000002".into();
    let moves = load_plan(&week.no_moves(), &inputs).unwrap();
    let rolled = roll(&inputs, calendar("2014-09-01"), &moves).unwrap();
    let first_new = rolled.prisoners.len() - rolled.counts.received as usize;
    let ids: Vec<&str> = rolled.prisoners[first_new..]
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let n = rolled.counts.received + 1;
    assert_eq!(
        ids[..3],
        [
            "R20140908-0000001",
            "R20140908-0000003",
            "R20140908-0000004"
        ]
    );
    assert_eq!(ids.last().unwrap(), &format!("R20140908-{n:07}"));
    let mut all: Vec<&str> = rolled.prisoners.iter().map(|p| p.id.as_str()).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), rolled.prisoners.len(), "ids are unique");
}
