//! The library's error type and the exit codes the command line gives for it.

use crate::diagnostics::Diagnostics;
use crate::io::{TargetError, WriteError};

/// Exit code: bad input (a file breaks a rule, a bad option, an output target that cannot be
/// used).
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code: any other failure (an output cannot be written, the solver failed).
pub const EXIT_FAILURE: i32 = 1;

/// Why a command did not complete.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input files break rules; every problem found is listed.
    #[error("the input has {} error(s); nothing was written", .0.error_count())]
    BadInput(Diagnostics),
    /// Scenario files that make no sense; every problem found is listed.
    #[error(transparent)]
    BadScenario(crate::scenario::ScenarioErrors),
    /// An option's value makes no sense.
    #[error("{0}")]
    BadOption(String),
    /// An output target cannot be used (found before any work is done).
    #[error(transparent)]
    Target(#[from] TargetError),
    /// An output could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The solver did not reach an optimum.
    #[error(transparent)]
    Solve(#[from] crate::optimise::OptimiseError),
    /// The plan history could not be used.
    #[error(transparent)]
    History(#[from] crate::history::HistoryError),
    /// Standard output could not be written. (Messages that cannot be written to standard
    /// error are dropped: they never change what a command does.)
    #[error("cannot write to standard output: {0}")]
    Stdout(#[from] std::io::Error),
}

impl From<crate::instance::BadOption> for Error {
    fn from(bad: crate::instance::BadOption) -> Error {
        Error::BadOption(bad.0)
    }
}

impl Error {
    /// The process exit code for this error (0 is success).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::BadInput(_) | Error::BadOption(_) | Error::BadScenario(_) | Error::Target(_) => {
                EXIT_BAD_INPUT
            }
            Error::History(e) if e.is_bad_input() => EXIT_BAD_INPUT,
            Error::History(_) | Error::Write(_) | Error::Solve(_) | Error::Stdout(_) => {
                EXIT_FAILURE
            }
        }
    }
}
