//! Attack vectors (DESIGN §4) from cue words, read in context.
//!
//! A cue word is evidence only where the notice explains what happened: not in a negation
//! (「ランサムウェアではない」, 「不正アクセスの痕跡はない」), not in the story of how the breach
//! was found (「フィッシングメールが届いたとの連絡を受け」), not in countermeasure or advice
//! sections (「VPNを使用しない体制」, 「ウイルス対策ソフト」). `unauthorized-access` is the
//! fallback for an intrusion whose route is not named.

use super::normalize::Doc;
use crate::vocab::{BUILTIN_VECTORS, FALLBACK_VECTOR};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::LazyLock;

/// Vectors naming how an intruder got in: any of them makes the fallback redundant.
const INTRUSION: &[&str] = &[
    "web-compromise",
    "card-skimming",
    "sql-injection",
    "xss",
    "remote-access",
    "phishing",
    "account-takeover",
];

/// Extra cues beyond the vocabulary: generic intrusion words that only support the fallback.
/// Contract and counter wording the vocabulary's cue words miss is checked in context (`counts`).
const EXTRA: &[(&str, &str)] = &[
    ("サイバー攻撃を受け", FALLBACK_VECTOR),
    ("委託している", "supply-chain"),
    ("提供事業者", "supply-chain"),
    ("誤交付", "misdelivery"),
    ("誤って交付", "misdelivery"),
];

struct Cues {
    ac: AhoCorasick,
    /// Vector id of each pattern.
    ids: Vec<&'static str>,
    /// The pattern text.
    words: Vec<String>,
}

static CUES: LazyLock<Cues> = LazyLock::new(|| {
    let mut ids = Vec::new();
    let mut words: Vec<String> = Vec::new();
    for (id, _, _, _, cues) in BUILTIN_VECTORS.iter() {
        for cue in cues.iter() {
            let w = crate::text::nfkc(cue);
            if !words.contains(&w) {
                ids.push(*id);
                words.push(w);
            }
        }
    }
    for (cue, id) in EXTRA {
        if !words.iter().any(|w| w == cue) {
            ids.push(id);
            words.push(cue.to_string());
        }
    }
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(&words)
        .expect("cue automaton");
    Cues { ac, ids, words }
});

/// Sections whose cue words describe countermeasures or advice, not the incident.
fn skipped_section(heading: &str) -> bool {
    let about_incident = ["原因", "経緯", "概要", "状況", "事象"]
        .iter()
        .any(|w| heading.contains(w));
    let advice = [
        "再発防止",
        "今後の",
        "対策",
        "お願い",
        "問い合わせ",
        "問合せ",
        "予防",
        "見通し",
        "ご注意",
        "対応について",
    ]
    .iter()
    .any(|w| heading.contains(w));
    advice && !about_incident
}

/// The sentence around `pos` (bounded to 300 bytes each side, cut at 。 and line ends).
pub(crate) fn sentence(flat: &str, start: usize, end: usize) -> &str {
    let lo = floor_char(flat, start.saturating_sub(300));
    let hi = ceil_char(flat, (end + 300).min(flat.len()));
    let s = flat[lo..start].rfind(['。', '\n']).map_or(lo, |p| {
        lo + p + flat[lo + p..].chars().next().map_or(1, char::len_utf8)
    });
    let e = flat[end..hi].find('。').map_or(hi, |p| end + p);
    &flat[s..e.max(s)]
}

pub(crate) fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The clause after a cue: up to the next 、 or 。 (at most 40 bytes of text).
fn clause_after(flat: &str, end: usize) -> &str {
    let hi = ceil_char(flat, (end + 60).min(flat.len()));
    let rest = &flat[end..hi];
    let stop = rest.find(['、', '。', '\n']).unwrap_or(rest.len());
    &rest[..stop]
}

fn negated(after: &str) -> bool {
    if ["否定でき", "限らない", "可能性"]
        .iter()
        .any(|w| after.contains(w))
    {
        return false;
    }
    ["ない", "ません", "なし", "無し", "ず、", "せず", "ではな"]
        .iter()
        .any(|w| after.contains(w))
}

/// True when a cue occurrence is evidence of how the incident happened.
fn counts(doc: &Doc, id: &str, word: &str, start: usize, end: usize) -> bool {
    let flat = &doc.flat;
    if doc.section_at(start).is_some_and(skipped_section) {
        return false;
    }
    let after = clause_after(flat, end);
    if negated(after) {
        return false;
    }
    let sent = sentence(flat, start, end);
    match id {
        "phishing" => {
            // How it was found: a phishing mail arrived somewhere and someone reported it.
            let arrived = ["届い", "届き", "受信", "送信され", "配信され"]
                .iter()
                .any(|w| sent.contains(w));
            let found = [
                "連絡",
                "発覚",
                "判明",
                "検知",
                "通報",
                "問い合わせ",
                "問合せ",
                "したところ",
                "気づ",
                "気付",
            ]
            .iter()
            .any(|w| sent.contains(w));
            let warning = ["ご注意", "注意喚起", "お気をつけ"]
                .iter()
                .any(|w| sent.contains(w));
            !(warning || arrived && found)
        }
        "malware" => ![
            "対策",
            "対応ソフト",
            "チェック",
            "駆除",
            "定義",
            "スキャン",
            "検知ソフト",
        ]
        .iter()
        .any(|w| after.starts_with(w) || after.starts_with(&format!("の{w}"))),
        "ransomware" if word == "暗号化され" => {
            !["通信", "SSL", "TLS", "ハッシュ", "保存され"]
                .iter()
                .any(|w| sent.contains(w))
        }
        // Taking data out is misuse only when it was not the job (「業務で持ち出し」 is not).
        "insider" if word == "持ち出し" => [
            "不正",
            "無断",
            "私的",
            "私用",
            "許可なく",
            "許可を得ず",
            "目的外",
            "業務外",
            "転職",
        ]
        .iter()
        .any(|w| sent.contains(w)),
        // A USB memory is a loss only when it was lost or stolen.
        "loss-theft" if word == "USBメモリ" => [
            "紛失",
            "盗",
            "置き忘れ",
            "所在不明",
            "見当たら",
            "遺失",
            "落と",
        ]
        .iter()
        .any(|w| sent.contains(w)),
        // A contractor is the route only when the incident happened there (not when it reported one).
        "supply-chain" if matches!(word, "委託している" | "提供事業者") => [
            "不正",
            "侵入",
            "紛失",
            "誤",
            "感染",
            "窃取",
            "流出",
            "漏え",
            "漏洩",
            "経由",
            "において",
        ]
        .iter()
        .any(|w| sent.contains(w)),
        "misdelivery" if matches!(word, "BCC" | "FAX" | "bcc" | "fax") => {
            ["誤", "すべきところ", "表示される", "流出", "漏え", "漏洩"]
                .iter()
                .any(|w| sent.contains(w))
        }
        _ => true,
    }
}

