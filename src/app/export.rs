//! `gongwen export`: an index handed to Elasticsearch or OpenSearch — the
//! `_bulk` body of its sections, or the index template that analyses them
//! as gongwen does (see [`crate::elastic`]).
//!
//! The bulk body is written as the index's document store is read, a few
//! batches of sections at a time, so exporting a million notices holds a
//! bounded number of sections in memory, never the notices.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::index_dir;
use crate::elastic;
use crate::error::{Error, Result};
use crate::index::IndexHandle;
use crate::index::sections;

/// What to export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Elasticsearch/OpenSearch `_bulk` NDJSON: an action line and a source
    /// line per section.
    #[default]
    EsBulk,
    /// The `_index_template` body for the exported documents.
    EsTemplate,
}

impl Format {
    /// The name the parameters use.
    pub fn name(self) -> &'static str {
        match self {
            Format::EsBulk => "es-bulk",
            Format::EsTemplate => "es-template",
        }
    }
}

/// `gongwen export`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExportParams {
    /// The index to export (default: see [`index_dir`]); the template needs
    /// none.
    pub index: Option<PathBuf>,
    /// What to write.
    pub format: Format,
    /// The engine's index name: the bulk actions' `_index`, the template's
    /// patterns (default [`elastic::DEFAULT_INDEX_NAME`]).
    pub index_name: Option<String>,
    /// Map the IK plugin's analyzers too (template only).
    pub ik: bool,
}

impl ExportParams {
    /// The engine's index name, checked against the engines' rules.
    pub fn index_name(&self) -> Result<String> {
        let name = self
            .index_name
            .clone()
            .unwrap_or_else(|| elastic::DEFAULT_INDEX_NAME.to_string());
        match elastic::invalid_index_name(&name) {
            None => Ok(name),
            Some(reason) => Err(Error::Param {
                param: "index-name".into(),
                value: name,
                reason: format!("not a valid Elasticsearch/OpenSearch index name: {reason}"),
            }),
        }
    }

    /// Check the parameters before anything is opened or written.
    pub fn validate(&self) -> Result<()> {
        self.index_name()?;
        if self.ik && self.format != Format::EsTemplate {
            return Err(Error::Param {
                param: "ik".into(),
                value: "true".into(),
                reason: "IK analyzers belong to the template: use it with the es-template format"
                    .into(),
            });
        }
        Ok(())
    }
}

/// What an export wrote.
#[derive(Clone, Debug, Serialize)]
pub struct ExportReport {
    /// `es-bulk` or `es-template`.
    pub format: &'static str,
    /// The engine's index name used.
    pub index_name: String,
    /// The gongwen index read (none for the template).
    pub index: Option<String>,
    /// The file written, or `None` for standard output.
    pub out: Option<String>,
    /// Notices exported (0 for the template).
    pub notices: usize,
    /// Sections exported, one document each (0 for the template).
    pub sections: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Wall time.
    pub seconds: f64,
}

/// A writer that counts what passes through it.
struct Counting<'a> {
    inner: &'a mut dyn Write,
    bytes: u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Export into `sink` (buffered here; flushed before returning). I/O
/// errors keep their kind, so a caller can tell a closed pipe.
pub fn export(p: &ExportParams, sink: &mut dyn Write) -> Result<ExportReport> {
    export_into(p, sink, None)
}

