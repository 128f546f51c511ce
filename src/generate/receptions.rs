//! Forecast receptions in a steady state: each estate receives every week what its stock's
//! departures imply.

use std::collections::BTreeMap;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::assumptions::{
    custody_days, indeterminate_mean_days, BANDS, REMAND_MEAN_DAYS, UNKNOWN_HOME,
};
use super::profile::{draw_category, pick, remand_days_left, HomeAreas, Profile};
use super::GenerateOptions;
use crate::domain::calendar::DAYS_PER_WEEK;
use crate::domain::{
    Category, Dataset, Estate, ReceptionCohort, Sentence, MAX_EXPECTED_RELEASE_WEEK,
};

/// The weekly receptions of one estate that replace its stock's departures, so that it stays
/// level (a steady state), by the kind of sentence they arrive with.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Flow {
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
    pub(super) fn add(&mut self, sentence: Sentence, spread: Option<(usize, u32)>) {
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

    pub(super) fn total(&self) -> f64 {
        self.remand + self.indeterminate + self.bands.iter().sum::<f64>()
    }
}

/// What the receptions are calibrated on: the stock, summed up.
#[derive(Debug, Default)]
pub(super) struct Steady {
    /// Per estate, the weekly receptions that keep it level.
    pub(super) flows: BTreeMap<Estate, Flow>,
    /// Prisoners of each estate held at each profile's prison (by position in the profiles).
    pub(super) held: BTreeMap<(Estate, usize), u32>,
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

pub(super) fn generate_receptions(
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
    use rand::SeedableRng;

    use super::*;

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
}
