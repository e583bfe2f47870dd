//! Retrying an operation when the connection is lost or the database is busy.

use std::future::Future;

use super::error::is_transient;
use super::{Store, StoreError};

impl Store {
    /// Runs `op` until it succeeds, fails for a reason retrying cannot fix, or the attempts run
    /// out; waits `first_retry_delay`, then twice that, ... between attempts. Every operation
    /// passed here is a single statement or a transaction (rolled back when it fails), and
    /// score writes are idempotent, so running one again is safe.
    pub(super) async fn with_retry<T, F, Fut>(&self, what: &str, mut op: F) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        let attempts = self.options.attempts.max(1);
        let mut delay = self.options.first_retry_delay;
        let mut attempt = 1;
        loop {
            let result = op().await;
            if let Err(StoreError::Database(_)) = &result {
                crate::metrics::global().database_error();
            }
            match result {
                Err(StoreError::Database(error)) if is_transient(&error) => {
                    if attempt >= attempts {
                        tracing::error!(%error, attempt, "{what}: giving up");
                        return Err(StoreError::Unavailable {
                            attempts,
                            source: error,
                        });
                    }
                    tracing::warn!(%error, attempt, "{what}: database unavailable, retrying");
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }
}
