//! Command-line interface: clap arguments (their doc comments are the help),
//! resolved once into typed requests, and `run`, which returns the exit code.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use gongwen::error::Error as LibError;
use gongwen::index::{self, IndexHandle};
use gongwen::notice;
use gongwen::output::{Printer, terminal_safe};
use gongwen::search::{self, SearchRequest, SortOrder};

/// Exit code: something was found (or the command succeeded).
pub const FOUND: i32 = 0;
/// Exit code: the search matched nothing.
pub const NOT_FOUND: i32 = 1;
/// Exit code: an error.
pub const ERROR: i32 = 2;

const DEFAULT_CORPUS: &str = "corpus";
const DEFAULT_INDEX: &str = "index";

/// gongwen (公文): search Chinese government notices — ranked, filtered by
/// agency and date, pointing at the issue heading that matches.
#[derive(Parser, Debug)]
#[command(name = "gongwen", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// The notice's id or path (a file name is enough when it is unique).
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
    /// Number of notices to show.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    limit: usize,
    /// Skip the first N notices (paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    offset: usize,
    /// Result order.
    #[arg(long, value_enum, default_value_t = Sort::Relevance)]
    sort: Sort,
    /// Print results as one JSON object.
    #[arg(long)]
    json: bool,
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
    /// The file to parse.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

/// `search` options that take a value.
const SEARCH_VALUE_FLAGS: &[&str] = &[
    "--index", "--agency", "--from", "--to", "--limit", "-n", "--offset", "--sort",
];

/// Put `search`'s options before its query words, so that options may follow
/// the query (`gongwen search 差旅费 --json`) and an exclusion such as
/// `-差旅费` is a query word rather than an unknown flag. An unknown option
/// spelt in ASCII (`--jsn`, `-x`) stays an option, so clap reports it.
pub fn reorder_search_args(args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).and_then(|a| a.to_str()) != Some("search") {
        return args;
    }
    let mut it = args.into_iter();
    let mut opts: Vec<OsString> = it.by_ref().take(2).collect();
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

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn printer(json: bool) -> Printer {
    if json {
        Printer::Json
    } else {
        let color = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Printer::Human { color }
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
    match cli.command {
        Command::Index(a) => run_index(a),
        Command::Search(a) => run_search(a),
        Command::Parse(a) => run_parse(a),
        Command::Add(a) => run_add(a),
        Command::Stats(a) => run_stats(a),
        Command::Show(a) => run_show(a),
        Command::Analyze(a) => run_analyze(a),
        Command::Check(a) => run_check(a),
    }
}

fn build_index(
    corpus: &Path,
    index_dir: &Path,
    rebuild: bool,
    quiet: bool,
) -> Result<index::BuildReport> {
    build_index_locked(corpus, index_dir, rebuild, quiet, None)
}

fn build_index_locked(
    corpus: &Path,
    index_dir: &Path,
    rebuild: bool,
    quiet: bool,
    lock: Option<index::WriterLock>,
) -> Result<index::BuildReport> {
    let bar = (!quiet && io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} indexing [{bar:40}] {pos}/{len} files {elapsed} (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    });
    let mut on_skip = |s: &index::Skipped| {
        if !quiet {
            let msg = format!("skipped {}: {}", s.path, s.reason);
            match &bar {
                Some(b) => b.println(message_line(&msg)),
                None => warn(&msg),
            }
        }
    };
    let mut on_progress = |done: usize, total: usize| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let report = index::build_with(
        corpus,
        index_dir,
        index::BuildOptions {
            rebuild,
            on_skip: &mut on_skip,
            on_progress: &mut on_progress,
            lock,
        },
    )
    .with_context(|| format!("indexing {} into {}", corpus.display(), index_dir.display()));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Ok(r) = &report
        && let Some(why) = &r.damaged
    {
        // Said even under --quiet: the user should know the index broke.
        warn(&format!(
            "the index at {} was damaged ({why}): rebuilt it from {}",
            index_dir.display(),
            corpus.display()
        ));
    }
    report
}

fn corpus_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.or_else(|| env_path("GONGWEN_CORPUS"))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS))
}

fn index_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.or_else(|| env_path("GONGWEN_INDEX"))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
}

fn run_index(a: IndexArgs) -> Result<i32> {
    let corpus = corpus_dir(a.corpus);
    let index_dir = index_dir(a.index);
    let report = build_index(&corpus, &index_dir, a.rebuild, a.quiet)?;
    emit(|out| printer(a.json).build_report(out, &report))?;
    Ok(FOUND)
}

