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
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

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
    let mut out = String::with_capacity(s.len());
    squash_into(s, &mut out);
    out
}

/// Appends [`squash`]`(s)` to `out`. Squashing drops line breaks, so the squash of two texts
/// joined by a line break is the two squashes, one after the other.
pub fn squash_into(s: &str, out: &mut String) {
    // One pass: the NFKC form comes in pieces (most of a notice as it is), and each piece's kept
    // characters are copied a run at a time.
    crate::text::nfkc_chunks(s, |piece| push_squashed(out, piece));
}

/// Appends the characters of `n` (in NFKC form) that [`squash`] keeps. Dropped characters are
/// found on the UTF-8 bytes: each is ASCII, or starts with C2, E1 or E2, or with E3 80 (the
/// CJK punctuation block; kana and kanji, most of a notice, are told apart by two bytes).
fn push_squashed(out: &mut String, n: &str) {
    let b = n.as_bytes();
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        let lead = b[i];
        let (len, dropped) = match lead {
            0x00..=0x7f => (1, ASCII_SQUASHED & (1u128 << lead) != 0),
            0xc2 => (2, n[i..].chars().next().is_some_and(is_squashed)),
            0xc0..=0xdf => (2, false),
            0xe1 | 0xe2 => (3, n[i..].chars().next().is_some_and(is_squashed)),
            0xe3 => (
                3,
                b[i + 1] == 0x80 && n[i..].chars().next().is_some_and(is_squashed),
            ),
            0xe0..=0xef => (3, false),
            _ => (4, false),
        };
        if dropped {
            out.push_str(&n[run..i]);
            run = i + len;
        }
        i += len;
    }
    out.push_str(&n[run..]);
}

/// The ASCII characters [`is_squashed`] drops, as a bit set.
const ASCII_SQUASHED: u128 = {
    let mut set = 0u128;
    let mut c = 0u8;
    while c < 128 {
        if is_squashed(c as char) {
            set |= 1 << c;
        }
        c += 1;
    }
    set
};

