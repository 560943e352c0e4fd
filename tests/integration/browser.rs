//! Headless Chromium runs the search page of the fixture site, served under a subpath on
//! loopback, and the test reads the results from the DOM after the script ran.
//!
//! Needs `chromium` (Debian's package; CI's `.ci/run` installs it). Without it the tests fail,
//! unless `JIKENBO_SKIP_BROWSER=1`, which skips them with a message.

use super::*;
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The Chromium binary, or `None` when the browser tests are skipped on purpose.
fn chromium() -> Option<PathBuf> {
    if std::env::var("JIKENBO_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("browser test skipped: JIKENBO_SKIP_BROWSER=1");
        return None;
    }
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    match candidates.iter().map(PathBuf::from).find(|p| p.is_file()) {
        Some(p) => Some(p),
        None => panic!(
            "browser test: Chromium is not installed (looked for {candidates:?}); install it \
             (`apt-get install chromium`) or set JIKENBO_SKIP_BROWSER=1 to skip this test"
        ),
    }
}

/// Serves `dir` at `http://127.0.0.1:<port>/archive/` from a background thread.
fn serve(listener: TcpListener, dir: PathBuf) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &dir);
            });
        }
    });
}

fn answer(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode_str(path).decode_utf8_lossy().into_owned();
    let file = decoded
        .strip_prefix("/archive/")
        .filter(|rel| !rel.split('/').any(|s| s == ".." || s.starts_with('.')))
        .map(|rel| {
            let p = dir.join(rel);
            if p.is_dir() {
                p.join("index.html")
            } else {
                p
            }
        })
        .filter(|p| p.is_file());
    let (status, kind, body) = match file {
        Some(p) => {
            let kind = match p.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("json") => "application/json",
                Some("svg") => "image/svg+xml",
                Some("xml") => "application/xml",
                _ => "application/octet-stream",
            };
            ("200 OK", kind, std::fs::read(&p)?)
        }
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

/// Runs Chromium on `url` with `args` and returns its stdout; fails after a minute.
fn chromium_run(bin: &Path, profile: &Path, args: &[&str], url: &str) -> String {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium did not finish within 60 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().expect("reader")
}

/// The fixture built for `http://127.0.0.1:<port>/archive/` and served there.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    base: String,
    profile: tempfile::TempDir,
    bin: PathBuf,
}

impl Site {
    fn start() -> Option<Site> {
        Site::start_fixture("basic")
    }

    fn start_fixture(name: &str) -> Option<Site> {
        let bin = chromium()?;
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}/archive/");
        let (tmp, root) = fixture(name);
        let (code, _, err) = run(jikenbo(&root).args(["build", "--base-url", &base]));
        assert_eq!(code, 0, "{err}");
        serve(listener, root.join("public"));
        Some(Site {
            _tmp: tmp,
            root: root.clone(),
            base,
            profile: tempfile::tempdir().unwrap(),
            bin,
        })
    }

    /// The served folder.
    fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// The DOM of the page at `path` (under the base) after its scripts ran.
    fn dom(&self, path: &str) -> String {
        chromium_run(
            &self.bin,
            self.profile.path(),
            &["--dump-dom"],
            &format!("{}{path}", self.base),
        )
    }

    /// The search page's DOM after its script ran, for a query string like `q=…&vector=…`.
    fn search(&self, params: &[(&str, &str)]) -> String {
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
            .collect();
        let url = format!("{}search/?{}", self.base, query.join("&"));
        chromium_run(&self.bin, self.profile.path(), &["--dump-dom"], &url)
    }
}

