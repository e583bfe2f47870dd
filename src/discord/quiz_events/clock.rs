//! The event scheduler's clock: the wall clock, plus an offset that only tests move.
//!
//! A scheduled event starts at a wall-clock time, often hours ahead. An end-to-end test cannot
//! wait that long, so the bot's config carries a [`Clock`] handle (the real clock by default)
//! and a test that runs the bot in-process keeps a clone and says "it is now T" with
//! [`Clock::advance`] or [`Clock::set`]. The scheduler wakes at once when the clock moves.
//! Games keep the real clock (their questions last seconds); only the scheduler's decisions
//! (what is due, whether a start is late or missed, whether a new start time lies ahead) read
//! this one.

use std::fmt;
use std::sync::Arc;

use tokio::sync::watch;

/// A clock in Unix milliseconds: `now_ms()` plus an offset (0 unless a test moved it).
/// Cheap to clone; clones share the offset.
#[derive(Clone)]
pub struct Clock {
    offset_ms: Arc<watch::Sender<i64>>,
}

impl Default for Clock {
    /// The real clock.
    fn default() -> Self {
        Clock {
            offset_ms: Arc::new(watch::Sender::new(0)),
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clock(offset {} ms)", self.offset())
    }
}

impl Clock {
    /// The real clock (same as `Clock::default()`).
    pub fn real() -> Clock {
        Clock::default()
    }

    /// Now, in Unix milliseconds, as the scheduler sees it.
    pub fn now_ms(&self) -> i64 {
        crate::discord::now_ms().saturating_add(self.offset())
    }

    /// How far this clock is ahead of the wall clock.
    pub fn offset(&self) -> i64 {
        *self.offset_ms.borrow()
    }

    /// Moves the clock forward by `ms` (tests).
    pub fn advance(&self, ms: i64) {
        self.offset_ms.send_modify(|o| *o = o.saturating_add(ms));
    }

    /// Sets the clock so that it reads `unix_ms` now (tests).
    pub fn set(&self, unix_ms: i64) {
        let offset = unix_ms.saturating_sub(crate::discord::now_ms());
        self.offset_ms.send_replace(offset);
    }

    /// A receiver that changes whenever the clock is moved.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.offset_ms.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_offset_and_wake_subscribers() {
        let clock = Clock::default();
        let changes = clock.subscribe();
        let copy = clock.clone();
        let before = clock.now_ms();
        copy.advance(3_600_000);
        assert!(changes.has_changed().unwrap());
        assert!(clock.now_ms() >= before + 3_600_000);
        clock.set(1_000);
        let now = copy.now_ms();
        assert!((1_000..1_000 + 60_000).contains(&now), "{now}");
    }
}
