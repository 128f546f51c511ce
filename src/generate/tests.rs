use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::{
    Category, Cpa, Dataset, Designation, DesignationSource, Estate, Function, Operator, Prison,
    PrisonCode, Sentence, MAX_EXPECTED_RELEASE_WEEK,
};

fn prison(
    code: &str,
    cpa: &str,
    function: Function,
    estates: &[Estate],
    categories: &[Category],
) -> Prison {
    Prison {
        code: code.into(),
        name: format!("Prison {code}"),
        cpa: cpa.into(),
        function,
        estates: estates.to_vec(),
        categories: categories.to_vec(),
        operator: Operator::Public,
        operational_capacity: 500,
        cna: 450,
        location: None,
    }
}

fn cpa(id: &str, number: u32, neighbours: &[&str]) -> Cpa {
    Cpa {
        id: id.into(),
        number,
        name: id.to_uppercase(),
        neighbours: neighbours.iter().map(|&n| n.into()).collect(),
    }
}

/// A local holding young offenders, a Cat C trainer, an open prison and a juvenile YOI.
fn tiny() -> Dataset {
    use Category::*;
    let prisons = vec![
        prison(
            "NLO",
            "north",
            Function::Local,
            &[Estate::AdultMale, Estate::YoungOffenderMale],
            &[B, C],
        ),
        prison(
            "CTR",
            "south",
            Function::CatCTrainer,
            &[Estate::AdultMale],
            &[C],
        ),
        prison("SOP", "south", Function::Open, &[Estate::AdultMale], &[D]),
        prison(
            "JUV",
            "north",
            Function::Juvenile,
            &[Estate::JuvenileMale],
            &[],
        ),
    ];
    let population = [("NLO", 400), ("CTR", 300), ("SOP", 150), ("JUV", 40)]
        .into_iter()
        .map(|(code, n)| (PrisonCode::from(code), n))
        .collect();
    Dataset::new(
        vec![cpa("north", 1, &["south"]), cpa("south", 2, &["north"])],
        prisons,
        vec![Designation {
            prison: "NLO".into(),
            cpa: "north".into(),
            source: DesignationSource::Rule,
        }],
        population,
    )
}

fn options(seed: u64) -> GenerateOptions {
    GenerateOptions {
        seed,
        scale: 1.0,
        calendar: Calendar::new(NaiveDate::from_ymd_opt(2014, 9, 1).unwrap()).unwrap(),
        weeks: 8,
    }
}

#[test]
fn every_prison_holds_its_published_population_times_the_scale() {
    let data = tiny();
    for (scale, expected) in [(1.0, [400, 300, 150, 40]), (0.25, [100, 75, 38, 10])] {
        let synthetic = generate(
            &data,
            &GenerateOptions {
                scale,
                ..options(1)
            },
        )
        .unwrap();
        let mut held: BTreeMap<&str, u32> = BTreeMap::new();
        for p in &synthetic.prisoners {
            *held.entry(p.prison.as_str()).or_default() += 1;
        }
        for (code, n) in ["NLO", "CTR", "SOP", "JUV"].iter().zip(expected) {
            assert_eq!(held[code], n, "{code} at scale {scale}");
        }
    }
}

