//! The command line: argument definitions and one entry point per subcommand. `main.rs` only
//! turns the result into an exit code.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use serde_json::json;

use crate::calendar::{parse_date, Calendar};
use crate::diagnostics::{Diagnostics, PRINTED_PER_RULE};
use crate::error::Error;
use crate::generate::{generate, GenerateOptions};
use crate::history::{PlanRecorder, RequestStatus, RollRecorder, Store};
use crate::instance::check_booked_capacity;
use crate::instance::{Instance, PlanOptions};
use crate::io::limits::{
    check_factor, check_mip_gap, headroom_share, start_in_range, MAX_HORIZON, MAX_MOVES, MAX_WEEK,
    MAX_WINDOW, START_YEARS,
};
use crate::io::{population_csv, receptions_csv, OutputDir, OutputFile, OutputFiles, WriteError};
use crate::marginal::{CONFIRM, MAX_CONFIRM};
use crate::optimise::exported_model;
use crate::pipeline::{outputs, plan_all_confirming};
use crate::report::{changes_csv, summary_table, PseudonymKey, ReportOptions};
use crate::roll::{load_plan, roll};
use crate::solver::SolverOptions;
use crate::validate::{load_inputs, summarise, InputPaths};

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
    Scenarios(crate::scenario::ScenariosCommand),
    /// Write one self-contained HTML report (charts, tables) of a plan folder.
    Report(crate::html::ReportArgs),
    /// List the runs recorded in the plan history (`plan --db`).
    History(crate::history::HistoryArgs),
    /// Compare two recorded runs' planned moves: kept, moved to another week or prison,
    /// dropped, new.
    Diff(crate::history::DiffArgs),
}

/// Options of `resettle validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Reference data folder (cpas.csv, prisons.csv, designations.csv).
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// Population snapshot (CSV).
    #[arg(long, value_name = "FILE")]
    pub population: Option<PathBuf>,
    /// Forecast receptions (CSV).
    #[arg(long, value_name = "FILE")]
    pub receptions: Option<PathBuf>,
    /// Booked moves (CSV).
    #[arg(long, value_name = "FILE")]
    pub booked: Option<PathBuf>,
    /// Plan start date (a Monday, YYYY-MM-DD, in the years 1950 to 2100): also check the
    /// dates against it.
    #[arg(long, value_name = "DATE", value_parser = parse_start)]
    pub start: Option<Calendar>,
}

/// Options of `resettle generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Reference data folder to calibrate on.
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// Random seed: the same seed gives the same files.
    #[arg(long)]
    pub seed: u64,
    /// Size against the published population (1.0: the national estate of August 2014);
    /// greater than 0, at most 10.
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
    pub scale: f64,
    /// Snapshot date and first week of receptions (a Monday, YYYY-MM-DD, in the years 1950
    /// to 2100).
    #[arg(long, value_name = "DATE", value_parser = parse_start)]
    pub start: Calendar,
    /// Weeks of forecast receptions (0 to 520).
    #[arg(long, default_value_t = 52, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_WEEK)))]
    pub weeks: u32,
    /// Folder to write population.csv and receptions.csv into, replaced whole (a new or empty
    /// folder, or one resettle wrote).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Options of `resettle plan`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("last_week").args(["previous", "previous_run"])))]
