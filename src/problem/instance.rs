//! The planning problem: the loaded inputs with the plan's options, and the facts every plan
//! and the KPIs are computed from (docs/planning-rules.md §4–§5): usable capacity per prison and week,
//! designations as a matrix, and per mover (an existing prisoner or a cohort of forecast
//! receptions) his weeks of presence, release week, eligibility and when he may move.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use chrono::{Duration, NaiveDate};

use crate::domain::calendar::{Calendar, DAYS_PER_WEEK};
use crate::domain::{Category, Estate, Prison, PrisonCode, Sentence};
use crate::input;
use crate::input::diagnostics::Diagnostics;
use crate::input::validate::Inputs;

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
    /// The defaults of docs/planning-rules.md §5 from a start date.
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
    /// Counts for the KPIs (docs/planning-rules.md §4): a determinate release date, a home CPA, not liable
    /// to removal, not in the juvenile estate.
    pub eligible: bool,
    pub estate: Estate,
    pub category: Option<Category>,
    /// First week present (0 for the population snapshot).
    pub arrival_week: u32,
    /// Release week r = floor((d − S) / 7), when there is a release date.
    pub release_week: Option<u32>,
    /// The last week he is held: the release week, or for remand and indeterminate sentences
    /// the week of the expected departure; `None` when he stays past any horizon.
    pub last_week: Option<u32>,
    /// Remand (or, for a reception cohort, no release week): may only go to a prison that
    /// takes remand, and only when a closure forces it.
    pub remand: bool,
    /// Court, medical or programme hold: moved only when a closure forces it.
    pub do_not_move: bool,
    /// The week by which a closure forces him out of [`Mover::forced_from`] (he is held there
    /// when its usable capacity is 0), when one does.
    pub forced_out_by: Option<u32>,
    pub release_date: Option<NaiveDate>,
    pub custody_start: NaiveDate,
    /// Date he arrived at `prison`.
    pub arrived: NaiveDate,
    /// First week he may be moved by the plan; `None` when the plan may not move him
    /// (do-not-move, remand, a receptions cohort with no release week, or a booked move),
    /// unless a closure forces him out.
    pub movable_from: Option<u32>,
    /// A booked move: (destination prison index, week).
    pub booked: Option<(usize, u32)>,
}

impl Mover {
    /// Whether he is counted in week `week` (arrived and not yet released).
    pub fn present(&self, week: u32) -> bool {
        week >= self.arrival_week && self.last_week.is_none_or(|last| week <= last)
    }

    /// The first week he is no longer held, capped at `horizon`.
    pub fn gone_from(&self, horizon: u32) -> u32 {
        self.last_week
            .map_or(horizon, |last| (last + 1).min(horizon))
    }

    /// The first week no move may be made for him, capped at `horizon`: his release week (no
    /// move in or after it), or the week he is gone from.
    pub fn moves_end(&self, horizon: u32) -> u32 {
        self.release_week
            .map_or(self.gone_from(horizon), |r| r.min(horizon))
    }

    /// The prison a closure forces him out of, when one does: where his booked move takes
    /// him, or else where he is.
    pub fn forced_from(&self) -> usize {
        self.booked.map_or(self.prison, |(to, _)| to)
    }

