//! Printing results: one [`Printer`] chosen once, human-readable (with or
//! without colour: the command line decides) or JSON. Nothing else prints.
//!
//! Human output is terminal-safe: every piece of text that comes from a
//! notice, a crawler export, a file name or the user goes through
//! [`terminal_safe`] before it is written, and our own colour codes are added
//! afterwards. A notice can carry escape sequences (window title, clipboard,
//! hyperlinks, screen clearing), bidi overrides that reorder what is shown, or
//! a newline that forges a whole output line; printed raw, they act on the
//! reader's terminal. JSON output is exact: serde escapes control characters
//! inside JSON strings, and the bidi and invisible characters are data a
//! program may need.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::app::export::ExportReport;
use crate::index::BuildReport;
use crate::index::check::CheckReport;
use crate::index::inspect::{NoticeView, Stats};
use crate::notice::{Heading, Notice, NoticeHead};
use crate::search::SearchResults;
use crate::search::explain::{Analysis, AtomPlan};

/// How results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printer {
    /// Text for people; `color` enables ANSI highlighting.
    Human {
        /// Use ANSI colours.
        color: bool,
    },
    /// One JSON object per command.
    Json,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;31m";
const HEAD: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// True for a character that must not reach a terminal raw: C0 controls
/// (newline and tab included: a field must stay on its line), DEL, C1
/// controls, bidi embeddings, overrides, isolates and marks (they reorder
/// what is shown around them), line and paragraph separators, and the
/// invisible format characters that can hide or disguise text.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{ad}'             // soft hyphen
            | '\u{34f}'            // combining grapheme joiner
            | '\u{61c}'            // Arabic letter mark
            | '\u{115f}'..='\u{1160}' // Hangul fillers (blank letters)
            | '\u{17b4}'..='\u{17b5}' // invisible Khmer vowels
            | '\u{180e}'           // Mongolian vowel separator
            | '\u{200b}'..='\u{200f}' // zero-width space/joiners, LRM, RLM
            | '\u{2028}'..='\u{202e}' // line/paragraph separators, bidi embeddings and overrides
            | '\u{2060}'..='\u{206f}' // word joiner, invisible operators, bidi isolates
            | '\u{3164}'           // Hangul filler
            | '\u{feff}'           // zero-width no-break space (BOM)
            | '\u{ffa0}'           // halfwidth Hangul filler
            | '\u{fff9}'..='\u{fffb}' // interlinear annotation
            | '\u{1d173}'..='\u{1d17a}' // musical formatting
            | '\u{e0000}'..='\u{e007f}' // tag characters
    )
}

/// `text` made safe to write to a terminal: every character that could
/// control the terminal, start a new line or disguise text (see the module
/// documentation) is replaced by a visible escape — `\n`, `\r`, `\t`, `\x1b`
/// for ASCII, `\u{202e}` above it. Text with nothing to escape is returned
/// as it is, without copying.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(needs_escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        // writing into a String cannot fail
        let _ = match c {
            '\n' => write!(out, "\\n"),
            '\r' => write!(out, "\\r"),
            '\t' => write!(out, "\\t"),
            c if (c as u32) < 0x80 => write!(out, "\\x{:02x}", c as u32),
            c => write!(out, "\\u{{{:x}}}", c as u32),
        };
    }
    Cow::Owned(out)
}

/// Print the paths of the hits, one per line (terminal-safe: a path may
/// hold any character).
pub fn paths(w: &mut dyn Write, r: &SearchResults) -> io::Result<()> {
    for h in &r.hits {
        writeln!(w, "{}", terminal_safe(&h.head.path))?;
    }
    Ok(())
}

