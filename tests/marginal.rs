//! The marginal value of a place: predicted from the LP's duals (the capacity rows' and the
//! held rows' together), confirmed by re-solving with 10 more places, and right on instances
//! whose values are proven by hand.

mod common;

use assert_cmd::Command;
use common::Builder;
use resettle::analysis::marginal::{assess, summary, MarginalValue, Resolved, PLACES};
use resettle::domain::Category::C;
use resettle::domain::Function::CatCTrainer;
use resettle::output::marginal_value_csv;
use resettle::planners::optimal::optimise;
use resettle::problem::instance::Instance;
use resettle::problem::kpi::evaluate;
use resettle::solver::SolverOptions;
use std::time::Instant;

/// North's only resettlement prison RRI has `places` places, 3 of them taken by do-not-move
/// lifers. Twelve north prisoners at the trainer TTI (20 places, serving nobody) are released
/// in weeks 14–17, three a week. FFI (1 place) holds two more do-not-move lifers.
///
/// Overflow: FFI is one over in each of the 26 weeks whatever the plan (its lifers cannot
/// move), and an optimal plan overflows nowhere else: 26 person-weeks. A place at FFI avoids
/// one a week, 26 per place; 10 places avoid all 26. Places elsewhere avoid none.
///
/// (b): a home release needs RRI in weeks r − 12 … r, which for r in 14–17 all contain week
/// 5. With c places RRI holds its 3 lifers and at most c − 3 others in week 5, so at most
/// c − 3 home releases; moving any c − 3 of the twelve to RRI in week 1 reaches it (nobody
/// else is there before his release). So (b) = min(c − 3, 12): exactly 1 more for each of
/// the first 12 − (c − 3) places at RRI, 10 more for 10 places while c ≤ 5. Places at FFI or
/// TTI (not resettlement prisons of north) add none: FFI's first takes one of its own lifers.
fn north(places: u32) -> Instance {
    let mut builder = Builder::default()
        .cpa("north")
        .prison("FFI", "north", CatCTrainer, "C", 1)
        .prison("RRI", "north", CatCTrainer, "C", places)
        .prison("TTI", "north", CatCTrainer, "C", 20)
        .serves("RRI", "north");
    let lifers = [
        ("F1", "FFI"),
        ("F2", "FFI"),
        ("L1", "RRI"),
        ("L2", "RRI"),
        ("L3", "RRI"),
    ];
    for (id, prison) in lifers {
        builder = builder
            .prisoner(id, prison, Some("north"), C, None)
            .with(|p| p.do_not_move = true);
    }
    for k in 0..12 {
        let id = format!("A{k:02}");
        builder = builder.prisoner(&id, "TTI", Some("north"), C, Some(14 + k / 3));
    }
    builder.instance()
}

/// [`north`] with 5 places at RRI: 2 home releases.
fn short_north() -> Instance {
    north(5)
}

/// The marginal values of `instance`, the first `confirm` re-solved.
fn values(instance: &Instance, confirm: usize) -> Vec<MarginalValue> {
    let optimal = optimise(instance, SolverOptions::default()).expect("solves");
    assess(
        instance,
        &optimal.report,
        confirm,
        SolverOptions::default(),
        &mut |_| {},
    )
}

/// The value of the prison with `code`.
fn of<'a>(instance: &Instance, values: &'a [MarginalValue], code: &str) -> &'a MarginalValue {
    values
        .iter()
        .find(|m| instance.prisons()[m.prison].code.as_str() == code)
        .expect("a prison of the instance")
}

/// A re-solve that reached its optimum, with its changes in (b) and overflow avoided.
fn solved(home: f64, overflow_relief: f64) -> Option<Resolved> {
    Some(Resolved {
        places: PLACES,
        status: "solved",
        home: Some(home),
        overflow_relief: Some(overflow_relief),
    })
}

/// The optimal plan's home releases.
fn home_releases(instance: &Instance) -> u64 {
    let optimal = optimise(instance, SolverOptions::default()).expect("solves");
    evaluate(instance, &optimal.plan).k1.national.home
}

