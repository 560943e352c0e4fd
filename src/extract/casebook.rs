//! Casebook blog pages: one file, several notices.
//!
//! A security-incident casebook blog page (a label page 「ラベル 最終報告 の投稿を表示しています」
//! or an archive page) holds several posts, each headed 「【セキュリティ事件簿#2024-244】`<org>`
//! `<title>` 2024/11/25」 and closed by a 「リリース文アーカイブ」 list of earlier releases
//! (「【2024年6月11日リリース分】」). Each post becomes its own notice; its header states the
//! incident number, organization, title and date, which win over what the body suggests.

use super::fields;
use super::normalize::normalize_line;
use crate::date::Date;
use crate::notice::{Meta, Refer};
use regex::Regex;
use std::sync::LazyLock;

/// One post of a page: the metadata its header (and page) states, and its own text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Post {
    /// What the page and the post header state (merged over what extraction finds in `text`).
    pub meta: Meta,
    /// The post's own text (without its header line and release-archive list).
    pub text: String,
}

static HEADER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^【[^】#]{0,30}#(?P<no>\d{4}-\d{1,6})】\s*(?P<rest>.*)$").expect("header regex")
});
static TRAIL_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?P<y>\d{4})[/.\-](?P<m>\d{1,2})[/.\-](?P<d>\d{1,2})\s*$").expect("trail date")
});
static LABEL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ラベル\s*(?P<l>.+?)\s*の投稿を表示しています").expect("label regex")
});
static ARCHIVE_ENTRY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^【(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:リリース分|公表分|発表分)?】$")
        .expect("archive entry")
});

const ARCHIVE_HEADING: &str = "リリース文アーカイブ";

/// Splits a casebook page into posts; any other text is one post holding the whole text with a
/// default `Meta`.
pub fn split_posts(text: &str) -> Vec<Post> {
    let lines: Vec<&str> = text.split('\n').collect();
    // Only a line opening with 【 (or its vertical form) can be a post header: the others are not
    // normalised unless the page has posts.
    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            lines[i].trim_start().starts_with(['【', '\u{fe3b}'])
                && HEADER_RE.is_match(&normalize_line(lines[i]))
        })
        .collect();
    if headers.is_empty() {
        return vec![Post {
            meta: Meta::default(),
            text: text.to_string(),
        }];
    }
    let norms: Vec<String> = lines.iter().map(|l| normalize_line(l)).collect();
    let mut page_labels: Vec<String> = Vec::new();
    for n in &norms[..headers[0]] {
        if let Some(c) = LABEL_RE.captures(n) {
            let l = c["l"].trim();
            let l = crate::vocab::canonical_stage(l).unwrap_or_else(|| l.to_string());
            if !page_labels.contains(&l) {
                page_labels.push(l);
            }
        }
    }
    let mut posts = Vec::new();
    for (k, &h) in headers.iter().enumerate() {
        let end = headers.get(k + 1).copied().unwrap_or(lines.len());
        let caps = HEADER_RE.captures(&norms[h]).expect("header");
        let mut header = Meta {
            incident: Some(caps["no"].to_string()),
            ..Meta::default()
        };
        let orig_rest = original_rest(lines[h]);
        let mut rest = caps["rest"].to_string();
        let mut orig_title = orig_rest.clone();
        if let Some(d) = TRAIL_DATE_RE.captures(&rest) {
            header.published = Date::new(
                d["y"].parse().unwrap_or(0),
                d["m"].parse().unwrap_or(0),
                d["d"].parse().unwrap_or(0),
            );
            rest.truncate(d.get(0).map_or(rest.len(), |m| m.start()));
            let orig_norm_cut = TRAIL_DATE_RE
                .find(&normalize_line(&orig_title))
                .map(|m| m.start());
            if orig_norm_cut.is_some() {
                orig_title = cut_trailing_date(&orig_title);
            }
        }
        let mut review = Vec::new();
        // "<org> <title>": the first word is the org when it looks like one.
        let first = rest.split(' ').next().unwrap_or("");
        let org_first = fields::org_of_line(first).is_some() && rest.contains(' ');
        if org_first {
            header.org = Some(first.to_string());
            let title = orig_title
                .trim()
                .split_once([' ', '\u{3000}'])
                .map_or("", |(_, t)| t)
                .trim();
            header.title = Some(fields::collapse_spaces(title)).filter(|t| !t.is_empty());
        } else {
            header.title = Some(fields::collapse_spaces(&orig_title)).filter(|t| !t.is_empty());
            if let Some(o) = fields::org_in_title(&rest) {
                header.org = Some(o);
                review.push("org".to_string());
            }
        }
        let mut labels = page_labels.clone();
        if let Some(t) = &header.title {
            fields::stages_in_title(t, &mut labels);
        }
        // The post body and its trailing release archive.
        let body_lines = &lines[h + 1..end];
        let body_norms = &norms[h + 1..end];
        let mut cut = body_lines.len();
        let mut refers: Vec<Refer> = Vec::new();
        for i in (0..body_lines.len()).rev() {
            let n = body_norms[i].trim();
            if n.is_empty() || n == ARCHIVE_HEADING {
                cut = i;
                continue;
            }
            if let Some(c) = ARCHIVE_ENTRY_RE.captures(&n.replace(' ', "")) {
                let date = Date::new(
                    c["y"].parse().unwrap_or(0),
                    c["m"].parse().unwrap_or(0),
                    c["d"].parse().unwrap_or(0),
                );
                refers.insert(
                    0,
                    Refer {
                        date,
                        title: None,
                        stage: None,
                    },
                );
                cut = i;
                continue;
            }
            break;
        }
        let body = body_lines[..cut].join("\n");
        let body = body.trim_matches('\n').to_string() + "\n";
        if !refers.is_empty() {
            header.refers = Some(refers);
        }
        if !labels.is_empty() {
            header.labels = Some(labels);
        }
        if !review.is_empty() {
            header.review = Some(review);
        }
        let meta = merge(header, super::extract(&body));
        posts.push(Post { meta, text: body });
    }
    posts
}

