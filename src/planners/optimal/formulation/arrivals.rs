//! Arrivals from the pools at the prisons that may hold them.

use super::{Builder, InColumn, PoolKey};

impl Builder<'_> {
    /// Arrivals from every pool at each prison that may hold its class from its week until
    /// its members leave.
    pub(super) fn arrivals(&mut self) {
        let instance = self.instance;
        let horizon = instance.options.horizon;
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
                let column = self.f.keys.column(
                    &mut self.f.lp,
                    ("in", pool, to),
                    0.0..=f64::INFINITY,
                    entries,
                );
                self.f.ins.push(InColumn { pool, to, column });
            }
        }
    }
}
