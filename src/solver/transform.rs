//! Programs derived from a solved one (rounded, restricted, held, partly fixed) and its export
//! as MPS.

use super::{dense, sense, Direction, LinearProgram, Objective};

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
