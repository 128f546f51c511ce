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
//! constants below carry the same numbers.
//!
//! Deterministic for (data, options): ChaCha8 streams seeded with the seed (the stock's expected
//! departures on a stream of their own, so that they leave every other draw as it was), prisons
//! taken in file order, ordered collections only.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::calendar::{Calendar, DAYS_PER_WEEK};
use crate::io::limits::{check_factor, MAX_FACTOR, MAX_WEEK};
use crate::model::{
    Category, CpaId, Dataset, Estate, Function, Prison, PrisonCode, Prisoner, PrisonerId,
    ReceptionCohort, Sentence, MAX_EXPECTED_RELEASE_WEEK,
};

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

// ---------------------------------------------------------------------------------------------
// Shares and durations. Each is listed, with its basis, in data/README.md.
// ---------------------------------------------------------------------------------------------

/// Foreign-national-only prisons (Huntercombe, Maidstone), where most are liable to removal.
const FOREIGN_NATIONAL_PRISONS: &[&str] = &["HCI", "MSI"];
/// Young offender institutions that take remand prisoners from the courts (Brinsford, Feltham,
/// Glen Parva): reception prisons like the locals.
const REMAND_YOIS: &[&str] = &["BSI", "FMI", "GPI"];
/// Category B trainers with a small remand function (Dovegate, Isle of Wight).
const REMAND_TRAINERS: &[&str] = &["DGI", "IWI"];
/// Remand share of the stock at a Category B trainer with a remand function.
const REMAND_TRAINER_SHARE: f64 = 0.05;
/// Remand share of the stock at a YOI with a remand function.
const REMAND_YOI_SHARE: f64 = 0.25;

/// Liable to removal: share at the foreign-national prisons, and everywhere else (but the
/// juvenile estate, where none is).
const REMOVAL_FOREIGN_NATIONAL: f64 = 0.90;
const REMOVAL_ELSEWHERE: f64 = 0.04;
/// Share of the prisoners liable to removal whose home CPA is empty.
const REMOVAL_NO_HOME: f64 = 0.80;
/// Share of the other prisoners whose home CPA is not known.
const UNKNOWN_HOME: f64 = 0.01;
/// Share held for court, medical or programme reasons (never moved).
const DO_NOT_MOVE: f64 = 0.02;

/// Determinate sentence bands, in days of sentence: under 12 months (from 14 days), 12 months
/// to under 4 years, 4 to 12 years.
const BANDS: [(u32, u32); 3] = [(14, 365), (365, 1461), (1461, 4383)];
/// Open prisons hold the final two years of custody at most.
const OPEN_FINAL_DAYS: u32 = 730;
/// Time on remand so far: uniform below this many days (a mean of 3 months).
const REMAND_MAX_DAYS: u32 = 180;
/// Share of a reception prison's prisoners still where they were received from court.
const DIRECT_FROM_COURT: f64 = 0.85;
/// At a training prison, arrival after at least this many days elsewhere (when custody has
/// lasted that long).
const TRAINING_MIN_DAYS_ELSEWHERE: u32 = 28;
/// At an open prison, arrival within this many days before the start date.
const OPEN_MAX_DAYS_HELD: u32 = 540;

/// Time still to serve on remand, in days: exponential with this mean (10 weeks), whatever the
/// time already served (the stock) and from custody start (remand receptions).
const REMAND_MEAN_DAYS: f64 = 70.0;
/// Share of indeterminate prisoners released on parole in a year. Their time to release is
/// exponential; receptions, newly sentenced, serve their minimum term first and get none.
const INDETERMINATE_RELEASED_A_YEAR: f64 = 0.05;
/// Days in a year, for the indeterminate release rate.
const DAYS_PER_YEAR: f64 = 365.25;

/// Prisoner ids: a letter, four digits, two letters.
const MAX_PRISONERS: u64 = 26 * 10_000 * 26 * 26;

/// How a prison's prisoners came to be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Received from court (locals, remand YOIs, juveniles): mostly there since custody began.
    Reception,
    /// Transferred in after some time elsewhere.
    Training,
    /// Transferred in late, in the final part of custody.
    Open,
}

/// The stock shares of one prison function.
struct FunctionShares {
    /// Remand share (before the special cases of remand YOIs and trainers).
    remand: f64,
    indeterminate: f64,
    /// Determinate prisoners by band (under 12 months, 1–4 years, 4 years or more).
    bands: [f64; 3],
    /// Home CPA: the prison's own CPA, a neighbouring one; the rest anywhere.
    home_own: f64,
    home_neighbour: f64,
    /// Category weights A, B, C, D, applied to the categories the prison holds.
    categories: [f64; 4],
    role: Role,
}

