//! The outputs of `resettle plan` (docs/planning-rules.md §6): the optimal plan's moves (each
//! with why) and the transfer requests of one week ([`requests`]), the closure moves that
//! override a do-not-move hold, the KPIs of the three plans compared (docs/planning-rules.md
//! §4) with the run's parameters, the explanation for each eligible prisoner or cohort not
//! released home, the occupancy, and the summary table printed on the terminal.
//!
//! Every file is deterministic: rows come from `Vec`s in index order or from `BTreeMap`s, and
//! nothing that varies between runs (such as the solver's timings) is written into a file.

mod analyses;
mod files;
mod inputs;
mod model;
mod record;
pub mod requests;
pub mod rows;
mod workload;

pub use analyses::{bottlenecks_csv, marginal_value_csv};
pub use files::{
    csv_bytes, csv_cell, CsvOutput, OutputDir, OutputFile, OutputFiles, TargetError, WriteError,
    MARKER,
};
pub use inputs::{booked_csv, population_csv, receptions_csv};
pub use model::objectives_csv;
pub use record::{read_rows, read_texts, rows_csv};
pub use workload::workload_outputs;

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::analysis::bottleneck;
use crate::analysis::explain::{conflicts, unplaced, why};
use crate::analysis::marginal;
use crate::domain::{Category, CpaId, Estate, Prisoner, PrisonerId};
use crate::output::rows::{
    BoundFigures, CpaKpiRow, EstateFigures, EstateKpiRow, ForecastMoveRow, JuvenileFigures,
    KpiFigures, ModelFigures, MoveRow, OccupancyRow, Parameters, PartKpis, PlanFigures,
    PrisonKpiRow, StageFigures, TallyFigures, UnplacedRow, WeekKpiRow,
};
use crate::planners::optimal::{Integrality, SolveReport};
use crate::problem::instance::{Instance, Mover, Origin};
use crate::problem::kpi::{evaluate, Breakdown, Kpis, Tally};
use crate::problem::plan::{MoveReason, Plan};
use crate::solver::SolverOptions;
use requests::{allocations_json, requests, requests_csv, sentence_length};
pub use requests::{request_attributes, RequestAttributes};

/// The three plans compared, and how the optimal one was proven.
#[derive(Debug, Clone, Copy)]
pub struct PlanSet<'a> {
    /// No moves but the booked ones and those closures force.
    pub status_quo: &'a Plan,
    /// The plan a planner would make by hand.
    pub greedy: &'a Plan,
    /// The optimised plan: the one whose moves are written out.
    pub optimal: &'a Plan,
    /// The optimal plan's model size, bound, gap and stages.
    pub report: &'a SolveReport,
    /// The bottleneck bounds of every week ([`bottleneck::analyse`]).
    pub bottlenecks: &'a [bottleneck::Bound],
    /// The marginal value of a place at each prison, ranked ([`marginal::assess`]).
    pub marginal: &'a [marginal::MarginalValue],
}

impl PlanSet<'_> {
    /// The plans with the names used in the files, in the order they are written.
    fn named(&self) -> [(&'static str, &Plan); 3] {
        [
            ("status_quo", self.status_quo),
            ("greedy", self.greedy),
            ("optimal", self.optimal),
        ]
    }
}

/// How the outputs are written.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// When given, every prisoner id is replaced by its [`pseudonym`] under this key
    /// (docs/planning-rules.md §7).
    pub pseudonym_key: Option<PseudonymKey>,
    /// The solver's options the plan was made with, written among the run's parameters.
    pub solver: SolverOptions,
    /// The week whose transfer requests are written (`requests.csv`, `allocations.json`);
    /// `None`: the first movable week.
    pub requests_week: Option<u32>,
}

