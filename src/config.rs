//! `site.toml`: the site's settings, read strictly (an unknown key is an error with its line).

use crate::vocab::{self, Vector};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Display language of the generated pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Japanese (default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Language {
    /// The BCP 47 tag for the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Ja => "ja",
            Language::En => "en",
        }
    }
}

/// ASCII slugs that site.toml gives to terms whose text would otherwise be the URL segment.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Slugs {
    /// Label text → slug, e.g. `"最終報告" = "final-report"`.
    pub labels: BTreeMap<String, String>,
    /// Organization name → slug.
    pub orgs: BTreeMap<String, String>,
}

/// A vector added by site.toml (`[[vectors]]`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraVector {
    /// ASCII id.
    pub id: String,
    /// Japanese name.
    pub name: String,
    /// English name (defaults to the id).
    #[serde(default)]
    pub name_en: Option<String>,
    /// Cue words for extraction.
    #[serde(default)]
    pub cues: Vec<String>,
    /// VERIS action for the dataset.
    #[serde(default)]
    pub veris: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default)]
    language: Language,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    #[serde(default)]
    cname: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    allow_raw_html: bool,
    #[serde(default)]
    slugs: Slugs,
    #[serde(default)]
    vectors: Vec<ExtraVector>,
}

fn default_theme() -> String {
    "default".into()
}
fn default_paginate_by() -> usize {
    20
}
fn default_feed_limit() -> usize {
    50
}

/// The validated site configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-line description (home page, feeds, OGP).
    pub description: String,
    /// Absolute base URL with a trailing `/`, e.g. `https://user.github.io/archive/`.
    pub base_url: String,
    /// Page language.
    pub language: Language,
    /// Theme name (folder under `themes/`; `default` is embedded).
    pub theme: String,
    /// Notices per list page.
    pub paginate_by: usize,
    /// Entries per Atom feed.
    pub feed_limit: usize,
    /// Custom domain written to `CNAME`.
    pub cname: Option<String>,
    /// Feed author (defaults to the title).
    pub author: String,
    /// Keep raw HTML in Markdown bodies (sanitized: no scripts, handlers, frames or
    /// `javascript:` URLs) instead of showing it as text. For archives whose content is trusted.
    pub allow_raw_html: bool,
    /// ASCII slugs for terms.
    pub slugs: Slugs,
    /// Built-in vectors plus site additions, in vocabulary order.
    pub vectors: Vec<Vector>,
}

