//! Loading the reference data folder: `cpas.csv`, `prisons.csv`, `designations.csv` and
//! (optional) `published_population.csv`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::limits::MAX_PLACES;
use super::table::{Row, Table};
use crate::domain::{
    Category, Cpa, CpaId, Dataset, Designation, DesignationSource, Estate, Function, Operator,
    Prison, PrisonCode,
};
use crate::input::diagnostics::Diagnostics;

/// The files of a data folder that [`load_dataset`] reads (the last may be missing).
pub const DATASET_FILES: [&str; 4] = [
    "cpas.csv",
    "prisons.csv",
    "designations.csv",
    "published_population.csv",
];
/// Columns of `cpas.csv`.
pub const CPA_COLUMNS: &[&str] = &["cpa", "number", "name", "neighbours"];
/// Columns of `prisons.csv`.
pub const PRISON_COLUMNS: &[&str] = &[
    "code",
    "name",
    "cpa",
    "function",
    "estates",
    "categories",
    "operator",
    "operational_capacity",
    "cna",
    "lat",
    "lon",
];
/// Columns of `designations.csv`.
pub const DESIGNATION_COLUMNS: &[&str] = &["prison", "cpa", "source"];
/// Columns of `published_population.csv`.
pub const PUBLISHED_POPULATION_COLUMNS: &[&str] = &["prison", "population"];

/// Reads the data folder `dir`. Returns what could be read and every problem found.
pub fn load_dataset(dir: &Path) -> (Dataset, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let cpas = read_cpas(&dir.join("cpas.csv"), &mut diagnostics);
    let cpa_ids: BTreeSet<CpaId> = cpas.iter().map(|c| c.id.clone()).collect();
    let prisons = read_prisons(&dir.join("prisons.csv"), &cpa_ids, &mut diagnostics);
    let prison_codes: BTreeSet<PrisonCode> = prisons.iter().map(|p| p.code.clone()).collect();
    let designations = read_designations(
        &dir.join("designations.csv"),
        &prisons,
        &cpa_ids,
        &mut diagnostics,
    );
    let population_path = dir.join("published_population.csv");
    let published_population = if population_path.exists() {
        read_published_population(&population_path, &prison_codes, &mut diagnostics)
    } else {
        BTreeMap::new()
    };
    (
        Dataset::new(cpas, prisons, designations, published_population),
        diagnostics,
    )
}

/// A slug: lower-case letters, digits and underscores.
fn parse_slug(text: &str) -> Option<CpaId> {
    text.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        .then(|| CpaId(text.to_string()))
}

/// A NOMIS agency code: three capital letters.
pub(crate) fn parse_prison_code(text: &str) -> Option<PrisonCode> {
    (text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase()))
        .then(|| PrisonCode(text.to_string()))
}

/// A whole number from 0 to `max`.
pub(crate) fn parse_count_to(max: u32) -> impl Fn(&str) -> Option<u32> {
    move |text| text.parse().ok().filter(|&n| n <= max)
}

fn read_cpas(path: &Path, diagnostics: &mut Diagnostics) -> Vec<Cpa> {
    let Some(table) = Table::read(path, CPA_COLUMNS, diagnostics) else {
        return Vec::new();
    };
    let mut cpas: Vec<(Row, Cpa)> = Vec::new();
    let mut first_line_of: BTreeMap<CpaId, u64> = BTreeMap::new();
    let mut numbers: BTreeMap<u32, u64> = BTreeMap::new();
    for row in table.rows() {
        let id = row.required(
            diagnostics,
            "cpa",
            parse_slug,
            "a CPA slug is lower-case letters, digits and '_'",
        );
        let number = row.required(
            diagnostics,
            "number",
            |t| t.parse::<u32>().ok().filter(|n| (1..=99).contains(n)),
            "a CPA number is a whole number from 1 to 99",
        );
        let name = row.required(
            diagnostics,
            "name",
            |t| Some(t.to_string()),
            "a CPA needs a name",
        );
        let neighbours = row.text("neighbours");
        let neighbours: Option<Vec<CpaId>> = if neighbours.is_empty() {
            Some(Vec::new())
        } else {
            neighbours
                .split(';')
                .map(|n| parse_slug(n.trim()))
                .collect()
        };
        if neighbours.is_none() {
            row.error(
                diagnostics,
                "neighbours",
                "neighbours are CPA slugs separated by ';'",
            );
        }
        if let Some(id) = &id {
            if let Some(first) = first_line_of.get(id) {
                row.error(
                    diagnostics,
                    "cpa",
                    format!("duplicate CPA: first defined on line {first}"),
                );
                continue;
            }
            first_line_of.insert(id.clone(), row.line());
        }
        if let Some(number) = number {
            if let Some(first) = numbers.insert(number, row.line()) {
                row.error(
                    diagnostics,
                    "number",
                    format!("duplicate CPA number: also on line {first}"),
                );
            }
        }
        if let (Some(id), Some(number), Some(name), Some(neighbours)) =
            (id, number, name, neighbours)
        {
            cpas.push((
                row,
                Cpa {
                    id,
                    number,
                    name,
                    neighbours,
                },
            ));
        }
    }
    for (row, cpa) in &cpas {
        for neighbour in &cpa.neighbours {
            if neighbour == &cpa.id {
                row.error(diagnostics, "neighbours", "a CPA is not its own neighbour");
            } else if let Some(other) = cpas.iter().find(|(_, c)| &c.id == neighbour) {
                if !other.1.neighbours.contains(&cpa.id) {
                    row.error(
                        diagnostics,
                        "neighbours",
                        format!("neighbours must be symmetric: '{neighbour}' (line {}) does not list '{}'", other.0.line(), cpa.id),
                    );
                }
            } else {
                row.error(
                    diagnostics,
                    "neighbours",
                    format!("unknown CPA '{neighbour}'"),
                );
            }
        }
    }
    cpas.into_iter().map(|(_, cpa)| cpa).collect()
}

