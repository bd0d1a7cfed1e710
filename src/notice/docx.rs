//! Placeholder: the DOCX reader is being written.

use super::SkipReason;
use super::document::Extracted;

/// The text of the DOCX file in `bytes`.
pub fn extract(_bytes: &[u8]) -> Result<Extracted, SkipReason> {
    Err(SkipReason::Document(
        "DOCX files are not read yet".to_string(),
    ))
}
