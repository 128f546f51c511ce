//! The sections about the KPIs: the national summary, the run's parameters, and K1 and K2
//! by week, by estate and by CPA, in the three plans.

use askama::Template;

use super::page::{fig, fig_text, num, render, solved, txt, Table};
use super::read::ReportData;
use super::svg::{bar_chart, format_share, week_chart, Bars, Line};
use super::text::{count, filters, percent};
use crate::output::rows::{JuvenileFigures, KpiFigures, Parameters, PartKpis, PlanFigures};
use crate::problem::kpi::TARGET;

/// A plan's colour in the charts: status quo, greedy, optimal.
const PLAN_COLOURS: [&str; 3] = ["#9e9e9e", "#f4a261", "#1d5a8c"];

/// The three plans: (name in the files, label, figures).
fn plans(kpis: &KpiFigures) -> [(&'static str, &'static str, &PlanFigures); 3] {
    [
        ("status_quo", "Status quo", &kpis.status_quo),
        ("greedy", "Greedy", &kpis.greedy),
        ("optimal", "Optimal", &kpis.optimal),
    ]
}

/// The series of K1 within reach of the three plans.
fn reach_series(kpis: &KpiFigures) -> Vec<(String, &'static str)> {
    plans(kpis)
        .iter()
        .zip(PLAN_COLOURS)
        .map(|((_, label, _), colour)| {
            (format!("K1 within reach, {}", label.to_lowercase()), colour)
        })
        .collect()
}

/// The national summary's cards, chart, table and notes.
#[derive(Template)]
#[template(path = "summary.html")]
struct Summary<'a> {
    kpis: &'a KpiFigures,
    /// The release weeks within reach, in words.
    reach_weeks: String,
    chart: String,
    table: Table,
}

/// The headline figures of the optimal plan, and the three plans compared.
pub fn summary(data: &ReportData) -> String {
    let k = &data.kpis;
    let series = vec![
        ("K1 within reach, adult male".to_string(), "#1d5a8c"),
        ("K1 within reach, all estates".to_string(), "#6fa8dc"),
        ("K1 over the horizon".to_string(), "#b4a7d6"),
        ("K2".to_string(), "#93c47d"),
    ];
    let rows = plans(k)
        .iter()
        .map(|(_, label, p)| {
            let shares = vec![
                p.k1_within_reach_adult_male.share,
                p.k1_within_reach.share,
                p.k1.share,
                p.k2.share,
            ];
            (label.to_string(), shares)
        })
        .collect();
    let chart = bar_chart(&Bars {
        id: "summary",
        title:
            "K1 within reach, K1 over the horizon and K2 of the three plans against the 80% target",
        series,
        rows,
        stacked: false,
        max: Some(1.0),
        target: Some((TARGET, "80% target")),
        format: format_share,
    });
    let rows = plans(k)
        .iter()
        .map(|(name, label, p)| {
            let f = |field: &str| format!("{name}.{field}");
            vec![
                txt(*label),
                fig(
                    percent(p.k1_within_reach_adult_male.share),
                    f("k1_within_reach_adult_male.share"),
                ),
                fig(percent(p.k1_within_reach.share), f("k1_within_reach.share")),
                fig(count(p.k1_within_reach.home), f("k1_within_reach.home")),
                fig(
                    count(p.k1_within_reach.eligible),
                    f("k1_within_reach.eligible"),
                ),
                fig(percent(p.k1.share), f("k1.share")),
                fig(count(p.k1.home), f("k1.home")),
                fig(count(p.k1.eligible), f("k1.eligible")),
                fig(percent(p.k1_adult_male.share), f("k1_adult_male.share")),
                fig(percent(p.k2.share), f("k2.share")),
                fig(count(p.on_track), f("on_track")),
                fig(count(p.home_plus_on_track), f("home_plus_on_track")),
                fig(count(p.moves), f("moves")),
                fig(count(p.overflow_person_weeks), f("overflow_person_weeks")),
            ]
        })
        .collect();
    let table = Table::new(
        "table-summary",
        &[
            "Plan",
            "K1 within reach, adult male",
            "K1 within reach",
            "Home releases within reach",
            "Releases within reach",
            "K1 over the horizon",
            "K1 home releases",
            "Eligible releases",
            "K1 adult male, horizon",
            "K2",
            "On track",
            "Home releases + on track",
            "People moved",
            "Overflow (person-weeks)",
        ],
        rows,
    );
    render(&Summary {
        kpis: k,
        reach_weeks: reach_weeks(&k.parameters),
        chart,
        table,
    })
}

/// The release weeks within reach, in words.
fn reach_weeks(parameters: &Parameters) -> String {
    let from = parameters.within_reach_from_week;
    if from < parameters.horizon {
        format!("released in weeks {from}–{}", parameters.horizon - 1)
    } else {
        format!("none in this horizon: the first would be released in week {from}")
    }
}