/// The secret key of the pseudonyms (docs/planning-rules.md §7): the bytes of a file the user keeps
/// private. It is never written anywhere nor shown (`Debug` hides it).
#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl PseudonymKey {
    /// The fewest bytes a key may have.
    pub const MIN_LEN: usize = 16;

    /// A key of these bytes, or why they cannot be one.
    pub fn new(bytes: Vec<u8>) -> Result<PseudonymKey, String> {
        if bytes.len() < Self::MIN_LEN {
            return Err(format!(
                "a key has at least {} bytes, this one {}: make one with \
                 `head -c 32 /dev/urandom > resettle.key`",
                Self::MIN_LEN,
                bytes.len()
            ));
        }
        Ok(PseudonymKey(bytes))
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymKey(..)")
    }
}

/// The pseudonym written for a prisoner id when outputs are pseudonymised: `P` and 16
/// upper-case hex digits, the first 64 bits of HMAC-SHA256 of the id under `key`. The same id
/// and key give the same pseudonym on any machine and in any run, so files from different
/// runs can be joined; without the key, knowing the format of the ids does not tell which
/// pseudonym stands for which id.
pub fn pseudonym(key: &PseudonymKey, id: &PrisonerId) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes a key of any length");
    mac.update(id.as_str().as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut text = String::with_capacity(17);
    text.push('P');
    for byte in &digest[..8] {
        write!(text, "{byte:02X}").expect("writing to a string");
    }
    text
}

/// Whether `text` has the shape of a [`pseudonym`]: `P` and 16 upper-case hex digits.
pub fn is_pseudonym(text: &str) -> bool {
    text.len() == 17
        && text.starts_with('P')
        && text[1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

/// Writes prisoner ids as given or as pseudonyms.
struct Ids<'a> {
    key: Option<&'a PseudonymKey>,
}

impl Ids<'_> {
    fn write(&self, id: &PrisonerId) -> String {
        match self.key {
            Some(key) => pseudonym(key, id),
            None => id.as_str().to_string(),
        }
    }
}

/// Adds every output of `resettle plan` to `files`: `moves.csv`, `conflicts.csv`,
/// `forecast_moves.csv`, `requests.csv`, `allocations.json`, `kpis.json`, `kpis_by_cpa.csv`,
/// `kpis_by_prison.csv`, `kpis_by_estate.csv`, `kpis_by_week.csv`, `unplaced.csv` and
/// `occupancy.csv`.
pub fn plan_outputs(
    instance: &Instance,
    plans: &PlanSet,
    options: &ReportOptions,
    files: &mut OutputFiles,
) {
    let ids = Ids {
        key: options.pseudonym_key.as_ref(),
    };
    let kpis: Vec<(&'static str, Kpis)> = plans
        .named()
        .into_iter()
        .map(|(name, plan)| (name, evaluate(instance, plan)))
        .collect();
    let optimal = &kpis[2].1;
    let plan = plans.optimal;
    let why = why(instance, plan, &kpis[0].1.occupancy);
    let moves = prisoner_moves(instance, plan, 0..plan.moves.len(), &why, &ids);
    files.add("moves.csv", moves_csv(&moves));
    let conflicts = prisoner_moves(instance, plan, conflicts(instance, plan), &why, &ids);
    files.add("conflicts.csv", moves_csv(&conflicts));
    files.add(
        "forecast_moves.csv",
        forecast_moves_csv(instance, plan, &why),
    );
    let week = options
        .requests_week
        .unwrap_or(instance.options.first_movable_week);
    let requests = requests(&moves, week);
    files.add("requests.csv", requests_csv(&requests));
    files.add("allocations.json", allocations_json(&requests));
    files.add(
        "kpis.json",
        kpis_json(instance, &kpis, plans.report, options),
    );
    files.add("kpis_by_cpa.csv", kpis_by_cpa_csv(instance, &kpis));
    files.add("kpis_by_prison.csv", kpis_by_prison_csv(instance, &kpis));
    files.add("kpis_by_estate.csv", kpis_by_estate_csv(instance, &kpis));
    files.add("kpis_by_week.csv", kpis_by_week_csv(instance, &kpis));
    files.add("unplaced.csv", unplaced_csv(instance, plans.optimal, &ids));
    files.add("occupancy.csv", occupancy_csv(instance, optimal));
}

/// Pretty-printed JSON with a trailing newline.
fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("serialising to memory");
    bytes.push(b'\n');
    bytes
}

