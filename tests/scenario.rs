//! Scenarios on the sample estate (`data/sample`), 52 weeks by default: each kind of edit
//! changes the instance as it says; closures and fewer places lower the optimal K1 or keep it,
//! added places leave the optimal plan no worse in overflow, then home releases plus on track;
//! bad scenarios fail with exit code 2, naming the file and the edit, and write nothing; the
//! number of jobs does not change a byte of the outputs.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use resettle::domain::Function;
use resettle::planners::optimal::{optimise, optimise_reporting, Optimised};
use resettle::problem::instance::{usable_capacity, Instance};
use resettle::problem::kpi::{evaluate, Kpis};
use resettle::scenario::{build, Built, Scenario};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scenarios");

/// Builds a scenario on the sample data with these `[[edit]]` tables.
fn built(edits: &str) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.toml");
    let text = format!(
        "[base]\ndata = \"{SAMPLE}\"\npopulation = \"{SAMPLE}/population.csv\"\n\
         receptions = \"{SAMPLE}/receptions.csv\"\nstart = 2014-09-01\n\n{edits}"
    );
    fs::write(&path, text).unwrap();
    match build(&Scenario::read(&path).unwrap()) {
        Ok(built) => built,
        Err(e) => panic!("the scenario does not build: {e:?}"),
    }
}

/// The KPIs of the optimal plan.
fn kpis(built: &Built) -> Kpis {
    let optimal = optimise(&built.instance, built.solver).expect("solves");
    evaluate(&built.instance, &optimal.plan)
}

/// Home releases of the optimal plan.
fn k1(built: &Built) -> u64 {
    kpis(built).k1.national.home
}

/// The optimal plan's objectives (a) and (b) in their order (docs/planning-rules.md §5):
/// overflow person-weeks, then home releases plus on track (more is better). With more
/// places the baseline's plan is still a plan, with the same (a) and (b), so the optimum's
/// are no worse; K1 alone may fall, where fewer home releases buy less overflow.
fn objective(kpis: &Kpis) -> (u64, Reverse<u64>) {
    (
        kpis.overflow_person_weeks,
        Reverse(kpis.k1.national.home + kpis.on_track),
    )
}

/// The baseline (no edits), built and solved once, and its K1.
fn base() -> &'static (Built, Kpis, u64) {
    static BASE: OnceLock<(Built, Kpis, u64)> = OnceLock::new();
    BASE.get_or_init(|| {
        let base = built("");
        let kpis = kpis(&base);
        let home = kpis.k1.national.home;
        (base, kpis, home)
    })
}

fn prison(instance: &Instance, code: &str) -> usize {
    instance.inputs.data.prison_position(&code.into()).unwrap()
}

fn cpa(instance: &Instance, id: &str) -> usize {
    instance.inputs.data.cpa_position(&id.into()).unwrap()
}

/// Forecast receptions per week.
fn received(instance: &Instance) -> BTreeMap<u32, u64> {
    let mut weeks = BTreeMap::new();
    for c in &instance.inputs.receptions {
        *weeks.entry(c.week).or_default() += u64::from(c.count);
    }
    weeks
}

/// An estate scenario looks a year ahead (docs/planning-rules.md §5): without `horizon` it
/// plans 52 weeks, and the sample's receptions (weeks 0–51) arrive in every one of them.
#[test]
fn a_scenario_without_a_horizon_plans_52_weeks() {
    let (base, kpis, _) = base();
    assert_eq!(base.instance.options.horizon, 52);
    assert!(base.instance.capacity.iter().all(|weeks| weeks.len() == 52));
    assert!(kpis.occupancy.iter().all(|weeks| weeks.len() == 52));
    let received = received(&base.instance);
    assert!((0..52).all(|week| received.contains_key(&week)));
}

#[test]
fn closing_a_prison_empties_it_from_its_date_and_lowers_or_keeps_k1() {
    let (base, _, base_k1) = base();
    let b = built("[[edit]]\nkind = \"close\"\nprison = \"SWI\"\nfrom = 2014-09-22\n");
    let swi = prison(&b.instance, "SWI");
    assert_eq!(
        b.instance.capacity[swi][..3],
        base.instance.capacity[swi][..3]
    );
    assert!(b.instance.capacity[swi][3..].iter().all(|&c| c == 0));
    // Its receptions from week 3 go elsewhere; none is lost.
    assert!(b
        .instance
        .inputs
        .receptions
        .iter()
        .all(|c| c.prison.as_str() != "SWI" || c.week < 3));
    assert_eq!(received(&b.instance), received(&base.instance));
    assert!(k1(&b) <= *base_k1);
}

