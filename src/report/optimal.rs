//! The sections about the optimal plan: occupancy against capacity, moves per week, the CRC
//! workload per resettlement prison and per CPA, and the people not released home.

use std::collections::BTreeSet;

use askama::Template;

use super::page::{fig, num, render, txt, Cell, Table};
use super::read::ReportData;
use super::svg::{bar_chart, format_count, heatmap, Bars};
use super::text::{count, filters, mean, percent};
use crate::output::rows::WorkloadRow;

/// Occupancy against capacity: a heatmap and a table.
#[derive(Template)]
#[template(path = "occupancy.html")]
struct Occupancy {
    heatmap: String,
    table: Table,
}

/// Each prison's occupancy against its capacity by week, and its peak and overflow.
pub fn occupancy(data: &ReportData) -> String {
    let rows = data
        .prisons
        .iter()
        .map(|p| {
            let peak = p.weeks.iter().map(|w| w.0).max().unwrap_or(0);
            let capacity = p.weeks.first().map_or(0, |w| w.1);
            let peak_share = p
                .weeks
                .iter()
                .filter(|w| w.1 > 0)
                .map(|w| w.0 as f64 / w.1 as f64)
                .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
            let overflow: u64 = p.weeks.iter().map(|w| w.0.saturating_sub(w.1)).sum();
            vec![
                txt(p.code.clone()),
                txt(p.name.clone()),
                num(count(capacity)),
                num(count(p.weeks.first().map_or(0, |w| w.0))),
                num(count(peak)),
                num(percent(peak_share)),
                fig(count(overflow), format!("overflow.{}", p.code)),
            ]
        })
        .collect();
    let table = Table::new(
        "table-occupancy",
        &[
            "Prison",
            "Name",
            "Capacity (week 0)",
            "Held (week 0)",
            "Peak held",
            "Peak share of capacity",
            "Overflow (person-weeks)",
        ],
        rows,
    );
    render(&Occupancy {
        heatmap: heatmap(&data.prisons, &data.dates),
        table,
    })
}

/// The kinds of move, in the order shown, with their labels and colours.
const MOVE_KINDS: [(&str, &str, &str); 5] = [
    ("resettle", "Into a home resettlement prison", "#1d5a8c"),
    ("decant", "Decant", "#f4a261"),
    ("closure", "Out of a closing prison", "#c0392b"),
    ("booked", "Booked", "#9e9e9e"),
    ("cohort", "Forecast receptions moved", "#93c47d"),
];

/// Moves per week: a chart and a table.
#[derive(Template)]
#[template(path = "moves.html")]
struct Moves {
    /// People moved in the horizon.
    total: u64,
    chart: String,
    table: Table,
}

/// People moved per week by kind of move.
pub fn moves(data: &ReportData) -> String {
    // The kinds known, then any other in the files.
    let mut kinds: Vec<(&str, &str, &str)> = MOVE_KINDS.to_vec();
    let extra: BTreeSet<&str> = data
        .moves
        .iter()
        .flat_map(|week| week.keys().map(String::as_str))
        .filter(|kind| !MOVE_KINDS.iter().any(|k| k.0 == *kind))
        .collect();
    kinds.extend(extra.into_iter().map(|k| (k, k, "#8e7cc3")));
    let date = |week: usize| data.dates.get(week).map_or("", String::as_str);
    let rows = data
        .moves
        .iter()
        .enumerate()
        .map(|(week, counts)| {
            let values = kinds
                .iter()
                .map(|(kind, ..)| counts.get(*kind).map(|&c| c as f64))
                .collect();
            (format!("week {week} ({})", date(week)), values)
        })
        .collect();
    let chart = bar_chart(&Bars {
        id: "moves",
        title: "People moved per week in the optimal plan, by kind of move",
        series: kinds
            .iter()
            .map(|(_, label, colour)| (label.to_string(), *colour))
            .collect(),
        rows,
        stacked: true,
        max: None,
        target: None,
        format: format_count,
    });
    let mut header = vec!["Week", "Date"];
    header.extend(kinds.iter().map(|(_, label, _)| *label));
    header.push("Total");
    let rows = data
        .moves
        .iter()
        .enumerate()
        .map(|(week, counts)| {
            let mut row = vec![num(week.to_string()), txt(date(week))];
            row.extend(
                kinds
                    .iter()
                    .map(|(kind, ..)| num(count(counts.get(*kind).copied().unwrap_or(0)))),
            );
            row.push(fig(
                count(counts.values().sum()),
                format!("moves.week.{week}"),
            ));
            row
        })
        .collect();
    render(&Moves {
        total: data.moves.iter().flat_map(|w| w.values()).sum(),
        chart,
        table: Table::new("table-moves", &header, rows),
    })
}

/// The CRC workload: a chart and a table.
#[derive(Template)]
#[template(path = "workload.html")]
struct Workload {
    /// The resettlement window, in weeks.
    window: u32,
    /// The weeks of the horizon.
    weeks: usize,
    chart: String,
    table: Table,
}

