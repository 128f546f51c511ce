//! The history's schema: versioned migrations, `migrations/V{n}__{name}.sql`, in portable
//! SQL that SQLite and PostgreSQL both run as written. They are embedded in the binary and
//! applied by refinery, all pending ones in one transaction, when a store is opened. A
//! database whose schema is newer than this binary knows is refused and left unchanged.

use crate::error::HistoryError;
use refinery::error::Kind;
use refinery::Migrate;

refinery::embed_migrations!("src/history/migrations");

/// refinery's table of the migrations applied: its presence marks a history.
pub(super) const HISTORY_TABLE: &str = "refinery_schema_history";

/// Brings the schema of `connection` up to date; `has_history` says whether it has one.
pub(super) fn migrate<C: Migrate>(
    connection: &mut C,
    has_history: bool,
    shown: &str,
) -> Result<(), HistoryError> {
    let runner = migrations::runner().set_grouped(true);
    let known = runner
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or_default();
    let database = |reason: String| HistoryError::Database {
        target: shown.to_string(),
        reason,
    };
    if has_history {
        let last = runner
            .get_last_applied_migration(connection)
            .map_err(|e| database(e.to_string()))?;
        if let Some(found) = last.map(|m| i64::from(m.version())).filter(|&v| v > known) {
            return Err(HistoryError::SchemaNewer {
                target: shown.to_string(),
                found,
                known,
            });
        }
    }
    runner
        .run(connection)
        .map(|_| ())
        .map_err(|e| match e.kind() {
            Kind::MissingVersion(_) | Kind::DivergentVersion(..) => HistoryError::SchemaMismatch {
                target: shown.to_string(),
                reason: e.to_string(),
            },
            _ => database(e.to_string()),
        })
}
