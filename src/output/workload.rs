//! The workload files of the optimal plan (`workload.csv`, `workload_by_cpa.csv`,
//! `workload_by_crc.csv`, `workload.json`; the figures of [`crate::analysis::workload`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::rows::{WorkloadByCpaRow, WorkloadByCrcRow, WorkloadRow};
use super::{rows_csv, OutputFiles};
use crate::analysis::workload::{workload, ByHome, Split, Workload};
use crate::output::json_bytes;
use crate::problem::instance::Instance;
use crate::problem::plan::Plan;

/// Adds the workload files of `plan` (the optimal plan) to `files`: `workload.csv`,
/// `workload_by_cpa.csv`, `workload_by_crc.csv` and `workload.json`.
pub fn workload_outputs(instance: &Instance, plan: &Plan, files: &mut OutputFiles) {
    let workload = workload(instance, plan);
    files.add("workload.csv", workload_csv(instance, &workload));
    files.add("workload_by_cpa.csv", by_cpa_csv(instance, &workload));
    files.add("workload_by_crc.csv", by_crc_csv(instance, &workload));
    files.add("workload.json", workload_json(instance, &workload));
}

/// The resettlement prisons' indexes, in data order.
fn resettlement_prisons(instance: &Instance) -> Vec<usize> {
    (0..instance.prisons().len())
        .filter(|&p| Workload::is_resettlement(instance, p))
        .collect()
}

/// A home CPA's slug; none when unknown.
fn home_slug(instance: &Instance, home: Option<usize>) -> Option<String> {
    home.map(|h| instance.inputs.data.cpas[h].id.to_string())
}

/// One row per resettlement prison (data order) and week.
fn workload_csv(instance: &Instance, workload: &Workload) -> Vec<u8> {
    rows_csv(resettlement_prisons(instance).into_iter().flat_map(|p| {
        let prison = &instance.prisons()[p];
        workload.cells[p].iter().zip(0..).map(move |(cell, week)| {
            let split = |counts| Workload::split(instance, p, counts);
            let (final_weeks, releases, receptions) = (
                split(&cell.final_weeks),
                split(&cell.releases),
                split(&cell.receptions),
            );
            WorkloadRow {
                prison: prison.code.to_string(),
                name: prison.name.clone(),
                week,
                date: instance.date_of(week).to_string(),
                final_weeks: final_weeks.total,
                final_weeks_own: final_weeks.own,
                final_weeks_other: final_weeks.other,
                releases: releases.total,
                releases_own: releases.own,
                releases_other: releases.other,
                receptions: receptions.total,
                receptions_own: receptions.own,
                receptions_other: receptions.other,
                moves_in: cell.moves_in,
                moves_out: cell.moves_out,
            }
        })
    }))
}

/// One row per resettlement prison, week and home CPA with any count (home CPAs in data
/// order, an unknown home CPA first, written empty).
fn by_cpa_csv(instance: &Instance, workload: &Workload) -> Vec<u8> {
    let mut rows = Vec::new();
    for p in resettlement_prisons(instance) {
        let code = instance.prisons()[p].code.as_str();
        for (cell, week) in workload.cells[p].iter().zip(0..) {
            let homes: std::collections::BTreeSet<Option<usize>> = cell
                .final_weeks
                .keys()
                .chain(cell.releases.keys())
                .chain(cell.receptions.keys())
                .copied()
                .collect();
            for home in homes {
                let get = |counts: &ByHome| counts.get(&home).copied().unwrap_or(0);
                rows.push(WorkloadByCpaRow {
                    prison: code.to_string(),
                    week,
                    date: instance.date_of(week).to_string(),
                    home_cpa: home_slug(instance, home),
                    own: home.is_some_and(|h| instance.serves[p][h]),
                    final_weeks: get(&cell.final_weeks),
                    releases: get(&cell.releases),
                    receptions: get(&cell.receptions),
                });
            }
        }
    }
    rows_csv(rows)
}

/// The per-CRC view: for each CPA (data order) and week, every prison (data order) holding
/// any of its prisoners in their final weeks.
fn by_crc_csv(instance: &Instance, workload: &Workload) -> Vec<u8> {
    let mut rows = Vec::new();
    for (c, cpa) in instance.inputs.data.cpas.iter().enumerate() {
        for week in 0..instance.options.horizon {
            for (p, prison) in instance.prisons().iter().enumerate() {
                let cell = &workload.cells[p][week as usize];
                let held = cell.final_weeks.get(&Some(c)).copied().unwrap_or(0);
                if held == 0 {
                    continue;
                }
                rows.push(WorkloadByCrcRow {
                    cpa: cpa.id.to_string(),
                    week,
                    date: instance.date_of(week).to_string(),
                    prison: prison.code.to_string(),
                    resettlement_for_cpa: instance.serves[p][c],
                    final_weeks: held,
                    releases: cell.releases.get(&Some(c)).copied().unwrap_or(0),
                });
            }
        }
    }
    rows_csv(rows)
}

