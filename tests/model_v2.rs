//! The acceptance tests of the planning model v2 (docs/planning-rules.md §4–§5, issue 12): closures,
//! on-track prisoners, escort limits, expected departures, juveniles and K1 within reach, each on a hand-built
//! instance whose optimum is proven in its comment. Every test checks the status quo, the
//! greedy and the optimal plan, and each passes the invariant checks.
//!
//! Shared conventions (tests/common): start S = Monday 1 September 2014, H = 26 weeks, W = 12,
//! first movable week m = 1; a prisoner released in week r is released on its Wednesday and has
//! been in custody, at his current prison, for a year. A move at week t earns a home release
//! when t ≤ r − W; an eligible prisoner with H ≤ r < H + W is on track when he ends the
//! horizon at home having arrived by week r − W.

mod common;

use chrono::Duration;
use common::{check_invariants, Builder};
use resettle::domain::Category::{B, C};
use resettle::domain::Estate::{AdultMale, JuvenileMale};
use resettle::domain::Function::{CatCTrainer, Juvenile, Local};
use resettle::domain::Sentence;
use resettle::planners::baseline::{greedy, status_quo};
use resettle::planners::optimal::{credits, optimise, Optimised};
use resettle::problem::instance::{Instance, Origin};
use resettle::problem::kpi::{evaluate, Kpis, Tally};
use resettle::problem::plan::{Move, MoveReason, Plan};
use resettle::solver::SolverOptions;

/// The three plans of an instance, each checked against the invariants.
struct Plans {
    status_quo: Plan,
    greedy: Plan,
    optimal: Optimised,
}

impl Plans {
    fn of(instance: &Instance) -> Plans {
        let plans = Plans {
            status_quo: status_quo(instance),
            greedy: greedy(instance),
            optimal: optimise(instance, SolverOptions::default()).expect("solves"),
        };
        for (_, plan) in plans.all() {
            check_invariants(instance, plan);
        }
        plans
    }

