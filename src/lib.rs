//! gongwen (公文): a search engine for Chinese government notices.
//!
//! Data flows one way: corpus files → [`notice`] (parse) → [`index`]
//! (tokenize with [`analysis`], write) → [`search`] (query, filter, rank,
//! snippet) → [`output`] (human or JSON). The binary's `cli` module wires them
//! together; nothing in this library prints or exits.
#![deny(missing_docs)]

pub mod analysis;
pub mod app;
pub mod error;
pub mod index;
pub mod normal;
pub mod notice;
pub mod output;
pub mod search;

pub use error::{Error, Result};
