//! Incidents: the releases of one event, across organizations, grouped and keyed.
//!
//! Notices join one incident through a shared `incident` key, `follows` and `related`. The key
//! is the explicit one where a member has it, otherwise the id of the first release, which stays
//! the same when later releases are added.

use super::Notice;
use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One incident.
#[derive(Clone, Debug)]
pub struct Incident {
    /// Stable key: the incident number or the first release's id.
    pub key: String,
    /// URL segment for `/incidents/<segment>/`.
    pub segment: String,
    /// Member notices, oldest first (indices into `Archive::notices`).
    pub notices: Vec<usize>,
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the smaller index as root, so roots don't depend on union order.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// Groups notices into incidents; returns them sorted by key, and each notice's incident.
pub fn group(
    notices: &[Arc<Notice>],
    follows: &[Vec<usize>],
    related: &[Vec<usize>],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Incident>, Vec<Option<usize>>) {
    let n = notices.len();
    let mut uf = UnionFind((0..n).collect());
    let mut by_key: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, notice) in notices.iter().enumerate() {
        if let Some(key) = notice
            .meta
            .incident
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            match by_key.get(key) {
                Some(&j) => uf.union(i, j),
                None => {
                    by_key.insert(key, i);
                }
            }
        }
        for &j in follows[i].iter().chain(&related[i]) {
            uf.union(i, j);
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        members.entry(uf.find(i)).or_default().push(i);
    }
    let mut incidents = Vec::new();
    for (_, mut list) in members {
        // Oldest first (notices are newest first, so reverse index order); undated releases last.
        list.sort_unstable_by_key(|&i| (notices[i].meta.published.is_none(), std::cmp::Reverse(i)));
        let keys: Vec<&str> = {
            let mut k: Vec<&str> = list
                .iter()
                .filter_map(|&i| {
                    notices[i]
                        .meta
                        .incident
                        .as_deref()
                        .map(str::trim)
                        .filter(|k| !k.is_empty())
                })
                .collect();
            k.sort_unstable();
            k.dedup();
            k
        };
        if keys.len() > 1 {
            let first = &notices[list[0]];
            diags.push(Diagnostic::warning(
                &first.path,
                first.key_line("incident"),
                format!(
                    "linked notices carry different incident keys ({}); using `{}`",
                    keys.join(", "),
                    keys[0]
                ),
            ));
        }
        if list.len() < 2 && keys.is_empty() {
            continue;
        }
        let key = keys
            .first()
            .map(|k| k.to_string())
            .unwrap_or_else(|| notices[list[0]].id.clone());
        incidents.push(Incident {
            segment: String::new(),
            key,
            notices: list,
        });
    }
    incidents.sort_by(|a, b| a.key.cmp(&b.key));
    // Segments: the key made path-safe; a clash (keys differing only in unsafe characters) is an error.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut keep = Vec::new();
    for mut inc in incidents {
        let first = &notices[inc.notices[0]];
        match super::taxonomy::segment_for(&inc.key) {
            Some(seg) => {
                if let Some(other) = seen.get(&seg) {
                    diags.push(Diagnostic::error(
                        &first.path,
                        first.key_line("incident"),
                        format!("incident `{}` and incident `{other}` would share the page /incidents/{seg}/", inc.key),
                    ));
                    continue;
                }
                seen.insert(seg.clone(), inc.key.clone());
                inc.segment = seg;
                keep.push(inc);
            }
            None => diags.push(Diagnostic::error(
                &first.path,
                first.key_line("incident"),
                format!(
                    "incident key `{}` gives an empty path; use letters or digits",
                    inc.key
                ),
            )),
        }
    }
    let mut incident_of = vec![None; n];
    for (k, inc) in keep.iter().enumerate() {
        for &i in &inc.notices {
            incident_of[i] = Some(k);
        }
    }
    (keep, incident_of)
}

/// Reports each cycle of `follows` once, naming its notices.
pub fn find_cycles(notices: &[Arc<Notice>], follows: &[Vec<usize>], diags: &mut Vec<Diagnostic>) {
    // Iterative three-colour DFS; a back edge closes a cycle.
    let n = notices.len();
    let mut colour = vec![0u8; n];
    for start in 0..n {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&target) = follows[node].get(*next) {
                *next += 1;
                match colour[target] {
                    0 => {
                        colour[target] = 1;
                        stack.push((target, 0));
                    }
                    1 => {
                        let pos = stack.iter().position(|&(x, _)| x == target).unwrap_or(0);
                        let mut ids: Vec<&str> = stack[pos..]
                            .iter()
                            .map(|&(x, _)| notices[x].id.as_str())
                            .collect();
                        ids.push(notices[target].id.as_str());
                        let first = &notices[target];
                        diags.push(Diagnostic::error(
                            &first.path,
                            first.key_line("follows"),
                            format!("`follows` forms a cycle: {}", ids.join(" → ")),
                        ));
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
}