fn export_into(p: &ExportParams, sink: &mut dyn Write, out: Option<&Path>) -> Result<ExportReport> {
    p.validate()?;
    let start = Instant::now();
    let index_name = p.index_name()?;
    let writing = |e: io::Error| match out {
        Some(path) => Error::io(format!("cannot write {}", path.display()), e),
        None => Error::io("cannot write the export", e),
    };
    let mut counting = Counting {
        inner: sink,
        bytes: 0,
    };
    let mut w = BufWriter::with_capacity(1 << 20, &mut counting);
    let (index, visited) = match p.format {
        Format::EsTemplate => {
            elastic::write_template(&mut w, &index_name, p.ik).map_err(writing)?;
            (None, sections::Visited::default())
        }
        Format::EsBulk => {
            let dir = index_dir(p.index.clone());
            let handle = IndexHandle::open(&dir)?;
            let visited = write_bulk(&handle, &index_name, &mut w, &writing, BATCHES)?;
            (Some(dir.display().to_string()), visited)
        }
    };
    w.flush().map_err(writing)?;
    drop(w);
    Ok(ExportReport {
        format: p.format.name(),
        index_name,
        index,
        out: out.map(|o| o.display().to_string()),
        notices: visited.notices,
        sections: visited.sections,
        bytes: counting.bytes,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// How the sections of a bulk export are dealt out to the workers.
#[derive(Clone, Copy, Debug)]
struct Batches {
    /// Sections rendered together by one worker, at most…
    sections: usize,
    /// …and bytes of section text (a batch of long sections closes early).
    bytes: usize,
    /// Batches read, being rendered or waiting to be written, at most: the
    /// memory of an export, whatever the size of the index.
    in_flight: usize,
}

const BATCHES: Batches = Batches {
    sections: 256,
    bytes: 1 << 20,
    in_flight: 16,
};

/// Write the `_bulk` body of every section of `handle` into `w`, in the
/// order the index's store holds them. Segmenting the texts (jieba) is most
/// of the work, so it runs on every core: one thread reads the store and
/// deals out batches of sections, workers render them, and this thread
/// writes the rendered batches in their order. At most `b.in_flight`
/// batches are held at any time.
fn write_bulk(
    handle: &IndexHandle,
    index_name: &str,
    w: &mut dyn Write,
    writing: &dyn Fn(io::Error) -> Error,
    b: Batches,
) -> Result<sections::Visited> {
    use std::sync::{Mutex, mpsc};
    type Batch = (usize, Vec<sections::IndexedSection>);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let (batch_tx, batch_rx) = mpsc::sync_channel::<Batch>(b.in_flight);
    let batch_rx = Mutex::new(batch_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Vec<u8>)>(b.in_flight);
    // A permit per batch in flight: the writer returns one for each batch
    // written, so a slow batch holds back the reader, not memory.
    let (permit_tx, permit_rx) = mpsc::sync_channel::<()>(b.in_flight);
    for _ in 0..b.in_flight {
        let _ = permit_tx.send(());
    }
    let stopped = || Error::io("cannot write the export", io::Error::other("stopped"));
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut batch = Vec::with_capacity(b.sections);
            let mut bytes = 0;
            let mut seq = 0;
            let mut deal = |batch: Vec<sections::IndexedSection>| -> Result<()> {
                permit_rx.recv().map_err(|_| stopped())?;
                batch_tx.send((seq, batch)).map_err(|_| stopped())?;
                seq += 1;
                Ok(())
            };
            let visited = sections::each_section(handle, |s| {
                bytes += s.section.text.len();
                batch.push(s);
                if batch.len() >= b.sections || bytes >= b.bytes {
                    deal(std::mem::replace(
                        &mut batch,
                        Vec::with_capacity(b.sections),
                    ))?;
                    bytes = 0;
                }
                Ok(())
            })?;
            if !batch.is_empty() {
                deal(batch)?;
            }
            Ok(visited)
        });
        for _ in 0..workers {
            let (batch_rx, done_tx) = (&batch_rx, done_tx.clone());
            scope.spawn(move || {
                loop {
                    // one worker at a time waits for the next batch
                    let next = batch_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((seq, batch))) = next else { break };
                    let mut out = Vec::new();
                    for s in &batch {
                        // writing into memory cannot fail
                        let _ = elastic::write_bulk(&mut out, index_name, s);
                    }
                    if done_tx.send((seq, out)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        // Write in order; on a failed write, return at once: the closure
        // owns the results' receiver and the permits' sender, and dropping
        // them stops the workers and the reader.
        let written = (move || -> Result<()> {
            let mut waiting: std::collections::BTreeMap<usize, Vec<u8>> = Default::default();
            let mut next = 0;
            for (seq, bytes) in done_rx {
                waiting.insert(seq, bytes);
                while let Some(bytes) = waiting.remove(&next) {
                    w.write_all(&bytes).map_err(writing)?;
                    next += 1;
                    let _ = permit_tx.send(());
                }
            }
            Ok(())
        })();
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(Error::io("reading the index", io::Error::other("panicked"))));
        // the writer's error first: it is why the reader stopped
        written.and(read)
    })
}

/// Export into the file `out`, all at once: written under a temporary name
/// beside it and renamed over it only when complete, so a failed or
/// interrupted export leaves `out` as it was.
pub fn export_to_file(p: &ExportParams, out: &Path) -> Result<ExportReport> {
    p.validate()?;
    let fail = |reason: String| {
        Error::io(
            format!("cannot write {}", out.display()),
            io::Error::other(reason),
        )
    };
    if out.is_dir() {
        return Err(fail("it is a folder".into()));
    }
    let parent = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| fail("it names no file".into()))?;
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".partial");
    #[cfg(unix)]
    {
        // as a file created by the shell: the umask decides
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(parent)
        .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
    let report = export_into(p, tmp.as_file_mut(), Some(out))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
    tmp.persist(out)
        .map_err(|e| Error::io(format!("cannot write {}", out.display()), e.error))?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::testing::{self, COUNTY};

    fn params(t: &testing::TestIndex) -> ExportParams {
        ExportParams {
            index: Some(t.handle.path.clone()),
            ..Default::default()
        }
    }

    #[test]
    fn the_workers_write_what_one_thread_would_in_the_same_order() {
        let t = testing::build(COUNTY);
        let mut one = Vec::new();
        sections::each_section(&t.handle, |s| {
            elastic::write_bulk(&mut one, "gongwen", &s).map_err(|e| Error::io("test", e))
        })
        .expect("walk");
        let mut many = Vec::new();
        let r = export(&params(&t), &mut many).expect("export");
        assert_eq!(
            String::from_utf8(many).unwrap(),
            String::from_utf8(one).unwrap()
        );
        assert_eq!((r.notices, r.format), (7, "es-bulk"));
    }

    /// A sink that takes `left` bytes, then fails as a closed pipe does.
    struct ClosesAfter {
        left: usize,
    }

    impl Write for ClosesAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_sink_stops_the_export_with_its_error() {
        let t = testing::build(COUNTY);
        let err = export(&params(&t), &mut ClosesAfter { left: 10 }).expect_err("fails");
        assert!(
            matches!(&err, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe),
            "{err}"
        );
        // one section a batch, two in flight: the sink fails while the
        // reader still has batches to deal and waits for a permit
        let tiny = Batches {
            sections: 1,
            bytes: 1,
            in_flight: 2,
        };
        for left in [0, 10, 5000] {
            let err = write_bulk(
                &t.handle,
                "gongwen",
                &mut ClosesAfter { left },
                &|e| Error::io("test", e),
                tiny,
            )
            .expect_err("fails");
            assert!(
                matches!(&err, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe),
                "{left}: {err}"
            );
        }
        let mut all = Vec::new();
        let v = write_bulk(
            &t.handle,
            "gongwen",
            &mut all,
            &|e| Error::io("test", e),
            tiny,
        )
        .expect("export");
        assert_eq!(all.iter().filter(|b| **b == b'\n').count(), 2 * v.sections);
    }

    #[test]
    fn ik_belongs_to_the_template_and_names_are_checked() {
        let bulk_ik = ExportParams {
            ik: true,
            ..Default::default()
        };
        assert!(matches!(bulk_ik.validate(), Err(Error::Param { .. })));
        let bad = ExportParams {
            format: Format::EsTemplate,
            index_name: Some("Notices".into()),
            ..Default::default()
        };
        assert!(matches!(bad.validate(), Err(Error::Param { .. })));
    }
}
