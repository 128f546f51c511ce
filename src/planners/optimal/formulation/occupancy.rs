//! Occupancy and capacity: balance rows, capacity rows, overflow; closed prisons hold nobody.

use super::Builder;
use crate::problem::kpi::evaluate;
use crate::problem::plan::Plan;

impl Builder<'_> {
    /// Balance rows, capacity rows and the overflow columns; closed prisons hold nobody.
    pub(super) fn occupancy(&mut self) {
        let instance = self.instance;
        let (horizon, first) = (
            instance.options.horizon as usize,
            instance.options.first_movable_week,
        );
        let prisons = instance.prisons().len();
        let base = evaluate(instance, &Plan::new(self.f.booked.clone())).occupancy;
        let (lp, keys) = (&mut self.f.lp, &mut self.f.keys);
        self.balance = (0..prisons)
            .map(|i| {
                (0..horizon)
                    .map(|t| keys.row(lp, ("balance", i, t), 0.0..=0.0))
                    .collect()
            })
            .collect();
        self.f.capacity_rows = (0..prisons)
            .map(|i| {
                (0..horizon)
                    .map(|t| {
                        let room = f64::from(instance.capacity[i][t]) - base[i][t] as f64;
                        keys.row(lp, ("capacity", i, t), f64::NEG_INFINITY..=room)
                    })
                    .collect()
            })
            .collect();
        for i in 0..prisons {
            for t in 0..horizon {
                let mut entries =
                    vec![(self.balance[i][t], 1.0), (self.f.capacity_rows[i][t], 1.0)];
                if t + 1 < horizon {
                    entries.push((self.balance[i][t + 1], -1.0));
                }
                let change = keys.column(
                    lp,
                    ("change", i, t),
                    f64::NEG_INFINITY..=f64::INFINITY,
                    entries,
                );
                self.f.change.push(change);
                let over = keys.column(
                    lp,
                    ("over", i, t),
                    0.0..=f64::INFINITY,
                    vec![(self.f.capacity_rows[i][t], -1.0)],
                );
                self.f.overflow.push(over);
                if instance.closed(i, t as u32) && t as u32 >= first {
                    self.f.closed_overflow.push(over);
                }
            }
        }
    }
}
