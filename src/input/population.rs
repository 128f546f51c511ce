//! The population snapshot (`population.csv`), the columns of every planning input file, and
//! what the readers of receptions and booked moves share with it (a placement, a date, a
//! week). Every problem is reported at its line and column; `output::inputs` writes the
//! same formats back.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Months, NaiveDate};

use super::dataset::parse_prison_code;
use super::limits::{date_in_range, MAX_PRISONERS, MAX_WEEK};
use super::table::{Row, Table};
use crate::domain::calendar::Calendar;
use crate::domain::{Category, CpaId, Dataset, Estate, Prison, Prisoner, PrisonerId, Sentence};
use crate::input::diagnostics::Diagnostics;

/// Columns of a population file.
pub const POPULATION_COLUMNS: &[&str] = &[
    "prisoner_id",
    "prison",
    "home_cpa",
    "estate",
    "category",
    "sentence",
    "custody_start",
    "arrived",
    "release_date",
    "do_not_move",
    "removal",
];
/// Columns of a receptions (forecast) file.
pub const RECEPTION_COLUMNS: &[&str] = &[
    "week",
    "prison",
    "home_cpa",
    "estate",
    "category",
    "release_week",
    "count",
];
/// Columns of a booked-moves file.
pub const BOOKED_COLUMNS: &[&str] = &["prisoner_id", "to", "week"];
/// Optional column of a population file: the expected departure date of a remand or
/// indeterminate prisoner (docs/planning-rules.md §4).
pub(crate) const EXPECTED_RELEASE: &str = "expected_release";
/// Optional column of a receptions file: the expected departure week of a cohort with no
/// release week.
pub(crate) const EXPECTED_RELEASE_WEEK: &str = "expected_release_week";
/// No custody lasts longer: a later expected departure is a mistake.
pub(super) const MAX_CUSTODY_MONTHS: u32 = 1_200;

pub(super) const DATE_RULE: &str =
    "a date is written YYYY-MM-DD and must exist, in the years 1900 to 2200";

/// A date of an input file: written YYYY-MM-DD, in the years of
/// [`DATE_YEARS`](super::limits::DATE_YEARS).
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    crate::domain::calendar::parse_date(text).filter(|&date| date_in_range(date))
}

pub(super) fn known_prison<'d>(data: &'d Dataset, text: &str) -> Option<&'d Prison> {
    parse_prison_code(text).and_then(|code| data.prison(&code))
}

pub(super) fn known_cpa(data: &Dataset, text: &str) -> Option<CpaId> {
    let id = CpaId(text.to_string());
    data.cpa(&id).map(|_| id)
}

pub(super) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The prison, home CPA, estate and category columns shared by prisoners and receptions.
pub(super) struct Placement<'d> {
    pub(super) prison: &'d Prison,
    pub(super) home_cpa: Option<CpaId>,
    pub(super) estate: Estate,
    pub(super) category: Option<Category>,
}

pub(super) fn read_placement<'d>(
    row: &Row,
    data: &'d Dataset,
    diagnostics: &mut Diagnostics,
) -> Option<Placement<'d>> {
    let prison = row.required(
        diagnostics,
        "prison",
        |t| known_prison(data, t),
        "unknown prison: it must be a code from prisons.csv",
    );
    let home_cpa = row.optional(
        diagnostics,
        "home_cpa",
        |t| known_cpa(data, t),
        "unknown CPA: it must be a slug from cpas.csv, or empty when unknown",
    );
    let estate = row.required(
        diagnostics,
        "estate",
        Estate::parse,
        &format!("unknown estate: expected {}", Estate::expected()),
    );
    let category = row.optional(
        diagnostics,
        "category",
        Category::parse,
        &format!(
            "unknown category: expected {}, or empty when uncategorised",
            Category::expected()
        ),
    );
    let placement = Placement {
        prison: prison?,
        home_cpa: home_cpa?,
        estate: estate?,
        category: category?,
    };
    if !placement.prison.holds(placement.estate, placement.category) {
        row.warning(
            diagnostics,
            "prison",
            format!(
                "{} does not hold {} category {}: held there all the same, but never moved there",
                placement.prison.name,
                placement.estate,
                placement.category.map_or("(none)", Category::as_str)
            ),
        );
    }
    Some(placement)
}

