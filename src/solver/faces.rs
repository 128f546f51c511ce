//! The LP solved stage by stage, each stage on the optimal face of the ones before, from a
//! blended start, with reserve columns priced in (column generation).

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::time::Instant;

use highs::{Col, HighsModelStatus, HighsStatus, Model, Row, Sense};

use super::basis::{self, Basis, Status};
use super::{
    begin_stage, dense, end_stage, limit_to_time_left, nothing_to_optimise, reduced_cost,
    stage_failed, Column, Direction, Generator, LinearProgram, Objective, OnFaces, Solution,
    SolveError, SolverOptions,
};

/// The most columns priced in at once after which the stage is solved again by the primal
/// simplex from the last vertex rather than by interior point (nationally over 52 weeks the
/// distance stage prices in about 2,000 at once; interior point again took 16 s). Beyond it,
/// a round lets in only the best of each row of alternatives ([`LinearProgram::priced`]).
pub(super) const WARM_START_MOST: usize = 5_000;

/// A reserve column enters when its reduced cost improves a stage by more than this.
const PRICING_TOLERANCE: f64 = 1e-6;

/// A reduced cost or dual larger than this marks a column or row fixed on a stage's
/// optimal face (ten times HiGHS's dual feasibility tolerance).
const FACE_TOLERANCE: f64 = 1e-6;
/// How near a bound a value must be to sit on it (HiGHS's primal feasibility tolerance is
/// 1e-7).
const AT_BOUND: f64 = 1e-6;

