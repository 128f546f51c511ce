//! The history's commands: `resettle history`, `resettle diff`, and what `plan --db` and
//! `roll --db --run` record.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use serde_json::json;

use super::diff::{compare, diff_csv};
use super::records::{
    now, user_name, Audit, BookedMove, InputFile, Invocation, RequestStatus, RequestedMove,
    Rolling, Run, RunHeader,
};
use super::{HistoryError, Store, Target};
use crate::calendar::Calendar;
use crate::error::Error;
use crate::io::{OutputFile, OutputFiles, PlannedMoves, DATASET_FILES};
use crate::optimise::SolveReport;
use crate::report::{percent, request_attributes};
use crate::roll::{Rolled, RolledMove};
use crate::validate::{InputPaths, Inputs};

/// The history `history` and `diff` read when neither `--db` nor `RESETTLE_DB` is given.
const DEFAULT_DB: &str = "resettle.db";

/// What `--db` says.
const DB_HELP: &str = "The plan history: an SQLite file, or a PostgreSQL URL \
(postgres://USER[:PASSWORD]@HOST[:PORT]/DB; a Unix socket's folder as the host, its slashes \
written %2F). Also read from the environment variable RESETTLE_DB.";

/// Options of `resettle history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[arg(long, value_name = "FILE_OR_URL", env = "RESETTLE_DB", hide_env_values = true,
          default_value = DEFAULT_DB, long_help = DB_HELP)]
    pub db: String,
}

/// Options of `resettle diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier run's id (`resettle history` lists them).
    pub before: i64,
    /// The later run's id.
    pub after: i64,
    #[arg(long, value_name = "FILE_OR_URL", env = "RESETTLE_DB", hide_env_values = true,
          default_value = DEFAULT_DB, long_help = DB_HELP)]
    pub db: String,
    /// Write the CSV of the moves compared to FILE (standard output when not given; the
    /// counts then go to standard error).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The top-level entry point for `resettle history`: every recorded run, one a line, with its