/// The stock shares of each function (see data/README.md for their basis).
fn function_shares(function: Function) -> FunctionShares {
    use Role::*;
    let shares =
        |remand, indeterminate, bands, home: (f64, f64), categories, role| FunctionShares {
            remand,
            indeterminate,
            bands,
            home_own: home.0,
            home_neighbour: home.1,
            categories,
            role,
        };
    // Arguments: remand, indeterminate, determinate bands [under 12 months, 1–4 years, 4 years
    // or more], home (own CPA, neighbouring CPA; the rest anywhere), category weights
    // [A, B, C, D], role.
    match function {
        Function::Local => shares(
            0.27,
            0.02,
            [0.25, 0.50, 0.25],
            (0.80, 0.12),
            [0.0, 0.25, 0.70, 0.05],
            Reception,
        ),
        Function::FemaleLocal => shares(
            0.25,
            0.04,
            [0.35, 0.45, 0.20],
            (0.55, 0.30),
            [0.0, 0.15, 0.80, 0.05],
            Reception,
        ),
        Function::Juvenile => shares(
            0.20,
            0.01,
            [0.55, 0.40, 0.05],
            (0.80, 0.12),
            [0.0, 0.30, 0.70, 0.0],
            Reception,
        ),
        Function::Yoi => shares(
            0.0,
            0.05,
            [0.15, 0.50, 0.35],
            (0.50, 0.30),
            [0.0, 0.30, 0.70, 0.0],
            Training,
        ),
        Function::CatBTrainer => shares(
            0.0,
            0.35,
            [0.02, 0.23, 0.75],
            (0.40, 0.30),
            [0.0, 0.70, 0.20, 0.30],
            Training,
        ),
        Function::CatCTrainer | Function::Other => shares(
            0.0,
            0.10,
            [0.08, 0.50, 0.42],
            (0.50, 0.30),
            [0.0, 0.10, 0.90, 0.20],
            Training,
        ),
        Function::HighSecurity => shares(
            0.0,
            0.50,
            [0.0, 0.05, 0.95],
            (0.25, 0.25),
            [0.10, 0.88, 0.02, 0.0],
            Training,
        ),
        Function::FemaleClosed => shares(
            0.0,
            0.15,
            [0.10, 0.50, 0.40],
            (0.35, 0.35),
            [0.0, 0.10, 0.90, 0.0],
            Training,
        ),
        Function::Open => shares(
            0.0,
            0.10,
            [0.05, 0.45, 0.50],
            (0.50, 0.30),
            [0.0, 0.0, 0.0, 1.0],
            Open,
        ),
        Function::FemaleOpen => shares(
            0.0,
            0.10,
            [0.05, 0.55, 0.40],
            (0.35, 0.35),
            [0.0, 0.0, 0.0, 1.0],
            Open,
        ),
    }
}

/// The estate most of a prison of this function hold.
fn main_estate(function: Function) -> Estate {
    match function {
        Function::Yoi => Estate::YoungOffenderMale,
        Function::Juvenile => Estate::JuvenileMale,
        Function::FemaleLocal | Function::FemaleClosed | Function::FemaleOpen => {
            Estate::AdultFemale
        }
        _ => Estate::AdultMale,
    }
}

/// The share of an estate held besides the prison's main one (young offenders in an adult
/// local, boys in a YOI, the other sex at a mixed site).
fn secondary_estate_share(estate: Estate) -> f64 {
    match estate {
        Estate::YoungOffenderMale | Estate::YoungOffenderFemale => 0.10,
        Estate::JuvenileMale => 0.25,
        Estate::JuvenileFemale => 0.02,
        Estate::AdultMale | Estate::AdultFemale => 0.35,
    }
}

/// Indeterminate prisoners' time in custody so far, in days, by role: newly sentenced at a
/// reception prison (under a year), 1–15 years at a training prison, 5–20 years in open.
fn indeterminate_days(role: Role) -> (u32, u32) {
    match role {
        Role::Reception => (0, 365),
        Role::Training => (365, 5475),
        Role::Open => (1825, 7300),
    }
}

// ---------------------------------------------------------------------------------------------
// Per-prison profiles and the draws.
// ---------------------------------------------------------------------------------------------

/// Everything drawn for one prison, worked out once.
struct Profile {
    prison: usize,
    /// Prisoners to generate there.
    count: u32,
    estates: Vec<(Estate, f64)>,
    /// Categories held, weighted; empty when the prison has none.
    categories: Vec<(Category, f64)>,
    /// The same without D: remand prisoners are not in open conditions.
    remand_categories: Vec<(Category, f64)>,
    remand: f64,
    indeterminate: f64,
    /// Determinate sentence bands (index into `BANDS`) with their weights.
    bands: [(usize, f64); 3],
    own_cpa: usize,
    home_own: f64,
    home_neighbour: f64,
    removal: f64,
    role: Role,
    /// Whether forecast receptions from the courts arrive here.
    takes_receptions: bool,
}

impl Profile {
    fn new(data: &Dataset, position: usize, count: u32) -> Result<Profile, GenerateError> {
        let prison = &data.prisons[position];
        let code = prison.code.as_str();
        let shares = function_shares(prison.function);
        let remand_yoi = prison.function == Function::Yoi && REMAND_YOIS.contains(&code);
        let remand = if remand_yoi {
            REMAND_YOI_SHARE
        } else if prison.function == Function::CatBTrainer && REMAND_TRAINERS.contains(&code) {
            REMAND_TRAINER_SHARE
        } else {
            shares.remand
        };
        let role = if remand_yoi {
            Role::Reception
        } else {
            shares.role
        };
        let removal = if FOREIGN_NATIONAL_PRISONS.contains(&code) {
            REMOVAL_FOREIGN_NATIONAL
        } else if prison.function == Function::Juvenile {
            0.0
        } else {
            REMOVAL_ELSEWHERE
        };
        let own_cpa = data
            .cpa_position(&prison.cpa)
            .ok_or_else(|| GenerateError::UnknownCpa {
                code: prison.code.clone(),
                name: prison.name.clone(),
                cpa: prison.cpa.clone(),
            })?;
        let categories: Vec<(Category, f64)> = prison
            .categories
            .iter()
            .map(|&c| (c, shares.categories[category_index(c)]))
            .collect();
        let remand_categories = match categories
            .iter()
            .filter(|(c, _)| *c != Category::D)
            .copied()
            .collect::<Vec<_>>()
        {
            open_only if open_only.is_empty() => categories.clone(),
            closed => closed,
        };
        Ok(Profile {
            prison: position,
            count,
            estates: estate_weights(prison)?,
            categories,
            remand_categories,
            remand,
            indeterminate: shares.indeterminate,
            bands: std::array::from_fn(|i| (i, shares.bands[i])),
            own_cpa,
            home_own: shares.home_own,
            home_neighbour: shares.home_neighbour,
            removal,
            role,
            takes_receptions: matches!(
                prison.function,
                Function::Local | Function::FemaleLocal | Function::Juvenile
            ) || remand_yoi,
        })
    }
}

