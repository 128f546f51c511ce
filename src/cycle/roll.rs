//! `resettle roll`: next week's planning inputs from this week's and this week's plan, as if
//! the plan's week 0 was carried out (docs/planning-rules.md §5, weekly re-planning).
//!
//! With S this plan's start and S' = S + 7 days the next one's:
//! - the moves of week 0 are made (the booked ones, and the plan's when it could move people
//!   in week 0): the prisoner is held at the destination, arrived on S;
//! - everyone the planner counts as gone from week 1 ([`Mover::present`]) leaves: released
//!   (release date before S') or departed (expected departure before S');
//! - the receptions of week 0 arrive, one prisoner per person (below); later cohorts stay, with
//!   every week one less;
//! - the moves of week 1, the plan's and the booked ones (the requests sent this week), become
//!   the booked moves of the new week 0; later booked moves stay booked, a week earlier. The
//!   plan's moves of later weeks are a forecast, and cohort moves (`forecast_moves.csv`) name
//!   nobody: neither is booked. A move of week 1 that takes a do-not-move or remand prisoner
//!   out of a closing prison cannot be booked (§5 rule 4): the next plan makes it again.
//!
//! A reception of week 0 becomes a prisoner whom the next plan treats as it treated his cohort
//! (the planner's own [`Mover`] of the cohort gives his dates and sentence):
//! - id `R<S' as YYYYMMDD>-<n>`, n = `0000001`, `0000002`, … in the order of the receptions
//!   file and of the people of a cohort; a number whose id the population uses is skipped;
//! - the cohort's prison, home CPA, estate and category; custody start and arrival on S;
//! - release date the Monday of the release week (the day the planner gives a cohort);
//! - with no release week, sentence remand (the planner treats such a cohort as remand) and
//!   expected departure the Monday of the expected departure week;
//! - neither do-not-move nor liable to removal.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::domain::calendar::Calendar;
use crate::domain::{BookedMove, PrisonCode, Prisoner, PrisonerId, ReceptionCohort, Sentence};
use crate::input::diagnostics::{Diagnostic, Diagnostics};
use crate::input::validate::Inputs;
use crate::input::{load_plan_moves, PlannedMove, PlannedMoves};
use crate::output::is_pseudonym;
use crate::output::{booked_csv, population_csv, receptions_csv, OutputFiles};
use crate::problem::instance::{movers, Mover, PlanOptions};

/// Next week's planning inputs, and what rolling made of this week's.
#[derive(Debug, Clone, PartialEq)]
pub struct Rolled {
    /// The next plan's start S' = S + 7 days.
    pub calendar: Calendar,
    pub prisoners: Vec<Prisoner>,
    pub receptions: Vec<ReceptionCohort>,
    pub booked: Vec<BookedMove>,
    /// The moves of week 0 made, by prisoner id.
    pub made: Vec<RolledMove>,
    /// The moves of week 1 (the requests sent this week), by prisoner id, each with whether
    /// it is booked for the new week 0.
    pub week_1: Vec<(RolledMove, bool)>,
    pub counts: RollCounts,
}

/// A move of one prisoner that rolling made or tried to book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolledMove {
    pub prisoner_id: PrisonerId,
    pub from: PrisonCode,
    pub to: PrisonCode,
    pub date: NaiveDate,
}

/// What rolling did, in counts only (prisoners are personal data).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RollCounts {
    /// Moves of week 0 made, booked or planned.
    pub moves_made: usize,
    /// Prisoners released: release date before S'.
    pub released: usize,
    /// Remand and indeterminate prisoners gone: expected departure before S'.
    pub departed: usize,
    /// People of week 0's receptions now in the population.
    pub received: u64,
    /// People of week 0's receptions who left within it.
    pub received_and_gone: u64,
    /// Moves booked for the new week 0 (this plan's week 1).
    pub booked_now: usize,
    /// Booked moves of later weeks, kept.
    pub booked_later: usize,
    /// Booked moves of prisoners who have left, dropped.
    pub booked_dropped: usize,
    /// Moves of week 1 that take a do-not-move or remand prisoner out of a closing prison:
    /// not bookable.
    pub not_bookable: usize,
}

impl Rolled {
    /// The files of the new inputs: `population.csv`, `receptions.csv` and `booked.csv`.
    pub fn files(&self) -> OutputFiles {
        let mut files = OutputFiles::default();
        files.add("population.csv", population_csv(&self.prisoners));
        files.add("receptions.csv", receptions_csv(&self.receptions));
        files.add("booked.csv", booked_csv(&self.booked));
        files
    }
}

