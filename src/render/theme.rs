//! Themes: Tera templates and static files, the embedded default overridden file by file.
//!
//! Lookup order for a template or static file name: the site's `templates/` (or `static/`),
//! then `themes/<theme>/` on disk, then the default theme embedded in the binary. A site needs
//! no theme folder at all.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, embedded.
const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "macros.html",
    "card.html",
    "row.html",
    "sidebar.html",
    "header.html",
    "footer.html",
    "list.html",
    "notice.html",
    "incident.html",
    "terms.html",
    "404.html",
    "stats.html",
    "search.html",
);

/// The default theme's static files, embedded.
const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/style.css"
        )),
    ),
    (
        "theme.js",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/theme.js"
        )),
    ),
    (
        "search.js",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/search.js"
        )),
    ),
    (
        "favicon.svg",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/favicon.svg"
        )),
    ),
];

/// Loaded templates and static files.
pub struct Theme {
    /// Templates, ready to render from any thread.
    pub tera: tera::Tera,
    /// Static files by output path (`style.css`), site files over theme files.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Loads the theme named in site.toml for the site at `root`.
    pub fn load(root: &Path, theme: &str) -> Result<Theme> {
        let mut templates: BTreeMap<String, String> = TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let mut statics: BTreeMap<String, Vec<u8>> = STATIC
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        // The code-highlighting stylesheet is made from syntect's themes once, here.
        statics.insert(
            "highlight.css".into(),
            super::markdown::Markdown::highlight_css().into_bytes(),
        );
        let theme_dir = root.join("themes").join(theme);
        if theme != "default" && !theme_dir.is_dir() {
            bail!(
                "site.toml: theme `{theme}` not found: there is no folder {}",
                theme_dir.display()
            );
        }
        for dir in [theme_dir.join("templates"), root.join("templates")] {
            read_tree(&dir, &mut |name, bytes| {
                let text = String::from_utf8(bytes)
                    .with_context(|| format!("{}/{name}: not UTF-8", dir.display()))?;
                templates.insert(name, text);
                Ok(())
            })?;
        }
        for dir in [theme_dir.join("static"), root.join("static")] {
            read_tree(&dir, &mut |name, bytes| {
                statics.insert(name, bytes);
                Ok(())
            })?;
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Escape `& < > " '` but not `/`: Tera's default turns every URL into `&#x2F;…`.
        tera.set_escape_fn(crate::text::escape_html);
        tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| anyhow::anyhow!("{}", tera_error_chain(&e)))
            .context("loading templates")?;
        Ok(Theme { tera, statics })
    }

    /// Renders a template; errors name the template and Tera's reason.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String> {
        self.tera
            .render(name, ctx)
            .map_err(|e| anyhow::anyhow!("template {name}: {}", tera_error_chain(&e)))
    }

    /// Renders a page's bytes. Unlike [`Theme::render`], the output is not checked again as
    /// UTF-8 (tera writes only `str`s, and every page was a second pass over its bytes).
    pub fn render_bytes(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| anyhow::anyhow!("template {name}: {}", tera_error_chain(&e)))?;
        Ok(out)
    }
}

fn tera_error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Calls `f(relative_name, bytes)` for each file under `dir`, in sorted order.
fn read_tree(dir: &Path, f: &mut dyn FnMut(String, Vec<u8>) -> Result<()>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("walking {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::notice::show(dir, entry.path());
        if rel.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("reading {}", entry.path().display()))?;
        f(rel, bytes)?;
    }
    Ok(())
}
