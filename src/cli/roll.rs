//! `resettle roll`: next week's inputs from this week's and its plan, and with `--db --run`
//! the plan's week 0 recorded as carried out.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::options::{reword, InputArgs, RecordDbArg};
use super::rejected;
use crate::cycle::roll::{load_plan, roll};
use crate::error::Error;
use crate::history::{RequestStatus, RollRecorder};
use crate::input::limits::{start_in_range, START_YEARS};
use crate::output::OutputDir;

/// Options of `resettle roll`.
#[derive(Debug, Args)]
#[command(mut_args(reword(&[
    ("population", "This week's population snapshot (CSV), as given to `resettle plan`"),
    ("receptions", "This week's forecast receptions (CSV)"),
    ("booked", "This week's booked moves (CSV)"),
    ("start", "This week's plan start S (a Monday, YYYY-MM-DD): the new inputs are for S + 7 days"),
    ("db", "The plan history (as `plan --db`), where --run is recorded; read only with --run"),
])))]
pub struct RollArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// This week's plan folder, written by `resettle plan` from these inputs without
    /// --pseudonymise: its moves.csv is read.
    #[arg(long, value_name = "DIR")]
    pub plan: PathBuf,
    /// Folder to write next week's population.csv, receptions.csv and booked.csv into,
    /// replaced whole (a new or empty folder, or one resettle wrote).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub history: RecordDbArg,
    /// The run of the plan history that recorded --plan: once the new inputs are written, its
    /// week 0 is recorded as carried out and its requests filled or cancelled, in one
    /// transaction. Refused, with nothing written, for a run of another --start, of another
    /// plan, or rolled already.
    #[arg(long, value_name = "RUN", requires = "db")]
    pub run: Option<i64>,
}

/// The top-level entry point for `resettle roll`.
pub(super) fn roll_command(
    args: &RollArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let start = args.inputs.start;
    let next = start.first_day(1);
    if !start_in_range(next) {
        let (from, to) = START_YEARS;
        return Err(Error::BadOption(format!(
            "--start {}: the next start, {next}, is not in the years {from} to {to}",
            start.start()
        )));
    }
    let target = OutputDir::claim(&args.out)?;
    args.inputs.refuse_inside(&target, &[args.plan.as_path()])?;
    let inputs = args.inputs.load(err)?;
    let plan = load_plan(&args.plan, &inputs).map_err(|diagnostics| rejected(diagnostics, err))?;
    let recorder = match (&args.history.db, args.run) {
        (Some(db), Some(run)) => Some(RollRecorder::open(db, run, &start, &plan)?),
        _ => None,
    };
    let rolled = roll(&inputs, start, &plan).map_err(|diagnostics| rejected(diagnostics, err))?;
    rolled.files().commit(target)?;
    if let (Some(recorder), Some(run)) = (recorder, args.run) {
        let shown = recorder.target().to_string();
        match recorder.record(&inputs, &args.inputs.paths(), &args.plan, &rolled) {
            Ok(statuses) => {
                let count = |status| statuses.iter().filter(|&&s| s == status).count();
                writeln!(
                    out,
                    "recorded in {shown}: run {run}'s week 0 carried out ({} moves); its \
                     requests {} filled, {} cancelled, {} unfilled",
                    rolled.made.len(),
                    count(RequestStatus::Filled),
                    count(RequestStatus::Cancelled),
                    count(RequestStatus::Unfilled)
                )?;
            }
            Err(error) => {
                let written = args.out.display();
                writeln!(
                    err,
                    "the new inputs are written to {written} but not recorded"
                )?;
                return Err(error);
            }
        }
    }
    write!(out, "{}", rolled.counts)?;
    let people: u64 = rolled.receptions.iter().map(|c| u64::from(c.count)).sum();
    writeln!(
        out,
        "wrote {}: {} prisoners in population.csv, {} receptions in receptions.csv, {} moves in \
         booked.csv, for the start a week later",
        args.out.display(),
        rolled.prisoners.len(),
        people,
        rolled.booked.len()
    )?;
    Ok(())
}