/// Reads a population snapshot. With `start`, also checks the dates against it: nobody
/// arrives after the start date and nobody's release date is before it.
pub fn load_population(
    path: &Path,
    data: &Dataset,
    start: Option<&Calendar>,
    diagnostics: &mut Diagnostics,
) -> Vec<Prisoner> {
    let Some(table) = Table::read(path, POPULATION_COLUMNS, diagnostics) else {
        return Vec::new();
    };
    let mut prisoners = Vec::new();
    let mut first_line_of: BTreeMap<&str, u64> = BTreeMap::new();
    for (index, row) in table.rows().enumerate() {
        if index as u64 == MAX_PRISONERS {
            row.error(
                diagnostics,
                "prisoner_id",
                format!("a population file holds at most {MAX_PRISONERS} prisoners: this row and those after it are not read"),
            );
            break;
        }
        let id_text = row.text("prisoner_id");
        if id_text.is_empty() {
            row.error(diagnostics, "prisoner_id", "every prisoner needs an id");
        } else if let Some(first) = first_line_of.get(id_text) {
            row.error(
                diagnostics,
                "prisoner_id",
                format!("duplicate prisoner id: first on line {first}"),
            );
        } else {
            first_line_of.insert(id_text, row.line());
        }
        let placement = read_placement(&row, data, diagnostics);
        let sentence = row.required(
            diagnostics,
            "sentence",
            Sentence::parse,
            &format!("unknown sentence: expected {}", Sentence::expected()),
        );
        let custody_start = row.required(diagnostics, "custody_start", parse_date, DATE_RULE);
        let arrived = row.required(diagnostics, "arrived", parse_date, DATE_RULE);
        let release_date = row.optional(diagnostics, "release_date", parse_date, DATE_RULE);
        let expected_release =
            read_expected_release(&row, diagnostics, sentence, custody_start, start);
        let do_not_move = row.required(
            diagnostics,
            "do_not_move",
            parse_bool,
            "expected true or false",
        );
        let removal = row.required(diagnostics, "removal", parse_bool, "expected true or false");
        check_dates(
            &row,
            diagnostics,
            sentence,
            custody_start,
            arrived,
            release_date.flatten(),
            start,
        );
        let (
            Some(placement),
            Some(sentence),
            Some(custody_start),
            Some(arrived),
            Some(release_date),
            Some(expected_release),
            Some(do_not_move),
            Some(removal),
        ) = (
            placement,
            sentence,
            custody_start,
            arrived,
            release_date,
            expected_release,
            do_not_move,
            removal,
        )
        else {
            continue;
        };
        if id_text.is_empty() || first_line_of.get(id_text) != Some(&row.line()) {
            continue; // no id, or a duplicate
        }
        prisoners.push(Prisoner {
            id: PrisonerId(id_text.to_string()),
            prison: placement.prison.code.clone(),
            home_cpa: placement.home_cpa,
            estate: placement.estate,
            category: placement.category,
            sentence,
            custody_start,
            arrived,
            release_date,
            expected_release,
            do_not_move,
            removal,
        });
    }
    prisoners
}

/// The optional `expected_release` column: empty, or a date for a remand or indeterminate
/// prisoner, not before his custody start (nor the start date, when given) and within a
/// century of it. `None` when it breaks a rule (recorded).
pub(super) fn read_expected_release(
    row: &Row,
    diagnostics: &mut Diagnostics,
    sentence: Option<Sentence>,
    custody_start: Option<NaiveDate>,
    start: Option<&Calendar>,
) -> Option<Option<NaiveDate>> {
    if !row.has(EXPECTED_RELEASE) {
        return Some(None);
    }
    let Some(date) = row.optional(diagnostics, EXPECTED_RELEASE, parse_date, DATE_RULE)? else {
        return Some(None);
    };
    let problem = if sentence == Some(Sentence::Determinate) {
        Some("must be empty for a determinate prisoner: he leaves on his release date".into())
    } else if let Some(custody_start) = custody_start.filter(|&c| date < c) {
        Some(format!(
            "expected departure before custody start ({custody_start})"
        ))
    } else if let Some(custody_start) = custody_start.filter(|&c| {
        c.checked_add_months(Months::new(MAX_CUSTODY_MONTHS))
            .is_some_and(|latest| date > latest)
    }) {
        Some(format!(
            "expected departure more than 100 years after custody start ({custody_start})"
        ))
    } else {
        start
            .map(Calendar::start)
            .filter(|&s| date < s)
            .map(|s| format!("expected departure before the start date {s}: he is no longer held"))
    };
    match problem {
        Some(problem) => {
            row.error(diagnostics, EXPECTED_RELEASE, problem);
            None
        }
        None => Some(Some(date)),
    }
}

pub(super) fn check_dates(
    row: &Row,
    diagnostics: &mut Diagnostics,
    sentence: Option<Sentence>,
    custody_start: Option<NaiveDate>,
    arrived: Option<NaiveDate>,
    release_date: Option<NaiveDate>,
    start: Option<&Calendar>,
) {
    match (sentence, release_date) {
        (Some(Sentence::Determinate), None) if row.text("release_date").is_empty() => {
            row.error(
                diagnostics,
                "release_date",
                "a determinate sentence needs a release date",
            );
        }
        (Some(sentence @ (Sentence::Remand | Sentence::Indeterminate)), Some(_)) => {
            row.error(diagnostics, "release_date", format!("must be empty for {} {sentence} prisoner: only determinate sentences have a release date", if sentence == Sentence::Indeterminate { "an" } else { "a" }));
        }
        _ => {}
    }
    if let Some(custody_start) = custody_start {
        if release_date.is_some_and(|release| release < custody_start) {
            row.error(
                diagnostics,
                "release_date",
                format!("release before custody start ({custody_start})"),
            );
        }
        if arrived.is_some_and(|arrived| arrived < custody_start) {
            row.error(
                diagnostics,
                "arrived",
                format!("arrival before custody start ({custody_start})"),
            );
        }
    }
    if let Some(calendar) = start {
        let s = calendar.start();
        if release_date.is_some_and(|release| release < s) {
            row.error(
                diagnostics,
                "release_date",
                format!("release before the start date {s}: he is no longer held"),
            );
        }
        if custody_start.is_some_and(|date| date > s) {
            row.error(diagnostics, "custody_start", format!("custody starts after the start date {s}: a future reception belongs in the receptions file"));
        } else if arrived.is_some_and(|date| date > s) {
            row.error(
                diagnostics,
                "arrived",
                format!(
                    "arrives after the start date {s}: the snapshot says where he is on that date"
                ),
            );
        }
    }
}

/// The rule for a week counted from the start date.
pub(super) fn week_rule() -> String {
    format!("a week is a whole number, 0 or more (at most {MAX_WEEK}), counted from the start date")
}
