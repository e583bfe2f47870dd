//! What simulated users do: run slash commands, type into autocomplete, click buttons, pick
//! from selects, submit modals and write messages. Each becomes a gateway dispatch to the
//! session owning the guild's shard.
//!
//! The checked actions refuse (panic with the reason) what a real Discord client would not
//! let a user send: unknown commands or options, missing required options, values outside
//! the choices, buttons that are not on the message or are disabled. The `_raw`/`_unchecked`
//! variants send anything, to test how the bot treats forged input.

use serde_json::{Map, Value, json};

use super::FakeDiscord;
use super::config::FakeUser;
use super::gateway;
use super::payloads::{self, InteractionKind, InteractionParts, MessageParts};
use super::state::{InteractionRecord, MessageView, id_of};
use super::world::{GuildIndex, World};

fn array(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

impl FakeDiscord {
    /// A user runs `/name` in `channel`. `options` is `json!({"topic": "picard"})` (sub-commands
    /// nest: `json!({"start": {"rounds": 5}})`) or Discord's own array form. The command must be
    /// registered (guild commands first, then global); returns the interaction id.
    pub fn slash_command(&self, user: &FakeUser, channel: u64, name: &str, options: Value) -> u64 {
        let data = self
            .command_data(channel, name, &options, None)
            .unwrap_or_else(|e| panic!("{e}"));
        self.dispatch_interaction(InteractionKind::Command, user, channel, data, None)
    }

    /// Sends an application-command interaction with `data` exactly as given (forged input).
    pub fn slash_command_raw(&self, user: &FakeUser, channel: u64, data: Value) -> u64 {
        self.dispatch_interaction(InteractionKind::Command, user, channel, data, None)
    }

    /// A user types into option `focused` of `/name`; the bot should answer with choices.
    pub fn autocomplete(
        &self,
        user: &FakeUser,
        channel: u64,
        name: &str,
        options: Value,
        focused: &str,
    ) -> u64 {
        let data = self
            .command_data(channel, name, &options, Some(focused))
            .unwrap_or_else(|e| panic!("{e}"));
        self.dispatch_interaction(InteractionKind::Autocomplete, user, channel, data, None)
    }

    /// A user clicks the button `custom_id` on a message the bot sent (ephemeral ones too).
    pub fn click(&self, user: &FakeUser, message_id: u64, custom_id: &str) -> u64 {
        let view = self
            .message(message_id)
            .unwrap_or_else(|| panic!("no message {message_id} to click on"));
        let buttons = view.buttons();
        match buttons
            .iter()
            .find(|b| b.custom_id.as_deref() == Some(custom_id))
        {
            None => panic!(
                "message {message_id} has no button {custom_id:?}; its buttons: {:?}",
                view.button_ids()
            ),
            Some(b) if b.disabled => {
                panic!("button {custom_id:?} on message {message_id} is disabled")
            }
            Some(_) => self.click_unchecked(user, message_id, custom_id),
        }
    }

    /// A click on `custom_id` whether or not the message shows such a button (forged input).
    pub fn click_unchecked(&self, user: &FakeUser, message_id: u64, custom_id: &str) -> u64 {
        let view = self
            .message(message_id)
            .unwrap_or_else(|| panic!("no message {message_id} to click on"));
        let data = json!({"custom_id": custom_id, "component_type": 2});
        self.dispatch_interaction(
            InteractionKind::Component,
            user,
            view.channel_id,
            data,
            Some(&view),
        )
    }

    /// A user picks `values` in the string select `custom_id` of a message.
    pub fn select(
        &self,
        user: &FakeUser,
        message_id: u64,
        custom_id: &str,
        values: &[&str],
    ) -> u64 {
        let view = self
            .message(message_id)
            .unwrap_or_else(|| panic!("no message {message_id}"));
        let found = view
            .components
            .iter()
            .flat_map(|row| array(&row["components"]))
            .any(|c| c["custom_id"] == custom_id);
        assert!(found, "message {message_id} has no component {custom_id:?}");
        let data = json!({"custom_id": custom_id, "component_type": 3, "values": values});
        self.dispatch_interaction(
            InteractionKind::Component,
            user,
            view.channel_id,
            data,
            Some(&view),
        )
    }

    /// A user submits the modal `custom_id` the bot showed them, with (input custom_id, value)
    /// pairs. Inputs not given are sent empty; a required one must be given.
    pub fn submit_modal(&self, user: &FakeUser, custom_id: &str, fields: &[(&str, &str)]) -> u64 {
        let (modal, opener) = self
            .shared
            .lock()
            .open_modals
            .remove(&(user.id, custom_id.to_owned()))
            .unwrap_or_else(|| panic!("no modal {custom_id:?} is open for user {}", user.id));
        let opener: InteractionRecord = self
            .interaction(opener)
            .expect("the opening interaction is recorded");
        let inputs: Vec<&Value> = array(&modal["components"])
            .iter()
            .flat_map(|row| array(&row["components"]))
            .collect();
        for (id, _) in fields {
            assert!(
                inputs.iter().any(|i| i["custom_id"] == *id),
                "modal {custom_id:?} has no input {id:?}"
            );
        }
        let rows: Vec<Value> = inputs
            .iter()
            .map(|input| {
                let id = input["custom_id"].as_str().unwrap_or_default();
                let value = fields.iter().find(|(f, _)| *f == id).map(|(_, v)| *v);
                let required = input["required"].as_bool().unwrap_or(true);
                assert!(value.is_some() || !required, "modal {custom_id:?}: input {id:?} is required");
                json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value.unwrap_or("")}]})
            })
            .collect();
        let data = json!({"custom_id": custom_id, "components": rows});
        let source = opener.source_message.and_then(|m| self.message(m));
        self.dispatch_interaction(
            InteractionKind::ModalSubmit,
            user,
            opener.channel_id,
            data,
            source.as_ref(),
        )
    }

    /// A user writes a message in a channel (MESSAGE_CREATE, subject to the bot's intents).
    /// Returns the message id.
    pub fn send_message(&self, user: &FakeUser, channel: u64, content: &str) -> u64 {
        let world = &self.shared.world;
        let guild = world
            .guild_of_channel(channel)
            .unwrap_or_else(|| panic!("channel {channel} is in no configured guild"));
        let id = self.shared.ids.next();
        let parts = MessageParts {
            id,
            channel_id: channel,
            guild_id: Some(guild.guild.id),
            author: user,
            kind: 0,
            webhook_id: None,
        };
        let mut message = payloads::message(parts);
        message["content"] = json!(content);
        message["mentions"] = Value::Array(mentioned_users(world, content));
        let delivered = {
            let mut st = self.shared.lock();
            st.insert_message(message.clone(), false, None);
            gateway::message_create(&mut st, world, &message)
        };
        self.shared.changed();
        assert!(
            delivered,
            "no bot session owns the shard of guild {}; wait_for_ready first",
            guild.guild.id
        );
        id
    }

    fn dispatch_interaction(
        &self,
        kind: InteractionKind,
        user: &FakeUser,
        channel: u64,
        data: Value,
        source: Option<&MessageView>,
    ) -> u64 {
        let world = &self.shared.world;
        let guild = world
            .guild_of_channel(channel)
            .unwrap_or_else(|| panic!("channel {channel} is in no configured guild"));
        let id = self.shared.ids.next();
        let token = format!("fake-interaction-token-{id:x}");
        let parts = InteractionParts {
            id,
            token: &token,
            kind,
            guild,
            channel_id: channel,
            user,
            data,
            message: source.map(|m| m.json.clone()),
        };
        let payload = payloads::interaction(world, parts);
        let shard = world.shard_of(Some(guild.guild.id));
        let delivered = {
            let mut st = self.shared.lock();
            let record = InteractionRecord {
                id,
                token: token.clone(),
                kind,
                guild_id: guild.guild.id,
                channel_id: channel,
                user_id: user.id,
                created: std::time::Instant::now(),
                source_message: source.map(|m| m.id),
                response: None,
                responded_at: None,
                original_message: None,
                followups: Vec::new(),
            };
            st.interactions.insert(id, record);
            st.tokens.insert(token, id);
            gateway::dispatch(&mut st, world, shard, "INTERACTION_CREATE", payload)
        };
        self.shared.changed();
        assert!(
            delivered,
            "no bot session owns shard {shard} (guild {}); wait_for_ready first",
            guild.guild.id
        );
        id
    }

    /// `data` of a command or autocomplete interaction for a registered command.
    fn command_data(
        &self,
        channel: u64,
        name: &str,
        options: &Value,
        focused: Option<&str>,
    ) -> Result<Value, String> {
        let world = &self.shared.world;
        let guild = world
            .guild_of_channel(channel)
            .ok_or_else(|| format!("channel {channel} is in no configured guild"))?;
        let command = {
            let st = self.shared.lock();
            let find = |scope| {
                st.commands
                    .get(&scope)
                    .and_then(|list| list.iter().find(|c| c["name"] == name && c["type"] == 1))
                    .cloned()
            };
            find(Some(guild.guild.id)).or_else(|| find(None))
        };
        let Some(command) = command else {
            let names: Vec<String> = [Some(guild.guild.id), None]
                .iter()
                .flat_map(|scope| self.registered_commands(*scope))
                .filter_map(|c| c["name"].as_str().map(str::to_owned))
                .collect();
            return Err(format!(
                "/{name} is not registered for guild {}; registered: {names:?}",
                guild.guild.id
            ));
        };
        let mut resolver = Resolver {
            world,
            guild,
            resolved: Map::new(),
            focused,
            found_focus: false,
        };
        let options = resolver.options(&format!("/{name}"), array(&command["options"]), options)?;
        if focused.is_some() && !resolver.found_focus {
            return Err(format!(
                "/{name}: the focused option {focused:?} is not among the given options"
            ));
        }
        let mut data = json!({
            "id": command["id"],
            "name": name,
            "type": 1,
            "options": options,
            "resolved": resolver.resolved,
        });
        if command.get("guild_id").is_some_and(|g| !g.is_null()) {
            data["guild_id"] = command["guild_id"].clone();
        }
        Ok(data)
    }
}