/// The existing prisoner behind a mover, if it is one.
fn prisoner_of(instance: &Instance, mover: usize) -> Option<&Prisoner> {
    match instance.movers[mover].origin {
        Origin::Prisoner(i) => Some(&instance.inputs.prisoners[i]),
        Origin::Reception(_) => None,
    }
}

fn code(instance: &Instance, prison: usize) -> &str {
    instance.prisons()[prison].code.as_str()
}

fn optional_cpa(cpa: Option<&CpaId>) -> String {
    cpa.map_or_else(String::new, |c| c.as_str().to_string())
}

fn optional_date(date: Option<NaiveDate>) -> String {
    date.map_or_else(String::new, |d| d.to_string())
}

/// A move of an existing prisoner as the move files write it: `moves.csv`, `conflicts.csv`
/// and the transfer requests ([`requests`]). Moves sort by week, sending prison, destination,
/// then prisoner id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct PrisonerMove<'i> {
    week: u32,
    from: &'i str,
    to: &'i str,
    /// As written: the id, or its pseudonym.
    prisoner_id: String,
    date: NaiveDate,
    reason: MoveReason,
    home_cpa: Option<&'i CpaId>,
    release_date: Option<NaiveDate>,
    why: &'i str,
    estate: Estate,
    category: Option<Category>,
    sentence_length: Option<&'static str>,
}

impl PrisonerMove<'_> {
    /// Its row of `moves.csv`.
    fn row(&self) -> MoveRow {
        MoveRow {
            prisoner_id: self.prisoner_id.clone(),
            from: self.from.to_string(),
            to: self.to.to_string(),
            week: self.week,
            date: self.date.to_string(),
            reason: self.reason.as_str().to_string(),
            home_cpa: self.home_cpa.map(CpaId::to_string),
            release_date: self.release_date.map(|d| d.to_string()),
            why: self.why.to_string(),
            estate: self.estate.as_str().to_string(),
            category: self.category.map(|c| c.as_str().to_string()),
            sentence_length: self.sentence_length.map(str::to_string),
        }
    }
}

/// The moves `chosen` (indexes into `plan.moves`) of existing prisoners, in order, each with
/// why it is made ([`crate::analysis::explain::why`]).
fn prisoner_moves<'i>(
    instance: &'i Instance,
    plan: &Plan,
    chosen: impl IntoIterator<Item = usize>,
    why: &'i [String],
    ids: &Ids,
) -> Vec<PrisonerMove<'i>> {
    let mut moves: Vec<PrisonerMove> = chosen
        .into_iter()
        .filter_map(|i| {
            let m = &plan.moves[i];
            let prisoner = prisoner_of(instance, m.mover)?;
            Some(PrisonerMove {
                week: m.week,
                from: code(instance, m.from),
                to: code(instance, m.to),
                prisoner_id: ids.write(&prisoner.id),
                date: instance.date_of(m.week),
                reason: m.reason,
                home_cpa: prisoner.home_cpa.as_ref(),
                release_date: prisoner.release_date,
                why: &why[i],
                estate: prisoner.estate,
                category: prisoner.category,
                sentence_length: sentence_length(prisoner),
            })
        })
        .collect();
    moves.sort();
    moves
}

/// `moves.csv`, or `conflicts.csv`: one row per move, in the order given.
fn moves_csv(moves: &[PrisonerMove]) -> Vec<u8> {
    rows_csv(moves.iter().map(PrisonerMove::row))
}

/// The key merging moves of reception cohorts in `forecast_moves.csv`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForecastKey<'i> {
    week: u32,
    from: &'i str,
    to: &'i str,
    home_cpa: Option<&'i CpaId>,
    estate: &'static str,
    category: Option<&'static str>,
    release_week: Option<u32>,
    why: &'i str,
}

