//! The outputs of `resettle plan` (DOMAIN.md §6): the optimal plan's moves and transfer
//! requests, the KPIs of the three plans compared (DOMAIN.md §4), the explanation for each
//! eligible prisoner not released home, the occupancy, and the summary table printed on the
//! terminal.
//!
//! Every file is deterministic: rows come from `Vec`s in index order or from `BTreeMap`s, and
//! nothing that varies between runs (such as the solver's timings) is written into a file.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::bottleneck;
use crate::instance::{Instance, Mover, Origin};
use crate::io::{csv_bytes, OutputFiles};
use crate::kpi::{evaluate, released_home, Breakdown, Kpis, Tally};
use crate::marginal;
use crate::model::{Category, CpaId, Estate, Prisoner, PrisonerId, Sentence};
use crate::optimise::SolveReport;
use crate::plan::Plan;

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
}

impl PlanSet<'_> {
    /// The plans with the names used in the files, in the order they are written.
    fn named(&self) -> [(&'static str, &Plan); 3] {
        [
            ("status_quo", self.status_quo),
            ("greedy", self.greedy),
            ("optimal", self.optimal),
        ]
    }
}

/// How the outputs are written.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// When given, every prisoner id is replaced by its [`pseudonym`] under this key
    /// (DOMAIN.md §7).
    pub pseudonym_key: Option<PseudonymKey>,
}

/// Why an eligible prisoner released in the horizon is not released home in a plan. The
/// reasons are tried in the order of the variants; the first that applies is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnplacedReason {
    /// No resettlement prison of his home CPA holds his estate and category.
    NoDesignatedPrison,
    /// He may not be moved (court, medical or programme hold).
    DoNotMove,
    /// He is released before a move at the first week he may move could arrive a full
    /// window before his release.
    ReleaseTooSoon,
    /// The plan may not move him for another reason: remand, or a booked move.
    NotMovable,
    /// Otherwise: every suitable home resettlement prison was full in his window (or the
    /// plan gave the places to others).
    PrisonsFull,
}

impl UnplacedReason {
    /// The word written in `unplaced.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnplacedReason::NoDesignatedPrison => "no_designated_prison",
            UnplacedReason::DoNotMove => "do_not_move",
            UnplacedReason::ReleaseTooSoon => "release_too_soon",
            UnplacedReason::NotMovable => "not_movable",
            UnplacedReason::PrisonsFull => "prisons_full",
        }
    }
}

/// Movers (indexes into `Instance::movers`, in index order) whose release counts for K1 and
/// at least one of whose members is not released home in `plan`, each with the reason. Both
/// existing prisoners and reception cohorts are listed; a cohort is listed once, however many
/// of its members are not released home.
pub fn unplaced(instance: &Instance, plan: &Plan) -> Vec<(usize, UnplacedReason)> {
    let horizon = instance.options.horizon;
    instance
        .movers
        .iter()
        .zip(plan.paths(instance))
        .enumerate()
        .filter(|(_, (mover, paths))| {
            mover.releases_in(horizon)
                && paths
                    .iter()
                    .any(|path| !released_home(instance, mover, path))
        })
        .map(|(index, (mover, _))| (index, reason(instance, mover)))
        .collect()
}

/// The first reason of [`UnplacedReason`] that applies to a mover not released home.
fn reason(instance: &Instance, mover: &Mover) -> UnplacedReason {
    let options = &instance.options;
    let any_home = (0..instance.prisons().len())
        .any(|j| instance.is_home(j, mover) && (j == mover.prison || instance.suits(j, mover)));
    let do_not_move = match mover.origin {
        Origin::Prisoner(i) => instance.inputs.prisoners[i].do_not_move,
        Origin::Reception(_) => false,
    };
    // The first week a move could happen, were he movable at all.
    let earliest = mover.movable_from.unwrap_or(match mover.origin {
        Origin::Prisoner(_) => options.first_movable_week,
        Origin::Reception(_) => options.first_movable_week.max(mover.arrival_week + 1),
    });
    let too_soon = mover
        .release_week
        .is_some_and(|release| release < earliest + options.window);
    if !any_home {
        UnplacedReason::NoDesignatedPrison
    } else if do_not_move {
        UnplacedReason::DoNotMove
    } else if too_soon {
        UnplacedReason::ReleaseTooSoon
    } else if mover.movable_from.is_none() {
        UnplacedReason::NotMovable
    } else {
        UnplacedReason::PrisonsFull
    }
}

