//! The optimal plan (docs/planning-rules.md §5): the model of [`formulation`] solved with HiGHS for its
//! five objectives in strict priority order, turned back into individual moves
//! ([`extract`]).
//!
//! The LP relaxation is solved first; a fractional optimum is repaired by a small MIP over
//! its fractional move columns (everything else fixed; first one MIP with every objective but
//! the last held at its LP value and the last optimised, then the same over every move column
//! of their cohorts, sources and pools, else stage by stage) and
//! accepted when it reaches the LP's whole-number objectives, which proves it optimal, or,
//! marked as such, when it falls short of none by more than the MIP gap; otherwise branch
//! and bound on the whole model. With a time limit, the best whole-number plan found by then is returned, marked,
//! with its proven bound; when not even the LP finished, the greedy plan.

mod extract;
pub mod formulation;

use std::collections::BTreeSet;

pub use formulation::distance_km;

use crate::problem::instance::Instance;
use crate::problem::kpi::{evaluate, Kpis};
use crate::problem::plan::Plan;
use crate::solver::{
    Direction, Fixed, LinearProgram, Objective, Solution, SolveError, SolverOptions, StageResult,
};
use formulation::Formulation;
pub use formulation::KeyedBasis;

/// The optimal plan and how it was proven.
#[derive(Debug, Clone)]
pub struct Optimised {
    pub plan: Plan,
    /// The KPIs of `plan` ([`evaluate`]).
    pub kpis: Kpis,
    pub report: SolveReport,
    /// The basis of the LP's blended start, by meaning: a start for the plan of a similar
    /// instance ([`optimise_reporting`]).
    pub basis: Option<KeyedBasis>,
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
    /// The proven upper bound on (b), home releases plus on-track credits, among plans with
    /// the least overflow.
    pub home_bound: f64,
    /// (b) in the plan: home releases plus prisoners on track at the horizon's end.
    pub home: u64,
    /// (bound − home) / bound.
    pub gap: f64,
    /// The seconds of the LP's blended start, before its first stage.
    pub start_seconds: f64,
    /// Each stage's value in the plan, its proven bound and the seconds spent on it.
    pub stages: Vec<StageResult>,
    /// The change in (b) per extra place at each prison in every open week, predicted from
    /// the LP's duals ([`change_per_place`]).
    pub marginal_value: Vec<f64>,
    /// Overflow person-weeks avoided per extra place at each prison in every open week,
    /// predicted from the LP's duals.
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
    /// The repair fell short of the LP's values, but no whole-number objective by more than
    /// the MIP gap asked for (at least half a unit): accepted with the LP's bounds, not
    /// proven optimal. Branch and bound on the whole model could take hours at 52 weeks.
    WithinGap { free_columns: usize },
    /// Branch and bound on the whole model, to the MIP gap asked for.
    BranchAndBound,
    /// The time limit ran out in branch and bound: the best whole-number plan found by then,
    /// with the proven bound.
    TimeLimit { stage: &'static str },
    /// The time limit ran out before the LP relaxation was solved: the greedy plan, with
    /// the trivial bound (every release and window counted as placed).
    TimeLimitGreedy { stage: &'static str },
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
            Integrality::WithinGap { free_columns } => format!(
                "the LP relaxation was fractional in {free_columns} column(s); the MIP over them \
                 came within the MIP gap of the LP's values, not proven optimal"
            ),
            Integrality::BranchAndBound => "branched: the LP relaxation was fractional".to_string(),
            Integrality::TimeLimit { stage } => format!(
                "TIME LIMIT in the '{stage}' stage: the best whole-number plan found by then, \
                 not proven optimal"
            ),
            Integrality::TimeLimitGreedy { stage } => format!(
                "TIME LIMIT in the '{stage}' stage of the LP: the greedy plan, not optimised"
            ),
        }
    }

    /// The name written in kpis.json.
    pub fn name(&self) -> &'static str {
        match self {
            Integrality::LpVertex => "lp_vertex",
            Integrality::Repaired { .. } => "repaired",
            Integrality::WithinGap { .. } => "within_gap",
            Integrality::BranchAndBound => "branch_and_bound",
            Integrality::TimeLimit { .. } => "time_limit",
            Integrality::TimeLimitGreedy { .. } => "time_limit_greedy",
        }
    }
}

/// Why no optimal plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum OptimiseError {
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// The model of `instance` as solved, for another solver (`--write-model`): free MPS with the
/// first objective, and every objective in priority order (`output::objectives_csv` writes
/// them, so that the stages can be replayed).
pub fn exported_model(instance: &Instance) -> std::io::Result<(Vec<u8>, Vec<Objective>)> {
    let f = Formulation::build(instance).with_every_column();
    let mps = f.lp.to_mps(&f.objectives[0])?;
    Ok((mps, f.objectives))
}

