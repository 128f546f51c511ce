//! `resettle plan`: the moves of the coming weeks, status quo, greedy and optimal plans side by
//! side, written as one folder; with `--previous` (or `--previous-run`) last week's plan
//! carried over, with `--db` the run recorded in the plan history.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use serde_json::json;

use super::options::{
    parse_headroom, parse_mip_gap, parse_seconds, solver_options, InputArgs, PseudonymArgs,
    RecordDbArg,
};
use super::print_diagnostics;
use crate::analysis::marginal::{CONFIRM, MAX_CONFIRM};
use crate::error::Error;
use crate::history::{self, PlanRecorder, Store};
use crate::input::limits::{MAX_HORIZON, MAX_MOVES, MAX_WINDOW};
use crate::input::validate::Inputs;
use crate::output::objectives_csv;
use crate::output::{changes_csv, summary_table, ReportOptions};
use crate::output::{OutputDir, OutputFile, WriteError};
use crate::pipeline::{outputs, plan_all_confirming};
use crate::planners::optimal::exported_model;
use crate::planners::previous::{self, PreviousMove, DEFAULT_FREEZE};
use crate::problem::instance::{check_booked_capacity, Instance, PlanOptions};

/// Options of `resettle plan`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("last_week").args(["previous", "previous_run"])))]
pub struct PlanArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Weeks planned (1 to 260).
    #[arg(long, default_value_t = 26, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_HORIZON)))]
    pub horizon: u32,
    /// The resettlement window in weeks (1 to 52; 12 weeks: 84 days).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_WINDOW)))]
    pub window: u32,
    /// The first week a move may happen (week 0 is already being executed); 0 up to the
    /// horizon (the horizon itself: the plan moves no one).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_HORIZON)))]
    pub first_movable_week: u32,
    /// The week whose transfer requests are written (requests.csv, allocations.json): from
    /// the first movable week (the default) to the last of the horizon. moves.csv keeps every
    /// week.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_HORIZON)))]
    pub requests_week: Option<u32>,
    /// Percentage of operational capacity kept free in every prison (0 up to, not
    /// including, 100).
    #[arg(long, value_name = "PCT", default_value_t = 0.0, value_parser = parse_headroom)]
    pub headroom: f64,
    /// Escort limit: moves per week, nationally (0 to 100000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_MOVES)))]
    pub max_moves_per_week: Option<u32>,
    /// Escort limit: moves out of one prison per week (0 to 100000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_MOVES)))]
    pub max_moves_per_prison_week: Option<u32>,
    /// Relative MIP gap accepted when the LP relaxation is fractional (0 to 1; 0.001 = 0.1%).
    #[arg(long, default_value_t = 0.0001, value_parser = parse_mip_gap)]
    pub mip_gap: f64,
    /// Seconds for the optimisation: when they run out, the best whole-number plan found so
    /// far (or the greedy plan, before the LP is solved), with its bound and gap, marked.
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub time_limit: Option<f64>,
    /// Prisons at the top of the marginal values' ranking re-solved with 10 more places, to
    /// confirm what the LP's duals predict (0: none; at most 1000).
    #[arg(long, value_name = "N", default_value_t = CONFIRM as u64, value_parser = clap::value_parser!(u64).range(0..=MAX_CONFIRM))]
    pub confirm_marginal: u64,
    #[command(flatten)]
    pub pseudonyms: PseudonymArgs,
    /// Last week's plan folder: its moves in the first --freeze weeks are booked as they
    /// were, its later moves kept wherever that costs no overflow or home release
    /// (docs/planning-rules.md §5, priority (b′)); changes.csv says what changed and why.
    #[arg(long, value_name = "DIR", conflicts_with = "previous_run")]
    pub previous: Option<PathBuf>,
    /// Last week's plan as a run of the plan history (`resettle history`, with --db), in
    /// place of --previous DIR.
    #[arg(long, value_name = "RUN", requires = "db")]
    pub previous_run: Option<i64>,
    /// Weeks from the start in which last week's moves are booked (with --previous).
    #[arg(long, value_name = "WEEKS", default_value_t = DEFAULT_FREEZE, requires = "last_week", value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_HORIZON)))]
    pub freeze: u32,
    /// Also write the model that is solved, for another solver: FILE as free MPS (every
    /// column, with the first objective) and FILE.objectives.csv with each objective of the
    /// strict priority order (stage, objective, sense, column, cost).
    #[arg(long, value_name = "FILE")]
    pub write_model: Option<PathBuf>,
    /// No progress messages on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub history: RecordDbArg,
    /// Folder to write the plan into, replaced whole (a new or empty folder, or one resettle
    /// wrote).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// The top-level entry point for `resettle plan`.
