//! Last week's plan as an input (docs/planning-rules.md §5 "Weekly re-planning"): its moves
//! in the coming `freeze` weeks are booked and kept; its later moves are kept wherever that
//! costs nothing in (a) or (b) (priority (b′), in the model); and what changed against it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::domain::calendar::Calendar;
use crate::domain::{BookedMove, Dataset, PrisonCode, PrisonerId, Sentence};
use crate::input::diagnostics::Diagnostics;
use crate::input::validate::Inputs;
use crate::input::{load_plan_moves, PlannedMove};
use crate::problem::plan::Plan;

/// Weeks of last week's plan kept as booked, counted from the new start.
pub const DEFAULT_FREEZE: u32 = 2;

/// What became of a move from one run to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Same prisoner, prison and date.
    Kept,
    /// Same prisoner and prison, another date.
    OtherWeek,
    /// Same prisoner, another prison.
    OtherPrison,
    /// In the first run only.
    Dropped,
    /// In the second run only.
    New,
}

impl Change {
    pub const ALL: [Change; 5] = [
        Change::Kept,
        Change::OtherWeek,
        Change::OtherPrison,
        Change::Dropped,
        Change::New,
    ];

    /// The word written in the CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Kept => "kept",
            Change::OtherWeek => "other_week",
            Change::OtherPrison => "other_prison",
            Change::Dropped => "dropped",
            Change::New => "new",
        }
    }
}

/// One move of last week's plan, in this plan's weeks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousMove {
    pub prisoner_id: PrisonerId,
    pub from: PrisonCode,
    pub to: PrisonCode,
    /// Its week from the new start; `None` before it (already carried out or not).
    pub week: Option<u32>,
    pub fate: Fate,
}

/// What re-planning does with a move of last week's plan, decided before the new plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// In the freeze: booked as it was.
    Frozen,
    /// After the freeze: kept by (b′) where that costs nothing in (a) or (b).
    Later,
    /// Before the new start.
    Past,
    /// It cannot be kept, for this reason.
    Dropped(String),
}

/// Reads `moves.csv` of the plan folder `dir` (a plan resettle wrote, with prisoner ids, not
/// pseudonyms; `io::load_plan_moves`), with each move's week counted from `calendar`'s
/// start; and every problem.
pub fn read(dir: &Path, data: &Dataset, calendar: &Calendar) -> (Vec<PreviousMove>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let Some(planned) = load_plan_moves(&dir.join("moves.csv"), data, &mut diagnostics) else {
        return (Vec::new(), diagnostics);
    };
    let mut moves = Vec::new();
    for m in &planned.moves {
        if (m.date - calendar.first_day(0)).num_days().rem_euclid(7) != 0 {
            diagnostics.push(planned.error(
                m,
                "date",
                "is not a Monday of the new plan's weeks: last week's plan must start a whole \
                 number of weeks before --start",
            ));
            continue;
        }
        moves.push(PreviousMove::of(
            m,
            u32::try_from(calendar.week_of(m.date)).ok(),
        ));
    }
    (moves, diagnostics)
}

impl PreviousMove {
    /// Last week's move `m`, in the new plan's week `week`.
    pub fn of(m: &PlannedMove, week: Option<u32>) -> PreviousMove {
        PreviousMove {
            prisoner_id: m.prisoner_id.clone(),
            from: m.from.clone(),
            to: m.to.clone(),
            week,
            fate: Fate::Past,
        }
    }
}

/// Decides each move's fate and books the frozen ones in `inputs` (weeks before `freeze`):
/// a move is kept only if its prisoner is still held where it starts and may still make it.
pub fn carry(
    inputs: &mut Inputs,
    moves: &mut [PreviousMove],
    freeze: u32,
    horizon: u32,
    calendar: &Calendar,
) {
    let position = positions(inputs);
    let mut booking = Vec::new();
    for m in moves.iter_mut() {
        let Some(week) = m.week else {
            m.fate = Fate::Past;
            continue;
        };
        let Some(&index) = position.get(m.prisoner_id.as_str()) else {
            m.fate = Fate::Dropped("not in the population: released, departed or moved on".into());
            continue;
        };
        let prisoner = &inputs.prisoners[index];
        let leaves = prisoner.release_date.or(prisoner.expected_release);
        let to = inputs.data.prison(&m.to);
        let booked = inputs
            .booked
            .iter()
            .find(|b| b.prisoner_id == m.prisoner_id);
        m.fate = if prisoner.prison != m.from {
            Fate::Dropped(format!("no longer held in {}", m.from.as_str()))
        } else if week >= horizon {
            Fate::Dropped("after this plan's horizon".into())
        } else if leaves.is_some_and(|d| calendar.week_of(d) <= i64::from(week)) {
            Fate::Dropped("released or departing before the move".into())
        } else if prisoner.do_not_move {
            Fate::Dropped("now do-not-move".into())
        } else if prisoner.sentence == Sentence::Remand {
            Fate::Dropped("on remand: the plan moves no remand prisoner".into())
        } else if !to.is_some_and(|p| p.holds(prisoner.estate, prisoner.category)) {
            Fate::Dropped(format!(
                "{} no longer holds his estate and category",
                m.to.as_str()
            ))
        } else if let Some(b) = booked {
            if b.to == m.to && b.week == week {
                Fate::Frozen
            } else {
                Fate::Dropped("another move is booked for him".into())
            }
        } else if week < freeze {
            booking.push(BookedMove {
                prisoner_id: m.prisoner_id.clone(),
                to: m.to.clone(),
                week,
            });
            Fate::Frozen
        } else {
            Fate::Later
        };
    }
    inputs.booked.extend(booking);
}