/// The secret key of the pseudonyms (DOMAIN.md §7): the bytes of a file the user keeps
/// private. It is never written anywhere nor shown (`Debug` hides it).
#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl PseudonymKey {
    /// The fewest bytes a key may have.
    pub const MIN_LEN: usize = 16;

    /// A key of these bytes, or why they cannot be one.
    pub fn new(bytes: Vec<u8>) -> Result<PseudonymKey, String> {
        if bytes.len() < Self::MIN_LEN {
            return Err(format!(
                "a key has at least {} bytes, this one {}: make one with \
                 `head -c 32 /dev/urandom > resettle.key`",
                Self::MIN_LEN,
                bytes.len()
            ));
        }
        Ok(PseudonymKey(bytes))
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymKey(..)")
    }
}

/// The pseudonym written for a prisoner id when outputs are pseudonymised: `P` and 16
/// upper-case hex digits, the first 64 bits of HMAC-SHA256 of the id under `key`. The same id
/// and key give the same pseudonym on any machine and in any run, so files from different
/// runs can be joined; without the key, knowing the format of the ids does not tell which
/// pseudonym stands for which id.
pub fn pseudonym(key: &PseudonymKey, id: &PrisonerId) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes a key of any length");
    mac.update(id.as_str().as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut text = String::with_capacity(17);
    text.push('P');
    for byte in &digest[..8] {
        write!(text, "{byte:02X}").expect("writing to a string");
    }
    text
}

/// Writes prisoner ids as given or as pseudonyms.
struct Ids<'a> {
    key: Option<&'a PseudonymKey>,
}

impl Ids<'_> {
    fn write(&self, id: &PrisonerId) -> String {
        match self.key {
            Some(key) => pseudonym(key, id),
            None => id.as_str().to_string(),
        }
    }
}

