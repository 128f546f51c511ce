//! Resettlement moves: straight to a home resettlement prison, in time for the window.

use std::collections::{BTreeMap, BTreeSet};

use super::keys::key;
use super::{class, Builder, SharedRows};

impl Builder<'_> {
    /// Resettlement moves of movers who are not forced out and whose window opens inside
    /// the horizon: straight to a home resettlement prison, in time for the window.
    pub(super) fn resettlement(&mut self, decant_rows: &BTreeMap<usize, SharedRows>) {
        let instance = self.instance;
        let (horizon, window) = (instance.options.horizon, instance.options.window);
        let mut cohorts: BTreeMap<_, Vec<usize>> = BTreeMap::new();
        for (m, mover) in instance.movers.iter().enumerate() {
            let (Some(home), Some(release), Some(first)) =
                (mover.home, mover.release_week, mover.movable_from)
            else {
                continue;
            };
            if mover.eligible
                && mover.forced_out_by.is_none()
                && release >= first + window
                && release < horizon + window
                && !instance.is_home(mover.prison, mover)
            {
                let group = decant_rows.get(&m).map(|(g, _)| *g);
                cohorts
                    .entry((mover.prison, home, class(mover), release, first, group))
                    .or_default()
                    .push(m);
            }
        }
        for ((prison, home, class, release, first, group), members) in cohorts {
            let shared_rows = decant_rows.get(&members[0]).map(|(_, steps)| steps.clone());
            let group = group.map(|g| self.f.sources[g].key);
            let cohort = key(("resettlement", prison, home, class, release, first, group));
            // Weeks last week's plan moved a member in: held as columns, to be kept (b′).
            let previous: BTreeSet<u32> = members
                .iter()
                .filter_map(|m| instance.previous.get(m).map(|&(_, week)| week))
                .collect();
            let c = self.cohort(cohort, prison, members, None);
            let size = f64::from(self.f.cohorts[c].size);
            let limit =
                self.f
                    .keys
                    .row(&mut self.f.lp, ("cohort", cohort), f64::NEG_INFINITY..=size);
            let last = (release - window).min(horizon - 1);
            let mut shared = vec![(limit, 1.0)];
            if let Some(steps) = &shared_rows {
                // Resettled members are gone from the group whatever the week: they leave
                // its stock in the step they become movable.
                shared.extend(
                    steps
                        .iter()
                        .find(|&&(from, _)| from >= first)
                        .map(|&(_, row)| (row, 1.0)),
                );
            }
            for week in first..=last {
                let core = week == first || week == last;
                if core || previous.contains(&week) {
                    self.direct_columns(c, week, &shared, core);
                }
            }
            if last > first + 1 {
                self.weeks_between(c, first + 1..last, &shared, &previous);
            }
        }
    }
}
