//! The narrow interface to HiGHS: a linear program held column by column, solved for a
//! sequence of objectives in strict priority order (each later objective optimised among the
//! optima of the earlier ones), as an LP — each stage on the optimal face of the ones before —
//! or with integer columns, each earlier objective held by a row.

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use highs::{Col, ColProblem, HighsModelStatus, HighsSolutionStatus, Model, Row, Sense};

/// A linear program: rows with bounds, columns with bounds and their row coefficients.
#[derive(Debug, Clone, Default)]
pub struct LinearProgram {
    rows: Vec<RangeInclusive<f64>>,
    columns: Vec<Column>,
}

#[derive(Debug, Clone)]
struct Column {
    bounds: RangeInclusive<f64>,
    entries: Vec<(usize, f64)>,
    /// Left out of the LP until its reduced cost says it could improve a stage.
    reserve: bool,
}

/// The most columns priced in at once after which the stage is solved again by the primal
/// simplex from the last vertex rather than by interior point (nationally over 52 weeks the
/// distance stage prices in about 2,000 at once; interior point again took 16 s).
const WARM_START_MOST: usize = 5_000;

/// A reserve column enters when its reduced cost improves a stage by more than this.
const PRICING_TOLERANCE: f64 = 1e-6;

/// A reduced cost or dual larger than this marks a column or row fixed on a stage's
/// optimal face (ten times HiGHS's dual feasibility tolerance).
const FACE_TOLERANCE: f64 = 1e-6;
/// How near a bound a value must be to sit on it (HiGHS's primal feasibility tolerance is
/// 1e-7).
const AT_BOUND: f64 = 1e-6;

/// The relative slack with which an earlier stage's objective is held in the later ones.
const HELD_SLACK: f64 = 1e-7;
/// The least magnitude the slack is relative to: the slack is at least 1e-5, a hundred
/// times HiGHS's feasibility tolerance (each stage ends on the edge of the rows held before
/// it, within that tolerance; rows held as tight as it made later stages infeasible).
const MIN_HELD_SCALE: f64 = 100.0;

/// Optimise upwards or downwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Minimise,
    Maximise,
}

/// One objective of the priority sequence: a cost per column (absent columns cost 0).
#[derive(Debug, Clone)]
pub struct Objective {
    pub name: &'static str,
    pub direction: Direction,
    pub costs: Vec<(usize, f64)>,
    /// Its weight in the blend of every objective that the LP solves first, for a start
    /// (see [`LinearProgram::solve_in_order`]): a guess at how much one unit of it outweighs
    /// the later objectives. Only the time depends on it, never the result.
    pub weight: f64,
}

/// What each stage achieved.
#[derive(Debug, Clone, PartialEq)]
pub struct StageResult {
    pub name: &'static str,
    pub value: f64,
    /// The best bound proven on the stage's objective (equal to `value` for an LP).
    pub bound: f64,
    pub seconds: f64,
}

/// The solution after the last stage solved.
#[derive(Debug, Clone)]
pub struct Solution {
    pub columns: Vec<f64>,
    /// One per stage solved: all of them, unless the time limit ran out (see `timed_out`).
    pub stages: Vec<StageResult>,
    /// Row duals of each stage (for an LP).
    pub row_duals: Vec<Vec<f64>>,
    /// The time limit ran out in the last stage of `stages`: its columns are the best
    /// whole-number point found by then (with integer columns), its bound the proven one.
    pub timed_out: bool,
    /// The columns the last solve used (the reserve columns that never entered are not).
    pub active: Vec<bool>,
    /// The seconds spent on the blended start, before the first stage (an LP only).
    pub start_seconds: f64,
}

/// Why a solve failed.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    #[error("HiGHS ended the '{stage}' stage with status {status}")]
    Status { stage: &'static str, status: String },
    #[error("the time limit ran out in the '{stage}' stage before any plan was found")]
    TimeLimit { stage: &'static str },
}

/// Options for HiGHS.
#[derive(Debug, Clone, Copy)]
pub struct SolverOptions {
    /// Relative MIP gap accepted (0.001 = 0.1%).
    pub mip_gap: f64,
    /// Time for the whole optimisation (every stage, repair and branching together).
    pub time_limit: Option<Duration>,
    /// When it must end: set by [`SolverOptions::started`].
    pub deadline: Option<Instant>,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            mip_gap: 1e-4,
            time_limit: None,
            deadline: None,
        }
    }
}

impl SolverOptions {
    /// The options with the time limit counted from now (unless already started).
    pub fn started(self) -> Self {
        SolverOptions {
            deadline: self
                .deadline
                .or_else(|| self.time_limit.map(|limit| Instant::now() + limit)),
            ..self
        }
    }
}

impl LinearProgram {
    /// Adds a row `lower ≤ Σ a·x ≤ upper` (coefficients come with the columns).
    pub fn add_row(&mut self, bounds: RangeInclusive<f64>) -> usize {
        self.rows.push(bounds);
        self.rows.len() - 1
    }

    /// Adds a column with bounds and its coefficients in rows already added.
    pub fn add_column(&mut self, bounds: RangeInclusive<f64>, entries: Vec<(usize, f64)>) -> usize {
        self.push_column(bounds, entries, false)
    }