pub struct PlanArgs {
    /// Reference data folder.
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// Population snapshot on the start date (CSV).
    #[arg(long, value_name = "FILE")]
    pub population: PathBuf,
    /// Forecast receptions (CSV).
    #[arg(long, value_name = "FILE")]
    pub receptions: Option<PathBuf>,
    /// Booked moves, kept as given (CSV).
    #[arg(long, value_name = "FILE")]
    pub booked: Option<PathBuf>,
    /// Plan start date S (a Monday, YYYY-MM-DD, in the years 1950 to 2100): week t covers
    /// days S+7t to S+7t+6.
    #[arg(long, value_name = "DATE", value_parser = parse_start)]
    pub start: Calendar,
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
    /// Replace prisoner ids in the outputs with pseudonyms keyed by --pseudonym-key-file.
    #[arg(long)]
    pub pseudonymise: bool,
    /// The secret key of the pseudonyms (see --pseudonymise).
    #[arg(long, value_name = "FILE", requires = "pseudonymise", long_help = KEY_FILE_HELP)]
    pub pseudonym_key_file: Option<PathBuf>,
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
    #[arg(long, value_name = "WEEKS", default_value_t = crate::previous::DEFAULT_FREEZE, requires = "last_week", value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_HORIZON)))]
    pub freeze: u32,
    /// Also write the model that is solved, for another solver: FILE as free MPS (every
    /// column, with the first objective) and FILE.objectives.csv with each objective of the
    /// strict priority order (stage, objective, sense, column, cost).
    #[arg(long, value_name = "FILE")]
    pub write_model: Option<PathBuf>,
    /// No progress messages on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Record the run in the plan history once its files are written: an SQLite file (made
    /// when missing) or a PostgreSQL URL. Without it (or RESETTLE_DB) nothing is recorded.
    #[arg(
        long,
        value_name = "FILE_OR_URL",
        env = "RESETTLE_DB",
        hide_env_values = true
    )]
    pub db: Option<String>,
    /// Folder to write the plan into, replaced whole (a new or empty folder, or one resettle
    /// wrote).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Options of `resettle roll`.
#[derive(Debug, Args)]
pub struct RollArgs {
    /// Reference data folder.
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// This week's population snapshot (CSV), as given to `resettle plan`.
    #[arg(long, value_name = "FILE")]
    pub population: PathBuf,
    /// This week's forecast receptions (CSV).
    #[arg(long, value_name = "FILE")]
    pub receptions: Option<PathBuf>,
    /// This week's booked moves (CSV).
    #[arg(long, value_name = "FILE")]
    pub booked: Option<PathBuf>,
    /// This week's plan start S (a Monday, YYYY-MM-DD): the new inputs are for S + 7 days.
    #[arg(long, value_name = "DATE", value_parser = parse_start)]
    pub start: Calendar,
    /// This week's plan folder, written by `resettle plan` from these inputs without
    /// --pseudonymise: its moves.csv is read.
    #[arg(long, value_name = "DIR")]
    pub plan: PathBuf,
    /// Folder to write next week's population.csv, receptions.csv and booked.csv into,
    /// replaced whole (a new or empty folder, or one resettle wrote).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The plan history (as `plan --db`), where --run is recorded; read only with --run.
    #[arg(
        long,
        value_name = "FILE_OR_URL",
        env = "RESETTLE_DB",
        hide_env_values = true
    )]
    pub db: Option<String>,
    /// The run of the plan history that recorded --plan: once the new inputs are written, its
    /// week 0 is recorded as carried out and its requests filled or cancelled, in one
    /// transaction. Refused, with nothing written, for a run of another --start, of another
    /// plan, or rolled already.
    #[arg(long, value_name = "RUN", requires = "db")]
    pub run: Option<i64>,
}

/// Options of `resettle simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Reference data folder.
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// Population snapshot on the first start date (CSV).
    #[arg(long, value_name = "FILE")]
    pub population: PathBuf,
    /// Forecast receptions (CSV): enough weeks for every plan of the loop (weeks + horizon).
    #[arg(long, value_name = "FILE")]
    pub receptions: Option<PathBuf>,
    /// Booked moves (CSV).
    #[arg(long, value_name = "FILE")]
    pub booked: Option<PathBuf>,
    /// The first start date (a Monday, YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_start)]
    pub start: Calendar,
    /// Weeks carried out, one plan each (1 to 260).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_HORIZON)))]
    pub weeks: u32,
    /// Weeks each plan covers (1 to 260).
    #[arg(long, default_value_t = 26, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_HORIZON)))]
    pub horizon: u32,
    /// The resettlement window in weeks (1 to 52).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_WINDOW)))]
    pub window: u32,
    /// Weeks from each start in which last week's moves are booked (the optimal policy).
    #[arg(long, value_name = "WEEKS", default_value_t = crate::previous::DEFAULT_FREEZE, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_HORIZON)))]
    pub freeze: u32,
    /// Percentage of operational capacity kept free in every prison.
    #[arg(long, value_name = "PCT", default_value_t = 0.0, value_parser = parse_headroom)]
    pub headroom: f64,
    /// Escort limit: moves per week, nationally.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_MOVES)))]
    pub max_moves_per_week: Option<u32>,
    /// Escort limit: moves out of one prison per week.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_MOVES)))]
    pub max_moves_per_prison_week: Option<u32>,
    /// Seconds for each optimal plan (see `plan --time-limit`).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub time_limit: Option<f64>,
    /// No progress messages on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Folder to write simulate.csv into, replaced whole.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// The top-level entry point for `resettle simulate`.
