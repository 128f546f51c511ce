//! The planning inputs: the population snapshot, forecast receptions and booked moves —
//! read with every problem reported, and written back in the same formats.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Months, NaiveDate};

use super::dataset::{parse_count_to, parse_prison_code};
use super::limits::{date_in_range, MAX_COUNT, MAX_PRISONERS, MAX_RELEASE_WEEK, MAX_WEEK};
use super::table::{Row, Table};
use crate::domain::calendar::Calendar;
use crate::domain::{
    BookedMove, Category, CpaId, Dataset, Estate, Prison, PrisonCode, Prisoner, PrisonerId,
    ReceptionCohort, Sentence, MAX_EXPECTED_RELEASE_WEEK,
};
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
const MAX_CUSTODY_MONTHS: u32 = 1_200;

const DATE_RULE: &str = "a date is written YYYY-MM-DD and must exist, in the years 1900 to 2200";

/// A date of an input file: written YYYY-MM-DD, in the years of
/// [`DATE_YEARS`](super::limits::DATE_YEARS).
fn parse_date(text: &str) -> Option<NaiveDate> {
    crate::domain::calendar::parse_date(text).filter(|&date| date_in_range(date))
}

fn known_prison<'d>(data: &'d Dataset, text: &str) -> Option<&'d Prison> {
    parse_prison_code(text).and_then(|code| data.prison(&code))
}

fn known_cpa(data: &Dataset, text: &str) -> Option<CpaId> {
    let id = CpaId(text.to_string());
    data.cpa(&id).map(|_| id)
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The prison, home CPA, estate and category columns shared by prisoners and receptions.
struct Placement<'d> {
    prison: &'d Prison,
    home_cpa: Option<CpaId>,
    estate: Estate,
    category: Option<Category>,
}

