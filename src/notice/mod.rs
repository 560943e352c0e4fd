//! Stages 1–2: files under `content/` become `Notice`s.
//!
//! `load` walks `content/` (sorted, so the order never depends on the file system) and reads the
//! bytes in parallel; it is the only place that reads content. `parse_all` decodes, splits front
//! matter, runs extraction for what front matter leaves out, and resolves ids. Front matter
//! always wins over extraction, field by field. Problems are `Diagnostic`s, never panics.

pub mod front_matter;
mod meta;

pub use meta::{Exposure, Meta, Refer};

use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::extract;
use crate::text;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What parsing one file gives: its notices (several for a casebook page) and its problems.
pub type Parsed = (Vec<Arc<Notice>>, Vec<Diagnostic>);

use std::sync::Arc;

/// How a notice file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// `.md`: optional front matter + Markdown.
    Markdown,
    /// `.txt`: raw text as copied from a page or a PDF.
    Text,
    /// `.html`/`.htm`: a saved web page; only its text is kept.
    Html,
}

/// A content file as read from disk.
#[derive(Clone, Debug)]
pub struct Source {
    /// Path shown in messages, relative to the site root (`content/notices/x.md`).
    pub path: String,
    /// The file's stem, for the id.
    pub stem: String,
    /// Folder names between `content/` and the file, for dates such as `2024/05/`.
    pub folders: Vec<String>,
    /// The format, from the extension.
    pub format: Format,
    /// Raw bytes (decoding happens in `parse_all`).
    pub bytes: Vec<u8>,
}

/// One notice, ready for the archive.
#[derive(Clone, Debug)]
pub struct Notice {
    /// Unique ASCII id (`[a-z0-9-]`), the URL segment under `/notices/`.
    pub id: String,
    /// Source path, relative to the site root.
    pub path: String,
    /// Source format.
    pub format: Format,
    /// Metadata: front matter merged over extraction.
    pub meta: Meta,
    /// Title to show (front matter, extraction or the file stem).
    pub title: String,
    /// The body as written (Markdown for `.md`, text otherwise).
    pub body: String,
    /// Title and body reduced for matching (NFKC, no spaces or brackets): made when linking
    /// first asks ([`Notice::match_text`]; `extract` and `import` never do), kept with the
    /// notice (so `serve`'s cached notices keep theirs), dropped by `build` after linking.
    pub match_text: std::sync::OnceLock<Box<str>>,
    /// The front matter block (for line lookups), empty without front matter.
    pub front: String,
    /// File line where the front matter block starts.
    pub front_line: usize,
    /// True when the file had front matter.
    pub has_front_matter: bool,
}

impl Notice {
    /// Title and body reduced for matching, made on first use.
    pub fn match_text(&self) -> &str {
        self.match_text.get_or_init(|| {
            // The squash of title, line break and body, without joining them first.
            let mut text = String::with_capacity(self.title.len() + self.body.len());
            crate::archive::link::squash_into(&self.title, &mut text);
            crate::archive::link::squash_into(&self.body, &mut text);
            text.into()
        })
    }

    /// The line of a front-matter key, for diagnostics.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        front_matter::key_line(&self.front, self.front_line, key)
    }

    /// True for drafts.
    pub fn is_draft(&self) -> bool {
        self.meta.draft == Some(true)
    }
}

