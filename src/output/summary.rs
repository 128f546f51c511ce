//! The summary table `resettle plan` prints, K1 within reach for adult males first.

use std::fmt::Write as _;

use crate::analysis::{bottleneck, marginal};
use crate::output::kpis::{adult_male, estates, home_bound, juvenile, of_estate, reach_from};
use crate::output::PlanSet;
use crate::problem::instance::Instance;
use crate::problem::kpi::Tally;

/// A figure as a whole number when it is one, else with one decimal.
pub(super) fn number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-6 {
        // Adding 0.0 turns −0 into 0.
        format!("{:.0}", value.round() + 0.0)
    } else {
        format!("{value:.1}")
    }
}

/// A share as a percentage with one decimal (`84.3%`), or `none` when nobody is counted: `-`
/// in the terminal and the CSV files, `–` on the HTML page.
pub fn percent(share: Option<f64>, none: &str) -> String {
    share.map_or_else(
        || none.to_string(),
        |share| format!("{:.1}%", share * 100.0),
    )
}

/// A tally's share as a percentage, `-` when nobody is counted (the terminal's tables).
pub(crate) fn percent_of(tally: Tally) -> String {
    percent(tally.share(), "-")
}

/// The release weeks within reach, in words.
pub(super) fn reach_weeks(instance: &Instance) -> String {
    let (from, horizon) = (reach_from(instance), instance.options.horizon);
    if from < horizon {
        format!("weeks {from}-{}", horizon - 1)
    } else {
        format!("none: the horizon ends before week {from}")
    }
}

/// The short summary table printed by `resettle plan`: per plan the headline K1 within reach
/// for adult males, K1 within reach over every estate, K1 over the horizon (share, home
/// releases, eligible releases), the on-track count, K2, people moved and overflow; then what
/// each figure is, the proven bound on (b) and the gap, K1 within reach by estate, the
/// juvenile estate apart, the model's size, how it was solved and its stages with their
/// timings; then the prisons where a place is worth most ([`marginal`]) and the CPAs that
/// cannot reach 80% whatever the moves ([`bottleneck`]).
pub fn summary_table(instance: &Instance, plans: &PlanSet) -> String {
    let mut out = String::new();
    let line = |out: &mut String, fields: [&str; 10]| {
        let [plan, headline, reach, k1, home, eligible, on_track, k2, moves, overflow] = fields;
        writeln!(
            out,
            "{plan:<10} {headline:>11} {reach:>8} {k1:>10} {home:>6} {eligible:>8} \
             {on_track:>8} {k2:>7} {moves:>7} {overflow:>8}"
        )
        .expect("writing to a string");
    };
    line(
        &mut out,
        [
            "plan",
            "K1 reach AM",
            "K1 reach",
            "K1 horizon",
            "home",
            "eligible",
            "on track",
            "K2",
            "moves",
            "overflow",
        ],
    );
    for (name, kpis) in plans.named() {
        let k1 = kpis.k1.national;
        line(
            &mut out,
            [
                &name.replace('_', " "),
                &percent_of(adult_male(&kpis.k1_reach)),
                &percent_of(kpis.k1_reach.national),
                &percent_of(k1),
                &k1.home.to_string(),
                &k1.eligible.to_string(),
                &kpis.on_track.to_string(),
                &percent_of(kpis.k2.national),
                &kpis.moves.to_string(),
                &kpis.overflow_person_weeks.to_string(),
            ],
        );
    }
    let optimal = plans.kpis[2];
    let (horizon, window) = (instance.options.horizon, instance.options.window);
    let report = plans.report;
    let by_estate: Vec<String> = estates(instance)
        .into_iter()
        .map(|estate| {
            let tally = of_estate(&optimal.k1_reach, estate);
            format!(
                "{} {} ({}/{})",
                estate.as_str().replace('_', " "),
                percent_of(tally),
                tally.home,
                tally.eligible
            )
        })
        .collect();
    let juvenile = juvenile(instance);
    let stages: Vec<String> = report
        .stages
        .iter()
        .map(|stage| {
            format!(
                "{} {} ({:.2} s)",
                stage.name,
                number(stage.value),
                stage.seconds
            )
        })
        .collect();
    write!(
        out,
        "\nK1 reach AM, the headline read against the 80% target: adult male releases within \
         reach released home (held at release in a\n  resettlement prison of the home CPA, \
         arrived a full {window} weeks before or at custody start); within reach: released in \
         {},\n  so that a move from the first movable week ({}) can still give the full window\n\
         K1 reach: the same over every estate in scope; K1 horizon: every eligible release in \
         weeks 0-{} (home, eligible: its counts)\n\
         on track: eligible prisoners released after the horizon whose window opens in it, held \
         at its end where they will be\n  released home if nobody moves them\n\
         K2: share of person-weeks in the final {window} weeks before release held in a \
         resettlement prison of the home CPA\n\
         moves: people moved; overflow: person-weeks above usable capacity\n\
         bound on (b), home releases + on track: {} (optimal plan {}, gap {:.2}%)\n\
         K1 within reach by estate, optimal plan: {}\n\
         juvenile estate (out of scope, never in K1 or K2): {} releases in the horizon, {} held \
         at the start\n\
         model: {} rows, {} columns, {} nonzeros, {} cohorts; {}\n\
         stages: a blended start of every objective at once ({:.2} s), then {}\n",
        reach_weeks(instance),
        instance.options.first_movable_week,
        horizon.saturating_sub(1),
        home_bound(report),
        optimal.k1.national.home + optimal.on_track,
        report.gap * 100.0,
        if by_estate.is_empty() {
            "-".to_string()
        } else {
            by_estate.join("; ")
        },
        juvenile.releases_in_horizon,
        juvenile.held_at_start,
        report.rows,
        report.columns,
        report.nonzeros,
        report.cohorts,
        report.integrality.describe(),
        report.start_seconds,
        stages.join("; "),
    )
    .expect("writing to a string");
    writeln!(out, "{}", marginal::summary(instance, plans.marginal)).expect("writing to a string");
    writeln!(
        out,
        "{}",
        bottleneck::summary_line(instance, plans.bottlenecks)
    )
    .expect("writing to a string");
    out
}
