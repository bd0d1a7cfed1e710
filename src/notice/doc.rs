//! Placeholder: the DOC reader is being written.

use super::SkipReason;
use super::document::Extracted;

/// The text of the DOC file in `bytes`.
pub fn extract(_bytes: &[u8]) -> Result<Extracted, SkipReason> {
    Err(SkipReason::Document(
        "DOC files are not read yet".to_string(),
    ))
}
