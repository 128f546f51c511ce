//! The files of `resettle plan` on a hand-built instance: headers, rows and their order,
//! transfer requests against moves, every reason a prisoner is not released home,
//! pseudonyms, and byte-identical outputs from two runs.

use std::collections::BTreeMap;
use std::fs;

use chrono::{Duration, NaiveDate};
use resettle::bottleneck::{analyse, Bound};
use resettle::calendar::Calendar;
use resettle::instance::{Instance, PlanOptions};
use resettle::io::{OutputDir, OutputFiles};
use resettle::kpi::evaluate;
use resettle::model::*;
use resettle::optimise::{Integrality, SolveReport};
use resettle::plan::{Move, MoveReason, Plan};
use resettle::report::{
    plan_outputs, pseudonym, summary_table, unplaced, PlanSet, PseudonymKey, ReportOptions,
    UnplacedReason,
};
use resettle::solver::StageResult;
use resettle::validate::Inputs;

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
}

impl Plans {
    fn set(&self) -> PlanSet<'_> {
        PlanSet {
            status_quo: &self.status_quo,
            greedy: &self.greedy,
            optimal: &self.optimal,
            report: &self.report,
            bottlenecks: &self.bottlenecks,
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
    Plans {
        status_quo: Plan::default(),
        greedy: Plan::new(greedy),
        optimal: Plan::new(optimal),
        report: report(),
        bottlenecks: analyse(instance),
    }
}

/// Every output file, written to a fresh folder and read back.
fn outputs(instance: &Instance, plans: &Plans, pseudonymise: bool) -> BTreeMap<String, Vec<u8>> {
    let mut files = OutputFiles::default();
    plan_outputs(
        instance,
        &plans.set(),
        &ReportOptions {
            pseudonym_key: pseudonymise.then(key),
        },
        &mut files,
    );
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
            resettle::io::MARKER,
            "allocations.json",
            "forecast_moves.csv",
            "kpis.json",
            "kpis_by_cpa.csv",
            "kpis_by_estate.csv",
            "kpis_by_prison.csv",
            "kpis_by_week.csv",
            "moves.csv",
            "occupancy.csv",
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
    assert_eq!(
        lines(&files, "moves.csv"),
        [
            "prisoner_id,from,to,week,date,reason,home_cpa,release_date".to_string(),
            "A1007AA,SRI,TTI,1,2014-09-08,decant,north,".to_string(),
            format!("A1006AA,TTI,NRI,2,2014-09-15,booked,south,{r20}"),
            format!("A1008AA,SRI,FOI,3,2014-09-22,resettle,north,{r20}"),
            format!("A1001AA,TTI,NRI,5,2014-10-06,resettle,north,{r20}"),
            format!("A1009AA,TTI,NRI,5,2014-10-06,resettle,north,{r21}"),
        ]
    );
}

#[test]
fn forecast_moves_merge_cohorts_with_the_same_key() {
    let instance = instance();
    let files = outputs(&instance, &plans(&instance), false);
    assert_eq!(
        lines(&files, "forecast_moves.csv"),
        [
            "week,from,to,home_cpa,estate,category,release_week,count",
            "4,SRI,NRI,north,adult_male,C,20,3",
            "6,TTI,SRI,south,adult_male,C,24,2",
        ]
    );
}

#[test]
fn transfer_requests_group_the_moves() {
    let instance = instance();
    let files = outputs(&instance, &plans(&instance), false);
    let document = json(&files, "allocations.json");
    let data = document["data"].as_array().unwrap();
    let summary: Vec<String> = data
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
        .collect();
    assert_eq!(
        summary,
        [
            r#"SRI FOI 2014-09-22 "open" adult_female short 1"#,
            r#"SRI TTI 2014-09-08 "b" adult_male long 1"#,
            r#"TTI NRI 2014-09-15 "c" adult_male long 1"#,
            r#"TTI NRI 2014-10-06 "c" adult_male long 2"#,
        ]
    );
    let requested: u64 = data
        .iter()
        .map(|a| a["attributes"]["moves_count"].as_u64().unwrap())
        .sum();
    let moves = lines(&files, "moves.csv").len() - 1;
    assert_eq!(requested, moves as u64, "every move is in one request");
    assert!(text(&files, "allocations.json").ends_with("}\n"));
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
    assert_eq!(kpis["status_quo"]["k1"]["home"], 0);
    assert_eq!(kpis["status_quo"]["moves"], 0);
    assert_eq!(kpis["bound"]["home"], 9);
    assert!((kpis["gap"].as_f64().unwrap() - 1.0 / 9.0).abs() < 1e-12);
    let model = &kpis["model"];
    assert_eq!(model["rows"], 120);
    assert_eq!(model["columns"], 340);
    assert_eq!(model["nonzeros"], 900);
    assert_eq!(model["integrality"], "lp_vertex");
    assert_eq!(model["stages"][1]["name"], "home releases");
    assert_eq!(model["stages"][1]["value"], 8.0);
    assert!(
        !text(&files, "kpis.json").contains("seconds"),
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
    let set = PlanSet {
        status_quo: &plan,
        greedy: &plan,
        optimal: &plan,
        report: &report,
        bottlenecks: &[],
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
    assert_eq!(
        by_cpa[0],
        "cpa,number,name,plan,k1_home,k1_eligible,k1_share,k2_home,k2_eligible,k2_share"
    );
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
    // North: A1001AA, A1002AA, A1003AA, A1008AA, A1009AA and four received; home in the
    // optimal plan: A1001AA, A1008AA, A1009AA and three received.
    assert!(
        by_cpa[3].starts_with("north,1,NORTH,optimal,6,9,0.6667,"),
        "{}",
        by_cpa[3]
    );
    assert!(
        by_cpa[1].starts_with("north,1,NORTH,status_quo,0,9,0.0000,"),
        "{}",
        by_cpa[1]
    );

    let by_prison = lines(&files, "kpis_by_prison.csv");
    assert_eq!(
        by_prison[0],
        "prison,name,plan,k1_home,k1_eligible,k1_share,k2_home,k2_eligible,k2_share"
    );
    assert_eq!(by_prison.len(), 1 + 4 * 3);
    assert!(by_prison[1].starts_with("NRI,HMP NRI,status_quo,"));

    let by_estate = lines(&files, "kpis_by_estate.csv");
    assert_eq!(
        by_estate[0],
        "estate,plan,k1_home,k1_eligible,k1_share,k2_home,k2_eligible,k2_share"
    );
    assert_eq!(by_estate.len(), 1 + 2 * 3);
    assert!(by_estate[3].starts_with("adult_male,optimal,7,13,0.5385,"));
    assert!(by_estate[6].starts_with("adult_female,optimal,1,1,1.0000,"));

    let by_week = lines(&files, "kpis_by_week.csv");
    assert_eq!(
        by_week[0],
        "week,date,plan,k1_home,k1_eligible,k1_share,k2_home,k2_eligible,k2_share"
    );
    assert_eq!(by_week.len(), 1 + 26 * 3);
    // Nobody is released in week 0: the K1 share is empty; A1005AA is in his final weeks.
    assert_eq!(by_week[1], "0,2014-09-01,status_quo,0,0,,0,1,0.0000");
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
    assert_eq!(
        lines(&files, "unplaced.csv"),
        [
            "prisoner_id,home_cpa,release_date,reason".to_string(),
            format!("A1002AA,north,{},prisons_full", r(22)),
            format!("A1003AA,north,{},no_designated_prison", r(20)),
            format!("A1004AA,south,{},do_not_move", r(20)),
            format!("A1005AA,south,{},release_too_soon", r(5)),
            format!("A1006AA,south,{},not_movable", r(20)),
        ]
    );
    use UnplacedReason::*;
    assert_eq!(
        unplaced(&instance, &plans.optimal),
        [
            (FULL, PrisonsFull),
            (NODESIG, NoDesignatedPrison),
            (DNM, DoNotMove),
            (SOON, ReleaseTooSoon),
            (BOOKED, NotMovable),
            // One of the three received in week 2 stays at SRI, not a prison for north.
            (COHORT_A, PrisonsFull),
        ]
    );
}

/// Without cohorts split between paths, the people of the movers listed are exactly the
/// eligible releases that `kpi::evaluate` finds not home.
#[test]
fn unplaced_agrees_with_the_kpis() {
    let instance = instance();
    let plans = plans(&instance);
    for plan in [&plans.status_quo, &plans.greedy] {
        let k1 = evaluate(&instance, plan).k1.national;
        let people: u64 = unplaced(&instance, plan)
            .iter()
            .map(|&(m, _)| u64::from(instance.movers[m].count))
            .sum();
        assert_eq!(people, k1.eligible - k1.home);
    }
    let listed: Vec<usize> = unplaced(&instance, &plans.greedy)
        .iter()
        .map(|&(m, _)| m)
        .collect();
    assert!(
        !listed.contains(&MOVED),
        "moved home in time by the greedy plan"
    );
    assert!(listed.contains(&FEMALE));
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
    assert!(rows[1].starts_with("status quo"), "{table}");
    assert!(rows[2].starts_with("greedy"), "{table}");
    assert!(rows[3].starts_with("optimal"), "{table}");
    let optimal: Vec<&str> = rows[3].split_whitespace().collect();
    assert_eq!(optimal[1..4], ["8", "14", "57.1%"], "{table}");
    assert_eq!(optimal[4], "53.8%", "adult male: {table}");
    assert!(
        table.contains("bound on K1 home releases: 9 (gap 11.11%)"),
        "{table}"
    );
    assert!(
        table.contains("120 rows, 340 columns, 900 nonzeros"),
        "{table}"
    );
    assert!(table.contains("home releases 8 (0.02 s)"), "{table}");
}
