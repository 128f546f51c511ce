//! The optional expected-departure columns (docs/planning-rules.md §4): `expected_release` in the population
//! file and `expected_release_week` in the receptions file are read when present, may be left
//! out, and a value that breaks a rule is reported at its file, line and column.
//!
//! Each test writes a small file against the reference data of `tests/fixtures/tiny/` (prisons
//! NLO, a local, and WLO, a women's local). Line 1 is the header, so the first row is line 2.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use resettle::domain::calendar::Calendar;
use resettle::domain::{Dataset, Prisoner, ReceptionCohort};
use resettle::input::diagnostics::Diagnostics;
use resettle::input::{load_dataset, load_population, load_receptions};
use tempfile::TempDir;

fn data() -> Dataset {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    let (data, diagnostics) = load_dataset(&dir);
    assert!(!diagnostics.has_errors(), "{diagnostics:?}");
    data
}

fn calendar() -> Calendar {
    Calendar::new(NaiveDate::from_ymd_opt(2014, 9, 1).unwrap()).unwrap()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

const POPULATION_HEADER: &str = "prisoner_id,prison,home_cpa,estate,category,sentence,\
                                 custody_start,arrived,release_date,expected_release,\
                                 do_not_move,removal";

/// A population row: `sentence`, custody from 2014-08-04, release date and expected departure.
fn prisoner_row(id: &str, sentence: &str, release: &str, expected: &str) -> String {
    format!("{id},NLO,north,adult_male,C,{sentence},2014-08-04,2014-08-04,{release},{expected},false,false")
}

/// Writes `text` as `name` in a new temporary folder.
fn file(name: &str, text: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn population(rows: &[String]) -> (Vec<Prisoner>, Vec<String>) {
    let text = format!("{POPULATION_HEADER}\n{}\n", rows.join("\n"));
    let (_dir, path) = file("population.csv", &text);
    let mut diagnostics = Diagnostics::default();
    let prisoners = load_population(&path, &data(), Some(&calendar()), &mut diagnostics);
    (prisoners, shown(&diagnostics))
}

const RECEPTION_HEADER: &str =
    "week,prison,home_cpa,estate,category,release_week,expected_release_week,count";

fn receptions(rows: &[&str]) -> (Vec<ReceptionCohort>, Vec<String>) {
    let text = format!("{RECEPTION_HEADER}\n{}\n", rows.join("\n"));
    let (_dir, path) = file("receptions.csv", &text);
    let mut diagnostics = Diagnostics::default();
    let cohorts = load_receptions(&path, &data(), &mut diagnostics);
    (cohorts, shown(&diagnostics))
}

/// Each diagnostic as printed, without the temporary folder's path.
fn shown(diagnostics: &Diagnostics) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let text = d.to_string();
            text[text.rfind('/').map_or(0, |i| i + 1)..].to_string()
        })
        .collect()
}

/// Asserts exactly one diagnostic, an error at `file:line:column` about `column`, quoting
/// `value` and saying `rule`.
fn refused(diagnostics: &[String], at: &str, column: &str, value: &str, rule: &str) {
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let prefix = format!("{at}: error: column '{column}', value \"{value}\": ");
    assert!(
        diagnostics[0].starts_with(&prefix) && diagnostics[0].contains(rule),
        "expected {prefix}… {rule}, got {}",
        diagnostics[0]
    );
}

#[test]
fn expected_departures_are_read_for_remand_and_indeterminate_prisoners() {
    let (prisoners, diagnostics) = population(&[
        prisoner_row("P1", "remand", "", "2014-10-15"),
        prisoner_row("P2", "indeterminate", "", "2016-03-01"),
        prisoner_row("P3", "remand", "", ""),
        prisoner_row("P4", "determinate", "2014-12-01", ""),
    ]);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let expected: Vec<Option<NaiveDate>> = prisoners.iter().map(|p| p.expected_release).collect();
    assert_eq!(
        expected,
        [
            Some(date("2014-10-15")),
            Some(date("2016-03-01")),
            None,
            None
        ]
    );
}

