//! The max-flow/min-cut bound on K2 per week: on a hand-built estate whose cut is proven in
//! the comments, the bound, the cut, the file and the summary.

mod common;

use common::Builder;
use resettle::analysis::bottleneck::{analyse, short_cpas, summary_line, Bound};
use resettle::domain::Category::{C, D};
use resettle::domain::Function::{CatCTrainer, Open};
use resettle::output::bottlenecks_csv;
use resettle::problem::instance::Instance;

/// North: resettlement prison RRI (3 places, one held by a do-not-move lifer: room 2) and the
/// open prison OOI (1 place), which serves north and south; south: SSI (2 places, one held by
/// a lifer a plan may decant: room 2). Trainer TTI serves nobody. Everyone else is at TTI and
/// releases in week 10, so is in his final window in weeks 0–10:
/// - north: four C prisoners (only RRI holds them: 2 fit), two D (only OOI: 1 fits) and a
///   do-not-move C prisoner (never home): demand 7, at most 3 home — 42.9%, cut {OOI, RRI};
/// - south: two C prisoners, both fit in SSI: 100%, no cut.
///
/// Nationally 9 in demand, at most 5 home, with the same cut. Week 0 is being executed (no
/// moves yet): nobody is home.
fn instance() -> Instance {
    Builder::default()
        .cpa("north")
        .cpa("south")
        .prison("RRI", "north", CatCTrainer, "C", 3)
        .prison("OOI", "north", Open, "D", 1)
        .prison("SSI", "south", CatCTrainer, "C", 2)
        .prison("TTI", "south", CatCTrainer, "CD", 50)
        .serves("RRI", "north")
        .serves("OOI", "north")
        .serves("OOI", "south")
        .serves("SSI", "south")
        .prisoner("L1", "RRI", Some("north"), C, None)
        .with(|p| p.do_not_move = true)
        .prisoner("L2", "SSI", Some("south"), C, None)
        .prisoner("N1", "TTI", Some("north"), C, Some(10))
        .prisoner("N2", "TTI", Some("north"), C, Some(10))
        .prisoner("N3", "TTI", Some("north"), C, Some(10))
        .prisoner("N4", "TTI", Some("north"), C, Some(10))
        .prisoner("N5", "TTI", Some("north"), D, Some(10))
        .prisoner("N6", "TTI", Some("north"), D, Some(10))
        .prisoner("N7", "TTI", Some("north"), C, Some(10))
        .with(|p| p.do_not_move = true)
        .prisoner("S1", "TTI", Some("south"), C, Some(10))
        .prisoner("S2", "TTI", Some("south"), C, Some(10))
        .instance()
}

fn bound(bounds: &[Bound], week: u32, cpa: Option<usize>) -> &Bound {
    bounds
        .iter()
        .find(|b| b.week == week && b.cpa == cpa)
        .expect("a bound per week and CPA")
}

fn codes(instance: &Instance, prisons: &[usize]) -> Vec<String> {
    prisons
        .iter()
        .map(|&j| instance.prisons()[j].code.to_string())
        .collect()
}

#[test]
fn the_bound_and_the_cut_are_those_proven_by_hand() {
    let instance = instance();
    let bounds = analyse(&instance);
    assert_eq!(bounds.len(), 26 * 3, "per week: the nation and each CPA");
    for week in 1..=10 {
        let north = bound(&bounds, week, Some(0));
        assert_eq!((north.demand, north.reachable), (7, 3), "week {week}");
        assert_eq!(codes(&instance, &north.cut), ["OOI", "RRI"]);
        assert!(north.below_target());
        let south = bound(&bounds, week, Some(1));
        assert_eq!((south.demand, south.reachable), (2, 2));
        assert!(south.cut.is_empty() && !south.below_target());
        let national = bound(&bounds, week, None);
        assert_eq!((national.demand, national.reachable), (9, 5));
        assert_eq!(codes(&instance, &national.cut), ["OOI", "RRI"]);
    }
    let before_moves = bound(&bounds, 0, Some(0));
    assert_eq!((before_moves.demand, before_moves.reachable), (7, 0));
    let after_release = bound(&bounds, 11, Some(0));
    assert_eq!(after_release.demand, 0);
    assert_eq!(after_release.share(), None);
    assert!(!after_release.below_target());
}

#[test]
fn a_place_in_the_cut_raises_the_bound_and_a_place_outside_it_does_not() {
    let instance = instance();
    let reach = |instance: &Instance| bound(&analyse(instance), 5, Some(0)).reachable;
    let with_place = |code: &str| {
        let mut more = instance.clone();
        let j = instance
            .prisons()
            .iter()
            .position(|p| p.code.as_str() == code)
            .unwrap();
        for capacity in &mut more.capacity[j] {
            *capacity += 1;
        }
        more
    };
    assert_eq!(reach(&instance), 3);
    assert_eq!(reach(&with_place("RRI")), 4);
    assert_eq!(reach(&with_place("OOI")), 4);
    assert_eq!(reach(&with_place("SSI")), 3);
    assert_eq!(reach(&with_place("TTI")), 3);
}

#[test]
fn the_file_and_the_summary_name_the_cpa_and_its_cut() {
    let instance = instance();
    let bounds = analyse(&instance);
    let csv = String::from_utf8(bottlenecks_csv(&instance, &bounds)).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "week,date,cpa,demand,reachable,share,below_80,cut_prisons"
    );
    assert_eq!(lines[1], "0,2014-09-01,national,9,0,0.0000,true,");
    assert_eq!(lines[4], "1,2014-09-08,national,9,5,0.5556,true,OOI;RRI");
    assert_eq!(lines[5], "1,2014-09-08,north,7,3,0.4286,true,OOI;RRI");
    assert_eq!(lines[6], "1,2014-09-08,south,2,2,1.0000,false,");
    assert_eq!(lines[35], "11,2014-11-17,north,0,0,,false,");

    // Week 0 is left out of the summary: nobody can have moved yet.
    let short = short_cpas(&instance, &bounds);
    assert_eq!(short.len(), 1);
    assert_eq!(short[0].cpa, "north");
    assert_eq!(short[0].weeks_below, 10);
    assert_eq!((short[0].lowest_share, short[0].lowest_week), (0.4286, 1));
    let line = summary_line(&instance, &bounds);
    assert!(
        line.ends_with("north: 10 week(s), at worst 42.9% (week 1); cut OOI, RRI"),
        "{line}"
    );
}
