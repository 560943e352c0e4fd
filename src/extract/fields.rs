//! Who, when, what it is called: `title`, `org`, `published`, `labels`, `incident`, `refers`.
//!
//! These come from the notice's frame rather than its story: the heading block (date line,
//! addressee, issuer, heading), the signature block, report-stage phrases, and mentions of earlier
//! releases. The issuer is resolved from 弊社/当社/本市/当金庫 to the organization the notice
//! names when no heading or signature states it.

use super::dates::DateHit;
use super::normalize::Doc;
use super::vectors::ceil_char;
use crate::notice::Refer;
use crate::vocab::canonical_stage;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Corporate and public forms an organization name carries.
const FORMS: &str = r"株式会社|有限会社|合同会社|合資会社|合名会社|(?:一般|公益)?(?:社団|財団)法人|学校法人|医療法人(?:社団|財団)?|社会福祉法人|国立大学法人|公立大学法人|独立行政法人|地方独立行政法人|特定非営利活動法人|NPO法人|宗教法人|(?:\(株\)|㈱)";
const SUFFIXES: &str = r"信用金庫|信用組合|労働金庫|銀行|協同組合|大学|病院|医院|クリニック|協会|機構|研究所|学園|高等学校|中学校|小学校|ホールディングス|市役所|町役場|村役場|県庁|教育委員会|委員会";

static ORG_LINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:(?:{FORMS}) ?[^ ]{{1,30}}|[^ ]{{1,30}}?(?:{FORMS}|{SUFFIXES})|[\p{{Han}}\p{{Katakana}}\p{{Hiragana}}ー]{{1,6}}[都道府県市区町村])(?: .*)?$"
    ))
    .expect("org line regex")
});

static COMPANY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{FORMS})[\p{{Han}}\p{{Katakana}}A-Za-z0-9ー・&]{{1,20}}|[\p{{Han}}\p{{Katakana}}A-Za-z0-9ー・&]{{1,20}}(?:株式会社|有限会社|合同会社)"
    ))
    .expect("company regex")
});

static STAGE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"第(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})報|続報\d*|最終報告|最終報|最終のご報告|追加報告|経過報告|追加情報|更新情報").expect("stage regex")
});

static BODY_FINAL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:最終報告|最終のご報告|最終報)(?:と|に)(?:させて|いたし|致し|なり|します)|本(?:報告|ご報告|お知らせ)をもち?(?:まして|って)[^。]{0,30}?(?:最終|終了|完了)|をもちまして(?:本件の)?(?:ご報告|お知らせ)を終了",
    )
    .expect("final regex")
});

static INCIDENT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:事件簿|インシデント|事案)\s*(?:番号|No\.?)?\s*[#＃:]\s*(?P<a>\d{4}-\d{1,6})")
        .expect("incident regex")
});

/// True when `s` (compact) is a date and little else: a date line.
fn is_date_line(s: &str, hits: &[DateHit], start: usize) -> Option<usize> {
    let s = s.trim();
    let len = s.chars().count();
    if len == 0 || len > 28 {
        return None;
    }
    let end = start + s.len();
    let hit = hits
        .iter()
        .position(|h| h.start >= start && h.end <= end && h.full)?;
    let h = hits[hit];
    let before = &s[..h.start - start];
    let after = &s[h.end - start..];
    let before_ok = before.is_empty()
        || [
            "公表日",
            "発表日",
            "公開日",
            "掲載日",
            "更新日",
            "発行日",
            "作成日",
            "日付",
            "公表",
            "発表",
            "更新",
            "掲載",
        ]
        .iter()
        .any(|w| {
            before.trim_end_matches([':', ' ']) == *w
                || before.trim_end_matches([':', ' ']).ends_with(w)
        });
    let after_trim =
        after.trim_start_matches(|c: char| c == '(' || c == ')' || "月火水木金土日祝".contains(c));
    let after_ok = after_trim.is_empty()
        || ["付", "公表", "発表", "更新", "掲載", "現在", "発行"]
            .iter()
            .any(|w| after_trim.trim_end() == *w);
    (before_ok && after_ok).then_some(hit)
}