    /// The weeks a move gets him out of a closing prison in time (none when no closure
    /// forces him out): from the first week he may move to the closure's week, and before his
    /// release week.
    pub fn in_time(&self, horizon: u32) -> Range<u32> {
        match (self.forced_out_by, self.movable_from) {
            (Some(by), Some(first)) => first..(by + 1).min(self.moves_end(horizon)),
            _ => 0..0,
        }
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
    /// Last week's later moves, to keep where that costs nothing in (a) or (b): by mover,
    /// (destination, week) ([`crate::planners::previous`]).
    pub previous: BTreeMap<usize, (usize, u32)>,
}

/// An option that makes no sense for the inputs (the command line's bad option, exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadOption(pub String);

impl Instance {
    /// Builds the problem; fails on options that make no sense.
    pub fn new(inputs: Inputs, options: PlanOptions) -> Result<Instance, BadOption> {
        if !(0.0..1.0).contains(&options.headroom) {
            return Err(BadOption(format!(
                "headroom {} is not a share from 0 up to (not including) 1",
                options.headroom
            )));
        }
        if options.horizon == 0 || options.window == 0 {
            return Err(BadOption(
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
        let mut instance = Instance {
            inputs,
            options,
            capacity,
            serves,
            movers,
            previous: BTreeMap::new(),
        };
        instance.apply_closures()?;
        Ok(instance)
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

    /// Whether the prison is closed in `week`: its usable capacity is 0, so it may hold
    /// nobody (docs/planning-rules.md §5 rule 2).
    pub fn closed(&self, prison: usize, week: u32) -> bool {
        self.capacity[prison][week as usize] == 0
    }

    /// Whether the mover may be sent to `prison` at `week` and held there until he leaves:
    /// suitable for him (remand only to a prison that takes remand) and open all that time.
    pub fn may_receive(&self, prison: usize, mover: &Mover, week: u32) -> bool {
        self.suits(prison, mover)
            && (!mover.remand || self.prisons()[prison].takes_remand())
            && (week..mover.gone_from(self.options.horizon)).all(|t| !self.closed(prison, t))
    }

    /// People a closure strands, per prison and week: held in a prison when it is closed,
    /// with no open prison that may take them in any week that gets them out in time
    /// ([`Mover::in_time`]).
    pub fn stranded(&self) -> Vec<Vec<u32>> {
        let horizon = self.options.horizon;
        let mut stranded = vec![vec![0; horizon as usize]; self.prisons().len()];
        for mover in &self.movers {
            let Some(by) = mover.forced_out_by else {
                continue;
            };
            let from = mover.forced_from();
            let somewhere = mover.in_time(horizon).any(|week| {
                (0..self.prisons().len()).any(|j| j != from && self.may_receive(j, mover, week))
            });
            if !somewhere {
                for t in (by..horizon).filter(|&t| mover.present(t)) {
                    stranded[from][t as usize] += mover.count;
                }
            }
        }
        stranded
    }

    /// A mover's place in the canonical order every planner uses: prisoners by id, then
    /// reception cohorts by their position in the file.
    pub fn member_key(&self, mover: usize) -> (u8, &str, usize) {
        match self.movers[mover].origin {
            Origin::Prisoner(i) => (0, self.inputs.prisoners[i].id.as_str(), 0),
            Origin::Reception(i) => (1, "", i),
        }
    }

    /// The week's first day.
    pub fn date_of(&self, week: u32) -> NaiveDate {
        self.options.calendar.first_day(i64::from(week))
    }
}

impl Instance {
    /// Marks who a closure forces out (docs/planning-rules.md §5 rule 2): everyone held in a
    /// prison in a week it is closed, from the first movable week on (week 0 is being
    /// executed), whatever his sentence or hold. A booked move that takes him out by then
    /// spares him that closure, but a closure of the prison it takes him to while he is there
    /// forces him out again (a second move). He must leave by that week; the plan may move him
    /// from the first movable week (a reception cohort sent to a closed prison, from its
    /// arrival week: it is redirected on arrival; after a booked move, from the week after
    /// it). He is held, and counted, in his release week (§4: present while t ≤ r), so a
    /// closure in his release week forces him out too, but by the week before it: no move is
    /// made in the release week ([`Mover::in_time`]); with no such week left he is stranded.
    /// Call it again after changing `capacity`. A booked move after the closure of the
    /// prisoner's prison cannot be kept: an error.
    pub fn apply_closures(&mut self) -> Result<(), BadOption> {
        let (first, horizon) = (self.options.first_movable_week, self.options.horizon);
        let mut late_bookings = BTreeMap::new();
        for m in 0..self.movers.len() {
            let mover = &self.movers[m];
            let closes = |prison: usize, from: u32| {
                (from..horizon).find(|&t| mover.present(t) && self.closed(prison, t))
            };
            let forced = match (
                closes(mover.prison, mover.arrival_week.max(first)),
                mover.booked,
            ) {
                (Some(by), Some((_, week))) if week > by => {
                    *late_bookings.entry((mover.prison, by)).or_insert(0) += 1;
                    None
                }
                (by, None) => by,
                (_, Some((to, week))) => closes(to, week.max(first)),
            };
            let mover = &mut self.movers[m];
            mover.forced_out_by = forced;
            let after_booked = mover.booked.map_or(0, |(_, week)| week + 1);
            mover.movable_from = match forced {
                Some(_) => Some(first.max(mover.arrival_week).max(after_booked)),
                None => plan_may_move(mover, first),
            };
        }
        if let Some((&(prison, week), &count)) = late_bookings.iter().next() {
            return Err(BadOption(format!(
                "{count} booked move(s) out of {} fall after it closes (week {week}, {}): \
                 a closed prison holds nobody; book them by then",
                self.prisons()[prison].code,
                self.date_of(week)
            )));
        }
        Ok(())
    }
}

/// The first week the plan may move a mover that no closure forces: never a do-not-move or
/// remand prisoner, a booked one, or a cohort without a release week; a reception cohort from
/// the week after it arrives.
fn plan_may_move(mover: &Mover, first_movable_week: u32) -> Option<u32> {
    let may = !mover.do_not_move && !mover.remand && mover.booked.is_none();
    may.then(|| match mover.origin {
        Origin::Prisoner(_) => first_movable_week,
        Origin::Reception(_) => first_movable_week.max(mover.arrival_week + 1),
    })
}

/// floor(operational capacity × (1 − headroom)).
pub fn usable_capacity(operational_capacity: u32, headroom: f64) -> u32 {
    // Rounded to 1e-9 first so that 100 × (1 − 0.1) is 90, not 89.
    let exact = f64::from(operational_capacity) * (1.0 - headroom);
    ((exact * 1e9).round() / 1e9).floor() as u32
}

/// One mover per prisoner (in input order), then per reception cohort (in input order), as
/// the planner sees them before any closure ([`Instance::apply_closures`]).
pub fn movers(inputs: &Inputs, options: &PlanOptions) -> Vec<Mover> {
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
        let week_of = |d: NaiveDate| calendar.week_of(d).max(0) as u32;
        let release_week = p.release_date.map(week_of);
        let mut mover = Mover {
            origin: Origin::Prisoner(index),
            count: 1,
            prison: prison_index(&p.prison),
            home: p.home_cpa.as_ref().map(cpa_index),
            eligible: p.home_cpa.is_some()
                && !p.removal
                && p.release_date.is_some()
                && !p.estate.is_juvenile(),
            estate: p.estate,
            category: p.category,
            arrival_week: 0,
            release_week,
            last_week: release_week.or(p.expected_release.map(week_of)),
            remand: p.sentence == Sentence::Remand,
            do_not_move: p.do_not_move,
            forced_out_by: None,
            release_date: p.release_date,
            custody_start: p.custody_start,
            arrived: p.arrived,
            movable_from: None,
            booked,
        };
        mover.movable_from = plan_may_move(&mover, options.first_movable_week);
        movers.push(mover);
    }
    for (index, c) in inputs.receptions.iter().enumerate() {
        let custody_start = calendar.first_day(i64::from(c.week));
        let mut mover = Mover {
            origin: Origin::Reception(index),
            count: c.count,
            prison: prison_index(&c.prison),
            home: c.home_cpa.as_ref().map(cpa_index),
            eligible: c.home_cpa.is_some() && c.release_week.is_some() && !c.estate.is_juvenile(),
            estate: c.estate,
            category: c.category,
            arrival_week: c.week,
            release_week: c.release_week,
            last_week: c.release_week.or(c.expected_release_week),
            remand: c.release_week.is_none(),
            do_not_move: false,
            forced_out_by: None,
            release_date: c.release_week.map(|r| calendar.first_day(i64::from(r))),
            custody_start,
            arrived: custody_start,
            movable_from: None,
            booked: None,
        };
        mover.movable_from = plan_may_move(&mover, options.first_movable_week);
        movers.push(mover);
    }
    movers
}

/// Booked moves (read from `booked`) that the plan's options refuse are input errors at their
/// line: into a prison with no usable places in their week — closed by a scenario, or left
/// with none by the headroom (docs/planning-rules.md §5 rule 2) —, and those beyond an
/// escort limit, which counts booked moves too (rule 4): in file order, each move booked for
/// a week (out of a prison) after the limit is reached. Moves after the horizon are not
/// checked.
pub fn check_booked_capacity(instance: &Instance, booked: Option<&Path>) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let Some(path) = booked else {
        return diagnostics;
    };
    let data = &instance.inputs.data;
    let options = &instance.options;
    let held_at: BTreeMap<&str, &PrisonCode> = instance
        .inputs
        .prisoners
        .iter()
        .map(|p| (p.id.as_str(), &p.prison))
        .collect();
    // Moves booked so far per week, nationally (`None`) and out of each prison.
    let mut booked_in: BTreeMap<(Option<&PrisonCode>, u32), u32> = BTreeMap::new();
    let check = |id: &str, to: &PrisonCode, week: u32| {
        let mut errors = Vec::new();
        if week >= options.horizon {
            return errors;
        }
        let date = instance.date_of(week);
        if let Some(prison) = data.prison_position(to) {
            if instance.capacity[prison][week as usize] == 0 {
                let name = &data.prisons[prison].name;
                let why = format!(
                    "{name} has no usable places in week {week} ({date}): no one can be moved \
                     there then"
                );
                errors.push(("to", why));
            }
        }
        let Some(&from) = held_at.get(id) else {
            return errors;
        };
        let limits = [
            (None, options.max_moves_per_week, ""),
            (
                Some(from),
                options.max_moves_per_prison_week,
                " out of a prison",
            ),
        ];
        for (key, limit, per) in limits {
            let count = booked_in.entry((key, week)).or_default();
            *count += 1;
            if let Some(limit) = limit.filter(|&limit| *count > limit) {
                let out_of = key.map_or(String::new(), |code| {
                    let name = data.prison(code).map_or(code.as_str(), |p| p.name.as_str());
                    format!(" out of {name}")
                });
                errors.push((
                    "week",
                    format!(
                        "move {count} booked{out_of} for week {week} ({date}): over the escort \
                         limit of {limit} a week{per}, which counts booked moves"
                    ),
                ));
            }
        }
        errors
    };
    input::check_booked_rows(path, check, &mut diagnostics);
    diagnostics
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
