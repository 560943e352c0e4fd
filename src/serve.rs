//! `jikenbo serve`: the site from memory on loopback, rebuilt on every change, live-reloaded.
//!
//! Fast edits on big archives come from doing little: parsed notices are cached per file (by
//! modification time and size), so an edit re-reads one file; linking runs whole (it is cheap);
//! and pages are rendered only when the browser asks for them, then cached until the next
//! change. Open pages reload through Server-Sent Events. The reload script and the error
//! overlay are injected into served HTML only; `build` output never has them. A broken edit
//! keeps the last good site served and shows the error in the page and in the terminal.

use crate::diagnostic::{self, Diagnostic, Level};
use crate::notice;
use crate::output::OutputFile;
use crate::render::{Page, Renderer};
use anyhow::{Context, Result};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// Options of `jikenbo serve`.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Site folder.
    pub root: PathBuf,
    /// Address to bind (loopback by default).
    pub bind: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
}

/// The path of the reload event stream.
pub const EVENTS_PATH: &str = "/__jikenbo/events";

/// One built version of the site: pages are rendered on demand and cached.
pub struct Built {
    renderer: Renderer,
    pages: Vec<Page>,
    by_path: HashMap<String, usize>,
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    others: OnceLock<HashMap<String, Arc<Vec<u8>>>>,
    /// Warnings of this build.
    pub diagnostics: Vec<Diagnostic>,
}

impl Built {
    fn new(renderer: Renderer, diagnostics: Vec<Diagnostic>) -> Built {
        use rayon::prelude::*;
        let pages = renderer.pages();
        let by_path = pages
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, p)| renderer.paths(p).into_iter().map(move |path| (path, i)))
            .collect();
        Built {
            renderer,
            pages,
            by_path,
            rendered: Mutex::default(),
            others: OnceLock::new(),
            diagnostics,
        }
    }

    /// The bytes of the output file at `path` (relative, `/`-separated), rendering it if needed.
    pub fn file(&self, path: &str) -> Result<Option<Arc<Vec<u8>>>> {
        if let Some(&i) = self.by_path.get(path) {
            if let Some(hit) = self.rendered.lock().expect("cache lock").get(path) {
                return Ok(Some(hit.clone()));
            }
            let files = self.renderer.render(&self.pages[i])?;
            let mut cache = self.rendered.lock().expect("cache lock");
            let mut found = None;
            for OutputFile { path: p, bytes } in files {
                let bytes = Arc::new(bytes);
                if p == path {
                    found = Some(bytes.clone());
                }
                cache.insert(p, bytes);
            }
            return Ok(found);
        }
        let others = self.others.get_or_init(|| {
            crate::site_files(&self.renderer)
                .into_iter()
                .map(|f| (f.path, Arc::new(f.bytes)))
                .collect()
        });
        Ok(others.get(path).cloned())
    }

    /// True when `path` is a folder of the site (so `/path` should redirect to `/path/`).
    fn is_folder(&self, path: &str) -> bool {
        self.by_path.contains_key(&format!("{path}/index.html"))
    }
}

/// Parsed files and linking work, kept between rebuilds.
#[derive(Default)]
struct ParseCache {
    /// By path (sorted, as a walk of `content/` gives them).
    files: BTreeMap<PathBuf, (SystemTime, u64, notice::Parsed)>,
    /// True once a full walk filled `files`.
    walked: bool,
    memo: crate::archive::link::Memo,
}

/// Shared server state.
pub struct State {
    root: PathBuf,
    base_url: String,
    drafts: bool,
    built: RwLock<Option<Arc<Built>>>,
    error: RwLock<Option<String>>,
    cache: Mutex<ParseCache>,
    listeners: Mutex<Vec<Sender<String>>>,
}

impl State {
    /// A server state for the site at `root` served at `base_url`.
    pub fn new(root: &Path, base_url: &str, drafts: bool) -> State {
        State {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            drafts,
            built: RwLock::new(None),
            error: RwLock::new(None),
            cache: Mutex::default(),
            listeners: Mutex::default(),
        }
    }

    /// Rebuilds the site, re-reading the files whose size or modification time changed. On
    /// failure the last good site stays.
    pub fn rebuild(&self) -> Result<Arc<Built>, String> {
        self.rebuild_after(None)
    }

