//! Discord's documented limits (see DESIGN.md), checked on request bodies. Each check adds
//! `(rule, detail)` pairs to a list; an empty list means the body is within the limits.

use serde_json::Value;

pub type Problems = Vec<(&'static str, String)>;

fn chars(value: Option<&Value>) -> usize {
    value
        .and_then(Value::as_str)
        .map_or(0, |s| s.chars().count())
}

fn too_long(
    problems: &mut Problems,
    rule: &'static str,
    what: &str,
    value: Option<&Value>,
    max: usize,
) {
    let n = chars(value);
    if n > max {
        problems.push((rule, format!("{what} is {n} characters (max {max})")));
    }
}

fn array(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A message body (create, edit, interaction response data, follow-up).
pub fn check_message(body: &Value, problems: &mut Problems) {
    too_long(
        problems,
        "content-length",
        "content",
        body.get("content"),
        2000,
    );
    let embeds = array(body.get("embeds"));
    if embeds.len() > 10 {
        problems.push(("embed-count", format!("{} embeds (max 10)", embeds.len())));
    }
    let total: usize = embeds
        .iter()
        .enumerate()
        .map(|(i, e)| check_embed(i, e, problems))
        .sum();
    if total > 6000 {
        problems.push((
            "embed-total",
            format!("embeds hold {total} characters (max 6000)"),
        ));
    }
    check_components(array(body.get("components")), problems);
    let allowed = body.get("allowed_mentions");
    if allowed.is_some_and(|a| !a.is_null() && !a.is_object()) {
        problems.push((
            "allowed-mentions",
            "allowed_mentions is not an object".into(),
        ));
    }
}

/// Checks one embed and returns how many characters count towards the 6000 total.
fn check_embed(i: usize, embed: &Value, problems: &mut Problems) -> usize {
    let title = embed.get("title");
    let description = embed.get("description");
    let footer = embed.pointer("/footer/text");
    let author = embed.pointer("/author/name");
    too_long(
        problems,
        "embed-title",
        &format!("embeds[{i}].title"),
        title,
        256,
    );
    too_long(
        problems,
        "embed-description",
        &format!("embeds[{i}].description"),
        description,
        4096,
    );
    too_long(
        problems,
        "embed-footer",
        &format!("embeds[{i}].footer.text"),
        footer,
        2048,
    );
    too_long(
        problems,
        "embed-author",
        &format!("embeds[{i}].author.name"),
        author,
        256,
    );
    let fields = array(embed.get("fields"));
    if fields.len() > 25 {
        problems.push((
            "embed-fields",
            format!("embeds[{i}] has {} fields (max 25)", fields.len()),
        ));
    }
    let mut total = chars(title) + chars(description) + chars(footer) + chars(author);
    for (j, field) in fields.iter().enumerate() {
        let (name, value) = (field.get("name"), field.get("value"));
        too_long(
            problems,
            "embed-field-name",
            &format!("embeds[{i}].fields[{j}].name"),
            name,
            256,
        );
        too_long(
            problems,
            "embed-field-value",
            &format!("embeds[{i}].fields[{j}].value"),
            value,
            1024,
        );
        total += chars(name) + chars(value);
    }
    total
}

/// Action rows with buttons or a select menu.
pub fn check_components(rows: &[Value], problems: &mut Problems) {
    if rows.len() > 5 {
        problems.push((
            "component-rows",
            format!("{} action rows (max 5)", rows.len()),
        ));
    }
    let mut seen_ids = std::collections::HashSet::new();
    for (r, row) in rows.iter().enumerate() {
        if row.get("type").and_then(Value::as_u64) != Some(1) {
            problems.push((
                "component-row",
                format!("components[{r}] is not an action row"),
            ));
            continue;
        }
        let items = array(row.get("components"));
        let buttons = items.iter().filter(|c| c["type"] == 2).count();
        if buttons > 5 {
            problems.push((
                "buttons-per-row",
                format!("components[{r}] has {buttons} buttons (max 5)"),
            ));
        }
        if items.len() > buttons && items.len() > 1 {
            problems.push((
                "component-row",
                format!("components[{r}]: a select menu must be alone in its row"),
            ));
        }
        for (c, item) in items.iter().enumerate() {
            let at = format!("components[{r}].components[{c}]");
            check_component(&at, item, problems);
            if let Some(id) = item.get("custom_id").and_then(Value::as_str)
                && !seen_ids.insert(id.to_owned())
            {
                problems.push((
                    "custom-id-unique",
                    format!("{at}: custom_id {id:?} is used twice"),
                ));
            }
        }
    }
}

fn check_component(at: &str, item: &Value, problems: &mut Problems) {
    too_long(
        problems,
        "custom-id-length",
        &format!("{at}.custom_id"),
        item.get("custom_id"),
        100,
    );
    match item.get("type").and_then(Value::as_u64) {
        Some(2) => {
            too_long(
                problems,
                "button-label",
                &format!("{at}.label"),
                item.get("label"),
                80,
            );
            let is_link = item.get("style").and_then(Value::as_u64) == Some(5);
            if is_link && item.get("url").is_none() {
                problems.push(("button", format!("{at}: a link button needs a url")));
            }
            if !is_link
                && item.get("style") != Some(&Value::from(6))
                && item.get("custom_id").is_none()
            {
                problems.push(("button", format!("{at}: a button needs a custom_id")));
            }
        }
        Some(3 | 5..=8) => {
            too_long(
                problems,
                "select-placeholder",
                &format!("{at}.placeholder"),
                item.get("placeholder"),
                150,
            );
            let options = array(item.get("options"));
            if options.len() > 25 {
                problems.push((
                    "select-options",
                    format!("{at} has {} options (max 25)", options.len()),
                ));
            }
            for (o, option) in options.iter().enumerate() {
                too_long(
                    problems,
                    "select-option",
                    &format!("{at}.options[{o}].label"),
                    option.get("label"),
                    100,
                );
                too_long(
                    problems,
                    "select-option",
                    &format!("{at}.options[{o}].value"),
                    option.get("value"),
                    100,
                );
            }
        }
        _ => {
            problems.push((
                "component-type",
                format!("{at} has type {} (not allowed in a message)", item["type"]),
            ));
        }
    }
}

/// The project's rule: every message with content or embeds says `allowed_mentions` with
/// nothing to parse, no users and no roles (except roles the test allowed).
pub fn check_allowed_mentions(body: &Value, allowed_roles: &[u64], problems: &mut Problems) {
    let has_text = body
        .get("content")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
        || !array(body.get("embeds")).is_empty();
    if !has_text {
        return;
    }
    let Some(allowed) = body.get("allowed_mentions").filter(|a| a.is_object()) else {
        problems.push((
            "allowed-mentions",
            "message has content or embeds but no allowed_mentions".into(),
        ));
        return;
    };
    if !array(allowed.get("parse")).is_empty() {
        problems.push((
            "allowed-mentions",
            format!("allowed_mentions.parse is {}", allowed["parse"]),
        ));
    }
    if !array(allowed.get("users")).is_empty() {
        problems.push((
            "allowed-mentions",
            format!("allowed_mentions.users is {}", allowed["users"]),
        ));
    }
    for role in array(allowed.get("roles")) {
        let id = role
            .as_str()
            .and_then(|s| s.parse().ok())
            .or_else(|| role.as_u64());
        if !id.is_some_and(|id| allowed_roles.contains(&id)) {
            problems.push((
                "allowed-mentions",
                format!("allowed_mentions.roles names role {role}, not allowed by the test"),
            ));
        }
    }
}

/// An empty message is refused by Discord (error 50006).
pub fn is_empty_message(body: &Value, files: usize) -> bool {
    chars(body.get("content")) == 0
        && array(body.get("embeds")).is_empty()
        && array(body.get("components")).is_empty()
        && array(body.get("sticker_ids")).is_empty()
        && body.get("poll").is_none_or(Value::is_null)
        && files == 0
}

fn valid_command_name(name: &str, chat_input: bool) -> bool {
    let n = name.chars().count();
    if !(1..=32).contains(&n) {
        return false;
    }
    !chat_input
        || name
            .chars()
            .all(|c| (c == '-' || c == '_' || c.is_alphanumeric()) && !c.is_uppercase())
}

/// One application command definition (`PUT`/`POST .../commands`).
pub fn check_command(cmd: &Value, problems: &mut Problems) {
    let kind = cmd.get("type").and_then(Value::as_u64).unwrap_or(1);
    let chat_input = kind == 1;
    let name = cmd.get("name").and_then(Value::as_str).unwrap_or("");
    if !valid_command_name(name, chat_input) {
        problems.push((
            "command-name",
            format!("command name {name:?} must be 1-32 lowercase letters, digits, - or _"),
        ));
    }
    let description = chars(cmd.get("description"));
    if chat_input && !(1..=100).contains(&description) {
        problems.push((
            "command-description",
            format!("/{name}: description is {description} characters (1-100)"),
        ));
    }
    if !chat_input && description != 0 {
        problems.push((
            "command-description",
            format!("{name}: user/message commands take no description"),
        ));
    }
    let mut total = name.chars().count() + description;
    total += check_options(&format!("/{name}"), array(cmd.get("options")), 0, problems);
    if total > 4000 {
        problems.push((
            "command-size",
            format!("/{name}: {total} characters in names, descriptions and choices (max 4000)"),
        ));
    }
}

/// Checks options recursively; returns their characters for the 4000 total.
fn check_options(at: &str, options: &[Value], depth: usize, problems: &mut Problems) -> usize {
    if options.len() > 25 {
        problems.push((
            "command-options",
            format!("{at}: {} options (max 25)", options.len()),
        ));
    }
    let mut total = 0;
    let mut seen_optional = false;
    let mut names = std::collections::HashSet::new();
    for option in options {
        let name = option.get("name").and_then(Value::as_str).unwrap_or("");
        let here = format!("{at} {name}");
        if !valid_command_name(name, true) {
            problems.push((
                "option-name",
                format!("{here}: option name must be 1-32 lowercase letters, digits, - or _"),
            ));
        }
        if !names.insert(name.to_owned()) {
            problems.push(("option-name", format!("{here}: duplicate option name")));
        }
        let description = chars(option.get("description"));
        if !(1..=100).contains(&description) {
            problems.push((
                "option-description",
                format!("{here}: description is {description} characters (1-100)"),
            ));
        }
        total += name.chars().count() + description;
        let kind = option.get("type").and_then(Value::as_u64).unwrap_or(0);
        if kind == 1 || kind == 2 {
            if depth >= 2 || (kind == 2 && depth >= 1) {
                problems.push((
                    "option-nesting",
                    format!("{here}: sub-commands nest too deep"),
                ));
            }
            total += check_options(&here, array(option.get("options")), depth + 1, problems);
            continue;
        }
        let required = option
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if required && seen_optional {
            problems.push((
                "option-order",
                format!("{here}: required options must come before optional ones"),
            ));
        }
        seen_optional |= !required;
        let choices = array(option.get("choices"));
        if choices.len() > 25 {
            problems.push((
                "option-choices",
                format!("{here}: {} choices (max 25)", choices.len()),
            ));
        }
        if !choices.is_empty() && option.get("autocomplete").and_then(Value::as_bool) == Some(true)
        {
            problems.push((
                "option-choices",
                format!("{here}: autocomplete options cannot have choices"),
            ));
        }
        for choice in choices {
            let n = chars(choice.get("name"));
            if !(1..=100).contains(&n) {
                problems.push((
                    "option-choices",
                    format!("{here}: choice name is {n} characters (1-100)"),
                ));
            }
            if chars(choice.get("value")) > 100 {
                problems.push((
                    "option-choices",
                    format!("{here}: choice value longer than 100 characters"),
                ));
            }
            total += n + chars(choice.get("value"));
        }
    }
    total
}

/// An autocomplete result (callback type 8).
pub fn check_autocomplete(data: &Value, problems: &mut Problems) {
    let choices = array(data.get("choices"));
    if choices.len() > 25 {
        problems.push((
            "autocomplete-choices",
            format!("{} autocomplete choices (max 25)", choices.len()),
        ));
    }
    for choice in choices {
        let n = chars(choice.get("name"));
        if !(1..=100).contains(&n) {
            problems.push((
                "autocomplete-choices",
                format!("autocomplete choice name is {n} characters (1-100)"),
            ));
        }
        if chars(choice.get("value")) > 100 {
            problems.push((
                "autocomplete-choices",
                "autocomplete choice value longer than 100 characters".into(),
            ));
        }
    }
}

/// A modal (callback type 9).
pub fn check_modal(data: &Value, problems: &mut Problems) {
    too_long(
        problems,
        "custom-id-length",
        "modal custom_id",
        data.get("custom_id"),
        100,
    );
    too_long(
        problems,
        "modal-title",
        "modal title",
        data.get("title"),
        45,
    );
    let rows = array(data.get("components"));
    if rows.is_empty() || rows.len() > 5 {
        problems.push(("modal-rows", format!("modal has {} rows (1-5)", rows.len())));
    }
    for (r, row) in rows.iter().enumerate() {
        for input in array(row.get("components")) {
            too_long(
                problems,
                "custom-id-length",
                &format!("modal row {r} custom_id"),
                input.get("custom_id"),
                100,
            );
            too_long(
                problems,
                "modal-label",
                &format!("modal row {r} label"),
                input.get("label"),
                45,
            );
        }
    }
}

/// A guild scheduled event (create, or an edit when `creating` is false).
pub fn check_scheduled_event(body: &Value, creating: bool, problems: &mut Problems) {
    let name = body.get("name");
    if creating || name.is_some() {
        let n = chars(name);
        if !(1..=100).contains(&n) {
            problems.push((
                "event-name",
                format!("event name is {n} characters (1-100)"),
            ));
        }
    }
    too_long(
        problems,
        "event-description",
        "event description",
        body.get("description"),
        1000,
    );
    too_long(
        problems,
        "event-location",
        "event location",
        body.pointer("/entity_metadata/location"),
        100,
    );
    if creating {
        if body.get("privacy_level").and_then(Value::as_u64) != Some(2) {
            problems.push((
                "event-privacy",
                "privacy_level must be 2 (GUILD_ONLY)".into(),
            ));
        }
        match body.get("entity_type").and_then(Value::as_u64) {
            Some(3) => {
                if chars(body.pointer("/entity_metadata/location")) == 0 {
                    problems.push((
                        "event-location",
                        "an external event needs entity_metadata.location".into(),
                    ));
                }
                if body.get("scheduled_end_time").is_none_or(Value::is_null) {
                    problems.push((
                        "event-end",
                        "an external event needs scheduled_end_time".into(),
                    ));
                }
            }
            Some(1 | 2) => {
                if body.get("channel_id").is_none_or(Value::is_null) {
                    problems.push((
                        "event-channel",
                        "a stage or voice event needs channel_id".into(),
                    ));
                }
            }
            other => problems.push((
                "event-type",
                format!("entity_type {other:?} is not 1, 2 or 3"),
            )),
        }
    }
    let start = body.get("scheduled_start_time").and_then(Value::as_str);
    if creating && start.is_none() {
        problems.push(("event-start", "scheduled_start_time is required".into()));
    }
    let parse =
        |s: &str| chrono::DateTime::parse_from_rfc3339(s).map_err(|e| format!("{s:?}: {e}"));
    if let Some(start) = start {
        match parse(start) {
            Ok(t) if creating && t < chrono::Utc::now() => {
                problems.push((
                    "event-start",
                    format!("scheduled_start_time {start} is in the past"),
                ));
            }
            Ok(_) => {}
            Err(e) => problems.push(("event-start", format!("scheduled_start_time {e}"))),
        }
    }
    if let Some(end) = body.get("scheduled_end_time").and_then(Value::as_str) {
        match (parse(end), start.map(parse)) {
            (Ok(e), Some(Ok(s))) if e <= s => {
                problems.push((
                    "event-end",
                    "scheduled_end_time is not after scheduled_start_time".into(),
                ));
            }
            (Err(e), _) => problems.push(("event-end", format!("scheduled_end_time {e}"))),
            _ => {}
        }
    }
}
