//! `gongwen serve` (issue 14): the real binary started on a free port over
//! a sandbox index, every endpoint checked over HTTP — the JSON contract
//! against what the command line prints, the escaping of hostile notice
//! text, the 404s (a path instead of an id among them), the 400s, the cap
//! on `limit`, the 503 before an index exists, and the reload after
//! `index` and `add` write in another process.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{N000, N001, Sandbox, shared_notices, shared_sources};

/// A notice whose title and text try to run script in the page.
const HOSTILE: &str = "关于<script>alert(1)</script>巡察整改的通报\n\
    发文机关：\"><img src=x onerror=alert(1)>测试局\n\
    日期：2024-05-06\n\
    一、问题整改情况\n\
    针对差旅费报销问题，\"><img src=x onerror=alert(1)> 已全部整改。<script>alert(2)</script>\n";

/// A running `gongwen serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One answer.
struct Answer {
    status: u16,
    content_type: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Panic unless the status is `status` and the body is
    /// `{"error": "..."}`; returns the message.
    fn error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(self.content_type.starts_with("application/json"));
        let v = self.json();
        v["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error message: {v}"))
            .to_string()
    }
}

impl Server {
    /// `gongwen serve --port 0 --index <sandbox>/index`; waits for the URL.
    fn start(sb: &Sandbox) -> Server {
        let mut cmd = sb.command();
        cmd.args(["serve", "--port", "0", "--index"])
            .arg(sb.index())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start gongwen serve");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        let read = BufReader::new(stdout).read_line(&mut line);
        if read.map_or(true, |n| n == 0) {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let _ = child.kill();
            panic!("gongwen serve printed no URL; stderr:\n{err}");
        }
        let url = line.trim().trim_end_matches('/').to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Server { child, url, agent }
    }

    fn get(&self, path: &str) -> Answer {
        let url = format!("{}{path}", self.url);
        let shown: String = url.chars().take(200).collect();
        let mut res = self
            .agent
            .get(&url)
            .call()
            .unwrap_or_else(|e| panic!("GET {shown}: {e}"));
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect::<Vec<_>>();
        let content_type = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Answer {
            status: res.status().as_u16(),
            content_type,
            headers,
            body: res
                .body_mut()
                .read_to_string()
                .unwrap_or_else(|e| panic!("GET {shown}: body: {e}")),
        }
    }

    /// GET, expecting 200 and JSON.
    fn get_json(&self, path: &str) -> Value {
        let a = self.get(path);
        assert_eq!(a.status, 200, "GET {path}: {}", a.body);
        assert!(a.content_type.starts_with("application/json"), "{path}");
        a.json()
    }

    /// Poll `path` until `done` holds of its answer, at most `limit`.
    fn wait_for(&self, path: &str, limit: Duration, done: impl Fn(&Answer) -> bool) -> Answer {
        let start = Instant::now();
        loop {
            let a = self.get(path);
            if done(&a) || start.elapsed() > limit {
                return a;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `s` percent-encoded for a query string.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn cli_json(sb: &Sandbox, args: &[&str]) -> Value {
    let mut cmd = sb.command();
    cmd.args(args);
    let out = crate::harness::Run::of(cmd);
    out.json()
}

#[test]
fn issue14_api_answers_what_the_command_line_prints() {
    let sb = Sandbox::new();
    sb.add_corpus_file("hostile.txt", HOSTILE.as_bytes());
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let index = sb.index().display().to_string();
    let srv = Server::start(&sb);

    let health = srv.get_json("/api/health");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["notices"], 3);

    // search: the very object `search --json` prints, for the same parameters
    for (query, args) in [
        ("q=差旅费", vec!["差旅费"]),
        (
            "q=巡察&agency=包河区&from=2024&to=2024-12&limit=1&count_by=agency,year",
            vec![
                "巡察",
                "--agency",
                "包河区",
                "--from",
                "2024",
                "--to",
                "2024-12",
                "--limit",
                "1",
                "--count-by",
                "agency,year",
            ],
        ),
        (
            "q=整改&sort=date&offset=1&count_by=issue&count_by=folder",
            vec![
                "整改",
                "--sort",
                "date",
                "--offset",
                "1",
                "--count-by",
                "issue",
                "--count-by",
                "folder",
            ],
        ),
        ("q=意识形太", vec!["意识形太"]),
        ("agency=包河区", vec!["--agency", "包河区"]),
    ] {
        let path = format!(
            "/api/search?{}",
            query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, v)) => format!("{k}={}", enc(v)),
                    None => kv.to_string(),
                })
                .collect::<Vec<_>>()
                .join("&")
        );
        let served = srv.get_json(&path);
        let mut cli = vec!["search", "--json", "--index", &index];
        cli.extend(args.iter().copied());
        assert_eq!(served, cli_json(&sb, &cli), "{path}");
    }

    // a notice: `show --json --text`, by its id
    let served = srv.get_json(&format!("/api/notices/{N001}"));
    assert_eq!(
        served,
        cli_json(&sb, &["show", "--json", "--text", "--index", &index, N001])
    );
    assert!(served["text"].as_array().is_some_and(|t| !t.is_empty()));
    assert!(served["headings"].as_array().is_some_and(|t| !t.is_empty()));

    // stats: `stats --json`
    assert_eq!(
        srv.get_json("/api/stats"),
        cli_json(&sb, &["stats", "--json", "--index", &index])
    );

    // the original file, by id, as UTF-8 text
    let file = srv.get(&format!("/files/{N000}"));
    assert_eq!(file.status, 200);
    assert!(file.content_type.starts_with("text/plain; charset=utf-8"));
    let on_disk = std::fs::read_to_string(sb.corpus().join(N000)).expect("read sample");
    assert_eq!(file.body, on_disk);
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
}