pub fn simulate_command(
    args: &SimulateArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    use crate::simulate::{simulate, simulate_csv, summary, Policy, SimulateOptions};
    let started = Instant::now();
    let target = OutputDir::claim(&args.out)?;
    let paths = InputPaths {
        data: args.data.clone(),
        population: Some(args.population.clone()),
        receptions: args.receptions.clone(),
        booked: args.booked.clone(),
    };
    let inputs = [&paths.population, &paths.receptions, &paths.booked];
    let inputs = inputs.into_iter().flatten().chain([&paths.data]);
    target.refuse_inputs_inside(inputs.map(PathBuf::as_path))?;
    let (inputs, diagnostics) = load_inputs(&paths, Some(&args.start));
    report(diagnostics, err)?;
    let options = SimulateOptions {
        weeks: args.weeks,
        plan: PlanOptions {
            calendar: args.start,
            horizon: args.horizon,
            window: args.window,
            first_movable_week: 1,
            headroom: args.headroom / 100.0,
            max_moves_per_week: args.max_moves_per_week,
            max_moves_per_prison_week: args.max_moves_per_prison_week,
        },
        freeze: args.freeze,
        solver: solver_options(SolverOptions::default().mip_gap, args.time_limit),
    };
    let mut runs = Vec::new();
    for policy in [Policy::Greedy, Policy::Optimal] {
        let realised = simulate(inputs.clone(), &options, policy, &mut |message| {
            if !args.quiet {
                let _ = writeln!(err, "[{:7.1}s] {message}", started.elapsed().as_secs_f64());
            }
        })?;
        runs.push((policy, realised));
    }
    let mut files = OutputFiles::default();
    files.add("simulate.csv", simulate_csv(&options, &runs));
    files.commit(target)?;
    write!(out, "{}", summary(&options, &runs))?;
    Ok(())
}

/// The top-level entry point for `resettle roll`.
pub fn roll_command(
    args: &RollArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let next = args.start.first_day(1);
    if !start_in_range(next) {
        let (from, to) = START_YEARS;
        return Err(Error::BadOption(format!(
            "--start {}: the next start, {next}, is not in the years {from} to {to}",
            args.start.start()
        )));
    }
    let target = OutputDir::claim(&args.out)?;
    let paths = InputPaths {
        data: args.data.clone(),
        population: Some(args.population.clone()),
        receptions: args.receptions.clone(),
        booked: args.booked.clone(),
    };
    let inputs = [&paths.population, &paths.receptions, &paths.booked];
    let inputs = inputs
        .into_iter()
        .flatten()
        .chain([&paths.data, &args.plan]);
    target.refuse_inputs_inside(inputs.map(PathBuf::as_path))?;
    let (inputs, diagnostics) = load_inputs(&paths, Some(&args.start));
    report(diagnostics, err)?;
    let plan = load_plan(&args.plan, &inputs).map_err(|diagnostics| rejected(diagnostics, err))?;
    let recorder = match (&args.db, args.run) {
        (Some(db), Some(run)) => Some(RollRecorder::open(db, run, &args.start, &plan)?),
        _ => None,
    };
    let rolled =
        roll(&inputs, args.start, &plan).map_err(|diagnostics| rejected(diagnostics, err))?;
    rolled.files().commit(target)?;
    if let (Some(recorder), Some(run)) = (recorder, args.run) {
        let shown = recorder.target().to_string();
        match recorder.record(&inputs, &paths, &args.plan, &rolled) {
            Ok(statuses) => {
                let count = |status| statuses.iter().filter(|&&s| s == status).count();
                writeln!(
                    out,
                    "recorded in {shown}: run {run}'s week 0 carried out ({} moves); its \
                     requests {} filled, {} cancelled, {} unfilled",
                    rolled.made.len(),
                    count(RequestStatus::Filled),
                    count(RequestStatus::Cancelled),
                    count(RequestStatus::Unfilled)
                )?;
            }
            Err(error) => {
                let written = args.out.display();
                writeln!(
                    err,
                    "the new inputs are written to {written} but not recorded"
                )?;
                return Err(error);
            }
        }
    }
    write!(out, "{}", rolled.counts)?;
    let people: u64 = rolled.receptions.iter().map(|c| u64::from(c.count)).sum();
    writeln!(
        out,
        "wrote {}: {} prisoners in population.csv, {} receptions in receptions.csv, {} moves in \
         booked.csv, for the start a week later",
        args.out.display(),
        rolled.prisoners.len(),
        people,
        rolled.booked.len()
    )?;
    Ok(())
}

