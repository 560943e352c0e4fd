//! The matching copy of a notice.
//!
//! Extraction never matches on the archived text itself: the same notice saved from a web page,
//! pulled out of a PDF or stored as Shift_JIS must give the same metadata. `Doc` is a normalised
//! copy: PDF line breaks re-flowed, NFKC (full-width digits and brackets), circled numbers as
//! `(n)`, private-use PDF bullets as `・`, and "PDF spacing" removed (`2023 年 4 月 6 日` →
//! `2023年4月6日`, `27, 270件` → `27,270件`). Each logical line keeps its original text too, for
//! fields shown as written (titles).

use super::reflow::{reflow, starts_marker};
use crate::text::nfkc;

/// One non-blank logical line.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// The original text (re-flowed, trimmed), for display.
    pub orig: String,
    /// NFKC with whitespace runs collapsed to one space.
    pub norm: String,
    /// Byte range of the line's compact form in `Doc::flat`.
    pub start: usize,
    pub end: usize,
}

/// A level-1 heading (`1. 経緯`, `2 事案の概要`) and the lines it governs.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub heading: String,
    pub start: usize,
    pub end: usize,
}

/// The normalised matching copy of a notice.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub lines: Vec<Line>,
    /// Compact lines joined with `\n`.
    pub flat: String,
    /// Level-1 sections, as byte ranges of `flat`.
    pub sections: Vec<Section>,
}

impl Doc {
    /// Builds the matching copy of `text`.
    pub fn new(text: &str) -> Doc {
        let flowed = reflow(text);
        let mut lines = Vec::new();
        let mut flat = String::with_capacity(flowed.len() + 16);
        for raw in flowed.split('\n') {
            let orig = raw.trim_matches(|c: char| c.is_whitespace());
            if orig.is_empty() {
                continue;
            }
            let norm = normalize_line(orig);
            if norm.is_empty() {
                continue;
            }
            let start = flat.len();
            compact_into(&norm, &mut flat);
            let end = flat.len();
            flat.push('\n');
            lines.push(Line {
                orig: orig.to_string(),
                norm,
                start,
                end,
            });
        }
        let sections = find_sections(&lines, &flat);
        Doc {
            lines,
            flat,
            sections,
        }
    }

    /// The compact text of line `i`.
    pub fn compact(&self, i: usize) -> &str {
        &self.flat[self.lines[i].start..self.lines[i].end]
    }

    /// Index of the line holding byte `pos` of `flat`.
    pub fn line_at(&self, pos: usize) -> usize {
        self.lines
            .partition_point(|l| l.end < pos)
            .min(self.lines.len().saturating_sub(1))
    }

    /// Heading of the level-1 section holding byte `pos`, if any.
    pub fn section_at(&self, pos: usize) -> Option<&str> {
        let i = self.sections.partition_point(|s| s.start <= pos);
        let s = self.sections.get(i.checked_sub(1)?)?;
        (pos < s.end).then_some(s.heading.as_str())
    }
}

/// NFKC of one line, with circled numbers as `(n)`, PDF private-use bullets as `・`, wave dashes
/// unified to `~` and whitespace runs collapsed.
pub(crate) fn normalize_line(s: &str) -> String {
    // Full NFKC is slow; the characters notices are made of are mapped here in one pass, and
    // only lines with anything else go through NFKC afterwards. Characters kept as they are
    // (most of a line) are copied a run at a time.
    let mut out = String::with_capacity(s.len());
    let mut needs_nfkc = false;
    let mut run = 0;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if let Some(len) = kept_len(b, i) {
            i += len;
            continue;
        }
        let c = s[i..].chars().next().expect("i is a character boundary");
        out.push_str(&s[run..i]);
        run = i + c.len_utf8();
        needs_nfkc |= push_mapped(&mut out, c);
        i = run;
    }
    out.push_str(&s[run..]);
    finish_line(out, needs_nfkc)
}

/// The UTF-8 length of the character starting at `b[i]` when [`kept`] keeps it, told from its
/// bytes without decoding it (a notice is mostly kana and kanji: three bytes each).
fn kept_len(b: &[u8], i: usize) -> Option<usize> {
    match b[i] {
        0x21..=0x7e => Some(1),
        // U+5000–U+9FFF, and U+4E00–U+4FFF (E4 B8 80 onwards).
        0xe5..=0xe9 => Some(3),
        0xe4 if b[i + 1] >= 0xb8 => Some(3),
        // U+3041–U+3096 (E3 81 81 – E3 82 96) and U+30A1–U+30FE (E3 82 A1 – E3 83 BE).
        0xe3 => match (b[i + 1], b[i + 2]) {
            (0x81, 0x81..) | (0x82, ..=0x96) | (0x82, 0xa1..) | (0x83, ..=0xbe) => Some(3),
            _ => None,
        },
        _ => None,
    }
}