/// The notice date: a date line at the top or in the signature block.
pub(crate) fn published(doc: &Doc, hits: &[DateHit]) -> Option<(usize, bool)> {
    let n = doc.lines.len();
    for i in 0..n.min(12) {
        let l = &doc.lines[i];
        if let Some(h) = is_date_line(doc.compact(i), hits, l.start) {
            return Some((h, false));
        }
    }
    for i in (n.saturating_sub(12)..n).rev() {
        if i < 12 {
            break;
        }
        let l = &doc.lines[i];
        if let Some(h) = is_date_line(doc.compact(i), hits, l.start) {
            return Some((h, false));
        }
    }
    None
}

/// An organization name when `line` (normalised) is one and nothing else.
pub(crate) fn org_of_line(line: &str) -> Option<String> {
    let line = line.trim();
    if line.chars().count() > 40 || line.contains(['。', '、', '「', ':']) {
        return None;
    }
    if line.ends_with(['様', '殿']) || line.ends_with("御中") || line.ends_with("各位") {
        return None;
    }
    if !ORG_LINE_RE.is_match(line) {
        return None;
    }
    // Drop a trailing role and name ("株式会社かもめ 代表取締役 山田太郎").
    let first = line.split(' ').next().unwrap_or(line);
    let name = if line.starts_with(|c: char| c != ' ')
        && FORMS_RE.is_match(first)
        && first.chars().count() <= 4
    {
        line.splitn(3, ' ').take(2).collect::<Vec<_>>().join(" ")
    } else {
        first.to_string()
    };
    if name.ends_with("長") || name.chars().count() < 2 {
        return None;
    }
    Some(name)
}

static FORMS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{FORMS})$")).expect("forms regex"));

/// Lines of the top block that address someone (「鳥取市長 / 山田 様」, 「報道関係者各位」).
fn addressee(doc: &Doc, i: usize) -> bool {
    let is_addr = |j: usize| {
        let c = doc.compact(j);
        c.ends_with('様') || c.ends_with("御中") || c.ends_with("各位") || c.ends_with('殿')
    };
    is_addr(i)
        || (i + 1 < doc.lines.len()
            && is_addr(i + 1)
            && doc.compact(i).chars().count() <= 20
            && !doc.compact(i).contains('。'))
}

/// Words a heading ends with.
const TITLE_ENDS: &[&str] = &[
    "お知らせ",
    "お詫び",
    "おわび",
    "について",
    "ご報告",
    "ご案内",
    "報告",
    "お願い",
    "件",
    "結果",
    "発生",
    "漏えい",
    "漏洩",
    "流出",
    "報",
    "続報",
    "公表",
    "事案",
    "被害",
    "について)",
    "(続報)",
    "(最終報告)",
    "】",
];
const TITLE_WORDS: &[&str] = &[
    "不正アクセス",
    "漏えい",
    "漏洩",
    "流出",
    "誤送信",
    "誤送付",
    "紛失",
    "盗難",
    "ランサムウェア",
    "サイバー攻撃",
    "感染",
    "お詫び",
    "懲戒",
];

fn title_like(c: &str) -> bool {
    let c = c.trim_end_matches([' ']);
    let stripped = STAGE_SUFFIX_RE.replace(c, "");
    TITLE_ENDS.iter().any(|e| stripped.ends_with(e))
        || TITLE_WORDS.iter().any(|w| c.contains(w)) && !c.ends_with('。')
}

static STAGE_TAG_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(【\[](第\d{1,2}報|続報\d*|最終報告?|最終のご報告)[)】\]]").expect("stage tag")
});
static STAGE_SUFFIX_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(【\[][^()【】\[\]]{1,10}[)】\]]$").expect("stage suffix"));

