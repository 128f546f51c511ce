//! From a scenario to a planning instance: load (or generate) the base, check every edit
//! against the data, apply them in the order written, then build the [`Instance`] and set its
//! capacity per prison and week.
//!
//! The operational capacity of every prison is kept per week while the edits apply (0 before
//! a new prison opens and from a closure on); the instance's usable capacity is then
//! floor(places × (1 − headroom)) of each week, as for `resettle plan`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::calendar::Calendar;
use crate::diagnostics::{Diagnostics, PRINTED_PER_RULE};
use crate::generate::{generate, GenerateOptions};
use crate::instance::check_booked_capacity;
use crate::instance::{usable_capacity, Instance, PlanOptions};
use crate::io::limits::{
    check_factor, check_mip_gap, headroom_share, start_in_range, MAX_COUNT, MAX_HORIZON, MAX_MOVES,
    MAX_PLACES, MAX_PRISONERS, MAX_WINDOW, START_YEARS,
};
use crate::model::{
    Category, Cpa, CpaId, Dataset, Designation, DesignationSource, Estate, Function, Operator,
    Prison, PrisonCode, ReceptionCohort,
};
use crate::solver::SolverOptions;
use crate::validate::{load_inputs, InputPaths};

use super::file::{Edit, PrisonRow, ScenarioFile};
use crate::error::ScenarioError;

/// A scenario read from its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The file's stem: the name of its output folder and its row in the comparison.
    pub name: String,
    /// The file it was read from; paths in it are relative to its folder.
    pub path: PathBuf,
    pub file: ScenarioFile,
}

impl Scenario {
    /// Reads a scenario file; the scenario is named by the file's stem.
    pub fn read(path: &Path) -> Result<Scenario, ScenarioError> {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ScenarioError::file(path, "the file has no usable name"))?
            .to_string();
        let file = super::file::read(path)?;
        Ok(Scenario {
            name,
            path: path.to_path_buf(),
            file,
        })
    }
}

/// A scenario ready to plan.
#[derive(Debug, Clone)]
pub struct Built {
    pub instance: Instance,
    pub solver: SolverOptions,
    /// Each edit, where and when it applied, in the order written.
    pub applied: Vec<AppliedEdit>,
    /// What the user should know (an edit dated after the start that applies to the whole
    /// horizon; warnings about the input files).
    pub warnings: Vec<String>,
}

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

/// Why a scenario cannot be built.
#[derive(Debug, Clone)]
pub enum BuildError {
    /// The scenario file (its base or its edits) makes no sense.
    Scenario(Vec<ScenarioError>),
    /// The base's input files break rules.
    Input(Diagnostics),
}

