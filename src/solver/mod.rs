//! The narrow interface to HiGHS: a linear program held column by column, solved for a
//! sequence of objectives in strict priority order (each later objective optimised among the
//! optima of the earlier ones), as an LP — each stage on the optimal face of the ones before —
//! or with integer columns, each earlier objective held by a row.

mod basis;
mod crash;
mod faces;
mod holding;
mod transform;

pub use basis::{Basis, Status};
pub use transform::Fixed;

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use highs::{Col, ColProblem, Model, Row, Sense};

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
    /// For a reserve column, the row it shares with its alternatives (left out of the LP
    /// until its reduced cost says it could improve a stage); `None` for a column of the first
    /// LP.
    reserve: Option<usize>,
}

/// Reserve columns the program does not hold, described compactly by whoever built it:
/// priced from each stage's duals on demand and added to the solve only when one could
/// improve a stage (nationally over 52 weeks, 720,761 columns of which a few hundred enter).
pub trait Generator {
    /// How many it describes: numbered `0..count()`, some of which may not exist.
    fn count(&self) -> usize;
    /// Column `v`, if it exists: its entries and its cost in each objective (by position)
    /// written into the buffers, and its upper bound (the lower is 0) and its row of
    /// alternatives returned (as [`LinearProgram::add_reserve_column`]).
    fn column(
        &self,
        v: usize,
        entries: &mut Vec<(usize, f64)>,
        costs: &mut Vec<(usize, f64)>,
    ) -> Option<(f64, usize)>;
    /// Whether any of its columns costs anything in objective `k`.
    fn costs_in(&self, k: usize) -> bool;
}

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
    /// The generator's columns that entered, in the order of their columns here (numbered on
    /// from the program's): [`LinearProgram::adopt`] adds them to the program.
    pub generated: Vec<usize>,
    /// The blend's optimal basis (an LP with more than one objective, when the blend reached
    /// an optimum): a start for a similar program ([`LinearProgram::solve_generating`]).
    pub blend_basis: Option<Basis>,
    /// For an LP, what the faces of the stages before the last fix. Empty for a MIP.
    pub on_faces: OnFaces,
}