    /// Each plan with its name, for messages.
    fn all(&self) -> [(&'static str, &Plan); 3] {
        [
            ("status quo", &self.status_quo),
            ("greedy", &self.greedy),
            ("optimal", &self.optimal.plan),
        ]
    }

    fn kpis(&self, instance: &Instance) -> [(&'static str, Kpis); 3] {
        self.all()
            .map(|(name, plan)| (name, evaluate(instance, plan)))
    }
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

/// The mover index of the `k`-th reception cohort.
fn reception(instance: &Instance, k: usize) -> usize {
    instance
        .movers
        .iter()
        .position(|m| m.origin == Origin::Reception(k))
        .expect("a cohort of the instance")
}

fn prison(instance: &Instance, code: &str) -> usize {
    instance
        .prisons()
        .iter()
        .position(|p| p.code.as_str() == code)
        .expect("a prison of the instance")
}

fn moves_of(plan: &Plan, mover: usize) -> Vec<Move> {
    plan.moves
        .iter()
        .filter(|m| m.mover == mover)
        .copied()
        .collect()
}

/// Closes `code` from `week` to the end of the horizon (usable capacity 0) and marks who the
/// closure forces out.
fn close(instance: &mut Instance, code: &str, week: usize) {
    let i = prison(instance, code);
    for capacity in &mut instance.capacity[i][week..] {
        *capacity = 0;
    }
    instance.apply_closures().unwrap();
}

// ---------------------------------------------------------------------------------------
// 1. A closure empties the prison.
// ---------------------------------------------------------------------------------------

/// North's local LLI (categories B and C, 10 places) closes from week 3. It holds R1 (remand,
/// C), D1 (do-not-move, determinate C, home north, released week 20) and A1 (determinate C,
/// home south, released week 30); a remand cohort of 1 is received into it in week 4, and a
/// cohort of 2 (C, home north, released week 40) in week 5. The open prisons: MMI, a local
/// taking remand (category C, 3 places), and TTI, a category C trainer (20 places) that is
/// north's resettlement prison. With `stranded`, LLI also holds S1, an indeterminate
/// category B prisoner with no home CPA, whom no open prison may hold.
fn closing_local(stranded: bool) -> Instance {
    let mut b = Builder::default()
        .cpa("north")
        .cpa("south")
        .prison("LLI", "north", Local, "BC", 10)
        .prison("MMI", "north", Local, "C", 3)
        .prison("TTI", "north", CatCTrainer, "C", 20)
        .serves("TTI", "north")
        .prisoner("R1", "LLI", None, C, None)
        .with(|p| p.sentence = Sentence::Remand)
        .prisoner("D1", "LLI", Some("north"), C, Some(20))
        .with(|p| p.do_not_move = true)
        .prisoner("A1", "LLI", Some("south"), C, Some(30));
    if stranded {
        b = b.prisoner("S1", "LLI", None, B, None);
    }
    let mut instance = b
        .reception(4, "LLI", None, C, None, 1)
        .reception(5, "LLI", Some("north"), C, Some(40), 2)
        .instance();
    close(&mut instance, "LLI", 3);
    instance
}

/// Optimum of `closing_local(false)`:
/// (a) 0 — MMI takes the two remand (2 ≤ 3), TTI everyone else (4 ≤ 20).
/// (b) 1 — the only possible credit is D1's: released in week 20 from TTI, north's
///     resettlement prison, if he arrives by week 8, and his closure move (weeks 1–3) does it.
///     A1's home CPA has no resettlement prison; the week-40 cohort's window opens in week 28,
///     after the horizon (neither a release nor on track); remand is not eligible.
/// (c) 6 — everyone in LLI must leave: R1, D1, A1 by week 3, each cohort on arrival
///     (1 + 1 + 1 + 1 + 2 people), and nobody else need move.
/// In every plan LLI holds nobody from week 3; the remand go to MMI (never to the roomier
/// trainer TTI); D1 is moved despite his hold, with reason `Closure`; the cohorts are
/// redirected in the week they arrive.
#[test]
fn closure_empties_the_prison_remand_and_do_not_move_included() {
    let instance = closing_local(false);
    let plans = Plans::of(&instance);
    let (lli, mmi, tti) = (
        prison(&instance, "LLI"),
        prison(&instance, "MMI"),
        prison(&instance, "TTI"),
    );
    let (r1, d1, a1) = (
        prisoner(&instance, "R1"),
        prisoner(&instance, "D1"),
        prisoner(&instance, "A1"),
    );
    let (remand_cohort, cohort) = (reception(&instance, 0), reception(&instance, 1));
    for (name, plan) in plans.all() {
        let kpis = evaluate(&instance, plan);
        assert!(
            kpis.occupancy[lli][3..].iter().all(|&n| n == 0),
            "{name}: LLI holds {:?} after it closes",
            &kpis.occupancy[lli][3..]
        );
        assert_eq!(kpis.overflow_person_weeks, 0, "{name}");
        assert_eq!(kpis.moves, 6, "{name}: everyone moved once");
        for remand in [r1, remand_cohort] {
            let moves = moves_of(plan, remand);
            assert_eq!(moves.len(), 1, "{name}: {moves:?}");
            assert_eq!(moves[0].to, mmi, "{name}: remand only to a local");
            assert_eq!(moves[0].reason, MoveReason::Closure, "{name}");
        }
        let d1_moves = moves_of(plan, d1);
        assert_eq!(d1_moves.len(), 1, "{name}: {d1_moves:?}");
        assert_eq!(d1_moves[0].reason, MoveReason::Closure, "{name}");
        assert!((1..=3).contains(&d1_moves[0].week), "{name}: {d1_moves:?}");
        let a1_moves = moves_of(plan, a1);
        assert!(a1_moves.len() == 1 && a1_moves[0].week <= 3, "{name}");
        for (mover, week) in [(remand_cohort, 4), (cohort, 5)] {
            let moves = moves_of(plan, mover);
            assert!(
                moves.iter().all(|m| m.week == week && m.from == lli),
                "{name}: a cohort received into a closed prison is redirected on arrival: \
                 {moves:?}"
            );
            let moved: u32 = moves.iter().map(|m| m.count).sum();
            assert_eq!(moved, instance.movers[mover].count, "{name}");
        }
    }
    let optimal = evaluate(&instance, &plans.optimal.plan);
    assert_eq!(moves_of(&plans.optimal.plan, d1)[0].to, tti);
    assert_eq!(
        optimal.k1.national,
        Tally {
            home: 1,
            eligible: 1
        }
    );
    assert_eq!(credits(&instance, &plans.optimal.plan), 1);
    assert_eq!(plans.optimal.report.home_bound, 1.0);
    assert!(credits(&instance, &plans.greedy) <= 1);
}

/// `closing_local(true)`: S1 (category B) may go nowhere (MMI and TTI hold only C), so he stays
/// in the closed LLI from week 3 to the end, 23 person-weeks over its capacity of 0 in every
/// plan — reported as overflow at LLI, not a failure to plan. Everyone else leaves as in the
/// test above, so the optimum is (a) 23, (b) 1, (c) 6.
#[test]
fn closure_with_nowhere_to_go_is_overflow_at_the_closed_prison() {
    let instance = closing_local(true);
    let lli = prison(&instance, "LLI");
    assert!(instance.stranded()[lli][3..].iter().all(|&n| n == 1));
    let plans = Plans::of(&instance);
    let s1 = prisoner(&instance, "S1");
    for (name, kpis) in plans.kpis(&instance) {
        assert!(
            kpis.occupancy[lli][3..].iter().all(|&n| n == 1),
            "{name}: LLI holds only S1 after it closes: {:?}",
            &kpis.occupancy[lli][3..]
        );
        assert_eq!(kpis.overflow_by_prison[lli], 23, "{name}");
        assert_eq!(kpis.overflow_person_weeks, 23, "{name}");
        assert_eq!(kpis.moves, 6, "{name}");
    }
    for (name, plan) in plans.all() {
        assert!(moves_of(plan, s1).is_empty(), "{name}");
    }
    assert_eq!(credits(&instance, &plans.optimal.plan), 1);
}

// ---------------------------------------------------------------------------------------
// 2. No plan moves an on-track prisoner out of his home resettlement prison.
// ---------------------------------------------------------------------------------------

/// North's only resettlement prison RRI has 1 place, held by `resident` (home north, at RRI
/// for a year, released in week `resident_release`); A1 (home north, released in week 20) is
/// at the trainer TTI (10 places) and needs RRI from week 8 at the latest.
fn one_place_at_home(resident_release: i64) -> Instance {
    Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 1)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("P1", "RRI", Some("north"), C, Some(resident_release))
        .prisoner("A1", "TTI", Some("north"), C, Some(20))
        .instance()
}

/// `one_place_at_home(30)`: P1 is released in week 30 ≥ H, his window opens in week 18 < H and
/// he is at home: on track. RRI's one place can serve P1 or A1 in weeks 8–20, not both, and
/// each has only one home prison, so (b) ≤ 1 — reached by moving nobody (P1's credit). A
/// decant of P1 for A1's home release also gives (b) = 1 but costs 2 moves: the optimum is
/// (b) 1 with 0 moves, although K2 (d) would prefer the swap (A1's 12 final weeks at home
/// against P1's 7): (c) comes first. Greedy makes no decants and finds RRI full.
#[test]
fn on_track_prisoner_is_not_decanted_for_a_home_release() {
    let instance = one_place_at_home(30);
    let plans = Plans::of(&instance);
    let p1 = prisoner(&instance, "P1");
    for (name, plan) in plans.all() {
        assert!(
            moves_of(plan, p1).is_empty(),
            "{name}: P1 is on track and stays"
        );
        assert!(plan.moves.is_empty(), "{name}: {:?}", plan.moves);
        let kpis = evaluate(&instance, plan);
        assert_eq!(kpis.on_track, 1, "{name}");
        assert_eq!(
            kpis.k1.national,
            Tally {
                home: 0,
                eligible: 1
            },
            "{name}"
        );
        assert_eq!(credits(&instance, plan), 1, "{name}");
    }
    assert_eq!(plans.optimal.report.home, 1);
    assert_eq!(plans.optimal.report.home_bound, 1.0);
}

/// `one_place_at_home(80)`: P1, released in week 80, is not on track (his window opens in week
/// 68, after the horizon) and can earn nothing, so (b) ≤ 1 (A1's home release), and A1 can
/// only enter RRI if P1 leaves first: optimum (b) 1 with 2 moves, P1's decant (at a week ≤ A1's
/// move) and A1's resettlement move by week 8. Greedy makes no decants: 0; the status quo 0.
#[test]
fn long_sentence_prisoner_is_decanted_for_a_home_release() {
    let instance = one_place_at_home(80);
    let plans = Plans::of(&instance);
    let (p1, a1) = (prisoner(&instance, "P1"), prisoner(&instance, "A1"));
    let optimal = evaluate(&instance, &plans.optimal.plan);
    assert_eq!(
        optimal.k1.national,
        Tally {
            home: 1,
            eligible: 1
        }
    );
    assert_eq!(optimal.on_track, 0);
    assert_eq!(optimal.moves, 2);
    let (decant, resettle) = (
        moves_of(&plans.optimal.plan, p1),
        moves_of(&plans.optimal.plan, a1),
    );
    assert_eq!(decant.len(), 1);
    assert_eq!(resettle.len(), 1);
    assert_eq!(decant[0].reason, MoveReason::Decant);
    assert_eq!(resettle[0].reason, MoveReason::Resettle);
    assert!(decant[0].week <= resettle[0].week && resettle[0].week <= 8);
    assert_eq!(credits(&instance, &plans.greedy), 0);
    assert_eq!(credits(&instance, &plans.status_quo), 0);
}

// ---------------------------------------------------------------------------------------
// 3. Escort limits bind greedy and optimal alike.
// ---------------------------------------------------------------------------------------

/// Moves per week in `plan`.
fn moves_by_week(instance: &Instance, plan: &Plan) -> Vec<u64> {
    evaluate(instance, plan).moves_by_week
}

/// North's resettlement prison RRI has 10 places; A1, A2, A3 (home north, released in week 14)
/// are at the trainer TTI. Each must move in week 1 or 2 (m = 1, r − W = 2). With one move a
/// week nationally only two can: optimum (b) 2 with 2 moves, in weeks 1 and 2; greedy reaches
/// it too; without the limit all three move.
#[test]
fn national_escort_limit_binds_greedy_and_optimal() {
    let build = |limit: Option<u32>| {
        Builder::default()
            .cpa("north")
            .prison("RRI", "north", CatCTrainer, "C", 10)
            .prison("TTI", "north", CatCTrainer, "C", 10)
            .serves("RRI", "north")
            .prisoner("A1", "TTI", Some("north"), C, Some(14))
            .prisoner("A2", "TTI", Some("north"), C, Some(14))
            .prisoner("A3", "TTI", Some("north"), C, Some(14))
            .instance_with(|o| o.max_moves_per_week = limit)
    };
    let instance = build(Some(1));
    let plans = Plans::of(&instance);
    for (name, plan) in [("greedy", &plans.greedy), ("optimal", &plans.optimal.plan)] {
        assert_eq!(credits(&instance, plan), 2, "{name}");
        assert!(
            moves_by_week(&instance, plan).iter().all(|&n| n <= 1),
            "{name}"
        );
    }
    let optimal = evaluate(&instance, &plans.optimal.plan);
    let greedy = evaluate(&instance, &plans.greedy);
    assert_eq!(optimal.overflow_person_weeks, greedy.overflow_person_weeks);
    assert_eq!(optimal.moves, 2);
    assert_eq!(plans.optimal.report.home_bound, 2.0);
    assert_eq!(credits(&instance, &plans.status_quo), 0);

    let unlimited = build(None);
    let plans = Plans::of(&unlimited);
    assert_eq!(credits(&unlimited, &plans.optimal.plan), 3);
    assert_eq!(credits(&unlimited, &plans.greedy), 3);
}

/// A1, A2, A3 at trainer TTI and B1 at trainer UUI, all home north and released in week 13,
/// may each move only in week 1 (m = 1 = r − W) to RRI (10 places). With one move a week out
/// of each prison: at most one from TTI and one from UUI, so optimum (b) 2 with 2 moves, one
/// out of each; greedy the same.
#[test]
fn per_prison_escort_limit_binds_greedy_and_optimal() {
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .prison("UUI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("A1", "TTI", Some("north"), C, Some(13))
        .prisoner("A2", "TTI", Some("north"), C, Some(13))
        .prisoner("A3", "TTI", Some("north"), C, Some(13))
        .prisoner("B1", "UUI", Some("north"), C, Some(13))
        .instance_with(|o| o.max_moves_per_prison_week = Some(1));
    let plans = Plans::of(&instance);
    let (tti, uui) = (prison(&instance, "TTI"), prison(&instance, "UUI"));
    for (name, plan) in [("greedy", &plans.greedy), ("optimal", &plans.optimal.plan)] {
        assert_eq!(credits(&instance, plan), 2, "{name}");
        let mut from: Vec<usize> = plan.moves.iter().map(|m| m.from).collect();
        from.sort();
        assert_eq!(from, [tti, uui], "{name}");
        assert!(plan.moves.iter().all(|m| m.week == 1), "{name}");
    }
    assert_eq!(plans.optimal.report.home_bound, 2.0);
}

/// A booked move of lifer L1 from TTI to UUI in week 1 takes the week's only escort (one move
/// a week nationally). A1 (released week 13) could only move in week 1: he cannot; A2
/// (released week 14) moves in week 2. Optimum (b) 1 with 2 moves (the booked one and A2's);
/// greedy the same; the status quo only the booked move. Were booked moves not counted, A1
/// would move in week 1 and (b) would be 2.
#[test]
fn booked_moves_count_against_the_escort_limit() {
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .prison("UUI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("L1", "TTI", None, C, None)
        .prisoner("A1", "TTI", Some("north"), C, Some(13))
        .prisoner("A2", "TTI", Some("north"), C, Some(14))
        .booked("L1", "UUI", 1)
        .instance_with(|o| o.max_moves_per_week = Some(1));
    let plans = Plans::of(&instance);
    let (a1, a2) = (prisoner(&instance, "A1"), prisoner(&instance, "A2"));
    for (name, plan) in [("greedy", &plans.greedy), ("optimal", &plans.optimal.plan)] {
        assert_eq!(credits(&instance, plan), 1, "{name}");
        assert!(moves_of(plan, a1).is_empty(), "{name}");
        let a2_moves = moves_of(plan, a2);
        assert_eq!(a2_moves.len(), 1, "{name}");
        assert_eq!(a2_moves[0].week, 2, "{name}");
        assert_eq!(plan.moves.len(), 2, "{name}");
    }
    assert_eq!(plans.status_quo.moves.len(), 1);
    assert_eq!(plans.status_quo.moves[0].reason, MoveReason::Booked);
    assert_eq!(plans.optimal.report.home_bound, 1.0);
}

/// RRI (north's resettlement prison, 1 place) is full with lifer L1 (no home CPA); A1 (home
/// north, released week 20) is at TTI. With one move a week, the decant and the resettlement
/// move cannot share a week: L1 leaves in week w1 and A1 enters in week w2 with
/// w1 < w2 ≤ 8. Optimum (b) 1 with 2 moves; greedy (no decants) 0: the optimal plan is above
/// greedy under the same limit, with the same overflow (0).
#[test]
fn optimal_is_not_below_greedy_under_an_escort_limit() {
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 1)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("L1", "RRI", None, C, None)
        .prisoner("A1", "TTI", Some("north"), C, Some(20))
        .instance_with(|o| o.max_moves_per_week = Some(1));
    let plans = Plans::of(&instance);
    let (l1, a1) = (prisoner(&instance, "L1"), prisoner(&instance, "A1"));
    let optimal = evaluate(&instance, &plans.optimal.plan);
    let greedy = evaluate(&instance, &plans.greedy);
    assert_eq!(optimal.overflow_person_weeks, 0);
    assert_eq!(greedy.overflow_person_weeks, 0);
    assert_eq!(credits(&instance, &plans.optimal.plan), 1);
    assert_eq!(credits(&instance, &plans.greedy), 0);
    assert_eq!(optimal.moves, 2);
    let (decant, resettle) = (
        moves_of(&plans.optimal.plan, l1),
        moves_of(&plans.optimal.plan, a1),
    );
    assert_eq!(decant.len(), 1);
    assert_eq!(resettle.len(), 1);
    assert!(decant[0].week < resettle[0].week && resettle[0].week <= 8);
}

/// LLI closes from week 2 holding three lifers L1–L3; TTI (10 places) may hold them; one move a
/// week nationally. By week 2 only two can leave (weeks 1 and 2); the third cannot leave
/// before week 3. The least overflow is 1 person-week (LLI holds him in week 2, he leaves in
/// week 3, the first week with an escort free), as a planner would do it by hand: every plan
/// comes back, within the limit, with that overflow and LLI empty from week 3.
/// (`check_invariants` is not called: it allows a closed prison only its stranded.)
#[test]
fn escort_limit_shorter_than_a_closure_still_gives_a_plan() {
    let mut instance = Builder::default()
        .cpa("north")
        .prison("LLI", "north", Local, "C", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .prisoner("L1", "LLI", None, C, None)
        .prisoner("L2", "LLI", None, C, None)
        .prisoner("L3", "LLI", None, C, None)
        .instance_with(|o| o.max_moves_per_week = Some(1));
    close(&mut instance, "LLI", 2);
    let lli = prison(&instance, "LLI");
    let optimal = optimise(&instance, SolverOptions::default()).expect("a plan comes back");
    for (name, plan) in [
        ("status quo", status_quo(&instance)),
        ("greedy", greedy(&instance)),
        ("optimal", optimal.plan),
    ] {
        let kpis = evaluate(&instance, &plan);
        assert!(kpis.moves_by_week.iter().all(|&n| n <= 1), "{name}");
        assert_eq!(kpis.overflow_person_weeks, 1, "{name}");
        assert!(
            kpis.occupancy[lli][3..].iter().all(|&n| n == 0),
            "{name}: {:?}",
            kpis.occupancy[lli]
        );
        assert_eq!(kpis.moves, 3, "{name}");
    }
}

// ---------------------------------------------------------------------------------------
// 4. An expected departure frees a place that the plan uses.
// ---------------------------------------------------------------------------------------

/// North's resettlement prison RRI, a local with 1 place, holds Q1, on remand (expected to
/// leave in week `departure`, when given); A1 (home north, released week 20) is at the
/// trainer TTI and must enter RRI by week 8.
fn remand_at_home(departure: Option<i64>) -> Instance {
    Builder::default()
        .cpa("north")
        .prison("RRI", "north", Local, "C", 1)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("Q1", "RRI", Some("north"), C, None)
        .with(|p| {
            p.sentence = Sentence::Remand;
            p.expected_release = departure.map(|w| common::start() + Duration::days(7 * w + 2));
        })
        .prisoner("A1", "TTI", Some("north"), C, Some(20))
        .instance()
}

/// A remand cohort of 2 is received into RRI (north's resettlement prison, a local with 2
/// places) in week 1 (expected to leave in week `departure`, when given); A1 and A2 (home
/// north, released week 19) at TTI must enter RRI by week 7 and stay.
fn remand_cohort_at_home(departure: Option<u32>) -> Instance {
    Builder::default()
        .cpa("north")
        .prison("RRI", "north", Local, "C", 2)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("A1", "TTI", Some("north"), C, Some(19))
        .prisoner("A2", "TTI", Some("north"), C, Some(19))
        .reception(1, "RRI", Some("north"), C, None, 2)
        .with_reception(|c| c.expected_release_week = departure)
        .instance()
}

/// `remand_at_home(Some(5))`: Q1 is held up to and including week 5, so RRI is free from
/// week 6. Optimum (b) 1 with 1 move, A1 in week 6, 7 or 8 (by r − W = 8, not before RRI is
/// free); greedy moves him in week 8, where RRI has room; the status quo 0. Occupancy counts
/// Q1 to week 5 in every plan; K1 ignores him.
#[test]
fn expected_departure_of_a_remand_prisoner_frees_a_place() {
    let instance = remand_at_home(Some(5));
    let plans = Plans::of(&instance);
    let rri = prison(&instance, "RRI");
    let a1 = prisoner(&instance, "A1");
    let status_quo = evaluate(&instance, &plans.status_quo);
    assert_eq!(status_quo.occupancy[rri][..6], [1; 6]);
    assert!(status_quo.occupancy[rri][6..].iter().all(|&n| n == 0));
    let moved = moves_of(&plans.optimal.plan, a1);
    assert_eq!(moved.len(), 1);
    assert!((6..=8).contains(&moved[0].week), "{moved:?}");
    assert_eq!(plans.optimal.plan.moves.len(), 1);
    assert_eq!(credits(&instance, &plans.optimal.plan), 1);
    assert_eq!(credits(&instance, &plans.greedy), 1);
    assert_eq!(credits(&instance, &plans.status_quo), 0);
    for (name, kpis) in plans.kpis(&instance) {
        assert_eq!(kpis.k1.national.eligible, 1, "{name}");
    }
}

/// `remand_cohort_at_home(Some(6))`: RRI is full in weeks 1–6 and free from week 7, so both
/// move in week 7 exactly: optimum (b) 2 with 2 moves, and greedy the same.
#[test]
fn expected_departure_of_a_reception_cohort_frees_places() {
    let instance = remand_cohort_at_home(Some(6));
    let plans = Plans::of(&instance);
    let rri = prison(&instance, "RRI");
    let status_quo = evaluate(&instance, &plans.status_quo);
    assert_eq!(status_quo.occupancy[rri][..8], [0, 2, 2, 2, 2, 2, 2, 0]);
    for (name, plan) in [("greedy", &plans.greedy), ("optimal", &plans.optimal.plan)] {
        assert_eq!(credits(&instance, plan), 2, "{name}");
        assert!(
            plan.moves.iter().all(|m| m.week == 7 && m.to == rri),
            "{name}: {:?}",
            plan.moves
        );
    }
}

/// Without the departures, the remand stay in RRI all along and may not be moved, so neither
/// A1 nor A2 can enter it: (b) 0 and no moves in every plan.
#[test]
fn without_expected_departures_the_remand_keep_their_places() {
    for instance in [remand_at_home(None), remand_cohort_at_home(None)] {
        let plans = Plans::of(&instance);
        for (name, plan) in plans.all() {
            assert_eq!(credits(&instance, plan), 0, "{name}");
            assert!(plan.moves.is_empty(), "{name}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// 5. Juveniles are out of the KPIs.
// ---------------------------------------------------------------------------------------

/// The juvenile establishment JJI (juvenile males, no categories) is — against the rules, which
/// do not designate the youth estate, so only the estate can keep them out — designated for
/// north. It holds J1 (home north, released week 20), J2 (week 14) and J3 (week 30, who would
/// be on track), and receives a cohort of 3 (home north, released week 22) in week 2. A1, an
/// adult at RRI (north's resettlement prison), is released home in week 20. The KPIs count A1
/// alone in every plan: K1 1 of 1 (also within reach), K2 12 of 12 person-weeks (weeks 9–20),
/// nobody on track, no juvenile estate in any breakdown. Nobody can gain by moving (A1 is home,
/// the juveniles earn nothing): no plan moves anyone.
#[test]
fn juveniles_never_enter_the_national_kpis() {
    let juvenile = |p: &mut resettle::domain::Prisoner| {
        p.estate = JuvenileMale;
        p.category = None;
    };
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("JJI", "north", Juvenile, "", 10)
        .with_prison(|p| p.estates = vec![JuvenileMale])
        .serves("RRI", "north")
        .serves("JJI", "north")
        .prisoner("A1", "RRI", Some("north"), C, Some(20))
        .prisoner("J1", "JJI", Some("north"), C, Some(20))
        .with(juvenile)
        .prisoner("J2", "JJI", Some("north"), C, Some(14))
        .with(juvenile)
        .prisoner("J3", "JJI", Some("north"), C, Some(30))
        .with(juvenile)
        .reception(2, "JJI", Some("north"), C, Some(22), 3)
        .with_reception(|c| {
            c.estate = JuvenileMale;
            c.category = None;
        })
        .instance();
    assert_eq!(instance.movers.iter().filter(|m| m.eligible).count(), 1);
    let plans = Plans::of(&instance);
    for (name, kpis) in plans.kpis(&instance) {
        assert_eq!(
            kpis.k1.national,
            Tally {
                home: 1,
                eligible: 1
            },
            "{name}"
        );
        assert_eq!(
            kpis.k1_reach.national,
            Tally {
                home: 1,
                eligible: 1
            },
            "{name}"
        );
        assert_eq!(
            kpis.k2.national,
            Tally {
                home: 12,
                eligible: 12
            },
            "{name}"
        );
        assert_eq!(kpis.on_track, 0, "{name}");
        for breakdown in [&kpis.k1, &kpis.k1_reach, &kpis.k2] {
            let estates: Vec<_> = breakdown.by_estate.keys().copied().collect();
            assert_eq!(estates, [AdultMale], "{name}");
        }
        assert_eq!(kpis.moves, 0, "{name}");
    }
    assert_eq!(plans.optimal.report.home_bound, 1.0);
}

// ---------------------------------------------------------------------------------------
// 6. K1 within reach and the on-track count.
// ---------------------------------------------------------------------------------------

/// North's resettlement prison RRI (10 places) and the trainer TTI (10 places); everyone home
/// north, released in the week given. At RRI for a year: E1 (5), E4 (20), O1 (30), O3 (38),
/// O4 (37). At TTI: E2 (12), E3 (13), O2 (30).
///
/// K1 over the horizon counts E1–E4; within reach only r ≥ m + W = 13: E3, E4. On track
/// (H ≤ r < H + W = 38, at home): O1, O4 (O3's window opens in week 26 = H: not counted);
/// O2 too if moved home by week 18.
/// - Status quo: K1 2 of 4 (E1, E4), within reach 1 of 2 (E4), on track 2.
/// - Greedy moves E3 (week 1) but not O2 (released after the horizon): K1 3 of 4, within
///   reach 2 of 2, on track 2.
/// - Optimum: E2 cannot be placed (r − W = 0 < m); everyone else can: (b) ≤ 6 = 3 releases +
///   3 on track, reached by the 2 moves of E3 (week 1) and O2 (by week 18), each needed.
#[test]
fn k1_within_reach_leaves_out_releases_no_plan_can_change() {
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("E1", "RRI", Some("north"), C, Some(5))
        .prisoner("E4", "RRI", Some("north"), C, Some(20))
        .prisoner("O1", "RRI", Some("north"), C, Some(30))
        .prisoner("O3", "RRI", Some("north"), C, Some(38))
        .prisoner("O4", "RRI", Some("north"), C, Some(37))
        .prisoner("E2", "TTI", Some("north"), C, Some(12))
        .prisoner("E3", "TTI", Some("north"), C, Some(13))
        .prisoner("O2", "TTI", Some("north"), C, Some(30))
        .instance();
    let plans = Plans::of(&instance);
    let [(_, status_quo), (_, greedy), (_, optimal)] = plans.kpis(&instance);
    let tally = |home, eligible| Tally { home, eligible };

    assert_eq!(status_quo.k1.national, tally(2, 4));
    assert_eq!(status_quo.k1_reach.national, tally(1, 2));
    assert_eq!(status_quo.on_track, 2);

    assert_eq!(greedy.k1.national, tally(3, 4));
    assert_eq!(greedy.k1_reach.national, tally(2, 2));
    assert_eq!(greedy.on_track, 2);

    assert_eq!(optimal.k1.national, tally(3, 4));
    assert_eq!(optimal.k1_reach.national, tally(2, 2));
    assert_eq!(optimal.on_track, 3);
    assert_eq!(optimal.moves, 2);
    assert_eq!(credits(&instance, &plans.optimal.plan), 6);
    assert_eq!(plans.optimal.report.home_bound, 6.0);
    let o2 = moves_of(&plans.optimal.plan, prisoner(&instance, "O2"));
    assert!(o2.len() == 1 && o2[0].week <= 18);

    for kpis in [&status_quo, &greedy, &optimal] {
        // Within reach by release week: nothing before week 13; E3 in 13, E4 in 20.
        let by_week = &kpis.k1_reach.by_week;
        assert!(by_week[..13].iter().all(|t| t.eligible == 0));
        assert_eq!(by_week[13].eligible + by_week[20].eligible, 2);
        assert_eq!(kpis.k1_reach.by_estate[&AdultMale].eligible, 2);
    }
}
