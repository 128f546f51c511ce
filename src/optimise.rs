//! The optimal plan (DOMAIN.md §5), formulated on cohorts of interchangeable prisoners and
//! solved with HiGHS for the four objectives in strict priority order: (a) least overflow,
//! (b) most home releases, (c) fewest moves, (d) least distance.
//!
//! The formulation, per constraint family:
//! - **occupancy** — for every prison i and week t, `n[i,t] = n[i,t−1] + Δ[i,t]`, where Δ
//!   sums the moves arriving (+1) and leaving (−1) in week t and their releases; the
//!   **capacity** row `n[i,t] − over[i,t] ≤ capacity[i,t] − base[i,t]`, with `base` the
//!   occupancy of the booked moves alone and `over ≥ 0` the overflow;
//! - **resettlement moves** — `x[c,j,t]`: members of cohort c (same prison, home CPA, estate,
//!   category, release week r and first movable week m) moved at week t to a resettlement
//!   prison j of their home CPA that holds them, with m ≤ t ≤ r − W (arrival at least W weeks
//!   before release, so each earns a home release); `Σ x[c,·,·] ≤ |c|` (one move each);
//! - **decants** — prisoners released after the horizon (or with no release date) may move
//!   to any prison holding their estate and category, to free places: `out[g,t]` leave
//!   supply group g (same prison, estate, category), `in[j,e,k,t]` arrive, and a hub row per
//!   (estate, category, week) balances the two; cumulative supply rows keep a reception from
//!   leaving before the week after it arrives, and everyone to one move;
//! - **escorts** — optional limits on moves per week, nationally and out of each prison.
//!
//! A prisoner released within the horizon moves only to a resettlement prison of his home CPA
//! in time for his window; moves for room are made by those released after it. Remand,
//! do-not-move and booked prisoners are never moved by the plan.

use std::collections::BTreeMap;

use crate::instance::{Instance, Origin};
use crate::kpi::evaluate;
use crate::model::{Category, Estate};
use crate::plan::{Move, MoveReason, Plan};
use crate::solver::{
    Direction, LinearProgram, Objective, Solution, SolveError, SolverOptions, StageResult,
};

/// The optimal plan and how it was proven.
#[derive(Debug, Clone)]
pub struct Optimised {
    pub plan: Plan,
    pub report: SolveReport,
}

/// The model's size and the solve's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveReport {
    pub rows: usize,
    pub columns: usize,
    pub nonzeros: usize,
    pub cohorts: usize,
    /// How the whole-number plan was obtained.
    pub integrality: Integrality,
    /// The proven upper bound on home releases among plans with the least overflow.
    pub home_bound: f64,
    /// Home releases in the plan.
    pub home: u64,
    /// (bound − home) / bound.
    pub gap: f64,
    /// Each stage's value in the plan, its proven bound and the seconds spent on it.
    pub stages: Vec<StageResult>,
    /// Home releases gained per extra place at each prison over the horizon (the capacity
    /// rows' duals in the home-release stage, summed over the weeks).
    pub marginal_value: Vec<f64>,
    /// Overflow person-weeks avoided per extra place at each prison over the horizon (the
    /// capacity rows' duals in the overflow stage, summed over the weeks).
    pub overflow_relief: Vec<f64>,
}

/// How the whole-number plan was obtained from the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integrality {
    /// The LP relaxation's optimum was integral: every stage is proven optimal.
    LpVertex,
    /// The LP optimum was fractional in a few columns; a small MIP over those columns (every
    /// other column fixed at its LP value) reached the LP's overflow, home releases and
    /// moves, which are therefore optimal. Distance is bounded by its LP value.
    Repaired { free_columns: usize },
    /// Branch and bound on the whole model, to the MIP gap asked for.
    BranchAndBound,
}

impl Integrality {
    /// A short phrase for the summary.
    pub fn describe(&self) -> String {
        match self {
            Integrality::LpVertex => "the LP relaxation was integral".to_string(),
            Integrality::Repaired { free_columns } => format!(
                "the LP relaxation was fractional in {free_columns} column(s), repaired by a \
                 MIP over them at the LP's values"
            ),
            Integrality::BranchAndBound => "branched: the LP relaxation was fractional".to_string(),
        }
    }

