//! Links the archive finds in the text: references to earlier releases and contractors.
//!
//! A follow-up says 「2024年6月11日に公表いたしました「…」」; a client's notice names its
//! contractor 「業務委託先である株式会社○○」. Neither names an id, so they are resolved here
//! against the archive: the same organization (or one the notice names) plus the referenced
//! date (the page may carry a date one day off), and the quoted title where there is one.
//! Nothing is written back to the notices: adding the original later links both ways with no
//! edit to the follow-up.

use super::Notice;
use crate::text::nfkc;
use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What resolution found.
#[derive(Debug, Default)]
pub struct Found {
    /// (follow-up, original) pairs from references to the same organization's releases.
    pub follows: Vec<(usize, usize)>,
    /// Pairs of notices by different organizations on the same incident.
    pub related: Vec<(usize, usize)>,
    /// For each notice, per entry of its `refers`, the notice it resolved to.
    pub refers: Vec<Vec<Option<usize>>>,
}

/// An organization name reduced for comparison: NFKC, no spaces, no company-form words.
pub fn org_key(org: &str) -> String {
    let mut s: String = nfkc(org).chars().filter(|c| !c.is_whitespace()).collect();
    for form in [
        "株式会社",
        "(株)",
        "有限会社",
        "(有)",
        "合同会社",
        "一般社団法人",
        "公益財団法人",
        "一般財団法人",
        "特定非営利活動法人",
    ] {
        s = s.replace(form, "");
    }
    s
}

/// A text reduced for matching names and titles: NFKC, no whitespace, brackets or quotes.
pub fn squash(s: &str) -> String {
    nfkc(s)
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '「' | '」'
                        | '『'
                        | '』'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '【'
                        | '】'
                        | '"'
                        | '\''
                        | '、'
                        | '。'
                )
        })
        .collect()
}

/// Dice coefficient of character bigrams, 0.0–1.0.
fn similarity(a: &str, b: &str) -> f64 {
    let grams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        let mut g: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
        g.sort_unstable();
        g
    };
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < ga.len() && j < gb.len() {
        match ga[i].cmp(&gb[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (ga.len() + gb.len()) as f64
}

/// True when a quoted title plausibly names `title` (titles get abbreviated or decorated).
fn title_matches(quoted: &str, title: &str) -> bool {
    let (q, t) = (squash(quoted), squash(title));
    if q.is_empty() {
        return true;
    }
    q.contains(&t) || t.contains(&q) || similarity(&q, &t) >= 0.5
}

/// Resolves references and contractor mentions. `notices` are newest first.
pub fn resolve(notices: &[Notice]) -> Found {
    let keys: Vec<String> = notices
        .iter()
        .map(|n| n.meta.org.as_deref().map(org_key).unwrap_or_default())
        .collect();
    // Organizations by key, each with its notices.
    let mut by_org: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        if !k.is_empty() {
            by_org.entry(k.as_str()).or_default().push(i);
        }
    }
    // Which organizations each notice's text names (names of 3+ characters, to avoid 市 in 出雲市).
    let names: Vec<&str> = by_org
        .keys()
        .copied()
        .filter(|k| k.chars().count() >= 3)
        .collect();
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&names)
        .ok();
    // Per notice and independent: in parallel (NFKC of every body is the costly part).
    let texts: Vec<&str> = notices.iter().map(|n| &*n.match_text).collect();
    let mentions: Vec<Vec<&str>> = texts
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            let mut found: Vec<&str> = match &matcher {
                Some(m) => m
                    .find_iter(t)
                    .map(|hit| names[hit.pattern().as_usize()])
                    .filter(|k| *k != keys[i])
                    .collect(),
                None => Vec::new(),
            };
            found.sort_unstable();
            found.dedup();
            found
        })
        .collect();
    // Notices by publication day, so a reference looks at the few released around its date.
    let mut by_day: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (j, m) in notices.iter().enumerate() {
        if let Some(d) = m.meta.published {
            by_day.entry(d.day_number()).or_default().push(j);
        }
    }
    let mut out = Found {
        refers: vec![Vec::new(); notices.len()],
        ..Found::default()
    };
    for (i, n) in notices.iter().enumerate() {
        for r in n.meta.refers.iter().flatten() {
            let target = r.date.and_then(|date| {
                let mut best: Option<(usize, f64)> = None;
                let day = date.day_number();
                for &j in by_day.range(day - 1..=day + 1).flat_map(|(_, v)| v) {
                    let m = &notices[j];
                    let Some(pd) = m.meta.published else { continue };
                    if j == i || (pd.day_number() - date.day_number()).abs() > 1 {
                        continue;
                    }
                    // An earlier release: strictly older than the notice that refers to it.
                    if n.meta.published.is_some_and(|d| pd >= d) {
                        continue;
                    }
                    let same_org = !keys[i].is_empty() && keys[i] == keys[j];
                    let named = mentions[i].contains(&keys[j].as_str())
                        || mentions[j].contains(&keys[i].as_str());
                    let same_incident =
                        n.meta.incident.is_some() && n.meta.incident == m.meta.incident;
                    if !(same_org || named || same_incident) {
                        continue;
                    }
                    let score = match &r.title {
                        Some(t) if !title_matches(t, &m.title) => continue,
                        Some(t) => similarity(&squash(t), &squash(&m.title)),
                        None => 0.0,
                    } + if same_org { 1.0 } else { 0.0 }
                        - (pd.day_number() - date.day_number()).abs() as f64 * 0.1;
                    if best.is_none_or(|(_, s)| score > s) {
                        best = Some((j, score));
                    }
                }
                best.map(|(j, _)| j)
            });
            if let Some(j) = target {
                if keys[i] == keys[j] {
                    out.follows.push((i, j));
                } else {
                    out.related.push((i, j));
                }
            }
            out.refers[i].push(target);
        }
        // A client's notice naming its contractor (or the reverse) in a 委託 context.
        let outsourced = texts[i].contains("委託")
            || n.meta.vectors.iter().flatten().any(|v| v == "supply-chain");
        if !outsourced {
            continue;
        }
        for other in &mentions[i] {
            let candidates = &by_org[other];
            let pick = match n.meta.published {
                Some(d) => candidates
                    .iter()
                    .filter_map(|&j| {
                        notices[j]
                            .meta
                            .published
                            .map(|pd| (j, (pd.day_number() - d.day_number()).abs()))
                    })
                    .filter(|(_, gap)| *gap <= 180)
                    .min_by_key(|(j, gap)| (*gap, *j))
                    .map(|(j, _)| j),
                None if candidates.len() == 1 => Some(candidates[0]),
                None => None,
            };
            if let Some(j) = pick {
                out.related.push((i, j));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_keys_and_titles() {
        assert_eq!(org_key("株式会社 倉業サービス"), "倉業サービス");
        assert_eq!(org_key("(株)みなと精機"), "みなと精機");
        assert!(title_matches(
            "「当社ネットストアへの不正アクセスについて（第1報）」",
            "当社ネットストアへの不正アクセスについて(第1報)"
        ));
        assert!(title_matches(
            "不正アクセスについて",
            "当社ネットストアへの不正アクセスについて（第1報）"
        ));
        assert!(!title_matches(
            "メール誤送信のお詫び",
            "当社ネットストアへの不正アクセスについて"
        ));
    }
}