/// True for the characters [`normalize_line`] keeps as they are: printable ASCII, kana and
/// kanji, most of a notice. The build asks [`kept_len`], which reads the same set off the
/// UTF-8 bytes; this is the reference the tests hold it to.
#[cfg(test)]
fn kept(c: char) -> bool {
    matches!(c, '\u{21}'..='\u{7e}' | '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fe}' | '\u{4e00}'..='\u{9fff}')
        && c != '\u{30ff}'
}

/// Appends `c`, a whitespace run becoming one space (none at the start).
fn push_spaced(out: &mut String, c: char) {
    if c.is_whitespace() {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    } else {
        out.push(c);
    }
}

/// Appends the line form of a character [`kept`] does not keep. True when the line needs NFKC.
fn push_mapped(out: &mut String, c: char) -> bool {
    match c {
        '\u{2460}'..='\u{2473}' | '\u{2776}'..='\u{277f}' => {
            let n = if c >= '\u{2776}' {
                c as u32 - 0x2776 + 1
            } else {
                c as u32 - 0x2460 + 1
            };
            out.push('(');
            out.push_str(&n.to_string());
            out.push(')');
        }
        // Bullets; ■ and ◆ stay, as they mark headings.
        '\u{e000}'..='\u{f8ff}' | '•' | '●' | '◦' | '▪' => out.push('・'),
        '〜' | '～' | '∼' => out.push('~'),
        '−' | '‐' | '―' | '－' => out.push('-'),
        '〔' => out.push('('),
        '〕' => out.push(')'),
        '\u{ff01}'..='\u{ff5e}' => out.push(char::from_u32(c as u32 - 0xfee0).unwrap_or(c)),
        '\u{3000}' | '\u{a0}' => push_spaced(out, ' '),
        _ => {
            push_spaced(out, c);
            return !crate::text::nfkc_stable(c);
        }
    }
    false
}

