//! The PostgreSQL back end, for a team: the pure-Rust synchronous client (no libpq), over TCP
//! or a Unix socket, without TLS. A writer locks `runs` against other writers (readers go on)
//! when its transaction begins; the server undoes a transaction whose client was killed.

use std::time::Duration;

use postgres::types::{ToSql, Type};
use postgres::{Client, Config, IsolationLevel, NoTls};

use super::schema::HISTORY_TABLE;
use super::store::{Sql, Value};
use crate::error::HistoryError;

/// How long connecting may take when the URL does not say (`connect_timeout`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects to the server of `config`.
pub(super) fn connect(config: &Config, shown: &str) -> Result<Client, HistoryError> {
    let mut config = config.clone();
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config
        .connect(NoTls)
        .map_err(|e| HistoryError::Unreachable {
            target: shown.to_string(),
            reason: message(&e),
        })
}

/// A client error without the server's DETAIL, which can quote a row's values.
fn message(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{} {}: {}", db.severity(), db.code().code(), db.message()),
        None => error.to_string(),
    }
}

/// Whether the database holds a history (its migrations' table, in the current schema).
pub(super) fn has_history(client: &mut Client) -> Result<bool, String> {
    let row = client
        .query_one(
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = $1",
            &[&HISTORY_TABLE],
        )
        .map_err(|e| message(&e))?;
    Ok(row.get::<_, i64>(0) > 0)
}

/// Runs `work` in one transaction, committed when it succeeds; a writer locks `runs` against
/// other writers first, a reader sees one snapshot.
pub(super) fn transaction<T>(
    client: &mut Client,
    write: bool,
    work: impl FnOnce(&mut dyn Sql) -> Result<T, String>,
) -> Result<T, String> {
    let fail = |e: postgres::Error| message(&e);
    let mut transaction = if write {
        let mut transaction = client.transaction().map_err(fail)?;
        transaction
            .batch_execute("LOCK TABLE runs IN EXCLUSIVE MODE")
            .map_err(fail)?;
        transaction
    } else {
        client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(fail)?
    };
    let value = work(&mut Statements(&mut transaction))?;
    transaction.commit().map_err(fail)?;
    Ok(value)
}

struct Statements<'a, 'b>(&'a mut postgres::Transaction<'b>);

/// The values as the client binds them: typed, NULL included.
fn bound(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|value| match value {
            Value::Int(n) => n as &(dyn ToSql + Sync),
            Value::Text(text) => text as &(dyn ToSql + Sync),
        })
        .collect()
}

impl Sql for Statements<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<(), String> {
        self.0
            .execute(sql, &bound(params))
            .map(|_| ())
            .map_err(|e| message(&e))
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, String> {
        let rows = self.0.query(sql, &bound(params)).map_err(|e| message(&e))?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| match *row.columns()[i].type_() {
                        Type::INT8 => Ok(Value::Int(row.get(i))),
                        Type::TEXT | Type::VARCHAR => Ok(Value::Text(row.get(i))),
                        ref other => Err(format!(
                            "column {} is of type {other}, not BIGINT or TEXT",
                            row.columns()[i].name()
                        )),
                    })
                    .collect()
            })
            .collect()
    }
}