impl Config {
    /// Reads and validates `path` (a site.toml).
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "{}: cannot read the site configuration (is this a jikenbo site folder?)",
                path.display()
            )
        })?;
        Config::parse(&text).map_err(|e| anyhow::anyhow!("{}:{e:#}", path.display()))
    }

    /// Parses site.toml text; errors start with `line: `.
    pub fn parse(text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            anyhow::anyhow!("{line}: {}", e.message().trim())
        })?;
        let line_of_key = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|i| i + 1)
                .unwrap_or(1)
        };
        let base_url = normalize_base_url(&raw.base_url)
            .with_context(|| format!("{}: base_url `{}`", line_of_key("base_url"), raw.base_url))?;
        if raw.paginate_by == 0 {
            bail!(
                "{}: paginate_by must be at least 1",
                line_of_key("paginate_by")
            );
        }
        if raw.feed_limit == 0 {
            bail!(
                "{}: feed_limit must be at least 1",
                line_of_key("feed_limit")
            );
        }
        if raw.theme.is_empty() || raw.theme.contains(['/', '\\']) || raw.theme.starts_with('.') {
            bail!(
                "{}: theme must be a folder name under themes/",
                line_of_key("theme")
            );
        }
        for (kind, map) in [("labels", &raw.slugs.labels), ("orgs", &raw.slugs.orgs)] {
            for (term, slug) in map {
                if !crate::text::is_valid_id(slug) {
                    bail!(
                        "{}: slug `{slug}` for {kind} term `{term}` must use only a-z, 0-9 and -",
                        line_of_key(&format!("\"{term}\"")).max(line_of_key(term))
                    );
                }
                if slug == "page" {
                    bail!(
                        "{}: slug `page` for {kind} term `{term}` is taken by the later pages of /{kind}/ (/{kind}/page/2/); choose another",
                        line_of_key(&format!("\"{term}\"")).max(line_of_key(term))
                    );
                }
            }
        }
        let mut vectors = vocab::builtin_vectors();
        for extra in raw.vectors {
            if !crate::text::is_valid_id(&extra.id) {
                bail!(
                    "{}: vector id `{}` must use only a-z, 0-9 and -",
                    line_of_key("id"),
                    extra.id
                );
            }
            if vectors.iter().any(|v| v.id == extra.id) {
                bail!(
                    "{}: vector `{}` is already in the vocabulary",
                    line_of_key("id"),
                    extra.id
                );
            }
            vectors.push(Vector {
                en: extra.name_en.unwrap_or_else(|| extra.id.clone()),
                id: extra.id,
                ja: extra.name,
                cues: extra.cues,
                veris: extra.veris.unwrap_or_default(),
            });
        }
        Ok(Config {
            author: raw.author.unwrap_or_else(|| raw.title.clone()),
            title: raw.title,
            description: raw.description,
            base_url,
            language: raw.language,
            theme: raw.theme,
            paginate_by: raw.paginate_by,
            feed_limit: raw.feed_limit,
            cname: raw.cname.filter(|c| !c.trim().is_empty()),
            allow_raw_html: raw.allow_raw_html,
            slugs: raw.slugs,
            vectors,
        })
    }

    /// The path part of base_url, always starting and ending with `/` (`/archive/`).
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.find("://").map(|i| i + 3).unwrap_or(0);
        match self.base_url[after_scheme..].find('/') {
            Some(i) => &self.base_url[after_scheme + i..],
            None => "/",
        }
    }

    /// The vector with this id.
    pub fn vector(&self, id: &str) -> Option<&Vector> {
        self.vectors.iter().find(|v| v.id == id)
    }

    /// A copy with another base URL (`build --base-url`, `serve`).
    pub fn with_base_url(mut self, url: &str) -> Result<Config> {
        self.base_url = normalize_base_url(url).with_context(|| format!("--base-url `{url}`"))?;
        Ok(self)
    }
}

/// 1-based line number of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn normalize_base_url(url: &str) -> Result<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| anyhow::anyhow!("must start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        bail!("has no host");
    }
    if url.contains(['?', '#', ' ', '"', '<', '>', '\'']) {
        bail!("must not contain a query, fragment, space or quote");
    }
    let mut url = url.trim_end_matches('/').to_string();
    url.push('/');
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_its_line() {
        let err = Config::parse("title = \"x\"\nbase_url = \"https://a.example/\"\ncolour = 1\n")
            .unwrap_err();
        assert!(
            err.to_string().starts_with("3: unknown field `colour`"),
            "{err}"
        );
    }

    #[test]
    fn base_path_keeps_the_project_subpath() {
        let c = Config::parse("title = \"x\"\nbase_url = \"https://user.github.io/archive\"\n")
            .unwrap();
        assert_eq!(c.base_url, "https://user.github.io/archive/");
        assert_eq!(c.base_path(), "/archive/");
        let c = Config::parse("title = \"x\"\nbase_url = \"http://127.0.0.1:1111\"\n").unwrap();
        assert_eq!(c.base_path(), "/");
        assert_eq!(c.vectors.len(), 16);
    }

    #[test]
    fn bad_slug_is_rejected() {
        let err = Config::parse("title = \"x\"\nbase_url = \"https://a.example/\"\n[slugs.labels]\n\"最終報告\" = \"最終\"\n")
            .unwrap_err();
        assert!(err.to_string().contains("4: slug"), "{err}");
    }
}