/// A field of notice text for a spreadsheet: one starting with `=`, `+`,
/// `-`, `@` (or a tab or carriage return) would be run as a formula when the
/// file is opened, so it gets a leading `'`, which spreadsheets show as text.
fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Print the hits as CSV with a header row: rank, id, path, title, agency,
/// date, document number, the best section's heading path, and whether the
/// notice holds the query as typed. The CSV writer quotes what needs
/// quoting; text that a spreadsheet would run as a formula is defused.
pub fn csv(w: &mut dyn Write, r: &SearchResults) -> io::Result<()> {
    if r.hits.is_empty() {
        // nothing matched: stdout stays empty, as for every other format
        return Ok(());
    }
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "rank",
        "id",
        "path",
        "title",
        "agency",
        "date",
        "doc_number",
        "heading_path",
        "literal",
    ])?;
    for h in &r.hits {
        let heading = h
            .sections
            .first()
            .map(|s| s.heading_path.join(" › "))
            .unwrap_or_default();
        out.write_record(
            [
                Cow::Owned(h.rank.to_string()),
                cell(&h.head.id),
                cell(&h.head.path),
                cell(&h.head.title),
                cell(h.head.agency.as_deref().unwrap_or("")),
                Cow::Owned(h.head.date.map(|d| d.to_string()).unwrap_or_default()),
                cell(h.doc_number.as_deref().unwrap_or("")),
                cell(&heading),
                Cow::Borrowed(if h.literal { "yes" } else { "no" }),
            ]
            .iter()
            .map(|c| c.as_bytes()),
        )?;
    }
    out.flush()
}

/// A query quoted for a message, shortened past 60 characters.
fn quoted(query: &str) -> String {
    let q: String = query.chars().take(60).collect();
    let more = if query.chars().count() > 60 {
        "…"
    } else {
        ""
    };
    format!("\"{q}{more}\"")
}

/// What to tell the user (on standard error, not yet terminal-safe) when a
/// search matched nothing.
pub fn nothing_found(r: &SearchResults) -> String {
    if r.query.trim().is_empty() {
        return "no notice passes the filters".into();
    }
    let hint = match r.suggestions.as_slice() {
        [] => String::new(),
        s => format!("; did you mean: {}?", s.join(", ")),
    };
    format!("no notice matches {}{hint}", quoted(&r.query))
}

impl Printer {
    /// `text` made terminal-safe, then coloured with `style` when colour is on.
    fn paint(self, style: &str, text: &str) -> String {
        let text = terminal_safe(text);
        match self {
            Printer::Human { color: true } => format!("{style}{text}{RESET}"),
            _ => text.into_owned(),
        }
    }

    fn json<T: serde::Serialize>(w: &mut dyn Write, value: &T) -> io::Result<()> {
        // keep the kind of an I/O failure (a closed pipe is not an error)
        serde_json::to_writer(&mut *w, value).map_err(|e| match e.io_error_kind() {
            Some(kind) => io::Error::from(kind),
            None => io::Error::other(e),
        })?;
        writeln!(w)
    }

