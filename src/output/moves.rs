//! The move files: `moves.csv`, `conflicts.csv` and `forecast_moves.csv` over the horizon,
//! `unplaced.csv`, and `changes.csv` against last week's plan.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::analysis::explain::{unplaced, why};
use crate::domain::{Category, CpaId, Estate};
use crate::output::csv_bytes;
use crate::output::pseudonyms::Ids;
use crate::output::record::rows_csv;
use crate::output::requests::sentence_length;
use crate::output::rows::{ForecastMoveRow, MoveRow, UnplacedRow};
use crate::output::{code, prisoner_of, PlanSet, ReportOptions};
use crate::problem::instance::{Instance, Origin};
use crate::problem::plan::{MoveReason, Plan};

/// A move of an existing prisoner as the move files write it: `moves.csv`, `conflicts.csv`
/// and the transfer requests ([`super::requests`]). Moves sort by week, sending prison, destination,
/// then prisoner id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct PrisonerMove<'i> {
    pub(super) week: u32,
    pub(super) from: &'i str,
    pub(super) to: &'i str,
    /// As written: the id, or its pseudonym.
    pub(super) prisoner_id: String,
    pub(super) date: NaiveDate,
    pub(super) reason: MoveReason,
    pub(super) home_cpa: Option<&'i CpaId>,
    pub(super) release_date: Option<NaiveDate>,
    pub(super) why: &'i str,
    pub(super) estate: Estate,
    pub(super) category: Option<Category>,
    pub(super) sentence_length: Option<&'static str>,
}

impl PrisonerMove<'_> {
    /// Its row of `moves.csv`.
    fn row(&self) -> MoveRow {
        MoveRow {
            prisoner_id: self.prisoner_id.clone(),
            from: self.from.to_string(),
            to: self.to.to_string(),
            week: self.week,
            date: self.date.to_string(),
            reason: self.reason.as_str().to_string(),
            home_cpa: self.home_cpa.map(CpaId::to_string),
            release_date: self.release_date.map(|d| d.to_string()),
            why: self.why.to_string(),
            estate: self.estate.as_str().to_string(),
            category: self.category.map(|c| c.as_str().to_string()),
            sentence_length: self.sentence_length.map(str::to_string),
        }
    }
}

/// The moves `chosen` (indexes into `plan.moves`) of existing prisoners, in order, each with
/// why it is made ([`crate::analysis::explain::why`]).
pub(super) fn prisoner_moves<'i>(
    instance: &'i Instance,
    plan: &Plan,
    chosen: impl IntoIterator<Item = usize>,
    why: &'i [String],
    ids: &Ids,
) -> Vec<PrisonerMove<'i>> {
    let mut moves: Vec<PrisonerMove> = chosen
        .into_iter()
        .filter_map(|i| {
            let m = &plan.moves[i];
            let prisoner = prisoner_of(instance, m.mover)?;
            Some(PrisonerMove {
                week: m.week,
                from: code(instance, m.from),
                to: code(instance, m.to),
                prisoner_id: ids.write(&prisoner.id),
                date: instance.date_of(m.week),
                reason: m.reason,
                home_cpa: prisoner.home_cpa.as_ref(),
                release_date: prisoner.release_date,
                why: &why[i],
                estate: prisoner.estate,
                category: prisoner.category,
                sentence_length: sentence_length(prisoner),
            })
        })
        .collect();
    moves.sort();
    moves
}

/// `moves.csv`, or `conflicts.csv`: one row per move, in the order given.
pub(super) fn moves_csv(moves: &[PrisonerMove]) -> Vec<u8> {
    rows_csv(moves.iter().map(PrisonerMove::row))
}

/// The key merging moves of reception cohorts in `forecast_moves.csv`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ForecastKey<'i> {
    week: u32,
    from: &'i str,
    to: &'i str,
    home_cpa: Option<&'i CpaId>,
    estate: &'static str,
    category: Option<&'static str>,
    release_week: Option<u32>,
    why: &'i str,
}

