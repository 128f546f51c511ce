//! The range of every number an input file, a scenario file or an option may carry (README.md
//! lists them). They keep every sum, date and allocation of a run within bounds: no input
//! can make the program overflow or exhaust memory.

use chrono::{Datelike, NaiveDate};

/// The last week a reception, a booked move or `generate --weeks` may name (10 years).
pub const MAX_WEEK: u32 = 520;
/// The last release week a reception may have (100 years).
pub const MAX_RELEASE_WEEK: u32 = 5200;
/// The most prisoners one row of receptions may count.
pub const MAX_COUNT: u32 = 100_000;
/// The most prisoners in a population file, and the most receptions in all.
pub const MAX_PRISONERS: u64 = 10_000_000;
/// The most places (operational capacity, CNA, published population) one prison may have,
/// and the most a scenario may change them by at once.
pub const MAX_PLACES: u32 = 100_000;
/// The longest horizon, in weeks (5 years).
pub const MAX_HORIZON: u32 = 260;
/// The longest resettlement window, in weeks.
pub const MAX_WINDOW: u32 = 52;
/// The highest escort limit (moves per week, nationally or per prison).
pub const MAX_MOVES: u32 = 100_000;
/// The highest factor a surge may scale receptions by, and the largest `generate --scale`.
pub const MAX_FACTOR: f64 = 10.0;
/// Dates in input files: the years from and to.
pub const DATE_YEARS: (i32, i32) = (1900, 2200);
/// The plan's start date: the years from and to (so that every date a plan, or a generated
/// population, derives from it stays within [`DATE_YEARS`]).
pub const START_YEARS: (i32, i32) = (1950, 2100);

/// Whether a date of an input file is in range.
pub fn date_in_range(date: NaiveDate) -> bool {
    (DATE_YEARS.0..=DATE_YEARS.1).contains(&date.year())
}

/// Whether a start date is in range.
pub fn start_in_range(date: NaiveDate) -> bool {
    (START_YEARS.0..=START_YEARS.1).contains(&date.year())
}

/// Checks a headroom given in percent (0 up to, not including, 100); returns it as a share.
pub fn headroom_share(percent: f64) -> Result<f64, String> {
    if (0.0..100.0).contains(&percent) {
        Ok(percent / 100.0)
    } else {
        Err(format!(
            "{percent} is not a percentage from 0 up to (not including) 100"
        ))
    }
}

/// Checks a relative MIP gap: a number from 0 to 1.
pub fn check_mip_gap(gap: f64) -> Result<f64, String> {
    if (0.0..=1.0).contains(&gap) {
        Ok(gap)
    } else {
        Err(format!("{gap} is not a relative gap from 0 to 1"))
    }
}

/// Checks a scale or a factor: a number from 0 (not included when `zero` is false) to
/// [`MAX_FACTOR`].
pub fn check_factor(factor: f64, zero: bool) -> Result<f64, String> {
    let low_ok = if zero { factor >= 0.0 } else { factor > 0.0 };
    if low_ok && factor <= MAX_FACTOR {
        Ok(factor)
    } else {
        let from = if zero { "from 0" } else { "greater than 0" };
        Err(format!(
            "{factor} is not a number {from} up to {MAX_FACTOR}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_refuse_nan_and_infinities() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0] {
            assert!(headroom_share(bad).is_err(), "{bad}");
            assert!(check_mip_gap(bad).is_err(), "{bad}");
            assert!(check_factor(bad, true).is_err(), "{bad}");
        }
        assert!(headroom_share(100.0).is_err());
        assert_eq!(headroom_share(10.0), Ok(0.1));
        assert!(check_mip_gap(1.5).is_err());
        assert_eq!(check_mip_gap(0.0), Ok(0.0));
        assert!(check_factor(0.0, false).is_err());
        assert_eq!(check_factor(0.0, true), Ok(0.0));
        assert!(check_factor(10.5, true).is_err());
    }
}
