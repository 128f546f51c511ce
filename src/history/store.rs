//! [`Store`]: the history on either back end. Every statement is written once here, in SQL
//! that both run (`$n` parameters, BIGINT and TEXT values); `sqlite` and `postgres` only
//! connect and run a transaction.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use super::records::{
    now, request_statuses, Audit, BookedMove, InputFile, PlannedMove, Request, RequestKey,
    RequestStatus, Rolling, Run, RunHeader, RunKpis,
};
use super::{postgres, schema, sqlite};
use crate::error::HistoryError;
use crate::problem::kpi::Tally;

/// Where the history is kept.
#[derive(Debug, Clone)]
pub enum Target {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database; `shown` is its URL without the password.
    Postgres {
        config: Box<::postgres::Config>,
        shown: String,
    },
}

impl FromStr for Target {
    type Err = HistoryError;

    /// A `postgres://` or `postgresql://` URL, else the path of an SQLite file.
    fn from_str(text: &str) -> Result<Target, HistoryError> {
        let bad = |reason: &str| HistoryError::BadTarget {
            target: without_password(text),
            reason: reason.to_string(),
        };
        if text.is_empty() {
            return Err(bad("is empty: give an SQLite file or a postgres:// URL"));
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            let config = ::postgres::Config::from_str(text)
                .map_err(|e| bad(&format!("is not a PostgreSQL URL that can be read: {e}")))?;
            return Ok(Target::Postgres {
                config: Box::new(config),
                shown: without_password(text),
            });
        }
        if text.contains("://") {
            return Err(bad(
                "is neither an SQLite file nor a PostgreSQL URL (postgres://USER@HOST/DB)",
            ));
        }
        Ok(Target::Sqlite(PathBuf::from(text)))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Sqlite(path) => write!(f, "{}", path.display()),
            Target::Postgres { shown, .. } => f.write_str(shown),
        }
    }
}

/// A URL with the password of its `user:password@` replaced by `***`.
fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &authority[..colon],
            &url[scheme_end + at..]
        ),
        _ => url.to_string(),
    }
}

/// A value bound to or read from a statement: the schema's two column types. `None` is NULL.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<u64> for Value {
    fn from(value: u64) -> Self {
        Value::Int(Some(i64::try_from(value).unwrap_or(i64::MAX)))
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(Some(value))
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(Some(value.to_string()))
    }
}

impl From<Option<&str>> for Value {
    fn from(value: Option<&str>) -> Self {
        Value::Text(value.map(str::to_string))
    }
}

/// The statements of one transaction; an error is a message without personal data.
pub(super) trait Sql {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<(), String>;
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, String>;
}

/// The parameters of one statement at most (SQLite allows 32,766, PostgreSQL 65,535).
const MAX_PARAMETERS: usize = 10_000;

/// The history, open.
pub struct Store {
    target: Target,
    connection: Connection,
}

enum Connection {
    Sqlite(rusqlite::Connection),
    Postgres(Box<::postgres::Client>),
}

/// The columns of `runs`, in the order of [`header_values`]: `id` last ([`ID`]).
const RUN_COLUMNS: [&str; 20] = [
    "started_at",
    "user_name",
    "command",
    "options",
    "inputs",
    "plan_start",
    "horizon",
    "k1_reach_adult_male_home",
    "k1_reach_adult_male_eligible",
    "k1_home",
    "k1_eligible",
    "k2_home",
    "k2_eligible",
    "on_track",
    "home_plus_on_track",
    "moves",
    "overflow_person_weeks",
    "timings",
    "status",
    "id",
];
/// Where `id` is in a row of [`RUN_COLUMNS`].
const ID: usize = RUN_COLUMNS.len() - 1;
const PLANNED_COLUMNS: [&str; 6] = [
    "prisoner",
    "from_prison",
    "to_prison",
    "week",
    "move_date",
    "reason",
];
const REQUEST_COLUMNS: [&str; 8] = [
    "from_prison",
    "to_prison",
    "move_date",
    "estate",
    "category",
    "sentence_length",
    "moves_count",
    "status",
];
const BOOKED_COLUMNS: [&str; 4] = ["prisoner", "from_prison", "to_prison", "move_date"];
const AUDIT_COLUMNS: [&str; 6] = ["id", "at", "user_name", "command", "run_id", "inputs"];

