//! The KPI definitions of docs/planning-rules.md §4 at their edges: the 84-day rule, custody start for
//! short custody, suitability, eligibility, the final-twelve-weeks stock measure.

mod common;

use chrono::Duration;
use common::{start, Builder};
use resettle::domain::Category::{B, C};
use resettle::domain::Function::CatCTrainer;
use resettle::problem::kpi::evaluate;
use resettle::problem::plan::{Move, MoveReason, Plan};

fn estate() -> Builder {
    Builder::default()
        .cpa("north")
        .cpa("south")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("TTI", "south", CatCTrainer, "BC", 10)
        .serves("RRI", "north")
}

/// Released on the Wednesday of week 20 (day 142): arrival on day 142 − 84 = 58 or earlier
/// counts; day 59 does not.
#[test]
fn arrival_must_be_84_days_before_release() {
    let instance = estate()
        .prisoner("ON", "RRI", Some("north"), C, Some(20))
        .with(|p| p.arrived = start() + Duration::days(58) - Duration::days(365))
        .prisoner("LATE", "RRI", Some("north"), C, Some(20))
        .with(|p| {
            p.custody_start = start() - Duration::days(10);
            p.arrived = start();
        })
        .instance();
    // Both arrived before the start: the first a year before, the second on the start date
    // (day 0 ≤ 58), so both count.
    let kpis = evaluate(&instance, &Plan::default());
    assert_eq!(kpis.k1.national.home, 2);

    // A planned move arrives on the first day of its week: week 8 is day 56 ≤ 58 (counts),
    // week 9 is day 63 > 58 (does not).
    let mover = |week| Move {
        mover: 0,
        count: 1,
        from: 1,
        to: 0,
        week,
        reason: MoveReason::Resettle,
    };
    let instance = estate()
        .prisoner("A", "TTI", Some("north"), C, Some(20))
        .instance();
    assert_eq!(
        evaluate(&instance, &Plan::new(vec![mover(8)]))
            .k1
            .national
            .home,
        1
    );
    assert_eq!(
        evaluate(&instance, &Plan::new(vec![mover(9)]))
            .k1
            .national
            .home,
        0
    );
}

/// With custody shorter than 84 days, the rule is arrival at custody start: received
/// straight into the home prison counts, a later arrival does not.
#[test]
fn short_custody_counts_from_custody_start() {
    let instance = estate()
        .prisoner("DIRECT", "RRI", Some("north"), C, Some(3))
        .with(|p| {
            p.custody_start = start() - Duration::days(20);
            p.arrived = p.custody_start;
        })
        .prisoner("MOVED", "RRI", Some("north"), C, Some(3))
        .with(|p| {
            p.custody_start = start() - Duration::days(20);
            p.arrived = start() - Duration::days(10);
        })
        .instance();
    let kpis = evaluate(&instance, &Plan::default());
    assert_eq!(kpis.k1.national.home, 1);
    assert_eq!(kpis.k1.national.eligible, 2);
}

/// Removal cases and prisoners with no known home CPA are not eligible; a prisoner held in a
/// home prison that does not hold his category is not a home release.
#[test]
fn eligibility_and_suitability() {
    let instance = estate()
        .prisoner("REMOVE", "RRI", Some("north"), C, Some(20))
        .with(|p| p.removal = true)
        .prisoner("NOHOME", "RRI", None, C, Some(20))
        .prisoner("CATB", "RRI", Some("north"), B, Some(20))
        .prisoner("AFTER", "RRI", Some("north"), C, Some(26))
        .instance();
    let kpis = evaluate(&instance, &Plan::default());
    assert_eq!(
        kpis.k1.national.eligible, 1,
        "only CATB: AFTER releases after the horizon"
    );
    assert_eq!(kpis.k1.national.home, 0, "RRI does not hold category B");
}

/// K2 counts the final twelve weeks: a release in week 20 is counted in weeks 9..=20 (12
/// weeks), and held at home throughout here.
#[test]
fn stock_measure_counts_the_final_twelve_weeks() {
    let instance = estate()
        .prisoner("HOME", "RRI", Some("north"), C, Some(20))
        .prisoner("AWAY", "TTI", Some("north"), C, Some(30))
        .instance();
    let kpis = evaluate(&instance, &Plan::default());
    // HOME: weeks 9..=20; AWAY (release week 30): weeks 19..=25 of the horizon.
    assert_eq!(kpis.k2.national.eligible, 12 + 7);
    assert_eq!(kpis.k2.national.home, 12);
    assert_eq!(kpis.k2.by_week[9].eligible, 1);
    assert_eq!(kpis.k2.by_week[8].eligible, 0);
    assert_eq!(kpis.k2.by_week[19].eligible, 2);
}

/// Capacity is counted at the start of each week; a prisoner released in week r still counts
/// in week r. Overflow is the excess, in person-weeks.
#[test]
fn occupancy_counts_the_release_week_and_overflow_is_the_excess() {
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 1)
        .prisoner("A", "RRI", Some("north"), C, Some(2))
        .prisoner("B", "RRI", Some("north"), C, Some(4))
        .instance();
    let kpis = evaluate(&instance, &Plan::default());
    assert_eq!(&kpis.occupancy[0][..6], &[2, 2, 2, 1, 1, 0]);
    assert_eq!(kpis.overflow_person_weeks, 3);
}
