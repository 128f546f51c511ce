//! `resettle report`: one self-contained HTML file about a plan folder (and, optionally, a
//! scenario folder), for reading offline and printing.
//!
//! The report is built from the files `resettle plan` writes — `kpis.json` (with the run's
//! parameters), `kpis_by_cpa.csv`, `kpis_by_week.csv`, `kpis_by_prison.csv`,
//! `occupancy.csv`, `moves.csv`, `forecast_moves.csv`, `unplaced.csv`, `workload.csv` and
//! `workload_by_crc.csv` — and, with `--scenarios`, the scenario runner's `comparison.csv`.
//! Every problem in those files is reported (file, line, column) before failing with exit
//! code 2. A plan made under a time limit that ran out is marked TIME LIMIT at the top.
//!
//! The page has no external resource at all: charts are inline SVG drawn here, the only
//! script (sortable tables, and a record of script errors on the `<html>` element that the
//! browser test reads) is inline, and a Content-Security-Policy forbids any fetch. It shows
//! counts and shares only, never a prisoner id. The same folder gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use clap::Args;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::error::Error;
use crate::io::OutputFile;

/// Options of `resettle report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Plan folder written by `resettle plan`.
    #[arg(long, value_name = "DIR")]
    pub plan: PathBuf,
    /// Scenario folder written by `resettle scenarios run` (its comparison.csv): adds a
    /// comparison page.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// The HTML file to write: a regular file is replaced when the report is complete (a
    /// symbolic link is followed and kept); a FIFO or device is written through.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// The top-level entry point for `resettle report`.
pub fn report_command(
    args: &ReportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let target = OutputFile::claim(&args.out)?;
    let (data, diagnostics) = load(&args.plan, args.scenarios.as_deref());
    for diagnostic in diagnostics.iter() {
        writeln!(err, "{diagnostic}")?;
    }
    let data = match data {
        Some(data) if !diagnostics.has_errors() => data,
        _ => return Err(Error::BadInput(diagnostics)),
    };
    // Written through a FIFO or device (`--out /dev/stdout`), the report is followed by
    // nothing on stdout.
    let summary: &mut dyn Write = if target.is_written_through() {
        &mut *err
    } else {
        &mut *out
    };
    target.write(render(&data).as_bytes())?;
    writeln!(
        summary,
        "wrote {}: {} sections{}",
        args.out.display(),
        data.sections().len(),
        if data.scenarios.is_some() {
            " (with the scenario comparison)"
        } else {
            ""
        }
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The figures read from the folders.

/// One tally of `kpis.json`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct TallyFigures {
    pub home: u64,
    pub eligible: u64,
    pub share: Option<f64>,
}

/// One estate of a plan in `kpis.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct EstateFigures {
    pub estate: String,
    pub k1_within_reach: TallyFigures,
    pub k1: TallyFigures,
    pub k2: TallyFigures,
}

/// One plan of `kpis.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct PlanFigures {
    pub k1_within_reach_adult_male: TallyFigures,
    pub k1_within_reach: TallyFigures,
    pub k1: TallyFigures,
    pub k1_adult_male: TallyFigures,
    pub k2: TallyFigures,
    pub on_track: u64,
    pub home_plus_on_track: u64,
    pub by_estate: Vec<EstateFigures>,
    pub moves: u64,
    pub overflow_person_weeks: u64,
}

/// The bound of `kpis.json`: on objective (b), home releases plus on track.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct BoundFigures {
    pub home_plus_on_track: u64,
}

/// The run's parameters in `kpis.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Parameters {
    pub start: String,
    pub horizon: u32,
    pub window: u32,
    pub first_movable_week: u32,
    pub within_reach_from_week: u32,
    pub headroom_percent: f64,
    pub max_moves_per_week: Option<u32>,
    pub max_moves_per_prison_week: Option<u32>,
    pub time_limit_seconds: Option<f64>,
    pub mip_gap: f64,
}

/// The juvenile estate, counted apart in `kpis.json`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct JuvenileFigures {
    pub releases_in_horizon: u64,
    pub held_at_start: u64,
}

/// How the optimal plan was solved (`kpis.json`'s `model`).
#[derive(Debug, Clone, Deserialize)]
pub struct ModelFigures {
    pub rows: u64,
    pub columns: u64,
    pub nonzeros: u64,
    pub integrality: String,
    pub solved: String,
    pub time_limit_reached: bool,
}

/// `kpis.json`, as far as the report uses it.
#[derive(Debug, Clone, Deserialize)]
pub struct KpiFigures {
    pub parameters: Parameters,
    pub status_quo: PlanFigures,
    pub greedy: PlanFigures,
    pub optimal: PlanFigures,
    pub bound: BoundFigures,
    pub gap: f64,
    pub juvenile_estate: JuvenileFigures,
    pub model: ModelFigures,
}

impl KpiFigures {
    fn plans(&self) -> [(&'static str, &'static str, &PlanFigures); 3] {
        [
            ("status_quo", "Status quo", &self.status_quo),
            ("greedy", "Greedy", &self.greedy),
            ("optimal", "Optimal", &self.optimal),
        ]
    }
}

/// One plan's figures for a CPA (`kpis_by_cpa.csv`) or a week (`kpis_by_week.csv`).
#[derive(Debug, Clone, Copy, Default)]
struct PartFigures {
    reach_eligible: u64,
    reach_share: Option<f64>,
    k1_eligible: u64,
    k1_share: Option<f64>,
    k2_share: Option<f64>,
}

/// One CPA's K1 and K2 in the three plans (`kpis_by_cpa.csv`).
#[derive(Debug, Clone, Default)]
struct CpaFigures {
    slug: String,
    number: u32,
    name: String,
    /// By plan name.
    plans: BTreeMap<String, PartFigures>,
}

/// One prison's occupancy and capacity by week (`occupancy.csv`).
#[derive(Debug, Clone, Default)]
struct PrisonWeeks {
    code: String,
    name: String,
    /// (occupancy, capacity) per week.
    weeks: Vec<(u64, u64)>,
}

/// The figures of `workload.csv` kept for one prison and week.
#[derive(Debug, Clone, Copy, Default)]
struct WorkloadWeek {
    final_weeks: u64,
    own: u64,
    other: u64,
    releases: u64,
    releases_own: u64,
    receptions: u64,
    moves_in: u64,
    moves_out: u64,
}

/// What the CRC of one CPA sees (`workload_by_crc.csv`), summed over the weeks.
#[derive(Debug, Clone, Default)]
struct CrcFigures {
    /// Person-weeks of its prisoners in their final weeks, anywhere.
    final_weeks: u64,
    /// Of those, in a resettlement prison of the CPA.
    at_resettlement_prison: u64,
    releases: u64,
    prisons: BTreeSet<String>,
}

/// The scenario runner's `comparison.csv`, kept as text.
#[derive(Debug, Clone)]
struct Comparison {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
struct ReportData {
    kpis: KpiFigures,
    cpas: Vec<CpaFigures>,
    /// Per week (K1 by release week, K2 by week), by plan name (`kpis_by_week.csv`).
    weeks: Vec<BTreeMap<String, PartFigures>>,
    prisons: Vec<PrisonWeeks>,
    /// Week dates, from `occupancy.csv`.
    dates: Vec<String>,
    /// People moved per week and kind (`resettle`, `decant`, `booked`, `cohort`).
    moves: Vec<BTreeMap<String, u64>>,
    /// People not released home (prisoners and members of reception cohorts), by reason.
    unplaced: BTreeMap<String, u64>,
    /// Per resettlement prison (code, name), its weeks.
    workload: Vec<(String, String, Vec<WorkloadWeek>)>,
    crcs: BTreeMap<String, CrcFigures>,
    scenarios: Option<Comparison>,
}

impl ReportData {
    /// The sections of the page: (id, heading).
    fn sections(&self) -> Vec<(&'static str, &'static str)> {
        let mut sections = vec![
            ("summary", "National summary"),
            ("parameters", "The run's parameters"),
            ("by-week", "K1 and K2 by week"),
            ("by-estate", "K1 and K2 by estate"),
            ("k1-by-cpa", "K1 and K2 by CPA"),
            ("occupancy", "Occupancy against capacity"),
            ("moves", "Moves per week"),
            ("workload", "CRC workload per resettlement prison"),
            ("crc", "Where each CPA's prisoners nearing release are held"),
            ("unplaced", "People not released home, by reason"),
        ];
        if self.scenarios.is_some() {
            sections.push(("scenarios", "Scenario comparison"));
        }
        sections
    }
}

// ---------------------------------------------------------------------------------------
// Reading, with every problem reported.

/// A CSV file read whole: its columns by name and its records with their line numbers.
struct Table {
    path: PathBuf,
    columns: BTreeMap<String, usize>,
    header: Vec<String>,
    records: Vec<(u64, csv::StringRecord)>,
}

/// Collects the problems found while reading.
#[derive(Default)]
struct Loader {
    diagnostics: Diagnostics,
}

impl Loader {
    fn file_error(&mut self, path: &Path, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::file_error(path, message.into()));
    }