/// Reads the moves of a plan folder written by `resettle plan` (its `moves.csv`); fails with
/// every problem, at least one an error.
pub fn load_plan(dir: &Path, inputs: &Inputs) -> Result<PlannedMoves, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    if !dir.is_dir() {
        diagnostics.push(Diagnostic::file_error(
            dir,
            "is not a folder: give the --out folder of `resettle plan`",
        ));
        return Err(diagnostics);
    }
    match load_plan_moves(&dir.join("moves.csv"), &inputs.data, &mut diagnostics) {
        Some(moves) if !diagnostics.has_errors() => Ok(moves),
        _ => Err(diagnostics),
    }
}

/// Next week's inputs from this week's (`inputs`, for the plan starting on `calendar`) and
/// the moves of the plan made from them. Fails, with every problem at its row (errors
/// all), when the plan's moves show it was not made from these inputs.
pub fn roll(
    inputs: &Inputs,
    calendar: Calendar,
    plan: &PlannedMoves,
) -> Result<Rolled, Diagnostics> {
    let movers = movers(inputs, &PlanOptions::new(calendar));
    let diagnostics = check_plan(inputs, &movers, &calendar, plan);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let next = Calendar::new(calendar.first_day(1)).expect("a week after a Monday");
    // The moves of a week, booked or planned, by prisoner (`check_plan`: they agree).
    let moves_in = |week: u32| -> BTreeMap<&str, &PrisonCode> {
        let booked = inputs.booked.iter().filter(|b| b.week == week);
        let planned = plan.moves.iter().filter(|m| m.week == week);
        booked
            .map(|b| (b.prisoner_id.as_str(), &b.to))
            .chain(planned.map(|m| (m.prisoner_id.as_str(), &m.to)))
            .collect()
    };
    let (week_0, week_1) = (moves_in(0), moves_in(1));
    let held: BTreeMap<&str, &Prisoner> = (inputs.prisoners.iter())
        .map(|p| (p.id.as_str(), p))
        .collect();
    let made: Vec<RolledMove> = (week_0.iter())
        .map(|(&id, &to)| RolledMove {
            prisoner_id: held[id].id.clone(),
            from: held[id].prison.clone(),
            to: to.clone(),
            date: calendar.start(),
        })
        .collect();
    let mut counts = RollCounts {
        moves_made: made.len(),
        ..RollCounts::default()
    };
    let (mut prisoners, gone) = carry_out(inputs, &movers, &week_0, &calendar, &mut counts);
    let taken: BTreeSet<&str> = inputs.prisoners.iter().map(|p| p.id.as_str()).collect();
    let ids = (1..)
        .map(|n| reception_id(&next, n))
        .filter(|id| !taken.contains(id.as_str()));
    let (arrived, receptions) = receive(inputs, &movers, &calendar, ids, &mut counts);
    prisoners.extend(arrived);
    let (booked, week_1) = book(&held, inputs, week_1, &week_0, &gone, &next, &mut counts);
    Ok(Rolled {
        calendar: next,
        prisoners,
        receptions,
        booked,
        made,
        week_1,
        counts,
    })
}

/// The prisoners still held after week 0, where its moves took them, and the ids of those
/// who left.
fn carry_out<'i>(
    inputs: &'i Inputs,
    movers: &[Mover],
    week_0: &BTreeMap<&str, &PrisonCode>,
    calendar: &Calendar,
    counts: &mut RollCounts,
) -> (Vec<Prisoner>, BTreeSet<&'i str>) {
    let mut gone = BTreeSet::new();
    let mut held = Vec::new();
    for (p, mover) in inputs.prisoners.iter().zip(movers) {
        if !mover.present(1) {
            match p.release_date {
                Some(_) => counts.released += 1,
                None => counts.departed += 1,
            }
            gone.insert(p.id.as_str());
            continue;
        }
        let mut p = p.clone();
        if let Some(&to) = week_0.get(p.id.as_str()) {
            p.prison = to.clone();
            p.arrived = calendar.start();
        }
        held.push(p);
    }
    (held, gone)
}