    /// Print search results. When some notices hold only the words of an
    /// unquoted string apart, the summary says how many contain it as typed,
    /// and the list marks those that do not. When nothing matched, human
    /// output is empty, like grep's: the message is [`nothing_found`]'s, for
    /// standard error. JSON always has its object (with a total of 0).
    pub fn search(self, w: &mut dyn Write, r: &SearchResults) -> io::Result<()> {
        if self == Printer::Json {
            return Self::json(w, r);
        }
        if r.total == 0 {
            return Ok(());
        }
        let mixed = r.literal_total < r.total;
        let mut literal_above = false;
        for h in &r.hits {
            if mixed && !h.literal && literal_above {
                let line = format!(
                    "── below: notices with the words apart, not {} as typed ──",
                    quoted(&r.query)
                );
                writeln!(w, "{}\n", self.paint(DIM, &line))?;
                literal_above = false;
            }
            literal_above |= h.literal;
            writeln!(w, "{}. {}", h.rank, self.paint(BOLD, h.head.shown_title()))?;
            let date = h.head.date.map(|d| d.to_string());
            let meta = format!(
                "{} · {} · {}{}",
                h.head.path,
                h.head.agency.as_deref().unwrap_or("(agency unknown)"),
                date.as_deref().unwrap_or("(no date)"),
                if mixed && !h.literal {
                    " · words apart"
                } else {
                    ""
                }
            );
            writeln!(w, "   {}", self.paint(DIM, &meta))?;
            for s in &h.sections {
                if !s.heading_path.is_empty() {
                    writeln!(w, "   {}", self.paint(HEAD, &s.heading_path.join(" › ")))?;
                }
                writeln!(w, "     {}", self.highlight(&s.snippet, &s.highlights))?;
            }
            writeln!(w)?;
        }
        let shown = r.hits.len();
        let first = r.hits.first().map_or(0, |h| h.rank);
        let plural = |n: usize| if n == 1 { "notice" } else { "notices" };
        let counts = if mixed {
            let words = if r.words.len() > 1 {
                format!(" {}", r.words.join(" / "))
            } else {
                String::new()
            };
            let more = r.total - r.literal_total;
            format!(
                "{} {} {} {} as typed; {more} more {} its words{words} apart",
                r.literal_total,
                plural(r.literal_total),
                if r.literal_total == 1 {
                    "contains"
                } else {
                    "contain"
                },
                quoted(&r.query),
                if more == 1 { "contains" } else { "contain" },
            )
        } else {
            format!(
                "{} {} match{}",
                r.total,
                plural(r.total),
                if r.total == 1 { "es" } else { "" }
            )
        };
        let summary = if shown == 0 {
            format!("{counts}; none on this page")
        } else {
            format!("{counts}; showing {}-{}", first, first + shown - 1)
        };
        writeln!(w, "{}", self.paint(DIM, &summary))?;
        self.facets(w, r)
    }

    /// The facet tables of a search: per facet, notices per value, most
    /// first.
    pub fn facets(self, w: &mut dyn Write, r: &SearchResults) -> io::Result<()> {
        for f in r.facets.iter() {
            writeln!(w)?;
            writeln!(
                w,
                "{}",
                self.paint(
                    HEAD,
                    &format!("notices by {} ({} values)", f.kind, f.counts.len())
                )
            )?;
            for c in &f.counts {
                writeln!(w, "  {:>6}  {}", c.count, terminal_safe(&c.value))?;
            }
        }
        Ok(())
    }