/// The notice's own heading, as written (original characters), and the org lines of the top block.
pub(crate) fn heading(doc: &Doc, hits: &[DateHit]) -> (Option<String>, Vec<String>) {
    let mut orgs = Vec::new();
    let n = doc.lines.len().min(14);
    let mut i = 0;
    while i < n {
        let c = doc.compact(i);
        let l = &doc.lines[i];
        if c.contains('。') {
            break;
        }
        if is_date_line(c, hits, l.start).is_some() || addressee(doc, i) {
            i += 1;
            continue;
        }
        if let Some(o) = org_of_line(&l.norm) {
            orgs.push(o);
            i += 1;
            continue;
        }
        // A page title carries the site name after it (「…について - 株式会社かもめ」).
        let (c, orig) = match strip_site_name(&l.orig) {
            Some((c, orig)) => (c, orig),
            None => (c.to_string(), l.orig.clone()),
        };
        let c = c.as_str();
        let len = c.chars().count();
        if (6..=150).contains(&len) && title_like(c) {
            let mut title = orig;
            // A heading the PDF broke over two lines.
            if i + 1 < doc.lines.len() {
                let next = doc.compact(i + 1);
                let next_len = next.chars().count();
                let ends = TITLE_ENDS.iter().any(|e| c.ends_with(e));
                if !ends && !next.contains('。') && next_len <= 60 && title_like(next) {
                    title.push_str(&doc.lines[i + 1].orig);
                }
            }
            // The date and issuer often follow the heading (「…のお知らせ / 2024年6月11日 / 株式会社…」).
            for j in i + 1..doc.lines.len().min(i + 5) {
                let cj = doc.compact(j);
                if cj.contains('。') {
                    break;
                }
                if let Some(o) = org_of_line(&doc.lines[j].norm) {
                    orgs.push(o);
                }
            }
            return (Some(collapse_spaces(&title)), orgs);
        }
        if len > 30 {
            break;
        }
        i += 1;
    }
    (None, orgs)
}

/// A heading without the site name a page title appends (「… - 株式会社かもめ」, 「…｜港北市」):
/// (compact, original) of the heading part, when there is a separator and the part before it
/// reads as a heading.
fn strip_site_name(orig: &str) -> Option<(String, String)> {
    let (p, sep) = [" - ", " | ", "｜", " – ", " — ", " / "]
        .iter()
        .filter_map(|sep| orig.rfind(sep).map(|p| (p, *sep)))
        .max_by_key(|(p, _)| *p)?;
    let after = &orig[p + sep.len()..];
    if after.trim().is_empty() || after.chars().count() > 40 {
        return None;
    }
    let before = orig[..p].trim_end();
    let c = super::normalize::compact(before);
    (c.chars().count() >= 6 && title_like(&c)).then(|| (c, before.to_string()))
}

pub(crate) fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    crate::text::nfc(&out)
}

/// The issuer from the signature block (last lines).
pub(crate) fn signature_org(doc: &Doc) -> Option<String> {
    let n = doc.lines.len();
    if n < 4 {
        return None;
    }
    for i in (n.saturating_sub(8).max(3)..n).rev() {
        let c = doc.compact(i);
        if c.contains('。') && c.chars().count() > 40 {
            break;
        }
        if let Some(o) = org_of_line(&doc.lines[i].norm) {
            return Some(o);
        }
    }
    None
}

/// Self-references and the kind of body they stand for.
const SELF_KINDS: &[(&[&str], &str)] = &[
    (&["弊社", "当社", "小社"], "company"),
    (&["本市", "当市", "同市"], "市"),
    (&["本町", "当町", "同町"], "町"),
    (&["本村", "当村"], "村"),
    (&["本県", "当県", "同県"], "県"),
    (&["当金庫", "弊金庫"], "信用金庫"),
    (&["当行", "弊行"], "銀行"),
    (&["本学", "当大学", "本大学"], "大学"),
    (&["当院", "本院"], "病院"),
    (&["当組合", "本組合"], "組合"),
    (&["当協会", "本会"], "協会"),
];

