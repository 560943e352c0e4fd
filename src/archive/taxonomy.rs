//! Taxonomies: years, attack vectors, labels and organizations, each term with its notices.
//!
//! Japanese terms keep their text as the URL segment (NFC, never transliterated); site.toml may
//! give an ASCII slug. Two terms that would land on one path are an error naming both sources.

use super::Notice;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::text;
use crate::vocab;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Which taxonomy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaxonomyKind {
    /// Publication year.
    Year,
    /// Attack vector (DESIGN §4 ids).
    Vector,
    /// Labels, including report stages.
    Label,
    /// Issuing organization.
    Org,
}

impl TaxonomyKind {
    /// All kinds, in page order.
    pub const ALL: [TaxonomyKind; 4] = [
        TaxonomyKind::Year,
        TaxonomyKind::Vector,
        TaxonomyKind::Label,
        TaxonomyKind::Org,
    ];

    /// The URL folder (`years`, `vectors`, `labels`, `orgs`).
    pub fn folder(self) -> &'static str {
        match self {
            TaxonomyKind::Year => "years",
            TaxonomyKind::Vector => "vectors",
            TaxonomyKind::Label => "labels",
            TaxonomyKind::Org => "orgs",
        }
    }

    /// The front-matter key a term comes from, for diagnostics.
    fn key(self) -> &'static str {
        match self {
            TaxonomyKind::Year => "published",
            TaxonomyKind::Vector => "vectors",
            TaxonomyKind::Label => "labels",
            TaxonomyKind::Org => "org",
        }
    }
}

/// One term and its notices.
#[derive(Clone, Debug)]
pub struct Term {
    /// The term as stored (vector id, label text, org name, year).
    pub key: String,
    /// Display name (the vector's Japanese/English name; otherwise the key).
    pub name: String,
    /// URL segment (path-safe, NFC).
    pub segment: String,
    /// Notices, newest first (indices into `Archive::notices`).
    pub notices: Vec<usize>,
}

/// One taxonomy with its terms in display order.
#[derive(Clone, Debug)]
pub struct Taxonomy {
    /// Which one.
    pub kind: TaxonomyKind,
    /// Terms in display order.
    pub terms: Vec<Term>,
    /// Term key → index in `terms`.
    pub by_key: BTreeMap<String, usize>,
}

impl Taxonomy {
    /// The term with this key (as stored: NFC, trimmed).
    pub fn find(&self, key: &str) -> Option<&Term> {
        self.by_key.get(key).map(|&i| &self.terms[i])
    }
}

/// Builds all four taxonomies.
pub fn build_all(
    notices: &[Arc<Notice>],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    use rayon::prelude::*;
    let built: Vec<(Taxonomy, Vec<Diagnostic>)> = TaxonomyKind::ALL
        .par_iter()
        .map(|&kind| {
            let mut d = Vec::new();
            (build(kind, notices, config, &mut d), d)
        })
        .collect();
    built
        .into_iter()
        .map(|(t, d)| {
            diags.extend(d);
            t
        })
        .collect()
}

fn terms_of(kind: TaxonomyKind, n: &Notice) -> Vec<String> {
    let mut out: Vec<String> = match kind {
        TaxonomyKind::Year => n
            .meta
            .published
            .map(|d| d.year.to_string())
            .into_iter()
            .collect(),
        TaxonomyKind::Vector => n.meta.vectors.clone().unwrap_or_default(),
        TaxonomyKind::Label => n.meta.labels.clone().unwrap_or_default(),
        TaxonomyKind::Org => n.meta.org.clone().into_iter().collect(),
    };
    for t in &mut out {
        *t = text::nfc(t.trim());
    }
    out.retain(|t| !t.is_empty());
    out.sort();
    out.dedup();
    out
}