    fn bytes(&mut self, path: &Path, writer: &str) -> Option<Vec<u8>> {
        match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                self.file_error(
                    path,
                    format!("cannot be read ({e}); it is written by `{writer}`"),
                );
                None
            }
        }
    }

    /// Reads a CSV file that must have `required` columns.
    fn table(&mut self, path: &Path, required: &[&str], writer: &str) -> Option<Table> {
        let bytes = self.bytes(path, writer)?;
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(str::to_string).collect(),
            Err(e) => {
                self.file_error(path, format!("is not a CSV file: {e}"));
                return None;
            }
        };
        let columns: BTreeMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), i))
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !columns.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            self.file_error(
                path,
                format!(
                    "lacks the column(s) {}; was it written by `{writer}`?",
                    missing.join(", ")
                ),
            );
            return None;
        }
        let mut records = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line());
                    records.push((line, r));
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line());
                    self.diagnostics.push(Diagnostic {
                        line,
                        ..Diagnostic::file_error(path, format!("cannot be read: {e}"))
                    });
                }
            }
        }
        Some(Table {
            path: path.to_path_buf(),
            columns,
            header,
            records,
        })
    }

    /// A field of a record, parsed; a problem at its line and column when it does not parse.
    fn field<T: FromStr>(
        &mut self,
        table: &Table,
        (line, record): &(u64, csv::StringRecord),
        column: &str,
    ) -> Option<T> {
        let index = table.columns[column];
        let text = record.get(index).unwrap_or("");
        match text.parse() {
            Ok(value) => Some(value),
            Err(_) => {
                self.diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    file: table.path.clone(),
                    line: Some(*line),
                    column: Some((index + 1, column.to_string())),
                    value: Some(text.to_string()),
                    message: "is not a number".into(),
                });
                None
            }
        }
    }

    /// A share field: empty when nobody is counted.
    fn share(
        &mut self,
        table: &Table,
        record: &(u64, csv::StringRecord),
        column: &str,
    ) -> Option<Option<f64>> {
        if text(table, record, column).is_empty() {
            Some(None)
        } else {
            self.field(table, record, column).map(Some)
        }
    }
}

/// A field of a record as written.
fn text<'r>(table: &Table, (_, record): &'r (u64, csv::StringRecord), column: &str) -> &'r str {
    record.get(table.columns[column]).unwrap_or("")
}

const PLAN_WRITER: &str = "resettle plan";