/// One automaton over every self-reference, and the kind index of each pattern.
static SELF_WORDS: LazyLock<(aho_corasick::AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let mut words = Vec::new();
    let mut kind_of = Vec::new();
    for (k, (ws, _)) in SELF_KINDS.iter().enumerate() {
        for w in ws.iter() {
            words.push(*w);
            kind_of.push(k);
        }
    }
    let ac = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(&words)
        .expect("self-reference automaton");
    (ac, kind_of)
});

/// The organization 弊社/当社/本市/当金庫… stand for, from the names the text mentions;
/// `(name, sure)`.
pub(crate) fn resolve_self(doc: &Doc) -> Option<(String, bool)> {
    // Names and self-references of a notice are in its first pages.
    let flat = &doc.flat[..super::vectors::floor_char(&doc.flat, doc.flat.len().min(256 * 1024))];
    // 「株式会社かもめ(以下「弊社」)」 says it outright.
    if let Some(name) = defined_self(flat) {
        return Some((name, true));
    }
    let kinds = SELF_KINDS;
    // The first self-reference of any kind (one scan; ties go to the earlier kind, as listed).
    let m = SELF_WORDS.0.find(flat)?;
    let k = SELF_WORDS.1[m.pattern().as_usize()];
    let kind = kinds[k].1;
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    let mut note = |name: &str, pos: usize| {
        let e = counts.entry(name.to_string()).or_insert((0, pos));
        e.0 += 1;
    };
    if kind == "company" {
        for m in COMPANY_RE.find_iter(flat) {
            note(m.as_str(), m.start());
        }
    } else {
        let re = &PLACE_RES.iter().find(|(k, _)| *k == kind)?.1;
        for m in re.find_iter(flat) {
            let name = m.as_str();
            let head = name.trim_end_matches(kind);
            if [
                "本", "当", "同", "各", "弊", "全", "他", "都", "市", "区", "町", "県", "当該",
            ]
            .contains(&head)
                || head.ends_with("都道府")
            {
                continue;
            }
            // `鳥取市長` names a person; `市町村` is generic.
            if flat[m.end()..].starts_with(['長', '民', '議', '内', '外']) {
                continue;
            }
            note(name, m.start());
        }
    }
    let (name, (count, _)) = counts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))?;
    Some((name, count >= 2))
}

static DEFINED_SELF_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<name>[^\s。、「」()]{2,40})\((?:以下|以降)、?「?(?:弊社|当社|小社|本市|当市|本町|当町|本村|本県|当県|当金庫|当行|本学|当院|本院|当組合|本会|当協会)」?")
        .expect("defined self regex")
});

/// The name a notice defines as 弊社/当社/本市…: 「株式会社かもめ(以下「弊社」)」.
fn defined_self(flat: &str) -> Option<String> {
    let caps = DEFINED_SELF_RE.captures(flat)?;
    let name = &caps["name"];
    if let Some(m) = COMPANY_RE.find_iter(name).last() {
        if m.end() == name.len() {
            return Some(m.as_str().to_string());
        }
    }
    org_of_line(name)
}

static TITLE_PLACE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}\p{Katakana}\p{Hiragana}ー]{1,6}[市町村県](?:役場|役所|教育委員会)?")
        .expect("title place regex")
});

/// `…市`, `…町`, … names: one compiled regex per kind of public body (not one per notice).
static PLACE_RES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        "市",
        "町",
        "村",
        "県",
        "信用金庫",
        "銀行",
        "大学",
        "病院",
        "組合",
        "協会",
    ]
    .into_iter()
    .map(|kind| {
        let re =
            Regex::new(&format!(r"[\p{{Han}}\p{{Katakana}}ー]{{1,6}}{kind}")).expect("place regex");
        (kind, re)
    })
    .collect()
});

/// The organization named in a heading ("株式会社かもめ …", "○○市…").
pub(crate) fn org_in_title(title: &str) -> Option<String> {
    let c = super::normalize::compact(title);
    if let Some(m) = COMPANY_RE.find(&c) {
        return Some(m.as_str().to_string());
    }
    let m = TITLE_PLACE_RE.find(&c)?;
    let head: String = m.as_str().chars().take(1).collect();
    (!["本", "当", "同", "弊", "各"].contains(&head.as_str()) || m.as_str().chars().count() > 3)
        .then(|| m.as_str().to_string())
}

