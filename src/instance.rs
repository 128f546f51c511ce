//! The planning problem: the loaded inputs with the plan's options, and the facts every plan
//! and the KPIs are computed from (DOMAIN.md §4–§5): usable capacity per prison and week,
//! designations as a matrix, and per mover (an existing prisoner or a cohort of forecast
//! receptions) his weeks of presence, release week, eligibility and when he may move.

use chrono::{Duration, NaiveDate};

use crate::calendar::{Calendar, DAYS_PER_WEEK};
use crate::error::Error;
use crate::model::{Category, Estate, Prison, Sentence};
use crate::validate::Inputs;

/// The plan's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    /// Week 0 starts on the calendar's start date.
    pub calendar: Calendar,
    /// Weeks planned, H (default 26).
    pub horizon: u32,
    /// The resettlement window in weeks, W (default 12: 84 days).
    pub window: u32,
    /// The first week a move may happen (default 1: week 0 is being executed).
    pub first_movable_week: u32,
    /// Share of operational capacity kept free, 0 ≤ headroom < 1.
    pub headroom: f64,
    /// Escort limit: moves per week, nationally.
    pub max_moves_per_week: Option<u32>,
    /// Escort limit: moves out of one prison per week.
    pub max_moves_per_prison_week: Option<u32>,
}

impl PlanOptions {
    /// The defaults of DOMAIN.md §5 from a start date.
    pub fn new(calendar: Calendar) -> Self {
        PlanOptions {
            calendar,
            horizon: 26,
            window: 12,
            first_movable_week: 1,
            headroom: 0.0,
            max_moves_per_week: None,
            max_moves_per_prison_week: None,
        }
    }
}

/// Where a mover comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// Index into `Inputs::prisoners`.
    Prisoner(usize),
    /// Index into `Inputs::receptions`.
    Reception(usize),
}

/// What the plan needs to know of one mover.
#[derive(Debug, Clone, PartialEq)]
pub struct Mover {
    pub origin: Origin,
    /// 1 for a prisoner; the cohort's size for receptions.
    pub count: u32,
    /// Index of the prison he is in (or received into).
    pub prison: usize,
    /// Index of the home CPA, when known.
    pub home: Option<usize>,
    /// Counts for the KPIs: has a home CPA and is not liable to removal.
    pub eligible: bool,
    pub estate: Estate,
    pub category: Option<Category>,
    /// First week present (0 for the population snapshot).
    pub arrival_week: u32,
    /// Release week r = floor((d − S) / 7), when there is a release date.
    pub release_week: Option<u32>,
    pub release_date: Option<NaiveDate>,
    pub custody_start: NaiveDate,
    /// Date he arrived at `prison`.
    pub arrived: NaiveDate,
    /// First week he may be moved by the plan; `None` when the plan may not move him
    /// (do-not-move, remand, a receptions cohort with no release week, or a booked move).
    pub movable_from: Option<u32>,
    /// A booked move: (destination prison index, week).
    pub booked: Option<(usize, u32)>,
}

impl Mover {
    /// Whether he is counted in week `week` (arrived and not yet released).
    pub fn present(&self, week: u32) -> bool {
        week >= self.arrival_week && self.release_week.is_none_or(|r| week <= r)
    }

    /// Whether his release falls in the horizon and counts for K1.
    pub fn releases_in(&self, horizon: u32) -> bool {
        self.eligible && self.release_week.is_some_and(|r| r < horizon)
    }

    /// The last day he may arrive at a prison for his release from it to be a home release:
    /// max(d − 7W days, custody start).
    pub fn latest_qualifying_arrival(&self, window: u32) -> Option<NaiveDate> {
        self.release_date.map(|d| {
            (d - Duration::days(i64::from(window) * DAYS_PER_WEEK)).max(self.custody_start)
        })
    }
}

/// A planning problem, ready for any planner and for the KPIs.
#[derive(Debug, Clone)]
pub struct Instance {
    pub inputs: Inputs,
    pub options: PlanOptions,
    /// Usable capacity per prison (in `inputs.data.prisons` order) and week.
    pub capacity: Vec<Vec<u32>>,
    /// `serves[prison][cpa]`: the prison is a resettlement prison for the CPA.
    pub serves: Vec<Vec<bool>>,
    /// Existing prisoners (in input order), then reception cohorts (in input order).
    pub movers: Vec<Mover>,
}

