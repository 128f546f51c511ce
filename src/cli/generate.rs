//! `resettle generate`: a synthetic population and forecast receptions calibrated on a data
//! set.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::options::{parse_scale, parse_start};
use super::print_diagnostics;
use crate::domain::calendar::Calendar;
use crate::error::Error;
use crate::generate::{generate, GenerateOptions};
use crate::input::limits::MAX_WEEK;
use crate::input::validate::{load_inputs, InputPaths};
use crate::output::{population_csv, receptions_csv, OutputDir, OutputFiles};

/// Options of `resettle generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Reference data folder to calibrate on.
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// Random seed: the same seed gives the same files.
    #[arg(long)]
    pub seed: u64,
    /// Size against the published population (1.0: the national estate of August 2014);
    /// greater than 0, at most 10.
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
    pub scale: f64,
    /// Snapshot date and first week of receptions (a Monday, YYYY-MM-DD, in the years 1950
    /// to 2100).
    #[arg(long, value_name = "DATE", value_parser = parse_start)]
    pub start: Calendar,
    /// Weeks of forecast receptions (0 to 520).
    #[arg(long, default_value_t = 52, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_WEEK)))]
    pub weeks: u32,
    /// Folder to write population.csv and receptions.csv into, replaced whole (a new or empty
    /// folder, or one resettle wrote).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// The top-level entry point for `resettle generate`.
pub(super) fn generate_command(
    args: &GenerateArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let target = OutputDir::claim(&args.out)?;
    target.refuse_inputs_inside([args.data.as_path()])?;
    let paths = InputPaths {
        data: args.data.clone(),
        ..InputPaths::default()
    };
    let (inputs, diagnostics) = load_inputs(&paths, None);
    print_diagnostics(diagnostics, err)?;
    let options = GenerateOptions {
        seed: args.seed,
        scale: args.scale,
        calendar: args.start,
        weeks: args.weeks,
    };
    let synthetic =
        generate(&inputs.data, &options).map_err(|e| Error::BadOption(e.to_string()))?;
    let mut files = OutputFiles::default();
    files.add("population.csv", population_csv(&synthetic.prisoners));
    files.add("receptions.csv", receptions_csv(&synthetic.receptions));
    files.commit(target)?;
    let received: u64 = synthetic
        .receptions
        .iter()
        .map(|c| u64::from(c.count))
        .sum();
    writeln!(
        out,
        "wrote {}: {} prisoners in population.csv, {} receptions over {} weeks in receptions.csv",
        args.out.display(),
        synthetic.prisoners.len(),
        received,
        args.weeks
    )?;
    Ok(())
}