/// A sandbox indexing the first 40 notices of each shared source; `None`
/// (with a message) without the shared corpus.
fn shared_sample() -> Option<Sandbox> {
    let shared = shared_notices()?;
    let sb = Sandbox::new();
    for src in shared_sources(&shared) {
        let folder = src.file_name().expect("folder name").to_owned();
        let mut files: Vec<_> = std::fs::read_dir(&src)
            .expect("read source folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        std::fs::create_dir_all(sb.corpus().join(&folder)).expect("mkdir");
        for f in files.into_iter().take(40) {
            let to = sb
                .corpus()
                .join(&folder)
                .join(f.file_name().expect("file name"));
            std::fs::copy(&f, to).expect("copy a shared notice");
        }
    }
    sb.index_cmd(&["--quiet"]).assert_code(0);
    Some(sb)
}

/// A word split into units (政府采购 → 政府 + 采购) scores its later units
/// only on the notices that can rank first when they fill the page, and
/// matches the others without scores; counting problem labels (or a page
/// the first notices do not fill) scores every notice. The pages must be
/// the same either way: ranks, scores, sections, snippets and counts.
#[test]
fn issue14_scoring_only_what_can_reach_the_page_changes_no_answer() {
    let Some(sb) = shared_sample() else {
        return;
    };
    let srv = Server::start(&sb);
    let mut filled = 0;
    for q in [
        "政府采购",
        "中央八项规定精神",
        "营商环境",
        "廉政风险",
        "采购政府",
        "巡察整改",
        "干部选拔任用",
    ] {
        for (page, need) in [
            ("limit=10", 10),
            ("limit=50", 50),
            ("limit=20&offset=20", 40),
        ] {
            let path = format!("/api/search?q={}&{page}", enc(q));
            let lean = srv.get_json(&path);
            let full = srv.get_json(&format!("{path}&count_by=issue"));
            for key in ["total", "literal_total", "hits"] {
                assert_eq!(lean[key], full[key], "{q} {page}: {key}");
            }
            let literal = lean["literal_total"].as_u64().unwrap_or(0);
            if literal >= need && lean["total"] != lean["literal_total"] {
                filled += 1;
            }
        }
    }
    // (some pages were filled by notices holding the query as typed while
    // others matched it apart: the lean path was taken)
    assert!(filled > 0, "no query exercised the lean path");
}

/// The server keeps each segment's notice table in memory and, for a common
/// word restricted to a rarer one's notices, seeks to their sections; the
/// command line walks every posting. Over a few hundred real notices both
/// must give the same object, scores and counts included.
#[test]
fn issue14_a_served_search_over_many_notices_is_the_command_lines() {
    let Some(sb) = shared_sample() else {
        return;
    };
    let index = sb.index().display().to_string();
    let srv = Server::start(&sb);
    for q in [
        "工作 差旅费",
        "政府采购",
        "中央八项规定精神",
        "党的建设 整改",
        "意识形态",
        "\"形式主义、官僚主义\"",
        "通知 -疫情",
    ] {
        let served = srv.get_json(&format!(
            "/api/search?q={}&limit=50&count_by=agency,year",
            enc(q)
        ));
        let cli = cli_json(
            &sb,
            &[
                "search",
                "--json",
                "--index",
                &index,
                "--limit",
                "50",
                "--count-by",
                "agency,year",
                "--",
                q,
            ],
        );
        assert!(cli["total"].as_u64().is_some_and(|t| t > 0), "{q}: {cli}");
        assert_eq!(served, cli, "{q}");
    }
}

#[test]
fn issue14_bad_requests_are_400_and_unknown_notices_404() {
    let sb = Sandbox::indexed();
    let srv = Server::start(&sb);

    let e = srv
        .get("/api/search?q=%E5%B7%A1%E5%AF%9F&from=2024-13-45")
        .error(400);
    assert!(e.contains("from") && e.contains("2024-13-45"), "{e}");
    srv.get("/api/search?q=x&limit=abc").error(400);
    srv.get("/api/search?q=x&sort=sideways").error(400);
    srv.get("/api/search?q=x&count_by=colour").error(400);
    let e = srv.get("/api/search").error(400);
    assert!(e.contains("empty"), "{e}");
    let long = format!("/api/search?q={}", "x".repeat(61_000));
    let e = srv.get(&long).error(400);
    assert!(e.contains("query string"), "{e}");

    // notice routes take index ids, never paths
    for path in [
        "/api/notices/..%2F..%2Fetc%2Fpasswd",
        "/api/notices/%2Fetc%2Fpasswd",
        "/api/notices/001_8141e087f3230e59",
        "/api/notices/corpus%2F001_8141e087f3230e59.txt",
        "/api/notices/nothing.txt",
        "/files/..%2F..%2Fetc%2Fpasswd",
        "/files/..%2Findex%2Fgongwen.json",
        "/files/nothing.txt",
        "/api/nothing",
    ] {
        srv.get(path).error(404);
    }
    for path in ["/notices/..%2F..%2Fetc%2Fpasswd", "/elsewhere"] {
        let a = srv.get(path);
        assert_eq!(a.status, 404, "{path}");
        assert!(a.content_type.starts_with("text/html"), "{path}");
        assert!(!a.body.contains("root:"), "{path}");
    }
    // a file gone from the corpus: its notice is there, its original is not
    std::fs::remove_file(sb.corpus().join(N000)).expect("remove");
    let e = srv.get(&format!("/files/{N000}")).error(404);
    assert!(e.contains(N000), "{e}");

    // the server only reads: nothing but GET (and HEAD)
    let url = format!("{}/api/search?q=x", srv.url);
    let res = srv.agent.post(&url).send_empty().expect("POST");
    assert_eq!(res.status().as_u16(), 405);
}

#[test]
fn issue14_limit_is_capped_at_100() {
    let sb = Sandbox::new();
    for i in 0..120 {
        sb.add_corpus_file(
            &format!("n{i:03}.txt"),
            format!("第{i}号巡察通报\n日期：2024-01-02\n巡察发现的问题已整改。\n").as_bytes(),
        );
    }
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let srv = Server::start(&sb);
    let q = enc("巡察");
    let v = srv.get_json(&format!("/api/search?q={q}&limit=1000"));
    assert!(v["total"].as_u64().is_some_and(|t| t >= 120), "{v}");
    assert_eq!(v["hits"].as_array().map(Vec::len), Some(100));
    let v = srv.get_json(&format!("/api/search?q={q}&limit=100&offset=100"));
    assert_eq!(v["hits"][0]["rank"], 101);
    // the CSV holds every match, one row each, after a header
    let csv = srv.get(&format!("/api/search.csv?q={q}"));
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(
        csv.body.starts_with("\u{feff}rank,id,path,title"),
        "{}",
        &csv.body[..80]
    );
    assert_eq!(csv.body.lines().count(), 1 + 122);
}

#[test]
fn issue14_notice_text_is_escaped_in_every_page() {
    let sb = Sandbox::new();
    sb.add_corpus_file("hostile.txt", HOSTILE.as_bytes());
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let srv = Server::start(&sb);
    let raw_markup = |body: &str| {
        body.contains("<script>alert")
            || body.contains("<img src=x")
            || body.contains("\"><img")
            || body.contains("onerror=alert(1)>")
    };

    // the results list, the query echoed in the box and the title
    let q = enc("差旅费 <script>alert(3)</script>");
    for path in [
        format!("/?q={}", enc("差旅费")),
        format!("/?q={q}"),
        format!("/?q={}", enc("\"><img src=x onerror=alert(1)>")),
        format!("/?agency={}", enc("\"><img src=x onerror=alert(1)>")),
    ] {
        let page = srv.get(&path);
        assert!(page.status == 200, "{path}: {}", page.body);
        assert!(page.content_type.starts_with("text/html"));
        assert!(
            !raw_markup(&page.body),
            "{path} holds live markup:\n{}",
            page.body
        );
        assert!(
            page.header("content-security-policy")
                .is_some_and(|c| c.contains("script-src 'self'")),
            "{path}"
        );
    }
    let page = srv.get(&format!("/?q={}", enc("差旅费")));
    assert!(page.body.contains("<mark>差旅费</mark>"), "{}", page.body);
    assert!(
        page.body
            .contains("关于&lt;script&gt;alert(1)&lt;/script&gt;巡察整改的通报"),
        "{}",
        page.body
    );

    // the notice page: title, fields, sections and outline
    let page = srv.get(&format!("/notices/hostile.txt?q={}", enc("差旅费")));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!raw_markup(&page.body), "live markup:\n{}", page.body);
    assert!(page.body.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(
        page.body
            .contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
    );
    assert!(page.body.contains("<mark>差旅费</mark>"));

    // the original page is served sandboxed, as text when it is text
    let file = srv.get("/files/hostile.txt");
    assert!(file.content_type.starts_with("text/plain"));
}

#[test]
fn issue14_pages_search_filter_and_show_a_notice() {
    let sb = Sandbox::indexed();
    let srv = Server::start(&sb);

    let start = srv.get("/");
    assert_eq!(start.status, 200);
    assert!(start.body.contains("id=\"q\""));
    assert!(start.body.contains("/assets/app.js"));
    let js = srv.get("/assets/app.js");
    assert_eq!(js.status, 200);
    assert!(js.content_type.starts_with("text/javascript"));

    let page = srv.get(&format!("/?q={}", enc("意识形态")));
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("<mark>意识形态</mark>"), "{body}");
    assert!(body.contains("中共合肥市包河区投资促进中心党组"));
    // facets narrow the search; the CSV link carries it
    assert!(body.contains(&format!(
        "href=\"/?q={}&amp;agency=",
        enc("意识形态").replace("%20", "+")
    )));
    assert!(body.contains(&format!("/api/search.csv?q={}", enc("意识形态"))));
    assert!(body.contains(&format!("href=\"/notices/{N001}?q=")));

    // a filtered page; a bad date is a 400 page
    let page = srv.get(&format!("/?q={}&agency={}", enc("整改"), enc("包河区")));
    assert_eq!(page.status, 200);
    assert!(page.body.contains(N001) && !page.body.contains(N000));
    // a result carries the whole search, and its page leads back to it
    let link = format!("/notices/{N001}?q={}&agency={}", enc("整改"), enc("包河区"));
    assert!(
        page.body.contains(&link.replace('&', "&amp;")),
        "{}",
        page.body
    );
    let notice = srv.get(&link);
    assert!(
        notice.body.contains(&format!(
            "href=\"/?q={}&amp;agency={}\"",
            enc("整改"),
            enc("包河区")
        )),
        "{}",
        notice.body
    );
    let bad = srv.get(&format!("/?q={}&from=2024-13-45", enc("整改")));
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("2024-13-45"));

    // the notice page: outline links, the matched section marked and
    // scrolled to, the original file linked by id
    let page = srv.get(&format!("/notices/{N000}?q={}", enc("差旅费")));
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("data-scroll"), "{body}");
    assert!(body.contains("class=\"sec target\""));
    assert!(body.contains("<mark>差旅费</mark>"));
    assert!(body.contains("href=\"#s-"));
    assert!(body.contains(&format!("href=\"/files/{N000}\"")));
    // ?section=N picks the section
    let page = srv.get(&format!("/notices/{N001}?section=2"));
    assert!(
        page.body.contains("id=\"s-2\" data-scroll"),
        "{}",
        page.body
    );
}

