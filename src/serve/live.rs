//! The index a server answers from, kept current while `gongwen index` or
//! `gongwen add` rewrite it in another process.
//!
//! A run writes its tantivy commit, then the query dictionary, the file
//! record and, last, the stamp (`gongwen.json`); the record of verified
//! files follows. So the stamp changing is the sign that a run is over:
//! only then is the index opened again (with [`IndexHandle::open`], which
//! verifies the new commit), and the new handle replaces the old one in a
//! single swap. A request holds the handle it started with to its end; the
//! old one is dropped after the last of them. Between two runs nothing is
//! reopened, and a half-written state is never opened: a commit without its
//! dictionary and stamp is not yet an index to answer from.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use gongwen::index::{IndexHandle, STAMP_FILE, check::VERIFIED_FILE};

/// How often the stamp is looked at.
pub const POLL: Duration = Duration::from_millis(200);
/// How long a new stamp waits for the record of verified files that
/// follows it (without it, opening re-reads every new file's checksum).
const VERIFIED_WAIT: Duration = Duration::from_millis(500);
/// How long after a failed open the same stamp is tried again.
const RETRY: Duration = Duration::from_secs(5);

/// A file's size and modification time: enough to tell that it was
/// replaced (gongwen writes its files under a new name and renames them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Sig {
    len: u64,
    modified: SystemTime,
}

fn sig(path: &Path) -> Option<Sig> {
    let m = std::fs::metadata(path).ok()?;
    Some(Sig {
        len: m.len(),
        modified: m.modified().ok()?,
    })
}

/// What is loaded now.
#[derive(Default)]
struct Loaded {
    /// The index answering requests.
    handle: Option<Arc<IndexHandle>>,
    /// The stamp when `handle` was opened (or last tried).
    stamp: Option<Sig>,
    /// Why the last open failed, when it did.
    problem: Option<String>,
    /// When to try a stamp that failed to open again.
    retry_at: Option<Instant>,
    /// A new stamp seen, and since when (waiting for its verified record).
    pending: Option<(Sig, Instant)>,
}

/// The index of a running server, reopened when a writer finishes.
pub struct Live {
    dir: PathBuf,
    state: RwLock<Loaded>,
}

impl Live {
    /// Open the index in `dir` if there is one; a server starts without.
    pub fn new(dir: PathBuf) -> Live {
        let live = Live {
            dir,
            state: RwLock::new(Loaded::default()),
        };
        live.refresh();
        live
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The handle to answer a request with, or why there is none (no index
    /// yet, or one that cannot be used).
    pub fn current(&self) -> Result<Arc<IndexHandle>, String> {
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        match (&state.handle, &state.problem) {
            (Some(h), _) => Ok(Arc::clone(h)),
            (None, Some(why)) => Err(why.clone()),
            (None, None) => Err(format!("no index at {} yet", self.dir.display())),
        }
    }

    /// Look at the stamp and reopen the index when a writer has finished
    /// since the last look. Returns a line worth telling the operator when
    /// something changed (an index loaded, or one that failed to open).
    pub fn refresh(&self) -> Option<String> {
        let now = Instant::now();
        let stamp = sig(&self.dir.join(STAMP_FILE));
        {
            let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
            if stamp == state.stamp
                && (state.handle.is_some() && state.problem.is_none()
                    || state.retry_at.is_some_and(|t| now < t))
            {
                state.pending = None;
                return None;
            }
            if let Some(s) = stamp
                && stamp != state.stamp
            {
                // give the verified record a moment to follow the stamp
                let since = match state.pending {
                    Some((p, t)) if p == s => t,
                    _ => {
                        state.pending = Some((s, now));
                        now
                    }
                };
                let verified = sig(&self.dir.join(VERIFIED_FILE));
                let recorded = verified.is_some_and(|v| v.modified >= s.modified);
                if !recorded && now.duration_since(since) < VERIFIED_WAIT {
                    return None;
                }
            }
        }
        // Opening verifies files and may take a while: no lock is held, so
        // requests go on with the handle they have.
        let opened = IndexHandle::open(&self.dir).and_then(|mut h| {
            gongwen::search::keep_notice_tables(&mut h)?;
            Ok(h)
        });
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        state.pending = None;
        match opened {
            // a run that finished while this one was opened: take its
            // index at the next look
            Ok(_) if sig(&self.dir.join(STAMP_FILE)) != stamp => None,
            Ok(h) => {
                let said = format!(
                    "{} index at {}: {} notices",
                    if state.handle.is_some() {
                        "reloaded the"
                    } else {
                        "serving the"
                    },
                    self.dir.display(),
                    h.stamp.notices
                );
                state.handle = Some(Arc::new(h));
                state.stamp = stamp;
                state.problem = None;
                state.retry_at = None;
                Some(said)
            }
            Err(e) => {
                let why = e.to_string();
                let new = state.problem.as_deref() != Some(why.as_str());
                state.stamp = stamp;
                state.retry_at = Some(now + RETRY);
                state.problem = Some(why.clone());
                new.then(|| match &state.handle {
                    Some(_) => format!("{why} (still answering from the index loaded before)"),
                    None => why,
                })
            }
        }
    }

    /// Watch the index from a thread of its own for as long as the process
    /// runs, telling `say` what changed.
    pub fn watch(self: &Arc<Self>, say: impl Fn(&str) + Send + 'static) {
        let live = Arc::clone(self);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(POLL);
                if let Some(line) = live.refresh() {
                    say(&line);
                }
            }
        });
    }
}
