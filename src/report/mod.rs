//! `resettle report`: one self-contained HTML file about a plan folder (and, optionally, a
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

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::error::Error;
use crate::output::OutputFile;
use page::Page;

/// Options of `resettle report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Plan folder written by `resettle plan`.
    #[arg(long, value_name = "DIR")]
    pub plan: PathBuf,
    /// Scenario folder written by `resettle scenarios run` (its comparison.csv): adds a
    /// comparison page.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// The HTML file to write: a regular file is replaced when the report is complete (a
    /// symbolic link is followed and kept); a FIFO or device is written through.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// The top-level entry point for `resettle report`.
pub fn report_command(
    args: &ReportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let target = OutputFile::claim(&args.out)?;
    let (data, diagnostics) = read::load(&args.plan, args.scenarios.as_deref());
    for diagnostic in diagnostics.iter() {
        writeln!(err, "{diagnostic}")?;
    }
    let data = match data {
        Some(data) if !diagnostics.has_errors() => data,
        _ => return Err(Error::BadInput(diagnostics)),
    };
    // Written through a FIFO or device (`--out /dev/stdout`), the report is followed by
    // nothing on stdout.
    let summary: &mut dyn Write = if target.is_written_through() {
        &mut *err
    } else {
        &mut *out
    };
    let page = Page::new(&data);
    target.write(page::render(&page).as_bytes())?;
    writeln!(
        summary,
        "wrote {}: {} sections{}",
        args.out.display(),
        page.sections.len(),
        if data.scenarios.is_some() {
            " (with the scenario comparison)"
        } else {
            ""
        }
    )?;
    Ok(())
}
