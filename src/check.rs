//! `jikenbo check`: validates the content, and the built output when there is one.
//!
//! Content: everything the build would report (schema, unknown vectors, dangling or cyclic
//! `follows`, duplicate ids, term path collisions) plus one warning per notice that still has
//! `review` entries. Output: every internal href/src and `#anchor` of every page must resolve
//! under base_url's path, Japanese paths included.

use crate::diagnostic::{self, Diagnostic};
use anyhow::Result;
use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The outcome of a check.
#[derive(Debug, Serialize)]
pub struct CheckResult {
    /// Notices checked.
    pub notices: usize,
    /// True when an output folder was checked too.
    pub checked_output: bool,
    /// Output files checked.
    pub output_files: usize,
    /// Everything found, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the site at `root` (and `root/public` when it exists).
pub fn check(root: &Path) -> Result<CheckResult> {
    let site = crate::load_site(root, None, true)?;
    let mut diags = site.diagnostics.clone();
    for n in &site.archive.notices {
        if let Some(review) = n.meta.review.as_ref().filter(|r| !r.is_empty()) {
            diags.push(Diagnostic::warning(
                &n.path,
                n.key_line("review"),
                format!(
                    "needs review: {} (check the values, then delete the `review` entry)",
                    review.join(", ")
                ),
            ));
        }
    }
    for (i, n) in site.archive.notices.iter().enumerate() {
        for (r, target) in n.meta.refers.iter().flatten().zip(&site.archive.refers[i]) {
            if target.is_none() {
                let what = match (&r.date, &r.title) {
                    (Some(d), Some(t)) => format!("{d} 「{t}」"),
                    (Some(d), None) => d.to_string(),
                    (None, Some(t)) => format!("「{t}」"),
                    (None, None) => "(no date or title)".into(),
                };
                diags.push(Diagnostic::warning(
                    &n.path,
                    n.key_line("refers"),
                    format!("refers to an earlier release the archive does not hold: {what}; add it to link both ways"),
                ));
            }
        }
    }
    let out = root.join("public");
    let mut output_files = 0;
    let checked_output = out.is_dir();
    if checked_output {
        // The output may have been built with --base-url: take the base from its home page.
        let base_path =
            built_base_path(&out).unwrap_or_else(|| site.config.base_path().to_string());
        let (n, link_diags) = check_links(&out, &base_path)?;
        output_files = n;
        diags.extend(link_diags);
    }
    diagnostic::sort(&mut diags);
    Ok(CheckResult {
        notices: site.archive.notices.len(),
        checked_output,
        output_files,
        diagnostics: diags,
    })
}

/// The base path the output at `out` was built for, from its home page's canonical link.
fn built_base_path(out: &Path) -> Option<String> {
    let home = std::fs::read_to_string(out.join("index.html")).ok()?;
    let canonical = Regex::new(r#"<link rel="canonical" href="([^"]+)""#)
        .ok()?
        .captures(&home)?[1]
        .to_string();
    let after_scheme = canonical.find("://")? + 3;
    let path = &canonical[after_scheme..];
    Some(
        path.find('/')
            .map(|i| path[i..].to_string())
            .unwrap_or_else(|| "/".into()),
    )
}

/// Checks every internal link of the HTML files under `out`. Returns (files, problems).
pub fn check_links(out: &Path, base_path: &str) -> Result<(usize, Vec<Diagnostic>)> {
    let mut files: BTreeSet<String> = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            files.insert(crate::notice::show(out, entry.path()));
        }
    }
    let html: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    let attr = Regex::new(r#"(?:href|src)="([^"]*)""#).expect("valid regex");
    let id_attr = Regex::new(r#"\sid="([^"]*)""#).expect("valid regex");
    // Ids per page, read lazily once per target.
    let pages: BTreeMap<&str, String> = html
        .par_iter()
        .map(|f| Ok((f.as_str(), std::fs::read_to_string(out.join(f.as_str()))?)))
        .collect::<Result<_>>()?;
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .par_iter()
        .map(|(f, text)| {
            (
                *f,
                id_attr
                    .captures_iter(text)
                    .map(|c| html_unescape(&c[1]))
                    .collect(),
            )
        })
        .collect();
    let diags: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|(file, text)| {
            let mut found = Vec::new();
            let mut seen = BTreeSet::new();
            for cap in attr.captures_iter(text) {
                let raw = html_unescape(&cap[1]);
                if !seen.insert(raw.clone()) {
                    continue;
                }
                if let Some(problem) = resolve(&raw, file, base_path, &files, &ids) {
                    let line = text[..cap.get(0).map(|m| m.start()).unwrap_or(0)]
                        .matches('\n')
                        .count()
                        + 1;
                    found.push(Diagnostic::error(
                        format!("public/{file}"),
                        Some(line),
                        problem,
                    ));
                }
            }
            found
        })
        .collect();
    Ok((files.len(), diags))
}

/// `None` when `link` (as written in `from`) resolves; otherwise what is wrong.
fn resolve(
    link: &str,
    from: &str,
    base_path: &str,
    files: &BTreeSet<String>,
    ids: &BTreeMap<&str, BTreeSet<String>>,
) -> Option<String> {
    let lower = link.to_ascii_lowercase();
    if lower.contains("://")
        || lower.starts_with("mailto:")
        || lower.starts_with("data:")
        || lower.starts_with("tel:")
        || link.starts_with("//")
    {
        return None;
    }
    if lower.starts_with("javascript:") {
        return Some(format!("`{link}` is a javascript: URL"));
    }
    let (path_part, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let target = if path_part.is_empty() {
        from.to_string()
    } else if let Some(rest) = path_part.strip_prefix(base_path) {
        let decoded = percent_encoding::percent_decode_str(rest)
            .decode_utf8_lossy()
            .into_owned();
        if decoded.is_empty() || decoded.ends_with('/') {
            format!("{decoded}index.html")
        } else if files.contains(&decoded) {
            decoded
        } else {
            format!("{decoded}/index.html")
        }
    } else if path_part.starts_with('/') {
        return Some(format!(
            "`{link}` is outside the site's base path `{base_path}`"
        ));
    } else {
        // Relative links: resolve against the page's folder.
        let dir = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let mut parts: Vec<&str> = if dir.is_empty() {
            vec![]
        } else {
            dir.split('/').collect()
        };
        let decoded = percent_encoding::percent_decode_str(path_part)
            .decode_utf8_lossy()
            .into_owned();
        for seg in decoded.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let joined = parts.join("/");
        if decoded.ends_with('/') || joined.is_empty() {
            format!("{joined}/index.html")
                .trim_start_matches('/')
                .to_string()
        } else {
            joined
        }
    };
    if !files.contains(&target) {
        return Some(format!("broken link `{link}`: no file {target}"));
    }
    if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
        let frag = percent_encoding::percent_decode_str(frag).decode_utf8_lossy();
        if target.ends_with(".html")
            && !ids
                .get(target.as_str())
                .is_some_and(|set| set.contains(frag.as_ref()))
        {
            return Some(format!(
                "broken anchor `{link}`: {target} has no id `{frag}`"
            ));
        }
    }
    None
}

fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_percent_encoded_japanese_paths() {
        let files: BTreeSet<String> = ["index.html", "labels/最終報告/index.html", "style.css"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut ids = BTreeMap::new();
        ids.insert(
            "labels/最終報告/index.html",
            BTreeSet::from(["top".to_string()]),
        );
        let r = |l: &str| resolve(l, "index.html", "/archive/", &files, &ids);
        assert_eq!(
            r("/archive/labels/%E6%9C%80%E7%B5%82%E5%A0%B1%E5%91%8A/"),
            None
        );
        assert_eq!(
            r("/archive/labels/%E6%9C%80%E7%B5%82%E5%A0%B1%E5%91%8A/#top"),
            None
        );
        assert!(r("/archive/labels/%E6%9C%80%E7%B5%82%E5%A0%B1%E5%91%8A/#nope").is_some());
        assert_eq!(r("/archive/style.css?v=1"), None);
        assert!(r("/labels/x/").is_some());
        assert!(r("/archive/missing/").is_some());
        assert_eq!(r("https://example.com/"), None);
    }
}
