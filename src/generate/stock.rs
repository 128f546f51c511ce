//! The stock: the prisoners held on the start date, each drawn from his prison's profile.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::assumptions::{
    indeterminate_days, Role, BANDS, DAYS_PER_YEAR, DIRECT_FROM_COURT, DO_NOT_MOVE,
    INDETERMINATE_RELEASED_A_YEAR, OPEN_FINAL_DAYS, OPEN_MAX_DAYS_HELD, REMAND_MAX_DAYS,
    REMAND_MEAN_DAYS, REMOVAL_NO_HOME, TRAINING_MIN_DAYS_ELSEWHERE, UNKNOWN_HOME,
};
use super::profile::{pick, HomeAreas, Profile};
use super::receptions::Steady;
use super::GenerateOptions;
use crate::domain::calendar::DAYS_PER_WEEK;
use crate::domain::{
    Category, Dataset, Estate, Prisoner, PrisonerId, Sentence, MAX_EXPECTED_RELEASE_WEEK,
};

/// Estate and category for someone at the profile's prison (juveniles are uncategorised).
pub(super) fn draw_placement(
    rng: &mut ChaCha8Rng,
    profile: &Profile,
    sentence: Sentence,
) -> (Estate, Option<Category>) {
    let estate = pick(rng, &profile.estates);
    (estate, draw_category(rng, profile, estate, sentence))
}

/// A category for someone of `estate` at the profile's prison (juveniles are uncategorised).
pub(super) fn draw_category(
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
pub(super) fn custody_days(days: u32) -> u32 {
    days.div_ceil(2)
}

/// Custody start, arrival and release of one prisoner of the stock.
pub(super) struct Dates {
    pub(super) custody_start: NaiveDate,
    pub(super) arrived: NaiveDate,
    pub(super) release_date: Option<NaiveDate>,
    /// Determinate only: the sentence band (index into `BANDS`) and the days over which his
    /// days left were drawn (his custody, or its final part in open conditions).
    pub(super) spread: Option<(usize, u32)>,
}

pub(super) fn draw_dates(
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
pub(super) fn remand_days_left(rng: &mut ChaCha8Rng) -> u64 {
    exponential_days(rng, REMAND_MEAN_DAYS)
}

/// The mean days to release of an indeterminate prisoner: exponential at the yearly rate
/// [`INDETERMINATE_RELEASED_A_YEAR`].
pub(super) fn indeterminate_mean_days() -> f64 {
    DAYS_PER_YEAR / -(1.0 - INDETERMINATE_RELEASED_A_YEAR).ln()
}

/// Whole days drawn from the exponential distribution with this mean (by inversion).
pub(super) fn exponential_days(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    let u: f64 = rng.gen();
    (-mean * (1.0 - u).ln()).floor() as u64
}

/// The expected departure of a remand or indeterminate prisoner of the stock: the start date
/// plus his days still to serve, or `None` when that falls after week
/// [`MAX_EXPECTED_RELEASE_WEEK`] (the same, for any plan, as staying).
pub(super) fn stock_departure(
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

pub(super) fn days(n: u32) -> Duration {
    Duration::days(i64::from(n))
}

/// A sentence drawn from the profile's stock mix.
pub(super) fn draw_stock_sentence(rng: &mut ChaCha8Rng, profile: &Profile) -> Sentence {
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
pub(super) fn prisoner_id(n: u64) -> PrisonerId {
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

/// The stock, sorted by id, and its steady state; `departures` draws the expected departures.
pub(super) fn generate_prisoners(
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