/// The moves of reception cohorts in `plan`, merged by identical key, each with why it is
/// made ([`crate::analysis::explain::why`]).
pub(super) fn forecast_moves_csv(instance: &Instance, plan: &Plan, why: &[String]) -> Vec<u8> {
    let mut counts: BTreeMap<ForecastKey, u64> = BTreeMap::new();
    for (m, why) in plan.moves.iter().zip(why) {
        let Origin::Reception(i) = instance.movers[m.mover].origin else {
            continue;
        };
        let cohort = &instance.inputs.receptions[i];
        let key = ForecastKey {
            week: m.week,
            from: code(instance, m.from),
            to: code(instance, m.to),
            home_cpa: cohort.home_cpa.as_ref(),
            estate: cohort.estate.as_str(),
            category: cohort.category.map(Category::as_str),
            release_week: cohort.release_week,
            why,
        };
        *counts.entry(key).or_default() += u64::from(m.count);
    }
    rows_csv(counts.into_iter().map(|(key, count)| ForecastMoveRow {
        week: key.week,
        from: key.from.to_string(),
        to: key.to.to_string(),
        home_cpa: key.home_cpa.map(CpaId::to_string),
        estate: key.estate.to_string(),
        category: key.category.map(str::to_string),
        release_week: key.release_week,
        count,
        why: key.why.to_string(),
    }))
}

/// The eligible prisoners and reception cohorts released in the horizon and not released
/// home in `plan`, with the reason ([`crate::analysis::explain::unplaced`]): prisoners by id (as
/// written), then cohorts in the order of the receptions. `count` is 1 for a prisoner and,
/// for a cohort, how many of it are not released home; `cohort` labels a cohort (its row in
/// the receptions, counted from 1, and its week of arrival); `prison` is where he is held at
/// the start, or where the cohort is received.
pub(super) fn unplaced_csv(instance: &Instance, plan: &Plan, ids: &Ids) -> Vec<u8> {
    let mut prisoners = Vec::new();
    let mut cohorts = Vec::new();
    for u in unplaced(instance, plan) {
        let mover = &instance.movers[u.mover];
        let (prisoner_id, cohort, rows) = match mover.origin {
            Origin::Prisoner(i) => (
                Some(ids.write(&instance.inputs.prisoners[i].id)),
                None,
                &mut prisoners,
            ),
            Origin::Reception(i) => (
                None,
                Some(format!("cohort {} (week {})", i + 1, mover.arrival_week)),
                &mut cohorts,
            ),
        };
        rows.push(UnplacedRow {
            prisoner_id,
            cohort,
            count: u.people,
            prison: code(instance, mover.prison).to_string(),
            category: mover.category.map(|c| c.as_str().to_string()),
            estate: mover.estate.as_str().to_string(),
            home_cpa: mover
                .home
                .map(|h| instance.inputs.data.cpas[h].id.to_string()),
            release_date: mover.release_date.map(|d| d.to_string()),
            reason: u.reason.as_str().to_string(),
        });
    }
    // Ids are unique: by id alone.
    prisoners.sort_by(|a, b| a.prisoner_id.cmp(&b.prisoner_id));
    rows_csv(prisoners.into_iter().chain(cohorts))
}

/// `changes.csv`: each prisoner's move in last week's plan and in this one, and why it
/// changed (`rows`, [`crate::planners::previous::changes`]), a changed or new move with why it is made.
pub fn changes_csv(
    instance: &Instance,
    plans: &PlanSet,
    rows: &[crate::planners::previous::ChangeRow],
    options: &ReportOptions,
) -> Vec<u8> {
    use crate::planners::previous::Change;
    let ids = Ids {
        key: options.pseudonym_key.as_ref(),
    };
    let why = why(instance, plans.optimal, &plans.kpis[0].occupancy);
    let week = |week: Option<u32>| week.map_or(String::new(), |w| w.to_string());
    let date = |week: Option<u32>| week.map_or(String::new(), |w| instance.date_of(w).to_string());
    let rows = rows.iter().map(|row| {
        let (before_to, before_week) = row
            .before
            .as_ref()
            .map_or((String::new(), None), |(to, week)| {
                (to.as_str().to_string(), *week)
            });
        let now = row.now.map(|i| &plans.optimal.moves[i]);
        let reason = match (row.change, row.now) {
            (Change::OtherWeek | Change::OtherPrison, Some(i)) => {
                format!("{} now: {}", row.reason, why[i])
            }
            (Change::New, Some(i)) => why[i].clone(),
            _ => row.reason.clone(),
        };
        vec![
            ids.write(&row.prisoner_id),
            row.change.as_str().to_string(),
            before_to,
            week(before_week),
            date(before_week),
            now.map_or(String::new(), |m| code(instance, m.to).to_string()),
            week(now.map(|m| m.week)),
            date(now.map(|m| m.week)),
            reason,
        ]
    });
    csv_bytes(
        [
            "prisoner_id",
            "change",
            "previous_to",
            "previous_week",
            "previous_date",
            "to",
            "week",
            "date",
            "reason",
        ],
        rows,
    )
}
