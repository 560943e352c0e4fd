//! How many, and what: `records`, `cards` and `data`.
//!
//! Counts are the numbers next to 件/名/人, judged by what they count: a stated total
//! (「計17,171名」, 「名寄せ後件数合計」) beats a sum of overlapping groups, 延べ counts and subsets
//! (「内…1,850名」) are not totals, card counts (「クレジットカード情報(2,162件)」) go to `cards`,
//! recipients of a mail are not victims. Data kinds are taken only from the part of the notice
//! that lists leaked or possibly leaked items, in the notice's words.

use super::normalize::Doc;
use super::reflow::{starts_marker, starts_sentence};
use super::vectors::{ceil_char, floor_char};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use std::sync::LazyLock;

static COUNT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<man>万)?(?P<u>件|名|人)").expect("count regex")
});

/// A count with its judgement.
#[derive(Debug, Clone)]
struct Count {
    value: u64,
    score: i32,
    total: bool,
}

/// What the counts say: records (and whether to review), cards.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub records: Option<u64>,
    pub records_unsure: bool,
    pub cards: Option<u64>,
}

fn window_before(flat: &str, start: usize) -> &str {
    let lo = floor_char(flat, start.saturating_sub(90));
    let w = &flat[lo..start];
    // Stop at the previous sentence end; allow one line break (a label line before the number).
    let w = w.rfind('。').map_or(w, |p| &w[p + '。'.len_utf8()..]);
    match w.rmatch_indices('\n').nth(1) {
        Some((p, _)) => &w[p + 1..],
        None => w,
    }
}

fn window_after(flat: &str, end: usize) -> &str {
    let hi = ceil_char(flat, (end + 60).min(flat.len()));
    let w = &flat[end..hi];
    let stop = w.find(['。', '\n']).unwrap_or(w.len());
    &w[..stop]
}

/// The last `n` characters of `s`.
fn last_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}

fn ends_with_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.ends_with(w))
}