fn build(
    kind: TaxonomyKind,
    notices: &[Arc<Notice>],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Taxonomy {
    // key → (notices, first notice that used it)
    let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, n) in notices.iter().enumerate() {
        for key in terms_of(kind, n) {
            if kind == TaxonomyKind::Vector && config.vector(&key).is_none() {
                continue; // reported by the notice stage
            }
            map.entry(key).or_default().push(i);
        }
    }
    let mut terms = Vec::new();
    let mut by_segment: BTreeMap<String, String> = BTreeMap::new();
    for (key, list) in map {
        let first = &notices[list[0]];
        let slug = match kind {
            TaxonomyKind::Label => config.slugs.labels.get(&key),
            TaxonomyKind::Org => config.slugs.orgs.get(&key),
            _ => None,
        };
        // `page` is taken by the later pages of the list of terms (`/orgs/page/2/`); a slug
        // cannot be `page` (site.toml is checked).
        let segment = match slug {
            Some(s) => Some(s.clone()),
            None => segment_for(&key).map(|s| if s == "page" { "page-".to_string() } else { s }),
        };
        let Some(segment) = segment else {
            diags.push(Diagnostic::error(
                &first.path,
                first.key_line(kind.key()),
                format!("{} `{key}` gives an empty URL path; change it or give it a slug in site.toml [slugs]", kind.key()),
            ));
            continue;
        };
        if let Some(other) = by_segment.get(&segment) {
            let other_path = terms
                .iter()
                .find(|t: &&Term| &t.key == other)
                .map(|t| notices[t.notices[0]].path.clone())
                .unwrap_or_default();
            diags.push(Diagnostic::error(
                &first.path,
                first.key_line(kind.key()),
                format!(
                    "{} `{key}` and `{other}` (in {other_path}) would share the page /{}/{segment}/; make them the same or give one a slug in site.toml [slugs]",
                    kind.key(),
                    kind.folder()
                ),
            ));
            continue;
        }
        by_segment.insert(segment.clone(), key.clone());
        let name = match kind {
            TaxonomyKind::Vector => {
                let v = config.vector(&key).expect("checked above");
                match config.language {
                    crate::config::Language::Ja => v.ja.clone(),
                    crate::config::Language::En => v.en.clone(),
                }
            }
            _ => key.clone(),
        };
        terms.push(Term {
            key,
            name,
            segment,
            notices: list,
        });
    }
    match kind {
        TaxonomyKind::Year => terms.sort_by(|a, b| b.key.cmp(&a.key)),
        TaxonomyKind::Vector => {
            terms.sort_by_key(|t| config.vectors.iter().position(|v| v.id == t.key))
        }
        TaxonomyKind::Label => terms.sort_by(|a, b| {
            let ra = vocab::stage_rank(&a.key).unwrap_or(u32::MAX);
            let rb = vocab::stage_rank(&b.key).unwrap_or(u32::MAX);
            ra.cmp(&rb).then_with(|| a.key.cmp(&b.key))
        }),
        TaxonomyKind::Org => terms.sort_by(|a, b| a.key.cmp(&b.key)),
    }
    let by_key = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.key.clone(), i))
        .collect();
    Taxonomy {
        kind,
        terms,
        by_key,
    }
}

/// The URL segment for free text (a label, an organization, an incident key): NFC, ASCII
/// letters lower-cased, whitespace as `-`, characters that mean something in paths or URLs
/// (`/ \ ? # % " < > |`, controls) dropped, no leading/trailing dots or dashes, at most 150
/// bytes. `None` when nothing is left.
pub fn segment_for(term: &str) -> Option<String> {
    let mut out = String::new();
    for c in text::nfc(term).chars() {
        if c.is_whitespace() || c == '\u{3000}' {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if c.is_control()
            || matches!(
                c,
                '/' | '\\'
                    | '?'
                    | '#'
                    | '%'
                    | '"'
                    | '<'
                    | '>'
                    | '|'
                    | ':'
                    | '*'
                    | '\''
                    | '`'
                    | '^'
                    | '{'
                    | '}'
                    | '['
                    | ']'
                    | '&'
                    | '+'
                    | ';'
                    | '='
            )
        {
            continue;
        } else {
            out.push(c.to_ascii_lowercase());
        }
        if out.len() >= 150 {
            break;
        }
    }
    let trimmed = out.trim_matches(|c| c == '.' || c == '-');
    if trimmed.is_empty() {
        return None;
    }
    // Names Windows reserves (a clone of the site there must still check out).
    let reserved = matches!(trimmed, "con" | "prn" | "aux" | "nul")
        || (trimmed.len() == 4
            && (trimmed.starts_with("com") || trimmed.starts_with("lpt"))
            && trimmed.as_bytes()[3].is_ascii_digit());
    Some(if reserved {
        format!("{trimmed}-")
    } else {
        trimmed.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_japanese() {
        assert_eq!(segment_for("最終報告").as_deref(), Some("最終報告"));
        assert_eq!(
            segment_for("株式会社 銀時").as_deref(),
            Some("株式会社-銀時")
        );
        assert_eq!(segment_for("ECサイト").as_deref(), Some("ecサイト"));
        assert_eq!(segment_for("../../etc"), Some("etc".into()));
        assert_eq!(segment_for(".."), None);
        assert_eq!(segment_for("///"), None);
        assert!(segment_for(&"長".repeat(500)).unwrap().len() <= 152);
        assert_eq!(segment_for("CON").as_deref(), Some("con-"));
        assert_eq!(segment_for("com1").as_deref(), Some("com1-"));
        assert_eq!(segment_for("a\0b").as_deref(), Some("ab"));
    }
}
