//! `resettle simulate`: the closed loop a population management team lives, week after week —
//! plan, carry out the plan's first week, roll the snapshot forward, plan again from last
//! week's plan — for a policy, and what it realises each week.

use std::time::Instant;

use crate::cycle::roll::{roll, Rolled};
use crate::domain::Estate;
use crate::error::Error;
use crate::input::validate::Inputs;
use crate::input::{PlannedMove, PlannedMoves};
use crate::output::csv_bytes;
use crate::output::percent_of;
use crate::planners::baseline::greedy;
use crate::planners::optimal::optimise;
use crate::planners::previous::{carry, changes, kept_later, later_moves, PreviousMove};
use crate::problem::instance::{Instance, PlanOptions};
use crate::problem::kpi::{evaluate, released_home, Kpis, Tally};
use crate::problem::plan::{MoveReason, Plan};
use crate::solver::SolverOptions;

/// How each week's plan is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// By hand: by release date, each to the home resettlement prison with most room.
    Greedy,
    /// The optimiser, from last week's plan (`plan --previous`).
    Optimal,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Greedy => "greedy",
            Policy::Optimal => "optimal",
        }
    }
}

/// What one week of the loop realised: the releases, K2 weeks, moves and overflow of the
/// week being carried out (each snapshot's week 0), and how much of last week's plan the
/// new one kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Realised {
    /// Weeks from the first start.
    pub week: u32,
    /// Eligible releases of the week, and those released home (K1).
    pub k1_home: u64,
    pub k1_eligible: u64,
    /// The same for adult males (the headline's estate).
    pub k1_adult_male_home: u64,
    pub k1_adult_male_eligible: u64,
    /// Person-weeks in the final weeks held at home (K2), of those in their final weeks.
    pub k2_home: u64,
    pub k2_eligible: u64,
    /// People moved in the week.
    pub moves: u64,
    /// Person-weeks above usable capacity in the week.
    pub overflow: u64,
    /// Of last week's plan's later moves (after the freeze), the share this week's plan
    /// keeps as they were; none in the first week or with nothing to keep.
    pub kept: Option<f64>,
    /// Seconds to make the week's plan.
    pub seconds: f64,
}

/// The loop's options: each week's plan options (its start moves on), the freeze, the solver.
#[derive(Debug, Clone)]
pub struct SimulateOptions {
    pub weeks: u32,
    pub plan: PlanOptions,
    pub freeze: u32,
    pub solver: SolverOptions,
}