impl LinearProgram {
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
    ///
    /// A `generator`'s columns are reserve columns like the program's own: the solve adds
    /// those that enter after the program's, and the solution lists them.
    pub(super) fn solve_on_faces(
        &self,
        objectives: &[Objective],
        generator: Option<&dyn Generator>,
        start: Option<&Basis>,
        options: SolverOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<Solution, SolveError> {
        let n = self.columns.len();
        let mut generated = Generated::new(generator);
        // One stage's costs, dense, at a time: all of them take 44 MB nationally over 52 weeks.
        let mut costs = dense(&objectives[0].costs, n);
        let (mut model, rows) = self.empty_model();
        let mut face = Face {
            rows: self.rows.clone(),
            columns: self.columns.iter().map(|c| c.bounds.clone()).collect(),
            off_face: vec![false; n],
        };
        let mut cols: Vec<Option<Col>> = vec![None; n];
        let mut order: Vec<usize> = Vec::new();
        // Without a start, the blend may leave its boxed columns to the dual simplex
        // ([`LinearProgram::blended_start`]).
        let defer = options.boxed_by_dual_simplex && start.is_none() && objectives.len() > 1;
        let (first, boxed): (Vec<usize>, Vec<usize>) = (0..n)
            .filter(|&j| self.columns[j].reserve.is_none() && !self.fixed_at_zero(j))
            .partition(|&j| !(defer && self.is_boxed(j)));
        self.add_to(
            &[],
            &mut model,
            &first,
            std::slice::from_ref(&costs),
            0,
            &rows,
            &[],
            false,
            &mut cols,
            &mut order,
        );
        let started = Instant::now();
        let (blended, blend_basis) = self.blended_start(
            model,
            start,
            boxed,
            objectives,
            &rows,
            &mut cols,
            &mut order,
            &mut face,
            &mut generated,
            options,
            progress,
        )?;
        model = blended;
        let at_vertex = blend_basis.is_some();
        let start_seconds = started.elapsed().as_secs_f64();
        let mut stages = Vec::new();
        let mut row_duals = Vec::new();
        let mut columns = Vec::new();
        for (k, objective) in objectives.iter().enumerate() {
            if k > 0
                && objective.costs.iter().all(|&(_, c)| c == 0.0)
                && !generator.is_some_and(|g| g.costs_in(k))
            {
                // Nothing to optimise: the last point is optimal (value 0, duals 0).
                stages.push(nothing_to_optimise(objective));
                row_duals.push(vec![0.0; self.rows.len()]);
                continue;
            }
            costs = dense(&objective.costs, n);
            let weights: Vec<f64> = (0..objectives.len())
                .map(|o| f64::from(u8::from(o == k)))
                .collect();
            costs.extend(generated.costs(&weights));
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
                let priced = self.priced(
                    &costs,
                    &weights,
                    objective.direction,
                    &duals,
                    &cols,
                    &face,
                    &generated,
                );
                if priced.entering.is_empty() {
                    for candidate in priced.off_face {
                        match candidate {
                            Candidate::Held(j) => face.off_face[j] = true,
                            Candidate::Generated(v) => generated.state[v] = State::OffFace,
                        }
                    }
                    break solved;
                }
                let entering = generated.enter(
                    &priced.entering,
                    n,
                    &weights,
                    &mut costs,
                    &mut cols,
                    &mut face,
                );
                progress(&format!(
                    "stage {}/{} '{}': {} reserve column(s) priced in",
                    k + 1,
                    objectives.len(),
                    objective.name,
                    entering.len()
                ));
                model = Model::from(solved);
                self.add_to(
                    &generated.columns,
                    &mut model,
                    &entering,
                    std::slice::from_ref(&costs),
                    0,
                    &rows,
                    &[],
                    false,
                    &mut cols,
                    &mut order,
                );
                start = Start::after_pricing(entering.len());
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
            columns.resize(cols.len(), 0.0);
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
        let fixed = |bounds: &RangeInclusive<f64>| {
            (bounds.start() == bounds.end()).then_some(*bounds.start())
        };
        let on_faces = OnFaces {
            columns: face.columns.iter().map(fixed).collect(),
            rows: face.rows.iter().map(fixed).collect(),
        };
        Ok(Solution {
            columns,
            stages,
            row_duals,
            timed_out: false,
            active,
            start_seconds,
            generated: generated.entered,
            blend_basis,
            on_faces,
        })
    }

    /// Solves the blend of every objective, each minimised times its weight (maximised ones
    /// negated), over every column (reserve columns priced in as in a stage), and returns the
    /// model at the blend's optimal vertex, with its basis when there is one: not with a
    /// single objective (nothing to blend), nor when HiGHS ends the blend without an optimum
    /// (the first stage then starts from nothing, as it would without). From `start`, the
    /// dual simplex first ([`Start::Basis`]).
    ///
    /// Else interior point, first without the `boxed` columns (held out of `model`: the
    /// moves of cohorts, each between 0 and its size), which are then added and settled by
    /// the dual simplex from that vertex, each cohort's most attractive move basic in place
    /// of its limit's slack ([`LinearProgram::crash`]), the others at the bounds their reduced
    /// costs prefer, so the basis stays dual feasible. The moves' weeks and destinations are
    /// near ties, which interior point resolves slowly: nationally over 52 weeks it took
    /// 23.9 s with them, and 3.5 s without them then 5.1 s of dual simplex (BENCHMARKS.md).
    #[allow(clippy::too_many_arguments)]
    fn blended_start(
        &self,
        mut model: Model,
        start: Option<&Basis>,
        mut boxed: Vec<usize>,
        objectives: &[Objective],
        rows: &[Row],
        cols: &mut Vec<Option<Col>>,
        order: &mut Vec<usize>,
        face: &mut Face,
        generated: &mut Generated,
        options: SolverOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<(Model, Option<Basis>), SolveError> {
        if objectives.len() < 2 {
            return Ok((model, None));
        }
        let n = self.columns.len();
        let mut blend = vec![0.0; n];
        let weights: Vec<f64> = objectives
            .iter()
            .map(|objective| match objective.direction {
                Direction::Minimise => objective.weight,
                Direction::Maximise => -objective.weight,
            })
            .collect();
        for (objective, weight) in objectives.iter().zip(&weights) {
            let costs = dense(&objective.costs, n);
            for (blended, cost) in blend.iter_mut().zip(costs) {
                *blended += weight * cost;
            }
        }
        for &j in order.iter() {
            model.change_column_cost(cols[j].expect("added"), blend[j]);
        }
        model.set_sense(Sense::Minimise);
        let started = Instant::now();
        let from_basis = start.is_some_and(|basis| {
            let entering = self.enter_named(basis, &weights, &mut blend, cols, face, generated);
            self.add_to(
                &generated.columns,
                &mut model,
                &entering,
                std::slice::from_ref(&blend),
                0,
                rows,
                &[],
                false,
                cols,
                order,
            );
            let entered: BTreeMap<usize, Status> = basis.generated.iter().copied().collect();
            let status = |j: usize| match j.checked_sub(n) {
                None => basis.columns.get(j).copied().flatten(),
                Some(k) => entered.get(&generated.entered[k]).copied(),
            };
            let free = |j: usize| j < n && *self.columns[j].bounds.start() == f64::NEG_INFINITY;
            basis::set(&mut model, &basis.rows, order, status, free)
        });
        let mut start = if from_basis {
            Start::Basis
        } else {
            Start::Cold
        };
        let mut priced_in = 0;
        let split = !boxed.is_empty();
        let mut phases = Vec::new();
        let solved = loop {
            let phase = Instant::now();
            let solved = solve_stage(model, start, options, progress, 0, objectives)?;
            phases.push(phase.elapsed().as_secs_f64());
            let optimal = solved.status() == HighsModelStatus::Optimal;
            // The boxed columns held out of the interior point first (with the crash's basis
            // when it reached a vertex), then those priced in.
            let (entering, next, crashed) = if !boxed.is_empty() {
                let crashed = optimal.then(|| {
                    let at = basis::read(&solved, order, cols.len());
                    self.crash(
                        &at,
                        solved.get_solution().dual_rows(),
                        &blend,
                        order,
                        &boxed,
                    )
                });
                let next = if optimal { Start::Dual } else { Start::Cold };
                (std::mem::take(&mut boxed), next, crashed)
            } else {
                if !optimal {
                    break solved;
                }
                let duals = solved.get_solution().dual_rows().to_vec();
                let priced = self.priced(
                    &blend,
                    &weights,
                    Direction::Minimise,
                    &duals,
                    cols,
                    face,
                    generated,
                );
                if priced.entering.is_empty() {
                    break solved;
                }
                let entering =
                    generated.enter(&priced.entering, n, &weights, &mut blend, cols, face);
                priced_in += entering.len();
                let next = Start::after_pricing(entering.len());
                (entering, next, None)
            };
            model = Model::from(solved);
            let blend = std::slice::from_ref(&blend);
            self.add_to(
                &generated.columns,
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
            // Should HiGHS refuse it, the boxed columns join at their bounds as they are.
            if let Some(crashed) = crashed {
                basis::set(
                    &mut model,
                    &crashed.rows,
                    order,
                    |j| crashed.columns.get(j).copied().flatten(),
                    |_| false,
                );
            }
            start = next;
        };
        let status = solved.status();
        if status == HighsModelStatus::ReachedTimeLimit {
            return Err(SolveError::TimeLimit {
                stage: objectives[0].name,
            });
        }
        let how = if from_basis {
            " from a similar plan's basis".to_string()
        } else if let (true, [without, with, ..]) = (split, &phases[..]) {
            format!(" (interior point without the boxed columns {without:.2}s, dual simplex with them {with:.2}s)")
        } else {
            String::new()
        };
        progress(&format!(
            "blended start, every objective at once{how}: {status:?} in {:.2}s, \
             {priced_in} reserve column(s) priced in",
            started.elapsed().as_secs_f64()
        ));
        let basis =
            (status == HighsModelStatus::Optimal).then(|| basis::read(&solved, order, cols.len()));
        Ok((Model::from(solved), basis))
    }

    /// The reserve columns that `start` names away from 0 (the program's and the
    /// generator's), entered before the blend so that the start's basis can hold them:
    /// extends `blend` and `cols` with them; returns them by number.
    fn enter_named(
        &self,
        start: &Basis,
        weights: &[f64],
        blend: &mut Vec<f64>,
        cols: &mut Vec<Option<Col>>,
        face: &mut Face,
        generated: &mut Generated,
    ) -> Vec<usize> {
        let n = self.columns.len();
        let held = (0..n).filter(|&j| {
            self.columns[j].reserve.is_some()
                && cols[j].is_none()
                && start
                    .columns
                    .get(j)
                    .copied()
                    .flatten()
                    .is_some_and(Status::away_from_zero)
        });
        let named: Vec<Candidate> = held
            .map(Candidate::Held)
            .chain(
                start
                    .generated
                    .iter()
                    .filter(|&&(v, status)| {
                        status.away_from_zero() && generated.state.get(v) == Some(&State::Free)
                    })
                    .map(|&(v, _)| Candidate::Generated(v)),
            )
            .collect();
        generated.enter(&named, n, weights, blend, cols, face)
    }

    /// The reserve columns not yet in the model and still free on the face (the program's
    /// and the generator's, whose costs are `weights` times their objectives'): those whose
    /// reduced cost under `duals` could improve the stage (to enter), and those whose reduced
    /// cost would worsen it (at 0 on the stage's optimal face, once it is optimal).
    ///
    /// When more than [`WARM_START_MOST`] could enter, only the most attractive of each row
    /// of alternatives does, so that the primal simplex can go on from the last vertex: when
    /// the largest local closes, 2,578 instead of 6,469 enter the blend, settled in 14 s
    /// where interior point again took 47 s (BENCHMARKS.md).
    #[allow(clippy::too_many_arguments)]
    fn priced(
        &self,
        costs: &[f64],
        weights: &[f64],
        direction: Direction,
        duals: &[f64],
        cols: &[Option<Col>],
        face: &Face,
        generated: &Generated,
    ) -> Priced {
        let reduced = |cost: f64, entries: &[(usize, f64)]| {
            let reduced = reduced_cost(cost, entries, duals);
            match direction {
                Direction::Minimise => reduced,
                Direction::Maximise => -reduced,
            }
        };
        // Each column that could enter, with its row of alternatives and reduced cost.
        let mut entering: Vec<(Candidate, usize, f64)> = Vec::new();
        let mut off_face = Vec::new();
        let mut sort = |candidate: Candidate, alternatives: usize, reduced: f64| {
            if reduced < -PRICING_TOLERANCE {
                entering.push((candidate, alternatives, reduced));
            } else if reduced > FACE_TOLERANCE {
                off_face.push(candidate);
            }
        };
        for (j, column) in self.columns.iter().enumerate() {
            let Some(alternatives) = column.reserve else {
                continue;
            };
            if cols[j].is_some() || face.off_face[j] || *face.columns[j].end() == 0.0 {
                continue;
            }
            sort(
                Candidate::Held(j),
                alternatives,
                reduced(costs[j], &column.entries),
            );
        }
        if let Some(generator) = generated.generator {
            let (mut entries, mut column_costs) = (Vec::new(), Vec::new());
            for v in 0..generator.count() {
                if generated.state[v] != State::Free {
                    continue;
                }
                entries.clear();
                column_costs.clear();
                let Some((_, alternatives)) = generator.column(v, &mut entries, &mut column_costs)
                else {
                    continue;
                };
                let cost = weighted(&column_costs, weights);
                sort(
                    Candidate::Generated(v),
                    alternatives,
                    reduced(cost, &entries),
                );
            }
        }
        if entering.len() <= WARM_START_MOST {
            let entering = entering.into_iter().map(|(c, _, _)| c).collect();
            return Priced { entering, off_face };
        }
        // The most attractive column of each row of alternatives (the first on a tie).
        let mut best: BTreeMap<usize, (Candidate, f64)> = BTreeMap::new();
        for (candidate, alternatives, reduced) in entering {
            let best = best.entry(alternatives).or_insert((candidate, reduced));
            if reduced < best.1 {
                *best = (candidate, reduced);
            }
        }
        let mut entering: Vec<Candidate> = best.into_values().map(|(c, _)| c).collect();
        entering.sort_unstable();
        Priced { entering, off_face }
    }
}

/// A reserve column that could enter: the program's own, or one of the generator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Candidate {
    Held(usize),
    Generated(usize),
}

/// What a pricing round found.
struct Priced {
    entering: Vec<Candidate>,
    off_face: Vec<Candidate>,
}

/// Where each of a generator's columns stands in the solve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not in the model, and free on the face.
    Free,
    /// In the model.
    Entered,
    /// At 0 on the optimal face of a stage solved.
    OffFace,
}

/// A generator's columns in a solve: those that entered are numbered after the program's.
struct Generated<'g> {
    generator: Option<&'g dyn Generator>,
    state: Vec<State>,
    /// The columns entered, in order, and their costs by objective.
    columns: Vec<Column>,
    costs: Vec<Vec<(usize, f64)>>,
    /// The generator's number of each.
    entered: Vec<usize>,
}

impl<'g> Generated<'g> {
    fn new(generator: Option<&'g dyn Generator>) -> Self {
        Generated {
            generator,
            state: vec![State::Free; generator.map_or(0, |g| g.count())],
            columns: Vec::new(),
            costs: Vec::new(),
            entered: Vec::new(),
        }
    }

