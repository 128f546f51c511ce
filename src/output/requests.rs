//! The transfer requests a population management team sends (docs/planning-rules.md §6): the
//! moves of one week, the requests week, of existing prisoners but category A (whose moves are
//! arranged separately). `requests.csv` lists them one per prisoner, by sending prison, for the
//! governors and the escort contractor; `allocations.json` groups the same moves into requests
//! in the shape HMPPS uses for prison-to-prison allocations. The rest of the plan is a
//! forecast, in `moves.csv`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::moves::PrisonerMove;
use super::{json_bytes, optional_cpa, optional_date};
use crate::domain::{Category, Estate, Prisoner, Sentence};
use crate::output::csv_bytes;

/// Days of custody at or below which a sentence is short: half a sentence of 16 months
/// (487 days) is served in custody.
const SHORT_SENTENCE_DAYS: i64 = 487;

/// `prisoner_category` of a transfer request: `b`, `c`, `d` in the male estates, `open` or
/// `closed` in the female estates; none when uncategorised, and none for category A, which is
/// never requested ([`requested`]).
fn prisoner_category(estate: Estate, category: Option<Category>) -> Option<&'static str> {
    let female = matches!(
        estate,
        Estate::AdultFemale | Estate::YoungOffenderFemale | Estate::JuvenileFemale
    );
    match (female, category?) {
        (_, Category::A) => None,
        (true, Category::D) => Some("open"),
        (true, _) => Some("closed"),
        (false, Category::B) => Some("b"),
        (false, Category::C) => Some("c"),
        (false, Category::D) => Some("d"),
    }
}

/// `sentence_length` of a transfer request (and of a move in `moves.csv`): `short` for 16
/// months or less (about twice the custody period), `long` otherwise and for indeterminate
/// sentences; none for remand.
pub(super) fn sentence_length(prisoner: &Prisoner) -> Option<&'static str> {
    match (prisoner.sentence, prisoner.release_date) {
        (Sentence::Indeterminate, _) => Some("long"),
        (_, Some(release)) => {
            let custody = (release - prisoner.custody_start).num_days();
            Some(if custody * 2 <= SHORT_SENTENCE_DAYS {
                "short"
            } else {
                "long"
            })
        }
        (_, None) => None,
    }
}

/// What a transfer request says of a prisoner it moves, beside route and date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestAttributes {
    pub estate: &'static str,
    /// `prisoner_category`.
    pub category: Option<&'static str>,
    pub sentence_length: Option<&'static str>,
}

/// The attributes of the transfer request that carries a move of `prisoner`; none when his
/// moves are not requested (category A).
pub fn request_attributes(prisoner: &Prisoner) -> Option<RequestAttributes> {
    requested(prisoner.category).then(|| RequestAttributes {
        estate: prisoner.estate.as_str(),
        category: prisoner_category(prisoner.estate, prisoner.category),
        sentence_length: sentence_length(prisoner),
    })
}

/// Whether a move is sent as a transfer request: every move but those of category A
/// prisoners, of any estate, which are arranged separately. (The plan moves them like anyone
/// else, to prisons that hold category A; `moves.csv` lists their moves.)
fn requested(category: Option<Category>) -> bool {
    category != Some(Category::A)
}

/// The transfer requests of `week`: the moves of `moves` in that week that are [`requested`],
/// by sending prison, destination, then prisoner id (as written).
pub(super) fn requests<'m, 'i>(
    moves: &'m [PrisonerMove<'i>],
    week: u32,
) -> Vec<&'m PrisonerMove<'i>> {
    let mut requests: Vec<&PrisonerMove> = moves
        .iter()
        .filter(|m| m.week == week && requested(m.category))
        .collect();
    requests.sort_by(|a, b| (a.from, a.to, &a.prisoner_id).cmp(&(b.from, b.to, &b.prisoner_id)));
    requests
}

