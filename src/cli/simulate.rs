//! `resettle simulate`: the weekly cycle in a closed loop, greedy and optimal side by side.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::options::{parse_headroom, parse_seconds, reword, solver_options, InputArgs};
use crate::cycle::simulate::{simulate, simulate_csv, summary, Policy, SimulateOptions};
use crate::error::Error;
use crate::input::limits::{MAX_HORIZON, MAX_MOVES, MAX_WINDOW};
use crate::output::{OutputDir, OutputFiles};
use crate::problem::instance::PlanOptions;
use crate::solver::SolverOptions;

/// Options of `resettle simulate`.
#[derive(Debug, Args)]
#[command(mut_args(reword(&[
    ("population", "Population snapshot on the first start date (CSV)"),
    ("receptions", "Forecast receptions (CSV): enough weeks for every plan of the loop (weeks + horizon)"),
    ("booked", "Booked moves (CSV)"),
    ("start", "The first start date (a Monday, YYYY-MM-DD)"),
])))]
pub struct SimulateArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
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
    #[arg(long, value_name = "WEEKS", default_value_t = crate::planners::previous::DEFAULT_FREEZE, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_HORIZON)))]
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
pub(super) fn simulate_command(
    args: &SimulateArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let started = Instant::now();
    let target = OutputDir::claim(&args.out)?;
    args.inputs.refuse_inside(&target, &[])?;
    let inputs = args.inputs.load(err)?;
    let options = SimulateOptions {
        weeks: args.weeks,
        plan: PlanOptions {
            calendar: args.inputs.start,
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
