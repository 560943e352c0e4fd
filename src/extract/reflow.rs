//! Re-flowing text pulled out of a PDF.
//!
//! PDF text extraction breaks every visual line, often in the middle of a sentence or even of a
//! date (`2021` / `年 12 月 29 日`), and many tools put a blank line after every line. `import`
//! archives the body, and extraction matches sentences, so both want logical lines back. Only
//! line breaks, blank lines and trailing spaces change: never a word. Text that does not look
//! like a PDF dump (web text with long paragraph lines) comes back unchanged.

/// Display width of a character in columns: wide (2) for everything beyond ASCII and half-width
/// katakana, which is how PDF lines of Japanese text line up. (The definition; [`width`] counts
/// the same on the bytes.)
#[cfg(test)]
fn char_width(c: char) -> usize {
    if c.is_ascii() || ('\u{ff61}'..='\u{ff9f}').contains(&c) {
        1
    } else {
        2
    }
}

/// Display width of `s` in columns: 2 for a character beyond ASCII and half-width katakana, 1
/// for the others.
pub(crate) fn width(s: &str) -> usize {
    // Counted on the bytes (every line of every notice is measured): a character's first byte
    // counts 1, and a non-ASCII one's (C0 and up) 1 more; continuation bytes count nothing.
    // Half-width katakana (EF BD A1 to EF BE 9F) are narrow again.
    // Summed in byte lanes, 127 bytes at a time (at most 2 each, so a lane cannot overflow):
    // three times faster than summing in `usize`s, which the compiler vectorises four to a
    // register instead of sixteen.
    let b = s.as_bytes();
    let wide: usize = b
        .chunks(127)
        .map(|chunk| {
            let lanes = chunk.iter().fold(0u8, |sum, &x| {
                sum + u8::from(x & 0xc0 != 0x80) + u8::from(x >= 0xc0)
            });
            usize::from(lanes)
        })
        .sum();
    if b.contains(&0xef) {
        wide - s
            .chars()
            .filter(|c| ('\u{ff61}'..='\u{ff9f}').contains(c))
            .count()
    } else {
        wide
    }
}

/// Characters that end a sentence or a closed unit: a line ending with one is not continued.
fn ends_unit(line: &str) -> bool {
    matches!(
        line.chars().last(),
        Some('。' | '．' | '！' | '？' | '!' | '?' | '」' | '』' | '】' | ':' | '：')
    )
}

/// True when a line starts a list item, a numbered heading or a marker of its own.
pub(crate) fn starts_marker(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\u{3000}', '\t']);
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if "・•●○■□◆◇▪▫◎※*＊-－–—→►▶【[［〔<＜≪《".contains(first)
    {
        return true;
    }
    if ('\u{2460}'..='\u{24ff}').contains(&first) || ('\u{2776}'..='\u{2793}').contains(&first) {
        return true; // ① … ⑳, ❶ …
    }
    if ('\u{e000}'..='\u{f8ff}').contains(&first) {
        return true; // private-use bullets of PDF fonts
    }
    if matches!(first, '(' | '（') {
        let inner: String = chars
            .clone()
            .take_while(|c| !matches!(c, ')' | '）'))
            .collect();
        return !inner.is_empty() && inner.chars().count() <= 3;
    }
    if first == '第' {
        return true;
    }
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .collect();
    if !digits.is_empty() && digits.chars().count() <= 2 {
        let after = t[digits.len()..].chars().next();
        let unit = t[digits.len()..]
            .trim_start()
            .starts_with(|c: char| "年月日件名人時分%％歳円万回".contains(c) || c.is_ascii_digit());
        return !unit
            && matches!(
                after,
                Some('.' | '．' | ')' | '）' | '、' | ' ' | '\u{3000}')
            );
    }
    false
}

/// True when a line opens a new sentence with a connective (「なお、」, 「また、」): a list line
/// before it was full by chance, not broken.
pub(crate) fn starts_sentence(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\u{3000}']);
    [
        "なお、",
        "また、",
        "ただし、",
        "さらに、",
        "おって、",
        "以上",
    ]
    .iter()
    .any(|w| t.starts_with(w))
}

