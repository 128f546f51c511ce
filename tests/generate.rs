//! The synthetic population of the national data set (`data/`), through the public API: sizes
//! per prison, national shares, a population that stays level over a year, and a round trip
//! through the files with no diagnostic.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use resettle::domain::calendar::Calendar;
use resettle::domain::{Dataset, Estate, Sentence};
use resettle::generate::{generate, GenerateOptions, Synthetic};
use resettle::input::diagnostics::Diagnostics;
use resettle::input::{load_dataset, load_population, load_receptions};
use resettle::output::{population_csv, receptions_csv};

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

fn share(synthetic: &Synthetic, test: impl Fn(&resettle::domain::Prisoner) -> bool) -> f64 {
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

/// Weeks counted by the headcount tests: the generated receptions' 52.
const WEEKS: usize = 52;

/// The headcount of each week, nationally (`None`) and per estate, counted as occupancy counts
/// (docs/planning-rules.md §4): present from the arrival week up to and including the week of release or of
/// expected departure, gone after; without either, present throughout.
fn headcount_by_week(synthetic: &Synthetic) -> BTreeMap<Option<Estate>, [u64; WEEKS]> {
    let calendar = calendar();
    let mut headcount: BTreeMap<Option<Estate>, [u64; WEEKS]> = BTreeMap::new();
    let mut add = |estate, arrival: usize, last: Option<i64>, n: u64| {
        for key in [None, Some(estate)] {
            let weeks = headcount.entry(key).or_insert([0; WEEKS]);
            for (t, count) in weeks.iter_mut().enumerate().skip(arrival) {
                if last.is_none_or(|last| t as i64 <= last) {
                    *count += n;
                }
            }
        }
    };
    for p in &synthetic.prisoners {
        let leaves = p.release_date.or(p.expected_release);
        add(p.estate, 0, leaves.map(|d| calendar.week_of(d)), 1);
    }
    for c in &synthetic.receptions {
        let leaves = c.release_week.or(c.expected_release_week);
        add(
            c.estate,
            c.week as usize,
            leaves.map(i64::from),
            u64::from(c.count),
        );
    }
    headcount
}

/// The largest deviation from week 0 over the weeks, as a share of week 0, printed with the
/// figures (`cargo test --release --test generate -- --nocapture` shows them).
fn largest_deviation(name: &str, weeks: &[u64; WEEKS]) -> f64 {
    let start = weeks[0] as f64;
    let (min, max) = (weeks.iter().min().unwrap(), weeks.iter().max().unwrap());
    println!(
        "{name}: week 0 {}, min {min}, max {max}, week 51 {}",
        weeks[0], weeks[51]
    );
    weeks
        .iter()
        .map(|&n| (n as f64 - start).abs() / start)
        .fold(0.0, f64::max)
}

#[test]
fn the_national_population_stays_within_three_percent_of_its_start_over_a_year() {
    let headcount = headcount_by_week(synthetic());
    let off = largest_deviation("national", &headcount[&None]);
    assert!(
        off <= 0.03,
        "the national population moves {:.1}%",
        100.0 * off
    );
}

#[test]
fn each_estate_receives_as_many_as_it_loses() {
    // Estates of thousands stay within 5% every week; the juvenile estate, a few hundred,
    // within 15% (random sentence lengths move a small estate by several per cent).
    for (estate, weeks) in headcount_by_week(synthetic()) {
        let Some(estate) = estate else { continue };
        let off = largest_deviation(estate.as_str(), &weeks);
        let bound = if weeks[0] >= 3_000 { 0.05 } else { 0.15 };
        assert!(off <= bound, "{estate} moves {:.1}%", 100.0 * off);
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