/// An optional limit in words.
fn limit(value: Option<u32>) -> String {
    value.map_or_else(|| "none".to_string(), |v| count(u64::from(v)))
}

/// The run's parameters and how the optimal plan was solved.
pub fn parameters(data: &ReportData) -> String {
    let p = &data.kpis.parameters;
    let model = &data.kpis.model;
    let rows = [
        ("Start (week 0)", p.start.clone(), "start"),
        ("Horizon (weeks)", p.horizon.to_string(), "horizon"),
        (
            "Resettlement window (weeks)",
            p.window.to_string(),
            "window",
        ),
        (
            "First movable week",
            p.first_movable_week.to_string(),
            "first_movable_week",
        ),
        (
            "Releases within reach from week",
            p.within_reach_from_week.to_string(),
            "within_reach_from_week",
        ),
        (
            "Headroom (% of operational capacity kept free)",
            p.headroom_percent.to_string(),
            "headroom_percent",
        ),
        (
            "Escort limit, moves per week nationally",
            limit(p.max_moves_per_week),
            "max_moves_per_week",
        ),
        (
            "Escort limit, moves out of one prison per week",
            limit(p.max_moves_per_prison_week),
            "max_moves_per_prison_week",
        ),
        (
            "Time limit (seconds)",
            p.time_limit_seconds
                .map_or_else(|| "none".to_string(), |s| s.to_string()),
            "time_limit_seconds",
        ),
        ("MIP gap accepted", p.mip_gap.to_string(), "mip_gap"),
        (
            "How the optimal plan was solved",
            solved(model),
            "integrality",
        ),
        (
            "Model",
            format!(
                "{} rows, {} columns, {} non-zeros",
                count(model.rows),
                count(model.columns),
                count(model.nonzeros)
            ),
            "model",
        ),
    ]
    .into_iter()
    .map(|(label, value, key)| vec![txt(label), fig_text(value, format!("parameter.{key}"))])
    .collect();
    Table::new("table-parameters", &["Parameter", "Value"], rows).to_string()
}

/// K1 and K2 by week: two charts and a table.
#[derive(Template)]
#[template(path = "weeks.html")]
struct Weeks {
    within_reach_from_week: u32,
    k1_chart: String,
    k2_chart: String,
    table: Table,
}

/// K1 by release week and K2 by week in the three plans.
pub fn weeks(data: &ReportData) -> String {
    let parameters = &data.kpis.parameters;
    let plans = plans(&data.kpis);
    let series = |get: fn(&PartKpis) -> Option<f64>| -> Vec<Line> {
        plans
            .iter()
            .zip(PLAN_COLOURS)
            .map(|((name, label, _), colour)| Line {
                name: label.to_string(),
                colour,
                values: data
                    .weeks
                    .iter()
                    .map(|week| week.get(*name).and_then(get))
                    .collect(),
            })
            .collect()
    };
    let k1_chart = week_chart(
        "k1-by-week",
        "K1 by release week in the three plans against the 80% target",
        &series(|p| p.k1_share),
        parameters.within_reach_from_week as usize,
    );
    let k2_chart = week_chart(
        "k2-by-week",
        "K2 by week in the three plans against the 80% target",
        &series(|p| p.k2_share),
        0,
    );
    let rows = data
        .weeks
        .iter()
        .enumerate()
        .map(|(week, plans_of_week)| {
            let get = |plan: &str| plans_of_week.get(plan).cloned().unwrap_or_default();
            let f = |plan: &str, field: &str| format!("week.{week}.{plan}.{field}");
            let within = week >= parameters.within_reach_from_week as usize;
            let mut row = vec![
                num(week.to_string()),
                txt(data.dates.get(week).cloned().unwrap_or_default()),
                txt(if within { "yes" } else { "no" }),
                num(count(get("optimal").k1_eligible)),
            ];
            for (name, ..) in &plans {
                row.push(fig(percent(get(name).k1_share), f(name, "k1_share")));
            }
            for (name, ..) in &plans {
                row.push(fig(percent(get(name).k2_share), f(name, "k2_share")));
            }
            row
        })
        .collect();
    let table = Table::new(
        "table-weeks",
        &[
            "Week",
            "Date",
            "Within reach",
            "Eligible releases",
            "K1 status quo",
            "K1 greedy",
            "K1 optimal",
            "K2 status quo",
            "K2 greedy",
            "K2 optimal",
        ],
        rows,
    );
    render(&Weeks {
        within_reach_from_week: parameters.within_reach_from_week,
        k1_chart,
        k2_chart,
        table,
    })
}

/// K1 and K2 by estate, with the juvenile estate apart.
#[derive(Template)]
#[template(path = "estates.html")]
struct Estates<'a> {
    juvenile: &'a JuvenileFigures,
    chart: String,
    table: Table,
}

