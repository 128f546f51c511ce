//! What `resettle scenarios run FILES... --out DIR [--jobs N]` does (its options are read in
//! `cli::scenarios`): builds every scenario (all are checked before any is solved: a bad
//! scenario stops the run with nothing written), solves them in parallel on a pool of `--jobs`
//! threads, and writes one folder per scenario (what `resettle plan` writes, plus
//! `scenario.json`) and `comparison.csv` / `comparison.json`, all into `--out` as one set (it
//! replaces the folder whole).
//!
//! Memory: a scenario is built again when its turn comes and its folder is staged on disk as
//! soon as it is solved, so only the `--jobs` scenarios being solved are held at once.
//!
//! Outputs do not depend on the number of jobs: scenarios are named by their file's stem and
//! handled in name order, each is solved on its own, and results are collected in that order.

use std::cmp::Reverse;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use super::build::{build, BuildError, Built, Scenario};
use super::compare::{compare, comparison_csv, comparison_json, Comparison};
use super::edits::AppliedEdit;
use super::file::{Base, Edit};
use crate::error::{Error, ScenarioError, ScenarioErrors};
use crate::input::diagnostics::{Diagnostics, PRINTED_PER_RULE};
use crate::output::{json_bytes, OutputDir, OutputFiles, ReportOptions, MARKER};
use crate::pipeline::{outputs, plan_all_confirming};
use crate::planners::optimal::KeyedBasis;
use crate::problem::instance::Instance;

/// How [`run`] solves the scenarios and writes them.
pub struct RunOptions {
    /// Scenarios solved at the same time.
    pub jobs: usize,
    /// How every scenario's folder is written (its solver options are the scenario's own).
    pub report: ReportOptions,
    /// Prisons at the top of each scenario's marginal values re-solved with 10 more places.
    pub confirm: usize,
    /// No progress messages.
    pub quiet: bool,
    /// When the command started: progress messages are timed from it.
    pub started: Instant,
}

/// Builds every scenario of `files`, solves them and writes them into `target` as one set;
/// prints every problem, warning and progress message to `err`. Returns the comparison's rows,
/// in the scenarios' name order.
pub fn run(
    files: &[PathBuf],
    target: OutputDir,
    options: &RunOptions,
    err: &mut dyn Write,
) -> Result<Vec<Comparison>, Error> {
    let scenarios = read_all(files, err)?;
    target.refuse_inputs_inside(inputs(&scenarios).iter().map(PathBuf::as_path))?;
    let jobs = options.jobs;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::BadOption(format!("--jobs {jobs}: cannot start the threads: {e}")))?;
    let built: Vec<Result<Built, BuildError>> =
        pool.install(|| scenarios.par_iter().map(build).collect());
    let built = check_all(&scenarios, built, err)?;
    for warning in built.iter().flat_map(|b| &b.warnings) {
        writeln!(err, "{warning}")?;
    }
    let forced: Vec<u32> = built.iter().map(|b| forced_out(&b.instance)).collect();
    // Each scenario is built again when its turn comes: only those being solved are held
    // (a national instance takes about 60 MB).
    drop(built);
    let (report, confirm) = (&options.report, options.confirm);
    let staging = &target;
    let starts = starts(&scenarios);
    let solve_staging = |i: usize, start: Option<&KeyedBasis>, progress: &Sender<String>| {
        let scenario = &scenarios[i];
        let starts_others = starts.contains(&Some(i));
        let mut built = rebuild(scenario)?;
        // A scenario others start from keeps every column in its blend's interior point:
        // the vertex it reaches is their better start (BENCHMARKS.md).
        built.solver.boxed_by_dual_simplex = !starts_others;
        let (folder, row, basis) =
            solve(scenario, built, report, confirm, start, progress.clone())?;
        staging.stage(&scenario.name, folder)?;
        // Only a basis another scenario starts from is kept (nationally 5–10 MB each).
        Ok((row, basis.filter(|_| starts_others).map(Arc::new)))
    };
    let solved = with_progress(err, options.quiet, options.started, |progress| {
        // The scenarios others start from first; each thread then takes the first scenario
        // in that order whose start is solved, so that none waits for a scenario it does not
        // start from.
        let queue = Queue::new(starts.clone(), &forced);
        let work = || {
            while let Some(taken) = queue.next() {
                let result = solve_staging(taken.scenario, taken.start.as_deref(), progress);
                taken.done(result);
            }
        };
        pool.scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(|_| work());
            }
        });
        let state = queue
            .state
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        state
            .solved
            .into_iter()
            .map(|r| r.expect("every scenario solved").map(|(row, _)| row))
            .collect::<Vec<Result<Comparison, Error>>>()
    })?;
    let mut rows = Vec::with_capacity(solved.len());
    for (scenario, result) in scenarios.iter().zip(solved) {
        match result {
            Ok(row) => rows.push(row),
            Err(e) => {
                writeln!(err, "{}: {e}; nothing was written", scenario.path.display())?;
                return Err(e);
            }
        }
    }
    let mut files = OutputFiles::default();
    files.add(COMPARISON_CSV, comparison_csv(&rows));
    files.add(COMPARISON_JSON, comparison_json(&rows));
    files.commit(target)?;
    Ok(rows)
}