    fn highlight(self, text: &str, ranges: &[[usize; 2]]) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 16);
        let mut pos = 0;
        for &[a, b] in ranges {
            let (a, b) = (a.min(chars.len()), b.min(chars.len()));
            if a < pos {
                continue;
            }
            // the ranges index the raw text: escape piece by piece
            let before: String = chars[pos..a].iter().collect();
            out.push_str(&terminal_safe(&before));
            let m: String = chars[a..b].iter().collect();
            match self {
                Printer::Human { color: true } => out.push_str(&self.paint(MATCH, &m)),
                _ => {
                    out.push('【');
                    out.push_str(&terminal_safe(&m));
                    out.push('】');
                }
            }
            pos = b;
        }
        let rest: String = chars[pos..].iter().collect();
        out.push_str(&terminal_safe(&rest));
        out
    }

    /// Print what `parse` understood of a file.
    pub fn notice(self, w: &mut dyn Write, n: &Notice) -> io::Result<()> {
        if self == Printer::Json {
            return Self::json(w, n);
        }
        writeln!(w, "path:        {}", terminal_safe(&n.head.path))?;
        if let Some(x) = &n.extraction {
            let pages = x
                .pages
                .map(|p| format!("{p} page(s), "))
                .unwrap_or_default();
            writeln!(
                w,
                "read by:     {} reader ({pages}{} characters)",
                x.extractor, x.chars
            )?;
            for warning in &x.warnings {
                writeln!(w, "             {}", terminal_safe(warning))?;
            }
        }
        let found = Found {
            title: Some(&n.title_source),
            agency: n.agency_source.as_deref(),
            date: n.date_source.as_deref(),
        };
        self.fields(w, &n.head, found, &n.source, &n.doc_number)?;
        writeln!(w, "headings:")?;
        self.tree(w, &n.headings)?;
        writeln!(w, "sections:    {}", n.sections.len())?;
        for (i, s) in n.sections.iter().enumerate() {
            let head = s.heading.as_deref().unwrap_or("(before the first heading)");
            let chars = s.text.chars().count();
            writeln!(w, "  [{i}] {} ({chars} chars)", terminal_safe(head))?;
        }
        Ok(())
    }

    /// Print what `analyze` found.
    pub fn analysis(self, w: &mut dyn Write, a: &Analysis) -> io::Result<()> {
        if self == Printer::Json {
            return Self::json(w, a);
        }
        writeln!(w, "text:         {}", terminal_safe(&a.text))?;
        writeln!(w, "normalized:   {}", terminal_safe(&a.normalized))?;
        let words: Vec<&str> = a.index_words.iter().map(|t| t.word.as_str()).collect();
        writeln!(w, "indexed as:   {}", terminal_safe(&words.join(" / ")))?;
        let latin: Vec<&str> = a.index_latin.iter().map(|t| t.word.as_str()).collect();
        if !latin.is_empty() {
            writeln!(w, "latin runs:   {}", terminal_safe(&latin.join(" ")))?;
        }
        writeln!(
            w,
            "query words:  {}  (cut by {})",
            terminal_safe(&a.query_words.join(" / ")),
            a.segmenter
        )?;
        let describe = |p: &AtomPlan| {
            let scope = if p.scope == "any" {
                String::new()
            } else {
                format!("{}: ", p.scope)
            };
            let req = p
                .required
                .iter()
                .zip(p.bigrams.iter().zip(&p.latin))
                .map(|(r, (b, l))| match (b.is_empty(), l.is_empty()) {
                    (_, true) => format!("\"{r}\" [{}]", b.join(" ")),
                    (true, false) => format!("\"{r}\" latin[{}]", l.join(" ")),
                    (false, false) => {
                        format!("\"{r}\" [{}] latin[{}]", b.join(" "), l.join(" "))
                    }
                })
                .collect::<Vec<_>>()
                .join(" and ");
            let whole = if p.whole_string_ranks_first {
                format!("; notices with \"{}\" as written rank first", p.text)
            } else {
                String::new()
            };
            terminal_safe(&format!("{scope}{req}{whole}")).into_owned()
        };
        for (i, c) in a.clauses.iter().enumerate() {
            let alts: Vec<String> = c.iter().map(describe).collect();
            writeln!(w, "must match {}: {}", i + 1, alts.join("  OR  "))?;
        }
        for p in &a.excluded {
            writeln!(w, "left out:     {}", describe(p))?;
        }
        if !a.paths.is_empty() {
            let paths = a.paths.join("  OR  ");
            writeln!(w, "under folder: {}", terminal_safe(&paths))?;
        }
        for note in &a.warnings {
            writeln!(w, "note:         {}", terminal_safe(note))?;
        }
        Ok(())
    }

    /// Print an index build report.
    pub fn build_report(self, w: &mut dyn Write, r: &BuildReport) -> io::Result<()> {
        if self == Printer::Json {
            return Self::json(w, r);
        }
        let what = if r.rebuilt { "rebuilt" } else { "updated" };
        writeln!(
            w,
            "{what} {}: {} added, {} updated, {} removed, {} unchanged, {} skipped",
            terminal_safe(&r.index),
            r.added,
            r.updated,
            r.removed,
            r.unchanged,
            r.skipped
        )?;
        writeln!(
            w,
            "{} notices ({} sections) from {} in the index; took {:.2} s",
            r.indexed,
            r.sections,
            terminal_safe(&r.corpus),
            r.seconds
        )
    }

    /// Print what `gongwen export` wrote: one line.
    pub fn export_report(self, w: &mut dyn Write, r: &ExportReport) -> io::Result<()> {
        if self == Printer::Json {
            return Self::json(w, r);
        }
        let to = match &r.out {
            Some(out) => terminal_safe(out).into_owned(),
            None => "standard output".to_string(),
        };
        match &r.index {
            Some(index) => writeln!(
                w,
                "exported {} notices ({} sections, one document each) from {} for index {} to {}: {:.1} MB in {:.2} s",
                r.notices,
                r.sections,
                terminal_safe(index),
                terminal_safe(&r.index_name),
                to,
                r.bytes as f64 / 1e6,
                r.seconds
            ),
            None => writeln!(
                w,
                "wrote the index template for {name} and {name}-* to {to}",
                name = terminal_safe(&r.index_name)
            ),
        }
    }

    /// Print what `gongwen check` found: one line per check, then a summary
    /// (with the repair command when the index is damaged).
    pub fn check_report(self, w: &mut dyn Write, r: &CheckReport) -> io::Result<()> {
        if self == Printer::Json {
            return Self::json(w, r);
        }
        // Details quote file names from the manifest: terminal-safe.
        for c in &r.checks {
            let mark = if c.ok {
                self.paint(HEAD, "ok     ")
            } else {
                self.paint(MATCH, "DAMAGED")
            };
            writeln!(w, "{mark} {:<17} {}", c.name, terminal_safe(&c.detail))?;
        }
        match &r.repair {
            None => writeln!(w, "the index at {} is healthy", terminal_safe(&r.index)),
            Some(cmd) => {
                let bad = r.checks.iter().filter(|c| !c.ok).count();
                writeln!(
                    w,
                    "the index at {} is damaged ({bad} of {} checks failed): repair it with `{}`",
                    terminal_safe(&r.index),
                    r.checks.len(),
                    terminal_safe(cmd)
                )
            }
        }
    }

    /// Print index statistics.
    pub fn stats(self, w: &mut dyn Write, s: &Stats) -> io::Result<()> {
        if self == Printer::Json {
            return Self::json(w, s);
        }
        writeln!(w, "notices:          {}", s.notices)?;
        writeln!(w, "sections:         {}", s.sections)?;
        writeln!(w, "without agency:   {}", s.without_agency)?;
        writeln!(w, "without date:     {}", s.without_date)?;
        writeln!(w, "index size:       {:.1} MB", s.index_bytes as f64 / 1e6)?;
        writeln!(w, "corpus:           {}", terminal_safe(&s.corpus))?;
        writeln!(w, "agencies ({}):", s.agencies.len())?;
        for a in s.agencies.iter().take(20) {
            writeln!(w, "  {:>6}  {}", a.count, terminal_safe(&a.agency))?;
        }
        if s.agencies.len() > 20 {
            writeln!(w, "  … {} more (all with --json)", s.agencies.len() - 20)?;
        }
        writeln!(w, "years:")?;
        for y in &s.years {
            writeln!(w, "  {}  {}", y.year, y.count)?;
        }
        Ok(())
    }

    /// Print one indexed notice.
    pub fn notice_view(self, w: &mut dyn Write, n: &NoticeView) -> io::Result<()> {
        if self == Printer::Json {
            return Self::json(w, n);
        }
        writeln!(w, "id:          {}", terminal_safe(&n.head.id))?;
        let x = &n.extras;
        let found = Found {
            title: None,
            agency: None,
            date: x.date_source.as_deref(),
        };
        self.fields(w, &n.head, found, &x.source, &x.doc_number)?;
        let Some(sections) = &n.text else {
            writeln!(w, "sections:    {}", n.sections)?;
            writeln!(w, "headings:")?;
            return self.tree(w, &x.headings);
        };
        for s in sections {
            writeln!(w)?;
            let place = if s.heading_path.is_empty() {
                "(before the first heading)".to_string()
            } else {
                s.heading_path.join(" › ")
            };
            writeln!(w, "[{}] {}", s.index, self.paint(HEAD, &place))?;
            for line in s.text.lines() {
                writeln!(w, "{}", terminal_safe(line))?;
            }
        }
        Ok(())
    }

    /// The field lines `parse` and `show` share.
    fn fields(
        self,
        w: &mut dyn Write,
        head: &NoticeHead,
        found: Found<'_>,
        source: &Option<String>,
        doc_number: &Option<String>,
    ) -> io::Result<()> {
        fn opt(v: &Option<String>) -> Cow<'_, str> {
            v.as_deref().map_or(Cow::Borrowed("-"), terminal_safe)
        }
        let how = |s: Option<&str>| {
            s.map(|s| format!(" (from {})", terminal_safe(s)))
                .unwrap_or_default()
        };
        writeln!(
            w,
            "title:       {}{}",
            if head.title.is_empty() {
                "-".to_string()
            } else {
                self.paint(BOLD, &head.title)
            },
            how(found.title)
        )?;
        let agency = match &head.agency {
            Some(_) => format!("{}{}", opt(&head.agency), how(found.agency)),
            None => "-".into(),
        };
        writeln!(w, "agency:      {agency}")?;
        let date = match (head.date, found.date) {
            (Some(d), Some(s)) => format!("{d} (from {})", terminal_safe(s)),
            (Some(d), None) => d.to_string(),
            _ => "- (the notice states no date)".into(),
        };
        writeln!(w, "date:        {date}")?;
        writeln!(w, "source:      {}", opt(source))?;
        writeln!(w, "doc number:  {}", opt(doc_number))
    }

    fn tree(self, w: &mut dyn Write, hs: &[Heading]) -> io::Result<()> {
        for h in hs {
            let indent = "  ".repeat(h.level);
            writeln!(
                w,
                "{indent}{} {}",
                self.paint(HEAD, &h.number),
                terminal_safe(&h.text)
            )?;
            self.tree(w, &h.children)?;
        }
        Ok(())
    }
}

