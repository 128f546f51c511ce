//! The marginal value of a place (docs/planning-rules.md §5, the estate planner's "where would 100 more
//! places help most?"): for each prison, the home releases gained per extra place over the
//! whole horizon, read from the duals of the capacity rows of the home-release stage of the
//! LP ([`SolveReport::marginal_value`]). Beside it, the overflow person-weeks an extra place
//! avoids, from the overflow stage ([`SolveReport::overflow_relief`]): overflow comes first in
//! the priority order, so a place where the estate overflows is worth having even when home
//! releases are not short of room. Both are rates at the margin: they hold for the first few
//! places, not necessarily for a hundred.
//!
//! Prisons rank by home releases gained, then by overflow avoided, then by code; values are
//! rounded to 4 decimals before ranking, so that solver noise never reorders prisons.

use serde::Serialize;

use crate::instance::Instance;
use crate::io::CsvOutput;
use crate::optimise::SolveReport;

/// How many prisons the summaries name.
pub const TOP: usize = 5;

/// One prison's value.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginalValue {
    /// Index into the instance's prisons.
    pub prison: usize,
    /// Home releases gained per extra place over the horizon, rounded to 4 decimals.
    pub value: f64,
    /// Overflow person-weeks avoided per extra place over the horizon, rounded to 4 decimals.
    pub overflow_relief: f64,
}

/// Rounds to 4 decimals; adding 0.0 turns −0 into 0.
fn round4(value: f64) -> f64 {
    (value * 1e4).round() / 1e4 + 0.0
}

/// Every prison, by value (highest first), then by code.
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

/// `marginal_value.csv`: `rank,prison,name,cpa,function,marginal_value,overflow_relief`, one
/// row per prison in rank order.
pub fn marginal_value_csv(instance: &Instance, ranked: &[MarginalValue]) -> Vec<u8> {
    let mut writer = CsvOutput::new([
        "rank",
        "prison",
        "name",
        "cpa",
        "function",
        "marginal_value",
        "overflow_relief",
    ]);
    for (rank, m) in ranked.iter().enumerate() {
        let p = &instance.prisons()[m.prison];
        writer.row([
            (rank + 1).to_string(),
            p.code.to_string(),
            p.name.clone(),
            p.cpa.to_string(),
            p.function.to_string(),
            format!("{:.4}", m.value),
            format!("{:.4}", m.overflow_relief),
        ]);
    }
    writer.into_bytes()
}

/// A prison named in the summaries, by code, with its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopPlace {
    pub prison: String,
    pub value: f64,
    pub overflow_relief: f64,
}

/// The first [`TOP`] prisons of the ranking where a place gains home releases or avoids
/// overflow.
pub fn top(instance: &Instance, ranked: &[MarginalValue]) -> Vec<TopPlace> {
    ranked
        .iter()
        .filter(|m| m.value > 0.0 || m.overflow_relief > 0.0)
        .take(TOP)
        .map(|m| TopPlace {
            prison: instance.prisons()[m.prison].code.to_string(),
            value: m.value,
            overflow_relief: m.overflow_relief,
        })
        .collect()
}

/// `CODE +H home, -O overflow` (2 decimals), comma-separated; `none` when an extra place
/// gains nothing anywhere.
pub fn describe(top: &[TopPlace]) -> String {
    if top.is_empty() {
        return "none".into();
    }
    top.iter()
        .map(|t| {
            format!(
                "{} +{:.2} home, -{:.2} overflow",
                t.prison, t.value, t.overflow_relief
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The summary's line: where more places would help most.
pub fn summary_line(instance: &Instance, report: &SolveReport) -> String {
    format!(
        "where would more places help most? per extra place over the horizon, home releases \
         gained and overflow person-weeks avoided: {}",
        describe(&top(instance, &ranked(instance, report)))
    )
}
