//! The figures compared across scenarios: a row per scenario with the national and per-CPA
//! K1 within reach (the headline: adult male, read against 80%) beside K1 over the horizon
//! (optimal, greedy and status quo plans), K2, the on-track count, moves, overflow, *places
//! short*, the bound on (b) and the gap, the prisons where a place is worth most and the CPAs
//! below 80% whatever the moves; written as `comparison.csv` (one row per scenario, wide) and
//! `comparison.json`, and printed as a short table.
//!
//! **Places short** (per home CPA and security category, in the optimal plan): the eligible
//! prisoners released in the horizon who are not released home although a resettlement
//! prison of their home CPA holds their estate and category and they could have been moved
//! there in time — the reason `prisons_full` of `unplaced.csv` (`explain::UnplacedReason`),
//! counted in people (every member of a reception cohort not released home). It is the
//! shortfall of designated places where they were needed: at least that many more places in
//! the CPA's resettlement prisons for that category, at the right weeks, would have been
//! needed to release them home. Those who could not be placed for other reasons (no
//! designated prison for the category, do-not-move, released too soon, escort limit) are not
//! counted.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::bottleneck::{describe as describe_short, short_cpas, ShortCpa};
use crate::analysis::explain::{unplaced, UnplacedReason};
use crate::analysis::marginal::{describe as describe_top, top, TopPlace, PLACES};
use crate::domain::{Category, Estate};
use crate::output::{json_bytes, CsvOutput};
use crate::pipeline::Planned;
use crate::problem::instance::Instance;
use crate::problem::kpi::{Breakdown, Tally};
use crate::problem::plan::{MoveReason, Plan};

/// The category columns of places short: A to D, then `none` for the uncategorised.
pub const CATEGORY_SLOTS: [&str; 5] = ["A", "B", "C", "D", "none"];

fn slot(category: Option<Category>) -> usize {
    match category {
        Some(Category::A) => 0,
        Some(Category::B) => 1,
        Some(Category::C) => 2,
        Some(Category::D) => 3,
        None => 4,
    }
}

/// One scenario's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub scenario: String,
    pub description: String,
    pub national: National,
    /// In the order of the data set's CPAs.
    pub by_cpa: Vec<CpaFigures>,
    /// Where an extra place changes (b) or overflow most, the first re-solved
    /// (`marginal_value.csv`).
    pub top_places: Vec<TopPlace>,
    /// The home CPAs that cannot reach 80% in some week whatever the moves
    /// (`bottlenecks.csv`).
    pub short_cpas: Vec<ShortCpa>,
}

/// The national figures of one scenario. Shares are home / eligible (`null` when nobody is
/// counted). *Within reach*: released in week m + W or later (m the first movable week, W the
/// window), the releases a plan made today can still place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct National {
    /// Adult male K1 within reach, the headline read against the 80% target.
    pub k1_within_reach_adult_male_optimal: Option<f64>,
    pub k1_within_reach_adult_male_greedy: Option<f64>,
    pub k1_within_reach_adult_male_status_quo: Option<f64>,
    /// Eligible releases within reach (K1 within reach's denominator, every estate).
    pub within_reach_releases: u64,
    pub k1_within_reach_home_optimal: u64,
    pub k1_within_reach_optimal: Option<f64>,
    pub k1_within_reach_greedy: Option<f64>,
    pub k1_within_reach_status_quo: Option<f64>,
    /// Eligible releases in the horizon (K1's denominator).
    pub eligible_releases: u64,
    pub k1_home_optimal: u64,
    pub k1_optimal: Option<f64>,
    /// The adult male K1 over the horizon.
    pub k1_adult_male_optimal: Option<f64>,
    pub k1_home_greedy: u64,
    pub k1_greedy: Option<f64>,
    pub k1_status_quo: Option<f64>,
    pub k2_optimal: Option<f64>,
    pub k2_greedy: Option<f64>,
    pub k2_status_quo: Option<f64>,
    /// Eligible prisoners released after the horizon and on track at its end.
    pub on_track_optimal: u64,
    pub on_track_greedy: u64,
    /// People moved in the optimal plan, and among them decants.
    pub moves_optimal: u64,
    pub decants_optimal: u64,
    pub moves_greedy: u64,
    /// Person-weeks above usable capacity.
    pub overflow_optimal: u64,
    pub overflow_greedy: u64,
    pub places_short: u64,
    /// Objective (b), home releases plus on track, in the optimal plan; its proven bound and
    /// the gap.
    pub home_plus_on_track_optimal: u64,
    pub bound_home_plus_on_track: u64,
    pub gap: f64,
}

