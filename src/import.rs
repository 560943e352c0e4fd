//! `jikenbo import` and `jikenbo extract`: raw notices in, reviewed-ready Markdown out.
//!
//! `import` is the only code that writes into `content/`. It never replaces a file unless
//! `--force`, and then keeps the old one as `.bak`, so a person's edits are never lost.

use crate::diagnostic::Diagnostic;
use crate::notice::{self, Format, Meta, Source};
use crate::{config::Config, extract};
use anyhow::{Context, Result};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One extracted notice, as `extract --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// The path as given.
    pub file: String,
    /// The notice id.
    pub id: String,
    /// The merged metadata.
    #[serde(flatten)]
    pub meta: Meta,
    /// The body as it would be imported (not printed).
    #[serde(skip)]
    pub body: String,
    /// True when the file already had front matter.
    #[serde(skip)]
    pub had_front_matter: bool,
}

fn source_for(path: &Path) -> Result<Source> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let format = notice::format_of(path).unwrap_or(Format::Text);
    let shown = path.to_string_lossy().into_owned();
    Ok(Source {
        path: shown,
        stem: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        folders: path
            .parent()
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default(),
        format,
        bytes,
    })
}

/// Extracts metadata from each file (front matter wins where present).
pub fn extract_files(files: &[PathBuf]) -> (Vec<Entry>, Vec<Diagnostic>) {
    let config = Config::parse("title = \"extract\"\nbase_url = \"https://localhost/\"\n")
        .expect("built-in config parses");
    let mut entries = Vec::new();
    let mut diags = Vec::new();
    for path in files {
        let src = match source_for(path) {
            Ok(s) => s,
            Err(e) => {
                diags.push(Diagnostic::error(
                    path.to_string_lossy(),
                    None,
                    format!("{e:#}"),
                ));
                continue;
            }
        };
        let (notices, d) = notice::parse_source(&src, &config);
        // Only file-level problems matter here; "no front matter" is the normal case.
        diags.extend(
            d.into_iter()
                .filter(|d| d.level == crate::diagnostic::Level::Error),
        );
        for n in notices {
            let mut meta = n.meta;
            if meta.title.is_none() {
                meta.title = Some(n.title.clone());
            }
            let body = match n.format {
                Format::Markdown => n.body,
                _ => extract::reflow(&n.body),
            };
            entries.push(Entry {
                file: src.path.clone(),
                id: n.id,
                meta,
                body,
                had_front_matter: n.has_front_matter,
            });
        }
    }
    (entries, diags)
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportResult {
    /// One human-readable line per notice.
    pub lines: Vec<String>,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Files written.
    pub written: Vec<PathBuf>,
}

/// Imports raw notices from `inputs` (files or folders) into `into`.
pub fn import(inputs: &[PathBuf], into: &Path, force: bool) -> Result<ImportResult> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            for e in walkdir::WalkDir::new(input).sort_by_file_name() {
                let e = e.with_context(|| format!("walking {}", input.display()))?;
                if e.file_type().is_file() && notice::format_of(e.path()).is_some() {
                    files.push(e.into_path());
                }
            }
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            anyhow::bail!("{}: no such file or folder", input.display());
        }
    }
    let (entries, diagnostics) = extract_files(&files);
    let mut result = ImportResult {
        diagnostics,
        ..ImportResult::default()
    };
    std::fs::create_dir_all(into).with_context(|| format!("creating {}", into.display()))?;
    for e in entries {
        if e.had_front_matter {
            result
                .lines
                .push(format!("skipped {}: it already has front matter", e.file));
            continue;
        }
        let target = into.join(format!("{}.md", e.id));
        let text = format!(
            "+++\n{}+++\n\n{}\n",
            front_matter_toml(&e.meta)?,
            e.body.trim_end()
        );
        if target.exists() {
            let existing = std::fs::read(&target).unwrap_or_default();
            if existing == text.as_bytes() {
                result.lines.push(format!("unchanged {}", target.display()));
                continue;
            }
            if !force {
                result.lines.push(format!(
                    "skipped {}: {} exists (it may hold your edits); use --force to replace it (a .bak is kept)",
                    e.file,
                    target.display()
                ));
                continue;
            }
            let bak = target.with_extension("md.bak");
            std::fs::rename(&target, &bak)
                .with_context(|| format!("keeping {} as {}", target.display(), bak.display()))?;
        }
        write_new(&target, text.as_bytes())?;
        let review = e.meta.review.clone().unwrap_or_default();
        let mut line = format!("wrote {} from {}", target.display(), e.file);
        let found: Vec<&str> = [
            "org",
            "published",
            "vectors",
            "labels",
            "records",
            "cards",
            "data",
            "incident",
            "refers",
        ]
        .into_iter()
        .filter(|f| e.meta.has_field(f))
        .collect();
        let _ = write!(
            line,
            "\n  found: {}",
            if found.is_empty() {
                "-".into()
            } else {
                found.join(", ")
            }
        );
        if !review.is_empty() {
            let _ = write!(line, "\n  review: {}", review.join(", "));
        }
        result.lines.push(line);
        result.written.push(target);
    }
    Ok(result)
}

/// Writes a file via a temporary name, so a crash never leaves half a notice.
fn write_new(target: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = target.with_extension("md.jikenbo-tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, target).with_context(|| format!("writing {}", target.display()))?;
    Ok(())
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

/// Front matter in DESIGN §3's layout and order (TOML, dates unquoted, inline tables).
pub fn front_matter_toml(m: &Meta) -> Result<String> {
    let mut out = String::new();
    let mut line = |k: &str, v: String| {
        let _ = writeln!(out, "{k} = {v}");
    };
    if let Some(v) = &m.title {
        line("title", q(v));
    }
    if let Some(v) = &m.org {
        line("org", q(v));
    }
    if let Some(v) = m.published {
        line("published", v.to_string());
    }
    if let Some(v) = &m.incident {
        line("incident", q(v));
    }
    if let Some(v) = &m.labels {
        line("labels", list(v));
    }
    if let Some(v) = &m.vectors {
        line("vectors", list(v));
    }
    if let Some(v) = m.records {
        line("records", v.to_string());
    }
    if let Some(v) = m.cards {
        line("cards", v.to_string());
    }
    if let Some(v) = &m.data {
        line("data", list(v));
    }
    if let Some(e) = &m.exposure {
        let mut parts = Vec::new();
        if let Some(f) = e.from {
            parts.push(format!("from = {f}"));
        }
        if let Some(t) = e.to {
            parts.push(format!("to = {t}"));
        }
        line("exposure", format!("{{ {} }}", parts.join(", ")));
    }
    if let Some(v) = m.discovered {
        line("discovered", v.to_string());
    }
    if let Some(v) = &m.follows {
        line("follows", list(v));
    }
    if let Some(v) = &m.related {
        line("related", list(v));
    }
    if let Some(refs) = &m.refers {
        let items: Vec<String> = refs
            .iter()
            .map(|r| {
                let mut parts = Vec::new();
                if let Some(d) = r.date {
                    parts.push(format!("date = {d}"));
                }
                if let Some(t) = &r.title {
                    parts.push(format!("title = {}", q(t)));
                }
                if let Some(s) = &r.stage {
                    parts.push(format!("stage = {}", q(s)));
                }
                format!("{{ {} }}", parts.join(", "))
            })
            .collect();
        line("refers", format!("[{}]", items.join(", ")));
    }
    if let Some(v) = &m.source {
        line("source", q(v));
    }
    if let Some(v) = &m.review {
        line("review", list(v));
    }
    if let Some(v) = m.draft {
        line("draft", v.to_string());
    }
    // What we write must read back as the same metadata.
    let back: Meta =
        toml::from_str(&out).context("the generated front matter does not read back")?;
    let mut expect = m.clone();
    expect.slug = None;
    anyhow::ensure!(
        back == expect,
        "the generated front matter does not round-trip"
    );
    Ok(out)
}