/// Builds the instance of a scenario: every problem in its edits is reported, not only the
/// first.
pub fn build(scenario: &Scenario) -> Result<Built, BuildError> {
    let path = &scenario.path;
    let fail = |message: String| BuildError::Scenario(vec![ScenarioError::file(path, message)]);
    let base = &scenario.file.base;
    let dir = path.parent().unwrap_or(Path::new(""));
    let calendar = Calendar::new(base.start.0).map_err(|e| fail(format!("base.start: {e}")))?;
    let options = base_options(base, calendar).map_err(fail)?;
    let (generated, given) = (base.generate.is_some(), base.population.is_some());
    if generated && (given || base.receptions.is_some()) {
        return Err(fail(
            "the base gives both `generate` and population or receptions files: give one".into(),
        ));
    }
    if !generated && !given {
        return Err(fail(
            "the base needs a `population` file or `generate = { seed = ..., scale = ... }`".into(),
        ));
    }
    let paths = InputPaths {
        data: dir.join(&base.data),
        population: base.population.as_ref().map(|p| dir.join(p)),
        receptions: base.receptions.as_ref().map(|p| dir.join(p)),
        booked: base.booked.as_ref().map(|p| dir.join(p)),
    };
    let (mut inputs, diagnostics) = load_inputs(&paths, Some(&calendar));
    if diagnostics.has_errors() {
        return Err(BuildError::Input(diagnostics));
    }
    let mut warnings = diagnostics.printed(PRINTED_PER_RULE);
    if let Some(g) = base.generate {
        let synthetic = generate(
            &inputs.data,
            &GenerateOptions {
                seed: g.seed,
                scale: g.scale,
                calendar,
                weeks: g.weeks,
            },
        )
        .map_err(|e| fail(format!("base.generate: {e}")))?;
        inputs.prisoners = synthetic.prisoners;
        inputs.receptions = synthetic.receptions;
    }
    let mut editor = Editor::new(
        path,
        &inputs.data,
        std::mem::take(&mut inputs.receptions),
        options,
    );
    for (i, edit) in scenario.file.edits.iter().enumerate() {
        editor.apply(i + 1, edit);
    }
    editor.redirect_receptions();
    if !editor.errors.is_empty() {
        return Err(BuildError::Scenario(editor.errors));
    }
    warnings.extend(editor.warnings);
    inputs.data = Dataset::new(
        editor.cpas,
        editor.prisons,
        editor.designations,
        std::mem::take(&mut inputs.data.published_population),
    );
    inputs.receptions = editor.receptions;
    let mut instance =
        Instance::new(inputs, editor.options).map_err(|e| fail(format!("base: {e}")))?;
    let headroom = instance.options.headroom;
    for (capacity, places) in instance.capacity.iter_mut().zip(&editor.places) {
        for (usable, &places) in capacity.iter_mut().zip(places) {
            *usable = usable_capacity(u32::try_from(places).unwrap_or(u32::MAX), headroom);
        }
    }
    let booked = check_booked_capacity(&instance, paths.booked.as_deref());
    if booked.has_errors() {
        return Err(BuildError::Input(booked));
    }
    instance
        .apply_closures()
        .map_err(|e| fail(format!("closures: {e}")))?;
    Ok(Built {
        instance,
        solver: SolverOptions {
            mip_gap: base.mip_gap,
            time_limit: None,
            deadline: None,
        },
        applied: editor.applied,
        warnings,
    })
}

/// The plan's options from the base, checked as the command line checks them.
fn base_options(base: &super::file::Base, calendar: Calendar) -> Result<PlanOptions, String> {
    if !start_in_range(calendar.start()) {
        let (from, to) = START_YEARS;
        return Err(format!(
            "base.start = {}: the start date is in the years {from} to {to}",
            calendar.start()
        ));
    }
    if !(1..=MAX_HORIZON).contains(&base.horizon) {
        return Err(format!(
            "base.horizon = {}: the horizon is 1 to {MAX_HORIZON} weeks",
            base.horizon
        ));
    }
    if base.first_movable_week > base.horizon {
        return Err(format!(
            "base.first_movable_week = {}: at most the horizon ({} weeks)",
            base.first_movable_week, base.horizon
        ));
    }
    check_window(base.window).map_err(|e| format!("base.{e}"))?;
    let headroom = check_headroom(base.headroom).map_err(|e| format!("base.{e}"))?;
    check_mip_gap(base.mip_gap).map_err(|e| format!("base.mip_gap = {e}"))?;
    for (field, limit) in [
        ("max_moves_per_week", base.max_moves_per_week),
        ("max_moves_per_prison_week", base.max_moves_per_prison_week),
    ] {
        check_moves(limit).map_err(|e| format!("base.{field} = {e}"))?;
    }
    Ok(PlanOptions {
        calendar,
        horizon: base.horizon,
        window: base.window,
        first_movable_week: base.first_movable_week,
        headroom,
        max_moves_per_week: base.max_moves_per_week,
        max_moves_per_prison_week: base.max_moves_per_prison_week,
    })
}

fn check_window(window: u32) -> Result<(), String> {
    if (1..=MAX_WINDOW).contains(&window) {
        Ok(())
    } else {
        Err(format!(
            "window = {window}: the window is 1 to {MAX_WINDOW} weeks"
        ))
    }
}

/// A headroom in percent, as a share.
fn check_headroom(percent: f64) -> Result<f64, String> {
    headroom_share(percent).map_err(|e| format!("headroom = {e}"))
}

/// An escort limit, when given: 0 to [`MAX_MOVES`].
fn check_moves(limit: Option<u32>) -> Result<(), String> {
    match limit {
        Some(n) if n > MAX_MOVES => Err(format!("{n}: an escort limit is 0 to {MAX_MOVES} moves")),
        _ => Ok(()),
    }
}