/// One home CPA's figures in one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CpaFigures {
    pub cpa: String,
    pub number: u32,
    pub within_reach_releases: u64,
    pub k1_within_reach_optimal: Option<f64>,
    pub k1_within_reach_greedy: Option<f64>,
    pub eligible_releases: u64,
    pub k1_home_optimal: u64,
    pub k1_optimal: Option<f64>,
    pub k1_greedy: Option<f64>,
    pub k2_optimal: Option<f64>,
    pub k2_greedy: Option<f64>,
    pub places_short: u64,
    /// Places short by category (the keys of [`CATEGORY_SLOTS`]).
    pub places_short_by_category: BTreeMap<&'static str, u64>,
}

/// Per home CPA, category slot and reason: the eligible people released in the horizon and
/// not released home in `plan` (the rule of `kpi::released_home`, path by path).
pub fn not_home(instance: &Instance, plan: &Plan) -> BTreeMap<(usize, usize, UnplacedReason), u64> {
    let mut counts = BTreeMap::new();
    for u in unplaced(instance, plan) {
        let mover = &instance.movers[u.mover];
        let Some(home) = mover.home else {
            continue;
        };
        *counts
            .entry((home, slot(mover.category), u.reason))
            .or_default() += u.people;
    }
    counts
}

fn adult_male(breakdown: &Breakdown) -> Tally {
    breakdown
        .by_estate
        .get(&Estate::AdultMale)
        .copied()
        .unwrap_or_default()
}

/// The figures of one solved scenario.
pub fn compare(
    name: &str,
    description: &str,
    instance: &Instance,
    planned: &Planned,
) -> Comparison {
    let [status_quo, greedy, optimal] = planned.kpis();
    let mut short = vec![[0u64; 5]; instance.inputs.data.cpas.len()];
    for ((cpa, slot, reason), people) in not_home(instance, &planned.optimal.plan) {
        if reason == UnplacedReason::PrisonsFull {
            short[cpa][slot] += people;
        }
    }
    let decants = planned
        .optimal
        .plan
        .moves
        .iter()
        .filter(|m| m.reason == MoveReason::Decant)
        .map(|m| u64::from(m.count))
        .sum();
    let report = &planned.optimal.report;
    let national = National {
        k1_within_reach_adult_male_optimal: adult_male(&optimal.k1_reach).share(),
        k1_within_reach_adult_male_greedy: adult_male(&greedy.k1_reach).share(),
        k1_within_reach_adult_male_status_quo: adult_male(&status_quo.k1_reach).share(),
        within_reach_releases: optimal.k1_reach.national.eligible,
        k1_within_reach_home_optimal: optimal.k1_reach.national.home,
        k1_within_reach_optimal: optimal.k1_reach.national.share(),
        k1_within_reach_greedy: greedy.k1_reach.national.share(),
        k1_within_reach_status_quo: status_quo.k1_reach.national.share(),
        eligible_releases: optimal.k1.national.eligible,
        k1_home_optimal: optimal.k1.national.home,
        k1_optimal: optimal.k1.national.share(),
        k1_adult_male_optimal: adult_male(&optimal.k1).share(),
        k1_home_greedy: greedy.k1.national.home,
        k1_greedy: greedy.k1.national.share(),
        k1_status_quo: status_quo.k1.national.share(),
        k2_optimal: optimal.k2.national.share(),
        k2_greedy: greedy.k2.national.share(),
        k2_status_quo: status_quo.k2.national.share(),
        on_track_optimal: optimal.on_track,
        on_track_greedy: greedy.on_track,
        moves_optimal: optimal.moves,
        decants_optimal: decants,
        moves_greedy: greedy.moves,
        overflow_optimal: optimal.overflow_person_weeks,
        overflow_greedy: greedy.overflow_person_weeks,
        places_short: short.iter().flatten().sum(),
        home_plus_on_track_optimal: optimal.k1.national.home + optimal.on_track,
        bound_home_plus_on_track: report.home_bound.max(0.0).round() as u64,
        gap: report.gap,
    };
    let by_cpa = instance
        .inputs
        .data
        .cpas
        .iter()
        .enumerate()
        .map(|(i, cpa)| CpaFigures {
            cpa: cpa.id.to_string(),
            number: cpa.number,
            within_reach_releases: optimal.k1_reach.by_cpa[i].eligible,
            k1_within_reach_optimal: optimal.k1_reach.by_cpa[i].share(),
            k1_within_reach_greedy: greedy.k1_reach.by_cpa[i].share(),
            eligible_releases: optimal.k1.by_cpa[i].eligible,
            k1_home_optimal: optimal.k1.by_cpa[i].home,
            k1_optimal: optimal.k1.by_cpa[i].share(),
            k1_greedy: greedy.k1.by_cpa[i].share(),
            k2_optimal: optimal.k2.by_cpa[i].share(),
            k2_greedy: greedy.k2.by_cpa[i].share(),
            places_short: short[i].iter().sum(),
            places_short_by_category: CATEGORY_SLOTS
                .iter()
                .zip(short[i])
                .map(|(&name, n)| (name, n))
                .collect(),
        })
        .collect();
    Comparison {
        scenario: name.to_string(),
        description: description.to_string(),
        national,
        by_cpa,
        top_places: top(instance, &planned.marginal),
        short_cpas: short_cpas(instance, &planned.bottlenecks),
    }
}

