//! Booked moves: `booked.csv`, each checked against its prisoner and, with the plan's
//! options, against capacity and the escort limits.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domain::calendar::Calendar;
use crate::domain::{BookedMove, Dataset, Prison, PrisonCode, Prisoner, PrisonerId, Sentence};
use crate::input::dataset::{parse_count_to, parse_prison_code};
use crate::input::diagnostics::Diagnostics;
use crate::input::limits::MAX_WEEK;
use crate::input::population::{known_prison, week_rule, BOOKED_COLUMNS};
use crate::input::table::{Row, Table};

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
pub(super) fn check_booked_prisoner(
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
