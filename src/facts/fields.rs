//! Field names of the format's structs, asked of serde itself so they never drift from
//! [`super::model`], and "did you mean" suggestions for misspelt keys.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// The keys a struct accepts, as its `Deserialize` impl declares them (empty for non-structs).
pub(crate) fn struct_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    match T::deserialize(FieldProbe) {
        Err(Found(fields)) => fields,
        Ok(_) => &[],
    }
}

/// The closest of `candidates` to a misspelt `word`, if one is close enough to suggest.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (*c, strsim::normalized_damerau_levenshtein(&word, c)))
        .filter(|(_, score)| *score >= 0.6)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// A deserializer that answers only one question: which fields does this struct have?
struct FieldProbe;

#[derive(Debug)]
struct Found(&'static [&'static str]);

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fields: {:?}", self.0)
    }
}

impl std::error::Error for Found {}

impl de::Error for Found {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Found(&[])
    }
}

impl<'de> Deserializer<'de> for FieldProbe {
    type Error = Found;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
        Err(Found(&[]))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Found> {
        Err(Found(fields))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::model::{Episode, Pack};

    #[test]
    fn fields_come_from_the_model() {
        let fields = struct_fields::<Episode>();
        assert!(fields.contains(&"directors"));
        assert!(fields.contains(&"air_date"));
        assert!(struct_fields::<Pack>().contains(&"plot_points"));
        assert!(struct_fields::<String>().is_empty());
    }

    #[test]
    fn suggests_close_keys_only() {
        let fields = struct_fields::<Episode>();
        assert_eq!(closest("diretors", fields), Some("directors"));
        assert_eq!(closest("airdate", fields), Some("air_date"));
        assert_eq!(closest("Title", fields), Some("title"));
        assert_eq!(closest("zzzzzz", fields), None);
    }
}
