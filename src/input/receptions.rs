//! Forecast receptions: `receptions.csv`, one row per cohort arriving in a week.

use std::path::Path;

use crate::domain::{Dataset, ReceptionCohort, MAX_EXPECTED_RELEASE_WEEK};
use crate::input::dataset::parse_count_to;
use crate::input::diagnostics::Diagnostics;
use crate::input::limits::{MAX_COUNT, MAX_PRISONERS, MAX_RELEASE_WEEK, MAX_WEEK};
use crate::input::population::{
    read_placement, week_rule, EXPECTED_RELEASE_WEEK, RECEPTION_COLUMNS,
};
use crate::input::table::{Row, Table};

/// Reads forecast receptions.
pub fn load_receptions(
    path: &Path,
    data: &Dataset,
    diagnostics: &mut Diagnostics,
) -> Vec<ReceptionCohort> {
    let Some(table) = Table::read(path, RECEPTION_COLUMNS, diagnostics) else {
        return Vec::new();
    };
    let mut cohorts = Vec::new();
    let mut total = 0u64;
    for row in table.rows() {
        let week = row.required(diagnostics, "week", parse_count_to(MAX_WEEK), &week_rule());
        let placement = read_placement(&row, data, diagnostics);
        let release_week = row.optional(
            diagnostics,
            "release_week",
            parse_count_to(MAX_RELEASE_WEEK),
            &format!("a release week is a whole number, 0 or more (at most {MAX_RELEASE_WEEK}), or empty when there is no release date"),
        );
        let count = row.required(
            diagnostics,
            "count",
            |t| parse_count_to(MAX_COUNT)(t).filter(|&n| n > 0),
            &format!("a count is a whole number, 1 or more (at most {MAX_COUNT})"),
        );
        total += u64::from(count.unwrap_or(0));
        if total > MAX_PRISONERS {
            row.error(
                diagnostics,
                "count",
                format!("a receptions file holds at most {MAX_PRISONERS} receptions in all: this row and those after it are not read"),
            );
            break;
        }
        if let (Some(week), Some(Some(release_week))) = (week, release_week) {
            if release_week < week {
                row.error(
                    diagnostics,
                    "release_week",
                    format!("release before custody start (week {week})"),
                );
                continue;
            }
        }
        let expected_release_week =
            read_expected_release_week(&row, diagnostics, week, release_week);
        if let (
            Some(week),
            Some(placement),
            Some(release_week),
            Some(expected_release_week),
            Some(count),
        ) = (week, placement, release_week, expected_release_week, count)
        {
            cohorts.push(ReceptionCohort {
                week,
                prison: placement.prison.code.clone(),
                home_cpa: placement.home_cpa,
                estate: placement.estate,
                category: placement.category,
                release_week,
                expected_release_week,
                count,
            });
        }
    }
    cohorts
}

/// The optional `expected_release_week` column: empty, or for a cohort with no release week
/// a whole number from its arrival week up to [`MAX_EXPECTED_RELEASE_WEEK`]. `None` when it
/// breaks a rule (recorded).
pub(super) fn read_expected_release_week(
    row: &Row,
    diagnostics: &mut Diagnostics,
    week: Option<u32>,
    release_week: Option<Option<u32>>,
) -> Option<Option<u32>> {
    if !row.has(EXPECTED_RELEASE_WEEK) {
        return Some(None);
    }
    let rule = format!(
        "an expected departure week is a whole number, from the arrival week up to \
         {MAX_EXPECTED_RELEASE_WEEK}, or empty"
    );
    let Some(expected) = row.optional(
        diagnostics,
        EXPECTED_RELEASE_WEEK,
        parse_count_to(MAX_EXPECTED_RELEASE_WEEK),
        &rule,
    )?
    else {
        return Some(None);
    };
    let problem = if matches!(release_week, Some(Some(_))) {
        Some("must be empty when there is a release week: the cohort leaves then".to_string())
    } else if let Some(week) = week.filter(|&w| expected < w) {
        Some(format!("expected departure before arrival (week {week})"))
    } else if expected > MAX_EXPECTED_RELEASE_WEEK {
        Some(format!(
            "{rule}: leave it empty for a cohort that stays longer"
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => {
            row.error(diagnostics, EXPECTED_RELEASE_WEEK, problem);
            None
        }
        None => Some(Some(expected)),
    }
}
