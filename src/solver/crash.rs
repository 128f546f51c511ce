//! A start for the dual simplex when boxed columns join a vertex: the most attractive of each
//! row they alone enter made basic in place of the row's slack, so that a cohort moves once
//! (to where the duals say it gains most) rather than once per alternative.

use super::basis::{Basis, Status};
use super::{reduced_cost, LinearProgram};

impl LinearProgram {
    /// The basis of the vertex `at` (optimal over `held`, with row duals `duals`) once the
    /// `boxed` columns join it, dual feasible for `costs`.
    ///
    /// Added as they are, each boxed column sits at the bound its reduced cost prefers: when
    /// the rows only they enter (a cohort's limit) have a basic slack, every alternative of a
    /// cohort that gains at these duals sits at its upper bound, the cohort moved many times
    /// over, and the dual simplex undoes that row by row. Instead, in each such row `i` whose
    /// most attractive column `j` could improve the blend (reduced cost `d < 0`, `a` its
    /// coefficient in `i`), `j` becomes basic and the row nonbasic at its upper bound: the
    /// basis stays nonsingular (`j` is the only basic column in `i`), and the dual of `i`
    /// becomes `d / a` (`≤ 0`, as a row at its upper bound needs) with every other dual
    /// unchanged, provided no other swapped row holds `j` and `j`'s is the only swap in `i`.
    /// Each boxed column then sits at the bound its new reduced cost prefers.
    pub(super) fn crash(
        &self,
        at: &Basis,
        duals: &[f64],
        costs: &[f64],
        held: &[usize],
        boxed: &[usize],
    ) -> Basis {
        let mut entered_by_held = vec![false; self.rows.len()];
        for &j in held {
            for &(i, _) in &self.columns[j].entries {
                entered_by_held[i] = true;
            }
        }
        // Rows only boxed columns enter, with a basic slack and an upper bound to sit on.
        let swappable = |i: usize| {
            !entered_by_held[i] && at.rows[i] == Status::Basic && self.rows[i].end().is_finite()
        };
        let reduced: Vec<f64> = (boxed.iter())
            .map(|&j| reduced_cost(costs[j], &self.columns[j].entries, duals))
            .collect();
        // The most attractive column of each swappable row: the least d / a below 0.
        let mut best: Vec<Option<(usize, f64)>> = vec![None; self.rows.len()];
        for (b, &j) in boxed.iter().enumerate() {
            for &(i, a) in &self.columns[j].entries {
                let dual = reduced[b] / a;
                if a > 0.0 && dual < 0.0 && swappable(i) && best[i].is_none_or(|(_, d)| dual < d) {
                    best[i] = Some((b, dual));
                }
            }
        }
        // Greedily in row order: a swap whose column holds no row swapped before, in a row
        // no column swapped before holds.
        let mut new_dual = vec![None; self.rows.len()];
        let mut touched = vec![false; self.rows.len()];
        let mut basic = vec![false; boxed.len()];
        for i in 0..self.rows.len() {
            let Some((b, dual)) = best[i] else { continue };
            let entries = &self.columns[boxed[b]].entries;
            if touched[i] || entries.iter().any(|&(r, _)| new_dual[r].is_some()) {
                continue;
            }
            new_dual[i] = Some(dual);
            basic[b] = true;
            for &(r, _) in entries {
                touched[r] = true;
            }
        }
        let mut crashed = at.clone();
        for (i, dual) in new_dual.iter().enumerate() {
            if dual.is_some() {
                crashed.rows[i] = Status::Upper;
            }
        }
        for (b, &j) in boxed.iter().enumerate() {
            let shift: f64 = (self.columns[j].entries.iter())
                .filter_map(|&(i, a)| new_dual[i].map(|d| a * d))
                .sum();
            crashed.columns[j] = Some(if basic[b] {
                Status::Basic
            } else if reduced[b] - shift < 0.0 {
                Status::Upper
            } else {
                Status::Lower
            });
        }
        crashed
    }
}
