//! The two KPIs of docs/planning-rules.md §4, computed by one function for any plan, per CPA, prison,
//! estate and week and nationally, with the occupancy, overflow and moves they rest on.

use std::collections::BTreeMap;

use crate::domain::Estate;
use crate::problem::instance::{Instance, Mover};
use crate::problem::plan::{Plan, Route};

/// The 80% target that K1 (and, per CPA, K2) is read against (docs/policy.md §1).
pub const TARGET: f64 = 0.8;

/// A count of successes among those counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Home releases (K1) or person-weeks held at home (K2).
    pub home: u64,
    /// Eligible releases (K1) or eligible person-weeks in the final weeks (K2).
    pub eligible: u64,
}

impl Tally {
    fn add(&mut self, count: u64, home: bool) {
        self.eligible += count;
        if home {
            self.home += count;
        }
    }

    /// home / eligible, or `None` when nobody is counted.
    pub fn share(&self) -> Option<f64> {
        (self.eligible > 0).then(|| self.home as f64 / self.eligible as f64)
    }
}

/// One KPI broken down every way the users read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdown {
    pub national: Tally,
    /// By home CPA (in `cpas` order).
    pub by_cpa: Vec<Tally>,
    /// By the prison held in at release (K1) or in the week (K2).
    pub by_prison: Vec<Tally>,
    pub by_estate: BTreeMap<Estate, Tally>,
    /// By release week (K1) or by week (K2).
    pub by_week: Vec<Tally>,
}

impl Breakdown {
    fn new(cpas: usize, prisons: usize, weeks: usize) -> Self {
        Breakdown {
            national: Tally::default(),
            by_cpa: vec![Tally::default(); cpas],
            by_prison: vec![Tally::default(); prisons],
            by_estate: BTreeMap::new(),
            by_week: vec![Tally::default(); weeks],
        }
    }

    fn add(
        &mut self,
        cpa: usize,
        prison: usize,
        estate: Estate,
        week: u32,
        count: u64,
        home: bool,
    ) {
        self.national.add(count, home);
        self.by_cpa[cpa].add(count, home);
        self.by_prison[prison].add(count, home);
        self.by_estate.entry(estate).or_default().add(count, home);
        self.by_week[week as usize].add(count, home);
    }
}

/// The KPIs of one plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kpis {
    /// K1: releases in the horizon from a home resettlement prison after the full window.
    pub k1: Breakdown,
    /// K1 within reach: the same over the releases a plan made today can still place
    /// (release week r ≥ m + W, m the first movable week). Its adult male share is the
    /// headline.
    pub k1_reach: Breakdown,
    /// Eligible prisoners released after the horizon, whose window opens inside it, held at
    /// its end where they will be released home if nobody moves them.
    pub on_track: u64,
    /// K2: person-weeks in the final weeks held in a home resettlement prison.
    pub k2: Breakdown,
    /// Occupancy per prison and week (counted at the start of the week).
    pub occupancy: Vec<Vec<u64>>,
    /// Person-weeks above usable capacity, per prison.
    pub overflow_by_prison: Vec<u64>,
    pub overflow_person_weeks: u64,
    /// People moved, per week.
    pub moves_by_week: Vec<u64>,
    pub moves: u64,
}

impl Kpis {
    /// (b): home releases in the horizon plus prisoners on track at its end.
    pub fn credits(&self) -> u64 {
        self.k1.national.home + self.on_track
    }
}

/// Computes both KPIs and the occupancy of `plan` on `instance`.
pub fn evaluate(instance: &Instance, plan: &Plan) -> Kpis {
    let horizon = instance.options.horizon;
    let window = instance.options.window;
    let (cpas, prisons) = (instance.inputs.data.cpas.len(), instance.prisons().len());
    let weeks = horizon as usize;
    let mut k1 = Breakdown::new(cpas, prisons, weeks);
    let mut k2 = Breakdown::new(cpas, prisons, weeks);
    let mut k1_reach = Breakdown::new(cpas, prisons, weeks);
    let mut on_track = 0;
    let reach_from = instance.options.first_movable_week + window;
    let mut occupancy = vec![vec![0u64; weeks]; prisons];
    let mut moves_by_week = vec![0u64; weeks];
    for (mover, paths) in instance.movers.iter().zip(plan.routes(instance)) {
        for path in paths {
            let count = u64::from(path.count);
            for (_, week) in path.moves() {
                moves_by_week[week as usize] += count;
            }
            for week in (0..horizon).filter(|&w| mover.present(w)) {
                occupancy[path.location(mover.prison, week)][week as usize] += count;
            }
            let (Some(home), Some(release)) = (mover.home, mover.release_week) else {
                continue;
            };
            if !mover.eligible {
                continue;
            }
            if release < horizon {
                let at = path.location(mover.prison, release);
                let is_home = released_home(instance, mover, &path);
                k1.add(home, at, mover.estate, release, count, is_home);
                if release >= reach_from {
                    k1_reach.add(home, at, mover.estate, release, count, is_home);
                }
            } else if release < horizon + window && released_home(instance, mover, &path) {
                on_track += count;
            }
            let first_final_week = i64::from(release) - i64::from(window) + 1;
            for week in
                (0..horizon).filter(|&w| mover.present(w) && i64::from(w) >= first_final_week)
            {
                let at = path.location(mover.prison, week);
                k2.add(
                    home,
                    at,
                    mover.estate,
                    week,
                    count,
                    instance.serves[at][home],
                );
            }
        }
    }
    let overflow_by_prison: Vec<u64> = occupancy
        .iter()
        .zip(&instance.capacity)
        .map(|(occupied, capacity)| {
            occupied
                .iter()
                .zip(capacity)
                .map(|(&o, &c)| o.saturating_sub(u64::from(c)))
                .sum()
        })
        .collect();
    Kpis {
        k1,
        k1_reach,
        on_track,
        k2,
        overflow_person_weeks: overflow_by_prison.iter().sum(),
        overflow_by_prison,
        occupancy,
        moves: moves_by_week.iter().sum(),
        moves_by_week,
    }
}

/// Whether those following `path` are released home (docs/planning-rules.md §4): held on the release date
/// in a resettlement prison of the home CPA that holds their estate and category, having
/// arrived there on or before max(d − 7W days, custody start). The one rule for K1, the
/// on-track count, the unplaced list and every comparison.
pub fn released_home(instance: &Instance, mover: &Mover, path: &Route) -> bool {
    let Some(release) = mover.release_week else {
        return false;
    };
    let at = path.location(mover.prison, release);
    let arrived = [path.moved, path.via]
        .into_iter()
        .flatten()
        .find(|&(_, week)| release >= week)
        .map_or(mover.arrived, |(_, week)| instance.date_of(week));
    let in_time = mover
        .latest_qualifying_arrival(instance.options.window)
        .is_some_and(|latest| arrived <= latest);
    in_time && instance.is_home(at, mover)
}