/// Reads every notice file under `content_dir`, in sorted path order. `root` is the site root,
/// used to show paths. Files and folders whose name starts with `_` or `.` are not notices.
pub fn load(root: &Path, content_dir: &Path) -> Result<Vec<Source>> {
    if !content_dir.is_dir() {
        return Ok(Vec::new());
    }
    let paths = walk(content_dir)?;
    paths
        .par_iter()
        .map(|p| {
            let bytes =
                std::fs::read(p).with_context(|| format!("{}: cannot read", show(root, p)))?;
            let rel = p.strip_prefix(content_dir).unwrap_or(p);
            let folders = rel
                .parent()
                .map(|d| {
                    d.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            Ok(Source {
                path: show(root, p),
                stem: p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                folders,
                format: format_of(p).expect("filtered above"),
                bytes,
            })
        })
        .collect()
}

/// The notice files under `content_dir`, in sorted order; names starting with `_` or `.`
/// (files and folders) are skipped.
pub fn walk(content_dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    if !content_dir.is_dir() {
        return Ok(paths);
    }
    let walker = walkdir::WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !e
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with('.') || n.starts_with('_'))
        });
    for entry in walker {
        let entry = entry.with_context(|| format!("walking {}", content_dir.display()))?;
        if entry.file_type().is_file() && format_of(entry.path()).is_some() {
            paths.push(entry.into_path());
        }
    }
    Ok(paths)
}

/// True when `walk(content_dir)` would list `p` (not checking that it exists).
pub fn is_content_file(content_dir: &Path, p: &Path) -> bool {
    let Ok(rel) = p.strip_prefix(content_dir) else {
        return false;
    };
    format_of(p).is_some()
        && rel.components().all(|c| {
            !c.as_os_str()
                .to_str()
                .is_some_and(|n| n.starts_with('.') || n.starts_with('_'))
        })
}

/// The path of `p` relative to `root`, with `/` separators.
pub fn show(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The notice format for a path, by extension.
pub fn format_of(p: &Path) -> Option<Format> {
    match p.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "md" | "markdown" => Some(Format::Markdown),
        "txt" => Some(Format::Text),
        "html" | "htm" => Some(Format::Html),
        _ => None,
    }
}

/// Turns sources into notices: decode, front matter, extraction, ids. Returns the notices sorted
/// by id and every problem found. Drafts are dropped unless `drafts`.
pub fn parse_all(
    sources: Vec<Source>,
    config: &Config,
    drafts: bool,
) -> (Vec<Arc<Notice>>, Vec<Diagnostic>) {
    // Each file's bytes are freed as soon as it is parsed, so the raw files and the notices
    // made from them are never all in memory at once (at 100k notices, ~600 MB each).
    let results: Vec<Parsed> = sources
        .into_par_iter()
        .map(|mut s| {
            let bytes = std::mem::take(&mut s.bytes);
            parse_text(&s, extract::decode_owned(bytes), config)
        })
        .collect();
    collect(results, drafts)
}

/// Joins per-file parse results (in path order): drops drafts unless `drafts`, and makes ids
/// unique (a clash is an error naming both files).
pub fn collect(results: Vec<Parsed>, drafts: bool) -> (Vec<Arc<Notice>>, Vec<Diagnostic>) {
    let mut notices = Vec::new();
    let mut diags = Vec::new();
    for (n, d) in results {
        notices.extend(n);
        diags.extend(d);
    }
    if !drafts {
        notices.retain(|n| !n.is_draft());
    }
    // Unique ids: a clash is an error naming both files; the first (by path) keeps the id.
    notices.par_sort_by(|a, b| (&a.id, &a.path).cmp(&(&b.id, &b.path)));
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    notices.retain(|n| match seen.get(&n.id) {
        Some(first) => {
            diags.push(Diagnostic::error(
                &n.path,
                n.key_line("slug"),
                format!(
                    "duplicate id `{}`: {} has it too; set a different `slug`",
                    n.id, first
                ),
            ));
            false
        }
        None => {
            seen.insert(n.id.clone(), n.path.clone());
            true
        }
    });
    (notices, diags)
}

/// Parses one file; a casebook page gives several notices.
pub fn parse_source(src: &Source, config: &Config) -> Parsed {
    parse_text(src, extract::decode(&src.bytes), config)
}

