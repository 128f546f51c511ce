//! Everything that knows a file format: reading the reference data and the planning inputs
//! with line-and-column diagnostics, writing outputs all or none, and the CSV rows of the
//! outputs ([`crate::rows`]) written and read back.

mod dataset;
pub mod limits;
mod output;
mod plan_moves;
mod population;
mod record;
mod table;

pub use dataset::{
    load_dataset, CPA_COLUMNS, DATASET_FILES, DESIGNATION_COLUMNS, PRISON_COLUMNS,
    PUBLISHED_POPULATION_COLUMNS,
};
pub use output::{
    csv_bytes, csv_cell, CsvOutput, OutputDir, OutputFile, OutputFiles, TargetError, WriteError,
    MARKER,
};
pub use plan_moves::{load_plan_moves, PlannedMove, PlannedMoves};
pub use population::{
    booked_csv, check_booked_rows, load_booked_moves, load_population, load_receptions,
    population_csv, receptions_csv, BOOKED_COLUMNS, POPULATION_COLUMNS, RECEPTION_COLUMNS,
};
pub use record::{read_rows, read_texts, rows_csv};
