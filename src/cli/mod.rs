//! The command line: the parser of `resettle`'s arguments and one module per subcommand, each
//! with its options and its documented `*_command` function. `main.rs` only turns the result
//! into an exit code.
//!
//! - `options` — the options several subcommands share (the planning inputs, `--db`, the
//!   pseudonyms) and the parsers of option values;
//! - `validate`, `generate`, `plan`, `roll`, `simulate`, `scenarios`, `report`, `history` (with `diff`)
//!   — the subcommands.

mod generate;
mod history;
mod options;
mod plan;
mod report;
mod roll;
mod scenarios;
mod simulate;
mod validate;

use std::io::{self, Write};

use clap::{Parser, Subcommand};

use crate::error::Error;
use crate::input::diagnostics::{Diagnostics, PRINTED_PER_RULE};

pub use generate::GenerateArgs;
pub use history::{DiffArgs, HistoryArgs, ReadDbArg};
pub use options::{InputArgs, PseudonymArgs, RecordDbArg};
pub use plan::PlanArgs;
pub use roll::RollArgs;
pub use scenarios::{ScenariosAction, ScenariosArgs, ScenariosCommand};
pub use simulate::SimulateArgs;
pub use validate::ValidateArgs;

/// Plans where prisoners are held so that they are released from a resettlement prison of
/// their home Contract Package Area.
///
/// Exit codes: 0 done; 1 failure (an output cannot be written); 2 bad input (a file breaks
/// a rule, an option makes no sense, or --out cannot be used) — then nothing is written.
#[derive(Debug, Parser)]
#[command(name = "resettle", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the reference data and planning inputs; print every problem and a summary.
    Validate(ValidateArgs),
    /// Write a synthetic population and forecast receptions calibrated on the data set.
    Generate(GenerateArgs),
    /// Plan the moves of the coming weeks: status quo, greedy and optimal plans side by side.
    Plan(PlanArgs),
    /// Make next week's inputs from this week's and its plan, as if the plan's first week was
    /// carried out.
    Roll(RollArgs),
    /// The weekly cycle in a closed loop: plan, carry out the first week, roll, plan again
    /// from last week's plan, week after week, greedy and optimal side by side.
    Simulate(SimulateArgs),
    /// What-if runs on the estate: closures, new places, redesignations, surges, policy.
    Scenarios(ScenariosCommand),
    /// Write one self-contained HTML report (charts, tables) of a plan folder.
    Report(report::ReportArgs),
    /// List the runs recorded in the plan history (`plan --db`).
    History(HistoryArgs),
    /// Compare two recorded runs' planned moves: kept, moved to another week or prison,
    /// dropped, new.
    Diff(DiffArgs),
}

/// Runs a parsed command line, writing reports to `out` and messages (problems, progress) to
/// `err`. A message that cannot be written is dropped: a closed `err` changes neither what is
/// done nor the result.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let err = &mut Messages(err);
    match cli.command {
        Command::Validate(args) => validate::validate_command(&args, out, err),
        Command::Generate(args) => generate::generate_command(&args, out, err),
        Command::Plan(args) => plan::plan_command(&args, out, err),
        Command::Roll(args) => roll::roll_command(&args, out, err),
        Command::Simulate(args) => simulate::simulate_command(&args, out, err),
        Command::Scenarios(command) => scenarios::scenarios_command(&command, out, err),
        Command::Report(args) => report::report_command(&args, out, err),
        Command::History(args) => history::history_command(&args, out),
        Command::Diff(args) => history::diff_command(&args, out, err),
    }
}

/// The messages' writer: a write that fails is dropped.
struct Messages<'a>(&'a mut dyn Write);

impl Write for Messages<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

/// Prints the diagnostics (the first of each rule: [`PRINTED_PER_RULE`]); fails with them
/// all when any is an error.
fn print_diagnostics(diagnostics: Diagnostics, err: &mut dyn Write) -> Result<(), Error> {
    for line in diagnostics.printed(PRINTED_PER_RULE) {
        writeln!(err, "{line}")?;
    }
    if diagnostics.has_errors() {
        return Err(Error::BadInput(diagnostics));
    }
    Ok(())
}

/// [`print_diagnostics`] for diagnostics that refuse the input: the error to fail with.
fn rejected(diagnostics: Diagnostics, err: &mut dyn Write) -> Error {
    print_diagnostics(diagnostics, err).expect_err("refusing diagnostics hold an error")
}
