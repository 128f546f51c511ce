//! The plan's calendar (docs/planning-rules.md §4): weeks counted from a Monday start date S, week t
//! covering days [S+7t, S+7t+7).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Days in a week.
pub const DAYS_PER_WEEK: i64 = 7;

/// Weeks counted from a start date that is a Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    start: NaiveDate,
}

/// A start date that is not a Monday.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("start date {date} is a {weekday}: weeks start on a Monday (try {previous_monday})")]
pub struct NotAMonday {
    pub date: NaiveDate,
    pub weekday: Weekday,
    pub previous_monday: NaiveDate,
}

impl Calendar {
    /// A calendar starting on `start`, which must be a Monday.
    pub fn new(start: NaiveDate) -> Result<Self, NotAMonday> {
        match start.weekday() {
            Weekday::Mon => Ok(Calendar { start }),
            weekday => Err(NotAMonday {
                date: start,
                weekday,
                previous_monday: start - Duration::days(i64::from(weekday.num_days_from_monday())),
            }),
        }
    }

    /// The start date S (day 0 of week 0).
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The week a date falls in: floor((date − S) / 7); negative before S.
    pub fn week_of(&self, date: NaiveDate) -> i64 {
        (date - self.start).num_days().div_euclid(DAYS_PER_WEEK)
    }

    /// The first day (a Monday) of week `week`.
    pub fn first_day(&self, week: i64) -> NaiveDate {
        self.start + Duration::days(week * DAYS_PER_WEEK)
    }
}

/// Reads a date written `YYYY-MM-DD` (exactly that form).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    #[test]
    fn weeks_follow_the_domain_convention() {
        let calendar = Calendar::new(date("2014-09-01")).unwrap();
        assert_eq!(calendar.week_of(date("2014-09-01")), 0);
        assert_eq!(calendar.week_of(date("2014-09-07")), 0);
        assert_eq!(calendar.week_of(date("2014-09-08")), 1);
        assert_eq!(calendar.week_of(date("2014-08-31")), -1);
        assert_eq!(calendar.week_of(date("2014-08-25")), -1);
        assert_eq!(calendar.week_of(date("2014-08-24")), -2);
        assert_eq!(calendar.first_day(12), date("2014-11-24"));
    }

    #[test]
    fn start_must_be_a_monday() {
        let err = Calendar::new(date("2014-09-03")).unwrap_err();
        assert_eq!(err.previous_monday, date("2014-09-01"));
        assert!(err.to_string().contains("is a Wed"), "{err}");
    }

    #[test]
    fn dates_must_be_iso_with_padding() {
        assert_eq!(parse_date("2014-02-28"), Some(date("2014-02-28")));
        for bad in [
            "2014-2-28",
            "2014-02-30",
            "28/02/2014",
            "2014-02-28 ",
            "",
            "20140228xx",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }
}
