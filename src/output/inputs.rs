//! The planning inputs written back as files (by `generate` and `roll`), in the columns
//! `input` reads them from.

use super::CsvOutput;
use crate::domain::{BookedMove, Category, CpaId, Prisoner, ReceptionCohort};
use crate::input::population::{EXPECTED_RELEASE, EXPECTED_RELEASE_WEEK};
use crate::input::{BOOKED_COLUMNS, POPULATION_COLUMNS, RECEPTION_COLUMNS};

/// The population file's bytes, one row per prisoner in the order given: the columns of
/// [`POPULATION_COLUMNS`] with `expected_release` after `release_date`.
pub fn population_csv(prisoners: &[Prisoner]) -> Vec<u8> {
    let mut header = POPULATION_COLUMNS.to_vec();
    let after_release = 1 + header
        .iter()
        .position(|&c| c == "release_date")
        .expect("a column");
    header.insert(after_release, EXPECTED_RELEASE);
    let mut writer = CsvOutput::new(header);
    for p in prisoners {
        let custody_start = p.custody_start.to_string();
        let arrived = p.arrived.to_string();
        let release = p.release_date.map(|d| d.to_string()).unwrap_or_default();
        let expected = p
            .expected_release
            .map(|d| d.to_string())
            .unwrap_or_default();
        writer.row([
            p.id.as_str(),
            p.prison.as_str(),
            p.home_cpa.as_ref().map_or("", CpaId::as_str),
            p.estate.as_str(),
            p.category.map_or("", Category::as_str),
            p.sentence.as_str(),
            &custody_start,
            &arrived,
            &release,
            &expected,
            if p.do_not_move { "true" } else { "false" },
            if p.removal { "true" } else { "false" },
        ]);
    }
    writer.into_bytes()
}

/// The receptions file's bytes, one row per cohort in the order given: the columns of
/// [`RECEPTION_COLUMNS`] with `expected_release_week` after `release_week`.
pub fn receptions_csv(cohorts: &[ReceptionCohort]) -> Vec<u8> {
    let mut header = RECEPTION_COLUMNS.to_vec();
    let after_release = 1 + header
        .iter()
        .position(|&c| c == "release_week")
        .expect("a column");
    header.insert(after_release, EXPECTED_RELEASE_WEEK);
    let mut writer = CsvOutput::new(header);
    for c in cohorts {
        writer.row([
            c.week.to_string().as_str(),
            c.prison.as_str(),
            c.home_cpa.as_ref().map_or("", CpaId::as_str),
            c.estate.as_str(),
            c.category.map_or("", Category::as_str),
            &c.release_week.map(|w| w.to_string()).unwrap_or_default(),
            &c.expected_release_week
                .map(|w| w.to_string())
                .unwrap_or_default(),
            &c.count.to_string(),
        ]);
    }
    writer.into_bytes()
}

/// The booked-moves file's bytes, one row per move in the order given: the columns of
/// [`BOOKED_COLUMNS`].
pub fn booked_csv(moves: &[BookedMove]) -> Vec<u8> {
    let mut writer = CsvOutput::new(BOOKED_COLUMNS.to_vec());
    for m in moves {
        writer.row([m.prisoner_id.as_str(), m.to.as_str(), &m.week.to_string()]);
    }
    writer.into_bytes()
}
