//! From column values back to individual moves, deterministically: members in their
//! canonical order, columns in cohort, week and destination order; a pool's departures and
//! arrivals paired by least distance.

use std::collections::BTreeMap;

use super::formulation::{distance_km, DirectColumn, Formulation, Kept, PoolKey, Source};
use crate::problem::instance::Instance;
use crate::problem::plan::{Move, MoveReason, Plan};
use crate::solver::{Direction, LinearProgram, Objective, SolveError, SolverOptions};

/// The plan of whole-number column values `values`. With last week's plan, the moves it kept
/// (b′) are made by the very members planned to make them, and the other moves are given
/// first to members no kept move waits for.
pub fn plan(instance: &Instance, f: &Formulation, values: &[u32]) -> Result<Plan, SolveError> {
    let mut moves = f.booked.clone();
    let mut left: Vec<u32> = instance.movers.iter().map(|m| m.count).collect();
    let mut kept_direct: BTreeMap<(usize, usize, u32), u32> = BTreeMap::new();
    let mut kept_decants: BTreeMap<PoolKey, Vec<(usize, usize, u32)>> = BTreeMap::new();
    for k in f.kept.iter().filter(|k| values[k.column] > 0) {
        match k.kept {
            Kept::Direct { cohort, to, week } => {
                kept_direct.insert((cohort, to, week), values[k.column]);
            }
            Kept::Decant { source, pool, to } => {
                kept_decants
                    .entry(pool)
                    .or_default()
                    .push((source, to, values[k.column]));
            }
        }
    }
    let planned_for =
        |to: usize, week: u32| move |m: usize| instance.previous.get(&m) == Some(&(to, week));
    let free = |m: usize| !instance.previous.contains_key(&m);
    let mut direct = f.direct.clone();
    direct.sort_by_key(|d| (d.cohort, d.week, instance.prisons()[d.to].code.clone()));
    // Kept moves home first (they need no readiness: a cohort is movable from one week).
    let mut rest: Vec<u32> = direct.iter().map(|d| values[d.column]).collect();
    for (d, rest) in direct.iter().zip(&mut rest) {
        let kept = kept_direct
            .get(&(d.cohort, d.to, d.week))
            .map_or(0, |&k| k.min(*rest));
        *rest -= kept;
        let mut emit = direct_move(&mut moves, f, d);
        take(
            &mut left,
            &f.cohorts[d.cohort].members,
            kept,
            &[&planned_for(d.to, d.week)],
            &mut emit,
        );
    }
    for (d, rest) in direct.iter().zip(rest) {
        let mut emit = direct_move(&mut moves, f, d);
        take(
            &mut left,
            &f.cohorts[d.cohort].members,
            rest,
            &[&free, &|_| true],
            &mut emit,
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
    // Pools in week order within each class: a member taken for an early week is one a
    // later week cannot take, so the early weeks first, each with its kept moves first.
    for (pool, mut from) in departures {
        let (_, week, _) = pool;
        let mut to = arrivals.remove(&pool).unwrap_or_default();
        let ready = |m: usize| instance.movers[m].movable_from.is_some_and(|f| f <= week);
        let mut pairs = Vec::new();
        for &(s, j, count) in kept_decants.get(&pool).into_iter().flatten() {
            let (leaving, coming) = (from.entry(s).or_default(), to.entry(j).or_default());
            // The model bounds kept decants by both; the minimum only guards rounding.
            let count = count.min(*leaving).min(*coming);
            *leaving -= count;
            *coming -= count;
            pairs.push((s, j, count, true));
        }
        from.retain(|_, c| *c > 0);
        to.retain(|_, c| *c > 0);
        let paired = pair_by_distance(instance, &f.sources, from, to)?;
        pairs.extend(paired.into_iter().map(|(s, j, count)| (s, j, count, false)));
        for (s, to, count, kept) in pairs {
            let source = &f.sources[s];
            let reason = if source.forced {
                MoveReason::Closure
            } else {
                MoveReason::Decant
            };
            let planned = planned_for(to, week);
            let (first, unreserved) = (|m| ready(m) && planned(m), |m| ready(m) && free(m));
            let tiers: [&dyn Fn(usize) -> bool; 3] = [&first, &unreserved, &ready];
            let tiers = if kept { &tiers[..] } else { &tiers[1..] };
            take(
                &mut left,
                &source.members,
                count,
                tiers,
                &mut |mover, count| {
                    moves.push(Move {
                        mover,
                        count,
                        from: source.prison,
                        to,
                        week,
                        reason,
                    });
                },
            );
        }
    }
    Ok(Plan::new(moves))
}

/// Emits the moves of members taken for the direct column `d`.
fn direct_move<'a>(
    moves: &'a mut Vec<Move>,
    f: &'a Formulation,
    d: &'a DirectColumn,
) -> impl FnMut(usize, u32) + 'a {
    let cohort = &f.cohorts[d.cohort];
    let reason = match cohort.forced_by {
        Some(_) => MoveReason::Closure,
        None => MoveReason::Resettle,
    };
    move |mover, count| {
        moves.push(Move {
            mover,
            count,
            from: cohort.prison,
            to: d.to,
            week: d.week,
            reason,
        });
    }
}

/// Takes `count` people from `members`: those who pass the first of `tiers` (in members'
/// order), then the second, and so on; calls `emit` for each mover with how many of his
/// were taken. The last tier always holds enough: the model counts who may move when.
fn take(
    left: &mut [u32],
    members: &[usize],
    mut count: u32,
    tiers: &[&dyn Fn(usize) -> bool],
    emit: &mut dyn FnMut(usize, u32),
) {
    for tier in tiers {
        for &m in members {
            if count == 0 {
                return;
            }
            if !tier(m) {
                continue;
            }
            let taken = left[m].min(count);
            if taken > 0 {
                left[m] -= taken;
                count -= taken;
                emit(m, taken);
            }
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
