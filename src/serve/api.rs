//! Routes, the JSON API, the original files, and the one error type.
//!
//! Every handler is a few lines: parameters from the request (the same
//! `Params` types the command line fills), one call into [`gongwen::app`]
//! on a worker thread within the time budget, the report sent back. The
//! JSON of `/api/search` is the report `gongwen search --json` prints, by
//! the same serializer.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, Request, State as Extract};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongwen::app;
use gongwen::app::search::SearchParams;
use gongwen::error::Error;
use gongwen::index::IndexHandle;
use gongwen::notice::{self, FileKind};
use serde::Serialize;

use super::{State, pages};

/// The shared state as handlers take it.
pub type Shared = Extract<Arc<State>>;

/// Every route of the server.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(pages::search))
        .route("/notices/{*id}", get(pages::notice))
        .route("/files/{*id}", get(original))
        .route("/assets/app.js", get(pages::script))
        .route("/api/search", get(search))
        .route("/api/search.csv", get(search_csv))
        .route("/api/notices/{*id}", get(notice))
        .route("/api/stats", get(stats))
        .route("/api/health", get(health))
        .fallback(not_found)
        .layer(middleware::from_fn(common_headers))
        .with_state(state)
}

/// Headers every answer carries: the browser must not guess types, frame
/// the pages or tell other sites which notice was read.
async fn common_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// An answer that is not the report asked for: a status and a message,
/// sent as `{"error": "..."}` (an HTML page for the pages).
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, for a person.
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 400: a parameter that cannot be used.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404: nothing here.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// 503: no index to answer from (yet), or no answer in time.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match &e {
            Error::Query { .. } | Error::Filter { .. } | Error::Param { .. } => {
                StatusCode::BAD_REQUEST
            }
            Error::NoNotice { .. } | Error::NoOriginal { .. } => StatusCode::NOT_FOUND,
            // an index that is missing, of another version or damaged:
            // nothing to answer from until it is (re)built
            Error::NoIndex { .. } | Error::IndexVersion { .. } | Error::Damaged { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.to_string())
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = json_response(&ErrorBody {
            error: &self.message,
        });
        *res.status_mut() = self.status;
        res
    }
}

/// `value` as JSON, as the command line prints it (one line, a newline
/// after it).
fn json_response<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(mut body) => {
            body.push(b'\n');
            (
                [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                body,
            )
                .into_response()
        }
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write the answer as JSON: {e}"),
        )
            .into_response(),
    }
}

/// Run `work` on the index on a search thread (see [`super::pool`]),
/// within the time budget. Work already running when its answer is
/// abandoned keeps its thread to its end; work still queued then is never
/// run, so abandoned searches cannot pile up.
pub async fn with_index<T, F>(state: &Arc<State>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&IndexHandle) -> Result<T, ApiError> + Send + 'static,
{
    let handle = state.live.current().map_err(ApiError::unavailable)?;
    let budget = state.bounds.budget;
    let answer = state.searches.run(move || work(&handle));
    let run = async move {
        answer.await.map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the request failed: the search stopped unexpectedly",
            )
        })?
    };
    tokio::time::timeout(budget, run).await.unwrap_or_else(|_| {
        Err(ApiError::unavailable(format!(
            "no answer within {} s: the search was abandoned; narrow it (more words, a filter) or try again",
            budget.as_secs()
        )))
    })
}

/// The search parameters of a query string: the fields of
/// [`SearchParams`] (`q`, `agency`, `from`, `to`, `path`, `sort`, `limit`,
/// `offset`, `count_by`; `agency`, `path` and `count_by` repeatable), with
/// `limit` capped at the server's page bound.
pub fn search_params(state: &State, raw: Option<&str>) -> Result<SearchParams, ApiError> {
    let raw = raw.unwrap_or("");
    if raw.len() > state.bounds.max_query_bytes {
        return Err(ApiError::bad_request(format!(
            "the query string is {} bytes long; at most {} are read",
            raw.len(),
            state.bounds.max_query_bytes
        )));
    }
    let mut p: SearchParams = serde_html_form::from_str(raw)
        .map_err(|e| ApiError::bad_request(format!("invalid parameters: {e}")))?;
    p.limit = p.limit.map(|l| l.min(state.bounds.max_limit));
    Ok(p)
}