fn read_placement<'d>(
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
fn read_expected_release(
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

fn check_dates(
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

/// Reads forecast receptions.
pub fn load_receptions(
    path: &Path,
    data: &Dataset,
    diagnostics: &mut Diagnostics,
) -> Vec<ReceptionCohort> {
    let Some(table) = Table::read(path, RECEPTION_COLUMNS, diagnostics) else {
        return Vec::new();
    };
    let mut cohorts = Vec::new();
    let mut total = 0u64;
    for row in table.rows() {
        let week = row.required(diagnostics, "week", parse_count_to(MAX_WEEK), &week_rule());
        let placement = read_placement(&row, data, diagnostics);
        let release_week = row.optional(
            diagnostics,
            "release_week",
            parse_count_to(MAX_RELEASE_WEEK),
            &format!("a release week is a whole number, 0 or more (at most {MAX_RELEASE_WEEK}), or empty when there is no release date"),
        );
        let count = row.required(
            diagnostics,
            "count",
            |t| parse_count_to(MAX_COUNT)(t).filter(|&n| n > 0),
            &format!("a count is a whole number, 1 or more (at most {MAX_COUNT})"),
        );
        total += u64::from(count.unwrap_or(0));
        if total > MAX_PRISONERS {
            row.error(
                diagnostics,
                "count",
                format!("a receptions file holds at most {MAX_PRISONERS} receptions in all: this row and those after it are not read"),
            );
            break;
        }
        if let (Some(week), Some(Some(release_week))) = (week, release_week) {
            if release_week < week {
                row.error(
                    diagnostics,
                    "release_week",
                    format!("release before custody start (week {week})"),
                );
                continue;
            }
        }
        let expected_release_week =
            read_expected_release_week(&row, diagnostics, week, release_week);
        if let (
            Some(week),
            Some(placement),
            Some(release_week),
            Some(expected_release_week),
            Some(count),
        ) = (week, placement, release_week, expected_release_week, count)
        {
            cohorts.push(ReceptionCohort {
                week,
                prison: placement.prison.code.clone(),
                home_cpa: placement.home_cpa,
                estate: placement.estate,
                category: placement.category,
                release_week,
                expected_release_week,
                count,
            });
        }
    }
    cohorts
}

/// The optional `expected_release_week` column: empty, or for a cohort with no release week
/// a whole number from its arrival week up to [`MAX_EXPECTED_RELEASE_WEEK`]. `None` when it
/// breaks a rule (recorded).
fn read_expected_release_week(
    row: &Row,
    diagnostics: &mut Diagnostics,
    week: Option<u32>,
    release_week: Option<Option<u32>>,
) -> Option<Option<u32>> {
    if !row.has(EXPECTED_RELEASE_WEEK) {
        return Some(None);
    }
    let rule = format!(
        "an expected departure week is a whole number, from the arrival week up to \
         {MAX_EXPECTED_RELEASE_WEEK}, or empty"
    );
    let Some(expected) = row.optional(
        diagnostics,
        EXPECTED_RELEASE_WEEK,
        parse_count_to(MAX_EXPECTED_RELEASE_WEEK),
        &rule,
    )?
    else {
        return Some(None);
    };
    let problem = if matches!(release_week, Some(Some(_))) {
        Some("must be empty when there is a release week: the cohort leaves then".to_string())
    } else if let Some(week) = week.filter(|&w| expected < w) {
        Some(format!("expected departure before arrival (week {week})"))
    } else if expected > MAX_EXPECTED_RELEASE_WEEK {
        Some(format!(
            "{rule}: leave it empty for a cohort that stays longer"
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => {
            row.error(diagnostics, EXPECTED_RELEASE_WEEK, problem);
            None
        }
        None => Some(Some(expected)),
    }
}

/// The rule for a week counted from the start date.
fn week_rule() -> String {
    format!("a week is a whole number, 0 or more (at most {MAX_WEEK}), counted from the start date")
}

/// Reads booked moves. With `population`, each move is checked against its prisoner
/// (docs/planning-rules.md §5 rule 4: none for a do-not-move or remand prisoner, none at or after his
/// release week when `start` gives the calendar).
pub fn load_booked_moves(
    path: &Path,
    data: &Dataset,
    population: Option<&[Prisoner]>,
    start: Option<&Calendar>,
    diagnostics: &mut Diagnostics,
) -> Vec<BookedMove> {
    let Some(table) = Table::read(path, BOOKED_COLUMNS, diagnostics) else {
        return Vec::new();
    };
    let by_id: Option<BTreeMap<&str, &Prisoner>> =
        population.map(|ps| ps.iter().map(|p| (p.id.as_str(), p)).collect());
    let mut first_line_of: BTreeMap<&str, u64> = BTreeMap::new();
    let mut moves = Vec::new();
    for row in table.rows() {
        let id = row.required(
            diagnostics,
            "prisoner_id",
            |t| Some(t.to_string()),
            "every booked move names a prisoner",
        );
        let to = row.required(
            diagnostics,
            "to",
            |t| known_prison(data, t).filter(|p| p.is_destination()),
            "unknown prison, or one no one is moved to: it must be a code from prisons.csv",
        );
        let week = row.required(diagnostics, "week", parse_count_to(MAX_WEEK), &week_rule());
        let (Some(id), Some(to), Some(week)) = (id, to, week) else {
            continue;
        };
        let errors_before = diagnostics.error_count();
        if to.operational_capacity == 0 {
            row.error(
                diagnostics,
                "to",
                format!(
                    "{} has no places (operational capacity 0): no one can be moved there",
                    to.name
                ),
            );
        }
        let id_text = row.text("prisoner_id");
        if let Some(first) = first_line_of.insert(id_text, row.line()) {
            row.error(
                diagnostics,
                "prisoner_id",
                format!("a prisoner has at most one booked move: also on line {first}"),
            );
            continue;
        }
        if let Some(by_id) = &by_id {
            let Some(prisoner) = by_id.get(id.as_str()) else {
                row.error(
                    diagnostics,
                    "prisoner_id",
                    "no such prisoner in the population file",
                );
                continue;
            };
            check_booked_prisoner(&row, prisoner, to, week, start, diagnostics);
        }
        if diagnostics.error_count() > errors_before {
            continue;
        }
        moves.push(BookedMove {
            prisoner_id: PrisonerId(id),
            to: to.code.clone(),
            week,
        });
    }
    moves
}

/// Checks a booked move against its prisoner.
fn check_booked_prisoner(
    row: &Row,
    prisoner: &Prisoner,
    to: &Prison,
    week: u32,
    start: Option<&Calendar>,
    diagnostics: &mut Diagnostics,
) {
    let errors_before = diagnostics.error_count();
    if prisoner.prison == to.code {
        row.error(diagnostics, "to", "the prisoner is already held there");
    }
    if prisoner.do_not_move {
        row.error(
            diagnostics,
            "prisoner_id",
            "the prisoner is do-not-move: no move may be booked for him",
        );
    }
    if prisoner.sentence == Sentence::Remand {
        row.error(
            diagnostics,
            "prisoner_id",
            "the prisoner is on remand: no move may be booked for him",
        );
    }
    let release_week = start
        .zip(prisoner.release_date)
        .map(|(calendar, date)| calendar.week_of(date));
    if let Some(release_week) = release_week.filter(|&r| i64::from(week) >= r) {
        row.error(
            diagnostics,
            "week",
            format!("the prisoner is released in week {release_week}: a booked move comes before his release week"),
        );
    }
    if diagnostics.error_count() == errors_before && !to.holds(prisoner.estate, prisoner.category) {
        row.warning(
            diagnostics,
            "to",
            format!(
                "{} does not hold the prisoner's estate and category: booked all the same",
                to.name
            ),
        );
    }
}

/// Reports the booked moves of `path` that the checks needing the plan's options refuse (a
/// scenario's closures, the headroom, the escort limits): `check(prisoner id, to, week)`,
/// called row by row in file order, gives the column and the reason of each error. Rows
/// that do not read are left to [`load_booked_moves`], which reported them.
pub fn check_booked_rows(
    path: &Path,
    mut check: impl FnMut(&str, &PrisonCode, u32) -> Vec<(&'static str, String)>,
    diagnostics: &mut Diagnostics,
) {
    let Some(table) = Table::read(path, BOOKED_COLUMNS, &mut Diagnostics::default()) else {
        return;
    };
    for row in table.rows() {
        let to = parse_prison_code(row.text("to"));
        let week = parse_count_to(MAX_WEEK)(row.text("week"));
        if let Some((to, week)) = to.zip(week) {
            for (column, why) in check(row.text("prisoner_id"), &to, week) {
                row.error(diagnostics, column, why);
            }
        }
    }
}
