//! The marginal value of a place (docs/planning-rules.md §5, the estate planner's "where would
//! more places help most?"): for each prison, the change in (b) — home releases plus
//! prisoners on track — and in overflow person-weeks for one more place in every week the
//! prison is open, predicted from the LP's duals, and confirmed by a re-solve for the prisons
//! at the top of the ranking.
//!
//! **The prediction.** The stages are solved in order, each on the optimal face of the ones
//! before (the rows and columns whose duals are not zero fixed at their bounds). One more place
//! at prison i raises the right-hand side of its capacity rows by 1, and a capacity row that an
//! earlier stage fixed moves with it: stage k's dual y_k on it is the change in stage k's value
//! with the earlier stages re-optimised along. So the change is
//!
//! > Δ_k = Σ_t y_k[cap i,t]
//!
//! over the weeks t the prison is open (HiGHS's duals: the change in the stage's value per unit
//! of a row's bound). A rate from duals holds at the margin only. Where a stage is degenerate — a full prison
//! nobody moves into, its capacity rows all tight with nothing moving — its duals are not
//! unique, and the one HiGHS returns can overstate: the re-solve is the check.
//!
//! **The confirmation.** The first `N` prisons of the ranking (`--confirm-marginal N`,
//! default [`CONFIRM`]) are re-solved with [`PLACES`] more places in every open week, the
//! stages up to (b) only ([`crate::planners::optimal::bounds_up_to`]): the changes in the LP values
//! of overflow and (b), bounds on every plan and, when the LP is integral, exact. Each is
//! printed beside its prediction (`PLACES` × the rate).
//!
//! Prisons rank by (b) gained, then by overflow avoided, then by code; values are rounded to
//! 4 decimals before ranking, so that solver noise never reorders prisons.

use rayon::prelude::*;
use serde::Serialize;

use crate::planners::optimal::{bounds_up_to, formulation::HOME, SolveReport};
use crate::problem::instance::Instance;
use crate::solver::{SolveError, SolverOptions, StageResult};

/// How many prisons the summaries name at least.
pub const TOP: usize = 5;
/// How many prisons at the top of the ranking are re-solved unless told otherwise: none, for
/// each re-solve costs about as much as the plan's first stages (nationally tens of seconds).
pub const CONFIRM: usize = 0;
/// The most prisons `--confirm-marginal` may ask for.
pub const MAX_CONFIRM: u64 = 1000;
/// The places added at a prison to confirm its value.
pub const PLACES: u32 = 10;
/// The overflow stage.
const OVERFLOW: &str = "overflow";
/// The model size (columns) from which the re-solves run in parallel.
const PARALLEL_COLUMNS: usize = 20_000;

/// One prison's value.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginalValue {
    /// Index into the instance's prisons.
    pub prison: usize,
    /// The change in (b) per extra place over the horizon, predicted, rounded to 4 decimals.
    pub value: f64,
    /// Overflow person-weeks avoided per extra place over the horizon, predicted, rounded to 4
    /// decimals.
    pub overflow_relief: f64,
    /// The re-solve with [`PLACES`] more places, for the prisons confirmed.
    pub resolved: Option<Resolved>,
}

/// A re-solve with more places at one prison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    /// The places added in every week the prison is open.
    pub places: u32,
    /// `solved`; `time_limit` (the time limit ran out first); `failed` (HiGHS gave no
    /// optimum).
    pub status: &'static str,
    /// The change in the LP value of (b), when solved (4 decimals).
    pub home: Option<f64>,
    /// Overflow person-weeks avoided (the fall in the LP value of overflow), when solved (4
    /// decimals).
    pub overflow_relief: Option<f64>,
}

/// Rounds to 4 decimals; adding 0.0 turns −0 into 0.
pub(crate) fn round4(value: f64) -> f64 {
    (value * 1e4).round() / 1e4 + 0.0
}

/// Every prison by predicted value (highest first), then by code; none re-solved.
pub fn ranked(instance: &Instance, report: &SolveReport) -> Vec<MarginalValue> {
    let prisons = instance.prisons();
    let mut values: Vec<MarginalValue> = report
        .marginal_value
        .iter()
        .enumerate()
        .zip(&report.overflow_relief)
        .map(|((prison, &value), &relief)| MarginalValue {
            prison,
            value: round4(value),
            overflow_relief: round4(relief),
            resolved: None,
        })
        .collect();
    values.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| b.overflow_relief.total_cmp(&a.overflow_relief))
            .then_with(|| prisons[a.prison].code.cmp(&prisons[b.prison].code))
    });
    values
}

/// The ranking of [`ranked`] with its first `confirm` prisons re-solved with [`PLACES`] more
/// places (in parallel when the model is big), within the time `options` leave. Nothing is
/// re-solved when the report has no LP values of overflow and (b) to compare with (the greedy
/// fallback of a time limit). `progress` hears when the re-solves start and end.
pub fn assess(
    instance: &Instance,
    report: &SolveReport,
    confirm: usize,
    options: SolverOptions,
    progress: &mut dyn FnMut(&str),
) -> Vec<MarginalValue> {
    let mut values = ranked(instance, report);
    let confirm = confirm.min(values.len());
    let Some(base) = lp_values(&report.stages).filter(|_| confirm > 0) else {
        return values;
    };
    progress(&format!(
        "marginal value: re-solving the first {confirm} prison(s) of the ranking with \
         {PLACES} more places (stages up to '{HOME}')"
    ));
    let started = std::time::Instant::now();
    let resolve = |m: &MarginalValue| resolve(instance, m.prison, base, options);
    let outcomes: Vec<Resolved> = if report.columns >= PARALLEL_COLUMNS {
        values[..confirm].par_iter().map(resolve).collect()
    } else {
        values[..confirm].iter().map(resolve).collect()
    };
    for (m, outcome) in values.iter_mut().zip(outcomes) {
        m.resolved = Some(outcome);
    }
    progress(&format!(
        "marginal value: re-solved in {:.2}s",
        started.elapsed().as_secs_f64()
    ));
    values
}