impl Instance {
    /// Builds the problem; fails on options that make no sense.
    pub fn new(inputs: Inputs, options: PlanOptions) -> Result<Instance, Error> {
        if !(0.0..1.0).contains(&options.headroom) {
            return Err(Error::BadOption(format!(
                "headroom {} is not a share from 0 up to (not including) 1",
                options.headroom
            )));
        }
        if options.horizon == 0 || options.window == 0 {
            return Err(Error::BadOption(
                "the horizon and the window must be at least one week".into(),
            ));
        }
        let data = &inputs.data;
        let capacity = data
            .prisons
            .iter()
            .map(|p| {
                let usable = usable_capacity(p.operational_capacity, options.headroom);
                vec![usable; options.horizon as usize]
            })
            .collect();
        let serves = data
            .prisons
            .iter()
            .map(|p| {
                data.cpas
                    .iter()
                    .map(|c| data.serves(&p.code, &c.id))
                    .collect()
            })
            .collect();
        let movers = movers(&inputs, &options);
        Ok(Instance {
            inputs,
            options,
            capacity,
            serves,
            movers,
        })
    }

    /// The prisons, in index order.
    pub fn prisons(&self) -> &[Prison] {
        &self.inputs.data.prisons
    }

    /// Whether prison `prison` is a destination that holds the mover's estate and category.
    pub fn suits(&self, prison: usize, mover: &Mover) -> bool {
        let p = &self.prisons()[prison];
        p.is_destination() && p.holds(mover.estate, mover.category)
    }

    /// Whether being released from `prison` is a release home for the mover (ignoring when
    /// he arrived): a resettlement prison of his home CPA that holds his estate and category.
    pub fn is_home(&self, prison: usize, mover: &Mover) -> bool {
        mover.home.is_some_and(|home| self.serves[prison][home])
            && self.prisons()[prison].holds(mover.estate, mover.category)
    }

    /// The week's first day.
    pub fn date_of(&self, week: u32) -> NaiveDate {
        self.options.calendar.first_day(i64::from(week))
    }
}

/// floor(operational capacity × (1 − headroom)).
pub fn usable_capacity(operational_capacity: u32, headroom: f64) -> u32 {
    // Rounded to 1e-9 first so that 100 × (1 − 0.1) is 90, not 89.
    let exact = f64::from(operational_capacity) * (1.0 - headroom);
    ((exact * 1e9).round() / 1e9).floor() as u32
}

fn movers(inputs: &Inputs, options: &PlanOptions) -> Vec<Mover> {
    let data = &inputs.data;
    let calendar = &options.calendar;
    let prison_index = |code| data.prison_position(code).expect("validated prison code");
    let cpa_index = |id| data.cpa_position(id).expect("validated CPA");
    let mut movers = Vec::with_capacity(inputs.prisoners.len() + inputs.receptions.len());
    for (index, p) in inputs.prisoners.iter().enumerate() {
        let booked = inputs
            .booked
            .iter()
            .find(|b| b.prisoner_id == p.id)
            .map(|b| (prison_index(&b.to), b.week));
        let plan_may_move = !p.do_not_move && p.sentence != Sentence::Remand && booked.is_none();
        movers.push(Mover {
            origin: Origin::Prisoner(index),
            count: 1,
            prison: prison_index(&p.prison),
            home: p.home_cpa.as_ref().map(cpa_index),
            eligible: p.home_cpa.is_some() && !p.removal,
            estate: p.estate,
            category: p.category,
            arrival_week: 0,
            release_week: p.release_date.map(|d| calendar.week_of(d).max(0) as u32),
            release_date: p.release_date,
            custody_start: p.custody_start,
            arrived: p.arrived,
            movable_from: plan_may_move.then_some(options.first_movable_week),
            booked,
        });
    }
    for (index, c) in inputs.receptions.iter().enumerate() {
        let custody_start = calendar.first_day(i64::from(c.week));
        movers.push(Mover {
            origin: Origin::Reception(index),
            count: c.count,
            prison: prison_index(&c.prison),
            home: c.home_cpa.as_ref().map(cpa_index),
            eligible: c.home_cpa.is_some(),
            estate: c.estate,
            category: c.category,
            arrival_week: c.week,
            release_week: c.release_week,
            release_date: c.release_week.map(|r| calendar.first_day(i64::from(r))),
            custody_start,
            arrived: custody_start,
            movable_from: c
                .release_week
                .map(|_| options.first_movable_week.max(c.week + 1)),
            booked: None,
        });
    }
    movers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_capacity_is_floored_after_headroom() {
        assert_eq!(usable_capacity(100, 0.0), 100);
        assert_eq!(usable_capacity(100, 0.1), 90);
        assert_eq!(usable_capacity(105, 0.05), 99);
        assert_eq!(usable_capacity(0, 0.5), 0);
    }
}