/// The top-level entry point for `resettle plan`.
pub fn plan_command(
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
    if args.first_movable_week > args.horizon {
        return Err(Error::BadOption(format!(
            "--first-movable-week {}: at most the horizon (--horizon {})",
            args.first_movable_week, args.horizon
        )));
    }
    if let Some(week) = args.requests_week {
        check_requests_week(week, args.first_movable_week, args.horizon)?;
    }
    let solver = solver_options(args.mip_gap, args.time_limit);
    let report_options = ReportOptions {
        solver,
        requests_week: args.requests_week,
        ..report_options(args.pseudonymise, args.pseudonym_key_file.as_deref())?
    };
    let target = OutputDir::claim(&args.out)?;
    let model_files = match args.write_model.as_deref() {
        Some(path) => {
            let mut objectives = path.as_os_str().to_owned();
            objectives.push(".objectives.csv");
            let mps = OutputFile::claim(path)?;
            Some((path, mps, OutputFile::claim(Path::new(&objectives))?))
        }
        None => None,
    };
    let paths = InputPaths {
        data: args.data.clone(),
        population: Some(args.population.clone()),
        receptions: args.receptions.clone(),
        booked: args.booked.clone(),
    };
    let inputs = [&paths.population, &paths.receptions, &paths.booked];
    let inputs = inputs.into_iter().flatten().chain([&paths.data]);
    target.refuse_inputs_inside(inputs.map(PathBuf::as_path))?;
    let mut recorder = match args.db.as_deref() {
        Some(db) => {
            let options = json!({
                "out": args.out.display().to_string(),
                "pseudonymise": args.pseudonymise,
                "confirm_marginal": args.confirm_marginal,
                "requests_week": args.requests_week,
                "previous": args.previous.as_ref().map(|p| p.display().to_string()),
                "freeze": args.previous.as_ref().map(|_| args.freeze),
            });
            Some(PlanRecorder::open(db, &args.out, options)?)
        }
        None => None,
    };
    let (mut inputs, diagnostics) = load_inputs(&paths, Some(&args.start));
    report(diagnostics, err)?;
    if let Some(recorder) = &mut recorder {
        recorder.read_inputs(&paths)?;
    }
    let previous = match (&args.previous, args.previous_run, &recorder) {
        (Some(dir), ..) => {
            let (moves, diagnostics) = crate::previous::read(dir, &inputs.data, &args.start);
            report(diagnostics, err)?;
            Some(moves)
        }
        (None, Some(run), Some(recorder)) => {
            let recorded = Store::open(recorder.target(), false)?.run(run)?;
            let moves = crate::previous::from_recorded(run, &recorded.planned, &args.start)
                .map_err(Error::BadOption)?;
            Some(moves)
        }
        _ => None,
    };
    let previous = match previous {
        Some(mut moves) => {
            crate::previous::carry(
                &mut inputs,
                &mut moves,
                args.freeze,
                args.horizon,
                &args.start,
            );
            Some(moves)
        }
        None => None,
    };
    let options = PlanOptions {
        calendar: args.start,
        horizon: args.horizon,
        window: args.window,
        first_movable_week: args.first_movable_week,
        headroom: args.headroom / 100.0,
        max_moves_per_week: args.max_moves_per_week,
        max_moves_per_prison_week: args.max_moves_per_prison_week,
    };
    let mut instance = Instance::new(inputs, options)?;
    if let Some(moves) = &previous {
        instance.previous = crate::previous::later_moves(&instance.inputs, moves);
    }
    report(
        check_booked_capacity(&instance, args.booked.as_deref()),
        err,
    )?;
    progress(
        err,
        &format!(
            "loaded {} prisoners and {} reception cohorts",
            instance.inputs.prisoners.len(),
            instance.inputs.receptions.len()
        ),
    )?;
    if let Some((path, mps_file, objectives_file)) = model_files {
        let (mps, objectives) = exported_model(&instance).map_err(|source| WriteError {
            path: path.to_path_buf(),
            source,
        })?;
        mps_file.write(&mps)?;
        objectives_file.write(&objectives)?;
        progress(err, &format!("wrote the model to {}", path.display()))?;
    }
    // A progress line that cannot be written is not worth failing the plan for.
    let confirm = args.confirm_marginal as usize;
    let planned = plan_all_confirming(&instance, solver, confirm, &mut |message| {
        let _ = progress(err, message);
    })?;
    let mut files = outputs(&instance, &planned, &report_options);
    let changes = previous
        .as_ref()
        .map(|moves| crate::previous::changes(&instance.inputs, moves, &planned.optimal.plan));
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
        writeln!(out, "{}", crate::previous::tally(rows, moves))?;
    }
    Ok(())
}