/// Reads the plan folder (and the scenario folder); `None` when something essential could
/// not be read. Every problem is in the diagnostics.
fn load(plan: &Path, scenarios: Option<&Path>) -> (Option<ReportData>, Diagnostics) {
    let mut loader = Loader::default();
    if !plan.is_dir() {
        loader.file_error(
            plan,
            "is not a folder: give the --out folder of `resettle plan`",
        );
        return (None, loader.diagnostics);
    }
    let kpis = load_kpis(&mut loader, &plan.join("kpis.json"));
    let cpas = load_cpas(&mut loader, &plan.join("kpis_by_cpa.csv"));
    let by_week = load_weeks(&mut loader, &plan.join("kpis_by_week.csv"));
    let names = load_prison_names(&mut loader, &plan.join("kpis_by_prison.csv"));
    let (prisons, dates) = load_occupancy(&mut loader, &plan.join("occupancy.csv"), &names);
    let weeks = dates.len();
    let moves = load_moves(&mut loader, plan, weeks);
    let unplaced = load_unplaced(&mut loader, &plan.join("unplaced.csv"));
    let workload = load_workload(&mut loader, &plan.join("workload.csv"));
    let crcs = load_crcs(&mut loader, &plan.join("workload_by_crc.csv"));
    let scenarios = scenarios.map(|dir| load_comparison(&mut loader, &dir.join("comparison.csv")));
    let data = (|| {
        Some(ReportData {
            kpis: kpis?,
            cpas,
            weeks: by_week,
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
    (data, loader.diagnostics)
}

fn load_kpis(loader: &mut Loader, path: &Path) -> Option<KpiFigures> {
    let bytes = loader.bytes(path, PLAN_WRITER)?;
    match serde_json::from_slice(&bytes) {
        Ok(kpis) => Some(kpis),
        Err(e) => {
            loader.diagnostics.push(Diagnostic {
                line: Some(e.line() as u64),
                ..Diagnostic::file_error(path, format!("is not the KPIs of a plan: {e}"))
            });
            None
        }
    }
}

/// The columns of a `kpis_by_*.csv` file the report reads.
const PART_COLUMNS: [&str; 6] = [
    "plan",
    "k1_within_reach_eligible",
    "k1_within_reach_share",
    "k1_eligible",
    "k1_share",
    "k2_share",
];

/// One plan's figures of a `kpis_by_*.csv` record, when they all parse.
fn part_figures(
    loader: &mut Loader,
    table: &Table,
    record: &(u64, csv::StringRecord),
) -> Option<PartFigures> {
    let figures = (
        loader.field(table, record, "k1_within_reach_eligible"),
        loader.share(table, record, "k1_within_reach_share"),
        loader.field(table, record, "k1_eligible"),
        loader.share(table, record, "k1_share"),
        loader.share(table, record, "k2_share"),
    );
    let (
        Some(reach_eligible),
        Some(reach_share),
        Some(k1_eligible),
        Some(k1_share),
        Some(k2_share),
    ) = figures
    else {
        return None;
    };
    Some(PartFigures {
        reach_eligible,
        reach_share,
        k1_eligible,
        k1_share,
        k2_share,
    })
}

fn load_cpas(loader: &mut Loader, path: &Path) -> Vec<CpaFigures> {
    let mut columns = vec!["cpa", "number", "name"];
    columns.extend(PART_COLUMNS);
    let Some(table) = loader.table(path, &columns, PLAN_WRITER) else {
        return Vec::new();
    };
    let mut cpas: Vec<CpaFigures> = Vec::new();
    for record in &table.records {
        let slug = text(&table, record, "cpa").to_string();
        let figures = part_figures(loader, &table, record);
        let number = loader.field(&table, record, "number").unwrap_or(0);
        if cpas.last().is_none_or(|c| c.slug != slug) {
            cpas.push(CpaFigures {
                slug,
                number,
                name: text(&table, record, "name").to_string(),
                plans: BTreeMap::new(),
            });
        }
        if let Some(figures) = figures {
            let plan = text(&table, record, "plan").to_string();
            let cpa = cpas.last_mut().expect("pushed above");
            cpa.plans.insert(plan, figures);
        }
    }
    cpas
}

/// `kpis_by_week.csv`: per week, each plan's figures.
fn load_weeks(loader: &mut Loader, path: &Path) -> Vec<BTreeMap<String, PartFigures>> {
    let mut columns = vec!["week"];
    columns.extend(PART_COLUMNS);
    let Some(table) = loader.table(path, &columns, PLAN_WRITER) else {
        return Vec::new();
    };
    let mut weeks: Vec<BTreeMap<String, PartFigures>> = Vec::new();
    for record in &table.records {
        let (Some(week), Some(figures)) = (
            loader.field::<usize>(&table, record, "week"),
            part_figures(loader, &table, record),
        ) else {
            continue;
        };
        if weeks.len() <= week {
            weeks.resize(week + 1, BTreeMap::new());
        }
        weeks[week].insert(text(&table, record, "plan").to_string(), figures);
    }
    weeks
}

fn load_prison_names(loader: &mut Loader, path: &Path) -> BTreeMap<String, String> {
    let Some(table) = loader.table(path, &["prison", "name"], PLAN_WRITER) else {
        return BTreeMap::new();
    };
    table
        .records
        .iter()
        .map(|r| {
            (
                text(&table, r, "prison").to_string(),
                text(&table, r, "name").to_string(),
            )
        })
        .collect()
}

fn load_occupancy(
    loader: &mut Loader,
    path: &Path,
    names: &BTreeMap<String, String>,
) -> (Vec<PrisonWeeks>, Vec<String>) {
    let columns = ["prison", "week", "date", "occupancy", "capacity"];
    let Some(table) = loader.table(path, &columns, PLAN_WRITER) else {
        return (Vec::new(), Vec::new());
    };
    let mut prisons: Vec<PrisonWeeks> = Vec::new();
    let mut dates: BTreeMap<usize, String> = BTreeMap::new();
    for record in &table.records {
        let code = text(&table, record, "prison");
        let (Some(week), Some(occupancy), Some(capacity)) = (
            loader.field::<usize>(&table, record, "week"),
            loader.field(&table, record, "occupancy"),
            loader.field(&table, record, "capacity"),
        ) else {
            continue;
        };
        dates.insert(week, text(&table, record, "date").to_string());
        if prisons.last().is_none_or(|p| p.code != code) {
            prisons.push(PrisonWeeks {
                code: code.to_string(),
                name: names.get(code).cloned().unwrap_or_default(),
                weeks: Vec::new(),
            });
        }
        let weeks = &mut prisons.last_mut().expect("pushed above").weeks;
        if weeks.len() <= week {
            weeks.resize(week + 1, (0, 0));
        }
        weeks[week] = (occupancy, capacity);
    }
    (prisons, dates.into_values().collect())
}

fn load_moves(loader: &mut Loader, plan: &Path, weeks: usize) -> Vec<BTreeMap<String, u64>> {
    let mut moves = vec![BTreeMap::new(); weeks];
    let mut add = |week: usize, kind: &str, count: u64| {
        if moves.len() <= week {
            moves.resize(week + 1, BTreeMap::new());
        }
        *moves[week].entry(kind.to_string()).or_default() += count;
    };
    let path = plan.join("moves.csv");
    if let Some(table) = loader.table(&path, &["week", "reason"], PLAN_WRITER) {
        for record in &table.records {
            if let Some(week) = loader.field(&table, record, "week") {
                add(week, text(&table, record, "reason"), 1);
            }
        }
    }
    let path = plan.join("forecast_moves.csv");
    if let Some(table) = loader.table(&path, &["week", "count"], PLAN_WRITER) {
        for record in &table.records {
            if let (Some(week), Some(count)) = (
                loader.field(&table, record, "week"),
                loader.field(&table, record, "count"),
            ) {
                add(week, "cohort", count);
            }
        }
    }
    moves
}

fn load_unplaced(loader: &mut Loader, path: &Path) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    if let Some(table) = loader.table(path, &["count", "reason"], PLAN_WRITER) {
        for record in &table.records {
            if let Some(people) = loader.field::<u64>(&table, record, "count") {
                *counts
                    .entry(text(&table, record, "reason").to_string())
                    .or_default() += people;
            }
        }
    }
    counts
}

fn load_workload(loader: &mut Loader, path: &Path) -> Vec<(String, String, Vec<WorkloadWeek>)> {
    let columns = [
        "prison",
        "name",
        "week",
        "final_weeks",
        "final_weeks_own",
        "final_weeks_other",
        "releases",
        "releases_own",
        "receptions",
        "moves_in",
        "moves_out",
    ];
    let Some(table) = loader.table(path, &columns, PLAN_WRITER) else {
        return Vec::new();
    };
    let mut prisons: Vec<(String, String, Vec<WorkloadWeek>)> = Vec::new();
    for record in &table.records {
        let code = text(&table, record, "prison");
        let mut number = |column| loader.field::<u64>(&table, record, column);
        let fields = [
            number("week"),
            number("final_weeks"),
            number("final_weeks_own"),
            number("final_weeks_other"),
            number("releases"),
            number("releases_own"),
            number("receptions"),
            number("moves_in"),
            number("moves_out"),
        ];
        let [Some(week), Some(final_weeks), Some(own), Some(other), Some(releases), Some(releases_own), Some(receptions), Some(moves_in), Some(moves_out)] =
            fields
        else {
            continue;
        };
        if prisons.last().is_none_or(|p| p.0 != code) {
            let name = text(&table, record, "name").to_string();
            prisons.push((code.to_string(), name, Vec::new()));
        }
        let weeks = &mut prisons.last_mut().expect("pushed above").2;
        let week = week as usize;
        if weeks.len() <= week {
            weeks.resize(week + 1, WorkloadWeek::default());
        }
        weeks[week] = WorkloadWeek {
            final_weeks,
            own,
            other,
            releases,
            releases_own,
            receptions,
            moves_in,
            moves_out,
        };
    }
    prisons
}

fn load_crcs(loader: &mut Loader, path: &Path) -> BTreeMap<String, CrcFigures> {
    let columns = [
        "cpa",
        "prison",
        "resettlement_for_cpa",
        "final_weeks",
        "releases",
    ];
    let mut crcs: BTreeMap<String, CrcFigures> = BTreeMap::new();
    let Some(table) = loader.table(path, &columns, PLAN_WRITER) else {
        return crcs;
    };
    for record in &table.records {
        let (Some(held), Some(released), Some(home)) = (
            loader.field::<u64>(&table, record, "final_weeks"),
            loader.field::<u64>(&table, record, "releases"),
            loader.field::<bool>(&table, record, "resettlement_for_cpa"),
        ) else {
            continue;
        };
        let crc = crcs
            .entry(text(&table, record, "cpa").to_string())
            .or_default();
        crc.final_weeks += held;
        crc.releases += released;
        if home {
            crc.at_resettlement_prison += held;
        }
        crc.prisons
            .insert(text(&table, record, "prison").to_string());
    }
    crcs
}

fn load_comparison(loader: &mut Loader, path: &Path) -> Option<Comparison> {
    let table = loader.table(path, &[], "resettle scenarios run")?;
    if table.header.is_empty() {
        loader.file_error(path, "has no columns");
        return None;
    }
    let rows = table
        .records
        .iter()
        .map(|(_, r)| r.iter().map(str::to_string).collect())
        .collect();
    Some(Comparison {
        path: table.path,
        header: table.header,
        rows,
    })
}

// ---------------------------------------------------------------------------------------
// Formatting.

/// Text escaped for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A share as a percentage with one decimal, `–` when nobody is counted.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_string(), |s| format!("{:.1}%", s * 100.0))
}

/// A mean with one decimal.
fn mean(total: u64, weeks: usize) -> f64 {
    if weeks == 0 {
        0.0
    } else {
        total as f64 / weeks as f64
    }
}

/// A whole number with thousands separated by commas.
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A plan's colour in the charts.
const PLAN_COLOURS: [&str; 3] = ["#9e9e9e", "#f4a261", "#1d5a8c"];

/// The fixed part of the page: styles.
const STYLE: &str = r#"
:root { --ink: #1b1b1b; --muted: #5f6b76; --rule: #d5dbe1; --accent: #1d5a8c; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 1.5rem; line-height: 1.4; font-size: 14px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
p.note, .note { color: var(--muted); font-size: .9rem; }
nav ul { list-style: none; padding: 0; margin: .5rem 0 1rem; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
nav a { color: var(--accent); }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: .8rem 0; }
.card { border: 1px solid var(--rule); border-radius: 4px; padding: .6rem .9rem; min-width: 12rem; }
.card .big { font-size: 1.7rem; font-weight: bold; color: var(--accent); }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .85rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .2rem .5rem; text-align: right; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
thead th { background: #eef2f6; position: sticky; top: 0; }
table.sortable thead th { cursor: pointer; user-select: none; }
table.sortable thead th[aria-sort=ascending]::after { content: " \25B2"; }
table.sortable thead th[aria-sort=descending]::after { content: " \25BC"; }
.scroll { overflow-x: auto; max-width: 100%; }
svg.chart { display: block; margin: .5rem 0; max-width: 100%; height: auto; font-family: inherit; }
svg text { font-size: 11px; fill: var(--ink); }
svg .axis { stroke: #888; stroke-width: 1; }
svg .grid { stroke: #e3e7eb; stroke-width: 1; }
svg .target { stroke: #c0392b; stroke-width: 2; stroke-dasharray: 6 3; }
svg text.target-label { fill: #c0392b; font-weight: bold; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
p.warning { border: 2px solid #c0392b; color: #c0392b; font-weight: bold; padding: .5rem .8rem; }
.legend { display: flex; gap: 1rem; flex-wrap: wrap; font-size: .85rem; }
.swatch { display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: -.1em; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  thead th { position: static; }
  h2 { break-after: avoid; }
  svg, tr, .card { break-inside: avoid; }
  section.page { break-before: page; }
  .scroll { overflow: visible; }
}
"#;

/// Records script errors and console errors on `<html>` (read by the browser test); runs
/// first.
const ERROR_TRAP: &str = r#"
window.resettleErrors = [];
window.addEventListener('error', function (e) { window.resettleErrors.push(String(e.message)); });
document.addEventListener('securitypolicyviolation', function (e) {
  window.resettleErrors.push('blocked ' + e.blockedURI);
});
(function () {
  var original = console.error;
  console.error = function () {
    window.resettleErrors.push(Array.prototype.join.call(arguments, ' '));
    return original.apply(console, arguments);
  };
})();
window.addEventListener('load', function () {
  var html = document.documentElement;
  html.setAttribute('data-errors', JSON.stringify(window.resettleErrors));
  html.setAttribute('data-charts', String(document.querySelectorAll('svg[data-chart]').length));
  html.setAttribute('data-rendered', 'yes');
});
"#;

/// Sorts a table by the column whose heading is clicked (numbers as numbers).
const SORT_SCRIPT: &str = r#"
(function () {
  function key(cell) {
    var t = (cell.getAttribute('data-sort') || cell.textContent).trim();
    var n = Number(t.replace(/[,%]/g, ''));
    return (t === '' || t === '\u2013') ? -Infinity : (isNaN(n) ? t.toLowerCase() : n);
  }
  function compare(x, y) {
    if (typeof x === typeof y) { return x < y ? -1 : (x > y ? 1 : 0); }
    return typeof x === 'number' ? -1 : 1;
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      th.tabIndex = 0;
      th.setAttribute('aria-sort', 'none');
      function sort() {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var c = compare(key(a.cells[column]), key(b.cells[column]));
          return ascending ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
    });
  });
})();
"#;

// ---------------------------------------------------------------------------------------
// Charts, as inline SVG.

/// A horizontal bar chart: one row per category, one bar per series (grouped) or the series
/// stacked.
struct Bars<'a> {
    /// `data-chart` of the `<svg>`: what the browser test looks for.
    id: &'a str,
    /// What the chart shows, for screen readers.
    title: &'a str,
    series: Vec<(String, &'a str)>,
    rows: Vec<(String, Vec<Option<f64>>)>,
    stacked: bool,
    /// The axis' end; the largest value (or stack) when `None`.
    max: Option<f64>,
    /// A vertical line: (value, label).
    target: Option<(f64, &'a str)>,
    format: fn(f64) -> String,
}

fn format_share(v: f64) -> String {
    let pct = v * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0}%")
    } else {
        percent(Some(v))
    }
}

fn format_count(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        count(v.round() as u64)
    } else {
        format!("{v:.1}")
    }
}

/// The legend of a chart's series.
fn legend(series: &[(String, &str)]) -> String {
    let mut out = String::from("<div class=\"legend\">");
    for (name, colour) in series {
        let _ = write!(
            out,
            "<span><span class=\"swatch\" style=\"background:{colour}\"></span>{}</span>",
            esc(name)
        );
    }
    out.push_str("</div>");
    out
}

fn bar_chart(bars: &Bars) -> String {
    const LABEL: f64 = 250.0;
    const PLOT: f64 = 580.0;
    const BAR: f64 = 12.0;
    const GAP: f64 = 8.0;
    let per_row = if bars.stacked {
        BAR + 4.0
    } else {
        BAR * bars.series.len() as f64
    };
    let max = bars.max.unwrap_or_else(|| {
        let largest = bars
            .rows
            .iter()
            .map(|(_, values)| {
                let values = values.iter().map(|v| v.unwrap_or(0.0));
                if bars.stacked {
                    values.sum()
                } else {
                    values.fold(0.0, f64::max)
                }
            })
            .fold(0.0, f64::max);
        nice_max(largest)
    });
    let top = 6.0;
    let height = top + bars.rows.len() as f64 * (per_row + GAP) + 28.0;
    let width = LABEL + PLOT + 70.0;
    let x = |v: f64| LABEL + PLOT * (v / max).clamp(0.0, 1.0);
    let mut svg = format!(
        "<svg class=\"chart\" data-chart=\"{}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">",
        esc(bars.id),
        esc(bars.title)
    );
    let axis_y = height - 22.0;
    for tick in 0..=4 {
        let value = max * f64::from(tick) / 4.0;
        let tx = x(value);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{tx:.1}\" y1=\"{top}\" x2=\"{tx:.1}\" y2=\"{axis_y}\"/>\
             <text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 14.0,
            esc(&(bars.format)(value))
        );
    }
    for (i, (label, values)) in bars.rows.iter().enumerate() {
        let y0 = top + i as f64 * (per_row + GAP);
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            LABEL - 6.0,
            y0 + per_row / 2.0 + 4.0,
            esc(label),
            esc(&shorten(label, 40))
        );
        let mut stack = 0.0;
        for (s, ((name, colour), value)) in bars.series.iter().zip(values).enumerate() {
            let Some(value) = value else { continue };
            let (x0, x1, y) = if bars.stacked {
                let from = stack;
                stack += value;
                (x(from), x(stack), y0 + 2.0)
            } else {
                (LABEL, x(*value), y0 + s as f64 * BAR)
            };
            let _ = write!(
                svg,
                "<rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" data-value=\"{value}\"><title>{}: {} {}</title></rect>",
                (x1 - x0).max(0.0),
                BAR - 1.0,
                esc(label),
                esc(name),
                esc(&(bars.format)(*value))
            );
            if !bars.stacked {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    x1 + 3.0,
                    y + BAR - 3.0,
                    esc(&(bars.format)(*value))
                );
            }
        }
        if bars.stacked && stack > 0.0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                x(stack) + 3.0,
                y0 + BAR,
                esc(&(bars.format)(stack))
            );
        }
    }
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{LABEL}\" y1=\"{top}\" x2=\"{LABEL}\" y2=\"{axis_y}\"/>"
    );
    if let Some((value, label)) = bars.target {
        let tx = x(value);
        let _ = write!(
            svg,
            "<line class=\"target\" x1=\"{tx:.1}\" y1=\"{top}\" x2=\"{tx:.1}\" y2=\"{axis_y}\"/>\
             <text class=\"target-label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            tx + 4.0,
            axis_y - 4.0,
            esc(label)
        );
    }
    svg.push_str("</svg>");
    format!("{}{svg}", legend(&bars.series))
}

