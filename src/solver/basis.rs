//! A vertex's basis (where each column and row sits), read from one solve and handed to the
//! blend of another, similar program as its start: the dual simplex from there instead of
//! interior point from nothing.

use highs_sys::HighsInt as c_int;

use highs::{Model, SolvedModel};

/// Where a column or row sits at a vertex (HiGHS's basis status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// At its lower bound.
    Lower,
    /// In the basis, between its bounds.
    Basic,
    /// At its upper bound.
    Upper,
    /// Free and nonbasic, at 0.
    Zero,
}

impl Status {
    /// Away from 0 (for a column with lower bound 0): a reserve column that must enter for
    /// the start to mean what it says.
    pub(super) fn away_from_zero(self) -> bool {
        matches!(self, Status::Basic | Status::Upper)
    }

    fn highs(self) -> c_int {
        match self {
            Status::Lower => 0,
            Status::Basic => 1,
            Status::Upper => 2,
            Status::Zero => 3,
        }
    }

    fn from_highs(status: c_int) -> Status {
        match status {
            1 => Status::Basic,
            2 => Status::Upper,
            3 => Status::Zero,
            _ => Status::Lower,
        }
    }
}

/// The blend's optimal basis, by the program's numbers: each column's status (the
/// generator's that entered numbered on after the program's; `None` for a column the solve
/// never held) and each row's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Basis {
    pub columns: Vec<Option<Status>>,
    pub rows: Vec<Status>,
    /// For a start: the generator's columns (by the generator's numbers) and their status,
    /// those away from 0 entering the solve before the blend.
    pub generated: Vec<(usize, Status)>,
}

/// The basis of `solved`, whose columns are the program's `order` (numbered up to `count`).
pub(super) fn read(solved: &SolvedModel, order: &[usize], count: usize) -> Basis {
    // SAFETY: a live model.
    let rows = unsafe { highs_sys::Highs_getNumRow(solved.as_ptr()) }.max(0) as usize;
    let mut col_status: Vec<c_int> = vec![0; order.len()];
    let mut row_status: Vec<c_int> = vec![0; rows];
    // SAFETY: the buffers hold one status per column and row of the model.
    unsafe {
        highs_sys::Highs_getBasis(
            solved.as_ptr(),
            col_status.as_mut_ptr(),
            row_status.as_mut_ptr(),
        );
    }
    let mut columns = vec![None; count];
    for (&j, &status) in order.iter().zip(&col_status) {
        columns[j] = Some(Status::from_highs(status));
    }
    Basis {
        columns,
        rows: row_status.into_iter().map(Status::from_highs).collect(),
        generated: Vec::new(),
    }
}

/// Sets a start as the basis of `model`, whose columns are the program's `order`: each row's
/// status in `rows` (a row beyond them is basic), each column's `status(j)`; a column with
/// none sits at its lower bound (at 0 when free, `free(j)`). HiGHS takes it as an alien
/// basis: it makes it square and nonsingular. Returns whether HiGHS accepted it.
pub(super) fn set(
    model: &mut Model,
    rows: &[Status],
    order: &[usize],
    status: impl Fn(usize) -> Option<Status>,
    free: impl Fn(usize) -> bool,
) -> bool {
    let col_status: Vec<c_int> = order
        .iter()
        .map(|&j| match status(j) {
            Some(status) => status.highs(),
            None if free(j) => Status::Zero.highs(),
            None => Status::Lower.highs(),
        })
        .collect();
    let row_status: Vec<c_int> = (0..model.num_rows())
        .map(|i| rows.get(i).copied().unwrap_or(Status::Basic).highs())
        .collect();
    // SAFETY: the buffers hold one status per column and row of the model.
    let status = unsafe {
        highs_sys::Highs_setBasis(model.as_mut_ptr(), col_status.as_ptr(), row_status.as_ptr())
    };
    status != highs_sys::STATUS_ERROR
}