impl Store {
    /// Opens the history at `target` and brings its schema up to date. With `create`, a new
    /// history is made when there is none (an SQLite file readable by its owner only);
    /// without, there must be one.
    pub fn open(target: &Target, create: bool) -> Result<Store, HistoryError> {
        let shown = target.to_string();
        let mut connection = match target {
            Target::Sqlite(path) => Connection::Sqlite(sqlite::open(path, create, &shown)?),
            Target::Postgres { config, .. } => {
                Connection::Postgres(Box::new(postgres::connect(config, &shown)?))
            }
        };
        let has_history = match &mut connection {
            Connection::Sqlite(c) => sqlite::has_history(c),
            Connection::Postgres(c) => postgres::has_history(c),
        }
        .map_err(|reason| HistoryError::Unreachable {
            target: shown.clone(),
            reason,
        })?;
        if !has_history && !create {
            return Err(HistoryError::NoHistory { target: shown });
        }
        match &mut connection {
            Connection::Sqlite(c) => schema::migrate(c, has_history, &shown)?,
            Connection::Postgres(c) => schema::migrate(c.as_mut(), has_history, &shown)?,
        }
        Ok(Store {
            target: target.clone(),
            connection,
        })
    }

    /// Where the history is.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Runs `work` in one transaction, committed when it succeeds and rolled back otherwise.
    /// A writing transaction first takes the history's write lock, so ids are given in turn.
    fn transaction<T>(
        &mut self,
        write: bool,
        work: impl FnOnce(&mut dyn Sql) -> Result<T, String>,
    ) -> Result<T, HistoryError> {
        match &mut self.connection {
            Connection::Sqlite(c) => sqlite::transaction(c, write, work),
            Connection::Postgres(c) => postgres::transaction(c, write, work),
        }
        .map_err(|reason| HistoryError::Database {
            target: self.target.to_string(),
            reason,
        })
    }