/// Records and cards of a notice.
pub(crate) fn counts(doc: &Doc) -> Counts {
    let flat = &doc.flat;
    let mut records: Vec<Count> = Vec::new();
    let mut cards: Vec<u64> = Vec::new();
    for caps in COUNT_RE.captures_iter(flat) {
        let m = caps.get(0).expect("match");
        let (start, end) = (m.start(), m.end());
        if flat[..start].ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',' || c == '-')
        {
            continue;
        }
        let Ok(mut value) = caps["n"].replace(',', "").parse::<u64>() else {
            continue;
        };
        if caps.name("man").is_some() {
            value = value.saturating_mul(10_000);
        }
        if value == 0 {
            continue;
        }
        let before = window_before(flat, start);
        let after = window_after(flat, end);
        let near = last_chars(before, 12);
        // Not a count of victims: earlier figures, differences, recipients, money, ages.
        if ["公表した件数", "前回", "から"]
            .iter()
            .any(|w| near.strip_suffix('(').is_some_and(|n| n.ends_with(w)))
            || near.contains("公表した件数")
        {
            continue;
        }
        if after.starts_with("少な")
            || after.starts_with("減")
            || after.starts_with("増")
            || after.starts_with(")から")
        {
            continue;
        }
        if after.starts_with("目") || after.starts_with("以上") && value < 10 {
            continue;
        }
        let card_label = near.trim_end_matches(['(', ':', ' ', 'は', 'が', '約']);
        if ends_with_any(
            card_label,
            &[
                "クレジットカード情報",
                "カード情報",
                "クレジットカード",
                "カード番号",
                "クレジットカード会員情報",
            ],
        ) {
            cards.push(value);
            continue;
        }
        let mut score = 0;
        let mut total = false;
        let tail = last_chars(before, 4);
        if ["計", "合計", "総数", "総計", "全体で", "名寄せ後"]
            .iter()
            .any(|w| tail.contains(w))
            || after.starts_with('(')
                && ["名寄せ後", "合計", "総数"]
                    .iter()
                    .any(|w| after.contains(w))
        {
            score += 10;
            total = true;
        }
        if tail.contains("延べ") || tail.contains('延') {
            score -= 10;
        }
        if tail.ends_with('内') || tail.ends_with("うち") || tail.contains("内訳") {
            score -= 5;
        }
        let subject = [
            "個人情報",
            "会員",
            "顧客",
            "お客",
            "寄附者",
            "寄付者",
            "利用者",
            "患者",
            "生徒",
            "児童",
            "職員",
            "従業員",
            "情報",
            "アドレス",
            "データ",
            "対象",
            "名簿",
            "市民",
            "住民",
            "町民",
            "県民",
            "組合員",
            "学生",
            "申込者",
            "応募者",
            "参加者",
            "保護者",
            "契約者",
            "加入者",
            "登録者",
            "取引先",
            "施主",
        ];
        if subject.iter().any(|w| before.contains(w)) {
            score += 3;
        }
        let same_line = before.rfind('\n').map_or(before, |p| &before[p + 1..]);
        let leak_words = ["漏えい", "漏洩", "流出", "窃取", "閲覧", "対象"];
        let leak_here = leak_words
            .iter()
            .any(|w| same_line.contains(w) || after.contains(w));
        let leak_section = doc.section_at(start).is_some_and(|h| {
            [
                "流出",
                "漏えい",
                "漏洩",
                "件数",
                "対象",
                "被害",
                "情報",
                "紛失",
                "盗難",
                "誤送",
                "閲覧",
                "公開",
                "持ち出",
            ]
            .iter()
            .any(|w| h.contains(w))
        });
        if leak_here || leak_section {
            score += 2;
        }
        // 「患者様218名の氏名、…」: the people whose data it is.
        if after.strip_prefix("分").unwrap_or(after).starts_with('の') && KIND_AC.is_match(after)
        {
            score += 3;
        }
        // Recipients of a mail ("217名の会員様へ…送信") are not what leaked.
        let head = &after[..after.char_indices().nth(10).map_or(after.len(), |(i, _)| i)];
        if head.contains('へ') || after.contains("送信") || after.contains("受信") {
            score -= 3;
        }
        records.push(Count {
            value,
            score,
            total,
        });
    }
    let mut out = Counts {
        cards: cards.iter().copied().max(),
        ..Counts::default()
    };
    let best = records.iter().map(|c| c.score).max();
    if let Some(best) = best.filter(|&b| b >= 3) {
        let top: Vec<&Count> = records.iter().filter(|c| c.score == best).collect();
        let value = top.iter().map(|c| c.value).max().unwrap_or(0);
        let distinct = {
            let mut v: Vec<u64> = top.iter().map(|c| c.value).collect();
            v.sort_unstable();
            v.dedup();
            v.len()
        };
        out.records = Some(value);
        out.records_unsure = !top.iter().any(|c| c.total) && distinct > 1;
    }
    out
}

/// Data kinds, longest match first (`クレジットカード番号` before `カード番号`).
const KINDS: &[&str] = &[
    "クレジットカード番号",
    "カード番号",
    "カード名義人名",
    "カード名義",
    "有効期限",
    "セキュリティコード",
    "氏名",
    "名前",
    "フリガナ",
    "ふりがな",
    "住所",
    "郵便番号",
    "電話番号",
    "携帯電話番号",
    "FAX番号",
    "メールアドレス",
    "パスワード",
    "ログインID",
    "会員ID",
    "ユーザーID",
    "ユーザID",
    "生年月日",
    "性別",
    "年齢",
    "職業",
    "勤務先",
    "会社名",
    "部署名",
    "役職",
    "銀行口座",
    "口座番号",
    "口座情報",
    "購入履歴",
    "注文履歴",
    "注文内容",
    "購入商品",
    "配送先",
    "お届け先",
    "会員番号",
    "顧客番号",
    "マイナンバー",
    "個人番号",
    "保険証",
    "病歴",
    "診療情報",
    "学籍番号",
    "成績",
    "寄附金額",
    "寄付金額",
    "金額",
    "返礼品",
    "代表者名",
    "担当者名",
    "店舗名",
    "IPアドレス",
    "顔写真",
    "運転免許証",
    "パスポート",
    "国籍",
    "家族構成",
];

static KIND_AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(KINDS)
        .expect("kind automaton")
});

