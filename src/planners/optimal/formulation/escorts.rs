//! Escort limits: moves per week, nationally and out of each prison.

use super::Builder;

impl Builder<'_> {
    /// The escort rows: moves per week nationally and out of each prison, less the booked.
    pub(super) fn escorts(&mut self) {
        let instance = self.instance;
        let horizon = instance.options.horizon;
        let booked = &self.f.booked;
        let booked_in = |week: u32, from: Option<usize>| {
            booked
                .iter()
                .filter(|m| m.week == week && from.is_none_or(|p| p == m.from))
                .map(|m| f64::from(m.count))
                .sum::<f64>()
        };
        let (lp, keys) = (&mut self.f.lp, &mut self.f.keys);
        self.national_escort = (0..horizon)
            .map(|t| {
                instance.options.max_moves_per_week.map(|limit| {
                    let left = f64::from(limit) - booked_in(t, None);
                    keys.row(lp, ("escort", t), f64::NEG_INFINITY..=left.max(0.0))
                })
            })
            .collect();
        self.prison_escort = (0..instance.prisons().len())
            .map(|i| {
                (0..horizon)
                    .map(|t| {
                        instance.options.max_moves_per_prison_week.map(|limit| {
                            let left = f64::from(limit) - booked_in(t, Some(i));
                            keys.row(lp, ("escort", i, t), f64::NEG_INFINITY..=left.max(0.0))
                        })
                    })
                    .collect()
            })
            .collect();
    }
}