/// Report stages from a heading.
pub(crate) fn stages_in_title(title: &str, out: &mut Vec<String>) {
    let c = super::normalize::compact(title);
    for m in STAGE_RE.find_iter(&c) {
        if c[m.end()..].starts_with(['告', '書']) && !m.as_str().ends_with('告')
            || c[m.end()..].starts_with('書')
        {
            continue;
        }
        if let Some(s) = canonical_stage(m.as_str()) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
}

/// Report stages the body states about itself.
pub(crate) fn stages_in_body(doc: &Doc, out: &mut Vec<String>) {
    if BODY_FINAL_RE.is_match(&doc.flat) && !out.iter().any(|s| s == "最終報告") {
        out.push("最終報告".into());
    }
    // A stage tag in the top lines, outside quotes: 「(第2報)」, 【続報】.
    for i in 0..doc.lines.len().min(4) {
        let c = doc.compact(i);
        if c.contains('「') || c.contains('。') {
            continue;
        }
        for caps in STAGE_TAG_RE.captures_iter(c) {
            if let Some(s) = canonical_stage(&caps[1]) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
}

/// An incident number (`#2024-244` → `2024-244`).
pub(crate) fn incident(text: &str) -> Option<String> {
    let named = INCIDENT_RE
        .captures(text)
        .and_then(|c| Some((c.get(0)?.start(), c.name("a")?.as_str())));
    // A bare `#2024-244` between spaces or brackets (found with memchr, not a regex scan).
    let bare = text.match_indices('#').find_map(|(p, _)| {
        let before = text[..p].chars().next_back();
        let before_ok = before.is_none_or(|c| c.is_whitespace() || "【[(".contains(c));
        let rest = &text[p + 1..];
        let y = rest.bytes().take_while(u8::is_ascii_digit).count();
        if !before_ok || y != 4 || rest.as_bytes().get(4) != Some(&b'-') {
            return None;
        }
        let n = rest[5..].bytes().take_while(u8::is_ascii_digit).count();
        let end = 5 + n;
        let after_ok = rest[end..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || "】])".contains(c));
        let start = p - before.map_or(0, char::len_utf8);
        ((1..=6).contains(&n) && after_ok).then(|| (start, &rest[..end]))
    });
    // The first in the text wins, as with one regex.
    match (named, bare) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
    .map(str::to_string)
}

static VERB_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\([^)]{1,3}\))?(?:付け?|付にて)?(?:で|に|にて|の)?[^。「」]{0,24}?(?:公表|お知らせ|ご報告|発表|公開|掲載|リリース|ご案内)(?:いたし|致し|し|させ|済)").expect("verb regex")
});
static QUOTED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\([^)]{1,3}\))?(?:付け?|付にて)?(?:で|に|にて|の)?「(?P<t>[^」]{2,160})」")
        .expect("quoted regex")
});
static AFTER_VERB_TITLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^。「」]{0,12}?「(?P<t>[^」]{2,160})」").expect("after verb title")
});
static STAGE_MENTION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"第(\d{1,2})報(?:で|にて|において|の|として|及び|および|、)")
        .expect("stage mention")
});

