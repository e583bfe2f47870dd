//! Checks of a pack a moderator uploads for their server (`/pack upload`).
//!
//! [`check_upload`] runs the same validation as `trivia-bot check`, plus the limits of an
//! upload. Only its success, a [`ValidPack`], can be given to the store, so nothing
//! unvalidated is ever saved, and a bad upload leaves the previous version in place.

use crate::facts::{self, Diagnostic, ErrorKind, FactPack, line_column};

/// The largest pack file a server may upload (256 KiB; the Picard pack is about a fifth).
pub const MAX_PACK_BYTES: usize = 256 * 1024;

/// An uploaded pack that passed every check, with its source text to store.
#[derive(Debug, Clone)]
pub struct ValidPack {
    pack: FactPack,
    source: String,
}

impl ValidPack {
    pub fn pack(&self) -> &FactPack {
        &self.pack
    }

    /// The TOML text as uploaded.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn id(&self) -> &str {
        self.pack.id()
    }

    pub fn title(&self) -> &str {
        self.pack.title()
    }

    pub fn into_pack(self) -> FactPack {
        self.pack
    }
}

/// Validates an uploaded file: at most [`MAX_PACK_BYTES`], UTF-8 text, a valid pack, and an id
/// that none of `reserved_ids` uses (the built-in packs: a server pack may not shadow one).
/// `filename` names the file in the diagnostics. On failure, every problem found.
pub fn check_upload(
    bytes: &[u8],
    filename: &str,
    reserved_ids: &[&str],
) -> Result<ValidPack, Vec<Diagnostic>> {
    let whole_file = |message: String, help: &str| {
        vec![Diagnostic {
            file: filename.to_owned(),
            line: 1,
            column: 1,
            kind: ErrorKind::Unreadable,
            message,
            help: Some(help.to_owned()),
        }]
    };
    if bytes.len() > MAX_PACK_BYTES {
        return Err(whole_file(
            format!(
                "the file is {} KiB; a server pack may be at most {} KiB",
                bytes.len().div_ceil(1024),
                MAX_PACK_BYTES / 1024
            ),
            "split the show into several packs, or leave out long descriptions",
        ));
    }
    let source = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(e) => {
            return Err(whole_file(
                format!(
                    "the file is not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
                "save the file as UTF-8 text in the TOML pack format",
            ));
        }
    };
    let pack = facts::load_str(&source, filename)?;
    if reserved_ids.contains(&pack.id()) {
        let quoted = format!("\"{}\"", pack.id());
        let (line, column) = line_column(&source, source.find(&quoted).unwrap_or(0));
        return Err(vec![Diagnostic {
            file: filename.to_owned(),
            line,
            column,
            kind: ErrorKind::DuplicatePack,
            message: format!("the pack id `{}` belongs to a built-in pack", pack.id()),
            help: Some("give your pack its own `id` in [pack]".to_owned()),
        }]);
    }
    Ok(ValidPack { pack, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mini() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/packs/game_mini.toml");
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn a_good_pack_passes() {
        let valid = check_upload(mini().as_bytes(), "mini.toml", &["picard"]).unwrap();
        assert_eq!(valid.id(), "game-mini");
        assert_eq!(valid.source(), mini());
    }

    #[test]
    fn each_limit_is_a_diagnostic() {
        let big = vec![b'#'; MAX_PACK_BYTES + 1];
        let err = check_upload(&big, "big.toml", &[]).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(err[0].message.contains("at most 256 KiB"), "{}", err[0]);

        let err = check_upload(&[0xff, 0xfe, b'a'], "bin.toml", &[]).unwrap_err();
        assert!(err[0].message.contains("not UTF-8"), "{}", err[0]);

        let err = check_upload(mini().as_bytes(), "mini.toml", &["game-mini"]).unwrap_err();
        assert_eq!(err[0].kind, ErrorKind::DuplicatePack);
        assert_eq!((err[0].line, err[0].column), (4, 6));

        let broken = mini().replace("title = \"Open All Night\"", "titel = \"Open All Night\"");
        let err = check_upload(broken.as_bytes(), "mini.toml", &[]).unwrap_err();
        assert!(err.iter().all(|d| d.file == "mini.toml"));
        assert!(
            err.iter().any(|d| d.kind == ErrorKind::UnknownKey),
            "{err:?}"
        );
    }
}
