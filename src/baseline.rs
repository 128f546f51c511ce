//! The two plans the optimal one is compared with (docs/planning-rules.md §5), under the same rules
//! (closures, escort limits): the status quo (no moves but the booked ones and those a
//! closure forces) and the greedy plan a planner would make by hand.

use crate::instance::{Instance, Mover};
use crate::kpi::evaluate;
use crate::plan::{Move, MoveReason, Plan};

/// The booked moves and the moves closures force, nothing else.
pub fn status_quo(instance: &Instance) -> Plan {
    let mut state = State::new(instance);
    state.empty_closing_prisons();
    Plan::new(state.moves)
}

/// The status quo's moves, then prisoners in order of release date (ties by prisoner id;
/// reception cohorts after prisoners released the same day), each moved when his window
/// opens (week r − W, or the latest week before it with an escort free) to the resettlement
/// prison of his home CPA that holds his estate and category and has the most room over the
/// weeks until his release — if it has room. No decants.
pub fn greedy(instance: &Instance) -> Plan {
    let mut state = State::new(instance);
    state.empty_closing_prisons();
    let (horizon, window) = (instance.options.horizon, instance.options.window);
    let mut candidates: Vec<usize> = (0..instance.movers.len())
        .filter(|&m| {
            let mover = &instance.movers[m];
            let (Some(release), Some(first)) = (mover.release_week, mover.movable_from) else {
                return false;
            };
            mover.forced_out_by.is_none()
                && mover.releases_in(horizon)
                && release >= first + window
                && !instance.is_home(mover.prison, mover)
        })
        .collect();
    candidates.sort_by_key(|&m| (instance.movers[m].release_date, instance.member_key(m)));
    for m in candidates {
        let mover = &instance.movers[m];
        let release = mover.release_week.expect("candidates have a release week");
        let first = mover.movable_from.expect("candidates are movable");
        let Some(week) = (first..=release - window)
            .rev()
            .find(|&w| state.escorts_left(mover.prison, w) > 0)
        else {
            continue;
        };
        let home = |j: usize| instance.is_home(j, mover);
        let Some((free, to)) = state.roomiest(mover, week, home) else {
            continue;
        };
        let count = mover
            .count
            .min(u32::try_from(free.max(0)).unwrap_or(u32::MAX))
            .min(state.escorts_left(mover.prison, week));
        if count > 0 {
            state.push(m, count, to, week, MoveReason::Resettle);
        }
    }
    Plan::new(state.moves)
}

/// Room per prison and week, escorts left, and the moves so far.
struct State<'a> {
    instance: &'a Instance,
    room: Vec<Vec<i64>>,
    /// Moves left per week nationally, and per prison and week (`None`: no limit).
    national: Vec<Option<u32>>,
    per_prison: Vec<Vec<Option<u32>>>,
    moves: Vec<Move>,
}

impl<'a> State<'a> {
    /// The booked moves, with the room and escorts they leave.
    fn new(instance: &'a Instance) -> State<'a> {
        let booked = Plan::booked(instance);
        let room = evaluate(instance, &Plan::new(booked.clone()))
            .occupancy
            .iter()
            .zip(&instance.capacity)
            .map(|(occupied, capacity)| {
                occupied
                    .iter()
                    .zip(capacity)
                    .map(|(&o, &c)| i64::from(c) - o as i64)
                    .collect()
            })
            .collect();
        let horizon = instance.options.horizon as usize;
        let options = &instance.options;
        let mut state = State {
            instance,
            room,
            national: vec![options.max_moves_per_week; horizon],
            per_prison: vec![
                vec![options.max_moves_per_prison_week; horizon];
                instance.prisons().len()
            ],
            moves: Vec::new(),
        };
        for m in booked {
            state.use_escorts(m.from, m.week, m.count);
            state.moves.push(m);
        }
        state
    }

    /// Moves everyone a closure forces out, in order of the week he must leave by, then of
    /// release date: at that week, or the latest week before it with an escort free (failing
    /// that, the first week after it), to the prison that may hold him with most room until he
    /// leaves. Nobody is left behind when any open prison may hold him (it may overflow).
    fn empty_closing_prisons(&mut self) {
        let instance = self.instance;
        let mut forced: Vec<usize> = (0..instance.movers.len())
            .filter(|&m| instance.movers[m].forced_out_by.is_some())
            .collect();
        forced.sort_by_key(|&m| {
            let mover = &instance.movers[m];
            (
                mover.forced_out_by,
                mover.release_date,
                instance.member_key(m),
            )
        });
        for m in forced {
            let mover = &instance.movers[m];
            let (Some(by), Some(first)) = (mover.forced_out_by, mover.movable_from) else {
                continue;
            };
            let mut left = mover.count;
            let until = mover.gone_from(instance.options.horizon);
            for week in (first..=by).rev().chain(by + 1..until) {
                while left > 0 && self.escorts_left(mover.prison, week) > 0 {
                    let Some((_, to)) = self.roomiest(mover, week, |_| true) else {
                        break;
                    };
                    let count = left.min(self.escorts_left(mover.prison, week));
                    self.push(m, count, to, week, MoveReason::Closure);
                    left -= count;
                }
            }
        }
    }

    /// The prison (passing `wanted`) that may receive the mover at `week` with most room from
    /// then until he leaves, and that room; ties to the first code.
    fn roomiest(
        &self,
        mover: &Mover,
        week: u32,
        wanted: impl Fn(usize) -> bool,
    ) -> Option<(i64, usize)> {
        let instance = self.instance;
        let weeks = week as usize..mover.gone_from(instance.options.horizon) as usize;
        (0..instance.prisons().len())
            .filter(|&j| j != mover.prison && wanted(j) && instance.may_receive(j, mover, week))
            .map(|j| {
                (
                    self.room[j][weeks.clone()]
                        .iter()
                        .copied()
                        .min()
                        .unwrap_or(0),
                    j,
                )
            })
            .max_by(|(room_a, a), (room_b, b)| {
                let code = |p: &usize| &instance.prisons()[*p].code;
                room_a.cmp(room_b).then_with(|| code(b).cmp(code(a)))
            })
    }

    /// Escort moves left out of `from` at `week` (`u32::MAX` without limits).
    fn escorts_left(&self, from: usize, week: u32) -> u32 {
        let national = self.national[week as usize].unwrap_or(u32::MAX);
        let prison = self.per_prison[from][week as usize].unwrap_or(u32::MAX);
        national.min(prison)
    }

    fn use_escorts(&mut self, from: usize, week: u32, count: u32) {
        for left in [
            &mut self.national[week as usize],
            &mut self.per_prison[from][week as usize],
        ]
        .into_iter()
        .flatten()
        {
            *left = left.saturating_sub(count);
        }
    }

    fn push(&mut self, mover: usize, count: u32, to: usize, week: u32, reason: MoveReason) {
        let m = &self.instance.movers[mover];
        let until = m.gone_from(self.instance.options.horizon);
        for w in week..until {
            self.room[to][w as usize] -= i64::from(count);
            self.room[m.prison][w as usize] += i64::from(count);
        }
        self.use_escorts(m.prison, week, count);
        self.moves.push(Move {
            mover,
            count,
            from: m.prison,
            to,
            week,
            reason,
        });
    }
}