/// One series of a [`week_chart`].
struct Line {
    name: String,
    colour: &'static str,
    /// Per week; `None` where nobody is counted (a gap in the line).
    values: Vec<Option<f64>>,
}

/// Shares by week on a 0–100% axis: one line per series with a marker per week, the 80%
/// target, and the weeks before `shade_until` shaded (releases not within reach).
fn week_chart(id: &str, title: &str, lines: &[Line], shade_until: usize) -> String {
    const LEFT: f64 = 44.0;
    const CELL: f64 = 26.0;
    const TOP: f64 = 8.0;
    const PLOT: f64 = 180.0;
    let weeks = lines.iter().map(|l| l.values.len()).max().unwrap_or(0);
    let plot_width = CELL * weeks.max(1) as f64;
    let width = LEFT + plot_width + 12.0;
    let height = TOP + PLOT + 30.0;
    let x = |week: usize| LEFT + CELL * (week as f64 + 0.5);
    let y = |v: f64| TOP + PLOT * (1.0 - v.clamp(0.0, 1.0));
    let mut svg = format!(
        "<svg class=\"chart\" data-chart=\"{}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">\
         <rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{plot_width}\" height=\"{PLOT}\" fill=\"#ffffff\" stroke=\"#d5dbe1\"/>",
        esc(id),
        esc(title)
    );
    let shaded = shade_until.min(weeks);
    if shaded > 0 {
        let _ = write!(
            svg,
            "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{:.1}\" height=\"{PLOT}\" fill=\"#eeeeee\"><title>releases not within reach (weeks 0–{})</title></rect>",
            CELL * shaded as f64,
            shaded - 1
        );
    }
    for tick in 0..=4 {
        let value = f64::from(tick) / 4.0;
        let ty = y(value);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT + plot_width,
            LEFT - 4.0,
            ty + 4.0,
            format_share(value)
        );
    }
    for week in (0..weeks).step_by(2) {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">w{week}</text>",
            x(week),
            TOP + PLOT + 16.0
        );
    }
    let target = y(0.8);
    let _ = write!(
        svg,
        "<line class=\"target\" x1=\"{LEFT}\" y1=\"{target:.1}\" x2=\"{:.1}\" y2=\"{target:.1}\"/>\
         <text class=\"target-label\" x=\"{:.1}\" y=\"{:.1}\">80%</text>",
        LEFT + plot_width,
        LEFT + 4.0,
        target - 4.0
    );
    for line in lines {
        // One polyline per run of weeks with a value.
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, svg: &mut String| {
            if run.len() > 1 {
                let _ = write!(
                    svg,
                    "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
                    line.colour,
                    run.join(" ")
                );
            }
            run.clear();
        };
        for (week, value) in line.values.iter().enumerate() {
            match value {
                Some(v) => run.push(format!("{:.1},{:.1}", x(week), y(*v))),
                None => flush(&mut run, &mut svg),
            }
        }
        flush(&mut run, &mut svg);
        for (week, value) in line.values.iter().enumerate() {
            let Some(v) = value else { continue };
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"5\" height=\"5\" fill=\"{}\" data-value=\"{v}\"><title>{} week {week}: {}</title></rect>",
                x(week) - 2.5,
                y(*v) - 2.5,
                line.colour,
                esc(&line.name),
                percent(Some(*v))
            );
        }
    }
    svg.push_str("</svg>");
    let series: Vec<(String, &str)> = lines.iter().map(|l| (l.name.clone(), l.colour)).collect();
    format!("{}<div class=\"scroll\">{svg}</div>", legend(&series))
}

/// A round axis end at or above `largest`, in four equal steps of 1, 2, 2.5 or 5 times a
/// power of ten (whole steps of at least 1 for counts above 4).
fn nice_max(largest: f64) -> f64 {
    if largest <= 0.0 {
        return 1.0;
    }
    let raw = largest / 4.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&step| step >= raw - 1e-12)
        .unwrap_or(10.0 * power);
    let step = if largest > 4.0 { step.ceil() } else { step };
    step * 4.0
}

/// A label cut to `max` characters, with an ellipsis when cut.
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The colour of an occupancy ratio: blues up to full, red above capacity.
fn heat(ratio: f64) -> String {
    if ratio > 1.0 + 1e-9 {
        return "#c0392b".into();
    }
    let t = ratio.clamp(0.0, 1.0);
    let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(239.0, 8.0),
        mix(243.0, 69.0),
        mix(255.0, 148.0)
    )
}

/// Occupancy against capacity: one row per prison, one cell per week.
fn heatmap(prisons: &[PrisonWeeks], dates: &[String]) -> String {
    const LABEL: f64 = 60.0;
    const CELL_W: f64 = 24.0;
    const CELL_H: f64 = 11.0;
    let weeks = dates.len();
    let width = LABEL + CELL_W * weeks as f64 + 10.0;
    let height = 24.0 + CELL_H * prisons.len() as f64 + 8.0;
    let mut svg = format!(
        "<svg class=\"chart\" data-chart=\"occupancy\" role=\"img\" aria-label=\"Occupancy against capacity by prison and week\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
    );
    for week in (0..weeks).step_by(4) {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"14\" text-anchor=\"middle\">w{week}</text>",
            LABEL + CELL_W * (week as f64 + 0.5)
        );
    }
    for (row, prison) in prisons.iter().enumerate() {
        let y = 20.0 + CELL_H * row as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" style=\"font-size:9px\">{}</text>",
            LABEL - 4.0,
            y + CELL_H - 2.0,
            esc(&prison.code)
        );
        for (week, &(occupancy, capacity)) in prison.weeks.iter().enumerate() {
            let ratio = if capacity == 0 {
                if occupancy > 0 {
                    2.0
                } else {
                    0.0
                }
            } else {
                occupancy as f64 / capacity as f64
            };
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" data-value=\"{occupancy}\"><title>{} week {week} ({}): {occupancy} held, capacity {capacity}</title></rect>",
                LABEL + CELL_W * week as f64,
                CELL_W - 1.0,
                CELL_H - 1.0,
                heat(ratio),
                esc(&prison.code),
                esc(dates.get(week).map_or("", String::as_str)),
            );
        }
    }
    svg.push_str("</svg>");
    let key = [
        ("empty", heat(0.0)),
        ("half full", heat(0.5)),
        ("full", heat(1.0)),
        ("over capacity", heat(2.0)),
    ];
    let mut out = String::from("<div class=\"legend\">");
    for (name, colour) in key {
        let _ = write!(
            out,
            "<span><span class=\"swatch\" style=\"background:{colour}\"></span>{name}</span>"
        );
    }
    out.push_str("</div><div class=\"scroll\">");
    out.push_str(&svg);
    out.push_str("</div>");
    out
}