/// A split count with its breakdown by home CPA, as written in `workload.json`.
#[derive(Serialize)]
struct CountsJson {
    #[serde(flatten)]
    split: Split,
    /// By home CPA slug (CPAs with a count only).
    by_cpa: BTreeMap<String, u64>,
    /// Those with no home CPA.
    unknown_home: u64,
}

#[derive(Serialize)]
struct PrisonWeekJson {
    week: u32,
    date: String,
    final_weeks: CountsJson,
    releases: CountsJson,
    receptions: CountsJson,
    moves_in: u64,
    moves_out: u64,
}

#[derive(Serialize)]
struct PrisonJson {
    prison: String,
    name: String,
    /// The CPAs it is a resettlement prison for.
    serves: Vec<String>,
    weeks: Vec<PrisonWeekJson>,
}

#[derive(Serialize)]
struct CrcWeekJson {
    week: u32,
    date: String,
    /// Its prisoners in their final weeks, anywhere.
    final_weeks: u64,
    /// Of those, held in a resettlement prison of the CPA.
    at_resettlement_prison: u64,
    /// Held anywhere else.
    elsewhere: u64,
    releases: u64,
    /// Final-weeks prisoners by prison code (prisons holding any).
    by_prison: BTreeMap<String, u64>,
}

#[derive(Serialize)]
struct CrcJson {
    cpa: String,
    number: u32,
    name: String,
    weeks: Vec<CrcWeekJson>,
}

#[derive(Serialize)]
struct WorkloadJson {
    window: u32,
    prisons: Vec<PrisonJson>,
    crcs: Vec<CrcJson>,
}

fn counts_json(instance: &Instance, prison: usize, counts: &ByHome) -> CountsJson {
    CountsJson {
        split: Workload::split(instance, prison, counts),
        by_cpa: counts
            .iter()
            .filter_map(|(&home, &n)| Some((home_slug(instance, home)?, n)))
            .collect(),
        unknown_home: counts.get(&None).copied().unwrap_or(0),
    }
}

fn workload_json(instance: &Instance, workload: &Workload) -> Vec<u8> {
    let data = &instance.inputs.data;
    let prisons = resettlement_prisons(instance)
        .into_iter()
        .map(|p| {
            let prison = &instance.prisons()[p];
            PrisonJson {
                prison: prison.code.to_string(),
                name: prison.name.clone(),
                serves: data
                    .cpas
                    .iter()
                    .enumerate()
                    .filter(|&(c, _)| instance.serves[p][c])
                    .map(|(_, cpa)| cpa.id.to_string())
                    .collect(),
                weeks: workload.cells[p]
                    .iter()
                    .enumerate()
                    .map(|(week, cell)| PrisonWeekJson {
                        week: week as u32,
                        date: instance.date_of(week as u32).to_string(),
                        final_weeks: counts_json(instance, p, &cell.final_weeks),
                        releases: counts_json(instance, p, &cell.releases),
                        receptions: counts_json(instance, p, &cell.receptions),
                        moves_in: cell.moves_in,
                        moves_out: cell.moves_out,
                    })
                    .collect(),
            }
        })
        .collect();
    let crcs = data
        .cpas
        .iter()
        .enumerate()
        .map(|(c, cpa)| CrcJson {
            cpa: cpa.id.to_string(),
            number: cpa.number,
            name: cpa.name.clone(),
            weeks: (0..instance.options.horizon)
                .map(|week| crc_week(instance, workload, c, week))
                .collect(),
        })
        .collect();
    json_bytes(&WorkloadJson {
        window: workload.window,
        prisons,
        crcs,
    })
}

/// Where CPA `cpa`'s prisoners in their final weeks are held in week `week`.
fn crc_week(instance: &Instance, workload: &Workload, cpa: usize, week: u32) -> CrcWeekJson {
    let mut entry = CrcWeekJson {
        week,
        date: instance.date_of(week).to_string(),
        final_weeks: 0,
        at_resettlement_prison: 0,
        elsewhere: 0,
        releases: 0,
        by_prison: BTreeMap::new(),
    };
    for (p, prison) in instance.prisons().iter().enumerate() {
        let cell = &workload.cells[p][week as usize];
        let held = cell.final_weeks.get(&Some(cpa)).copied().unwrap_or(0);
        entry.releases += cell.releases.get(&Some(cpa)).copied().unwrap_or(0);
        if held == 0 {
            continue;
        }
        entry.final_weeks += held;
        if instance.serves[p][cpa] {
            entry.at_resettlement_prison += held;
        } else {
            entry.elsewhere += held;
        }
        entry.by_prison.insert(prison.code.to_string(), held);
    }
    entry
}
