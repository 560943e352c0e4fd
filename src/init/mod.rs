//! `jikenbo init DIR`: a new site that builds at once and deploys to GitHub Pages.
//!
//! The files are templates embedded in the binary. A non-empty folder is refused unless
//! `--force`, and even then existing files are only replaced when they differ (kept as `.bak`).

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

const FILES: &[(&str, &str)] = &[
    ("site.toml", include_str!("site.toml")),
    ("content/_index.md", include_str!("_index.md")),
    (
        "content/notices/2024/sample-2024-06-11.md",
        include_str!("sample.md"),
    ),
    (".gitignore", "public/\n.public.jikenbo-*\n*.md.bak\n"),
    (".github/workflows/pages.yml", include_str!("pages.yml")),
];

/// Creates a site in `dir`. Returns the files written.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let non_empty = std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .next()
            .is_some();
        if non_empty && !force {
            bail!(
                "{} is not empty; use --force to add a site to it (changed files are kept as .bak)",
                dir.display()
            );
        }
    }
    let title = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "archive".into());
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let text = text.replace("{{name}}", &title);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        if path.exists() {
            if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
                continue;
            }
            let mut bak = path.clone().into_os_string();
            bak.push(".bak");
            std::fs::rename(&path, &bak)
                .with_context(|| format!("keeping {} as .bak", path.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