/// [`parse_source`] once `src`'s bytes are decoded (`decoded`).
fn parse_text(
    src: &Source,
    decoded: Result<String, extract::DecodeError>,
    config: &Config,
) -> Parsed {
    let mut diags = Vec::new();
    let text = match decoded {
        Ok(t) => t,
        Err(e) => {
            return (
                Vec::new(),
                vec![Diagnostic::error(
                    &src.path,
                    None,
                    format!("cannot read as text: {e}"),
                )],
            )
        }
    };
    if text.trim().is_empty() {
        return (
            Vec::new(),
            vec![Diagnostic::error(&src.path, None, "the file is empty")],
        );
    }
    let mut notices = Vec::new();
    match src.format {
        Format::Markdown => {
            let split = match front_matter::split(&text) {
                Ok(s) => s,
                Err(e) => {
                    return (
                        Vec::new(),
                        vec![Diagnostic::error(&src.path, Some(e.line), e.message)],
                    )
                }
            };
            let (front_meta, front) = match split.front {
                Some((syntax, block)) => match front_matter::parse(syntax, block, split.front_line)
                {
                    Ok(m) => (Some(m), block.to_string()),
                    Err(e) => {
                        return (
                            Vec::new(),
                            vec![Diagnostic::error(&src.path, Some(e.line), e.message)],
                        )
                    }
                },
                None => (None, String::new()),
            };
            let has_front_matter = front_meta.is_some();
            let meta = match front_meta {
                Some(fm) => {
                    let extracted = extract::extract_missing(split.body, &fm);
                    fm.or(extracted)
                }
                None => extract::extract(split.body),
            };
            notices.push(finish(
                src,
                None,
                meta,
                split.body.to_string(),
                front,
                split.front_line,
                has_front_matter,
                &mut diags,
            ));
        }
        Format::Text | Format::Html => {
            let plain = if src.format == Format::Html {
                extract::html_to_text(&text)
            } else {
                text
            };
            let posts = extract::split_posts(&plain);
            let many = posts.len() > 1;
            for (i, post) in posts.into_iter().enumerate() {
                // A casebook post's meta is its header over its extracted text already.
                let meta = if post.meta == Meta::default() {
                    extract::extract(&post.text)
                } else {
                    post.meta
                };
                let suffix = many.then_some(i + 1);
                notices.push(finish(
                    src,
                    suffix,
                    meta,
                    post.text,
                    String::new(),
                    1,
                    false,
                    &mut diags,
                ));
            }
        }
    }
    for n in &notices {
        validate(n, config, &mut diags);
    }
    (notices.into_iter().map(Arc::new).collect(), diags)
}

#[allow(clippy::too_many_arguments)]
fn finish(
    src: &Source,
    post: Option<usize>,
    mut meta: Meta,
    body: String,
    front: String,
    front_line: usize,
    has_front_matter: bool,
    diags: &mut Vec<Diagnostic>,
) -> Notice {
    let stem_id = text::slugify_ascii(&src.stem);
    let mut id = match &meta.slug {
        Some(slug) if has_front_matter => slug.clone(),
        _ => match post {
            Some(n) if !stem_id.is_empty() => format!("{stem_id}-{n}"),
            _ => stem_id.clone(),
        },
    };
    if id.is_empty() {
        // A stem with no ASCII letters (お知らせ.txt): a stable id from the path.
        id = format!(
            "notice-{:08x}",
            fnv32(&format!("{}#{}", src.path, post.unwrap_or(0)))
        );
    }
    if !has_front_matter {
        meta.slug = None;
    }
    if meta.published.is_none() {
        if let Some(d) = date_from_path(&src.stem, &src.folders) {
            meta.published = Some(d);
            let review = meta.review.get_or_insert_with(Vec::new);
            if !review.iter().any(|r| r == "published") {
                review.push("published".into());
            }
        }
    }
    if !has_front_matter && src.format == Format::Markdown {
        diags.push(Diagnostic::warning(
            &src.path,
            None,
            "no front matter: metadata was extracted from the text; run `jikenbo import` to review it",
        ));
    }
    let title = meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| src.stem.clone());
    let title = text::nfc(title.trim());
    Notice {
        id,
        path: src.path.clone(),
        format: src.format,
        meta,
        match_text: std::sync::OnceLock::new(),
        title,
        body,
        front,
        front_line,
        has_front_matter,
    }
}

