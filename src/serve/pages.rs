//! The pages: the search page at `/` and a notice at `/notices/{id}`,
//! rendered on the server from the same reports the API sends.
//!
//! Templates are maud's `html!`: compiled into the binary, checked by the
//! compiler, and every spliced value is HTML-escaped (notice text is never
//! marked as safe markup). The whole state of a search is in the query
//! string, so a page can be bookmarked, shared, and Back works. A few lines
//! of plain JavaScript (`/assets/app.js`) focus the box on `/` and scroll
//! to the matched section; everything works without them.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, RawQuery};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongwen::app::{self, inspect::Reading, search::SearchParams};
use gongwen::notice::Heading;
use gongwen::search::{FacetKind, Hit, SearchResults};
use maud::{DOCTYPE, Markup, html};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use super::State;
use super::api::{ApiError, Shared, search_params, with_index};

/// The facets the search page shows, in this order.
const PAGE_FACETS: [FacetKind; 4] = [
    FacetKind::Agency,
    FacetKind::Year,
    FacetKind::Folder,
    FacetKind::Issue,
];
/// Values shown per facet.
const FACET_VALUES: usize = 12;
/// Page links either side of the current one.
const PAGE_WINDOW: usize = 3;

/// Characters left as they are in a path segment of a URL; `/` separates
/// the folders of an id.
const PATH_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// `/notices/{id}` and `/files/{id}`: the id percent-encoded (`#`, `?`,
/// `%` and every non-ASCII character; `..` stays a name, which no id is).
fn id_url(prefix: &str, id: &str) -> String {
    format!("{prefix}/{}", utf8_percent_encode(id, PATH_KEEP))
}

/// A query string of `pairs` (empty values left out), with its `?`.
fn query_string(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    match serde_html_form::to_string(&kept) {
        Ok(s) if !s.is_empty() => format!("?{s}"),
        _ => String::new(),
    }
}

/// The URL of the search page for `p` (only what differs from the defaults).
fn search_url(p: &SearchParams) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![("q", &p.q)];
    pairs.extend(p.agency.iter().map(|a| ("agency", a.as_str())));
    if let Some(f) = &p.from {
        pairs.push(("from", f));
    }
    if let Some(t) = &p.to {
        pairs.push(("to", t));
    }
    pairs.extend(p.path.iter().map(|a| ("path", a.as_str())));
    if p.sort == app::search::Sort::Date {
        pairs.push(("sort", "date"));
    }
    let (limit, offset) = (p.limit.map(|l| l.to_string()), p.offset.to_string());
    if let Some(l) = &limit {
        pairs.push(("limit", l));
    }
    if p.offset > 0 {
        pairs.push(("offset", &offset));
    }
    format!("/{}", query_string(&pairs))
}

/// The page's parameters changed by `change`, back on the first page.
fn narrowed(p: &SearchParams, change: impl FnOnce(&mut SearchParams)) -> String {
    let mut n = p.clone();
    n.offset = 0;
    change(&mut n);
    search_url(&n)
}

/// `text` with the `[start, end)` character `ranges` marked; every piece
/// escaped.
fn marked(text: &str, ranges: &[[usize; 2]]) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces: Vec<(bool, String)> = Vec::new();
    let mut pos = 0;
    for &[a, b] in ranges {
        let (a, b) = (a.min(chars.len()), b.min(chars.len()));
        if a < pos || b <= a {
            continue;
        }
        pieces.push((false, chars[pos..a].iter().collect()));
        pieces.push((true, chars[a..b].iter().collect()));
        pos = b;
    }
    pieces.push((false, chars[pos..].iter().collect()));
    html! {
        @for (hit, piece) in &pieces {
            @if *hit { mark { (piece) } } @else { (piece) }
        }
    }
}