/// key KPIs and its inputs' hashes shortened.
pub fn history_command(args: &HistoryArgs, out: &mut dyn Write) -> Result<(), Error> {
    let target: Target = args.db.parse()?;
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
            &percent(kpis.k1_reach_adult_male),
            &percent(kpis.k1),
            &percent(kpis.k2),
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
pub fn diff_command(
    args: &DiffArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let target: Target = args.db.parse()?;
    let file = args.out.as_deref().map(OutputFile::claim).transpose()?;
    let mut store = Store::open(&target, false)?;
    let (before, after) = (store.run(args.before)?, store.run(args.after)?);
    store.audit(&Audit {
        at: now(),
        user: user_name(),
        command: format!("diff {} {}", args.before, args.after),
        run: None,
        inputs: json!({ "runs": [args.before, args.after] }).to_string(),
    })?;
    let diff = compare(&before.planned, &after.planned);
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

/// What `plan --db` records: the history is opened before any work (a bad `--db` stops the
/// run at once), the inputs hashed once read, and the run written after its files.
pub struct PlanRecorder {
    store: Store,
    started: Instant,
    started_at: String,
    /// The command line's options that shaped the files (a JSON object).
    options: serde_json::Value,
    inputs: Vec<InputFile>,
}

impl PlanRecorder {
    /// Opens (or makes) the history `db` for a plan written to `out` with `options` (a JSON
    /// object). An SQLite file inside `out` is refused: each run replaces that folder whole.
    pub fn open(db: &str, out: &Path, options: serde_json::Value) -> Result<PlanRecorder, Error> {
        let target: Target = db.parse()?;
        if let Target::Sqlite(path) = &target {
            refuse_inside(path, out).map_err(|reason| HistoryError::BadTarget {
                target: target.to_string(),
                reason,
            })?;
        }
        Ok(PlanRecorder {
            store: Store::open(&target, true)?,
            started: Instant::now(),
            started_at: now(),
            options,
            inputs: Vec::new(),
        })
    }

    /// Hashes the inputs of `paths`, once they have been read without error.
    pub fn read_inputs(&mut self, paths: &InputPaths) -> Result<(), Error> {
        self.inputs = input_files(paths, [])?;
        Ok(())
    }

    /// The run of a plan from its files (before they are committed) and its solve report.
    pub fn run(&self, files: &OutputFiles, report: &SolveReport) -> Result<Run, Error> {
        let invocation = Invocation {
            started_at: self.started_at.clone(),
            user: user_name(),
            command: "plan".to_string(),
            inputs: self.inputs.clone(),
            options: self.options.clone(),
            seconds: self.started.elapsed().as_secs_f64(),
        };
        Run::of_plan(invocation, files, report).map_err(|reason| {
            HistoryError::Database {
                target: self.store.target().to_string(),
                reason: format!("the plan's files cannot be recorded: {reason}"),
            }
            .into()
        })
    }

    /// Writes `run` whole and returns its id.
    pub fn record(mut self, run: &Run) -> Result<i64, Error> {
        Ok(self.store.record(run)?)
    }

    /// Where the history is.
    pub fn target(&self) -> &Target {
        self.store.target()
    }
}

/// The files of `paths` and `more` (role, path), hashed.
fn input_files(
    paths: &InputPaths,
    more: impl IntoIterator<Item = (&'static str, PathBuf)>,
) -> Result<Vec<InputFile>, Error> {
    let data = DATASET_FILES
        .iter()
        .map(|name| (name.trim_end_matches(".csv"), paths.data.join(name)))
        .filter(|(_, path)| path.exists());
    let files = [
        ("population", &paths.population),
        ("receptions", &paths.receptions),
        ("booked", &paths.booked),
    ];
    files
        .into_iter()
        .filter_map(|(role, path)| Some((role, path.clone()?)))
        .chain(data)
        .chain(more)
        .map(|(role, path)| {
            InputFile::read(role, &path).map_err(|e| {
                Error::BadOption(format!("{} cannot be read again: {e}", path.display()))
            })
        })
        .collect()
}

/// What `roll --db --run` records: the run is checked before any file is written, and its
/// week 0 recorded as carried out once the new inputs are.
pub struct RollRecorder {
    store: Store,
    run: i64,
    start: String,
}

impl RollRecorder {
    /// Opens the history `db` (there must be one) and refuses run `run` unless it can be
    /// rolled for `start` and its planned moves are the plan's (`plan`, as `roll` read it).
    pub fn open(
        db: &str,
        run: i64,
        start: &Calendar,
        plan: &PlannedMoves,
    ) -> Result<RollRecorder, Error> {
        let target: Target = db.parse()?;
        let mut store = Store::open(&target, false)?;
        let start = start.start().to_string();
        store.check_roll(run, &start)?;
        let mut recorded: Vec<_> = (store.run(run)?.planned.into_iter())
            .map(|m| (m.prisoner, m.from, m.to, m.week))
            .collect();
        let mut read: Vec<_> = (plan.moves.iter())
            .map(|m| {
                let (from, to) = (m.from.to_string(), m.to.to_string());
                (m.prisoner_id.to_string(), from, to, m.week)
            })
            .collect();
        recorded.sort();
        read.sort();
        if recorded != read {
            return Err(Error::BadOption(format!(
                "--run {run}: its planned moves are not those of --plan's moves.csv: give the \
                 run recorded with this plan (`resettle history` lists them)"
            )));
        }
        Ok(RollRecorder { store, run, start })
    }

    /// Records `rolled`, rolled from `inputs` (read from `paths`) and the plan folder `plan`,
    /// as the run's week 0 carried out; returns its requests' statuses.
    pub fn record(
        mut self,
        inputs: &Inputs,
        paths: &InputPaths,
        plan: &Path,
        rolled: &Rolled,
    ) -> Result<Vec<RequestStatus>, Error> {
        let text = |m: &RolledMove| (m.from.to_string(), m.to.to_string(), m.date.to_string());
        let carried_out = (rolled.made.iter())
            .map(|m| {
                let (from, to, date) = text(m);
                BookedMove {
                    prisoner: m.prisoner_id.to_string(),
                    from,
                    to,
                    date,
                }
            })
            .collect();
        let prisoners: BTreeMap<_, _> = (inputs.prisoners.iter()).map(|p| (&p.id, p)).collect();
        let requested = (rolled.week_1.iter())
            .filter_map(|(m, booked)| {
                let attributes = request_attributes(prisoners.get(&m.prisoner_id)?)?;
                let (from, to, date) = text(m);
                Some(RequestedMove {
                    from,
                    to,
                    date,
                    estate: attributes.estate.to_string(),
                    category: attributes.category.map(str::to_string),
                    sentence_length: attributes.sentence_length.map(str::to_string),
                    booked: *booked,
                })
            })
            .collect();
        let rolling = Rolling {
            plan_start: self.start.clone(),
            carried_out,
            requested,
            user: user_name(),
            inputs: input_files(paths, [("plan", plan.join("moves.csv"))])?,
        };
        Ok(self.store.record_roll(self.run, &rolling)?)
    }

    /// Where the history is.
    pub fn target(&self) -> &Target {
        self.store.target()
    }
}

/// Why the file `db` cannot be kept with a plan written to `out`, if it cannot.
fn refuse_inside(db: &Path, out: &Path) -> Result<(), String> {
    let folder = db.parent().filter(|p| !p.as_os_str().is_empty());
    let (Ok(folder), Ok(out_real)) = (
        fs::canonicalize(folder.unwrap_or(Path::new("."))),
        fs::canonicalize(out),
    ) else {
        return Ok(());
    };
    if folder.starts_with(&out_real) {
        return Err(format!(
            "is inside --out {}, which each run replaces whole: keep the history elsewhere",
            out.display()
        ));
    }
    Ok(())
}
