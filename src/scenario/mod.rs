//! Scenarios (docs/policy.md §2, the estate planner): a base instance and dated edits — close a
//! prison, change its capacity, open a new one, redesignate, a population surge, a change of
//! policy — solved side by side and compared.
//!
//! - `file` — the TOML format of a scenario file (the only part that knows it);
//! - `build` — turns a scenario into a planning [`Instance`](crate::instance::Instance):
//!   loads or generates the base, checks every edit against the data and applies it;
//! - `compare` — the figures compared across scenarios (`comparison.csv`,
//!   `comparison.json`, the table printed) and the definition of *places short*;
//! - `run` — `resettle scenarios run`: builds every scenario, solves them in parallel on a
//!   pool of `--jobs` threads, and writes one folder per scenario plus the comparison.
//!
//! How edits apply: an edit applies from the week containing its `from` date (default: the
//! start date). Capacity edits (close, capacity, open) change the usable capacity of the
//! weeks from then on. Designations, a prison's function, estates and categories, and the
//! policy (window, headroom, escort limits) cannot vary by week in the model: they apply to
//! the whole horizon, with a warning when dated after the start. Paths in a scenario file are
//! relative to the folder of the scenario file. Scenarios are named by their file's stem.

mod build;
mod compare;
mod file;
mod run;

use std::fmt;
use std::path::{Path, PathBuf};

pub use build::{build, AppliedEdit, BuildError, Built, Scenario};
pub use compare::{
    compare, comparison_csv, comparison_json, comparison_table, not_home, Comparison,
    CATEGORY_SLOTS,
};
pub use file::{read, Base, Date, Edit, GenerateBase, PrisonRow, ScenarioFile};
pub use run::{run, RunOptions};

/// A problem with a scenario: its file, the edit (1-based index and kind) when it is about
/// one, and what is wrong, naming the bad value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: PathBuf,
    /// 1-based index of the edit in the file and its kind.
    pub edit: Option<(usize, &'static str)>,
    pub message: String,
}

impl ScenarioError {
    /// A problem with the file as a whole (or its base).
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        ScenarioError {
            file: file.to_path_buf(),
            edit: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ScenarioError {
    /// `file: edit #2 (close): message`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file.display())?;
        if let Some((index, kind)) = self.edit {
            write!(f, "edit #{index} ({kind}): ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in the scenarios of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the scenarios have {} error(s); nothing was written",
            self.0.len()
        )
    }
}

impl std::error::Error for ScenarioErrors {}
