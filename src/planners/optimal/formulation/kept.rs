//! Last week's later moves kept (b′), with `plan --previous`.

use std::collections::BTreeMap;

use super::{Builder, Kept, KeptColumn, PoolKey};

impl Builder<'_> {
    /// Last week's later moves (b′): `k ≤ x[c,j,t]` kept of a cohort's move straight home, up
    /// to the members planned to make it; a decant's `k[g,p,j]` bounded by the source's
    /// departures for pool p (`Σ_j k ≤ o[g,p]`) and the pool's arrivals at j (`Σ_g k ≤
    /// v[p,j]`). A move the model no longer offers (he is now in another cohort, or the
    /// destination cannot take him that week) is not kept.
    pub(super) fn keep_previous(&mut self) {
        let instance = self.instance;
        if instance.previous.is_empty() {
            return;
        }
        let mut planned: BTreeMap<Kept, u32> = BTreeMap::new();
        let cohort_of: BTreeMap<usize, usize> = self
            .f
            .cohorts
            .iter()
            .enumerate()
            .flat_map(|(c, cohort)| cohort.members.iter().map(move |&m| (m, c)))
            .collect();
        let source_of: BTreeMap<usize, usize> = self
            .f
            .sources
            .iter()
            .enumerate()
            .flat_map(|(g, source)| source.members.iter().map(move |&m| (m, g)))
            .collect();
        let direct: BTreeMap<(usize, usize, u32), usize> = self
            .f
            .direct
            .iter()
            .map(|d| ((d.cohort, d.to, d.week), d.column))
            .collect();
        let outs: BTreeMap<(usize, u32), (PoolKey, usize)> = self
            .f
            .outs
            .iter()
            .map(|o| ((o.source, o.pool.1), (o.pool, o.column)))
            .collect();
        let ins: BTreeMap<(PoolKey, usize), usize> = self
            .f
            .ins
            .iter()
            .map(|i| ((i.pool, i.to), i.column))
            .collect();
        for (&m, &(to, week)) in &instance.previous {
            let count = instance.movers[m].count;
            let straight = cohort_of
                .get(&m)
                .map(|&cohort| Kept::Direct { cohort, to, week })
                .filter(|k| matches!(k, Kept::Direct { cohort, .. } if direct.contains_key(&(*cohort, to, week))));
            let decant = source_of.get(&m).and_then(|&source| {
                let &(pool, _) = outs.get(&(source, week))?;
                ins.contains_key(&(pool, to))
                    .then_some(Kept::Decant { source, pool, to })
            });
            if let Some(kept) = straight.or(decant) {
                *planned.entry(kept).or_default() += count;
            }
        }
        let mut departures: BTreeMap<(usize, PoolKey), usize> = BTreeMap::new();
        let mut arrivals: BTreeMap<(PoolKey, usize), usize> = BTreeMap::new();
        let (lp, keys) = (&mut self.f.lp, &mut self.f.keys);
        for (kept, count) in planned {
            let what = match kept {
                Kept::Direct { cohort, to, week } => (self.f.cohorts[cohort].key, to, week, None),
                Kept::Decant { source, pool, to } => {
                    (self.f.sources[source].key, to, 0, Some(pool))
                }
            };
            let column = keys.column(lp, ("kept", what), 0.0..=f64::from(count), Vec::new());
            match kept {
                Kept::Direct { cohort, to, week } => {
                    let row = keys.row(lp, ("kept move", what), f64::NEG_INFINITY..=0.0);
                    lp.add_entry(column, row, 1.0);
                    lp.add_entry(direct[&(cohort, to, week)], row, -1.0);
                }
                Kept::Decant { source, pool, to } => {
                    let out = *departures.entry((source, pool)).or_insert_with(|| {
                        let what = ("kept departures", self.f.sources[source].key, pool);
                        let row = keys.row(lp, what, f64::NEG_INFINITY..=0.0);
                        lp.add_entry(outs[&(source, pool.1)].1, row, -1.0);
                        row
                    });
                    let arrival = *arrivals.entry((pool, to)).or_insert_with(|| {
                        let row =
                            keys.row(lp, ("kept arrivals", pool, to), f64::NEG_INFINITY..=0.0);
                        lp.add_entry(ins[&(pool, to)], row, -1.0);
                        row
                    });
                    lp.add_entry(column, out, 1.0);
                    lp.add_entry(column, arrival, 1.0);
                }
            }
            self.f.kept.push(KeptColumn { kept, column });
        }
    }
}