/// The people of week 0's receptions still held after it, one prisoner each with the next
/// of `ids`, and the later receptions, every week one less.
fn receive(
    inputs: &Inputs,
    movers: &[Mover],
    calendar: &Calendar,
    mut ids: impl Iterator<Item = PrisonerId>,
    counts: &mut RollCounts,
) -> (Vec<Prisoner>, Vec<ReceptionCohort>) {
    let mut arrived = Vec::new();
    let mut later = Vec::new();
    let cohorts = inputs.receptions.iter();
    for (c, mover) in cohorts.zip(&movers[inputs.prisoners.len()..]) {
        if c.week > 0 {
            later.push(ReceptionCohort {
                week: c.week - 1,
                release_week: c.release_week.map(|w| w - 1),
                expected_release_week: c.expected_release_week.map(|w| w - 1),
                ..c.clone()
            });
        } else if mover.present(1) {
            counts.received += u64::from(c.count);
            for id in ids.by_ref().take(c.count as usize) {
                arrived.push(received(c, mover, id, calendar));
            }
        } else {
            counts.received_and_gone += u64::from(c.count);
        }
    }
    (arrived, later)
}

/// The booked moves of the new inputs: week 1's moves (`week_1`) in week 0, later booked
/// moves a week earlier; none for a prisoner who has left, nor for a do-not-move or remand
/// prisoner (only a closing prison moves them, and such a move cannot be booked). Also week
/// 1's moves, from where week 0's (`week_0`) left the prisoner, each with whether it is booked.
fn book(
    held: &BTreeMap<&str, &Prisoner>,
    inputs: &Inputs,
    week_1: BTreeMap<&str, &PrisonCode>,
    week_0: &BTreeMap<&str, &PrisonCode>,
    gone: &BTreeSet<&str>,
    next: &Calendar,
    counts: &mut RollCounts,
) -> (Vec<BookedMove>, Vec<(RolledMove, bool)>) {
    let later = inputs.booked.iter().filter(|b| b.week >= 2);
    let to_book = week_1
        .into_iter()
        .map(|(id, to)| (id, to, 0))
        .chain(later.map(|b| (b.prisoner_id.as_str(), &b.to, b.week - 1)));
    let mut booked = Vec::new();
    let mut tried = Vec::new();
    for (id, to, week) in to_book {
        let prisoner = held[id];
        let bookable = if gone.contains(id) {
            counts.booked_dropped += 1;
            false
        } else if prisoner.do_not_move || prisoner.sentence == Sentence::Remand {
            counts.not_bookable += 1;
            false
        } else {
            booked.push(BookedMove {
                prisoner_id: prisoner.id.clone(),
                to: to.clone(),
                week,
            });
            true
        };
        if week == 0 {
            let from = week_0.get(id).copied().unwrap_or(&prisoner.prison);
            let rolled = RolledMove {
                prisoner_id: prisoner.id.clone(),
                from: from.clone(),
                to: to.clone(),
                date: next.start(),
            };
            tried.push((rolled, bookable));
        }
    }
    booked.sort_by(|a, b| (a.week, &a.prisoner_id).cmp(&(b.week, &b.prisoner_id)));
    counts.booked_now = booked.iter().filter(|b| b.week == 0).count();
    counts.booked_later = booked.len() - counts.booked_now;
    (booked, tried)
}

/// The id of the `n`th reception rolled into the population starting on `next`:
/// `R<YYYYMMDD>-<n, 7 digits>`.
fn reception_id(next: &Calendar, n: u64) -> PrisonerId {
    let d = next.start();
    PrisonerId(format!(
        "R{:04}{:02}{:02}-{n:07}",
        d.year(),
        d.month(),
        d.day()
    ))
}

/// One person of a cohort arriving in week 0, with the dates and sentence the planner gives
/// the cohort (`mover`).
fn received(c: &ReceptionCohort, mover: &Mover, id: PrisonerId, calendar: &Calendar) -> Prisoner {
    Prisoner {
        id,
        prison: c.prison.clone(),
        home_cpa: c.home_cpa.clone(),
        estate: c.estate,
        category: c.category,
        sentence: if mover.remand {
            Sentence::Remand
        } else {
            Sentence::Determinate
        },
        custody_start: mover.custody_start,
        arrived: mover.arrived,
        release_date: mover.release_date,
        expected_release: c
            .expected_release_week
            .map(|w| calendar.first_day(i64::from(w))),
        do_not_move: false,
        removal: false,
    }
}

