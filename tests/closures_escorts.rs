//! Closures at the edges of the rules (docs/planning-rules.md §4–§5): a closure in a
//! prisoner's release week, a booked move into a prison that closes later, closure moves under
//! escort limits, and receptions redirected home on arrival. Each on a hand-built instance
//! whose optimum is proven in its comment; every plan passes the invariant checks.
//!
//! Conventions (tests/common): start S = Monday 1 September 2014, H = 26, W = 12, first
//! movable week m = 1; a prisoner released in week r is released on its Wednesday and has been
//! in custody, at his current prison, for a year.

mod common;

use common::{check_invariants, Builder};
use resettle::domain::Category::C;
use resettle::domain::Function::{CatCTrainer, Local};
use resettle::output::ReportOptions;
use resettle::pipeline::{outputs, plan_all, Planned};
use resettle::planners::optimal::credits;
use resettle::problem::instance::{Instance, Origin};
use resettle::problem::kpi::evaluate;
use resettle::problem::plan::{Move, MoveReason, Plan};
use resettle::solver::SolverOptions;

/// The three plans, each checked against the invariants, and every output written from them.
fn plans(instance: &Instance) -> Planned {
    let planned = plan_all(instance, SolverOptions::default(), &mut |_| {}).expect("plans");
    for (_, plan) in all(&planned) {
        check_invariants(instance, plan);
    }
    outputs(instance, &planned, &ReportOptions::default());
    planned
}

