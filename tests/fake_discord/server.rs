//! The HTTP side: one axum server on 127.0.0.1 serving the REST API under `/api/v10` and the
//! gateway WebSocket at `/gateway`. Every REST request is parsed (JSON or multipart), routed
//! under one lock, recorded with the status it got, and then waiters are woken.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State as AxumState};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::watch;

use super::limits::Problems;
use super::state::{RecordedRequest, State, UploadedFile};
use super::world::{Snowflakes, World};
use super::{gateway, payloads, rest_commands, rest_guilds, rest_interactions, rest_messages};

/// Everything the server tasks and the test handle share.
pub struct Shared {
    pub world: World,
    pub ids: Snowflakes,
    state: Mutex<State>,
    /// Bumped after every change; waiters watch it instead of polling.
    changes: watch::Sender<u64>,
}

impl Shared {
    pub fn new(world: World, ids: Snowflakes) -> Self {
        Self {
            world,
            ids,
            state: Mutex::new(State::default()),
            changes: watch::Sender::new(0),
        }
    }

    /// The state lock. A panic elsewhere must not hide what the fake recorded, so a
    /// poisoned lock is still used.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Wakes everyone waiting for a change.
    pub fn changed(&self) {
        self.changes.send_modify(|v| *v = v.wrapping_add(1));
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/gateway", axum::routing::get(gateway::upgrade))
        .fallback(handle)
        .layer(DefaultBodyLimit::max(26 * 1024 * 1024))
        .with_state(shared)
}

/// A REST answer: status plus optional JSON body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
}

impl Reply {
    pub fn json(body: Value) -> Self {
        Self {
            status: 200,
            body: Some(body),
        }
    }

    pub fn created(body: Value) -> Self {
        Self {
            status: 201,
            body: Some(body),
        }
    }

    pub fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
        }
    }

    pub fn error(status: u16, code: u32, message: &str) -> Self {
        Self {
            status,
            body: Some(payloads::error(code, message)),
        }
    }
}

/// Handlers return `Err` for a refused request; both sides are answers.
pub type Outcome = Result<Reply, Reply>;

/// One request being routed: the world, the state (locked) and the request's parts.
pub struct Ctx<'a> {
    pub world: &'a World,
    pub ids: &'a Snowflakes,
    pub st: &'a mut State,
    /// `METHOD /path`, for violation reports.
    pub source: String,
    pub body: &'a Value,
    pub files: &'a [UploadedFile],
    pub query: Option<&'a str>,
}

impl Ctx<'_> {
    pub fn violation(&mut self, rule: &str, detail: impl Into<String>) {
        let source = self.source.clone();
        self.st.violation(rule, detail, source);
    }

    /// Records a violation and builds the error Discord would answer with.
    pub fn reject(
        &mut self,
        status: u16,
        code: u32,
        message: &str,
        rule: &str,
        detail: impl Into<String>,
    ) -> Reply {
        self.violation(rule, detail);
        Reply::error(status, code, message)
    }

    /// Records each problem; true if there were none.
    pub fn record(&mut self, problems: Problems) -> bool {
        let clean = problems.is_empty();
        for (rule, detail) in problems {
            self.violation(rule, detail);
        }
        clean
    }

    /// A snowflake from the path; Discord answers 400 for anything else.
    pub fn id(&mut self, segment: &str, what: &str) -> Result<u64, Reply> {
        segment.parse().map_err(|_| {
            self.reject(
                400,
                50035,
                "Invalid Form Body",
                "bad-snowflake",
                format!("{what} {segment:?} is not a snowflake"),
            )
        })
    }

    /// A query parameter's value.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query?
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    pub fn unknown_route(&mut self) -> Reply {
        self.reject(
            404,
            0,
            "404: Not Found",
            "unknown-route",
            "the fake does not know this route",
        )
    }
}