    /// The name written in kpis.json.
    pub fn name(&self) -> &'static str {
        match self {
            Integrality::LpVertex => "lp_vertex",
            Integrality::Repaired { .. } => "repaired",
            Integrality::BranchAndBound => "branch_and_bound",
        }
    }
}

/// Why no optimal plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum OptimiseError {
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// A group of interchangeable movers with the same resettlement options.
#[derive(Debug)]
struct Cohort {
    prison: usize,
    release: u32,
    members: Vec<usize>,
    size: u32,
}

/// Movers released after the horizon in one prison, with one estate and category.
#[derive(Debug)]
struct SupplyGroup {
    prison: usize,
    class: Class,
    members: Vec<usize>,
}

type Class = (Estate, Option<Category>);

#[derive(Debug, Clone, Copy)]
struct ResettleColumn {
    cohort: usize,
    to: usize,
    week: u32,
    column: usize,
}

#[derive(Debug, Clone, Copy)]
struct OutColumn {
    group: usize,
    week: u32,
    column: usize,
}

#[derive(Debug, Clone, Copy)]
struct InColumn {
    class: Class,
    to: usize,
    week: u32,
    column: usize,
}

/// The model built from an instance, with the meaning of its columns.
struct Formulation {
    lp: LinearProgram,
    capacity_rows: Vec<Vec<usize>>,
    overflow: Vec<usize>,
    cohorts: Vec<Cohort>,
    groups: Vec<SupplyGroup>,
    resettle: Vec<ResettleColumn>,
    outs: Vec<OutColumn>,
    ins: Vec<InColumn>,
    booked: Vec<Move>,
}

/// Finds the optimal plan: solves the LP relaxation first; when its optimum is fractional,
/// repairs it with a small MIP over the fractional columns, and branches on the whole model
/// only when the repair cannot reach the LP's values.
pub fn optimise(instance: &Instance, options: SolverOptions) -> Result<Optimised, OptimiseError> {
    let f = Formulation::build(instance);
    let objectives = f.objectives(instance);
    let relaxed = f.lp.solve_in_order(&objectives, false, options)?;
    // A whole-number point that keeps the whole-number objectives (overflow, home releases,
    // moves) at their LP values is optimal for them: the LP values bound every plan.
    let reaches_lp = |columns: &[f64]| {
        objectives[..3]
            .iter()
            .zip(&relaxed.stages)
            .all(|(objective, stage)| {
                (LinearProgram::objective_value(objective, columns) - stage.value).abs() < 0.5
            })
    };
    let rounded =
        f.lp.rounded_if_feasible(&relaxed.columns)
            .filter(|rounded| reaches_lp(rounded));
    let (solution, integrality) = match rounded {
        Some(rounded) => (
            Solution {
                columns: rounded,
                ..relaxed.clone()
            },
            Integrality::LpVertex,
        ),
        None => {
            let (restricted, free_columns) = f.lp.fixing_whole(&relaxed.columns, &f.move_columns());
            match restricted.solve_in_order(&objectives, true, options) {
                Ok(repaired) if reaches_lp(&repaired.columns) => {
                    (repaired, Integrality::Repaired { free_columns })
                }
                _ => (
                    f.lp.solve_in_order(&objectives, true, options)?,
                    Integrality::BranchAndBound,
                ),
            }
        }
    };
    // Each stage's value in the plan; its bound from the LP (or from branch and bound); its
    // time, the LP's and the repair's.
    let stages: Vec<StageResult> = objectives
        .iter()
        .enumerate()
        .map(|(k, objective)| {
            let lp = &relaxed.stages[k];
            let (bound, seconds) = match integrality {
                Integrality::LpVertex => (lp.value, lp.seconds),
                Integrality::Repaired { .. } => (lp.value, lp.seconds + solution.stages[k].seconds),
                Integrality::BranchAndBound => (
                    solution.stages[k].bound,
                    lp.seconds + solution.stages[k].seconds,
                ),
            };
            StageResult {
                name: objective.name,
                value: LinearProgram::objective_value(objective, &solution.columns),
                bound,
                seconds,
            }
        })
        .collect();
    let values: Vec<u32> = solution
        .columns
        .iter()
        .map(|v| v.round().max(0.0) as u32)
        .collect();
    let plan = f.extract(instance, &values)?;
    let base_home = evaluate(instance, &Plan::new(f.booked.clone()))
        .k1
        .national
        .home;
    let home = evaluate(instance, &plan).k1.national.home;
    let home_bound = base_home as f64 + (stages[1].bound + 1e-6).floor().max(0.0);
    let home_bound = home_bound.max(home as f64);
    let per_place = |stage: usize| -> Vec<f64> {
        f.capacity_rows
            .iter()
            .map(|rows| {
                rows.iter()
                    .map(|&r| relaxed.row_duals[stage][r].abs())
                    .sum::<f64>()
            })
            .collect()
    };
    let report = SolveReport {
        rows: f.lp.row_count(),
        columns: f.lp.column_count(),
        nonzeros: f.lp.nonzero_count(),
        cohorts: f.cohorts.len() + f.groups.len(),
        integrality,
        home_bound,
        home,
        gap: if home_bound > 0.0 {
            (home_bound - home as f64) / home_bound
        } else {
            0.0
        },
        stages,
        marginal_value: per_place(1),
        overflow_relief: per_place(0),
    };
    Ok(Optimised { plan, report })
}

