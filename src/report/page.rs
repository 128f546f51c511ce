//! The page (`templates/page.html`): the head with the styles and the error trap, the header
//! with the table of contents, a warning when the time limit ran out, the sections, and the
//! sorting script; and the sortable tables the sections show (`templates/table.html`).

use askama::Template;

use super::read::ReportData;
use super::{kpis, optimal, scenarios};
use crate::output::rows::{ModelFigures, Parameters};

/// The styles.
const STYLE: &str = include_str!("assets/report.css");
/// Records script errors and console errors on `<html>` (read by the browser test); runs
/// first.
const ERROR_TRAP: &str = include_str!("assets/errors.js");
/// Sorts a table by the column whose heading is clicked (numbers as numbers).
const SORT_SCRIPT: &str = include_str!("assets/sort.js");

/// The whole page.
#[derive(Template)]
#[template(path = "page.html")]
pub struct Page<'a> {
    parameters: &'a Parameters,
    /// How the optimal plan was solved, when the time limit ran out.
    time_limit: Option<String>,
    pub sections: Vec<Section>,
}

/// A section of the page.
pub struct Section {
    /// Its anchor.
    pub id: &'static str,
    pub heading: &'static str,
    /// It starts a new page when printed.
    pub page_break: bool,
    /// What it shows, as HTML.
    pub body: String,
}

impl<'a> Page<'a> {
    /// The page of `data`.
    pub fn new(data: &'a ReportData) -> Page<'a> {
        let model = &data.kpis.model;
        Page {
            parameters: &data.kpis.parameters,
            time_limit: model.time_limit_reached.then(|| solved(model)),
            sections: sections(data),
        }
    }
}

/// What builds a section's body.
type Body = fn(&ReportData) -> String;

/// The sections about the plan, in order: (id, heading, whether it starts a printed page,
/// its body).
const PLAN_SECTIONS: [(&str, &str, bool, Body); 10] = [
    ("summary", "National summary", false, kpis::summary),
    (
        "parameters",
        "The run's parameters",
        false,
        kpis::parameters,
    ),
    ("by-week", "K1 and K2 by week", true, kpis::weeks),
    ("by-estate", "K1 and K2 by estate", false, kpis::estates),
    ("k1-by-cpa", "K1 and K2 by CPA", false, kpis::cpas),
    (
        "occupancy",
        "Occupancy against capacity",
        true,
        optimal::occupancy,
    ),
    ("moves", "Moves per week", true, optimal::moves),
    (
        "workload",
        "CRC workload per resettlement prison",
        true,
        optimal::workload,
    ),
    (
        "crc",
        "Where each CPA's prisoners nearing release are held",
        false,
        optimal::crcs,
    ),
    (
        "unplaced",
        "People not released home, by reason",
        false,
        optimal::unplaced,
    ),
];

/// The sections of the page of `data`, the scenario comparison last when there is one.
fn sections(data: &ReportData) -> Vec<Section> {
    let mut sections: Vec<Section> = PLAN_SECTIONS
        .iter()
        .map(|&(id, heading, page_break, body)| Section {
            id,
            heading,
            page_break,
            body: body(data),
        })
        .collect();
    if let Some(comparison) = &data.scenarios {
        sections.push(Section {
            id: "scenarios",
            heading: "Scenario comparison",
            page_break: true,
            body: scenarios::scenarios(data, comparison),
        });
    }
    sections
}

/// `template` rendered.
pub fn render(template: &impl Template) -> String {
    template.render().expect("rendering to memory")
}

/// How the optimal plan was solved, in words that start with TIME LIMIT when it ran out.
pub fn solved(model: &ModelFigures) -> String {
    if model.time_limit_reached && !model.solved.starts_with("TIME LIMIT") {
        format!("TIME LIMIT: {}", model.solved)
    } else {
        model.solved.clone()
    }
}

/// A sortable table; a column is aligned as text when its first row's cell is text.
#[derive(Template)]
#[template(path = "table.html")]
pub struct Table {
    id: &'static str,
    headings: Vec<Heading>,
    rows: Vec<Vec<Cell>>,
}

struct Heading {
    text: String,
    is_text: bool,
}

/// A cell of a [`Table`].
pub struct Cell {
    text: String,
    /// Text, aligned left; else a number.
    is_text: bool,
    /// Its `data-figure`, the key the tests find a figure by.
    figure: Option<String>,
}

impl Table {
    pub fn new(id: &'static str, header: &[&str], rows: Vec<Vec<Cell>>) -> Table {
        let headings = header
            .iter()
            .enumerate()
            .map(|(i, text)| Heading {
                text: text.to_string(),
                is_text: rows
                    .first()
                    .and_then(|row| row.get(i))
                    .map_or(i == 0, |cell| cell.is_text),
            })
            .collect();
        Table { id, headings, rows }
    }
}

/// A number.
pub fn num(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        is_text: false,
        figure: None,
    }
}

/// Text.
pub fn txt(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        is_text: true,
        figure: None,
    }
}

/// A number with its `data-figure`.
pub fn fig(text: impl Into<String>, figure: impl Into<String>) -> Cell {
    Cell {
        figure: Some(figure.into()),
        ..num(text)
    }
}

/// Text with its `data-figure`.
pub fn fig_text(text: impl Into<String>, figure: impl Into<String>) -> Cell {
    Cell {
        figure: Some(figure.into()),
        ..txt(text)
    }
}
