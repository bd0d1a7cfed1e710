//! Integration tests for the `gongwen` binary: every test runs the real built
//! executable in its own temporary directory holding a copy of the two sample
//! notices, and checks what a user would see (exit status, stdout, stderr,
//! files created).

#[path = "cli/counts.rs"]
mod counts;
#[path = "cli/damage.rs"]
mod damage;
#[path = "cli/docs.rs"]
mod docs;
#[path = "cli/export.rs"]
mod export;
#[path = "cli/folding.rs"]
mod folding;
#[path = "cli/foreign.rs"]
mod foreign;
#[path = "cli/habits.rs"]
mod habits;
#[path = "cli/harness.rs"]
mod harness;
#[path = "cli/hostile.rs"]
mod hostile;
#[path = "cli/index.rs"]
mod index;
#[path = "cli/index_folder.rs"]
mod index_folder;
#[path = "cli/inputs.rs"]
mod inputs;
#[path = "cli/latin.rs"]
mod latin;
#[path = "cli/lifecycle.rs"]
mod lifecycle;
#[path = "cli/pages.rs"]
mod pages;
#[path = "cli/parse.rs"]
mod parse;
#[path = "cli/pdf.rs"]
mod pdf;
#[path = "cli/quality.rs"]
mod quality;
#[path = "cli/search.rs"]
mod search;
#[path = "cli/serve.rs"]
mod serve;
#[path = "cli/shared_corpus.rs"]
mod shared_corpus;
#[path = "cli/show.rs"]
mod show;
#[path = "cli/suggest.rs"]
mod suggest;
#[path = "cli/terminal.rs"]
mod terminal;
#[path = "cli/walk.rs"]
mod walk;