    /// Rebuilds the site after a change to `changed` (paths under `content/`; `None`: anything
    /// may have changed, so walk `content/`). On failure the last good site stays.
    pub fn rebuild_after(&self, changed: Option<&[PathBuf]>) -> Result<Arc<Built>, String> {
        let t = Instant::now();
        match self.try_build(changed) {
            Ok(built) => {
                let built = Arc::new(built);
                *self.built.write().expect("lock") = Some(built.clone());
                *self.error.write().expect("lock") = None;
                log::info!("rebuilt in {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
                self.notify("reload");
                Ok(built)
            }
            Err(message) => {
                eprintln!("{message}");
                *self.error.write().expect("lock") = Some(message.clone());
                self.notify("error");
                Err(message)
            }
        }
    }

    fn try_build(&self, changed: Option<&[PathBuf]>) -> Result<Built, String> {
        let config = crate::load_config(&self.root, Some(&self.base_url))
            .map_err(|e| format!("error: {e:#}"))?;
        let content = self.root.join("content");
        let t = Instant::now();
        let mut cache = self.cache.lock().expect("cache lock");
        let results = parse_changed(&mut cache, &self.root, &content, &config, changed)
            .map_err(|e| format!("error: {e:#}"))?;
        let (notices, diags) = notice::collect(results, self.drafts);
        log::debug!("read changed files in {:.0?}", t.elapsed());
        let t = Instant::now();
        let site = crate::link_site(&self.root, config, notices, diags, &mut cache.memo)
            .map_err(|e| format!("error: {e:#}"))?;
        drop(cache);
        log::debug!("linked in {:.0?}", t.elapsed());
        if diagnostic::has_errors(&site.diagnostics) {
            let lines: Vec<String> = site
                .diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .map(|d| d.to_string())
                .collect();
            return Err(lines.join("\n"));
        }
        let diagnostics = site.diagnostics.clone();
        let t = Instant::now();
        let renderer =
            crate::renderer(&self.root, Arc::new(site)).map_err(|e| format!("error: {e:#}"))?;
        let built = Built::new(renderer, diagnostics);
        log::debug!("prepared the renderer in {:.0?}", t.elapsed());
        Ok(built)
    }

    fn notify(&self, event: &str) {
        let mut listeners = self.listeners.lock().expect("lock");
        listeners.retain(|tx| tx.send(event.to_string()).is_ok());
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.listeners.lock().expect("lock").push(tx);
        rx
    }

    /// The current site, if any build succeeded.
    pub fn current(&self) -> Option<Arc<Built>> {
        self.built.read().expect("lock").clone()
    }

    /// The current build error, if the last rebuild failed.
    pub fn error(&self) -> Option<String> {
        self.error.read().expect("lock").clone()
    }
}

/// Brings the parse cache up to date and returns every file's parse, in path order. With
/// `changed` (from the watcher), only those paths are looked at; otherwise (or when a folder
/// changed) `content/` is walked and every file's size and modification time compared.
fn parse_changed(
    cache: &mut ParseCache,
    root: &Path,
    content: &Path,
    config: &crate::config::Config,
    changed: Option<&[PathBuf]>,
) -> Result<Vec<notice::Parsed>> {
    use rayon::prelude::*;
    let stat = |p: &Path| -> Result<(SystemTime, u64)> {
        let meta = p
            .metadata()
            .with_context(|| format!("reading {}", p.display()))?;
        Ok((
            meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            meta.len(),
        ))
    };
    // The files to look at, with their current size and time; `None`: all of them.
    let mut look: Vec<(PathBuf, SystemTime, u64)> = Vec::new();
    let mut removed: Vec<PathBuf> = Vec::new();
    let files_only = cache.walked
        && changed.is_some_and(|c| {
            // A new folder needs a walk; a gone one is dropped by prefix below.
            c.iter().all(|p| p.starts_with(content) && !p.is_dir())
        });
    if files_only {
        for p in changed.into_iter().flatten() {
            match p.metadata() {
                Ok(m) if m.is_file() => {
                    if notice::is_content_file(content, p) {
                        look.push((
                            p.clone(),
                            m.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                            m.len(),
                        ));
                    }
                }
                // Gone: a file, or a folder (whatever its name) with every file in it.
                _ => removed.extend(cache.files.keys().filter(|k| k.starts_with(p)).cloned()),
            }
        }
    } else {
        let paths = notice::walk(content)?;
        let keep: std::collections::HashSet<&PathBuf> = paths.iter().collect();
        removed = cache
            .files
            .keys()
            .filter(|p| !keep.contains(p))
            .cloned()
            .collect();
        for p in &paths {
            let (m, l) = stat(p)?;
            look.push((p.clone(), m, l));
        }
        cache.walked = true;
    }
    for p in removed {
        cache.files.remove(&p);
    }
    let stale: Vec<&(PathBuf, SystemTime, u64)> = look
        .iter()
        .filter(|(p, m, l)| {
            cache
                .files
                .get(p)
                .is_none_or(|(cm, cl, _)| cm != m || cl != l)
        })
        .collect();
    let fresh: Vec<(PathBuf, SystemTime, u64, notice::Parsed)> = stale
        .par_iter()
        .map(|(p, m, l)| {
            let parsed = match std::fs::read(p) {
                Ok(bytes) => {
                    let src = notice::Source {
                        path: notice::show(root, p),
                        stem: p
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        folders: p
                            .strip_prefix(content)
                            .ok()
                            .and_then(|r| r.parent())
                            .map(|d| {
                                d.components()
                                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                                    .collect()
                            })
                            .unwrap_or_default(),
                        format: notice::format_of(p).expect("filtered"),
                        bytes,
                    };
                    notice::parse_source(&src, config)
                }
                Err(e) => (
                    Vec::new(),
                    vec![Diagnostic::error(
                        notice::show(root, p),
                        None,
                        format!("cannot read: {e}"),
                    )],
                ),
            };
            (p.clone(), *m, *l, parsed)
        })
        .collect();
    for (p, m, l, parsed) in fresh {
        cache.files.insert(p, (m, l, parsed));
    }
    Ok(cache.files.values().map(|(_, _, p)| p.clone()).collect())
}

/// Runs the server until the process is stopped.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let addr = format!("{}:{}", opts.bind, opts.port);
    let server = tiny_http::Server::http(&addr).map_err(|e| {
        if e.to_string().contains("in use") {
            anyhow::anyhow!("cannot serve on {addr}: the port is in use; pick another with --port")
        } else {
            anyhow::anyhow!("cannot serve on {addr}: {e}")
        }
    })?;
    let local = server.server_addr().to_ip().context("server address")?;
    let base_url = format!("http://{local}/");
    // Absolute, so watcher events (absolute paths) can be matched against it.
    let root = opts
        .root
        .canonicalize()
        .with_context(|| format!("{}: no such folder", opts.root.display()))?;
    let state = Arc::new(State::new(&root, &base_url, opts.drafts));
    // The first build must read site.toml; anything else wrong is shown in the page.
    crate::load_config(&opts.root, Some(&base_url))?;
    let _ = state.rebuild();
    let _watcher = watch(state.clone())?;
    eprintln!(
        "serving {} at {base_url} (Ctrl-C to stop)",
        opts.root.display()
    );
    let server = Arc::new(server);
    for request in server.incoming_requests() {
        let state = state.clone();
        std::thread::spawn(move || {
            if let Err(e) = handle(&state, request) {
                log::debug!("request failed: {e:#}");
            }
        });
    }
    Ok(())
}