fn web_context(sent: &str) -> bool {
    [
        "サイト",
        "Web",
        "WEB",
        "ウェブ",
        "EC",
        "アプリケーション",
        "CMS",
        "WordPress",
        "ショップ",
        "ストア",
    ]
    .iter()
    .any(|w| sent.contains(w))
}

/// The vectors of a notice, in vocabulary order, and whether the evidence was thin.
pub(crate) fn vectors(doc: &Doc) -> Vec<String> {
    let cues = &*CUES;
    let mut found: Vec<&str> = Vec::new();
    for m in cues.ac.find_iter(&doc.flat) {
        let mut id = cues.ids[m.pattern().as_usize()];
        let word = cues.words[m.pattern().as_usize()].as_str();
        // A vulnerability exploited outside a web context is an intrusion of unnamed route.
        if id == "web-compromise"
            && word.starts_with("脆弱性")
            && !web_context(sentence(&doc.flat, m.start(), m.end()))
        {
            id = FALLBACK_VECTOR;
        }
        if found.contains(&id) {
            continue;
        }
        if !counts(doc, id, word, m.start(), m.end()) {
            continue;
        }
        if !found.contains(&id) {
            found.push(id);
        }
    }
    // A site vulnerability found and attacked, in other words.
    if !found.contains(&"web-compromise") {
        for (i, _) in doc.flat.match_indices("脆弱性") {
            let sent = sentence(&doc.flat, i, i + "脆弱性".len());
            let attacked = [
                "を発見され",
                "を突",
                "をつ",
                "を悪用",
                "を狙",
                "が悪用",
                "を利用され",
            ]
            .iter()
            .any(|w| sent.contains(w));
            if attacked
                && web_context(sent)
                && !sent.contains("診断の実施")
                && !doc.section_at(i).is_some_and(skipped_section)
                && !sent.contains("診断ツール")
            {
                found.push("web-compromise");
                break;
            }
            let site_vuln = sent.contains("サイト内の脆弱性") || sent.contains("サイトの脆弱性");
            if site_vuln && attacked {
                found.push("web-compromise");
                break;
            }
        }
    }
    let specific = found.iter().any(|id| INTRUSION.contains(id));
    BUILTIN_VECTORS
        .iter()
        .map(|v| v.0)
        .filter(|id| found.contains(id))
        .filter(|id| !(specific && *id == FALLBACK_VECTOR))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Vec<String> {
        vectors(&Doc::new(text))
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("弊社サーバーが第三者による不正アクセスを受けました。", &["unauthorized-access"]),
            (
                "弊社が運営する通販サイトのシステムの一部の脆弱性をついた第三者の不正アクセスにより、ペイメントアプリケーションの改ざんが行われました。",
                &["web-compromise", "card-skimming"],
            ),
            ("当店サイトでSQLインジェクション攻撃を受け、会員情報が流出しました。", &["sql-injection"]),
            ("VPN機器の脆弱性を悪用され、ランサムウェアに感染しました。", &["remote-access", "ransomware"]),
            ("本件はランサムウェアではないことを確認しております。サーバーへの不正アクセスがありました。", &["unauthorized-access"]),
            ("調査の結果、不正アクセスの痕跡はないことを確認しました。メールを誤送信しました。", &["misdelivery"]),
            (
                "取引先様からフィッシングメールが届いたとの連絡を受け、調査したところ不正アクセスを検知しました。",
                &["unauthorized-access"],
            ),
            ("本来BCCで送信すべきところ、宛先に入力して送信しました。", &["misdelivery"]),
            ("職員がUSBメモリを紛失しました。", &["loss-theft"]),
            ("委託先のサーバーがランサムウェアに感染しました。", &["ransomware", "supply-chain"]),
        ];
        for (text, want) in cases {
            assert_eq!(v(text), *want, "{text}");
        }
    }

    #[test]
    fn countermeasure_sections_do_not_count() {
        let text = "1. 経緯\n外部から不正アクセスを受けました。\n2. 原因\nウイルス対策ソフトは導入済みでした。\n3. 再発防止策\nVPN機器の更新、フィッシング対策を行います。\n";
        assert_eq!(v(text), ["unauthorized-access"]);
    }
}
