//! Synthetic population: a population snapshot and forecast receptions calibrated on a data
//! set's published population, for demonstrations, tests and benchmarks.
//!
//! Each prison holds exactly round(published population × scale) prisoners. Their estate,
//! category, sentence, dates, home CPA and flags are drawn from shares that depend on the
//! prison's function; receptions arrive at the reception prisons at the rate the population
//! releases. Every share, and the figure or assumption behind it, is listed in
//! `data/README.md` ("Generator assumptions"); the constants below carry the same numbers.
//!
//! Deterministic for (data, options): one ChaCha8 stream seeded with the seed, prisons taken in
//! file order, ordered collections only.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::calendar::{Calendar, DAYS_PER_WEEK};
use crate::io::limits::{check_factor, MAX_FACTOR, MAX_WEEK};
use crate::model::{
    Category, CpaId, Dataset, Estate, Function, Prison, PrisonCode, Prisoner, PrisonerId,
    ReceptionCohort, Sentence,
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
    /// Forecast receptions sorted by (week, prison, home CPA, estate, category, release week),
    /// one cohort per distinct key.
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

/// Flows: the sentence mix of receptions (remand, indeterminate, then determinate by band).
const FLOW_REMAND: f64 = 0.15;
const FLOW_INDETERMINATE: f64 = 0.02;
const FLOW_BANDS: [f64; 3] = [0.55, 0.35, 0.10];
/// Weeks of releases whose mean sets the weekly receptions.
const RELEASE_WEEKS_MEASURED: i64 = 12;

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
    /// Determinate sentence bands (shortest and longest days) with their weights.
    bands: [((u32, u32), f64); 3],
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
            bands: band_weights(shares.bands),
            own_cpa,
            home_own: shares.home_own,
            home_neighbour: shares.home_neighbour,
            removal,
            role,
            takes_receptions: matches!(prison.function, Function::Local | Function::FemaleLocal)
                || remand_yoi,
        })
    }
}

/// The sentence bands weighted by `shares` (under 12 months, 1–4 years, 4 years or more).
fn band_weights(shares: [f64; 3]) -> [((u32, u32), f64); 3] {
    std::array::from_fn(|i| (BANDS[i], shares[i]))
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
    let categories = if sentence == Sentence::Remand {
        &profile.remand_categories
    } else {
        &profile.categories
    };
    let juvenile = matches!(estate, Estate::JuvenileMale | Estate::JuvenileFemale);
    let category = (!juvenile && !categories.is_empty()).then(|| pick(rng, categories));
    (estate, category)
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
}

fn draw_dates(
    rng: &mut ChaCha8Rng,
    profile: &Profile,
    sentence: Sentence,
    start: NaiveDate,
) -> Dates {
    // Days in custody so far, and (determinate only) days left.
    let (elapsed, remaining) = match sentence {
        Sentence::Remand => (rng.gen_range(0..REMAND_MAX_DAYS), None),
        Sentence::Indeterminate => {
            let (low, high) = indeterminate_days(profile.role);
            (rng.gen_range(low..high), None)
        }
        Sentence::Determinate => {
            let (low, high) = pick(rng, &profile.bands);
            // The stock is length-biased: sentences uniform within the band (flows are
            // log-uniform, see `draw_flow_sentence`).
            let custody = custody_days(rng.gen_range(low..high));
            let last_part = match profile.role {
                Role::Open => custody.min(OPEN_FINAL_DAYS),
                Role::Reception | Role::Training => custody,
            };
            let remaining = rng.gen_range(1..=last_part);
            (custody - remaining, Some(remaining))
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
    }
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
/// prisoners have no release date; custody start ≤ arrival ≤ start ≤ release. Receptions arrive
/// at the reception prisons (locals, women's locals, remand YOIs) in proportion to their
/// population, as many a week nationally as the population releases in a week on average over
/// its first 12 weeks. The same data and options give the same output.
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
    let prisoners = generate_prisoners(data, &profiles, &homes, options, &mut rng);
    let receptions = generate_receptions(data, &profiles, &homes, &prisoners, options, &mut rng);
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

fn generate_prisoners(
    data: &Dataset,
    profiles: &[Profile],
    homes: &HomeAreas,
    options: &GenerateOptions,
    rng: &mut ChaCha8Rng,
) -> Vec<Prisoner> {
    let start = options.calendar.start();
    let total: usize = profiles.iter().map(|p| p.count as usize).sum();
    let mut prisoners = Vec::with_capacity(total);
    for profile in profiles {
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
                do_not_move: rng.gen_bool(DO_NOT_MOVE),
                removal,
            });
        }
    }
    prisoners.sort_by(|a, b| a.id.cmp(&b.id));
    prisoners
}

