//! Operational metrics: an optional HTTP endpoint (`METRICS_ADDR`) answering `GET /metrics` in
//! Prometheus' text format and `GET /health`.
//!
//! The counters are process-wide, like Prometheus' own default registry: [`global`] is the one
//! instance the shells update, so the store, the game tasks and the gateway dispatch can count
//! without passing a handle around. Until [`serve`] (or [`start_from_env`] with `METRICS_ADDR`
//! set) switches it on, every update is a single relaxed atomic load and nothing else.
//!
//! What is exported:
//! - `trivia_interactions_handled_total{kind}`: interactions the bot finished handling;
//! - `trivia_interaction_handling_seconds{kind}`: from the gateway event's arrival to the end of
//!   its handler (the callback is sent inside the handler);
//! - `trivia_games_running`: games running in this process;
//! - `trivia_database_errors_total`: failed database statements (each retry counts);
//! - `trivia_shards_ready`: gateway shards of this process that received READY.

mod dispatch;
mod server;

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

pub use dispatch::Timed;
pub use server::{MetricsError, parse_addr, serve, start_from_env};

/// Upper bounds (seconds) of the handling-latency buckets: fine below 10 ms, where a healthy
/// bot is, then up to Discord's 3 s deadline.
const LATENCY_BUCKETS: [f64; 14] = [
    0.000_25, 0.000_5, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0,
];

/// What kind of interaction was handled (the `kind` label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum InteractionKind {
    command,
    autocomplete,
    component,
    modal,
    ping,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct KindLabel {
    kind: InteractionKind,
}

/// Counts the running games when the endpoint is read.
type GameCounter = Box<dyn Fn() -> Option<usize> + Send + Sync>;

/// The bot's metrics. Cheap to update from any task: atomics, and one short lock per
/// latency sample.
pub struct Metrics {
    enabled: AtomicBool,
    registry: Registry,
    handled: Family<KindLabel, Counter>,
    latency: Family<KindLabel, Histogram>,
    db_errors: Counter,
    games_running: Gauge,
    shards_ready: Gauge,
    /// Set once `shards_ready` is above zero; `/health` answers 200 from then on.
    ready: AtomicU64,
    games: Mutex<Option<GameCounter>>,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics")
            .field("enabled", &self.is_enabled())
            .finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

/// The process-wide metrics the shells update.
pub fn global() -> &'static Metrics {
    static GLOBAL: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &GLOBAL
}

impl Metrics {
    /// A fresh, switched-off set of metrics.
    pub fn new() -> Metrics {
        let handled = Family::<KindLabel, Counter>::default();
        let latency = Family::<KindLabel, Histogram>::new_with_constructor(
            (|| Histogram::new(LATENCY_BUCKETS)) as fn() -> Histogram,
        );
        let db_errors = Counter::default();
        let games_running = Gauge::default();
        let shards_ready = Gauge::default();
        let mut registry = Registry::with_prefix("trivia");
        registry.register(
            "interactions_handled",
            "Interactions the bot finished handling",
            handled.clone(),
        );
        registry.register(
            "interaction_handling_seconds",
            "Time from an interaction's arrival to the end of its handler",
            latency.clone(),
        );
        registry.register(
            "database_errors",
            "Failed database statements, each retry counted",
            db_errors.clone(),
        );
        registry.register(
            "games_running",
            "Games running in this process",
            games_running.clone(),
        );
        registry.register(
            "shards_ready",
            "Gateway shards of this process that received READY",
            shards_ready.clone(),
        );
        Metrics {
            enabled: AtomicBool::new(false),
            registry,
            handled,
            latency,
            db_errors,
            games_running,
            shards_ready,
            ready: AtomicU64::new(0),
            games: Mutex::new(None),
        }
    }

    /// Starts recording (the endpoint is being served).
    pub fn enable(&self) {
        self.enabled.store(true, Ordering::Relaxed);
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// One interaction handled, `took` after it arrived.
    pub fn interaction_handled(&self, kind: InteractionKind, took: Duration) {
        if !self.is_enabled() {
            return;
        }
        let label = KindLabel { kind };
        self.handled.get_or_create(&label).inc();
        self.latency
            .get_or_create(&label)
            .observe(took.as_secs_f64());
    }

    /// A database statement failed.
    pub fn database_error(&self) {
        if self.is_enabled() {
            self.db_errors.inc();
        }
    }

    /// A shard of this process received READY (rare: always counted). A shard that identifies
    /// again after losing its session reports READY again.
    pub fn shard_ready(&self) {
        self.ready.fetch_add(1, Ordering::Relaxed);
        self.shards_ready.inc();
    }

    /// Whether the gateway has been ready at least once (`/health`).
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed) > 0
    }

    /// Where `trivia_games_running` comes from: called each time the endpoint is read.
    /// `None` from the counter (its owner is gone) reads as zero.
    pub fn count_games_with(&self, counter: impl Fn() -> Option<usize> + Send + Sync + 'static) {
        *self.games.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(counter));
    }

    /// The metrics in Prometheus' text exposition format (OpenMetrics flavour).
    pub fn render(&self) -> String {
        let games = self
            .games
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .and_then(|count| count())
            .unwrap_or(0);
        self.games_running
            .set(i64::try_from(games).unwrap_or(i64::MAX));
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }

    /// Interactions handled so far, all kinds.
    pub fn interactions_total(&self) -> u64 {
        [
            InteractionKind::command,
            InteractionKind::autocomplete,
            InteractionKind::component,
            InteractionKind::modal,
            InteractionKind::ping,
        ]
        .into_iter()
        .map(|kind| self.handled.get_or_create(&KindLabel { kind }).get())
        .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_recorded_until_enabled() {
        let m = Metrics::new();
        m.interaction_handled(InteractionKind::component, Duration::from_millis(2));
        m.database_error();
        assert_eq!(m.interactions_total(), 0);
        assert!(m.render().contains("trivia_database_errors_total 0"));
    }

    #[test]
    fn renders_counters_histogram_and_gauges() {
        let m = Metrics::new();
        m.enable();
        m.interaction_handled(InteractionKind::component, Duration::from_micros(700));
        m.interaction_handled(InteractionKind::component, Duration::from_millis(30));
        m.interaction_handled(InteractionKind::command, Duration::from_millis(4));
        m.database_error();
        m.count_games_with(|| Some(7));
        let text = m.render();
        assert!(
            text.contains(r#"trivia_interactions_handled_total{kind="component"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"trivia_interactions_handled_total{kind="command"} 1"#),
            "{text}"
        );
        // 0.7 ms falls in the 1 ms bucket; 30 ms only from the 50 ms bucket up.
        assert!(
            text.contains(
                r#"trivia_interaction_handling_seconds_bucket{le="0.001",kind="component"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(
                r#"trivia_interaction_handling_seconds_bucket{le="0.05",kind="component"} 2"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"trivia_interaction_handling_seconds_count{kind="component"} 2"#),
            "{text}"
        );
        assert!(text.contains("trivia_database_errors_total 1"), "{text}");
        assert!(text.contains("trivia_games_running 7"), "{text}");
        assert_eq!(m.interactions_total(), 3);
    }

    #[test]
    fn games_gauge_reads_zero_when_its_owner_is_gone() {
        let m = Metrics::new();
        m.enable();
        m.count_games_with(|| None);
        assert!(m.render().contains("trivia_games_running 0"));
    }

    #[test]
    fn ready_after_the_first_shard() {
        let m = Metrics::new();
        assert!(!m.is_ready());
        m.shard_ready();
        assert!(m.is_ready());
    }
}
