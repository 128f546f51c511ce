//! The rows of the files of a plan folder (docs/planning-rules.md §6), one type per file: the
//! writers serialise them and `resettle report` and the history read them back, so that a
//! column is named in one place. In a CSV row a field holding a struct stands for that
//! struct's columns in its place ([`crate::output::rows_csv`], [`crate::output::read_rows`]); `kpis.json`
//! is the JSON of [`KpiFigures`].

use serde::{Deserialize, Serialize, Serializer};

/// A figure written with 4 decimals.
fn four_decimals<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&format_args!("{value:.4}"))
}

/// A figure written with 4 decimals, or an empty cell.
fn four_decimals_or_empty<S: Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => four_decimals(value, serializer),
        None => serializer.serialize_none(),
    }
}

// ---------------------------------------------------------------------------------------
// The moves.

/// A row of `moves.csv` and `conflicts.csv`: a move of an existing prisoner. Columns are only
/// added at the end, so that a reader of the earlier ones keeps working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoveRow {
    /// As written: the id, or its pseudonym.
    pub prisoner_id: String,
    pub from: String,
    pub to: String,
    pub week: u32,
    /// YYYY-MM-DD.
    pub date: String,
    pub reason: String,
    pub home_cpa: Option<String>,
    pub release_date: Option<String>,
    /// Why the move is made.
    pub why: String,
    pub estate: String,
    pub category: Option<String>,
    /// `short` or `long`, as transfer requests say it.
    pub sentence_length: Option<String>,
}

/// A row of `forecast_moves.csv`: the moves of reception cohorts with one key, merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastMoveRow {
    pub week: u32,
    pub from: String,
    pub to: String,
    pub home_cpa: Option<String>,
    pub estate: String,
    pub category: Option<String>,
    pub release_week: Option<u32>,
    /// People moved.
    pub count: u64,
    pub why: String,
}

// ---------------------------------------------------------------------------------------
// The KPIs.

/// One plan's K1 within reach (the headline), K1 over the horizon and K2 of a part (a CPA, a
/// prison, an estate or a week): the columns that end every `kpis_by_*.csv` row. A share is
/// empty when nobody is counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartKpis {
    /// `status_quo`, `greedy` or `optimal`.
    pub plan: String,
    pub k1_within_reach_home: u64,
    pub k1_within_reach_eligible: u64,
    #[serde(serialize_with = "four_decimals_or_empty")]
    pub k1_within_reach_share: Option<f64>,
    pub k1_home: u64,
    pub k1_eligible: u64,
    #[serde(serialize_with = "four_decimals_or_empty")]
    pub k1_share: Option<f64>,
    pub k2_home: u64,
    pub k2_eligible: u64,
    #[serde(serialize_with = "four_decimals_or_empty")]
    pub k2_share: Option<f64>,
}

/// A row of `kpis_by_cpa.csv`: one home CPA in one plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CpaKpiRow {
    /// The CPA's slug.
    pub cpa: String,
    pub number: u32,
    pub name: String,
    pub kpis: PartKpis,
}

/// A row of `kpis_by_prison.csv`: one prison in one plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrisonKpiRow {
    pub prison: String,
    pub name: String,
    pub kpis: PartKpis,
}

/// A row of `kpis_by_estate.csv`: one estate in one plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstateKpiRow {
    pub estate: String,
    pub kpis: PartKpis,
}

/// A row of `kpis_by_week.csv`: one week in one plan, K1 by release week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekKpiRow {
    pub week: u32,
    /// YYYY-MM-DD.
    pub date: String,
    pub kpis: PartKpis,
}

/// A tally of `kpis.json`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TallyFigures {
    pub home: u64,
    pub eligible: u64,
    /// None when nobody is counted.
    pub share: Option<f64>,
}

/// One estate's K1 (within reach and over the horizon) and K2 in `kpis.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstateFigures {
    pub estate: String,
    pub k1_within_reach: TallyFigures,
    pub k1: TallyFigures,
    pub k2: TallyFigures,
}

/// One plan in `kpis.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanFigures {
    /// The headline.
    pub k1_within_reach_adult_male: TallyFigures,
    pub k1_within_reach: TallyFigures,
    pub k1: TallyFigures,
    pub k1_adult_male: TallyFigures,
    pub k2: TallyFigures,
    pub on_track: u64,
    /// Objective (b): home releases in the horizon plus prisoners on track at its end.
    pub home_plus_on_track: u64,
    pub by_estate: Vec<EstateFigures>,
    pub moves: u64,
    pub overflow_person_weeks: u64,
}

/// The bound of `kpis.json`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BoundFigures {
    /// The proven bound on objective (b).
    pub home_plus_on_track: u64,
}

/// The run's parameters in `kpis.json`, as the plan was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameters {
    /// Week 0, YYYY-MM-DD.
    pub start: String,
    pub horizon: u32,
    pub window: u32,
    pub first_movable_week: u32,
    /// m + W: releases from this week on are within reach.
    pub within_reach_from_week: u32,
    pub headroom_percent: f64,
    pub max_moves_per_week: Option<u32>,
    pub max_moves_per_prison_week: Option<u32>,
    pub time_limit_seconds: Option<f64>,
    pub mip_gap: f64,
}

/// The juvenile estate, out of scope of K1 and K2 (docs/planning-rules.md §4), counted apart
/// in `kpis.json`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JuvenileFigures {
    /// People of the juvenile estates released in the horizon.
    pub releases_in_horizon: u64,
    /// People of the juvenile estates held in week 0.
    pub held_at_start: u64,
}

