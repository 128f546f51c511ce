//! The synthetic population of the national data set (`data/`), through the public API: sizes
//! per prison, national shares, and a round trip through the files with no diagnostic.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use resettle::calendar::Calendar;
use resettle::diagnostics::Diagnostics;
use resettle::generate::{generate, GenerateOptions, Synthetic};
use resettle::io::{
    load_dataset, load_population, load_receptions, population_csv, receptions_csv,
};
use resettle::model::{Dataset, Sentence};

fn calendar() -> Calendar {
    Calendar::new(NaiveDate::from_ymd_opt(2014, 9, 1).unwrap()).unwrap()
}

fn options() -> GenerateOptions {
    GenerateOptions {
        seed: 7,
        scale: 1.0,
        calendar: calendar(),
        weeks: 52,
    }
}

fn national() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let (data, diagnostics) = load_dataset(&dir);
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        data
    })
}

/// The national population, seed 7, scale 1.0, from 2014-09-01, 52 weeks (generated once).
fn synthetic() -> &'static Synthetic {
    static SYNTHETIC: OnceLock<Synthetic> = OnceLock::new();
    SYNTHETIC.get_or_init(|| generate(national(), &options()).unwrap())
}

fn share(synthetic: &Synthetic, test: impl Fn(&resettle::model::Prisoner) -> bool) -> f64 {
    let n = synthetic.prisoners.iter().filter(|p| test(p)).count();
    n as f64 / synthetic.prisoners.len() as f64
}

#[test]
fn the_national_population_matches_the_published_one_prison_by_prison() {
    let data = national();
    let synthetic = synthetic();
    let total = synthetic.prisoners.len();
    assert!((80_000..=90_000).contains(&total), "{total} prisoners");
    let mut held: BTreeMap<&str, u32> = BTreeMap::new();
    for p in &synthetic.prisoners {
        *held.entry(p.prison.as_str()).or_default() += 1;
    }
    for (code, &published) in &data.published_population {
        let generated = held.get(code.as_str()).copied().unwrap_or(0);
        let off = f64::from(generated.abs_diff(published));
        assert!(
            off <= 0.05 * f64::from(published),
            "{code}: {generated} generated, {published} published"
        );
    }
}

#[test]
fn national_shares_are_in_their_published_ranges() {
    let synthetic = synthetic();
    let remand = share(synthetic, |p| p.sentence == Sentence::Remand);
    let indeterminate = share(synthetic, |p| p.sentence == Sentence::Indeterminate);
    let removal = share(synthetic, |p| p.removal);
    let do_not_move = share(synthetic, |p| p.do_not_move);
    let unknown_home = share(synthetic, |p| p.home_cpa.is_none() && !p.removal);
    assert!((0.10..=0.14).contains(&remand), "remand {remand}");
    assert!(
        (0.08..=0.12).contains(&indeterminate),
        "indeterminate {indeterminate}"
    );
    assert!((0.04..=0.06).contains(&removal), "removal {removal}");
    assert!(
        (0.015..=0.025).contains(&do_not_move),
        "do not move {do_not_move}"
    );
    assert!(unknown_home < 0.02, "unknown home {unknown_home}");
}

#[test]
fn receptions_balance_the_releases_of_the_first_twelve_weeks() {
    let synthetic = synthetic();
    let calendar = calendar();
    let released = synthetic
        .prisoners
        .iter()
        .filter_map(|p| p.release_date)
        .filter(|&d| (0..12).contains(&calendar.week_of(d)))
        .count() as f64
        / 12.0;
    let mut per_week = [0u32; 52];
    for c in &synthetic.receptions {
        per_week[c.week as usize] += c.count;
    }
    for (week, &n) in per_week.iter().enumerate() {
        assert!(
            (f64::from(n) - released).abs() <= 1.0,
            "week {week}: {n} receptions, {released} releases a week"
        );
    }
}

#[test]
fn written_files_load_back_with_no_diagnostic() {
    let data = national();
    let synthetic = synthetic();
    let dir = tempfile::tempdir().unwrap();
    let population = dir.path().join("population.csv");
    let receptions = dir.path().join("receptions.csv");
    std::fs::write(&population, population_csv(&synthetic.prisoners)).unwrap();
    std::fs::write(&receptions, receptions_csv(&synthetic.receptions)).unwrap();
    let mut diagnostics = Diagnostics::default();
    let prisoners = load_population(&population, data, Some(&calendar()), &mut diagnostics);
    let cohorts = load_receptions(&receptions, data, &mut diagnostics);
    let shown: Vec<String> = diagnostics.iter().take(5).map(|d| d.to_string()).collect();
    assert!(
        diagnostics.iter().next().is_none(),
        "{} diagnostics, first: {shown:#?}",
        diagnostics.0.len()
    );
    assert_eq!(prisoners, synthetic.prisoners);
    assert_eq!(cohorts, synthetic.receptions);
}

#[test]
fn generating_twice_gives_byte_identical_files() {
    let again = generate(national(), &options()).unwrap();
    let first = synthetic();
    assert!(population_csv(&again.prisoners) == population_csv(&first.prisoners));
    assert!(receptions_csv(&again.receptions) == receptions_csv(&first.receptions));
}
