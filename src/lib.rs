//! jikenbo (事件簿): a static site generator for archives of security-incident notices.
//!
//! The pipeline runs one way, each stage a value in and a new value out:
//!
//! 1. [`notice::load`] reads `content/` (the only reads of content),
//! 2. [`notice::parse_all`] splits front matter and fills the rest by [`extract`]ion,
//! 3. [`archive::Archive::build`] groups incidents, links releases and builds taxonomies,
//! 4. [`render::render_pages_into`] renders the list and index pages in parallel while the
//!    [`output`] builders make feeds, sitemap, dataset and the search index beside them (the
//!    search index's pass renders each notice's page, from the same parse of its body),
//! 5. [`output::Staging`] takes each file as it is rendered and swaps the new site in atomically.
//!
//! Problems in the content are [`diagnostic::Diagnostic`]s, collected and reported together.

pub mod archive;
pub mod check;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod extract;
pub mod import;
pub mod init;
pub mod notice;
pub mod output;
pub mod render;
pub mod serve;
pub mod text;
pub mod vocab;

use anyhow::{Context, Result};
use archive::Archive;
use config::Config;
use diagnostic::Diagnostic;
use output::OutputFile;
use render::url::Route;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What `build` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Output folder (default `<root>/public`).
    pub output: Option<PathBuf>,
    /// Overrides site.toml's base_url.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Build in memory only (for `check`).
    pub dry_run: bool,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
    /// The caller exits right after the build (the command line): the archive and its views
    /// are left for the kernel to take back at exit instead of being freed one by one, which
    /// is about half a second of one core at 100k notices.
    pub exit_after: bool,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Report {
    /// Notices in the site.
    pub notices: usize,
    /// HTML pages generated.
    pub pages: usize,
    /// All files generated.
    pub files: usize,
    /// Files written (changed or new).
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Every problem found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// False when errors stopped the build before writing.
    pub wrote_output: bool,
    /// Wall time.
    pub seconds: f64,
    /// True when no input changed since the last build of this output, so nothing was done.
    pub up_to_date: bool,
    /// On an up-to-date build, the warnings the last real build reported (as printed).
    pub previous_warnings: Vec<String>,
}

