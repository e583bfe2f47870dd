//! trivia-bot: a Discord trivia bot that generates quiz questions from structured fact packs.
//!
//! The core (`facts`, `text`, `quiz`, `answer`, `game`) is plain synchronous Rust with no
//! Discord types, no I/O and no clock; the shells (`cli`, `console`, `discord`, `store`) carry
//! inputs in and effects out. See DESIGN.md in the project notes and the README.

pub mod answer;
pub mod cli;
pub mod console;
pub mod discord;
pub mod events;
pub mod facts;
pub mod game;
pub mod lookup;
pub mod metrics;
pub mod quiz;
pub mod store;
pub mod text;
