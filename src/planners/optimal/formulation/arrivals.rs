//! Arrivals from the pools at the prisons that may hold them.

use std::collections::BTreeSet;

use super::keys::key;
use super::{Builder, InColumn, OutColumn, PoolKey};

impl Builder<'_> {
    /// Arrivals from every pool at each prison that may hold its class from its week until
    /// its members leave.
    ///
    /// The arrivals of a pool that a closure sends people to, and none of whose departures
    /// the first LP holds, are reserve columns too: they can only carry what a departure
    /// brings, so they enter once one has (its pool's row then prices them). When the
    /// largest local closes, most of its 215,622 arrivals are such, and the simplex after
    /// the blend's pricing no longer carries them (BENCHMARKS.md). Decant pools keep theirs:
    /// there the rule spared nothing and gave the base another vertex, repaired in 5 s more.
    pub(super) fn arrivals(&mut self) {
        let instance = self.instance;
        let horizon = instance.options.horizon;
        let pools_where = |departure: &dyn Fn(&OutColumn) -> bool| -> BTreeSet<PoolKey> {
            let outs = self.f.outs.iter().filter(|out| departure(out));
            outs.map(|out| out.pool).collect()
        };
        let closures = pools_where(&|out| self.f.sources[out.source].forced);
        let held = pools_where(&|out| !self.f.lp.is_reserve(out.column));
        let held_back: BTreeSet<PoolKey> = closures.difference(&held).copied().collect();
        let pools: Vec<(PoolKey, usize)> = self.pools.iter().map(|(&k, &r)| (k, r)).collect();
        for ((class, week, until), row) in pools {
            let (estate, category, remand) = class;
            for to in 0..instance.prisons().len() {
                let p = &instance.prisons()[to];
                let open = (week..until).all(|t| !instance.closed(to, t));
                if !(p.is_destination() && p.holds(estate, category) && open)
                    || (remand && !p.takes_remand())
                {
                    continue;
                }
                let mut entries = vec![(self.balance[to][week as usize], -1.0), (row, -1.0)];
                if until < horizon {
                    entries.push((self.balance[to][until as usize], 1.0));
                }
                let pool = (class, week, until);
                let key = key(("in", pool, to));
                let core = !held_back.contains(&pool);
                let column = self.move_column(key, core, f64::INFINITY, entries, row);
                self.f.ins.push(InColumn { pool, to, column });
            }
        }
    }
}
