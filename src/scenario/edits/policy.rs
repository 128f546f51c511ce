//! `policy`: the window, the headroom and the escort limits (for the whole horizon), and their
//! checks, which the base's values pass too.

use super::{At, Editor};
use crate::input::limits::{headroom_share, MAX_MOVES, MAX_WINDOW};

impl Editor<'_> {
    pub(super) fn policy(
        &mut self,
        at: At,
        window: Option<u32>,
        headroom: Option<f64>,
        max_moves_per_week: Option<u32>,
        max_moves_per_prison_week: Option<u32>,
    ) -> Option<String> {
        if window.is_none()
            && headroom.is_none()
            && max_moves_per_week.is_none()
            && max_moves_per_prison_week.is_none()
        {
            self.error(
                at,
                "changes nothing: give window, headroom, max_moves_per_week or max_moves_per_prison_week",
            );
            return None;
        }
        let mut effect = Vec::new();
        if let Some(window) = window {
            if let Err(e) = check_window(window) {
                self.error(at, e);
                return None;
            }
            effect.push(format!("window {} to {window} weeks", self.options.window));
            self.options.window = window;
        }
        if let Some(percent) = headroom {
            match check_headroom(percent) {
                Ok(share) => {
                    effect.push(format!("headroom {percent}%"));
                    self.options.headroom = share;
                }
                Err(e) => {
                    self.error(at, e);
                    return None;
                }
            }
        }
        for (field, limit) in [
            ("max_moves_per_week", max_moves_per_week),
            ("max_moves_per_prison_week", max_moves_per_prison_week),
        ] {
            if let Err(e) = check_moves(limit) {
                self.error(at, format!("{field} = {e}"));
                return None;
            }
        }
        if let Some(n) = max_moves_per_week {
            effect.push(format!("at most {n} moves a week"));
            self.options.max_moves_per_week = Some(n);
        }
        if let Some(n) = max_moves_per_prison_week {
            effect.push(format!("at most {n} moves out of a prison a week"));
            self.options.max_moves_per_prison_week = Some(n);
        }
        if at.week > 0 {
            self.warn(
                at,
                format!(
                    "dated {} (week {}), but the policy cannot vary by week in the model: applied to the whole horizon",
                    self.date(at.week),
                    at.week
                ),
            );
        }
        Some(format!("{} (whole horizon)", effect.join("; ")))
    }
}

/// A window: 1 to [`MAX_WINDOW`] weeks.
pub(in crate::scenario) fn check_window(window: u32) -> Result<(), String> {
    if (1..=MAX_WINDOW).contains(&window) {
        Ok(())
    } else {
        Err(format!(
            "window = {window}: the window is 1 to {MAX_WINDOW} weeks"
        ))
    }
}

/// A headroom in percent, as a share.
pub(in crate::scenario) fn check_headroom(percent: f64) -> Result<f64, String> {
    headroom_share(percent).map_err(|e| format!("headroom = {e}"))
}

/// An escort limit, when given: 0 to [`MAX_MOVES`].
pub(in crate::scenario) fn check_moves(limit: Option<u32>) -> Result<(), String> {
    match limit {
        Some(n) if n > MAX_MOVES => Err(format!("{n}: an escort limit is 0 to {MAX_MOVES} moves")),
        _ => Ok(()),
    }
}
