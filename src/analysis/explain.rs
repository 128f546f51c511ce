//! Why, in words a governor can check (docs/planning-rules.md §6): what each move of a plan
//! serves (the `why` column of `moves.csv` and `forecast_moves.csv`), the do-not-move holds a
//! closure overrides, and the reason each eligible prisoner or reception cohort released in
//! the horizon is not released home (`unplaced.csv`).
//!
//! A decant is attributed to the place it frees: each decant out of a prison, earliest week
//! first (then in mover order), is paired with the earliest resettlement move into that prison
//! at or after its week that no earlier decant was paired with. A decant with nobody to pair is
//! said to relieve overflow when its prison is over capacity in that week in the status quo,
//! and otherwise simply to free a place. A decant that leaves its people where they will
//! not be released home says what that costs: the second move they need, or the home release
//! it loses.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::problem::instance::{Instance, Mover, Origin};
use crate::problem::kpi::released_home;
use crate::problem::plan::{Move, MoveReason, Plan, Route};

/// Why an eligible prisoner released in the horizon is not released home in a plan. The
/// reasons are tried in the order of the variants; the first that applies is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnplacedReason {
    /// No resettlement prison of his home CPA holds his estate and category.
    NoDesignatedPrison,
    /// He may not be moved (court, medical or programme hold).
    DoNotMove,
    /// He is released before a move at the first week he may move could arrive a full
    /// window before his release.
    ReleaseTooSoon,
    /// The plan may not move him for another reason: remand, or a booked move.
    NotMovable,
    /// An escort limit is set, and in every week he could have moved (from the first week he
    /// may move to his release week − W) the plan's moves filled the national limit or his
    /// prison's.
    EscortLimit,
    /// Otherwise: every suitable home resettlement prison was full in his window (or the
    /// plan gave the places to others).
    PrisonsFull,
}

impl UnplacedReason {
    /// The word written in `unplaced.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnplacedReason::NoDesignatedPrison => "no_designated_prison",
            UnplacedReason::DoNotMove => "do_not_move",
            UnplacedReason::ReleaseTooSoon => "release_too_soon",
            UnplacedReason::NotMovable => "not_movable",
            UnplacedReason::EscortLimit => "escort_limit",
            UnplacedReason::PrisonsFull => "prisons_full",
        }
    }
}

/// A mover (prisoner or reception cohort) some of whose people are not released home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unplaced {
    /// Index into `Instance::movers`.
    pub mover: usize,
    /// How many of his people are not released home: 1 for a prisoner.
    pub people: u64,
    pub reason: UnplacedReason,
}

/// The movers (in index order) whose release counts for K1 and some of whose people are not
/// released home in `plan` (`kpi::released_home`, path by path), each with the reason.
pub fn unplaced(instance: &Instance, plan: &Plan) -> Vec<Unplaced> {
    let horizon = instance.options.horizon;
    let escorts = Escorts::of(instance, plan);
    instance
        .movers
        .iter()
        .zip(plan.routes(instance))
        .enumerate()
        .filter(|(_, (mover, _))| mover.releases_in(horizon))
        .filter_map(|(index, (mover, paths))| {
            let people: u64 = paths
                .iter()
                .filter(|path| !released_home(instance, mover, path))
                .map(|path| u64::from(path.count))
                .sum();
            (people > 0).then(|| Unplaced {
                mover: index,
                people,
                reason: reason(instance, mover, &escorts),
            })
        })
        .collect()
}

/// The first reason of [`UnplacedReason`] that applies to a mover not released home.
fn reason(instance: &Instance, mover: &Mover, escorts: &Escorts) -> UnplacedReason {
    let options = &instance.options;
    let any_home = (0..instance.prisons().len())
        .any(|j| instance.is_home(j, mover) && (j == mover.prison || instance.suits(j, mover)));
    // The first week a move could happen, were he movable at all.
    let earliest = mover.movable_from.unwrap_or(match mover.origin {
        Origin::Prisoner(_) => options.first_movable_week,
        Origin::Reception(_) => options.first_movable_week.max(mover.arrival_week + 1),
    });
    let last = mover
        .release_week
        .and_then(|release| release.checked_sub(options.window))
        .filter(|&last| last >= earliest);
    if !any_home {
        UnplacedReason::NoDesignatedPrison
    } else if mover.do_not_move {
        UnplacedReason::DoNotMove
    } else if last.is_none() {
        UnplacedReason::ReleaseTooSoon
    } else if mover.movable_from.is_none() {
        UnplacedReason::NotMovable
    } else if last.is_some_and(|last| escorts.full_throughout(mover.prison, earliest..=last)) {
        UnplacedReason::EscortLimit
    } else {
        UnplacedReason::PrisonsFull
    }
}

/// The plan's moves against the escort limits: people moved per week, nationally and out of
/// each prison (every move, booked ones included).
struct Escorts {
    national_limit: Option<u32>,
    prison_limit: Option<u32>,
    national: Vec<u64>,
    /// By (prison, week).
    out_of: BTreeMap<(usize, u32), u64>,
}