/// True for the characters [`squash`] drops.
const fn is_squashed(c: char) -> bool {
    c.is_whitespace()
        || matches!(
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
}

/// A squashed title with its sorted character bigrams (what [`similarity`] compares), made once
/// per notice and per quoted title: a reference is compared with tens of candidates.
#[derive(Debug)]
struct Title {
    text: String,
    grams: Vec<(char, char)>,
}

impl Title {
    fn new(text: String) -> Title {
        let c: Vec<char> = text.chars().collect();
        let mut grams: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
        grams.sort_unstable();
        Title { text, grams }
    }
}

/// Dice coefficient of character bigrams, 0.0–1.0.
fn similarity(a: &Title, b: &Title) -> f64 {
    let (ga, gb) = (&a.grams, &b.grams);
    if ga.is_empty() || gb.is_empty() {
        return if a.text == b.text { 1.0 } else { 0.0 };
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
#[cfg(test)]
fn title_matches(quoted: &str, title: &str) -> bool {
    title_matches_squashed(&Title::new(squash(quoted)), &Title::new(squash(title)))
}

/// `title_matches` on squashed texts.
fn title_matches_squashed(q: &Title, t: &Title) -> bool {
    if q.text.is_empty() {
        return true;
    }
    q.text.contains(&t.text) || t.text.contains(&q.text) || similarity(q, t) >= 0.5
}

/// How far (in bytes of the match text, about 120 characters) from 委託 a contractor's name
/// may stand.
const CONTRACTOR_REACH: usize = 360;

/// The byte ranges of `text` within `reach` of each occurrence of `word`, merged, on character
/// boundaries.
fn windows(text: &str, word: &str, reach: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (at, _) in text.match_indices(word) {
        let mut from = at.saturating_sub(reach);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let mut to = (at + word.len() + reach).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => out.push((from, to)),
        }
    }
    out
}

/// False when the squashed title and body cannot hold 委託: no character's NFKC form holds 委
/// or 託 but their own (a test checks the whole code space), so without both in the text as
/// written there is no 委託 to find, and no need to squash the text to look.
fn may_say_itaku(n: &Notice) -> bool {
    let has = |c: char| n.title.contains(c) || n.body.contains(c);
    has('委') && has('託')
}

/// What linking needs to know of one notice that depends only on the notice itself (and on the
/// set of organization names): computed in parallel, and kept by `serve` between rebuilds so an
/// edit re-scans only the edited notice.
#[derive(Debug)]
struct Facts {
    /// `org_key` of its organization ("" without one).
    key: String,
    /// Its title, squashed for matching.
    title: Title,
    /// Organizations its text names (indexes into the names), when it has references.
    mentions: Vec<u32>,
    /// Organizations named near 委託 (anywhere, for a supply-chain notice).
    contractors: Vec<u32>,
}

/// Linking work kept between builds (by `serve`): per-notice facts, by notice (an edited file
/// is a new `Arc<Notice>`), valid while the set of organization names stays the same.
#[derive(Default)]
pub struct Memo {
    names: Vec<String>,
    matcher: Option<Arc<AhoCorasick>>,
    facts: HashMap<usize, (Arc<Notice>, Arc<Facts>)>,
}

fn facts_of(n: &Notice, key: String, names: &[String], matcher: Option<&AhoCorasick>) -> Facts {
    let names_in = |t: &str, out: &mut Vec<u32>| {
        if let Some(m) = matcher {
            out.extend(
                m.find_iter(t)
                    .map(|hit| hit.pattern().as_u32())
                    .filter(|&k| names[k as usize] != key),
            );
        }
    };
    // Which organizations a text names is the costly part (a scan of the whole text), so it is
    // done only for notices with references; whether a candidate names the referring notice's
    // organization is one substring test. The squashed text itself is made only when one of
    // the scans below needs it (the link stage asks for other notices' on demand).
    let refers = n.meta.refers.as_ref().is_some_and(|r| !r.is_empty());
    let supply_chain = n.meta.vectors.iter().flatten().any(|v| v == "supply-chain");
    let mut mentions = Vec::new();
    if refers {
        names_in(n.match_text(), &mut mentions);
    }
    let mut contractors = Vec::new();
    if supply_chain {
        names_in(n.match_text(), &mut contractors);
    } else if may_say_itaku(n) {
        let text = n.match_text();
        for (from, to) in windows(text, "委託", CONTRACTOR_REACH) {
            names_in(&text[from..to], &mut contractors);
        }
    }
    for list in [&mut mentions, &mut contractors] {
        list.sort_unstable();
        list.dedup();
    }
    Facts {
        title: Title::new(squash(&n.title)),
        key,
        mentions,
        contractors,
    }
}

/// Resolves references and contractor mentions. `notices` are newest first. `memo` carries work
/// from an earlier call (pass a fresh one to start over); the result is the same either way.
pub fn resolve(notices: &[Arc<Notice>], memo: &mut Memo) -> Found {
    let ptr = |n: &Arc<Notice>| Arc::as_ptr(n) as usize;
    let keys: Vec<String> = notices
        .par_iter()
        .map(|n| match memo.facts.get(&ptr(n)) {
            Some((_, f)) => f.key.clone(),
            None => n.meta.org.as_deref().map(org_key).unwrap_or_default(),
        })
        .collect();
    // Organizations by key, each with its notices.
    let mut by_org: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        if !k.is_empty() {
            by_org.entry(k.as_str()).or_default().push(i);
        }
    }
    // The organizations a text can name (3+ characters, to avoid 市 in 出雲市).
    let names: Vec<String> = by_org
        .keys()
        .filter(|k| k.chars().count() >= 3)
        .map(|k| k.to_string())
        .collect();
    if names != memo.names || memo.matcher.is_none() {
        memo.facts.clear();
        memo.matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&names)
            .ok()
            .map(Arc::new);
        memo.names = names;
    }
    let names = &memo.names;
    let matcher = memo.matcher.clone();
    let facts: Vec<Arc<Facts>> = notices
        .par_iter()
        .zip(&keys)
        .map(|(n, key)| match memo.facts.get(&ptr(n)) {
            Some((_, f)) => f.clone(),
            None => Arc::new(facts_of(n, key.clone(), names, matcher.as_deref())),
        })
        .collect();
    memo.facts = notices
        .iter()
        .zip(&facts)
        .map(|(n, f)| (ptr(n), (n.clone(), f.clone())))
        .collect();
    let name = |k: u32| memo.names[k as usize].as_str();
    // Notices by publication day, so a reference looks at the few released around its date.
    let mut by_day: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (j, m) in notices.iter().enumerate() {
        if let Some(d) = m.meta.published {
            by_day.entry(d.day_number()).or_default().push(j);
        }
    }
    let names_org = |j: usize, i: usize| -> bool {
        keys[i].chars().count() >= 3 && notices[j].match_text().contains(keys[i].as_str())
    };
    // Each notice's references are resolved on their own (in parallel: at 100k notices this
    // loop looks at tens of candidates per reference), then joined in notice order.
    struct Resolved {
        refers: Vec<Option<usize>>,
        follows: Vec<(usize, usize)>,
        related: Vec<(usize, usize)>,
    }
    let resolved: Vec<Resolved> = notices
        .par_iter()
        .enumerate()
        .map(|(i, n)| {
            let mut out = Resolved {
                refers: Vec::new(),
                follows: Vec::new(),
                related: Vec::new(),
            };
            for r in n.meta.refers.iter().flatten() {
                let quoted = r.title.as_deref().map(|t| Title::new(squash(t)));
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
                        let same_incident =
                            n.meta.incident.is_some() && n.meta.incident == m.meta.incident;
                        // A quoted title that is not the candidate's rules it out (a short
                        // comparison, made first: most candidates fail it).
                        if quoted
                            .as_ref()
                            .is_some_and(|q| !title_matches_squashed(q, &facts[j].title))
                        {
                            continue;
                        }
                        // Whether the text names the candidate's organization (a scan of its
                        // text) only matters when nothing else ties the two.
                        let named = || {
                            facts[i].mentions.iter().any(|&k| name(k) == keys[j]) || names_org(j, i)
                        };
                        if !(same_org || same_incident || named()) {
                            continue;
                        }
                        let score = match &quoted {
                            Some(q) => similarity(q, &facts[j].title),
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
                out.refers.push(target);
            }
            // A client's notice naming its contractor (or the reverse) in a 委託 context.
            for &other in &facts[i].contractors {
                let candidates = &by_org[name(other)];
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
            out
        })
        .collect();
    let mut out = Found::default();
    for r in resolved {
        out.refers.push(r.refers);
        out.follows.extend(r.follows);
        out.related.extend(r.related);
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_itaku_itself_normalizes_to_itaku() {
        use unicode_normalization::UnicodeNormalization;
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            if matches!(c, '委' | '託') {
                continue;
            }
            let n: String = c.encode_utf8(&mut buf).nfkc().collect();
            assert!(!n.contains(['委', '託']), "U+{:04X} → {n}", c as u32);
        }
        let says = |body: &str| may_say_itaku(&parse("x", body)[0]);
        assert!(says("業務委\n託先"));
        assert!(!says("業務委員会"));
        assert!(!says("託児所"));
    }

    #[test]
    fn squash_drops_spaces_brackets_and_quotes_after_nfkc() {
        let slow = |s: &str| -> String {
            crate::text::nfkc(s)
                .chars()
                .filter(|&c| !is_squashed(c))
                .collect()
        };
        for s in [
            "「株式会社 ひかり工業」（第２報）、お知らせ。",
            "ＡＢＣ\u{3000}『委託先』【重要】\t\"x\" 'y' [z] (w)",
            "",
            "　",
            "ｶﾌﾞｼｷｶﾞｲｼｬ\n\r\n㈱",
            "a\u{85}b\u{a0}c\u{1680}d\u{2003}e\u{2028}f\u{2029}g\u{202f}h\u{205f}i\u{b}j",
            "é€™ 𝔸𝕏 「お知らせ」、次。【重要】『委託先』",
            &(1..0x3100u32)
                .filter_map(char::from_u32)
                .collect::<String>(),
        ] {
            assert_eq!(squash(s), slow(s), "{s:?}");
        }
        assert_eq!(squash("「ひかり 工業」（第２報）"), "ひかり工業第2報");
        // What `Notice::match_text` relies on.
        let (a, b) = ("ｶﾞｽ（株）\u{3099}", "\u{301}ガス　工業");
        let mut joined = squash(a);
        squash_into(b, &mut joined);
        assert_eq!(joined, squash(&format!("{a}\n{b}")));
    }
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

    fn parse(name: &str, text: &str) -> Vec<Arc<Notice>> {
        let config =
            crate::config::Config::parse("title = \"t\"\nbase_url = \"https://example.org/\"\n")
                .unwrap();
        let src = crate::notice::Source {
            path: format!("content/{name}.md"),
            stem: name.into(),
            folders: Vec::new(),
            format: crate::notice::Format::Markdown,
            bytes: text.as_bytes().to_vec(),
        };
        crate::notice::parse_source(&src, &config).0
    }

    type Pairs = Vec<(usize, usize)>;

    fn pairs(f: &Found) -> (Pairs, Pairs) {
        (f.follows.clone(), f.related.clone())
    }

    #[test]
    fn a_memo_gives_what_a_fresh_start_gives() {
        let original = "+++\ntitle = \"当社サイトへの不正アクセスについて\"\norg = \"株式会社ひかり商会\"\npublished = 2024-06-11\n+++\n\n決済を停止しました。\n";
        let follow_up = "+++\ntitle = \"当社サイトへの不正アクセスについて（第2報）\"\norg = \"株式会社ひかり商会\"\npublished = 2024-07-01\n+++\n\n2024年6月11日に公表いたしました「当社サイトへの不正アクセスについて」の続報です。\n";
        let client = "+++\ntitle = \"委託先への不正アクセスについて\"\norg = \"みどり市\"\npublished = 2024-06-20\n+++\n\n業務委託先である株式会社ひかり商会のサーバーが不正アクセスを受けました。\n";
        let mut notices: Vec<Arc<Notice>> = [("b", follow_up), ("c", client), ("a", original)]
            .iter()
            .flat_map(|(n, t)| parse(n, t))
            .collect();
        let fresh = resolve(&notices, &mut Memo::default());
        assert_eq!(pairs(&fresh), (vec![(0, 2)], vec![(1, 2)]));
        // Warm memo, nothing changed.
        let mut memo = Memo::default();
        resolve(&notices, &mut memo);
        assert_eq!(pairs(&resolve(&notices, &mut memo)), pairs(&fresh));
        // An edit that drops the contractor's name: the memo must not keep the old link.
        notices[1] = parse("c", &client.replace("株式会社ひかり商会の", "")).remove(0);
        let edited = resolve(&notices, &mut memo);
        assert_eq!(
            pairs(&edited),
            pairs(&resolve(&notices, &mut Memo::default()))
        );
        assert_eq!(pairs(&edited), (vec![(0, 2)], vec![]));
        // A new organization changes the names: still the same as a fresh start.
        notices.push(parse("d", &original.replace("ひかり商会", "あおば工業")).remove(0));
        assert_eq!(
            pairs(&resolve(&notices, &mut memo)),
            pairs(&resolve(&notices, &mut Memo::default()))
        );
    }
}
