//! The SQLite back end: one file, no server. A writer takes the file's write lock when its
//! transaction begins (`BEGIN IMMEDIATE`); SQLite's journal undoes a transaction that a kill
//! interrupted the next time the file is opened.

use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql, TransactionBehavior};

use super::schema::HISTORY_TABLE;
use super::store::{Sql, Value};
use crate::error::HistoryError;

/// How long a writer waits for another's lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Opens the file `path`; with `create`, makes it when missing, readable by its owner only
/// (it holds prisoner ids). Its folder must exist.
pub(super) fn open(path: &Path, create: bool, shown: &str) -> Result<Connection, HistoryError> {
    let bad = |reason: String| HistoryError::BadTarget {
        target: shown.to_string(),
        reason,
    };
    if path.is_dir() {
        return Err(bad("is a folder: give the history's file".into()));
    }
    if !path.exists() {
        if !create {
            return Err(HistoryError::NoHistory {
                target: shown.to_string(),
            });
        }
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
        if folder.is_some_and(|folder| !folder.is_dir()) {
            return Err(bad("its folder does not exist".into()));
        }
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(bad(format!("cannot be made: {e}"))),
        }
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let unreachable = |e: rusqlite::Error| HistoryError::Unreachable {
        target: shown.to_string(),
        reason: e.to_string(),
    };
    let connection = Connection::open_with_flags(path, flags).map_err(unreachable)?;
    connection.busy_timeout(BUSY_TIMEOUT).map_err(unreachable)?;
    connection
        .pragma_update(None, "foreign_keys", true)
        .map_err(unreachable)?;
    // The first read of the file: one that is not a database fails here, untouched.
    connection
        .query_row("SELECT COUNT(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|e| bad(format!("is not an SQLite database ({e})")))?;
    Ok(connection)
}

/// Whether the file holds a history (its migrations' table).
pub(super) fn has_history(connection: &Connection) -> Result<bool, String> {
    connection
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [HISTORY_TABLE],
            |row| row.get::<_, i64>(0),
        )
        .map(|n| n > 0)
        .map_err(|e| e.to_string())
}

/// Runs `work` in one transaction, committed when it succeeds; a writer takes the write lock
/// first.
pub(super) fn transaction<T>(
    connection: &mut Connection,
    write: bool,
    work: impl FnOnce(&mut dyn Sql) -> Result<T, String>,
) -> Result<T, String> {
    let behaviour = if write {
        TransactionBehavior::Immediate
    } else {
        TransactionBehavior::Deferred
    };
    let transaction = connection
        .transaction_with_behavior(behaviour)
        .map_err(|e| e.to_string())?;
    let mut statements = Statements(&transaction);
    let value = work(&mut statements)?;
    transaction.commit().map_err(|e| e.to_string())?;
    Ok(value)
}

/// The statements of a transaction (which derefs to its connection).
struct Statements<'a>(&'a Connection);

/// The shared SQL's `$n` as SQLite's `?n`.
fn numbered(sql: &str) -> String {
    sql.replace('$', "?")
}

impl Sql for Statements<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<(), String> {
        self.0
            .execute(&numbered(sql), rusqlite::params_from_iter(params))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, String> {
        let mut statement = self.0.prepare(&numbered(sql)).map_err(|e| e.to_string())?;
        let columns = statement.column_count();
        let rows = statement
            .query_map(rusqlite::params_from_iter(params), |row| {
                (0..columns)
                    .map(|i| {
                        Ok(match row.get_ref(i)? {
                            ValueRef::Integer(n) => Value::Int(Some(n)),
                            ValueRef::Null => Value::Text(None),
                            ValueRef::Text(bytes) => {
                                Value::Text(Some(String::from_utf8_lossy(bytes).into_owned()))
                            }
                            ValueRef::Real(_) | ValueRef::Blob(_) => {
                                return Err(rusqlite::Error::InvalidColumnType(
                                    i,
                                    row.as_ref().column_name(i)?.to_string(),
                                    row.get_ref(i)?.data_type(),
                                ))
                            }
                        })
                    })
                    .collect::<Result<Vec<Value>, _>>()
            })
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Int(Some(n)) => ToSqlOutput::from(*n),
            Value::Text(Some(text)) => ToSqlOutput::from(text.as_str()),
            Value::Int(None) | Value::Text(None) => ToSqlOutput::from(rusqlite::types::Null),
        })
    }
}