/// The state of the data while the edits apply.
struct Editor<'a> {
    path: &'a Path,
    calendar: Calendar,
    horizon: u32,
    cpas: Vec<Cpa>,
    prisons: Vec<Prison>,
    designations: Vec<Designation>,
    /// Operational capacity per prison and week.
    places: Vec<Vec<i64>>,
    /// Closed prisons: the week they close from and the edit that closes them.
    closed: BTreeMap<usize, (u32, usize)>,
    /// Prisons opened by an edit: the week they open and the edit.
    opened: BTreeMap<usize, (u32, usize)>,
    /// Closures whose receptions must go elsewhere: (prison, week, chosen destination).
    redirects: Vec<(usize, u32, Option<usize>)>,
    receptions: Vec<ReceptionCohort>,
    options: PlanOptions,
    applied: Vec<AppliedEdit>,
    errors: Vec<ScenarioError>,
    warnings: Vec<String>,
}

/// The context of one edit, for its messages.
#[derive(Clone, Copy)]
struct At {
    index: usize,
    kind: &'static str,
    week: u32,
}

impl<'a> Editor<'a> {
    fn new(
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
    fn apply(&mut self, index: usize, edit: &Edit) {
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

    fn close(&mut self, at: At, code: &str, receptions_to: Option<&str>) -> Option<String> {
        let prison = self.prison(at, code)?;
        if let Some(&(week, edit)) = self.closed.get(&prison) {
            self.error(
                at,
                format!(
                    "prison '{code}' is closed twice: edit #{edit} already closes it from {}",
                    self.date(week)
                ),
            );
            return None;
        }
        if let Some(&(opens, edit)) = self.opened.get(&prison) {
            if at.week <= opens {
                self.error(
                    at,
                    format!(
                        "prison '{code}' opens from {} (edit #{edit}): it cannot close at or before that",
                        self.date(opens)
                    ),
                );
                return None;
            }
        }
        let target = match receptions_to {
            None => None,
            Some(to) => {
                let target = self.prison(at, to)?;
                if target == prison {
                    self.error(at, format!("receptions_to = '{to}' is the prison closed"));
                    return None;
                }
                Some(target)
            }
        };
        let before = self.places[prison]
            .get(at.week as usize)
            .copied()
            .unwrap_or(0);
        for t in self.open_weeks(prison, at.week) {
            self.places[prison][t] = 0;
        }
        self.closed.insert(prison, (at.week, at.index));
        self.redirects.push((prison, at.week, target));
        let to = match target {
            Some(t) => format!("to {}", self.name(t)),
            None => "to the nearest open prison of the same function that holds them".into(),
        };
        Some(format!(
            "{} closes from week {}: {before} places to 0; receptions from then {to}",
            self.name(prison),
            at.week
        ))
    }

    fn capacity(
        &mut self,
        at: At,
        code: &str,
        change: Option<i64>,
        set: Option<i64>,
    ) -> Option<String> {
        let prison = self.prison(at, code)?;
        let (change, set) = match (change, set) {
            (Some(_), Some(_)) | (None, None) => {
                self.error(
                    at,
                    "give either `change` (places added; negative to remove) or `set` (the new capacity), not both or neither",
                );
                return None;
            }
            pair => pair,
        };
        if let Some(value) = set.filter(|&v| !(0..=i64::from(MAX_PLACES)).contains(&v)) {
            self.error(
                at,
                format!("set = {value}: a capacity is 0 to {MAX_PLACES} places"),
            );
            return None;
        }
        if let Some(value) = change.filter(|&v| v.unsigned_abs() > u64::from(MAX_PLACES)) {
            self.error(
                at,
                format!("change = {value}: a change is at most {MAX_PLACES} places either way"),
            );
            return None;
        }
        if let Some(&(closes, edit)) = self.closed.get(&prison) {
            if at.week >= closes {
                self.error(
                    at,
                    format!(
                        "prison '{code}' is closed from {} (edit #{edit}): its capacity cannot change after that",
                        self.date(closes)
                    ),
                );
                return None;
            }
        }
        if let Some(&(opens, edit)) = self.opened.get(&prison) {
            if at.week < opens {
                self.error(
                    at,
                    format!(
                        "prison '{code}' opens from {} (edit #{edit}): its capacity cannot change before that",
                        self.date(opens)
                    ),
                );
                return None;
            }
        }
        let weeks = self.open_weeks(prison, at.week);
        for t in weeks.clone() {
            let value = set.unwrap_or_else(|| self.places[prison][t] + change.unwrap_or(0));
            if value > i64::from(MAX_PLACES) {
                self.error(
                    at,
                    format!(
                        "change = {}: the capacity of '{code}' would be {value} in week {t} ({}), above {MAX_PLACES} places",
                        change.unwrap_or(0),
                        self.date(t as u32)
                    ),
                );
                return None;
            }
            if value < 0 {
                let change = change.unwrap_or(0);
                let now = self.places[prison][t];
                self.error(
                    at,
                    format!(
                        "change = {change}: the capacity of '{code}' would be {value} in week {t} ({}), below zero ({now} places then)",
                        self.date(t as u32)
                    ),
                );
                return None;
            }
        }
        let before = self.places[prison]
            .get(at.week as usize)
            .copied()
            .unwrap_or(0);
        for t in weeks {
            self.places[prison][t] =
                set.unwrap_or_else(|| self.places[prison][t] + change.unwrap_or(0));
        }
        let after = set.unwrap_or(before + change.unwrap_or(0));
        Some(format!(
            "{} from week {}: {before} places to {after}",
            self.name(prison),
            at.week
        ))
    }

    fn open(&mut self, at: At, row: &PrisonRow, serves: &[String]) -> Option<String> {
        let errors_before = self.errors.len();
        let code = row.code.as_str();
        if !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())) {
            self.error(
                at,
                format!("prison.code = '{code}': a NOMIS code is three capital letters"),
            );
        } else if let Some(p) = self.prisons.iter().find(|p| p.code.as_str() == code) {
            self.error(
                at,
                format!("prison.code = '{code}': prison {} already exists", p.name),
            );
        }
        let cpa = self.cpa(at, "prison.cpa", &row.cpa);
        let function = self.word(
            at,
            "prison.function",
            &row.function,
            Function::parse,
            Function::expected,
        );
        let estates = self.words(
            at,
            "prison.estates",
            &row.estates,
            Estate::parse,
            Estate::expected,
        );
        let categories = self.words(
            at,
            "prison.categories",
            &row.categories,
            Category::parse,
            Category::expected,
        );
        let operator = self.word(
            at,
            "prison.operator",
            &row.operator,
            Operator::parse,
            Operator::expected,
        );
        let capacity =
            self.places_value(at, "prison.operational_capacity", row.operational_capacity);
        let cna = self.places_value(
            at,
            "prison.cna",
            row.cna.unwrap_or(row.operational_capacity),
        );
        let location = match (row.lat, row.lon) {
            (Some(lat), Some(lon))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
            {
                Some((lat, lon))
            }
            (None, None) => None,
            (lat, lon) => {
                self.error(
                    at,
                    format!(
                        "prison.lat = {lat:?}, prison.lon = {lon:?}: give both (degrees, latitude -90 to 90, longitude -180 to 180) or neither"
                    ),
                );
                None
            }
        };
        let mut served = BTreeSet::new();
        for id in serves {
            if let Some(cpa) = self.cpa(at, "serves", id) {
                if !served.insert(cpa) {
                    self.error(at, format!("serves: CPA '{id}' is listed twice"));
                }
            }
        }
        if self.errors.len() > errors_before {
            return None;
        }
        let (cpa, function, estates, categories, operator, capacity, cna) = (
            cpa?,
            function?,
            estates?,
            categories?,
            operator?,
            capacity?,
            cna?,
        );
        let prison = Prison {
            code: PrisonCode::from(code),
            name: row.name.clone(),
            cpa,
            function,
            estates,
            categories,
            operator,
            operational_capacity: capacity,
            cna,
            location,
        };
        let index = self.prisons.len();
        self.prisons.push(prison);
        let week = at.week.min(self.horizon) as usize;
        let mut timeline = vec![0; self.horizon as usize];
        for places in &mut timeline[week..] {
            *places = i64::from(capacity);
        }
        self.places.push(timeline);
        self.opened.insert(index, (at.week, at.index));
        for cpa in &served {
            self.designations.push(Designation {
                prison: PrisonCode::from(code),
                cpa: cpa.clone(),
                source: DesignationSource::Rule,
            });
        }
        let serving: Vec<&str> = served.iter().map(CpaId::as_str).collect();
        Some(format!(
            "{} opens from week {} with {capacity} places, a resettlement prison for: {}",
            self.name(index),
            at.week,
            if serving.is_empty() {
                "none".to_string()
            } else {
                serving.join(", ")
            }
        ))
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

    #[allow(clippy::too_many_arguments)]
    fn redesignate(
        &mut self,
        at: At,
        code: &str,
        add: &[String],
        remove: &[String],
        function: Option<&str>,
        estates: Option<&[String]>,
        categories: Option<&[String]>,
    ) -> Option<String> {
        let prison = self.prison(at, code)?;
        if add.is_empty()
            && remove.is_empty()
            && function.is_none()
            && estates.is_none()
            && categories.is_none()
        {
            self.error(
                at,
                "changes nothing: give add, remove, function, estates or categories",
            );
            return None;
        }
        let errors_before = self.errors.len();
        let pcode = self.prisons[prison].code.clone();
        let serves = |designations: &[Designation], cpa: &CpaId| {
            designations
                .iter()
                .any(|d| d.prison == pcode && &d.cpa == cpa)
        };
        let mut added = Vec::new();
        for id in add {
            let Some(cpa) = self.cpa(at, "add", id) else {
                continue;
            };
            if serves(&self.designations, &cpa) || added.contains(&cpa) {
                self.error(at, format!("add: '{code}' already serves CPA '{id}'"));
            } else {
                added.push(cpa);
            }
        }
        let mut removed = Vec::new();
        for id in remove {
            let Some(cpa) = self.cpa(at, "remove", id) else {
                continue;
            };
            if !serves(&self.designations, &cpa) || removed.contains(&cpa) {
                self.error(at, format!("remove: '{code}' does not serve CPA '{id}'"));
            } else if added.contains(&cpa) {
                self.error(at, format!("CPA '{id}' is both added and removed"));
            } else {
                removed.push(cpa);
            }
        }
        let function = function
            .and_then(|f| self.word(at, "function", f, Function::parse, Function::expected));
        let estates =
            estates.and_then(|e| self.words(at, "estates", e, Estate::parse, Estate::expected));
        let categories = categories
            .and_then(|c| self.words(at, "categories", c, Category::parse, Category::expected));
        if self.errors.len() > errors_before {
            return None;
        }
        if at.week > 0 {
            self.warn(
                at,
                format!(
                    "dated {} (week {}), but designations, function, estates and categories cannot vary by week in the model: applied to the whole horizon",
                    self.date(at.week),
                    at.week
                ),
            );
        }
        let mut effect = Vec::new();
        self.designations
            .retain(|d| !(d.prison == pcode && removed.contains(&d.cpa)));
        for cpa in &added {
            self.designations.push(Designation {
                prison: pcode.clone(),
                cpa: cpa.clone(),
                source: DesignationSource::Rule,
            });
        }
        let list = |cpas: &[CpaId]| {
            cpas.iter()
                .map(CpaId::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !added.is_empty() {
            effect.push(format!("serves {} too", list(&added)));
        }
        if !removed.is_empty() {
            effect.push(format!("no longer serves {}", list(&removed)));
        }
        let p = &mut self.prisons[prison];
        if let Some(function) = function {
            effect.push(format!("function {} to {function}", p.function));
            p.function = function;
        }
        if let Some(estates) = estates {
            let words: Vec<&str> = estates.iter().map(|e| e.as_str()).collect();
            effect.push(format!("estates {}", words.join(";")));
            p.estates = estates;
        }
        if let Some(categories) = categories {
            let words: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
            effect.push(format!("categories {}", words.join(";")));
            p.categories = categories;
        }
        Some(format!(
            "{} (whole horizon): {}",
            self.name(prison),
            effect.join("; ")
        ))
    }

    fn surge(&mut self, at: At, factor: Option<f64>, add: Option<u32>) -> Option<String> {
        if factor.is_none() && add.is_none() {
            self.error(
                at,
                "changes nothing: give receptions_factor or add_prisoners",
            );
            return None;
        }
        let mut effect = Vec::new();
        if let Some(n) = add.filter(|&n| n > MAX_COUNT) {
            self.error(
                at,
                format!("add_prisoners = {n}: at most {MAX_COUNT} at once"),
            );
            return None;
        }
        if let Some(factor) = factor {
            if let Err(e) = check_factor(factor, true) {
                self.error(at, format!("receptions_factor = {e}"));
                return None;
            }
            let chosen: Vec<usize> = (0..self.receptions.len())
                .filter(|&i| self.receptions[i].week >= at.week)
                .collect();
            if chosen.is_empty() {
                self.error(
                    at,
                    format!(
                        "receptions_factor = {factor}: there are no forecast receptions from {} to scale",
                        self.date(at.week)
                    ),
                );
                return None;
            }
            let (before, after) = scale(&mut self.receptions, &chosen, factor);
            effect.push(format!(
                "receptions from week {} × {factor}: {before} to {after}",
                at.week
            ));
        }
        if let Some(add) = add {
            let chosen: Vec<usize> = (0..self.receptions.len())
                .filter(|&i| self.receptions[i].week == at.week && self.receptions[i].count > 0)
                .collect();
            if chosen.is_empty() {
                self.error(
                    at,
                    format!(
                        "add_prisoners = {add}: there are no forecast receptions in week {} ({}) to model them on",
                        at.week,
                        self.date(at.week)
                    ),
                );
                return None;
            }
            let total: u64 = chosen
                .iter()
                .map(|&i| u64::from(self.receptions[i].count))
                .sum();
            let factor = (total + u64::from(add)) as f64 / total as f64;
            let (before, after) = scale(&mut self.receptions, &chosen, factor);
            effect.push(format!(
                "{} more received in week {} (like that week's {before} receptions)",
                after - before,
                at.week
            ));
        }
        self.receptions.retain(|c| c.count > 0);
        let total: u64 = self.receptions.iter().map(|c| u64::from(c.count)).sum();
        if total > MAX_PRISONERS {
            self.error(
                at,
                format!("the receptions would number {total}: at most {MAX_PRISONERS} in all"),
            );
            return None;
        }
        Some(effect.join("; "))
    }

    fn policy(
        &mut self,
        at: At,
        window: Option<u32>,
        headroom: Option<f64>,
        max_moves_per_week: Option<u32>,
        max_moves_per_prison_week: Option<u32>,
    ) -> Option<String> {
        if window.is_none()
            && headroom.is_none()
            && max_moves_per_week.is_none()
            && max_moves_per_prison_week.is_none()
        {
            self.error(
                at,
                "changes nothing: give window, headroom, max_moves_per_week or max_moves_per_prison_week",
            );
            return None;
        }
        let mut effect = Vec::new();
        if let Some(window) = window {
            if let Err(e) = check_window(window) {
                self.error(at, e);
                return None;
            }
            effect.push(format!("window {} to {window} weeks", self.options.window));
            self.options.window = window;
        }
        if let Some(percent) = headroom {
            match check_headroom(percent) {
                Ok(share) => {
                    effect.push(format!("headroom {percent}%"));
                    self.options.headroom = share;
                }
                Err(e) => {
                    self.error(at, e);
                    return None;
                }
            }
        }
        for (field, limit) in [
            ("max_moves_per_week", max_moves_per_week),
            ("max_moves_per_prison_week", max_moves_per_prison_week),
        ] {
            if let Err(e) = check_moves(limit) {
                self.error(at, format!("{field} = {e}"));
                return None;
            }
        }
        if let Some(n) = max_moves_per_week {
            effect.push(format!("at most {n} moves a week"));
            self.options.max_moves_per_week = Some(n);
        }
        if let Some(n) = max_moves_per_prison_week {
            effect.push(format!("at most {n} moves out of a prison a week"));
            self.options.max_moves_per_prison_week = Some(n);
        }
        if at.week > 0 {
            self.warn(
                at,
                format!(
                    "dated {} (week {}), but the policy cannot vary by week in the model: applied to the whole horizon",
                    self.date(at.week),
                    at.week
                ),
            );
        }
        Some(format!("{} (whole horizon)", effect.join("; ")))
    }

    /// Sends the forecast receptions into each closed prison, from its closure on, to the
    /// prison named by `receptions_to`, or else to the nearest prison (by coordinates; then
    /// by code) that holds them, takes receptions (has places and is not closed) that week
    /// and, where there is one, has the closed prison's function.
    fn redirect_receptions(&mut self) {
        let redirects = std::mem::take(&mut self.redirects);
        for (closed, week, target) in redirects {
            let mut stranded = 0u64;
            for i in 0..self.receptions.len() {
                let cohort = &self.receptions[i];
                if cohort.week < week || self.prisons[closed].code != cohort.prison {
                    continue;
                }
                let to = target.or_else(|| self.nearest_reception_prison(closed, cohort));
                match to {
                    Some(to) => self.receptions[i].prison = self.prisons[to].code.clone(),
                    None => stranded += u64::from(cohort.count),
                }
            }
            if stranded > 0 {
                let (index, _) = self.closed[&closed];
                let code = self.prisons[closed].code.clone();
                self.warnings.push(format!(
                    "{}: warning: edit #{index} (close): {stranded} forecast receptions into '{code}' after its closure have no open prison that holds them: they stay and count as overflow",
                    self.path.display()
                ));
            }
        }
    }

    fn nearest_reception_prison(&self, closed: usize, cohort: &ReceptionCohort) -> Option<usize> {
        let week = (cohort.week as usize).min(self.horizon as usize - 1);
        let from = &self.prisons[closed];
        let candidates: Vec<usize> = (0..self.prisons.len())
            .filter(|&j| {
                let p = &self.prisons[j];
                j != closed
                    && p.is_destination()
                    && p.holds(cohort.estate, cohort.category)
                    && self.places[j][week] > 0
            })
            .collect();
        let same_function: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&j| self.prisons[j].function == from.function)
            .collect();
        let pool = if same_function.is_empty() {
            candidates
        } else {
            same_function
        };
        pool.into_iter().min_by(|&a, &b| {
            let (da, db) = (
                distance(from, &self.prisons[a]),
                distance(from, &self.prisons[b]),
            );
            da.total_cmp(&db)
                .then_with(|| self.prisons[a].code.cmp(&self.prisons[b].code))
        })
    }
}

/// Great-circle distance in km, or infinity when a prison has no coordinates.
fn distance(a: &Prison, b: &Prison) -> f64 {
    let (Some((lat1, lon1)), Some((lat2, lon2))) = (a.location, b.location) else {
        return f64::INFINITY;
    };
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Scales the counts of the chosen cohorts by `factor`, keeping whole prisoners: the total
/// becomes round(total × factor), each cohort gets the floor of its share and the rest go one
/// each to the largest remainders (ties to the earlier cohort). Returns the totals before and
/// after.
fn scale(receptions: &mut [ReceptionCohort], chosen: &[usize], factor: f64) -> (u64, u64) {
    let before: u64 = chosen.iter().map(|&i| u64::from(receptions[i].count)).sum();
    let target = (before as f64 * factor).round() as u64;
    let mut shares: Vec<(usize, u64, f64)> = chosen
        .iter()
        .map(|&i| {
            let exact = f64::from(receptions[i].count) * factor;
            (i, exact.floor() as u64, exact - exact.floor())
        })
        .collect();
    let floors: u64 = shares.iter().map(|s| s.1).sum();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].2.total_cmp(&shares[a].2).then(a.cmp(&b)));
    for &k in order.iter().take(target.saturating_sub(floors) as usize) {
        shares[k].1 += 1;
    }
    for (i, count, _) in shares {
        receptions[i].count = u32::try_from(count).unwrap_or(u32::MAX);
    }
    let after = chosen.iter().map(|&i| u64::from(receptions[i].count)).sum();
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cohort(count: u32) -> ReceptionCohort {
        ReceptionCohort {
            week: 0,
            prison: "XXI".into(),
            home_cpa: None,
            estate: Estate::AdultMale,
            category: Some(Category::C),
            release_week: Some(10),
            expected_release_week: None,
            count,
        }
    }

    #[test]
    fn scaling_keeps_whole_prisoners_and_hits_the_rounded_total() {
        let mut cohorts: Vec<_> = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3]
            .into_iter()
            .map(cohort)
            .collect();
        let chosen: Vec<usize> = (0..cohorts.len()).collect();
        let (before, after) = scale(&mut cohorts, &chosen, 1.05);
        assert_eq!((before, after), (22, 23));
        // The largest remainder is the cohort of 3 (3.15).
        assert_eq!(cohorts[19].count, 4);
        let (_, after) = scale(&mut cohorts, &chosen, 0.0);
        assert_eq!(after, 0);
    }
}