    /// Adds a reserve column, with lower bound 0: the LP is solved without it first, and it
    /// enters only when its reduced cost in some stage shows it could improve that stage
    /// (column generation). The optimum found is the optimum with every column.
    pub fn add_reserve_column(&mut self, upper: f64, entries: Vec<(usize, f64)>) -> usize {
        self.push_column(0.0..=upper, entries, true)
    }

    fn push_column(
        &mut self,
        bounds: RangeInclusive<f64>,
        entries: Vec<(usize, f64)>,
        reserve: bool,
    ) -> usize {
        debug_assert!(entries.iter().all(|&(row, _)| row < self.rows.len()));
        self.columns.push(Column {
            bounds,
            entries,
            reserve,
        });
        self.columns.len() - 1
    }

    /// Adds coefficient `a` of column `column` in row `row`, a row added after the column.
    pub fn add_entry(&mut self, column: usize, row: usize, a: f64) {
        debug_assert!(row < self.rows.len());
        self.columns[column].entries.push((row, a));
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    pub fn column_count(&self) -> usize {
        self.columns.len()
    }

    /// The number of non-zero coefficients.
    pub fn nonzero_count(&self) -> usize {
        self.columns.iter().map(|c| c.entries.len()).sum()
    }

    /// Solves for each objective in turn, keeping each earlier one at the value it reached.
    /// With `integer`, every column with integral bounds is an integer variable.
    /// `progress` hears of each stage as it starts and ends (names and seconds only).
    /// Columns fixed at 0 are left out of the model.
    pub fn solve_in_order(
        &self,
        objectives: &[Objective],
        integer: bool,
        options: SolverOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<Solution, SolveError> {
        if integer {
            self.solve_holding(objectives, options, progress)
        } else {
            self.solve_on_faces(objectives, options, progress)
        }
    }

    /// The LP, stage by stage, each on the optimal face of the ones before.
    ///
    /// First, the blend of every objective (each times its [`Objective::weight`]) is solved
    /// by interior point for a start: its vertex is usually optimal for every stage in turn,
    /// and each stage then only has to prove it in a few primal simplex steps from there.
    /// When it is not, the stage goes on to interior point as without the start. Either way
    /// each stage is solved and proven on its own, so the weights never change the result.
    ///
    /// After a stage, every column whose reduced cost is not zero is fixed at the bound it
    /// sits on, and every row whose dual is not zero at the bound it is tight on: by
    /// complementary slackness these are exactly the points optimal for the stage, so the
    /// next stage keeps the earlier values without any dense objective row.
    ///
    /// Reserve columns are left out at first; after each stage every reserve column still
    /// free is priced with the stage's duals (its cost less its entries' duals); those that
    /// could improve the stage enter and the stage is solved again, until none can. The
    /// duals then prove the stage optimal over every column, and a reserve column whose
    /// reduced cost is not zero is at 0 on the optimal face: it never enters later.
    fn solve_on_faces(
        &self,
        objectives: &[Objective],
        options: SolverOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<Solution, SolveError> {
        let n = self.columns.len();
        let costs: Vec<Vec<f64>> = objectives.iter().map(|o| dense(&o.costs, n)).collect();
        let (mut model, rows) = self.empty_model();
        let mut face = Face {
            rows: self.rows.clone(),
            columns: self.columns.iter().map(|c| c.bounds.clone()).collect(),
            off_face: vec![false; n],
        };
        let mut cols: Vec<Option<Col>> = vec![None; n];
        let mut order: Vec<usize> = Vec::new();
        let first: Vec<usize> = (0..n)
            .filter(|&j| !self.columns[j].reserve && !self.fixed_at_zero(j))
            .collect();
        self.add_to(
            &mut model,
            &first,
            &costs,
            0,
            &rows,
            &[],
            false,
            &mut cols,
            &mut order,
        );
        let started = Instant::now();
        let (blended, at_vertex) = self.blended_start(
            model, objectives, &costs, &rows, &mut cols, &mut order, &face, options, progress,
        )?;
        model = blended;
        let start_seconds = started.elapsed().as_secs_f64();
        let mut stages = Vec::new();
        let mut row_duals = Vec::new();
        let mut columns = vec![0.0; n];
        for (k, objective) in objectives.iter().enumerate() {
            if k > 0 && objective.costs.iter().all(|&(_, c)| c == 0.0) {
                // Nothing to optimise: the last point is optimal (value 0, duals 0).
                stages.push(nothing_to_optimise(objective));
                row_duals.push(vec![0.0; self.rows.len()]);
                continue;
            }
            begin_stage(
                &mut model, objectives, k, &costs, &order, &cols, "LP", progress,
            );
            let started = Instant::now();
            // A stage starts from the last vertex, which is on its face: when the stage's
            // objective is settled or nearly so there (after the blended start, or K2
            // person-weeks after the fewest moves), a few primal simplex steps prove it; else
            // interior point.
            let mut start = if k > 0 || at_vertex {
                Start::Try
            } else {
                Start::Cold
            };
            let solved = loop {
                let solved = solve_stage(model, start, options, progress, k, objectives)?;
                if solved.status() != HighsModelStatus::Optimal {
                    break solved;
                }
                let duals = solved.get_solution().dual_rows().to_vec();
                let (entering, off_face) =
                    self.priced(&costs[k], objective.direction, &duals, &cols, &face);
                if entering.is_empty() {
                    for j in off_face {
                        face.off_face[j] = true;
                    }
                    break solved;
                }
                progress(&format!(
                    "stage {}/{} '{}': {} reserve column(s) priced in",
                    k + 1,
                    objectives.len(),
                    objective.name,
                    entering.len()
                ));
                model = Model::from(solved);
                self.add_to(
                    &mut model,
                    &entering,
                    &costs,
                    k,
                    &rows,
                    &[],
                    false,
                    &mut cols,
                    &mut order,
                );
                // A few columns more: the primal simplex from the last vertex is quickest; many
                // (tens of thousands at the first stage nationally): interior point again.
                start = if entering.len() <= WARM_START_MOST {
                    Start::Warm
                } else {
                    Start::Cold
                };
            };
            let status = solved.status();
            if status == HighsModelStatus::ReachedTimeLimit {
                return Err(SolveError::TimeLimit {
                    stage: objective.name,
                });
            }
            if status != HighsModelStatus::Optimal {
                return Err(stage_failed(objectives, k, status));
            }
            let solution = solved.get_solution();
            let value = solved.objective_value();
            stages.push(end_stage(
                objectives, k, value, value, started, false, progress,
            ));
            for (&j, &v) in order.iter().zip(solution.columns()) {
                columns[j] = v;
            }
            row_duals.push(solution.dual_rows().to_vec());
            model = Model::from(solved);
            if k + 1 < objectives.len() {
                face.narrow(&mut model, &solution, &order, &cols);
            }
        }
        let active = cols.iter().map(Option::is_some).collect();
        Ok(Solution {
            columns,
            stages,
            row_duals,
            timed_out: false,
            active,
            start_seconds,
        })
    }

    /// Solves the blend of every objective, each minimised times its weight (maximised ones
    /// negated), over every column (reserve columns priced in as in a stage), and returns the
    /// model at the blend's optimal vertex, with whether there is one: not with a single
    /// objective (nothing to blend), nor when HiGHS ends the blend without an optimum (the
    /// first stage then starts from nothing, as it would without).
    #[allow(clippy::too_many_arguments)]
    fn blended_start(
        &self,
        mut model: Model,
        objectives: &[Objective],
        costs: &[Vec<f64>],
        rows: &[Row],
        cols: &mut [Option<Col>],
        order: &mut Vec<usize>,
        face: &Face,
        options: SolverOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<(Model, bool), SolveError> {
        if objectives.len() < 2 {
            return Ok((model, false));
        }
        let blend: Vec<f64> = (0..self.columns.len())
            .map(|j| {
                objectives
                    .iter()
                    .zip(costs)
                    .map(|(objective, costs)| match objective.direction {
                        Direction::Minimise => objective.weight * costs[j],
                        Direction::Maximise => -objective.weight * costs[j],
                    })
                    .sum()
            })
            .collect();
        for &j in order.iter() {
            model.change_column_cost(cols[j].expect("added"), blend[j]);
        }
        model.set_sense(Sense::Minimise);
        let started = Instant::now();
        let mut start = Start::Cold;
        let mut priced_in = 0;
        let solved = loop {
            let solved = solve_stage(model, start, options, progress, 0, objectives)?;
            if solved.status() != HighsModelStatus::Optimal {
                break solved;
            }
            let duals = solved.get_solution().dual_rows().to_vec();
            let (entering, _) = self.priced(&blend, Direction::Minimise, &duals, cols, face);
            if entering.is_empty() {
                break solved;
            }
            priced_in += entering.len();
            model = Model::from(solved);
            let blend = std::slice::from_ref(&blend);
            self.add_to(
                &mut model,
                &entering,
                blend,
                0,
                rows,
                &[],
                false,
                cols,
                order,
            );
            start = if entering.len() <= WARM_START_MOST {
                Start::Warm
            } else {
                Start::Cold
            };
        };
        let status = solved.status();
        if status == HighsModelStatus::ReachedTimeLimit {
            return Err(SolveError::TimeLimit {
                stage: objectives[0].name,
            });
        }
        progress(&format!(
            "blended start, every objective at once: {status:?} in {:.2}s, \
             {priced_in} reserve column(s) priced in",
            started.elapsed().as_secs_f64()
        ));
        Ok((Model::from(solved), status == HighsModelStatus::Optimal))
    }

    /// A quiet HiGHS model with the program's rows and none of its columns yet.
    fn empty_model(&self) -> (Model, Vec<Row>) {
        let mut model = Model::new(ColProblem::default());
        model.make_quiet();
        let rows = self
            .rows
            .iter()
            .map(|bounds| model.add_row(bounds.clone(), []))
            .collect();
        (model, rows)
    }

    /// Whether column `j` can only be 0.
    fn fixed_at_zero(&self, j: usize) -> bool {
        let bounds = &self.columns[j].bounds;
        *bounds.start() == 0.0 && *bounds.end() == 0.0
    }

    /// For a MIP: each stage solved with the earlier objectives held by a row at the value
    /// they reached (less a slack far below one person).
    fn solve_holding(
        &self,
        objectives: &[Objective],
        options: SolverOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<Solution, SolveError> {
        let n = self.columns.len();
        let costs: Vec<Vec<f64>> = objectives.iter().map(|o| dense(&o.costs, n)).collect();
        let (mut model, rows) = self.empty_model();
        model.set_option("mip_rel_gap", options.mip_gap);
        let mut held: Vec<Row> = Vec::new();
        let mut cols: Vec<Option<Col>> = vec![None; n];
        let mut order: Vec<usize> = Vec::new();
        let first: Vec<usize> = (0..n).filter(|&j| !self.fixed_at_zero(j)).collect();
        self.add_to(
            &mut model, &first, &costs, 0, &rows, &held, true, &mut cols, &mut order,
        );
        let mut stages = Vec::new();
        let mut row_duals = Vec::new();
        let mut columns = vec![0.0; n];
        for (k, objective) in objectives.iter().enumerate() {
            if k > 0 && objective.costs.iter().all(|&(_, c)| c == 0.0) {
                stages.push(nothing_to_optimise(objective));
                row_duals.push(Vec::new());
                // An empty row keeps the held rows one per stage.
                held.push(model.add_row(..=0.0, []));
                continue;
            }
            begin_stage(
                &mut model, objectives, k, &costs, &order, &cols, "MIP", progress,
            );
            let started = Instant::now();
            let solved = solve_mip_stage(model, options, k, objectives)?;
            let status = solved.status();
            let timed_out = status == HighsModelStatus::ReachedTimeLimit;
            let has_point = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
            if timed_out && !has_point {
                return Err(SolveError::TimeLimit {
                    stage: objective.name,
                });
            }
            if status != HighsModelStatus::Optimal && !timed_out {
                return Err(stage_failed(objectives, k, status));
            }
            let solution = solved.get_solution();
            let value = solved.objective_value();
            let bound = solved.double_info_value(c"mip_dual_bound").unwrap_or(value);
            stages.push(end_stage(
                objectives, k, value, bound, started, timed_out, progress,
            ));
            for (&j, &v) in order.iter().zip(solution.columns()) {
                columns[j] = v;
            }
            row_duals.push(Vec::new());
            let active: Vec<bool> = cols.iter().map(Option::is_some).collect();
            if timed_out {
                return Ok(Solution {
                    columns,
                    stages,
                    row_duals,
                    timed_out,
                    active,
                    start_seconds: 0.0,
                });
            }
            model = Model::from(solved);
            if k + 1 < objectives.len() {
                held.push(hold(&mut model, objective, value, &cols));
            }
        }
        let active = cols.iter().map(Option::is_some).collect();
        Ok(Solution {
            columns,
            stages,
            row_duals,
            timed_out: false,
            active,
            start_seconds: 0.0,
        })
    }

    /// Adds `columns` to the model, with the costs of stage `k` and their entries in the rows
    /// and in the rows holding the earlier stages.
    #[allow(clippy::too_many_arguments)]
    fn add_to(
        &self,
        model: &mut Model,
        columns: &[usize],
        costs: &[Vec<f64>],
        k: usize,
        rows: &[Row],
        held: &[Row],
        integer: bool,
        cols: &mut [Option<Col>],
        order: &mut Vec<usize>,
    ) {
        for &j in columns {
            let column = &self.columns[j];
            let entries = column.entries.iter().map(|&(row, a)| (rows[row], a)).chain(
                held.iter()
                    .enumerate()
                    .filter(|&(h, _)| costs[h][j] != 0.0)
                    .map(|(h, &row)| (row, costs[h][j])),
            );
            let cost = costs.get(k).map_or(0.0, |c| c[j]);
            cols[j] = Some(model.add_column_with_integrality(
                cost,
                column.bounds.clone(),
                entries,
                integer,
            ));
            order.push(j);
        }
    }

    /// The reserve columns not yet in the model and still free on the face: those whose
    /// reduced cost under `duals` could improve the stage (to enter), and those whose
    /// reduced cost would worsen it (at 0 on the stage's optimal face, once it is optimal).
    fn priced(
        &self,
        costs: &[f64],
        direction: Direction,
        duals: &[f64],
        cols: &[Option<Col>],
        face: &Face,
    ) -> (Vec<usize>, Vec<usize>) {
        let mut entering = Vec::new();
        let mut off_face = Vec::new();
        for j in 0..self.columns.len() {
            if cols[j].is_some() || face.off_face[j] || *face.columns[j].end() == 0.0 {
                continue;
            }
            let entries: f64 = self.columns[j]
                .entries
                .iter()
                .map(|&(row, a)| a * duals[row])
                .sum();
            let reduced = match direction {
                Direction::Minimise => costs[j] - entries,
                Direction::Maximise => entries - costs[j],
            };
            if reduced < -PRICING_TOLERANCE {
                entering.push(j);
            } else if reduced > FACE_TOLERANCE {
                off_face.push(j);
            }
        }
        (entering, off_face)
    }
}

/// The result of a later stage with no costs: its last point is optimal, at value 0.
fn nothing_to_optimise(objective: &Objective) -> StageResult {
    StageResult {
        name: objective.name,
        value: 0.0,
        bound: 0.0,
        seconds: 0.0,
    }
}

/// Stage `k`'s result, told to `progress`.
fn end_stage(
    objectives: &[Objective],
    k: usize,
    value: f64,
    bound: f64,
    started: Instant,
    timed_out: bool,
    progress: &mut dyn FnMut(&str),
) -> StageResult {
    let seconds = started.elapsed().as_secs_f64();
    progress(&format!(
        "stage {}/{} '{}': {value:.1} in {seconds:.2}s{}",
        k + 1,
        objectives.len(),
        objectives[k].name,
        if timed_out { " (time limit)" } else { "" }
    ));
    StageResult {
        name: objectives[k].name,
        value,
        bound,
        seconds,
    }
}

/// Gives every column in the model stage `k`'s cost and the model its sense, and says so.
#[allow(clippy::too_many_arguments)]
fn begin_stage(
    model: &mut Model,
    objectives: &[Objective],
    k: usize,
    costs: &[Vec<f64>],
    order: &[usize],
    cols: &[Option<Col>],
    method: &str,
    progress: &mut dyn FnMut(&str),
) {
    for &j in order {
        model.change_column_cost(cols[j].expect("added"), costs[k][j]);
    }
    model.set_sense(sense(objectives[k].direction));
    progress(&format!(
        "stage {}/{} '{}' ({method})",
        k + 1,
        objectives.len(),
        objectives[k].name
    ));
}

/// The optimal face of the stages solved so far, as bounds on rows and columns.
struct Face {
    rows: Vec<RangeInclusive<f64>>,
    columns: Vec<RangeInclusive<f64>>,
    /// Reserve columns not in the model that are at 0 on the face.
    off_face: Vec<bool>,
}

impl Face {
    /// Narrows the face to the points optimal for the stage just solved: fixes each column
    /// with a reduced cost and each row with a dual at the bound it sits on.
    fn narrow(
        &mut self,
        model: &mut Model,
        solution: &highs::Solution,
        order: &[usize],
        cols: &[Option<Col>],
    ) {
        let at = |bounds: &RangeInclusive<f64>, value: f64| -> Option<f64> {
            [*bounds.start(), *bounds.end()]
                .into_iter()
                .find(|b| b.is_finite() && (value - b).abs() <= AT_BOUND)
        };
        let values = solution.columns();
        let reduced = solution.dual_columns();
        for (position, &j) in order.iter().enumerate() {
            if reduced[position].abs() > FACE_TOLERANCE {
                if let Some(bound) = at(&self.columns[j], values[position]) {
                    self.columns[j] = bound..=bound;
                    model.change_column_bounds(cols[j].expect("added"), bound..=bound);
                }
            }
        }
        let activity = solution.rows();
        let duals = solution.dual_rows();
        for (i, bounds) in self.rows.iter_mut().enumerate() {
            if duals[i].abs() > FACE_TOLERANCE {
                if let Some(bound) = at(bounds, activity[i]) {
                    *bounds = bound..=bound;
                    change_row_bounds(model, i, bound);
                }
            }
        }
    }
}

/// Fixes row `i` of `model` at `value`.
fn change_row_bounds(model: &mut Model, i: usize, value: f64) {
    let row = std::os::raw::c_int::try_from(i).expect("rows fit HiGHS's int");
    // SAFETY: the pointer is the live HiGHS instance owned by `model`, and `row` is one of
    // its rows.
    let status = unsafe { highs_sys::Highs_changeRowBounds(model.as_mut_ptr(), row, value, value) };
    assert_eq!(
        status,
        highs_sys::STATUS_OK,
        "HiGHS could not change a row's bounds"
    );
}

fn sense(direction: Direction) -> Sense {
    match direction {
        Direction::Minimise => Sense::Minimise,
        Direction::Maximise => Sense::Maximise,
    }
}

/// How a stage's LP is started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// Interior point, from nothing.
    Cold,
    /// The primal simplex from the last vertex (still feasible: new columns are at 0 and the
    /// face keeps it).
    Warm,
    /// The primal simplex from the last vertex for at most [`TRY_ITERATIONS`], then interior
    /// point.
    Try,
}

/// The primal simplex steps a [`Start::Try`] allows before it turns to interior point: enough
/// for K2 person-weeks after the fewest moves (settled in a few steps), few enough not to
/// waste time on a stage that needs interior point (1,000 cost the national plan 2 s).
const TRY_ITERATIONS: i32 = 200;

/// Solves one stage: a MIP by branch and bound; an LP as `start` says, interior point with
/// crossover to a vertex, falling back to the dual simplex when it ends without an optimum;
/// within what is left of the time.
fn solve_stage(
    mut model: Model,
    start: Start,
    options: SolverOptions,
    progress: &mut dyn FnMut(&str),
    k: usize,
    objectives: &[Objective],
) -> Result<highs::SolvedModel, SolveError> {
    limit_to_time_left(&mut model, options);
    // HiGHS reports an error (its interior-point method failing) as a status, not a panic.
    let stage_failed = |status| stage_failed(objectives, k, status);
    if start == Start::Try {
        model.set_option("solver", "simplex");
        model.set_option("simplex_strategy", 4);
        model.set_option("simplex_iteration_limit", TRY_ITERATIONS);
        let tried = model.try_solve().map_err(stage_failed)?;
        if tried.status() != HighsModelStatus::ReachedIterationLimit {
            return Ok(tried);
        }
        model = Model::from(tried);
        limit_to_time_left(&mut model, options);
    }
    // The model keeps its options from one solve to the next: no limit left from a try.
    model.set_option("simplex_iteration_limit", i32::MAX);
    if start == Start::Warm {
        model.set_option("solver", "simplex");
        model.set_option("simplex_strategy", 4);
    } else {
        model.set_option("solver", "ipm");
    }
    let solved = model.try_solve().map_err(stage_failed)?;
    if matches!(
        solved.status(),
        HighsModelStatus::Optimal | HighsModelStatus::ReachedTimeLimit
    ) {
        return Ok(solved);
    }
    // The interior-point method can end a degenerate stage without an optimum (reporting it
    // infeasible); the dual simplex settles it.
    progress(&format!(
        "stage {}/{} '{}': interior point ended {:?}: dual simplex",
        k + 1,
        objectives.len(),
        objectives[k].name,
        solved.status()
    ));
    let mut retry = Model::from(solved);
    retry.set_option("solver", "simplex");
    retry.set_option("simplex_strategy", 1);
    retry.try_solve().map_err(stage_failed)
}

/// Solves one stage of a MIP, within what is left of the time.
fn solve_mip_stage(
    mut model: Model,
    options: SolverOptions,
    k: usize,
    objectives: &[Objective],
) -> Result<highs::SolvedModel, SolveError> {
    limit_to_time_left(&mut model, options);
    model
        .try_solve()
        .map_err(|status| stage_failed(objectives, k, status))
}

/// Gives HiGHS what is left of the time, if there is a limit.
fn limit_to_time_left(model: &mut Model, options: SolverOptions) {
    if let Some(deadline) = options.deadline {
        let left = deadline.saturating_duration_since(Instant::now());
        model.set_option("time_limit", left.as_secs_f64().max(1e-3));
    }
}

/// The error of stage `k` ending with a HiGHS status other than an optimum.
fn stage_failed(objectives: &[Objective], k: usize, status: impl std::fmt::Debug) -> SolveError {
    SolveError::Status {
        stage: objectives[k].name,
        status: format!("{status:?}"),
    }
}

/// Holds a solved stage's objective at the value reached, with a relative slack of 1e-7: far
/// below a whole person, yet enough to leave the next stage's feasible set an interior (with
/// 1e-9 the interior-point method stalled on a closure scenario and HiGHS fell back to a
/// simplex of 13 minutes). With whole-number costs a value within 1e-3 of a whole number is
/// held at that number when it loosens the row (the slack of earlier stages lets later values
/// drift off whole numbers by a few 1e-7; held as they are, the rows narrow below HiGHS's
/// tolerances and it reports the next stage infeasible).
fn hold(model: &mut Model, objective: &Objective, value: f64, cols: &[Option<Col>]) -> Row {
    let whole = objective.costs.iter().all(|&(_, c)| c.fract() == 0.0);
    let round = value.round();
    let looser = match objective.direction {
        Direction::Minimise => round >= value,
        Direction::Maximise => round <= value,
    };
    let value = if whole && looser && (value - round).abs() < 1e-3 {
        round
    } else {
        value
    };
    let slack = HELD_SLACK * value.abs().max(MIN_HELD_SCALE);
    let mut coefficients: Vec<(Col, f64)> = Vec::new();
    for &(j, c) in &objective.costs {
        if let Some(col) = cols[j] {
            coefficients.push((col, c));
        }
    }
    match objective.direction {
        Direction::Minimise => model.add_row(..=value + slack, coefficients),
        Direction::Maximise => model.add_row(value - slack.., coefficients),
    }
}

impl LinearProgram {
    /// The values rounded to whole numbers, if they still meet every bound and row (within
    /// 1e-6): an LP optimum that rounds to a feasible point with the same objective values is
    /// an integer optimum.
    pub fn rounded_if_feasible(&self, values: &[f64]) -> Option<Vec<f64>> {
        const TOLERANCE: f64 = 1e-6;
        let rounded: Vec<f64> = values.iter().map(|v| v.round()).collect();
        let mut activity = vec![0.0; self.rows.len()];
        for (column, &v) in self.columns.iter().zip(&rounded) {
            if v < column.bounds.start() - TOLERANCE || v > column.bounds.end() + TOLERANCE {
                return None;
            }
            for &(row, a) in &column.entries {
                activity[row] += a * v;
            }
        }
        self.rows
            .iter()
            .zip(&activity)
            .all(|(bounds, &a)| a >= bounds.start() - TOLERANCE && a <= bounds.end() + TOLERANCE)
            .then_some(rounded)
    }

    /// A copy without the columns not `active` (held at 0) and no reserve columns left: the
    /// program a whole-number solve works on after column generation.
    pub fn restricted_to(&self, active: &[bool]) -> LinearProgram {
        let mut program = self.clone();
        for (column, &active) in program.columns.iter_mut().zip(active) {
            if !active {
                column.bounds = 0.0..=0.0;
            }
            column.reserve = false;
        }
        program
    }

    /// Adds a row keeping a whole-number objective at least as good as `value`, the LP's
    /// optimum: at most its ceiling when minimised, at least its floor when maximised (no
    /// whole-number point does better than the LP).
    pub fn hold_whole(&mut self, objective: &Objective, value: f64) {
        let bounds = match objective.direction {
            Direction::Minimise => f64::NEG_INFINITY..=(value - 1e-6).ceil(),
            Direction::Maximise => (value + 1e-6).floor()..=f64::INFINITY,
        };
        let row = self.add_row(bounds);
        for &(j, c) in &objective.costs {
            self.columns[j].entries.push((row, c));
        }
    }

    /// The program with each column of `fixable` whose value in `values` is a whole number fixed
    /// at it: the small MIP left over the other columns repairs an LP vertex that is almost
    /// integral. Also returns the columns of `fixable` that stay free (the fractional ones).
    pub fn fixing_whole(self, values: &[f64], fixable: &[usize]) -> (LinearProgram, Vec<usize>) {
        let mut program = self;
        let mut free = Vec::new();
        for &j in fixable {
            let whole = values[j].round();
            if (values[j] - whole).abs() < 1e-6 {
                program.columns[j].bounds = whole..=whole;
            } else {
                free.push(j);
            }
        }
        (program, free)
    }

    /// The whole program (reserve columns included) as free MPS, by HiGHS's writer, with
    /// `objective` as its objective: columns `c0`, `c1`, … and rows `r0`, `r1`, … in the
    /// program's order, so that another solver can solve what resettle solves.
    pub fn to_mps(&self, objective: &Objective) -> std::io::Result<Vec<u8>> {
        let costs = dense(&objective.costs, self.columns.len());
        let (mut model, rows) = self.empty_model();
        for (column, &cost) in self.columns.iter().zip(&costs) {
            let entries = column.entries.iter().map(|&(row, a)| (rows[row], a));
            model.add_col(cost, column.bounds.clone(), entries);
        }
        model.set_sense(sense(objective.direction));
        let folder = tempfile::tempdir()?;
        let path = folder.path().join("model.mps");
        let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        // SAFETY: the pointer is the live HiGHS instance owned by `model`; `name` outlives the
        // call.
        let status = unsafe { highs_sys::Highs_writeModel(model.as_mut_ptr(), name.as_ptr()) };
        if status == highs_sys::STATUS_ERROR {
            return Err(std::io::Error::other("HiGHS could not write the model"));
        }
        std::fs::read(&path)
    }

    /// The value of an objective at `values`.
    pub fn objective_value(objective: &Objective, values: &[f64]) -> f64 {
        objective.costs.iter().map(|&(j, c)| c * values[j]).sum()
    }
}

fn dense(costs: &[(usize, f64)], len: usize) -> Vec<f64> {
    let mut dense = vec![0.0; len];
    for &(j, c) in costs {
        dense[j] += c;
    }
    dense
}

#[cfg(test)]
mod tests {
    use super::*;

    /// max x + y s.t. x + y ≤ 3.5, x ≤ 2, y ≤ 2; then min x: the first stage's face fixes
    /// x + y at 3.5 (its row has a dual), so the second gives x = 1.5, y = 2.
    #[test]
    fn later_objectives_keep_earlier_optima() {
        let mut lp = LinearProgram::default();
        let sum = lp.add_row(f64::NEG_INFINITY..=3.5);
        let x = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
        let y = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
        let objectives = [
            Objective {
                name: "sum",
                direction: Direction::Maximise,
                costs: vec![(x, 1.0), (y, 1.0)],
                weight: 1.0,
            },
            Objective {
                name: "x",
                direction: Direction::Minimise,
                costs: vec![(x, 1.0)],
                weight: 1.0,
            },
        ];
        let solution = lp
            .solve_in_order(&objectives, false, SolverOptions::default(), &mut |_| {})
            .unwrap();
        assert!((solution.stages[0].value - 3.5).abs() < 1e-9);
        assert!((solution.columns[x] - 1.5).abs() < 1e-9);
        assert!((solution.columns[y] - 2.0).abs() < 1e-6);
        // As integers the sum can only reach 3.
        let integral = lp
            .solve_in_order(&objectives, true, SolverOptions::default(), &mut |_| {})
            .unwrap();
        assert!((integral.stages[0].value - 3.0).abs() < 1e-9);
        assert!((integral.columns[x] - 1.0).abs() < 1e-9);
    }

    /// max x + y, then min x, s.t. x + y ≤ 3.5, x and y in [0, 2]: the optimum is x = 1.5,
    /// y = 2. A blend weighted against the order (min 1000x − (x + y)/1000) has its vertex at
    /// x = 0, y = 2, where the sum is only 2: the first stage goes on from there to 3.5, and
    /// the result is the same whatever the weights.
    #[test]
    fn the_blended_start_never_changes_the_result() {
        let mut lp = LinearProgram::default();
        let sum = lp.add_row(f64::NEG_INFINITY..=3.5);
        let x = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
        let y = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
        for (first, second) in [(1.0, 1.0), (1e-3, 1e3), (1e3, 1e-3)] {
            let objectives = [
                Objective {
                    name: "sum",
                    direction: Direction::Maximise,
                    costs: vec![(x, 1.0), (y, 1.0)],
                    weight: first,
                },
                Objective {
                    name: "x",
                    direction: Direction::Minimise,
                    costs: vec![(x, 1.0)],
                    weight: second,
                },
            ];
            let solution = lp
                .solve_in_order(&objectives, false, SolverOptions::default(), &mut |_| {})
                .unwrap();
            assert!(
                (solution.stages[0].value - 3.5).abs() < 1e-9,
                "{first}, {second}"
            );
            assert!(
                (solution.stages[1].value - 1.5).abs() < 1e-9,
                "{first}, {second}"
            );
            assert!(
                (solution.columns[y] - 2.0).abs() < 1e-9,
                "{first}, {second}"
            );
        }
    }

    /// min 3x + y + 2z s.t. x + y ≥ 2, x + z ≥ 1, all in [0, 5], y and z reserve columns: the
    /// LP without them has x = 2 (cost 6); y prices in (reduced cost 1 − 3 < 0), then z; the
    /// optimum over every column is x = 1, y = 1, z = 0 (cost 4: with x = 0, z = 1 and y = 2
    /// it would be 4 too, so only the value is asserted). Then max −y (fewest y) holds it.
    #[test]
    fn reserve_columns_enter_when_their_reduced_cost_improves_a_stage() {
        let mut lp = LinearProgram::default();
        let a = lp.add_row(2.0..=f64::INFINITY);
        let b = lp.add_row(1.0..=f64::INFINITY);
        let x = lp.add_column(0.0..=5.0, vec![(a, 1.0), (b, 1.0)]);
        let y = lp.add_reserve_column(5.0, vec![(a, 1.0)]);
        let z = lp.add_reserve_column(5.0, vec![(b, 1.0)]);
        let objectives = [
            Objective {
                name: "cost",
                direction: Direction::Minimise,
                costs: vec![(x, 3.0), (y, 1.0), (z, 2.0)],
                weight: 1.0,
            },
            Objective {
                name: "fewest y",
                direction: Direction::Maximise,
                costs: vec![(y, -1.0)],
                weight: 1.0,
            },
        ];
        let solution = lp
            .solve_in_order(&objectives, false, SolverOptions::default(), &mut |_| {})
            .unwrap();
        assert!((solution.stages[0].value - 4.0).abs() < 1e-6);
        assert!(solution.active[y], "y must have entered");
        // Fewest y at cost 4: x = 1, y = 1 (x = 0 needs y = 2).
        assert!(
            (solution.columns[y] - 1.0).abs() < 1e-4,
            "{:?}",
            solution.columns
        );
    }

    /// min x + 2y s.t. x + y ≥ 1 over [0, 5], y a reserve column; then max y. Stage 1 gives
    /// x = 1 (value 1) and prices y out (reduced cost 2 − 1 = 1): every optimum has y = 0.
    /// Stage 2 would gain by y entering (x = 0, y = 1 keeps the row) but that costs stage 1 a
    /// unit: y stays out and the first value stays 1.
    #[test]
    fn a_column_priced_out_of_a_face_never_enters_later() {
        let mut lp = LinearProgram::default();
        let a = lp.add_row(1.0..=f64::INFINITY);
        let x = lp.add_column(0.0..=5.0, vec![(a, 1.0)]);
        let y = lp.add_reserve_column(5.0, vec![(a, 1.0)]);
        let first = Objective {
            name: "cost",
            direction: Direction::Minimise,
            costs: vec![(x, 1.0), (y, 2.0)],
            weight: 1.0,
        };
        let objectives = [
            first.clone(),
            Objective {
                name: "most y",
                direction: Direction::Maximise,
                costs: vec![(y, 1.0)],
                weight: 1.0,
            },
        ];
        let solution = lp
            .solve_in_order(&objectives, false, SolverOptions::default(), &mut |_| {})
            .unwrap();
        assert!(!solution.active[y], "y was priced out of stage 1's face");
        assert!(solution.columns[y].abs() < 1e-9);
        let cost = LinearProgram::objective_value(&first, &solution.columns);
        assert!((cost - 1.0).abs() < 1e-9, "stage 1 kept: {cost}");
    }

    /// x + y + z = 2.5 over [0, 2] each is fractional wherever the LP ends; fixing the
    /// whole-valued columns leaves the fractional one free, and the MIP over it reaches
    /// the best whole sum the fixed columns allow.
    #[test]
    fn fixing_whole_frees_only_the_fractional_columns() {
        let mut lp = LinearProgram::default();
        let sum = lp.add_row(f64::NEG_INFINITY..=2.5);
        let x = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
        let y = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
        let z = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
        let values = [1.0, 0.0, 1.5];
        let (fixed, free) = lp.clone().fixing_whole(&values, &[x, y, z]);
        assert_eq!(free.len(), 1);
        assert_eq!(fixed.columns[x].bounds, 1.0..=1.0);
        assert_eq!(fixed.columns[y].bounds, 0.0..=0.0);
        assert_eq!(fixed.columns[z].bounds, 0.0..=2.0);
        // Only columns asked for are fixed.
        let (_, free) = lp.clone().fixing_whole(&values, &[x]);
        assert_eq!(free.len(), 0);
        let most = [Objective {
            name: "sum",
            direction: Direction::Maximise,
            costs: vec![(x, 1.0), (y, 1.0), (z, 1.0)],
            weight: 1.0,
        }];
        let repaired = fixed
            .solve_in_order(&most, true, SolverOptions::default(), &mut |_| {})
            .unwrap();
        assert!((repaired.columns[z] - 1.0).abs() < 1e-9);
        assert!((repaired.stages[0].value - 2.0).abs() < 1e-9);
    }
}