#[test]
fn added_places_are_no_worse() {
    let (base, base_kpis, _) = base();
    let b = built("[[edit]]\nkind = \"capacity\"\nprison = \"CWI\"\nchange = 60\n");
    let cwi = prison(&b.instance, "CWI");
    for (&now, &before) in b.instance.capacity[cwi]
        .iter()
        .zip(&base.instance.capacity[cwi])
    {
        assert_eq!(now, before + 60);
    }
    assert!(objective(&kpis(&b)) <= objective(base_kpis));
}

#[test]
fn capacity_set_to_fewer_places_applies_from_its_date_and_lowers_or_keeps_k1() {
    let (base, _, base_k1) = base();
    let b =
        built("[[edit]]\nkind = \"capacity\"\nprison = \"CWI\"\nset = 100\nfrom = 2014-10-06\n");
    let cwi = prison(&b.instance, "CWI");
    assert_eq!(
        b.instance.capacity[cwi][..5],
        base.instance.capacity[cwi][..5]
    );
    assert!(b.instance.capacity[cwi][5..].iter().all(|&c| c == 100));
    assert!(k1(&b) <= *base_k1);
}

#[test]
fn a_new_prison_opens_from_its_date_serves_its_cpas_and_is_no_worse() {
    let (base, base_kpis, _) = base();
    let b = built(
        "[[edit]]\nkind = \"open\"\nfrom = 2014-09-15\nserves = [\"wales\"]\n\n\
         [edit.prison]\ncode = \"NWI\"\nname = \"New Wales\"\ncpa = \"wales\"\n\
         function = \"cat_c_trainer\"\nestates = [\"adult_male\"]\ncategories = [\"C\"]\n\
         operational_capacity = 120\n",
    );
    let nwi = prison(&b.instance, "NWI");
    assert_eq!(
        b.instance.prisons().len(),
        base.instance.prisons().len() + 1
    );
    assert_eq!(b.instance.capacity[nwi][..2], [0, 0]);
    assert!(b.instance.capacity[nwi][2..].iter().all(|&c| c == 120));
    assert!(b.instance.serves[nwi][cpa(&b.instance, "wales")]);
    // Over 52 weeks the optimum trades a few home releases for much less overflow.
    assert!(objective(&kpis(&b)) <= objective(base_kpis));
}

#[test]
fn redesignation_adds_a_cpa_served() {
    let (base, _, _) = base();
    let b = built(
        "[[edit]]\nkind = \"redesignate\"\nprison = \"UPI\"\nadd = [\"dorset_devon_cornwall\"]\n",
    );
    let (upi, ddc) = (
        prison(&b.instance, "UPI"),
        cpa(&b.instance, "dorset_devon_cornwall"),
    );
    assert!(!base.instance.serves[upi][ddc]);
    assert!(b.instance.serves[upi][ddc]);
}

#[test]
fn redesignation_removes_a_cpa_served() {
    let (base, _, _) = base();
    let b =
        built("[[edit]]\nkind = \"redesignate\"\nprison = \"GMI\"\nremove = [\"hampshire_iow\"]\n");
    let (gmi, hampshire) = (
        prison(&b.instance, "GMI"),
        cpa(&b.instance, "hampshire_iow"),
    );
    assert!(base.instance.serves[gmi][hampshire]);
    assert!(!b.instance.serves[gmi][hampshire]);
    let bristol = cpa(&b.instance, "bristol_glos_somerset_wilts");
    assert!(
        b.instance.serves[gmi][bristol],
        "the other CPA is still served"
    );
}

#[test]
fn redesignation_changes_a_function() {
    let b = built("[[edit]]\nkind = \"redesignate\"\nprison = \"UKI\"\nfunction = \"open\"\n");
    let uki = prison(&b.instance, "UKI");
    assert_eq!(b.instance.prisons()[uki].function, Function::Open);
}

#[test]
fn redesignation_changes_the_categories_held() {
    let b =
        built("[[edit]]\nkind = \"redesignate\"\nprison = \"UKI\"\ncategories = [\"C\", \"D\"]\n");
    let uki = &b.instance.prisons()[prison(&b.instance, "UKI")];
    let words: Vec<&str> = uki.categories.iter().map(|c| c.as_str()).collect();
    assert_eq!(words, ["C", "D"]);
}