/// Refuses a `--requests-week` in which the plan moves no one: before the first movable week
/// or after the horizon.
fn check_requests_week(week: u32, first_movable_week: u32, horizon: u32) -> Result<(), Error> {
    if (first_movable_week..horizon).contains(&week) {
        return Ok(());
    }
    let choice = if first_movable_week < horizon {
        format!(
            "choose one of weeks {first_movable_week} to {} (from --first-movable-week \
             {first_movable_week} to the last week of --horizon {horizon})",
            horizon - 1
        )
    } else {
        format!(
            "there is none (--first-movable-week {first_movable_week} is the end of --horizon \
             {horizon})"
        )
    };
    Err(Error::BadOption(format!(
        "--requests-week {week}: not a week the plan may move someone in; {choice}"
    )))
}

/// What `--pseudonym-key-file` says.
pub(crate) const KEY_FILE_HELP: &str =
    "The secret key of the pseudonyms written with --pseudonymise: a \
file of at least 16 bytes that you keep private. Make one with `head -c 32 /dev/urandom > \
resettle.key`. The same key gives the same pseudonyms, so files of different runs can be \
joined; without it nobody can tell which id a pseudonym stands for.";

/// The report options of `--pseudonymise` and `--pseudonym-key-file`; the key is read now,
/// before any work. Pseudonyms without a key are refused: a fixed key would let anyone who
/// knows the id format undo them (docs/planning-rules.md §7).
pub(crate) fn report_options(
    pseudonymise: bool,
    key_file: Option<&Path>,
) -> Result<ReportOptions, Error> {
    if !pseudonymise {
        return Ok(ReportOptions::default());
    }
    let Some(path) = key_file else {
        return Err(Error::BadOption(
            "--pseudonymise needs --pseudonym-key-file FILE, a secret key that you keep \
             private: make one with `head -c 32 /dev/urandom > resettle.key`"
                .into(),
        ));
    };
    let bad = |reason: String| {
        Error::BadOption(format!("--pseudonym-key-file {}: {reason}", path.display()))
    };
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot be read: {e}")))?;
    Ok(ReportOptions {
        pseudonym_key: Some(PseudonymKey::new(bytes).map_err(bad)?),
        ..ReportOptions::default()
    })
}

/// The solver's options from the command line's `--mip-gap`.
fn solver_options(mip_gap: f64, time_limit: Option<f64>) -> SolverOptions {
    SolverOptions {
        mip_gap,
        time_limit: time_limit.map(std::time::Duration::from_secs_f64),
        deadline: None,
    }
}

/// A time limit in seconds: more than 0, at most a week.
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 604_800.0 => Ok(secs),
        _ => Err(format!(
            "'{text}' is not a number of seconds above 0 and at most 604800"
        )),
    }
}

