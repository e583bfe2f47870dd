//! Opening the database: pick the backend from the URL, prepare SQLite, migrate, build the pool.

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, Connection, Executor};

use super::error::redact_url;
use super::{Backend, Store, StoreError, StoreOptions, migrations};

/// Used when DATABASE_URL is unset: a file in the working directory, created on first run.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://trivia-bot.db";

impl Backend {
    /// The backend a database URL names, or None for schemes the bot does not support.
    pub fn from_url(url: &str) -> Option<Backend> {
        let scheme = url.split_once(':')?.0.to_ascii_lowercase();
        match scheme.as_str() {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }
}

pub(super) async fn open(url: &str, options: StoreOptions) -> Result<Store, StoreError> {
    let backend = Backend::from_url(url).ok_or_else(|| StoreError::UnsupportedUrl {
        url: redact_url(url).into_owned(),
    })?;
    sqlx::any::install_default_drivers();
    // Errors show the URL as the user wrote it, less any password.
    let shown = redact_url(url).into_owned();
    let unreachable = |source| StoreError::Unreachable {
        url: shown.clone(),
        source,
    };
    let url = match backend {
        Backend::Sqlite => sqlite_url(url),
        Backend::Postgres => url.to_owned(),
    };

    let in_memory = backend == Backend::Sqlite && is_sqlite_memory(&url);
    if !in_memory {
        // One plain connection first: it reports the real cause (refused, bad password, no such
        // directory) where the pool would only say it timed out.
        let mut conn = AnyConnection::connect(&url).await.map_err(unreachable)?;
        if backend == Backend::Sqlite {
            use_wal(&mut conn).await?;
        }
        migrations::run(&mut conn, backend).await?;
        // The schema is committed; a failed goodbye does not matter.
        let _ = conn.close().await;
    }

    let pool = pool_options(backend, &options, in_memory)
        .connect(&url)
        .await
        .map_err(unreachable)?;
    if in_memory {
        let mut conn = pool.acquire().await?;
        migrations::run(&mut conn, backend).await?;
    }
    Ok(Store {
        pool,
        backend,
        options,
        writer: Default::default(),
    })
}

/// Accepts `sqlite://file`, `sqlite:file` and `sqlite:///abs/file`; adds `mode=rwc` (create
/// the file if missing) unless the URL chooses a mode itself.
fn sqlite_url(url: &str) -> String {
    if is_sqlite_memory(url) || url.contains("mode=") {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}mode=rwc")
}

fn is_sqlite_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// WAL lets readers (leaderboards) run while a question's results are written. The setting is
/// stored in the file, so it is done once here rather than on every pooled connection (switching
/// needs an exclusive lock that the busy timeout does not wait for).
async fn use_wal(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?;
    if !mode.eq_ignore_ascii_case("wal") {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode = WAL")
            .fetch_one(&mut *conn)
            .await?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(%mode, "SQLite refused WAL mode; leaderboards may wait for writes");
        }
    }
    Ok(())
}