/// Watches the site's inputs; every settled batch of changes triggers one rebuild.
fn watch(
    state: Arc<State>,
) -> Result<
    notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    use notify::{EventKind, RecursiveMode};
    let root = state.root.clone();
    let (tx, rx) = mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(30), None, tx)
        .context("starting the file watcher")?;
    for dir in ["content", "templates", "themes", "static"] {
        let p = root.join(dir);
        if p.is_dir() {
            debouncer
                .watch(&p, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", p.display()))?;
        }
    }
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("watching {}", root.display()))?;
    std::thread::spawn(move || {
        for result in rx {
            let Ok(events) = result else { continue };
            let relevant = events.iter().any(|e| {
                matches!(
                    e.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                ) && e.paths.iter().any(|p| {
                    let rel = p.strip_prefix(&root).unwrap_or(p);
                    let first = rel
                        .components()
                        .next()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned());
                    matches!(
                        first.as_deref(),
                        Some("content" | "templates" | "themes" | "static" | "site.toml")
                    )
                })
            });
            if relevant {
                log::debug!("changes seen: {} event(s)", events.len());
                let content = root.join("content");
                let paths: Vec<PathBuf> = events
                    .iter()
                    .flat_map(|e| e.paths.iter().cloned())
                    .collect();
                let only_content = events.iter().all(|e| {
                    matches!(
                        e.kind,
                        EventKind::Create(_)
                            | EventKind::Modify(_)
                            | EventKind::Remove(_)
                            | EventKind::Access(_)
                    )
                }) && paths.iter().all(|p| p.starts_with(&content));
                let _ = state.rebuild_after(only_content.then_some(&paths[..]));
            }
        }
    });
    Ok(debouncer)
}

/// Maps a request path to an output file path: percent-decoded as GitHub Pages does, `..`
/// refused, folders to their `index.html`. `Err` carries the HTTP status.
pub fn resolve_path(raw: &str) -> Result<String, u16> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| 400u16)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(400);
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(403),
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    Ok(if joined.is_empty() {
        "index.html".into()
    } else if decoded.ends_with('/') {
        format!("{joined}/index.html")
    } else {
        joined
    })
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

const RELOAD_SCRIPT: &str = r#"<script>(function(){var es=new EventSource("/__jikenbo/events");es.onmessage=function(e){if(e.data==="reload"||e.data==="error"){location.reload();}};})();</script>"#;

