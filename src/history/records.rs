//! The rows of the history, and a run built from the files `plan` writes (`kpis.json`,
//! `moves.csv`, `allocations.json`): what is recorded is what was written.

use std::fs::File;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::calendar::{parse_date, Calendar};
use crate::domain::{PrisonCode, PrisonerId};
use crate::output::rows::{ModelFigures, MoveRow, Parameters, PlanFigures, TallyFigures};
use crate::output::OutputFiles;
use crate::planners::optimal::SolveReport;
use crate::planners::previous::{Fate, PreviousMove};
use crate::problem::kpi::Tally;

/// A recorded run: its header and what it planned, requested and found booked.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub header: RunHeader,
    /// JSON: `kpis.json`'s parameters and the options that shaped the files.
    pub options: String,
    /// JSON: seconds of the whole run, the blended start and each stage of the solve.
    pub timings: String,
    /// The optimal plan's moves of existing prisoners, in `moves.csv`'s order.
    pub planned: Vec<PlannedMove>,
    /// The transfer requests, in `allocations.json`'s order.
    pub requests: Vec<Request>,
    /// The booked moves the plan kept (`--booked`).
    pub booked: Vec<BookedMove>,
}

/// What `resettle history` lists of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunHeader {
    /// When the run started, RFC 3339 UTC.
    pub started_at: String,
    pub user: String,
    pub command: String,
    pub inputs: Vec<InputFile>,
    /// The plan's start date, YYYY-MM-DD.
    pub plan_start: String,
    pub horizon: u32,
    pub kpis: RunKpis,
    /// How the optimal plan was obtained (`kpis.json`'s `model.integrality`).
    pub status: String,
}

/// An input file of a run, by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// `population`, `receptions`, `booked`, or a reference file's name without `.csv`.
    pub role: String,
    pub path: String,
    /// Lower-case hex.
    pub sha256: String,
}

impl InputFile {
    /// The file at `path`, hashed now.
    pub fn read(role: &str, path: &Path) -> io::Result<InputFile> {
        let mut hasher = Sha256::new();
        io::copy(&mut File::open(path)?, &mut hasher)?;
        Ok(InputFile {
            role: role.to_string(),
            path: path.display().to_string(),
            sha256: hex(&hasher.finalize()),
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl From<TallyFigures> for Tally {
    fn from(figures: TallyFigures) -> Self {
        Tally {
            home: figures.home,
            eligible: figures.eligible,
        }
    }
}

/// The optimal plan's KPIs, as in `kpis.json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunKpis {
    /// The headline: K1 within reach for adult males.
    pub k1_reach_adult_male: Tally,
    /// K1 over the horizon: `k1.home` is the plan's home releases.
    pub k1: Tally,
    pub k2: Tally,
    pub on_track: u64,
    /// Objective (b): home releases plus prisoners on track.
    pub home_plus_on_track: u64,
    pub moves: u64,
    pub overflow_person_weeks: u64,
}

/// A move of `moves.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMove {
    pub prisoner: String,
    pub from: String,
    pub to: String,
    pub week: u32,
    /// YYYY-MM-DD.
    pub date: String,
    pub reason: String,
}

impl From<MoveRow> for PlannedMove {
    fn from(row: MoveRow) -> Self {
        PlannedMove {
            prisoner: row.prisoner_id,
            from: row.from,
            to: row.to,
            week: row.week,
            date: row.date,
            reason: row.reason,
        }
    }
}

/// A booked move the plan kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedMove {
    pub prisoner: String,
    pub from: String,
    pub to: String,
    pub date: String,
}

/// Where a transfer request stands, as Book a Secure Move keeps allocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    Unfilled,
    Filled,
    Cancelled,
}

impl RequestStatus {
    /// The word stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Unfilled => "unfilled",
            RequestStatus::Filled => "filled",
            RequestStatus::Cancelled => "cancelled",
        }
    }

    /// The status stored as `word`.
    pub fn parse(word: &str) -> Option<RequestStatus> {
        [Self::Unfilled, Self::Filled, Self::Cancelled]
            .into_iter()
            .find(|status| status.as_str() == word)
    }
}

/// What a transfer request of `allocations.json` gathers moves by: their route, date, and the
/// prisoners' estate, category and sentence length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestKey {
    pub from: String,
    pub to: String,
    /// YYYY-MM-DD.
    pub date: String,
    pub estate: String,
    pub category: Option<String>,
    pub sentence_length: Option<String>,
}

/// A transfer request of `allocations.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub key: RequestKey,
    pub moves_count: u64,
    pub status: RequestStatus,
}

