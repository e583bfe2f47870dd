//! The Discord bot: serenity 0.12 + poise 0.7, a thin shell over the core.

pub mod config;
pub mod custom_id;
pub mod permissions;