/// The columns and rows the optimal faces of an LP's stages fix, at their values there: every
/// point that reaches those stages' values has them there (complementary slackness).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OnFaces {
    /// Each column with a reduced cost at one of the stages' optima.
    pub columns: Vec<Option<f64>>,
    /// Each row with a dual at one of them, at the bound it is tight on.
    pub rows: Vec<Option<f64>>,
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
    /// HiGHS's presolve before branch and bound. A repair over a wide neighbourhood turns
    /// it off: there it took as long as the root LP, which comes out whole.
    pub mip_presolve: bool,
    /// Without a start, the blend's interior point leaves out the boxed columns and the dual
    /// simplex adds them from its vertex (nationally over 52 weeks 11 s instead of 25 s).
    /// Off for a program whose blend basis starts similar ones: the vertex interior point
    /// reaches with every column is the better start for them (BENCHMARKS.md).
    pub boxed_by_dual_simplex: bool,
    /// HiGHS's feasibility jump heuristic before branch and bound. The repairs turn it off:
    /// their MIP's root LP or the first heuristic after it finds the point, and the jump
    /// took 0.13–0.2 s of the 26-week plan's wide repair of 0.08 s without it.
    pub feasibility_jump: bool,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            mip_gap: 1e-4,
            time_limit: None,
            deadline: None,
            mip_presolve: true,
            boxed_by_dual_simplex: true,
            feasibility_jump: true,
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
        self.push_column(bounds, entries, None)
    }

    /// Adds a reserve column, with lower bound 0: the LP is solved without it first, and it
    /// enters only when its reduced cost in some stage shows it could improve that stage
    /// (column generation). The optimum found is the optimum with every column.
    ///
    /// The reserve columns with the same `alternatives` row (one of its rows: one cohort's
    /// limit, say) are alternatives: when many columns could enter at once, a pricing round
    /// lets in only the most attractive of them, and the others later if they still could
    /// improve the stage.
    pub fn add_reserve_column(
        &mut self,
        upper: f64,
        entries: Vec<(usize, f64)>,
        alternatives: usize,
    ) -> usize {
        debug_assert!(entries.iter().any(|&(row, _)| row == alternatives));
        self.push_column(0.0..=upper, entries, Some(alternatives))
    }

    fn push_column(
        &mut self,
        bounds: RangeInclusive<f64>,
        entries: Vec<(usize, f64)>,
        reserve: Option<usize>,
    ) -> usize {
        debug_assert!(entries.iter().all(|&(row, _)| row < self.rows.len()));
        self.columns.push(Column {
            bounds,
            entries,
            reserve,
        });
        self.columns.len() - 1
    }

    /// Whether column `j` is a reserve column ([`LinearProgram::add_reserve_column`]).
    pub fn is_reserve(&self, j: usize) -> bool {
        self.columns[j].reserve.is_some()
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
            self.solve_on_faces(objectives, None, None, options, progress)
        }
    }

    /// As [`LinearProgram::solve_in_order`] for an LP, with the reserve columns of
    /// `generator` priced in as the program's own; the blend starts from `start` (the
    /// [`Solution::blend_basis`] of a similar program, in this program's numbers) when given.
    pub fn solve_generating(
        &self,
        objectives: &[Objective],
        generator: &dyn Generator,
        start: Option<&Basis>,
        options: SolverOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<Solution, SolveError> {
        self.solve_on_faces(objectives, Some(generator), start, options, progress)
    }

    /// Adds the generator's columns a solve let in (`generated`, in order) as reserve columns,
    /// with their costs, so that the program numbers them as the solution does.
    pub fn adopt(
        &mut self,
        objectives: &mut [Objective],
        generator: &dyn Generator,
        generated: &[usize],
    ) {
        let (mut entries, mut costs) = (Vec::new(), Vec::new());
        for &v in generated {
            entries.clear();
            costs.clear();
            let (upper, alternatives) = generator
                .column(v, &mut entries, &mut costs)
                .expect("only existing columns enter");
            let j = self.add_reserve_column(upper, std::mem::take(&mut entries), alternatives);
            for &(k, c) in &costs {
                if let Some(objective) = objectives.get_mut(k) {
                    objective.costs.push((j, c));
                }
            }
        }
    }

    /// Each objective's cost of every column (absent columns cost 0).
    fn dense_costs(&self, objectives: &[Objective]) -> Vec<Vec<f64>> {
        let n = self.columns.len();
        objectives.iter().map(|o| dense(&o.costs, n)).collect()
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

    /// Whether column `j` lies between 0 and a finite upper bound.
    fn is_boxed(&self, j: usize) -> bool {
        let bounds = &self.columns[j].bounds;
        *bounds.start() == 0.0 && bounds.end().is_finite()
    }

    /// Whether column `j` can only be 0.
    fn fixed_at_zero(&self, j: usize) -> bool {
        let bounds = &self.columns[j].bounds;
        *bounds.start() == 0.0 && *bounds.end() == 0.0
    }

    /// Adds `columns` to the model, with the costs of stage `k` and their entries in the rows
    /// and in the rows holding the earlier stages.
    #[allow(clippy::too_many_arguments)]
    fn add_to(
        &self,
        extra: &[Column],
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
        let first = model.num_cols();
        for &j in columns {
            let column = self
                .columns
                .get(j)
                .unwrap_or_else(|| &extra[j - self.columns.len()]);
            let entries = column.entries.iter().map(|&(row, a)| (rows[row], a)).chain(
                held.iter()
                    .enumerate()
                    .filter(|&(h, _)| costs[h][j] != 0.0)
                    .map(|(h, &row)| (row, costs[h][j])),
            );
            let cost = costs.get(k).map_or(0.0, |c| c[j]);
            cols[j] = Some(model.add_col(cost, column.bounds.clone(), entries));
            order.push(j);
        }
        if integer {
            mark_integer(model, first..model.num_cols());
        }
    }
}

/// Makes columns `range` of `model` integer, in one call: HiGHS takes time in proportion to
/// the model for each call, so column by column the 9,510 columns of the national 26-week
/// repair took 0.25 s to add.
fn mark_integer(model: &mut Model, range: std::ops::Range<usize>) {
    if range.is_empty() {
        return;
    }
    let integrality = vec![highs_sys::VAR_TYPE_INTEGER; range.len()];
    let index = |j: usize| highs_sys::HighsInt::try_from(j).expect("a HiGHS column index");
    // SAFETY: a live model, whose columns include `range`; the buffer holds one entry per
    // column of it.
    let status = unsafe {
        highs_sys::Highs_changeColsIntegralityByRange(
            model.as_mut_ptr(),
            index(range.start),
            index(range.end - 1),
            integrality.as_ptr(),
        )
    };
    assert_ne!(
        status,
        highs_sys::STATUS_ERROR,
        "HiGHS refused integer columns"
    );
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

/// Gives every column in the model stage `k`'s cost (`costs`, dense) and the model its sense,
/// and says so.
#[allow(clippy::too_many_arguments)]
fn begin_stage(
    model: &mut Model,
    objectives: &[Objective],
    k: usize,
    costs: &[f64],
    order: &[usize],
    cols: &[Option<Col>],
    method: &str,
    progress: &mut dyn FnMut(&str),
) {
    for &j in order {
        model.change_column_cost(cols[j].expect("added"), costs[j]);
    }
    model.set_sense(sense(objectives[k].direction));
    progress(&format!(
        "stage {}/{} '{}' ({method})",
        k + 1,
        objectives.len(),
        objectives[k].name
    ));
}

fn sense(direction: Direction) -> Sense {
    match direction {
        Direction::Minimise => Sense::Minimise,
        Direction::Maximise => Sense::Maximise,
    }
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

/// The reduced cost of a column of cost `cost` and `entries` under row duals `duals`, for a
/// minimisation.
fn reduced_cost(cost: f64, entries: &[(usize, f64)], duals: &[f64]) -> f64 {
    cost - entries.iter().map(|&(row, a)| a * duals[row]).sum::<f64>()
}

fn dense(costs: &[(usize, f64)], len: usize) -> Vec<f64> {
    let mut dense = vec![0.0; len];
    for &(j, c) in costs {
        dense[j] += c;
    }
    dense
}

#[cfg(test)]
mod tests;
