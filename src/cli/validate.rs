//! `resettle validate`: every problem of the reference data and planning inputs, and a
//! summary.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::options::parse_start;
use super::print_diagnostics;
use crate::domain::calendar::Calendar;
use crate::error::Error;
use crate::input::validate::{load_inputs, summarise, InputPaths};

/// Options of `resettle validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Reference data folder (cpas.csv, prisons.csv, designations.csv).
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// Population snapshot (CSV).
    #[arg(long, value_name = "FILE")]
    pub population: Option<PathBuf>,
    /// Forecast receptions (CSV).
    #[arg(long, value_name = "FILE")]
    pub receptions: Option<PathBuf>,
    /// Booked moves (CSV).
    #[arg(long, value_name = "FILE")]
    pub booked: Option<PathBuf>,
    /// Plan start date (a Monday, YYYY-MM-DD, in the years 1950 to 2100): also check the
    /// dates against it.
    #[arg(long, value_name = "DATE", value_parser = parse_start)]
    pub start: Option<Calendar>,
}

/// The top-level entry point for `resettle validate`.
pub(super) fn validate_command(
    args: &ValidateArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let paths = InputPaths {
        data: args.data.clone(),
        population: args.population.clone(),
        receptions: args.receptions.clone(),
        booked: args.booked.clone(),
    };
    let (inputs, diagnostics) = load_inputs(&paths, args.start.as_ref());
    let warnings = diagnostics.warning_count();
    print_diagnostics(diagnostics, err)?;
    write!(
        out,
        "{}",
        summarise(
            &inputs,
            paths.population.is_some(),
            paths.receptions.is_some()
        )
    )?;
    writeln!(out, "\nno errors, {warnings} warning(s)")?;
    Ok(())
}