/// Reads a `;`-separated list of words, recording `rule` when one is not understood.
fn word_list<T>(
    row: &Row,
    diagnostics: &mut Diagnostics,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
    expected: String,
) -> Option<Vec<T>> {
    let text = row.text(column);
    if text.is_empty() {
        return Some(Vec::new());
    }
    let mut values = Vec::new();
    for word in text.split(';') {
        match parse(word.trim()) {
            Some(value) => values.push(value),
            None => {
                row.error(
                    diagnostics,
                    column,
                    format!(
                        "unknown value '{}': a ';'-separated list of {expected}",
                        word.trim()
                    ),
                );
                return None;
            }
        }
    }
    Some(values)
}

fn read_prisons(path: &Path, cpas: &BTreeSet<CpaId>, diagnostics: &mut Diagnostics) -> Vec<Prison> {
    let Some(table) = Table::read(path, PRISON_COLUMNS, diagnostics) else {
        return Vec::new();
    };
    let mut prisons = Vec::new();
    let mut first_line_of: BTreeMap<PrisonCode, u64> = BTreeMap::new();
    for row in table.rows() {
        let code = row.required(
            diagnostics,
            "code",
            parse_prison_code,
            "a NOMIS code is three capital letters",
        );
        let name = row.required(
            diagnostics,
            "name",
            |t| Some(t.to_string()),
            "a prison needs a name",
        );
        let cpa = row.required(
            diagnostics,
            "cpa",
            |t| parse_known_cpa(t, cpas),
            "unknown CPA: it must be a slug from cpas.csv",
        );
        let function = row.required(
            diagnostics,
            "function",
            Function::parse,
            &format!("unknown function: expected {}", Function::expected()),
        );
        let estates = word_list(
            &row,
            diagnostics,
            "estates",
            Estate::parse,
            Estate::expected(),
        );
        let categories = word_list(
            &row,
            diagnostics,
            "categories",
            Category::parse,
            Category::expected(),
        );
        let operator = row.required(
            diagnostics,
            "operator",
            Operator::parse,
            &format!("unknown operator: expected {}", Operator::expected()),
        );
        let capacity_rule =
            format!("capacity must be a whole number of places, 0 or more (at most {MAX_PLACES})");
        let operational_capacity = row.required(
            diagnostics,
            "operational_capacity",
            parse_count_to(MAX_PLACES),
            &capacity_rule,
        );
        let cna = row.required(
            diagnostics,
            "cna",
            parse_count_to(MAX_PLACES),
            &capacity_rule,
        );
        let location = read_location(&row, diagnostics);
        if let (Some(function), Some(estates)) = (function, &estates) {
            if estates.is_empty() && function != Function::Other {
                row.error(
                    diagnostics,
                    "estates",
                    "a prison in use must hold at least one estate",
                );
            }
        }
        if let Some(code) = &code {
            if let Some(first) = first_line_of.get(code) {
                row.error(
                    diagnostics,
                    "code",
                    format!("duplicate prison code: first defined on line {first}"),
                );
                continue;
            }
            first_line_of.insert(code.clone(), row.line());
        }
        if let (
            Some(code),
            Some(name),
            Some(cpa),
            Some(function),
            Some(estates),
            Some(categories),
            Some(operator),
            Some(operational_capacity),
            Some(cna),
            Some(location),
        ) = (
            code,
            name,
            cpa,
            function,
            estates,
            categories,
            operator,
            operational_capacity,
            cna,
            location,
        ) {
            prisons.push(Prison {
                code,
                name,
                cpa,
                function,
                estates,
                categories,
                operator,
                operational_capacity,
                cna,
                location,
            });
        }
    }
    prisons
}

