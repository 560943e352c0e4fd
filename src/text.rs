//! Small text helpers shared by every stage: Unicode normalisation and id slugs.
//!
//! Matching runs on NFKC copies (full-width digits, `㈱`); anything shown or used as a path is NFC.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// NFKC copy of `s`, for matching only (it loses information: `①` → `1`).
///
/// Notices are mostly kana, kanji and ASCII, which NFKC leaves as they are: only the stretches
/// from the last such character before anything else up to the next such character go through
/// the (slow) normaliser. A stable character is a starter that composes with nothing before it,
/// so cutting before one gives the same result as normalising the whole text.
pub fn nfkc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    nfkc_chunks(s, |chunk| out.push_str(chunk));
    out
}

/// Calls `f` with the pieces of the NFKC form of `s`, in order, without making it whole: clean
/// runs of `s` as they are, each dirty segment normalised (the same segments as [`nfkc`]).
pub fn nfkc_chunks(s: &str, mut f: impl FnMut(&str)) {
    // `done`: how much of `s` has been passed on; `seg`: start of the current segment (at a
    // stable or quickly mapped character); `dirty`: the segment holds others; `mapped`: the NFKC
    // form of the segment's first character when it is a quickly mapped one. Clean text is
    // passed in runs, when a dirty segment, a mapped character or the end is reached.
    let (mut done, mut seg, mut dirty) = (0, 0, false);
    let mut mapped: Option<char> = None;
    let mut buf = String::new();
    let mut flush = |from: usize, to: usize, f: &mut dyn FnMut(&str)| {
        buf.clear();
        buf.extend(s[from..to].nfkc());
        f(&buf);
    };
    let mut one = [0u8; 4];
    let b = s.as_bytes();
    let mut next = 0;
    while next < b.len() {
        let i = next;
        // ASCII and the CJK ideographs U+4000–U+9FFF (lead bytes E4–E9), most of a notice, are
        // stable by their first byte; the others are decoded and looked up.
        let (stable, quick) = match b[i] {
            0x00..=0x7f => {
                next += 1;
                (true, None)
            }
            0xe4..=0xe9 => {
                next += 3;
                (true, None)
            }
            _ => {
                let c = s[i..].chars().next().expect("i is a character boundary");
                next += c.len_utf8();
                let stable = nfkc_stable(c);
                (stable, if stable { None } else { nfkc_quick(c) })
            }
        };
        if stable || quick.is_some() {
            if dirty {
                if done < seg {
                    f(&s[done..seg]);
                }
                flush(seg, i, &mut f);
                done = i;
                dirty = false;
            } else if let Some(m) = mapped {
                if done < seg {
                    f(&s[done..seg]);
                }
                f(m.encode_utf8(&mut one));
                done = i;
            }
            mapped = quick;
            seg = i;
        } else {
            dirty = true;
        }
    }
    if dirty {
        if done < seg {
            f(&s[done..seg]);
        }
        flush(seg, s.len(), &mut f);
    } else if let Some(m) = mapped {
        if done < seg {
            f(&s[done..seg]);
        }
        f(m.encode_utf8(&mut one));
    } else if done < s.len() {
        f(&s[done..]);
    }
}

/// The NFKC form of a character that is one starter composing with nothing on either side,
/// for the common ones notices are full of: full-width ASCII and the ideographic space. A
/// character followed by combining marks still goes through the normaliser with them.
fn nfkc_quick(c: char) -> Option<char> {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// Characters NFKC maps to themselves that are starters never composing with what precedes
/// them: ASCII, hiragana, katakana, common CJK punctuation and unified ideographs.
pub(crate) fn nfkc_stable(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{7f}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3005}'..='\u{3007}'
        | '\u{300c}'..='\u{3011}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30a1}'..='\u{30fa}'
        | '\u{30fb}'..='\u{30fe}'
        | '\u{3400}'..='\u{9fff}'
        | '※'
    ) && !matches!(c, '\u{309b}' | '\u{309c}' | '\u{30ff}')
}

/// NFC form of `s`, for display text and output paths.
pub fn nfc(s: &str) -> String {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s.to_string();
    }
    s.nfc().collect()
}