/// The result titles (text without tags) and the status line of a dumped search page.
fn results(dom: &str) -> (Vec<String>, String) {
    let title =
        regex::Regex::new(r#"<h3 class="card-title"><a href="[^"]*">(.*?)</a></h3>"#).unwrap();
    let tags = regex::Regex::new(r"<[^>]*>").unwrap();
    let list = dom
        .split("id=\"search-list\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no results container in {dom}"));
    let titles = title
        .captures_iter(list)
        .map(|c| tags.replace_all(&c[1], "").into_owned())
        .collect();
    let status = regex::Regex::new(r#"id="search-status"[^>]*>([^<]*)<"#)
        .unwrap()
        .captures(dom)
        .map(|c| c[1].to_string())
        .unwrap_or_default();
    (titles, status)
}

#[test]
fn japanese_queries_run_in_the_browser_under_a_subpath() {
    let Some(site) = Site::start() else { return };
    let dom = site.search(&[("q", "ランサムウェア")]);
    let (titles, status) = results(&dom);
    assert_eq!(
        titles,
        [
            "委託事業者におけるランサムウェア被害について",
            "ランサムウェア被害に関するお知らせ"
        ],
        "{dom}"
    );
    assert_eq!(status, "2件");
    assert!(
        dom.contains("<mark>ランサムウェア</mark>"),
        "highlighted: {dom}"
    );
    assert!(
        dom.contains("href=\"/archive/vectors/ransomware/\""),
        "vector tags link under the subpath"
    );
    // A contractor named only in a body (`株式会社 ひかり工業` there), typed with and without a space.
    let midori = ["個人情報を含む書類の誤送付について"];
    for q in ["株式会社 ひかり工業", "株式会社ひかり工業"] {
        let dom = site.search(&[("q", q)]);
        let (titles, status) = results(&dom);
        assert_eq!(titles, midori, "{q}: {dom}");
        assert_eq!(status, "1件", "{q}");
        assert!(
            dom.contains("<mark>株式会社 ひかり工業</mark>"),
            "{q}: the match is marked as written: {dom}"
        );
        assert!(dom.contains("株式会社みどり食品"), "organization shown");
    }
    // A filter narrows the results.
    let dom = site.search(&[("q", "ランサムウェア"), ("vector", "remote-access")]);
    assert_eq!(
        results(&dom).0,
        ["ランサムウェア被害に関するお知らせ"],
        "{dom}"
    );
    // A year filter alone lists that year's notices.
    let (titles, _) = results(&site.search(&[("year", "2024")]));
    assert_eq!(titles.len(), 3);
    // Every bigram present but not the string: no result.
    let (titles, status) = results(&site.search(&[("q", "ひかり食品")]));
    assert!(titles.is_empty());
    assert_eq!(status, "該当する公表は見つかりませんでした。");
}

#[test]
fn notice_text_is_shown_as_text() {
    let Some(site) = Site::start() else { return };
    let dom = site.search(&[("q", "続報")]);
    let (titles, _) = results(&dom);
    assert_eq!(
        titles,
        ["不正アクセスによる個人情報漏えいに関するお詫びとお知らせ（第2報）"],
        "{dom}"
    );
    assert!(dom.contains("<mark>続報</mark>"), "{dom}");
    assert!(dom.contains("&lt;script&gt;alert"), "shown: {dom}");
    assert!(!dom.contains("<script>alert"), "never markup: {dom}");
}

/// The hostile fixture's pages, loaded in a real browser: no payload runs. Each payload would
/// set `data-pwned` on `<html>` if it ran.
#[test]
fn hostile_payloads_never_run_in_the_browser() {
    let Some(site) = Site::start_fixture("hostile") else {
        return;
    };
    for path in [
        "",
        "notices/xss-2024-01-10/",
        "notices/raw-page/",
        "notices/raw-text/",
        "labels/",
        "orgs/",
        "stats/",
        "search/?q=%3Cscript%3E",
        "search/?q=onerror",
    ] {
        let dom = site.dom(path);
        assert!(dom.contains("</html>"), "{path}: no DOM: {dom}");
        assert!(!dom.contains("data-pwned=\"1\""), "{path}: a payload ran");
    }
    let dom = site.dom("search/?q=onerror");
    let (titles, _) = results(&dom);
    assert!(!titles.is_empty(), "the payload text is searchable as text");
}

/// The theme toggle: a harness page loads the home page in a frame, clicks the real button
/// with the real theme.js, reads the result, reloads, and checks the choice persisted.
#[test]
fn theme_toggle_switches_and_persists() {
    let Some(site) = Site::start() else { return };
    let harness = r#"<!doctype html><html><body><iframe id="f" src="../"></iframe><pre id="out">pending</pre><script>
var f = document.getElementById("f"), out = document.getElementById("out"), step = 0, res = {};
f.onload = function () {
  var d = f.contentDocument, w = f.contentWindow;
  if (step === 0) {
    res.before = d.documentElement.getAttribute("data-theme");
    res.bg0 = w.getComputedStyle(d.body).backgroundColor;
    d.querySelector(".theme-toggle").click();
    res.after = d.documentElement.getAttribute("data-theme");
    res.bg1 = w.getComputedStyle(d.body).backgroundColor;
    res.pressed = d.querySelector(".theme-toggle").getAttribute("aria-pressed");
    step = 1;
    w.location.reload();
  } else {
    res.reloaded = d.documentElement.getAttribute("data-theme");
    res.bg2 = w.getComputedStyle(d.body).backgroundColor;
    out.textContent = "RESULT" + JSON.stringify(res) + "END";
  }
};
</script></body></html>"#;
    std::fs::create_dir_all(site.public().join("toggle-test")).unwrap();
    std::fs::write(site.public().join("toggle-test/index.html"), harness).unwrap();
    let dom = site.dom("toggle-test/");
    let json = dom
        .split("RESULT")
        .nth(1)
        .and_then(|r| r.split("END").next())
        .unwrap_or_else(|| panic!("harness did not finish: {dom}"));
    let v: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\"")).unwrap();
    assert_eq!(
        v["before"],
        serde_json::Value::Null,
        "follows the system scheme at first"
    );
    assert_eq!(v["after"], "dark", "{v}");
    assert_eq!(v["pressed"], "true");
    assert_ne!(v["bg0"], v["bg1"], "the page really changed colour: {v}");
    assert_eq!(v["reloaded"], "dark", "the choice survives a reload");
    assert_eq!(v["bg2"], v["bg1"]);
}
