//! Small text helpers shared by every stage: Unicode normalisation and id slugs.
//!
//! Matching runs on NFKC copies (full-width digits, `㈱`); anything shown or used as a path is NFC.

use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// NFKC copy of `s`, for matching only (it loses information: `①` → `1`).
pub fn nfkc(s: &str) -> String {
    // Most text is already normal; the quick check is several times cheaper than normalizing.
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        return s.to_string();
    }
    s.nfkc().collect()
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
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The first `max` characters of `s`, with `…` when cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