/// The LP values of overflow and (b) among the stages.
fn lp_values(stages: &[StageResult]) -> Option<(f64, f64)> {
    let value = |name: &str| stages.iter().find(|s| s.name == name).map(|s| s.bound);
    Some((value(OVERFLOW)?, value(HOME)?))
}

/// Re-solves `instance` with [`PLACES`] more places at `prison` in every week it is open;
/// `base` holds the LP values of overflow and (b) without them.
fn resolve(
    instance: &Instance,
    prison: usize,
    (overflow, home): (f64, f64),
    options: SolverOptions,
) -> Resolved {
    let outcome = |status, change: Option<(f64, f64)>| Resolved {
        places: PLACES,
        status,
        home: change.map(|c| round4(c.0)),
        overflow_relief: change.map(|c| round4(c.1)),
    };
    if (0..instance.options.horizon).all(|t| instance.closed(prison, t)) {
        // No week to add a place to: nothing changes.
        return outcome("solved", Some((0.0, 0.0)));
    }
    let deadline_passed = options
        .deadline
        .is_some_and(|d| std::time::Instant::now() >= d);
    if deadline_passed {
        return outcome("time_limit", None);
    }
    let mut more = instance.clone();
    for capacity in more.capacity[prison].iter_mut().filter(|c| **c > 0) {
        *capacity = capacity.saturating_add(PLACES);
    }
    match bounds_up_to(&more, options, HOME) {
        Ok(stages) => match lp_values(&stages) {
            Some((o, h)) => outcome("solved", Some((h - home, overflow - o))),
            None => outcome("failed", None),
        },
        Err(SolveError::TimeLimit { .. }) => outcome("time_limit", None),
        Err(_) => outcome("failed", None),
    }
}

/// A prison named in the summaries, by code, with its predicted rates and its re-solve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopPlace {
    pub prison: String,
    pub value: f64,
    pub overflow_relief: f64,
    pub resolved: Option<Resolved>,
}

/// The prisons the summaries name: in rank order, those where a place is predicted to change
/// (b) or overflow or whose re-solve changed them, the first [`TOP`] of them or as many as
/// were re-solved.
pub fn top(instance: &Instance, ranked: &[MarginalValue]) -> Vec<TopPlace> {
    let confirmed = ranked.iter().filter(|m| m.resolved.is_some()).count();
    let changed =
        |r: &Resolved| r.home.unwrap_or(0.0) != 0.0 || r.overflow_relief.unwrap_or(0.0) != 0.0;
    ranked
        .iter()
        .filter(|m| {
            m.value != 0.0 || m.overflow_relief != 0.0 || m.resolved.as_ref().is_some_and(changed)
        })
        .take(TOP.max(confirmed))
        .map(|m| TopPlace {
            prison: instance.prisons()[m.prison].code.to_string(),
            value: m.value,
            overflow_relief: m.overflow_relief,
            resolved: m.resolved.clone(),
        })
        .collect()
}

/// A signed figure: `+1.00`, `-26.00`, never `-0.00`.
fn signed(value: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals as i32);
    let rounded = (value * scale).round() / scale;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    format!("{rounded:+.decimals$}")
}

/// `CODE +H home, -O overflow per place` (2 decimals: the change in (b) and in overflow), and
/// for a prison re-solved ` (10 places: predicted +H home, -O overflow; re-solved +H home, -O
/// overflow)`.
pub fn describe_one(t: &TopPlace) -> String {
    let pair = |home: f64, relief: f64| {
        format!("{} home, {} overflow", signed(home, 2), signed(-relief, 2))
    };
    let mut text = format!(
        "{} {} per place",
        t.prison,
        pair(t.value, t.overflow_relief)
    );
    if let Some(r) = &t.resolved {
        let places = f64::from(r.places);
        let predicted = pair(places * t.value, places * t.overflow_relief);
        let resolved = match (r.home, r.overflow_relief) {
            (Some(home), Some(relief)) => format!("re-solved {}", pair(home, relief)),
            _ if r.status == "time_limit" => "re-solve ran out of time".to_string(),
            _ => "re-solve failed".to_string(),
        };
        text.push_str(&format!(
            " ({} places: predicted {predicted}; {resolved})",
            r.places
        ));
    }
    text
}

/// The named prisons, `; `-separated; `none` when an extra place changes nothing anywhere.
pub fn describe(top: &[TopPlace]) -> String {
    if top.is_empty() {
        return "none".into();
    }
    top.iter().map(describe_one).collect::<Vec<_>>().join("; ")
}

/// The summary's lines: where more places would help most, one prison a line.
pub fn summary(instance: &Instance, ranked: &[MarginalValue]) -> String {
    let named = top(instance, ranked);
    let mut text = format!(
        "where would more places help most? per extra place in every open week over the \
         horizon, the change in (b) home releases + on track and in overflow person-weeks, \
         predicted from the LP's duals; those re-solved with {PLACES} more places, the LP's \
         change beside the prediction (marginal_value.csv):"
    );
    if named.is_empty() {
        text.push_str(" none");
    }
    for t in &named {
        text.push_str("\n  ");
        text.push_str(&describe_one(t));
    }
    let no_gain = ranked.first().is_some_and(|m| m.value <= 0.0);
    if no_gain && named.iter().any(|t| t.overflow_relief > 0.0) {
        text.push_str(
            "\n  no prison's place is predicted to add to (b): while the estate overflows, a \
             place first takes someone held over capacity (overflow comes first)",
        );
    }
    text
}
