//! The scenario comparison (`--scenarios`): K1 within reach of each scenario against the 80%
//! target, the national columns of `comparison.csv`, and the optimal plans' K1 by CPA.

use askama::Template;

use super::page::{num, render, txt, Table};
use super::read::{Comparison, ReportData};
use super::svg::{bar_chart, format_share, Bars};
use super::text::percent;
use crate::problem::kpi::TARGET;

/// The colours of the chart's series, in turn.
const COLOURS: [&str; 6] = [
    "#1d5a8c", "#6fa8dc", "#f4a261", "#9e9e9e", "#93c47d", "#8e7cc3",
];

/// The scenario comparison: a chart, the national table and the table by CPA.
#[derive(Template)]
#[template(path = "scenarios.html")]
struct Scenarios {
    /// The comparison's file name.
    file: String,
    /// None when the comparison has no share column of K1 to chart.
    chart: Option<String>,
    /// The national columns.
    table: Table,
    /// `K1 within reach`, or `K1` in a comparison without it.
    k1_name: &'static str,
    /// The optimal K1 of each scenario by CPA, when the comparison has it.
    by_cpa: Option<Table>,
}

/// Whether every non-empty cell of column `column` is a number (and one at least is).
fn numeric(comparison: &Comparison, column: usize) -> bool {
    let mut any = false;
    for row in &comparison.rows {
        let cell = row.get(column).map_or("", String::as_str);
        if cell.is_empty() {
            continue;
        }
        if cell.parse::<f64>().is_err() {
            return false;
        }
        any = true;
    }
    any
}

/// The number in a row's cell of column `column`, if it is one.
fn number(row: &[String], column: usize) -> Option<f64> {
    row.get(column).and_then(|c| c.parse::<f64>().ok())
}

/// The scenarios of `comparison` compared, the CPAs named as in the plan of `data`.
pub fn scenarios(data: &ReportData, comparison: &Comparison) -> String {
    let header = &comparison.header;
    // Columns that name a CPA of the plan (`k1_optimal_wales`) go to the per-CPA table.
    let per_cpa = |name: &str| {
        data.cpas
            .iter()
            .find(|c| {
                name.ends_with(&format!("_{}", c.slug)) || name.contains(&format!("_{}_", c.slug))
            })
            .map(|c| c.slug.clone())
    };
    let national: Vec<usize> = (0..header.len())
        .filter(|&i| per_cpa(&header[i]).is_none())
        .collect();
    let label = |row: &Vec<String>| row.first().cloned().unwrap_or_default();
    // The K1 chart: the columns of K1 within reach holding shares (of K1, in a comparison
    // without them).
    let prefix = if header.iter().any(|h| h.starts_with("k1_within_reach")) {
        "k1_within_reach"
    } else {
        "k1"
    };
    let share_column = |i: usize| {
        let name = &header[i];
        name.starts_with(prefix)
            && !name.contains("home")
            && numeric(comparison, i)
            && comparison
                .rows
                .iter()
                .all(|r| number(r, i).is_none_or(|v| (0.0..=1.0).contains(&v)))
    };
    let k1_columns: Vec<usize> = national
        .iter()
        .copied()
        .filter(|&i| share_column(i))
        .collect();
    let chart = (!k1_columns.is_empty()).then(|| {
        let series = k1_columns
            .iter()
            .zip(COLOURS.iter().cycle())
            .map(|(&i, &colour)| (header[i].clone(), colour))
            .collect();
        let rows = comparison
            .rows
            .iter()
            .map(|row| {
                let values = k1_columns.iter().map(|&i| number(row, i)).collect();
                (label(row), values)
            })
            .collect();
        bar_chart(&Bars {
            id: "scenarios",
            title: "K1 within reach by scenario against the 80% target",
            series,
            rows,
            stacked: false,
            max: Some(1.0),
            target: Some((TARGET, "80%")),
            format: format_share,
        })
    });
    let national_header: Vec<&str> = national.iter().map(|&i| header[i].as_str()).collect();
    let rows = comparison
        .rows
        .iter()
        .map(|row| {
            national
                .iter()
                .map(|&i| {
                    let cell = row.get(i).cloned().unwrap_or_default();
                    if i == 0 || !numeric(comparison, i) {
                        txt(cell)
                    } else {
                        num(cell)
                    }
                })
                .collect()
        })
        .collect();
    let table = Table::new("table-scenarios", &national_header, rows);
    // Per CPA: the optimal K1 within reach (or K1) of each scenario.
    let field = if prefix == "k1" {
        "k1_optimal"
    } else {
        "k1_within_reach_optimal"
    };
    let by_cpa: Vec<(String, usize)> = (0..header.len())
        .filter_map(|i| {
            let name = &header[i];
            let slug = per_cpa(name)?;
            (name == &format!("{field}_{slug}")).then_some((slug, i))
        })
        .collect();
    let by_cpa = (!by_cpa.is_empty()).then(|| {
        let mut header = vec!["CPA".to_string()];
        header.extend(comparison.rows.iter().map(label));
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows = by_cpa
            .iter()
            .map(|(slug, i)| {
                let name = data
                    .cpas
                    .iter()
                    .find(|c| &c.slug == slug)
                    .map_or(slug.clone(), |c| c.name.clone());
                let mut row = vec![txt(name)];
                row.extend(comparison.rows.iter().map(|r| num(percent(number(r, *i)))));
                row
            })
            .collect();
        Table::new("table-scenarios-cpa", &header, rows)
    });
    let file = comparison
        .path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    render(&Scenarios {
        file,
        chart,
        table,
        k1_name: if prefix == "k1" {
            "K1"
        } else {
            "K1 within reach"
        },
        by_cpa,
    })
}