/// `<@id>` and `<@!id>` mentions of known users.
fn mentioned_users(world: &World, content: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for part in content.split("<@").skip(1) {
        let digits: String = part
            .trim_start_matches('!')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let Ok(id) = digits.parse::<u64>() else {
            continue;
        };
        let user = if id == world.bot().id {
            Some(world.bot().clone())
        } else {
            world
                .guilds
                .values()
                .find_map(|g| g.members.get(&id))
                .map(|m| m.user.clone())
        };
        out.extend(user.map(|u| payloads::user(&u)));
    }
    out
}

/// Turns test-friendly options into Discord's option list and `resolved` map, checking them
/// against the command definition the way a Discord client does.
struct Resolver<'a> {
    world: &'a World,
    guild: &'a GuildIndex,
    resolved: Map<String, Value>,
    /// Autocomplete: the option being typed (sent as a partial string, marked focused).
    focused: Option<&'a str>,
    found_focus: bool,
}

impl Resolver<'_> {
    fn options(&mut self, at: &str, defs: &[Value], given: &Value) -> Result<Vec<Value>, String> {
        let pairs: Vec<(String, Value)> = match given {
            Value::Null => Vec::new(),
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Value::Array(list) => list
                .iter()
                .map(|o| {
                    let name = o["name"]
                        .as_str()
                        .ok_or_else(|| format!("{at}: option without a name: {o}"))?;
                    let value = o
                        .get("value")
                        .or_else(|| o.get("options"))
                        .cloned()
                        .unwrap_or(Value::Null);
                    Ok((name.to_owned(), value))
                })
                .collect::<Result<_, String>>()?,
            other => {
                return Err(format!(
                    "{at}: options must be an object or an array, not {other}"
                ));
            }
        };
        let known: Vec<&str> = defs.iter().filter_map(|d| d["name"].as_str()).collect();
        let mut out = Vec::new();
        for (name, value) in pairs {
            let def = defs
                .iter()
                .find(|d| d["name"] == name.as_str())
                .ok_or_else(|| format!("{at}: no option {name:?}; it has {known:?}"))?;
            let kind = def["type"].as_u64().unwrap_or(0);
            if kind == 1 || kind == 2 {
                let nested =
                    self.options(&format!("{at} {name}"), array(&def["options"]), &value)?;
                out.push(json!({"name": name, "type": kind, "options": nested}));
                continue;
            }
            let option = if self.focused == Some(name.as_str()) {
                self.found_focus = true;
                let typed = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                json!({"name": name, "type": kind, "value": typed, "focused": true})
            } else {
                json!({"name": name, "type": kind, "value": self.value(&format!("{at} {name}"), kind, def, &value)?})
            };
            out.push(option);
        }
        let is_sub = |d: &Value| matches!(d["type"].as_u64(), Some(1 | 2));
        if !defs.is_empty() && defs.iter().all(is_sub) && out.len() != 1 {
            return Err(format!(
                "{at}: pick exactly one of the sub-commands {known:?}"
            ));
        }
        if self.focused.is_none() {
            for def in defs.iter().filter(|d| d["required"] == true && !is_sub(d)) {
                if !out.iter().any(|o| o["name"] == def["name"]) {
                    return Err(format!("{at}: required option {} is missing", def["name"]));
                }
            }
        }
        Ok(out)
    }

    /// One option value, converted the way Discord sends it, with `resolved` filled in.
    fn value(&mut self, at: &str, kind: u64, def: &Value, value: &Value) -> Result<Value, String> {
        let snowflake = || {
            Some(id_of(value))
                .filter(|id| *id != 0)
                .ok_or_else(|| format!("{at}: {value} is not an id"))
        };
        let converted = match kind {
            3 => {
                let s = value
                    .as_str()
                    .ok_or_else(|| format!("{at}: expected a string, got {value}"))?;
                let n = s.chars().count() as u64;
                if def["min_length"].as_u64().is_some_and(|min| n < min)
                    || def["max_length"].as_u64().is_some_and(|max| n > max)
                {
                    return Err(format!(
                        "{at}: {s:?} has a length outside the option's bounds"
                    ));
                }
                json!(s)
            }
            4 | 10 => {
                let n = value
                    .as_f64()
                    .ok_or_else(|| format!("{at}: expected a number, got {value}"))?;
                if kind == 4 && value.as_i64().is_none() {
                    return Err(format!("{at}: expected an integer, got {value}"));
                }
                if def["min_value"].as_f64().is_some_and(|min| n < min)
                    || def["max_value"].as_f64().is_some_and(|max| n > max)
                {
                    return Err(format!("{at}: {value} is outside the option's range"));
                }
                value.clone()
            }
            5 => json!(
                value
                    .as_bool()
                    .ok_or_else(|| format!("{at}: expected true or false, got {value}"))?
            ),
            6 => {
                let id = snowflake()?;
                self.resolve_user(at, id)?;
                json!(id.to_string())
            }
            7 => {
                let id = snowflake()?;
                let channel = self
                    .guild
                    .guild
                    .channels
                    .iter()
                    .position(|c| c.id == id)
                    .ok_or_else(|| format!("{at}: no channel {id} in the guild"))?;
                let mut value = payloads::channel(
                    self.guild.guild.id,
                    &self.guild.guild.channels[channel],
                    channel,
                );
                value["permissions"] =
                    json!(self.world.bot_permissions(self.guild.guild.id).to_string());
                self.insert("channels", id, value);
                json!(id.to_string())
            }
            8 => {
                let id = snowflake()?;
                self.resolve_role(at, id)?;
                json!(id.to_string())
            }
            9 => {
                let id = snowflake()?;
                if self.guild.roles.contains_key(&id) {
                    self.resolve_role(at, id)?;
                } else {
                    self.resolve_user(at, id)?;
                }
                json!(id.to_string())
            }
            other => {
                return Err(format!(
                    "{at}: option type {other} is not supported by the fake"
                ));
            }
        };
        let choices = array(&def["choices"]);
        if !choices.is_empty() && !choices.iter().any(|c| c["value"] == converted) {
            return Err(format!(
                "{at}: {converted} is not one of the choices {}",
                def["choices"]
            ));
        }
        Ok(converted)
    }

    fn insert(&mut self, map: &str, id: u64, value: Value) {
        let entry = self.resolved.entry(map).or_insert_with(|| json!({}));
        entry[id.to_string()] = value;
    }

    fn resolve_user(&mut self, at: &str, id: u64) -> Result<(), String> {
        let member = self
            .guild
            .members
            .get(&id)
            .cloned()
            .ok_or_else(|| format!("{at}: user {id} is not a member of the guild"))?;
        self.insert("users", id, payloads::user(&member.user));
        let mut value = payloads::member_with_permissions(self.guild, &member);
        value.as_object_mut().map(|m| m.remove("user"));
        self.insert("members", id, value);
        Ok(())
    }

    fn resolve_role(&mut self, at: &str, id: u64) -> Result<(), String> {
        let position = self
            .guild
            .role_order
            .iter()
            .position(|r| *r == id)
            .ok_or_else(|| format!("{at}: no role {id} in the guild"))?;
        let role = &self.guild.roles[&id];
        self.insert(
            "roles",
            id,
            payloads::role(role, position, id == self.guild.bot_role_id),
        );
        Ok(())
    }
}