/// A scenario's comparison row and its plan's basis, or why it failed.
type Solved = Result<(Comparison, Option<Arc<KeyedBasis>>), Error>;

/// The scenarios not yet taken, in the order they are taken, and those solved.
struct QueueState {
    waiting: Vec<usize>,
    solved: Vec<Option<Solved>>,
    /// A thread panicked: the others take nothing more.
    abandoned: bool,
}

/// What the threads of a run share: the scenarios to solve and which scenario each starts
/// from (`starts`).
struct Queue {
    starts: Vec<Option<usize>>,
    state: Mutex<QueueState>,
    /// Signalled when a scenario is solved.
    changed: Condvar,
}

/// A scenario taken from the [`Queue`], with the basis it starts from. Dropped without
/// [`Taken::done`] (its thread panicked), it abandons the queue, so that no other thread
/// waits for it.
struct Taken<'a> {
    queue: &'a Queue,
    scenario: usize,
    start: Option<Arc<KeyedBasis>>,
    solved: bool,
}

impl Taken<'_> {
    /// Records the scenario as solved.
    fn done(mut self, result: Solved) {
        let queue = self.queue;
        let mut state = queue.lock();
        state.solved[self.scenario] = Some(result);
        queue.changed.notify_all();
        self.solved = true;
    }
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        if !self.solved {
            self.queue.lock().abandoned = true;
            self.queue.changed.notify_all();
        }
    }
}