// ---------------------------------------------------------------------------------------
// Tables.

/// A cell: its text, whether it is text (left-aligned), and an optional `data-figure`.
struct Cell {
    text: String,
    is_text: bool,
    figure: Option<String>,
}

fn num(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        is_text: false,
        figure: None,
    }
}

fn txt(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        is_text: true,
        figure: None,
    }
}

fn fig(text: impl Into<String>, figure: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        is_text: false,
        figure: Some(figure.into()),
    }
}

fn fig_text(text: impl Into<String>, figure: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        is_text: true,
        figure: Some(figure.into()),
    }
}

/// A sortable table.
fn table(id: &str, header: &[&str], rows: Vec<Vec<Cell>>) -> String {
    let mut out =
        format!("<div class=\"scroll\"><table class=\"sortable\" id=\"{id}\"><thead><tr>");
    for (i, h) in header.iter().enumerate() {
        let is_text = rows
            .first()
            .and_then(|row| row.get(i))
            .map_or(i == 0, |cell| cell.is_text);
        let class = if is_text { " class=\"text\"" } else { "" };
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let class = if cell.is_text { " class=\"text\"" } else { "" };
            let figure = cell
                .figure
                .map(|f| format!(" data-figure=\"{}\"", esc(&f)))
                .unwrap_or_default();
            let _ = write!(out, "<td{class}{figure}>{}</td>", esc(&cell.text));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

// ---------------------------------------------------------------------------------------
// The page.

/// The whole page.
fn render(data: &ReportData) -> String {
    let mut page = String::new();
    let parameters = &data.kpis.parameters;
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Resettlement plan from {}</title>\n<script>{ERROR_TRAP}</script>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&parameters.start)
    );
    let _ = write!(
        page,
        "<header><h1>Resettlement plan report</h1><p class=\"note\">Plan starting {} over {} weeks; \
         resettlement window {} weeks. Counts and shares only: no prisoner is named. \
         Written by <code>resettle report</code>.</p><nav><ul>",
        esc(&parameters.start),
        parameters.horizon,
        parameters.window
    );
    for (id, heading) in data.sections() {
        let _ = write!(page, "<li><a href=\"#{id}\">{heading}</a></li>");
    }
    page.push_str("</ul></nav></header>\n");
    if data.kpis.model.time_limit_reached {
        let _ = writeln!(
            page,
            "<p class=\"warning\" data-figure=\"time-limit\">{}. The optimal plan's figures are \
             those of this plan; the bound and the gap say how far from optimal it may be.</p>",
            esc(&solved(&data.kpis.model))
        );
    }
    page.push_str(&summary_section(data));
    page.push_str(&parameters_section(data));
    page.push_str(&weeks_section(data));
    page.push_str(&estate_section(data));
    page.push_str(&cpa_section(data));
    page.push_str(&occupancy_section(data));
    page.push_str(&moves_section(data));
    page.push_str(&workload_section(data));
    page.push_str(&crc_section(data));
    page.push_str(&unplaced_section(data));
    if let Some(comparison) = &data.scenarios {
        page.push_str(&scenario_section(data, comparison));
    }
    let _ = write!(page, "<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n");
    page
}

fn section_start(id: &str, heading: &str, page_break: bool) -> String {
    let class = if page_break { " class=\"page\"" } else { "" };
    format!("<section id=\"{id}\"{class}>\n<h2>{}</h2>\n", esc(heading))
}

/// The release weeks within reach, in words.
fn reach_weeks(parameters: &Parameters) -> String {
    let from = parameters.within_reach_from_week;
    if from < parameters.horizon {
        format!("released in weeks {from}–{}", parameters.horizon - 1)
    } else {
        format!("none in this horizon: the first would be released in week {from}")
    }
}

fn summary_section(data: &ReportData) -> String {
    let k = &data.kpis;
    let mut out = section_start("summary", "National summary", false);
    let optimal = &k.optimal;
    let _ = write!(
        out,
        "<div class=\"cards\">\
         <div class=\"card\"><div>K1 within reach, adult male (optimal plan)</div><div class=\"big\" data-figure=\"card.optimal.k1_within_reach_adult_male.share\">{}</div><div class=\"note\">the headline, target 80%; status quo {}</div></div>\
         <div class=\"card\"><div>K1 within reach, all estates</div><div class=\"big\" data-figure=\"card.optimal.k1_within_reach.share\">{}</div><div class=\"note\">{} of {} releases within reach home</div></div>\
         <div class=\"card\"><div>K1 over the horizon</div><div class=\"big\" data-figure=\"card.optimal.k1.share\">{}</div><div class=\"note\">{} of {} releases home</div></div>\
         <div class=\"card\"><div>K2 (optimal plan)</div><div class=\"big\" data-figure=\"card.optimal.k2.share\">{}</div><div class=\"note\">person-weeks in the final weeks held at home</div></div>\
         <div class=\"card\"><div>On track at the horizon's end</div><div class=\"big\" data-figure=\"card.optimal.on_track\">{}</div><div class=\"note\">released after it, held where they will be released home</div></div>\
         <div class=\"card\"><div>People moved (optimal plan)</div><div class=\"big\" data-figure=\"card.optimal.moves\">{}</div><div class=\"note\">overflow {} person-weeks</div></div>\
         </div>",
        percent(optimal.k1_within_reach_adult_male.share),
        percent(k.status_quo.k1_within_reach_adult_male.share),
        percent(optimal.k1_within_reach.share),
        count(optimal.k1_within_reach.home),
        count(optimal.k1_within_reach.eligible),
        percent(optimal.k1.share),
        count(optimal.k1.home),
        count(optimal.k1.eligible),
        percent(optimal.k2.share),
        count(optimal.on_track),
        count(optimal.moves),
        count(optimal.overflow_person_weeks),
    );
    let series = vec![
        ("K1 within reach, adult male".to_string(), "#1d5a8c"),
        ("K1 within reach, all estates".to_string(), "#6fa8dc"),
        ("K1 over the horizon".to_string(), "#b4a7d6"),
        ("K2".to_string(), "#93c47d"),
    ];
    let rows = k
        .plans()
        .iter()
        .map(|(_, label, p)| {
            (
                label.to_string(),
                vec![
                    p.k1_within_reach_adult_male.share,
                    p.k1_within_reach.share,
                    p.k1.share,
                    p.k2.share,
                ],
            )
        })
        .collect();
    out.push_str(&bar_chart(&Bars {
        id: "summary",
        title:
            "K1 within reach, K1 over the horizon and K2 of the three plans against the 80% target",
        series,
        rows,
        stacked: false,
        max: Some(1.0),
        target: Some((0.8, "80% target")),
        format: format_share,
    }));
    let rows = k
        .plans()
        .iter()
        .map(|(name, label, p)| {
            let f = |field: &str| format!("{name}.{field}");
            vec![
                txt(*label),
                fig(
                    percent(p.k1_within_reach_adult_male.share),
                    f("k1_within_reach_adult_male.share"),
                ),
                fig(percent(p.k1_within_reach.share), f("k1_within_reach.share")),
                fig(count(p.k1_within_reach.home), f("k1_within_reach.home")),
                fig(
                    count(p.k1_within_reach.eligible),
                    f("k1_within_reach.eligible"),
                ),
                fig(percent(p.k1.share), f("k1.share")),
                fig(count(p.k1.home), f("k1.home")),
                fig(count(p.k1.eligible), f("k1.eligible")),
                fig(percent(p.k1_adult_male.share), f("k1_adult_male.share")),
                fig(percent(p.k2.share), f("k2.share")),
                fig(count(p.on_track), f("on_track")),
                fig(count(p.home_plus_on_track), f("home_plus_on_track")),
                fig(count(p.moves), f("moves")),
                fig(count(p.overflow_person_weeks), f("overflow_person_weeks")),
            ]
        })
        .collect();
    out.push_str(&table(
        "table-summary",
        &[
            "Plan",
            "K1 within reach, adult male",
            "K1 within reach",
            "Home releases within reach",
            "Releases within reach",
            "K1 over the horizon",
            "K1 home releases",
            "Eligible releases",
            "K1 adult male, horizon",
            "K2",
            "On track",
            "Home releases + on track",
            "People moved",
            "Overflow (person-weeks)",
        ],
        rows,
    ));
    let window = k.parameters.window;
    let _ = write!(
        out,
        "<p class=\"note\"><b>K1 within reach</b> (the headline, read against the 80% target for \
         adult males): releases within reach — {} — that are home releases: held on release in a \
         resettlement prison of the home CPA that holds them, arrived a full {window} weeks \
         before (or at custody start). Within reach are the releases a move from the first movable week (week {}) can \
         still place; earlier releases are decided by where people are today, the same in every \
         plan. <b>K1 over the horizon</b>: the same over every eligible release in weeks 0–{}. \
         <b>K2</b>: share of person-weeks in the final {window} weeks before release held in a \
         resettlement prison of the home CPA. <b>On track</b>: eligible prisoners released after \
         the horizon whose window opens in it, held at its end where they will be released home \
         if nobody moves them. Proven bound on (b), home releases + on track: \
         <span data-figure=\"bound.home_plus_on_track\">{}</span> (gap \
         <span data-figure=\"gap\">{:.2}%</span>). The juvenile estate is out of scope, never in \
         K1 or K2: <span data-figure=\"juvenile.releases\">{}</span> releases in the horizon, {} \
         held at the start.</p>\n</section>\n",
        esc(&reach_weeks(&k.parameters)),
        k.parameters.first_movable_week,
        k.parameters.horizon.saturating_sub(1),
        count(k.bound.home_plus_on_track),
        k.gap * 100.0,
        count(k.juvenile_estate.releases_in_horizon),
        count(k.juvenile_estate.held_at_start),
    );
    out
}