#[test]
fn files_without_the_columns_still_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    let mut diagnostics = Diagnostics::default();
    let prisoners = load_population(
        &dir.join("population.csv"),
        &data(),
        Some(&calendar()),
        &mut diagnostics,
    );
    let cohorts = load_receptions(&dir.join("receptions.csv"), &data(), &mut diagnostics);
    assert!(diagnostics.iter().next().is_none(), "{diagnostics:?}");
    assert!(!prisoners.is_empty() && !cohorts.is_empty());
    assert!(prisoners.iter().all(|p| p.expected_release.is_none()));
    assert!(cohorts.iter().all(|c| c.expected_release_week.is_none()));
}

#[test]
fn a_determinate_prisoner_has_no_expected_departure() {
    let (prisoners, diagnostics) = population(&[prisoner_row(
        "P1",
        "determinate",
        "2014-12-01",
        "2014-11-03",
    )]);
    refused(
        &diagnostics,
        "population.csv:2:10",
        "expected_release",
        "2014-11-03",
        "must be empty for a determinate prisoner: he leaves on his release date",
    );
    assert!(prisoners.is_empty());
}

#[test]
fn an_expected_departure_is_a_date_between_custody_start_and_a_century_later() {
    for (value, rule) in [
        ("2014-8-20", "a date is written YYYY-MM-DD and must exist"),
        (
            "2014-07-28",
            "expected departure before custody start (2014-08-04)",
        ),
        (
            "2114-08-05",
            "expected departure more than 100 years after custody start (2014-08-04)",
        ),
        (
            "2014-08-25",
            "expected departure before the start date 2014-09-01: he is no longer held",
        ),
    ] {
        let (prisoners, diagnostics) = population(&[prisoner_row("P1", "remand", "", value)]);
        refused(
            &diagnostics,
            "population.csv:2:10",
            "expected_release",
            value,
            rule,
        );
        assert!(prisoners.is_empty(), "{value}");
    }
    let (_, diagnostics) = population(&[prisoner_row("P1", "remand", "", "2114-08-04")]);
    assert!(
        diagnostics.is_empty(),
        "a century is allowed: {diagnostics:#?}"
    );
}

#[test]
fn expected_departure_weeks_are_read_for_cohorts_with_no_release_week() {
    let (cohorts, diagnostics) = receptions(&[
        "0,NLO,north,adult_male,C,,9,4",
        "3,WLO,,adult_female,C,,3,1",
        "2,NLO,north,adult_male,C,,,2",
        "1,NLO,north,adult_male,C,20,,1",
        "5,NLO,north,adult_male,C,,520,1",
    ]);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let expected: Vec<Option<u32>> = cohorts.iter().map(|c| c.expected_release_week).collect();
    assert_eq!(expected, [Some(9), Some(3), None, None, Some(520)]);
}

#[test]
fn an_expected_departure_week_is_refused_where_it_breaks_a_rule() {
    for (row, value, rule) in [
        (
            "1,NLO,north,adult_male,C,20,12,1",
            "12",
            "must be empty when there is a release week: the cohort leaves then",
        ),
        (
            "4,NLO,north,adult_male,C,,3,1",
            "3",
            "expected departure before arrival (week 4)",
        ),
        (
            "4,NLO,north,adult_male,C,,521,1",
            "521",
            "from the arrival week up to 520",
        ),
        (
            "4,NLO,north,adult_male,C,,-1,1",
            "-1",
            "an expected departure week is a whole number",
        ),
        (
            "4,NLO,north,adult_male,C,,4294967296,1",
            "4294967296",
            "an expected departure week is a whole number",
        ),
    ] {
        let (cohorts, diagnostics) = receptions(&[row]);
        refused(
            &diagnostics,
            "receptions.csv:2:7",
            "expected_release_week",
            value,
            rule,
        );
        assert!(cohorts.is_empty(), "{row}");
    }
}
