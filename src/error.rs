//! Every way a command can fail, with the exit code the command line gives for it: `Error`,
//! and the errors of the plan history and of scenario files it carries. It depends only on
//! the layers below the commands, so any of them may fail with it.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::input::diagnostics::Diagnostics;
use crate::output::{TargetError, WriteError};

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
    BadScenario(ScenarioErrors),
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
    Solve(#[from] crate::planners::optimal::OptimiseError),
    /// The plan history could not be used.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// Standard output could not be written. (Messages that cannot be written to standard
    /// error are dropped: they never change what a command does.)
    #[error("cannot write to standard output: {0}")]
    Stdout(#[from] std::io::Error),
}

impl From<crate::problem::instance::BadOption> for Error {
    fn from(bad: crate::problem::instance::BadOption) -> Error {
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

/// Why the history could not be used.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// `--db` names neither a file nor a PostgreSQL URL that can be read.
    #[error("--db {target}: {reason}")]
    BadTarget { target: String, reason: String },
    /// The database could not be opened or reached.
    #[error("--db {target}: cannot connect: {reason}")]
    Unreachable { target: String, reason: String },
    /// The database holds no history (reading commands never create one).
    #[error("--db {target}: no history there: record runs with `resettle plan ... --db {target}`")]
    NoHistory { target: String },
    /// The database's schema is newer than this binary knows.
    #[error(
        "--db {target}: the history's schema is at version {found}, newer than this resettle \
         knows ({known}): use a newer resettle"
    )]
    SchemaNewer {
        target: String,
        found: i64,
        known: i64,
    },
    /// The database's schema is not the one this binary would have made.
    #[error("--db {target}: the history's schema does not match this resettle's: {reason}")]
    SchemaMismatch { target: String, reason: String },
    /// No run has this id.
    #[error("--db {target}: no run {run} in the history (`resettle history` lists them)")]
    NoRun { target: String, run: i64 },
    /// `roll --run`: the run is the plan of another start than `--start`.
    #[error(
        "--db {target}: run {run} is the plan starting on {run_start}, not on --start {start}: \
         give the run of this week's plan (`resettle history` lists them)"
    )]
    OtherStart {
        target: String,
        run: i64,
        run_start: String,
        start: String,
    },
    /// `roll --run`: the run's week 0 is already recorded as carried out.
    #[error("--db {target}: run {run} was rolled already: its week 0 is recorded as carried out")]
    AlreadyRolled { target: String, run: i64 },
    /// A statement failed (the transaction was rolled back).
    #[error("--db {target}: {reason}")]
    Database { target: String, reason: String },
}

impl HistoryError {
    /// Whether the problem lies in what the user gave (`--db`, a run id) rather than in a
    /// failure of the database: exit code 2 rather than 1.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, HistoryError::Database { .. })
    }
}

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
