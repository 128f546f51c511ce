//! The plan history: each recorded `resettle plan` run (its options, input hashes, KPIs,
//! timings), its planned moves, transfer requests and booked moves, what `roll --run` found
//! carried out of it (its week 0's moves, its requests filled or cancelled), and an audit of
//! who did what. One schema (`migrations/`, applied by refinery when a store is opened) on two back
//! ends: SQLite, one file and no server (the default), or PostgreSQL for a team.
//!
//! - `records`: the rows, and a run built from the files `plan` writes.
//! - `store`: [`Store`], the one door to either back end; every query is written once.
//! - `schema`: the versioned migrations; a database newer than this binary is refused.
//! - `sqlite`, `postgres`: connecting and the transactions of each back end.
//! - `diff`: two runs' planned moves compared (`resettle diff`); `recorders`: what `plan --db`
//!   and `roll --db --run` record.
//!
//! A run is written whole or not at all: one transaction, under the store's write lock.
//! Prisoner ids are kept as the plan's files write them (pseudonyms with `--pseudonymise`)
//! and never appear in a message.

mod diff;
mod postgres;
mod recorders;
mod records;
mod schema;
mod sqlite;
mod store;

pub use diff::{compare, diff_csv, diff_runs, Change, Diff, DiffRow};
pub use recorders::{PlanRecorder, RollRecorder};
pub use records::{
    request_statuses, user_name, Audit, BookedMove, InputFile, Invocation, PlannedMove, Request,
    RequestKey, RequestStatus, RequestedMove, Rolling, Run, RunHeader, RunKpis,
};
pub use store::{Store, Target};

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