/// How each field of a notice was found, where known (`parse` knows all
/// three; an indexed notice keeps the date's).
#[derive(Clone, Copy)]
struct Found<'a> {
    title: Option<&'a str>,
    agency: Option<&'a str>,
    date: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_not_copied() {
        let text = "中共合肥市包河区 · 2024-10-15 【差旅费】 a\\b \"q\"";
        assert!(matches!(terminal_safe(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn controls_bidi_and_invisibles_become_visible_escapes() {
        let cases = [
            ("a\u{1b}]0;t\u{7}b", r"a\x1b]0;t\x07b"),
            ("x\ny\rz\tw\u{0}\u{8}\u{7f}", r"x\ny\rz\tw\x00\x08\x7f"),
            ("\u{85}\u{9b}2J", r"\u{85}\u{9b}2J"),
            (
                "abc\u{202e}cba\u{2066}\u{2069}",
                r"abc\u{202e}cba\u{2066}\u{2069}",
            ),
            (
                "\u{200e}\u{200f}\u{61c}\u{200b}\u{feff}",
                r"\u{200e}\u{200f}\u{61c}\u{200b}\u{feff}",
            ),
            ("\u{2028}\u{2029}\u{e0041}", r"\u{2028}\u{2029}\u{e0041}"),
        ];
        for (raw, shown) in cases {
            assert_eq!(terminal_safe(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn highlights_stay_on_the_matched_characters() {
        let p = Printer::Human { color: false };
        // ranges are character offsets into the raw text
        let text = "a\u{1b}[2J差旅费\n";
        assert_eq!(p.highlight(text, &[[5, 8]]), r"a\x1b[2J【差旅费】\n");
        let c = Printer::Human { color: true };
        assert_eq!(
            c.highlight("\u{1b}差旅费", &[[1, 4]]),
            format!(r"\x1b{MATCH}差旅费{RESET}")
        );
    }
}
