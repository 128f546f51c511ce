//! The `resettle` binary: a thin client of the library.

use std::io::{self, ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;
use resettle::cli::{run, Cli};
use resettle::error::Error;

/// jemalloc for every allocation of the process, HiGHS's included: its `malloc` and `free`
/// replace the C library's (ARCHITECTURE.md, invariants).
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli, &mut io::stdout().lock(), &mut io::stderr().lock());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe on stdout (`resettle validate | head`) is a graceful end: the outputs
        // are written by then. A closed stderr changes nothing (`cli::run` drops its messages).
        Err(Error::Stdout(e)) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "resettle: {error}");
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}