/// True when a line break falls inside a date (`2023` / `年 7 月`).
fn splits_date(prev: &str, next: &str) -> bool {
    let next = next.trim_start();
    (prev.ends_with(|c: char| c.is_ascii_digit())
        && next.starts_with(['年', '月', '日', '件', '名', '人']))
        || (prev.ends_with(|c: char| c.is_ascii_digit() || c == ',')
            && next.starts_with(|c: char| c.is_ascii_digit()))
}

/// True when the text looks like a PDF dump with lines broken at a fixed width; returns that
/// width (the 90th percentile of line widths).
fn pdf_line_width(lines: &[&str]) -> Option<usize> {
    // (width, width without trailing spaces, ends a unit) of each non-blank line, measured once.
    let measured: Vec<(usize, usize, bool)> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let t = l.trim_end();
            let w = width(t);
            (w + width(&l[t.len()..]), w, ends_unit(t))
        })
        .collect();
    if measured.len() < 6 {
        return None;
    }
    let mut widths: Vec<usize> = measured.iter().map(|m| m.0).collect();
    widths.sort_unstable();
    let w = widths[widths.len() * 9 / 10];
    if !(24..=160).contains(&w) {
        return None;
    }
    let full = widths.iter().filter(|&&x| x * 100 >= w * 80).count();
    // A PDF breaks full lines mid-sentence; web paragraphs of similar length end with 「。」.
    let broken = measured
        .iter()
        .filter(|(_, x, unit)| x * 100 >= w * 80 && !unit)
        .count();
    (full * 4 >= widths.len() && broken * 2 >= full).then_some(w)
}

