//! The scenario file format (TOML): what a file may say, read with serde. Words (prison
//! codes, CPAs, functions, categories) are kept as written here and checked against the data
//! set when its edits are applied (`edits`), where an error can name the data.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::calendar::parse_date;
use crate::error::ScenarioError;
use crate::input::limits::{date_in_range, DATE_YEARS};

/// A scenario file: its base and its edits, in the order written.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// What the scenario tests, in a sentence (written into the scenario's folder).
    #[serde(default)]
    pub description: String,
    pub base: Base,
    /// The edits, applied in the order written (`[[edit]]` tables).
    #[serde(default, rename = "edit")]
    pub edits: Vec<Edit>,
}

/// The instance a scenario starts from. Paths are relative to the scenario file's folder.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Base {
    /// The reference data folder (`cpas.csv`, `prisons.csv`, `designations.csv`).
    pub data: PathBuf,
    /// Population snapshot on the start date (CSV); or give `generate`.
    pub population: Option<PathBuf>,
    /// Forecast receptions (CSV).
    pub receptions: Option<PathBuf>,
    /// Booked moves (CSV).
    pub booked: Option<PathBuf>,
    /// A synthetic population and receptions instead of the two files.
    pub generate: Option<GenerateBase>,
    /// The plan's start date (a Monday).
    pub start: Date,
    /// Weeks planned: by default 52, a year ahead for the estate planner
    /// (docs/planning-rules.md §5; `resettle plan`'s weekly transfer plan looks 26 ahead).
    #[serde(default = "default_horizon")]
    pub horizon: u32,
    #[serde(default = "default_window")]
    pub window: u32,
    #[serde(default = "default_first_movable_week")]
    pub first_movable_week: u32,
    /// Percentage of operational capacity kept free (0 up to 100).
    #[serde(default)]
    pub headroom: f64,
    pub max_moves_per_week: Option<u32>,
    pub max_moves_per_prison_week: Option<u32>,
    /// Relative MIP gap accepted when the LP relaxation is fractional.
    #[serde(default = "default_mip_gap")]
    pub mip_gap: f64,
}

/// `generate = { seed = 7, scale = 1.0, weeks = 52 }`: the synthetic population of
/// `resettle generate` on the base data, starting on the base's start date.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateBase {
    pub seed: u64,
    #[serde(default = "default_scale")]
    pub scale: f64,
    /// Weeks of forecast receptions.
    #[serde(default = "default_generate_weeks")]
    pub weeks: u32,
}

fn default_horizon() -> u32 {
    52
}
fn default_window() -> u32 {
    12
}
fn default_first_movable_week() -> u32 {
    1
}
fn default_mip_gap() -> f64 {
    0.0001
}
fn default_scale() -> f64 {
    1.0
}
fn default_generate_weeks() -> u32 {
    52
}

/// One edit of the base. Each has an optional `from` date (default: the start date); it
/// applies from the week containing that date.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// The prison's capacity drops to 0: its population must move out (decants), with
    /// overflow reported where there is nowhere to go. Forecast receptions into it from then
    /// go to `receptions_to`, or by default to the nearest open prison of the same function
    /// that holds them.
    Close {
        prison: String,
        from: Option<Date>,
        receptions_to: Option<String>,
    },
    /// Operational capacity changed by `change` places, or `set` to a value.
    Capacity {
        prison: String,
        from: Option<Date>,
        change: Option<i64>,
        set: Option<i64>,
    },
    /// A new prison (a full `prisons.csv` row), with the CPAs it is a resettlement prison for.
    Open {
        from: Option<Date>,
        prison: PrisonRow,
        #[serde(default)]
        serves: Vec<String>,
    },
    /// CPAs added to or removed from those a prison serves; its function, estates or
    /// categories changed. The model cannot vary these by week: they apply to the whole
    /// horizon.
    Redesignate {
        prison: String,
        from: Option<Date>,
        #[serde(default)]
        add: Vec<String>,
        #[serde(default)]
        remove: Vec<String>,
        function: Option<String>,
        estates: Option<Vec<String>>,
        categories: Option<Vec<String>>,
    },
    /// Forecast receptions from the date scaled by `receptions_factor`; `add_prisoners`
    /// more received in the date's week, spread over that week's receptions.
    Surge {
        from: Option<Date>,
        receptions_factor: Option<f64>,
        add_prisoners: Option<u32>,
    },
    /// Planning policy: the window, the headroom (percent), the escort limits. They apply
    /// to the whole horizon.
    Policy {
        from: Option<Date>,
        window: Option<u32>,
        headroom: Option<f64>,
        max_moves_per_week: Option<u32>,
        max_moves_per_prison_week: Option<u32>,
    },
}