/// Adds every output of `resettle plan` to `files`: `moves.csv`, `forecast_moves.csv`,
/// `allocations.json`, `kpis.json`, `kpis_by_cpa.csv`, `kpis_by_prison.csv`,
/// `kpis_by_estate.csv`, `kpis_by_week.csv`, `unplaced.csv` and `occupancy.csv`.
pub fn plan_outputs(
    instance: &Instance,
    plans: &PlanSet,
    options: &ReportOptions,
    files: &mut OutputFiles,
) {
    let ids = Ids {
        key: options.pseudonym_key.as_ref(),
    };
    let kpis: Vec<(&'static str, Kpis)> = plans
        .named()
        .into_iter()
        .map(|(name, plan)| (name, evaluate(instance, plan)))
        .collect();
    let optimal = &kpis[2].1;
    files.add("moves.csv", moves_csv(instance, plans.optimal, &ids));
    files.add(
        "forecast_moves.csv",
        forecast_moves_csv(instance, plans.optimal),
    );
    files.add(
        "allocations.json",
        allocations_json(instance, plans.optimal),
    );
    files.add("kpis.json", kpis_json(&kpis, plans.report));
    files.add("kpis_by_cpa.csv", kpis_by_cpa_csv(instance, &kpis));
    files.add("kpis_by_prison.csv", kpis_by_prison_csv(instance, &kpis));
    files.add("kpis_by_estate.csv", kpis_by_estate_csv(instance, &kpis));
    files.add("kpis_by_week.csv", kpis_by_week_csv(instance, &kpis));
    files.add("unplaced.csv", unplaced_csv(instance, plans.optimal, &ids));
    files.add("occupancy.csv", occupancy_csv(instance, optimal));
}

/// Pretty-printed JSON with a trailing newline.
fn json_bytes(value: &impl Serialize) -> Vec<u8> {
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

/// One row per move of an existing prisoner in `plan`, by (week, from, to, prisoner id).
fn moves_csv(instance: &Instance, plan: &Plan, ids: &Ids) -> Vec<u8> {
    let mut rows: Vec<(u32, &str, &str, String, Vec<String>)> = plan
        .moves
        .iter()
        .filter_map(|m| {
            let prisoner = prisoner_of(instance, m.mover)?;
            let (from, to) = (code(instance, m.from), code(instance, m.to));
            let id = ids.write(&prisoner.id);
            let row = vec![
                id.clone(),
                from.to_string(),
                to.to_string(),
                m.week.to_string(),
                instance.date_of(m.week).to_string(),
                m.reason.as_str().to_string(),
                optional_cpa(prisoner.home_cpa.as_ref()),
                optional_date(prisoner.release_date),
            ];
            Some((m.week, from, to, id, row))
        })
        .collect();
    rows.sort();
    csv_bytes(
        &[
            "prisoner_id",
            "from",
            "to",
            "week",
            "date",
            "reason",
            "home_cpa",
            "release_date",
        ],
        rows.into_iter().map(|(.., row)| row),
    )
}

/// The key merging moves of reception cohorts in `forecast_moves.csv`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForecastKey<'i> {
    week: u32,
    from: &'i str,
    to: &'i str,
    home_cpa: &'i str,
    estate: &'static str,
    category: &'static str,
    release_week: Option<u32>,
}

/// The moves of reception cohorts in `plan`, merged by identical key.
fn forecast_moves_csv(instance: &Instance, plan: &Plan) -> Vec<u8> {
    let mut counts: BTreeMap<ForecastKey, u64> = BTreeMap::new();
    for m in &plan.moves {
        let Origin::Reception(i) = instance.movers[m.mover].origin else {
            continue;
        };
        let cohort = &instance.inputs.receptions[i];
        let key = ForecastKey {
            week: m.week,
            from: code(instance, m.from),
            to: code(instance, m.to),
            home_cpa: cohort.home_cpa.as_ref().map_or("", CpaId::as_str),
            estate: cohort.estate.as_str(),
            category: cohort.category.map_or("", Category::as_str),
            release_week: cohort.release_week,
        };
        *counts.entry(key).or_default() += u64::from(m.count);
    }
    csv_bytes(
        &[
            "week",
            "from",
            "to",
            "home_cpa",
            "estate",
            "category",
            "release_week",
            "count",
        ],
        counts.into_iter().map(|(key, count)| {
            vec![
                key.week.to_string(),
                key.from.to_string(),
                key.to.to_string(),
                key.home_cpa.to_string(),
                key.estate.to_string(),
                key.category.to_string(),
                key.release_week.map(|r| r.to_string()).unwrap_or_default(),
                count.to_string(),
            ]
        }),
    )
}

/// Days of custody at or below which a sentence is short: half a sentence of 16 months
/// (487 days) is served in custody.
const SHORT_SENTENCE_DAYS: i64 = 487;

/// `prisoner_category` of a transfer request (DOMAIN.md §6): `b`, `c`, `d` in the male
/// estates (none for A), `open` or `closed` in the female estates, none when uncategorised.
fn prisoner_category(estate: Estate, category: Option<Category>) -> Option<&'static str> {
    let female = matches!(
        estate,
        Estate::AdultFemale | Estate::YoungOffenderFemale | Estate::JuvenileFemale
    );
    match (female, category?) {
        (true, Category::D) => Some("open"),
        (true, _) => Some("closed"),
        (false, Category::A) => None,
        (false, Category::B) => Some("b"),
        (false, Category::C) => Some("c"),
        (false, Category::D) => Some("d"),
    }
}

/// `sentence_length` of a transfer request: `short` for 16 months or less (about twice the
/// custody period), `long` otherwise and for indeterminate sentences; none for remand.
fn sentence_length(prisoner: &Prisoner) -> Option<&'static str> {
    match (prisoner.sentence, prisoner.release_date) {
        (Sentence::Indeterminate, _) => Some("long"),
        (_, Some(release)) => {
            let custody = (release - prisoner.custody_start).num_days();
            Some(if custody * 2 <= SHORT_SENTENCE_DAYS {
                "short"
            } else {
                "long"
            })
        }
        (_, None) => None,
    }
}

/// The key grouping moves into one transfer request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct AllocationKey<'i> {
    from: &'i str,
    to: &'i str,
    date: NaiveDate,
    category: Option<&'static str>,
    estate: &'static str,
    sentence_length: Option<&'static str>,
}

#[derive(Serialize)]
struct Document {
    data: Vec<Allocation>,
}

