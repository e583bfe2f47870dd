//! Fact packs: the format ([`model`]), loading with diagnostics, validation, and the validated
//! [`FactPack`] that the rest of the core reads.

pub mod model;

pub use model::*;

/// A pack that has passed validation, ready for lookups and question generation.
#[derive(Debug, Clone)]
pub struct FactPack {
    pub data: Pack,
}

impl FactPack {
    /// Wraps an already validated pack. Prefer the loaders, which validate.
    pub fn new_unchecked(data: Pack) -> Self {
        FactPack { data }
    }

    pub fn id(&self) -> &str {
        &self.data.pack.id
    }

    pub fn title(&self) -> &str {
        &self.data.pack.title
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.data.entities.iter().find(|e| e.id == id)
    }

    pub fn episode(&self, code: EpisodeCode) -> Option<&Episode> {
        self.data.episodes.iter().find(|e| e.code() == code)
    }
}