/// An ASCII id slug (`[a-z0-9-]`) from a file stem: lower-cased, other characters become `-`,
/// runs collapse, no leading or trailing `-`. Empty when nothing ASCII-alphanumeric is left.
pub fn slugify_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in nfkc(s).chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(100);
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// True when `s` is already a valid notice id.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Escapes text for HTML and XML (content and attribute values).
pub fn escape_html(s: &str) -> String {
    // Every value a template prints comes through here (a million at 10k notices), and almost
    // none has a character to escape: two vectorised scans tell, where the loop below reads a
    // byte at a time (about 2% of a build's instructions).
    let b = s.as_bytes();
    if memchr::memchr3(b'&', b'<', b'>', b).is_none() && memchr::memchr2(b'"', b'\'', b).is_none() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    // The escaped characters are ASCII, so every byte found is a character boundary and the
    // text between them is copied in runs (this runs on every value every template prints).
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(entity);
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out
}

/// The first `max` characters of `s`, with `…` when cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Random strings for tests that hold a fast path to its reference: `count` strings of up to
/// `max_tokens - 1` tokens from `pool`, the same every run (a linear congruential generator,
/// read from its high bits: its low bits repeat with short periods).
#[cfg(test)]
pub(crate) fn random_strings(
    pool: &[&str],
    seed: u64,
    max_tokens: usize,
    count: usize,
) -> Vec<String> {
    let mut seed = seed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed
    };
    (0..count)
        .map(|_| {
            let len = (next() >> 40) as usize % max_tokens;
            (0..len)
                .map(|_| pool[(next() >> 33) as usize % pool.len()])
                .collect()
        })
        .collect()
}

/// The characters of `s`, each as a token for [`random_strings`].
#[cfg(test)]
pub(crate) fn char_tokens(s: &str) -> Vec<&str> {
    s.char_indices()
        .map(|(i, c)| &s[i..i + c.len_utf8()])
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn fast_nfkc_is_nfkc() {
        use unicode_normalization::UnicodeNormalization;
        // Characters that change, combine or sit at run edges, mixed at random.
        let pool = super::char_tokens("〜～％，／　Ｚｚかがカガｶﾞﾊﾟ\u{3099}\u{309a}\u{301}\u{308}AaＡａ１2（）：「」、。・ー㈱①ﾃﾞｰﾀ株式会社漢字\u{f900}\u{3000} \neé\u{1100}\u{1161}\u{11a8}ヽヾゝゞ〃々");
        for s in super::random_strings(&pool, 42, 12, 20_000) {
            let want: String = s.nfkc().collect();
            assert_eq!(super::nfkc(&s), want, "{s:?}");
        }
    }

    use super::*;

    #[test]
    fn escape_html_escapes_the_five_characters() {
        assert_eq!(
            escape_html(r#"<a href="x" title='y'>株&式</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;株&amp;式&lt;/a&gt;"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("漢字のみ"), "漢字のみ");
        assert_eq!(escape_html("&"), "&amp;");
        // Each character alone, and at every place in a text long enough for the vector scans.
        let long = "漢字".repeat(30);
        for (c, entity) in [
            ('&', "&amp;"),
            ('<', "&lt;"),
            ('>', "&gt;"),
            ('"', "&quot;"),
            ('\'', "&#39;"),
        ] {
            for at in (0..=long.len()).filter(|&i| long.is_char_boundary(i)) {
                let s = format!("{}{c}{}", &long[..at], &long[at..]);
                assert_eq!(
                    escape_html(&s),
                    format!("{}{entity}{}", &long[..at], &long[at..])
                );
            }
        }
    }

    #[test]
    fn nfkc_agrees_with_the_full_normaliser() {
        for s in [
            "",
            "弊社サイトへの不正アクセス（第２報）",
            "ｶﾀｶﾅ㈱と㍻①",
            "か\u{3099}き\u{309a}ハ\u{309a}",
            "e\u{301}a\u{308}\u{323}",
            "が（半角ｶﾞ）　全角ＡＢＣ１２３",
            "\u{1100}\u{1161}\u{11a8}한국어",
            "\u{309b}か\u{309b}ゝゞヽヾ\u{30ff}",
            "※注：〜～ＦＡＸ",
            "ﬁ ﬀ Å Ω ＼",
        ] {
            let want: String = s.nfkc().collect();
            assert_eq!(nfkc(s), want, "{s:?}");
        }
        let junk: String = (0u32..40_000)
            .filter_map(|i| char::from_u32((i * 7919) % 0x3_0000))
            .collect();
        assert_eq!(nfkc(&junk), junk.nfkc().collect::<String>());
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify_ascii("2024-0001"), "2024-0001");
        assert_eq!(slugify_ascii("Ginji_2024 第2報"), "ginji-2024-2");
        assert_eq!(slugify_ascii("お知らせ"), "");
        assert_eq!(slugify_ascii("ＡＢＣ－１"), "abc-1");
        assert!(is_valid_id("ginji-2024-06-11"));
        assert!(!is_valid_id("../x"));
    }
}