fn parse_start(text: &str) -> Result<Calendar, String> {
    let date =
        parse_date(text).ok_or_else(|| format!("'{text}' is not a date written YYYY-MM-DD"))?;
    if !start_in_range(date) {
        let (from, to) = START_YEARS;
        return Err(format!("{date} is not in the years {from} to {to}"));
    }
    Calendar::new(date).map_err(|e| e.to_string())
}

fn parse_number(text: &str) -> Result<f64, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a number"))
}

fn parse_headroom(text: &str) -> Result<f64, String> {
    let percent = parse_number(text)?;
    headroom_share(percent).map(|_| percent)
}

fn parse_mip_gap(text: &str) -> Result<f64, String> {
    check_mip_gap(parse_number(text)?)
}

fn parse_scale(text: &str) -> Result<f64, String> {
    check_factor(parse_number(text)?, false)
}

/// Runs a parsed command line, writing reports to `out` and messages (problems, progress) to
/// `err`. A message that cannot be written is dropped: a closed `err` changes neither what is
/// done nor the result.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let err = &mut Messages(err);
    match cli.command {
        Command::Validate(args) => validate_command(&args, out, err),
        Command::Generate(args) => generate_command(&args, out, err),
        Command::Plan(args) => plan_command(&args, out, err),
        Command::Roll(args) => roll_command(&args, out, err),
        Command::Simulate(args) => simulate_command(&args, out, err),
        Command::Scenarios(command) => crate::scenario::scenarios_command(&command, out, err),
        Command::Report(args) => crate::html::report_command(&args, out, err),
        Command::History(args) => crate::history::history_command(&args, out),
        Command::Diff(args) => crate::history::diff_command(&args, out, err),
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
fn report(diagnostics: Diagnostics, err: &mut dyn Write) -> Result<(), Error> {
    for line in diagnostics.printed(PRINTED_PER_RULE) {
        writeln!(err, "{line}")?;
    }
    if diagnostics.has_errors() {
        return Err(Error::BadInput(diagnostics));
    }
    Ok(())
}

/// [`report`] for diagnostics that refuse the input: the error to fail with.
fn rejected(diagnostics: Diagnostics, err: &mut dyn Write) -> Error {
    report(diagnostics, err).expect_err("refusing diagnostics hold an error")
}

/// The top-level entry point for `resettle validate`.
pub fn validate_command(
    args: &ValidateArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let paths = InputPaths {
        data: args.data.clone(),
        population: args.population.clone(),
        receptions: args.receptions.clone(),
        booked: args.booked.clone(),
    };
    let (inputs, diagnostics) = load_inputs(&paths, args.start.as_ref());
    let warnings = diagnostics.warning_count();
    report(diagnostics, err)?;
    write!(
        out,
        "{}",
        summarise(
            &inputs,
            paths.population.is_some(),
            paths.receptions.is_some()
        )
    )?;
    writeln!(out, "\nno errors, {warnings} warning(s)")?;
    Ok(())
}

/// The top-level entry point for `resettle generate`.
pub fn generate_command(
    args: &GenerateArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let target = OutputDir::claim(&args.out)?;
    target.refuse_inputs_inside([args.data.as_path()])?;
    let paths = InputPaths {
        data: args.data.clone(),
        ..InputPaths::default()
    };
    let (inputs, diagnostics) = load_inputs(&paths, None);
    report(diagnostics, err)?;
    let options = GenerateOptions {
        seed: args.seed,
        scale: args.scale,
        calendar: args.start,
        weeks: args.weeks,
    };
    let synthetic =
        generate(&inputs.data, &options).map_err(|e| Error::BadOption(e.to_string()))?;
    let mut files = OutputFiles::default();
    files.add("population.csv", population_csv(&synthetic.prisoners));
    files.add("receptions.csv", receptions_csv(&synthetic.receptions));
    files.commit(target)?;
    let received: u64 = synthetic
        .receptions
        .iter()
        .map(|c| u64::from(c.count))
        .sum();
    writeln!(
        out,
        "wrote {}: {} prisoners in population.csv, {} receptions over {} weeks in receptions.csv",
        args.out.display(),
        synthetic.prisoners.len(),
        received,
        args.weeks
    )?;
    Ok(())
}