static LEAD_RE: LazyLock<Regex> = LazyLock::new(|| {
    // A lead ends the line, or is followed by `は`/`:` or straight by the first kind (a PDF or a
    // table cell lost the space: 「流出した情報の項目 氏名、住所」).
    let kinds = KINDS.join("|");
    Regex::new(&format!(
        r"(?:漏えい|漏洩|流出|窃取|閲覧|表示|送信|記録|保存|記載|持ち出|誤送信|誤送付|誤交付|誤掲載|公開|不正取得|盗難|紛失)[^。\n「」:]{{0,16}}?(?:個人)?(?:情報|項目|データ)(?:の(?:内容|項目|種類))?(?:は|:| |について|$|\n|{kinds})|含まれ(?:る|ていた|ている)(?:個人)?情報|対象(?:となる|の)(?:個人)?情報(?:は|:|$|\n)",
    ))
    .expect("lead regex")
});

/// Items of a listing (「氏名、住所、病名、検査結果」, 「・会員番号・保有ポイント数」): the known kinds
/// an item names, or else the item itself in the notice's words when it is a short noun phrase.
fn items_in(text: &str, out: &mut Vec<String>) {
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '「' | '【' | '[' => depth += 1,
            ')' | '」' | '】' | ']' => depth = depth.saturating_sub(1),
            '、' | ',' | '・' | '/' | '\n' | ';' if depth == 0 => {
                item(&text[start..i], out);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    item(&text[start..], out);
}

/// Words that make an item a sentence or a generic word, not a data kind.
const NOT_A_KIND: &[&str] = &[
    "は",
    "が",
    "を",
    "に",
    "で",
    "ます",
    "した",
    "です",
    "について",
    "可能性",
    "以下",
    "上記",
    "など",
    "含む",
    "該当",
    "対象",
    "合計",
    "以上",
];

/// People whose name may precede a data kind without being part of it (「会員氏名」 is 氏名).
const OWNERS: &[&str] = &[
    "会員",
    "顧客",
    "患者",
    "利用者",
    "職員",
    "社員",
    "従業員",
    "生徒",
    "学生",
    "児童",
    "申込者",
    "応募者",
    "契約者",
    "寄附者",
    "寄付者",
    "担当者",
    "代表者",
    "保護者",
    "組合員",
    "住民",
    "市民",
];

fn item(raw: &str, out: &mut Vec<String>) {
    // 「履歴書(氏名、住所、学歴)」: the parenthesised list is the data, the head its container.
    if let (Some(open), Some(close)) = (raw.find('('), raw.rfind(')')) {
        let inner = &raw[open + 1..close.max(open + 1)];
        if inner.contains('、') {
            items_in(inner, out);
            return;
        }
    }
    let matches: Vec<_> = KIND_AC.find_iter(raw).collect();
    if let [m] = matches.as_slice() {
        // A compound that ends in a kind keeps the notice's word (「取引金額」, 「振込先口座情報」).
        let head = raw[..m.start()].trim_start_matches(|c: char| "・-※*■◆ ".contains(c));
        let compound = m.end() == raw.trim_end().len()
            && (2..=4).contains(&head.chars().count())
            && head.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            && !OWNERS.contains(&head);
        if compound {
            let word = &raw[raw.len()
                - raw
                    .trim_start_matches(|c: char| "・-※*■◆ ".contains(c))
                    .len()..m.end()];
            if !out.iter().any(|k| k == word) {
                out.push(word.to_string());
            }
            return;
        }
    }
    if !matches.is_empty() {
        kinds_in(raw, out);
        return;
    }
    // Without parenthesised notes, a list label (「会員情報:」), the owner (「患者様の」) and 等.
    let mut s = String::with_capacity(raw.len());
    let mut depth = 0usize;
    for c in raw.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => s.push(c),
            _ => {}
        }
    }
    let mut s = s.as_str().trim();
    if let Some(p) = s.rfind(':') {
        s = &s[p + 1..];
    }
    s = s.trim_start_matches(|c: char| "・-※*■◆".contains(c) || c.is_whitespace());
    if let Some(p) = s.rfind('の') {
        if s[p + 'の'.len_utf8()..].chars().count() >= 2 {
            s = &s[p + 'の'.len_utf8()..];
        }
    }
    for suffix in ["等", "など", "ほか"] {
        s = s.strip_suffix(suffix).unwrap_or(s);
    }
    let n = s.chars().count();
    if !(2..=12).contains(&n)
        || s.contains(|c: char| c.is_ascii_digit() || c == '。')
        || NOT_A_KIND.iter().any(|w| s.contains(w))
        || matches!(
            s,
            "個人情報" | "情報" | "一部" | "その他" | "全て" | "データ" | "項目" | "内容"
        )
    {
        return;
    }
    if !out.iter().any(|k| k == s) {
        out.push(s.to_string());
    }
}