#[test]
fn issue14_no_index_is_503_and_new_commits_are_served_without_restart() {
    let sb = Sandbox::new();
    let srv = Server::start(&sb);
    let e = srv.get("/api/health").error(503);
    assert!(e.contains("no index"), "{e}");
    srv.get(&format!("/api/search?q={}", enc("差旅费")))
        .error(503);
    assert_eq!(srv.get("/").status, 503);

    // `gongwen index` in another process: served within a second or so
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let a = srv.wait_for("/api/health", Duration::from_secs(3), |a| a.status == 200);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["notices"], 2);

    // `gongwen add` of a new notice: found without a restart
    let new = sb.root().join("新通报.txt");
    std::fs::write(
        &new,
        "关于鹦鹉螺专项巡察整改的通报\n日期：2025-03-04\n鹦鹉螺问题已整改。\n",
    )
    .expect("write");
    let mut add = sb.corpus_command("add");
    add.arg("--quiet").arg(&new);
    crate::harness::Run::of(add).assert_code(0);
    let path = format!("/api/search?q={}", enc("鹦鹉螺"));
    let a = srv.wait_for(&path, Duration::from_secs(3), |a| {
        a.status == 200 && a.json()["total"] == 1
    });
    assert_eq!(a.json()["total"], 1, "{}", a.body);

    // and a file changed then indexed: the old text is gone
    std::fs::write(
        sb.corpus().join("新通报.txt"),
        "关于海葵专项巡察整改的通报\n日期：2025-03-04\n海葵问题已整改。\n",
    )
    .expect("rewrite");
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let a = srv.wait_for(&path, Duration::from_secs(3), |a| a.json()["total"] == 0);
    assert_eq!(a.json()["total"], 0, "{}", a.body);
    assert_eq!(
        srv.get_json(&format!("/api/search?q={}", enc("海葵")))["total"],
        1
    );
}

