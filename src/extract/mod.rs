//! Extraction: metadata from the text of a raw notice.
//!
//! Raw notices (web text, PDF text, HTML, casebook blog pages) carry their metadata in prose.
//! This module finds it so that `import` and `extract` can write front matter, and `build` can
//! fill fields front matter leaves out. Matching runs on a normalised copy (`normalize::Doc`) so
//! that the same notice as web text, PDF text or in any encoding gives the same metadata; the
//! archived body is never changed except by `reflow`, which only moves line breaks.
//! Whatever the extractor is unsure of is listed in `Meta::review`.

mod casebook;
mod counts;
mod dates;
mod decode;
mod fields;
mod html;
mod normalize;
mod reflow;
#[cfg(test)]
mod tests;
mod vectors;

pub use casebook::{split_posts, Post};
pub use decode::{decode, decode_owned, DecodeError};
pub use html::html_to_text;
pub use reflow::reflow;

use crate::notice::{Exposure, Meta};
use dates::{find_dates, DateHit};
use normalize::Doc;
use regex::Regex;
use std::sync::LazyLock;

/// The fields extraction can fill (DESIGN §3 names), in the order `review` lists them.
pub(crate) const FIELDS: [&str; 12] = [
    "title",
    "org",
    "published",
    "incident",
    "labels",
    "vectors",
    "records",
    "cards",
    "data",
    "exposure",
    "discovered",
    "refers",
];

/// Extracts metadata from a notice's text (plain text or a Markdown body). Every field that
/// could be found is set; every field the extractor was unsure of is listed in `review`.
pub fn extract(text: &str) -> Meta {
    extract_missing(text, &Meta::default())
}

