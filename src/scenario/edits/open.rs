//! `open`: a new prison, with the CPAs it serves, from a date.

use std::collections::BTreeSet;

use super::{At, Editor};
use crate::domain::{
    Category, CpaId, Designation, DesignationSource, Estate, Function, Operator, Prison, PrisonCode,
};
use crate::scenario::file::PrisonRow;

impl Editor<'_> {
    pub(super) fn open(&mut self, at: At, row: &PrisonRow, serves: &[String]) -> Option<String> {
        let errors_before = self.errors.len();
        let code = row.code.as_str();
        if !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())) {
            self.error(
                at,
                format!("prison.code = '{code}': a NOMIS code is three capital letters"),
            );
        } else if let Some(p) = self.prisons.iter().find(|p| p.code.as_str() == code) {
            self.error(
                at,
                format!("prison.code = '{code}': prison {} already exists", p.name),
            );
        }
        let cpa = self.cpa(at, "prison.cpa", &row.cpa);
        let function = self.word(
            at,
            "prison.function",
            &row.function,
            Function::parse,
            Function::expected,
        );
        let estates = self.words(
            at,
            "prison.estates",
            &row.estates,
            Estate::parse,
            Estate::expected,
        );
        let categories = self.words(
            at,
            "prison.categories",
            &row.categories,
            Category::parse,
            Category::expected,
        );
        let operator = self.word(
            at,
            "prison.operator",
            &row.operator,
            Operator::parse,
            Operator::expected,
        );
        let capacity =
            self.places_value(at, "prison.operational_capacity", row.operational_capacity);
        let cna = self.places_value(
            at,
            "prison.cna",
            row.cna.unwrap_or(row.operational_capacity),
        );
        let location = match (row.lat, row.lon) {
            (Some(lat), Some(lon))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
            {
                Some((lat, lon))
            }
            (None, None) => None,
            (lat, lon) => {
                self.error(
                    at,
                    format!(
                        "prison.lat = {lat:?}, prison.lon = {lon:?}: give both (degrees, latitude -90 to 90, longitude -180 to 180) or neither"
                    ),
                );
                None
            }
        };
        let mut served = BTreeSet::new();
        for id in serves {
            if let Some(cpa) = self.cpa(at, "serves", id) {
                if !served.insert(cpa) {
                    self.error(at, format!("serves: CPA '{id}' is listed twice"));
                }
            }
        }
        if self.errors.len() > errors_before {
            return None;
        }
        let (cpa, function, estates, categories, operator, capacity, cna) = (
            cpa?,
            function?,
            estates?,
            categories?,
            operator?,
            capacity?,
            cna?,
        );
        let prison = Prison {
            code: PrisonCode::from(code),
            name: row.name.clone(),
            cpa,
            function,
            estates,
            categories,
            operator,
            operational_capacity: capacity,
            cna,
            location,
        };
        let index = self.prisons.len();
        self.prisons.push(prison);
        let week = at.week.min(self.horizon) as usize;
        let mut timeline = vec![0; self.horizon as usize];
        for places in &mut timeline[week..] {
            *places = i64::from(capacity);
        }
        self.places.push(timeline);
        self.opened.insert(index, (at.week, at.index));
        for cpa in &served {
            self.designations.push(Designation {
                prison: PrisonCode::from(code),
                cpa: cpa.clone(),
                source: DesignationSource::Rule,
            });
        }
        let serving: Vec<&str> = served.iter().map(CpaId::as_str).collect();
        Some(format!(
            "{} opens from week {} with {capacity} places, a resettlement prison for: {}",
            self.name(index),
            at.week,
            if serving.is_empty() {
                "none".to_string()
            } else {
                serving.join(", ")
            }
        ))
    }
}