fn category_index(category: Category) -> usize {
    match category {
        Category::A => 0,
        Category::B => 1,
        Category::C => 2,
        Category::D => 3,
    }
}

/// The prison's estates, weighted: the main estate of its function (or, when it does not hold
/// that, the first listed) takes what the secondary estates leave, and at least 40%.
fn estate_weights(prison: &Prison) -> Result<Vec<(Estate, f64)>, GenerateError> {
    let main = main_estate(prison.function);
    let main = if prison.estates.contains(&main) {
        main
    } else {
        *prison
            .estates
            .first()
            .ok_or_else(|| GenerateError::NoEstate {
                code: prison.code.clone(),
                name: prison.name.clone(),
            })?
    };
    let secondary: f64 = prison
        .estates
        .iter()
        .filter(|&&e| e != main)
        .map(|&e| secondary_estate_share(e))
        .sum();
    Ok(prison
        .estates
        .iter()
        .map(|&e| {
            let weight = if e == main {
                (1.0 - secondary).max(0.4)
            } else {
                secondary_estate_share(e)
            };
            (e, weight)
        })
        .collect())
}

/// One item drawn with probability proportional to its weight (uniformly when no weight is
/// positive). `items` must not be empty.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, f64)]) -> T {
    let total: f64 = items.iter().map(|(_, w)| w.max(0.0)).sum();
    if total <= 0.0 {
        return items[rng.gen_range(0..items.len())].0;
    }
    let mut left = rng.gen::<f64>() * total;
    let mut last = items[0].0;
    for &(item, weight) in items {
        if weight > 0.0 {
            if left < weight {
                return item;
            }
            left -= weight;
            last = item;
        }
    }
    last
}

/// Where home CPAs are drawn from: each CPA's neighbours and the whole country, weighted by
/// the published population of the prisons standing in each CPA.
struct HomeAreas {
    everywhere: Vec<(usize, f64)>,
    neighbours: Vec<Vec<(usize, f64)>>,
}

impl HomeAreas {
    fn new(data: &Dataset) -> HomeAreas {
        let mut weight = vec![0.0; data.cpas.len()];
        for prison in &data.prisons {
            if let (Some(cpa), Some(&population)) = (
                data.cpa_position(&prison.cpa),
                data.published_population.get(&prison.code),
            ) {
                weight[cpa] += f64::from(population);
            }
        }
        let neighbours = data
            .cpas
            .iter()
            .map(|cpa| {
                cpa.neighbours
                    .iter()
                    .filter_map(|n| data.cpa_position(n))
                    .map(|n| (n, weight[n]))
                    .collect()
            })
            .collect();
        HomeAreas {
            everywhere: weight.into_iter().enumerate().collect(),
            neighbours,
        }
    }

    /// A home CPA for someone held at (or received into) the profile's prison.
    fn draw(&self, rng: &mut ChaCha8Rng, profile: &Profile) -> usize {
        let u = rng.gen::<f64>();
        let neighbours = &self.neighbours[profile.own_cpa];
        if u < profile.home_own {
            profile.own_cpa
        } else if u < profile.home_own + profile.home_neighbour && !neighbours.is_empty() {
            pick(rng, neighbours)
        } else {
            pick(rng, &self.everywhere)
        }
    }
}

/// Estate and category for someone at the profile's prison (juveniles are uncategorised).
fn draw_placement(
    rng: &mut ChaCha8Rng,
    profile: &Profile,
    sentence: Sentence,
) -> (Estate, Option<Category>) {
    let estate = pick(rng, &profile.estates);
    (estate, draw_category(rng, profile, estate, sentence))
}

/// A category for someone of `estate` at the profile's prison (juveniles are uncategorised).
fn draw_category(
    rng: &mut ChaCha8Rng,
    profile: &Profile,
    estate: Estate,
    sentence: Sentence,
) -> Option<Category> {
    let categories = if sentence == Sentence::Remand {
        &profile.remand_categories
    } else {
        &profile.categories
    };
    let juvenile = matches!(estate, Estate::JuvenileMale | Estate::JuvenileFemale);
    (!juvenile && !categories.is_empty()).then(|| pick(rng, categories))
}

/// Days of custody (half the sentence: automatic release at the halfway point) of a sentence
/// of `days`.
fn custody_days(days: u32) -> u32 {
    days.div_ceil(2)
}

