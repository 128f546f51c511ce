//! From column values back to individual moves, deterministically: members in their
//! canonical order, columns in cohort, week and destination order; a pool's departures and
//! arrivals paired by least distance.

use std::collections::BTreeMap;

use super::formulation::{distance_km, Formulation, PoolKey, Source};
use crate::instance::Instance;
use crate::plan::{Move, MoveReason, Plan};
use crate::solver::{Direction, LinearProgram, Objective, SolveError, SolverOptions};

/// The plan of whole-number column values `values`.
pub fn plan(instance: &Instance, f: &Formulation, values: &[u32]) -> Result<Plan, SolveError> {
    let mut moves = f.booked.clone();
    let mut left: Vec<u32> = instance.movers.iter().map(|m| m.count).collect();
    let mut direct = f.direct.clone();
    direct.sort_by_key(|d| (d.cohort, d.week, instance.prisons()[d.to].code.clone()));
    for d in direct {
        let cohort = &f.cohorts[d.cohort];
        let reason = match cohort.forced_by {
            Some(_) => MoveReason::Closure,
            None => MoveReason::Resettle,
        };
        take(
            &mut left,
            &cohort.members,
            values[d.column],
            |_| true,
            |mover, count| {
                moves.push(Move {
                    mover,
                    count,
                    from: cohort.prison,
                    to: d.to,
                    week: d.week,
                    reason,
                });
            },
        );
    }
    let mut departures: BTreeMap<PoolKey, BTreeMap<usize, u32>> = BTreeMap::new();
    for o in f.outs.iter().filter(|o| values[o.column] > 0) {
        *departures
            .entry(o.pool)
            .or_default()
            .entry(o.source)
            .or_default() += values[o.column];
    }
    let mut arrivals: BTreeMap<PoolKey, BTreeMap<usize, u32>> = BTreeMap::new();
    for a in f.ins.iter().filter(|a| values[a.column] > 0) {
        *arrivals.entry(a.pool).or_default().entry(a.to).or_default() += values[a.column];
    }
    for (pool, from) in departures {
        let (_, week, _) = pool;
        let to = arrivals.remove(&pool).unwrap_or_default();
        for (s, to, count) in pair_by_distance(instance, &f.sources, from, to)? {
            let source = &f.sources[s];
            let reason = if source.forced {
                MoveReason::Closure
            } else {
                MoveReason::Decant
            };
            let ready = |m: usize| instance.movers[m].movable_from.is_some_and(|f| f <= week);
            take(&mut left, &source.members, count, ready, |mover, count| {
                moves.push(Move {
                    mover,
                    count,
                    from: source.prison,
                    to,
                    week,
                    reason,
                });
            });
        }
    }
    Ok(Plan::new(moves))
}

/// Takes `count` people from `members` (in order) who pass `ready`, calling `emit` for each
/// mover with how many of his were taken.
fn take(
    left: &mut [u32],
    members: &[usize],
    mut count: u32,
    ready: impl Fn(usize) -> bool,
    mut emit: impl FnMut(usize, u32),
) {
    for &m in members {
        if count == 0 {
            break;
        }
        if !ready(m) {
            continue;
        }
        let taken = left[m].min(count);
        if taken > 0 {
            left[m] -= taken;
            count -= taken;
            emit(m, taken);
        }
    }
    debug_assert_eq!(count, 0, "a column moved more people than its cohort holds");
}

/// Pairs the departures of one pool (by source) with its arrivals (by prison) so that the
/// distance is least: a transportation problem, integral as an LP. Someone leaving a prison
/// that others of his pool enter is not moved at all (unless a closure forces him).
fn pair_by_distance(
    instance: &Instance,
    sources: &[Source],
    mut from: BTreeMap<usize, u32>,
    mut to: BTreeMap<usize, u32>,
) -> Result<Vec<(usize, usize, u32)>, SolveError> {
    for (source, count) in from.iter_mut().filter(|(s, _)| !sources[**s].forced) {
        if let Some(arriving) = to.get_mut(&sources[*source].prison) {
            let same = (*count).min(*arriving);
            *count -= same;
            *arriving -= same;
        }
    }
    from.retain(|_, c| *c > 0);
    to.retain(|_, c| *c > 0);
    if from.is_empty() {
        return Ok(Vec::new());
    }
    let mut lp = LinearProgram::default();
    let supply: BTreeMap<usize, usize> = from
        .iter()
        .map(|(&s, &c)| (s, lp.add_row(f64::from(c)..=f64::from(c))))
        .collect();
    let demand: BTreeMap<usize, usize> = to
        .iter()
        .map(|(&j, &c)| (j, lp.add_row(f64::from(c)..=f64::from(c))))
        .collect();
    let mut pairs = Vec::new();
    let mut costs = Vec::new();
    for (&s, &supply_row) in &supply {
        for (&j, &demand_row) in &demand {
            if j == sources[s].prison {
                continue;
            }
            let column = lp.add_column(
                0.0..=f64::INFINITY,
                vec![(supply_row, 1.0), (demand_row, 1.0)],
            );
            costs.push((column, distance_km(instance, sources[s].prison, j)));
            pairs.push((s, j));
        }
    }
    let objective = Objective {
        name: "pairing distance",
        direction: Direction::Minimise,
        costs,
        weight: 1.0,
    };
    let solution = lp.solve_in_order(&[objective], false, SolverOptions::default(), &mut |_| {})?;
    Ok(pairs
        .into_iter()
        .zip(solution.columns)
        .filter(|(_, v)| v.round() >= 1.0)
        .map(|((s, j), v)| (s, j, v.round() as u32))
        .collect())
}
