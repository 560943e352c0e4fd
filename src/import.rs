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
    extract_files_with(files, &indicatif::ProgressBar::hidden())
}

fn extract_files_with(
    files: &[PathBuf],
    bar: &indicatif::ProgressBar,
) -> (Vec<Entry>, Vec<Diagnostic>) {
    bar.set_length(files.len() as u64);
    let config = Config::parse("title = \"extract\"\nbase_url = \"https://localhost/\"\n")
        .expect("built-in config parses");
    // Files in parallel, results in the order given.
    use rayon::prelude::*;
    let per_file: Vec<(Vec<Entry>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|path| {
            bar.inc(1);
            let mut entries = Vec::new();
            let src = match source_for(path) {
                Ok(s) => s,
                Err(e) => {
                    return (
                        entries,
                        vec![Diagnostic::error(
                            path.to_string_lossy(),
                            None,
                            format!("{e:#}"),
                        )],
                    )
                }
            };
            let (notices, d) = notice::parse_source(&src, &config);
            // Only file-level problems matter here; "no front matter" is the normal case.
            let diags: Vec<Diagnostic> = d
                .into_iter()
                .filter(|d| d.level == crate::diagnostic::Level::Error)
                .collect();
            for n in notices {
                let n = std::sync::Arc::unwrap_or_clone(n);
                let mut meta = n.meta;
                if meta.title.is_none() {
                    meta.title = Some(n.title.clone());
                }
                let body = match n.format {
                    Format::Markdown => n.body,
                    _ => text_to_markdown(&extract::reflow(&n.body)),
                };
                entries.push(Entry {
                    file: src.path.clone(),
                    id: n.id,
                    meta,
                    body,
                    had_front_matter: n.has_front_matter,
                });
            }
            (entries, diags)
        })
        .collect();
    let mut entries = Vec::new();
    let mut diags = Vec::new();
    for (e, d) in per_file {
        entries.extend(e);
        diags.extend(d);
    }
    (entries, diags)
}

/// Plain text as Markdown that renders the same words and line breaks: paragraphs stay
/// separated by blank lines, line breaks inside a paragraph become hard breaks (`\`), and
/// characters Markdown would read as syntax are escaped.
pub fn text_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (p, para) in text
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .enumerate()
    {
        if p > 0 {
            out.push_str("\n\n");
        }
        let lines: Vec<&str> = para
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            // Leading spaces would make a code block: drop them (full-width indents stay).
            let mut escaped = String::with_capacity(trimmed.len());
            for (k, c) in trimmed.char_indices() {
                let at_start = k == 0;
                let starts_block = at_start && matches!(c, '#' | '-' | '+' | '=' | '>');
                let ordered = at_start
                    && c.is_ascii_digit()
                    && trimmed[k..]
                        .trim_start_matches(|d: char| d.is_ascii_digit())
                        .starts_with(['.', ')']);
                if starts_block
                    || matches!(
                        c,
                        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
                    )
                {
                    escaped.push('\\');
                }
                if ordered {
                    let digits: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
                    escaped.push_str(&digits);
                    escaped.push('\\');
                    escaped.push_str(&trimmed[digits.len()..]);
                    break;
                }
                escaped.push(c);
            }
            out.push_str(&escaped);
            if i + 1 < lines.len() {
                out.push_str("\\\n");
            }
        }
    }
    out
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
pub fn import(
    inputs: &[PathBuf],
    into: &Path,
    force: bool,
    progress: bool,
) -> Result<ImportResult> {
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
    let bar = if progress {
        crate::progress_bar("importing")
    } else {
        indicatif::ProgressBar::hidden()
    };
    let (entries, diagnostics) = extract_files_with(&files, &bar);
    bar.finish_and_clear();
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
        let mut e = e;
        // A notice without a date sorts nowhere: ask the reviewer for one.
        for key in ["published", "org"] {
            if !e.meta.has_field(key) {
                let review = e.meta.review.get_or_insert_with(Vec::new);
                if !review.iter().any(|r| r == key) {
                    review.push(key.to_string());
                }
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_markdown_that_renders_the_same() {
        let md = text_to_markdown("お知らせ\n\n1. 経緯\n- 氏名\n*重要* <b>\n\n  字下げ");
        assert_eq!(
            md,
            "お知らせ\n\n1\\. 経緯\\\n\\- 氏名\\\n\\*重要\\* \\<b\\>\n\n字下げ"
        );
        let html = crate::render::markdown::Markdown::new().to_html(&md);
        assert!(html.contains("1. 経緯<br />"), "{html}");
        assert!(html.contains("*重要* &lt;b&gt;"), "{html}");
        assert!(
            !html.contains("<ol") && !html.contains("<ul") && !html.contains("<em"),
            "{html}"
        );
    }
}