/// `requests.csv`: one row per request, in the order given ([`requests`]).
pub(super) fn requests_csv(requests: &[&PrisonerMove]) -> Vec<u8> {
    csv_bytes(
        &[
            "from",
            "to",
            "date",
            "week",
            "prisoner_id",
            "estate",
            "category",
            "sentence_length",
            "home_cpa",
            "release_date",
            "reason",
            "why",
        ],
        requests.iter().map(|m| {
            [
                m.from.to_string(),
                m.to.to_string(),
                m.date.to_string(),
                m.week.to_string(),
                m.prisoner_id.clone(),
                m.estate.as_str().to_string(),
                m.category.map_or("", Category::as_str).to_string(),
                m.sentence_length.unwrap_or_default().to_string(),
                optional_cpa(m.home_cpa),
                optional_date(m.release_date),
                m.reason.as_str().to_string(),
                m.why.to_string(),
            ]
        }),
    )
}

/// The key grouping moves into one transfer request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct AllocationKey<'i> {
    from: &'i str,
    to: &'i str,
    date: NaiveDate,
    category: Option<&'static str>,
    estate: &'static str,
    sentence_length: Option<&'static str>,
}

/// How many of `requests` each transfer request carries, by key.
fn group<'i>(requests: &[&PrisonerMove<'i>]) -> BTreeMap<AllocationKey<'i>, u64> {
    let mut counts = BTreeMap::new();
    for m in requests {
        let key = AllocationKey {
            from: m.from,
            to: m.to,
            date: m.date,
            category: prisoner_category(m.estate, m.category),
            estate: m.estate.as_str(),
            sentence_length: m.sentence_length,
        };
        *counts.entry(key).or_default() += 1;
    }
    counts
}

#[derive(Serialize)]
struct Document {
    data: Vec<Allocation>,
}

#[derive(Serialize)]
struct Allocation {
    #[serde(rename = "type")]
    kind: &'static str,
    attributes: AllocationAttributes,
    relationships: AllocationRelationships,
}

#[derive(Serialize)]
struct AllocationAttributes {
    moves_count: u64,
    date: String,
    prisoner_category: Option<&'static str>,
    sentence_length: Option<&'static str>,
    estate: &'static str,
    complete_in_full: bool,
}

#[derive(Serialize)]
struct AllocationRelationships {
    from_location: Relationship,
    to_location: Relationship,
}

#[derive(Serialize)]
struct Relationship {
    data: Resource,
}

#[derive(Serialize)]
struct Resource {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
}

impl Relationship {
    fn location(code: &str) -> Self {
        Relationship {
            data: Resource {
                kind: "locations",
                id: code.to_string(),
            },
        }
    }
}