fn kinds_in(text: &str, out: &mut Vec<String>) {
    for m in KIND_AC.find_iter(text) {
        let k = KINDS[m.pattern().as_usize()].to_string();
        if !out.contains(&k) {
            out.push(k);
        }
    }
}

/// Data kinds in order of first appearance, and whether they came from a weak fallback.
pub(crate) fn data(doc: &Doc) -> (Vec<String>, bool) {
    let flat = &doc.flat;
    let mut out = Vec::new();
    let mut found_region = false;
    for m in LEAD_RE.find_iter(flat) {
        found_region = true;
        let li = doc.line_at(m.start());
        let line_end = doc.lines[li].end;
        let rest = &flat[m.end().min(line_end)..line_end];
        let lead_sentence_end = rest.find('。').map_or(rest.len(), |p| p + '。'.len_utf8());
        let sentence_text = &flat[doc.lines[li].start..m.end().min(line_end) + lead_sentence_end];
        let list_follows = ["以下", "次の", "下記", "次のとおり"]
            .iter()
            .any(|w| sentence_text.contains(w));
        let region_in_line = if list_follows {
            let after = &rest[lead_sentence_end..];
            let stop = after.find("上記").unwrap_or(after.len());
            // The inline list may be the rest of the line (web text keeps lists on one line).
            &after[..stop]
        } else {
            &rest[..lead_sentence_end]
        };
        let region_start = m.start();
        kinds_in(&flat[region_start..m.end().min(line_end)], &mut out);
        items_in(region_in_line, &mut out);
        if list_follows || lead_sentence_end == rest.len() {
            for j in li + 1..doc.lines.len().min(li + 40) {
                let l = doc.compact(j);
                let norm = &doc.lines[j].norm;
                // A sentence introducing the list under a heading (「…次の情報が含まれていました。」).
                if j == li + 1
                    && l.contains('。')
                    && ["以下", "次の", "下記"].iter().any(|w| l.contains(w))
                {
                    continue;
                }
                let listy = starts_marker(norm) && !l.starts_with('※');
                let heading = doc.sections.iter().any(|s| s.start == doc.lines[j].start);
                if heading
                    || starts_sentence(l)
                    || l.starts_with("上記")
                    || !listy && (l.contains('。') || l.chars().count() > 200)
                {
                    break;
                }
                // A numbered sub-heading (「(3)その他の…について」) ends the list; bullets do not.
                let numbered = listy && !l.starts_with(['・', '-', '*']);
                if numbered && !l.contains(['、', ':', '・']) && !KIND_AC.is_match(l) {
                    break;
                }
                // A list kept on one line may run on into the next sentence (「…電話番号上記に該当する…」).
                let stop = l.find("上記").unwrap_or(l.len());
                items_in(&l[..stop], &mut out);
                if stop < l.len() {
                    break;
                }
            }
        }
    }
    if !found_region {
        // A section about what leaked (「2. 流出件数について」).
        for s in &doc.sections {
            if ["流出", "漏えい", "漏洩"]
                .iter()
                .any(|w| s.heading.contains(w))
                && ["件数", "情報", "内容", "項目", "状況"]
                    .iter()
                    .any(|w| s.heading.contains(w))
            {
                found_region = true;
                kinds_in(&flat[s.start..s.end], &mut out);
            }
        }
    }
    if found_region {
        return (out, false);
    }
    // Fallback: sentences that say something leaked.
    for sent in flat.split(['。', '\n']) {
        if [
            "漏えい",
            "漏洩",
            "流出",
            "保存されて",
            "記録されて",
            "表示され",
            "閲覧できる",
            "閲覧可能",
        ]
        .iter()
        .any(|w| sent.contains(w))
        {
            kinds_in(sent, &mut out);
        }
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Counts {
        counts(&Doc::new(text))
    }

    #[test]
    fn records_and_cards() {
        let t =
            "お客様の個人情報(3,210件)、クレジットカード情報(845件)が漏えいした可能性があります。";
        assert_eq!(
            c(t),
            Counts {
                records: Some(3210),
                records_unsure: false,
                cards: Some(845)
            }
        );
        // PDF spacing inside a number.
        let t = "会員情報：12, 345件が流出しました。";
        assert_eq!(c(t).records, Some(12345));
        // A stated total wins over groups and subsets.
        let t = "1. 対象\n個人情報が漏えいした可能性のあるお客様(計5,400名〔内カード情報の対象となる方1,200名を含む。)\n(1)会員 4,000名\n(2)購入者 3,000名\n";
        assert_eq!(c(t).records, Some(5400));
        // 名寄せ後 over 延べ.
        let t = "(3)対象件数\n8,100件(名寄せ後件数合計)※延べ9,900件\n";
        assert_eq!(c(t).records, Some(8100));
        // Recipients are not victims; a corrected count is not the earlier one.
        let t = "1. 経緯\n会員様480名へ電子メールを送信。本来BCCで送信すべきところ、宛先に入力しました。\n2.流出した情報\nメールアドレス75件\n";
        assert_eq!(c(t).records, Some(75));
        let t =
            "(3)対象顧客件数\n1,204件\n※前回公表した件数(1,210件)から6件少なくなっております。\n";
        assert_eq!(c(t).records, Some(1204));
        // Several groups, no total: the largest, to review.
        let t = "2. 流出件数\n・会員情報：1,000件\n・注文情報：2,000件\n";
        assert_eq!(
            c(t),
            Counts {
                records: Some(2000),
                records_unsure: true,
                cards: None
            }
        );
        assert_eq!(c("職員40歳、60,000円を受給").records, None);
    }

    #[test]
    fn data_kinds_from_the_listing_part_only() {
        let t = "会員登録時に氏名、住所をご入力いただいております。\n漏えいした可能性のある情報は以下のとおりです。\n・クレジットカード番号\n・有効期限\n・セキュリティコード\n・ログイン情報(eメールアドレス、パスワード)\n上記に該当するお客様には、電話番号宛にご連絡します。\n";
        let (d, weak) = data(&Doc::new(t));
        assert_eq!(
            d,
            [
                "クレジットカード番号",
                "有効期限",
                "セキュリティコード",
                "メールアドレス",
                "パスワード"
            ]
        );
        assert!(!weak);
        // The same list on one line (web text).
        let t = "漏えいした可能性のある情報は以下のとおりです。・クレジットカード番号・有効期限・メールアドレス上記に該当するお客様には住所宛に書面でご連絡します。";
        assert_eq!(
            data(&Doc::new(t)).0,
            ["クレジットカード番号", "有効期限", "メールアドレス"]
        );
        // Kinds the vocabulary lacks stay in the notice's words; a list under a heading ends at
        // the next heading or sentence.
        let t = "2.記録されていた情報\n患者様218名の氏名、生年月日、病名、検査結果(一部)\nなお、媒体は暗号化されていました。\n3.閲覧された可能性のある情報\n・取引金額\n・応募書類(学歴、職歴、顔写真)\n4.今後の対応\n対象の方にご連絡いたします。\n";
        assert_eq!(
            data(&Doc::new(t)).0,
            [
                "氏名",
                "生年月日",
                "病名",
                "検査結果",
                "取引金額",
                "学歴",
                "職歴",
                "顔写真"
            ]
        );
        // Fallback: a sentence that says what leaked.
        let t = "職員の個人情報(氏名及び携帯電話番号)を漏洩した。";
        assert_eq!(
            data(&Doc::new(t)),
            (vec!["氏名".to_string(), "携帯電話番号".to_string()], true)
        );
    }
}