/// The end of [`normalize_line`]: NFKC when a character needs it, no trailing space.
fn finish_line(mut out: String, needs_nfkc: bool) -> String {
    if needs_nfkc {
        let n = nfkc(&out);
        out.clear();
        for c in n.chars() {
            push_spaced(&mut out, c);
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Appends `norm` with PDF spacing removed: a space goes when a neighbour is not ASCII or when it
/// splits a number (`27, 270`). Text between spaces is copied a run at a time.
pub(crate) fn compact_into(norm: &str, out: &mut String) {
    let mut prev: Option<char> = None;
    let mut run = 0;
    for (i, _) in norm.match_indices(' ') {
        if run < i {
            out.push_str(&norm[run..i]);
            prev = norm[run..i].chars().next_back();
        }
        run = i + 1;
        if keeps_space(prev, norm[i + 1..].chars().next()) {
            out.push(' ');
            prev = Some(' ');
        }
    }
    out.push_str(&norm[run..]);
}

/// True when a space between `prev` and `next` stays: both ASCII, and not a digit group
/// separator's space (`27, 270`).
fn keeps_space(prev: Option<char>, next: Option<char>) -> bool {
    match (prev, next) {
        (Some(p), Some(n)) => {
            p.is_ascii()
                && n.is_ascii()
                && !(p == ',' && n.is_ascii_digit())
                && !(p.is_ascii_digit() && n == ',')
        }
        _ => false,
    }
}

/// The compact form of a string (for tests and small helpers).
pub(crate) fn compact(s: &str) -> String {
    let mut out = String::new();
    compact_into(&normalize_line(s), &mut out);
    out
}

/// Level-1 headings: `1. 経緯`, `2．原因`, `3 対応`, `第2 …`, `■ …`, `【…】` on a short line of its own.
fn is_heading(norm: &str, compact: &str) -> bool {
    let len = compact.chars().count();
    if !(2..=40).contains(&len) || compact.contains('。') {
        return false;
    }
    let digits = norm.bytes().take_while(|b| b.is_ascii_digit()).count();
    if (1..=2).contains(&digits) {
        let rest = &norm[digits..];
        let mut rc = rest.chars();
        return match rc.next() {
            Some('.' | '、') => rc.next().is_some_and(|c| !c.is_ascii_digit()),
            Some(' ') => rc
                .next()
                .is_some_and(|c| !c.is_ascii_digit() && !"年月日時".contains(c)),
            _ => false,
        };
    }
    compact.starts_with('■')
        || compact.starts_with('◆')
        || (compact.starts_with('【') && compact.ends_with('】') && !compact.contains('#'))
        || (compact.starts_with('第')
            && compact.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
            && !compact.contains('報'))
}

fn find_sections(lines: &[Line], flat: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for l in lines {
        let compact = &flat[l.start..l.end];
        if is_heading(&l.norm, compact) && !starts_marker_sub(&l.norm) {
            if let Some(last) = sections.last_mut() {
                last.end = l.start;
            }
            sections.push(Section {
                heading: compact.to_string(),
                start: l.start,
                end: flat.len(),
            });
        }
    }
    sections
}

/// Sub-level markers (`(1)`) are not level-1 headings.
fn starts_marker_sub(norm: &str) -> bool {
    norm.starts_with('(') && starts_marker(norm)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `normalize_line` and `compact_into` a character at a time, as they were before they
    /// copied runs: the reference the run copying is checked against.
    mod slow {
        use super::super::{finish_line, keeps_space, kept, push_mapped};

        pub(super) fn normalize_line_slow(s: &str) -> String {
            let mut out = String::new();
            let mut needs_nfkc = false;
            for c in s.chars() {
                if kept(c) {
                    out.push(c);
                } else {
                    needs_nfkc |= push_mapped(&mut out, c);
                }
            }
            finish_line(out, needs_nfkc)
        }

        pub(super) fn compact_into_slow(norm: &str, out: &mut String) {
            let mut chars = norm.chars().peekable();
            let mut prev: Option<char> = None;
            while let Some(c) = chars.next() {
                if c == ' ' {
                    if keeps_space(prev, chars.peek().copied()) {
                        out.push(' ');
                        prev = Some(' ');
                    }
                    continue;
                }
                out.push(c);
                prev = Some(c);
            }
        }
    }

    #[test]
    fn kept_bytes_are_kept_characters() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let b = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(
                kept_len(b, 0),
                kept(c).then_some(b.len()),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn run_copying_agrees_with_the_character_loops() {
        let pool: Vec<char> =
            "あア漢字 　\tａＡ１ー・〜～−（）〔〕①❶\u{e001}•x,1 2 ,3ｶﾞ\u{3099}é\u{a0}\u{30ff}。"
                .chars()
                .collect();
        let mut seed: u64 = 7;
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..(seed % 14) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(pool[(seed >> 33) as usize % pool.len()]);
            }
            seed = seed.wrapping_add(11);
            assert_eq!(normalize_line(&s), slow::normalize_line_slow(&s), "{s:?}");
            let (mut a, mut b) = (String::from("前"), String::from("前"));
            compact_into(&s, &mut a);
            slow::compact_into_slow(&s, &mut b);
            assert_eq!(a, b, "{s:?}");
        }
    }

    #[test]
    fn pdf_spacing_goes_for_matching() {
        assert_eq!(compact("2023 年 4 月 6 日"), "2023年4月6日");
        assert_eq!(compact("会員情報：27, 270件"), "会員情報:27,270件");
        assert_eq!(
            compact("２０２４年１１月２５日（月）"),
            "2024年11月25日(月)"
        );
        assert_eq!(
            compact("Web Application Firewall を導入"),
            "Web Application Firewallを導入"
        );
        assert_eq!(compact("①氏名"), "(1)氏名");
        assert_eq!(compact("\u{f0b7} 電話番号"), "・電話番号");
        // The fast path agrees with full NFKC.
        for s in [
            "ｶﾀｶﾅ㈱と㍻",
            "が（半角ｶﾞ）",
            "ＡＢＣ１２３　全角",
            "か\u{3099}",
        ] {
            assert_eq!(
                normalize_line(s),
                normalize_line(&crate::text::nfkc(s)),
                "{s}"
            );
        }
    }

    #[test]
    fn sections_and_lines() {
        let doc = Doc::new("お知らせ\n1. 経緯\n2024年5月1日、連絡を受けました。\n2．再発防止策\n対策を講じます。\n");
        assert_eq!(doc.lines.len(), 5);
        assert_eq!(doc.sections.len(), 2);
        let pos = doc.flat.find("連絡").unwrap();
        assert_eq!(doc.section_at(pos), Some("1.経緯"));
        let pos = doc.flat.find("対策を").unwrap();
        assert_eq!(doc.section_at(pos), Some("2.再発防止策"));
        assert_eq!(doc.section_at(0), None);
        assert_eq!(doc.line_at(pos), 4);
    }
}
