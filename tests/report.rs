//! The files of `resettle plan` on a hand-built instance: headers, rows and their order,
//! why each move is made, transfer requests against moves, the KPIs (K1 within reach first),
//! every reason a prisoner or cohort is not released home, pseudonyms, and byte-identical
//! outputs from two runs.

mod common;

use std::collections::BTreeMap;
use std::fs;

use chrono::{Duration, NaiveDate};
use resettle::analysis::bottleneck::{analyse, Bound};
use resettle::analysis::explain::{unplaced, UnplacedReason};
use resettle::domain::calendar::Calendar;
use resettle::domain::*;
use resettle::input::validate::Inputs;
use resettle::output::{
    plan_outputs, pseudonym, summary_table, PlanSet, PseudonymKey, ReportOptions,
};
use resettle::output::{OutputDir, OutputFiles};
use resettle::planners::optimal::{Integrality, SolveReport};
use resettle::problem::instance::{Instance, PlanOptions};
use resettle::problem::kpi::{evaluate, Kpis};
use resettle::problem::plan::{Move, MoveReason, Plan};
use resettle::solver::StageResult;

/// Monday 1 September 2014.
fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 9, 1).unwrap()
}

/// The Wednesday of week `week`.
fn release(week: i64) -> NaiveDate {
    start() + Duration::days(7 * week + 2)
}

// Prison indexes.
const NRI: usize = 0;
const SRI: usize = 1;
const TTI: usize = 2;
const FOI: usize = 3;

// Mover indexes: prisoners in input order, then reception cohorts.
const MOVED: usize = 0;
const FULL: usize = 1;
const NODESIG: usize = 2;
const DNM: usize = 3;
const SOON: usize = 4;
const BOOKED: usize = 5;
const DECANT: usize = 6;
const FEMALE: usize = 7;
const MOVED_TOO: usize = 8;
const COHORT_A: usize = 10;
const COHORT_B: usize = 11;
const COHORT_C: usize = 12;

fn prison(
    code: &str,
    cpa: &str,
    function: Function,
    estates: Vec<Estate>,
    categories: Vec<Category>,
    capacity: u32,
) -> Prison {
    Prison {
        code: code.into(),
        name: format!("HMP {code}"),
        cpa: cpa.into(),
        function,
        estates,
        categories,
        operator: Operator::Public,
        operational_capacity: capacity,
        cna: capacity,
        location: None,
    }
}

/// An adult male category C determinate prisoner, in custody (and at `at`) for a year.
fn prisoner(id: &str, at: &str, home: &str, release_week: i64) -> Prisoner {
    let custody_start = start() - Duration::days(365);
    Prisoner {
        id: id.into(),
        prison: at.into(),
        home_cpa: Some(home.into()),
        estate: Estate::AdultMale,
        category: Some(Category::C),
        sentence: Sentence::Determinate,
        custody_start,
        arrived: custody_start,
        release_date: Some(release(release_week)),
        expected_release: None,
        do_not_move: false,
        removal: false,
    }
}

fn cohort(week: u32, at: &str, home: &str, release_week: u32, count: u32) -> ReceptionCohort {
    ReceptionCohort {
        week,
        prison: at.into(),
        home_cpa: Some(home.into()),
        estate: Estate::AdultMale,
        category: Some(Category::C),
        release_week: Some(release_week),
        expected_release_week: None,
        count,
    }
}

/// Two CPAs; NRI (C, D) serves north, SRI (male B–D and female) serves south, FOI (female
/// open) serves both, TTI serves none and is over-full. Each prisoner is built for one case.
fn instance() -> Instance {
    use Category::*;
    use Estate::*;
    let cpa = |id: &str, number| Cpa {
        id: id.into(),
        number,
        name: id.to_uppercase(),
        neighbours: vec![],
    };
    let prisons = vec![
        prison(
            "NRI",
            "north",
            Function::CatCTrainer,
            vec![AdultMale],
            vec![C, D],
            10,
        ),
        prison(
            "SRI",
            "south",
            Function::Local,
            vec![AdultMale, AdultFemale],
            vec![B, C, D],
            10,
        ),
        prison(
            "TTI",
            "south",
            Function::CatBTrainer,
            vec![AdultMale],
            vec![B, C],
            3,
        ),
        prison(
            "FOI",
            "north",
            Function::FemaleOpen,
            vec![AdultFemale],
            vec![D],
            5,
        ),
    ];
    let designation = |prison: &str, cpa: &str| Designation {
        prison: prison.into(),
        cpa: cpa.into(),
        source: DesignationSource::Rule,
    };
    let designations = vec![
        designation("NRI", "north"),
        designation("SRI", "south"),
        designation("FOI", "north"),
        designation("FOI", "south"),
    ];
    let prisoners = vec![
        prisoner("A1001AA", "TTI", "north", 20),
        prisoner("A1002AA", "TTI", "north", 22),
        Prisoner {
            category: Some(B),
            ..prisoner("A1003AA", "TTI", "north", 20)
        },
        Prisoner {
            do_not_move: true,
            ..prisoner("A1004AA", "TTI", "south", 20)
        },
        prisoner("A1005AA", "TTI", "south", 5),
        prisoner("A1006AA", "TTI", "south", 20),
        Prisoner {
            category: Some(B),
            sentence: Sentence::Indeterminate,
            release_date: None,
            ..prisoner("A1007AA", "SRI", "north", 0)
        },
        Prisoner {
            estate: AdultFemale,
            category: Some(D),
            custody_start: start() - Duration::days(30),
            arrived: start() - Duration::days(30),
            ..prisoner("A1008AA", "SRI", "north", 20)
        },
        prisoner("A1009AA", "TTI", "north", 21),
        Prisoner {
            removal: true,
            ..prisoner("A1010AA", "TTI", "north", 15)
        },
    ];
    let inputs = Inputs {
        data: Dataset::new(
            vec![cpa("north", 1), cpa("south", 2)],
            prisons,
            designations,
            BTreeMap::new(),
        ),
        prisoners,
        receptions: vec![
            cohort(2, "SRI", "north", 20, 3),
            cohort(3, "SRI", "north", 20, 1),
            cohort(1, "TTI", "south", 24, 2),
        ],
        booked: vec![BookedMove {
            prisoner_id: "A1006AA".into(),
            to: "NRI".into(),
            week: 2,
        }],
    };
    Instance::new(inputs, PlanOptions::new(Calendar::new(start()).unwrap())).unwrap()
}