pub(super) fn plan_command(
    args: &PlanArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let started = Instant::now();
    let progress = |err: &mut dyn Write, message: &str| -> Result<(), Error> {
        if !args.quiet {
            writeln!(err, "[{:6.2}s] {message}", started.elapsed().as_secs_f64())?;
        }
        Ok(())
    };
    args.check_weeks()?;
    let solver = solver_options(args.mip_gap, args.time_limit);
    let report_options = ReportOptions {
        solver,
        requests_week: args.requests_week,
        ..args.pseudonyms.report_options()?
    };
    let target = OutputDir::claim(&args.out)?;
    let model_files = (args.write_model.as_deref())
        .map(ModelFiles::claim)
        .transpose()?;
    args.inputs.refuse_inside(&target, &[])?;
    let mut recorder = open_recorder(args)?;
    let mut inputs = args.inputs.load(err)?;
    if let Some(recorder) = &mut recorder {
        recorder.read_inputs(&args.inputs.paths())?;
    }
    let previous = carry_last_week(args, &mut inputs, recorder.as_ref(), err)?;
    let mut instance = Instance::new(inputs, args.plan_options())?;
    if let Some(moves) = &previous {
        instance.previous = previous::later_moves(&instance.inputs, moves);
    }
    let booked = args.inputs.booked.as_deref();
    print_diagnostics(check_booked_capacity(&instance, booked), err)?;
    progress(
        err,
        &format!(
            "loaded {} prisoners and {} reception cohorts",
            instance.inputs.prisoners.len(),
            instance.inputs.receptions.len()
        ),
    )?;
    if let Some(model_files) = model_files {
        let path = model_files.path.display().to_string();
        model_files.write(&instance)?;
        progress(err, &format!("wrote the model to {path}"))?;
    }
    // A progress line that cannot be written is not worth failing the plan for.
    let confirm = args.confirm_marginal as usize;
    let planned = plan_all_confirming(&instance, solver, confirm, None, &mut |message| {
        let _ = progress(err, message);
    })?;
    let mut files = outputs(&instance, &planned, &report_options);
    let changes = (previous.as_ref())
        .map(|moves| previous::changes(&instance.inputs, moves, &planned.optimal.plan));
    if let Some(rows) = &changes {
        files.add(
            "changes.csv",
            changes_csv(&instance, &planned.set(), rows, &report_options),
        );
    }
    // The run is read from the files before they are committed, and recorded after.
    let run = match &recorder {
        Some(recorder) => Some(recorder.run(&files, &planned.optimal.report)?),
        None => None,
    };
    files.commit(target)?;
    progress(err, &format!("wrote {}", args.out.display()))?;
    if let (Some(recorder), Some(run)) = (recorder, run) {
        let shown = recorder.target().to_string();
        match recorder.record(&run) {
            Ok(id) => progress(err, &format!("recorded run {id} in {shown}"))?,
            Err(error) => {
                let written = args.out.display();
                writeln!(err, "the plan is written to {written} but not recorded")?;
                return Err(error);
            }
        }
    }
    write!(out, "{}", summary_table(&instance, &planned.set()))?;
    if let (Some(moves), Some(rows)) = (&previous, &changes) {
        writeln!(out, "{}", previous::tally(rows, moves))?;
    }
    Ok(())
}