/// The moves of reception cohorts in `plan`, merged by identical key, each with why it is
/// made ([`crate::analysis::explain::why`]).
fn forecast_moves_csv(instance: &Instance, plan: &Plan, why: &[String]) -> Vec<u8> {
    let mut counts: BTreeMap<ForecastKey, u64> = BTreeMap::new();
    for (m, why) in plan.moves.iter().zip(why) {
        let Origin::Reception(i) = instance.movers[m.mover].origin else {
            continue;
        };
        let cohort = &instance.inputs.receptions[i];
        let key = ForecastKey {
            week: m.week,
            from: code(instance, m.from),
            to: code(instance, m.to),
            home_cpa: cohort.home_cpa.as_ref(),
            estate: cohort.estate.as_str(),
            category: cohort.category.map(Category::as_str),
            release_week: cohort.release_week,
            why,
        };
        *counts.entry(key).or_default() += u64::from(m.count);
    }
    rows_csv(counts.into_iter().map(|(key, count)| ForecastMoveRow {
        week: key.week,
        from: key.from.to_string(),
        to: key.to.to_string(),
        home_cpa: key.home_cpa.map(CpaId::to_string),
        estate: key.estate.to_string(),
        category: key.category.map(str::to_string),
        release_week: key.release_week,
        count,
        why: key.why.to_string(),
    }))
}

impl From<Tally> for TallyFigures {
    fn from(tally: Tally) -> Self {
        TallyFigures {
            home: tally.home,
            eligible: tally.eligible,
            share: tally.share(),
        }
    }
}

/// One plan's figures in `kpis.json`.
fn plan_figures(instance: &Instance, kpis: &Kpis) -> PlanFigures {
    PlanFigures {
        k1_within_reach_adult_male: adult_male(&kpis.k1_reach).into(),
        k1_within_reach: kpis.k1_reach.national.into(),
        k1: kpis.k1.national.into(),
        k1_adult_male: adult_male(&kpis.k1).into(),
        k2: kpis.k2.national.into(),
        on_track: kpis.on_track,
        home_plus_on_track: kpis.k1.national.home + kpis.on_track,
        by_estate: estates(instance)
            .into_iter()
            .map(|estate| EstateFigures {
                estate: estate.as_str().to_string(),
                k1_within_reach: of_estate(&kpis.k1_reach, estate).into(),
                k1: of_estate(&kpis.k1, estate).into(),
                k2: of_estate(&kpis.k2, estate).into(),
            })
            .collect(),
        moves: kpis.moves,
        overflow_person_weeks: kpis.overflow_person_weeks,
    }
}

/// The run's parameters, as the plan was made.
fn parameters(instance: &Instance, solver: &SolverOptions) -> Parameters {
    let options = &instance.options;
    Parameters {
        start: instance.date_of(0).to_string(),
        horizon: options.horizon,
        window: options.window,
        first_movable_week: options.first_movable_week,
        within_reach_from_week: reach_from(instance),
        // Rounded to 1e-9 so that a share of 0.07 is written 7, not 7.000000000000001.
        headroom_percent: (options.headroom * 100.0 * 1e9).round() / 1e9,
        max_moves_per_week: options.max_moves_per_week,
        max_moves_per_prison_week: options.max_moves_per_prison_week,
        time_limit_seconds: solver.time_limit.map(|limit| limit.as_secs_f64()),
        mip_gap: solver.mip_gap,
    }
}

/// A breakdown's tally for one estate.
fn of_estate(breakdown: &Breakdown, estate: Estate) -> Tally {
    breakdown
        .by_estate
        .get(&estate)
        .copied()
        .unwrap_or_default()
}

/// A breakdown's adult male tally: K1 (within reach) is read against the 80% target on it.
fn adult_male(breakdown: &Breakdown) -> Tally {
    of_estate(breakdown, Estate::AdultMale)
}

/// The estates of the KPIs: those of any mover, but the juvenile ones, in the order of
/// [`Estate::ALL`].
fn estates(instance: &Instance) -> Vec<Estate> {
    Estate::ALL
        .iter()
        .copied()
        .filter(|estate| !estate.is_juvenile())
        .filter(|&estate| instance.movers.iter().any(|m| m.estate == estate))
        .collect()
}

/// The first release week within reach: m + W.
fn reach_from(instance: &Instance) -> u32 {
    instance.options.first_movable_week + instance.options.window
}

