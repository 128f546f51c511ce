//! The options several subcommands share, flattened into theirs (`#[command(flatten)]`), and
//! the parsers of option values.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Arg, Args};

use super::print_diagnostics;
use crate::domain::calendar::{parse_date, Calendar};
use crate::error::Error;
use crate::input::limits::{
    check_factor, check_mip_gap, headroom_share, start_in_range, START_YEARS,
};
use crate::input::validate::{load_inputs, InputPaths, Inputs};
use crate::output::OutputDir;
use crate::output::{PseudonymKey, ReportOptions};
use crate::solver::SolverOptions;

/// The planning inputs of `plan`, `roll` and `simulate`. Their help is worded for `plan`; the
/// other subcommands [`reword`] it.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Reference data folder.
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// Population snapshot on the start date (CSV).
    #[arg(long, value_name = "FILE")]
    pub population: PathBuf,
    /// Forecast receptions (CSV).
    #[arg(long, value_name = "FILE")]
    pub receptions: Option<PathBuf>,
    /// Booked moves, kept as given (CSV).
    #[arg(long, value_name = "FILE")]
    pub booked: Option<PathBuf>,
    /// Plan start date S (a Monday, YYYY-MM-DD, in the years 1950 to 2100): week t covers
    /// days S+7t to S+7t+6.
    #[arg(long, value_name = "DATE", value_parser = parse_start)]
    pub start: Calendar,
}

impl InputArgs {
    /// Where the input files are.
    pub fn paths(&self) -> InputPaths {
        InputPaths {
            data: self.data.clone(),
            population: Some(self.population.clone()),
            receptions: self.receptions.clone(),
            booked: self.booked.clone(),
        }
    }

    /// Refuses the output folder `target` when it holds an input, or one of `more`, which
    /// replacing it would delete.
    pub fn refuse_inside(&self, target: &OutputDir, more: &[&Path]) -> Result<(), Error> {
        let files = [
            Some(&self.population),
            self.receptions.as_ref(),
            self.booked.as_ref(),
        ];
        let inputs = (files.into_iter().flatten())
            .chain([&self.data])
            .map(PathBuf::as_path)
            .chain(more.iter().copied());
        Ok(target.refuse_inputs_inside(inputs)?)
    }

    /// Reads every input and checks it against `--start`: prints the problems, and fails when
    /// one is an error.
    pub fn load(&self, err: &mut dyn Write) -> Result<Inputs, Error> {
        let (inputs, diagnostics) = load_inputs(&self.paths(), Some(&self.start));
        print_diagnostics(diagnostics, err)?;
        Ok(inputs)
    }
}

/// `--db` of `plan` and `roll`: the plan history a run is recorded in, if any. Its help is
/// worded for `plan`; `roll` [`reword`]s it.
#[derive(Debug, Args)]
pub struct RecordDbArg {
    /// Record the run in the plan history once its files are written: an SQLite file (made
    /// when missing) or a PostgreSQL URL. Without it (or RESETTLE_DB) nothing is recorded.
    #[arg(
        long,
        value_name = "FILE_OR_URL",
        env = "RESETTLE_DB",
        hide_env_values = true
    )]
    pub db: Option<String>,
}

/// `--pseudonymise` and `--pseudonym-key-file` of `plan` and `scenarios run`.
#[derive(Debug, Args)]
pub struct PseudonymArgs {
    /// Replace prisoner ids in the outputs with pseudonyms keyed by --pseudonym-key-file.
    #[arg(long)]
    pub pseudonymise: bool,
    /// The secret key of the pseudonyms (see --pseudonymise).
    #[arg(long, value_name = "FILE", requires = "pseudonymise", long_help = KEY_FILE_HELP)]
    pub pseudonym_key_file: Option<PathBuf>,
}

/// What `--pseudonym-key-file --help` says.
const KEY_FILE_HELP: &str = "The secret key of the pseudonyms written with --pseudonymise: a \
file of at least 16 bytes that you keep private. Make one with `head -c 32 /dev/urandom > \
resettle.key`. The same key gives the same pseudonyms, so files of different runs can be \
joined; without it nobody can tell which id a pseudonym stands for.";

impl PseudonymArgs {
    /// The report options of these options; the key is read now, before any work. Pseudonyms
    /// without a key are refused: a fixed key would let anyone who knows the id format undo
    /// them (docs/planning-rules.md §7).
    pub fn report_options(&self) -> Result<ReportOptions, Error> {
        if !self.pseudonymise {
            return Ok(ReportOptions::default());
        }
        let Some(path) = &self.pseudonym_key_file else {
            return Err(Error::BadOption(
                "--pseudonymise needs --pseudonym-key-file FILE, a secret key that you keep \
                 private: make one with `head -c 32 /dev/urandom > resettle.key`"
                    .into(),
            ));
        };
        let bad = |reason: String| {
            Error::BadOption(format!("--pseudonym-key-file {}: {reason}", path.display()))
        };
        let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot be read: {e}")))?;
        Ok(ReportOptions {
            pseudonym_key: Some(PseudonymKey::new(bytes).map_err(bad)?),
            ..ReportOptions::default()
        })
    }
}

/// Re-words shared options' help for one subcommand, keeping their place in it:
/// `#[command(mut_args(reword(&[(ID, TEXT), ...])))]`. A text is shown as written: like the
/// help clap takes from a doc comment, it has no final period.
pub fn reword(texts: &'static [(&'static str, &'static str)]) -> impl FnMut(Arg) -> Arg {
    move |arg| match texts.iter().find(|(id, _)| arg.get_id() == *id) {
        Some((_, text)) => arg.help(*text),
        None => arg,
    }
}

/// The solver's options from `--mip-gap` and `--time-limit`.
pub fn solver_options(mip_gap: f64, time_limit: Option<f64>) -> SolverOptions {
    SolverOptions {
        mip_gap,
        time_limit: time_limit.map(Duration::from_secs_f64),
        ..SolverOptions::default()
    }
}

/// A start date: a Monday, YYYY-MM-DD, in the years of [`START_YEARS`].
pub fn parse_start(text: &str) -> Result<Calendar, String> {
    let date =
        parse_date(text).ok_or_else(|| format!("'{text}' is not a date written YYYY-MM-DD"))?;
    if !start_in_range(date) {
        let (from, to) = START_YEARS;
        return Err(format!("{date} is not in the years {from} to {to}"));
    }
    Calendar::new(date).map_err(|e| e.to_string())
}

/// A time limit in seconds: more than 0, at most a week.
pub fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 604_800.0 => Ok(secs),
        _ => Err(format!(
            "'{text}' is not a number of seconds above 0 and at most 604800"
        )),
    }
}

/// A percentage of capacity kept free: 0 up to, not including, 100.
pub fn parse_headroom(text: &str) -> Result<f64, String> {
    let percent = parse_number(text)?;
    headroom_share(percent).map(|_| percent)
}

/// A relative MIP gap: 0 to 1.
pub fn parse_mip_gap(text: &str) -> Result<f64, String> {
    check_mip_gap(parse_number(text)?)
}

/// A scale: greater than 0, at most [`MAX_FACTOR`](crate::input::limits::MAX_FACTOR).
pub fn parse_scale(text: &str) -> Result<f64, String> {
    check_factor(parse_number(text)?, false)
}

fn parse_number(text: &str) -> Result<f64, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a number"))
}
