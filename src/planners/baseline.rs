//! The two plans the optimal one is compared with (docs/planning-rules.md §5), under the same rules
//! (closures, escort limits): the status quo (no moves but the booked ones and those a
//! closure forces) and the greedy plan a planner would make by hand.

use std::collections::{btree_map, BTreeMap, VecDeque};

use crate::problem::instance::{Instance, Mover};
use crate::problem::kpi::evaluate;
use crate::problem::plan::{Move, MoveReason, Plan};

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
        let Some((free, to)) = state.roomiest(mover, mover.prison, week, home) else {
            continue;
        };
        let count = mover
            .count
            .min(u32::try_from(free.max(0)).unwrap_or(u32::MAX))
            .min(state.escorts_left(mover.prison, week));
        if count > 0 {
            state.push(m, mover.prison, count, to, week, MoveReason::Resettle);
        }
    }
    Plan::new(state.moves)
}

/// People a closure forces out of one prison, and the weeks they may leave in, latest first.
struct Job {
    from: usize,
    count: u32,
    weeks: Vec<u32>,
}

/// A node of the escort network of [`Schedule`]: a job, the escorts out of a
/// prison in a week, the national escorts of a week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Job(usize),
    Prison(usize, u32),
    Week(u32),
}

/// The weeks of the closure moves under construction: a flow through the escort network
/// from each job, through the escorts out of its prison in one of its weeks, to the national
/// escorts of that week.
struct Schedule<'a> {
    jobs: &'a [Job],
    /// The jobs out of each prison.
    jobs_at: BTreeMap<usize, Vec<usize>>,
    /// Escorts left by the booked moves, per week and per prison and week (`None`: no limit).
    national_left: &'a [Option<u32>],
    prison_left: &'a [Vec<Option<u32>>],
    /// People scheduled per job and week, per (week, prison), and per week.
    taken: Vec<BTreeMap<u32, u32>>,
    out_of: BTreeMap<(u32, usize), u32>,
    national: BTreeMap<u32, u32>,
}

