//! The marginal value of a place: ranked from the capacity rows' duals, it points at the
//! prisons where more places raise the optimal K1, and away from those where they do not.

mod common;

use common::{capacity_bound_north, Builder};
use resettle::instance::Instance;
use resettle::kpi::evaluate;
use resettle::marginal::{marginal_value_csv, ranked, summary_line};
use resettle::model::Category::C;
use resettle::model::Function::CatCTrainer;
use resettle::optimise::optimise;
use resettle::solver::SolverOptions;

/// The capacity-bound CPA of tests/optimise.rs: 2 of the 4 fit in RRI. A third place in RRI
/// takes a third of them home; places at TTI, which serves nobody, change nothing.
fn instance() -> Instance {
    capacity_bound_north()
}

/// The optimal plan's home releases.
fn home_releases(instance: &Instance) -> u64 {
    let optimal = optimise(instance, SolverOptions::default()).expect("solves");
    evaluate(instance, &optimal.plan).k1.national.home
}

/// The instance with `places` more places at `prison` in every week.
fn with_places(instance: &Instance, prison: usize, places: u32) -> Instance {
    let mut more = instance.clone();
    for capacity in &mut more.capacity[prison] {
        *capacity += places;
    }
    more
}

#[test]
fn places_at_the_top_ranked_prison_raise_k1_and_places_of_no_value_do_not() {
    let instance = instance();
    let optimal = optimise(&instance, SolverOptions::default()).expect("solves");
    let ranking = ranked(&instance, &optimal.report);
    let (top, last) = (&ranking[0], &ranking[ranking.len() - 1]);
    assert_eq!(instance.prisons()[top.prison].code.as_str(), "RRI");
    assert!(top.value > 0.0, "{ranking:?}");
    assert_eq!(instance.prisons()[last.prison].code.as_str(), "TTI");
    assert_eq!(last.value, 0.0, "{ranking:?}");

    let base = home_releases(&instance);
    assert_eq!(base, 2);
    assert!(home_releases(&with_places(&instance, top.prison, 1)) > base);
    assert_eq!(
        home_releases(&with_places(&instance, last.prison, 10)),
        base
    );
}

#[test]
fn the_file_ranks_every_prison_and_the_summary_names_those_worth_a_place() {
    let instance = instance();
    let optimal = optimise(&instance, SolverOptions::default()).expect("solves");
    let ranking = ranked(&instance, &optimal.report);
    let csv = String::from_utf8(marginal_value_csv(&instance, &ranking)).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "rank,prison,name,cpa,function,marginal_value,overflow_relief"
    );
    assert!(
        lines[1].starts_with("1,RRI,RRI,north,cat_c_trainer,"),
        "{csv}"
    );
    assert_eq!(lines[2], "2,TTI,TTI,north,cat_c_trainer,0.0000,0.0000");
    assert_eq!(lines.len(), 3);
    let line = summary_line(&instance, &optimal.report);
    assert!(line.contains(": RRI "), "{line}");
    assert!(!line.contains("TTI"), "{line}");
}

/// Prison F has 1 place and holds two do-not-move lifers: one person-week of overflow in each
/// of the horizon's weeks, whatever the plan. A place at F avoids all of it (one person-week
/// per week); a place at G, which has room, avoids none.
#[test]
fn a_place_where_the_estate_overflows_is_ranked_by_the_overflow_it_avoids() {
    let instance = Builder::default()
        .cpa("north")
        .prison("FFI", "north", CatCTrainer, "C", 1)
        .prison("GGI", "north", CatCTrainer, "C", 5)
        .prisoner("L1", "FFI", Some("north"), C, None)
        .with(|p| p.do_not_move = true)
        .prisoner("L2", "FFI", Some("north"), C, None)
        .with(|p| p.do_not_move = true)
        .instance();
    let optimal = optimise(&instance, SolverOptions::default()).expect("solves");
    let ranking = ranked(&instance, &optimal.report);
    let horizon = f64::from(instance.options.horizon);
    assert_eq!(instance.prisons()[ranking[0].prison].code.as_str(), "FFI");
    assert_eq!(ranking[0].value, 0.0);
    assert_eq!(ranking[0].overflow_relief, horizon);
    assert_eq!(ranking[1].overflow_relief, 0.0);
    let line = summary_line(&instance, &optimal.report);
    assert!(
        line.contains(&format!("FFI +0.00 home, -{horizon:.2} overflow")),
        "{line}"
    );
    assert!(!line.contains("GGI"), "{line}");
}