impl Edit {
    /// The edit's kind as written in `kind = "..."`.
    pub fn kind(&self) -> &'static str {
        match self {
            Edit::Close { .. } => "close",
            Edit::Capacity { .. } => "capacity",
            Edit::Open { .. } => "open",
            Edit::Redesignate { .. } => "redesignate",
            Edit::Surge { .. } => "surge",
            Edit::Policy { .. } => "policy",
        }
    }

    /// The date it applies from, when given.
    pub fn from(&self) -> Option<NaiveDate> {
        match self {
            Edit::Close { from, .. }
            | Edit::Capacity { from, .. }
            | Edit::Open { from, .. }
            | Edit::Redesignate { from, .. }
            | Edit::Surge { from, .. }
            | Edit::Policy { from, .. } => from.map(|d| d.0),
        }
    }
}

/// A prison as a row of `prisons.csv`, for `kind = "open"`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrisonRow {
    pub code: String,
    pub name: String,
    /// The CPA it stands in.
    pub cpa: String,
    pub function: String,
    pub estates: Vec<String>,
    pub categories: Vec<String>,
    #[serde(default = "default_operator")]
    pub operator: String,
    pub operational_capacity: i64,
    /// Default: the operational capacity.
    pub cna: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

fn default_operator() -> String {
    "public".into()
}

/// A date written `2014-10-06` (a TOML date) or `"2014-10-06"` (a string), in the years of
/// [`DATE_YEARS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = toml::Value::deserialize(deserializer)?;
        let text = match &value {
            toml::Value::String(text) => text.clone(),
            toml::Value::Datetime(datetime)
                if datetime.time.is_none() && datetime.offset.is_none() =>
            {
                datetime.to_string()
            }
            other => {
                return Err(serde::de::Error::custom(format!(
                    "expected a date written YYYY-MM-DD, found a {}",
                    other.type_str()
                )))
            }
        };
        let date = parse_date(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text} is not a date written YYYY-MM-DD"))
        })?;
        if !date_in_range(date) {
            let (from, to) = DATE_YEARS;
            return Err(serde::de::Error::custom(format!(
                "{text} is not in the years {from} to {to}"
            )));
        }
        Ok(Date(date))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// Reads and parses a scenario file.
pub fn read(path: &Path) -> Result<ScenarioFile, ScenarioError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::file(path, format!("cannot read the file: {e}")))?;
    toml::from_str(&text).map_err(|e| ScenarioError::file(path, describe(&text, &e)))
}

/// A TOML error with its line and column, and the edit it falls in (the `[[edit]]` tables
/// are numbered from 1 in the order written).
fn describe(text: &str, error: &toml::de::Error) -> String {
    if let Some(described) = bad_edit(text) {
        return described;
    }
    let message = error.message().trim_end().replace('\n', " ");
    let Some(span) = error.span() else {
        return message;
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let mut tables = before.lines().filter_map(|l| {
        let l = l.trim_start();
        l.starts_with('[').then(|| l.starts_with("[[edit]]"))
    });
    let edits = before
        .lines()
        .filter(|l| l.trim_start().starts_with("[[edit]]"))
        .count();
    let in_edit = tables.next_back() == Some(true);
    if in_edit {
        format!("edit #{edits}: line {line}, column {column}: {message}")
    } else {
        format!("line {line}, column {column}: {message}")
    }
}

/// The first edit that cannot be read, with the line of its `[[edit]]` header, when the
/// file is valid TOML. Needed because an edit is read through its `kind` tag, which loses
/// the position of an error inside it: the parser then points at the first edit.
fn bad_edit(text: &str) -> Option<String> {
    let table: toml::Table = text.parse().ok()?;
    let edits = table.get("edit")?.as_array()?;
    let (index, error) = edits
        .iter()
        .enumerate()
        .find_map(|(i, edit)| edit.clone().try_into::<Edit>().err().map(|e| (i, e)))?;
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[edit]]"))
        .nth(index)
        .map_or(0, |(n, _)| n + 1);
    let message = error.message().trim_end().replace('\n', " ");
    Some(format!("edit #{}: line {line}: {message}", index + 1))
}