async fn handle(AxumState(shared): AxumState<Arc<Shared>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let expected = format!("Bot {}", shared.world.config.token);
    let authorized = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(expected.as_str());
    let parsed = read_body(req).await;

    let reply = {
        let mut st = shared.lock();
        let (body, files) = match &parsed {
            Ok((body, files)) => (body.clone(), files.clone()),
            Err(_) => (None, Vec::new()),
        };
        let body_value = body.clone().unwrap_or(Value::Null);
        let mut cx = Ctx {
            world: &shared.world,
            ids: &shared.ids,
            st: &mut st,
            source: format!("{method} {path}"),
            body: &body_value,
            files: &files,
            query: query.as_deref(),
        };
        let reply = if let Err(e) = &parsed {
            cx.reject(
                400,
                50109,
                "The request body contains invalid JSON.",
                "bad-body",
                e.clone(),
            )
        } else if !authorized {
            // Never echo the token: say only that it was wrong.
            cx.reject(
                401,
                0,
                "401: Unauthorized",
                "unauthorized",
                "missing or wrong Authorization header",
            )
        } else {
            route(&mut cx, &method, &path).unwrap_or_else(|refused| refused)
        };
        st.requests.push(RecordedRequest {
            method: method.to_string(),
            path,
            query,
            body,
            files,
            status: reply.status,
        });
        reply
    };
    shared.changed();
    respond(reply)
}

fn respond(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match reply.body {
        Some(body) => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
        None => (status, Body::empty()).into_response(),
    }
}

/// The JSON body, or for multipart the `payload_json` part plus the file parts.
async fn read_body(req: Request) -> Result<(Option<Value>, Vec<UploadedFile>), String> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("multipart/form-data") {
        let bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
            .await
            .map_err(|e| e.to_string())?;
        if bytes.is_empty() {
            return Ok((None, Vec::new()));
        }
        return serde_json::from_slice(&bytes)
            .map(|v| (Some(v), Vec::new()))
            .map_err(|e| format!("body is not JSON: {e}"));
    }
    let mut multipart = Multipart::from_request(req, &())
        .await
        .map_err(|e| e.to_string())?;
    let (mut body, mut files) = (None, Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "payload_json" {
            let text = field.text().await.map_err(|e| e.to_string())?;
            body = Some(
                serde_json::from_str(&text)
                    .map_err(|e| format!("payload_json is not JSON: {e}"))?,
            );
        } else {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let content_type = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|e| e.to_string())?.to_vec();
            files.push(UploadedFile {
                field: name,
                filename,
                content_type,
                bytes,
            });
        }
    }
    Ok((body, files))
}

fn route(cx: &mut Ctx<'_>, method: &Method, path: &str) -> Outcome {
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return Err(cx.unknown_route());
    };
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let get = method == Method::GET;
    match segments.as_slice() {
        ["gateway"] if get => Ok(Reply::json(json!({"url": cx.world.gateway_url}))),
        ["gateway", "bot"] if get => Ok(Reply::json(payloads::gateway_bot(cx.world))),
        ["users", "@me"] if get => Ok(Reply::json(payloads::current_user(cx.world.bot()))),
        ["users", user] if get => rest_guilds::user(cx, user),
        ["oauth2", "applications", "@me"] | ["applications", "@me"] if get => {
            Ok(Reply::json(payloads::application(cx.world)))
        }
        ["applications", app, "commands", rest @ ..] => {
            rest_commands::route(cx, method, app, None, rest)
        }
        ["applications", app, "guilds", guild, "commands", rest @ ..] => {
            rest_commands::route(cx, method, app, Some(guild), rest)
        }
        ["interactions", id, token, "callback"] if method == Method::POST => {
            rest_interactions::callback(cx, id, token)
        }
        ["webhooks", app, token, rest @ ..] => {
            rest_interactions::webhook(cx, method, app, token, rest)
        }
        ["channels", channel, rest @ ..] => rest_messages::route(cx, method, channel, rest),
        ["guilds", guild, rest @ ..] => rest_guilds::route(cx, method, guild, rest),
        _ => Err(cx.unknown_route()),
    }
}