fn parse_known_cpa(text: &str, cpas: &BTreeSet<CpaId>) -> Option<CpaId> {
    let id = CpaId(text.to_string());
    cpas.contains(&id).then_some(id)
}

/// Latitude and longitude: both or neither.
fn read_location(row: &Row, diagnostics: &mut Diagnostics) -> Option<Option<(f64, f64)>> {
    let lat = row.optional(
        diagnostics,
        "lat",
        |t| t.parse::<f64>().ok().filter(|v| (-90.0..=90.0).contains(v)),
        "latitude is a number of degrees from -90 to 90",
    );
    let lon = row.optional(
        diagnostics,
        "lon",
        |t| {
            t.parse::<f64>()
                .ok()
                .filter(|v| (-180.0..=180.0).contains(v))
        },
        "longitude is a number of degrees from -180 to 180",
    );
    match (lat?, lon?) {
        (Some(lat), Some(lon)) => Some(Some((lat, lon))),
        (None, None) => Some(None),
        (Some(_), None) => {
            row.error(
                diagnostics,
                "lon",
                "give both latitude and longitude, or neither",
            );
            None
        }
        (None, Some(_)) => {
            row.error(
                diagnostics,
                "lat",
                "give both latitude and longitude, or neither",
            );
            None
        }
    }
}

fn read_designations(
    path: &Path,
    prisons: &[Prison],
    cpas: &BTreeSet<CpaId>,
    diagnostics: &mut Diagnostics,
) -> Vec<Designation> {
    let Some(table) = Table::read(path, DESIGNATION_COLUMNS, diagnostics) else {
        return Vec::new();
    };
    let mut designations = Vec::new();
    let mut first_line_of: BTreeMap<(PrisonCode, CpaId), u64> = BTreeMap::new();
    for row in table.rows() {
        let prison = row.required(
            diagnostics,
            "prison",
            |t| prisons.iter().find(|p| p.code.as_str() == t),
            "unknown prison: it must be a code from prisons.csv",
        );
        let cpa = row.required(
            diagnostics,
            "cpa",
            |t| parse_known_cpa(t, cpas),
            "designation to an unknown CPA: it must be a slug from cpas.csv",
        );
        let source = row.required(
            diagnostics,
            "source",
            DesignationSource::parse,
            &format!("unknown source: expected {}", DesignationSource::expected()),
        );
        if let Some(prison) = prison {
            if !prison.is_destination() {
                row.warning(
                    diagnostics,
                    "prison",
                    format!(
                        "is designated but its function is '{}': no one is moved there",
                        prison.function
                    ),
                );
            }
        }
        if let (Some(prison), Some(cpa), Some(source)) = (prison, cpa, source) {
            let key = (prison.code.clone(), cpa.clone());
            if let Some(first) = first_line_of.get(&key) {
                row.error(
                    diagnostics,
                    "cpa",
                    format!("duplicate designation: first on line {first}"),
                );
                continue;
            }
            first_line_of.insert(key, row.line());
            designations.push(Designation {
                prison: prison.code.clone(),
                cpa,
                source,
            });
        }
    }
    designations
}

fn read_published_population(
    path: &Path,
    prisons: &BTreeSet<PrisonCode>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<PrisonCode, u32> {
    let Some(table) = Table::read(path, PUBLISHED_POPULATION_COLUMNS, diagnostics) else {
        return BTreeMap::new();
    };
    let mut population = BTreeMap::new();
    for row in table.rows() {
        let prison = row.required(
            diagnostics,
            "prison",
            |t| prisons.get(&PrisonCode(t.to_string())).cloned(),
            "unknown prison: it must be a code from prisons.csv",
        );
        let count = row.required(
            diagnostics,
            "population",
            parse_count_to(MAX_PLACES),
            &format!("a population is a whole number, 0 or more (at most {MAX_PLACES})"),
        );
        if let (Some(prison), Some(count)) = (prison, count) {
            if population.insert(prison, count).is_some() {
                row.error(
                    diagnostics,
                    "prison",
                    "duplicate prison: one population per prison",
                );
            }
        }
    }
    population
}