/// How the optimal plan was solved, in words that start with TIME LIMIT when it ran out.
fn solved(model: &ModelFigures) -> String {
    if model.time_limit_reached && !model.solved.starts_with("TIME LIMIT") {
        format!("TIME LIMIT: {}", model.solved)
    } else {
        model.solved.clone()
    }
}

/// An optional limit in words.
fn limit(value: Option<u32>) -> String {
    value.map_or_else(|| "none".to_string(), |v| count(u64::from(v)))
}

fn parameters_section(data: &ReportData) -> String {
    let p = &data.kpis.parameters;
    let model = &data.kpis.model;
    let mut out = section_start("parameters", "The run's parameters", false);
    let rows = [
        ("Start (week 0)", p.start.clone(), "start"),
        ("Horizon (weeks)", p.horizon.to_string(), "horizon"),
        (
            "Resettlement window (weeks)",
            p.window.to_string(),
            "window",
        ),
        (
            "First movable week",
            p.first_movable_week.to_string(),
            "first_movable_week",
        ),
        (
            "Releases within reach from week",
            p.within_reach_from_week.to_string(),
            "within_reach_from_week",
        ),
        (
            "Headroom (% of operational capacity kept free)",
            format!("{}", p.headroom_percent),
            "headroom_percent",
        ),
        (
            "Escort limit, moves per week nationally",
            limit(p.max_moves_per_week),
            "max_moves_per_week",
        ),
        (
            "Escort limit, moves out of one prison per week",
            limit(p.max_moves_per_prison_week),
            "max_moves_per_prison_week",
        ),
        (
            "Time limit (seconds)",
            p.time_limit_seconds
                .map_or_else(|| "none".to_string(), |s| format!("{s}")),
            "time_limit_seconds",
        ),
        ("MIP gap accepted", format!("{}", p.mip_gap), "mip_gap"),
        (
            "How the optimal plan was solved",
            solved(model),
            "integrality",
        ),
        (
            "Model",
            format!(
                "{} rows, {} columns, {} non-zeros",
                count(model.rows),
                count(model.columns),
                count(model.nonzeros)
            ),
            "model",
        ),
    ]
    .into_iter()
    .map(|(label, value, key)| vec![txt(label), fig_text(value, format!("parameter.{key}"))])
    .collect();
    out.push_str(&table("table-parameters", &["Parameter", "Value"], rows));
    out.push_str("</section>\n");
    out
}

fn weeks_section(data: &ReportData) -> String {
    let mut out = section_start("by-week", "K1 and K2 by week", true);
    let parameters = &data.kpis.parameters;
    let plans = data.kpis.plans();
    let _ = write!(
        out,
        "<p class=\"note\">K1 by release week (shaded: releases not within reach, before week \
         {}) and K2 by week, in the three plans. A K2 that falls in the last weeks of the \
         horizon is storing up trouble for the next one.</p>",
        parameters.within_reach_from_week
    );
    let series = |get: fn(&PartFigures) -> Option<f64>| -> Vec<Line> {
        plans
            .iter()
            .zip(PLAN_COLOURS)
            .map(|((name, label, _), colour)| Line {
                name: label.to_string(),
                colour,
                values: data
                    .weeks
                    .iter()
                    .map(|week| week.get(*name).and_then(get))
                    .collect(),
            })
            .collect()
    };
    out.push_str("<h3>K1 by release week</h3>");
    out.push_str(&week_chart(
        "k1-by-week",
        "K1 by release week in the three plans against the 80% target",
        &series(|p| p.k1_share),
        parameters.within_reach_from_week as usize,
    ));
    out.push_str("<h3>K2 by week</h3>");
    out.push_str(&week_chart(
        "k2-by-week",
        "K2 by week in the three plans against the 80% target",
        &series(|p| p.k2_share),
        0,
    ));
    let rows = data
        .weeks
        .iter()
        .enumerate()
        .map(|(week, plans_of_week)| {
            let get = |plan: &str| plans_of_week.get(plan).copied().unwrap_or_default();
            let f = |plan: &str, field: &str| format!("week.{week}.{plan}.{field}");
            let within = week >= parameters.within_reach_from_week as usize;
            let mut row = vec![
                num(week.to_string()),
                txt(data.dates.get(week).cloned().unwrap_or_default()),
                txt(if within { "yes" } else { "no" }),
                num(count(get("optimal").k1_eligible)),
            ];
            for (name, ..) in &plans {
                row.push(fig(percent(get(name).k1_share), f(name, "k1_share")));
            }
            for (name, ..) in &plans {
                row.push(fig(percent(get(name).k2_share), f(name, "k2_share")));
            }
            row
        })
        .collect();
    out.push_str(&table(
        "table-weeks",
        &[
            "Week",
            "Date",
            "Within reach",
            "Eligible releases",
            "K1 status quo",
            "K1 greedy",
            "K1 optimal",
            "K2 status quo",
            "K2 greedy",
            "K2 optimal",
        ],
        rows,
    ));
    out.push_str("</section>\n");
    out
}

fn estate_section(data: &ReportData) -> String {
    let mut out = section_start("by-estate", "K1 and K2 by estate", false);
    let plans = data.kpis.plans();
    let estate =
        |p: &PlanFigures, name: &str| p.by_estate.iter().find(|e| e.estate == name).cloned();
    let names: Vec<String> = data
        .kpis
        .optimal
        .by_estate
        .iter()
        .map(|e| e.estate.clone())
        .collect();
    let label = |name: &str| name.replace('_', " ");
    let rows = names
        .iter()
        .map(|name| {
            let values = plans
                .iter()
                .map(|(_, _, p)| estate(p, name).and_then(|e| e.k1_within_reach.share))
                .collect();
            (label(name), values)
        })
        .collect();
    out.push_str(&bar_chart(&Bars {
        id: "k1-by-estate",
        title: "K1 within reach by estate in the three plans against the 80% target",
        series: plans
            .iter()
            .zip(PLAN_COLOURS)
            .map(|((_, label, _), colour)| {
                (format!("K1 within reach, {}", label.to_lowercase()), colour)
            })
            .collect(),
        rows,
        stacked: false,
        max: Some(1.0),
        target: Some((0.8, "80%")),
        format: format_share,
    }));
    let rows = names
        .iter()
        .flat_map(|name| {
            plans.iter().filter_map(move |(plan, plan_label, p)| {
                let e = estate(p, name)?;
                let f = |field: &str| format!("estate.{name}.{plan}.{field}");
                Some(vec![
                    txt(label(name)),
                    txt(*plan_label),
                    fig(percent(e.k1_within_reach.share), f("k1_within_reach.share")),
                    num(format!(
                        "{} / {}",
                        count(e.k1_within_reach.home),
                        count(e.k1_within_reach.eligible)
                    )),
                    fig(percent(e.k1.share), f("k1.share")),
                    num(format!("{} / {}", count(e.k1.home), count(e.k1.eligible))),
                    fig(percent(e.k2.share), f("k2.share")),
                ])
            })
        })
        .collect();
    out.push_str(&table(
        "table-estates",
        &[
            "Estate",
            "Plan",
            "K1 within reach",
            "Home / releases within reach",
            "K1 over the horizon",
            "Home / releases in the horizon",
            "K2",
        ],
        rows,
    ));
    let juvenile = &data.kpis.juvenile_estate;
    let _ = write!(
        out,
        "<p class=\"note\">The 80% target is read against the adult male estate. The juvenile \
         estate is out of scope (no youth custody establishment is designated to a CPA) and never \
         counts in K1 or K2: {} releases in the horizon, {} held at the start.</p>",
        count(juvenile.releases_in_horizon),
        count(juvenile.held_at_start)
    );
    out.push_str("</section>\n");
    out
}