/// The header line after its 【…#…】 tag, in original characters.
fn original_rest(line: &str) -> String {
    match line.find('】') {
        Some(p) => line[p + '】'.len_utf8()..].trim().to_string(),
        None => line.trim().to_string(),
    }
}

/// `title 2024/11/25` → `title` (original characters).
fn cut_trailing_date(s: &str) -> String {
    let t = s.trim_end();
    let cut = t
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || "/.-０１２３４５６７８９／．－".contains(*c))
        .last()
        .map_or(t.len(), |(i, _)| i);
    t[..cut].trim_end().to_string()
}

/// Header meta over extracted meta; labels, refers and review are united, not replaced.
fn merge(header: Meta, extracted: Meta) -> Meta {
    let mut labels = header.labels.clone().unwrap_or_default();
    for l in extracted.labels.clone().unwrap_or_default() {
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    let mut refers = header.refers.clone().unwrap_or_default();
    for r in extracted.refers.clone().unwrap_or_default() {
        fields::add_refer(&mut refers, r);
    }
    let mut review: Vec<String> = header.review.clone().unwrap_or_default();
    for f in extracted.review.clone().unwrap_or_default() {
        if !header.has_field(&f) && !review.contains(&f) {
            review.push(f);
        }
    }
    let mut m = Meta {
        review: None,
        ..header
    }
    .or(Meta {
        review: None,
        ..extracted
    });
    m.labels = Some(labels).filter(|l| !l.is_empty());
    m.refers = Some(refers).filter(|r| !r.is_empty());
    m.review = Some(review).filter(|r| !r.is_empty());
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "ラベル 最終報告 の投稿を表示しています。 すべての投稿を表示\n\n\
【セキュリティ事件簿#2031-101】株式会社かもめ商会 弊社通販サイトへの不正アクセスに関するお詫び 2031/3/4\n\n\
このたび、弊社が運営する「かもめ商会オンラインストア」におきまして、第三者による不正アクセスを受け、お客様の個人情報(1,234件)が漏えいした可能性があることが判明いたしました。\n\n\
リリース文アーカイブ\n\n【2030年12月1日リリース分】\n\n\
【セキュリティ事件簿#2031-102】港北町職員の懲戒処分について 2031/3/5\n\n本町職員が個人情報を不正に持ち出しました。\n\n\
リリース文アーカイブ\n\n\
【セキュリティ事件簿#2031-101】浜風信用金庫 個人情報漏洩に関するお詫び 2031/3/6\n\n当金庫の委託先がランサムウェアに感染しました。\n";

    #[test]
    fn splits_a_casebook_page() {
        let posts = split_posts(PAGE);
        assert_eq!(posts.len(), 3);
        let p = &posts[0].meta;
        assert_eq!(p.incident.as_deref(), Some("2031-101"));
        assert_eq!(p.org.as_deref(), Some("株式会社かもめ商会"));
        assert_eq!(
            p.title.as_deref(),
            Some("弊社通販サイトへの不正アクセスに関するお詫び")
        );
        assert_eq!(p.published, Date::new(2031, 3, 4));
        assert_eq!(p.labels, Some(vec!["最終報告".to_string()]));
        assert_eq!(
            p.refers,
            Some(vec![Refer {
                date: Date::new(2030, 12, 1),
                ..Refer::default()
            }])
        );
        assert_eq!(p.records, Some(1234));
        assert!(!posts[0].text.contains("リリース文アーカイブ"));
        assert!(posts[0].text.starts_with("このたび"));
        let p = &posts[1].meta;
        assert_eq!(p.title.as_deref(), Some("港北町職員の懲戒処分について"));
        assert_eq!(p.org.as_deref(), Some("港北町"));
        assert_eq!(p.review, Some(vec!["org".to_string()]));
        assert_eq!(posts[2].meta.org.as_deref(), Some("浜風信用金庫"));
        assert_eq!(posts[2].meta.incident.as_deref(), Some("2031-101"));
    }

    #[test]
    fn other_text_is_one_post() {
        let posts = split_posts("弊社サイトへの不正アクセスについて\n本文です。\n");
        assert_eq!(
            posts,
            vec![Post {
                meta: Meta::default(),
                text: "弊社サイトへの不正アクセスについて\n本文です。\n".into()
            }]
        );
    }
}