/// The later moves to keep, by mover (existing prisoners are the first movers, in input
/// order): (destination prison index, week).
pub fn later_moves(inputs: &Inputs, moves: &[PreviousMove]) -> BTreeMap<usize, (usize, u32)> {
    let position = positions(inputs);
    moves
        .iter()
        .filter(|m| m.fate == Fate::Later)
        .filter_map(|m| {
            let mover = *position.get(m.prisoner_id.as_str())?;
            let to = inputs.data.prison_position(&m.to)?;
            Some((mover, (to, m.week?)))
        })
        .collect()
}

/// One row of `changes.csv`: a prisoner's move last week and now.
#[derive(Debug, Clone)]
pub struct ChangeRow {
    pub prisoner_id: PrisonerId,
    pub change: Change,
    /// Last week's move: destination and week (from the new start; `None` before it).
    pub before: Option<(PrisonCode, Option<u32>)>,
    /// This plan's move: index into `plan.moves`.
    pub now: Option<usize>,
    pub reason: String,
}

/// Every prisoner's change against last week's plan (moves of the past left out), in
/// prisoner order. A changed or new move's reason is completed by why it is made now (see
/// `report::changes_csv`).
pub fn changes(inputs: &Inputs, previous: &[PreviousMove], plan: &Plan) -> Vec<ChangeRow> {
    let mut now: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, m) in plan.moves.iter().enumerate() {
        if let Some(p) = inputs.prisoners.get(m.mover) {
            now.entry(p.id.as_str()).or_insert(i);
        }
    }
    let code = |prison: usize| inputs.data.prisons[prison].code.clone();
    let mut rows = Vec::new();
    let mut seen = BTreeSet::new();
    for m in previous.iter().filter(|m| m.fate != Fate::Past) {
        seen.insert(m.prisoner_id.as_str());
        let current = now.get(m.prisoner_id.as_str()).copied();
        let (change, reason) = match (current, &m.fate) {
            (_, Fate::Dropped(reason)) => (Change::Dropped, reason.clone()),
            (Some(i), fate) => {
                let moved = &plan.moves[i];
                let same_to = code(moved.to) == m.to;
                let same_week = Some(moved.week) == m.week;
                match (same_to, same_week) {
                    (true, true) if *fate == Fate::Frozen => {
                        (Change::Kept, "in the freeze: booked".into())
                    }
                    (true, true) => (Change::Kept, "kept (b′)".into()),
                    (true, false) => (Change::OtherWeek, NOT_KEPT.into()),
                    (false, _) => (Change::OtherPrison, NOT_KEPT.into()),
                }
            }
            (None, _) => (Change::Dropped, NOT_KEPT.to_string()),
        };
        rows.push(ChangeRow {
            prisoner_id: m.prisoner_id.clone(),
            change,
            before: Some((m.to.clone(), m.week)),
            now: current,
            reason,
        });
    }
    for (id, &i) in &now {
        if !seen.contains(id) {
            rows.push(ChangeRow {
                prisoner_id: PrisonerId(id.to_string()),
                change: Change::New,
                before: None,
                now: Some(i),
                reason: String::new(),
            });
        }
    }
    rows.sort_by(|a, b| a.prisoner_id.cmp(&b.prisoner_id));
    rows
}

/// Why a later move was not kept, as the rule says it: (b′) comes after (a) overflow and (b)
/// home releases (or the model no longer offers the move: he is now in another cohort).
const NOT_KEPT: &str =
    "not kept: last week's moves are kept only where that costs no overflow and no home release";

/// Of last week's later moves (after the freeze), how many `rows` keep, and how many there
/// were.
pub fn kept_later(rows: &[ChangeRow], previous: &[PreviousMove]) -> (usize, usize) {
    let later: BTreeSet<&PrisonerId> = previous
        .iter()
        .filter(|m| m.fate == Fate::Later)
        .map(|m| &m.prisoner_id)
        .collect();
    rows.iter()
        .filter(|r| later.contains(&r.prisoner_id))
        .fold((0, 0), |(kept, all), r| {
            (kept + usize::from(r.change == Change::Kept), all + 1)
        })
}

/// The counts of each change, for the summary.
pub fn tally(rows: &[ChangeRow], previous: &[PreviousMove]) -> String {
    let count = |c: Change| rows.iter().filter(|r| r.change == c).count();
    let (kept_later, later) = kept_later(rows, previous);
    let share = if later == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", 100.0 * kept_later as f64 / later as f64)
    };
    let frozen = previous.iter().filter(|m| m.fate == Fate::Frozen).count();
    format!(
        "against last week's plan: {frozen} move(s) in the freeze booked; of {later} later \
         move(s), {kept_later} kept ({share}); in all {} kept, {} moved to another week, {} \
         moved to another prison, {} dropped, {} new (changes.csv)",
        count(Change::Kept),
        count(Change::OtherWeek),
        count(Change::OtherPrison),
        count(Change::Dropped),
        count(Change::New),
    )
}

/// Each prisoner's position in the population (his mover index), by id.
fn positions(inputs: &Inputs) -> BTreeMap<&str, usize> {
    inputs
        .prisoners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect()
}
