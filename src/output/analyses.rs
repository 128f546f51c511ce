//! The files of the analyses: `marginal_value.csv` and `bottlenecks.csv`.

use super::rows::{BottleneckRow, MarginalValueRow};
use super::rows_csv;
use crate::analysis::bottleneck::{codes, Bound};
use crate::analysis::marginal::{round4, MarginalValue};
use crate::problem::instance::Instance;

/// `marginal_value.csv`: `rank,prison,name,cpa,function,marginal_value,overflow_relief`, the
/// predicted rates per place, then for the prisons re-solved `resolved_places`,
/// `predicted_home` and `resolved_home` (the change in (b)), `predicted_overflow_relief` and
/// `resolved_overflow_relief`, `resolve_status`; one row per prison in rank order.
pub fn marginal_value_csv(instance: &Instance, ranked: &[MarginalValue]) -> Vec<u8> {
    rows_csv(ranked.iter().enumerate().map(|(rank, m)| {
        let p = &instance.prisons()[m.prison];
        let resolved = m.resolved.as_ref();
        let predicted = |rate: f64| resolved.map(|r| round4(f64::from(r.places) * rate));
        MarginalValueRow {
            rank: rank + 1,
            prison: p.code.to_string(),
            name: p.name.clone(),
            cpa: p.cpa.to_string(),
            function: p.function.to_string(),
            marginal_value: m.value,
            overflow_relief: m.overflow_relief,
            resolved_places: resolved.map(|r| r.places),
            predicted_home: predicted(m.value),
            resolved_home: resolved.and_then(|r| r.home),
            predicted_overflow_relief: predicted(m.overflow_relief),
            resolved_overflow_relief: resolved.and_then(|r| r.overflow_relief),
            resolve_status: resolved.map(|r| r.status.to_string()),
        }
    }))
}

/// `bottlenecks.csv`: `week,date,cpa,demand,reachable,share,below_80,cut_prisons`, per week
/// the nation (`cpa` = `national`) then each home CPA; `cut_prisons` `;`-separated codes.
pub fn bottlenecks_csv(instance: &Instance, bounds: &[Bound]) -> Vec<u8> {
    rows_csv(bounds.iter().map(|b| BottleneckRow {
        week: b.week,
        date: instance.date_of(b.week).to_string(),
        cpa: b.cpa.map_or_else(
            || "national".to_string(),
            |c| instance.inputs.data.cpas[c].id.to_string(),
        ),
        demand: b.demand,
        reachable: b.reachable,
        share: b.share(),
        below_80: b.below_target(),
        cut_prisons: codes(instance, &b.cut).join(";"),
    }))
}