/// `GET /api/search`: what `gongwen search --json` prints.
async fn search(state: Shared, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let p = search_params(&state, raw.as_deref())?;
    let results = with_index(&state, move |h| Ok(app::search::search(h, &p)?)).await?;
    Ok(json_response(&results))
}

/// `GET /api/search.csv`: what `gongwen search --csv` prints, every match
/// up to the server's bound, for a spreadsheet.
async fn search_csv(state: Shared, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let mut p = search_params(&state, raw.as_deref())?.whole_list();
    p.limit = p.limit.map(|l| l.min(state.bounds.max_csv_rows));
    let body = with_index(&state, move |h| {
        let results = app::search::search(h, &p)?;
        // a byte-order mark: without it Excel reads UTF-8 as the local
        // code page (GBK on a Chinese Windows)
        let mut out = "\u{feff}".as_bytes().to_vec();
        gongwen::output::csv(&mut out, &results)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok(out)
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"gongwen.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/notices/{id}`: the notice with its heading tree and every
/// section's text (`gongwen show --json --text` of it). Only an index id
/// names a notice.
async fn notice(state: Shared, Path(id): Path<String>) -> Result<Response, ApiError> {
    let view = with_index(&state, move |h| Ok(app::inspect::notice(h, &id)?)).await?;
    Ok(json_response(&view))
}

/// `GET /api/stats`: what `gongwen stats --json` prints.
async fn stats(state: Shared) -> Result<Response, ApiError> {
    let stats = with_index(&state, |h| Ok(app::inspect::stats_of(h)?)).await?;
    Ok(json_response(&stats))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    index: String,
    notices: usize,
    sections: usize,
}

/// `GET /api/health`: 200 while an index is served, 503 without one.
async fn health(state: Shared) -> Result<Response, ApiError> {
    let h = state.live.current().map_err(ApiError::unavailable)?;
    Ok(json_response(&Health {
        status: "ok",
        index: state.live.dir().display().to_string(),
        notices: h.stamp.notices,
        sections: h.stamp.sections,
    }))
}

/// `GET /files/{id}`: the file a notice was read from, by the notice's
/// index id (never a path). Text comes as UTF-8 whatever its encoding on
/// disk; a web page is shown sandboxed (no scripts, nothing loaded from
/// elsewhere), since it is someone else's page served from this origin.
async fn original(state: Shared, Path(id): Path<String>) -> Result<Response, ApiError> {
    let corpus = state.corpus.clone();
    let (kind, bytes) = with_index(&state, move |h| {
        let o = app::inspect::original(h, &id, corpus.as_deref())?;
        let bytes = notice::read_file(&o.path)
            .map_err(|e| ApiError::not_found(format!("cannot read the original file: {e}")))?;
        Ok((o.kind, bytes))
    })
    .await?;
    let mut headers = HeaderMap::new();
    let text = notice::decode(&bytes).ok();
    let content_type = match (&text, kind) {
        (Some(_), FileKind::Html) => {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
                ),
            );
            "text/html; charset=utf-8"
        }
        (Some(_), _) => "text/plain; charset=utf-8",
        (None, _) => {
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment"),
            );
            "application/octet-stream"
        }
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let body = match text {
        Some(t) => t.into_bytes(),
        None => bytes,
    };
    Ok((headers, body).into_response())
}

/// Anything else: a JSON 404 under `/api/`, a page elsewhere.
async fn not_found(uri: Uri) -> Response {
    let e = ApiError::not_found(format!("no such page: {}", uri.path()));
    if uri.path().starts_with("/api/") {
        e.into_response()
    } else {
        pages::error_page(&e)
    }
}