fn pool_options(backend: Backend, options: &StoreOptions, in_memory: bool) -> AnyPoolOptions {
    let max = match (backend, in_memory) {
        // Every connection to `sqlite::memory:` would open its own empty database: keep one
        // connection alive for the life of the pool.
        (Backend::Sqlite, true) => 1,
        (Backend::Sqlite, false) => options.max_connections.unwrap_or(4),
        (Backend::Postgres, _) => options.max_connections.unwrap_or(8),
    };
    let mut pool = AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(options.acquire_timeout);
    if in_memory {
        pool = pool
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
    }
    if backend == Backend::Sqlite {
        let busy_ms = options.busy_timeout.as_millis();
        pool = pool.after_connect(move |conn, _meta| {
            Box::pin(async move {
                // PRAGMAs take no bound parameters; the value is a number we formatted.
                let busy = format!("PRAGMA busy_timeout = {busy_ms}");
                conn.execute(sqlx::AssertSqlSafe(busy)).await?;
                // FULL: a commit is on disk before it returns, so a crash (or power loss)
                // right after a reveal cannot lose the awards it showed.
                conn.execute("PRAGMA synchronous = FULL").await?;
                Ok(())
            })
        });
    }
    pool
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(Backend::from_url("sqlite://x.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("sqlite:x.db"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::from_url("postgres://h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::from_url("postgresql://h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::from_url("mysql://h/db"), None);
        assert_eq!(Backend::from_url("trivia.db"), None);
    }

    #[test]
    fn sqlite_urls_create_the_file_unless_told_otherwise() {
        assert_eq!(sqlite_url("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(sqlite_url("sqlite:a.db"), "sqlite:a.db?mode=rwc");
        assert_eq!(
            sqlite_url("sqlite:///tmp/a.db"),
            "sqlite:///tmp/a.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url("sqlite://a.db?cache=private"),
            "sqlite://a.db?cache=private&mode=rwc"
        );
        assert_eq!(sqlite_url("sqlite://a.db?mode=ro"), "sqlite://a.db?mode=ro");
        assert_eq!(sqlite_url("sqlite::memory:"), "sqlite::memory:");
    }

    #[tokio::test]
    async fn unsupported_url_says_what_to_use() {
        let err = Store::connect("mysql://root:pw@localhost/trivia")
            .await
            .unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, StoreError::UnsupportedUrl { .. }),
            "{message}"
        );
        assert!(message.contains("sqlite://"), "{message}");
        assert!(!message.contains("pw@"), "password shown: {message}");
    }

    #[tokio::test]
    async fn unreachable_postgres_is_a_clear_error_without_the_password() {
        // Port 1 on the loopback: nothing listens there, the connection is refused at once.
        let err = Store::connect("postgres://bot:hunter2@127.0.0.1:1/trivia")
            .await
            .unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, StoreError::Unreachable { .. }), "{message}");
        assert!(
            message
                .starts_with("cannot reach the database at postgres://bot:***@127.0.0.1:1/trivia"),
            "{message}"
        );
        assert!(message.contains("check DATABASE_URL"), "{message}");
        assert!(!message.contains("hunter2"), "password shown: {message}");
        assert!(err.is_unavailable());
    }

    #[tokio::test]
    async fn sqlite_in_a_missing_directory_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/no/such/dir/t.db", dir.path().display());
        let err = Store::connect(&url).await.unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, StoreError::Unreachable { .. }), "{message}");
        assert!(message.contains("no/such/dir/t.db: "), "{message}");
        assert!(
            message.contains("unable to open database file"),
            "{message}"
        );
        assert!(message.ends_with("check DATABASE_URL"), "{message}");
        assert!(
            !message.contains("mode=rwc"),
            "shows what the user wrote: {message}"
        );
    }

    #[tokio::test]
    async fn in_memory_sqlite_keeps_one_database() {
        use super::super::{AnswerRecord, Board, NewGame, QuestionResults};
        // Each connection to `sqlite::memory:` is its own database: everything must go
        // through the one connection that was migrated.
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let game_id = store
            .start_game(&NewGame {
                guild: 1,
                channel: 2,
                started_by: 3,
                pack: "picard".into(),
                seed: 4,
                mode: "buttons".into(),
                started_at: 0,
            })
            .await
            .unwrap();
        store
            .record_question(&QuestionResults {
                game_id,
                guild: 1,
                question_index: 0,
                question_text: "Who?".into(),
                correct_answer: "Picard".into(),
                asked_at: 0,
                answers: vec![AnswerRecord {
                    user: 5,
                    answer_text: "Picard".into(),
                    answered_at: 1,
                    correct: true,
                    points: 10,
                    near_miss: None,
                }],
                event_id: None,
                names: Vec::new(),
            })
            .await
            .unwrap();
        let board = store
            .leaderboard(1, Board::AllTime, 1, 0, 10)
            .await
            .unwrap();
        assert_eq!(board.len(), 1);
        assert_eq!((board[0].user, board[0].points), (5, 10));
    }
}
