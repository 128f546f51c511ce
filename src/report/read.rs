//! Reading a plan folder (and a scenario folder) into the figures the page shows, with every
//! problem reported: the files' rows are those the writers write ([`crate::output::rows`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::input::diagnostics::{Diagnostic, Diagnostics};
use crate::output::rows::{
    CpaKpiRow, ForecastMoveRow, KpiFigures, MoveRow, OccupancyRow, PartKpis, PrisonKpiRow,
    UnplacedRow, WeekKpiRow, WorkloadByCrcRow, WorkloadRow,
};
use crate::output::{read_rows, read_texts};

/// The command that writes a plan folder.
const PLAN_WRITER: &str = "resettle plan";

/// One CPA's K1 and K2 in the three plans (`kpis_by_cpa.csv`).
#[derive(Debug, Clone)]
pub struct CpaFigures {
    pub slug: String,
    pub number: u32,
    pub name: String,
    /// By plan name.
    pub plans: BTreeMap<String, PartKpis>,
}

/// One prison's occupancy and capacity by week (`occupancy.csv`).
#[derive(Debug, Clone)]
pub struct PrisonWeeks {
    pub code: String,
    pub name: String,
    /// (occupancy, capacity) per week.
    pub weeks: Vec<(u64, u64)>,
}

/// One resettlement prison's CRC workload by week (`workload.csv`).
#[derive(Debug, Clone)]
pub struct PrisonWorkload {
    pub code: String,
    pub name: String,
    pub weeks: Vec<WorkloadRow>,
}

/// What the CRC of one CPA sees (`workload_by_crc.csv`), summed over the weeks.
#[derive(Debug, Clone, Default)]
pub struct CrcFigures {
    /// Person-weeks of its prisoners in their final weeks, anywhere.
    pub final_weeks: u64,
    /// Of those, in a resettlement prison of the CPA.
    pub at_resettlement_prison: u64,
    pub releases: u64,
    pub prisons: BTreeSet<String>,
}

/// The scenario runner's `comparison.csv`, kept as text.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub kpis: KpiFigures,
    pub cpas: Vec<CpaFigures>,
    /// Per week (K1 by release week, K2 by week), by plan name (`kpis_by_week.csv`).
    pub weeks: Vec<BTreeMap<String, PartKpis>>,
    pub prisons: Vec<PrisonWeeks>,
    /// Week dates, from `occupancy.csv`.
    pub dates: Vec<String>,
    /// People moved per week and kind (`resettle`, `decant`, `booked`, `cohort`).
    pub moves: Vec<BTreeMap<String, u64>>,
    /// People not released home (prisoners and members of reception cohorts), by reason.
    pub unplaced: BTreeMap<String, u64>,
    /// The resettlement prisons, in the order of `workload.csv`.
    pub workload: Vec<PrisonWorkload>,
    /// By CPA slug.
    pub crcs: BTreeMap<String, CrcFigures>,
    pub scenarios: Option<Comparison>,
}

/// Reads the plan folder (and the scenario folder); `None` when something essential could
/// not be read. Every problem is in the diagnostics.
pub fn load(plan: &Path, scenarios: Option<&Path>) -> (Option<ReportData>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    if !plan.is_dir() {
        diagnostics.push(Diagnostic::file_error(
            plan,
            "is not a folder: give the --out folder of `resettle plan`",
        ));
        return (None, diagnostics);
    }
    let d = &mut diagnostics;
    let kpis = load_kpis(&plan.join("kpis.json"), d);
    let cpas = cpas(rows(plan, "kpis_by_cpa.csv", d));
    let weeks = weeks(rows(plan, "kpis_by_week.csv", d));
    let names: BTreeMap<String, String> = rows::<PrisonKpiRow>(plan, "kpis_by_prison.csv", d)
        .map(|row| (row.prison, row.name))
        .collect();
    let (prisons, dates) = occupancy(rows(plan, "occupancy.csv", d), &names);
    let moves = moves(plan, dates.len(), d);
    let unplaced = unplaced(rows(plan, "unplaced.csv", d));
    let workload = workload(rows(plan, "workload.csv", d));
    let crcs = crcs(rows(plan, "workload_by_crc.csv", d));
    let scenarios = scenarios.map(|dir| load_comparison(&dir.join("comparison.csv"), d));
    let data = (|| {
        Some(ReportData {
            kpis: kpis?,
            cpas,
            weeks,
            prisons,
            dates,
            moves,
            unplaced,
            workload,
            crcs,
            scenarios: match scenarios {
                Some(comparison) => Some(comparison?),
                None => None,
            },
        })
    })();
    (data, diagnostics)
}

/// The rows of the plan folder's file `name`; none when it cannot be used.
fn rows<'d, R: serde::de::DeserializeOwned>(
    plan: &Path,
    name: &str,
    diagnostics: &'d mut Diagnostics,
) -> impl Iterator<Item = R> + 'd {
    read_rows(&plan.join(name), PLAN_WRITER, diagnostics)
        .into_iter()
        .flatten()
}