fn cpa_section(data: &ReportData) -> String {
    let mut out = section_start("k1-by-cpa", "K1 and K2 by CPA", false);
    let plans = data.kpis.plans();
    let series = plans
        .iter()
        .zip(PLAN_COLOURS)
        .map(|((_, label, _), colour)| {
            (format!("K1 within reach, {}", label.to_lowercase()), colour)
        })
        .collect();
    let rows = data
        .cpas
        .iter()
        .map(|cpa| {
            let values = plans
                .iter()
                .map(|(name, ..)| cpa.plans.get(*name).and_then(|p| p.reach_share))
                .collect();
            (format!("{} {}", cpa.number, cpa.name), values)
        })
        .collect();
    out.push_str(&bar_chart(&Bars {
        id: "k1-by-cpa",
        title: "K1 within reach by CPA in the three plans against the 80% target",
        series,
        rows,
        stacked: false,
        max: Some(1.0),
        target: Some((0.8, "80%")),
        format: format_share,
    }));
    let rows = data
        .cpas
        .iter()
        .map(|cpa| {
            let get = |plan: &str| cpa.plans.get(plan).copied().unwrap_or_default();
            let optimal = get("optimal");
            let f = |field: &str| format!("cpa.{}.{field}", cpa.slug);
            vec![
                txt(cpa.name.clone()),
                num(cpa.number.to_string()),
                fig(
                    count(optimal.reach_eligible),
                    f("optimal.k1_within_reach_eligible"),
                ),
                fig(
                    percent(get("status_quo").reach_share),
                    f("status_quo.k1_within_reach_share"),
                ),
                fig(
                    percent(get("greedy").reach_share),
                    f("greedy.k1_within_reach_share"),
                ),
                fig(
                    percent(optimal.reach_share),
                    f("optimal.k1_within_reach_share"),
                ),
                fig(count(optimal.k1_eligible), f("optimal.k1_eligible")),
                fig(
                    percent(get("status_quo").k1_share),
                    f("status_quo.k1_share"),
                ),
                fig(percent(get("greedy").k1_share), f("greedy.k1_share")),
                fig(percent(optimal.k1_share), f("optimal.k1_share")),
                fig(
                    percent(get("status_quo").k2_share),
                    f("status_quo.k2_share"),
                ),
                fig(percent(optimal.k2_share), f("optimal.k2_share")),
            ]
        })
        .collect();
    out.push_str(&table(
        "table-cpa",
        &[
            "CPA",
            "Number",
            "Releases within reach",
            "K1 within reach, status quo",
            "K1 within reach, greedy",
            "K1 within reach, optimal",
            "Eligible releases",
            "K1 status quo",
            "K1 greedy",
            "K1 optimal",
            "K2 status quo",
            "K2 optimal",
        ],
        rows,
    ));
    out.push_str("</section>\n");
    out
}

fn occupancy_section(data: &ReportData) -> String {
    let mut out = section_start("occupancy", "Occupancy against capacity", true);
    out.push_str(
        "<p class=\"note\">Optimal plan: people held at the start of each week against usable \
         capacity, one row per prison; hover a cell for its figures.</p>",
    );
    out.push_str(&heatmap(&data.prisons, &data.dates));
    let rows = data
        .prisons
        .iter()
        .map(|p| {
            let peak = p.weeks.iter().map(|w| w.0).max().unwrap_or(0);
            let capacity = p.weeks.first().map_or(0, |w| w.1);
            let peak_share = p
                .weeks
                .iter()
                .filter(|w| w.1 > 0)
                .map(|w| w.0 as f64 / w.1 as f64)
                .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
            let overflow: u64 = p.weeks.iter().map(|w| w.0.saturating_sub(w.1)).sum();
            vec![
                txt(p.code.clone()),
                txt(p.name.clone()),
                num(count(capacity)),
                num(count(p.weeks.first().map_or(0, |w| w.0))),
                num(count(peak)),
                num(percent(peak_share)),
                fig(count(overflow), format!("overflow.{}", p.code)),
            ]
        })
        .collect();
    out.push_str(&table(
        "table-occupancy",
        &[
            "Prison",
            "Name",
            "Capacity (week 0)",
            "Held (week 0)",
            "Peak held",
            "Peak share of capacity",
            "Overflow (person-weeks)",
        ],
        rows,
    ));
    out.push_str("</section>\n");
    out
}

/// The kinds of move, in the order shown, with their labels and colours.
const MOVE_KINDS: [(&str, &str, &str); 5] = [
    ("resettle", "Into a home resettlement prison", "#1d5a8c"),
    ("decant", "Decant", "#f4a261"),
    ("closure", "Out of a closing prison", "#c0392b"),
    ("booked", "Booked", "#9e9e9e"),
    ("cohort", "Forecast receptions moved", "#93c47d"),
];

fn moves_section(data: &ReportData) -> String {
    let mut out = section_start("moves", "Moves per week", true);
    let mut kinds: Vec<(&str, String, &str)> = MOVE_KINDS
        .iter()
        .map(|&(kind, label, colour)| (kind, label.to_string(), colour))
        .collect();
    let extra: BTreeSet<&str> = data
        .moves
        .iter()
        .flat_map(|week| week.keys().map(String::as_str))
        .filter(|kind| !MOVE_KINDS.iter().any(|k| k.0 == *kind))
        .collect();
    kinds.extend(extra.into_iter().map(|k| (k, k.to_string(), "#8e7cc3")));
    let label = |week: usize| {
        format!(
            "week {week} ({})",
            data.dates.get(week).map_or("", String::as_str)
        )
    };
    let rows = data
        .moves
        .iter()
        .enumerate()
        .map(|(week, counts)| {
            let values = kinds
                .iter()
                .map(|(kind, ..)| counts.get(*kind).map(|&c| c as f64))
                .collect();
            (label(week), values)
        })
        .collect();
    out.push_str(&bar_chart(&Bars {
        id: "moves",
        title: "People moved per week in the optimal plan, by kind of move",
        series: kinds
            .iter()
            .map(|(_, label, colour)| (label.clone(), *colour))
            .collect(),
        rows,
        stacked: true,
        max: None,
        target: None,
        format: format_count,
    }));
    let total: u64 = data.moves.iter().flat_map(|w| w.values()).sum();
    let mut header = vec!["Week", "Date"];
    header.extend(kinds.iter().map(|(_, label, _)| label.as_str()));
    header.push("Total");
    let rows = data
        .moves
        .iter()
        .enumerate()
        .map(|(week, counts)| {
            let mut row = vec![
                num(week.to_string()),
                txt(data.dates.get(week).cloned().unwrap_or_default()),
            ];
            row.extend(
                kinds
                    .iter()
                    .map(|(kind, ..)| num(count(counts.get(*kind).copied().unwrap_or(0)))),
            );
            row.push(fig(
                count(counts.values().sum()),
                format!("moves.week.{week}"),
            ));
            row
        })
        .collect();
    let _ = write!(
        out,
        "<p class=\"note\">Optimal plan: <span data-figure=\"moves.total\">{}</span> people moved \
         in the horizon (existing prisoners by reason, and members of forecast reception cohorts).</p>",
        count(total)
    );
    out.push_str(&table("table-moves", &header, rows));
    out.push_str("</section>\n");
    out
}

fn workload_section(data: &ReportData) -> String {
    let mut out = section_start("workload", "CRC workload per resettlement prison", true);
    let weeks = data.dates.len();
    let _ = write!(
        out,
        "<p class=\"note\">Optimal plan. <b>Final weeks</b>: people held in their final {} weeks \
         before release, on average per week, split into those whose home CPA the prison serves \
         (own) and the others (other CPAs, or no known home CPA). <b>Receptions</b>: forecast \
         receptions from the courts needing the basic custody screening within 3 days. Totals are \
         over the {weeks} weeks. Per home CPA and week: <code>workload_by_cpa.csv</code>.</p>",
        data.kpis.parameters.window
    );
    let rows = data
        .workload
        .iter()
        .map(|(code, name, w)| {
            let own: u64 = w.iter().map(|w| w.own).sum();
            let other: u64 = w.iter().map(|w| w.other).sum();
            (
                format!("{code} {name}"),
                vec![Some(mean(own, weeks)), Some(mean(other, weeks))],
            )
        })
        .collect();
    out.push_str(&bar_chart(&Bars {
        id: "workload",
        title: "Mean weekly prisoners in their final weeks per resettlement prison, own CPA and other CPAs",
        series: vec![
            ("Own CPA".into(), "#1d5a8c"),
            ("Other CPAs".into(), "#f4a261"),
        ],
        rows,
        stacked: true,
        max: None,
        target: None,
        format: format_count,
    }));
    let rows = data
        .workload
        .iter()
        .map(|(code, name, w)| {
            let sum = |f: fn(&WorkloadWeek) -> u64| w.iter().map(f).sum::<u64>();
            let peak = w.iter().map(|w| w.final_weeks).max().unwrap_or(0);
            vec![
                txt(code.clone()),
                txt(name.clone()),
                num(format!("{:.1}", mean(sum(|w| w.own), weeks))),
                num(format!("{:.1}", mean(sum(|w| w.other), weeks))),
                num(count(peak)),
                fig(
                    count(sum(|w| w.final_weeks)),
                    format!("workload.{code}.final_weeks"),
                ),
                num(count(sum(|w| w.releases))),
                num(count(sum(|w| w.releases_own))),
                num(count(sum(|w| w.receptions))),
                num(count(sum(|w| w.moves_in))),
                num(count(sum(|w| w.moves_out))),
            ]
        })
        .collect();
    out.push_str(&table(
        "table-workload",
        &[
            "Prison",
            "Name",
            "Final weeks, own (mean)",
            "Final weeks, other (mean)",
            "Final weeks, peak",
            "Final weeks (person-weeks)",
            "Releases",
            "Releases, own",
            "Receptions to screen",
            "Moves in",
            "Moves out",
        ],
        rows,
    ));
    out.push_str("</section>\n");
    out
}