impl Formulation {
    /// The columns that count people moved (resettlement moves, decants out and in): the
    /// rest (occupancy, overflow) follow from them.
    fn move_columns(&self) -> Vec<usize> {
        let resettle = self.resettle.iter().map(|c| c.column);
        let outs = self.outs.iter().map(|c| c.column);
        let ins = self.ins.iter().map(|c| c.column);
        resettle.chain(outs).chain(ins).collect()
    }

    fn build(instance: &Instance) -> Formulation {
        let horizon = instance.options.horizon;
        let prisons = instance.prisons().len();
        let booked = Plan::booked(instance);
        let base = evaluate(instance, &Plan::new(booked.clone())).occupancy;
        let mut lp = LinearProgram::default();

        // Occupancy and capacity.
        let balance: Vec<Vec<usize>> = (0..prisons)
            .map(|_| (0..horizon).map(|_| lp.add_row(0.0..=0.0)).collect())
            .collect();
        let capacity_rows: Vec<Vec<usize>> = (0..prisons)
            .map(|i| {
                (0..horizon as usize)
                    .map(|t| {
                        let room = f64::from(instance.capacity[i][t]) - base[i][t] as f64;
                        lp.add_row(f64::NEG_INFINITY..=room)
                    })
                    .collect()
            })
            .collect();
        let mut overflow = Vec::new();
        for i in 0..prisons {
            for t in 0..horizon as usize {
                let mut entries = vec![(balance[i][t], 1.0), (capacity_rows[i][t], 1.0)];
                if t + 1 < horizon as usize {
                    entries.push((balance[i][t + 1], -1.0));
                }
                lp.add_column(f64::NEG_INFINITY..=f64::INFINITY, entries);
                overflow
                    .push(lp.add_column(0.0..=f64::INFINITY, vec![(capacity_rows[i][t], -1.0)]));
            }
        }

        // Escort limits.
        let booked_in = |week: u32, from: Option<usize>| {
            booked
                .iter()
                .filter(|m| m.week == week && from.is_none_or(|p| p == m.from))
                .map(|m| f64::from(m.count))
                .sum::<f64>()
        };
        let national: Vec<Option<usize>> = (0..horizon)
            .map(|t| {
                instance.options.max_moves_per_week.map(|limit| {
                    lp.add_row(f64::NEG_INFINITY..=(f64::from(limit) - booked_in(t, None)).max(0.0))
                })
            })
            .collect();
        let per_prison: Vec<Vec<Option<usize>>> = (0..prisons)
            .map(|i| {
                (0..horizon)
                    .map(|t| {
                        instance.options.max_moves_per_prison_week.map(|limit| {
                            let left = f64::from(limit) - booked_in(t, Some(i));
                            lp.add_row(f64::NEG_INFINITY..=left.max(0.0))
                        })
                    })
                    .collect()
            })
            .collect();
        let escort = |from: usize, week: u32| {
            national[week as usize]
                .iter()
                .chain(&per_prison[from][week as usize])
                .map(|&row| (row, 1.0))
                .collect::<Vec<_>>()
        };
        // The balance-row entries of `count` people moving from → to at `week` until `end`.
        let moving = |from: usize, to: usize, week: u32, end: u32| {
            let mut entries = vec![
                (balance[to][week as usize], -1.0),
                (balance[from][week as usize], 1.0),
            ];
            if end < horizon {
                entries.push((balance[to][end as usize], 1.0));
                entries.push((balance[from][end as usize], -1.0));
            }
            entries
        };

        // Resettlement moves.
        let window = instance.options.window;
        let cohorts = resettlement_cohorts(instance);
        let mut resettle = Vec::new();
        for (c, cohort) in cohorts.iter().enumerate() {
            let first = &instance.movers[cohort.members[0]];
            let start = first.movable_from.expect("cohort members are movable");
            let limit = lp.add_row(f64::NEG_INFINITY..=f64::from(cohort.size));
            for to in (0..prisons).filter(|&j| {
                j != cohort.prison && instance.suits(j, first) && instance.is_home(j, first)
            }) {
                for week in start..=cohort.release - window {
                    let mut entries = moving(cohort.prison, to, week, cohort.release + 1);
                    entries.push((limit, 1.0));
                    entries.extend(escort(cohort.prison, week));
                    let column = lp.add_column(0.0..=f64::from(cohort.size), entries);
                    resettle.push(ResettleColumn {
                        cohort: c,
                        to,
                        week,
                        column,
                    });
                }
            }
        }

        // Decants: supply groups, a hub per class and week, arrivals.
        let first_movable = instance.options.first_movable_week;
        let groups = supply_groups(instance);
        let classes: Vec<Class> = {
            let mut classes: Vec<Class> = groups.iter().map(|g| g.class).collect();
            classes.sort();
            classes.dedup();
            classes
        };
        let hubs: BTreeMap<(Class, u32), usize> = classes
            .iter()
            .flat_map(|&class| (first_movable..horizon).map(move |t| (class, t)))
            .map(|key| (key, lp.add_row(0.0..=0.0)))
            .collect();
        let mut outs = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            // Cumulative supply: by week t, at most the members movable by then have left.
            let mut available: BTreeMap<u32, u32> = BTreeMap::new();
            for &m in &group.members {
                let mover = &instance.movers[m];
                *available
                    .entry(mover.movable_from.expect("movable"))
                    .or_default() += mover.count;
            }
            let mut total = 0;
            let steps: Vec<(u32, usize)> = available
                .iter()
                .map(|(&from, &count)| {
                    total += count;
                    (from, lp.add_row(f64::NEG_INFINITY..=f64::from(total)))
                })
                .collect();
            let earliest = steps[0].0;
            for week in earliest.max(first_movable)..horizon {
                // Row k bounds the moves made before the next step's week.
                let mut entries: Vec<(usize, f64)> = steps
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| steps.get(k + 1).is_none_or(|next| week < next.0))
                    .map(|(_, &(_, row))| (row, 1.0))
                    .collect();
                entries.push((balance[group.prison][week as usize], 1.0));
                entries.push((hubs[&(group.class, week)], 1.0));
                entries.extend(escort(group.prison, week));
                let column = lp.add_column(0.0..=f64::INFINITY, entries);
                outs.push(OutColumn {
                    group: g,
                    week,
                    column,
                });
            }
        }
        let mut ins = Vec::new();
        for &class in &classes {
            let (estate, category) = class;
            for to in (0..prisons).filter(|&j| {
                let p = &instance.prisons()[j];
                p.is_destination() && p.holds(estate, category)
            }) {
                for week in first_movable..horizon {
                    let entries = vec![
                        (balance[to][week as usize], -1.0),
                        (hubs[&(class, week)], -1.0),
                    ];
                    let column = lp.add_column(0.0..=f64::INFINITY, entries);
                    ins.push(InColumn {
                        class,
                        to,
                        week,
                        column,
                    });
                }
            }
        }
        Formulation {
            lp,
            capacity_rows,
            overflow,
            cohorts,
            groups,
            resettle,
            outs,
            ins,
            booked,
        }
    }

    /// (a) overflow, (b) home releases, (c) moves, (d) distance of resettlement moves.
    fn objectives(&self, instance: &Instance) -> Vec<Objective> {
        let ones = |columns: &mut dyn Iterator<Item = usize>| columns.map(|c| (c, 1.0)).collect();
        vec![
            Objective {
                name: "overflow",
                direction: Direction::Minimise,
                costs: ones(&mut self.overflow.iter().copied()),
            },
            Objective {
                name: "home releases",
                direction: Direction::Maximise,
                costs: ones(&mut self.resettle.iter().map(|r| r.column)),
            },
            Objective {
                name: "moves",
                direction: Direction::Minimise,
                costs: ones(
                    &mut self
                        .resettle
                        .iter()
                        .map(|r| r.column)
                        .chain(self.outs.iter().map(|o| o.column)),
                ),
            },
            Objective {
                name: "distance",
                direction: Direction::Minimise,
                costs: self
                    .resettle
                    .iter()
                    .map(|r| {
                        (
                            r.column,
                            distance_km(instance, self.cohorts[r.cohort].prison, r.to),
                        )
                    })
                    .collect(),
            },
        ]
    }

    /// Turns column values into individual moves, deterministically: members in id order,
    /// columns in week then destination order.
    fn extract(&self, instance: &Instance, values: &[u32]) -> Result<Plan, SolveError> {
        let mut moves = self.booked.clone();
        let mut left: Vec<u32> = instance.movers.iter().map(|m| m.count).collect();
        let mut columns = self.resettle.clone();
        columns.sort_by_key(|r| (r.cohort, r.week, instance.prisons()[r.to].code.clone()));
        for r in columns {
            let cohort = &self.cohorts[r.cohort];
            take(
                &mut left,
                &cohort.members,
                values[r.column],
                |mover, count| {
                    moves.push(Move {
                        mover,
                        count,
                        from: cohort.prison,
                        to: r.to,
                        week: r.week,
                        reason: MoveReason::Resettle,
                    });
                },
                |_| true,
            );
        }
        // Decants: pair departures and arrivals of each class and week by least distance.
        let mut departures: BTreeMap<(Class, u32), BTreeMap<usize, u32>> = BTreeMap::new();
        for o in &self.outs {
            if values[o.column] > 0 {
                *departures
                    .entry((self.groups[o.group].class, o.week))
                    .or_default()
                    .entry(o.group)
                    .or_default() += values[o.column];
            }
        }
        let mut arrivals: BTreeMap<(Class, u32), BTreeMap<usize, u32>> = BTreeMap::new();
        for a in &self.ins {
            if values[a.column] > 0 {
                *arrivals
                    .entry((a.class, a.week))
                    .or_default()
                    .entry(a.to)
                    .or_default() += values[a.column];
            }
        }
        for ((class, week), from) in departures {
            let to = arrivals.remove(&(class, week)).unwrap_or_default();
            for (group, to, count) in pair_by_distance(instance, &self.groups, from, to)? {
                let g = &self.groups[group];
                take(
                    &mut left,
                    &g.members,
                    count,
                    |mover, count| {
                        moves.push(Move {
                            mover,
                            count,
                            from: g.prison,
                            to,
                            week,
                            reason: MoveReason::Decant,
                        });
                    },
                    |mover| {
                        instance.movers[mover]
                            .movable_from
                            .is_some_and(|m| m <= week)
                    },
                );
            }
        }
        Ok(Plan::new(moves))
    }
}

