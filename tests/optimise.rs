//! Hand-built instances whose optimum is proven in the comments, solved by the optimiser and
//! compared with the greedy and status-quo plans. Every plan passes the invariant checks.

mod common;

use common::{capacity_bound_north, check_invariants, Builder};
use resettle::domain::Category::{B, C, D};
use resettle::domain::Function::{CatCTrainer, Local, Open};
use resettle::planners::baseline::{greedy, status_quo};
use resettle::planners::optimal::{optimise, Optimised};
use resettle::problem::instance::Instance;
use resettle::problem::kpi::{evaluate, Kpis};
use resettle::problem::plan::{MoveReason, Plan};
use resettle::solver::SolverOptions;

struct Solved {
    optimal: Optimised,
    optimal_kpis: Kpis,
    greedy_kpis: Kpis,
    status_quo_kpis: Kpis,
}

/// Solves an instance three ways, checking the invariants of each plan.
fn solve(instance: &Instance) -> Solved {
    let optimal = optimise(instance, SolverOptions::default()).expect("solves");
    let greedy = greedy(instance);
    for plan in [&optimal.plan, &greedy, &status_quo(instance)] {
        check_invariants(instance, plan);
    }
    Solved {
        optimal_kpis: evaluate(instance, &optimal.plan),
        greedy_kpis: evaluate(instance, &greedy),
        status_quo_kpis: evaluate(instance, &status_quo(instance)),
        optimal,
    }
}

fn reasons(plan: &Plan) -> Vec<MoveReason> {
    plan.moves.iter().map(|m| m.reason).collect()
}

/// North's only resettlement prison R has 3 places, one taken by a do-not-move lifer. Four
/// north prisoners at trainer T release in weeks 14–17; each must be in R from week r − 12
/// (2..5) until r (14..17), so all four would be there in weeks 5–14: at most 2 fit.
/// Optimum: 2 home releases with 2 moves.
#[test]
fn capacity_bound_cpa_releases_as_many_as_fit() {
    let instance = capacity_bound_north();
    let s = solve(&instance);
    assert_eq!(s.optimal_kpis.k1.national.home, 2);
    assert_eq!(s.optimal_kpis.k1.national.eligible, 4);
    assert_eq!(s.optimal_kpis.moves, 2);
    assert_eq!(s.optimal_kpis.overflow_person_weeks, 0);
    assert_eq!(s.optimal.report.home_bound, 2.0);
    assert_eq!(s.optimal.report.gap, 0.0);
    assert_eq!(s.greedy_kpis.k1.national.home, 2);
    assert_eq!(s.status_quo_kpis.k1.national.home, 0);
}

/// R (2 places) is full of two lifers; the north prisoner at T releases in week 20. Only by
/// decanting a lifer to T (1 move) can he enter R by week 8 (1 move): optimum 1 home release
/// with exactly 2 moves, one of them a decant. Greedy makes no decants, so it gets 0.
#[test]
fn decant_frees_a_place_for_a_prisoner_nearing_release() {
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 2)
        .prison("TTI", "north", CatCTrainer, "C", 5)
        .serves("RRI", "north")
        .prisoner("L1", "RRI", Some("north"), C, None)
        .prisoner("L2", "RRI", Some("north"), C, None)
        .prisoner("A1", "TTI", Some("north"), C, Some(20))
        .instance();
    let s = solve(&instance);
    assert_eq!(s.optimal_kpis.k1.national.home, 1);
    assert_eq!(s.optimal_kpis.moves, 2);
    let mut r = reasons(&s.optimal.plan);
    r.sort();
    assert_eq!(r, [MoveReason::Resettle, MoveReason::Decant]);
    let decant = s
        .optimal
        .plan
        .moves
        .iter()
        .find(|m| m.reason == MoveReason::Decant)
        .unwrap();
    let resettle = s
        .optimal
        .plan
        .moves
        .iter()
        .find(|m| m.reason == MoveReason::Resettle)
        .unwrap();
    assert!(decant.week <= resettle.week && resettle.week <= 8);
    assert_eq!(s.greedy_kpis.k1.national.home, 0);
}

/// Open prison O (2 places, category D) serves east and west; one D prisoner of each
/// releases in weeks 14 and 15, and one from south (not served by O) in week 14. O holds both
/// served prisoners at once: optimum 2 home releases of 3 eligible, 2 moves.
#[test]
fn open_prison_shared_by_two_cpas_takes_both() {
    let instance = Builder::default()
        .cpa("east")
        .cpa("west")
        .cpa("south")
        .prison("OOI", "east", Open, "D", 2)
        .prison("TTI", "south", CatCTrainer, "CD", 10)
        .serves("OOI", "east")
        .serves("OOI", "west")
        .prisoner("E1", "TTI", Some("east"), D, Some(14))
        .prisoner("W1", "TTI", Some("west"), D, Some(15))
        .prisoner("S1", "TTI", Some("south"), D, Some(14))
        .instance();
    let s = solve(&instance);
    assert_eq!(s.optimal_kpis.k1.national.home, 2);
    assert_eq!(s.optimal_kpis.k1.national.eligible, 3);
    assert_eq!(s.optimal_kpis.moves, 2);
    assert_eq!(s.greedy_kpis.k1.national.home, 2);
}

/// The home CPA's only resettlement prison holds category C; a category B prisoner cannot
/// be placed there: no move, 0 home releases (nothing is suitable).
#[test]
fn category_with_no_home_prison_is_not_moved() {
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("LLI", "north", Local, "BC", 10)
        .serves("RRI", "north")
        .prisoner("B1", "LLI", Some("north"), B, Some(20))
        .instance();
    let s = solve(&instance);
    assert_eq!(s.optimal_kpis.k1.national.home, 0);
    assert_eq!(s.optimal_kpis.k1.national.eligible, 1);
    assert!(s.optimal.plan.moves.is_empty());
}