impl Queue {
    /// The scenarios others start from first, then the others; each part by the people a
    /// closure forces out (`forced`, most first), then in name order.
    ///
    /// The more people a closure forces out, the longer a scenario takes (nationally, closing
    /// Wandsworth 53 s, Channings Wood 16 s, the other edits 5–19 s): begun first, the
    /// longest does not finish alone at the end.
    fn new(starts: Vec<Option<usize>>, forced: &[u32]) -> Queue {
        let mut waiting: Vec<usize> = (0..starts.len()).collect();
        waiting.sort_by_key(|&i| (starts[i].is_some(), Reverse(forced[i])));
        Queue {
            state: Mutex::new(QueueState {
                waiting,
                solved: starts.iter().map(|_| None).collect(),
                abandoned: false,
            }),
            starts,
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first waiting scenario whose start is solved, with that scenario's basis. Waits
    /// while none is ready; none when every scenario is taken.
    fn next(&self) -> Option<Taken<'_>> {
        let mut state = self.lock();
        loop {
            if state.waiting.is_empty() || state.abandoned {
                return None;
            }
            let ready = state
                .waiting
                .iter()
                .position(|&i| self.starts[i].is_none_or(|from| state.solved[from].is_some()));
            if let Some(position) = ready {
                let scenario = state.waiting.remove(position);
                let start = self.starts[scenario].and_then(|from| match &state.solved[from] {
                    Some(Ok((_, basis))) => basis.clone(),
                    _ => None,
                });
                return Some(Taken {
                    queue: self,
                    scenario,
                    start,
                    solved: false,
                });
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// The scenario files and the files of their bases.
fn inputs(scenarios: &[Scenario]) -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for scenario in scenarios {
        let dir = scenario.path.parent().unwrap_or(Path::new(""));
        let base = &scenario.file.base;
        inputs.push(scenario.path.clone());
        inputs.push(dir.join(&base.data));
        let files = [&base.population, &base.receptions, &base.booked];
        inputs.extend(files.into_iter().flatten().map(|file| dir.join(file)));
    }
    inputs
}

/// The files written beside the scenarios' folders.
const COMPARISON_CSV: &str = "comparison.csv";
const COMPARISON_JSON: &str = "comparison.json";

/// Reads every file, sorted by scenario name; fails with every problem found, among them a
/// name that cannot be a folder of the output (`.`, `..`, or the name of a file beside them).
fn read_all(files: &[PathBuf], err: &mut dyn Write) -> Result<Vec<Scenario>, Error> {
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        match Scenario::read(path) {
            Ok(s) => scenarios.push(s),
            Err(e) => errors.push(e),
        }
    }
    scenarios.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
    for scenario in &scenarios {
        let name = scenario.name.as_str();
        if [".", "..", COMPARISON_CSV, COMPARISON_JSON, MARKER].contains(&name) {
            errors.push(ScenarioError::file(
                &scenario.path,
                format!(
                    "scenario name '{name}' (the file's stem) cannot name a folder of the \
                     output beside {COMPARISON_CSV} and {COMPARISON_JSON}: rename the file"
                ),
            ));
        }
    }
    for pair in scenarios.windows(2) {
        if pair[0].name == pair[1].name {
            errors.push(ScenarioError::file(
                &pair[1].path,
                format!(
                    "scenario name '{}' (the file's stem) is also the name of {}: rename one",
                    pair[1].name,
                    pair[0].path.display()
                ),
            ));
        }
    }
    fail_on(errors, err)?;
    Ok(scenarios)
}

/// Prints every error and fails when there is one.
fn fail_on(errors: Vec<ScenarioError>, err: &mut dyn Write) -> Result<(), Error> {
    for e in &errors {
        writeln!(err, "{e}")?;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::BadScenario(ScenarioErrors(errors)))
    }
}

/// The built scenarios, or every problem of every scenario.
fn check_all(
    scenarios: &[Scenario],
    built: Vec<Result<Built, BuildError>>,
    err: &mut dyn Write,
) -> Result<Vec<Built>, Error> {
    let mut ok = Vec::with_capacity(built.len());
    let mut errors = Vec::new();
    let mut diagnostics = Diagnostics::default();
    for (scenario, result) in scenarios.iter().zip(built) {
        match result {
            Ok(b) => ok.push(b),
            Err(BuildError::Scenario(e)) => errors.extend(e),
            Err(BuildError::Input(d)) => {
                writeln!(
                    err,
                    "{}: the base's input files have errors:",
                    scenario.path.display()
                )?;
                for line in d.printed(PRINTED_PER_RULE) {
                    writeln!(err, "{line}")?;
                }
                diagnostics.extend(d);
            }
        }
    }
    if errors.is_empty() && diagnostics.has_errors() {
        return Err(Error::BadInput(diagnostics));
    }
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        errors.push(ScenarioError::file(&d.file, d.message.clone()));
    }
    fail_on(errors, err)?;
    Ok(ok)
}

/// Runs `work` on another thread while printing the progress messages it sends.
fn with_progress<T: Send>(
    err: &mut dyn Write,
    quiet: bool,
    started: Instant,
    work: impl FnOnce(&Sender<String>) -> T + Send,
) -> Result<T, Error> {
    let (sender, receiver) = mpsc::channel::<String>();
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || work(&sender));
        for message in receiver {
            if !quiet {
                // A progress line that cannot be written is not worth failing the run for.
                let _ = writeln!(err, "[{:6.2}s] {message}", started.elapsed().as_secs_f64());
            }
        }
        match worker.join() {
            Ok(result) => Ok(result),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// A scenario built again for solving, after [`check_all`] found it sound (an input file
/// changed since is reported as then).
fn rebuild(scenario: &Scenario) -> Result<Built, Error> {
    build(scenario).map_err(|e| match e {
        BuildError::Scenario(errors) => Error::BadScenario(ScenarioErrors(errors)),
        BuildError::Input(diagnostics) => Error::BadInput(diagnostics),
    })
}

/// What `scenario.json` says: the scenario as read and each edit as applied.
#[derive(Serialize)]
struct ScenarioJson<'a> {
    scenario: &'a str,
    file: String,
    description: &'a str,
    base: &'a Base,
    edits: &'a [AppliedEdit],
    warnings: &'a [String],
}

/// Which scenario each starts its optimisation from: the first (by name) with the same base
/// and no edits, for a scenario with edits but no policy edit; none for the others (a
/// policy edit, a longer window say, changes what every move earns: nationally the dual
/// simplex from the base's basis gives up where interior point from nothing takes 30 s, so
/// such a scenario is solved beside its base instead). A scenario's values do not depend on
/// its start, only which optimum among ties it ends at; the start is the same whatever the
/// number of jobs.
/// The people a closure forces out in `instance`.
fn forced_out(instance: &Instance) -> u32 {
    (instance.movers.iter())
        .filter(|mover| mover.forced_out_by.is_some())
        .map(|mover| mover.count)
        .sum()
}

fn starts(scenarios: &[Scenario]) -> Vec<Option<usize>> {
    scenarios
        .iter()
        .map(|scenario| {
            let edits = &scenario.file.edits;
            let policy = edits.iter().any(|e| matches!(e, Edit::Policy { .. }));
            (!edits.is_empty() && !policy)
                .then(|| {
                    scenarios.iter().position(|other| {
                        other.file.edits.is_empty() && other.file.base == scenario.file.base
                    })
                })
                .flatten()
        })
        .collect()
}

/// Plans one scenario from `start` (a similar scenario's basis), confirming its first
/// `confirm` marginal values; returns its folder's files, its comparison row and its basis.
fn solve(
    scenario: &Scenario,
    built: Built,
    report: &ReportOptions,
    confirm: usize,
    start: Option<&KeyedBasis>,
    progress: Sender<String>,
) -> Result<(OutputFiles, Comparison, Option<KeyedBasis>), Error> {
    let name = &scenario.name;
    let _ = progress.send(format!("{name}: planning"));
    let planned = plan_all_confirming(
        &built.instance,
        built.solver,
        confirm,
        start,
        &mut |message| {
            let _ = progress.send(format!("{name}: {message}"));
        },
    )?;
    let row = compare(name, &scenario.file.description, &built.instance, &planned);
    let report = ReportOptions {
        solver: built.solver,
        ..report.clone()
    };
    let mut files = outputs(&built.instance, &planned, &report);
    let json = ScenarioJson {
        scenario: name,
        file: scenario
            .path
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
        description: &scenario.file.description,
        base: &scenario.file.base,
        edits: &built.applied,
        warnings: &built.warnings,
    };
    files.add("scenario.json", json_bytes(&json));
    let _ = progress.send(format!(
        "{name}: done, K1 within reach (adult male) {}",
        row.national
            .k1_within_reach_adult_male_optimal
            .map_or_else(|| "-".into(), |k| format!("{:.1}%", k * 100.0))
    ));
    let basis = planned.optimal.basis;
    Ok((files, row, basis))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed() -> Solved {
        Err(Error::BadOption("not solved in this test".into()))
    }

    #[test]
    fn a_scenario_is_taken_once_its_start_is_solved() {
        // 0: the base; 3: a policy edit; 1 and 2 start from 0.
        let q = Queue::new(vec![None, Some(0), Some(0), None], &[0; 4]);
        let base = q.next().unwrap();
        assert_eq!(base.scenario, 0);
        // 1 and 2 wait for the base: the policy scenario goes first.
        let policy = q.next().unwrap();
        assert_eq!(policy.scenario, 3);
        base.done(failed());
        let first = q.next().unwrap();
        assert_eq!(first.scenario, 1);
        let second = q.next().unwrap();
        assert_eq!(second.scenario, 2);
        for taken in [policy, first, second] {
            taken.done(failed());
        }
        assert!(q.next().is_none());
    }

    #[test]
    fn the_scenario_that_forces_most_out_is_taken_first() {
        // 0: the base; 1, 2 and 3 start from it; 2 forces 1,700 people out, 3 forces 700.
        let q = Queue::new(vec![None, Some(0), Some(0), Some(0)], &[0, 0, 1_700, 700]);
        let base = q.next().unwrap();
        base.done(failed());
        let order: Vec<usize> = std::iter::from_fn(|| q.next())
            .map(|taken| {
                let scenario = taken.scenario;
                taken.done(failed());
                scenario
            })
            .collect();
        assert_eq!(order, [2, 3, 1]);
    }

    #[test]
    fn a_thread_that_panics_leaves_no_other_waiting() {
        let q = Queue::new(vec![None, Some(0)], &[0; 2]);
        let base = q.next().unwrap();
        assert_eq!(base.scenario, 0);
        drop(base);
        assert!(q.next().is_none());
    }
}