/// Custody start, arrival and release of one prisoner of the stock.
struct Dates {
    custody_start: NaiveDate,
    arrived: NaiveDate,
    release_date: Option<NaiveDate>,
    /// Determinate only: the sentence band (index into `BANDS`) and the days over which his
    /// days left were drawn (his custody, or its final part in open conditions).
    spread: Option<(usize, u32)>,
}

fn draw_dates(
    rng: &mut ChaCha8Rng,
    profile: &Profile,
    sentence: Sentence,
    start: NaiveDate,
) -> Dates {
    // Days in custody so far, and (determinate only) days left, band and spread.
    let (elapsed, remaining, spread) = match sentence {
        Sentence::Remand => (rng.gen_range(0..REMAND_MAX_DAYS), None, None),
        Sentence::Indeterminate => {
            let (low, high) = indeterminate_days(profile.role);
            (rng.gen_range(low..high), None, None)
        }
        Sentence::Determinate => {
            let band = pick(rng, &profile.bands);
            let (low, high) = BANDS[band];
            // The stock is length-biased: sentences uniform within the band (flows are
            // log-uniform, see `draw_arrival`).
            let custody = custody_days(rng.gen_range(low..high));
            let last_part = match profile.role {
                Role::Open => custody.min(OPEN_FINAL_DAYS),
                Role::Reception | Role::Training => custody,
            };
            let remaining = rng.gen_range(1..=last_part);
            (
                custody - remaining,
                Some(remaining),
                Some((band, last_part)),
            )
        }
    };
    let custody_start = start - days(elapsed);
    let arrived = match profile.role {
        Role::Reception if rng.gen_bool(DIRECT_FROM_COURT) => custody_start,
        Role::Reception => custody_start + days(rng.gen_range(0..=elapsed)),
        Role::Training => {
            let earliest = elapsed.min(TRAINING_MIN_DAYS_ELSEWHERE);
            custody_start + days(rng.gen_range(earliest..=elapsed))
        }
        Role::Open => start - days(rng.gen_range(0..=elapsed.min(OPEN_MAX_DAYS_HELD))),
    };
    Dates {
        custody_start,
        arrived,
        release_date: remaining.map(|r| start + days(r)),
        spread,
    }
}

/// A remand prisoner's time still to serve on remand, in whole days (exponential, mean
/// [`REMAND_MEAN_DAYS`]).
fn remand_days_left(rng: &mut ChaCha8Rng) -> u64 {
    exponential_days(rng, REMAND_MEAN_DAYS)
}

/// The mean days to release of an indeterminate prisoner: exponential at the yearly rate
/// [`INDETERMINATE_RELEASED_A_YEAR`].
fn indeterminate_mean_days() -> f64 {
    DAYS_PER_YEAR / -(1.0 - INDETERMINATE_RELEASED_A_YEAR).ln()
}

/// Whole days drawn from the exponential distribution with this mean (by inversion).
fn exponential_days(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    let u: f64 = rng.gen();
    (-mean * (1.0 - u).ln()).floor() as u64
}

/// The expected departure of a remand or indeterminate prisoner of the stock: the start date
/// plus his days still to serve, or `None` when that falls after week
/// [`MAX_EXPECTED_RELEASE_WEEK`] (the same, for any plan, as staying).
fn stock_departure(
    rng: &mut ChaCha8Rng,
    sentence: Sentence,
    start: NaiveDate,
) -> Option<NaiveDate> {
    let left = match sentence {
        Sentence::Remand => remand_days_left(rng),
        Sentence::Indeterminate => exponential_days(rng, indeterminate_mean_days()),
        Sentence::Determinate => return None,
    };
    (left / DAYS_PER_WEEK as u64 <= u64::from(MAX_EXPECTED_RELEASE_WEEK))
        .then(|| start + Duration::days(left as i64))
}

fn days(n: u32) -> Duration {
    Duration::days(i64::from(n))
}

/// A sentence drawn from the profile's stock mix.
fn draw_stock_sentence(rng: &mut ChaCha8Rng, profile: &Profile) -> Sentence {
    let u = rng.gen::<f64>();
    if u < profile.remand {
        Sentence::Remand
    } else if u < profile.remand + profile.indeterminate {
        Sentence::Indeterminate
    } else {
        Sentence::Determinate
    }
}

/// The NOMIS-number-like id of the `n`th prisoner generated: a letter, four digits and two
/// letters (`A0000AA`, then `A0001AA`, …, `A9999AA`, `A0000AB`, …).
fn prisoner_id(n: u64) -> PrisonerId {
    let letter = |i: u64| char::from(b'A' + u8::try_from(i % 26).expect("below 26"));
    let digits = n % 10_000;
    let letters = n / 10_000;
    PrisonerId(format!(
        "{}{digits:04}{}{}",
        letter(letters / 676),
        letter(letters / 26),
        letter(letters)
    ))
}

// ---------------------------------------------------------------------------------------------
// The generator.
// ---------------------------------------------------------------------------------------------

/// Generates a synthetic population snapshot on the calendar's start date and its forecast
/// receptions for `weeks` weeks, calibrated on the data set's published population.
///
/// Every prison with a published population holds exactly round(population × scale)
/// prisoners, each suitable for it (its estates and categories); remand and indeterminate
/// prisoners have no release date but an expected departure when it falls within
/// [`MAX_EXPECTED_RELEASE_WEEK`] weeks; custody start ≤ arrival ≤ start ≤ release or expected
/// departure. Receptions arrive at the reception prisons (locals, women's locals, remand YOIs,
/// juvenile establishments) in a steady state: every week each estate receives the remand,
/// indeterminate and determinate prisoners that replace its stock's departures (see [`Flow`]),
/// split among its reception prisons by the number of that estate each holds. The same data
/// and options give the same output.
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

