//! `capacity`: a prison's places changed by or set to a number, from a date.

use super::{At, Editor};
use crate::input::limits::MAX_PLACES;

impl Editor<'_> {
    pub(super) fn capacity(
        &mut self,
        at: At,
        code: &str,
        change: Option<i64>,
        set: Option<i64>,
    ) -> Option<String> {
        let prison = self.prison(at, code)?;
        let (change, set) = match (change, set) {
            (Some(_), Some(_)) | (None, None) => {
                self.error(
                    at,
                    "give either `change` (places added; negative to remove) or `set` (the new capacity), not both or neither",
                );
                return None;
            }
            pair => pair,
        };
        if let Some(value) = set.filter(|&v| !(0..=i64::from(MAX_PLACES)).contains(&v)) {
            self.error(
                at,
                format!("set = {value}: a capacity is 0 to {MAX_PLACES} places"),
            );
            return None;
        }
        if let Some(value) = change.filter(|&v| v.unsigned_abs() > u64::from(MAX_PLACES)) {
            self.error(
                at,
                format!("change = {value}: a change is at most {MAX_PLACES} places either way"),
            );
            return None;
        }
        if let Some(&(closes, edit)) = self.closed.get(&prison) {
            if at.week >= closes {
                self.error(
                    at,
                    format!(
                        "prison '{code}' is closed from {} (edit #{edit}): its capacity cannot change after that",
                        self.date(closes)
                    ),
                );
                return None;
            }
        }
        if let Some(&(opens, edit)) = self.opened.get(&prison) {
            if at.week < opens {
                self.error(
                    at,
                    format!(
                        "prison '{code}' opens from {} (edit #{edit}): its capacity cannot change before that",
                        self.date(opens)
                    ),
                );
                return None;
            }
        }
        let weeks = self.open_weeks(prison, at.week);
        for t in weeks.clone() {
            let value = set.unwrap_or_else(|| self.places[prison][t] + change.unwrap_or(0));
            if value > i64::from(MAX_PLACES) {
                self.error(
                    at,
                    format!(
                        "change = {}: the capacity of '{code}' would be {value} in week {t} ({}), above {MAX_PLACES} places",
                        change.unwrap_or(0),
                        self.date(t as u32)
                    ),
                );
                return None;
            }
            if value < 0 {
                let change = change.unwrap_or(0);
                let now = self.places[prison][t];
                self.error(
                    at,
                    format!(
                        "change = {change}: the capacity of '{code}' would be {value} in week {t} ({}), below zero ({now} places then)",
                        self.date(t as u32)
                    ),
                );
                return None;
            }
        }
        let before = self.places[prison]
            .get(at.week as usize)
            .copied()
            .unwrap_or(0);
        for t in weeks {
            self.places[prison][t] =
                set.unwrap_or_else(|| self.places[prison][t] + change.unwrap_or(0));
        }
        let after = set.unwrap_or(before + change.unwrap_or(0));
        Some(format!(
            "{} from week {}: {before} places to {after}",
            self.name(prison),
            at.week
        ))
    }
}