/// `allocations.json`: `requests` as a JSON:API document of `allocations`, one per (from, to,
/// date, category, estate, sentence length); their `moves_count` add up to the requests.
pub(super) fn allocations_json(requests: &[&PrisonerMove]) -> Vec<u8> {
    let data = group(requests)
        .into_iter()
        .map(|(key, moves_count)| Allocation {
            kind: "allocations",
            attributes: AllocationAttributes {
                moves_count,
                date: key.date.to_string(),
                prisoner_category: key.category,
                sentence_length: key.sentence_length,
                estate: key.estate,
                complete_in_full: false,
            },
            relationships: AllocationRelationships {
                from_location: Relationship::location(key.from),
                to_location: Relationship::location(key.to),
            },
        })
        .collect();
    json_bytes(&Document { data })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::plan::MoveReason;
    use chrono::Duration;

    fn prisoner(sentence: Sentence, custody_days: Option<i64>) -> Prisoner {
        let custody_start = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap();
        Prisoner {
            id: "A0000AA".into(),
            prison: "XXI".into(),
            home_cpa: None,
            estate: Estate::AdultMale,
            category: Some(Category::C),
            sentence,
            custody_start,
            arrived: custody_start,
            release_date: custody_days.map(|days| custody_start + Duration::days(days)),
            expected_release: None,
            do_not_move: false,
            removal: false,
        }
    }

    #[test]
    fn sixteen_months_or_less_is_short() {
        let length = |sentence, days| sentence_length(&prisoner(sentence, days));
        assert_eq!(length(Sentence::Determinate, Some(243)), Some("short"));
        assert_eq!(length(Sentence::Determinate, Some(244)), Some("long"));
        assert_eq!(length(Sentence::Indeterminate, None), Some("long"));
        assert_eq!(length(Sentence::Remand, None), None);
    }

    #[test]
    fn categories_follow_the_transfer_request_words() {
        use Category::*;
        use Estate::*;
        assert_eq!(prisoner_category(AdultMale, Some(A)), None);
        assert_eq!(prisoner_category(AdultMale, Some(B)), Some("b"));
        assert_eq!(prisoner_category(YoungOffenderMale, Some(C)), Some("c"));
        assert_eq!(prisoner_category(AdultMale, Some(D)), Some("d"));
        assert_eq!(prisoner_category(AdultFemale, Some(D)), Some("open"));
        assert_eq!(prisoner_category(AdultFemale, Some(B)), Some("closed"));
        assert_eq!(prisoner_category(AdultFemale, Some(A)), None);
        assert_eq!(prisoner_category(JuvenileFemale, Some(C)), Some("closed"));
        assert_eq!(prisoner_category(AdultMale, None), None);
        assert_eq!(prisoner_category(AdultFemale, None), None);
    }

    /// A move of an adult male long-sentence prisoner, resettled in week `week`.
    fn moved(id: &str, from: &'static str, to: &'static str, week: u32) -> PrisonerMove<'static> {
        PrisonerMove {
            week,
            from,
            to,
            prisoner_id: id.to_string(),
            date: NaiveDate::from_ymd_opt(2014, 9, 1).unwrap() + Duration::weeks(week.into()),
            reason: MoveReason::Resettle,
            home_cpa: None,
            release_date: None,
            why: "",
            estate: Estate::AdultMale,
            category: Some(Category::C),
            sentence_length: Some("long"),
        }
    }

    #[test]
    fn requests_are_one_weeks_moves_by_sending_prison_without_category_a() {
        let moves = [
            moved("P3", "SRI", "NRI", 1),
            moved("P1", "TTI", "NRI", 1),
            moved("P2", "SRI", "NRI", 1),
            moved("P4", "SRI", "FOI", 1),
            moved("P5", "AAI", "NRI", 2),
            PrisonerMove {
                category: Some(Category::A),
                ..moved("P0", "SRI", "HSI", 1)
            },
            PrisonerMove {
                estate: Estate::AdultFemale,
                category: Some(Category::A),
                ..moved("P6", "SRI", "FOI", 1)
            },
        ];
        let requests = requests(&moves, 1);
        let order: Vec<(&str, &str, &str)> = requests
            .iter()
            .map(|m| (m.from, m.to, m.prisoner_id.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("SRI", "FOI", "P4"),
                ("SRI", "NRI", "P2"),
                ("SRI", "NRI", "P3"),
                ("TTI", "NRI", "P1"),
            ]
        );
        let lines = String::from_utf8(requests_csv(&requests)).unwrap();
        let lines: Vec<&str> = lines.lines().collect();
        assert_eq!(
            lines[..2],
            [
                "from,to,date,week,prisoner_id,estate,category,sentence_length,home_cpa,\
                 release_date,reason,why",
                "SRI,FOI,2014-09-08,1,P4,adult_male,C,long,,,resettle,",
            ]
        );
    }

    #[test]
    fn requests_group_by_route_date_category_estate_and_sentence_length() {
        let moves = [
            moved("P1", "SRI", "NRI", 1),
            moved("P2", "SRI", "NRI", 1),
            PrisonerMove {
                sentence_length: Some("short"),
                ..moved("P3", "SRI", "NRI", 1)
            },
            PrisonerMove {
                category: Some(Category::D),
                ..moved("P4", "SRI", "NRI", 1)
            },
            moved("P5", "TTI", "NRI", 1),
        ];
        let requests = requests(&moves, 1);
        let groups: Vec<String> = group(&requests)
            .into_iter()
            .map(|(key, count)| {
                let words = [key.category, key.sentence_length].map(Option::unwrap_or_default);
                format!("{} {} {} {} {count}", key.from, key.to, words[0], words[1])
            })
            .collect();
        assert_eq!(
            groups,
            [
                "SRI NRI c long 2",
                "SRI NRI c short 1",
                "SRI NRI d long 1",
                "TTI NRI c long 1"
            ]
        );
    }
}
