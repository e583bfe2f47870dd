//! Every pack of a folder (or a list of files): the valid ones, and the broken ones with their
//! diagnostics. One broken pack never takes the others down.

use std::path::{Path, PathBuf};

use super::{Diagnostic, ErrorKind, FactPack, line_column, load_file};

/// The packs that loaded, and the files that did not.
#[derive(Debug, Clone, Default)]
pub struct PackSet {
    /// Valid packs, in file-name order.
    pub packs: Vec<FactPack>,
    /// Files that failed to load, with every diagnostic.
    pub broken: Vec<BrokenPack>,
    /// The file of each valid pack (same order as `packs`).
    files: Vec<PathBuf>,
}

/// A pack file that failed to load.
#[derive(Debug, Clone)]
pub struct BrokenPack {
    pub path: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
}

impl PackSet {
    /// Loads every `*.toml` file in `dir`, sorted by name. Never fails as a whole: an unreadable
    /// folder is itself listed as broken.
    pub fn load_dir(dir: &Path) -> PackSet {
        Self::load_paths(&[dir.to_path_buf()])
    }

    /// Loads the given files, and every `*.toml` file in the given folders.
    pub fn load_paths(paths: &[PathBuf]) -> PackSet {
        let mut set = PackSet::default();
        for path in paths {
            if path.is_dir() {
                match toml_files(path) {
                    Ok(files) => files.iter().for_each(|f| set.add_file(f)),
                    Err(err) => set.broken.push(BrokenPack {
                        path: path.clone(),
                        diagnostics: vec![folder_diagnostic(path, &err)],
                    }),
                }
            } else if path.exists() {
                set.add_file(path);
            } else {
                set.broken.push(BrokenPack {
                    path: path.clone(),
                    diagnostics: vec![folder_diagnostic(
                        path,
                        &std::io::Error::from(std::io::ErrorKind::NotFound),
                    )],
                });
            }
        }
        set
    }

    /// Loads one file and adds it, as a pack or as broken. A pack whose id an earlier pack
    /// already has is broken.
    pub fn add_file(&mut self, path: &Path) {
        match load_file(path) {
            Ok(pack) => match self.packs.iter().position(|p| p.id() == pack.id()) {
                Some(first) => {
                    let diagnostic = duplicate_diagnostic(path, pack.id(), &self.files[first]);
                    self.broken.push(BrokenPack {
                        path: path.to_path_buf(),
                        diagnostics: vec![diagnostic],
                    });
                }
                None => {
                    self.packs.push(pack);
                    self.files.push(path.to_path_buf());
                }
            },
            Err(diagnostics) => self.broken.push(BrokenPack {
                path: path.to_path_buf(),
                diagnostics,
            }),
        }
    }

    /// The pack with this id.
    pub fn get(&self, id: &str) -> Option<&FactPack> {
        self.packs.iter().find(|p| p.id() == id)
    }

    /// The pack used when none is named: the first by file name.
    pub fn default_pack(&self) -> Option<&FactPack> {
        self.packs.first()
    }

    /// The file a valid pack was loaded from.
    pub fn file_of(&self, id: &str) -> Option<&Path> {
        let i = self.packs.iter().position(|p| p.id() == id)?;
        self.files.get(i).map(PathBuf::as_path)
    }

    /// The ids of the valid packs, for messages ("known packs: picard, ...").
    pub fn ids(&self) -> Vec<&str> {
        self.packs.iter().map(FactPack::id).collect()
    }

    /// The number of diagnostics over all broken packs.
    pub fn error_count(&self) -> usize {
        self.broken.iter().map(|b| b.diagnostics.len()).sum()
    }
}

fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn folder_diagnostic(path: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic {
        file: path.display().to_string(),
        line: 1,
        column: 1,
        kind: ErrorKind::Unreadable,
        message: format!("cannot read {}: {err}", path.display()),
        help: Some(
            "pass a folder of *.toml fact packs or a pack file (see --questions-dir)".into(),
        ),
    }
}

/// Points at the `id = ...` line of the later file.
fn duplicate_diagnostic(path: &Path, id: &str, first: &Path) -> Diagnostic {
    let src = std::fs::read_to_string(path).unwrap_or_default();
    let offset = toml::de::DeTable::parse(&src)
        .ok()
        .and_then(|root| {
            let pack = root.get_ref().get("pack")?;
            Some(pack.get_ref().as_table()?.get("id")?.span().start)
        })
        .unwrap_or(0);
    let (line, column) = line_column(&src, offset);
    Diagnostic {
        file: path.display().to_string(),
        line,
        column,
        kind: ErrorKind::DuplicatePack,
        message: format!("pack id `{id}` is already used by {}", first.display()),
        help: Some("give each pack its own id; the first file keeps it".into()),
    }
}