/// Like [`extract`], for the fields `given` leaves out: what front matter sets wins anyway
/// (`Meta::or`), so the finders whose fields are all given are not run. A build of an archive
/// whose front matter is complete spends most of its parse time here; the result for a missing
/// field is the same as `extract`'s (a finder also runs when a missing field depends on it).
pub fn extract_missing(text: &str, given: &Meta) -> Meta {
    let want = |field: &str| !given.has_field(field);
    let mut meta = Meta::default();
    if FIELDS.iter().all(|f| given.has_field(f)) {
        return meta;
    }
    let (title_w, org_w, published_w, incident_w, labels_w, vectors_w) = (
        want("title"),
        want("org"),
        want("published"),
        want("incident"),
        want("labels"),
        want("vectors"),
    );
    let (records_w, cards_w, data_w, exposure_w, discovered_w, refers_w) = (
        want("records"),
        want("cards"),
        want("data"),
        want("exposure"),
        want("discovered"),
        want("refers"),
    );
    let doc = Doc::new(text);
    // Which finders a wanted field needs (refers needs the stages, discovered needs refers, a
    // made-up title needs org and vectors).
    let refers_n = refers_w || discovered_w;
    let heading_n = title_w || org_w || labels_w || refers_n;
    let dates_n = published_w || exposure_w || refers_n || heading_n;
    let org_n = org_w || title_w;
    let labels_n = labels_w || refers_n;
    let vectors_n = vectors_w || title_w;
    // Cards are only counted next to a カード word: without one, a given `records` leaves
    // nothing for the count finder to do.
    let counts_n = records_w || (cards_w && doc.flat.contains("カード"));
    let hits = if dates_n {
        find_dates(&doc.flat)
    } else {
        Vec::new()
    };
    let mut review: Vec<&str> = Vec::new();

    // When: the notice date.
    let published = if dates_n {
        fields::published(&doc, &hits)
    } else {
        None
    };
    if let Some((k, unsure)) = published {
        meta.published = Some(hits[k].date);
        if unsure || hits[k].guessed {
            review.push("published");
        }
    }

    // What it is called, and by whom.
    let (title, top_orgs) = if heading_n {
        fields::heading(&doc, &hits)
    } else {
        (None, Vec::new())
    };
    let org = if org_n {
        fields::signature_org(&doc)
            .map(|o| (o, true))
            .or_else(|| top_orgs.first().map(|o| (o.clone(), true)))
            .or_else(|| {
                title
                    .as_deref()
                    .and_then(fields::org_in_title)
                    .map(|o| (o, true))
            })
            .or_else(|| fields::resolve_self(&doc))
    } else {
        None
    };
    if let Some((o, sure)) = org {
        meta.org = Some(fields::collapse_spaces(&o));
        if !sure {
            review.push("org");
        }
    }

    // Stages and incident.
    let mut labels = Vec::new();
    if labels_n {
        if let Some(t) = &title {
            fields::stages_in_title(t, &mut labels);
        }
        fields::stages_in_body(&doc, &mut labels);
    }
    // An incident number belongs to the heading block; look near the top only.
    if incident_w {
        meta.incident = fields::incident(
            &doc.flat[..vectors::floor_char(&doc.flat, doc.flat.len().min(64 * 1024))],
        );
    }

    // How it happened.
    let vectors = if vectors_n {
        vectors::vectors(&doc)
    } else {
        Vec::new()
    };

    // What and how many.
    if counts_n {
        let counts = counts::counts(&doc);
        meta.records = counts.records;
        if counts.records_unsure {
            review.push("records");
        }
        meta.cards = counts.cards;
    }
    if data_w {
        let (data, weak) = counts::data(&doc);
        if !data.is_empty() {
            if weak {
                review.push("data");
            }
            meta.data = Some(data);
        }
    }

    // When it happened.
    let pub_hit = published.map(|p| p.0);
    if exposure_w {
        let (exposure, exposure_unsure) = exposure(&doc, &hits);
        if let Some(e) = exposure {
            meta.exposure = Some(e);
            if exposure_unsure {
                review.push("exposure");
            }
        }
    }
    let refers = if refers_n {
        fields::refers(&doc, &hits, pub_hit, &labels)
    } else {
        Vec::new()
    };
    if discovered_w {
        if let Some((d, unsure)) = discovered(&doc, &hits, pub_hit, &refers) {
            meta.discovered = Some(d);
            if unsure {
                review.push("discovered");
            }
        }
    }
    if !refers.is_empty() {
        meta.refers = Some(refers);
    }

    // A heading when the notice has none.
    match title {
        Some(t) => meta.title = Some(t),
        None if title_w => {
            if let Some(t) = build_title(&doc, meta.org.as_deref(), &vectors) {
                meta.title = Some(t);
                review.push("title");
            }
        }
        None => {}
    }
    if !labels.is_empty() {
        meta.labels = Some(labels);
    }
    if !vectors.is_empty() {
        meta.vectors = Some(vectors);
    }
    if !review.is_empty() {
        meta.review = Some(
            FIELDS
                .iter()
                .filter(|f| review.contains(f))
                .map(|f| f.to_string())
                .collect(),
        );
    }
    meta
}

/// Words of a sentence that tells when data was exposed (entered, viewable, intruded upon),
/// as opposed to other periods (a search of the premises, a suspension of the service).
const EXPOSURE_WORDS: &[&str] = &[
    "決済",
    "入力",
    "購入",
    "注文",
    "閲覧",
    "アクセス",
    "公開",
    "表示",
    "侵入",
    "接続",
    "攻撃",
    "漏え",
    "漏洩",
    "流出",
    "送信",
    "登録",
    "利用",
    "不正",
    "状態",
    "窃取",
    "持ち出",
    "感染",
    "期間中",
    "の間に",
];

static SAME_DAY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\([月火水木金土日祝]\))?(?:午前|午後)?\d{1,2}(?:時|:)(?:\d{1,2}分?)?頃?(?:から|~)(?:午前|午後)?\d{1,2}(?:時|:)(?:\d{1,2}分?)?頃?(?:まで|の間)")
        .expect("same-day range")
});

