//! The report (`resettle report`): one self-contained HTML file about a plan folder (and, optionally, a
//! scenario folder), for reading offline and printing.
//!
//! The report is built from the files `resettle plan` writes — `kpis.json` (with the run's
//! parameters), `kpis_by_cpa.csv`, `kpis_by_week.csv`, `kpis_by_prison.csv`,
//! `occupancy.csv`, `moves.csv`, `forecast_moves.csv`, `unplaced.csv`, `workload.csv` and
//! `workload_by_crc.csv` — and, with `--scenarios`, the scenario runner's `comparison.csv`.
//! Every problem in those files is reported (file, line, column) before failing with exit
//! code 2. A plan made under a time limit that ran out is marked TIME LIMIT at the top.
//!
//! The folder is read by `read`; the page is written from templates (`templates/`, with
//! askama, which escapes every value) by `page`, whose sections are built in `kpis`,
//! `optimal` and `scenarios`. It has no external resource at all: charts are inline SVG
//! (`svg`), the styles and the only script (sortable tables, and a record of script errors
//! on the `<html>` element that the browser test reads) are inline (`assets/`), and a
//! Content-Security-Policy forbids any fetch. It shows counts and shares only, never a
//! prisoner id. The same folder gives the same bytes.

mod kpis;
mod optimal;
mod page;
mod read;
mod scenarios;
mod svg;
mod text;

use std::path::Path;

use crate::input::diagnostics::Diagnostics;
use page::Page;

/// The page of a plan folder, written.
pub struct Report {
    /// The HTML file's text.
    pub html: String,
    /// How many sections it has.
    pub sections: usize,
    /// Whether it has the scenario comparison.
    pub with_scenarios: bool,
}

/// The page of the plan folder `plan` (with the comparison of the scenario folder
/// `scenarios`), and every problem found reading them: no page when there is an error.
pub fn report(plan: &Path, scenarios: Option<&Path>) -> (Option<Report>, Diagnostics) {
    let (data, diagnostics) = read::load(plan, scenarios);
    let data = match data {
        Some(data) if !diagnostics.has_errors() => data,
        _ => return (None, diagnostics),
    };
    let page = Page::new(&data);
    let report = Report {
        html: page::render(&page),
        sections: page.sections.len(),
        with_scenarios: data.scenarios.is_some(),
    };
    (Some(report), diagnostics)
}