    /// Records `run` whole, with its line of the audit, in one transaction: a failure or a
    /// kill at any moment leaves the history as it was. Returns the run's id.
    pub fn record(&mut self, run: &Run) -> Result<i64, HistoryError> {
        let inputs = serde_json::to_string(&run.header.inputs).expect("serialising to memory");
        self.transaction(true, |sql| {
            let id = next_id(sql, "runs")?;
            insert(
                sql,
                "runs",
                &RUN_COLUMNS,
                vec![header_values(run, &inputs, id)],
            )?;
            let lines = |rows: Vec<Vec<Value>>| -> Vec<Vec<Value>> {
                (0..)
                    .zip(rows)
                    .map(|(line, row): (i64, _)| [vec![id.into(), line.into()], row].concat())
                    .collect()
            };
            let keyed = |columns: &[&'static str]| [&["run_id", "line"], columns].concat();
            let planned = run.planned.iter().map(|m| {
                vec![
                    m.prisoner.as_str().into(),
                    m.from.as_str().into(),
                    m.to.as_str().into(),
                    u64::from(m.week).into(),
                    m.date.as_str().into(),
                    m.reason.as_str().into(),
                ]
            });
            insert(
                sql,
                "planned_moves",
                &keyed(&PLANNED_COLUMNS),
                lines(planned.collect()),
            )?;
            let requests = run.requests.iter().map(|r| {
                let key = &r.key;
                vec![
                    key.from.as_str().into(),
                    key.to.as_str().into(),
                    key.date.as_str().into(),
                    key.estate.as_str().into(),
                    key.category.as_deref().into(),
                    key.sentence_length.as_deref().into(),
                    r.moves_count.into(),
                    r.status.as_str().into(),
                ]
            });
            insert(
                sql,
                "requests",
                &keyed(&REQUEST_COLUMNS),
                lines(requests.collect()),
            )?;
            let booked = run.booked.iter().map(|m| {
                vec![
                    m.prisoner.as_str().into(),
                    m.from.as_str().into(),
                    m.to.as_str().into(),
                    m.date.as_str().into(),
                ]
            });
            insert(
                sql,
                "booked_moves",
                &keyed(&BOOKED_COLUMNS),
                lines(booked.collect()),
            )?;
            let audit = Audit {
                at: now(),
                user: run.header.user.clone(),
                command: run.header.command.clone(),
                run: Some(id),
                inputs: inputs.clone(),
            };
            write_audit(sql, &audit)?;
            Ok(id)
        })
    }

    /// Refuses to roll the run `id` for the start `plan_start` (YYYY-MM-DD) when it is not
    /// there, is another week's plan, or was rolled already.
    pub fn check_roll(&mut self, id: i64, plan_start: &str) -> Result<(), HistoryError> {
        let target = self.target.to_string();
        match self.transaction(false, |sql| roll_refusal(sql, id, plan_start, &target))? {
            Some(refusal) => Err(refusal),
            None => Ok(()),
        }
    }

    /// Records that run `id`'s week 0 was carried out ([`Rolling`]), in one transaction like
    /// [`Store::record`]: its carried-out moves, its requests' statuses
    /// ([`request_statuses`]) and a line of the audit. Refused as by [`Store::check_roll`],
    /// with nothing written. Returns the requests' statuses, in order.
    pub fn record_roll(
        &mut self,
        id: i64,
        rolling: &Rolling,
    ) -> Result<Vec<RequestStatus>, HistoryError> {
        let target = self.target.to_string();
        let inputs = serde_json::to_string(&rolling.inputs).expect("serialising to memory");
        self.transaction(true, |sql| {
            if let Some(refusal) = roll_refusal(sql, id, &rolling.plan_start, &target)? {
                return Ok(Err(refusal));
            }
            let rows = (0..).zip(&rolling.carried_out).map(|(line, m): (i64, _)| {
                vec![
                    id.into(),
                    line.into(),
                    m.prisoner.as_str().into(),
                    m.from.as_str().into(),
                    m.to.as_str().into(),
                    m.date.as_str().into(),
                ]
            });
            let columns = [&["run_id", "line"], &BOOKED_COLUMNS[..]].concat();
            insert(sql, "carried_out_moves", &columns, rows.collect())?;
            let requests = read_requests(sql, id)?;
            let statuses = request_statuses(&requests, &rolling.requested);
            let update = "UPDATE requests SET status = $1 WHERE run_id = $2 AND line = $3";
            for (line, (request, status)) in (0_i64..).zip(requests.iter().zip(&statuses)) {
                if request.status != *status {
                    let params = [status.as_str().into(), id.into(), line.into()];
                    sql.execute(update, &params)?;
                }
            }
            let audit = Audit {
                at: now(),
                user: rolling.user.clone(),
                command: "roll".to_string(),
                run: Some(id),
                inputs: inputs.clone(),
            };
            write_audit(sql, &audit)?;
            Ok(Ok(statuses))
        })?
    }

    /// Adds a line to the audit.
    pub fn audit(&mut self, entry: &Audit) -> Result<(), HistoryError> {
        self.transaction(true, |sql| write_audit(sql, entry))
    }

    /// Every run's header, by id.
    pub fn runs(&mut self) -> Result<Vec<(i64, RunHeader)>, HistoryError> {
        self.transaction(false, |sql| {
            let select = format!("SELECT {} FROM runs ORDER BY id", RUN_COLUMNS.join(", "));
            sql.query(&select, &[])?
                .iter()
                .map(|row| Ok((int(&row[ID])?, read_header(row)?)))
                .collect()
        })
    }

    /// The run `id`, whole.
    pub fn run(&mut self, id: i64) -> Result<Run, HistoryError> {
        let found = self.transaction(false, |sql| {
            let select = format!("SELECT {} FROM runs WHERE id = $1", RUN_COLUMNS.join(", "));
            let Some(row) = sql.query(&select, &[id.into()])?.into_iter().next() else {
                return Ok(None);
            };
            let rows = |sql: &mut dyn Sql, table: &str, columns: &[&str]| {
                let select = format!(
                    "SELECT {} FROM {table} WHERE run_id = $1 ORDER BY line",
                    columns.join(", ")
                );
                sql.query(&select, &[id.into()])
            };
            let planned = rows(sql, "planned_moves", &PLANNED_COLUMNS)?
                .iter()
                .map(|row| {
                    Ok(PlannedMove {
                        prisoner: text(&row[0])?,
                        from: text(&row[1])?,
                        to: text(&row[2])?,
                        week: u32::try_from(int(&row[3])?).map_err(|e| e.to_string())?,
                        date: text(&row[4])?,
                        reason: text(&row[5])?,
                    })
                })
                .collect::<Result<_, String>>()?;
            let requests = read_requests(sql, id)?;
            let booked = rows(sql, "booked_moves", &BOOKED_COLUMNS)?
                .iter()
                .map(|row| {
                    Ok(BookedMove {
                        prisoner: text(&row[0])?,
                        from: text(&row[1])?,
                        to: text(&row[2])?,
                        date: text(&row[3])?,
                    })
                })
                .collect::<Result<_, String>>()?;
            Ok(Some(Run {
                header: read_header(&row)?,
                options: text(&row[3])?,
                timings: text(&row[17])?,
                planned,
                requests,
                booked,
            }))
        })?;
        found.ok_or_else(|| HistoryError::NoRun {
            target: self.target.to_string(),
            run: id,
        })
    }
}

/// The requests of run `id`, in order of their lines (0, 1, …).
fn read_requests(sql: &mut dyn Sql, id: i64) -> Result<Vec<Request>, String> {
    let select = format!(
        "SELECT {} FROM requests WHERE run_id = $1 ORDER BY line",
        REQUEST_COLUMNS.join(", ")
    );
    sql.query(&select, &[id.into()])?
        .iter()
        .map(|row| {
            let status = text(&row[7])?;
            Ok(Request {
                key: RequestKey {
                    from: text(&row[0])?,
                    to: text(&row[1])?,
                    date: text(&row[2])?,
                    estate: text(&row[3])?,
                    category: optional_text(&row[4])?,
                    sentence_length: optional_text(&row[5])?,
                },
                moves_count: count(&row[6])?,
                status: RequestStatus::parse(&status)
                    .ok_or_else(|| format!("unknown request status {status}"))?,
            })
        })
        .collect()
}

/// Why run `id` cannot be rolled for the start `plan_start`, if it cannot: not there, another
/// week's plan, or rolled already (its carried-out moves or its `roll` audit line recorded).
fn roll_refusal(
    sql: &mut dyn Sql,
    id: i64,
    plan_start: &str,
    target: &str,
) -> Result<Option<HistoryError>, String> {
    let select = "SELECT plan_start, \
                  (SELECT COUNT(*) FROM carried_out_moves WHERE run_id = $1) \
                  + (SELECT COUNT(*) FROM audit WHERE run_id = $1 AND command = 'roll') \
                  FROM runs WHERE id = $1";
    let target = target.to_string();
    let Some(row) = sql.query(select, &[id.into()])?.into_iter().next() else {
        return Ok(Some(HistoryError::NoRun { target, run: id }));
    };
    let run_start = text(&row[0])?;
    Ok(if run_start != plan_start {
        Some(HistoryError::OtherStart {
            target,
            run: id,
            run_start,
            start: plan_start.to_string(),
        })
    } else if int(&row[1])? > 0 {
        Some(HistoryError::AlreadyRolled { target, run: id })
    } else {
        None
    })
}

/// The next id of `table`: ids are given inside the writing transaction, under its lock.
fn next_id(sql: &mut dyn Sql, table: &str) -> Result<i64, String> {
    let select = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
    let rows = sql.query(&select, &[])?;
    int(rows.first().and_then(|row| row.first()).ok_or("no id")?)
}

/// Inserts `rows` into `columns` of `table`, many rows a statement.
fn insert(
    sql: &mut dyn Sql,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), String> {
    let per_statement = (MAX_PARAMETERS / columns.len()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut text = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut params = Vec::new();
        for (i, row) in rows.by_ref().take(per_statement).enumerate() {
            text.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..row.len() {
                let separator = if j == 0 { "" } else { ", " };
                text.push_str(&format!("{separator}${}", params.len() + j + 1));
            }
            text.push(')');
            params.extend(row);
        }
        sql.execute(&text, &params)?;
    }
    Ok(())
}

fn write_audit(sql: &mut dyn Sql, entry: &Audit) -> Result<(), String> {
    let id = next_id(sql, "audit")?;
    let row = vec![
        id.into(),
        entry.at.as_str().into(),
        entry.user.as_str().into(),
        entry.command.as_str().into(),
        Value::Int(entry.run),
        entry.inputs.as_str().into(),
    ];
    insert(sql, "audit", &AUDIT_COLUMNS, vec![row])
}

/// A run's row of `runs`, in the order of [`RUN_COLUMNS`]; `inputs` is its inputs' JSON.
fn header_values(run: &Run, inputs: &str, id: i64) -> Vec<Value> {
    let header = &run.header;
    let kpis = &header.kpis;
    vec![
        header.started_at.as_str().into(),
        header.user.as_str().into(),
        header.command.as_str().into(),
        run.options.as_str().into(),
        inputs.into(),
        header.plan_start.as_str().into(),
        u64::from(header.horizon).into(),
        kpis.k1_reach_adult_male.home.into(),
        kpis.k1_reach_adult_male.eligible.into(),
        kpis.k1.home.into(),
        kpis.k1.eligible.into(),
        kpis.k2.home.into(),
        kpis.k2.eligible.into(),
        kpis.on_track.into(),
        kpis.home_plus_on_track.into(),
        kpis.moves.into(),
        kpis.overflow_person_weeks.into(),
        run.timings.as_str().into(),
        header.status.as_str().into(),
        id.into(),
    ]
}

/// A run's header from its row of `runs` ([`RUN_COLUMNS`]).
fn read_header(row: &[Value]) -> Result<RunHeader, String> {
    let tally = |home: usize| -> Result<Tally, String> {
        Ok(Tally {
            home: count(&row[home])?,
            eligible: count(&row[home + 1])?,
        })
    };
    let inputs: Vec<InputFile> =
        serde_json::from_str(&text(&row[4])?).map_err(|e| format!("runs.inputs: {e}"))?;
    Ok(RunHeader {
        started_at: text(&row[0])?,
        user: text(&row[1])?,
        command: text(&row[2])?,
        inputs,
        plan_start: text(&row[5])?,
        horizon: u32::try_from(int(&row[6])?).map_err(|e| e.to_string())?,
        kpis: RunKpis {
            k1_reach_adult_male: tally(7)?,
            k1: tally(9)?,
            k2: tally(11)?,
            on_track: count(&row[13])?,
            home_plus_on_track: count(&row[14])?,
            moves: count(&row[15])?,
            overflow_person_weeks: count(&row[16])?,
        },
        status: text(&row[18])?,
    })
}

fn int(value: &Value) -> Result<i64, String> {
    match value {
        Value::Int(Some(n)) => Ok(*n),
        other => Err(format!("a number was expected, not {}", kind(other))),
    }
}

fn count(value: &Value) -> Result<u64, String> {
    u64::try_from(int(value)?).map_err(|e| e.to_string())
}

fn text(value: &Value) -> Result<String, String> {
    optional_text(value)?.ok_or_else(|| "a text was expected, not NULL".to_string())
}

fn optional_text(value: &Value) -> Result<Option<String>, String> {
    match value {
        Value::Text(text) => Ok(text.clone()),
        Value::Int(None) => Ok(None),
        other => Err(format!("a text was expected, not {}", kind(other))),
    }
}

/// What a value is, for a message (never the value: it may be personal data).
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Int(None) | Value::Text(None) => "NULL",
        Value::Int(Some(_)) => "a number",
        Value::Text(Some(_)) => "a text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password() {
        let shown = |text: &str| text.parse::<Target>().unwrap().to_string();
        assert_eq!(
            shown("postgres://pm:s3cret@db.local:5432/history"),
            "postgres://pm:***@db.local:5432/history"
        );
        assert_eq!(
            shown("postgresql://pm@%2Frun%2Fpostgresql/history?sslmode=disable"),
            "postgresql://pm@%2Frun%2Fpostgresql/history?sslmode=disable"
        );
        assert_eq!(shown("out/resettle.db"), "out/resettle.db");
        let error = "postgres://pm:s3cret@db.local:x/history".parse::<Target>();
        assert!(!error.unwrap_err().to_string().contains("s3cret"));
    }
}
