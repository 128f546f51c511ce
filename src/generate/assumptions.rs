//! Shares and durations the generator draws from. Each is listed, with its basis, in
//! data/README.md ("Generator assumptions").

use crate::domain::{Estate, Function};

/// Foreign-national-only prisons (Huntercombe, Maidstone), where most are liable to removal.
pub(super) const FOREIGN_NATIONAL_PRISONS: &[&str] = &["HCI", "MSI"];
/// Young offender institutions that take remand prisoners from the courts (Brinsford, Feltham,
/// Glen Parva): reception prisons like the locals.
pub(super) const REMAND_YOIS: &[&str] = &["BSI", "FMI", "GPI"];
/// Category B trainers with a small remand function (Dovegate, Isle of Wight).
pub(super) const REMAND_TRAINERS: &[&str] = &["DGI", "IWI"];
/// Remand share of the stock at a Category B trainer with a remand function.
pub(super) const REMAND_TRAINER_SHARE: f64 = 0.05;
/// Remand share of the stock at a YOI with a remand function.
pub(super) const REMAND_YOI_SHARE: f64 = 0.25;

/// Liable to removal: share at the foreign-national prisons, and everywhere else (but the
/// juvenile estate, where none is).
pub(super) const REMOVAL_FOREIGN_NATIONAL: f64 = 0.90;
pub(super) const REMOVAL_ELSEWHERE: f64 = 0.04;
/// Share of the prisoners liable to removal whose home CPA is empty.
pub(super) const REMOVAL_NO_HOME: f64 = 0.80;
/// Share of the other prisoners whose home CPA is not known.
pub(super) const UNKNOWN_HOME: f64 = 0.01;
/// Share held for court, medical or programme reasons (never moved).
pub(super) const DO_NOT_MOVE: f64 = 0.02;

/// Determinate sentence bands, in days of sentence: under 12 months (from 14 days), 12 months
/// to under 4 years, 4 to 12 years.
pub(super) const BANDS: [(u32, u32); 3] = [(14, 365), (365, 1461), (1461, 4383)];
/// Open prisons hold the final two years of custody at most.
pub(super) const OPEN_FINAL_DAYS: u32 = 730;
/// Time on remand so far: uniform below this many days (a mean of 3 months).
pub(super) const REMAND_MAX_DAYS: u32 = 180;
/// Share of a reception prison's prisoners still where they were received from court.
pub(super) const DIRECT_FROM_COURT: f64 = 0.85;
/// At a training prison, arrival after at least this many days elsewhere (when custody has
/// lasted that long).
pub(super) const TRAINING_MIN_DAYS_ELSEWHERE: u32 = 28;
/// At an open prison, arrival within this many days before the start date.
pub(super) const OPEN_MAX_DAYS_HELD: u32 = 540;

/// Time still to serve on remand, in days: exponential with this mean (10 weeks), whatever the
/// time already served (the stock) and from custody start (remand receptions).
pub(super) const REMAND_MEAN_DAYS: f64 = 70.0;
/// Share of indeterminate prisoners released on parole in a year. Their time to release is
/// exponential; receptions, newly sentenced, serve their minimum term first and get none.
pub(super) const INDETERMINATE_RELEASED_A_YEAR: f64 = 0.05;
/// Days in a year, for the indeterminate release rate.
pub(super) const DAYS_PER_YEAR: f64 = 365.25;

/// Prisoner ids: a letter, four digits, two letters.
pub(super) const MAX_PRISONERS: u64 = 26 * 10_000 * 26 * 26;

/// How a prison's prisoners came to be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Received from court (locals, remand YOIs, juveniles): mostly there since custody began.
    Reception,
    /// Transferred in after some time elsewhere.
    Training,
    /// Transferred in late, in the final part of custody.
    Open,
}

/// The stock shares of one prison function.
pub(super) struct FunctionShares {
    /// Remand share (before the special cases of remand YOIs and trainers).
    pub(super) remand: f64,
    pub(super) indeterminate: f64,
    /// Determinate prisoners by band (under 12 months, 1–4 years, 4 years or more).
    pub(super) bands: [f64; 3],
    /// Home CPA: the prison's own CPA, a neighbouring one; the rest anywhere.
    pub(super) home_own: f64,
    pub(super) home_neighbour: f64,
    /// Category weights A, B, C, D, applied to the categories the prison holds.
    pub(super) categories: [f64; 4],
    pub(super) role: Role,
}

/// The stock shares of each function (see data/README.md for their basis).
pub(super) fn function_shares(function: Function) -> FunctionShares {
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
pub(super) fn main_estate(function: Function) -> Estate {
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
pub(super) fn secondary_estate_share(estate: Estate) -> f64 {
    match estate {
        Estate::YoungOffenderMale | Estate::YoungOffenderFemale => 0.10,
        Estate::JuvenileMale => 0.25,
        Estate::JuvenileFemale => 0.02,
        Estate::AdultMale | Estate::AdultFemale => 0.35,
    }
}

/// Indeterminate prisoners' time in custody so far, in days, by role: newly sentenced at a
/// reception prison (under a year), 1–15 years at a training prison, 5–20 years in open.
pub(super) fn indeterminate_days(role: Role) -> (u32, u32) {
    match role {
        Role::Reception => (0, 365),
        Role::Training => (365, 5475),
        Role::Open => (1825, 7300),
    }
}

/// Days of custody (half the sentence: automatic release at the halfway point) of a sentence
/// of `days`.
pub(super) fn custody_days(days: u32) -> u32 {
    days.div_ceil(2)
}

/// The mean days to release of an indeterminate prisoner: exponential at the yearly rate
/// [`INDETERMINATE_RELEASED_A_YEAR`].
pub(super) fn indeterminate_mean_days() -> f64 {
    DAYS_PER_YEAR / -(1.0 - INDETERMINATE_RELEASED_A_YEAR).ln()
}