fn crc_section(data: &ReportData) -> String {
    let mut out = section_start(
        "crc",
        "Where each CPA's prisoners nearing release are held",
        false,
    );
    let weeks = data.dates.len();
    out.push_str(
        "<p class=\"note\">Optimal plan: each CPA's prisoners in their final weeks, on average \
         per week, and the share held in one of its resettlement prisons; the rest are served by \
         hand-off between CRCs. Week by week and prison by prison: \
         <code>workload_by_crc.csv</code> and <code>workload.json</code>.</p>",
    );
    let rows = data
        .cpas
        .iter()
        .map(|cpa| {
            let crc = data.crcs.get(&cpa.slug).cloned().unwrap_or_default();
            let share = (crc.final_weeks > 0)
                .then(|| crc.at_resettlement_prison as f64 / crc.final_weeks as f64);
            vec![
                txt(cpa.name.clone()),
                num(format!("{:.1}", mean(crc.final_weeks, weeks))),
                num(format!("{:.1}", mean(crc.at_resettlement_prison, weeks))),
                num(format!(
                    "{:.1}",
                    mean(crc.final_weeks - crc.at_resettlement_prison, weeks)
                )),
                num(percent(share)),
                num(count(crc.releases)),
                num(crc.prisons.len().to_string()),
            ]
        })
        .collect();
    out.push_str(&table(
        "table-crc",
        &[
            "CPA",
            "Final weeks (mean)",
            "At its resettlement prisons (mean)",
            "Elsewhere (mean)",
            "Share at its resettlement prisons",
            "Releases",
            "Prisons holding them",
        ],
        rows,
    ));
    out.push_str("</section>\n");
    out
}

/// What each reason of `unplaced.csv` means.
fn reason_label(reason: &str) -> String {
    match reason {
        "no_designated_prison" => "No resettlement prison of the home CPA holds his category",
        "do_not_move" => "Do not move (court, medical, programme)",
        "release_too_soon" => "Released too soon to move in time",
        "not_movable" => "Not movable (remand, booked move)",
        "escort_limit" => "Escort limit used up in every week he could move",
        "prisons_full" => "Home resettlement prisons full in his window",
        other => other,
    }
    .to_string()
}

fn unplaced_section(data: &ReportData) -> String {
    let mut out = section_start("unplaced", "People not released home, by reason", false);
    out.push_str(
        "<p class=\"note\">Optimal plan: the eligible people released in the horizon who are not \
         released home — prisoners of the snapshot and members of forecast reception cohorts — by \
         the first reason that applies (<code>unplaced.csv</code>, with each one's prison and \
         category).</p>",
    );
    let total: u64 = data.unplaced.values().sum();
    let rows = data
        .unplaced
        .iter()
        .map(|(reason, &n)| (reason_label(reason), vec![Some(n as f64)]))
        .collect();
    out.push_str(&bar_chart(&Bars {
        id: "unplaced",
        title: "People not released home in the optimal plan, by reason",
        series: vec![("People".into(), "#c27c0e")],
        rows,
        stacked: false,
        max: None,
        target: None,
        format: format_count,
    }));
    let mut rows: Vec<Vec<Cell>> = data
        .unplaced
        .iter()
        .map(|(reason, &n)| {
            vec![
                txt(reason_label(reason)),
                txt(reason.clone()),
                fig(count(n), format!("unplaced.{reason}")),
            ]
        })
        .collect();
    rows.push(vec![
        txt("All reasons"),
        txt(""),
        fig(count(total), "unplaced.total"),
    ]);
    out.push_str(&table(
        "table-unplaced",
        &["Reason", "In unplaced.csv", "People"],
        rows,
    ));
    out.push_str("</section>\n");
    out
}

/// Whether every non-empty cell of column `column` is a number.
fn numeric(comparison: &Comparison, column: usize) -> bool {
    let mut any = false;
    for row in &comparison.rows {
        let cell = row.get(column).map_or("", String::as_str);
        if cell.is_empty() {
            continue;
        }
        if cell.parse::<f64>().is_err() {
            return false;
        }
        any = true;
    }
    any
}

fn scenario_section(data: &ReportData, comparison: &Comparison) -> String {
    let mut out = section_start("scenarios", "Scenario comparison", true);
    let _ = write!(
        out,
        "<p class=\"note\">From <code>{}</code>: one row per scenario. Per-CPA columns are in the \
         CPA table below.</p>",
        esc(&comparison
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()))
    );
    // Columns that name a CPA of the plan (`k1_optimal_wales`) go to the per-CPA table.
    let per_cpa = |name: &str| {
        data.cpas
            .iter()
            .find(|c| {
                name.ends_with(&format!("_{}", c.slug)) || name.contains(&format!("_{}_", c.slug))
            })
            .map(|c| c.slug.clone())
    };
    let national: Vec<usize> = (0..comparison.header.len())
        .filter(|&i| per_cpa(&comparison.header[i]).is_none())
        .collect();
    let label = |row: &Vec<String>| row.first().cloned().unwrap_or_default();
    // The K1 chart: the columns of K1 within reach holding shares (of K1, in a comparison
    // without them).
    let prefix = if comparison
        .header
        .iter()
        .any(|h| h.starts_with("k1_within_reach"))
    {
        "k1_within_reach"
    } else {
        "k1"
    };
    let share_column = |i: usize| {
        let name = &comparison.header[i];
        name.starts_with(prefix)
            && !name.contains("home")
            && numeric(comparison, i)
            && comparison.rows.iter().all(|r| {
                r.get(i)
                    .and_then(|c| c.parse::<f64>().ok())
                    .is_none_or(|v| (0.0..=1.0).contains(&v))
            })
    };
    let k1_columns: Vec<usize> = national
        .iter()
        .copied()
        .filter(|&i| share_column(i))
        .collect();
    let colours = [
        "#1d5a8c", "#6fa8dc", "#f4a261", "#9e9e9e", "#93c47d", "#8e7cc3",
    ];
    if !k1_columns.is_empty() {
        let series = k1_columns
            .iter()
            .zip(colours.iter().cycle())
            .map(|(&i, &colour)| (comparison.header[i].clone(), colour))
            .collect();
        let rows = comparison
            .rows
            .iter()
            .map(|row| {
                let values = k1_columns
                    .iter()
                    .map(|&i| row.get(i).and_then(|c| c.parse::<f64>().ok()))
                    .collect();
                (label(row), values)
            })
            .collect();
        out.push_str(&bar_chart(&Bars {
            id: "scenarios",
            title: "K1 within reach by scenario against the 80% target",
            series,
            rows,
            stacked: false,
            max: Some(1.0),
            target: Some((0.8, "80%")),
            format: format_share,
        }));
    } else {
        out.push_str("<svg class=\"chart\" data-chart=\"scenarios\" role=\"img\" aria-label=\"no K1 column\" width=\"1\" height=\"1\"></svg>\
                      <p class=\"note\">The comparison has no K1 share column to chart.</p>");
    }
    let header: Vec<&str> = national
        .iter()
        .map(|&i| comparison.header[i].as_str())
        .collect();
    let rows = comparison
        .rows
        .iter()
        .map(|row| {
            national
                .iter()
                .map(|&i| {
                    let cell = row.get(i).cloned().unwrap_or_default();
                    if i == 0 || !numeric(comparison, i) {
                        txt(cell)
                    } else {
                        num(cell)
                    }
                })
                .collect()
        })
        .collect();
    out.push_str(&table("table-scenarios", &header, rows));
    // Per CPA: the optimal K1 within reach (or K1) of each scenario.
    let field = if prefix == "k1" {
        "k1_optimal"
    } else {
        "k1_within_reach_optimal"
    };
    let by_cpa: Vec<(String, usize)> = (0..comparison.header.len())
        .filter_map(|i| {
            let name = &comparison.header[i];
            let slug = per_cpa(name)?;
            (name == &format!("{field}_{slug}")).then_some((slug, i))
        })
        .collect();
    if !by_cpa.is_empty() {
        let mut header = vec!["CPA".to_string()];
        header.extend(comparison.rows.iter().map(label));
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows = by_cpa
            .iter()
            .map(|(slug, i)| {
                let name = data
                    .cpas
                    .iter()
                    .find(|c| &c.slug == slug)
                    .map_or(slug.clone(), |c| c.name.clone());
                let mut row = vec![txt(name)];
                row.extend(
                    comparison
                        .rows
                        .iter()
                        .map(|r| num(percent(r.get(*i).and_then(|c| c.parse::<f64>().ok())))),
                );
                row
            })
            .collect();
        let _ = write!(
            out,
            "<h3>Optimal {} by CPA and scenario</h3>",
            if prefix == "k1" {
                "K1"
            } else {
                "K1 within reach"
            }
        );
        out.push_str(&table("table-scenarios-cpa", &header, rows));
    }
    out.push_str("</section>\n");
    out
}
