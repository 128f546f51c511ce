//! Scenarios (docs/policy.md §2, the estate planner): a base instance and dated edits — close a
//! prison, change its capacity, open a new one, redesignate, a population surge, a change of
//! policy — solved side by side and compared.
//!
//! - `file` — the TOML format of a scenario file (the only part that knows it);
//! - `build` — turns a scenario into a planning [`Instance`](crate::problem::instance::Instance):
//!   loads or generates the base, then has every edit checked against the data and applied;
//! - `edits` — the `Editor` holding the data while the edits apply, and one module per kind
//!   of edit (close, capacity, open, redesignate, surge, policy);
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
mod edits;
mod file;
mod run;

pub use build::{build, BuildError, Built, Scenario};
pub use compare::{
    compare, comparison_csv, comparison_json, comparison_table, not_home, Comparison,
    CATEGORY_SLOTS,
};
pub use edits::AppliedEdit;
pub use file::{read, Base, Date, Edit, GenerateBase, PrisonRow, ScenarioFile};
pub use run::{run, RunOptions};
