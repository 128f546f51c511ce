//! Reading: the reference data and the planning inputs, each problem reported with its file,
//! line and column (`Diagnostics`), the limits every number must keep, and the checks that
//! span files (`validate`).

mod booked;
mod dataset;
pub mod diagnostics;
pub mod limits;
mod plan_moves;
pub(crate) mod population;
mod receptions;
pub(crate) mod table;
pub mod validate;

pub use booked::{check_booked_rows, load_booked_moves};
pub use dataset::{
    load_dataset, CPA_COLUMNS, DATASET_FILES, DESIGNATION_COLUMNS, PRISON_COLUMNS,
    PUBLISHED_POPULATION_COLUMNS,
};
pub use plan_moves::{load_plan_moves, PlannedMove, PlannedMoves};
pub use population::{load_population, BOOKED_COLUMNS, POPULATION_COLUMNS, RECEPTION_COLUMNS};
pub use receptions::load_receptions;
