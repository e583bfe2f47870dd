//! Quiz questions generated from fact packs, and decks of them for a game.

pub mod question;

pub use question::{Category, Difficulty, Form, Question};