const STYLE: &str = r#"
:root{--fg:#1d1d1f;--dim:#5f6368;--line:#e3e3e3;--accent:#a4161a;--link:#1a4d8f;--mark:#ffe58a;--bg:#fff}
*{box-sizing:border-box}
body{margin:0;font:16px/1.65 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
header{border-bottom:1px solid var(--line);padding:12px 16px;background:#fafafa}
.brand{font-weight:700;color:var(--accent);margin-right:12px;white-space:nowrap}
form.search{display:flex;flex-wrap:wrap;gap:8px;align-items:center;max-width:1200px;margin:0 auto}
form.search .row{display:flex;gap:8px;flex:1 1 100%;flex-wrap:wrap;align-items:center}
input,select,button{font:inherit;padding:6px 8px;border:1px solid #c8c8c8;border-radius:6px;background:#fff}
input[name=q]{flex:1 1 300px;min-width:0}
input.small{width:9.5em}
button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
label{color:var(--dim);font-size:.9em}
main{max-width:1200px;margin:0 auto;padding:12px 16px;display:grid;grid-template-columns:minmax(0,1fr) 260px;gap:24px}
main.single{display:block;max-width:900px}
aside{font-size:.92em}
aside h3{font-size:.95em;margin:16px 0 4px;color:var(--dim)}
aside ul{list-style:none;margin:0;padding:0}
aside li{display:flex;justify-content:space-between;gap:8px;padding:1px 0}
aside li span.n{color:var(--dim);font-variant-numeric:tabular-nums}
.summary{color:var(--dim);margin:4px 0 12px}
.chips a{display:inline-block;border:1px solid var(--line);border-radius:12px;padding:0 10px;margin:0 6px 6px 0;font-size:.9em}
ol.hits{list-style:none;padding:0;margin:0}
ol.hits>li{padding:12px 0;border-bottom:1px solid var(--line)}
.hit h2{font-size:1.1em;margin:0 0 2px;font-weight:600}
.meta{color:var(--dim);font-size:.88em;overflow-wrap:anywhere}
.path{color:var(--dim);font-size:.9em;margin-top:6px}
.snip{margin:2px 0 0 0}
mark{background:var(--mark);color:inherit;padding:0 1px;border-radius:2px}
.divider{color:var(--dim);font-size:.9em;border-top:2px dashed var(--line);margin:8px 0;padding-top:8px}
.tag{font-size:.8em;color:var(--dim);border:1px solid var(--line);border-radius:4px;padding:0 4px;margin-left:6px}
nav.pages{margin:16px 0;display:flex;gap:6px;flex-wrap:wrap}
nav.pages a,nav.pages span{padding:2px 10px;border:1px solid var(--line);border-radius:6px}
nav.pages span.cur{background:var(--accent);color:#fff;border-color:var(--accent)}
.notice h1{font-size:1.4em;line-height:1.4;margin:8px 0}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:.92em;margin:8px 0 16px}
dl.fields dt{color:var(--dim)}dl.fields dd{margin:0;overflow-wrap:anywhere}
.how{color:var(--dim);font-size:.85em}
aside.outline{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;padding:8px 0}
.outline ol{list-style:none;padding-left:1em;margin:0}.outline>ol{padding-left:0}
.outline li{display:block;padding:1px 0;line-height:1.45}
.outline li.hit>a{font-weight:700}.outline li.hit>a::before{content:"● ";color:#e0a800}
.outline .num{color:var(--dim)}
section.sec{padding:4px 10px;margin:0 -10px;border-left:3px solid transparent;scroll-margin-top:8px}
section.sec.target,section.sec:target{background:#fff8e1;border-left-color:#e0a800}
section.sec .text{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
section.sec .head{font-weight:700;margin:12px 0 2px;white-space:pre-wrap}
section.sec .head.l1{font-size:1.08em}
.err{border:1px solid #f0c0c0;background:#fff5f5;padding:12px;border-radius:6px}
.hint{color:var(--dim);font-size:.85em}
@media (max-width:760px){main{grid-template-columns:1fr}aside{order:2}aside.outline{order:-1;position:static;max-height:40vh;border:1px solid var(--line);border-radius:6px;padding:4px 8px}header{padding:8px}input.small{width:8em}}
"#;

/// The script of every page (plain JavaScript, no build step): `/` focuses
/// the search box, the matched section is scrolled into view, and empty
/// filter fields are left out of the URL.
const SCRIPT: &str = r#"document.addEventListener('keydown',function(e){
  var t=e.target;
  if(e.key==='/'&&!e.ctrlKey&&!e.metaKey&&!e.altKey&&!(t&&t.closest&&t.closest('input,textarea,select'))){
    var q=document.getElementById('q');if(q){e.preventDefault();q.focus();q.select();}
  }
});
document.addEventListener('DOMContentLoaded',function(){
  var s=document.querySelector('[data-scroll]');
  if(s&&!location.hash){s.scrollIntoView({block:'start'});}
  var f=document.querySelector('form.search');
  if(f){f.addEventListener('submit',function(){
    f.querySelectorAll('input,select').forEach(function(i){
      if(i.value===''||(i.name==='sort'&&i.value==='relevance')){i.disabled=true;}
    });
  });}
});
"#;

/// `GET /assets/app.js`.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// A whole page around `body`.
fn layout(title: &str, q: &SearchParams, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · 公文检索" }
                style { (maud::PreEscaped(STYLE)) }
                script src="/assets/app.js" defer {}
            }
            body {
                header { (search_form(q)) }
                (body)
            }
        }
    }
}

/// An HTML answer, with a policy that lets nothing but our own script run.
fn html_response(status: StatusCode, page: Markup) -> Response {
    let mut res = (status, page.into_string()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    res
}

/// A page saying what went wrong, with the status of the error.
pub fn error_page(e: &ApiError) -> Response {
    let title = match e.status {
        StatusCode::NOT_FOUND => "找不到",
        StatusCode::BAD_REQUEST => "参数有误",
        StatusCode::SERVICE_UNAVAILABLE => "暂时无法检索",
        _ => "出错了",
    };
    let body = html! {
        main.single {
            h1 { (title) }
            p.err { (e.message) }
            p { a href="/" { "回到检索首页" } }
        }
    };
    html_response(e.status, layout(title, &SearchParams::default(), body))
}

/// The search box and filters, filled with the current search.
fn search_form(p: &SearchParams) -> Markup {
    let one = |v: &[String]| v.first().cloned().unwrap_or_default();
    html! {
        form.search method="get" action="/" role="search" {
            div.row {
                a.brand href="/" { "公文检索" }
                input #q type="search" name="q" value=(p.q) placeholder="检索词，如 差旅费 或 \"落实主体责任\"（按 / 聚焦）" autocomplete="off" aria-label="检索词";
                button type="submit" { "检索" }
            }
            div.row {
                label { "发文机关 " input.small type="text" name="agency" value=(one(&p.agency)) placeholder="如 包河区"; }
                @for extra in p.agency.iter().skip(1) {
                    input type="hidden" name="agency" value=(extra);
                }
                label { "日期 " input.small type="text" name="from" value=(p.from.clone().unwrap_or_default()) placeholder="起 YYYY-MM-DD"; }
                label { "至 " input.small type="text" name="to" value=(p.to.clone().unwrap_or_default()) placeholder="止 YYYY-MM-DD"; }
                label { "文件夹 " input.small type="text" name="path" value=(one(&p.path)) placeholder="如 ccdi-gov-cn"; }
                @for extra in p.path.iter().skip(1) {
                    input type="hidden" name="path" value=(extra);
                }
                label { "排序 "
                    select name="sort" {
                        option value="relevance" selected[p.sort == app::search::Sort::Relevance] { "相关度" }
                        option value="date" selected[p.sort == app::search::Sort::Date] { "日期（新→旧）" }
                    }
                }
            }
        }
    }
}

/// True when the page asks for nothing yet (the start page).
fn asks_nothing(p: &SearchParams) -> bool {
    let blank = |v: &[String]| v.iter().all(|s| s.trim().is_empty());
    p.q.trim().is_empty()
        && blank(&p.agency)
        && blank(&p.path)
        && p.from.as_deref().is_none_or(|s| s.trim().is_empty())
        && p.to.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// `GET /`: the search page.
pub async fn search(state: Shared, RawQuery(raw): RawQuery) -> Response {
    let p = match search_params(&state, raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return error_page(&e),
    };
    if asks_nothing(&p) {
        return start_page(&state, &p);
    }
    let mut with_facets = p.clone();
    with_facets.count_by = vec![
        PAGE_FACETS
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(","),
    ];
    match with_index(&state, move |h| Ok(app::search::search(h, &with_facets)?)).await {
        Ok(r) => html_response(StatusCode::OK, results_page(&p, &r)),
        Err(e) => error_page(&e),
    }
}

fn start_page(state: &Arc<State>, p: &SearchParams) -> Response {
    let (status, said) = match state.live.current() {
        Ok(h) => (
            StatusCode::OK,
            html! { p { "索引中共有 " strong { (h.stamp.notices) } " 篇公文（" (h.stamp.sections) " 个段落）。" } },
        ),
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, html! { p.err { (why) } }),
    };
    let body = html! {
        main.single {
            h1 { "检索政府公文" }
            (said)
            p { "输入检索词：每个词都须出现在公文中；加引号（\"…\"）按原文精确匹配；"
                code { "-词" } " 排除；" code { "甲 OR 乙" } " 任一；"
                code { "title:" } " " code { "heading:" } " " code { "issue:" } " " code { "agency:" } " " code { "doc:" }
                " 限定在标题、标题层级、问题、发文机关、文号中。" }
            p.hint { "按 / 键聚焦检索框。结果页的网址即检索条件，可收藏、分享。另有 JSON 接口：" code { "/api/search?q=…" } "。" }
        }
    };
    html_response(status, layout("检索", p, body))
}

/// A facet's values as links that narrow the search.
fn facet_block(p: &SearchParams, r: &SearchResults, kind: FacetKind) -> Markup {
    let Some(facet) = r.facets.iter().find(|f| f.kind == kind) else {
        return html! {};
    };
    let title = match kind {
        FacetKind::Agency => "发文机关",
        FacetKind::Year => "年份",
        FacetKind::Month => "月份",
        FacetKind::Folder | FacetKind::TopFolder => "文件夹",
        FacetKind::Issue => "问题",
    };
    let link = |value: &str| -> Option<String> {
        Some(match kind {
            FacetKind::Agency => narrowed(p, |n| n.agency = vec![value.to_string()]),
            FacetKind::Year => narrowed(p, |n| {
                n.from = Some(value.to_string());
                n.to = Some(value.to_string());
            }),
            FacetKind::Month => narrowed(p, |n| {
                n.from = Some(value.to_string());
                n.to = Some(value.to_string());
            }),
            // `.` is the corpus root, which holds every notice
            FacetKind::Folder | FacetKind::TopFolder if value == "." => return None,
            FacetKind::Folder | FacetKind::TopFolder => {
                narrowed(p, |n| n.path = vec![value.to_string()])
            }
            FacetKind::Issue if value.contains('"') => return None,
            FacetKind::Issue => narrowed(p, |n| {
                n.q = format!("{} issue:\"{value}\"", n.q).trim().to_string();
            }),
        })
    };
    let only_root = matches!(kind, FacetKind::Folder | FacetKind::TopFolder)
        && facet.counts.iter().all(|c| c.value == ".");
    if facet.counts.is_empty() || only_root {
        return html! {};
    }
    html! {
        h3 { (title) }
        ul {
            @for c in facet.counts.iter().take(FACET_VALUES) {
                li {
                    @match link(&c.value) {
                        Some(url) => a href=(url) { (c.value) },
                        None if c.value == "." => span { "（根目录）" },
                        None => span { (c.value) },
                    }
                    span.n { (c.count) }
                }
            }
            @if facet.counts.len() > FACET_VALUES {
                li.hint { "另有 " (facet.counts.len() - FACET_VALUES) " 项" }
            }
        }
    }
}

/// Removable chips for the filters in force.
fn filter_chips(p: &SearchParams) -> Markup {
    let mut chips: Vec<(String, String)> = Vec::new();
    for (i, a) in p.agency.iter().enumerate() {
        if !a.trim().is_empty() {
            chips.push((
                format!("发文机关：{a}"),
                narrowed(p, |n| {
                    n.agency.remove(i);
                }),
            ));
        }
    }
    let date = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_string();
    let (from, to) = (date(&p.from), date(&p.to));
    if !from.is_empty() || !to.is_empty() {
        chips.push((
            format!("日期：{from} 至 {to}"),
            narrowed(p, |n| {
                n.from = None;
                n.to = None;
            }),
        ));
    }
    for (i, f) in p.path.iter().enumerate() {
        if !f.trim().is_empty() {
            chips.push((
                format!("文件夹：{f}"),
                narrowed(p, |n| {
                    n.path.remove(i);
                }),
            ));
        }
    }
    html! {
        @if !chips.is_empty() {
            div.chips {
                @for (label, url) in &chips {
                    a href=(url) title="去掉这个条件" { (label) " ×" }
                }
            }
        }
    }
}

/// The results page.
fn results_page(p: &SearchParams, r: &SearchResults) -> Markup {
    let limit = p.limit.unwrap_or(app::search::DEFAULT_LIMIT);
    let mixed = r.literal_total < r.total && !r.query.trim().is_empty();
    let csv = {
        let url = search_url(&SearchParams {
            limit: None,
            offset: 0,
            ..p.clone()
        });
        format!("/api/search.csv{}", url.trim_start_matches('/'))
    };
    let shown = (
        r.hits.first().map_or(0, |h| h.rank),
        r.hits.last().map_or(0, |h| h.rank),
    );
    let body = html! {
        main {
            div.results {
                (filter_chips(p))
                @for w in &r.warnings {
                    p.hint { "注意：" (w) }
                }
                p.summary {
                    @if r.total == 0 {
                        "没有找到匹配的公文。"
                        @if !r.suggestions.is_empty() {
                            " 您是不是要找："
                            @for (i, s) in r.suggestions.iter().enumerate() {
                                @if i > 0 { "、" }
                                a href=(narrowed(p, |n| n.q = s.clone())) { (s) }
                            }
                        }
                    } @else {
                        @if mixed {
                            (r.literal_total) " 篇公文含“" (r.query) "”原文；另有 "
                            (r.total - r.literal_total) " 篇分开包含其各词（" (r.words.join(" / ")) "）。"
                        } @else {
                            "共 " (r.total) " 篇公文。"
                        }
                        @if r.hits.is_empty() {
                            " 本页没有结果。"
                        } @else {
                            " 第 " (shown.0) "–" (shown.1) " 篇。"
                        }
                        " " a href=(csv) download="gongwen.csv" { "下载结果列表（CSV）" }
                    }
                }
                ol.hits {
                    @for (i, h) in r.hits.iter().enumerate() {
                        @if mixed && !h.literal && (i == 0 && h.rank > 1 || i > 0 && r.hits[i - 1].literal) {
                            li.divider {
                                "以下公文分开包含各词（" (r.words.join(" / ")) "），不含“" (r.query) "”原文"
                            }
                        }
                        (hit_item(p, h, mixed))
                    }
                }
                (pager(p, r.total, limit))
            }
            aside {
                @for k in PAGE_FACETS {
                    (facet_block(p, r, k))
                }
            }
        }
    };
    let title = if r.query.trim().is_empty() {
        "筛选结果".to_string()
    } else {
        r.query.clone()
    };
    layout(&title, p, body)
}

/// One hit of the list.
fn hit_item(p: &SearchParams, h: &Hit, mixed: bool) -> Markup {
    // the whole search goes along: the notice marks its words, and its
    // way back leads to the same list
    let search = SearchParams {
        limit: None,
        offset: 0,
        ..p.clone()
    };
    let href = format!(
        "{}{}",
        id_url("/notices", &h.head.id),
        search_url(&search).trim_start_matches('/')
    );
    html! {
        li.hit {
            h2 {
                a href=(href) { (h.head.shown_title()) }
                @if mixed && !h.literal { span.tag { "各词分开" } }
            }
            div.meta {
                (h.head.agency.as_deref().unwrap_or("（发文机关不详）"))
                " · "
                @match h.head.date { Some(d) => (d.to_string()), None => "（无日期）" }
                @if let Some(doc) = &h.doc_number { " · " (doc) }
                " · " (h.head.path)
            }
            @for s in &h.sections {
                @if !s.heading_path.is_empty() {
                    div.path { (s.heading_path.join(" › ")) }
                }
                @if !s.snippet.is_empty() {
                    div.snip { (marked(&s.snippet, &s.highlights)) }
                }
            }
        }
    }
}

/// Links to the other pages of results.
fn pager(p: &SearchParams, total: usize, limit: usize) -> Markup {
    if limit == 0 || total <= limit {
        return html! {};
    }
    let pages = total.div_ceil(limit);
    let cur = p.offset / limit;
    let at = |page: usize| narrowed(p, |n| n.offset = page * limit);
    let first = cur.saturating_sub(PAGE_WINDOW);
    let last = (cur + PAGE_WINDOW).min(pages - 1);
    html! {
        nav.pages aria-label="分页" {
            @if cur > 0 { a href=(at(cur - 1)) rel="prev" { "上一页" } }
            @if first > 0 { a href=(at(0)) { "1" } @if first > 1 { span { "…" } } }
            @for page in first..=last {
                @if page == cur { span.cur { (page + 1) } } @else { a href=(at(page)) { (page + 1) } }
            }
            @if last + 1 < pages { @if last + 2 < pages { span { "…" } } a href=(at(pages - 1)) { (pages) } }
            @if cur + 1 < pages { a href=(at(cur + 1)) rel="next" { "下一页" } }
        }
    }
}

/// The query string of a notice page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoticeQuery {
    /// The search that led here: its matches are marked.
    q: String,
    /// The section to show (its number).
    section: Option<usize>,
}

/// `GET /notices/{id}`: one notice in full.
pub async fn notice(state: Shared, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    if raw.len() > state.bounds.max_query_bytes {
        return error_page(&ApiError::bad_request("the query string is too long"));
    }
    let nq: NoticeQuery = match serde_html_form::from_str(&raw) {
        Ok(q) => q,
        Err(e) => return error_page(&ApiError::bad_request(format!("invalid parameters: {e}"))),
    };
    // the search that led here, for the way back (unreadable: a new one)
    let search: SearchParams = serde_html_form::from_str(&raw).unwrap_or_default();
    let corpus = state.corpus.clone();
    let params = app::inspect::ReadParams {
        id,
        q: nq.q.clone(),
    };
    match with_index(&state, move |h| {
        Ok(app::inspect::read(h, &params, corpus.as_deref())?)
    })
    .await
    {
        Ok(reading) => html_response(StatusCode::OK, notice_page(&nq, &search, &reading)),
        Err(e) => error_page(&e),
    }
}

/// How a field was found, in words.
fn how(source: &str) -> String {
    if let Some(label) = source.strip_prefix("label:") {
        return format!("据“{label}”一行");
    }
    match source {
        "signature" => "据落款".into(),
        "version" => "据修订/通过说明".into(),
        "delivered" => "据报告日期行".into(),
        "url" => "据原文链接".into(),
        "file name" => "据文件名".into(),
        "title" => "据标题".into(),
        "line" | "lines" => "据标题行".into(),
        "red header" => "据红头".into(),
        "above title" => "据标题上方".into(),
        other => format!("据 {other}"),
    }
}

/// A section's text, its heading line (the first line of a section under a
/// heading) set apart, the words marked.
fn section_text(s: &gongwen::index::inspect::SectionView, ranges: &[[usize; 2]]) -> Markup {
    let first_line = s.text.split('\n').next().unwrap_or_default();
    let (head, rest) = match &s.heading {
        Some(_) if !first_line.trim().is_empty() => {
            let n = first_line.chars().count();
            // the rest starts after the line break
            let rest: String = s.text.chars().skip(n + 1).collect();
            (Some((first_line, n)), rest)
        }
        _ => (None, String::new()),
    };
    let Some((line, n)) = head else {
        return html! { div.text { (marked(&s.text, ranges)) } };
    };
    // ranges of the whole text, cut at the line break and shifted
    let head_ranges: Vec<[usize; 2]> = ranges
        .iter()
        .filter(|r| r[0] < n)
        .map(|r| [r[0], r[1].min(n)])
        .collect();
    let rest_ranges: Vec<[usize; 2]> = ranges
        .iter()
        .filter(|r| r[1] > n + 1)
        .map(|r| [r[0].max(n + 1) - (n + 1), r[1] - (n + 1)])
        .collect();
    let level = s.heading_path.len().min(3);
    html! {
        div class=(format!("head l{level}")) { (marked(line, &head_ranges)) }
        @if !rest.is_empty() {
            div.text { (marked(&rest, &rest_ranges)) }
        }
    }
}

/// The heading tree as nested links to the sections.
fn outline(
    hs: &[Heading],
    parent: &[String],
    at: &HashMap<Vec<String>, usize>,
    hit: &[usize],
) -> Markup {
    html! {
        ol {
            @for h in hs {
                @let path = [parent, std::slice::from_ref(&h.text)].concat();
                @let idx = at.get(&path).copied();
                li.hit[idx.is_some_and(|i| hit.contains(&i))] {
                    @match idx {
                        Some(i) => a href=(format!("#s-{i}")) { span.num { (h.number) } " " (h.text) },
                        None => span { span.num { (h.number) } " " (h.text) },
                    }
                    @if !h.children.is_empty() {
                        (outline(&h.children, &path, at, hit))
                    }
                }
            }
        }
    }
}

/// The notice page.
fn notice_page(nq: &NoticeQuery, search: &SearchParams, r: &Reading) -> Markup {
    let n = &r.notice;
    let x = &n.extras;
    let sections = n.text.as_deref().unwrap_or_default();
    let at: HashMap<Vec<String>, usize> = sections
        .iter()
        .map(|s| (s.heading_path.clone(), s.index))
        .collect();
    let target = nq
        .section
        .filter(|i| sections.iter().any(|s| s.index == *i))
        .or_else(|| r.matched.first().copied());
    let back = search_url(search);
    let mut title_how = String::new();
    if let Some(f) = &r.found {
        let _ = write!(title_how, "{}", how(&f.title_source));
    }
    let body = html! {
        main.notice {
            article {
                p.hint {
                    a href=(back) { "← 返回检索" }
                    @if let Some(t) = target {
                        " · " a href=(format!("#s-{t}")) { "跳到匹配段落" }
                    }
                }
                h1 { (n.head.shown_title()) }
                dl.fields {
                    dt { "发文机关" }
                    dd {
                        (n.head.agency.as_deref().unwrap_or("不详"))
                        @if let Some(s) = r.found.as_ref().and_then(|f| f.agency_source.as_deref()) {
                            " " span.how { "（" (how(s)) "）" }
                        }
                    }
                    dt { "日期" }
                    dd {
                        @match n.head.date { Some(d) => (d.to_string()), None => "公文未写明" }
                        @if let Some(s) = &x.date_source { " " span.how { "（" (how(s)) "）" } }
                    }
                    @if let Some(d) = &x.doc_number { dt { "文号" } dd { (d) } }
                    @if let Some(s) = &x.source { dt { "来源" } dd { (s) } }
                    dt { "标题" }
                    dd.how { @if title_how.is_empty() { "—" } @else { (title_how) } }
                    dt { "文件" }
                    dd { a href=(id_url("/files", &n.head.id)) { (n.head.path) } " " span.how { "（原文件）" } }
                    dt { "段落" }
                    dd { (n.sections) }
                }
                @if !r.words.is_empty() {
                    p.hint { "标出的词：" (r.words.join(" / ")) }
                }
                @for (i, s) in sections.iter().enumerate() {
                    section.sec.target[target == Some(s.index)] id=(format!("s-{}", s.index)) data-scroll[target == Some(s.index)] {
                        (section_text(s, r.highlights.get(i).map_or(&[][..], Vec::as_slice)))
                    }
                }
            }
            @if !x.headings.is_empty() {
                aside.outline aria-label="目录" {
                    h3 { "目录" }
                    (outline(&x.headings, &[], &at, &r.matched))
                }
            }
        }
    };
    layout(n.head.shown_title(), search, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_encoded_as_path_segments() {
        assert_eq!(id_url("/notices", "a/b c.txt"), "/notices/a/b%20c.txt");
        assert_eq!(id_url("/notices", "x.jsonl#3"), "/notices/x.jsonl%233");
        assert_eq!(
            id_url("/files", "差旅?%.txt"),
            "/files/%E5%B7%AE%E6%97%85%3F%25.txt"
        );
    }

    #[test]
    fn marks_are_escaped_and_on_characters() {
        let m = marked("<b>差旅费</b>", &[[3, 6]]).into_string();
        assert_eq!(m, "&lt;b&gt;<mark>差旅费</mark>&lt;/b&gt;");
        // ranges past the end or overlapping are dropped, not a panic
        let m = marked("ab", &[[1, 9], [0, 1]]).into_string();
        assert_eq!(m, "a<mark>b</mark>");
    }

    #[test]
    fn urls_hold_only_what_is_set() {
        let p = SearchParams {
            q: "巡察 整改".into(),
            agency: vec!["包河区".into()],
            offset: 20,
            ..SearchParams::default()
        };
        assert_eq!(
            search_url(&p),
            "/?q=%E5%B7%A1%E5%AF%9F+%E6%95%B4%E6%94%B9&agency=%E5%8C%85%E6%B2%B3%E5%8C%BA&offset=20"
        );
        assert_eq!(search_url(&SearchParams::default()), "/");
    }
}
