//! Discord's documented size limits, and a checker the render tests run every builder through.

/// Message content.
pub const CONTENT: usize = 2000;
pub const EMBED_TITLE: usize = 256;
pub const EMBED_DESCRIPTION: usize = 4096;
pub const EMBED_FIELDS: usize = 25;
pub const FIELD_NAME: usize = 256;
pub const FIELD_VALUE: usize = 1024;
pub const FOOTER: usize = 2048;
pub const EMBED_TOTAL: usize = 6000;
pub const BUTTON_LABEL: usize = 80;
pub const BUTTONS_PER_ROW: usize = 5;
pub const ACTION_ROWS: usize = 5;
pub const CUSTOM_ID: usize = 100;
pub const AUTOCOMPLETE_CHOICES: usize = 25;
pub const CHOICE_NAME: usize = 100;
pub const MODAL_TITLE: usize = 45;
pub const INPUT_LABEL: usize = 45;

/// Cuts `text` to at most `max` characters (Discord counts characters, not bytes), ending a
/// cut text with "…".
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Checks a serialized message body (a message, an edit, or an interaction response's `data`)
/// against Discord's limits; returns every violation found. Used by the render tests.
pub fn violations(body: &serde_json::Value) -> Vec<String> {
    let mut found = Vec::new();
    let len = |v: &serde_json::Value| v.as_str().map_or(0, |s| s.chars().count());
    let check = |found: &mut Vec<String>, what: String, n: usize, max: usize| {
        if n > max {
            found.push(format!("{what}: {n} > {max}"));
        }
    };
    check(&mut found, "content".into(), len(&body["content"]), CONTENT);
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    check(&mut found, "embeds".into(), embeds.len(), 10);
    let mut total_text = 0;
    for (i, e) in embeds.iter().enumerate() {
        let title = len(&e["title"]);
        let description = len(&e["description"]);
        let footer = len(&e["footer"]["text"]);
        let author = len(&e["author"]["name"]);
        check(&mut found, format!("embed {i} title"), title, EMBED_TITLE);
        check(
            &mut found,
            format!("embed {i} description"),
            description,
            EMBED_DESCRIPTION,
        );
        check(&mut found, format!("embed {i} footer"), footer, FOOTER);
        check(&mut found, format!("embed {i} author"), author, 256);
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        check(
            &mut found,
            format!("embed {i} fields"),
            fields.len(),
            EMBED_FIELDS,
        );
        let mut text = title + description + footer + author;
        for (j, f) in fields.iter().enumerate() {
            let (n, v) = (len(&f["name"]), len(&f["value"]));
            check(
                &mut found,
                format!("embed {i} field {j} name"),
                n,
                FIELD_NAME,
            );
            check(
                &mut found,
                format!("embed {i} field {j} value"),
                v,
                FIELD_VALUE,
            );
            if n == 0 || v == 0 {
                found.push(format!("embed {i} field {j} has an empty name or value"));
            }
            text += n + v;
        }
        total_text += text;
    }
    check(&mut found, "all embed text".into(), total_text, EMBED_TOTAL);
    let rows = body["components"].as_array().cloned().unwrap_or_default();
    check(&mut found, "action rows".into(), rows.len(), ACTION_ROWS);
    for (i, row) in rows.iter().enumerate() {
        let items = row["components"].as_array().cloned().unwrap_or_default();
        check(
            &mut found,
            format!("row {i} components"),
            items.len(),
            BUTTONS_PER_ROW,
        );
        for (j, c) in items.iter().enumerate() {
            check(
                &mut found,
                format!("row {i} item {j} label"),
                len(&c["label"]),
                BUTTON_LABEL,
            );
            check(
                &mut found,
                format!("row {i} item {j} custom_id"),
                len(&c["custom_id"]),
                CUSTOM_ID,
            );
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_counts_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("ééééé", 4).chars().count(), 4);
        assert_eq!(clip("", 0), "");
    }

    #[test]
    fn violations_are_found() {
        let body = serde_json::json!({
            "content": "x".repeat(2001),
            "embeds": [{ "title": "t".repeat(300), "fields": [{ "name": "", "value": "v" }] }],
        });
        let v = violations(&body);
        assert_eq!(v.len(), 3, "{v:?}");
    }
}
