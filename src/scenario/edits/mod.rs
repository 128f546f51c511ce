//! The scenario's edits, applied one by one to the data while they are checked: the
//! `Editor` holding the data as it stands, its messages and look-ups, and the record of each
//! edit applied (here), and one module per kind of edit.

mod capacity;
mod close;
mod open;
mod policy;
mod redesignate;
mod surge;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::file::Edit;
use crate::domain::calendar::Calendar;
use crate::domain::{Cpa, CpaId, Dataset, Designation, Prison, ReceptionCohort};
use crate::error::ScenarioError;
use crate::input::limits::MAX_PLACES;
use crate::problem::instance::PlanOptions;

pub(super) use policy::{check_headroom, check_moves, check_window};

/// One edit as applied, for the scenario's `scenario.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedEdit {
    /// 1-based, in the order written.
    pub index: usize,
    pub kind: &'static str,
    /// The first week it applies to and that week's first day.
    pub week: u32,
    pub date: String,
    /// What it changed, in words.
    pub effect: String,
    pub edit: Edit,
}

/// The state of the data while the edits apply.
pub(super) struct Editor<'a> {
    path: &'a Path,
    calendar: Calendar,
    horizon: u32,
    pub(super) cpas: Vec<Cpa>,
    pub(super) prisons: Vec<Prison>,
    pub(super) designations: Vec<Designation>,
    /// Operational capacity per prison and week.
    pub(super) places: Vec<Vec<i64>>,
    /// Closed prisons: the week they close from and the edit that closes them.
    closed: BTreeMap<usize, (u32, usize)>,
    /// Prisons opened by an edit: the week they open and the edit.
    opened: BTreeMap<usize, (u32, usize)>,
    /// Closures whose receptions must go elsewhere: (prison, week, chosen destination).
    redirects: Vec<(usize, u32, Option<usize>)>,
    pub(super) receptions: Vec<ReceptionCohort>,
    pub(super) options: PlanOptions,
    pub(super) applied: Vec<AppliedEdit>,
    pub(super) errors: Vec<ScenarioError>,
    pub(super) warnings: Vec<String>,
}

/// The context of one edit, for its messages.
#[derive(Clone, Copy)]
struct At {
    index: usize,
    kind: &'static str,
    week: u32,
}