fn all(planned: &Planned) -> [(&'static str, &Plan); 3] {
    [
        ("status quo", &planned.status_quo),
        ("greedy", &planned.greedy),
        ("optimal", &planned.optimal.plan),
    ]
}

fn prison(instance: &Instance, code: &str) -> usize {
    instance
        .prisons()
        .iter()
        .position(|p| p.code.as_str() == code)
        .expect("a prison of the instance")
}

/// The mover index of the prisoner `id`.
fn prisoner(instance: &Instance, id: &str) -> usize {
    instance
        .movers
        .iter()
        .position(|m| {
            matches!(m.origin, Origin::Prisoner(i) if instance.inputs.prisoners[i].id.as_str() == id)
        })
        .expect("a prisoner of the instance")
}

fn moves_of(plan: &Plan, mover: usize) -> Vec<Move> {
    plan.moves
        .iter()
        .filter(|m| m.mover == mover)
        .copied()
        .collect()
}

/// Closes `code` from `week` to the end of the horizon and marks who the closure forces out.
fn close(instance: &mut Instance, code: &str, week: usize) {
    let i = prison(instance, code);
    for capacity in &mut instance.capacity[i][week..] {
        *capacity = 0;
    }
    instance.apply_closures().unwrap();
}

// ---------------------------------------------------------------------------------------
// A closure in the release week.
// ---------------------------------------------------------------------------------------

/// The local LLI (10 places) closes from week 4; the local MMI (10 places) stays open. LLI
/// holds R4, released on the Wednesday of week 4, R3 (week 3) and, with `early`, R1 (week 1).
///
/// §4 counts a prisoner in week t while t ≤ r: R4 is held in LLI on the first day of week 4,
/// when it holds nobody, so the closure forces him out — by week 3, as no move may be made in
/// his release week. R3 is released before the closure and stays. R1's closure week would be
/// week 4 too, but he is released in week 1 and so is not held then.
///
/// Optimum: (a) 0, (b) 0 (nobody has a home CPA), (c) 1 — R4's move, in one of weeks 1–3.
#[test]
fn a_closure_in_the_release_week_moves_him_before_it() {
    let mut instance = Builder::default()
        .cpa("north")
        .prison("LLI", "north", Local, "BC", 10)
        .prison("MMI", "north", Local, "BC", 10)
        .prisoner("R4", "LLI", None, C, Some(4))
        .prisoner("R3", "LLI", None, C, Some(3))
        .prisoner("R1", "LLI", None, C, Some(1))
        .instance();
    close(&mut instance, "LLI", 4);
    let (lli, r4) = (prison(&instance, "LLI"), prisoner(&instance, "R4"));
    assert_eq!(instance.movers[r4].forced_out_by, Some(4));
    assert_eq!(instance.movers[r4].in_time(26), 1..4);
    for id in ["R3", "R1"] {
        assert_eq!(instance.movers[prisoner(&instance, id)].forced_out_by, None);
    }
    let planned = plans(&instance);
    for (name, plan) in all(&planned) {
        let moves = moves_of(plan, r4);
        assert_eq!(plan.moves.len(), 1, "{name}: {:?}", plan.moves);
        assert!(
            moves.len() == 1 && (1..=3).contains(&moves[0].week),
            "{name}: {moves:?}"
        );
        assert_eq!(evaluate(&instance, plan).occupancy[lli][4], 0, "{name}");
    }
}

/// LLI closes from week 1, the first movable week, and holds R1, released in week 1: no
/// week before his release week may be planned (week 0 is being carried out), so he is
/// stranded in LLI for his release week and no plan moves him. Optimum: no move.
#[test]
fn a_closure_in_the_release_week_with_no_week_left_strands_him() {
    let mut instance = Builder::default()
        .cpa("north")
        .prison("LLI", "north", Local, "BC", 10)
        .prison("MMI", "north", Local, "BC", 10)
        .prisoner("R1", "LLI", None, C, Some(1))
        .instance();
    close(&mut instance, "LLI", 1);
    let lli = prison(&instance, "LLI");
    assert_eq!(instance.movers[0].in_time(26), 1..1);
    assert_eq!(instance.stranded()[lli][1], 1);
    let planned = plans(&instance);
    for (name, plan) in all(&planned) {
        assert!(plan.moves.is_empty(), "{name}: {:?}", plan.moves);
    }
}

// ---------------------------------------------------------------------------------------
// A booked move into a prison that closes later.
// ---------------------------------------------------------------------------------------

/// B1 (home north, released in week 20, so home in time when he arrives by week 8) is held
/// at the local ORI and booked into the local BKD in week 1; BKD closes from week 3. TTI, a
/// category C trainer, is north's resettlement prison. All have 10 places.
///
/// The booked move is kept; the closure then forces him out of BKD by week 3, in week 2 or 3
/// (the week after the booked move at the earliest): a second move, allowed by the closure
/// rule. Optimum: (a) 0; (b) 1 — only TTI is home, and arriving there by week 3 ≤ 8 earns
/// the home release; (c) 2 people moved (the booked move and the closure's).
#[test]
fn a_booked_move_into_a_prison_that_closes_later_is_followed_by_a_closure_move() {
    let mut instance = Builder::default()
        .cpa("north")
        .prison("ORI", "north", Local, "BC", 10)
        .prison("BKD", "north", Local, "BC", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("TTI", "north")
        .prisoner("B1", "ORI", Some("north"), C, Some(20))
        .booked("B1", "BKD", 1)
        .instance();
    close(&mut instance, "BKD", 3);
    let (ori, bkd, tti) = (
        prison(&instance, "ORI"),
        prison(&instance, "BKD"),
        prison(&instance, "TTI"),
    );
    let b1 = &instance.movers[0];
    assert_eq!((b1.forced_out_by, b1.forced_from()), (Some(3), bkd));
    assert_eq!(b1.in_time(26), 2..4);
    let planned = plans(&instance);
    for (name, plan) in all(&planned) {
        let moves = moves_of(plan, 0);
        assert_eq!(moves.len(), 2, "{name}: {moves:?}");
        let closure = moves.iter().find(|m| m.reason == MoveReason::Closure);
        let closure = closure.unwrap_or_else(|| panic!("{name}: {moves:?}"));
        assert!(
            closure.from == bkd && (2..=3).contains(&closure.week),
            "{name}: {closure:?}"
        );
        let kpis = evaluate(&instance, plan);
        assert_eq!(kpis.moves, 2, "{name}");
        assert_eq!(kpis.occupancy[ori][0], 1, "{name}");
        assert_eq!(
            kpis.occupancy[bkd][1], 1,
            "{name}: held at BKD after his booked move"
        );
        assert!(kpis.occupancy[bkd][3..].iter().all(|&n| n == 0), "{name}");
    }
    let optimal = &planned.optimal.plan;
    assert_eq!(credits(&instance, optimal), 1);
    assert!(moves_of(optimal, 0)
        .iter()
        .any(|m| m.reason == MoveReason::Closure && m.to == tti));
    assert_eq!(evaluate(&instance, optimal).k1.national.home, 1);
}

// ---------------------------------------------------------------------------------------
// Closure moves under escort limits.
// ---------------------------------------------------------------------------------------

/// The local LLI (10 places) closes from week 5; it holds P1 and P2 (released in week 20) and
/// receives a cohort of 2 (released in week 21) in week 5. The local MMI (10 places) is open.
/// At most 2 moves a week.
///
/// The cohort can only leave in week 5, when it arrives (redirected on arrival), and takes
/// both of that week's escorts; P1 and P2 must then leave in weeks 1–4, which the limit
/// allows. So every plan empties LLI from week 5. Optimum: (a) 0, (b) 0, (c) 4 people moved.
/// (Moving P1 and P2 in week 5, as the hand-made plans once did, left the cohort in LLI.)
#[test]
fn closure_moves_under_a_national_limit_make_room_for_a_redirected_cohort() {
    let mut instance = Builder::default()
        .cpa("north")
        .prison("LLI", "north", Local, "BC", 10)
        .prison("MMI", "north", Local, "BC", 10)
        .prisoner("P1", "LLI", None, C, Some(20))
        .prisoner("P2", "LLI", None, C, Some(20))
        .reception(5, "LLI", None, C, Some(21), 2)
        .instance_with(|o| o.max_moves_per_week = Some(2));
    close(&mut instance, "LLI", 5);
    let lli = prison(&instance, "LLI");
    let planned = plans(&instance);
    for (name, plan) in all(&planned) {
        let kpis = evaluate(&instance, plan);
        assert!(
            kpis.occupancy[lli][5..].iter().all(|&n| n == 0),
            "{name}: {:?}",
            plan.moves
        );
        assert_eq!(kpis.moves, 4, "{name}");
        for p in ["P1", "P2"] {
            let moves = moves_of(plan, prisoner(&instance, p));
            assert!(moves.len() == 1 && moves[0].week <= 4, "{name}: {moves:?}");
        }
    }
}

/// The locals AAI and BBI (10 places each) close from week 2; AAI holds P1 (released in
/// week 20), and BBI receives a cohort of 1 (released in week 21) in week 2. The local MMI
/// (10 places) is open. At most 1 move a week nationally, and 1 out of each prison.
///
/// The cohort can only leave in week 2, which takes the week's one escort; P1 may leave in
/// week 1 or 2, so he must go in week 1. Every plan empties both prisons. Optimum: (a) 0,
/// (b) 0, (c) 2. (Moving P1 in week 2, the latest, left the cohort in BBI.)
#[test]
fn closure_moves_under_national_and_prison_limits_empty_both_prisons() {
    let mut instance = Builder::default()
        .cpa("north")
        .prison("AAI", "north", Local, "BC", 10)
        .prison("BBI", "north", Local, "BC", 10)
        .prison("MMI", "north", Local, "BC", 10)
        .prisoner("P1", "AAI", None, C, Some(20))
        .reception(2, "BBI", None, C, Some(21), 1)
        .instance_with(|o| {
            o.max_moves_per_week = Some(1);
            o.max_moves_per_prison_week = Some(1);
        });
    close(&mut instance, "AAI", 2);
    close(&mut instance, "BBI", 2);
    let (aai, bbi) = (prison(&instance, "AAI"), prison(&instance, "BBI"));
    let planned = plans(&instance);
    for (name, plan) in all(&planned) {
        let kpis = evaluate(&instance, plan);
        for i in [aai, bbi] {
            assert!(
                kpis.occupancy[i][2..].iter().all(|&n| n == 0),
                "{name}: {:?}",
                plan.moves
            );
        }
        let p1 = moves_of(plan, prisoner(&instance, "P1"));
        assert!(p1.len() == 1 && p1[0].week == 1, "{name}: {p1:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Receptions redirected home on arrival.
// ---------------------------------------------------------------------------------------

/// The local LLI (10 places) closes from week 3 and receives a cohort of 2 (home north,
/// released in week 5) in week 3: it is redirected on arrival. TTI (a category C trainer,
/// 10 places) is north's resettlement prison; the local MMI (50 places) serves no one.
///
/// The cohort's window began before it arrived (r − W < 0), but its custody starts in week 3,
/// so arriving at TTI in week 3 is arriving by max(d − 7W days, custody start): a home
/// release (§4). Optimum: (a) 0; (b) 2 home releases — both to TTI in week 3, their only
/// week; (c) 2. The status quo and greedy send them to the roomiest prison, MMI (0).
#[test]
fn receptions_redirected_home_on_arrival_are_home_releases() {
    let mut instance = Builder::default()
        .cpa("north")
        .prison("LLI", "north", Local, "BC", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .prison("MMI", "north", Local, "BC", 50)
        .serves("TTI", "north")
        .reception(3, "LLI", Some("north"), C, Some(5), 2)
        .instance();
    close(&mut instance, "LLI", 3);
    let tti = prison(&instance, "TTI");
    let planned = plans(&instance);
    let optimal = &planned.optimal.plan;
    assert_eq!(credits(&instance, optimal), 2, "{:?}", optimal.moves);
    assert!(optimal.moves.iter().all(|m| m.to == tti && m.week == 3));
    assert_eq!(evaluate(&instance, optimal).k1.national.home, 2);
    assert_eq!(credits(&instance, &planned.status_quo), 0);
}
