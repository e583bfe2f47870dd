//! Pure functions from the core's data to serenity builders, inside Discord's limits.
//!
//! Every message, response, follow-up and edit the bot sends starts from one of the builders
//! in [`out`], which set empty `allowed_mentions`: names, answers and pack text never ping.
//! A unit test fails if code elsewhere in `discord/` builds one directly.

pub mod game;
pub mod info;
pub mod limits;
pub mod out;

pub use limits::clip;