#[test]
fn a_surge_factor_scales_the_receptions_from_its_date() {
    let (base, _, _) = base();
    let b = built("[[edit]]\nkind = \"surge\"\nfrom = 2014-09-15\nreceptions_factor = 1.2\n");
    let (before, after) = (received(&base.instance), received(&b.instance));
    assert_eq!(before[&0], after[&0]);
    assert_eq!(before[&1], after[&1]);
    let sum = |weeks: &BTreeMap<u32, u64>| weeks.range(2..).map(|(_, n)| n).sum::<u64>();
    assert_eq!(sum(&after), (sum(&before) as f64 * 1.2).round() as u64);
}

#[test]
fn a_surge_adds_prisoners_in_the_week_of_its_date() {
    let (base, _, _) = base();
    let b = built("[[edit]]\nkind = \"surge\"\nfrom = 2014-09-29\nadd_prisoners = 30\n");
    let (mut before, after) = (received(&base.instance), received(&b.instance));
    *before.get_mut(&4).unwrap() += 30;
    assert_eq!(after, before);
}

#[test]
fn a_policy_sets_the_window() {
    let b = built("[[edit]]\nkind = \"policy\"\nwindow = 16\n");
    assert_eq!(b.instance.options.window, 16);
}

#[test]
fn a_policy_headroom_keeps_places_free_in_every_prison() {
    let b = built("[[edit]]\nkind = \"policy\"\nheadroom = 5\n");
    for (p, capacity) in b.instance.prisons().iter().zip(&b.instance.capacity) {
        let usable = usable_capacity(p.operational_capacity, 0.05);
        assert!(capacity.iter().all(|&c| c == usable), "{}", p.code);
    }
}

#[test]
fn a_policy_escort_limit_bounds_the_moves_of_every_week() {
    let b = built(
        "[[edit]]\nkind = \"policy\"\nmax_moves_per_week = 40\nmax_moves_per_prison_week = 10\n",
    );
    assert_eq!(b.instance.options.max_moves_per_week, Some(40));
    assert_eq!(b.instance.options.max_moves_per_prison_week, Some(10));
    let (_, unlimited, _) = base();
    assert!(unlimited.moves_by_week.iter().any(|&n| n > 40));
    let limited = kpis(&b);
    assert!(limited.moves > 0);
    assert!(limited.moves_by_week.iter().all(|&n| n <= 40));
}

/// The optimal plan of `built` from `start` (a basis of another plan), with whether its
/// blended start began there and how many reserve columns it priced in.
fn optimised_from(built: &Built, start: Option<&Optimised>) -> (Optimised, bool, u64) {
    let mut blend = String::new();
    let start = start.map(|s| s.basis.as_ref().expect("an LP basis"));
    let optimised = optimise_reporting(&built.instance, built.solver, start, &mut |line| {
        if line.starts_with("blended start") {
            blend = line.to_string();
        }
    })
    .expect("solves");
    let priced_in = blend
        .split(", ")
        .last()
        .and_then(|tail| tail.split(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("no count of columns priced in: {blend}"));
    (
        optimised,
        blend.contains("from a similar plan's basis"),
        priced_in,
    )
}

/// Every stage's value.
fn stage_values(optimised: &Optimised) -> Vec<(&'static str, f64)> {
    let stages = &optimised.report.stages;
    stages.iter().map(|s| (s.name, s.value)).collect()
}

/// A scenario's plan starts from its base's basis (as `scenarios run` starts it) and reaches
/// the same value in every stage as from nothing: only the optimum among ties may differ. A plan started from its own basis
/// starts at its optimum: nothing is priced in (the keys name the same rows and columns).
#[test]
fn a_plan_started_from_a_similar_plans_basis_reaches_the_same_values() {
    let (base, _, _) = base();
    let (base_plan, from_basis, _) = optimised_from(base, None);
    assert!(!from_basis);
    let (again, from_basis, priced_in) = optimised_from(base, Some(&base_plan));
    assert!(from_basis);
    assert_eq!(priced_in, 0);
    assert_eq!(stage_values(&again), stage_values(&base_plan));
    for edits in [
        "[[edit]]\nkind = \"close\"\nprison = \"SWI\"\nfrom = 2014-09-22\n",
        "[[edit]]\nkind = \"capacity\"\nprison = \"CWI\"\nchange = -60\n",
        "[[edit]]\nkind = \"surge\"\nfrom = 2014-09-15\nreceptions_factor = 1.2\n",
        "[[edit]]\nkind = \"redesignate\"\nprison = \"UPI\"\nadd = [\"dorset_devon_cornwall\"]\n",
    ] {
        let edited = built(edits);
        let (cold, _, _) = optimised_from(&edited, None);
        let (warm, from_basis, _) = optimised_from(&edited, Some(&base_plan));
        // Closing Swansea leaves more than 5% of the sample model's rows new (its closure
        // cohorts and pools): that one starts from nothing; the values are the same either way.
        assert_eq!(from_basis, !edits.contains("close"), "{edits}");
        for ((name, cold), (_, warm)) in stage_values(&cold).into_iter().zip(stage_values(&warm)) {
            assert!(
                (cold - warm).abs() <= 1e-6 * cold.abs().max(1.0),
                "{edits}: {name} {cold} from nothing, {warm} from the base's basis"
            );
        }
        assert_eq!(cold.report.home, warm.report.home, "{edits}");
    }
}

/// Runs `resettle scenarios run` on these files into a fresh folder; returns the folder and
/// the result.
fn run(files: &[PathBuf], jobs: u32) -> (tempfile::TempDir, PathBuf, assert_cmd::assert::Assert) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let assert = Command::cargo_bin("resettle")
        .unwrap()
        .args([
            "scenarios",
            "run",
            "--quiet",
            "--jobs",
            &jobs.to_string(),
            "--out",
        ])
        .arg(&out)
        .args(files)
        .assert();
    (dir, out, assert)
}