/// The instance with `places` more places at `code` in every week.
fn with_places(instance: &Instance, code: &str, places: u32) -> Instance {
    let prison = instance
        .prisons()
        .iter()
        .position(|p| p.code.as_str() == code)
        .unwrap();
    let mut more = instance.clone();
    for capacity in &mut more.capacity[prison] {
        *capacity += places;
    }
    more
}

#[test]
fn a_place_where_home_places_are_short_adds_one_home_release_and_the_re_solve_agrees() {
    let instance = short_north();
    let values = values(&instance, 3);
    let rri = of(&instance, &values, "RRI");
    assert_eq!(rri.prison, values[0].prison, "ranked first: {values:?}");
    assert_eq!((rri.value, rri.overflow_relief), (1.0, 0.0), "{values:?}");
    assert_eq!(rri.resolved, solved(10.0, 0.0));
    // The plans themselves: one more place, one more home release.
    assert_eq!(home_releases(&instance), 2);
    assert_eq!(home_releases(&with_places(&instance, "RRI", 1)), 3);
}

/// With RRI full (its 3 places taken by the lifers) the home-release stage is degenerate:
/// nothing moves into RRI, every capacity row of RRI is tight, and its duals are not
/// unique (the rate they give may overstate: a place in one week is priced as the overflow
/// person-week it would save, which only the held row's slack can buy). The re-solve is the
/// check: 10 places, exactly 10 home releases.
#[test]
fn where_the_duals_are_degenerate_the_re_solve_gives_the_change() {
    let instance = north(3);
    let values = values(&instance, 3);
    assert_eq!(of(&instance, &values, "RRI").resolved, solved(10.0, 0.0));
    assert_eq!(home_releases(&instance), 0);
    assert_eq!(home_releases(&with_places(&instance, "RRI", 10)), 10);
}

/// The capacity duals of the home-release stage price a place at FFI at the held overflow
/// row's dual, week after week (above 0: one more person-week of overflow allowed would move
/// a prisoner to RRI a little): read alone they say a place at FFI gains home releases.
#[test]
fn a_place_where_the_estate_overflows_avoids_overflow_and_adds_no_home_release() {
    let instance = short_north();
    let values = values(&instance, 3);
    let horizon = f64::from(instance.options.horizon);
    let ffi = of(&instance, &values, "FFI");
    assert_eq!(
        (ffi.value, ffi.overflow_relief),
        (0.0, horizon),
        "{values:?}"
    );
    // Ten places avoid all of it: the rate holds for the first place only.
    assert_eq!(ffi.resolved, solved(0.0, horizon));
    assert_eq!(values[1].prison, ffi.prison, "{values:?}");
}

#[test]
fn a_place_where_the_estate_is_not_short_is_worth_nothing() {
    let instance = short_north();
    let values = values(&instance, 3);
    let tti = of(&instance, &values, "TTI");
    assert_eq!((tti.value, tti.overflow_relief), (0.0, 0.0), "{values:?}");
    assert_eq!(tti.resolved, solved(0.0, 0.0));
    assert_eq!(
        home_releases(&with_places(&instance, "TTI", 10)),
        home_releases(&instance)
    );
}

#[test]
fn the_file_and_the_summary_show_the_prediction_beside_the_re_solve() {
    let instance = short_north();
    let values = values(&instance, 2);
    let csv = String::from_utf8(marginal_value_csv(&instance, &values)).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "rank,prison,name,cpa,function,marginal_value,overflow_relief,resolved_places,\
             predicted_home,resolved_home,predicted_overflow_relief,resolved_overflow_relief,\
             resolve_status",
            "1,RRI,RRI,north,cat_c_trainer,1.0000,0.0000,10,10.0000,10.0000,0.0000,0.0000,solved",
            "2,FFI,FFI,north,cat_c_trainer,0.0000,26.0000,10,0.0000,0.0000,260.0000,26.0000,solved",
            "3,TTI,TTI,north,cat_c_trainer,0.0000,0.0000,,,,,,",
        ],
        "{csv}"
    );
    let text = summary(&instance, &values);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(
        lines[1],
        "  RRI +1.00 home, +0.00 overflow per place (10 places: predicted +10.00 home, +0.00 \
         overflow; re-solved +10.00 home, +0.00 overflow)"
    );
    assert_eq!(
        lines[2],
        "  FFI +0.00 home, -26.00 overflow per place (10 places: predicted +0.00 home, -260.00 \
         overflow; re-solved +0.00 home, -26.00 overflow)"
    );
}