/// Open the index for searching; the default location is built on first use
/// (and rebuilt when it was written by an incompatible gongwen).
fn open_for_search(explicit: Option<PathBuf>) -> Result<IndexHandle> {
    if let Some(dir) = explicit {
        return IndexHandle::open(&dir).map_err(anyhow::Error::from);
    }
    let dir = PathBuf::from(DEFAULT_INDEX);
    match IndexHandle::open(&dir) {
        Ok(h) => Ok(h),
        Err(e @ (LibError::NoIndex { .. } | LibError::IndexVersion { .. })) => {
            let corpus =
                env_path("GONGWEN_CORPUS").unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS));
            let why = match e {
                LibError::NoIndex { .. } => "no index yet",
                _ => "the index was built by an incompatible gongwen",
            };
            warn(&format!(
                "{why}: building {} from {} ...",
                dir.display(),
                corpus.display()
            ));
            let r = build_index(&corpus, &dir, true, false)?;
            warn(&format!(
                "indexed {} notices ({} sections) in {:.2} s",
                r.indexed, r.sections, r.seconds
            ));
            IndexHandle::open(&dir).map_err(anyhow::Error::from)
        }
        Err(e) => Err(e.into()),
    }
}

fn run_search(a: SearchArgs) -> Result<i32> {
    let from = a
        .from
        .as_deref()
        .map(|v| search::parse_date_bound(v, false, "--from"))
        .transpose()?;
    let to =
        a.to.as_deref()
            .map(|v| search::parse_date_bound(v, true, "--to"))
            .transpose()?;
    let req = SearchRequest {
        query: a.query.join(" "),
        agencies: a
            .agency
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect(),
        from,
        to,
        limit: a.limit,
        offset: a.offset,
        sort: match a.sort {
            Sort::Relevance => SortOrder::Relevance,
            Sort::Date => SortOrder::Date,
        },
    };
    let handle = open_for_search(a.index.or_else(|| env_path("GONGWEN_INDEX")))?;
    let results = search::search(&handle, &req)?;
    for w in &results.warnings {
        warn(&format!("warning: {w}"));
    }
    if results.total == 0 && !a.json {
        // Like grep: nothing on stdout, what happened on stderr.
        let mut what: String = req.query.chars().take(60).collect();
        if req.query.chars().nth(60).is_some() {
            what.push('…');
        }
        let hint = match results.suggestions.as_slice() {
            [] => String::new(),
            s => format!("; did you mean: {}?", s.join(", ")),
        };
        warn(&format!("nothing matched {}{hint}", what.trim()));
    } else {
        emit(|out| printer(a.json).search(out, &results))?;
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
fn run_parse(a: ParseArgs) -> Result<i32> {
    let name = a.file.display().to_string();
    let parsed =
        notice::parse_file(&a.file, &name).with_context(|| format!("cannot parse {name}"))?;
    for s in &parsed.skipped {
        warn(&format!("skipped {}: {}", s.path, s.reason));
    }
    if parsed.notices.is_empty() {
        anyhow::bail!("cannot parse {name}: no record holds a notice");
    }
    let p = printer(a.json);
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

/// Copy one notice file to `dest` inside the corpus `real_corpus`
/// (canonical): identical content is a no-op, different content under the
/// same name is refused unless `force`. Returns whether it copied.
fn copy_notice(src: &Path, dest: &Path, real_corpus: &Path, force: bool) -> Result<bool> {
    let bytes = notice::read_file(src).with_context(|| format!("cannot copy {}", src.display()))?;
    if dest.exists() {
        let old = notice::read_file(dest)
            .with_context(|| format!("cannot compare with {}", dest.display()))?;
        if old == bytes {
            return Ok(false);
        }
        if !force {
            anyhow::bail!(
                "{} already exists in the corpus with different content; use --force to replace it",
                dest.display()
            );
        }
    }
    let parent = dest
        .parent()
        .with_context(|| format!("{} has no folder", dest.display()))?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    // A folder of the corpus may be a link out of it: writing through it
    // would put the copy anywhere on the disk.
    let real_parent = parent
        .canonicalize()
        .with_context(|| format!("cannot create {}", parent.display()))?;
    if !real_parent.starts_with(real_corpus) {
        anyhow::bail!(
            "cannot copy to {}: {} leads out of the corpus (to {})",
            dest.display(),
            parent.display(),
            real_parent.display()
        );
    }
    // Write beside, then rename: a reader never sees half a file. The
    // temporary file gets a fresh name, created exclusively, so a link
    // planted under a predictable name cannot redirect the write.
    let mut tmp = tempfile::Builder::new()
        .prefix(".")
        .suffix(".gongwen-partial")
        .tempfile_in(parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    tmp.write_all(&bytes)
        .with_context(|| format!("cannot write {}", tmp.path().display()))?;
    // The copy is as readable as its source (a temporary file is private).
    if let Ok(md) = std::fs::metadata(src) {
        let _ = tmp.as_file().set_permissions(md.permissions());
    }
    tmp.persist(dest)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", dest.display()))?;
    Ok(true)
}

/// What kind of thing a path that is neither a file nor a folder is.
fn special_kind(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_fifo() {
            return "a named pipe";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    let _ = ft;
    "not a file or folder"
}

fn run_add(a: AddArgs) -> Result<i32> {
    let corpus = corpus_dir(a.corpus);
    let index_dir = index_dir(a.index);
    std::fs::create_dir_all(&corpus)
        .with_context(|| format!("cannot create the corpus folder {}", corpus.display()))?;
    let real_corpus = corpus
        .canonicalize()
        .with_context(|| format!("cannot read the corpus folder {}", corpus.display()))?;
    let quiet = a.quiet;
    let mut on_skip = |path: String, reason: String| {
        if !quiet {
            warn(&format!("skipped {path}: {reason}"));
        }
    };
    // Check every file first, so a refusal copies nothing.
    let mut plan: Vec<(PathBuf, PathBuf)> = Vec::new();
    for p in &a.paths {
        let md = std::fs::metadata(p).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => anyhow::anyhow!("{}: no such file or folder", p.display()),
            _ => anyhow::anyhow!("cannot read {}: {e}", p.display()),
        })?;
        let real = p
            .canonicalize()
            .with_context(|| format!("cannot read {}", p.display()))?;
        if real.starts_with(&real_corpus) {
            anyhow::bail!(
                "{} is the corpus folder {} or lies inside it: its notices are in the corpus already (`gongwen index` indexes them)",
                p.display(),
                corpus.display()
            );
        }
        if md.is_dir() && index::is_index_folder(p) {
            anyhow::bail!(
                "{} is a gongwen index folder, not a folder of notices",
                p.display()
            );
        }
        if md.is_dir() {
            let base = real.file_name().map(PathBuf::from).unwrap_or_default();
            // The corpus and the index may lie inside the folder (`add .`):
            // they are passed over, not copied into themselves.
            let walked = index::walk(
                p,
                "the folder being added",
                &[&corpus, &index_dir],
                &mut on_skip,
            );
            for f in walked.files {
                let rel = f.path.strip_prefix(p).unwrap_or(&f.path);
                plan.push((f.path.clone(), corpus.join(&base).join(rel)));
            }
        } else if md.is_file() {
            let name = p
                .file_name()
                .with_context(|| format!("{} has no file name", p.display()))?;
            if md.len() > notice::MAX_FILE_BYTES {
                anyhow::bail!("{}: {}", p.display(), notice::SkipReason::TooLarge);
            }
            plan.push((p.clone(), corpus.join(name)));
        } else {
            // Never read: a device or a pipe may never end or never answer.
            anyhow::bail!(
                "{}: not a regular file ({}); only notice files and folders of them can be added",
                p.display(),
                special_kind(md.file_type())
            );
        }
    }
    for (src, dest) in &plan {
        if dest.exists() && !a.force {
            let same = notice::read_file(src).ok() == notice::read_file(dest).ok();
            if !same {
                anyhow::bail!(
                    "{} already exists in the corpus with different content; use --force to replace it",
                    dest.display()
                );
            }
        }
    }
    // Take the writers' lock before touching the corpus: a refused add
    // copies nothing.
    let lock = index::lock_writer(&index_dir)?;
    let mut copied = 0;
    for (src, dest) in &plan {
        if copy_notice(src, dest, &real_corpus, a.force)? {
            copied += 1;
        }
    }
    if !a.quiet && !a.json {
        warn(&format!(
            "copied {copied} of {} file{} into {}",
            plan.len(),
            if plan.len() == 1 { "" } else { "s" },
            corpus.display()
        ));
    }
    let report = build_index_locked(&corpus, &index_dir, false, a.quiet, Some(lock))?;
    emit(|out| printer(a.json).build_report(out, &report))?;
    Ok(FOUND)
}

fn run_stats(a: StatsArgs) -> Result<i32> {
    let handle = IndexHandle::open(&index_dir(a.index))?;
    let stats = index::inspect::stats(&handle)?;
    emit(|out| printer(a.json).stats(out, &stats))?;
    Ok(FOUND)
}

fn run_show(a: ShowArgs) -> Result<i32> {
    let handle = IndexHandle::open(&index_dir(a.index))?;
    let view = index::inspect::show(&handle, &a.which)?;
    emit(|out| printer(a.json).notice_view(out, &view))?;
    Ok(FOUND)
}

fn run_check(a: CheckArgs) -> Result<i32> {
    let report = index::check::check(&index_dir(a.index))?;
    emit(|out| printer(a.json).check_report(out, &report))?;
    Ok(if report.healthy { FOUND } else { ERROR })
}

fn run_analyze(a: AnalyzeArgs) -> Result<i32> {
    let dir = index_dir(a.index);
    // No index means jieba's own cut; a damaged one is an error, not a
    // silently different cut.
    let handle = match IndexHandle::open(&dir) {
        Ok(h) => Some(h),
        Err(e @ LibError::Damaged { .. }) => return Err(e.into()),
        Err(_) => None,
    };
    let analysis = gongwen::search::explain::analyze(&a.text.join(" "), handle.as_ref());
    emit(|out| printer(a.json).analysis(out, &analysis))?;
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
}