/// A bad fixture run beside the good baseline: exit code 2, nothing written, and `expected`
/// on stderr after the bad file's path.
fn fails(fixture: &str, expected: &str) {
    let bad = Path::new(FIXTURES).join("bad").join(fixture);
    let good = Path::new(FIXTURES).join("baseline.toml");
    let (_dir, out, assert) = run(&[good, bad.clone()], 1);
    let output = assert.code(2).get_output().clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let line = format!("{}: {expected}", bad.display());
    assert!(stderr.contains(&line), "expected `{line}` in:\n{stderr}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn an_unknown_prison_is_an_error_naming_the_file_and_the_edit() {
    fails(
        "unknown_prison.toml",
        "edit #1 (close): unknown prison 'ZZI'",
    );
}

#[test]
fn an_unknown_cpa_is_an_error_naming_the_file_and_the_edit() {
    fails(
        "unknown_cpa.toml",
        "edit #1 (redesignate): add: unknown CPA 'atlantis'",
    );
}

#[test]
fn closing_a_prison_twice_is_an_error_naming_both_edits() {
    fails(
        "closed_twice.toml",
        "edit #2 (close): prison 'UKI' is closed twice: edit #1 already closes it",
    );
}

#[test]
fn a_capacity_below_zero_is_an_error() {
    fails(
        "negative_capacity.toml",
        "edit #1 (capacity): change = -100: the capacity of 'UKI' would be -46",
    );
}

#[test]
fn bad_toml_is_an_error_naming_the_edit_and_its_line() {
    fails(
        "bad_toml.toml",
        "edit #2: line 14: invalid type: integer `42`, expected a string",
    );
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                found.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    found
}

#[test]
fn one_job_and_two_jobs_write_byte_identical_folders() {
    let mut fixtures: Vec<PathBuf> = fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    fixtures.sort();
    let (_one, one_out, one) = run(&fixtures, 1);
    let (_two, two_out, two) = run(&fixtures, 2);
    let table = one.success().get_output().stdout.clone();
    assert_eq!(table, two.success().get_output().stdout);
    let (one, two) = (files(&one_out), files(&two_out));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(&two[path] == bytes, "{} differs", path.display());
    }
    for fixture in &fixtures {
        let name = fixture.file_stem().unwrap();
        for file in [
            "scenario.json",
            "marginal_value.csv",
            "bottlenecks.csv",
            "moves.csv",
            "requests.csv",
        ] {
            assert!(
                one.contains_key(&Path::new(name).join(file)),
                "{name:?}/{file}"
            );
        }
    }
    assert!(one.contains_key(Path::new("comparison.csv")));
    // No fixture gives a horizon: each plans the 52 weeks of an estate scenario.
    for fixture in &fixtures {
        let name = fixture.file_stem().unwrap();
        let kpis: serde_json::Value =
            serde_json::from_slice(&one[&Path::new(name).join("kpis.json")]).unwrap();
        assert_eq!(kpis["parameters"]["horizon"], 52, "{name:?}");
    }
    let table = String::from_utf8(table).unwrap();
    assert!(
        table.contains("where would more places help most?"),
        "{table}"
    );
    assert!(
        table.contains("CPAs below 80% whatever the moves"),
        "{table}"
    );
}