/// The exposure period: the first stated date range (`…から…までの間`, `…~…の期間`, `…に開始され、
/// …まで継続`, a range of hours within one day) in a sentence about exposure.
fn exposure(doc: &Doc, hits: &[DateHit]) -> (Option<Exposure>, bool) {
    let flat = &doc.flat;
    let mut ranges: Vec<(usize, crate::date::Date, crate::date::Date)> = Vec::new();
    let about_exposure = |start: usize, end: usize| {
        let sent = vectors::sentence(flat, start, end);
        EXPOSURE_WORDS.iter().any(|w| sent.contains(w))
    };
    for w in hits.windows(2) {
        let (a, b) = (w[0], w[1]);
        let between = &flat[a.end..b.start];
        let between = between
            .trim_start_matches(|c: char| c == '(' || c == ')' || "月火水木金土日祝".contains(c));
        let after = &flat[b.end..vectors::ceil_char(flat, (b.end + 42).min(flat.len()))];
        let joined = matches!(
            between,
            "から" | "~" | "-" | "より" | "〜" | "から同年" | "~同年"
        ) || {
            // 「…の移行時から…に修正するまでの間」, 「…に開始され、…まで継続」.
            let until = after
                .find(['、', '。', '\n'])
                .map_or(after, |p| &after[..p]);
            between.chars().count() <= 14
                && !between.contains(['。', '\n'])
                && (between.contains("から")
                    || between.contains("開始")
                    || between.contains("以降"))
                && until.contains("まで")
        };
        if !joined || a.date > b.date {
            continue;
        }
        // Dates of a time range within one day are not an exposure period.
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        if !about_exposure(a.start, b.end) {
            continue;
        }
        if !ranges.iter().any(|r| (r.1, r.2) == (a.date, b.date)) {
            ranges.push((a.start, a.date, b.date));
        }
    }
    // 「2024年3月2日午前10時15分から午後1時40分までの間」: one day.
    for h in hits {
        if SAME_DAY_RE.is_match(&flat[h.end..])
            && about_exposure(h.start, h.end)
            && !ranges.iter().any(|r| (r.1, r.2) == (h.date, h.date))
        {
            ranges.push((h.start, h.date, h.date));
        }
    }
    ranges.sort_by_key(|r| r.0);
    let ranges: Vec<(crate::date::Date, crate::date::Date)> =
        ranges.into_iter().map(|r| (r.1, r.2)).collect();
    // An open range: 「2021年12月29日以降」 is not an exposure start; only closed ranges count.
    match ranges.first() {
        Some(&(from, to)) => (
            Some(Exposure {
                from: Some(from),
                to: Some(to),
            }),
            ranges.len() > 1,
        ),
        None => intrusions(flat, hits),
    }
}

/// Without a stated range, numbered intrusions (「1回目(令和元年7月12日)」, 「2回目(…)」) bound the
/// exposure: from the first to the last. An inference, so to review.
fn intrusions(flat: &str, hits: &[DateHit]) -> (Option<Exposure>, bool) {
    let dates: Vec<crate::date::Date> = hits
        .iter()
        .filter(|h| {
            let before = flat[..h.start].strip_suffix('(').unwrap_or("");
            let before = before.strip_suffix("回目").unwrap_or("");
            h.full
                && before
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        })
        .map(|h| h.date)
        .collect();
    let (Some(&from), Some(&to)) = (dates.iter().min(), dates.iter().max()) else {
        return (None, false);
    };
    (
        Some(Exposure {
            from: Some(from),
            to: (to > from).then_some(to),
        }),
        true,
    )
}

