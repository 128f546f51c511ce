//! A plan: the moves chosen for the horizon, by any planner (status quo, greedy, optimal).

use std::fmt;

use crate::problem::instance::{Instance, Mover};

/// Why a move is made (the `reason` column of `moves.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MoveReason {
    /// Into a resettlement prison of the home CPA in time for the window.
    Resettle,
    /// Out of a prison to free places (a decant, or relief of an over-full prison).
    Decant,
    /// Booked beforehand, kept as given.
    Booked,
    /// Forced out of a prison that closes (docs/planning-rules.md §5 rule 2).
    Closure,
}

impl MoveReason {
    /// The word written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveReason::Resettle => "resettle",
            MoveReason::Decant => "decant",
            MoveReason::Booked => "booked",
            MoveReason::Closure => "closure",
        }
    }
}

impl fmt::Display for MoveReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `count` members of mover `mover` move from `from` to `to` at the start of `week`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Move {
    /// Index into `Instance::movers`.
    pub mover: usize,
    /// 1 for a prisoner; part of a reception cohort otherwise.
    pub count: u32,
    /// Prison indexes.
    pub from: usize,
    pub to: usize,
    pub week: u32,
    pub reason: MoveReason,
}

/// The moves of a plan, in canonical order: `Move`'s derived order (by mover, then count,
/// origin, destination, week and reason).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub moves: Vec<Move>,
}

/// One part of a mover that follows one route: `count` people who stay put, or who move once
/// (twice when a closure forces them out of where their booked move took them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub count: u32,
    /// Destination prison and week, when they move.
    pub moved: Option<(usize, u32)>,
    /// An earlier move (destination and week) into the prison that `moved` takes them out of.
    pub via: Option<(usize, u32)>,
}

impl Plan {
    /// A plan of these moves, put in canonical order.
    pub fn new(mut moves: Vec<Move>) -> Plan {
        moves.sort();
        Plan { moves }
    }

    /// The booked moves of the instance that fall in the horizon.
    pub fn booked(instance: &Instance) -> Vec<Move> {
        instance
            .movers
            .iter()
            .enumerate()
            .filter_map(|(index, mover)| {
                let (to, week) = mover.booked?;
                (week < instance.options.horizon).then_some(Move {
                    mover: index,
                    count: mover.count,
                    from: mover.prison,
                    to,
                    week,
                    reason: MoveReason::Booked,
                })
            })
            .collect()
    }

    /// The number of people moved.
    pub fn people_moved(&self) -> u64 {
        self.moves.iter().map(|m| u64::from(m.count)).sum()
    }

    /// Each mover's routes: who stays and who moves where and when. A move that does not start
    /// where the mover is (out of a closing prison his booked move took him to) continues the
    /// route of the move into its prison.
    pub fn routes(&self, instance: &Instance) -> Vec<Vec<Route>> {
        let mut routes: Vec<Vec<Route>> = vec![Vec::new(); instance.movers.len()];
        let from_start = |m: &&Move| m.from == instance.movers[m.mover].prison;
        for m in self.moves.iter().filter(from_start) {
            routes[m.mover].push(Route {
                count: m.count,
                moved: Some((m.to, m.week)),
                via: None,
            });
        }
        for m in self.moves.iter().filter(|m| !from_start(m)) {
            let list = &mut routes[m.mover];
            let into = list.iter().position(|p| {
                p.via.is_none()
                    && p.moved
                        .is_some_and(|(to, week)| to == m.from && week < m.week)
            });
            let mut via = None;
            if let Some(k) = into {
                via = list[k].moved;
                list[k].count -= m.count.min(list[k].count);
                if list[k].count == 0 {
                    list.remove(k);
                }
            }
            list.push(Route {
                count: m.count,
                moved: Some((m.to, m.week)),
                via,
            });
        }
        for (mover, list) in instance.movers.iter().zip(&mut routes) {
            let moved: u32 = list.iter().map(|p| p.count).sum();
            if moved < mover.count {
                list.push(Route {
                    count: mover.count - moved,
                    moved: None,
                    via: None,
                });
            }
        }
        routes
    }
}

impl Route {
    /// Members of `mover` the plan does not move: only his booked move (in the horizon) is
    /// made.
    pub fn unmoved(mover: &Mover, count: u32, horizon: u32) -> Route {
        Route {
            count,
            moved: mover.booked.filter(|&(_, week)| week < horizon),
            via: None,
        }
    }

    /// The same people, then moved to `to` at `week`.
    pub fn then(self, to: usize, week: u32) -> Route {
        Route {
            moved: Some((to, week)),
            via: self.moved,
            ..self
        }
    }

    /// The prison he is in during `week`, starting from `prison`.
    pub fn location(&self, prison: usize, week: u32) -> usize {
        match (self.moved, self.via) {
            (Some((to, at)), _) if week >= at => to,
            (_, Some((to, at))) if week >= at => to,
            _ => prison,
        }
    }

    /// The moves it makes (destination and week), the earlier first.
    pub fn moves(&self) -> impl Iterator<Item = (usize, u32)> {
        self.via.into_iter().chain(self.moved)
    }
}