#[test]
fn issue14_concurrent_searches_during_a_rebuild_see_one_index_or_the_other() {
    let sb = Sandbox::new();
    for i in 0..150 {
        sb.add_corpus_file(
            &format!("n{i:03}.txt"),
            format!("第{i}号巡察通报\n日期：2024-01-02\n巡察发现的问题已整改。\n").as_bytes(),
        );
    }
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let srv = Server::start(&sb);
    let path = format!("/api/search?q={}&limit=5", enc("巡察"));
    let before = srv.get_json(&path)["total"].as_u64().expect("total");
    // a rebuild that also brings new notices, while 8 clients search
    for i in 150..170 {
        sb.add_corpus_file(
            &format!("n{i:03}.txt"),
            format!("第{i}号巡察通报\n日期：2024-01-02\n巡察发现的问题已整改。\n").as_bytes(),
        );
    }
    let stop = std::sync::atomic::AtomicBool::new(false);
    let seen = std::sync::Mutex::new(std::collections::BTreeSet::new());
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let a = srv.get(&path);
                    assert_eq!(a.status, 200, "{}", a.body);
                    let v = a.json();
                    assert_eq!(v["hits"].as_array().map(Vec::len), Some(5), "{v}");
                    if let Ok(mut seen) = seen.lock() {
                        seen.insert(v["total"].as_u64().unwrap_or(0));
                    }
                }
            });
        }
        sb.index_cmd(&["--quiet", "--rebuild"]).assert_code(0);
        let after = srv.wait_for(&path, Duration::from_secs(3), |a| {
            a.json()["total"].as_u64() != Some(before)
        });
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(after.json()["total"].as_u64(), Some(before + 20));
    });
    let seen = seen.into_inner().expect("lock");
    assert!(
        seen.iter().all(|t| *t == before || *t == before + 20),
        "answers from neither index: {seen:?}"
    );
}