impl Schedule<'_> {
    fn prison_free(&self, prison: usize, week: u32) -> bool {
        let used = self.out_of.get(&(week, prison)).copied().unwrap_or(0);
        self.prison_left[prison][week as usize].is_none_or(|left| used < left)
    }

    fn week_free(&self, week: u32) -> bool {
        let used = self.national.get(&week).copied().unwrap_or(0);
        self.national_left[week as usize].is_none_or(|left| used < left)
    }

    /// Schedules one more person of job `k`, in the latest of his weeks with both escorts
    /// free or else along a shortest augmenting path (breadth first); false when none exists.
    fn add(&mut self, k: usize) -> bool {
        let from = self.jobs[k].from;
        let direct = self.jobs[k]
            .weeks
            .iter()
            .find(|&&t| self.prison_free(from, t) && self.week_free(t));
        if let Some(&t) = direct {
            self.apply(&[Node::Job(k), Node::Prison(from, t), Node::Week(t)]);
            return true;
        }
        let mut parent = BTreeMap::from([(Node::Job(k), Node::Job(k))]);
        let mut queue = VecDeque::from([Node::Job(k)]);
        while let Some(node) = queue.pop_front() {
            if let Node::Week(t) = node {
                if self.week_free(t) {
                    let (mut path, mut at) = (vec![node], node);
                    while at != Node::Job(k) {
                        at = parent[&at];
                        path.push(at);
                    }
                    path.reverse();
                    self.apply(&path);
                    return true;
                }
            }
            for next in self.residual(node) {
                if let btree_map::Entry::Vacant(e) = parent.entry(next) {
                    e.insert(node);
                    queue.push_back(next);
                }
            }
        }
        false
    }

    /// Where one more person may go from `node`: from a job to the escorts out of its prison
    /// in each of its weeks, latest first; from a prison-week to its national week when it
    /// has an escort free, and back to each job with people in it (who then go elsewhere);
    /// from a full national week back to each prison with people leaving that week.
    fn residual(&self, node: Node) -> Vec<Node> {
        match node {
            Node::Job(j) => {
                let from = self.jobs[j].from;
                let weeks = self.jobs[j].weeks.iter();
                weeks.map(|&t| Node::Prison(from, t)).collect()
            }
            Node::Prison(i, t) => {
                let others = self.jobs_at.get(&i).into_iter().flatten();
                let others = others
                    .filter(|&&j| self.taken[j].get(&t).is_some_and(|&n| n > 0))
                    .map(|&j| Node::Job(j));
                let week = self.prison_free(i, t).then_some(Node::Week(t));
                week.into_iter().chain(others).collect()
            }
            Node::Week(t) => self
                .out_of
                .range((t, 0)..(t + 1, 0))
                .filter(|(_, &n)| n > 0)
                .map(|(&(_, i), _)| Node::Prison(i, t))
                .collect(),
        }
    }

    /// Sends one more person along `path` (from a job to a free national week).
    fn apply(&mut self, path: &[Node]) {
        for step in path.windows(2) {
            match (step[0], step[1]) {
                (Node::Job(j), Node::Prison(_, t)) => *self.taken[j].entry(t).or_default() += 1,
                (Node::Prison(_, t), Node::Job(j)) => {
                    if let Some(n) = self.taken[j].get_mut(&t) {
                        *n -= 1;
                    }
                }
                (Node::Prison(i, t), Node::Week(_)) => {
                    *self.out_of.entry((t, i)).or_default() += 1;
                }
                (Node::Week(_), Node::Prison(i, t)) => {
                    if let Some(n) = self.out_of.get_mut(&(t, i)) {
                        *n -= 1;
                    }
                }
                _ => {}
            }
        }
        if let Some(&Node::Week(t)) = path.last() {
            *self.national.entry(t).or_default() += 1;
        }
    }
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

    /// Moves everyone a closure forces out. First the weeks: as many as the escort limits
    /// allow leave in time (in the weeks of [`Mover::in_time`] with a prison to go to), those
    /// who must leave first, then by release date (those with none first), preferred when
    /// not all can ([`State::closure_weeks`]); the others in the first week after with an
    /// escort free, before their release. Each goes to the prison that may hold him with most
    /// room until he leaves. Nobody is left behind when any open prison may hold him (it may
    /// overflow) and the escorts allow it.
    fn empty_closing_prisons(&mut self) {
        let instance = self.instance;
        let horizon = instance.options.horizon;
        let mut forced: Vec<usize> = (0..instance.movers.len())
            .filter(|&m| instance.movers[m].forced_out_by.is_some())
            .collect();
        forced.sort_by_key(|&m| {
            let mover = &instance.movers[m];
            let due = mover.in_time(horizon).end;
            (due, mover.release_date, instance.member_key(m))
        });
        let jobs: Vec<Job> = forced
            .iter()
            .map(|&m| {
                let mover = &instance.movers[m];
                let from = mover.forced_from();
                let weeks = mover.in_time(horizon).rev();
                Job {
                    from,
                    count: mover.count,
                    weeks: weeks
                        .filter(|&w| self.roomiest(mover, from, w, |_| true).is_some())
                        .collect(),
                }
            })
            .collect();
        let weeks = self.closure_weeks(&jobs);
        let mut left: Vec<u32> = Vec::with_capacity(jobs.len());
        for ((&m, job), weeks) in forced.iter().zip(&jobs).zip(weeks) {
            let mover = &instance.movers[m];
            let mut rest = mover.count;
            for (week, count) in weeks.into_iter().rev() {
                if let Some((_, to)) = self.roomiest(mover, job.from, week, |_| true) {
                    self.push(m, job.from, count, to, week, MoveReason::Closure);
                    rest -= count;
                }
            }
            left.push(rest);
        }
        for ((&m, job), mut left) in forced.iter().zip(&jobs).zip(left) {
            let mover = &instance.movers[m];
            let in_time = mover.in_time(horizon);
            for week in in_time.end.max(in_time.start)..mover.moves_end(horizon) {
                while left > 0 && self.escorts_left(job.from, week) > 0 {
                    let Some((_, to)) = self.roomiest(mover, job.from, week, |_| true) else {
                        break;
                    };
                    let count = left.min(self.escorts_left(job.from, week));
                    self.push(m, job.from, count, to, week, MoveReason::Closure);
                    left -= count;
                }
            }
        }
    }

    /// How many of each job leave in each week: a largest number within the escorts left,
    /// built job by job in their order (a later job never takes the place of an earlier one's
    /// people, but may move them to another of their weeks), each person in the latest of
    /// his weeks with an escort free, or else where a shortest augmenting path puts him.
    fn closure_weeks(&self, jobs: &[Job]) -> Vec<BTreeMap<u32, u32>> {
        let mut schedule = Schedule {
            jobs,
            jobs_at: BTreeMap::new(),
            national_left: &self.national,
            prison_left: &self.per_prison,
            taken: vec![BTreeMap::new(); jobs.len()],
            out_of: BTreeMap::new(),
            national: BTreeMap::new(),
        };
        for (k, job) in jobs.iter().enumerate() {
            schedule.jobs_at.entry(job.from).or_default().push(k);
        }
        for (k, job) in jobs.iter().enumerate() {
            // No path for one of his people: none for the others either.
            for _ in 0..job.count {
                if !schedule.add(k) {
                    break;
                }
            }
        }
        let mut taken = schedule.taken;
        for weeks in &mut taken {
            weeks.retain(|_, n| *n > 0);
        }
        taken
    }

    /// The prison other than `from` (passing `wanted`) that may receive the mover at `week`
    /// with most room from then until he leaves, and that room; ties to the first code.
    fn roomiest(
        &self,
        mover: &Mover,
        from: usize,
        week: u32,
        wanted: impl Fn(usize) -> bool,
    ) -> Option<(i64, usize)> {
        let instance = self.instance;
        let weeks = week as usize..mover.gone_from(instance.options.horizon) as usize;
        (0..instance.prisons().len())
            .filter(|&j| j != from && wanted(j) && instance.may_receive(j, mover, week))
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

    fn push(
        &mut self,
        mover: usize,
        from: usize,
        count: u32,
        to: usize,
        week: u32,
        reason: MoveReason,
    ) {
        let until = self.instance.movers[mover].gone_from(self.instance.options.horizon);
        for w in week..until {
            self.room[to][w as usize] -= i64::from(count);
            self.room[from][w as usize] += i64::from(count);
        }
        self.use_escorts(from, week, count);
        self.moves.push(Move {
            mover,
            count,
            from,
            to,
            week,
            reason,
        });
    }
}
