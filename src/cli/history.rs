//! `resettle history` and `resettle diff`: the runs recorded in the plan history, and two of
//! them compared.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::error::Error;
use crate::error::HistoryError;
use crate::history::{diff_csv, diff_runs, RunHeader, Store, Target};
use crate::output::percent_of;
use crate::output::OutputFile;

/// The history `history` and `diff` read when neither `--db` nor `RESETTLE_DB` is given.
const DEFAULT_DB: &str = "resettle.db";

/// What `--db --help` says.
const DB_HELP: &str = "The plan history: an SQLite file, or a PostgreSQL URL \
(postgres://USER[:PASSWORD]@HOST[:PORT]/DB; a Unix socket's folder as the host, its slashes \
written %2F). Also read from the environment variable RESETTLE_DB.";

/// `--db` of `history` and `diff`: the plan history they read.
#[derive(Debug, Args)]
pub struct ReadDbArg {
    #[arg(long, value_name = "FILE_OR_URL", env = "RESETTLE_DB", hide_env_values = true,
          default_value = DEFAULT_DB, long_help = DB_HELP)]
    pub db: String,
}

impl ReadDbArg {
    /// Where the history is.
    fn target(&self) -> Result<Target, HistoryError> {
        self.db.parse()
    }
}

/// Options of `resettle history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub history: ReadDbArg,
}

/// Options of `resettle diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier run's id (`resettle history` lists them).
    pub before: i64,
    /// The later run's id.
    pub after: i64,
    #[command(flatten)]
    pub history: ReadDbArg,
    /// Write the CSV of the moves compared to FILE (standard output when not given; the
    /// counts then go to standard error).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The top-level entry point for `resettle history`: every recorded run, one a line, with its
/// key KPIs and its inputs' hashes shortened.
pub(super) fn history_command(args: &HistoryArgs, out: &mut dyn Write) -> Result<(), Error> {
    let target = args.history.target()?;
    let runs = Store::open(&target, false)?.runs()?;
    if runs.is_empty() {
        writeln!(out, "no runs recorded in {target}")?;
        return Ok(());
    }
    write!(out, "{}", runs_table(&runs))?;
    Ok(())
}

/// The table of `resettle history`.
fn runs_table(runs: &[(i64, RunHeader)]) -> String {
    let mut table = String::new();
    let mut line = |fields: [&str; 13]| {
        let [id, when, user, command, start, headline, k1, k2, home, moves, overflow, status, inputs] =
            fields;
        writeln!(
            table,
            "{id:>4} {when:<17} {user:<12} {command:<8} {start:<10} {headline:>11} {k1:>6} \
             {k2:>6} {home:>6} {moves:>6} {overflow:>8} {status:<17} {inputs}"
        )
        .expect("writing to a string");
    };
    line([
        "id",
        "when (UTC)",
        "user",
        "command",
        "start",
        "K1 reach AM",
        "K1",
        "K2",
        "home",
        "moves",
        "overflow",
        "status",
        "inputs",
    ]);
    for (id, run) in runs {
        let kpis = &run.kpis;
        let inputs: Vec<String> = run
            .inputs
            .iter()
            .map(|input| {
                format!(
                    "{}:{}",
                    input.role,
                    &input.sha256[..8.min(input.sha256.len())]
                )
            })
            .collect();
        line([
            &id.to_string(),
            &run.started_at
                .replace('T', " ")
                .chars()
                .take(16)
                .collect::<String>(),
            &run.user,
            &run.command,
            &run.plan_start,
            &percent_of(kpis.k1_reach_adult_male),
            &percent_of(kpis.k1),
            &percent_of(kpis.k2),
            &kpis.k1.home.to_string(),
            &kpis.moves.to_string(),
            &kpis.overflow_person_weeks.to_string(),
            &run.status,
            &inputs.join(" "),
        ]);
    }
    table
}

/// The top-level entry point for `resettle diff`: the counts of kept, re-timed, re-routed,
/// dropped and new moves between two runs, and the CSV of the moves. Reading prisoner ids out
/// of the history is written in its audit first.
pub(super) fn diff_command(
    args: &DiffArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let target = args.history.target()?;
    let file = args.out.as_deref().map(OutputFile::claim).transpose()?;
    let diff = diff_runs(&target, args.before, args.after)?;
    let counts = format!("run {} to run {}: {diff}", args.before, args.after);
    let csv = diff_csv(&diff);
    match file {
        Some(file) => {
            file.write(&csv)?;
            writeln!(out, "{counts}")?;
        }
        None => {
            out.write_all(&csv)?;
            writeln!(err, "{counts}")?;
        }
    }
    Ok(())
}