/// A move of the week `roll` booked for, by the key of the transfer request that counts it,
/// and whether `roll` could book it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedMove {
    pub key: RequestKey,
    pub booked: bool,
}

/// What `roll --db --run` records against a run: its week 0 carried out and its requests'
/// moves booked or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Rolling {
    /// The start `roll` was given, YYYY-MM-DD: the run's must be the same.
    pub plan_start: String,
    /// The moves of week 0 carried out.
    pub carried_out: Vec<BookedMove>,
    /// The moves of week 1, the requests week's.
    pub requested: Vec<RequestedMove>,
    pub user: String,
    /// `roll`'s inputs, by hash.
    pub inputs: Vec<InputFile>,
}

/// The status of each of `requests` once `moves` are booked or not. A request carries the
/// moves of its [`RequestKey`]: it is `filled` when all its moves were booked, `cancelled`
/// when none of them could be, and stays `unfilled` otherwise — some booked and some not (the
/// rest may still be booked), or none of its moves rolled (a request of a later week).
pub fn request_statuses(requests: &[Request], moves: &[RequestedMove]) -> Vec<RequestStatus> {
    requests
        .iter()
        .map(|r| {
            let (booked, not_booked) =
                moves
                    .iter()
                    .filter(|m| m.key == r.key)
                    .fold((0, 0), |(yes, no), m| {
                        if m.booked {
                            (yes + 1, no)
                        } else {
                            (yes, no + 1)
                        }
                    });
            match (booked, not_booked) {
                (b, 0) if b == r.moves_count => RequestStatus::Filled,
                (0, n) if n > 0 => RequestStatus::Cancelled,
                _ => RequestStatus::Unfilled,
            }
        })
        .collect()
}

/// A line of the audit: who ran which command on the history, when, on which inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// RFC 3339 UTC.
    pub at: String,
    pub user: String,
    pub command: String,
    /// The run the command wrote, if any.
    pub run: Option<i64>,
    /// JSON: the inputs by hash, or the runs the command read.
    pub inputs: String,
}

/// The user running resettle: `$USER`, else `$LOGNAME`, else `unknown`.
pub fn user_name() -> String {
    ["USER", "LOGNAME"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Now, RFC 3339 UTC to the second.
pub(super) fn now() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// `kpis.json` as far as the history keeps it.
#[derive(Deserialize)]
struct KpisFile {
    parameters: serde_json::Value,
    optimal: PlanFigures,
    model: ModelFigures,
}

/// `allocations.json` as far as the history keeps it.
#[derive(Deserialize)]
struct AllocationsFile {
    data: Vec<Allocation>,
}

#[derive(Deserialize)]
struct Allocation {
    attributes: AllocationAttributes,
    relationships: AllocationRelationships,
}

#[derive(Deserialize)]
struct AllocationAttributes {
    moves_count: u64,
    date: String,
    prisoner_category: Option<String>,
    sentence_length: Option<String>,
    estate: String,
}

#[derive(Deserialize)]
struct AllocationRelationships {
    from_location: Location,
    to_location: Location,
}

#[derive(Deserialize)]
struct Location {
    data: LocationId,
}

#[derive(Deserialize)]
struct LocationId {
    id: String,
}

/// What a run knows of itself beyond its files.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub started_at: String,
    pub user: String,
    pub command: String,
    pub inputs: Vec<InputFile>,
    /// Options that shaped the files beyond `kpis.json`'s parameters: a JSON object.
    pub options: serde_json::Value,
    /// Seconds from the start of the command to its files.
    pub seconds: f64,
}

#[derive(Serialize)]
struct Timings<'a> {
    total: f64,
    blended_start: f64,
    stages: Vec<StageTiming<'a>>,
}

#[derive(Serialize)]
struct StageTiming<'a> {
    name: &'a str,
    seconds: f64,
}

