//! The transfer requests of a plan (docs/planning-rules.md §6), in the shape HMPPS uses for
//! prison-to-prison allocations.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{code, json_bytes, prisoner_of};
use crate::instance::Instance;
use crate::model::{Category, Estate, Prisoner, Sentence};
use crate::plan::Plan;

/// Days of custody at or below which a sentence is short: half a sentence of 16 months
/// (487 days) is served in custody.
const SHORT_SENTENCE_DAYS: i64 = 487;

/// `prisoner_category` of a transfer request: `b`, `c`, `d` in the male estates (none for A),
/// `open` or `closed` in the female estates, none when uncategorised.
fn prisoner_category(estate: Estate, category: Option<Category>) -> Option<&'static str> {
    let female = matches!(
        estate,
        Estate::AdultFemale | Estate::YoungOffenderFemale | Estate::JuvenileFemale
    );
    match (female, category?) {
        (true, Category::D) => Some("open"),
        (true, _) => Some("closed"),
        (false, Category::A) => None,
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

/// The moves of existing prisoners in `plan` as transfer requests (a JSON:API document of
/// `allocations`), one per (from, to, date, category, estate, sentence length).
pub(super) fn allocations_json(instance: &Instance, plan: &Plan) -> Vec<u8> {
    let mut counts: BTreeMap<AllocationKey, u64> = BTreeMap::new();
    for m in &plan.moves {
        let Some(prisoner) = prisoner_of(instance, m.mover) else {
            continue;
        };
        let key = AllocationKey {
            from: code(instance, m.from),
            to: code(instance, m.to),
            date: instance.date_of(m.week),
            category: prisoner_category(prisoner.estate, prisoner.category),
            estate: prisoner.estate.as_str(),
            sentence_length: sentence_length(prisoner),
        };
        *counts.entry(key).or_default() += u64::from(m.count);
    }
    let data = counts
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
        assert_eq!(prisoner_category(AdultFemale, Some(A)), Some("closed"));
        assert_eq!(prisoner_category(JuvenileFemale, Some(C)), Some("closed"));
        assert_eq!(prisoner_category(AdultMale, None), None);
        assert_eq!(prisoner_category(AdultFemale, None), None);
    }
}