/// When the organization learned of it: the first timeline date whose clause tells of a report,
/// a finding or a detection.
fn discovered(
    doc: &Doc,
    hits: &[DateHit],
    pub_hit: Option<usize>,
    refers: &[crate::notice::Refer],
) -> Option<(crate::date::Date, bool)> {
    const CUES: &[&str] = &[
        "連絡を受け",
        "指摘を受け",
        "報告を受け",
        "通報を受け",
        "報告があり",
        "連絡があり",
        "指摘があり",
        "検知",
        "発覚",
        "判明",
        "発見",
        "覚知",
        "気付",
        "気づ",
        "確認され",
        "確認しました",
        "確認いたしました",
        "入手",
        "問い合わせ",
        "相談があ",
        "申し出",
        "連絡をいただ",
        "連絡により",
        "指摘により",
        "通知により",
        "寄せられ",
        "把握",
        "認識",
        "盗まれ",
        "盗難に遭",
        "利用できな",
        "障害が発生",
    ];
    let flat = &doc.flat;
    for (k, h) in hits.iter().enumerate() {
        if Some(k) == pub_hit || refers.iter().any(|r| r.date == Some(h.date)) {
            continue;
        }
        let next = hits.get(k + 1).map_or(flat.len(), |n| n.start);
        // The rest of the sentence (a long one tells who reported what before the verb).
        let hi = vectors::ceil_char(flat, (h.end + 600).min(flat.len()).min(next.max(h.end)));
        let clause = &flat[h.end..hi];
        let clause = clause.find('。').map_or(clause, |p| &clause[..p]);
        // Part of a range: an exposure period, not an event.
        if ["から", "~", "以降", "まで", "の期間", "の間"]
            .iter()
            .any(|w| clause.starts_with(w))
        {
            continue;
        }
        if clause.starts_with("時点") || clause.starts_with("の時点") {
            continue;
        }
        if CUES.iter().any(|c| clause.contains(c)) {
            return Some((h.date, h.guessed));
        }
    }
    None
}

/// A heading for a notice that has none: the organization and the event, e.g.
/// 「志布志市ふるさと納税特設サイトへの不正アクセス」.
fn build_title(doc: &Doc, org: Option<&str>, vectors: &[String]) -> Option<String> {
    let intrusion = vectors.iter().any(|v| {
        matches!(
            v.as_str(),
            "unauthorized-access"
                | "web-compromise"
                | "card-skimming"
                | "sql-injection"
                | "xss"
                | "remote-access"
                | "account-takeover"
        )
    });
    let event = if intrusion {
        "不正アクセス"
    } else {
        match vectors.first().map(String::as_str) {
            Some("misdelivery") => "誤送信",
            Some("loss-theft") => "紛失",
            Some("insider") => "内部不正",
            Some("misconfiguration") => "設定不備による情報公開",
            Some("software-bug") => "システム不具合",
            Some("ransomware") => "ランサムウェア被害",
            Some("malware") => "マルウェア感染",
            Some("phishing") => "フィッシング被害",
            Some("supply-chain") => "委託先での情報漏えい",
            _ => "個人情報漏えい",
        }
    };
    let site = first_site(&doc.flat);
    let core = org.map(org_core);
    match (site, org) {
        (Some(site), _) if intrusion => {
            let named = core
                .as_deref()
                .is_some_and(|c| !c.is_empty() && site.contains(c));
            Some(match org {
                Some(o) if !named => format!("{o}「{site}」への{event}"),
                _ => format!("{site}への{event}"),
            })
        }
        (_, Some(o)) => Some(format!("{o}における{event}")),
        (Some(site), None) => Some(format!("{site}における{event}")),
        (None, None) => None,
    }
}

/// An organization name without its legal form, for "does the site name say who runs it".
fn org_core(org: &str) -> String {
    let mut s = org.to_string();
    for f in [
        "株式会社",
        "有限会社",
        "合同会社",
        "一般社団法人",
        "公益財団法人",
        "学校法人",
        " ",
    ] {
        s = s.replace(f, "");
    }
    s
}

/// The first quoted service name (「…サイト」, 「…ショップ」).
fn first_site(flat: &str) -> Option<String> {
    let head = &flat[..vectors::floor_char(flat, flat.len().min(4000))];
    let mut rest = head;
    while let Some(p) = rest.find('「') {
        let after = &rest[p + '「'.len_utf8()..];
        let Some(q) = after.find('」') else { break };
        let name = &after[..q];
        let n = name.chars().count();
        if (2..=40).contains(&n)
            && [
                "サイト",
                "ショップ",
                "ストア",
                "システム",
                "サーバ",
                "アプリ",
                "サービス",
                "ページ",
                "通販",
            ]
            .iter()
            .any(|w| name.contains(w))
        {
            return Some(name.to_string());
        }
        rest = &after[q..];
    }
    None
}
