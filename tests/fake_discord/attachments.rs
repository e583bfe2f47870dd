//! Attachment options of slash commands (`/pack upload file:…`), which the option resolver in
//! `actions.rs` does not cover: [`FakeCdn`] serves the uploaded files on 127.0.0.1 (Discord
//! serves them from its CDN, another host than the API), and
//! [`FakeDiscord::slash_command_with_file`] sends the command with the file in
//! `data.resolved.attachments`, as a Discord client does after uploading it.
//!
//! ```text
//! let cdn = FakeCdn::start().await;
//! let id = fake.slash_command_with_file(&cdn, &alice, CHANNEL, "pack", &["upload"], "file",
//!                                       "show.toml", bytes);
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::FakeDiscord;
use super::config::FakeUser;

/// Stored files by (attachment id, file name).
type Files = Arc<Mutex<HashMap<(u64, String), Vec<u8>>>>;

/// A file host on 127.0.0.1 for attachments. Dropping it stops the server.
pub struct FakeCdn {
    base: String,
    files: Files,
    downloads: Arc<Mutex<Vec<String>>>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeCdn {
    fn drop(&mut self) {
        self.server.abort();
    }
}

type Shared = (Files, Arc<Mutex<Vec<String>>>);

async fn serve(
    State((files, downloads)): State<Shared>,
    Path((id, filename)): Path<(u64, String)>,
) -> Result<Vec<u8>, StatusCode> {
    downloads
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(filename.clone());
    files
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&(id, filename))
        .cloned()
        .ok_or(StatusCode::NOT_FOUND)
}

impl FakeCdn {
    pub async fn start() -> FakeCdn {
        let files: Files = Arc::default();
        let downloads: Arc<Mutex<Vec<String>>> = Arc::default();
        let app = Router::new()
            .route("/attachments/{id}/{filename}", axum::routing::get(serve))
            .with_state((files.clone(), downloads.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0 for the fake CDN");
        let address = listener.local_addr().expect("the listener has an address");
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeCdn {
            base: format!("http://{address}"),
            files,
            downloads,
            server,
        }
    }

    /// Stores a file and returns its attachment object (as Discord resolves it).
    pub fn put(&self, id: u64, filename: &str, bytes: &[u8]) -> Value {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((id, filename.to_owned()), bytes.to_vec());
        let url = format!("{}/attachments/{id}/{filename}", self.base);
        json!({
            "id": id.to_string(),
            "filename": filename,
            "description": null,
            "content_type": "application/toml",
            "size": bytes.len(),
            "url": url,
            "proxy_url": url,
            "height": null,
            "width": null,
            "ephemeral": true,
        })
    }

    /// The file names downloaded so far, in order.
    pub fn downloads(&self) -> Vec<String> {
        self.downloads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl FakeDiscord {
    /// A user runs `/name sub… option:<file>`: the file is put on `cdn` and the command is
    /// sent with it resolved. `path` names the subcommand (group) to nest into; the command and
    /// the attachment option (type 11) must be registered. Returns the interaction id.
    #[allow(clippy::too_many_arguments)]
    pub fn slash_command_with_file(
        &self,
        cdn: &FakeCdn,
        user: &FakeUser,
        channel: u64,
        name: &str,
        path: &[&str],
        option: &str,
        filename: &str,
        bytes: &[u8],
    ) -> u64 {
        let command = self
            .registered_commands(None)
            .into_iter()
            .find(|c| c["name"] == name && c["type"] == 1)
            .unwrap_or_else(|| panic!("/{name} is not registered globally"));
        let mut defs = command["options"].clone();
        for sub in path {
            defs = defs
                .as_array()
                .and_then(|list| list.iter().find(|d| d["name"] == *sub))
                .map(|d| d["options"].clone())
                .unwrap_or_else(|| panic!("/{name} has no subcommand {sub:?}"));
        }
        let def = defs
            .as_array()
            .and_then(|list| list.iter().find(|d| d["name"] == option))
            .unwrap_or_else(|| panic!("/{name} {path:?} has no option {option:?}"));
        assert_eq!(
            def["type"], 11,
            "option {option:?} is not an attachment option"
        );

        let id = self.shared.ids.next();
        let attachment = cdn.put(id, filename, bytes);
        let mut options = json!([{"name": option, "type": 11, "value": id.to_string()}]);
        for sub in path.iter().rev() {
            options = json!([{"name": sub, "type": 1, "options": options}]);
        }
        let data = json!({
            "id": command["id"],
            "name": name,
            "type": 1,
            "options": options,
            "resolved": {"attachments": {id.to_string(): attachment}},
        });
        self.slash_command_raw(user, channel, data)
    }
}