/// Runs the loop for `options.weeks` weeks from `inputs` under `policy`; `progress` hears of
/// each week (counts and seconds only).
pub fn simulate(
    mut inputs: Inputs,
    options: &SimulateOptions,
    policy: Policy,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<Realised>, Error> {
    let mut calendar = options.plan.calendar;
    // Last week's plan, as its moves.csv would give it.
    let mut previous: Option<PlannedMoves> = None;
    let mut realised = Vec::new();
    for week in 0..options.weeks {
        let started = Instant::now();
        let mut carried = Vec::new();
        if let (Policy::Optimal, Some(planned)) = (policy, &previous) {
            carried = previous_moves(planned);
            carry(
                &mut inputs,
                &mut carried,
                options.freeze,
                options.plan.horizon,
                &calendar,
            );
        }
        let plan_options = PlanOptions {
            calendar,
            ..options.plan.clone()
        };
        let mut instance = Instance::new(std::mem::take(&mut inputs), plan_options)?;
        instance.previous = later_moves(&instance.inputs, &carried);
        // The optimiser's plan comes with its KPIs.
        let (plan, kpis) = match policy {
            Policy::Greedy => (greedy(&instance), None),
            Policy::Optimal => {
                let optimised = optimise(&instance, options.solver)?;
                (optimised.plan, Some(optimised.kpis))
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        let kept = (!carried.is_empty())
            .then(|| {
                let rows = changes(&instance.inputs, &carried, &plan);
                let (kept, all) = kept_later(&rows, &carried);
                (all > 0).then(|| kept as f64 / all as f64)
            })
            .flatten();
        let kpis = kpis.unwrap_or_else(|| evaluate(&instance, &plan));
        let mut figures = week_zero(&instance, &plan, &kpis);
        figures.week = week;
        figures.kept = kept;
        figures.seconds = seconds;
        progress(&format!(
            "{} week {week}: {} of {} released home, {} moved, {:.2} s",
            policy.as_str(),
            figures.k1_home,
            figures.k1_eligible,
            figures.moves,
            seconds
        ));
        realised.push(figures);
        let planned = planned_moves(&instance, &plan);
        let Rolled {
            calendar: next,
            prisoners,
            receptions,
            booked,
            ..
        } = roll(&instance.inputs, calendar, &planned).map_err(Error::BadInput)?;
        previous = Some(planned);
        inputs = Inputs {
            prisoners,
            receptions,
            booked,
            ..instance.inputs
        };
        calendar = next;
    }
    Ok(realised)
}

/// Last week's plan's moves of existing prisoners, re-dated a week earlier (the new start).
fn previous_moves(planned: &PlannedMoves) -> Vec<PreviousMove> {
    let moves = planned.moves.iter();
    moves
        .map(|m| PreviousMove::of(m, m.week.checked_sub(1)))
        .collect()
}

/// The figures of week 0, the week carried out, from the KPIs of `plan`.
fn week_zero(instance: &Instance, plan: &Plan, kpis: &Kpis) -> Realised {
    let (mut k1, mut adult_male) = ((0, 0), (0, 0));
    for (mover, paths) in instance.movers.iter().zip(plan.routes(instance)) {
        if !mover.eligible || mover.release_week != Some(0) || mover.home.is_none() {
            continue;
        }
        for path in paths {
            let count = u64::from(path.count);
            let home = u64::from(released_home(instance, mover, &path)) * count;
            k1 = (k1.0 + home, k1.1 + count);
            if mover.estate == Estate::AdultMale {
                adult_male = (adult_male.0 + home, adult_male.1 + count);
            }
        }
    }
    let overflow = kpis
        .occupancy
        .iter()
        .zip(&instance.capacity)
        .map(|(occupancy, capacity)| occupancy[0].saturating_sub(u64::from(capacity[0])))
        .sum();
    Realised {
        week: 0,
        k1_home: k1.0,
        k1_eligible: k1.1,
        k1_adult_male_home: adult_male.0,
        k1_adult_male_eligible: adult_male.1,
        k2_home: kpis.k2.by_week[0].home,
        k2_eligible: kpis.k2.by_week[0].eligible,
        moves: kpis.moves_by_week[0],
        overflow,
        kept: None,
        seconds: 0.0,
    }
}

/// Whether a week's releases are within reach of the loop's first plan: released in week
/// m + W or later (m the first movable week, W the window), as the headline counts them.
fn within_reach(options: &SimulateOptions, week: u32) -> bool {
    week >= options.plan.first_movable_week + options.plan.window
}

/// `simulate.csv`: each policy's realised figures, week by week.
pub fn simulate_csv(options: &SimulateOptions, runs: &[(Policy, Vec<Realised>)]) -> Vec<u8> {
    let share = |home: u64, eligible: u64| {
        if eligible > 0 {
            format!("{:.4}", home as f64 / eligible as f64)
        } else {
            String::new()
        }
    };
    let rows = runs.iter().flat_map(|(policy, weeks)| {
        weeks.iter().map(move |r| {
            vec![
                policy.as_str().to_string(),
                r.week.to_string(),
                options
                    .plan
                    .calendar
                    .first_day(i64::from(r.week))
                    .to_string(),
                within_reach(options, r.week).to_string(),
                r.k1_adult_male_home.to_string(),
                r.k1_adult_male_eligible.to_string(),
                share(r.k1_adult_male_home, r.k1_adult_male_eligible),
                r.k1_home.to_string(),
                r.k1_eligible.to_string(),
                share(r.k1_home, r.k1_eligible),
                r.k2_home.to_string(),
                r.k2_eligible.to_string(),
                share(r.k2_home, r.k2_eligible),
                r.moves.to_string(),
                r.overflow.to_string(),
                r.kept.map(|k| format!("{k:.4}")).unwrap_or_default(),
            ]
        })
    });
    csv_bytes(
        [
            "policy",
            "week",
            "date",
            "within_reach",
            "k1_adult_male_home",
            "k1_adult_male_eligible",
            "k1_adult_male_share",
            "k1_home",
            "k1_eligible",
            "k1_share",
            "k2_home",
            "k2_eligible",
            "k2_share",
            "moves",
            "overflow",
            "kept_share",
        ],
        rows,
    )
}

/// The loop's totals per policy: realised K1 within reach (adult male, the headline) against
/// the 80% target, K1, K2, moves, overflow and the share of each plan kept the next week.
pub fn summary(options: &SimulateOptions, runs: &[(Policy, Vec<Realised>)]) -> String {
    let percent = |home, eligible| percent_of(Tally { home, eligible });
    let mut text = format!(
        "{:<8} {:>12} {:>8} {:>8} {:>8} {:>9} {:>6} {:>8}\n",
        "policy", "K1 reach AM", "K1", "K2", "moves", "overflow", "kept", "seconds"
    );
    for (policy, weeks) in runs {
        let reach = weeks.iter().filter(|r| within_reach(options, r.week));
        let (home, eligible) = reach.fold((0, 0), |(h, e), r| {
            (h + r.k1_adult_male_home, e + r.k1_adult_male_eligible)
        });
        let sum = |f: fn(&Realised) -> u64| weeks.iter().map(f).sum::<u64>();
        let kept: Vec<f64> = weeks.iter().filter_map(|r| r.kept).collect();
        let kept = if kept.is_empty() {
            "-".to_string()
        } else {
            format!(
                "{:.1}%",
                100.0 * kept.iter().sum::<f64>() / kept.len() as f64
            )
        };
        text += &format!(
            "{:<8} {:>12} {:>8} {:>8} {:>8} {:>9} {:>6} {:>8.1}\n",
            policy.as_str(),
            percent(home, eligible),
            percent(sum(|r| r.k1_home), sum(|r| r.k1_eligible)),
            percent(sum(|r| r.k2_home), sum(|r| r.k2_eligible)),
            sum(|r| r.moves),
            sum(|r| r.overflow),
            kept,
            weeks.iter().map(|r| r.seconds).sum::<f64>(),
        );
    }
    text += &format!(
        "realised over {} week(s), each week's releases, K2 weeks, moves and overflow as carried \
         out; K1 reach AM: adult male releases from week {} on (a plan made at the start can \
         place them), read against the 80% target; kept: the mean share of last week's later \
         moves each plan kept (simulate.csv)\n",
        options.weeks,
        options.plan.first_movable_week + options.plan.window
    );
    text
}

/// The moves of existing prisoners in `plan`, a plan of `instance`, as its `moves.csv`
/// would give them.
fn planned_moves(instance: &Instance, plan: &Plan) -> PlannedMoves {
    let code = |prison: usize| instance.prisons()[prison].code.clone();
    let moves = plan
        .moves
        .iter()
        .filter_map(|m| {
            let prisoner = instance.inputs.prisoners.get(m.mover)?;
            Some(PlannedMove {
                prisoner_id: prisoner.id.clone(),
                from: code(m.from),
                to: code(m.to),
                week: m.week,
                date: instance.date_of(m.week),
                booked: m.reason == MoveReason::Booked,
                row: 0,
            })
        })
        .collect();
    PlannedMoves::in_memory(moves)
}