impl Run {
    /// The run of a plan from the files it writes and its solve report. Fails only when a
    /// file is not what `plan` writes (a bug): the message names the file.
    pub fn of_plan(
        invocation: Invocation,
        files: &OutputFiles,
        report: &SolveReport,
    ) -> Result<Run, String> {
        let file = |name: &str| files.get(name).ok_or_else(|| format!("no {name}"));
        let kpis: KpisFile =
            serde_json::from_slice(file("kpis.json")?).map_err(|e| format!("kpis.json: {e}"))?;
        let planned = csv::Reader::from_reader(file("moves.csv")?)
            .deserialize::<MoveRow>()
            .map(|row| row.map(PlannedMove::from))
            .collect::<Result<Vec<PlannedMove>, _>>()
            .map_err(|e| format!("moves.csv: {e}"))?;
        let allocations: AllocationsFile = serde_json::from_slice(file("allocations.json")?)
            .map_err(|e| format!("allocations.json: {e}"))?;
        let parameters: Parameters = serde_json::from_value(kpis.parameters.clone())
            .map_err(|e| format!("kpis.json's parameters: {e}"))?;
        let mut options = invocation.options;
        options["parameters"] = kpis.parameters;
        let optimal = kpis.optimal;
        let timings = Timings {
            total: invocation.seconds,
            blended_start: report.start_seconds,
            stages: report
                .stages
                .iter()
                .map(|stage| StageTiming {
                    name: stage.name,
                    seconds: stage.seconds,
                })
                .collect(),
        };
        let booked = planned
            .iter()
            .filter(|m| m.reason == crate::problem::plan::MoveReason::Booked.as_str())
            .map(|m| BookedMove {
                prisoner: m.prisoner.clone(),
                from: m.from.clone(),
                to: m.to.clone(),
                date: m.date.clone(),
            })
            .collect();
        let requests = allocations
            .data
            .into_iter()
            .map(|a| Request {
                key: RequestKey {
                    from: a.relationships.from_location.data.id,
                    to: a.relationships.to_location.data.id,
                    date: a.attributes.date,
                    estate: a.attributes.estate,
                    category: a.attributes.prisoner_category,
                    sentence_length: a.attributes.sentence_length,
                },
                moves_count: a.attributes.moves_count,
                status: RequestStatus::Unfilled,
            })
            .collect();
        Ok(Run {
            header: RunHeader {
                started_at: invocation.started_at,
                user: invocation.user,
                command: invocation.command,
                inputs: invocation.inputs,
                plan_start: parameters.start,
                horizon: parameters.horizon,
                kpis: RunKpis {
                    k1_reach_adult_male: optimal.k1_within_reach_adult_male.into(),
                    k1: optimal.k1.into(),
                    k2: optimal.k2.into(),
                    on_track: optimal.on_track,
                    home_plus_on_track: optimal.home_plus_on_track,
                    moves: optimal.moves,
                    overflow_person_weeks: optimal.overflow_person_weeks,
                },
                status: kpis.model.integrality,
            },
            options: options.to_string(),
            timings: serde_json::to_string(&timings).expect("serialising to memory"),
            planned,
            requests,
            booked,
        })
    }
}

/// The moves of a run of the plan history (`plan --db`), with each move's week counted from
/// `calendar`'s start; fails when the run's weeks are not whole weeks before it.
pub fn previous_moves(
    run: i64,
    moves: &[PlannedMove],
    calendar: &Calendar,
) -> Result<Vec<PreviousMove>, String> {
    moves
        .iter()
        .map(|m| {
            let date = parse_date(&m.date)
                .filter(|d| (*d - calendar.first_day(0)).num_days().rem_euclid(7) == 0)
                .ok_or_else(|| {
                    format!(
                        "--previous-run {run}: its moves are not dated on Mondays of the new \
                         plan's weeks (the run must start a whole number of weeks before \
                         --start)"
                    )
                })?;
            Ok(PreviousMove {
                prisoner_id: PrisonerId(m.prisoner.clone()),
                from: PrisonCode(m.from.clone()),
                to: PrisonCode(m.to.clone()),
                week: u32::try_from(calendar.week_of(date)).ok(),
                fate: Fate::Past,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_filled_cancelled_or_left_unfilled_by_its_moves() {
        let key = |to: &str| RequestKey {
            from: "NLO".into(),
            to: to.into(),
            date: "2014-09-08".into(),
            estate: "adult_male".into(),
            category: Some("c".into()),
            sentence_length: Some("long".into()),
        };
        let request = |to: &str, moves_count| Request {
            key: key(to),
            moves_count,
            status: RequestStatus::Unfilled,
        };
        let moved = |to: &str, booked| RequestedMove {
            key: key(to),
            booked,
        };
        let mut short = moved("CTR", false);
        short.key.sentence_length = Some("short".into());
        let requests = [
            request("CTR", 2),
            request("SOP", 1),
            request("GMI", 2),
            request("CWI", 1),
        ];
        let moves = [
            moved("CTR", true),
            moved("CTR", true),
            short,
            moved("SOP", false),
            moved("GMI", true),
            moved("GMI", false),
        ];
        use RequestStatus::*;
        assert_eq!(
            request_statuses(&requests, &moves),
            [Filled, Cancelled, Unfilled, Unfilled]
        );
    }
}