/// The loaded, linked site: what `build` renders and `check` validates.
pub struct Site {
    /// Configuration.
    pub config: Config,
    /// The archive.
    pub archive: Archive,
    /// Content diagnostics (parse + link), sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Stages 1–3: reads and links the site at `root`.
pub fn load_site(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Site> {
    let config = load_config(root, base_url)?;
    let t = Instant::now();
    let content = root.join("content");
    let sources = notice::load(root, &content)?;
    let files = sources.len();
    let (notices, diagnostics) = notice::parse_all(sources, &config, drafts);
    log::debug!("read and parsed {files} files in {:.2?}", t.elapsed());
    link_site(root, config, notices, diagnostics, &mut Default::default())
}

/// Reads site.toml, with an optional base_url override.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config> {
    let mut config = Config::load(&root.join("site.toml"))?;
    if let Some(url) = base_url {
        config = config.with_base_url(url)?;
    }
    Ok(config)
}

/// Stage 3 on parsed notices: builds the archive and sorts every diagnostic.
pub fn link_site(
    root: &Path,
    config: Config,
    notices: Vec<std::sync::Arc<notice::Notice>>,
    mut diagnostics: Vec<Diagnostic>,
    memo: &mut archive::link::Memo,
) -> Result<Site> {
    let intro = read_intro(&root.join("content"))?;
    let archive = Archive::build(notices, intro, &config, memo);
    diagnostics.extend(archive.diagnostics.iter().cloned());
    diagnostic::sort(&mut diagnostics);
    Ok(Site {
        config,
        archive,
        diagnostics,
    })
}

fn read_intro(content: &Path) -> Result<Option<String>> {
    let path = content.join("_index.md");
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let text = extract::decode(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let split = notice::front_matter::split(&text)
        .map_err(|e| anyhow::anyhow!("{}:{}: {}", path.display(), e.line, e.message))?;
    Ok(Some(split.body.to_string()))
}

/// Builds the site described by `opts`.
pub fn build(opts: &BuildOptions) -> Result<Report> {
    let start = Instant::now();
    let out = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"));
    let _lock = if opts.dry_run {
        None
    } else {
        let lock = output::lock(&out)?;
        output::clean_leftovers(&out)?;
        Some(lock)
    };
    let config = load_config(&opts.root, opts.base_url.as_deref())?;
    let t = Instant::now();
    let sources = notice::load(&opts.root, &opts.root.join("content"))?;
    log::debug!("read {} files in {:.2?}", sources.len(), t.elapsed());
    let inputs = inputs_fingerprint(&opts.root, &config, &sources, opts)?;
    // Nothing changed since the last build of this output: nothing to do.
    if let Some(m) = (!opts.dry_run)
        .then(|| output::Manifest::load(&out))
        .flatten()
    {
        if m.inputs == inputs {
            let mut report = Report {
                unchanged: m.files.len(),
                files: m.files.len(),
                wrote_output: true,
                up_to_date: true,
                ..Report::default()
            };
            for line in &m.summary {
                if let Some(rest) = line.strip_prefix("notices ") {
                    let mut it = rest.split(" pages ");
                    report.notices = it.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                    report.pages = it.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                } else if let Some(w) = line.strip_prefix("warning ") {
                    report.previous_warnings.push(w.to_string());
                }
            }
            report.seconds = start.elapsed().as_secs_f64();
            return Ok(report);
        }
    }
    let t = Instant::now();
    let (notices, diagnostics) = notice::parse_all(sources, &config, opts.drafts);
    log::debug!(
        "parsed and extracted {} notices in {:.2?}",
        notices.len(),
        t.elapsed()
    );
    let t = Instant::now();
    let mut site = link_site(
        &opts.root,
        config,
        notices,
        diagnostics,
        &mut Default::default(),
    )?;
    // Matching text is for linking only; rendering never reads it (it is about the size of the
    // bodies, ~500 MB at 100k notices). `serve` keeps it, for the next edit.
    for n in &mut site.archive.notices {
        if let Some(n) = Arc::get_mut(n) {
            n.match_text = std::sync::OnceLock::new();
        }
    }
    log::debug!("linked the archive in {:.2?}", t.elapsed());
    let mut report = Report {
        notices: site.archive.notices.len(),
        diagnostics: site.diagnostics.clone(),
        ..Report::default()
    };
    if diagnostic::has_errors(&site.diagnostics) {
        report.seconds = start.elapsed().as_secs_f64();
        return Ok(report);
    }
    let bar = if opts.progress {
        progress_bar("rendering")
    } else {
        indicatif::ProgressBar::hidden()
    };
    // Files go to the output as they are rendered (or are only counted, in a dry run).
    let staging = if opts.dry_run {
        None
    } else {
        Some(output::Staging::begin(&out)?)
    };
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let sink = |f: OutputFile| -> Result<()> {
        if f.path.ends_with(".html") {
            pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        match &staging {
            Some(s) => s.put(f),
            None => Ok(()),
        }
    };
    let t = Instant::now();
    let renderer = renderer(&opts.root, Arc::new(site))?;
    // Pages and the other files (feeds, sitemap, dataset, search index) are made side by side:
    // both are parallel inside, and together no core waits for the other's serial parts. The
    // notice pages are made by the search index, which reads the text of the same parse.
    let (notice_pages, other_pages): (Vec<render::Page>, Vec<render::Page>) = renderer
        .pages()
        .into_iter()
        .partition(|p| matches!(p, render::Page::Notice(_)));
    bar.set_length((notice_pages.len() + other_pages.len()) as u64);
    let (pages_done, others_done) = rayon::join(
        || -> Result<usize> {
            let t = Instant::now();
            let n = render::render_pages_into(&renderer, &other_pages, &bar, &sink)?;
            log::debug!(
                "  rendered and wrote {n} list and index pages in {:.2?}",
                t.elapsed()
            );
            Ok(n)
        },
        || -> Result<usize> {
            let t = Instant::now();
            let n = files_into(&renderer, &sink, Some(&bar))?;
            log::debug!(
                "  made and wrote {n} notice pages, feeds, sitemap, dataset, search and static files in {:.2?}",
                t.elapsed()
            );
            Ok(n)
        },
    );
    let count = pages_done? + others_done?;
    bar.finish_and_clear();
    log::debug!("rendered and wrote {count} files in {:.2?}", t.elapsed());
    report.files = count;
    report.pages = pages.into_inner();
    if let Some(staging) = staging {
        let t = Instant::now();
        let mut summary = vec![format!("notices {} pages {}", report.notices, report.pages)];
        summary.extend(report.diagnostics.iter().map(|d| format!("warning {d}")));
        let (written, unchanged) = staging.finish(&inputs, &summary)?;
        log::debug!(
            "swapped in {written} new files ({unchanged} unchanged) in {:.2?}",
            t.elapsed()
        );
        report.written = written;
        report.unchanged = unchanged;
        report.wrote_output = true;
    }
    if opts.exit_after {
        std::mem::forget(renderer);
    }
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// A fingerprint of everything a build reads: site.toml (with overrides), every content file,
/// the templates and static files of the site and its theme, the options, and the jikenbo
/// binary itself (so a new version never reuses an old output).
fn inputs_fingerprint(
    root: &Path,
    config: &Config,
    sources: &[notice::Source],
    opts: &BuildOptions,
) -> Result<String> {
    use rayon::prelude::*;
    let mut parts: Vec<(String, u64)> = sources
        .par_iter()
        .map(|s| (s.path.clone(), output::hash(&s.bytes)))
        .collect();
    let mut extra: Vec<std::path::PathBuf> =
        vec![root.join("site.toml"), root.join("content/_index.md")];
    for dir in [
        root.join("templates"),
        root.join("static"),
        root.join("themes").join(&config.theme),
    ] {
        if dir.is_dir() {
            for e in walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if e.file_type().is_file() {
                    extra.push(e.into_path());
                }
            }
        }
    }
    for p in extra {
        if let Ok(bytes) = std::fs::read(&p) {
            parts.push((p.to_string_lossy().into_owned(), output::hash(&bytes)));
        }
    }
    let exe = std::env::current_exe()
        .and_then(|p| p.metadata())
        .map(|m| format!("{:?}:{}", m.modified().ok(), m.len()))
        .unwrap_or_default();
    let mut text = format!(
        "{} {exe} base={} drafts={} sde={:?}\n",
        env!("CARGO_PKG_VERSION"),
        config.base_url,
        opts.drafts,
        std::env::var("SOURCE_DATE_EPOCH").ok()
    );
    for (p, h) in parts {
        text.push_str(&format!("{h:016x} {p}\n"));
    }
    Ok(format!("{:016x}", output::hash(text.as_bytes())))
}

/// A progress bar on stderr; indicatif draws nothing when stderr is not a terminal.
pub fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {per_sec}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// A renderer for a loaded site, with its theme (site templates over the theme's).
pub fn renderer(root: &Path, site: Arc<Site>) -> Result<render::Renderer> {
    let t = Instant::now();
    let theme = render::theme::Theme::load(root, &site.config.theme)?;
    let version = asset_version(&theme);
    log::debug!("  loaded the theme in {:.0?}", t.elapsed());
    let t = Instant::now();
    let r = render::Renderer::new(site, Arc::new(theme), &version)?;
    log::debug!("  prepared views in {:.0?}", t.elapsed());
    Ok(r)
}

/// Every output file that is not an HTML page: feeds, sitemap, dataset, search index, static
/// files, sorted by path (for `serve`, which keeps them).
pub fn site_files(renderer: &render::Renderer) -> Vec<OutputFile> {
    let files = std::sync::Mutex::new(Vec::new());
    site_files_into(renderer, &|f| {
        files.lock().expect("files lock").push(f);
        Ok(())
    })
    .expect("collecting never fails");
    let mut files = files.into_inner().expect("files lock");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Makes every output file that is not an HTML page and hands each to `sink` as soon as it is
/// made: feeds, sitemap, dataset, search index and static files are built side by side (the
/// search index and the organizations' feeds are the big ones), so neither core waits for a
/// serial part. Returns the number of files.
pub fn site_files_into(
    renderer: &render::Renderer,
    sink: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<usize> {
    files_into(renderer, sink, None)
}

/// [`site_files_into`]; with `notice_pages`, the notice pages too (each made as the search
/// index reads its text, from one parse of the body; `notice_pages` counts them).
fn files_into(
    renderer: &render::Renderer,
    sink: &(dyn Fn(OutputFile) -> Result<()> + Sync),
    notice_pages: Option<&indicatif::ProgressBar>,
) -> Result<usize> {
    use rayon::prelude::*;
    let site = renderer.site();
    let config = &site.config;
    let archive = &site.archive;
    let theme = renderer.theme();
    let urls = renderer.urls();
    let count = std::sync::atomic::AtomicUsize::new(0);
    let put = |f: OutputFile| -> Result<()> {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        sink(f)
    };
    let feeds = || -> Result<()> {
        let t = Instant::now();
        // The site's feed and one per term.
        let all: Vec<usize> = (0..archive.notices.len()).collect();
        put(OutputFile::new(
            "atom.xml".into(),
            output::feed::atom(
                archive,
                config,
                urls,
                &Route::file(&["atom.xml"]),
                &Route::home(),
                &config.title,
                &all,
            ),
        ))?;
        archive
            .taxonomies
            .par_iter()
            .flat_map(|tax| tax.terms.par_iter().map(move |term| (tax.kind, term)))
            .try_for_each(|(kind, term)| {
                let feed = Route::term_feed(kind, &term.segment);
                let page = Route::term(kind, &term.segment, 1);
                let title = format!("{} — {}", term.name, config.title);
                put(OutputFile::new(
                    feed.as_str().to_string(),
                    output::feed::atom(archive, config, urls, &feed, &page, &title, &term.notices),
                ))
            })?;
        log::debug!("  made the feeds in {:.2?}", t.elapsed());
        Ok(())
    };
    let small_files = || -> Result<()> {
        // Sitemap: home, stats, term lists, first page of every term, notices, incidents; then
        // robots.txt, .nojekyll, CNAME and the theme's static files.
        let mut routes: Vec<(Route, Option<String>)> =
            vec![(Route::home(), None), (Route::dir(&["stats"]), None)];
        for tax in &archive.taxonomies {
            routes.push((Route::terms(tax.kind), None));
            for term in &tax.terms {
                routes.push((Route::term(tax.kind, &term.segment, 1), None));
            }
        }
        for n in &archive.notices {
            routes.push((
                Route::notice(&n.id),
                n.meta.published.map(|d| d.to_string()),
            ));
        }
        for inc in &archive.incidents {
            routes.push((Route::incident(&inc.segment), None));
        }
        for f in output::sitemap::sitemaps(urls, &routes) {
            put(f)?;
        }
        put(OutputFile::new(
            "robots.txt".into(),
            format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                urls.abs(&Route::file(&["sitemap.xml"]))
            ),
        ))?;
        put(OutputFile::new(".nojekyll".into(), String::new()))?;
        if let Some(cname) = &config.cname {
            put(OutputFile::new(
                "CNAME".into(),
                format!("{}\n", cname.trim()),
            ))?;
        }
        for (path, bytes) in &theme.statics {
            put(OutputFile {
                path: path.clone(),
                bytes: bytes.clone(),
            })?;
        }
        Ok(())
    };
    let dataset = || -> Result<()> {
        let t = Instant::now();
        for f in output::dataset::dataset_files(archive, config, urls) {
            put(f)?;
        }
        log::debug!("  made the dataset in {:.2?}", t.elapsed());
        Ok(())
    };
    let search = || -> Result<()> {
        // Full-text search: the index the search page's script reads.
        let t = Instant::now();
        let files = match notice_pages {
            None => output::search::search_files(archive, &renderer.cards()),
            Some(bar) => output::search::search_files_with(archive, &renderer.cards(), &|i| {
                let (page, text) = renderer.notice_page_and_text(i)?;
                put(page)?;
                bar.inc(1);
                Ok(text)
            })?,
        };
        log::debug!("  built the search index in {:.2?}", t.elapsed());
        files.into_par_iter().try_for_each(put)
    };
    let ((a, b), (c, d)) = rayon::join(
        || rayon::join(search, feeds),
        || rayon::join(dataset, small_files),
    );
    a.and(b).and(c).and(d)?;
    Ok(count.into_inner())
}

/// A short content hash of the stylesheets and scripts, so pages refer to `style.css?v=…` and
/// browsers refetch exactly when they change.
fn asset_version(theme: &render::theme::Theme) -> String {
    let mut h: u64 = 0;
    for (path, bytes) in &theme.statics {
        h = h.rotate_left(5) ^ output::hash(path.as_bytes()) ^ output::hash(bytes);
    }
    format!("{:08x}", h as u32)
}