impl<'a> Editor<'a> {
    pub(super) fn new(
        path: &'a Path,
        data: &Dataset,
        receptions: Vec<ReceptionCohort>,
        options: PlanOptions,
    ) -> Self {
        let places = data
            .prisons
            .iter()
            .map(|p| vec![i64::from(p.operational_capacity); options.horizon as usize])
            .collect();
        Editor {
            path,
            calendar: options.calendar,
            horizon: options.horizon,
            cpas: data.cpas.clone(),
            prisons: data.prisons.clone(),
            designations: data.designations.clone(),
            places,
            closed: BTreeMap::new(),
            opened: BTreeMap::new(),
            redirects: Vec::new(),
            receptions,
            options,
            applied: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn error(&mut self, at: At, message: impl Into<String>) {
        self.errors.push(ScenarioError {
            file: self.path.to_path_buf(),
            edit: Some((at.index, at.kind)),
            message: message.into(),
        });
    }

    fn warn(&mut self, at: At, message: impl Into<String>) {
        self.warnings.push(format!(
            "{}: warning: edit #{} ({}): {}",
            self.path.display(),
            at.index,
            at.kind,
            message.into()
        ));
    }

    fn date(&self, week: u32) -> String {
        self.calendar.first_day(i64::from(week)).to_string()
    }

    /// Checks one edit and applies it when it makes sense; records an error otherwise.
    pub(super) fn apply(&mut self, index: usize, edit: &Edit) {
        let kind = edit.kind();
        let week = match edit.from() {
            None => 0,
            Some(date) => {
                let week = self.calendar.week_of(date);
                if week < 0 {
                    let at = At {
                        index,
                        kind,
                        week: 0,
                    };
                    let start = self.calendar.start();
                    self.error(
                        at,
                        format!("from = {date} is before the start date {start}"),
                    );
                    return;
                }
                u32::try_from(week).unwrap_or(u32::MAX)
            }
        };
        let at = At { index, kind, week };
        if week >= self.horizon {
            self.warn(
                at,
                format!(
                    "from = {} is after the horizon ({} weeks): it does not change the plan",
                    self.date(week.min(self.horizon)),
                    self.horizon
                ),
            );
        }
        let errors_before = self.errors.len();
        let effect = match edit {
            Edit::Close {
                prison,
                receptions_to,
                ..
            } => self.close(at, prison, receptions_to.as_deref()),
            Edit::Capacity {
                prison,
                change,
                set,
                ..
            } => self.capacity(at, prison, *change, *set),
            Edit::Open { prison, serves, .. } => self.open(at, prison, serves),
            Edit::Redesignate {
                prison,
                add,
                remove,
                function,
                estates,
                categories,
                ..
            } => self.redesignate(
                at,
                prison,
                add,
                remove,
                function.as_deref(),
                estates.as_deref(),
                categories.as_deref(),
            ),
            Edit::Surge {
                receptions_factor,
                add_prisoners,
                ..
            } => self.surge(at, *receptions_factor, *add_prisoners),
            Edit::Policy {
                window,
                headroom,
                max_moves_per_week,
                max_moves_per_prison_week,
                ..
            } => self.policy(
                at,
                *window,
                *headroom,
                *max_moves_per_week,
                *max_moves_per_prison_week,
            ),
        };
        if let (Some(effect), true) = (effect, self.errors.len() == errors_before) {
            self.applied.push(AppliedEdit {
                index,
                kind,
                week,
                date: self.date(week),
                effect,
                edit: edit.clone(),
            });
        }
    }

    /// The prison with this code, or an error naming it.
    fn prison(&mut self, at: At, code: &str) -> Option<usize> {
        let found = self.prisons.iter().position(|p| p.code.as_str() == code);
        if found.is_none() {
            self.error(
                at,
                format!(
                    "unknown prison '{code}': not in prisons.csv nor opened by an earlier edit"
                ),
            );
        }
        found
    }

    /// The CPA with this slug, or an error naming it.
    fn cpa(&mut self, at: At, field: &str, id: &str) -> Option<CpaId> {
        let found = self
            .cpas
            .iter()
            .find(|c| c.id.as_str() == id)
            .map(|c| c.id.clone());
        if found.is_none() {
            self.error(at, format!("{field}: unknown CPA '{id}': not in cpas.csv"));
        }
        found
    }

    fn name(&self, prison: usize) -> String {
        let p = &self.prisons[prison];
        format!("{} ({})", p.code, p.name)
    }

    /// The weeks from `week` on in which the prison is not closed.
    fn open_weeks(&self, prison: usize, week: u32) -> std::ops::Range<usize> {
        let end = self
            .closed
            .get(&prison)
            .map_or(self.horizon, |&(closes, _)| closes.min(self.horizon));
        (week.min(end) as usize)..(end as usize)
    }

    fn places_value(&mut self, at: At, field: &str, value: i64) -> Option<u32> {
        let places = u32::try_from(value).ok().filter(|&n| n <= MAX_PLACES);
        if places.is_none() {
            self.error(
                at,
                format!("{field} = {value}: places are a whole number from 0 to {MAX_PLACES}"),
            );
        }
        places
    }

    fn word<T>(
        &mut self,
        at: At,
        field: &str,
        text: &str,
        parse: impl Fn(&str) -> Option<T>,
        expected: impl Fn() -> String,
    ) -> Option<T> {
        let value = parse(text);
        if value.is_none() {
            self.error(
                at,
                format!("{field} = '{text}': unknown value, expected {}", expected()),
            );
        }
        value
    }

    fn words<T: PartialEq>(
        &mut self,
        at: At,
        field: &str,
        texts: &[String],
        parse: impl Fn(&str) -> Option<T>,
        expected: impl Fn() -> String,
    ) -> Option<Vec<T>> {
        let mut values = Vec::new();
        let mut ok = true;
        for text in texts {
            match self.word(at, field, text, &parse, &expected) {
                Some(value) if values.contains(&value) => {
                    self.error(at, format!("{field}: '{text}' is listed twice"));
                    ok = false;
                }
                Some(value) => values.push(value),
                None => ok = false,
            }
        }
        ok.then_some(values)
    }
}
