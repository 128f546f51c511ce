//! Synthetic population — PLACEHOLDER with the agreed API so the rest of the crate builds;
//! the generator's author replaces this whole file.

use crate::calendar::Calendar;
use crate::model::{Dataset, Prisoner, ReceptionCohort};

pub struct GenerateOptions {
    pub seed: u64,
    pub scale: f64,
    pub calendar: Calendar,
    pub weeks: u32,
}

pub struct Synthetic {
    pub prisoners: Vec<Prisoner>,
    pub receptions: Vec<ReceptionCohort>,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("placeholder")]
    Placeholder,
}

pub fn generate(_data: &Dataset, _options: &GenerateOptions) -> Result<Synthetic, GenerateError> {
    Err(GenerateError::Placeholder)
}
