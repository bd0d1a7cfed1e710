//! Zip containers (DOCX, OFD) read with bounds: a zip bomb or a damaged
//! archive is a skip reason, never a run out of memory.

// The DOCX and OFD readers that use this are being written.
#![allow(dead_code)]

use std::io::{Cursor, Read};

use super::SkipReason;
use super::document::Format;

/// The most one entry may inflate to.
pub const MAX_ENTRY_BYTES: u64 = 64 << 20;
/// The most all entries read from one file may inflate to together.
pub const MAX_TOTAL_BYTES: u64 = 256 << 20;

/// An open zip and how much of the inflate budget is left.
pub struct Zip<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    left: u64,
    format: Format,
}

/// Which zip-based document `bytes` holds, by its entries' names.
pub fn kind(bytes: &[u8]) -> Option<Format> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names = names_of(&archive);
    if names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("word/document.xml"))
    {
        return Some(Format::Docx);
    }
    if names.iter().any(|n| n.eq_ignore_ascii_case("OFD.xml")) {
        return Some(Format::Ofd);
    }
    None
}

impl<'a> Zip<'a> {
    /// Open the zip in `bytes`, a document of `format` (for messages).
    pub fn open(bytes: &'a [u8], format: Format) -> Result<Self, SkipReason> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            SkipReason::Document(format!("{}: broken zip container: {e}", format.label()))
        })?;
        Ok(Zip {
            names: names_of(&archive),
            archive,
            left: MAX_TOTAL_BYTES,
            format,
        })
    }

    /// Entry names, in archive order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The entry called `name` (compared without ASCII case and with `\`
    /// read as `/`, as writers differ), inflated within the budget; `None`
    /// when there is no such entry.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, SkipReason> {
        let wanted = name.trim_start_matches('/').replace('\\', "/");
        let found = self
            .names
            .iter()
            .find(|n| n.replace('\\', "/").eq_ignore_ascii_case(&wanted))
            .cloned();
        let Some(found) = found else {
            return Ok(None);
        };
        let label = self.format.label();
        let entry = self
            .archive
            .by_name(&found)
            .map_err(|e| SkipReason::Document(format!("{label}: cannot read {found}: {e}")))?;
        if entry.encrypted() {
            return Err(SkipReason::Document(format!(
                "{label}: {found} is encrypted (password required)"
            )));
        }
        let limit = MAX_ENTRY_BYTES.min(self.left);
        let mut out = Vec::new();
        entry
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| SkipReason::Document(format!("{label}: cannot inflate {found}: {e}")))?;
        if out.len() as u64 > limit {
            return Err(SkipReason::Document(format!(
                "{label}: {found} inflates to more than {} MiB (a zip bomb?)",
                limit >> 20
            )));
        }
        self.left -= out.len() as u64;
        Ok(Some(out))
    }

    /// [`Zip::read`] as UTF-8 text (XML parts), a BOM removed.
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, SkipReason> {
        let Some(bytes) = self.read(name)? else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Ok(Some(text.trim_start_matches('\u{feff}').to_string()))
    }
}

/// The entries' names (names that are not valid text left out).
fn names_of(archive: &zip::ZipArchive<Cursor<&[u8]>>) -> Vec<String> {
    archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect()
}
