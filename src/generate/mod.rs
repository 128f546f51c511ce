//! Synthetic population: a population snapshot and forecast receptions calibrated on a data
//! set's published population, for demonstrations, tests and benchmarks.
//!
//! Each prison holds exactly round(published population × scale) prisoners. Their estate,
//! category, sentence, dates, home CPA and flags are drawn from shares that depend on the
//! prison's function. Remand and indeterminate prisoners get expected departures (time still to
//! serve on remand, parole). Receptions arrive at the reception prisons in a steady state: in
//! each estate, as many remand, indeterminate and determinate prisoners a week as the stock's
//! departures imply, so that the population stays level. Every share, and the figure or
//! assumption behind it, is listed in `data/README.md` ("Generator assumptions"); the
//! constants of `assumptions` carry the same numbers.
//!
//! Deterministic for (data, options): ChaCha8 streams seeded with the seed (the stock's expected
//! departures on a stream of their own, so that they leave every other draw as it was), prisons
//! taken in file order, ordered collections only.

mod assumptions;
mod profile;
mod receptions;
mod stock;

use assumptions::MAX_PRISONERS;
use profile::{HomeAreas, Profile};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use receptions::generate_receptions;
use stock::generate_prisoners;

use crate::domain::calendar::Calendar;
use crate::domain::{CpaId, Dataset, PrisonCode, Prisoner, ReceptionCohort};
use crate::input::limits::{check_factor, MAX_FACTOR, MAX_WEEK};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenerateOptions {
    /// Random seed: the same data, seed and options give the same population.
    pub seed: u64,
    /// Size against the published population (1.0: every prison at its published figure).
    pub scale: f64,
    /// The snapshot date (the plan's start, a Monday) and week 0 of the receptions.
    pub calendar: Calendar,
    /// Weeks of forecast receptions (weeks 0..weeks).
    pub weeks: u32,
}

/// A synthetic population snapshot and its forecast receptions.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    /// The prisoners held on the start date, sorted by id.
    pub prisoners: Vec<Prisoner>,
    /// Forecast receptions sorted by (week, prison, home CPA, estate, category, release week,
    /// expected departure week), one cohort per distinct key.
    pub receptions: Vec<ReceptionCohort>,
}

/// Why a population cannot be generated from these data and options.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The scale is not a number greater than 0, at most [`MAX_FACTOR`].
    #[error("the scale must be a number greater than 0, at most {MAX_FACTOR}, not {0}")]
    BadScale(f64),
    /// More weeks of receptions than [`MAX_WEEK`].
    #[error("the weeks of receptions must be at most {MAX_WEEK}, not {0}")]
    BadWeeks(u32),
    /// Home CPAs cannot be drawn without CPAs.
    #[error("the data set has no CPAs: there is no home CPA to give a prisoner")]
    NoCpas,
    /// A prison with places has no published population to calibrate on.
    #[error(
        "{name} ({code}) has {capacity} places but no published population: \
         add its row to published_population.csv"
    )]
    MissingPopulation {
        code: PrisonCode,
        name: String,
        capacity: u32,
    },
    /// A prison with a published population holds no estate to give its prisoners.
    #[error("{name} ({code}) has a published population but holds no estate")]
    NoEstate { code: PrisonCode, name: String },
    /// A prison stands in a CPA the data set does not have.
    #[error("{name} ({code}) stands in CPA '{cpa}', which is not among the data set's CPAs")]
    UnknownCpa {
        code: PrisonCode,
        name: String,
        cpa: CpaId,
    },
    /// More prisoners than the id scheme can number.
    #[error("{0} prisoners are more than prisoner ids can number ({MAX_PRISONERS}): use a smaller scale")]
    TooMany(u64),
}

/// Generates a synthetic population snapshot on the calendar's start date and its forecast
/// receptions for `weeks` weeks, calibrated on the data set's published population.
///
/// Every prison with a published population holds exactly round(population × scale)
/// prisoners, each suitable for it (its estates and categories); remand and indeterminate
/// prisoners have no release date but an expected departure when it falls within
/// [`MAX_EXPECTED_RELEASE_WEEK`](crate::domain::MAX_EXPECTED_RELEASE_WEEK) weeks; custody
/// start ≤ arrival ≤ start ≤ release or expected departure. Receptions arrive at the reception
/// prisons (locals, women's locals, remand YOIs, juvenile establishments) in a steady state:
/// every week each estate receives the remand, indeterminate and determinate prisoners that
/// replace its stock's departures (see `receptions::Flow`), split among its reception prisons
/// by the number of that estate each holds. The same data and options give the same output.
pub fn generate(data: &Dataset, options: &GenerateOptions) -> Result<Synthetic, GenerateError> {
    if check_factor(options.scale, false).is_err() {
        return Err(GenerateError::BadScale(options.scale));
    }
    if options.weeks > MAX_WEEK {
        return Err(GenerateError::BadWeeks(options.weeks));
    }
    if data.cpas.is_empty() {
        return Err(GenerateError::NoCpas);
    }
    let profiles = profiles(data, options.scale)?;
    let homes = HomeAreas::new(data);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut departures = ChaCha8Rng::seed_from_u64(options.seed);
    departures.set_stream(1);
    let (prisoners, steady) =
        generate_prisoners(data, &profiles, &homes, options, &mut rng, &mut departures);
    let receptions = generate_receptions(data, &profiles, &homes, &steady, options, &mut rng);
    Ok(Synthetic {
        prisoners,
        receptions,
    })
}

/// One profile per prison with prisoners to generate, in file order.
fn profiles(data: &Dataset, scale: f64) -> Result<Vec<Profile>, GenerateError> {
    let mut profiles = Vec::new();
    let mut total: u64 = 0;
    for (position, prison) in data.prisons.iter().enumerate() {
        let Some(&population) = data.published_population.get(&prison.code) else {
            if prison.operational_capacity > 0 {
                return Err(GenerateError::MissingPopulation {
                    code: prison.code.clone(),
                    name: prison.name.clone(),
                    capacity: prison.operational_capacity,
                });
            }
            continue;
        };
        let count = (f64::from(population) * scale).round();
        if count < 1.0 {
            continue;
        }
        if count >= MAX_PRISONERS as f64 {
            return Err(GenerateError::TooMany(count as u64));
        }
        total += count as u64;
        if total > MAX_PRISONERS {
            return Err(GenerateError::TooMany(total));
        }
        profiles.push(Profile::new(data, position, count as u32)?);
    }
    Ok(profiles)
}

#[cfg(test)]
mod tests;