/// One stage of the solve in `kpis.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageFigures {
    pub name: String,
    pub value: f64,
    pub bound: f64,
}

/// How the optimal plan was solved (`kpis.json`'s `model`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFigures {
    pub rows: u64,
    pub columns: u64,
    pub nonzeros: u64,
    pub integrality: String,
    /// How the whole-number plan was obtained, in words.
    pub solved: String,
    /// The time limit ran out: the plan is the best found by then, not proven optimal.
    pub time_limit_reached: bool,
    pub stages: Vec<StageFigures>,
}

/// `kpis.json`: the headline KPIs of the three plans, the bound on (b) and the gap, the run's
/// parameters, the juvenile estate apart, and the model's size and how it was solved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiFigures {
    pub parameters: Parameters,
    pub status_quo: PlanFigures,
    pub greedy: PlanFigures,
    pub optimal: PlanFigures,
    pub bound: BoundFigures,
    pub gap: f64,
    pub juvenile_estate: JuvenileFigures,
    pub model: ModelFigures,
}

// ---------------------------------------------------------------------------------------
// The optimal plan's people and places.

/// A row of `unplaced.csv`: an eligible prisoner, or some of a reception cohort, released in
/// the horizon and not released home.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnplacedRow {
    /// A prisoner's id as written; none for a cohort.
    pub prisoner_id: Option<String>,
    /// A cohort's label, `cohort N (week W)`; none for a prisoner.
    pub cohort: Option<String>,
    /// People: 1 for a prisoner.
    pub count: u64,
    /// Where he is held at the start, or where the cohort is received.
    pub prison: String,
    pub category: Option<String>,
    pub estate: String,
    pub home_cpa: Option<String>,
    pub release_date: Option<String>,
    /// The first reason that applies ([`crate::analysis::explain::UnplacedReason`]).
    pub reason: String,
}

/// A row of `occupancy.csv`: one prison in one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OccupancyRow {
    pub prison: String,
    pub week: u32,
    /// YYYY-MM-DD.
    pub date: String,
    /// People held at the start of the week.
    pub occupancy: u64,
    /// Usable capacity.
    pub capacity: u64,
}

/// A row of `workload.csv`: one resettlement prison's CRC workload in one week
/// ([`crate::analysis::workload`]); `own` for the people whose home CPA the prison serves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkloadRow {
    pub prison: String,
    pub name: String,
    pub week: u32,
    /// YYYY-MM-DD.
    pub date: String,
    pub final_weeks: u64,
    pub final_weeks_own: u64,
    pub final_weeks_other: u64,
    pub releases: u64,
    pub releases_own: u64,
    pub releases_other: u64,
    pub receptions: u64,
    pub receptions_own: u64,
    pub receptions_other: u64,
    pub moves_in: u64,
    pub moves_out: u64,
}

/// A row of `workload_by_cpa.csv`: one resettlement prison's workload in one week from one
/// home CPA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadByCpaRow {
    pub prison: String,
    pub week: u32,
    /// YYYY-MM-DD.
    pub date: String,
    pub home_cpa: Option<String>,
    /// The prison serves the home CPA.
    pub own: bool,
    pub final_weeks: u64,
    pub releases: u64,
    pub receptions: u64,
}

/// A row of `workload_by_crc.csv`: a prison holding a CPA's prisoners in their final weeks in
/// one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadByCrcRow {
    pub cpa: String,
    pub week: u32,
    /// YYYY-MM-DD.
    pub date: String,
    pub prison: String,
    /// The prison is a resettlement prison of the CPA.
    pub resettlement_for_cpa: bool,
    pub final_weeks: u64,
    pub releases: u64,
}

// ---------------------------------------------------------------------------------------
// Where places are short.

/// A row of `marginal_value.csv`: one prison, in rank order ([`crate::analysis::marginal`]). The
/// predicted rates are per extra place over the horizon; the re-solve's columns are empty for
/// the prisons not re-solved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarginalValueRow {
    /// From 1.
    pub rank: usize,
    pub prison: String,
    pub name: String,
    pub cpa: String,
    pub function: String,
    /// The change in (b), home releases plus on track.
    #[serde(serialize_with = "four_decimals")]
    pub marginal_value: f64,
    /// Overflow person-weeks avoided.
    #[serde(serialize_with = "four_decimals")]
    pub overflow_relief: f64,
    pub resolved_places: Option<u32>,
    #[serde(serialize_with = "four_decimals_or_empty")]
    pub predicted_home: Option<f64>,
    #[serde(serialize_with = "four_decimals_or_empty")]
    pub resolved_home: Option<f64>,
    #[serde(serialize_with = "four_decimals_or_empty")]
    pub predicted_overflow_relief: Option<f64>,
    #[serde(serialize_with = "four_decimals_or_empty")]
    pub resolved_overflow_relief: Option<f64>,
    pub resolve_status: Option<String>,
}

/// A row of `bottlenecks.csv`: the bound of the nation or of one home CPA in one week
/// ([`crate::analysis::bottleneck`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BottleneckRow {
    pub week: u32,
    /// YYYY-MM-DD.
    pub date: String,
    /// A CPA's slug, or `national`.
    pub cpa: String,
    pub demand: u64,
    pub reachable: u64,
    #[serde(serialize_with = "four_decimals_or_empty")]
    pub share: Option<f64>,
    pub below_80: bool,
    /// The prisons of the cut, by code, `;`-separated.
    pub cut_prisons: String,
}
