//! `resettle scenarios`: what-if runs on the estate, solved side by side (`scenario::run`).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand};

use super::options::PseudonymArgs;
use crate::analysis::marginal::{CONFIRM, MAX_CONFIRM};
use crate::error::Error;
use crate::output::OutputDir;
use crate::scenario::{comparison_table, run, RunOptions};

/// `resettle scenarios`: what-if runs on the estate.
#[derive(Debug, Args)]
pub struct ScenariosCommand {
    #[command(subcommand)]
    pub action: ScenariosAction,
}

/// The subcommands of `resettle scenarios`.
#[derive(Debug, Subcommand)]
pub enum ScenariosAction {
    /// Solve scenario files side by side: one folder per scenario and a comparison.
    Run(ScenariosArgs),
}

/// Options of `resettle scenarios run`.
#[derive(Debug, Args)]
pub struct ScenariosArgs {
    /// Scenario files (TOML); each is named by its file's stem. Paths inside a file are
    /// relative to the file's folder.
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Folder to write into, replaced whole (a new or empty folder, or one resettle wrote): a
    /// folder per scenario, comparison.csv and comparison.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Scenarios solved at the same time (default: the number of processors).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub jobs: Option<u64>,
    /// Prisons at the top of each scenario's marginal values re-solved with 10 more places,
    /// to confirm what the LP's duals predict (0: none; at most 1000).
    #[arg(long, value_name = "N", default_value_t = CONFIRM as u64, value_parser = clap::value_parser!(u64).range(0..=MAX_CONFIRM))]
    pub confirm_marginal: u64,
    #[command(flatten)]
    pub pseudonyms: PseudonymArgs,
    /// No progress messages on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The top-level entry point for `resettle scenarios`.
pub(super) fn scenarios_command(
    command: &ScenariosCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    match &command.action {
        ScenariosAction::Run(args) => run_command(args, out, err),
    }
}

/// The top-level entry point for `resettle scenarios run`: the comparison's table on `out`.
fn run_command(
    args: &ScenariosArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let started = Instant::now();
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n as usize,
    );
    let options = RunOptions {
        jobs,
        report: args.pseudonyms.report_options()?,
        confirm: args.confirm_marginal as usize,
        quiet: args.quiet,
        started,
    };
    let target = OutputDir::claim(&args.out)?;
    let rows = run(&args.files, target, &options, err)?;
    if !args.quiet {
        writeln!(
            err,
            "[{:6.2}s] wrote {} ({} scenarios, {jobs} job(s))",
            started.elapsed().as_secs_f64(),
            args.out.display(),
            rows.len()
        )?;
    }
    write!(out, "{}", comparison_table(&rows))?;
    Ok(())
}