impl PlanArgs {
    /// Refuses a `--first-movable-week` after the horizon, and a `--requests-week` in which
    /// the plan moves no one: before the first movable week or after the horizon.
    fn check_weeks(&self) -> Result<(), Error> {
        let (first, horizon) = (self.first_movable_week, self.horizon);
        if first > horizon {
            return Err(Error::BadOption(format!(
                "--first-movable-week {first}: at most the horizon (--horizon {horizon})"
            )));
        }
        let Some(week) = self.requests_week else {
            return Ok(());
        };
        if (first..horizon).contains(&week) {
            return Ok(());
        }
        let choice = if first < horizon {
            format!(
                "choose one of weeks {first} to {} (from --first-movable-week {first} to the \
                 last week of --horizon {horizon})",
                horizon - 1
            )
        } else {
            format!(
                "there is none (--first-movable-week {first} is the end of --horizon {horizon})"
            )
        };
        Err(Error::BadOption(format!(
            "--requests-week {week}: not a week the plan may move someone in; {choice}"
        )))
    }

    /// The planning problem's options.
    fn plan_options(&self) -> PlanOptions {
        PlanOptions {
            calendar: self.inputs.start,
            horizon: self.horizon,
            window: self.window,
            first_movable_week: self.first_movable_week,
            headroom: self.headroom / 100.0,
            max_moves_per_week: self.max_moves_per_week,
            max_moves_per_prison_week: self.max_moves_per_prison_week,
        }
    }
}

/// `--write-model FILE`'s files, claimed before any work: the model as free MPS in FILE, its
/// objectives in FILE.objectives.csv.
struct ModelFiles<'a> {
    path: &'a Path,
    mps: OutputFile,
    objectives: OutputFile,
}

impl ModelFiles<'_> {
    fn claim(path: &Path) -> Result<ModelFiles<'_>, Error> {
        let mut objectives = path.as_os_str().to_owned();
        objectives.push(".objectives.csv");
        Ok(ModelFiles {
            path,
            mps: OutputFile::claim(path)?,
            objectives: OutputFile::claim(Path::new(&objectives))?,
        })
    }

    /// Writes the model of `instance`.
    fn write(self, instance: &Instance) -> Result<(), Error> {
        let (mps, objectives) = exported_model(instance).map_err(|source| WriteError {
            path: self.path.to_path_buf(),
            source,
        })?;
        self.mps.write(&mps)?;
        self.objectives.write(&objectives_csv(&objectives))?;
        Ok(())
    }
}

/// The recorder of `--db`, opened before any work (a bad `--db` stops the run at once) with
/// the options that shape the files.
fn open_recorder(args: &PlanArgs) -> Result<Option<PlanRecorder>, Error> {
    let Some(db) = args.history.db.as_deref() else {
        return Ok(None);
    };
    let options = json!({
        "out": args.out.display().to_string(),
        "pseudonymise": args.pseudonyms.pseudonymise,
        "confirm_marginal": args.confirm_marginal,
        "requests_week": args.requests_week,
        "previous": args.previous.as_ref().map(|p| p.display().to_string()),
        "freeze": args.previous.as_ref().map(|_| args.freeze),
    });
    Ok(Some(PlanRecorder::open(db, &args.out, options)?))
}

/// Last week's moves, from `--previous DIR` or `--previous-run RUN` (read from the history of
/// `recorder`), carried into `inputs`: those of the first `--freeze` weeks booked.
fn carry_last_week(
    args: &PlanArgs,
    inputs: &mut Inputs,
    recorder: Option<&PlanRecorder>,
    err: &mut dyn Write,
) -> Result<Option<Vec<PreviousMove>>, Error> {
    let start = &args.inputs.start;
    let mut moves = match (&args.previous, args.previous_run, recorder) {
        (Some(dir), ..) => {
            let (moves, diagnostics) = previous::read(dir, &inputs.data, start);
            print_diagnostics(diagnostics, err)?;
            moves
        }
        (None, Some(run), Some(recorder)) => {
            let recorded = Store::open(recorder.target(), false)?.run(run)?;
            history::previous_moves(run, &recorded.planned, start).map_err(Error::BadOption)?
        }
        _ => return Ok(None),
    };
    previous::carry(inputs, &mut moves, args.freeze, args.horizon, start);
    Ok(Some(moves))
}