/// Mentions of earlier releases: a date followed by 公表/お知らせ/ご報告 (with a quoted title
/// where given), and stage mentions (「第1報でお知らせした」).
pub(crate) fn refers(
    doc: &Doc,
    hits: &[DateHit],
    skip: Option<usize>,
    own_stages: &[String],
) -> Vec<Refer> {
    let flat = &doc.flat;
    let mut out: Vec<Refer> = Vec::new();
    for (k, h) in hits.iter().enumerate() {
        if Some(k) == skip {
            continue;
        }
        let hi = ceil_char(flat, (h.end + 400).min(flat.len()));
        let rest = &flat[h.end..hi];
        // Cheap test first: most dates are events, not references.
        let head = &rest[..ceil_char(rest, rest.len().min(240))];
        if ![
            "「",
            "公表",
            "お知らせ",
            "報告",
            "発表",
            "公開",
            "掲載",
            "リリース",
            "案内",
        ]
        .iter()
        .any(|w| head.contains(w))
        {
            continue;
        }
        let mut title = None;
        let mut is_ref = false;
        if let Some(c) = QUOTED_RE.captures(rest) {
            let after = &rest[c.get(0).map_or(0, |m| m.end())..];
            let after_title = AFTER_TITLE_RE.find(after).is_some();
            if after_title {
                title = refer_title(&c["t"]);
                is_ref = true;
            }
        }
        if !is_ref {
            if let Some(m) = VERB_RE.find(rest) {
                let between = m.as_str();
                let to_authority = ["委員会", "警察", "当局", "監督", "所管", "省", "庁", "県警"]
                    .iter()
                    .any(|w| between.contains(w));
                if !to_authority && !between.contains("予定") {
                    is_ref = true;
                    if let Some(c) = AFTER_VERB_TITLE_RE.captures(&rest[m.end()..]) {
                        title = refer_title(&c["t"]);
                    }
                }
            } else if rest.starts_with("公表済") || rest.starts_with("リリース分") {
                is_ref = true;
            }
        }
        if !is_ref {
            continue;
        }
        let stage = title.as_deref().and_then(|t| {
            let mut v = Vec::new();
            stages_in_title(t, &mut v);
            v.into_iter().next()
        });
        add_refer(
            &mut out,
            Refer {
                date: Some(h.date),
                title,
                stage,
            },
        );
    }
    for caps in STAGE_MENTION_RE.captures_iter(flat) {
        let s = format!("第{}報", &caps[1]);
        if own_stages.contains(&s) || out.iter().any(|r| r.stage.as_deref() == Some(s.as_str())) {
            continue;
        }
        // Inside a quoted title already recorded?
        let before = &flat[super::vectors::floor_char(
            flat,
            caps.get(0).map_or(0, |m| m.start()).saturating_sub(200),
        )..caps.get(0).map_or(0, |m| m.start())];
        if before
            .rfind('「')
            .is_some_and(|p| !before[p..].contains('」'))
        {
            continue;
        }
        out.push(Refer {
            date: None,
            title: None,
            stage: Some(s),
        });
    }
    out
}

/// A quoted name after a release date is its title when it reads as one (「…について」,
/// 「同(第2報)」), not a site or product name (「かもめポイントアプリ」の不具合).
fn refer_title(t: &str) -> Option<String> {
    let t = t.replace('\n', "");
    let c = super::normalize::compact(&t);
    (title_like(&c) || STAGE_RE.is_match(&c)).then_some(t)
}

static AFTER_TITLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\([^)]{0,20}\))?(?:及び|および|、|と)?[^。]{0,40}?(?:公表|お知らせ|ご報告|報告|発表|公開|掲載|リリース|ご案内)").expect("after title")
});

