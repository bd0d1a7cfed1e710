//! Command-line interface: clap arguments (their doc comments are the help),
//! resolved once into typed requests, and `run`, which returns the exit code.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use gongwen::app;
use gongwen::error::Error as LibError;
use gongwen::index::{self, IndexHandle};
use gongwen::notice;
use gongwen::output::{self, Printer, terminal_safe};

/// Exit code: something was found (or the command succeeded).
pub const FOUND: i32 = 0;
/// Exit code: the search matched nothing.
pub const NOT_FOUND: i32 = 1;
/// Exit code: an error.
pub const ERROR: i32 = 2;

/// gongwen (公文): search Chinese government notices — ranked, filtered by
/// agency and date, pointing at the issue heading that matches.
#[derive(Parser, Debug)]
#[command(name = "gongwen", version, about, long_about = None)]
pub struct Cli {
    /// When to colour the output (JSON never is).
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value_t = Color::Auto
    )]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Color {
    /// Colour when standard output is a terminal, NO_COLOR is unset or
    /// empty, and TERM is not `dumb`.
    Auto,
    /// Always colour, even into a pipe (`less -R` shows it), whatever
    /// NO_COLOR and TERM say.
    Always,
    /// Never colour.
    Never,
}

impl Color {
    /// Whether to colour a stream that `is_terminal` or not, given the
    /// environment (`env(name)`). NO_COLOR and TERM only inform `auto`: an
    /// explicit `--color always` wins over both, as no-color.org asks of a
    /// command-line flag.
    fn enabled(self, is_terminal: bool, env: impl Fn(&str) -> Option<OsString>) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                is_terminal
                    && env("NO_COLOR").is_none_or(|v| v.is_empty())
                    && env("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }

    /// Whether to colour standard output.
    fn for_stdout(self) -> bool {
        self.enabled(io::stdout().is_terminal(), |name| std::env::var_os(name))
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Index every notice under a folder (recursively).
    Index(IndexArgs),
    /// Search the index: ranked notices with their best-matching sections.
    ///
    /// Query syntax: words (all must occur in a notice; an unsegmented string
    /// is split into its words; AND between words changes nothing), "exact
    /// phrase" (occurs literally), -word or NOT word (leave out notices
    /// containing it), a OR b or a | b (either may match; OR joins the words
    /// right beside it, parentheses do not group), the field prefixes title:,
    /// heading:, agency:, issue:, doc: (document number), also 标题: 标题层级:
    /// 机关: 问题: 文号:, which restrict the next word or phrase, and
    /// path:FOLDER (only notices under that folder of the corpus).
    ///
    /// A lowercase or/and/not is searched as a word, an unknown prefix as
    /// text; a warning on stderr says so, and says how anything else unusual
    /// was read. When nothing matches, stderr suggests close spellings that
    /// would find something.
    ///
    /// Exit status: 0 when something matched, 1 when nothing did, 2 on error.
    Search(SearchArgs),
    /// Show what gongwen understands of one file (fields, headings, sections)
    /// without touching any index.
    Parse(ParseArgs),
    /// Copy notices into the corpus folder and update the index in one step.
    Add(AddArgs),
    /// What the index holds: notices, sections, agencies, years, size.
    Stats(StatsArgs),
    /// One notice as the index holds it: fields and heading tree.
    Show(ShowArgs),
    /// How a text is segmented and indexed, and which terms a query becomes.
    Analyze(AnalyzeArgs),
    /// Verify the index: every file's checksum, the query dictionary, the
    /// manifest and stamp against the documents.
    ///
    /// Exit status: 0 when healthy, 2 when damaged (the repair command is shown).
    Check(CheckArgs),
    /// Serve a web page and a JSON API for searching the index, on this
    /// machine only unless told otherwise.
    ///
    /// Prints the URL. The pages: `/` (search, with the state in the URL)
    /// and `/notices/ID`. The API: `/api/search` (the object `search --json`
    /// prints; parameters q, agency, from, to, path, sort, limit ≤ 100,
    /// offset, count_by), `/api/search.csv`, `/api/notices/ID`,
    /// `/api/stats`, `/api/health`. When `index` or `add` rewrites the
    /// index, answers come from the new one within a second. Ctrl-C stops.
    Serve(ServeArgs),
    /// Hand the index to Elasticsearch or OpenSearch: the `_bulk` body of
    /// its sections, or the index template that analyses them as gongwen does.
    ///
    /// es-bulk writes two lines per section (an `index` action with a stable
    /// `_id`, then the document: notice_id, title, agency, date, heading path,
    /// issue label, text, and gongwen's own words in title_words,
    /// heading_words and text_words), read straight from the index in
    /// batches, never all at once. es-template writes the `_index_template` body
    /// those documents need (no index is read). Then, template first:
    ///
    /// curl -XPUT localhost:9200/_index_template/gongwen -H 'Content-Type:
    /// application/json' --data-binary @template.json
    ///
    /// curl -XPOST localhost:9200/_bulk -H 'Content-Type:
    /// application/x-ndjson' --data-binary @sections.ndjson
    ///
    /// A large export goes in parts (split -l 10000: an even number of
    /// lines); the README's "Outgrowing one machine" has the whole recipe.
    Export(ExportArgs),
    /// Print a shell completion script to standard output.
    Completions(CompletionsArgs),
    /// Print a man page (roff) to standard output: gongwen(1), or
    /// gongwen-COMMAND(1) for one command and its options.
    Man(ManArgs),
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// The index to serve [env: GONGWEN_INDEX; default: ./index]; it may
    /// not exist yet (answers are 503 until `gongwen index` builds it).
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// The corpus folder the original files are read from [default: the
    /// folder the index was built from].
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// The address to listen on. Anything but a loopback address lets
    /// everyone who can reach it read the corpus.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    host: String,
    /// The port to listen on (0: a free port, printed with the URL).
    #[arg(long, value_name = "N", default_value_t = 8080)]
    port: u16,
    /// Open the page in the browser.
    #[arg(long)]
    open: bool,
}

/// `export --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// Elasticsearch/OpenSearch `_bulk` NDJSON, one document per section.
    EsBulk,
    /// The `_index_template` body for those documents.
    EsTemplate,
}

#[derive(Args, Debug)]
struct ExportArgs {
    /// What to write.
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: ExportFormat,
    /// The index to export [env: GONGWEN_INDEX; default: ./index]
    /// (es-bulk).
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// The Elasticsearch/OpenSearch index: each action's `_index`
    /// (es-bulk); the template applies to NAME and NAME-* (es-template)
    /// [default: gongwen]
    #[arg(long, value_name = "NAME")]
    index_name: Option<String>,
    /// Write to FILE instead of standard output; FILE is replaced only
    /// once the export is complete.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Also map text.ik and title.ik with the IK plugin's analyzers
    /// (ik_max_word to index, ik_smart to search) (es-template; every node
    /// of the cluster needs the plugin).
    #[arg(long)]
    ik: bool,
    /// Print the summary as one JSON object (with --out).
    #[arg(long, requires = "out")]
    json: bool,
    /// No summary (on standard error when the export goes to standard output).
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args, Debug)]
struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
struct ManArgs {
    /// The command whose page to print (default: gongwen's own page).
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// The index [env: GONGWEN_INDEX; default: ./index]
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct AddArgs {
    /// Folder of notices to copy into [env: GONGWEN_CORPUS; default: ./corpus]
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// The index to update [env: GONGWEN_INDEX; default: ./index]
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Replace a different file of the same name already in the corpus.
    #[arg(long)]
    force: bool,
    /// Read PDFs without a text layer by OCR (see `index --ocr`).
    #[arg(long)]
    ocr: bool,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    /// No progress bar and no warnings for skipped files.
    #[arg(long, short)]
    quiet: bool,
    /// Notice files, or folders of them (copied with their folder name).
    #[arg(value_name = "FILE|DIR", required = true)]
    paths: Vec<PathBuf>,
}

#[derive(Args, Debug)]
struct StatsArgs {
    /// The index [env: GONGWEN_INDEX; default: ./index]
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Print as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct ShowArgs {
    /// The index [env: GONGWEN_INDEX; default: ./index]
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Print as one JSON object.
    #[arg(long)]
    json: bool,
    /// Print the notice's text, section by section.
    #[arg(long)]
    text: bool,
    /// Print one section (and its subsections): its number as `--text`
    /// shows it, or words of its heading.
    #[arg(long, value_name = "HEADING|N")]
    section: Option<String>,
    /// The notice's id as search prints it (with or without its extension),
    /// its file name when unique, or a path to the file.
    #[arg(value_name = "ID|PATH")]
    which: String,
}

#[derive(Args, Debug)]
struct AnalyzeArgs {
    /// Cut query words with this index's dictionary, exactly as `search`
    /// does [env: GONGWEN_INDEX; default: ./index when it exists, else jieba]
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Print as one JSON object.
    #[arg(long)]
    json: bool,
    /// The text or query to analyse.
    #[arg(value_name = "TEXT", required = true, allow_hyphen_values = true)]
    text: Vec<String>,
}

#[derive(Args, Debug)]
struct IndexArgs {
    /// Folder of notices [env: GONGWEN_CORPUS; default: ./corpus]
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Where the index lives [env: GONGWEN_INDEX; default: ./index]
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Rebuild from scratch, discarding the existing index.
    #[arg(long)]
    rebuild: bool,
    /// Read PDFs without a text layer (scans) by OCR: needs Tesseract with
    /// its simplified-Chinese model and poppler's pdftocairo (Debian:
    /// tesseract-ocr tesseract-ocr-chi-sim poppler-utils).
    #[arg(long)]
    ocr: bool,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    /// No progress bar and no warnings for skipped files (the summary still
    /// counts them).
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Sort {
    /// Best match first.
    Relevance,
    /// Newest first.
    Date,
}

#[derive(Args, Debug)]
struct SearchArgs {
    /// The index to search [env: GONGWEN_INDEX; default: ./index, built from
    /// ./corpus on first use]
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Keep notices whose issuing body contains TEXT (repeatable; any may match).
    #[arg(long, value_name = "TEXT")]
    agency: Vec<String>,
    /// Keep notices dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Keep notices dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Number of notices to show [default: 10; every match with
    /// --files-with-matches or --csv].
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Skip the first N notices (paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    offset: usize,
    /// Result order.
    #[arg(long, value_enum, default_value_t = Sort::Relevance)]
    sort: Sort,
    /// Print results as one JSON object.
    #[arg(long, group = "format")]
    json: bool,
    /// Keep notices under this folder (or file) of the corpus, e.g. a source
    /// folder; repeatable (any may match). Same as `path:` in the query.
    #[arg(long, value_name = "PREFIX")]
    path: Vec<String>,
    /// Count the matching notices by agency, year, month, folder,
    /// top-folder or issue (problem label); comma-separated or repeated.
    #[arg(long, value_name = "FACETS")]
    count_by: Vec<String>,
    /// Print only the number of matching notices.
    #[arg(long, group = "format")]
    count: bool,
    /// Print only the paths of the matching notices, one per line.
    #[arg(long, short = 'l', group = "format")]
    files_with_matches: bool,
    /// Print one CSV row per notice (rank, id, path, title, agency, date,
    /// document number, heading path of the best section), for a spreadsheet.
    #[arg(long, group = "format")]
    csv: bool,
    /// What to search for (see the syntax above). May be empty when a filter
    /// is given: then every notice that passes the filter is listed, newest first.
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
}

#[derive(Args, Debug)]
struct ParseArgs {
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Read a PDF without a text layer by OCR (see `index --ocr`).
    #[arg(long)]
    ocr: bool,
    /// The file to parse.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

/// Global options that take a value (they may come before the command).
const GLOBAL_VALUE_FLAGS: &[&str] = &["--color"];

/// `search` options that take a value, the global ones included.
const SEARCH_VALUE_FLAGS: &[&str] = &[
    "--index",
    "--agency",
    "--from",
    "--to",
    "--limit",
    "--offset",
    "--sort",
    "--color",
    "--path",
    "--count-by",
];

/// Where the command name is: after the program name and any global
/// options (`gongwen --color never search …`).
fn command_position(args: &[OsString]) -> usize {
    let mut i = 1;
    while let Some(a) = args.get(i).and_then(|a| a.to_str()) {
        if GLOBAL_VALUE_FLAGS.contains(&a) {
            i += 2;
        } else if a
            .split_once('=')
            .is_some_and(|(name, _)| GLOBAL_VALUE_FLAGS.contains(&name))
        {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Put `search`'s options before its query words, so that options may follow
/// the query (`gongwen search 差旅费 --json`) and an exclusion such as
/// `-差旅费` is a query word rather than an unknown flag. An unknown option
/// spelt in ASCII (`--jsn`, `-x`) stays an option, so clap reports it.
pub fn reorder_search_args(args: Vec<OsString>) -> Vec<OsString> {
    let at = command_position(&args);
    if args.get(at).and_then(|a| a.to_str()) != Some("search") {
        return args;
    }
    let mut it = args.into_iter();
    let mut opts: Vec<OsString> = it.by_ref().take(at + 1).collect();
    let mut words: Vec<OsString> = Vec::new();
    while let Some(a) = it.next() {
        let Some(s) = a.to_str() else {
            words.push(a);
            continue;
        };
        if s == "--" {
            words.extend(it.by_ref());
            break;
        }
        let name = s.split('=').next().unwrap_or(s);
        let ascii_option = s.len() > 1
            && s.starts_with('-')
            && s[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '-');
        if SEARCH_VALUE_FLAGS.contains(&s) {
            opts.push(a);
            if let Some(v) = it.next() {
                opts.push(v);
            }
        } else if ascii_option || (SEARCH_VALUE_FLAGS.contains(&name) && s.contains('=')) {
            opts.push(a);
        } else {
            words.push(a);
        }
    }
    if !words.is_empty() {
        opts.push(OsString::from("--"));
        opts.extend(words);
    }
    opts
}

/// The printer for `--json` or not; `color` is the resolved `--color`.
fn printer(json: bool, color: bool) -> Printer {
    if json {
        Printer::Json
    } else {
        Printer::Human { color }
    }
}

/// The `--color` a command line asks for, read without clap: clap did not
/// parse it (it found an error, or `--help`), and help must honour it too.
/// Arguments after `--` are query words.
fn color_asked(args: &[OsString]) -> Color {
    let mut color = Color::Auto;
    let mut it = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        let value = match a {
            "--" => break,
            "--color" => it.next(),
            _ => a.strip_prefix("--color="),
        };
        if let Some(c) = value.and_then(|v| Color::from_str(v, false).ok()) {
            color = c;
        }
    }
    color
}

/// Report a command line clap did not run; returns the exit code. `--help`
/// and `--version` go to standard output (exit 0). An argument error is
/// `gongwen: …` like every other error, with clap's tip and usage lines
/// after it (exit 2); clap quotes the arguments as typed, so every line is
/// written terminal-safe. `gongwen` alone shows the help on standard error.
pub fn refused(err: &clap::Error, args: &[OsString]) -> i32 {
    use clap::error::ErrorKind;
    let text = err.render();
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = if color_asked(args).for_stdout() {
                text.ansi().to_string()
            } else {
                text.to_string()
            };
            // A closed pipe (`gongwen --help | head`) is not an error.
            let _ = io::stdout().lock().write_all(text.as_bytes());
            FOUND
        }
        kind => {
            let text = text.to_string();
            let mut lines = text.strip_prefix("error: ").unwrap_or(&text).lines();
            let mut out = if kind == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                message_line("a command is required") + "\n\n"
            } else {
                message_line(lines.next().unwrap_or("invalid arguments")) + "\n"
            };
            for line in lines {
                out.push_str(&terminal_safe(line));
                out.push('\n');
            }
            let _ = io::stderr().lock().write_all(out.as_bytes());
            ERROR
        }
    }
}

/// `gongwen: MSG`, terminal-safe: messages quote file names, queries and
/// notice text, any of which can hold escape sequences or a newline that
/// would forge a line of its own.
fn message_line(msg: &str) -> String {
    format!("gongwen: {}", terminal_safe(msg))
}

/// Write `gongwen: MSG` to standard error. A warning that cannot be written
/// (stderr closed or on a full disk) is dropped: it must never stop the work
/// it reports on, as the panic of `eprintln!` would.
pub fn warn(msg: &str) {
    let line = message_line(msg) + "\n";
    let _ = io::stderr().lock().write_all(line.as_bytes());
}

/// Write a command's result to standard output. Unlike warnings, a failure
/// here is an error (exit 2: the user did not get the result); a closed pipe
/// keeps its kind so `main` can treat it as success.
fn emit(print: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let mut out = io::stdout().lock();
    print(&mut out)
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

/// Run the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let color = cli.color.for_stdout();
    match cli.command {
        Command::Index(a) => run_index(a, color),
        Command::Search(a) => run_search(a, color),
        Command::Parse(a) => run_parse(a, color),
        Command::Add(a) => run_add(a, color),
        Command::Stats(a) => run_stats(a, color),
        Command::Show(a) => run_show(a, color),
        Command::Analyze(a) => run_analyze(a, color),
        Command::Check(a) => run_check(a, color),
        Command::Serve(a) => run_serve(a),
        Command::Export(a) => run_export(a, color),
        Command::Completions(a) => run_completions(a),
        Command::Man(a) => run_man(a),
    }
}

/// How long operations report on the terminal: a progress bar on stderr
/// when it is a terminal, skipped files and notes as `gongwen: …` lines
/// (above the bar), nothing but warnings under `--quiet`.
struct Terminal {
    quiet: bool,
    /// Informational notes are printed (not under `--quiet` or `--json`).
    notes: bool,
    bar: Option<indicatif::ProgressBar>,
}

/// The bar while files are written.
const FILES_TEMPLATE: &str =
    "{spinner} indexing [{bar:40}] {pos}/{len} files {elapsed} (eta {eta})";
/// A spinner naming the phase, for the phases without a file count.
const PHASE_TEMPLATE: &str = "{spinner} {msg} {elapsed}";

fn bar_style(template: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ")
}

impl Terminal {
    fn new(quiet: bool, notes: bool) -> Self {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let b = indicatif::ProgressBar::new(0);
            b.set_style(bar_style(FILES_TEMPLATE));
            b
        });
        Terminal { quiet, notes, bar }
    }

