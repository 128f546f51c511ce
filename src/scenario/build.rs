//! From a scenario to a planning instance: load (or generate) the base, check every edit
//! against the data, apply them in the order written, then build the [`Instance`] and set its
//! capacity per prison and week.
//!
//! The operational capacity of every prison is kept per week while the edits apply (0 before
//! a new prison opens and from a closure on); the instance's usable capacity is then
//! floor(places × (1 − headroom)) of each week, as for `resettle plan`.

use std::path::{Path, PathBuf};

use super::edits::{check_headroom, check_moves, check_window, AppliedEdit, Editor};
use super::file::{Base, ScenarioFile};
use crate::domain::calendar::Calendar;
use crate::domain::Dataset;
use crate::error::ScenarioError;
use crate::generate::{generate, GenerateOptions};
use crate::input::diagnostics::{Diagnostics, PRINTED_PER_RULE};
use crate::input::limits::{check_mip_gap, start_in_range, MAX_HORIZON, START_YEARS};
use crate::input::validate::{load_inputs, InputPaths};
use crate::problem::instance::{check_booked_capacity, usable_capacity, Instance, PlanOptions};
use crate::solver::SolverOptions;

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
            ..SolverOptions::default()
        },
        applied: editor.applied,
        warnings,
    })
}

/// The plan's options from the base, checked as the command line checks them.
fn base_options(base: &Base, calendar: Calendar) -> Result<PlanOptions, String> {
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
