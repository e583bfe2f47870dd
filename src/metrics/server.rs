//! The HTTP endpoint: `GET /metrics` (Prometheus text format) and `GET /health`.

use std::net::SocketAddr;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

use super::{Metrics, global};

/// `METRICS_ADDR` cannot be used. The message names the variable and what to write instead.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error(
        "METRICS_ADDR is {0:?}, not an address to listen on; write host:port, e.g. 127.0.0.1:9100 (or unset it to run without metrics)"
    )]
    Invalid(String),
    #[error(
        "METRICS_ADDR {addr} cannot be listened on ({source}); pick a free port, or unset METRICS_ADDR"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Parses `METRICS_ADDR`: `host:port` with an IP address (`127.0.0.1:9100`, `[::1]:9100`,
/// `0.0.0.0:9100`), or `:9100` for every interface.
pub fn parse_addr(value: &str) -> Result<SocketAddr, MetricsError> {
    let value = value.trim();
    let full = match value.strip_prefix(':') {
        Some(port) => format!("0.0.0.0:{port}"),
        None => value.to_owned(),
    };
    full.parse()
        .map_err(|_| MetricsError::Invalid(value.to_owned()))
}

/// With `METRICS_ADDR` set: listens there, serves [`global`] on a background task and
/// switches recording on, returning the bound address. Unset or empty: `None`, and the
/// metrics stay off. A bad or busy address is an error, so a typo is not silently ignored.
pub async fn start_from_env() -> Result<Option<SocketAddr>, MetricsError> {
    let Some(value) = std::env::var("METRICS_ADDR")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(None);
    };
    let addr = parse_addr(&value)?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| MetricsError::Bind { addr, source })?;
    let bound = listener.local_addr().unwrap_or(addr);
    tokio::spawn(async move {
        if let Err(e) = serve(listener, global()).await {
            tracing::error!("the metrics endpoint stopped: {e}");
        }
    });
    tracing::info!(%bound, "metrics at http://{bound}/metrics, health at /health");
    Ok(Some(bound))
}

/// Serves `metrics` on `listener` until the task is dropped, and switches recording on.
pub async fn serve(listener: TcpListener, metrics: &'static Metrics) -> std::io::Result<()> {
    metrics.enable();
    axum::serve(listener, router(metrics)).await
}

fn router(metrics: &'static Metrics) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(move || async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    )],
                    metrics.render(),
                )
            }),
        )
        .route(
            "/health",
            get(move || async move {
                if metrics.is_ready() {
                    (StatusCode::OK, "ok\n").into_response()
                } else {
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "starting: the gateway is not ready yet\n",
                    )
                        .into_response()
                }
            }),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            parse_addr("127.0.0.1:9100").unwrap(),
            "127.0.0.1:9100".parse().unwrap()
        );
        assert_eq!(
            parse_addr(" :9100 ").unwrap(),
            "0.0.0.0:9100".parse().unwrap()
        );
        assert_eq!(
            parse_addr("[::1]:9100").unwrap(),
            "[::1]:9100".parse().unwrap()
        );
        for bad in ["9100", "localhost", "127.0.0.1", "127.0.0.1:port"] {
            let err = parse_addr(bad).unwrap_err().to_string();
            assert!(err.starts_with("METRICS_ADDR"), "{bad}: {err}");
        }
    }

    /// A raw HTTP/1.1 GET, answered with (status line, body).
    async fn get(addr: SocketAddr, path: &str) -> (String, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let status = response.lines().next().unwrap_or_default().to_owned();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    #[tokio::test]
    async fn serves_metrics_and_health() {
        let metrics: &'static Metrics = Box::leak(Box::new(Metrics::new()));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(serve(listener, metrics));

        let (status, body) = get(addr, "/health").await;
        assert!(status.contains("503"), "{status}");
        assert!(body.contains("starting"), "{body}");

        metrics.shard_ready();
        metrics.database_error();
        let (status, _) = get(addr, "/health").await;
        assert!(status.contains("200"), "{status}");
        let (status, body) = get(addr, "/metrics").await;
        assert!(status.contains("200"), "{status}");
        assert!(body.contains("trivia_database_errors_total 1"), "{body}");
        assert!(body.contains("trivia_shards_ready 1"), "{body}");
        assert!(body.trim_end().ends_with("# EOF"), "{body}");

        let (status, _) = get(addr, "/nothing").await;
        assert!(status.contains("404"), "{status}");
        server.abort();
    }
}
