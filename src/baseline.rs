//! The two plans the optimal one is compared with (DOMAIN.md §5): the status quo (no moves)
//! and the greedy plan a planner would make by hand.

use crate::instance::Instance;
use crate::kpi::evaluate;
use crate::plan::{Move, MoveReason, Plan};

/// No moves at all.
pub fn status_quo() -> Plan {
    Plan::default()
}

/// The booked moves, then prisoners in order of release date (ties by prisoner id; reception
/// cohorts after prisoners released the same day), each moved when his window opens
/// (week r − W) to the resettlement prison of his home CPA that holds his estate and category
/// and has the most room over the weeks until his release — if it has room. No decants.
pub fn greedy(instance: &Instance) -> Plan {
    let booked = Plan::booked(instance);
    let mut room: Vec<Vec<i64>> = evaluate(instance, &Plan::new(booked.clone()))
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
    let window = instance.options.window;
    let mut candidates: Vec<usize> = (0..instance.movers.len())
        .filter(|&m| {
            let mover = &instance.movers[m];
            let (Some(release), Some(first)) = (mover.release_week, mover.movable_from) else {
                return false;
            };
            mover.releases_in(instance.options.horizon)
                && release >= first + window
                && !instance.is_home(mover.prison, mover)
        })
        .collect();
    candidates.sort_by_key(|&m| {
        let mover = &instance.movers[m];
        (mover.release_date, sort_key(instance, m))
    });
    let mut moves = booked;
    for m in candidates {
        let mover = &instance.movers[m];
        let release = mover.release_week.expect("candidates have a release week");
        let week = release - window;
        let weeks = week as usize..=release as usize;
        let best = (0..instance.prisons().len())
            .filter(|&j| {
                j != mover.prison && instance.suits(j, mover) && instance.is_home(j, mover)
            })
            .map(|j| (room[j][weeks.clone()].iter().copied().min().unwrap_or(0), j))
            .max_by(|(room_a, a), (room_b, b)| {
                room_a.cmp(room_b).then_with(|| {
                    let codes = |p: &usize| &instance.prisons()[*p].code;
                    codes(b).cmp(codes(a))
                })
            });
        let Some((free, to)) = best else { continue };
        let count = mover
            .count
            .min(u32::try_from(free.max(0)).unwrap_or(u32::MAX));
        if count == 0 {
            continue;
        }
        for w in weeks {
            room[to][w] -= i64::from(count);
            room[mover.prison][w] += i64::from(count);
        }
        moves.push(Move {
            mover: m,
            count,
            from: mover.prison,
            to,
            week,
            reason: MoveReason::Resettle,
        });
    }
    Plan::new(moves)
}

/// Orders prisoners by id, then reception cohorts by their position in the file.
fn sort_key(instance: &Instance, mover: usize) -> (u8, String, usize) {
    match instance.movers[mover].origin {
        crate::instance::Origin::Prisoner(i) => (0, instance.inputs.prisoners[i].id.0.clone(), 0),
        crate::instance::Origin::Reception(i) => (1, String::new(), i),
    }
}
