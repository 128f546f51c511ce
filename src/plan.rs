//! A plan: the moves chosen for the horizon, by any planner (status quo, greedy, optimal).

use std::fmt;

use crate::instance::Instance;

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

/// The moves of a plan, sorted by mover then week then destination.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub moves: Vec<Move>,
}

/// One part of a mover that follows one path: `count` people who stay put, or who move once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Path {
    pub count: u32,
    /// Destination prison and week, when they move.
    pub moved: Option<(usize, u32)>,
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

    /// Each mover's paths: who stays and who moves where and when.
    pub fn paths(&self, instance: &Instance) -> Vec<Vec<Path>> {
        let mut paths: Vec<Vec<Path>> = vec![Vec::new(); instance.movers.len()];
        for m in &self.moves {
            paths[m.mover].push(Path {
                count: m.count,
                moved: Some((m.to, m.week)),
            });
        }
        for (mover, list) in instance.movers.iter().zip(&mut paths) {
            let moved: u32 = list.iter().map(|p| p.count).sum();
            if moved < mover.count {
                list.push(Path {
                    count: mover.count - moved,
                    moved: None,
                });
            }
        }
        paths
    }
}

impl Path {
    /// The prison he is in during `week`, starting from `prison`.
    pub fn location(&self, prison: usize, week: u32) -> usize {
        match self.moved {
            Some((to, at)) if week >= at => to,
            _ => prison,
        }
    }
}