#[derive(Serialize)]
struct Allocation {
    #[serde(rename = "type")]
    kind: &'static str,
    attributes: AllocationAttributes,
    relationships: AllocationRelationships,
}

#[derive(Serialize)]
struct AllocationAttributes {
    moves_count: u64,
    date: String,
    prisoner_category: Option<&'static str>,
    sentence_length: Option<&'static str>,
    estate: &'static str,
    complete_in_full: bool,
}

#[derive(Serialize)]
struct AllocationRelationships {
    from_location: Relationship,
    to_location: Relationship,
}

#[derive(Serialize)]
struct Relationship {
    data: Resource,
}

#[derive(Serialize)]
struct Resource {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
}

impl Relationship {
    fn location(code: &str) -> Self {
        Relationship {
            data: Resource {
                kind: "locations",
                id: code.to_string(),
            },
        }
    }
}

/// The moves of existing prisoners in `plan` as transfer requests (a JSON:API document of
/// `allocations`), one per (from, to, date, category, estate, sentence length).
fn allocations_json(instance: &Instance, plan: &Plan) -> Vec<u8> {
    let mut counts: BTreeMap<AllocationKey, u64> = BTreeMap::new();
    for m in &plan.moves {
        let Some(prisoner) = prisoner_of(instance, m.mover) else {
            continue;
        };
        let key = AllocationKey {
            from: code(instance, m.from),
            to: code(instance, m.to),
            date: instance.date_of(m.week),
            category: prisoner_category(prisoner.estate, prisoner.category),
            estate: prisoner.estate.as_str(),
            sentence_length: sentence_length(prisoner),
        };
        *counts.entry(key).or_default() += u64::from(m.count);
    }
    let data = counts
        .into_iter()
        .map(|(key, moves_count)| Allocation {
            kind: "allocations",
            attributes: AllocationAttributes {
                moves_count,
                date: key.date.to_string(),
                prisoner_category: key.category,
                sentence_length: key.sentence_length,
                estate: key.estate,
                complete_in_full: false,
            },
            relationships: AllocationRelationships {
                from_location: Relationship::location(key.from),
                to_location: Relationship::location(key.to),
            },
        })
        .collect();
    json_bytes(&Document { data })
}

/// A tally as written in `kpis.json`.
#[derive(Serialize)]
struct TallyJson {
    home: u64,
    eligible: u64,
    share: Option<f64>,
}

impl From<Tally> for TallyJson {
    fn from(tally: Tally) -> Self {
        TallyJson {
            home: tally.home,
            eligible: tally.eligible,
            share: tally.share(),
        }
    }
}

#[derive(Serialize)]
struct PlanJson {
    k1: TallyJson,
    k1_adult_male: TallyJson,
    k2: TallyJson,
    moves: u64,
    overflow_person_weeks: u64,
}

impl From<&Kpis> for PlanJson {
    fn from(kpis: &Kpis) -> Self {
        PlanJson {
            k1: kpis.k1.national.into(),
            k1_adult_male: adult_male(kpis).into(),
            k2: kpis.k2.national.into(),
            moves: kpis.moves,
            overflow_person_weeks: kpis.overflow_person_weeks,
        }
    }
}

#[derive(Serialize)]
struct BoundJson {
    home: u64,
}

#[derive(Serialize)]
struct StageJson {
    name: &'static str,
    value: f64,
    bound: f64,
}

#[derive(Serialize)]
struct ModelJson {
    rows: usize,
    columns: usize,
    nonzeros: usize,
    integrality: &'static str,
    stages: Vec<StageJson>,
}

#[derive(Serialize)]
struct KpisJson {
    status_quo: PlanJson,
    greedy: PlanJson,
    optimal: PlanJson,
    bound: BoundJson,
    gap: f64,
    model: ModelJson,
}

/// K1 for the adult male estate, the figure the 80% target is read against.
fn adult_male(kpis: &Kpis) -> Tally {
    kpis.k1
        .by_estate
        .get(&Estate::AdultMale)
        .copied()
        .unwrap_or_default()
}