fn step(mover: usize, count: u32, from: usize, to: usize, week: u32, reason: MoveReason) -> Move {
    Move {
        mover,
        count,
        from,
        to,
        week,
        reason,
    }
}

struct Plans {
    status_quo: Plan,
    greedy: Plan,
    optimal: Plan,
    report: SolveReport,
    bottlenecks: Vec<Bound>,
    kpis: [Kpis; 3],
}

impl Plans {
    /// The three plans with what the pipeline computes beside them.
    fn new(instance: &Instance, status_quo: Plan, greedy: Plan, optimal: Plan) -> Plans {
        let kpis = [&status_quo, &greedy, &optimal].map(|plan| evaluate(instance, plan));
        Plans {
            status_quo,
            greedy,
            optimal,
            report: report(),
            bottlenecks: analyse(instance),
            kpis,
        }
    }

    fn set(&self) -> PlanSet<'_> {
        PlanSet {
            status_quo: &self.status_quo,
            greedy: &self.greedy,
            optimal: &self.optimal,
            report: &self.report,
            bottlenecks: &self.bottlenecks,
            marginal: &[],
            kpis: self.kpis.each_ref(),
        }
    }
}

/// A solve report as the optimiser would give for the optimal plan.
fn report() -> SolveReport {
    SolveReport {
        rows: 120,
        columns: 340,
        nonzeros: 900,
        cohorts: 7,
        integrality: Integrality::LpVertex,
        home_bound: 9.0,
        home: 8,
        gap: 1.0 / 9.0,
        start_seconds: 0.052,
        stages: vec![
            stage("overflow", 0.0, 0.013),
            stage("home releases", 8.0, 0.021),
            stage("moves", 9.0, 0.017),
        ],
        marginal_value: vec![0.0; 4],
        overflow_relief: vec![0.0; 4],
    }
}

/// A stage of an LP solve: its value is its bound.
fn stage(name: &'static str, value: f64, seconds: f64) -> StageResult {
    StageResult {
        name,
        value,
        bound: value,
        seconds,
    }
}

fn plans(instance: &Instance) -> Plans {
    use MoveReason::*;
    let booked = Plan::booked(instance);
    assert_eq!(booked.len(), 1);
    let mut greedy = booked.clone();
    greedy.push(step(MOVED, 1, TTI, NRI, 8, Resettle));
    let mut optimal = booked;
    optimal.extend([
        step(MOVED, 1, TTI, NRI, 5, Resettle),
        step(MOVED_TOO, 1, TTI, NRI, 5, Resettle),
        step(DECANT, 1, SRI, TTI, 1, Decant),
        step(FEMALE, 1, SRI, FOI, 3, Resettle),
        step(COHORT_A, 2, SRI, NRI, 4, Resettle),
        step(COHORT_B, 1, SRI, NRI, 4, Resettle),
        step(COHORT_C, 2, TTI, SRI, 6, Resettle),
    ]);
    Plans::new(
        instance,
        Plan::default(),
        Plan::new(greedy),
        Plan::new(optimal),
    )
}

/// Every output file, written to a fresh folder and read back.
fn outputs(instance: &Instance, plans: &Plans, pseudonymise: bool) -> BTreeMap<String, Vec<u8>> {
    let options = ReportOptions {
        pseudonym_key: pseudonymise.then(key),
        ..ReportOptions::default()
    };
    outputs_with(instance, plans, &options)
}

/// Every output file written with `options`, to a fresh folder and read back.
fn outputs_with(
    instance: &Instance,
    plans: &Plans,
    options: &ReportOptions,
) -> BTreeMap<String, Vec<u8>> {
    let mut files = OutputFiles::default();
    plan_outputs(instance, &plans.set(), options, &mut files);
    let dir = tempfile::tempdir().unwrap();
    files.commit(OutputDir::claim(dir.path()).unwrap()).unwrap();
    fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            (name, fs::read(entry.path()).unwrap())
        })
        .collect()
}

fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(files[name].clone()).unwrap()
}

fn lines(files: &BTreeMap<String, Vec<u8>>, name: &str) -> Vec<String> {
    text(files, name).lines().map(str::to_string).collect()
}

fn json(files: &BTreeMap<String, Vec<u8>>, name: &str) -> serde_json::Value {
    serde_json::from_slice(&files[name]).unwrap()
}

#[test]
fn every_file_is_written() {
    let instance = instance();
    let files = outputs(&instance, &plans(&instance), false);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            resettle::output::MARKER,
            "allocations.json",
            "conflicts.csv",
            "forecast_moves.csv",
            "kpis.json",
            "kpis_by_cpa.csv",
            "kpis_by_estate.csv",
            "kpis_by_prison.csv",
            "kpis_by_week.csv",
            "moves.csv",
            "occupancy.csv",
            "requests.csv",
            "unplaced.csv",
        ]
    );
}