/// The juvenile estates' releases in the horizon and their people held in week 0.
fn juvenile(instance: &Instance) -> JuvenileFigures {
    let horizon = instance.options.horizon;
    let people = |keep: &dyn Fn(&Mover) -> bool| -> u64 {
        instance
            .movers
            .iter()
            .filter(|m| m.estate.is_juvenile() && keep(m))
            .map(|m| u64::from(m.count))
            .sum()
    };
    JuvenileFigures {
        releases_in_horizon: people(&|m| m.release_week.is_some_and(|r| r < horizon)),
        held_at_start: people(&|m| m.present(0)),
    }
}

/// The headline KPIs of the three plans, the bound on (b) and the gap, the run's parameters,
/// the juvenile estate apart, and the model's size and how it was solved. The stages'
/// timings are left out: they differ from run to run.
fn kpis_json(
    instance: &Instance,
    kpis: &[(&'static str, Kpis)],
    report: &SolveReport,
    options: &ReportOptions,
) -> Vec<u8> {
    let file = KpiFigures {
        parameters: parameters(instance, &options.solver),
        status_quo: plan_figures(instance, &kpis[0].1),
        greedy: plan_figures(instance, &kpis[1].1),
        optimal: plan_figures(instance, &kpis[2].1),
        bound: BoundFigures {
            home_plus_on_track: home_bound(report),
        },
        gap: report.gap,
        juvenile_estate: juvenile(instance),
        model: ModelFigures {
            rows: report.rows as u64,
            columns: report.columns as u64,
            nonzeros: report.nonzeros as u64,
            integrality: report.integrality.name().to_string(),
            solved: report.integrality.describe(),
            time_limit_reached: matches!(
                report.integrality,
                Integrality::TimeLimit { .. } | Integrality::TimeLimitGreedy { .. }
            ),
            stages: report
                .stages
                .iter()
                .map(|stage| StageFigures {
                    name: stage.name.to_string(),
                    value: stage.value,
                    bound: stage.bound,
                })
                .collect(),
        },
    };
    json_bytes(&file)
}

/// The proven bound on (b), home releases plus on track, a whole number of people.
fn home_bound(report: &SolveReport) -> u64 {
    report.home_bound.max(0.0).round() as u64
}

/// One row's [`PartKpis`] per plan compared, in order: K1 within reach, K1 and K2 of the part
/// that `select` takes from each breakdown.
fn part_kpis<'k>(
    kpis: &'k [(&'static str, Kpis)],
    select: impl Fn(&Breakdown) -> Tally + 'k,
) -> impl Iterator<Item = PartKpis> + 'k {
    kpis.iter().map(move |(plan, k)| {
        let [k1_reach, k1, k2] = [&k.k1_reach, &k.k1, &k.k2].map(&select);
        PartKpis {
            plan: plan.to_string(),
            k1_within_reach_home: k1_reach.home,
            k1_within_reach_eligible: k1_reach.eligible,
            k1_within_reach_share: k1_reach.share(),
            k1_home: k1.home,
            k1_eligible: k1.eligible,
            k1_share: k1.share(),
            k2_home: k2.home,
            k2_eligible: k2.eligible,
            k2_share: k2.share(),
        }
    })
}

