//! A plan folder's `moves.csv` ([`crate::output::rows::MoveRow`]) as `resettle roll` and
//! `plan --previous` read it: the columns they need, found by name (others may be appended).

use std::path::Path;

use chrono::NaiveDate;

use super::dataset::{parse_count_to, parse_prison_code};
use super::limits::MAX_HORIZON;
use super::table::Table;
use crate::domain::{Dataset, PrisonCode, PrisonerId};
use crate::input::diagnostics::{Diagnostic, Diagnostics, Severity};

/// The columns of `moves.csv` that `resettle roll` reads.
const READ_COLUMNS: [&str; 6] = ["prisoner_id", "from", "to", "week", "date", "reason"];

/// One row of a plan's `moves.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMove {
    pub prisoner_id: PrisonerId,
    pub from: PrisonCode,
    pub to: PrisonCode,
    pub week: u32,
    pub date: NaiveDate,
    /// A booked move of the inputs (reason `booked`), not one the plan chose.
    pub booked: bool,
    /// Its row in the table, for diagnostics (0 for a move made in memory).
    pub(crate) row: usize,
}

/// The rows of a plan's `moves.csv` that read, in file order, with the file for diagnostics
/// (none for a plan made in memory, by `resettle simulate`).
pub struct PlannedMoves {
    table: Option<Table>,
    pub moves: Vec<PlannedMove>,
}

impl PlannedMoves {
    /// Moves of a plan made in memory (by `resettle simulate`): diagnostics point at no file.
    pub fn in_memory(moves: Vec<PlannedMove>) -> PlannedMoves {
        PlannedMoves { table: None, moves }
    }

    /// An error about `column` of the move's row, quoting its value.
    pub fn error(&self, m: &PlannedMove, column: &str, message: impl Into<String>) -> Diagnostic {
        match &self.table {
            Some(table) => table
                .row(m.row)
                .diagnostic(Severity::Error, column, message),
            None => Diagnostic {
                severity: Severity::Error,
                file: "the plan made in memory".into(),
                line: None,
                column: None,
                value: Some(column.to_string()),
                message: message.into(),
            },
        }
    }
}

/// Reads `moves.csv` of a plan folder: every row names a prisoner, two prisons of the data
/// set, a week of the horizon and its date. `None` when the file cannot be used at all.
pub fn load_plan_moves(
    path: &Path,
    data: &Dataset,
    diagnostics: &mut Diagnostics,
) -> Option<PlannedMoves> {
    let table = Table::read(path, &READ_COLUMNS, diagnostics)?;
    let prison = |text: &str| parse_prison_code(text).filter(|code| data.prison(code).is_some());
    let prison_rule = "unknown prison: it must be a code from prisons.csv (was the plan made \
                       with this data set?)";
    let week_rule = format!(
        "a week of a plan is a whole number from 0 up to {}",
        MAX_HORIZON - 1
    );
    let mut moves = Vec::new();
    for (row_index, row) in table.rows().enumerate() {
        let id = row.required(
            diagnostics,
            "prisoner_id",
            |t| Some(PrisonerId(t.to_string())),
            "every move names a prisoner",
        );
        let from = row.required(diagnostics, "from", prison, prison_rule);
        let to = row.required(diagnostics, "to", prison, prison_rule);
        let week = row.required(
            diagnostics,
            "week",
            parse_count_to(MAX_HORIZON - 1),
            &week_rule,
        );
        let date = row.required(
            diagnostics,
            "date",
            crate::domain::calendar::parse_date,
            "a date is written YYYY-MM-DD and must exist",
        );
        if let (Some(prisoner_id), Some(from), Some(to), Some(week), Some(date)) =
            (id, from, to, week, date)
        {
            moves.push(PlannedMove {
                prisoner_id,
                from,
                to,
                week,
                date,
                // `MoveReason::Booked` as `moves.csv` writes it.
                booked: row.text("reason") == "booked",
                row: row_index,
            });
        }
    }
    Some(PlannedMoves {
        table: Some(table),
        moves,
    })
}