/// Each resettlement prison's prisoners in their final weeks (own CPA and others),
/// releases, receptions and moves.
pub fn workload(data: &ReportData) -> String {
    let weeks = data.dates.len();
    let rows = data
        .workload
        .iter()
        .map(|prison| {
            let own: u64 = prison.weeks.iter().map(|w| w.final_weeks_own).sum();
            let other: u64 = prison.weeks.iter().map(|w| w.final_weeks_other).sum();
            (
                format!("{} {}", prison.code, prison.name),
                vec![Some(mean(own, weeks)), Some(mean(other, weeks))],
            )
        })
        .collect();
    let chart = bar_chart(&Bars {
        id: "workload",
        title: "Mean weekly prisoners in their final weeks per resettlement prison, own CPA and other CPAs",
        series: vec![
            ("Own CPA".into(), "#1d5a8c"),
            ("Other CPAs".into(), "#f4a261"),
        ],
        rows,
        stacked: true,
        max: None,
        target: None,
        format: format_count,
    });
    let rows = data
        .workload
        .iter()
        .map(|prison| {
            let sum = |f: fn(&WorkloadRow) -> u64| prison.weeks.iter().map(f).sum::<u64>();
            let peak = prison
                .weeks
                .iter()
                .map(|w| w.final_weeks)
                .max()
                .unwrap_or(0);
            vec![
                txt(prison.code.clone()),
                txt(prison.name.clone()),
                num(format!("{:.1}", mean(sum(|w| w.final_weeks_own), weeks))),
                num(format!("{:.1}", mean(sum(|w| w.final_weeks_other), weeks))),
                num(count(peak)),
                fig(
                    count(sum(|w| w.final_weeks)),
                    format!("workload.{}.final_weeks", prison.code),
                ),
                num(count(sum(|w| w.releases))),
                num(count(sum(|w| w.releases_own))),
                num(count(sum(|w| w.receptions))),
                num(count(sum(|w| w.moves_in))),
                num(count(sum(|w| w.moves_out))),
            ]
        })
        .collect();
    let table = Table::new(
        "table-workload",
        &[
            "Prison",
            "Name",
            "Final weeks, own (mean)",
            "Final weeks, other (mean)",
            "Final weeks, peak",
            "Final weeks (person-weeks)",
            "Releases",
            "Releases, own",
            "Receptions to screen",
            "Moves in",
            "Moves out",
        ],
        rows,
    );
    render(&Workload {
        window: data.kpis.parameters.window,
        weeks,
        chart,
        table,
    })
}

/// Where each CPA's prisoners nearing release are held: a table.
#[derive(Template)]
#[template(path = "crc.html")]
struct Crcs {
    table: Table,
}

/// Each CPA's prisoners in their final weeks and the share held at its resettlement
/// prisons.
pub fn crcs(data: &ReportData) -> String {
    let weeks = data.dates.len();
    let rows = data
        .cpas
        .iter()
        .map(|cpa| {
            let crc = data.crcs.get(&cpa.slug).cloned().unwrap_or_default();
            let share = (crc.final_weeks > 0)
                .then(|| crc.at_resettlement_prison as f64 / crc.final_weeks as f64);
            let elsewhere = crc.final_weeks - crc.at_resettlement_prison;
            vec![
                txt(cpa.name.clone()),
                num(format!("{:.1}", mean(crc.final_weeks, weeks))),
                num(format!("{:.1}", mean(crc.at_resettlement_prison, weeks))),
                num(format!("{:.1}", mean(elsewhere, weeks))),
                num(percent(share)),
                num(count(crc.releases)),
                num(crc.prisons.len().to_string()),
            ]
        })
        .collect();
    let table = Table::new(
        "table-crc",
        &[
            "CPA",
            "Final weeks (mean)",
            "At its resettlement prisons (mean)",
            "Elsewhere (mean)",
            "Share at its resettlement prisons",
            "Releases",
            "Prisons holding them",
        ],
        rows,
    );
    render(&Crcs { table })
}

/// What each reason of `unplaced.csv` means.
fn reason_label(reason: &str) -> &str {
    match reason {
        "no_designated_prison" => "No resettlement prison of the home CPA holds his category",
        "do_not_move" => "Do not move (court, medical, programme)",
        "release_too_soon" => "Released too soon to move in time",
        "not_movable" => "Not movable (remand, booked move)",
        "escort_limit" => "Escort limit used up in every week he could move",
        "prisons_full" => "Home resettlement prisons full in his window",
        other => other,
    }
}

/// People not released home: a chart and a table.
#[derive(Template)]
#[template(path = "unplaced.html")]
struct Unplaced {
    chart: String,
    table: Table,
}

/// The people not released home by reason, and in all.
pub fn unplaced(data: &ReportData) -> String {
    let rows = data
        .unplaced
        .iter()
        .map(|(reason, &n)| (reason_label(reason).to_string(), vec![Some(n as f64)]))
        .collect();
    let chart = bar_chart(&Bars {
        id: "unplaced",
        title: "People not released home in the optimal plan, by reason",
        series: vec![("People".into(), "#c27c0e")],
        rows,
        stacked: false,
        max: None,
        target: None,
        format: format_count,
    });
    let mut rows: Vec<Vec<Cell>> = data
        .unplaced
        .iter()
        .map(|(reason, &n)| {
            vec![
                txt(reason_label(reason)),
                txt(reason.clone()),
                fig(count(n), format!("unplaced.{reason}")),
            ]
        })
        .collect();
    let total: u64 = data.unplaced.values().sum();
    rows.push(vec![
        txt("All reasons"),
        txt(""),
        fig(count(total), "unplaced.total"),
    ]);
    let table = Table::new(
        "table-unplaced",
        &["Reason", "In unplaced.csv", "People"],
        rows,
    );
    render(&Unplaced { chart, table })
}