/// The headline KPIs of the three plans, the bound and the model's size. The stages'
/// timings are left out: they differ from run to run.
fn kpis_json(kpis: &[(&'static str, Kpis)], report: &SolveReport) -> Vec<u8> {
    let file = KpisJson {
        status_quo: (&kpis[0].1).into(),
        greedy: (&kpis[1].1).into(),
        optimal: (&kpis[2].1).into(),
        bound: BoundJson {
            home: home_bound(report),
        },
        gap: report.gap,
        model: ModelJson {
            rows: report.rows,
            columns: report.columns,
            nonzeros: report.nonzeros,
            integrality: report.integrality.name(),
            stages: report
                .stages
                .iter()
                .map(|stage| StageJson {
                    name: stage.name,
                    value: stage.value,
                    bound: stage.bound,
                })
                .collect(),
        },
    };
    json_bytes(&file)
}

/// The proven bound on home releases, a whole number of releases.
fn home_bound(report: &SolveReport) -> u64 {
    report.home_bound.max(0.0).round() as u64
}

/// The KPI columns shared by the `kpis_by_*.csv` files.
const KPI_COLUMNS: [&str; 7] = [
    "plan",
    "k1_home",
    "k1_eligible",
    "k1_share",
    "k2_home",
    "k2_eligible",
    "k2_share",
];

/// A header: the leading columns, then [`KPI_COLUMNS`].
fn kpi_header<'a>(leading: &[&'a str]) -> Vec<&'a str> {
    leading.iter().copied().chain(KPI_COLUMNS).collect()
}

/// A share with 4 decimals, or empty when nobody is counted.
fn share_text(tally: Tally) -> String {
    tally
        .share()
        .map(|share| format!("{share:.4}"))
        .unwrap_or_default()
}

/// A row: the leading fields, the plan, then both tallies.
fn kpi_row(leading: &[String], plan: &str, k1: Tally, k2: Tally) -> Vec<String> {
    let mut row = leading.to_vec();
    row.extend([
        plan.to_string(),
        k1.home.to_string(),
        k1.eligible.to_string(),
        share_text(k1),
        k2.home.to_string(),
        k2.eligible.to_string(),
        share_text(k2),
    ]);
    row
}