    /// The cost of each column entered, `weights` times its objectives'.
    fn costs(&self, weights: &[f64]) -> Vec<f64> {
        self.costs.iter().map(|c| weighted(c, weights)).collect()
    }

    /// The columns of `entering`, the generator's numbered from `n` on as they join: extends
    /// `costs` (`weights` times their objectives'), `cols` and the face with them.
    fn enter(
        &mut self,
        entering: &[Candidate],
        n: usize,
        weights: &[f64],
        costs: &mut Vec<f64>,
        cols: &mut Vec<Option<Col>>,
        face: &mut Face,
    ) -> Vec<usize> {
        let mut columns = Vec::with_capacity(entering.len());
        for &candidate in entering {
            let v = match candidate {
                Candidate::Held(j) => {
                    columns.push(j);
                    continue;
                }
                Candidate::Generated(v) => v,
            };
            let generator = self.generator.expect("generated columns have a generator");
            let (mut entries, mut column_costs) = (Vec::new(), Vec::new());
            let (upper, alternatives) = generator
                .column(v, &mut entries, &mut column_costs)
                .expect("only existing columns are priced");
            let bounds = 0.0..=upper;
            face.columns.push(bounds.clone());
            face.off_face.push(false);
            cols.push(None);
            costs.push(weighted(&column_costs, weights));
            self.columns.push(Column {
                bounds,
                entries,
                reserve: Some(alternatives),
            });
            self.costs.push(column_costs);
            self.state[v] = State::Entered;
            self.entered.push(v);
            columns.push(n + self.entered.len() - 1);
        }
        columns
    }
}

/// `weights` times costs by objective.
fn weighted(costs: &[(usize, f64)], weights: &[f64]) -> f64 {
    costs
        .iter()
        .filter_map(|&(k, c)| weights.get(k).map(|w| w * c))
        .sum()
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
    /// The dual simplex from the last vertex (boxed columns just added: dual feasible at the
    /// bounds their reduced costs prefer).
    Dual,
    /// From a basis set on the model (a similar program's optimum), for at most
    /// [`BASIS_ITERATIONS`], then interior point: the primal simplex when the basis is still
    /// primal feasible (the program only gained columns: a prison designated for one more
    /// CPA), else the dual simplex.
    Basis,
}

impl Start {
    /// How to solve again once `entering` columns are priced in: a few columns more, the
    /// primal simplex from the last vertex is quickest; many (tens of thousands at the first
    /// stage nationally), interior point again.
    fn after_pricing(entering: usize) -> Start {
        if entering <= WARM_START_MOST {
            Start::Warm
        } else {
            Start::Cold
        }
    }

