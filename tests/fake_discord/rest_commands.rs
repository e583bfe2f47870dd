//! Application command registration: global (`/applications/{app}/commands`) and per guild
//! (`/applications/{app}/guilds/{guild}/commands`), bulk overwrite, create, get, edit, delete.
//! Definitions are checked against Discord's limits; a refused set changes nothing.

use std::collections::HashSet;

use axum::http::Method;
use serde_json::{Value, json};

use super::limits;
use super::server::{Ctx, Outcome, Reply};
use super::state::id_of;

pub fn route(
    cx: &mut Ctx<'_>,
    method: &Method,
    app: &str,
    guild: Option<&str>,
    rest: &[&str],
) -> Outcome {
    let app = cx.id(app, "application id")?;
    if app != cx.world.app_id() {
        return Err(cx.reject(
            403,
            50001,
            "Missing Access",
            "wrong-application",
            format!("application {app} is not the bot's"),
        ));
    }
    let scope = match guild {
        Some(guild) => {
            let guild = cx.id(guild, "guild id")?;
            if cx.world.guild(guild).is_none() {
                return Err(cx.reject(
                    403,
                    50001,
                    "Missing Access",
                    "unknown-guild",
                    format!("the bot is not in guild {guild}"),
                ));
            }
            Some(guild)
        }
        None => None,
    };
    match (method.clone(), rest) {
        (Method::GET, []) => Ok(Reply::json(Value::Array(commands(cx, scope).to_vec()))),
        (Method::PUT, []) => overwrite(cx, scope),
        (Method::POST, []) => upsert(cx, scope),
        (Method::GET | Method::PATCH | Method::DELETE, [command]) => {
            let id = cx.id(command, "command id")?;
            let Some(index) = commands(cx, scope)
                .iter()
                .position(|c| id_of(&c["id"]) == id)
            else {
                return Err(cx.reject(
                    404,
                    10063,
                    "Unknown application command",
                    "unknown-command",
                    format!("no command {id}"),
                ));
            };
            match *method {
                Method::GET => Ok(Reply::json(commands(cx, scope)[index].clone())),
                Method::PATCH => edit(cx, scope, index),
                _ => {
                    cx.st.commands.entry(scope).or_default().remove(index);
                    Ok(Reply::no_content())
                }
            }
        }
        _ => Err(cx.unknown_route()),
    }
}

fn commands<'a>(cx: &'a Ctx<'_>, scope: Option<u64>) -> &'a [Value] {
    cx.st.commands.get(&scope).map_or(&[], Vec::as_slice)
}

fn kind(command: &Value) -> u64 {
    command["type"].as_u64().unwrap_or(1)
}

fn same_command(a: &Value, b: &Value) -> bool {
    a["name"] == b["name"] && kind(a) == kind(b)
}

/// Checks definitions and that names are unique per type; records problems.
fn check(cx: &mut Ctx<'_>, definitions: &[Value]) -> bool {
    let mut problems = Vec::new();
    let mut names = HashSet::new();
    for definition in definitions {
        limits::check_command(definition, &mut problems);
        let name = definition["name"].as_str().unwrap_or_default().to_owned();
        if !names.insert((name.clone(), kind(definition))) {
            problems.push(("command-name", format!("command {name:?} is defined twice")));
        }
    }
    let chat_input = definitions.iter().filter(|d| kind(d) == 1).count();
    if chat_input > 100 {
        problems.push((
            "command-count",
            format!("{chat_input} slash commands (max 100)"),
        ));
    }
    cx.record(problems)
}

/// The stored (and returned) form: the definition plus the fields Discord adds. A command
/// keeps its id when it is registered again under the same name.
fn stored(cx: &Ctx<'_>, scope: Option<u64>, definition: &Value, id: u64) -> Value {
    let mut command = definition.clone();
    let map = command
        .as_object_mut()
        .expect("definitions are checked to be objects");
    map.insert("id".into(), json!(id.to_string()));
    map.insert(
        "application_id".into(),
        json!(cx.world.app_id().to_string()),
    );
    map.insert("version".into(), json!(cx.ids.next().to_string()));
    map.entry("type").or_insert(json!(1));
    map.entry("description").or_insert(json!(""));
    map.entry("options").or_insert(json!([]));
    map.entry("default_member_permissions")
        .or_insert(Value::Null);
    map.entry("nsfw").or_insert(json!(false));
    map.entry("integration_types").or_insert(json!([0]));
    map.entry("contexts").or_insert(Value::Null);
    if let Some(guild) = scope {
        map.insert("guild_id".into(), json!(guild.to_string()));
    }
    command
}

fn overwrite(cx: &mut Ctx<'_>, scope: Option<u64>) -> Outcome {
    let Some(definitions) = cx
        .body
        .as_array()
        .filter(|d| d.iter().all(Value::is_object))
        .cloned()
    else {
        return Err(cx.reject(
            400,
            50035,
            "Invalid Form Body",
            "command-body",
            "bulk overwrite needs an array of commands",
        ));
    };
    if !check(cx, &definitions) {
        return Err(Reply::error(400, 50035, "Invalid Form Body"));
    }
    let old = commands(cx, scope).to_vec();
    let new: Vec<Value> = definitions
        .iter()
        .map(|d| {
            let id = old
                .iter()
                .find(|c| same_command(c, d))
                .map_or_else(|| cx.ids.next(), |c| id_of(&c["id"]));
            stored(cx, scope, d, id)
        })
        .collect();
    cx.st.commands.insert(scope, new.clone());
    Ok(Reply::json(Value::Array(new)))
}

fn upsert(cx: &mut Ctx<'_>, scope: Option<u64>) -> Outcome {
    let definition = cx.body.clone();
    if !definition.is_object() || !check(cx, std::slice::from_ref(&definition)) {
        return Err(Reply::error(400, 50035, "Invalid Form Body"));
    }
    let existing = commands(cx, scope)
        .iter()
        .position(|c| same_command(c, &definition));
    let id = existing.map_or_else(|| cx.ids.next(), |i| id_of(&commands(cx, scope)[i]["id"]));
    let command = stored(cx, scope, &definition, id);
    let list = cx.st.commands.entry(scope).or_default();
    match existing {
        Some(i) => {
            list[i] = command.clone();
            Ok(Reply::json(command))
        }
        None => {
            list.push(command.clone());
            Ok(Reply::created(command))
        }
    }
}

fn edit(cx: &mut Ctx<'_>, scope: Option<u64>, index: usize) -> Outcome {
    let mut command = commands(cx, scope)[index].clone();
    let Some(changes) = cx.body.as_object().cloned() else {
        return Err(cx.reject(
            400,
            50035,
            "Invalid Form Body",
            "command-body",
            "command edit needs an object",
        ));
    };
    for (key, value) in changes {
        command[key] = value;
    }
    if !check(cx, std::slice::from_ref(&command)) {
        return Err(Reply::error(400, 50035, "Invalid Form Body"));
    }
    let id = id_of(&command["id"]);
    let command = stored(cx, scope, &command, id);
    cx.st.commands.entry(scope).or_default()[index] = command.clone();
    Ok(Reply::json(command))
}
