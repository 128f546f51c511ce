//! The CRC workload forecast (docs/policy.md §2, issue #5): what each resettlement prison's CRC
//! will have to do, week by week, under a plan — and, for each CPA's CRC, where its
//! prisoners nearing release are held.
//!
//! Definitions (all counted in people, from the plan's paths, for every prisoner and
//! reception cohort, eligible for the KPIs or not: a CRC serves all prisoners, `003` §2.1):
//!
//! - **final weeks**: present in week t (as for occupancy) with a release week r and
//!   r − W + 1 ≤ t ≤ r, W the resettlement window (12 weeks) — the same weeks K2 counts;
//! - **releases**: released in week t (r = t) from the prison he is held in that week;
//! - **receptions** needing the basic custody screening that the CRC completes within 3 days
//!   of reception (`003` §2.1): the forecast reception cohorts received into the prison from
//!   the courts in week t, remand and indeterminate included ("completed for remanded and
//!   sentenced prisoners"). Transfers between prisons are not receptions; the snapshot's
//!   prisoners were received before week 0;
//! - **own** / **other**: his home CPA is one the prison is a resettlement prison for, or not
//!   (an unknown home CPA counts as other);
//! - **moves in** / **moves out**: people the plan moves into or out of the prison that week.
//!
//! Rows are written for resettlement prisons only (prisons designated for at least one CPA);
//! the per-CRC view covers every prison holding a CPA's prisoners.
//!
//! Files (deterministic: data order, no timestamps; counts only, never prisoner ids):
//! `workload.csv` (prison × week totals), `workload_by_cpa.csv` (prison × week × home CPA, the
//! non-zero rows), `workload_by_crc.csv` (CPA × week × prison, the non-zero rows) and
//! `workload.json` (all of it nested).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::problem::instance::{Instance, Origin};
use crate::problem::plan::Plan;

/// Counts by home CPA (index into `cpas`; `None`: unknown home CPA).
pub type ByHome = BTreeMap<Option<usize>, u64>;

/// One prison's workload in one week.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// People in their final W weeks, by home CPA.
    pub final_weeks: ByHome,
    /// People released this week, by home CPA.
    pub releases: ByHome,
    /// People received from the courts this week (forecast receptions), by home CPA.
    pub receptions: ByHome,
    pub moves_in: u64,
    pub moves_out: u64,
}

/// The workload forecast of a plan: per prison (every prison, data order) and week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// The resettlement window W, in weeks.
    pub window: u32,
    /// `cells[prison][week]`.
    pub cells: Vec<Vec<Cell>>,
}

/// A count split by whether the prison serves the home CPA.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Split {
    pub total: u64,
    pub own: u64,
    pub other: u64,
}

impl Workload {
    /// Whether prison `prison` is a resettlement prison (designated for at least one CPA).
    pub fn is_resettlement(instance: &Instance, prison: usize) -> bool {
        instance.serves[prison].iter().any(|&s| s)
    }

    /// `counts` split into own and other CPAs for prison `prison`.
    pub fn split(instance: &Instance, prison: usize, counts: &ByHome) -> Split {
        let mut split = Split::default();
        for (&home, &count) in counts {
            split.total += count;
            if home.is_some_and(|h| instance.serves[prison][h]) {
                split.own += count;
            } else {
                split.other += count;
            }
        }
        split
    }
}

/// Computes the workload forecast of `plan` on `instance`.
pub fn workload(instance: &Instance, plan: &Plan) -> Workload {
    let horizon = instance.options.horizon;
    let window = instance.options.window;
    let mut cells = vec![vec![Cell::default(); horizon as usize]; instance.prisons().len()];
    for (mover, paths) in instance.movers.iter().zip(plan.routes(instance)) {
        if let Origin::Reception(_) = mover.origin {
            if mover.arrival_week < horizon {
                *cells[mover.prison][mover.arrival_week as usize]
                    .receptions
                    .entry(mover.home)
                    .or_default() += u64::from(mover.count);
            }
        }
        let Some(release) = mover.release_week else {
            continue;
        };
        let first_final_week = i64::from(release) - i64::from(window) + 1;
        for path in &paths {
            let count = u64::from(path.count);
            for week in
                (0..horizon).filter(|&w| mover.present(w) && i64::from(w) >= first_final_week)
            {
                let at = path.location(mover.prison, week);
                let cell = &mut cells[at][week as usize];
                *cell.final_weeks.entry(mover.home).or_default() += count;
                if week == release {
                    *cell.releases.entry(mover.home).or_default() += count;
                }
            }
        }
    }
    for m in &plan.moves {
        if m.week < horizon {
            cells[m.to][m.week as usize].moves_in += u64::from(m.count);
            cells[m.from][m.week as usize].moves_out += u64::from(m.count);
        }
    }
    Workload { window, cells }
}
