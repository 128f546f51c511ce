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

pub use diff::{compare, diff_csv, diff_runs, Diff, DiffRow};
pub use recorders::{PlanRecorder, RollRecorder};
pub use records::{
    previous_moves, request_statuses, user_name, Audit, BookedMove, InputFile, Invocation,
    PlannedMove, Request, RequestKey, RequestStatus, RequestedMove, Rolling, Run, RunHeader,
    RunKpis,
};
pub use store::{Store, Target};
