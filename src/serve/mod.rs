//! `gongwen serve`: a local web app and JSON API over the application
//! layer. Like the command line, it is an adapter: a request becomes the
//! same `Params` a command line does ([`gongwen::app`]), and the answer is
//! the same report, sent as JSON (exactly what `--json` prints) or rendered
//! as a page. It holds no search, filter or default of its own; what it
//! adds are the bounds a server needs (a request's size, a page's length, a
//! search's time) and the reloading of the index when another process
//! rewrites it ([`live`]).
//!
//! The server only reads: it never writes to the index or the corpus.

mod api;
mod live;
mod memory;
mod pages;
mod pool;

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

pub use live::Live;

/// What `gongwen serve` was asked for.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on.
    pub host: String,
    /// Port (0: any free port).
    pub port: u16,
    /// The index folder.
    pub index: PathBuf,
    /// The corpus folder the original files are served from (default: the
    /// one the index was built from).
    pub corpus: Option<PathBuf>,
    /// Open the browser on the page.
    pub open: bool,
}

/// Bounds on what one request may ask of the server.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Longest query string, in bytes (the query itself is bounded by the
    /// search: 10,000 characters, 256 words).
    pub max_query_bytes: usize,
    /// Most notices on one page of results (`limit` above it is capped).
    pub max_limit: usize,
    /// Most rows of a CSV download.
    pub max_csv_rows: usize,
    /// Longest a search may take before its answer is abandoned (503).
    pub budget: Duration,
}

/// The bounds `gongwen serve` runs with.
pub const BOUNDS: Bounds = Bounds {
    // below the 64 KiB the HTTP layer takes in a URI at all; 6,000 Chinese
    // characters percent-encoded (the search itself takes up to 10,000,
    // from the command line)
    max_query_bytes: 60_000,
    max_limit: 100,
    max_csv_rows: 10_000,
    budget: Duration::from_secs(10),
};

/// What every request can reach.
pub struct State {
    /// The index, kept current.
    pub live: Arc<Live>,
    /// The corpus folder given (see [`Config::corpus`]).
    pub corpus: Option<PathBuf>,
    /// Request bounds.
    pub bounds: Bounds,
    /// The search threads, as many as there are cores.
    pub searches: pool::Pool,
}

/// Run the server until Ctrl-C (or SIGTERM). Prints the URL on standard
/// output, notes on standard error through `say`.
pub fn run(cfg: Config, say: fn(&str)) -> Result<()> {
    // (before the search threads and the runtime start; a refusal only
    // costs speed)
    memory::keep_freed_memory();
    let addrs: Vec<SocketAddr> = (cfg.host.as_str(), cfg.port)
        .to_socket_addrs()
        .with_context(|| format!("cannot listen on {}: not an address", cfg.host))?
        .collect();
    if addrs.iter().any(|a| !a.ip().is_loopback()) {
        say(&format!(
            "warning: listening on {} — anyone who can reach this address can read the whole corpus",
            cfg.host
        ));
    }
    let live = Arc::new(Live::new(cfg.index.clone()));
    match live.current() {
        Ok(h) => say(&format!(
            "serving the index at {} ({} notices)",
            cfg.index.display(),
            h.stamp.notices
        )),
        Err(why) => say(&format!(
            "{why}; answering 503 until `gongwen index` builds it"
        )),
    }
    live.watch(say);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let state = Arc::new(State {
        live,
        corpus: cfg.corpus.clone(),
        bounds: BOUNDS,
        searches: pool::Pool::new(workers).context("cannot start the search threads")?,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addrs.as_slice())
            .await
            .with_context(|| format!("cannot listen on {}:{}", cfg.host, cfg.port))?;
        let local = listener
            .local_addr()
            .context("cannot read the bound address")?;
        let url = format!("http://{local}/");
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{url}").and_then(|()| out.flush()).ok();
        }
        if cfg.open {
            open_browser(&url, say);
        }
        axum::serve(listener, api::router(state))
            .with_graceful_shutdown(shutdown())
            .await
            .context("the server stopped")
    })
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    use std::future::Future;
    use std::task::Poll;
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    let (mut ctrl_c, mut term) = (std::pin::pin!(ctrl_c), std::pin::pin!(term));
    // whichever comes first (tokio's select! would need its macros)
    std::future::poll_fn(|cx| {
        if ctrl_c.as_mut().poll(cx).is_ready() || term.as_mut().poll(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
}

/// Open `url` in the desktop's browser; a failure is a note, not an error.
fn open_browser(url: &str, say: fn(&str)) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = cmd.spawn() {
        say(&format!("cannot open a browser ({e}): open {url} yourself"));
    }
}
