//! The MIP solved stage by stage, each earlier objective held by a row at the value it reached.

use std::time::Instant;

use highs::{Col, HighsModelStatus, HighsSolutionStatus, Model, Row};

use super::{
    begin_stage, end_stage, limit_to_time_left, nothing_to_optimise, stage_failed, Direction,
    LinearProgram, Objective, OnFaces, Solution, SolveError, SolverOptions,
};

/// The relative slack with which an earlier stage's objective is held in the later ones.
const HELD_SLACK: f64 = 1e-7;
/// The least magnitude the slack is relative to: the slack is at least 1e-5, a hundred
/// times HiGHS's feasibility tolerance (each stage ends on the edge of the rows held before
/// it, within that tolerance; rows held as tight as it made later stages infeasible).
const MIN_HELD_SCALE: f64 = 100.0;

impl LinearProgram {
    /// For a MIP: each stage solved with the earlier objectives held by a row at the value
    /// they reached (less a slack far below one person).
    pub(super) fn solve_holding(
        &self,
        objectives: &[Objective],
        options: SolverOptions,
        progress: &mut dyn FnMut(&str),
    ) -> Result<Solution, SolveError> {
        let n = self.columns.len();
        let costs = self.dense_costs(objectives);
        let (mut model, rows) = self.empty_model();
        model.set_option("mip_rel_gap", options.mip_gap);
        if !options.feasibility_jump {
            model.set_option("mip_heuristic_run_feasibility_jump", false);
        }
        if !options.mip_presolve {
            model.set_option("presolve", "off");
        }
        let mut held: Vec<Row> = Vec::new();
        let mut cols: Vec<Option<Col>> = vec![None; n];
        let mut order: Vec<usize> = Vec::new();
        let first: Vec<usize> = (0..n).filter(|&j| !self.fixed_at_zero(j)).collect();
        self.add_to(
            &[],
            &mut model,
            &first,
            &costs,
            0,
            &rows,
            &held,
            true,
            &mut cols,
            &mut order,
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
                &mut model, objectives, k, &costs[k], &order, &cols, "MIP", progress,
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
                    generated: Vec::new(),
                    blend_basis: None,
                    on_faces: OnFaces::default(),
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
            generated: Vec::new(),
            blend_basis: None,
            on_faces: OnFaces::default(),
        })
    }
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