fn load_kpis(path: &Path, diagnostics: &mut Diagnostics) -> Option<KpiFigures> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            diagnostics.push(Diagnostic::file_error(
                path,
                format!("cannot be read ({e}); it is written by `{PLAN_WRITER}`"),
            ));
            return None;
        }
    };
    match serde_json::from_slice(&bytes) {
        Ok(kpis) => Some(kpis),
        Err(e) => {
            diagnostics.push(Diagnostic {
                line: Some(e.line() as u64),
                ..Diagnostic::file_error(path, format!("is not the KPIs of a plan: {e}"))
            });
            None
        }
    }
}

/// `items[index]`, growing `items` with defaults to reach it.
fn at<T: Clone + Default>(items: &mut Vec<T>, index: usize) -> &mut T {
    if items.len() <= index {
        items.resize(index + 1, T::default());
    }
    &mut items[index]
}

/// The CPAs in file order, each with its plans.
fn cpas(rows: impl Iterator<Item = CpaKpiRow>) -> Vec<CpaFigures> {
    let mut cpas: Vec<CpaFigures> = Vec::new();
    for row in rows {
        if cpas.last().is_none_or(|c| c.slug != row.cpa) {
            cpas.push(CpaFigures {
                slug: row.cpa,
                number: row.number,
                name: row.name,
                plans: BTreeMap::new(),
            });
        }
        let cpa = cpas.last_mut().expect("pushed above");
        cpa.plans.insert(row.kpis.plan.clone(), row.kpis);
    }
    cpas
}

/// Per week, each plan's figures.
fn weeks(rows: impl Iterator<Item = WeekKpiRow>) -> Vec<BTreeMap<String, PartKpis>> {
    let mut weeks: Vec<BTreeMap<String, PartKpis>> = Vec::new();
    for row in rows {
        at(&mut weeks, row.week as usize).insert(row.kpis.plan.clone(), row.kpis);
    }
    weeks
}

/// The prisons in file order, named from `names`, and the dates of the weeks.
fn occupancy(
    rows: impl Iterator<Item = OccupancyRow>,
    names: &BTreeMap<String, String>,
) -> (Vec<PrisonWeeks>, Vec<String>) {
    let mut prisons: Vec<PrisonWeeks> = Vec::new();
    let mut dates: BTreeMap<u32, String> = BTreeMap::new();
    for row in rows {
        dates.insert(row.week, row.date);
        if prisons.last().is_none_or(|p| p.code != row.prison) {
            prisons.push(PrisonWeeks {
                name: names.get(&row.prison).cloned().unwrap_or_default(),
                code: row.prison,
                weeks: Vec::new(),
            });
        }
        let weeks = &mut prisons.last_mut().expect("pushed above").weeks;
        *at(weeks, row.week as usize) = (row.occupancy, row.capacity);
    }
    (prisons, dates.into_values().collect())
}

/// People moved per week (at least `weeks`): existing prisoners by reason (`moves.csv`),
/// members of forecast reception cohorts as `cohort` (`forecast_moves.csv`).
fn moves(plan: &Path, weeks: usize, diagnostics: &mut Diagnostics) -> Vec<BTreeMap<String, u64>> {
    let mut moves = vec![BTreeMap::new(); weeks];
    for row in rows::<MoveRow>(plan, "moves.csv", diagnostics) {
        *at(&mut moves, row.week as usize)
            .entry(row.reason)
            .or_default() += 1;
    }
    for row in rows::<ForecastMoveRow>(plan, "forecast_moves.csv", diagnostics) {
        *at(&mut moves, row.week as usize)
            .entry("cohort".to_string())
            .or_default() += row.count;
    }
    moves
}

/// People not released home, by reason.
fn unplaced(rows: impl Iterator<Item = UnplacedRow>) -> BTreeMap<String, u64> {
    let mut people = BTreeMap::new();
    for row in rows {
        *people.entry(row.reason).or_default() += row.count;
    }
    people
}

/// The resettlement prisons in file order, each with its weeks.
fn workload(rows: impl Iterator<Item = WorkloadRow>) -> Vec<PrisonWorkload> {
    let mut prisons: Vec<PrisonWorkload> = Vec::new();
    for row in rows {
        if prisons.last().is_none_or(|p| p.code != row.prison) {
            prisons.push(PrisonWorkload {
                code: row.prison.clone(),
                name: row.name.clone(),
                weeks: Vec::new(),
            });
        }
        let weeks = &mut prisons.last_mut().expect("pushed above").weeks;
        let week = row.week as usize;
        *at(weeks, week) = row;
    }
    prisons
}

/// Each CPA's CRC, summed over the weeks.
fn crcs(rows: impl Iterator<Item = WorkloadByCrcRow>) -> BTreeMap<String, CrcFigures> {
    let mut crcs: BTreeMap<String, CrcFigures> = BTreeMap::new();
    for row in rows {
        let crc = crcs.entry(row.cpa).or_default();
        crc.final_weeks += row.final_weeks;
        crc.releases += row.releases;
        if row.resettlement_for_cpa {
            crc.at_resettlement_prison += row.final_weeks;
        }
        crc.prisons.insert(row.prison);
    }
    crcs
}

fn load_comparison(path: &Path, diagnostics: &mut Diagnostics) -> Option<Comparison> {
    let (header, rows) = read_texts(path, "resettle scenarios run", diagnostics)?;
    if header.is_empty() {
        diagnostics.push(Diagnostic::file_error(path, "has no columns"));
        return None;
    }
    Some(Comparison {
        path: path.to_path_buf(),
        header,
        rows,
    })
}