/// The weekly receptions of one estate that replace its stock's departures, so that it stays
/// level (a steady state), by the kind of sentence they arrive with.
#[derive(Debug, Clone, Copy, Default)]
struct Flow {
    remand: f64,
    indeterminate: f64,
    /// Determinate receptions by sentence band (index into `BANDS`).
    bands: [f64; 3],
}

impl Flow {
    /// Adds the receptions a week that replace one prisoner of the stock (receptions arrive
    /// on a day of their week drawn at random, see `draw_arrival`).
    ///
    /// Remand: he is still held in week t with probability q^t, q = e^(−7/mean); a remand
    /// reception j ≥ 1 weeks after its arrival week with probability c·q^j, c the mean of
    /// e^(day/mean) over the days of the week. R·(1 − q)/(c·q) arrivals a week keep R·q^t plus
    /// the arrivals still held level at R plus a week's arrivals. Indeterminate: the same q, but
    /// receptions stay, so I·(1 − q) a week. Determinate: his release week is uniform over his
    /// spread of s days, s/7 weeks, so one arrival a week for each s/7 such prisoners; a stock
    /// uniform within a band is the snapshot of receptions log-uniform within it, as
    /// `draw_arrival` draws them.
    fn add(&mut self, sentence: Sentence, spread: Option<(usize, u32)>) {
        let q = |mean_days: f64| (-(DAYS_PER_WEEK as f64) / mean_days).exp();
        match (sentence, spread) {
            (Sentence::Remand, _) => {
                let c = (0..DAYS_PER_WEEK)
                    .map(|day| (day as f64 / REMAND_MEAN_DAYS).exp())
                    .sum::<f64>()
                    / DAYS_PER_WEEK as f64;
                let q = q(REMAND_MEAN_DAYS);
                self.remand += (1.0 - q) / (c * q);
            }
            (Sentence::Indeterminate, _) => {
                self.indeterminate += 1.0 - q(indeterminate_mean_days());
            }
            (Sentence::Determinate, Some((band, days))) => {
                self.bands[band] += DAYS_PER_WEEK as f64 / f64::from(days);
            }
            (Sentence::Determinate, None) => {}
        }
    }

    fn total(&self) -> f64 {
        self.remand + self.indeterminate + self.bands.iter().sum::<f64>()
    }
}

/// What the receptions are calibrated on: the stock, summed up.
#[derive(Debug, Default)]
struct Steady {
    /// Per estate, the weekly receptions that keep it level.
    flows: BTreeMap<Estate, Flow>,
    /// Prisoners of each estate held at each profile's prison (by position in the profiles).
    held: BTreeMap<(Estate, usize), u32>,
}

/// The stock, sorted by id, and its steady state; `departures` draws the expected departures.
fn generate_prisoners(
    data: &Dataset,
    profiles: &[Profile],
    homes: &HomeAreas,
    options: &GenerateOptions,
    rng: &mut ChaCha8Rng,
    departures: &mut ChaCha8Rng,
) -> (Vec<Prisoner>, Steady) {
    let start = options.calendar.start();
    let total: usize = profiles.iter().map(|p| p.count as usize).sum();
    let mut prisoners = Vec::with_capacity(total);
    let mut steady = Steady::default();
    for (position, profile) in profiles.iter().enumerate() {
        let code = &data.prisons[profile.prison].code;
        for _ in 0..profile.count {
            let sentence = draw_stock_sentence(rng, profile);
            let (estate, category) = draw_placement(rng, profile, sentence);
            let dates = draw_dates(rng, profile, sentence, start);
            let removal = rng.gen_bool(profile.removal);
            let home_known = if removal {
                !rng.gen_bool(REMOVAL_NO_HOME)
            } else {
                !rng.gen_bool(UNKNOWN_HOME)
            };
            let home_cpa = home_known.then(|| data.cpas[homes.draw(rng, profile)].id.clone());
            steady
                .flows
                .entry(estate)
                .or_default()
                .add(sentence, dates.spread);
            *steady.held.entry((estate, position)).or_default() += 1;
            prisoners.push(Prisoner {
                id: prisoner_id(prisoners.len() as u64),
                prison: code.clone(),
                home_cpa,
                estate,
                category,
                sentence,
                custody_start: dates.custody_start,
                arrived: dates.arrived,
                release_date: dates.release_date,
                expected_release: stock_departure(departures, sentence, start),
                do_not_move: rng.gen_bool(DO_NOT_MOVE),
                removal,
            });
        }
    }
    prisoners.sort_by(|a, b| a.id.cmp(&b.id));
    (prisoners, steady)
}

/// What tells receptions of one week apart: prison (by position in the profiles), home CPA
/// (by position), estate, category, release week and expected departure week.
type CohortKey = (
    usize,
    Option<usize>,
    Estate,
    Option<Category>,
    Option<u32>,
    Option<u32>,
);