    /// The step limit of the simplex a start tries before interior point: for [`Start::Try`]
    /// and [`Start::Basis`]; none for the others.
    fn simplex_first(self) -> Option<i32> {
        match self {
            Start::Try => Some(TRY_ITERATIONS),
            Start::Basis => Some(BASIS_ITERATIONS),
            Start::Cold | Start::Warm | Start::Dual => None,
        }
    }
}

/// The primal simplex steps a [`Start::Try`] allows before it turns to interior point. From
/// the blended start's vertex a stage settles in a few steps or a few thousand: nationally
/// over 52 weeks the distance stage takes under 20,000 (1.0 s with its pricing round), where
/// interior point took 15.5 s; over 26 weeks every stage settles within 200 either way.
const TRY_ITERATIONS: i32 = 20_000;

/// HiGHS's dual simplex perturbs the costs by this times its usual amount from a
/// [`Start::Dual`]. With the usual amount, nationally over 52 weeks the blend's boxed columns
/// took 7,500 dual steps (5.0 s) and then 1,557 primal steps (2.5 s) to clean up the dual
/// infeasibilities the perturbation left; at a tenth, 7,500 steps and no clean-up (measured
/// 0.03 to 1: 6.1, 5.1, 5.4, 6.5 and 7.4 s; BENCHMARKS.md).
const DUAL_START_PERTURBATION: f64 = 0.1;

/// The dual simplex steps a [`Start::Basis`] allows before it turns to interior point.
const BASIS_ITERATIONS: i32 = 20_000;

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
    if let Some(iterations) = start.simplex_first() {
        let primal = match start {
            Start::Basis => {
                let (probed, feasible) = primal_feasible(model).map_err(stage_failed)?;
                model = probed;
                feasible
            }
            _ => true,
        };
        model.set_option("solver", "simplex");
        model.set_option("simplex_strategy", if primal { 4 } else { 1 });
        model.set_option("simplex_iteration_limit", iterations);
        let tried = model.try_solve().map_err(stage_failed)?;
        if tried.status() != HighsModelStatus::ReachedIterationLimit {
            return Ok(tried);
        }
        model = Model::from(tried);
        limit_to_time_left(&mut model, options);
    }
    // The model keeps its options from one solve to the next: no limit left from a try.
    model.set_option("simplex_iteration_limit", i32::MAX);
    if let Some(strategy) = match start {
        Start::Warm => Some(4),
        Start::Dual => Some(1),
        _ => None,
    } {
        model.set_option("solver", "simplex");
        model.set_option("simplex_strategy", strategy);
    } else {
        model.set_option("solver", "ipm");
    }
    let perturbation = match start {
        Start::Dual => DUAL_START_PERTURBATION,
        _ => 1.0,
    };
    model.set_option("dual_simplex_cost_perturbation_multiplier", perturbation);
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

/// Whether the basis set on `model` is primal feasible, as HiGHS finds it when allowed no
/// simplex step (one factorisation: 0.06 s nationally over 52 weeks). Designating a prison
/// for one more CPA only adds columns, and its basis from the base stays feasible: the primal
/// simplex settles it in 0.13 s, where the dual took 7.4 s; a change of places, population
/// or closures leaves it infeasible (361–790 rows nationally), and the dual simplex is the
/// one that starts from there.
fn primal_feasible(mut model: Model) -> Result<(Model, bool), HighsStatus> {
    model.set_option("solver", "simplex");
    model.set_option("simplex_strategy", 4);
    model.set_option("simplex_iteration_limit", 0);
    let probed = model.try_solve()?;
    let name = c"num_primal_infeasibilities";
    let mut infeasible: highs_sys::HighsInt = -1;
    // SAFETY: the pointer is the live HiGHS instance owned by `probed`; `name` and
    // `infeasible` outlive the call.
    let status = unsafe {
        highs_sys::Highs_getIntInfoValue(probed.as_ptr(), name.as_ptr(), &mut infeasible)
    };
    let feasible = status == highs_sys::STATUS_OK && infeasible == 0;
    Ok((Model::from(probed), feasible))
}
