//! Stage 3: notices become an `Archive` — sorted, grouped into incidents, linked, classified.
//!
//! Everything the render stage needs to know about relations between notices is computed here,
//! once and single-threaded, so the (parallel) render stage only reads. After `Archive::build`
//! the archive is immutable.

mod incident;
pub mod link;
mod taxonomy;

pub use incident::Incident;
pub use taxonomy::{segment_for, Taxonomy, TaxonomyKind, Term};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::notice::Notice;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The linked archive.
#[derive(Debug)]
pub struct Archive {
    /// Notices, newest first (undated last), ties broken by id.
    pub notices: Vec<Arc<Notice>>,
    /// Notice id → index in `notices`.
    pub by_id: BTreeMap<String, usize>,
    /// Years, vectors, labels, organizations (in that order).
    pub taxonomies: Vec<Taxonomy>,
    /// Incidents with more than one release or an explicit key, by key.
    pub incidents: Vec<Incident>,
    /// For each notice, its incident (index into `incidents`).
    pub incident_of: Vec<Option<usize>>,
    /// For each notice, the notices that name it in `follows` (its follow-ups), oldest first.
    pub followed_by: Vec<Vec<usize>>,
    /// For each notice, the notices it follows (resolved `follows`), oldest first.
    pub follows: Vec<Vec<usize>>,
    /// For each notice, other notices linked by `related` in either direction, oldest first.
    pub related: Vec<Vec<usize>>,
    /// Problems found while linking.
    pub diagnostics: Vec<Diagnostic>,
    /// For each notice, per entry of its `refers`, the archived release it names (if any).
    pub refers: Vec<Vec<Option<usize>>>,
    /// The home page intro (`content/_index.md` body), Markdown.
    pub intro: Option<String>,
}

/// Newest first; undated notices last; ties by id.
pub fn newest_first(a: &Notice, b: &Notice) -> Ordering {
    match (a.meta.published, b.meta.published) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.id.cmp(&b.id))
}

impl Archive {
    /// Builds the archive from parsed notices (ids already unique). `memo` carries linking work
    /// between builds (`serve`); a fresh one gives the same archive.
    pub fn build(
        mut notices: Vec<Arc<Notice>>,
        intro: Option<String>,
        config: &Config,
        memo: &mut link::Memo,
    ) -> Archive {
        let t = std::time::Instant::now();
        rayon::slice::ParallelSliceMut::par_sort_by(&mut notices[..], |a, b| newest_first(a, b));
        let by_id: BTreeMap<String, usize> = notices
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        let mut diagnostics = Vec::new();
        let resolve = |i: usize,
                       key: &str,
                       list: &Option<Vec<String>>,
                       diags: &mut Vec<Diagnostic>|
         -> Vec<usize> {
            let n = &notices[i];
            let mut out = Vec::new();
            for target in list.iter().flatten() {
                match by_id.get(target) {
                    Some(&j) if j == i => diags.push(Diagnostic::error(
                        &n.path,
                        n.key_line(key),
                        format!("`{target}` in {key} is this notice itself"),
                    )),
                    Some(&j) => out.push(j),
                    None => diags.push(Diagnostic::error(
                        &n.path,
                        n.key_line(key),
                        format!("{key} names `{target}`, but no notice has that id"),
                    )),
                }
            }
            out
        };
        let mut follows: Vec<Vec<usize>> = Vec::with_capacity(notices.len());
        let mut related: Vec<Vec<usize>> = vec![Vec::new(); notices.len()];
        let mut followed_by: Vec<Vec<usize>> = vec![Vec::new(); notices.len()];
        for i in 0..notices.len() {
            follows.push(resolve(
                i,
                "follows",
                &notices[i].meta.follows,
                &mut diagnostics,
            ));
            for j in resolve(i, "related", &notices[i].meta.related, &mut diagnostics) {
                related[i].push(j);
                related[j].push(i);
            }
        }
        // Links found in the text: references to earlier releases, contractors.
        log::debug!("  sorted and resolved ids in {:.0?}", t.elapsed());
        let t = std::time::Instant::now();
        let found = link::resolve(&notices, memo);
        log::debug!("  linked references in {:.2?}", t.elapsed());
        let t = std::time::Instant::now();
        for &(i, j) in &found.follows {
            follows[i].push(j);
        }
        for &(i, j) in &found.related {
            related[i].push(j);
            related[j].push(i);
        }
        for (i, targets) in follows.iter().enumerate() {
            for &j in targets {
                followed_by[j].push(i);
            }
        }
        // Oldest first = highest index first (notices are newest first).
        for list in follows
            .iter_mut()
            .chain(related.iter_mut())
            .chain(followed_by.iter_mut())
        {
            list.sort_unstable_by(|a, b| b.cmp(a));
            list.dedup();
        }
        // Incidents and taxonomies are independent: side by side.
        let (mut incident_diags, mut taxonomy_diags) = (Vec::new(), Vec::new());
        let ((incidents, incident_of), taxonomies) = rayon::join(
            || {
                incident::find_cycles(&notices, &follows, &mut incident_diags);
                incident::group(&notices, &follows, &related, &mut incident_diags)
            },
            || taxonomy::build_all(&notices, config, &mut taxonomy_diags),
        );
        diagnostics.extend(incident_diags);
        diagnostics.extend(taxonomy_diags);
        log::debug!("  grouped incidents and classified in {:.0?}", t.elapsed());
        Archive {
            refers: found.refers,
            notices,
            by_id,
            taxonomies,
            incidents,
            incident_of,
            followed_by,
            follows,
            related,
            diagnostics,
            intro,
        }
    }

    /// The taxonomy of a kind.
    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        self.taxonomies
            .iter()
            .find(|t| t.kind == kind)
            .expect("every kind is built")
    }
}