#[test]
fn moves_are_the_existing_prisoners_moves_in_order() {
    let instance = instance();
    let files = outputs(&instance, &plans(&instance), false);
    let r20 = release(20);
    let r21 = release(21);
    // The decant out of SRI in week 1 frees the place that the south cohort takes in week 6.
    assert_eq!(
        lines(&files, "moves.csv"),
        [
            format!("{MOVE_HEADER},estate,category,sentence_length"),
            "A1007AA,SRI,TTI,1,2014-09-08,decant,north,,frees a place at HMP SRI from week 1 \
             for a SOUTH prisoner's window (arriving in week 6),adult_male,B,long"
                .to_string(),
            format!("A1006AA,TTI,NRI,2,2014-09-15,booked,south,{r20},booked,adult_male,C,long"),
            format!(
                "A1008AA,SRI,FOI,3,2014-09-22,resettle,north,{r20},home release {r20} (NORTH),\
                 adult_female,D,short"
            ),
            format!(
                "A1001AA,TTI,NRI,5,2014-10-06,resettle,north,{r20},home release {r20} (NORTH),\
                 adult_male,C,long"
            ),
            format!(
                "A1009AA,TTI,NRI,5,2014-10-06,resettle,north,{r21},home release {r21} (NORTH),\
                 adult_male,C,long"
            ),
        ]
    );
    assert_eq!(
        lines(&files, "conflicts.csv"),
        [format!("{MOVE_HEADER},estate,category,sentence_length")],
        "nobody is moved by a closure"
    );
}

/// The columns of `moves.csv` that were there before `estate,category,sentence_length`.
const MOVE_HEADER: &str = "prisoner_id,from,to,week,date,reason,home_cpa,release_date,why";

#[test]
fn forecast_moves_merge_cohorts_with_the_same_key() {
    let instance = instance();
    let files = outputs(&instance, &plans(&instance), false);
    assert_eq!(
        lines(&files, "forecast_moves.csv"),
        [
            "week,from,to,home_cpa,estate,category,release_week,count,why",
            "4,SRI,NRI,north,adult_male,C,20,3,home release week 20 (NORTH)",
            "6,TTI,SRI,south,adult_male,C,24,2,home release week 24 (SOUTH)",
        ]
    );
}

/// `allocations.json` in one line per request: from, to, date, category, estate, sentence
/// length and count.
fn allocations(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let document = json(files, "allocations.json");
    assert!(text(files, "allocations.json").ends_with("}\n"));
    document["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let at = &a["attributes"];
            let rel = &a["relationships"];
            assert_eq!(a["type"], "allocations");
            assert_eq!(at["complete_in_full"], false);
            assert_eq!(rel["from_location"]["data"]["type"], "locations");
            format!(
                "{} {} {} {} {} {} {}",
                rel["from_location"]["data"]["id"].as_str().unwrap(),
                rel["to_location"]["data"]["id"].as_str().unwrap(),
                at["date"].as_str().unwrap(),
                at["prisoner_category"],
                at["estate"].as_str().unwrap(),
                at["sentence_length"].as_str().unwrap(),
                at["moves_count"],
            )
        })
        .collect()
}