/// K1 within reach, K1 and K2 by estate in the three plans.
pub fn estates(data: &ReportData) -> String {
    let plans = plans(&data.kpis);
    let estate =
        |p: &PlanFigures, name: &str| p.by_estate.iter().find(|e| e.estate == name).cloned();
    let names: Vec<&str> = data
        .kpis
        .optimal
        .by_estate
        .iter()
        .map(|e| e.estate.as_str())
        .collect();
    let label = |name: &str| name.replace('_', " ");
    let rows = names
        .iter()
        .map(|name| {
            let values = plans
                .iter()
                .map(|(_, _, p)| estate(p, name).and_then(|e| e.k1_within_reach.share))
                .collect();
            (label(name), values)
        })
        .collect();
    let chart = bar_chart(&Bars {
        id: "k1-by-estate",
        title: "K1 within reach by estate in the three plans against the 80% target",
        series: reach_series(&data.kpis),
        rows,
        stacked: false,
        max: Some(1.0),
        target: Some((TARGET, "80%")),
        format: format_share,
    });
    let rows = names
        .iter()
        .flat_map(|name| {
            plans.iter().filter_map(move |(plan, plan_label, p)| {
                let e = estate(p, name)?;
                let f = |field: &str| format!("estate.{name}.{plan}.{field}");
                Some(vec![
                    txt(label(name)),
                    txt(*plan_label),
                    fig(percent(e.k1_within_reach.share), f("k1_within_reach.share")),
                    num(format!(
                        "{} / {}",
                        count(e.k1_within_reach.home),
                        count(e.k1_within_reach.eligible)
                    )),
                    fig(percent(e.k1.share), f("k1.share")),
                    num(format!("{} / {}", count(e.k1.home), count(e.k1.eligible))),
                    fig(percent(e.k2.share), f("k2.share")),
                ])
            })
        })
        .collect();
    let table = Table::new(
        "table-estates",
        &[
            "Estate",
            "Plan",
            "K1 within reach",
            "Home / releases within reach",
            "K1 over the horizon",
            "Home / releases in the horizon",
            "K2",
        ],
        rows,
    );
    render(&Estates {
        juvenile: &data.kpis.juvenile_estate,
        chart,
        table,
    })
}

/// K1 within reach, K1 and K2 by CPA in the three plans.
pub fn cpas(data: &ReportData) -> String {
    let plans = plans(&data.kpis);
    let rows = data
        .cpas
        .iter()
        .map(|cpa| {
            let values = plans
                .iter()
                .map(|(name, ..)| cpa.plans.get(*name).and_then(|p| p.k1_within_reach_share))
                .collect();
            (format!("{} {}", cpa.number, cpa.name), values)
        })
        .collect();
    let chart = bar_chart(&Bars {
        id: "k1-by-cpa",
        title: "K1 within reach by CPA in the three plans against the 80% target",
        series: reach_series(&data.kpis),
        rows,
        stacked: false,
        max: Some(1.0),
        target: Some((TARGET, "80%")),
        format: format_share,
    });
    let rows = data
        .cpas
        .iter()
        .map(|cpa| {
            let get = |plan: &str| cpa.plans.get(plan).cloned().unwrap_or_default();
            let (status_quo, greedy, optimal) = (get("status_quo"), get("greedy"), get("optimal"));
            let f = |field: &str| format!("cpa.{}.{field}", cpa.slug);
            vec![
                txt(cpa.name.clone()),
                num(cpa.number.to_string()),
                fig(
                    count(optimal.k1_within_reach_eligible),
                    f("optimal.k1_within_reach_eligible"),
                ),
                fig(
                    percent(status_quo.k1_within_reach_share),
                    f("status_quo.k1_within_reach_share"),
                ),
                fig(
                    percent(greedy.k1_within_reach_share),
                    f("greedy.k1_within_reach_share"),
                ),
                fig(
                    percent(optimal.k1_within_reach_share),
                    f("optimal.k1_within_reach_share"),
                ),
                fig(count(optimal.k1_eligible), f("optimal.k1_eligible")),
                fig(percent(status_quo.k1_share), f("status_quo.k1_share")),
                fig(percent(greedy.k1_share), f("greedy.k1_share")),
                fig(percent(optimal.k1_share), f("optimal.k1_share")),
                fig(percent(status_quo.k2_share), f("status_quo.k2_share")),
                fig(percent(optimal.k2_share), f("optimal.k2_share")),
            ]
        })
        .collect();
    let table = Table::new(
        "table-cpa",
        &[
            "CPA",
            "Number",
            "Releases within reach",
            "K1 within reach, status quo",
            "K1 within reach, greedy",
            "K1 within reach, optimal",
            "Eligible releases",
            "K1 status quo",
            "K1 greedy",
            "K1 optimal",
            "K2 status quo",
            "K2 optimal",
        ],
        rows,
    );
    format!("{chart}{table}")
}