/// Adds the live-reload script (and the error overlay, when the last rebuild failed) to a page.
pub fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut extra = String::from(RELOAD_SCRIPT);
    if let Some(e) = error {
        extra.push_str(&format!(
            "<div id=\"jikenbo-error\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;background:#3b0d0c;color:#ffd7d5;font:13px/1.5 monospace;padding:12px 16px;z-index:99999;white-space:pre-wrap\"><strong>jikenbo: the last edit did not build; showing the last good version</strong>\n{}</div>",
            crate::text::escape_html(e)
        ));
    }
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

/// tiny_http sends a streamed body in 8 KiB chunks and sends a full chunk only when the next
/// byte arrives. Each event (a few bytes) is followed by an SSE comment that pads it to two
/// chunks: the first chunk, holding the whole event, leaves at once; the padding waits.
const EVENT_SIZE: usize = 2 * 8192;

fn padded_event(text: &str) -> Vec<u8> {
    let mut out = text.as_bytes().to_vec();
    out.push(b':');
    out.resize(EVENT_SIZE - 2, b' ');
    out.extend_from_slice(b"\n\n");
    out
}

struct EventStream {
    rx: Receiver<String>,
    buf: Vec<u8>,
    pos: usize,
}

impl Read for EventStream {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.buf.len() {
            self.buf = match self.rx.recv_timeout(Duration::from_secs(15)) {
                Ok(event) => padded_event(&format!("data: {event}\n\n")),
                // A comment keeps the connection alive and finds clients that left.
                Err(mpsc::RecvTimeoutError::Timeout) => padded_event(""),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(0),
            };
            self.pos = 0;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn handle(state: &State, request: tiny_http::Request) -> Result<()> {
    let url = request.url().to_string();
    if url.split('?').next() == Some(EVENTS_PATH) {
        let stream = EventStream {
            rx: state.subscribe(),
            buf: padded_event(""),
            pos: 0,
        };
        let response = tiny_http::Response::new(
            200.into(),
            vec![
                header("Content-Type", "text/event-stream"),
                header("Cache-Control", "no-cache"),
            ],
            stream,
            None,
            None,
        );
        return request.respond(response).context("event stream");
    }
    let path = match resolve_path(&url) {
        Ok(p) => p,
        Err(code) => {
            return request
                .respond(tiny_http::Response::from_string("refused").with_status_code(code))
                .context("respond");
        }
    };
    let Some(built) = state.current() else {
        let body = inject(b"<!doctype html><html><body><h1>jikenbo</h1><p>The site does not build yet.</p></body></html>", state.error().as_deref());
        return request
            .respond(
                tiny_http::Response::from_data(body)
                    .with_status_code(500)
                    .with_header(header("Content-Type", "text/html; charset=utf-8")),
            )
            .context("respond");
    };
    let found = built.file(&path).unwrap_or_else(|e| {
        log::warn!("{path}: {e:#}");
        None
    });
    let (status, path, bytes) = match found {
        Some(b) => (200, path, b),
        None if !path.ends_with(".html") && built.is_folder(&path) => {
            let location = format!("{}/", url.split('?').next().unwrap_or(""));
            return request
                .respond(tiny_http::Response::empty(301).with_header(header("Location", &location)))
                .context("respond");
        }
        None => (
            404,
            "404.html".to_string(),
            built.file("404.html").ok().flatten().unwrap_or_default(),
        ),
    };
    let body = if path.ends_with(".html") {
        inject(&bytes, state.error().as_deref())
    } else {
        bytes.to_vec()
    };
    let response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type(&path)))
        .with_header(header("Cache-Control", "no-store"));
    request.respond(response).context("respond")
}

/// All files of the current build, rendered (for tests and benchmarks).
pub fn render_all(built: &Built) -> Result<BTreeMap<String, Arc<Vec<u8>>>> {
    let mut out = BTreeMap::new();
    let paths: Vec<String> = built.by_path.keys().cloned().collect();
    for p in paths {
        if let Some(b) = built.file(&p)? {
            out.insert(p, b);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_and_confined() {
        assert_eq!(resolve_path("/").unwrap(), "index.html");
        assert_eq!(
            resolve_path("/labels/%E6%9C%80%E7%B5%82%E5%A0%B1%E5%91%8A/").unwrap(),
            "labels/最終報告/index.html"
        );
        assert_eq!(resolve_path("/style.css?v=1").unwrap(), "style.css");
        assert_eq!(resolve_path("/../etc/passwd"), Err(403));
        assert_eq!(resolve_path("/a/%2e%2e/%2e%2e/etc/passwd"), Err(403));
        assert_eq!(resolve_path("/%00"), Err(400));
        assert_eq!(resolve_path("/%FF"), Err(400));
    }

    #[test]
    fn reload_script_goes_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", Some("<bad>")))
            .unwrap();
        assert!(out.contains("EventSource"));
        assert!(out.contains("&lt;bad&gt;"));
        assert!(out.ends_with("</body></html>"));
    }
}
