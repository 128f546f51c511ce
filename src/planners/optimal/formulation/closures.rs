//! Closure moves: everyone a closure forces out leaves by its week.

use std::collections::BTreeMap;

use super::keys::key;
use super::{class, k2_weeks_until, value_of_staying, Builder, OutColumn, Source};
use crate::problem::instance::Mover;
use crate::problem::plan::Route;

impl Builder<'_> {
    /// Closure moves: everyone a closure forces out leaves by its week, straight home in time
    /// for his window or for a pool.
    pub(super) fn closures(&mut self) {
        let instance = self.instance;
        let (horizon, window) = (instance.options.horizon, instance.options.window);
        // The week after the last that a move home may arrive in for the window: by max(d −
        // 7W days, custody start), so a reception redirected on arrival qualifies even when
        // its window has begun.
        let home_until = |mover: &Mover| {
            let latest = mover.latest_qualifying_arrival(window)?;
            Some(instance.options.calendar.week_of(latest) + 1)
        };
        let mut cohorts: BTreeMap<_, Vec<usize>> = BTreeMap::new();
        for (m, mover) in instance.movers.iter().enumerate() {
            let Some(by) = mover.forced_out_by else {
                continue;
            };
            let stay = value_of_staying(instance, mover);
            cohorts
                .entry((
                    (mover.forced_from(), class(mover), by, mover.movable_from),
                    mover.home.filter(|_| mover.eligible),
                    mover.release_week,
                    mover.last_week,
                    home_until(mover),
                    (stay.0 > 0.0, stay.1 as u32),
                ))
                .or_default()
                .push(m);
        }
        for (what, members) in cohorts {
            let cohort = key(("closure", &what));
            let ((prison, class, by, first), home, release, _, home_until, _) = what;
            let first = first.expect("forced movers are movable");
            let c = self.cohort(cohort, prison, members, Some(by));
            let size = f64::from(self.f.cohorts[c].size);
            // At most everyone leaves; who stays is counted by the closed-prison stage.
            let everyone = self.f.keys.row(
                &mut self.f.lp,
                ("everyone", cohort),
                f64::NEG_INFINITY..=size,
            );
            let representative = &instance.movers[self.f.cohorts[c].members[0]];
            let end = representative.moves_end(horizon);
            // The last week that gets them out in time (the first, when none does).
            let due = representative.in_time(horizon).end.max(first + 1) - 1;
            if let (Some(_), Some(release), Some(last)) = (home, release, home_until) {
                let last = last.clamp(0, i64::from(end)) as u32;
                if release < horizon + window {
                    for week in first..last {
                        let core = week == (last - 1).min(due);
                        self.direct_columns(c, week, &[(everyone, 1.0)], core);
                    }
                }
            }
            let until = representative.gone_from(horizon);
            let (home_stay, k2_stay) = value_of_staying(instance, representative);
            let stay = Route::unmoved(representative, 1, horizon);
            for week in first..end {
                let pool = (class, week, until);
                let mut entries = vec![(everyone, 1.0)];
                entries.push((self.balance[prison][week as usize], 1.0));
                if until < horizon {
                    entries.push((self.balance[prison][until as usize], -1.0));
                }
                entries.push((self.pool_row(pool), 1.0));
                entries.extend(self.escort(prison, week));
                let core = week == first || week == due;
                let out = key(("out", cohort, pool));
                let column = self.move_column(out, core, size, entries, everyone);
                let k2_after = k2_weeks_until(instance, representative, &stay, week);
                self.home_gain.push((column, -home_stay));
                self.k2_gain.push((column, k2_after - k2_stay));
                self.f.outs.push(OutColumn {
                    source: self.f.sources.len(),
                    pool,
                    column,
                });
            }
            let members = self.f.cohorts[c].members.clone();
            self.f.sources.push(Source {
                prison,
                members,
                forced: true,
                key: cohort,
                carried: Vec::new(),
            });
        }
    }
}