    fn line(&self, msg: &str) {
        match &self.bar {
            Some(b) => b.println(message_line(msg)),
            None => warn(msg),
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl app::Observer for Terminal {
    fn note(&mut self, message: &str) {
        if self.notes {
            self.line(message);
        }
    }
    fn warn(&mut self, message: &str) {
        // Said even under --quiet: the user should know the index broke.
        self.line(message);
    }
    fn skipped(&mut self, s: &index::Skipped) {
        if !self.quiet {
            self.line(&format!("skipped {}: {}", s.path, s.reason));
        }
    }
    fn progress(&mut self, done: usize, total: usize) {
        if let Some(b) = &self.bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    }
    fn phase(&mut self, phase: index::Phase) {
        use index::Phase;
        let Some(b) = &self.bar else {
            return;
        };
        let doing = match phase {
            Phase::Writing => {
                b.set_style(bar_style(FILES_TEMPLATE));
                None
            }
            Phase::Reading => Some("reading the corpus"),
            Phase::Committing => Some("committing"),
            Phase::Merging => Some("merging segments"),
            Phase::Finishing => Some("writing the query dictionary and checksums"),
        };
        if let Some(doing) = doing {
            b.set_style(bar_style(PHASE_TEMPLATE));
            b.set_message(format!("{doing}…"));
        }
        // The build blocks for seconds inside a phase without a word to us
        // (tantivy's commit and merges above all): only a steady tick keeps
        // the spinner and the clock moving and draws the last file count.
        b.enable_steady_tick(std::time::Duration::from_millis(120));
    }
}

/// A library error with the command line's names: a parameter is the flag
/// of the same name, and a file already in the corpus says how to replace it.
fn cli_error(e: LibError) -> anyhow::Error {
    match e {
        LibError::Param {
            param,
            value,
            reason,
        } => anyhow::anyhow!("invalid --{param} {value:?}: {reason}"),
        e @ LibError::AddConflict { .. } => anyhow::anyhow!("{e}; use --force to replace it"),
        e => e.into(),
    }
}

fn run_index(a: IndexArgs, color: bool) -> Result<i32> {
    let p = app::IndexParams {
        corpus: a.corpus,
        index: a.index,
        rebuild: a.rebuild,
        ocr: a.ocr,
    };
    let report = {
        let mut term = Terminal::new(a.quiet, !a.quiet);
        app::index(&p, &mut term).map_err(cli_error)
    };
    let report = report.with_context(|| {
        format!(
            "indexing {} into {}",
            app::corpus_dir(p.corpus.clone()).display(),
            app::index_dir(p.index.clone()).display()
        )
    })?;
    emit(|out| printer(a.json, color).build_report(out, &report))?;
    Ok(FOUND)
}

fn run_search(a: SearchArgs, color: bool) -> Result<i32> {
    let mut p = app::search::SearchParams {
        q: a.query.join(" "),
        agency: a.agency,
        from: a.from,
        to: a.to,
        sort: match a.sort {
            Sort::Relevance => app::search::Sort::Relevance,
            Sort::Date => app::search::Sort::Date,
        },
        limit: a.limit,
        offset: a.offset,
        no_snippets: false,
        path: a.path,
        count_by: a.count_by,
    };
    if a.files_with_matches || a.csv {
        p = p.whole_list();
    } else if a.count {
        // a count needs no page at all
        p.limit = Some(0);
        p.no_snippets = true;
    }
    // Bad parameters are reported before any first-use build.
    p.request().map_err(cli_error)?;
    let handle = {
        let mut term = Terminal::new(false, true);
        let open = app::OpenParams {
            index: a.index,
            corpus: None,
        };
        app::open(&open, &mut term).map_err(cli_error)?
    };
    let results = app::search::search(&handle, &p).map_err(cli_error)?;
    for w in &results.warnings {
        warn(&format!("warning: {w}"));
    }
    emit(|out| {
        if a.count {
            // like `grep -c`: the count, zero included (and the tables
            // of --count-by)
            writeln!(out, "{}", results.total)?;
            printer(false, color).facets(out, &results)
        } else if a.files_with_matches {
            output::paths(out, &results)
        } else if a.csv {
            output::csv(out, &results)
        } else {
            printer(a.json, color).search(out, &results)
        }
    })?;
    if results.total == 0 && !a.json && !a.count {
        warn(&output::nothing_found(&results));
    }
    // The process ends next: unmapping every index file one by one costs more
    // than the search itself on a large index, and the OS frees it anyway.
    std::mem::forget(handle);
    Ok(if results.total > 0 { FOUND } else { NOT_FOUND })
}

/// A crawler export prints one notice per record: with `--json` one JSON
/// object per line (JSON Lines), otherwise separated by blank lines. Broken
/// records are warned about on stderr; an export without a single readable
/// record is an error.
fn run_parse(a: ParseArgs, color: bool) -> Result<i32> {
    let name = a.file.display().to_string();
    let parsed = notice::parse_file_with(&a.file, &name, notice::ReadOptions { ocr: a.ocr })
        .with_context(|| format!("cannot parse {name}"))?;
    for s in &parsed.skipped {
        warn(&format!("skipped {}: {}", s.path, s.reason));
    }
    if parsed.notices.is_empty() {
        anyhow::bail!("cannot parse {name}: no record holds a notice");
    }
    let p = printer(a.json, color);
    emit(|out| {
        for (i, n) in parsed.notices.iter().enumerate() {
            if i > 0 && p != Printer::Json {
                writeln!(out)?;
            }
            p.notice(out, n)?;
        }
        Ok(())
    })?;
    Ok(FOUND)
}

fn run_add(a: AddArgs, color: bool) -> Result<i32> {
    let p = app::add::AddParams {
        paths: a.paths,
        corpus: a.corpus,
        index: a.index,
        force: a.force,
        ocr: a.ocr,
    };
    let report = {
        let mut term = Terminal::new(a.quiet, !a.quiet && !a.json);
        app::add::add(&p, &mut term).map_err(cli_error)?
    };
    emit(|out| printer(a.json, color).build_report(out, &report.build))?;
    Ok(FOUND)
}

fn run_stats(a: StatsArgs, color: bool) -> Result<i32> {
    let stats = app::inspect::stats(&app::inspect::IndexLocation { index: a.index })?;
    emit(|out| printer(a.json, color).stats(out, &stats))?;
    Ok(FOUND)
}

fn run_show(a: ShowArgs, color: bool) -> Result<i32> {
    let handle = app::inspect::IndexLocation { index: a.index }.open()?;
    let view = app::inspect::show(
        &handle,
        &app::inspect::ShowParams {
            which: a.which,
            text: a.text,
            section: a.section,
        },
    )
    .map_err(cli_error)?;
    emit(|out| printer(a.json, color).notice_view(out, &view))?;
    Ok(FOUND)
}

fn run_check(a: CheckArgs, color: bool) -> Result<i32> {
    let report = app::inspect::check(&app::inspect::IndexLocation { index: a.index })?;
    emit(|out| printer(a.json, color).check_report(out, &report))?;
    Ok(if report.healthy { FOUND } else { ERROR })
}

fn run_analyze(a: AnalyzeArgs, color: bool) -> Result<i32> {
    let dir = app::index_dir(a.index);
    // No index means jieba's own cut; a damaged one is an error, not a
    // silently different cut.
    let handle = match IndexHandle::open(&dir) {
        Ok(h) => Some(h),
        Err(e @ LibError::Damaged { .. }) => return Err(e.into()),
        Err(_) => None,
    };
    let analysis = gongwen::search::explain::analyze(&a.text.join(" "), handle.as_ref());
    emit(|out| printer(a.json, color).analysis(out, &analysis))?;
    Ok(FOUND)
}

fn run_export(a: ExportArgs, color: bool) -> Result<i32> {
    let p = app::export::ExportParams {
        index: a.index,
        format: match a.format {
            ExportFormat::EsBulk => app::export::Format::EsBulk,
            ExportFormat::EsTemplate => app::export::Format::EsTemplate,
        },
        index_name: a.index_name,
        ik: a.ik,
    };
    match &a.out {
        Some(out) => {
            let report = app::export::export_to_file(&p, out).map_err(cli_error)?;
            if !a.quiet || a.json {
                emit(|w| printer(a.json, color).export_report(w, &report))?;
            }
        }
        None => {
            let report = {
                let mut out = io::stdout().lock();
                app::export::export(&p, &mut out).map_err(cli_error)?
            };
            if !a.quiet {
                // standard output holds the export: the summary goes beside it
                let mut line = Vec::new();
                Printer::Human { color: false }.export_report(&mut line, &report)?;
                warn(String::from_utf8_lossy(&line).trim_end());
            }
        }
    }
    Ok(FOUND)
}

fn run_serve(a: ServeArgs) -> Result<i32> {
    crate::serve::run(
        crate::serve::Config {
            host: a.host,
            port: a.port,
            index: app::index_dir(a.index),
            corpus: a.corpus,
            open: a.open,
        },
        warn,
    )?;
    Ok(FOUND)
}

fn run_completions(a: CompletionsArgs) -> Result<i32> {
    use clap::CommandFactory;
    // clap_complete panics when a write fails (`| head`): write to memory.
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "gongwen", &mut script);
    emit(|out| out.write_all(&script))?;
    Ok(FOUND)
}

fn run_man(a: ManArgs) -> Result<i32> {
    use clap::CommandFactory;
    let mut cli = Cli::command();
    // Building names each command's page (`gongwen-search`) and its usage.
    cli.build();
    let page = match &a.command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(c) => c.clone(),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                anyhow::bail!("no command {name:?} (the commands: {})", names.join(", "));
            }
        },
    };
    let page = clap_mangen::Man::new(page).source(concat!("gongwen ", env!("CARGO_PKG_VERSION")));
    emit(|out| page.render(out))?;
    Ok(FOUND)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(args: &[&str]) -> Vec<String> {
        reorder_search_args(args.iter().map(OsString::from).collect())
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn options_after_the_query_and_exclusions() {
        assert_eq!(
            re(&["gw", "search", "巡察", "-差旅费", "--json", "--limit", "3"]),
            vec![
                "gw",
                "search",
                "--json",
                "--limit",
                "3",
                "--",
                "巡察",
                "-差旅费"
            ]
        );
        assert_eq!(
            re(&["gw", "search", "--from=2024", "a", "--", "--json"]),
            vec!["gw", "search", "--from=2024", "--", "a", "--json"]
        );
        assert_eq!(
            re(&["gw", "search", "--jsn", "x"]),
            vec!["gw", "search", "--jsn", "--", "x"]
        );
        assert_eq!(
            re(&["gw", "index", "--json"]),
            vec!["gw", "index", "--json"]
        );
    }

    #[test]
    fn issue12_value_flags_anywhere_and_global_options_before_the_command() {
        let sorted = ["gw", "search", "--sort", "date", "--", "巡察"];
        assert_eq!(re(&["gw", "search", "巡察", "--sort", "date"]), sorted);
        assert_eq!(re(&["gw", "search", "--sort", "date", "巡察"]), sorted);
        assert_eq!(
            re(&["gw", "search", "巡察", "--sort=date", "整改"]),
            ["gw", "search", "--sort=date", "--", "巡察", "整改"]
        );
        assert_eq!(
            re(&[
                "gw", "search", "巡察", "--agency", "纪委", "--color", "never"
            ]),
            [
                "gw", "search", "--agency", "纪委", "--color", "never", "--", "巡察"
            ]
        );
        assert_eq!(
            re(&["gw", "--color", "never", "search", "-差旅费", "--json"]),
            [
                "gw",
                "--color",
                "never",
                "search",
                "--json",
                "--",
                "-差旅费"
            ]
        );
        assert_eq!(
            re(&["gw", "--color=always", "search", "巡察", "--json"]),
            ["gw", "--color=always", "search", "--json", "--", "巡察"]
        );
        // -n is no longer --limit: it stays an option (clap refuses it) and
        // its number becomes a word.
        assert_eq!(
            re(&["gw", "search", "巡察", "-n", "3"]),
            ["gw", "search", "-n", "--", "巡察", "3"]
        );
    }

    #[test]
    fn issue12_color_auto_needs_a_terminal_and_no_no_color_or_dumb_term() {
        let env = |no_color: Option<&'static str>, term: Option<&'static str>| {
            move |name: &str| match name {
                "NO_COLOR" => no_color.map(OsString::from),
                "TERM" => term.map(OsString::from),
                _ => None,
            }
        };
        let xterm = Some("xterm-256color");
        assert!(Color::Auto.enabled(true, env(None, xterm)));
        assert!(
            Color::Auto.enabled(true, env(Some(""), xterm)),
            "empty NO_COLOR"
        );
        assert!(Color::Auto.enabled(true, env(None, None)), "no TERM");
        assert!(!Color::Auto.enabled(false, env(None, xterm)), "a pipe");
        assert!(!Color::Auto.enabled(true, env(Some("1"), xterm)));
        assert!(!Color::Auto.enabled(true, env(None, Some("dumb"))));
        // an explicit choice wins over the environment and the pipe
        assert!(Color::Always.enabled(false, env(Some("1"), Some("dumb"))));
        assert!(!Color::Never.enabled(true, env(None, xterm)));
    }

    #[test]
    fn issue12_color_is_found_before_clap_parses() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(color_asked(&args(&["gw", "--help"])), Color::Auto);
        assert_eq!(
            color_asked(&args(&["gw", "--color", "always", "search", "--help"])),
            Color::Always
        );
        assert_eq!(
            color_asked(&args(&["gw", "search", "--color=never", "--help"])),
            Color::Never
        );
        assert_eq!(
            color_asked(&args(&["gw", "search", "--", "--color=never"])),
            Color::Auto
        );
    }
}