impl Escorts {
    fn of(instance: &Instance, plan: &Plan) -> Escorts {
        let mut escorts = Escorts {
            national_limit: instance.options.max_moves_per_week,
            prison_limit: instance.options.max_moves_per_prison_week,
            national: vec![0; instance.options.horizon as usize],
            out_of: BTreeMap::new(),
        };
        for m in &plan.moves {
            escorts.national[m.week as usize] += u64::from(m.count);
            *escorts.out_of.entry((m.from, m.week)).or_default() += u64::from(m.count);
        }
        escorts
    }

    /// Whether a limit is set and, in every week of `weeks`, the national limit or `prison`'s
    /// is used up.
    fn full_throughout(&self, prison: usize, mut weeks: std::ops::RangeInclusive<u32>) -> bool {
        let used = |limit: Option<u32>, moved: u64| limit.is_some_and(|l| moved >= u64::from(l));
        (self.national_limit.is_some() || self.prison_limit.is_some())
            && weeks.all(|week| {
                let national = self.national.get(week as usize).copied().unwrap_or(0);
                let out = self.out_of.get(&(prison, week)).copied().unwrap_or(0);
                used(self.national_limit, national) || used(self.prison_limit, out)
            })
    }
}

/// What each move of `plan` serves (in `plan.moves` order), for `moves.csv` and
/// `forecast_moves.csv` (where a reception cohort's days are given as weeks):
/// - a resettlement move: `home release 2015-03-02 (Merseyside)`, or for a release after
///   the horizon `on track for home release 2015-05-04 (Wales)`;
/// - a decant: `frees a place at Altcourse from week 3 for a Merseyside prisoner's window
///   (arriving in week 5)`, else `relieves overflow at Altcourse from week 3` (over capacity
///   that week in the status quo, whose occupancy is `status_quo_occupancy`), else `frees a
///   place at Altcourse from week 3`; then what it costs the people moved, if anything: the
///   second move they need to be released home, or the home release it costs them;
/// - a closure: `closure of Wandsworth (from 2014-10-06)`, with `, do-not-move hold
///   overridden: to confirm` for a do-not-move prisoner, and the home release it gives, if any;
/// - a booked move: `booked`.
pub fn why(instance: &Instance, plan: &Plan, status_quo_occupancy: &[Vec<u64>]) -> Vec<String> {
    let served = served_arrivals(plan);
    plan.moves
        .iter()
        .enumerate()
        .map(|(index, m)| match m.reason {
            MoveReason::Resettle => {
                release_words(instance, m).unwrap_or_else(|| "resettlement move".to_string())
            }
            MoveReason::Decant => {
                let at = prison_name(instance, m.from);
                let frees = match served.get(&index).map(|&a| &plan.moves[a]) {
                    Some(arrival) => {
                        let whose = match instance.movers[arrival.mover].home {
                            Some(home) => format!("a {} prisoner's", cpa_name(instance, home)),
                            None => "a prisoner's".to_string(),
                        };
                        format!(
                            "frees a place at {at} from week {} for {whose} window (arriving in \
                             week {})",
                            m.week, arrival.week
                        )
                    }
                    None => {
                        let t = m.week as usize;
                        let over = status_quo_occupancy[m.from][t]
                            > u64::from(instance.capacity[m.from][t]);
                        let what = if over {
                            "relieves overflow at"
                        } else {
                            "frees a place at"
                        };
                        format!("{what} {at} from week {}", m.week)
                    }
                };
                frees + &decant_cost(instance, m).unwrap_or_default()
            }
            MoveReason::Closure => closure_words(instance, m),
            MoveReason::Booked => "booked".to_string(),
        })
        .collect()
}

/// For each decant (an index into `plan.moves`), the resettlement move into its origin
/// prison whose place it frees, paired as the module comment says. A decant of `n` members
/// of a cohort frees `n` places and is paired with the first arrival it serves.
fn served_arrivals(plan: &Plan) -> BTreeMap<usize, usize> {
    let of = |reason: MoveReason| {
        let mut found: Vec<usize> = (0..plan.moves.len())
            .filter(|&i| plan.moves[i].reason == reason)
            .collect();
        found.sort_by_key(|&i| {
            let m = &plan.moves[i];
            let prison = if reason == MoveReason::Decant {
                m.from
            } else {
                m.to
            };
            (prison, m.week, m.mover, i)
        });
        found
    };
    let arrivals = of(MoveReason::Resettle);
    let mut left: Vec<u32> = arrivals.iter().map(|&a| plan.moves[a].count).collect();
    let mut served = BTreeMap::new();
    // Both lists are by prison then week: one pass over the arrivals per prison.
    let mut next = 0;
    for d in of(MoveReason::Decant) {
        let decant = &plan.moves[d];
        let mut places = decant.count;
        while places > 0 {
            while next < arrivals.len() {
                let arrival = &plan.moves[arrivals[next]];
                let before = (arrival.to, arrival.week) < (decant.from, decant.week);
                if before || (arrival.to == decant.from && left[next] == 0) {
                    next += 1;
                } else {
                    break;
                }
            }
            let Some(&a) = arrivals.get(next) else { break };
            if plan.moves[a].to != decant.from {
                break;
            }
            let taken = places.min(left[next]);
            left[next] -= taken;
            places -= taken;
            served.entry(d).or_insert(a);
        }
    }
    served
}