/// One row per (part, plan): the parts in the order given, the plans in the order compared.
/// `tallies` gives a plan's K1 and K2 for a part.
fn kpi_rows<P>(
    parts: &[(P, Vec<String>)],
    kpis: &[(&'static str, Kpis)],
    tallies: impl Fn(&Kpis, &P) -> (Tally, Tally),
) -> Vec<Vec<String>> {
    let tallies = &tallies;
    parts
        .iter()
        .flat_map(|(part, leading)| {
            kpis.iter().map(move |(plan, k)| {
                let (k1, k2) = tallies(k, part);
                kpi_row(leading, plan, k1, k2)
            })
        })
        .collect()
}

fn kpis_by_cpa_csv(instance: &Instance, kpis: &[(&'static str, Kpis)]) -> Vec<u8> {
    let parts: Vec<(usize, Vec<String>)> = instance
        .inputs
        .data
        .cpas
        .iter()
        .enumerate()
        .map(|(i, cpa)| {
            let leading = vec![
                cpa.id.as_str().to_string(),
                cpa.number.to_string(),
                cpa.name.clone(),
            ];
            (i, leading)
        })
        .collect();
    csv_bytes(
        &kpi_header(&["cpa", "number", "name"]),
        kpi_rows(&parts, kpis, |k, &i| (k.k1.by_cpa[i], k.k2.by_cpa[i])),
    )
}

fn kpis_by_prison_csv(instance: &Instance, kpis: &[(&'static str, Kpis)]) -> Vec<u8> {
    let parts: Vec<(usize, Vec<String>)> = instance
        .prisons()
        .iter()
        .enumerate()
        .map(|(i, prison)| (i, vec![prison.code.to_string(), prison.name.clone()]))
        .collect();
    csv_bytes(
        &kpi_header(&["prison", "name"]),
        kpi_rows(&parts, kpis, |k, &i| (k.k1.by_prison[i], k.k2.by_prison[i])),
    )
}

/// One row per estate of any mover (in the order of [`Estate::ALL`]) and plan.
fn kpis_by_estate_csv(instance: &Instance, kpis: &[(&'static str, Kpis)]) -> Vec<u8> {
    let parts: Vec<(Estate, Vec<String>)> = Estate::ALL
        .iter()
        .filter(|&&estate| instance.movers.iter().any(|m| m.estate == estate))
        .map(|&estate| (estate, vec![estate.as_str().to_string()]))
        .collect();
    let get = |k: &Kpis, estate: &Estate| {
        let tally = |b: &Breakdown| b.by_estate.get(estate).copied().unwrap_or_default();
        (tally(&k.k1), tally(&k.k2))
    };
    csv_bytes(&kpi_header(&["estate"]), kpi_rows(&parts, kpis, get))
}

/// One row per week and plan: K1 by release week, K2 by week.
fn kpis_by_week_csv(instance: &Instance, kpis: &[(&'static str, Kpis)]) -> Vec<u8> {
    let parts: Vec<(usize, Vec<String>)> = (0..instance.options.horizon)
        .map(|week| {
            let leading = vec![week.to_string(), instance.date_of(week).to_string()];
            (week as usize, leading)
        })
        .collect();
    csv_bytes(
        &kpi_header(&["week", "date"]),
        kpi_rows(&parts, kpis, |k, &w| (k.k1.by_week[w], k.k2.by_week[w])),
    )
}

/// The eligible existing prisoners released in the horizon and not released home in `plan`,
/// by prisoner id (as written).
fn unplaced_csv(instance: &Instance, plan: &Plan, ids: &Ids) -> Vec<u8> {
    let mut rows: Vec<Vec<String>> = unplaced(instance, plan)
        .into_iter()
        .filter_map(|(mover, reason)| {
            let prisoner = prisoner_of(instance, mover)?;
            Some(vec![
                ids.write(&prisoner.id),
                optional_cpa(prisoner.home_cpa.as_ref()),
                optional_date(prisoner.release_date),
                reason.as_str().to_string(),
            ])
        })
        .collect();
    rows.sort();
    csv_bytes(&["prisoner_id", "home_cpa", "release_date", "reason"], rows)
}

/// Occupancy against usable capacity, per prison (in data order) and week.
fn occupancy_csv(instance: &Instance, kpis: &Kpis) -> Vec<u8> {
    let rows = instance
        .prisons()
        .iter()
        .enumerate()
        .flat_map(|(i, prison)| {
            (0..instance.options.horizon).map(move |week| {
                let t = week as usize;
                vec![
                    prison.code.to_string(),
                    week.to_string(),
                    instance.date_of(week).to_string(),
                    kpis.occupancy[i][t].to_string(),
                    instance.capacity[i][t].to_string(),
                ]
            })
        })
        .collect::<Vec<_>>();
    csv_bytes(&["prison", "week", "date", "occupancy", "capacity"], rows)
}

/// A figure as a whole number when it is one, else with one decimal.
fn number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-6 {
        // Adding 0.0 turns −0 into 0.
        format!("{:.0}", value.round() + 0.0)
    } else {
        format!("{value:.1}")
    }
}

/// A share as a percentage with one decimal, or `-` when nobody is counted.
fn percent(tally: Tally) -> String {
    tally
        .share()
        .map_or_else(|| "-".to_string(), |share| format!("{:.1}%", share * 100.0))
}

/// The short summary table printed by `resettle plan`: per plan K1 (home, eligible, share,
/// and the adult male share the 80% target is read against), the K2 share, people moved and
/// overflow; then the proven bound on home releases and the gap, the model's size and the
/// solve's stages with their timings; then the prisons where a place is worth most
/// ([`marginal`]) and the CPAs that cannot reach 80% whatever the moves ([`bottleneck`]).
pub fn summary_table(instance: &Instance, plans: &PlanSet) -> String {
    let mut out = String::new();
    let line = |out: &mut String, fields: [&str; 8]| {
        let [plan, home, eligible, k1, male, k2, moves, overflow] = fields;
        writeln!(
            out,
            "{plan:<10} {home:>8} {eligible:>9} {k1:>8} {male:>11} {k2:>8} {moves:>8} {overflow:>9}"
        )
        .expect("writing to a string");
    };
    line(
        &mut out,
        [
            "plan",
            "K1 home",
            "eligible",
            "K1",
            "adult male",
            "K2",
            "moves",
            "overflow",
        ],
    );
    for (name, plan) in plans.named() {
        let kpis = evaluate(instance, plan);
        let k1 = kpis.k1.national;
        line(
            &mut out,
            [
                &name.replace('_', " "),
                &k1.home.to_string(),
                &k1.eligible.to_string(),
                &percent(k1),
                &percent(adult_male(&kpis)),
                &percent(kpis.k2.national),
                &kpis.moves.to_string(),
                &kpis.overflow_person_weeks.to_string(),
            ],
        );
    }
    let report = plans.report;
    let stages: Vec<String> = report
        .stages
        .iter()
        .map(|stage| {
            format!(
                "{} {} ({:.2} s)",
                stage.name,
                number(stage.value),
                stage.seconds
            )
        })
        .collect();
    let solved = report.integrality.describe();
    write!(
        out,
        "\nK1: home releases / eligible releases in the horizon (adult male: read against 80%)\n\
         K2: share of person-weeks in the final twelve weeks held at home\n\
         moves: people moved; overflow: person-weeks above usable capacity\n\
         bound on K1 home releases: {} (gap {:.2}%)\n\
         model: {} rows, {} columns, {} nonzeros, {} cohorts; {solved}\n\
         stages: {}\n",
        home_bound(report),
        report.gap * 100.0,
        report.rows,
        report.columns,
        report.nonzeros,
        report.cohorts,
        stages.join("; "),
    )
    .expect("writing to a string");
    writeln!(out, "{}", marginal::summary_line(instance, report)).expect("writing to a string");
    writeln!(
        out,
        "{}",
        bottleneck::summary_line(instance, plans.bottlenecks)
    )
    .expect("writing to a string");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn prisoner(sentence: Sentence, custody_days: Option<i64>) -> Prisoner {
        let custody_start = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap();
        Prisoner {
            id: "A0000AA".into(),
            prison: "XXI".into(),
            home_cpa: None,
            estate: Estate::AdultMale,
            category: Some(Category::C),
            sentence,
            custody_start,
            arrived: custody_start,
            release_date: custody_days.map(|days| custody_start + Duration::days(days)),
            expected_release: None,
            do_not_move: false,
            removal: false,
        }
    }

    #[test]
    fn sixteen_months_or_less_is_short() {
        let length = |sentence, days| sentence_length(&prisoner(sentence, days));
        assert_eq!(length(Sentence::Determinate, Some(243)), Some("short"));
        assert_eq!(length(Sentence::Determinate, Some(244)), Some("long"));
        assert_eq!(length(Sentence::Indeterminate, None), Some("long"));
        assert_eq!(length(Sentence::Remand, None), None);
    }

    #[test]
    fn categories_follow_the_transfer_request_words() {
        use Category::*;
        use Estate::*;
        assert_eq!(prisoner_category(AdultMale, Some(A)), None);
        assert_eq!(prisoner_category(AdultMale, Some(B)), Some("b"));
        assert_eq!(prisoner_category(YoungOffenderMale, Some(C)), Some("c"));
        assert_eq!(prisoner_category(AdultMale, Some(D)), Some("d"));
        assert_eq!(prisoner_category(AdultFemale, Some(D)), Some("open"));
        assert_eq!(prisoner_category(AdultFemale, Some(A)), Some("closed"));
        assert_eq!(prisoner_category(JuvenileFemale, Some(C)), Some("closed"));
        assert_eq!(prisoner_category(AdultMale, None), None);
        assert_eq!(prisoner_category(AdultFemale, None), None);
    }

    #[test]
    fn pseudonyms_are_stable_shaped_and_keyed() {
        let key = PseudonymKey::new(b"0123456789abcdef".to_vec()).unwrap();
        let other = PseudonymKey::new(b"0123456789abcdeF".to_vec()).unwrap();
        let a = pseudonym(&key, &"A1234BC".into());
        assert_eq!(a, pseudonym(&key, &"A1234BC".into()));
        assert_ne!(a, pseudonym(&key, &"A1234BD".into()));
        assert_ne!(a, pseudonym(&other, &"A1234BC".into()));
        // The value Python's `hmac.new(key, id, hashlib.sha256)` gives: the same in any run.
        assert_eq!(a, "P396F697A3621838D");
        assert_eq!(format!("{key:?}"), "PseudonymKey(..)");
        assert!(PseudonymKey::new(b"short".to_vec()).is_err());
        assert_eq!(a.len(), 17);
        assert!(a.starts_with('P'));
        assert!(a[1..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    }
}
