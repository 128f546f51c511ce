//! The outputs of `resettle plan` (docs/planning-rules.md §6): the optimal plan's moves (each
//! with why) and the transfer requests of one week ([`requests`]), the closure moves that
//! override a do-not-move hold, the KPIs of the three plans compared (docs/planning-rules.md
//! §4) with the run's parameters, the explanation for each eligible prisoner or cohort not
//! released home, the occupancy, and the summary table printed on the terminal.
//!
//! Every file is deterministic: rows come from `Vec`s in index order or from `BTreeMap`s, and
//! nothing that varies between runs (such as the solver's timings) is written into a file.

mod analyses;
mod csv_writer;
mod files;
mod inputs;
mod kpis;
mod model;
mod moves;
mod pseudonyms;
mod record;
pub mod requests;
pub mod rows;
mod summary;
mod workload;

pub use analyses::{bottlenecks_csv, marginal_value_csv};
pub use csv_writer::{csv_bytes, csv_cell, CsvOutput};
pub use files::{OutputDir, OutputFile, OutputFiles, TargetError, WriteError, MARKER};
pub use inputs::{booked_csv, population_csv, receptions_csv};
pub use model::objectives_csv;
pub use moves::changes_csv;
pub use pseudonyms::{is_pseudonym, pseudonym, PseudonymKey};
pub use record::{read_rows, read_texts, rows_csv};
pub(crate) use summary::percent_of;
pub use summary::{percent, summary_table};
pub use workload::workload_outputs;

use kpis::{
    kpis_by_cpa_csv, kpis_by_estate_csv, kpis_by_prison_csv, kpis_by_week_csv, kpis_json,
    occupancy_csv,
};
use moves::{forecast_moves_csv, moves_csv, prisoner_moves, unplaced_csv};
use pseudonyms::Ids;

use chrono::NaiveDate;
use serde::Serialize;

use crate::analysis::bottleneck;
use crate::analysis::explain::{conflicts, why};
use crate::analysis::marginal;
use crate::domain::{CpaId, Prisoner};
use crate::planners::optimal::SolveReport;
use crate::problem::instance::{Instance, Origin};
use crate::problem::kpi::Kpis;
use crate::problem::plan::Plan;
use crate::solver::SolverOptions;
use requests::{allocations_json, requests, requests_csv};
pub use requests::{request_attributes, RequestAttributes};

/// The three plans compared, and how the optimal one was proven.
#[derive(Debug, Clone, Copy)]
pub struct PlanSet<'a> {
    /// No moves but the booked ones and those closures force.
    pub status_quo: &'a Plan,
    /// The plan a planner would make by hand.
    pub greedy: &'a Plan,
    /// The optimised plan: the one whose moves are written out.
    pub optimal: &'a Plan,
    /// The optimal plan's model size, bound, gap and stages.
    pub report: &'a SolveReport,
    /// The bottleneck bounds of every week ([`bottleneck::analyse`]).
    pub bottlenecks: &'a [bottleneck::Bound],
    /// The marginal value of a place at each prison, ranked ([`marginal::assess`]).
    pub marginal: &'a [marginal::MarginalValue],
    /// The KPIs of the status quo, greedy and optimal plans, in that order
    /// ([`evaluate`](crate::problem::kpi::evaluate)).
    pub kpis: [&'a Kpis; 3],
}

impl PlanSet<'_> {
    /// The plans' KPIs with the names used in the files, in the order they are written.
    fn named(&self) -> [(&'static str, &Kpis); 3] {
        let [status_quo, greedy, optimal] = self.kpis;
        [
            ("status_quo", status_quo),
            ("greedy", greedy),
            ("optimal", optimal),
        ]
    }
}

/// How the outputs are written.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// When given, every prisoner id is replaced by its [`pseudonym`] under this key
    /// (docs/planning-rules.md §7).
    pub pseudonym_key: Option<PseudonymKey>,
    /// The solver's options the plan was made with, written among the run's parameters.
    pub solver: SolverOptions,
    /// The week whose transfer requests are written (`requests.csv`, `allocations.json`);
    /// `None`: the first movable week.
    pub requests_week: Option<u32>,
}

/// Adds every output of `resettle plan` to `files`: `moves.csv`, `conflicts.csv`,
/// `forecast_moves.csv`, `requests.csv`, `allocations.json`, `kpis.json`, `kpis_by_cpa.csv`,
/// `kpis_by_prison.csv`, `kpis_by_estate.csv`, `kpis_by_week.csv`, `unplaced.csv` and
/// `occupancy.csv`.
pub fn plan_outputs(
    instance: &Instance,
    plans: &PlanSet,
    options: &ReportOptions,
    files: &mut OutputFiles,
) {
    let ids = Ids {
        key: options.pseudonym_key.as_ref(),
    };
    let kpis = plans.named();
    let optimal = kpis[2].1;
    let plan = plans.optimal;
    let why = why(instance, plan, &kpis[0].1.occupancy);
    let moves = prisoner_moves(instance, plan, 0..plan.moves.len(), &why, &ids);
    files.add("moves.csv", moves_csv(&moves));
    let conflicts = prisoner_moves(instance, plan, conflicts(instance, plan), &why, &ids);
    files.add("conflicts.csv", moves_csv(&conflicts));
    files.add(
        "forecast_moves.csv",
        forecast_moves_csv(instance, plan, &why),
    );
    let week = options
        .requests_week
        .unwrap_or(instance.options.first_movable_week);
    let requests = requests(&moves, week);
    files.add("requests.csv", requests_csv(&requests));
    files.add("allocations.json", allocations_json(&requests));
    files.add(
        "kpis.json",
        kpis_json(instance, &kpis, plans.report, options),
    );
    files.add("kpis_by_cpa.csv", kpis_by_cpa_csv(instance, &kpis));
    files.add("kpis_by_prison.csv", kpis_by_prison_csv(instance, &kpis));
    files.add("kpis_by_estate.csv", kpis_by_estate_csv(instance, &kpis));
    files.add("kpis_by_week.csv", kpis_by_week_csv(instance, &kpis));
    files.add("unplaced.csv", unplaced_csv(instance, plans.optimal, &ids));
    files.add("occupancy.csv", occupancy_csv(instance, optimal));
}

/// Pretty-printed JSON with a trailing newline.
pub fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("serialising to memory");
    bytes.push(b'\n');
    bytes
}

/// The existing prisoner behind a mover, if it is one.
fn prisoner_of(instance: &Instance, mover: usize) -> Option<&Prisoner> {
    match instance.movers[mover].origin {
        Origin::Prisoner(i) => Some(&instance.inputs.prisoners[i]),
        Origin::Reception(_) => None,
    }
}

fn code(instance: &Instance, prison: usize) -> &str {
    instance.prisons()[prison].code.as_str()
}

fn optional_cpa(cpa: Option<&CpaId>) -> String {
    cpa.map_or_else(String::new, |c| c.as_str().to_string())
}

fn optional_date(date: Option<NaiveDate>) -> String {
    date.map_or_else(String::new, |d| d.to_string())
}