/// Adds a reference, merging with one of the same date.
pub(crate) fn add_refer(out: &mut Vec<Refer>, r: Refer) {
    if let Some(e) = out
        .iter_mut()
        .find(|e| e.date.is_some() && e.date == r.date)
    {
        if e.title.is_none() {
            e.title = r.title;
        }
        if e.stage.is_none() {
            e.stage = r.stage;
        }
        return;
    }
    out.push(r);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::extract::dates::find_dates;

    #[test]
    fn org_lines() {
        assert_eq!(
            org_of_line("株式会社かもめ商会").as_deref(),
            Some("株式会社かもめ商会")
        );
        assert_eq!(
            org_of_line("かもめ商事株式会社 代表取締役 海野一郎").as_deref(),
            Some("かもめ商事株式会社")
        );
        assert_eq!(
            org_of_line("株式会社 かもめ").as_deref(),
            Some("株式会社 かもめ")
        );
        assert_eq!(org_of_line("浜風信用金庫").as_deref(), Some("浜風信用金庫"));
        assert_eq!(org_of_line("港北市").as_deref(), Some("港北市"));
        assert_eq!(org_of_line("港北市長"), None);
        assert_eq!(org_of_line("海野 一郎 様"), None);
        assert_eq!(org_of_line("このたびは株式会社かもめが、"), None);
    }

    #[test]
    fn incident_numbers() {
        assert_eq!(
            incident("【セキュリティ事件簿#2024-244】株式会社かもめ").as_deref(),
            Some("2024-244")
        );
        assert_eq!(incident("JVN#04785663"), None);
    }

    #[test]
    fn stages() {
        let mut v = Vec::new();
        stages_in_title("弊社サイトへの不正アクセスについて(第２報)", &mut v);
        stages_in_title("不正アクセスに関するお知らせ(第三報)", &mut v);
        stages_in_title("【続報】ランサムウェア被害について", &mut v);
        stages_in_title("調査の最終報告書を受領", &mut v);
        assert_eq!(v, ["第2報", "第3報", "続報"]);
        let mut v = Vec::new();
        stages_in_title("不正アクセスについて(最終報)", &mut v);
        assert_eq!(v, ["最終報告"]);
        let doc =
            Doc::new("本件に関するご報告は、本報告をもちまして最終報告とさせていただきます。");
        let mut v = Vec::new();
        stages_in_body(&doc, &mut v);
        assert_eq!(v, ["最終報告"]);
    }

    #[test]
    fn references_to_earlier_releases() {
        let text = "2024 年 7 月 5 日に公表いたしました、委託先への不正アクセスの件につきまして続報です。\n\
            また、当組合は9月24日にお知らせいたしました「委託先に対する不正アクセスについて」につきまして…\n\
            平成25年3月15日「会員情報流出の可能性について」でご報告いたしました。\n\
            2024年9月19日「サイバー攻撃に関するお知らせ(第1報)」にて公表しましたとおり\n\
            4月7日、個人情報保護委員会へご報告いたしました。";
        let doc = Doc::new(text);
        let hits = find_dates(&doc.flat);
        let r = refers(&doc, &hits, None, &[]);
        let got: Vec<(String, Option<String>, Option<String>)> = r
            .iter()
            .map(|r| {
                (
                    r.date.map(|d| d.to_string()).unwrap_or_default(),
                    r.title.clone(),
                    r.stage.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("2024-07-05".to_string(), None, None),
                (
                    "2024-09-24".to_string(),
                    Some("委託先に対する不正アクセスについて".to_string()),
                    None
                ),
                (
                    "2013-03-15".to_string(),
                    Some("会員情報流出の可能性について".to_string()),
                    None
                ),
                (
                    "2024-09-19".to_string(),
                    Some("サイバー攻撃に関するお知らせ(第1報)".to_string()),
                    Some("第1報".to_string())
                ),
            ]
        );
        // Events of a timeline are not releases: 「公開設定を解除」, 「ご案内において」, a product name.
        let text =
            "2025年1月14日、指摘を受けました。同日、該当ファイルの公開設定を解除しました。\n\
            2024年6月17日に発送した契約更新のご案内において、誤りがありました。\n\
            2024年3月4日にお知らせいたしました「かもめポイントアプリ」の不具合につきまして";
        let doc = Doc::new(text);
        let r = refers(&doc, &find_dates(&doc.flat), None, &[]);
        assert_eq!(
            r,
            vec![Refer {
                date: Date::new(2024, 3, 4),
                title: None,
                stage: None
            }]
        );
        let doc = Doc::new("第1報でお知らせしたとおり、調査を進めてまいりました。");
        let r = refers(&doc, &find_dates(&doc.flat), None, &[]);
        assert_eq!(
            r,
            vec![Refer {
                date: None,
                title: None,
                stage: Some("第1報".into())
            }]
        );
    }
}