/// Finds the optimal plan without telling anyone how it goes.
pub fn optimise(instance: &Instance, options: SolverOptions) -> Result<Optimised, OptimiseError> {
    optimise_reporting(instance, options, None, &mut |_| {})
}

/// Finds the optimal plan: solves the LP relaxation first; when its optimum is fractional,
/// repairs it with a small MIP over the fractional columns, and branches on the whole model
/// only when the repair cannot reach the LP's values. `progress` hears of every stage.
///
/// With `start` (the [`Optimised::basis`] of a similar instance's plan: the same estate with
/// another scenario's edits), the LP's blended start begins at that plan's basis, carried
/// over by meaning. It changes the time, never the values: every stage is still proven.
pub fn optimise_reporting(
    instance: &Instance,
    options: SolverOptions,
    start: Option<&KeyedBasis>,
    progress: &mut dyn FnMut(&str),
) -> Result<Optimised, OptimiseError> {
    let options = options.started();
    let mut f = Formulation::build(instance);
    // The whole model's size, the generated columns counted.
    let (between, between_nonzeros) = f.between.size();
    let (columns, nonzeros) = (
        f.lp.column_count() + between,
        f.lp.nonzero_count() + between_nonzeros,
    );
    progress(&format!(
        "model: {} rows, {columns} columns ({} direct moves, {} departures, {} arrivals), \
         {nonzeros} non-zeros",
        f.lp.row_count(),
        f.direct.len() + between,
        f.outs.len(),
        f.ins.len(),
    ));
    let start = start.and_then(|basis| {
        let start = f.start_from(basis);
        if start.is_none() {
            progress(
                "the similar plan's basis leaves too many of this model's rows new: \
                 the blend starts from nothing",
            );
        }
        start
    });
    let relaxed =
        match f
            .lp
            .solve_generating(&f.objectives, &f.between, start.as_ref(), options, progress)
        {
            Ok(relaxed) => relaxed,
            Err(SolveError::TimeLimit { stage }) => {
                return Ok(greedy_fallback(instance, &f, stage));
            }
            Err(e) => return Err(e.into()),
        };
    f.adopt(&relaxed.generated);
    let basis = relaxed.blend_basis.as_ref().map(|b| f.keys.name(b));
    let objectives = &f.objectives;
    // Whether every whole-number objective (all but distance) at `columns` passes `accept`
    // (its direction, its value, the LP's value).
    let against_lp = |columns: &[f64], accept: &dyn Fn(Direction, f64, f64) -> bool| {
        objectives
            .iter()
            .zip(&relaxed.stages)
            .filter(|(objective, _)| objective.name != formulation::DISTANCE)
            .all(|(objective, stage)| {
                let value = LinearProgram::objective_value(objective, columns);
                accept(objective.direction, value, stage.value)
            })
    };
    // A whole-number point that keeps them at their LP values is optimal for them: the LP
    // values bound every plan.
    let reaches_lp =
        |columns: &[f64]| against_lp(columns, &|_, value, lp| (value - lp).abs() < 0.5);
    // Whether none is worse than its LP value by more than the gap.
    let within_gap = |columns: &[f64]| {
        against_lp(columns, &|direction, value, lp| {
            let allowed = (options.mip_gap * lp.abs()).max(0.5);
            match direction {
                Direction::Minimise => value <= lp + allowed,
                Direction::Maximise => value >= lp - allowed,
            }
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
            let moves = f.move_columns();
            let whole = |j: usize| {
                let value = relaxed.columns[j];
                Some(value.round()).filter(|whole| (value - whole).abs() < 1e-6)
            };
            let fractional: BTreeSet<usize> = moves
                .iter()
                .copied()
                .filter(|&j| whole(j).is_none())
                .collect();
            // The program left when the columns the LP never used are fixed at 0, and at its
            // value every whole move column but those of `free` and the occupancy of every
            // prison those leave alone; `on_faces`, every column and row the LP's faces fix
            // too.
            let fixing = |free: &BTreeSet<usize>, on_faces: bool| {
                let mut values: Vec<Option<f64>> = relaxed
                    .active
                    .iter()
                    .map(|&used| (!used).then_some(0.0))
                    .collect();
                let moves = moves.iter().filter(|j| !free.contains(j));
                for j in moves.copied().chain(f.occupancy_beyond(free)) {
                    values[j] = values[j].or(whole(j));
                }
                if !on_faces {
                    return f.lp.fixing(&values, &[]);
                }
                for (value, &fixed) in values.iter_mut().zip(&relaxed.on_faces.columns) {
                    *value = value.or(fixed);
                }
                f.lp.fixing(&values, &relaxed.on_faces.rows)
            };
            // A whole-number point reaches every stage but the last at its LP value only on
            // the LP's faces, when those values are whole numbers: every column and row they
            // fix may be fixed in either repair too. Nationally, the wide repair of a 16-week
            // window then takes 16,076 simplex steps instead of 24,824, 3.2 s instead of
            // 8.9 s; the narrow one over 52 weeks 0.06–0.14 s instead of 12.6 s.
            let whole_stages = (relaxed.stages.iter().rev().skip(1))
                .all(|stage| (stage.value - stage.value.round()).abs() < 1e-6);
            let free_columns = fractional.len();
            progress(&format!(
                "the LP is fractional in {free_columns} column(s): repairing by a MIP over them"
            ));
            // One MIP first: every objective but the last held at its LP value, the last
            // optimised, over the fractional columns; then the same over every column of
            // their cohorts, sources and pools; only if both fail, stage by stage.
            let (last, earlier) = objectives.split_last().expect("objectives");
            // On the faces, every point reaches the earlier stages' values: rows holding them
            // would be redundant, and, dense, they made finding a whole-number point the
            // MIP's whole work (nationally over 52 weeks, 2.7 to 8.4 s by the vertex, with
            // only the faces' columns fixed; 0.06–0.14 s on the whole faces without them).
            let at_once = |mut held: Fixed, options, progress: &mut dyn FnMut(&str)| {
                if !whole_stages {
                    for (objective, stage) in earlier.iter().zip(&relaxed.stages) {
                        held.hold_whole(objective, stage.value);
                    }
                }
                let last = held.whole_objective(last);
                held.program
                    .solve_in_order(std::slice::from_ref(&last), true, options, progress)
                    .ok()
                    .map(|repaired| held.expand(repaired))
                    .filter(|repaired| !repaired.timed_out && reaches_lp(&repaired.columns))
            };
            let repair = SolverOptions {
                feasibility_jump: false,
                ..options
            };
            let mut repaired = at_once(fixing(&fractional, whole_stages), repair, progress);
            if repaired.is_none() {
                let around = f.around(&fractional);
                progress(&format!(
                    "repairing over the {} move column(s) of their cohorts, sources and pools",
                    around.len()
                ));
                // Measured nationally over 52 weeks: HiGHS's presolve took 5 s here, as long
                // as the root LP, which came out whole.
                let wide = SolverOptions {
                    mip_presolve: false,
                    ..repair
                };
                repaired = at_once(fixing(&around, whole_stages), wide, progress);
            }
            let repaired = match repaired {
                Some(repaired) => Ok(repaired),
                None => {
                    let mut narrow = fixing(&fractional, false);
                    let objectives: Vec<Objective> = objectives
                        .iter()
                        .map(|o| narrow.whole_objective(o))
                        .collect();
                    narrow
                        .program
                        .solve_in_order(&objectives, true, options, progress)
                        .map(|repaired| narrow.expand(repaired))
                }
            };
            match repaired {
                Ok(repaired) if !repaired.timed_out && reaches_lp(&repaired.columns) => {
                    (repaired, Integrality::Repaired { free_columns })
                }
                Ok(repaired) if repaired.timed_out => {
                    let stage = repaired.stages.last().map_or("overflow", |s| s.name);
                    (repaired, Integrality::TimeLimit { stage })
                }
                Ok(repaired) if within_gap(&repaired.columns) => {
                    (repaired, Integrality::WithinGap { free_columns })
                }
                _ => {
                    progress(
                        "the repair fell short of the LP: branch and bound on the whole model",
                    );
                    let used = f.lp.restricted_to(&relaxed.active);
                    match used.solve_in_order(objectives, true, options, progress) {
                        Ok(branched) if branched.timed_out => {
                            let stage = branched.stages.last().map_or("overflow", |s| s.name);
                            (branched, Integrality::TimeLimit { stage })
                        }
                        Ok(branched) => (branched, Integrality::BranchAndBound),
                        Err(SolveError::TimeLimit { stage }) => {
                            return Ok(greedy_fallback(instance, &f, stage));
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
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
            // The repair's time: per stage, or all on the last when it was one MIP.
            let later = if solution.stages.len() == objectives.len() {
                solution.stages.get(k)
            } else {
                solution.stages.last().filter(|_| k + 1 == objectives.len())
            };
            // The LP's value bounds every plan: with column generation a branch and bound
            // over the columns used proves nothing about the others.
            let seconds = lp.seconds
                + later
                    .filter(|_| integrality != Integrality::LpVertex)
                    .map_or(0.0, |s| s.seconds);
            let bound = lp.value;
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
    let plan = extract::plan(instance, &f, &values)?;
    let kpis = evaluate(instance, &plan);
    let home = kpis.credits();
    // The bound on (b): the credits of nobody moving, plus the stage's bound on the gain.
    let unmoved = credits(instance, &Plan::new(f.booked.clone()));
    let stage = |name| objectives.iter().position(|o| o.name == name);
    let home_stage = stage(formulation::HOME).expect("a home-release stage");
    let overflow_stage = stage("overflow").expect("an overflow stage");
    let home_bound = (unmoved as f64 + (stages[home_stage].bound + 1e-6).floor()).max(home as f64);
    let per_place =
        |stage: usize| change_per_place(instance, &f.capacity_rows, &relaxed.row_duals[stage]);
    let report = SolveReport {
        rows: f.lp.row_count(),
        columns,
        nonzeros,
        cohorts: f.cohorts.len() + f.sources.len(),
        integrality,
        home_bound,
        home,
        gap: gap(home_bound, home),
        start_seconds: relaxed.start_seconds,
        stages,
        marginal_value: per_place(home_stage),
        overflow_relief: per_place(overflow_stage).iter().map(|v| -v).collect(),
    };
    Ok(Optimised {
        plan,
        kpis,
        report,
        basis,
    })
}

/// The LP values of the stages up to and including the one named `last` (all of them when no
/// stage has that name): the model of `instance` solved as an LP for its first objectives
/// only. Each value bounds every plan and, when the LP optimum is integral, is the optimum.
pub fn bounds_up_to(
    instance: &Instance,
    options: SolverOptions,
    last: &str,
) -> Result<Vec<StageResult>, SolveError> {
    let Formulation {
        lp,
        mut objectives,
        between,
        ..
    } = Formulation::build(instance);
    if let Some(k) = objectives.iter().position(|o| o.name == last) {
        objectives.truncate(k + 1);
    }
    let solved =
        lp.solve_generating(&objectives, &between, None, options.started(), &mut |_| {})?;
    Ok(solved.stages)
}

/// (b) of a plan: home releases in the horizon plus prisoners on track at its end.
pub fn credits(instance: &Instance, plan: &Plan) -> u64 {
    evaluate(instance, plan).credits()
}

fn gap(bound: f64, home: u64) -> f64 {
    if bound > 0.0 {
        (bound - home as f64) / bound
    } else {
        0.0
    }
}

/// The change in a stage's value per extra place at each prison: its `duals` summed over the
/// capacity rows of the weeks the prison is open.
fn change_per_place(instance: &Instance, capacity_rows: &[Vec<usize>], duals: &[f64]) -> Vec<f64> {
    capacity_rows
        .iter()
        .enumerate()
        .map(|(i, weeks)| {
            weeks
                .iter()
                .enumerate()
                .filter(|&(t, _)| !instance.closed(i, t as u32))
                .map(|(_, &row)| duals.get(row).copied().unwrap_or(0.0))
                .sum()
        })
        .collect()
}

/// The greedy plan, when the time limit ran out before the LP was solved, with the trivial
/// bound on (b): every eligible release in the horizon and every window opening in it.
fn greedy_fallback(instance: &Instance, f: &Formulation, stage: &'static str) -> Optimised {
    let plan = crate::planners::baseline::greedy(instance);
    let kpis = evaluate(instance, &plan);
    let home = kpis.credits();
    let (horizon, window) = (instance.options.horizon, instance.options.window);
    let trivial: u64 = instance
        .movers
        .iter()
        .filter(|m| m.eligible && m.release_week.is_some_and(|r| r < horizon + window))
        .map(|m| u64::from(m.count))
        .sum();
    let prisons = instance.prisons().len();
    Optimised {
        plan,
        kpis,
        report: SolveReport {
            rows: f.lp.row_count(),
            columns: f.lp.column_count(),
            nonzeros: f.lp.nonzero_count(),
            cohorts: f.cohorts.len() + f.sources.len(),
            integrality: Integrality::TimeLimitGreedy { stage },
            home_bound: trivial as f64,
            home,
            gap: gap(trivial as f64, home),
            start_seconds: 0.0,
            // No stage was solved to the end: none has a value or a bound to report.
            stages: Vec::new(),
            marginal_value: vec![0.0; prisons],
            overflow_relief: vec![0.0; prisons],
        },
        basis: None,
    }
}