#[test]
fn transfer_requests_are_the_moves_of_one_week_grouped() {
    let instance = instance();
    let plans = plans(&instance);
    // By default, the first movable week: the decant out of SRI.
    let files = outputs(&instance, &plans, false);
    assert_eq!(
        allocations(&files),
        [r#"SRI TTI 2014-09-08 "b" adult_male long 1"#]
    );
    assert_eq!(
        lines(&files, "requests.csv"),
        [
            "from,to,date,week,prisoner_id,estate,category,sentence_length,home_cpa,\
             release_date,reason,why",
            "SRI,TTI,2014-09-08,1,A1007AA,adult_male,B,long,north,,decant,frees a place at HMP \
             SRI from week 1 for a SOUTH prisoner's window (arriving in week 6)",
        ]
    );
    let r20 = release(20);
    let r21 = release(21);
    for (week, requests, rows) in [
        (
            2,
            vec![r#"TTI NRI 2014-09-15 "c" adult_male long 1"#],
            vec![format!(
                "TTI,NRI,2014-09-15,2,A1006AA,adult_male,C,long,south,{r20},booked,booked"
            )],
        ),
        (
            3,
            vec![r#"SRI FOI 2014-09-22 "open" adult_female short 1"#],
            vec![format!(
                "SRI,FOI,2014-09-22,3,A1008AA,adult_female,D,short,north,{r20},resettle,home \
                 release {r20} (NORTH)"
            )],
        ),
        // Only the cohorts move in week 4: forecasts, never requested.
        (4, vec![], vec![]),
        (
            5,
            vec![r#"TTI NRI 2014-10-06 "c" adult_male long 2"#],
            vec![
                format!(
                    "TTI,NRI,2014-10-06,5,A1001AA,adult_male,C,long,north,{r20},resettle,home \
                     release {r20} (NORTH)"
                ),
                format!(
                    "TTI,NRI,2014-10-06,5,A1009AA,adult_male,C,long,north,{r21},resettle,home \
                     release {r21} (NORTH)"
                ),
            ],
        ),
    ] {
        let options = ReportOptions {
            requests_week: Some(week),
            ..ReportOptions::default()
        };
        let files = outputs_with(&instance, &plans, &options);
        assert_eq!(allocations(&files), requests, "week {week}");
        assert_eq!(lines(&files, "requests.csv")[1..], rows, "week {week}");
        // moves.csv keeps the whole horizon.
        assert_eq!(lines(&files, "moves.csv").len(), 6, "week {week}");
    }
}

#[test]
fn kpis_json_holds_the_three_plans_the_bound_and_the_model() {
    let instance = instance();
    let plans = plans(&instance);
    let files = outputs(&instance, &plans, false);
    let kpis = json(&files, "kpis.json");
    for (name, plan) in [
        ("status_quo", &plans.status_quo),
        ("greedy", &plans.greedy),
        ("optimal", &plans.optimal),
    ] {
        let expected = evaluate(&instance, plan);
        let got = &kpis[name];
        let reach = expected.k1_reach.national;
        assert_eq!(got["k1_within_reach"]["home"], reach.home, "{name}");
        assert_eq!(got["k1_within_reach"]["eligible"], reach.eligible);
        let male = expected.k1_reach.by_estate[&Estate::AdultMale];
        assert_eq!(got["k1_within_reach_adult_male"]["home"], male.home);
        assert_eq!(got["k1_within_reach_adult_male"]["eligible"], male.eligible);
        assert_eq!(got["on_track"], expected.on_track);
        assert_eq!(
            got["home_plus_on_track"],
            expected.k1.national.home + expected.on_track
        );
        assert_eq!(got["k1"]["home"], expected.k1.national.home, "{name}");
        assert_eq!(got["k1"]["eligible"], expected.k1.national.eligible);
        assert_eq!(got["k2"]["home"], expected.k2.national.home);
        assert_eq!(got["k2"]["eligible"], expected.k2.national.eligible);
        assert_eq!(got["moves"], expected.moves);
        assert_eq!(got["overflow_person_weeks"], expected.overflow_person_weeks);
    }
    let optimal = &kpis["optimal"];
    assert_eq!(optimal["k1"]["home"], 8);
    assert_eq!(optimal["k1"]["eligible"], 14);
    assert_eq!(optimal["k1"]["share"].as_f64().unwrap(), 8.0 / 14.0);
    // A1008AA, the woman, is not in the adult male figure.
    assert_eq!(optimal["k1_adult_male"]["home"], 7);
    assert_eq!(optimal["k1_adult_male"]["eligible"], 13);
    // Within reach: every eligible release but A1005AA's in week 5 (before week 1 + 12).
    assert_eq!(optimal["k1_within_reach"]["home"], 8);
    assert_eq!(optimal["k1_within_reach"]["eligible"], 13);
    assert_eq!(optimal["k1_within_reach_adult_male"]["home"], 7);
    assert_eq!(optimal["k1_within_reach_adult_male"]["eligible"], 12);
    assert_eq!(optimal["on_track"], 0);
    let estates: Vec<&str> = optimal["by_estate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["estate"].as_str().unwrap())
        .collect();
    assert_eq!(estates, ["adult_male", "adult_female"]);
    assert_eq!(optimal["by_estate"][1]["k1_within_reach"]["home"], 1);
    assert_eq!(kpis["status_quo"]["k1"]["home"], 0);
    assert_eq!(kpis["status_quo"]["moves"], 0);
    assert_eq!(kpis["bound"]["home_plus_on_track"], 9);
    let parameters = &kpis["parameters"];
    assert_eq!(parameters["start"], "2014-09-01");
    assert_eq!(parameters["horizon"], 26);
    assert_eq!(parameters["window"], 12);
    assert_eq!(parameters["first_movable_week"], 1);
    assert_eq!(parameters["within_reach_from_week"], 13);
    assert_eq!(parameters["headroom_percent"], 0.0);
    assert!(parameters["max_moves_per_week"].is_null());
    assert!(parameters["time_limit_seconds"].is_null());
    assert_eq!(kpis["juvenile_estate"]["releases_in_horizon"], 0);
    assert!((kpis["gap"].as_f64().unwrap() - 1.0 / 9.0).abs() < 1e-12);
    let model = &kpis["model"];
    assert_eq!(model["rows"], 120);
    assert_eq!(model["columns"], 340);
    assert_eq!(model["nonzeros"], 900);
    assert_eq!(model["integrality"], "lp_vertex");
    assert_eq!(model["solved"], "the LP relaxation was integral");
    assert_eq!(model["time_limit_reached"], false);
    assert_eq!(model["stages"][1]["name"], "home releases");
    assert_eq!(model["stages"][1]["value"], 8.0);
    assert!(
        !text(&files, "kpis.json").contains("\"seconds\""),
        "timings differ between runs"
    );
    assert!(text(&files, "kpis.json").ends_with("}\n"));
}

#[test]
fn share_is_null_when_nobody_is_eligible() {
    let mut instance = instance();
    instance.movers.retain(|m| !m.releases_in(26));
    let plan = Plan::default();
    let report = report();
    let kpis = [(); 3].map(|_| evaluate(&instance, &plan));
    let set = PlanSet {
        status_quo: &plan,
        greedy: &plan,
        optimal: &plan,
        report: &report,
        bottlenecks: &[],
        marginal: &[],
        kpis: kpis.each_ref(),
    };
    let mut files = OutputFiles::default();
    plan_outputs(&instance, &set, &ReportOptions::default(), &mut files);
    let dir = tempfile::tempdir().unwrap();
    files.commit(OutputDir::claim(dir.path()).unwrap()).unwrap();
    let kpis: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("kpis.json")).unwrap()).unwrap();
    assert!(kpis["optimal"]["k1"]["share"].is_null());
    assert_eq!(kpis["optimal"]["k1"]["eligible"], 0);
}

#[test]
fn kpi_tables_have_one_row_per_part_and_plan() {
    let instance = instance();
    let files = outputs(&instance, &plans(&instance), false);
    let by_cpa = lines(&files, "kpis_by_cpa.csv");
    const KPIS: &str = "k1_within_reach_home,k1_within_reach_eligible,k1_within_reach_share,\
                        k1_home,k1_eligible,k1_share,k2_home,k2_eligible,k2_share";
    assert_eq!(by_cpa[0], format!("cpa,number,name,plan,{KPIS}"));
    assert_eq!(by_cpa.len(), 1 + 2 * 3);
    let plans_in_order: Vec<&str> = by_cpa[1..]
        .iter()
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(
        plans_in_order,
        [
            "status_quo",
            "greedy",
            "optimal",
            "status_quo",
            "greedy",
            "optimal"
        ]
    );
    // North: A1001AA, A1002AA, A1003AA, A1008AA, A1009AA and four received, all within
    // reach; home in the optimal plan: A1001AA, A1008AA, A1009AA and three received.
    assert!(
        by_cpa[3].starts_with("north,1,NORTH,optimal,6,9,0.6667,6,9,0.6667,"),
        "{}",
        by_cpa[3]
    );
    assert!(
        by_cpa[1].starts_with("north,1,NORTH,status_quo,0,9,0.0000,0,9,0.0000,"),
        "{}",
        by_cpa[1]
    );
    // South: A1005AA, released in week 5, counts over the horizon but is not within reach.
    assert!(
        by_cpa[6].starts_with("south,2,SOUTH,optimal,2,4,0.5000,2,5,0.4000,"),
        "{}",
        by_cpa[6]
    );

    let by_prison = lines(&files, "kpis_by_prison.csv");
    assert_eq!(by_prison[0], format!("prison,name,plan,{KPIS}"));
    assert_eq!(by_prison.len(), 1 + 4 * 3);
    assert!(by_prison[1].starts_with("NRI,HMP NRI,status_quo,"));

    let by_estate = lines(&files, "kpis_by_estate.csv");
    assert_eq!(by_estate[0], format!("estate,plan,{KPIS}"));
    assert_eq!(by_estate.len(), 1 + 2 * 3);
    assert!(by_estate[3].starts_with("adult_male,optimal,7,12,0.5833,7,13,0.5385,"));
    assert!(by_estate[6].starts_with("adult_female,optimal,1,1,1.0000,1,1,1.0000,"));

    let by_week = lines(&files, "kpis_by_week.csv");
    assert_eq!(by_week[0], format!("week,date,plan,{KPIS}"));
    assert_eq!(by_week.len(), 1 + 26 * 3);
    // Nobody is released in week 0: the K1 share is empty; A1005AA is in his final weeks.
    assert_eq!(by_week[1], "0,2014-09-01,status_quo,0,0,,0,0,,0,1,0.0000");
    // A1005AA's release in week 5 is not within reach; those of week 20 are.
    assert!(by_week[1 + 5 * 3].starts_with("5,2014-10-06,status_quo,0,0,,0,1,0.0000,"));
    assert!(by_week[1 + 20 * 3 + 2].starts_with("20,2015-01-19,optimal,5,9,0.5556,5,9,0.5556,"));
}

#[test]
fn occupancy_has_every_prison_and_week() {
    let instance = instance();
    let plans = plans(&instance);
    let files = outputs(&instance, &plans, false);
    let rows = lines(&files, "occupancy.csv");
    assert_eq!(rows[0], "prison,week,date,occupancy,capacity");
    assert_eq!(rows.len(), 1 + 4 * 26);
    let occupancy = evaluate(&instance, &plans.optimal).occupancy;
    // TTI holds eight at the start; in week 1 the decant and a cohort of two arrive.
    assert_eq!(occupancy[TTI][1], 11);
    assert_eq!(rows[1 + 2 * 26], "TTI,0,2014-09-01,8,3");
    assert_eq!(rows[1 + 2 * 26 + 1], "TTI,1,2014-09-08,11,3");
    assert_eq!(rows[1 + 3 * 26 + 25], "FOI,25,2015-02-23,0,5");
}

#[test]
fn every_reason_for_not_releasing_home_is_found() {
    let instance = instance();
    let plans = plans(&instance);
    let files = outputs(&instance, &plans, false);
    let r = |week| release(week).to_string();
    // Prisoners by id, with where they are held and their category; then the one member of
    // the cohort received at SRI in week 2 who stays there (SRI is not a prison for north),
    // released on the Monday of week 20.
    assert_eq!(
        lines(&files, "unplaced.csv"),
        [
            "prisoner_id,cohort,count,prison,category,estate,home_cpa,release_date,reason"
                .to_string(),
            format!("A1002AA,,1,TTI,C,adult_male,north,{},prisons_full", r(22)),
            format!(
                "A1003AA,,1,TTI,B,adult_male,north,{},no_designated_prison",
                r(20)
            ),
            format!("A1004AA,,1,TTI,C,adult_male,south,{},do_not_move", r(20)),
            format!(
                "A1005AA,,1,TTI,C,adult_male,south,{},release_too_soon",
                r(5)
            ),
            format!("A1006AA,,1,TTI,C,adult_male,south,{},not_movable", r(20)),
            ",cohort 1 (week 2),1,SRI,C,adult_male,north,2015-01-19,prisons_full".to_string(),
        ]
    );
    use UnplacedReason::*;
    let found: Vec<(usize, u64, UnplacedReason)> = unplaced(&instance, &plans.optimal)
        .iter()
        .map(|u| (u.mover, u.people, u.reason))
        .collect();
    assert_eq!(
        found,
        [
            (FULL, 1, PrisonsFull),
            (NODESIG, 1, NoDesignatedPrison),
            (DNM, 1, DoNotMove),
            (SOON, 1, ReleaseTooSoon),
            (BOOKED, 1, NotMovable),
            (COHORT_A, 1, PrisonsFull),
        ]
    );
    // In the status quo nobody of the three is moved: the cohort counts 3.
    let status_quo = unplaced(&instance, &plans.status_quo);
    let cohort = status_quo.iter().find(|u| u.mover == COHORT_A).unwrap();
    assert_eq!(cohort.people, 3);
}

/// The people listed are exactly the eligible releases that `kpi::evaluate` finds not home,
/// cohorts split between paths included.
#[test]
fn unplaced_agrees_with_the_kpis() {
    let instance = instance();
    let plans = plans(&instance);
    for plan in [&plans.status_quo, &plans.greedy, &plans.optimal] {
        let k1 = evaluate(&instance, plan).k1.national;
        let people: u64 = unplaced(&instance, plan).iter().map(|u| u.people).sum();
        assert_eq!(people, k1.eligible - k1.home);
    }
    let listed: Vec<usize> = unplaced(&instance, &plans.greedy)
        .iter()
        .map(|u| u.mover)
        .collect();
    assert!(
        !listed.contains(&MOVED),
        "moved home in time by the greedy plan"
    );
    assert!(listed.contains(&FEMALE));
    // unplaced.csv counts them all: prisoners and members of cohorts.
    let files = outputs(&instance, &plans, false);
    let counted: u64 = lines(&files, "unplaced.csv")[1..]
        .iter()
        .map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap())
        .sum();
    let k1 = evaluate(&instance, &plans.optimal).k1.national;
    assert_eq!(counted, k1.eligible - k1.home);
}

#[test]
fn pseudonyms_hide_every_prisoner_id() {
    let instance = instance();
    let plans = plans(&instance);
    let files = outputs(&instance, &plans, true);
    for (name, bytes) in &files {
        let content = String::from_utf8(bytes.clone()).unwrap();
        for prisoner in &instance.inputs.prisoners {
            assert!(
                !content.contains(prisoner.id.as_str()),
                "{name} shows {}",
                prisoner.id
            );
        }
    }
    let moves = lines(&files, "moves.csv");
    assert_eq!(moves.len(), 6);
    let moved = pseudonym(&key(), &"A1001AA".into());
    assert!(moves
        .iter()
        .any(|l| l.starts_with(&format!("{moved},TTI,NRI,5,"))));
    let unplaced = text(&files, "unplaced.csv");
    assert!(unplaced.contains(&pseudonym(&key(), &"A1003AA".into())));
    // The pseudonym does not depend on the process: a fixed value, in any run.
    assert_eq!(pseudonym(&key(), &"A1001AA".into()), PSEUDONYM_A1001AA);
    // Files without prisoner ids are unchanged.
    let plain = outputs(&instance, &plans, false);
    for name in ["allocations.json", "kpis.json", "occupancy.csv"] {
        assert_eq!(files[name], plain[name], "{name}");
    }
}

/// HMAC-SHA256 of `A1001AA` under [`key`], as Python's `hmac` module gives it.
const PSEUDONYM_A1001AA: &str = "PFF386E066C051060";

fn key() -> PseudonymKey {
    PseudonymKey::new(b"resettle test key 32 bytes long!".to_vec()).unwrap()
}

#[test]
fn two_runs_give_identical_bytes() {
    let instance = instance();
    let plans = plans(&instance);
    for pseudonymise in [false, true] {
        assert_eq!(
            outputs(&instance, &plans, pseudonymise),
            outputs(&instance, &plans, pseudonymise)
        );
    }
}

#[test]
fn summary_table_compares_the_three_plans() {
    let instance = instance();
    let plans = plans(&instance);
    let table = summary_table(&instance, &plans.set());
    let rows: Vec<&str> = table.lines().collect();
    assert!(rows[0].starts_with("plan"), "{table}");
    assert!(rows[0].contains("K1 reach AM"), "the headline: {table}");
    assert!(rows[1].starts_with("status quo"), "{table}");
    assert!(rows[2].starts_with("greedy"), "{table}");
    assert!(rows[3].starts_with("optimal"), "{table}");
    let optimal: Vec<&str> = rows[3].split_whitespace().collect();
    // K1 within reach adult male 7/12, within reach 8/13, over the horizon 8/14, on track 0.
    assert_eq!(
        optimal[1..7],
        ["58.3%", "61.5%", "57.1%", "8", "14", "0"],
        "{table}"
    );
    assert!(
        table.contains("within reach: released in weeks 13-25"),
        "{table}"
    );
    assert!(
        table.contains("the final 12 weeks before release"),
        "{table}"
    );
    assert!(
        table.contains("bound on (b), home releases + on track: 9 (optimal plan 8, gap 11.11%)"),
        "{table}"
    );
    assert!(
        table.contains("K1 within reach by estate, optimal plan: adult male 58.3% (7/12); adult female 100.0% (1/1)"),
        "{table}"
    );
    assert!(
        table.contains("juvenile estate (out of scope, never in K1 or K2): 0 releases"),
        "{table}"
    );
    assert!(
        table.contains("120 rows, 340 columns, 900 nonzeros"),
        "{table}"
    );
    assert!(table.contains("home releases 8 (0.02 s)"), "{table}");
}

/// The notes follow the options: another window and first movable week change what is
/// within reach and what K2 counts.
#[test]
fn summary_notes_follow_the_window() {
    let mut instance = instance();
    instance.options.window = 8;
    instance.options.first_movable_week = 2;
    let plans = plans(&instance);
    let table = summary_table(&instance, &plans.set());
    assert!(
        table.contains("within reach: released in weeks 10-25"),
        "{table}"
    );
    assert!(table.contains("first movable week (2)"), "{table}");
    assert!(
        table.contains("the final 8 weeks before release"),
        "{table}"
    );
    assert!(!table.contains("twelve"), "{table}");
    instance.options.window = 30;
    let table = summary_table(&instance, &plans.set());
    assert!(
        table.contains("none: the horizon ends before week 32"),
        "{table}"
    );
}

// ---------------------------------------------------------------------------------------
// Why each move is made, and the escort limit as a reason.

use common::Builder;
use resettle::planners::baseline::{greedy, status_quo};
use resettle::planners::optimal::optimise;
use resettle::scenario::not_home;
use resettle::solver::SolverOptions;

// Prison indexes of [`why_instance`].
const RYE: usize = 0;
const TRAINER: usize = 1;
const OVER: usize = 2;
const WANDSWORTH: usize = 3;

/// Every kind of move: north's resettlement prison RRI (HMP Rye, 3 places, full of lifers)
/// and the over-full local OVI (HMP Over, 1 place, 3 lifers and a booked move out) are
/// relieved by decants to the trainer TTI; WWI (HMP Wandsworth) closes from week 3 and holds
/// a do-not-move prisoner.
fn why_instance() -> Instance {
    use Category::C;
    use Function::{CatCTrainer, Local};
    let mut instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 3)
        .prison("TTI", "north", CatCTrainer, "C", 20)
        .prison("OVI", "north", Local, "C", 1)
        .prison("WWI", "north", Local, "C", 10)
        .serves("RRI", "north")
        .prisoner("H1", "TTI", Some("north"), C, Some(20))
        .prisoner("T1", "TTI", Some("north"), C, Some(30))
        .prisoner("L1", "RRI", Some("north"), C, None)
        .prisoner("L3", "RRI", Some("north"), C, None)
        .prisoner("L4", "RRI", Some("north"), C, None)
        .prisoner("L2", "OVI", Some("north"), C, None)
        .prisoner("L5", "OVI", Some("north"), C, None)
        .prisoner("L6", "OVI", Some("north"), C, None)
        .prisoner("D1", "WWI", Some("north"), C, Some(40))
        .with(|p| p.do_not_move = true)
        .prisoner("C1", "WWI", Some("north"), C, Some(20))
        .prisoner("B1", "OVI", Some("north"), C, Some(40))
        .booked("B1", "TTI", 2)
        .instance();
    for (prison, name) in [
        (RYE, "HMP Rye"),
        (TRAINER, "HMP Trainer"),
        (OVER, "HMP Over"),
        (WANDSWORTH, "HMP Wandsworth"),
    ] {
        instance.inputs.data.prisons[prison].name = name.into();
    }
    for week in 3..26 {
        instance.capacity[WANDSWORTH][week] = 0;
    }
    instance.apply_closures().unwrap();
    instance
}

/// The mover of prisoner `id`.
fn mover(instance: &Instance, id: &str) -> usize {
    instance
        .movers
        .iter()
        .position(|m| match m.origin {
            resettle::problem::instance::Origin::Prisoner(i) => {
                instance.inputs.prisoners[i].id.as_str() == id
            }
            _ => false,
        })
        .unwrap()
}

#[test]
fn every_move_says_why() {
    use MoveReason::*;
    let instance = why_instance();
    let m = |id| mover(&instance, id);
    let mut moves = Plan::booked(&instance);
    moves.extend([
        // H1 (released in week 20) and T1 (week 30, after the horizon) go home when their
        // windows open.
        step(m("H1"), 1, TRAINER, RYE, 8, Resettle),
        step(m("T1"), 1, TRAINER, RYE, 18, Resettle),
        // L1 and L3 free Rye's places for them (earliest decant with earliest arrival);
        // L4's decant in week 18 has nobody left to serve; L2 relieves the over-full OVI.
        step(m("L1"), 1, RYE, TRAINER, 2, Decant),
        step(m("L3"), 1, RYE, TRAINER, 4, Decant),
        step(m("L4"), 1, RYE, TRAINER, 18, Decant),
        step(m("L2"), 1, OVER, TRAINER, 1, Decant),
        // Wandsworth closes in week 3: C1 goes home in time, D1's hold is overridden.
        step(m("C1"), 1, WANDSWORTH, RYE, 3, Closure),
        step(m("D1"), 1, WANDSWORTH, TRAINER, 3, Closure),
    ]);
    let plans = Plans::new(
        &instance,
        status_quo(&instance),
        greedy(&instance),
        Plan::new(moves),
    );
    let files = outputs(&instance, &plans, false);
    let (r20, r30, r40) = (release(20), release(30), release(40));
    assert_eq!(
        lines(&files, "moves.csv"),
        [
            format!("{MOVE_HEADER},estate,category,sentence_length"),
            "L2,OVI,TTI,1,2014-09-08,decant,north,,relieves overflow at HMP Over from week 1,\
             adult_male,C,long"
                .to_string(),
            format!("B1,OVI,TTI,2,2014-09-15,booked,north,{r40},booked,adult_male,C,long"),
            "L1,RRI,TTI,2,2014-09-15,decant,north,,frees a place at HMP Rye from week 2 for a \
             NORTH prisoner's window (arriving in week 8),adult_male,C,long"
                .to_string(),
            format!(
                "C1,WWI,RRI,3,2014-09-22,closure,north,{r20},closure of HMP Wandsworth (from \
                 2014-09-22); home release {r20} (NORTH),adult_male,C,long"
            ),
            format!(
                "D1,WWI,TTI,3,2014-09-22,closure,north,{r40},\"closure of HMP Wandsworth (from \
                 2014-09-22), do-not-move hold overridden: to confirm\",adult_male,C,long"
            ),
            "L3,RRI,TTI,4,2014-09-29,decant,north,,frees a place at HMP Rye from week 4 for a \
             NORTH prisoner's window (arriving in week 18),adult_male,C,long"
                .to_string(),
            format!(
                "H1,TTI,RRI,8,2014-10-27,resettle,north,{r20},home release {r20} (NORTH),\
                 adult_male,C,long"
            ),
            "L4,RRI,TTI,18,2015-01-05,decant,north,,frees a place at HMP Rye from week 18,\
             adult_male,C,long"
                .to_string(),
            format!(
                "T1,TTI,RRI,18,2015-01-05,resettle,north,{r30},on track for home release {r30} \
                 (NORTH),adult_male,C,long"
            ),
        ]
    );
    // The do-not-move prisoner moved by the closure, for a person to confirm.
    let conflicts = lines(&files, "conflicts.csv");
    assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    assert!(conflicts[1].starts_with("D1,WWI,TTI,3,2014-09-22,closure,"));
    let pseudonymised = outputs(&instance, &plans, true);
    let conflicts = lines(&pseudonymised, "conflicts.csv");
    assert!(conflicts[1].starts_with(&format!("{},WWI,TTI,3,", pseudonym(&key(), &"D1".into()))));
}

/// Decants out of north's resettlement prison RRI (10 places) in week 1, to the trainer TTI
/// or to north's other resettlement prison R2I: what each costs the people moved.
#[test]
fn a_decant_that_needs_a_second_move_says_so() {
    use Category::C;
    use Function::CatCTrainer;
    use MoveReason::Decant;
    let instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("R2I", "north", CatCTrainer, "C", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .serves("R2I", "north")
        .prisoner("S1", "RRI", Some("north"), C, Some(40))
        .prisoner("S2", "RRI", Some("north"), C, Some(10))
        .prisoner("S3", "RRI", Some("north"), C, Some(40))
        .prisoner("N1", "RRI", None, C, Some(40))
        .reception(0, "RRI", Some("north"), C, Some(45), 2)
        .instance();
    let (rri, r2i, tti) = (0, 1, 2);
    let m = |id| mover(&instance, id);
    let cohort = instance.movers.len() - 1;
    let plans = Plans::new(
        &instance,
        status_quo(&instance),
        greedy(&instance),
        Plan::new(vec![
            // S1 (released in week 40, after the horizon) is moved out of his home
            // resettlement prison: to be released home he must be back at one by
            // week 28 (40 − 12), the day his window opens.
            step(m("S1"), 1, rri, tti, 1, Decant),
            // S2 (week 10) was already at home with his window open: too late for a move
            // back, the decant costs his home release.
            step(m("S2"), 1, rri, tti, 1, Decant),
            // S3 goes to another resettlement prison of his CPA: nothing lost.
            step(m("S3"), 1, rri, r2i, 1, Decant),
            // N1 has no home CPA: no home release to lose.
            step(m("N1"), 1, rri, tti, 1, Decant),
            // The cohort (released in week 45) must be back by week 33.
            step(cohort, 2, rri, tti, 1, Decant),
        ]),
    );
    let files = outputs(&instance, &plans, false);
    let (r10, r28, r40) = (release(10), release(28), release(40));
    assert_eq!(
        lines(&files, "moves.csv")[1..],
        [
            format!(
                "S3,RRI,R2I,1,2014-09-08,decant,north,{r40},frees a place at RRI from week 1,\
                 adult_male,C,long"
            ),
            format!(
                "N1,RRI,TTI,1,2014-09-08,decant,,{r40},frees a place at RRI from week 1,\
                 adult_male,C,long"
            ),
            format!(
                "S1,RRI,TTI,1,2014-09-08,decant,north,{r40},\"frees a place at RRI from week 1; \
                 needs a second move, to a NORTH resettlement prison by {r28}, to be released \
                 home\",adult_male,C,long"
            ),
            format!(
                "S2,RRI,TTI,1,2014-09-08,decant,north,{r10},frees a place at RRI from week 1; \
                 costs his home release {r10} (NORTH),adult_male,C,long"
            ),
        ]
    );
    assert_eq!(
        lines(&files, "forecast_moves.csv")[1..],
        [
            "1,RRI,TTI,north,adult_male,C,45,2,\"frees a place at RRI from week 1; needs a second \
          move, to a NORTH resettlement prison by week 33, to be released home\""
        ]
    );
}

/// Three north prisoners at the trainer TTI, all released in week 13: week 1 (13 − 12) is
/// their only week to move home, and the resettlement prison RRI has room for all. With one
/// escort a week, nationally or out of TTI, the optimum (and the greedy plan) moves one home
/// (a second move in week 1 would break the limit); the two others are held back by the
/// escort limit, not by places, so no place is short.
fn escort_instance(national: Option<u32>, per_prison: Option<u32>) -> Instance {
    use Category::C;
    use Function::CatCTrainer;
    let mut instance = Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 10)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("E1", "TTI", Some("north"), C, Some(13))
        .prisoner("E2", "TTI", Some("north"), C, Some(13))
        .prisoner("E3", "TTI", Some("north"), C, Some(13))
        .instance();
    instance.options.max_moves_per_week = national;
    instance.options.max_moves_per_prison_week = per_prison;
    instance
}

#[test]
fn prisoners_held_back_by_an_escort_limit_are_reported_so() {
    for (national, per_prison) in [(Some(1), None), (None, Some(1))] {
        let instance = escort_instance(national, per_prison);
        let optimal = optimise(&instance, SolverOptions::default()).unwrap().plan;
        for plan in [&optimal, &greedy(&instance)] {
            assert_eq!(plan.people_moved(), 1);
            let reasons: Vec<UnplacedReason> =
                unplaced(&instance, plan).iter().map(|u| u.reason).collect();
            assert_eq!(reasons, [UnplacedReason::EscortLimit; 2]);
            let short: u64 = not_home(&instance, plan)
                .iter()
                .filter(|((.., reason), _)| *reason == UnplacedReason::PrisonsFull)
                .map(|(_, people)| people)
                .sum();
            assert_eq!(short, 0, "an escort limit is not a lack of places");
        }
    }
    // Without a limit all three go home; with a limit nobody uses up, the reason is places.
    let free = escort_instance(None, None);
    let optimal = optimise(&free, SolverOptions::default()).unwrap().plan;
    assert!(unplaced(&free, &optimal).is_empty());
    let mut full = escort_instance(Some(5), None);
    full.capacity[0] = vec![1; 26];
    let optimal = optimise(&full, SolverOptions::default()).unwrap().plan;
    let reasons: Vec<UnplacedReason> = unplaced(&full, &optimal).iter().map(|u| u.reason).collect();
    assert_eq!(reasons, [UnplacedReason::PrisonsFull; 2]);
}