/// One row per CPA (data order) and plan.
fn kpis_by_cpa_csv(instance: &Instance, kpis: &[(&'static str, Kpis)]) -> Vec<u8> {
    let cpas = &instance.inputs.data.cpas;
    rows_csv(cpas.iter().enumerate().flat_map(|(i, cpa)| {
        part_kpis(kpis, move |b| b.by_cpa[i]).map(move |kpis| CpaKpiRow {
            cpa: cpa.id.to_string(),
            number: cpa.number,
            name: cpa.name.clone(),
            kpis,
        })
    }))
}

/// One row per prison (data order) and plan.
fn kpis_by_prison_csv(instance: &Instance, kpis: &[(&'static str, Kpis)]) -> Vec<u8> {
    rows_csv(
        instance
            .prisons()
            .iter()
            .enumerate()
            .flat_map(|(i, prison)| {
                part_kpis(kpis, move |b| b.by_prison[i]).map(move |kpis| PrisonKpiRow {
                    prison: prison.code.to_string(),
                    name: prison.name.clone(),
                    kpis,
                })
            }),
    )
}

/// One row per estate of the KPIs ([`estates`]: the juvenile estates are out of scope) and
/// plan.
fn kpis_by_estate_csv(instance: &Instance, kpis: &[(&'static str, Kpis)]) -> Vec<u8> {
    rows_csv(estates(instance).into_iter().flat_map(|estate| {
        part_kpis(kpis, move |b| of_estate(b, estate)).map(move |kpis| EstateKpiRow {
            estate: estate.as_str().to_string(),
            kpis,
        })
    }))
}

/// One row per week and plan: K1 by release week (within reach from week m + W on), K2 by
/// week.
fn kpis_by_week_csv(instance: &Instance, kpis: &[(&'static str, Kpis)]) -> Vec<u8> {
    rows_csv((0..instance.options.horizon).flat_map(|week| {
        part_kpis(kpis, move |b| b.by_week[week as usize]).map(move |kpis| WeekKpiRow {
            week,
            date: instance.date_of(week).to_string(),
            kpis,
        })
    }))
}

/// The eligible prisoners and reception cohorts released in the horizon and not released
/// home in `plan`, with the reason ([`crate::analysis::explain::unplaced`]): prisoners by id (as
/// written), then cohorts in the order of the receptions. `count` is 1 for a prisoner and,
/// for a cohort, how many of it are not released home; `cohort` labels a cohort (its row in
/// the receptions, counted from 1, and its week of arrival); `prison` is where he is held at
/// the start, or where the cohort is received.
fn unplaced_csv(instance: &Instance, plan: &Plan, ids: &Ids) -> Vec<u8> {
    let mut prisoners = Vec::new();
    let mut cohorts = Vec::new();
    for u in unplaced(instance, plan) {
        let mover = &instance.movers[u.mover];
        let (prisoner_id, cohort, rows) = match mover.origin {
            Origin::Prisoner(i) => (
                Some(ids.write(&instance.inputs.prisoners[i].id)),
                None,
                &mut prisoners,
            ),
            Origin::Reception(i) => (
                None,
                Some(format!("cohort {} (week {})", i + 1, mover.arrival_week)),
                &mut cohorts,
            ),
        };
        rows.push(UnplacedRow {
            prisoner_id,
            cohort,
            count: u.people,
            prison: code(instance, mover.prison).to_string(),
            category: mover.category.map(|c| c.as_str().to_string()),
            estate: mover.estate.as_str().to_string(),
            home_cpa: mover
                .home
                .map(|h| instance.inputs.data.cpas[h].id.to_string()),
            release_date: mover.release_date.map(|d| d.to_string()),
            reason: u.reason.as_str().to_string(),
        });
    }
    // Ids are unique: by id alone.
    prisoners.sort_by(|a, b| a.prisoner_id.cmp(&b.prisoner_id));
    rows_csv(prisoners.into_iter().chain(cohorts))
}

/// Occupancy against usable capacity, per prison (in data order) and week.
fn occupancy_csv(instance: &Instance, kpis: &Kpis) -> Vec<u8> {
    rows_csv(
        instance
            .prisons()
            .iter()
            .enumerate()
            .flat_map(|(i, prison)| {
                (0..instance.options.horizon).map(move |week| {
                    let t = week as usize;
                    OccupancyRow {
                        prison: prison.code.to_string(),
                        week,
                        date: instance.date_of(week).to_string(),
                        occupancy: kpis.occupancy[i][t],
                        capacity: u64::from(instance.capacity[i][t]),
                    }
                })
            }),
    )
}

/// A figure as a whole number when it is one, else with one decimal.
fn number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-6 {
        // Adding 0.0 turns −0 into 0.
        format!("{:.0}", value.round() + 0.0)
    } else {
        format!("{value:.1}")
    }
}

/// A share as a percentage with one decimal, or `-` when nobody is counted.
pub(crate) fn percent(tally: Tally) -> String {
    tally
        .share()
        .map_or_else(|| "-".to_string(), |share| format!("{:.1}%", share * 100.0))
}

/// The release weeks within reach, in words.
fn reach_weeks(instance: &Instance) -> String {
    let (from, horizon) = (reach_from(instance), instance.options.horizon);
    if from < horizon {
        format!("weeks {from}-{}", horizon - 1)
    } else {
        format!("none: the horizon ends before week {from}")
    }
}

/// The short summary table printed by `resettle plan`: per plan the headline K1 within reach
/// for adult males, K1 within reach over every estate, K1 over the horizon (share, home
/// releases, eligible releases), the on-track count, K2, people moved and overflow; then what
/// each figure is, the proven bound on (b) and the gap, K1 within reach by estate, the
/// juvenile estate apart, the model's size, how it was solved and its stages with their
/// timings; then the prisons where a place is worth most ([`marginal`]) and the CPAs that
/// cannot reach 80% whatever the moves ([`bottleneck`]).
pub fn summary_table(instance: &Instance, plans: &PlanSet) -> String {
    let mut out = String::new();
    let line = |out: &mut String, fields: [&str; 10]| {
        let [plan, headline, reach, k1, home, eligible, on_track, k2, moves, overflow] = fields;
        writeln!(
            out,
            "{plan:<10} {headline:>11} {reach:>8} {k1:>10} {home:>6} {eligible:>8} \
             {on_track:>8} {k2:>7} {moves:>7} {overflow:>8}"
        )
        .expect("writing to a string");
    };
    line(
        &mut out,
        [
            "plan",
            "K1 reach AM",
            "K1 reach",
            "K1 horizon",
            "home",
            "eligible",
            "on track",
            "K2",
            "moves",
            "overflow",
        ],
    );
    let kpis: Vec<(&str, Kpis)> = plans
        .named()
        .into_iter()
        .map(|(name, plan)| (name, evaluate(instance, plan)))
        .collect();
    for (name, kpis) in &kpis {
        let k1 = kpis.k1.national;
        line(
            &mut out,
            [
                &name.replace('_', " "),
                &percent(adult_male(&kpis.k1_reach)),
                &percent(kpis.k1_reach.national),
                &percent(k1),
                &k1.home.to_string(),
                &k1.eligible.to_string(),
                &kpis.on_track.to_string(),
                &percent(kpis.k2.national),
                &kpis.moves.to_string(),
                &kpis.overflow_person_weeks.to_string(),
            ],
        );
    }
    let optimal = &kpis[2].1;
    let (horizon, window) = (instance.options.horizon, instance.options.window);
    let report = plans.report;
    let by_estate: Vec<String> = estates(instance)
        .into_iter()
        .map(|estate| {
            let tally = of_estate(&optimal.k1_reach, estate);
            format!(
                "{} {} ({}/{})",
                estate.as_str().replace('_', " "),
                percent(tally),
                tally.home,
                tally.eligible
            )
        })
        .collect();
    let juvenile = juvenile(instance);
    let stages: Vec<String> = report
        .stages
        .iter()
        .map(|stage| {
            format!(
                "{} {} ({:.2} s)",
                stage.name,
                number(stage.value),
                stage.seconds
            )
        })
        .collect();
    write!(
        out,
        "\nK1 reach AM, the headline read against the 80% target: adult male releases within \
         reach released home (held at release in a\n  resettlement prison of the home CPA, \
         arrived a full {window} weeks before or at custody start); within reach: released in \
         {},\n  so that a move from the first movable week ({}) can still give the full window\n\
         K1 reach: the same over every estate in scope; K1 horizon: every eligible release in \
         weeks 0-{} (home, eligible: its counts)\n\
         on track: eligible prisoners released after the horizon whose window opens in it, held \
         at its end where they will be\n  released home if nobody moves them\n\
         K2: share of person-weeks in the final {window} weeks before release held in a \
         resettlement prison of the home CPA\n\
         moves: people moved; overflow: person-weeks above usable capacity\n\
         bound on (b), home releases + on track: {} (optimal plan {}, gap {:.2}%)\n\
         K1 within reach by estate, optimal plan: {}\n\
         juvenile estate (out of scope, never in K1 or K2): {} releases in the horizon, {} held \
         at the start\n\
         model: {} rows, {} columns, {} nonzeros, {} cohorts; {}\n\
         stages: a blended start of every objective at once ({:.2} s), then {}\n",
        reach_weeks(instance),
        instance.options.first_movable_week,
        horizon.saturating_sub(1),
        home_bound(report),
        optimal.k1.national.home + optimal.on_track,
        report.gap * 100.0,
        if by_estate.is_empty() {
            "-".to_string()
        } else {
            by_estate.join("; ")
        },
        juvenile.releases_in_horizon,
        juvenile.held_at_start,
        report.rows,
        report.columns,
        report.nonzeros,
        report.cohorts,
        report.integrality.describe(),
        report.start_seconds,
        stages.join("; "),
    )
    .expect("writing to a string");
    writeln!(out, "{}", marginal::summary(instance, plans.marginal)).expect("writing to a string");
    writeln!(
        out,
        "{}",
        bottleneck::summary_line(instance, plans.bottlenecks)
    )
    .expect("writing to a string");
    out
}

/// `changes.csv`: each prisoner's move in last week's plan and in this one, and why it
/// changed (`rows`, [`crate::planners::previous::changes`]), a changed or new move with why it is made.
pub fn changes_csv(
    instance: &Instance,
    plans: &PlanSet,
    rows: &[crate::planners::previous::ChangeRow],
    options: &ReportOptions,
) -> Vec<u8> {
    use crate::planners::previous::Change;
    let ids = Ids {
        key: options.pseudonym_key.as_ref(),
    };
    let status_quo = evaluate(instance, plans.status_quo);
    let why = why(instance, plans.optimal, &status_quo.occupancy);
    let week = |week: Option<u32>| week.map_or(String::new(), |w| w.to_string());
    let date = |week: Option<u32>| week.map_or(String::new(), |w| instance.date_of(w).to_string());
    let rows = rows.iter().map(|row| {
        let (before_to, before_week) = row
            .before
            .as_ref()
            .map_or((String::new(), None), |(to, week)| {
                (to.as_str().to_string(), *week)
            });
        let now = row.now.map(|i| &plans.optimal.moves[i]);
        let reason = match (row.change, row.now) {
            (Change::OtherWeek | Change::OtherPrison, Some(i)) => {
                format!("{} now: {}", row.reason, why[i])
            }
            (Change::New, Some(i)) => why[i].clone(),
            _ => row.reason.clone(),
        };
        vec![
            ids.write(&row.prisoner_id),
            row.change.as_str().to_string(),
            before_to,
            week(before_week),
            date(before_week),
            now.map_or(String::new(), |m| code(instance, m.to).to_string()),
            week(now.map(|m| m.week)),
            date(now.map(|m| m.week)),
            reason,
        ]
    });
    csv_bytes(
        [
            "prisoner_id",
            "change",
            "previous_to",
            "previous_week",
            "previous_date",
            "to",
            "week",
            "date",
            "reason",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_shaped_and_keyed() {
        let key = PseudonymKey::new(b"0123456789abcdef".to_vec()).unwrap();
        let other = PseudonymKey::new(b"0123456789abcdeF".to_vec()).unwrap();
        let a = pseudonym(&key, &"A1234BC".into());
        assert!(is_pseudonym(&a) && !is_pseudonym("A1234BC"));
        assert_eq!(a, pseudonym(&key, &"A1234BC".into()));
        assert_ne!(a, pseudonym(&key, &"A1234BD".into()));
        assert_ne!(a, pseudonym(&other, &"A1234BC".into()));
        // The value Python's `hmac.new(key, id, hashlib.sha256)` gives: the same in any run.
        assert_eq!(a, "P396F697A3621838D");
        assert_eq!(format!("{key:?}"), "PseudonymKey(..)");
        assert!(PseudonymKey::new(b"short".to_vec()).is_err());
        assert_eq!(a.len(), 17);
        assert!(a.starts_with('P'));
        assert!(a[1..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    }
}
