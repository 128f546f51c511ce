//! Programs derived from a solved one (rounded, restricted, partly fixed and held) and its export
//! as MPS.

use super::{dense, sense, Direction, LinearProgram, Objective, Solution};

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
            column.reserve = None;
        }
        program
    }

    /// The program left when each column `values` gives a value is fixed there and
    /// substituted out, and each row `rows` gives a value is held there: each row's bounds
    /// less the fixed columns' part, without the rows no column is left in (unless the fixed
    /// part breaks them: then kept empty, infeasible). A repair's MIP over the few columns
    /// left is then small for HiGHS to set up and presolve, however large the program.
    pub fn fixing(&self, values: &[Option<f64>], rows: &[Option<f64>]) -> Fixed {
        let mut fixed_part = vec![0.0; self.rows.len()];
        let mut left_in = vec![false; self.rows.len()];
        for (column, value) in self.columns.iter().zip(values) {
            for &(row, a) in &column.entries {
                match value {
                    Some(v) => fixed_part[row] += a * v,
                    None => left_in[row] = true,
                }
            }
        }
        let mut program = LinearProgram::default();
        let mut row_of = vec![usize::MAX; self.rows.len()];
        for (i, bounds) in self.rows.iter().enumerate() {
            let (low, high) = match rows.get(i).copied().flatten() {
                Some(value) => (value, value),
                None => (*bounds.start(), *bounds.end()),
            };
            let (low, high) = (low - fixed_part[i], high - fixed_part[i]);
            if left_in[i] || low > BROKEN || high < -BROKEN {
                row_of[i] = program.add_row(low..=high);
            }
        }
        let mut position = vec![usize::MAX; self.columns.len()];
        for (j, (column, value)) in self.columns.iter().zip(values).enumerate() {
            if value.is_none() {
                let entries = column
                    .entries
                    .iter()
                    .map(|&(row, a)| (row_of[row], a))
                    .collect();
                position[j] = program.add_column(column.bounds.clone(), entries);
            }
        }
        Fixed {
            program,
            values: values.iter().map(|v| v.unwrap_or(0.0)).collect(),
            position,
        }
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

/// How far the fixed columns may break a row no column is left in before it is kept, empty
/// and infeasible (the whole program's rows hold to HiGHS's tolerance, 1e-7).
const BROKEN: f64 = 1e-6;

/// A program with some columns fixed and substituted out ([`LinearProgram::fixing`]).
pub struct Fixed {
    /// The columns left, in their order in the whole program, and the rows they are in.
    pub program: LinearProgram,
    /// Every column's value in the whole program: the fixed ones' (0 for the others).
    values: Vec<f64>,
    /// Each column's position in `program`, or `usize::MAX` when fixed.
    position: Vec<usize>,
}

impl Fixed {
    /// `objective` over the columns left, and the fixed columns' part of its value.
    fn objective(&self, objective: &Objective) -> (Objective, f64) {
        let mut costs = Vec::new();
        let mut fixed_part = 0.0;
        for &(j, c) in &objective.costs {
            match self.position[j] {
                usize::MAX => fixed_part += c * self.values[j],
                k => costs.push((k, c)),
            }
        }
        (
            Objective {
                costs,
                ..objective.clone()
            },
            fixed_part,
        )
    }

    /// `objective` over the columns left plus one column fixed at 1 that costs the fixed
    /// columns' part, so that a solve reports the whole program's value.
    pub fn whole_objective(&mut self, objective: &Objective) -> Objective {
        let (mut left, fixed_part) = self.objective(objective);
        let constant = self.program.add_column(1.0..=1.0, Vec::new());
        left.costs.push((constant, fixed_part));
        left
    }

    /// Adds a row keeping a whole-number objective of the whole program at least as good as
    /// `value`, the LP's optimum: at most its ceiling when minimised, at least its floor when
    /// maximised (no whole-number point does better than the LP), less the fixed columns'
    /// part.
    pub fn hold_whole(&mut self, objective: &Objective, value: f64) {
        let (left, fixed_part) = self.objective(objective);
        let bounds = match objective.direction {
            Direction::Minimise => f64::NEG_INFINITY..=(value - 1e-6).ceil() - fixed_part,
            Direction::Maximise => (value + 1e-6).floor() - fixed_part..=f64::INFINITY,
        };
        let row = self.program.add_row(bounds);
        for (k, c) in left.costs {
            self.program.add_entry(k, row, c);
        }
    }

    /// A solution of the program left as one of the whole program: the fixed columns at their
    /// values.
    pub fn expand(&self, solution: Solution) -> Solution {
        let mut columns = self.values.clone();
        let mut active = vec![false; columns.len()];
        for (j, &k) in self.position.iter().enumerate() {
            if k != usize::MAX {
                columns[j] = solution.columns[k];
                active[j] = solution.active[k];
            }
        }
        Solution {
            columns,
            active,
            ..solution
        }
    }
}