fn validate(n: &Notice, config: &Config, diags: &mut Vec<Diagnostic>) {
    if let Some(slug) = &n.meta.slug {
        if !text::is_valid_id(slug) {
            diags.push(Diagnostic::error(
                &n.path,
                n.key_line("slug"),
                format!("slug `{slug}` must use only a-z, 0-9 and - (at most 100 characters)"),
            ));
        }
    }
    for v in n.meta.vectors.iter().flatten() {
        if config.vector(v).is_none() {
            diags.push(Diagnostic::error(
                &n.path,
                n.key_line("vectors"),
                format!("unknown vector `{v}`; use an id from DESIGN §4 (e.g. `ransomware`) or add it under [[vectors]] in site.toml"),
            ));
        }
    }
    for (key, list) in [("follows", &n.meta.follows), ("related", &n.meta.related)] {
        for target in list.iter().flatten() {
            if !text::is_valid_id(target) {
                diags.push(Diagnostic::error(
                    &n.path,
                    n.key_line(key),
                    format!("`{target}` in {key} is not a notice id"),
                ));
            }
        }
    }
    if let Some(e) = &n.meta.exposure {
        if let (Some(from), Some(to)) = (e.from, e.to) {
            if from > to {
                diags.push(Diagnostic::error(
                    &n.path,
                    n.key_line("exposure"),
                    format!("exposure starts ({from}) after it ends ({to})"),
                ));
            }
        }
    }
    if n.meta.published.is_none() {
        diags.push(Diagnostic::warning(
            &n.path,
            None,
            "no date found: set `published` so the notice sorts and gets a year",
        ));
    }
    if let Some(src) = &n.meta.source {
        let lower = src.trim().to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            diags.push(Diagnostic::error(
                &n.path,
                n.key_line("source"),
                "source must be an http(s) URL",
            ));
        }
    }
}

/// A date from the file name (`2024-11-25-ginji.md`, `20241125.txt`) or folders (`2024/11/25/`).
fn date_from_path(stem: &str, folders: &[String]) -> Option<Date> {
    let digits = |s: &str| s.len() == 4 || s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    let b = stem.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        if let Some(d) = Date::parse_iso(&stem[..10]) {
            return Some(d);
        }
    }
    if b.len() >= 8
        && b[..8].iter().all(u8::is_ascii_digit)
        && b.get(8).is_none_or(|c| !c.is_ascii_digit())
    {
        if let Some(d) = Date::new(
            stem[..4].parse().ok()?,
            stem[4..6].parse().ok()?,
            stem[6..8].parse().ok()?,
        ) {
            return Some(d);
        }
    }
    let n = folders.len();
    if n >= 3 && folders[n - 3..].iter().all(|f| digits(f)) {
        return Date::new(
            folders[n - 3].parse().ok()?,
            folders[n - 2].parse().ok()?,
            folders[n - 1].parse().ok()?,
        );
    }
    None
}

/// 32-bit FNV-1a, for stable short ids.
fn fnv32(s: &str) -> u32 {
    s.bytes().fold(0x811c9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x01000193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_paths() {
        assert_eq!(
            date_from_path("2024-11-25-ginji", &[]),
            Date::new(2024, 11, 25)
        );
        assert_eq!(date_from_path("20241125", &[]), Date::new(2024, 11, 25));
        assert_eq!(
            date_from_path("notice", &["2024".into(), "06".into(), "11".into()]),
            Date::new(2024, 6, 11)
        );
        assert_eq!(date_from_path("notice", &["2024".into()]), None);
    }
}