/// Released in week 10: a move at the first movable week (1) arrives 9 weeks before release,
/// under the 12-week window, so no move can earn a home release and none is made.
#[test]
fn release_inside_the_window_gets_no_move() {
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("A1", "TTI", Some("north"), C, Some(10))
        .instance();
    let s = solve(&instance);
    assert_eq!(s.optimal_kpis.k1.national.home, 0);
    assert!(s.optimal.plan.moves.is_empty());
    assert!(s.greedy_kpis.moves == 0);
}

/// A booked move to R at week 2 for a week-20 release is kept as given by every plan, the
/// status quo included (docs/planning-rules.md §5), and earns the home release; the optimiser moves nobody
/// else (the other prisoner releases in week 5).
#[test]
fn booked_move_is_kept_and_counts() {
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("A1", "TTI", Some("north"), C, Some(20))
        .prisoner("A2", "TTI", Some("north"), C, Some(5))
        .booked("A1", "RRI", 2)
        .instance();
    let s = solve(&instance);
    assert_eq!(s.optimal.plan.moves.len(), 1);
    let booked = s.optimal.plan.moves[0];
    assert_eq!((booked.reason, booked.week), (MoveReason::Booked, 2));
    assert_eq!(s.optimal_kpis.k1.national.home, 1);
    assert_eq!(s.greedy_kpis.k1.national.home, 1);
    assert_eq!(s.status_quo_kpis.k1.national.home, 1);
}

/// R loses all its places from week 5 (a closure): its two lifers must leave by week 5
/// (docs/planning-rules.md §5 rule 2). T has room for one, U for one: optimum 0 overflow with 2 closure
/// moves. With U closed too (0 places), both must go to T, which overflows by one from week
/// 5 to 25: 21 person-weeks; R is empty from week 5 in every plan.
#[test]
fn closure_moves_everyone_out_or_reports_overflow() {
    let build = |room_at_u: u32| {
        let mut instance = Builder::default()
            .cpa("north")
            .prison("RRI", "north", CatCTrainer, "C", 2)
            .prison("TTI", "north", CatCTrainer, "C", 1)
            .prison("UUI", "north", CatCTrainer, "C", room_at_u)
            .prisoner("L1", "RRI", Some("north"), C, None)
            .prisoner("L2", "RRI", Some("north"), C, None)
            .instance();
        for week in 5..26 {
            instance.capacity[0][week] = 0;
        }
        instance.apply_closures().unwrap();
        instance
    };
    let s = solve(&build(1));
    assert_eq!(s.optimal_kpis.overflow_person_weeks, 0);
    assert_eq!(
        reasons(&s.optimal.plan),
        [MoveReason::Closure, MoveReason::Closure]
    );
    assert!(s.optimal.plan.moves.iter().all(|m| m.week <= 5));
    for kpis in [&s.status_quo_kpis, &s.greedy_kpis, &s.optimal_kpis] {
        assert!(kpis.occupancy[0][5..].iter().all(|&n| n == 0));
    }
    assert_eq!(s.status_quo_kpis.overflow_person_weeks, 0);

    let s = solve(&build(0));
    assert_eq!(s.optimal_kpis.overflow_person_weeks, 21);
    assert_eq!(s.optimal_kpis.moves, 2);
    assert!(s.optimal_kpis.occupancy[0][5..].iter().all(|&n| n == 0));
}

/// A reception cohort of 3 arriving in week 1 at a local of another CPA, released in week 20,
/// can enter home prison R (2 places) from week 2 to week 8: optimum 2 home releases.
#[test]
fn reception_cohorts_are_moved_in_part() {
    let instance = Builder::default()
        .cpa("north")
        .cpa("south")
        .prison("RRI", "north", CatCTrainer, "C", 2)
        .prison("LLI", "south", Local, "BC", 10)
        .serves("RRI", "north")
        .serves("LLI", "south")
        .reception(1, "LLI", Some("north"), C, Some(20), 3)
        .instance();
    let s = solve(&instance);
    assert_eq!(s.optimal_kpis.k1.national.home, 2);
    assert_eq!(s.optimal_kpis.k1.national.eligible, 3);
    assert_eq!(s.optimal_kpis.moves, 2);
    assert!(s
        .optimal
        .plan
        .moves
        .iter()
        .all(|m| (2..=8).contains(&m.week)));
    assert_eq!(s.greedy_kpis.k1.national.home, 2);
}

/// The same instance solved twice gives the same plan.
#[test]
fn optimal_plan_is_deterministic() {
    let build = || {
        Builder::default()
            .cpa("north")
            .prison("RRI", "north", CatCTrainer, "C", 3)
            .prison("TTI", "north", CatCTrainer, "C", 10)
            .serves("RRI", "north")
            .prisoner("A1", "TTI", Some("north"), C, Some(14))
            .prisoner("A2", "TTI", Some("north"), C, Some(14))
            .prisoner("A3", "TTI", Some("north"), C, Some(14))
            .prisoner("A4", "TTI", Some("north"), C, Some(14))
            .instance()
    };
    let a = optimise(&build(), SolverOptions::default()).unwrap().plan;
    let b = optimise(&build(), SolverOptions::default()).unwrap().plan;
    assert_eq!(a, b);
    // Ties are broken by prisoner id: the first three by id move.
    let moved: Vec<usize> = a.moves.iter().map(|m| m.mover).collect();
    assert_eq!(moved, [0, 1, 2]);
}