/// What a decant costs the people it moves when it leaves them where they will not be
/// released home although a resettlement prison of their home CPA holds them: while a later
/// move can still arrive in time, `; needs a second move, to a Merseyside resettlement prison
/// by 2015-07-23, to be released home` (never in this plan, which moves a person once unless a
/// closure forces him); too late for one, `; costs his home release 2015-01-29 (Merseyside)`
/// when unmoved he would have been released home.
fn decant_cost(instance: &Instance, m: &Move) -> Option<String> {
    let mover = &instance.movers[m.mover];
    let home = mover.home.filter(|_| mover.eligible)?;
    let horizon = instance.options.horizon;
    let unmoved = Route::unmoved(mover, m.count, horizon);
    let moved = unmoved.then(m.to, m.week);
    if released_home(instance, mover, &moved) {
        return None;
    }
    let (latest, release) = (
        mover.latest_qualifying_arrival(instance.options.window)?,
        mover.release_date?,
    );
    // The last week a move may happen for its people to arrive in time.
    let last = instance.options.calendar.week_of(latest);
    let cpa = cpa_name(instance, home);
    if last > i64::from(m.week) {
        let checked = u32::try_from(last).unwrap_or(u32::MAX).min(horizon - 1);
        let open_home = (0..instance.prisons().len()).any(|j| {
            instance.is_home(j, mover) && instance.suits(j, mover) && !instance.closed(j, checked)
        });
        open_home.then(|| {
            format!(
                "; needs a second move, to a {cpa} resettlement prison by {}, to be released home",
                when(instance, mover, latest)
            )
        })
    } else {
        let (whose, releases) = match mover.origin {
            Origin::Prisoner(_) => ("his", "release"),
            Origin::Reception(_) => ("their", "releases"),
        };
        released_home(instance, mover, &unmoved).then(|| {
            format!(
                "; costs {whose} home {releases} {} ({cpa})",
                when(instance, mover, release)
            )
        })
    }
}

/// A day of a mover's in words: the date for a prisoner; for a reception cohort, whose rows
/// in `forecast_moves.csv` count in weeks, `week N`.
fn when(instance: &Instance, mover: &Mover, date: NaiveDate) -> String {
    match mover.origin {
        Origin::Prisoner(_) => date.to_string(),
        Origin::Reception(_) => format!("week {}", instance.options.calendar.week_of(date)),
    }
}

/// `home release D (CPA)` or `on track for home release D (CPA)` when the move gives its
/// people a home release (a release in the horizon, or after it); D is a date, or for a
/// reception cohort `week N`.
fn release_words(instance: &Instance, m: &Move) -> Option<String> {
    let mover = &instance.movers[m.mover];
    let path = Route {
        count: m.count,
        moved: Some((m.to, m.week)),
        via: None,
    };
    let (home, release, date) = (mover.home?, mover.release_week?, mover.release_date?);
    if !mover.eligible || !released_home(instance, mover, &path) {
        return None;
    }
    let cpa = cpa_name(instance, home);
    let date = when(instance, mover, date);
    Some(if release < instance.options.horizon {
        format!("home release {date} ({cpa})")
    } else {
        format!("on track for home release {date} ({cpa})")
    })
}

/// `closure of X (from D)`: D is the first day of the closed spell of the prison that forces
/// him out; then the hold overridden and the home release the move gives, if any.
fn closure_words(instance: &Instance, m: &Move) -> String {
    let mover = &instance.movers[m.mover];
    let by = mover.forced_out_by.unwrap_or(m.week);
    let mut from = by;
    while from > 0 && instance.closed(m.from, from - 1) {
        from -= 1;
    }
    let mut words = format!(
        "closure of {} (from {})",
        prison_name(instance, m.from),
        instance.date_of(from)
    );
    if mover.do_not_move {
        words.push_str(", do-not-move hold overridden: to confirm");
    }
    if let Some(release) = release_words(instance, m) {
        words.push_str("; ");
        words.push_str(&release);
    }
    words
}

/// The moves of `plan` (indexes into `plan.moves`) that move a do-not-move prisoner out of a
/// closing prison: conflicts for a person to confirm (docs/planning-rules.md §5 rule 2).
pub fn conflicts(instance: &Instance, plan: &Plan) -> Vec<usize> {
    (0..plan.moves.len())
        .filter(|&i| {
            let m = &plan.moves[i];
            m.reason == MoveReason::Closure && instance.movers[m.mover].do_not_move
        })
        .collect()
}

/// A prison's name as in the data (its code when the name is empty).
fn prison_name(instance: &Instance, prison: usize) -> &str {
    let p = &instance.prisons()[prison];
    if p.name.is_empty() {
        p.code.as_str()
    } else {
        &p.name
    }
}

fn cpa_name(instance: &Instance, cpa: usize) -> &str {
    &instance.inputs.data.cpas[cpa].name
}
