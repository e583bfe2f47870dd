//! Test databases for the store tests: a SQLite file in a temporary directory, or a fresh
//! schema in the PostgreSQL database named by TEST_POSTGRES_URL (dropped afterwards).

#![allow(dead_code)] // each test file uses a different part

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{AnyConnection, Connection, Executor};
use trivia_bot::store::Store;

pub const POSTGRES_ENV: &str = "TEST_POSTGRES_URL";

/// Runs each listed `async fn(&TestDb)` once on SQLite and once on PostgreSQL, as tests named
/// `sqlite::<name>` and `postgres::<name>`: one suite, both backends. Use with
/// `#[macro_use] mod store_support;`.
#[allow(unused_macros)] // not every file that includes this module runs a suite
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::store_support::TestDb::sqlite();
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::store_support::TestDb::postgres().await else {
                        return;
                    };
                    super::$name(&db).await;
                }
            )*
        }
    };
}

/// A database for one test. The store under test connects to `url`.
pub struct TestDb {
    pub url: String,
    keep: Keep,
}

enum Keep {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Schema(SchemaGuard),
}

impl TestDb {
    /// A new SQLite file (not yet created: the store must create it).
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("trivia.db").display());
        TestDb {
            url,
            keep: Keep::Dir(dir),
        }
    }

    /// A new, empty schema in the test PostgreSQL database, or None (with the reason printed)
    /// when TEST_POSTGRES_URL is not set.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(base) = std::env::var(POSTGRES_ENV) else {
            say_postgres_is_skipped();
            return None;
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "t_store_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            rand::random::<u32>()
        );
        raw_execute(&base, &format!("CREATE SCHEMA {schema}")).await;
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
        Some(TestDb {
            url,
            keep: Keep::Schema(SchemaGuard { base, schema }),
        })
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self.keep, Keep::Dir(_))
    }

    /// Runs SQL on the test database outside the store (to tamper with it as a test needs).
    pub async fn execute(&self, sql: &str) {
        raw_execute(&self.url, sql).await;
    }

    /// One text value from a query run outside the store.
    pub async fn query_text(&self, sql: &str) -> String {
        let mut conn = raw_connect(&self.url).await;
        let value: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.ok();
        value
    }
}

/// The store under test on `db`, with default options.
pub async fn open(db: &TestDb) -> Store {
    Store::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("connect to {}: {e}", db.url))
}

/// Says once per test binary why the PostgreSQL tests pass without running. Written to the
/// stderr handle itself: libtest captures `eprintln!` of passing tests, which would hide it.
pub fn say_postgres_is_skipped() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping PostgreSQL tests: {POSTGRES_ENV} not set"
        );
    });
}

async fn raw_connect(url: &str) -> AnyConnection {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test database: {e}"))
}

async fn raw_execute(url: &str, sql: &str) {
    let mut conn = raw_connect(url).await;
    conn.execute(sqlx::AssertSqlSafe(sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.close().await.ok();
}

/// Drops the test's schema when the test ends, even if it panicked.
struct SchemaGuard {
    base: String,
    schema: String,
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        let base = self.base.clone();
        let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema);
        // Drop may run inside the test's runtime, which cannot be blocked on: use a thread.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("build a runtime")
                .block_on(raw_execute(&base, &sql));
        })
        .join();
        if dropped.is_err() {
            eprintln!("could not drop test schema {}", self.schema);
        }
    }
}
