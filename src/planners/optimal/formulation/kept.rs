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
        // The members of each kept decant: the week each became movable, and his count.
        let mut movable: BTreeMap<Kept, Vec<(u32, u32)>> = BTreeMap::new();
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
                if let (Kept::Decant { .. }, Some(from)) = (kept, instance.movers[m].movable_from) {
                    movable.entry(kept).or_default().push((from, count));
                }
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
        self.hold_back_for_kept_decants(&movable);
    }

    /// A kept decant is made by the members planned for it: those movable before one of its
    /// group's later steps stay in its stock into that step, `Σ k − (planned − movable
    /// before) ≤ carried`, so that no earlier departure can take them (the stock counts
    /// people, not who they are).
    fn hold_back_for_kept_decants(&mut self, movable: &BTreeMap<Kept, Vec<(u32, u32)>>) {
        let mut by_source: BTreeMap<usize, Vec<KeptDecant>> = BTreeMap::new();
        for k in &self.f.kept {
            if let Kept::Decant { source, pool, .. } = k.kept {
                let members = &movable[&k.kept];
                by_source.entry(source).or_default().push(KeptDecant {
                    column: k.column,
                    week: pool.1,
                    planned: members.iter().map(|&(_, count)| count).sum(),
                    members,
                });
            }
        }
        let (lp, keys) = (&mut self.f.lp, &mut self.f.keys);
        for (source, kept) in by_source {
            let group = &self.f.sources[source];
            for &(step, carried) in &group.carried {
                let mut entries = vec![];
                let mut waiting_later = 0;
                for k in kept.iter().filter(|k| k.week >= step) {
                    let before: u32 = (k.members.iter())
                        .filter(|&&(from, _)| from < step)
                        .map(|&(_, count)| count)
                        .sum();
                    if before > 0 {
                        entries.push(k.column);
                        waiting_later += k.planned - before;
                    }
                }
                if entries.is_empty() {
                    continue;
                }
                let what = ("kept stock", group.key, step);
                let row = keys.row(lp, what, -f64::from(waiting_later)..=f64::INFINITY);
                lp.add_entry(carried, row, 1.0);
                for column in entries {
                    lp.add_entry(column, row, -1.0);
                }
            }
        }
    }
}

/// A kept decant of one source: its column, its week, how many are planned for it, and its
/// members' first movable weeks and counts.
struct KeptDecant<'a> {
    column: usize,
    week: u32,
    planned: u32,
    members: &'a [(u32, u32)],
}