/// Re-flows lines a PDF broke mid-sentence and drops the blank lines a PDF put between lines,
/// without changing a word (only line breaks, blank lines and trailing spaces change).
/// Other text comes back as is.
pub fn reflow(text: &str) -> String {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.trim_end_matches(['\r']))
        .collect();
    let Some(w) = pdf_line_width(&lines) else {
        return text.to_string();
    };
    // Blank-line structure: a PDF dump with a blank after every line keeps only runs of 2+ blanks
    // (paragraph breaks); otherwise blank lines stay as they are.
    let trimmed: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
    let nonblank = trimmed.iter().filter(|l| !l.is_empty()).count();
    let single_gaps = trimmed
        .windows(3)
        .filter(|w| !w[0].is_empty() && w[1].is_empty() && !w[2].is_empty())
        .count();
    let double_spaced = nonblank >= 4 && single_gaps * 10 >= (nonblank - 1) * 6;

    // Logical sequence: Some(line) or None for a kept blank line.
    let mut seq: Vec<Option<&str>> = Vec::with_capacity(trimmed.len());
    let mut i = 0;
    while i < trimmed.len() {
        if trimmed[i].is_empty() {
            let start = i;
            while i < trimmed.len() && trimmed[i].is_empty() {
                i += 1;
            }
            let run = i - start;
            let at_edge = start == 0 || i == trimmed.len();
            if !at_edge && (!double_spaced || run >= 2) {
                seq.push(None);
            }
            continue;
        }
        seq.push(Some(trimmed[i]));
        i += 1;
    }

    let mut out = String::with_capacity(text.len());
    let mut prev: Option<&str> = None; // the previous physical line, when it may be continued
    for item in seq {
        match item {
            None => {
                out.push_str("\n\n");
                prev = None;
            }
            Some(line) => {
                let join = prev.is_some_and(|p| {
                    (width(p) * 100 >= w * 80
                        && !ends_unit(p)
                        && !starts_marker(line)
                        && !starts_sentence(line))
                        || splits_date(p, line)
                });
                if join {
                    let last = prev.and_then(|p| p.chars().last()).unwrap_or(' ');
                    let first = line.chars().next().unwrap_or(' ');
                    // English words wrap at spaces; Japanese lines break anywhere, even in `VPN`.
                    let english = prev.is_some_and(|p| p.is_ascii());
                    if english && last.is_ascii_alphabetic() && first.is_ascii_alphabetic() {
                        out.push(' ');
                    }
                } else if prev.is_some() {
                    out.push('\n');
                }
                out.push_str(line);
                prev = Some(line);
            }
        }
    }
    if text.ends_with('\n') && !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn width_on_bytes_is_width_by_character() {
        for t in [
            "",
            "abc",
            "漢字かな",
            "ｶﾀｶﾅ and ＡＢＣ",
            "é€😀ｰ｡ﾟ",
            "2023 年 4 月 6 日（木）",
        ] {
            assert_eq!(width(t), t.chars().map(char_width).sum::<usize>(), "{t:?}");
        }
        let all: String = (1..0x11_0000u32)
            .step_by(7)
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(width(&all), all.chars().map(char_width).sum::<usize>());
    }

    use super::*;

    fn pdf(lines: &[&str]) -> String {
        lines.iter().map(|l| format!("{l} \n\n")).collect()
    }

    #[test]
    fn joins_broken_lines_and_drops_blank_lines() {
        let text = pdf(&[
            "このたび、弊社が運営する「かもめ商会オンラインストア」におきまして、第三者によ",
            "る不正アクセスを受け、お客様の個人情報が漏えいした可能性があることが判明いた",
            "しました。",
            "1.経緯",
            "2023 年 8 月 1 日、決済代行会社から連絡を受け、2023 年 8 月 2 日に調査を開始し",
            "ました。調査の結果、2022 年 1 月 5 日から 2023",
            "年 7 月 31 日までの間に入力された情報が対象となります。なお、対象となるお客様",
            "には個別にご連絡いたします。お客様には多大なるご迷惑をおかけいたしますことを",
            "深くお詫び申し上げます。",
        ]);
        let out = reflow(&text);
        assert_eq!(
            out,
            "このたび、弊社が運営する「かもめ商会オンラインストア」におきまして、第三者による不正アクセスを受け、お客様の個人情報が漏えいした可能性があることが判明いたしました。\n\
             1.経緯\n\
             2023 年 8 月 1 日、決済代行会社から連絡を受け、2023 年 8 月 2 日に調査を開始しました。調査の結果、2022 年 1 月 5 日から 2023年 7 月 31 日までの間に入力された情報が対象となります。なお、対象となるお客様には個別にご連絡いたします。お客様には多大なるご迷惑をおかけいたしますことを深くお詫び申し上げます。\n"
        );
        // Words are untouched: removing all whitespace gives the same characters.
        let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(strip(&out), strip(&text));
    }

    #[test]
    fn a_word_broken_in_japanese_text_joins_without_a_space() {
        let text = pdf(&[
            "当社のシステム保守を委託している事業者が、遠隔保守のために設置していたV",
            "PN装置の認証情報が窃取され、これを用いて当社ネットワークに侵入されたう",
            "え、ランサムウェアを実行されたことが判明しました。調査の結果、侵入は長期",
            "間にわたって継続していたことが確認されております。現在、当社は外部の専門",
            "家とともに、被害の範囲について詳細な調査を進めております。判明した事実は",
            "改めてお知らせいたします。",
        ]);
        assert!(reflow(&text).contains("VPN装置"), "{}", reflow(&text));
    }

    #[test]
    fn web_text_is_unchanged() {
        let text = "弊社サイトへの不正アクセスについて\n\n平素より格別のご高配を賜り、厚く御礼申し上げます。このたび、弊社が運営するサイトにおいて第三者による不正アクセスが発生し、お客様の情報が流出した可能性があることが判明しました。\n\n短い行\n";
        assert_eq!(reflow(text), text);
        assert_eq!(reflow(""), "");
        // Paragraph lines of similar length that end their sentences are not a PDF dump.
        let text = "このたび、当院において、患者様の個人情報を記録した記録媒体を紛失する事案が発生いたしました。\n\
            患者様ならびにご家族の皆様に多大なるご迷惑とご心配をおかけしますことをお詫び申し上げます。\n\
            平成31年3月29日、当院の医師が院内での研修資料作成のため、記録媒体を持ち出しました。\n\
            4月2日、医師が当該記録媒体を所持していないことに気づき、院内を捜索いたしました。\n\
            内科を受診された患者様218名の氏名、生年月日、性別、病名、検査結果、受診日、担当医\n\
            なお、記録媒体にはパスワードが設定されておりました。\n";
        assert_eq!(reflow(text), text);
        assert_eq!(reflow("\n\n\n"), "\n\n\n");
    }
}
