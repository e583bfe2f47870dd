//! The only constructors of outgoing messages. Each sets empty `allowed_mentions`, so no text
//! the bot sends can ping a user, a role or everyone.

use poise::CreateReply;
use poise::serenity_prelude::{
    CreateAllowedMentions, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EditMessage,
};

/// Mentions nobody: no parse, no users, no roles, no reply ping.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new().replied_user(false)
}

/// A new channel message.
pub fn message() -> CreateMessage {
    CreateMessage::new().allowed_mentions(no_mentions())
}

/// An edit of one of the bot's messages.
pub fn edit() -> EditMessage {
    EditMessage::new().allowed_mentions(no_mentions())
}

/// A poise reply to a command.
pub fn reply() -> CreateReply {
    CreateReply::default().allowed_mentions(no_mentions())
}

/// The message of an interaction response.
pub fn response() -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new().allowed_mentions(no_mentions())
}

/// A follow-up message to an interaction.
pub fn followup() -> CreateInteractionResponseFollowup {
    CreateInteractionResponseFollowup::new().allowed_mentions(no_mentions())
}

/// An edit of an interaction's original response.
pub fn edit_response() -> EditInteractionResponse {
    EditInteractionResponse::new().allowed_mentions(no_mentions())
}

/// A short private answer to the person who clicked or typed.
pub fn ephemeral(text: impl Into<String>) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        response()
            .content(super::clip(&text.into(), super::limits::CONTENT))
            .ephemeral(true),
    )
}

/// A short private command reply.
pub fn ephemeral_reply(text: impl Into<String>) -> CreateReply {
    reply()
        .content(super::clip(&text.into(), super::limits::CONTENT))
        .ephemeral(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builder_mentions_nobody() {
        let none =
            serde_json::json!({ "parse": [], "users": [], "roles": [], "replied_user": false });
        let m = serde_json::to_value(message().content("@everyone <@1>")).unwrap();
        assert_eq!(m["allowed_mentions"], none);
        let e = serde_json::to_value(edit().content("x")).unwrap();
        assert_eq!(e["allowed_mentions"], none);
        let r = serde_json::to_value(response().content("x")).unwrap();
        assert_eq!(r["allowed_mentions"], none);
        let f = serde_json::to_value(followup().content("x")).unwrap();
        assert_eq!(f["allowed_mentions"], none);
        let er = serde_json::to_value(edit_response().content("x")).unwrap();
        assert_eq!(er["allowed_mentions"], none);
        let eph = serde_json::to_value(ephemeral("x")).unwrap();
        assert_eq!(eph["data"]["allowed_mentions"], none);
        assert_eq!(eph["data"]["flags"], 64);
    }

    /// Outgoing messages are built only here: anything else in `src/discord` that constructs
    /// one directly would skip the empty `allowed_mentions`.
    #[test]
    fn no_other_module_builds_messages_directly() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/discord");
        let forbidden = [
            "CreateMessage::new",
            "EditMessage::new",
            "CreateReply::default",
            "CreateReply::new",
            "CreateInteractionResponseMessage::new",
            "CreateInteractionResponseFollowup::new",
            "EditInteractionResponse::new",
            "CreateMessage::default",
            "EditMessage::default",
            "CreateInteractionResponseMessage::default",
            "CreateInteractionResponseFollowup::default",
            "EditInteractionResponse::default",
            ".say(",
        ];
        let mut offenders = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("render/out.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for f in forbidden {
                        if text.contains(f) {
                            offenders.push(format!("{}: {f}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "build messages with render::out instead: {offenders:#?}"
        );
    }
}
