//! Decants: supply groups held through the horizon leaving for the pools, one move each.

use std::collections::BTreeMap;

use super::keys::{key, Key};
use super::{
    class, k2_weeks_until, row_in_force, value_of_staying, Builder, ByStep, GroupKey, OutColumn,
    SharedRows, Source,
};
use crate::problem::plan::Route;

impl Builder<'_> {
    /// Decants: supply groups of movers held through the horizon and released after it (or
    /// never), their one-move stock rows and their departures for the pools. Returns each
    /// mover's stock rows (by group), for the resettlement moves of the same people.
    pub(super) fn decants(&mut self) -> BTreeMap<usize, SharedRows> {
        let instance = self.instance;
        let horizon = instance.options.horizon;
        let mut groups: BTreeMap<GroupKey, Vec<usize>> = BTreeMap::new();
        for (m, mover) in instance.movers.iter().enumerate() {
            let decantable = mover.forced_out_by.is_none()
                && mover.movable_from.is_some_and(|s| s < horizon)
                && mover.release_week.is_none_or(|r| r >= horizon)
                && mover.gone_from(horizon) == horizon;
            if decantable {
                // Only an on-track member's decant costs (b) and K2 weeks (a member held at
                // home through his final weeks is on track), and those depend on his release.
                let on_track = (value_of_staying(instance, mover).0 > 0.0)
                    .then_some(mover.release_week)
                    .flatten();
                groups
                    .entry((mover.prison, class(mover), on_track))
                    .or_default()
                    .push(m);
            }
        }
        let mut rows_of = BTreeMap::new();
        for (group, mut members) in groups {
            let (prison, class, _) = group;
            let group = key(("decant group", group));
            members.sort_by_key(|&m| instance.member_key(m));
            let (steps, carried) = self.stock_rows(group, &members);
            let g = self.f.sources.len();
            for &m in &members {
                rows_of.insert(m, (g, steps.clone()));
            }
            let representative = &instance.movers[members[0]];
            for week in steps[0].0..horizon {
                let pool = (class, week, horizon);
                let stock = row_in_force(&steps, week);
                let mut entries = vec![(stock, 1.0)];
                entries.push((self.balance[prison][week as usize], 1.0));
                entries.push((self.pool_row(pool), 1.0));
                entries.extend(self.escort(prison, week));
                let core = steps.iter().any(|&(from, _)| from == week);
                let column = self.move_column(
                    key(("out", group, pool)),
                    core,
                    f64::INFINITY,
                    entries,
                    stock,
                );
                let stay = Route {
                    count: 1,
                    moved: None,
                    via: None,
                };
                let (home, k2) = value_of_staying(instance, representative);
                let k2_after = k2_weeks_until(instance, representative, &stay, week);
                self.home_gain.push((column, -home));
                self.k2_gain.push((column, k2_after - k2));
                self.f.outs.push(OutColumn {
                    source: g,
                    pool,
                    column,
                });
            }
            self.f.sources.push(Source {
                prison,
                members,
                forced: false,
                key: group,
                carried,
            });
        }
        rows_of
    }

    /// The stock of `members` still there to move, step by step: one row per first movable
    /// week, `s[k] − s[k−1] + moved[k] = count[k]` with `s ≥ 0`, where `count[k]` become
    /// movable that week and `moved[k]` leave before the next (so no more move by then than
    /// have become movable): one entry per move. Returns the rows by first week, and the
    /// stock carried into each later step (its first week and the column).
    fn stock_rows(&mut self, group: Key, members: &[usize]) -> (ByStep, ByStep) {
        let mut available: BTreeMap<u32, u32> = BTreeMap::new();
        for &m in members {
            let mover = &self.instance.movers[m];
            *available
                .entry(mover.movable_from.expect("movable"))
                .or_default() += mover.count;
        }
        let (lp, keys) = (&mut self.f.lp, &mut self.f.keys);
        let steps: ByStep = available
            .iter()
            .map(|(&from, &count)| {
                let count = f64::from(count);
                (from, keys.row(lp, ("stock", group, from), count..=count))
            })
            .collect();
        let mut carried = Vec::new();
        for (k, &(from, row)) in steps.iter().enumerate() {
            let mut entries = vec![(row, 1.0)];
            let next = steps.get(k + 1);
            entries.extend(next.map(|&(_, next)| (next, -1.0)));
            let left = keys.column(lp, ("left", group, from), 0.0..=f64::INFINITY, entries);
            carried.extend(next.map(|&(next, _)| (next, left)));
        }
        (steps, carried)
    }
}
