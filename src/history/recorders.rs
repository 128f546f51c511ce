//! What `plan --db` and `roll --db --run` record.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::records::{
    now, user_name, BookedMove, InputFile, Invocation, RequestKey, RequestStatus, RequestedMove,
    Rolling, Run,
};
use super::{Store, Target};
use crate::cycle::roll::{Rolled, RolledMove};
use crate::domain::calendar::Calendar;
use crate::error::Error;
use crate::error::HistoryError;
use crate::input::validate::{InputPaths, Inputs};
use crate::input::{PlannedMoves, DATASET_FILES};
use crate::output::request_attributes;
use crate::output::OutputFiles;
use crate::planners::optimal::SolveReport;

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
                    key: RequestKey {
                        from,
                        to,
                        date,
                        estate: attributes.estate.to_string(),
                        category: attributes.category.map(str::to_string),
                        sentence_length: attributes.sentence_length.map(str::to_string),
                    },
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