fn generate_receptions(
    data: &Dataset,
    profiles: &[Profile],
    homes: &HomeAreas,
    steady: &Steady,
    options: &GenerateOptions,
    rng: &mut ChaCha8Rng,
) -> Vec<ReceptionCohort> {
    // Per estate: its flow and its reception prisons, weighted by how many of it they hold.
    let estates: Vec<(Estate, &Flow, Vec<usize>, Vec<u64>)> = steady
        .flows
        .iter()
        .filter_map(|(&estate, flow)| {
            let (receiving, weights): (Vec<usize>, Vec<u64>) = (0..profiles.len())
                .filter(|&i| profiles[i].takes_receptions)
                .filter_map(|i| steady.held.get(&(estate, i)).map(|&n| (i, u64::from(n))))
                .unzip();
            (!receiving.is_empty()).then_some((estate, flow, receiving, weights))
        })
        .collect();
    let mut cohorts = Vec::new();
    for week in 0..options.weeks {
        let mut alike: BTreeMap<CohortKey, u32> = BTreeMap::new();
        for (estate, flow, receiving, weights) in &estates {
            let arriving = arrivals(flow.total(), week);
            if arriving == 0 {
                continue;
            }
            let counts = systematic_split(arriving, weights, rng);
            for (&position, count) in receiving.iter().zip(counts) {
                let profile = &profiles[position];
                for _ in 0..count {
                    let (sentence, release_week, expected_week) = draw_arrival(rng, flow, week);
                    let category = draw_category(rng, profile, *estate, sentence);
                    let home = (!rng.gen_bool(UNKNOWN_HOME)).then(|| homes.draw(rng, profile));
                    *alike
                        .entry((
                            position,
                            home,
                            *estate,
                            category,
                            release_week,
                            expected_week,
                        ))
                        .or_default() += 1;
                }
            }
        }
        cohorts.extend(alike.into_iter().map(
            |((position, home, estate, category, release_week, expected_release_week), count)| {
                ReceptionCohort {
                    week,
                    prison: data.prisons[profiles[position].prison].code.clone(),
                    home_cpa: home.map(|h| data.cpas[h].id.clone()),
                    estate,
                    category,
                    release_week,
                    expected_release_week,
                    count,
                }
            },
        ));
    }
    // Each week was merged above; order by the full key.
    cohorts.sort();
    cohorts
}

/// Whole arrivals in `week` at `rate` a week: the rounded running total's step, so that any
/// run of weeks receives its rate to within one.
fn arrivals(rate: f64, week: u32) -> u64 {
    let by = |weeks: u32| (rate * f64::from(weeks)).round() as u64;
    by(week + 1) - by(week)
}

/// Splits `total` into whole counts proportional to `weights` (which must not all be 0) by
/// systematic sampling: `total` points evenly spaced on the line of the weights, from a random
/// start. Counts sum to `total` exactly, each is its share rounded down or up, and its
/// expectation is its share.
fn systematic_split(total: u64, weights: &[u64], rng: &mut ChaCha8Rng) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    // In units of 1/total: weight i covers [from·total, to·total); point j sits at
    // offset + j·sum. Points below x: ceil((x − offset) / sum).
    let offset = rng.gen_range(0..sum);
    let below = |x: u64| (x * total).saturating_sub(offset).div_ceil(sum);
    let mut from = 0;
    weights
        .iter()
        .map(|&w| {
            let count = below(from + w) - below(from);
            from += w;
            count
        })
        .collect()
}

/// The kind of sentence a reception arrives with.
#[derive(Debug, Clone, Copy)]
enum Arrival {
    Remand,
    Indeterminate,
    /// Determinate, in this band (index into `BANDS`).
    Determinate(usize),
}

