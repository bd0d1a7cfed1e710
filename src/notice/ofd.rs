//! Placeholder: the OFD reader is being written.

use super::SkipReason;
use super::document::Extracted;

/// The text of the OFD file in `bytes`.
pub fn extract(_bytes: &[u8]) -> Result<Extracted, SkipReason> {
    Err(SkipReason::Document(
        "OFD files are not read yet".to_string(),
    ))
}