#[test]
fn every_prisoner_suits_his_prison_and_his_dates_are_in_order() {
    let data = tiny();
    let options = options(2);
    let start = options.calendar.start();
    let synthetic = generate(&data, &options).unwrap();
    for p in &synthetic.prisoners {
        let prison = data.prison(&p.prison).unwrap();
        assert!(prison.holds(p.estate, p.category), "{p:?}");
        assert_eq!(p.category.is_none(), prison.categories.is_empty(), "{p:?}");
        assert!(p.custody_start <= p.arrived && p.arrived <= start, "{p:?}");
        match p.sentence {
            Sentence::Determinate => {
                assert!(p.release_date.unwrap() >= start, "{p:?}");
                assert_eq!(p.expected_release, None, "{p:?}");
            }
            Sentence::Remand => {
                assert_eq!(p.release_date, None, "{p:?}");
                assert!(p.expected_release.unwrap() >= start, "{p:?}");
            }
            Sentence::Indeterminate => {
                assert_eq!(p.release_date, None, "{p:?}");
                let latest = options
                    .calendar
                    .first_day(i64::from(MAX_EXPECTED_RELEASE_WEEK) + 1);
                assert!(
                    p.expected_release.is_none_or(|d| start <= d && d < latest),
                    "{p:?}"
                );
            }
        }
        if p.prison.as_str() == "SOP" {
            assert_ne!(p.sentence, Sentence::Remand, "no remand in open conditions");
        }
    }
    let ids: Vec<&str> = synthetic.prisoners.iter().map(|p| p.id.as_str()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
    assert!(ids.iter().all(|id| id.len() == 7));
}

#[test]
fn receptions_arrive_at_the_reception_prisons_only_and_are_sorted_and_merged() {
    let data = tiny();
    let options = options(3);
    let synthetic = generate(&data, &options).unwrap();
    let mut at: BTreeMap<&str, u32> = BTreeMap::new();
    for c in &synthetic.receptions {
        *at.entry(c.prison.as_str()).or_default() += c.count;
        assert!(c.count > 0 && c.week < options.weeks);
        assert!(c.release_week.is_none_or(|r| r >= c.week));
        assert!(c.expected_release_week.is_none_or(|r| {
            c.release_week.is_none() && c.week <= r && r <= MAX_EXPECTED_RELEASE_WEEK
        }));
        assert!(data.prison(&c.prison).unwrap().holds(c.estate, c.category));
    }
    let places: Vec<&str> = at.keys().copied().collect();
    assert_eq!(
        places,
        ["JUV", "NLO"],
        "the local and the juvenile establishment"
    );
    let key = |c: &ReceptionCohort| {
        (
            c.week,
            c.prison.clone(),
            c.home_cpa.clone(),
            c.estate,
            c.category,
            c.release_week,
            c.expected_release_week,
        )
    };
    assert!(synthetic
        .receptions
        .windows(2)
        .all(|w| key(&w[0]) < key(&w[1])));
}

#[test]
fn the_same_seed_gives_the_same_output_and_another_seed_another() {
    let data = tiny();
    let first = generate(&data, &options(11)).unwrap();
    assert_eq!(first, generate(&data, &options(11)).unwrap());
    let other = generate(&data, &options(12)).unwrap();
    assert_ne!(first.prisoners, other.prisoners);
    assert_ne!(first.receptions, other.receptions);
}

#[test]
fn bad_options_and_incomplete_data_are_refused() {
    let data = tiny();
    for scale in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = generate(
            &data,
            &GenerateOptions {
                scale,
                ..options(1)
            },
        )
        .err();
        assert!(matches!(err, Some(GenerateError::BadScale(_))), "{scale}");
    }
    let mut population = data.published_population.clone();
    population.remove(&PrisonCode::from("CTR"));
    let missing = Dataset::new(
        data.cpas.clone(),
        data.prisons.clone(),
        data.designations.clone(),
        population,
    );
    let err = generate(&missing, &options(1)).err().unwrap();
    assert!(err.to_string().contains("Prison CTR (CTR)"), "{err}");
    let no_cpas = Dataset::new(
        vec![],
        data.prisons.clone(),
        vec![],
        data.published_population.clone(),
    );
    assert!(matches!(
        generate(&no_cpas, &options(1)),
        Err(GenerateError::NoCpas)
    ));
}

#[test]
fn each_estate_receives_what_its_stock_implies_every_week() {
    let data = tiny();
    let options = GenerateOptions {
        scale: 4.0,
        ..options(4)
    };
    let profiles = profiles(&data, options.scale).unwrap();
    let homes = HomeAreas::new(&data);
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut departures = ChaCha8Rng::seed_from_u64(4);
    let (_, steady) = generate_prisoners(
        &data,
        &profiles,
        &homes,
        &options,
        &mut rng,
        &mut departures,
    );
    let receptions = generate_receptions(&data, &profiles, &homes, &steady, &options, &mut rng);
    for (estate, flow) in &steady.flows {
        for week in 0..options.weeks {
            let arrived: u64 = receptions
                .iter()
                .filter(|c| c.week == week && c.estate == *estate)
                .map(|c| u64::from(c.count))
                .sum();
            assert!(
                (arrived as f64 - flow.total()).abs() < 1.0,
                "{estate} week {week}: {arrived} arrived at {} a week",
                flow.total()
            );
        }
    }
    // Young offenders arrive at the local, whose stock they are part of.
    assert!(steady.flows[&Estate::YoungOffenderMale].total() > 1.0);
}
