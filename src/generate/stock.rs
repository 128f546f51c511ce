//! The stock: the prisoners held on the start date, each drawn from his prison's profile.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::assumptions::{
    custody_days, indeterminate_days, indeterminate_mean_days, Role, BANDS, DIRECT_FROM_COURT,
    DO_NOT_MOVE, OPEN_FINAL_DAYS, OPEN_MAX_DAYS_HELD, REMAND_MAX_DAYS, REMOVAL_NO_HOME,
    TRAINING_MIN_DAYS_ELSEWHERE, UNKNOWN_HOME,
};
use super::profile::{draw_category, exponential_days, pick, remand_days_left, HomeAreas, Profile};
use super::receptions::Steady;
use super::GenerateOptions;
use crate::domain::calendar::DAYS_PER_WEEK;
use crate::domain::{
    Category, Dataset, Estate, Prisoner, PrisonerId, Sentence, MAX_EXPECTED_RELEASE_WEEK,
};

/// Estate and category for someone at the profile's prison (juveniles are uncategorised).
fn draw_placement(
    rng: &mut ChaCha8Rng,
    profile: &Profile,
    sentence: Sentence,
) -> (Estate, Option<Category>) {
    let estate = pick(rng, &profile.estates);
    (estate, draw_category(rng, profile, estate, sentence))
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

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::generate::assumptions::{
        INDETERMINATE_RELEASED_A_YEAR, MAX_PRISONERS, REMAND_MEAN_DAYS,
    };

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
    fn prisoner_ids_look_like_nomis_numbers() {
        assert_eq!(prisoner_id(0).as_str(), "A0000AA");
        assert_eq!(prisoner_id(1).as_str(), "A0001AA");
        assert_eq!(prisoner_id(10_000).as_str(), "A0000AB");
        assert_eq!(prisoner_id(MAX_PRISONERS - 1).as_str(), "Z9999ZZ");
    }
}
