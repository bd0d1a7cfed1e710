//! Fuzz opening a damaged index (issue 11): a copy of an index of the two
//! sample notices, one of its files damaged by the input, then open it, cut a
//! few queries with its dictionary and search. Whatever the damage, opening
//! and searching must not panic, and a failure must be the damaged-index
//! error (or an I/O one), never anything else.
//!
//! Input: a control byte, then the damage.
//! - control bit 0 clear: the rest of the input *is* `querydict.fst`;
//! - control bit 0 set: the rest damages one file of the index, chosen by
//!   the control byte's other bits among the query dictionary and the
//!   segment files (sorted by name): two bytes (little-endian) scale the
//!   file's length (`len * n / 65535`, so 0xffff keeps it whole), then
//!   3-byte patches, each a 16-bit position (modulo the length) and a byte
//!   XORed into the file there.
//!
//! Every file but the damaged one keeps the pristine copy's modification
//! time, so the open exercises both paths: files in the verified record are
//! trusted, the damaged one (new modification time) is verified.
#![no_main]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongwen::error::Error;
use gongwen::index::{self, IndexHandle, querydict};
use gongwen::search::{self, SearchRequest};
use libfuzzer_sys::fuzz_target;

const QUERIES: &[&str] = &["巡察整改", "差旅费 报销", "title:通报", "\"公务接待\" -住宿"];

struct Pristine {
    _dir: tempfile::TempDir,
    index: PathBuf,
    /// Every regular file of the index, by name, sorted.
    files: Vec<String>,
    /// Where each input's copy is made (emptied and refilled each time).
    work: PathBuf,
}

fn pristine() -> &'static Pristine {
    static P: OnceLock<Pristine> = OnceLock::new();
    P.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let idx = dir.path().join("index");
        index::build(&corpus, &idx, true, &mut |_| {}).expect("index the samples");
        let mut files: Vec<String> = std::fs::read_dir(&idx)
            .expect("read the index")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        files.sort();
        let work = dir.path().join("work");
        Pristine {
            index: idx,
            files,
            work,
            _dir: dir,
        }
    })
}

/// Files that damage may target: the dictionary and tantivy's segments.
fn targets(p: &Pristine) -> Vec<&str> {
    p.files
        .iter()
        .map(String::as_str)
        .filter(|n| {
            *n == querydict::FILE
                || [".idx", ".pos", ".term", ".store", ".fast", ".fieldnorm", ".del"]
                    .iter()
                    .any(|x| n.ends_with(x))
        })
        .collect()
}

/// Fill the work folder with a copy of the pristine index, modification
/// times included (so the verified record still matches).
fn copy_pristine(p: &Pristine) {
    let _ = std::fs::remove_dir_all(&p.work);
    std::fs::create_dir_all(&p.work).expect("create the work folder");
    for name in &p.files {
        let from = p.index.join(name);
        let to = p.work.join(name);
        // Not fs::copy: its copy_file_range gives up with EINTR when
        // libFuzzer's timer signal lands, which read/write_all retry.
        let bytes = std::fs::read(&from).expect("read an index file");
        std::fs::write(&to, bytes).expect("copy an index file");
        let mtime = std::fs::metadata(&from)
            .and_then(|m| m.modified())
            .expect("modification time");
        File::options()
            .write(true)
            .open(&to)
            .and_then(|f| f.set_modified(mtime))
            .expect("keep the modification time");
    }
}

fn damage(bytes: &mut Vec<u8>, spec: &[u8]) {
    let [a, b, patches @ ..] = spec else {
        return;
    };
    let keep = u16::from_le_bytes([*a, *b]) as usize;
    let len = bytes.len() * keep / 0xffff;
    bytes.truncate(len);
    if bytes.is_empty() {
        return;
    }
    for p in patches.chunks_exact(3) {
        let at = u16::from_le_bytes([p[0], p[1]]) as usize % bytes.len();
        bytes[at] ^= p[2];
    }
}

fuzz_target!(|data: &[u8]| {
    let [ctl, rest @ ..] = data else {
        return;
    };
    let p = pristine();
    copy_pristine(p);
    if ctl & 1 == 0 {
        std::fs::write(p.work.join(querydict::FILE), rest).expect("write the dictionary");
    } else {
        let names = targets(p);
        let name = names[usize::from(ctl >> 1) % names.len()];
        let path = p.work.join(name);
        let mut bytes = std::fs::read(&path).expect("read the target file");
        damage(&mut bytes, rest);
        // A new modification time: the damage happened behind gongwen's back.
        std::fs::write(&path, &bytes).expect("write the damaged file");
    }

    let handle = match IndexHandle::open(&p.work) {
        Ok(h) => h,
        Err(Error::Damaged { reason, .. }) => {
            assert!(!reason.is_empty(), "a damaged index must say what is wrong");
            return;
        }
        Err(Error::Io { .. }) => return,
        Err(e) => panic!("opening a damaged index: unexpected error {e:?}"),
    };
    for q in QUERIES {
        let words = handle.query_words(q);
        assert!(
            words.iter().all(|w| !w.is_empty()),
            "empty word cutting {q:?}: {words:?}"
        );
        let req = SearchRequest {
            query: q.to_string(),
            limit: 5,
            ..Default::default()
        };
        match search::search(&handle, &req) {
            Ok(r) => assert!(r.hits.len() <= 5),
            Err(Error::Damaged { .. } | Error::Query { .. } | Error::Io { .. }) => {}
            Err(e) => panic!("searching {q:?}: unexpected error {e:?}"),
        }
    }
});
