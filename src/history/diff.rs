//! Two runs' planned moves compared, prisoner by prisoner (`resettle diff`). Moves are
//! matched by date, not week number, since two runs may start on different Mondays: a move
//! is kept when the same prisoner goes to the same prison on the same date (docs/planning-rules.md
//! §5, weekly re-planning).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::json;

use super::records::{now, user_name, Audit, PlannedMove};
use super::{Store, Target};
use crate::error::HistoryError;
use crate::output::csv_bytes;
use crate::planners::previous::Change;

/// One prisoner's move in either run or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    pub change: Change,
    pub before: Option<PlannedMove>,
    pub after: Option<PlannedMove>,
}

/// The rows of a comparison, by change then prisoner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    pub rows: Vec<DiffRow>,
}

impl Diff {
    /// How many rows are of `change`.
    pub fn count(&self, change: Change) -> usize {
        self.rows.iter().filter(|row| row.change == change).count()
    }
}

impl fmt::Display for Diff {
    /// The counts, no personal data: `3 kept, 1 other_week, ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts: Vec<String> = Change::ALL
            .iter()
            .map(|&change| format!("{} {}", self.count(change), change.as_str()))
            .collect();
        f.write_str(&counts.join(", "))
    }
}

/// Runs `before` and `after` of the history at `target` compared. Reading their prisoner ids
/// out of the history is written in its audit.
pub fn diff_runs(target: &Target, before: i64, after: i64) -> Result<Diff, HistoryError> {
    let mut store = Store::open(target, false)?;
    let (earlier, later) = (store.run(before)?, store.run(after)?);
    store.audit(&Audit {
        at: now(),
        user: user_name(),
        command: format!("diff {before} {after}"),
        run: None,
        inputs: json!({ "runs": [before, after] }).to_string(),
    })?;
    Ok(compare(&earlier.planned, &later.planned))
}

/// Compares the moves `before` and `after`: for each prisoner, moves to the same prison on
/// the same date are kept, then moves to the same prison are paired (another week), then
/// the rest in date order (another prison); what is left was dropped or is new.
pub fn compare(before: &[PlannedMove], after: &[PlannedMove]) -> Diff {
    let mut prisoners: BTreeMap<&str, (Vec<&PlannedMove>, Vec<&PlannedMove>)> = BTreeMap::new();
    for m in before {
        prisoners.entry(&m.prisoner).or_default().0.push(m);
    }
    for m in after {
        prisoners.entry(&m.prisoner).or_default().1.push(m);
    }
    let mut rows = Vec::new();
    for (mut old, mut new) in prisoners.into_values() {
        old.sort_by(|a, b| a.date.cmp(&b.date));
        new.sort_by(|a, b| a.date.cmp(&b.date));
        for change in [Change::Kept, Change::OtherWeek, Change::OtherPrison] {
            let mut i = 0;
            while i < old.len() {
                match new.iter().position(|b| pairs(change, old[i], b)) {
                    Some(j) => rows.push(DiffRow {
                        change,
                        before: Some(old.remove(i).clone()),
                        after: Some(new.remove(j).clone()),
                    }),
                    None => i += 1,
                }
            }
        }
        rows.extend(old.into_iter().map(|m| DiffRow {
            change: Change::Dropped,
            before: Some(m.clone()),
            after: None,
        }));
        rows.extend(new.into_iter().map(|m| DiffRow {
            change: Change::New,
            before: None,
            after: Some(m.clone()),
        }));
    }
    // Stable: within a change, prisoners stay in order.
    rows.sort_by_key(|row| row.change);
    Diff { rows }
}

/// The CSV of a comparison: one row per move, both runs' sides.
pub fn diff_csv(diff: &Diff) -> Vec<u8> {
    let header = [
        "change",
        "prisoner_id",
        "from_before",
        "to_before",
        "week_before",
        "date_before",
        "reason_before",
        "from_after",
        "to_after",
        "week_after",
        "date_after",
        "reason_after",
    ];
    let side = |m: &Option<PlannedMove>| -> [String; 5] {
        match m {
            Some(m) => [
                m.from.clone(),
                m.to.clone(),
                m.week.to_string(),
                m.date.clone(),
                m.reason.clone(),
            ],
            None => Default::default(),
        }
    };
    let rows = diff.rows.iter().map(|row| {
        let prisoner = row
            .before
            .as_ref()
            .or(row.after.as_ref())
            .map(|m| m.prisoner.clone())
            .unwrap_or_default();
        let mut cells = vec![row.change.as_str().to_string(), prisoner];
        cells.extend(side(&row.before));
        cells.extend(side(&row.after));
        cells
    });
    csv_bytes(header, rows)
}

/// Whether `before` and `after`, moves of one prisoner, pair as `change` (one of the
/// first three).
fn pairs(change: Change, before: &PlannedMove, after: &PlannedMove) -> bool {
    match change {
        Change::Kept => before.to == after.to && before.date == after.date,
        Change::OtherWeek => before.to == after.to,
        Change::OtherPrison | Change::Dropped | Change::New => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn move_to(to: &str, week: u32, date: &str) -> PlannedMove {
        PlannedMove {
            prisoner: "P1".into(),
            from: "NLO".into(),
            to: to.into(),
            week,
            date: date.into(),
            reason: "resettle".into(),
        }
    }

    fn changes(before: &[PlannedMove], after: &[PlannedMove]) -> Vec<Change> {
        compare(before, after)
            .rows
            .iter()
            .map(|r| r.change)
            .collect()
    }

    #[test]
    fn moves_are_matched_by_date_not_by_week_number() {
        // Last week's plan started a week earlier: its week 3 is this week's week 2.
        let before = [move_to("CTR", 3, "2014-09-22")];
        let after = [move_to("CTR", 2, "2014-09-22")];
        assert_eq!(changes(&before, &after), [Change::Kept]);
    }

    #[test]
    fn a_prisoner_with_two_moves_pairs_the_matching_one_first() {
        let before = [
            move_to("CTR", 1, "2014-09-08"),
            move_to("SOP", 5, "2014-10-06"),
        ];
        let after = [move_to("SOP", 5, "2014-10-06")];
        assert_eq!(changes(&before, &after), [Change::Kept, Change::Dropped]);
        let after = [
            move_to("SOP", 6, "2014-10-13"),
            move_to("NLO", 2, "2014-09-15"),
        ];
        assert_eq!(
            changes(&before, &after),
            [Change::OtherWeek, Change::OtherPrison]
        );
    }
}