/// Takes `count` people from `members` (in order) who pass `ready`, calling `emit` for each
/// mover with how many of his were taken.
fn take(
    left: &mut [u32],
    members: &[usize],
    mut count: u32,
    mut emit: impl FnMut(usize, u32),
    ready: impl Fn(usize) -> bool,
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

/// Pairs the departures of one class and week (by supply group) with its arrivals (by
/// prison) so that the distance is least: a transportation problem, integral as an LP.
fn pair_by_distance(
    instance: &Instance,
    groups: &[SupplyGroup],
    from: BTreeMap<usize, u32>,
    mut to: BTreeMap<usize, u32>,
) -> Result<Vec<(usize, usize, u32)>, SolveError> {
    // Someone leaving a prison that others of his class enter is not moved at all.
    let mut from = from;
    for (group, count) in from.iter_mut() {
        if let Some(arriving) = to.get_mut(&groups[*group].prison) {
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
        .map(|(&g, &c)| (g, lp.add_row(f64::from(c)..=f64::from(c))))
        .collect();
    let demand: BTreeMap<usize, usize> = to
        .iter()
        .map(|(&j, &c)| (j, lp.add_row(f64::from(c)..=f64::from(c))))
        .collect();
    let mut pairs = Vec::new();
    let mut costs = Vec::new();
    for (&g, &s) in &supply {
        for (&j, &d) in &demand {
            let column = lp.add_column(0.0..=f64::INFINITY, vec![(s, 1.0), (d, 1.0)]);
            costs.push((column, distance_km(instance, groups[g].prison, j)));
            pairs.push((g, j));
        }
    }
    let objective = Objective {
        name: "decant distance",
        direction: Direction::Minimise,
        costs,
    };
    let solution = lp.solve_in_order(&[objective], false, SolverOptions::default())?;
    Ok(pairs
        .into_iter()
        .zip(solution.columns)
        .filter(|(_, v)| v.round() >= 1.0)
        .map(|((g, j), v)| (g, j, v.round() as u32))
        .collect())
}

/// Great-circle distance between two prisons in km; 0 when either has no coordinates.
pub fn distance_km(instance: &Instance, a: usize, b: usize) -> f64 {
    let (Some((lat1, lon1)), Some((lat2, lon2))) = (
        instance.prisons()[a].location,
        instance.prisons()[b].location,
    ) else {
        return 0.0;
    };
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Members in a canonical order: prisoners by id, then reception cohorts by position.
fn member_key(instance: &Instance, mover: usize) -> (u8, &str, usize) {
    match instance.movers[mover].origin {
        Origin::Prisoner(i) => (0, instance.inputs.prisoners[i].id.as_str(), 0),
        Origin::Reception(i) => (1, "", i),
    }
}

/// Movers who can earn a home release by a move, grouped by (prison, home, estate, category,
/// release week, first movable week).
fn resettlement_cohorts(instance: &Instance) -> Vec<Cohort> {
    let window = instance.options.window;
    let mut cohorts: BTreeMap<(usize, usize, Class, u32, u32), Vec<usize>> = BTreeMap::new();
    for (m, mover) in instance.movers.iter().enumerate() {
        let (Some(home), Some(release), Some(first)) =
            (mover.home, mover.release_week, mover.movable_from)
        else {
            continue;
        };
        if mover.releases_in(instance.options.horizon)
            && release >= first + window
            && !instance.is_home(mover.prison, mover)
        {
            cohorts
                .entry((
                    mover.prison,
                    home,
                    (mover.estate, mover.category),
                    release,
                    first,
                ))
                .or_default()
                .push(m);
        }
    }
    cohorts
        .into_iter()
        .map(|((prison, _, _, release, _), mut members)| {
            members.sort_by_key(|&m| member_key(instance, m));
            let size = members.iter().map(|&m| instance.movers[m].count).sum();
            Cohort {
                prison,
                release,
                members,
                size,
            }
        })
        .collect()
}

/// Movable movers released after the horizon (or never), grouped by (prison, estate,
/// category).
fn supply_groups(instance: &Instance) -> Vec<SupplyGroup> {
    let horizon = instance.options.horizon;
    let mut groups: BTreeMap<(usize, Class), Vec<usize>> = BTreeMap::new();
    for (m, mover) in instance.movers.iter().enumerate() {
        if mover.movable_from.is_some_and(|f| f < horizon)
            && mover.release_week.is_none_or(|r| r >= horizon)
        {
            groups
                .entry((mover.prison, (mover.estate, mover.category)))
                .or_default()
                .push(m);
        }
    }
    groups
        .into_iter()
        .map(|((prison, class), mut members)| {
            members.sort_by_key(|&m| member_key(instance, m));
            SupplyGroup {
                prison,
                class,
                members,
            }
        })
        .collect()
}
