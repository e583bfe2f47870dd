//! The schema migrations, embedded in the binary, one folder per backend.
//!
//! The files are listed here with `include_str!` rather than found by `sqlx::migrate!`: the macro
//! would need sqlx's `macros` feature, which compiles sqlx and a second SQLite for the build
//! host. A unit test checks this list against the folders, so a new file cannot be forgotten.

use sqlx::migrate::{MigrateError, Migration, MigrationType, Migrator};
use sqlx::{AnyConnection, SqlSafeStr};

use super::{Backend, StoreError};

/// (version, description, SQLite SQL, PostgreSQL SQL). Both backends share version numbers.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "scores",
        include_str!("../../migrations/sqlite/0001_scores.sql"),
        include_str!("../../migrations/postgres/0001_scores.sql"),
    ),
    (
        2,
        "events",
        include_str!("../../migrations/sqlite/0002_events.sql"),
        include_str!("../../migrations/postgres/0002_events.sql"),
    ),
    (
        3,
        "snapshot_decks",
        include_str!("../../migrations/sqlite/0003_snapshot_decks.sql"),
        include_str!("../../migrations/postgres/0003_snapshot_decks.sql"),
    ),
    (
        4,
        "snapshot_rounds",
        include_str!("../../migrations/sqlite/0004_snapshot_rounds.sql"),
        include_str!("../../migrations/postgres/0004_snapshot_rounds.sql"),
    ),
];

/// The newest schema version this binary knows.
pub fn known_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0)
}

fn migrator(backend: Backend) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|&(version, description, sqlite, postgres)| {
            let sql = match backend {
                Backend::Sqlite => sqlite,
                Backend::Postgres => postgres,
            };
            Migration::new(
                version,
                description.into(),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

/// Brings the schema up to date. A database migrated by a newer binary is refused before
/// anything is written (sqlx validates the applied versions before applying any).
pub(crate) async fn run(conn: &mut AnyConnection, backend: Backend) -> Result<(), StoreError> {
    match migrator(backend).run(&mut *conn).await {
        Ok(()) => Ok(()),
        Err(MigrateError::VersionMissing(v)) | Err(MigrateError::Dirty(v))
            if v > known_version() =>
        {
            let found = newest_applied(conn).await.unwrap_or(v).max(v);
            Err(StoreError::SchemaTooNew {
                found,
                known: known_version(),
            })
        }
        Err(e) => Err(StoreError::Migration(e)),
    }
}

async fn newest_applied(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn files_in(dir: &str) -> BTreeSet<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        std::fs::read_dir(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect()
    }

    #[test]
    fn every_migration_file_is_embedded_for_both_backends() {
        let listed: BTreeSet<String> = MIGRATIONS
            .iter()
            .map(|(version, description, _, _)| format!("{version:04}_{description}.sql"))
            .collect();
        assert_eq!(files_in("migrations/sqlite"), listed);
        assert_eq!(files_in("migrations/postgres"), listed);
    }

    #[test]
    fn versions_increase() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(known_version(), MIGRATIONS.last().unwrap().0);
    }
}
