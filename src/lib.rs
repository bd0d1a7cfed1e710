//! gongwen (公文): a search engine for Chinese government notices.
//!
//! Data flows one way: corpus files → [`notice`] (parse) → [`index`]
//! (tokenize with [`analysis`], write) → [`search`] (query, filter, rank,
//! snippet) → [`output`] (human or JSON). The binary's `cli` module wires them
//! together; nothing in this library prints or exits. [`elastic`] is the
//! hand-off to Elasticsearch/OpenSearch: the bulk documents of an index's
//! sections and the template that analyses them as gongwen does.
#![deny(missing_docs)]

pub mod analysis;
pub mod app;
pub mod elastic;
pub mod error;
pub mod index;
pub mod normal;
pub mod notice;
pub mod output;
pub mod search;

pub use error::{Error, Result};