/// A reception's sentence, release week and expected departure week, drawn from its estate's
/// flow. Custody starts on a day of the arrival week drawn at random (courts sit every day);
/// remand receptions leave after an exponential time; indeterminate ones serve their minimum
/// term first and get no departure; determinate sentences are log-uniform within their band
/// (short sentences dominate what the courts send) and released after half. Departure weeks
/// are floor((custody start + days held − S) / 7).
fn draw_arrival(
    rng: &mut ChaCha8Rng,
    flow: &Flow,
    week: u32,
) -> (Sentence, Option<u32>, Option<u32>) {
    let weeks_from = |day: u64, held: u64| {
        week.saturating_add(u32::try_from((day + held) / DAYS_PER_WEEK as u64).unwrap_or(u32::MAX))
    };
    let kinds = [
        (Arrival::Remand, flow.remand),
        (Arrival::Indeterminate, flow.indeterminate),
        (Arrival::Determinate(0), flow.bands[0]),
        (Arrival::Determinate(1), flow.bands[1]),
        (Arrival::Determinate(2), flow.bands[2]),
    ];
    match pick(rng, &kinds) {
        Arrival::Remand => {
            let day = rng.gen_range(0..DAYS_PER_WEEK as u64);
            let leaves = weeks_from(day, remand_days_left(rng));
            let expected = (leaves <= MAX_EXPECTED_RELEASE_WEEK).then_some(leaves);
            (Sentence::Remand, None, expected)
        }
        Arrival::Indeterminate => (Sentence::Indeterminate, None, None),
        Arrival::Determinate(band) => {
            let (low, high) = BANDS[band];
            let (low, high) = (f64::from(low).ln(), f64::from(high).ln());
            let sentence = rng.gen_range(low..high).exp().round() as u32;
            let day = rng.gen_range(0..DAYS_PER_WEEK as u64);
            let released = weeks_from(day, u64::from(custody_days(sentence)));
            (Sentence::Determinate, Some(released), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cpa, Designation, DesignationSource, Operator};

    fn prison(
        code: &str,
        cpa: &str,
        function: Function,
        estates: &[Estate],
        categories: &[Category],
    ) -> Prison {
        Prison {
            code: code.into(),
            name: format!("Prison {code}"),
            cpa: cpa.into(),
            function,
            estates: estates.to_vec(),
            categories: categories.to_vec(),
            operator: Operator::Public,
            operational_capacity: 500,
            cna: 450,
            location: None,
        }
    }

    fn cpa(id: &str, number: u32, neighbours: &[&str]) -> Cpa {
        Cpa {
            id: id.into(),
            number,
            name: id.to_uppercase(),
            neighbours: neighbours.iter().map(|&n| n.into()).collect(),
        }
    }

    /// A local holding young offenders, a Cat C trainer, an open prison and a juvenile YOI.
    fn tiny() -> Dataset {
        use Category::*;
        let prisons = vec![
            prison(
                "NLO",
                "north",
                Function::Local,
                &[Estate::AdultMale, Estate::YoungOffenderMale],
                &[B, C],
            ),
            prison(
                "CTR",
                "south",
                Function::CatCTrainer,
                &[Estate::AdultMale],
                &[C],
            ),
            prison("SOP", "south", Function::Open, &[Estate::AdultMale], &[D]),
            prison(
                "JUV",
                "north",
                Function::Juvenile,
                &[Estate::JuvenileMale],
                &[],
            ),
        ];
        let population = [("NLO", 400), ("CTR", 300), ("SOP", 150), ("JUV", 40)]
            .into_iter()
            .map(|(code, n)| (PrisonCode::from(code), n))
            .collect();
        Dataset::new(
            vec![cpa("north", 1, &["south"]), cpa("south", 2, &["north"])],
            prisons,
            vec![Designation {
                prison: "NLO".into(),
                cpa: "north".into(),
                source: DesignationSource::Rule,
            }],
            population,
        )
    }

    fn options(seed: u64) -> GenerateOptions {
        GenerateOptions {
            seed,
            scale: 1.0,
            calendar: Calendar::new(NaiveDate::from_ymd_opt(2014, 9, 1).unwrap()).unwrap(),
            weeks: 8,
        }
    }

    #[test]
    fn every_prison_holds_its_published_population_times_the_scale() {
        let data = tiny();
        for (scale, expected) in [(1.0, [400, 300, 150, 40]), (0.25, [100, 75, 38, 10])] {
            let synthetic = generate(
                &data,
                &GenerateOptions {
                    scale,
                    ..options(1)
                },
            )
            .unwrap();
            let mut held: BTreeMap<&str, u32> = BTreeMap::new();
            for p in &synthetic.prisoners {
                *held.entry(p.prison.as_str()).or_default() += 1;
            }
            for (code, n) in ["NLO", "CTR", "SOP", "JUV"].iter().zip(expected) {
                assert_eq!(held[code], n, "{code} at scale {scale}");
            }
        }
    }

    #[test]
    fn every_prisoner_suits_his_prison_and_his_dates_are_in_order() {
        let data = tiny();
        let options = options(2);
        let start = options.calendar.start();
        let synthetic = generate(&data, &options).unwrap();
        for p in &synthetic.prisoners {
            let prison = data.prison(&p.prison).unwrap();
            assert!(prison.holds(p.estate, p.category), "{p:?}");
            assert_eq!(p.category.is_none(), prison.categories.is_empty(), "{p:?}");
            assert!(p.custody_start <= p.arrived && p.arrived <= start, "{p:?}");
            match p.sentence {
                Sentence::Determinate => {
                    assert!(p.release_date.unwrap() >= start, "{p:?}");
                    assert_eq!(p.expected_release, None, "{p:?}");
                }
                Sentence::Remand => {
                    assert_eq!(p.release_date, None, "{p:?}");
                    assert!(p.expected_release.unwrap() >= start, "{p:?}");
                }
                Sentence::Indeterminate => {
                    assert_eq!(p.release_date, None, "{p:?}");
                    let latest = options
                        .calendar
                        .first_day(i64::from(MAX_EXPECTED_RELEASE_WEEK) + 1);
                    assert!(
                        p.expected_release.is_none_or(|d| start <= d && d < latest),
                        "{p:?}"
                    );
                }
            }
            if p.prison.as_str() == "SOP" {
                assert_ne!(p.sentence, Sentence::Remand, "no remand in open conditions");
            }
        }
        let ids: Vec<&str> = synthetic.prisoners.iter().map(|p| p.id.as_str()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
        assert!(ids.iter().all(|id| id.len() == 7));
    }

    #[test]
    fn receptions_arrive_at_the_reception_prisons_only_and_are_sorted_and_merged() {
        let data = tiny();
        let options = options(3);
        let synthetic = generate(&data, &options).unwrap();
        let mut at: BTreeMap<&str, u32> = BTreeMap::new();
        for c in &synthetic.receptions {
            *at.entry(c.prison.as_str()).or_default() += c.count;
            assert!(c.count > 0 && c.week < options.weeks);
            assert!(c.release_week.is_none_or(|r| r >= c.week));
            assert!(c.expected_release_week.is_none_or(|r| {
                c.release_week.is_none() && c.week <= r && r <= MAX_EXPECTED_RELEASE_WEEK
            }));
            assert!(data.prison(&c.prison).unwrap().holds(c.estate, c.category));
        }
        let places: Vec<&str> = at.keys().copied().collect();
        assert_eq!(
            places,
            ["JUV", "NLO"],
            "the local and the juvenile establishment"
        );
        let key = |c: &ReceptionCohort| {
            (
                c.week,
                c.prison.clone(),
                c.home_cpa.clone(),
                c.estate,
                c.category,
                c.release_week,
                c.expected_release_week,
            )
        };
        assert!(synthetic
            .receptions
            .windows(2)
            .all(|w| key(&w[0]) < key(&w[1])));
    }

    #[test]
    fn the_same_seed_gives_the_same_output_and_another_seed_another() {
        let data = tiny();
        let first = generate(&data, &options(11)).unwrap();
        assert_eq!(first, generate(&data, &options(11)).unwrap());
        let other = generate(&data, &options(12)).unwrap();
        assert_ne!(first.prisoners, other.prisoners);
        assert_ne!(first.receptions, other.receptions);
    }

    #[test]
    fn bad_options_and_incomplete_data_are_refused() {
        let data = tiny();
        for scale in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let err = generate(
                &data,
                &GenerateOptions {
                    scale,
                    ..options(1)
                },
            )
            .err();
            assert!(matches!(err, Some(GenerateError::BadScale(_))), "{scale}");
        }
        let mut population = data.published_population.clone();
        population.remove(&PrisonCode::from("CTR"));
        let missing = Dataset::new(
            data.cpas.clone(),
            data.prisons.clone(),
            data.designations.clone(),
            population,
        );
        let err = generate(&missing, &options(1)).err().unwrap();
        assert!(err.to_string().contains("Prison CTR (CTR)"), "{err}");
        let no_cpas = Dataset::new(
            vec![],
            data.prisons.clone(),
            vec![],
            data.published_population.clone(),
        );
        assert!(matches!(
            generate(&no_cpas, &options(1)),
            Err(GenerateError::NoCpas)
        ));
    }

    #[test]
    fn each_estate_receives_what_its_stock_implies_every_week() {
        let data = tiny();
        let options = GenerateOptions {
            scale: 4.0,
            ..options(4)
        };
        let profiles = profiles(&data, options.scale).unwrap();
        let homes = HomeAreas::new(&data);
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let mut departures = ChaCha8Rng::seed_from_u64(4);
        let (_, steady) = generate_prisoners(
            &data,
            &profiles,
            &homes,
            &options,
            &mut rng,
            &mut departures,
        );
        let receptions = generate_receptions(&data, &profiles, &homes, &steady, &options, &mut rng);
        for (estate, flow) in &steady.flows {
            for week in 0..options.weeks {
                let arrived: u64 = receptions
                    .iter()
                    .filter(|c| c.week == week && c.estate == *estate)
                    .map(|c| u64::from(c.count))
                    .sum();
                assert!(
                    (arrived as f64 - flow.total()).abs() < 1.0,
                    "{estate} week {week}: {arrived} arrived at {} a week",
                    flow.total()
                );
            }
        }
        // Young offenders arrive at the local, whose stock they are part of.
        assert!(steady.flows[&Estate::YoungOffenderMale].total() > 1.0);
    }

    #[test]
    fn departures_follow_their_means() {
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let n = 100_000;
        let mean = (0..n).map(|_| remand_days_left(&mut rng)).sum::<u64>() as f64 / n as f64;
        // Whole days: the mean of the floor is about half a day below the mean.
        assert!((mean - (REMAND_MEAN_DAYS - 0.5)).abs() < 1.0, "{mean}");
        let start = NaiveDate::from_ymd_opt(2014, 9, 1).unwrap();
        let within_a_year = (0..n)
            .filter(|_| {
                stock_departure(&mut rng, Sentence::Indeterminate, start)
                    .is_some_and(|d| (d - start).num_days() < 365)
            })
            .count() as f64
            / n as f64;
        assert!(
            (within_a_year - INDETERMINATE_RELEASED_A_YEAR).abs() < 0.005,
            "{within_a_year}"
        );
        assert_eq!(
            stock_departure(&mut rng, Sentence::Determinate, start),
            None
        );
    }

    #[test]
    fn systematic_split_is_exact_and_proportional_over_weeks() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let weights = [1, 30, 7, 0, 62];
        let mut totals = [0; 5];
        for _ in 0..1000 {
            let counts = systematic_split(13, &weights, &mut rng);
            assert_eq!(counts.iter().sum::<u64>(), 13);
            for (i, c) in counts.iter().enumerate() {
                let share = 13.0 * weights[i] as f64 / 100.0;
                assert!((*c as f64 - share).abs() < 1.0, "{c} vs {share}");
                totals[i] += c;
            }
        }
        assert_eq!(totals[3], 0);
        assert!((totals[0] as f64 - 130.0).abs() < 40.0, "{totals:?}");
        assert!((totals[4] as f64 - 8060.0).abs() < 40.0, "{totals:?}");
    }

    #[test]
    fn prisoner_ids_look_like_nomis_numbers() {
        assert_eq!(prisoner_id(0).as_str(), "A0000AA");
        assert_eq!(prisoner_id(1).as_str(), "A0001AA");
        assert_eq!(prisoner_id(10_000).as_str(), "A0000AB");
        assert_eq!(prisoner_id(MAX_PRISONERS - 1).as_str(), "Z9999ZZ");
    }
}