#[test]
fn nothing_is_re_solved_when_no_confirmation_is_asked_for() {
    let instance = short_north();
    let values = values(&instance, 0);
    assert!(values.iter().all(|m| m.resolved.is_none()), "{values:?}");
    let text = summary(&instance, &values);
    assert!(
        text.contains("\n  RRI +1.00 home, +0.00 overflow per place\n"),
        "{text}"
    );
    assert!(!text.contains("TTI"), "{text}");
}

/// `resettle plan --confirm-marginal N` re-solves the first N prisons of the ranking; 0 none;
/// a count out of range is refused naming the option.
#[test]
fn the_plan_command_confirms_as_many_prisons_as_asked() {
    let tiny = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    let temp = tempfile::tempdir().unwrap();
    let plan = |confirm: &str, out: &str| {
        Command::cargo_bin("resettle")
            .unwrap()
            .args(["plan", "--quiet", "--start", "2014-09-01", "--data"])
            .arg(&tiny)
            .arg("--population")
            .arg(tiny.join("population.csv"))
            .args(["--confirm-marginal", confirm, "--out"])
            .arg(temp.path().join(out))
            .output()
            .unwrap()
    };
    let resolved = |out: &str| {
        let csv = std::fs::read_to_string(temp.path().join(out).join("marginal_value.csv"));
        let csv = csv.unwrap();
        csv.lines()
            .skip(1)
            .filter(|line| line.ends_with(",solved"))
            .count()
    };
    for (confirm, expected) in [("0", 0), ("2", 2)] {
        let output = plan(confirm, confirm);
        assert!(output.status.success(), "{output:?}");
        assert_eq!(resolved(confirm), expected);
    }
    let output = plan("1001", "bad");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--confirm-marginal"), "{stderr}");
}

/// Re-solves share the optimisation's time limit: past it, they say so; without the LP's
/// stage values (the greedy fallback of a time limit) nothing is re-solved.
#[test]
fn re_solves_out_of_time_or_without_lp_values_say_so() {
    let instance = short_north();
    let mut optimal = optimise(&instance, SolverOptions::default()).expect("solves");
    let late = SolverOptions {
        deadline: Some(Instant::now()),
        ..SolverOptions::default()
    };
    let values = assess(&instance, &optimal.report, 2, late, &mut |_| {});
    let timed_out = Some(Resolved {
        places: PLACES,
        status: "time_limit",
        home: None,
        overflow_relief: None,
    });
    assert_eq!(values[0].resolved, timed_out);
    assert_eq!(values[1].resolved, timed_out);
    assert_eq!(values[2].resolved, None);
    let text = summary(&instance, &values);
    assert!(text.contains("re-solve ran out of time"), "{text}");
    optimal.report.stages.clear();
    let values = assess(
        &instance,
        &optimal.report,
        2,
        SolverOptions::default(),
        &mut |_| {},
    );
    assert!(values.iter().all(|m| m.resolved.is_none()), "{values:?}");
}

/// Where every place relieves overflow and none adds to (b), the summary says why.
#[test]
fn the_summary_says_why_no_place_adds_to_b_while_the_estate_overflows() {
    let instance = Builder::default()
        .cpa("north")
        .prison("FFI", "north", CatCTrainer, "C", 1)
        .prison("GGI", "north", CatCTrainer, "C", 5)
        .prisoner("L1", "FFI", Some("north"), C, None)
        .with(|p| p.do_not_move = true)
        .prisoner("L2", "FFI", Some("north"), C, None)
        .with(|p| p.do_not_move = true)
        .instance();
    let text = summary(&instance, &values(&instance, 1));
    assert!(
        text.contains("FFI +0.00 home, -26.00 overflow per place"),
        "{text}"
    );
    assert!(!text.contains("GGI"), "{text}");
    assert!(
        text.contains("no prison's place is predicted to add to (b)"),
        "{text}"
    );
    let text = summary(&short_north(), &values(&short_north(), 0));
    assert!(!text.contains("no prison's place"), "{text}");
}