/// Receptions a week nationally: the mean weekly releases of the population over its first
/// weeks (a steady state, receptions balancing releases).
fn weekly_receptions(prisoners: &[Prisoner], calendar: &Calendar) -> u64 {
    let released = prisoners
        .iter()
        .filter_map(|p| p.release_date)
        .filter(|&d| (0..RELEASE_WEEKS_MEASURED).contains(&calendar.week_of(d)))
        .count();
    (released as f64 / RELEASE_WEEKS_MEASURED as f64).round() as u64
}

/// What tells receptions of one week at one prison apart: home CPA (by position), estate,
/// category and release week.
type CohortKey = (Option<usize>, Estate, Option<Category>, Option<u32>);

fn generate_receptions(
    data: &Dataset,
    profiles: &[Profile],
    homes: &HomeAreas,
    prisoners: &[Prisoner],
    options: &GenerateOptions,
    rng: &mut ChaCha8Rng,
) -> Vec<ReceptionCohort> {
    let receiving: Vec<&Profile> = profiles.iter().filter(|p| p.takes_receptions).collect();
    let per_week = weekly_receptions(prisoners, &options.calendar);
    let mut cohorts = Vec::new();
    if receiving.is_empty() || per_week == 0 {
        return cohorts;
    }
    let weights: Vec<u64> = receiving.iter().map(|p| u64::from(p.count)).collect();
    for week in 0..options.weeks {
        let counts = systematic_split(per_week, &weights, rng);
        for (profile, count) in receiving.iter().zip(counts) {
            let mut alike: BTreeMap<CohortKey, u32> = BTreeMap::new();
            for _ in 0..count {
                let (sentence, release_week) = draw_flow_sentence(rng, week);
                let (estate, category) = draw_placement(rng, profile, sentence);
                let home = (!rng.gen_bool(UNKNOWN_HOME)).then(|| homes.draw(rng, profile));
                *alike
                    .entry((home, estate, category, release_week))
                    .or_default() += 1;
            }
            let prison = &data.prisons[profile.prison].code;
            cohorts.extend(alike.into_iter().map(
                |((home, estate, category, release_week), count)| ReceptionCohort {
                    week,
                    prison: prison.clone(),
                    home_cpa: home.map(|h| data.cpas[h].id.clone()),
                    estate,
                    category,
                    release_week,
                    count,
                },
            ));
        }
    }
    // Each (week, prison) was merged above; order by the full key.
    cohorts.sort();
    cohorts
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

/// A reception's sentence and release week, from the flow mix: sentence lengths log-uniform
/// within each band (short sentences dominate what the courts send).
fn draw_flow_sentence(rng: &mut ChaCha8Rng, week: u32) -> (Sentence, Option<u32>) {
    let u = rng.gen::<f64>();
    if u < FLOW_REMAND {
        return (Sentence::Remand, None);
    }
    if u < FLOW_REMAND + FLOW_INDETERMINATE {
        return (Sentence::Indeterminate, None);
    }
    let (low, high) = pick(rng, &band_weights(FLOW_BANDS));
    let (low, high) = (f64::from(low).ln(), f64::from(high).ln());
    let sentence = rng.gen_range(low..high).exp().round() as u32;
    let custody = u64::from(custody_days(sentence));
    let weeks = custody.div_ceil(DAYS_PER_WEEK as u64) as u32;
    (Sentence::Determinate, Some(week + weeks))
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
                Sentence::Determinate => assert!(p.release_date.unwrap() >= start, "{p:?}"),
                _ => assert_eq!(p.release_date, None, "{p:?}"),
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
    fn receptions_arrive_at_the_local_only_and_are_sorted_and_merged() {
        let data = tiny();
        let options = options(3);
        let synthetic = generate(&data, &options).unwrap();
        assert!(!synthetic.receptions.is_empty());
        let per_week = weekly_receptions(&synthetic.prisoners, &options.calendar);
        for week in 0..options.weeks {
            let total: u64 = synthetic
                .receptions
                .iter()
                .filter(|c| c.week == week)
                .map(|c| u64::from(c.count))
                .sum();
            assert_eq!(total, per_week, "week {week}");
        }
        for c in &synthetic.receptions {
            assert_eq!(c.prison.as_str(), "NLO");
            assert!(c.count > 0 && c.week < options.weeks);
            assert!(c.release_week.is_none_or(|r| r >= c.week));
            assert!(data.prison(&c.prison).unwrap().holds(c.estate, c.category));
        }
        let key = |c: &ReceptionCohort| {
            (
                c.week,
                c.prison.clone(),
                c.home_cpa.clone(),
                c.estate,
                c.category,
                c.release_week,
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