/// Every sign, at its row, that the plan was not made from these inputs: a prisoner who is
/// not in the population, a week whose date is not the plan's, and what [`check_path`]
/// finds.
fn check_plan(
    inputs: &Inputs,
    movers: &[Mover],
    calendar: &Calendar,
    plan: &PlannedMoves,
) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let index: BTreeMap<&str, usize> = (inputs.prisoners.iter().enumerate())
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let booked: BTreeMap<&str, &BookedMove> = (inputs.booked.iter())
        .map(|b| (b.prisoner_id.as_str(), b))
        .collect();
    let mut by_prisoner: BTreeMap<usize, Vec<&PlannedMove>> = BTreeMap::new();
    for m in &plan.moves {
        let Some(&i) = index.get(m.prisoner_id.as_str()) else {
            let why = if is_pseudonym(m.prisoner_id.as_str()) {
                "a pseudonym, not an id of the population file: roll needs the plan written \
                 without --pseudonymise"
            } else {
                "no such prisoner in the population file: the plan was not made from these \
                 inputs"
            };
            diagnostics.push(plan.error(m, "prisoner_id", why));
            continue;
        };
        let date = calendar.first_day(i64::from(m.week));
        if m.date != date {
            let why = format!(
                "week {} of the plan starting on {} (--start) begins on {date}: the plan was \
                 made for another start date",
                m.week,
                calendar.start()
            );
            diagnostics.push(plan.error(m, "date", why));
        }
        by_prisoner.entry(i).or_default().push(m);
    }
    for (i, moves) in by_prisoner {
        let prisoner = &inputs.prisoners[i];
        let booked = booked.get(prisoner.id.as_str()).copied();
        check_path(prisoner, &movers[i], booked, moves, plan, &mut diagnostics);
    }
    diagnostics.0.sort_by_key(|d| d.line);
    diagnostics
}

/// The problems of one prisoner's moves, taken in week order: each must start where the one
/// before took him (or where the population holds him), one a week; a move marked booked is
/// his booked move; the plan's own come after his booked move and before his release week
/// (or departure).
fn check_path(
    prisoner: &Prisoner,
    mover: &Mover,
    booked: Option<&BookedMove>,
    mut moves: Vec<&PlannedMove>,
    plan: &PlannedMoves,
    diagnostics: &mut Diagnostics,
) {
    moves.sort_by_key(|m| m.week);
    let mut at = (&prisoner.prison, None);
    for m in moves {
        let mut error = |column, why: String| diagnostics.push(plan.error(m, column, why));
        match at {
            (_, Some(week)) if week == m.week => {
                let why = format!(
                    "a second move of the prisoner in week {week}: a plan moves a prisoner at \
                     most once a week"
                );
                error("week", why);
                continue;
            }
            (prison, last) if *prison != m.from => {
                let held = match last {
                    Some(week) => format!("his move of week {week} takes him to {prison}"),
                    None => format!("the population file holds the prisoner in {prison}"),
                };
                error(
                    "from",
                    format!("{held}: the plan was not made from these inputs"),
                );
            }
            _ => {}
        }
        if m.to == m.from {
            error("to", "the prisoner is already held there".into());
        }
        let gone_from = mover.moves_end(u32::MAX);
        if m.booked {
            if !booked.is_some_and(|b| b.week == m.week && b.to == m.to) {
                let why = format!(
                    "booked, but the booked moves file books no move of the prisoner to {} in \
                     week {}: the plan was made with other booked moves",
                    m.to, m.week
                );
                error("reason", why);
            }
        } else if let Some(b) = booked.filter(|b| m.week <= b.week) {
            let why = format!(
                "the prisoner has a booked move in week {}: a plan keeps it as given and moves \
                 him only after it",
                b.week
            );
            error("week", why);
        } else if m.week >= gone_from {
            let why = format!(
                "the prisoner is released or leaves in week {gone_from}: a plan moves nobody \
                 then or later"
            );
            error("week", why);
        }
        at = (&m.to, Some(m.week));
    }
}

impl fmt::Display for RollCounts {
    /// The summary of `resettle roll`: counts only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "moves made in week 0:  {} (booked, and planned when the plan moved people in week 0)",
            self.moves_made
        )?;
        writeln!(
            f,
            "released:              {} (release date before the new start)",
            self.released
        )?;
        writeln!(
            f,
            "departed:              {} (remand or indeterminate, expected departure before the new start)",
            self.departed
        )?;
        writeln!(
            f,
            "receptions arrived:    {} people now in the population ({} more arrived and left in week 0)",
            self.received, self.received_and_gone
        )?;
        writeln!(
            f,
            "moves booked:          {} for the new week 0 (this plan's week 1), {} later",
            self.booked_now, self.booked_later
        )?;
        if self.booked_dropped > 0 {
            writeln!(
                f,
                "booked moves dropped:  {} (the prisoner has left)",
                self.booked_dropped
            )?;
        }
        if self.not_bookable > 0 {
            writeln!(
                f,
                "not booked:            {} move(s) of week 1 taking a do-not-move or remand prisoner out of a closing prison (no move may be booked for them: the next plan makes them again)",
                self.not_bookable
            )?;
        }
        Ok(())
    }
}
