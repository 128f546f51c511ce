//! `resettle report`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::error::Error;
use crate::output::OutputFile;
use crate::report::report;

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
    let (report, diagnostics) = report(&args.plan, args.scenarios.as_deref());
    for diagnostic in diagnostics.iter() {
        writeln!(err, "{diagnostic}")?;
    }
    let Some(report) = report else {
        return Err(Error::BadInput(diagnostics));
    };
    // Written through a FIFO or device (`--out /dev/stdout`), the report is followed by
    // nothing on stdout.
    let summary: &mut dyn Write = if target.is_written_through() {
        &mut *err
    } else {
        &mut *out
    };
    target.write(report.html.as_bytes())?;
    writeln!(
        summary,
        "wrote {}: {} sections{}",
        args.out.display(),
        report.sections,
        if report.with_scenarios {
            " (with the scenario comparison)"
        } else {
            ""
        }
    )?;
    Ok(())
}