/// One prison of `top_places`: `CODE:value:relief` (the predicted change in (b) and the
/// overflow avoided per place), and for a prison re-solved `:places:home:relief` (the LP's
/// changes) or `:places:time_limit` / `:places:failed`.
fn top_place_cell(t: &TopPlace) -> String {
    let mut cell = format!("{}:{:.4}:{:.4}", t.prison, t.value, t.overflow_relief);
    if let Some(r) = &t.resolved {
        match (r.home, r.overflow_relief) {
            (Some(home), Some(relief)) => {
                write!(cell, ":{}:{home:.4}:{relief:.4}", r.places)
            }
            _ => write!(cell, ":{}:{}", r.places, r.status),
        }
        .expect("writing to a string");
    }
    cell
}

/// A share with 4 decimals, or empty when nobody is counted.
fn share(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// The CPAs of all the scenarios, by number then slug (scenarios on different data sets get
/// the union; a CPA a scenario lacks has empty cells).
fn cpa_columns(rows: &[Comparison]) -> Vec<(u32, String)> {
    let mut cpas: Vec<(u32, String)> = rows
        .iter()
        .flat_map(|r| r.by_cpa.iter().map(|c| (c.number, c.cpa.clone())))
        .collect();
    cpas.sort();
    cpas.dedup();
    cpas
}

/// The per-CPA columns of `comparison.csv`, each followed by `_<cpa>`.
const CPA_FIELDS: [&str; 5] = [
    "k1_within_reach_optimal",
    "k1_optimal",
    "k1_greedy",
    "k2_optimal",
    "places_short",
];

/// `comparison.csv`: one row per scenario (in the order given): the national figures (the
/// headline K1 within reach for adult males first), the top prisons by marginal value
/// (`CODE:home:overflow;...`) and the CPAs below 80% whatever the moves (`;`-separated), then
/// per CPA its K1 within reach (optimal), K1 (optimal, greedy), K2 (optimal), places short and
/// places short by category.
pub fn comparison_csv(rows: &[Comparison]) -> Vec<u8> {
    let cpas = cpa_columns(rows);
    let mut header: Vec<String> = [
        "scenario",
        "k1_within_reach_adult_male_optimal",
        "k1_within_reach_adult_male_greedy",
        "k1_within_reach_adult_male_status_quo",
        "within_reach_releases",
        "k1_within_reach_home_optimal",
        "k1_within_reach_optimal",
        "k1_within_reach_greedy",
        "k1_within_reach_status_quo",
        "eligible_releases",
        "k1_home_optimal",
        "k1_optimal",
        "k1_adult_male_optimal",
        "k1_home_greedy",
        "k1_greedy",
        "k1_status_quo",
        "k2_optimal",
        "k2_greedy",
        "k2_status_quo",
        "on_track_optimal",
        "on_track_greedy",
        "moves_optimal",
        "decants_optimal",
        "moves_greedy",
        "overflow_optimal",
        "overflow_greedy",
        "places_short",
        "home_plus_on_track_optimal",
        "bound_home_plus_on_track",
        "gap",
        "top_places",
        "below_80_cpas",
    ]
    .map(String::from)
    .to_vec();
    for (_, cpa) in &cpas {
        for field in CPA_FIELDS {
            header.push(format!("{field}_{cpa}"));
        }
        for category in CATEGORY_SLOTS {
            header.push(format!("places_short_{cpa}_{category}"));
        }
    }
    let mut writer = CsvOutput::new(&header);
    for row in rows {
        let n = &row.national;
        let mut record = vec![
            row.scenario.clone(),
            share(n.k1_within_reach_adult_male_optimal),
            share(n.k1_within_reach_adult_male_greedy),
            share(n.k1_within_reach_adult_male_status_quo),
            n.within_reach_releases.to_string(),
            n.k1_within_reach_home_optimal.to_string(),
            share(n.k1_within_reach_optimal),
            share(n.k1_within_reach_greedy),
            share(n.k1_within_reach_status_quo),
            n.eligible_releases.to_string(),
            n.k1_home_optimal.to_string(),
            share(n.k1_optimal),
            share(n.k1_adult_male_optimal),
            n.k1_home_greedy.to_string(),
            share(n.k1_greedy),
            share(n.k1_status_quo),
            share(n.k2_optimal),
            share(n.k2_greedy),
            share(n.k2_status_quo),
            n.on_track_optimal.to_string(),
            n.on_track_greedy.to_string(),
            n.moves_optimal.to_string(),
            n.decants_optimal.to_string(),
            n.moves_greedy.to_string(),
            n.overflow_optimal.to_string(),
            n.overflow_greedy.to_string(),
            n.places_short.to_string(),
            n.home_plus_on_track_optimal.to_string(),
            n.bound_home_plus_on_track.to_string(),
            format!("{:.6}", n.gap),
            row.top_places
                .iter()
                .map(top_place_cell)
                .collect::<Vec<_>>()
                .join(";"),
            row.short_cpas
                .iter()
                .map(|s| s.cpa.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        ];
        for (_, cpa) in &cpas {
            match row.by_cpa.iter().find(|c| &c.cpa == cpa) {
                Some(c) => {
                    record.extend([
                        share(c.k1_within_reach_optimal),
                        share(c.k1_optimal),
                        share(c.k1_greedy),
                        share(c.k2_optimal),
                        c.places_short.to_string(),
                    ]);
                    record.extend(
                        CATEGORY_SLOTS
                            .iter()
                            .map(|k| c.places_short_by_category[k].to_string()),
                    );
                }
                None => record.extend(std::iter::repeat_n(
                    String::new(),
                    CPA_FIELDS.len() + CATEGORY_SLOTS.len(),
                )),
            }
        }
        writer.row(&record);
    }
    writer.into_bytes()
}

/// `comparison.json`: the rows in full, with a note of what within reach, (b) and places
/// short mean.
pub fn comparison_json(rows: &[Comparison]) -> Vec<u8> {
    #[derive(Serialize)]
    struct File<'a> {
        within_reach: &'static str,
        home_plus_on_track: &'static str,
        places_short: &'static str,
        scenarios: &'a [Comparison],
    }
    let file = File {
        within_reach: "releases in week m + W or later (m the first movable week, W the window): those a plan made today can still place; K1 within reach for adult males is the headline, read against the 80% target",
        home_plus_on_track: "objective (b): home releases in the horizon plus eligible prisoners released after it who are on track at its end; the bound is a proven upper bound on it",
        places_short: "eligible prisoners released in the horizon, by home CPA and category, not released home in the optimal plan because the resettlement prisons of their home CPA that hold them were full in their window (reason prisons_full)",
        scenarios: rows,
    };
    json_bytes(&file)
}

fn percent(value: Option<f64>) -> String {
    crate::output::percent(value, "-")
}

/// The table printed by `resettle scenarios run`: per scenario the headline, K1 within reach
/// for adult males in the optimal plan (and its change in points against the scenario named
/// `baseline`, when there is one), in the greedy plan and the status quo; K1 over the horizon,
/// K2, on track, moves, decants, overflow and places short; then per scenario the prisons
/// where a place is worth most and the CPAs below 80% whatever the moves.
pub fn comparison_table(rows: &[Comparison]) -> String {
    let baseline = rows.iter().find(|r| r.scenario == "baseline");
    let width = rows
        .iter()
        .map(|r| r.scenario.len())
        .max()
        .unwrap_or(0)
        .max(8);
    let mut out = String::new();
    let line = |out: &mut String, scenario: &str, fields: [&str; 11]| {
        let [k1, change, greedy, status_quo, horizon, k2, on_track, moves, decants, overflow, short] =
            fields;
        writeln!(
            out,
            "{scenario:<width$} {k1:>11} {change:>7} {greedy:>7} {status_quo:>10} {horizon:>10} \
             {k2:>7} {on_track:>8} {moves:>7} {decants:>7} {overflow:>8} {short:>6}"
        )
        .expect("writing to a string");
    };
    line(
        &mut out,
        "scenario",
        [
            "K1 reach AM",
            "vs base",
            "greedy",
            "status quo",
            "K1 horizon",
            "K2",
            "on track",
            "moves",
            "decants",
            "overflow",
            "short",
        ],
    );
    for r in rows {
        let n = &r.national;
        let headline = |row: &Comparison| row.national.k1_within_reach_adult_male_optimal;
        let change = match (baseline.and_then(headline), headline(r)) {
            (Some(b), Some(k)) if r.scenario != "baseline" => format!("{:+.1}", (k - b) * 100.0),
            _ => "-".into(),
        };
        line(
            &mut out,
            &r.scenario,
            [
                &percent(n.k1_within_reach_adult_male_optimal),
                &change,
                &percent(n.k1_within_reach_adult_male_greedy),
                &percent(n.k1_within_reach_adult_male_status_quo),
                &percent(n.k1_optimal),
                &percent(n.k2_optimal),
                &n.on_track_optimal.to_string(),
                &n.moves_optimal.to_string(),
                &n.decants_optimal.to_string(),
                &n.overflow_optimal.to_string(),
                &n.places_short.to_string(),
            ],
        );
    }
    out.push_str(
        "\nK1 reach AM, the headline read against the 80% target: adult male releases within reach \
         (released in week m + W or\n  later, m the first movable week, W the window) released \
         home; optimal plan (vs base: points against the scenario\n  named baseline), greedy \
         plan, status quo\n\
         K1 horizon: every eligible release in the horizon, optimal plan; K2: share of \
         final-window person-weeks held at home\n\
         on track: released after the horizon, held at its end where they will be released home \
         if nobody moves them\n\
         moves, decants: people moved; overflow: person-weeks above usable capacity; short: \
         places short (prisoners not\n  released home because their home prisons were full)\n",
    );
    write!(
        out,
        "\nwhere would more places help most? (per extra place over the horizon, the change \
         in (b) and in overflow predicted from the LP's\n  duals; the first re-solved with \
         {PLACES} more places beside the prediction; marginal_value.csv)\n",
    )
    .expect("writing to a string");
    for r in rows {
        writeln!(
            out,
            "{:<width$} {}",
            r.scenario,
            describe_top(&r.top_places)
        )
        .expect("writing to a string");
    }
    out.push_str(
        "\nCPAs below 80% whatever the moves (K2 bound within usable capacity, \
         bottlenecks.csv), and the prisons of their cut:\n",
    );
    for r in rows {
        writeln!(
            out,
            "{:<width$} {}",
            r.scenario,
            describe_short(&r.short_cpas)
        )
        .expect("writing to a string");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_slots_match_the_names() {
        assert_eq!(CATEGORY_SLOTS[slot(Some(Category::C))], "C");
        assert_eq!(CATEGORY_SLOTS[slot(None)], "none");
    }
}
