//! Byte decoding of raw notices.
//!
//! Notices arrive as saved web pages, PDF text dumps and old mails: UTF-8 (with or without BOM),
//! UTF-16 with a BOM, Shift_JIS/CP932, EUC-JP and ISO-2022-JP. The archive stores UTF-8 only, so
//! every input is decoded strictly (a decode with replacement characters is refused rather than
//! silently corrupting a notice) and line ends become `\n`.

use encoding_rs::{Encoding, EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};
use std::fmt;

/// Why raw bytes could not be decoded as text. The message names the problem; the caller adds
/// the file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
}

impl DecodeError {
    fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes raw bytes (see the module docs for the encodings); CRLF and CR become LF.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        strict(UTF_8, rest)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        strict(UTF_16LE, rest)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        strict(UTF_16BE, rest)?
    } else {
        // `contains` is a memchr; the offset is only looked for in the error case.
        if bytes.contains(&0) {
            let pos = bytes.iter().position(|&b| b == 0).unwrap_or(0);
            return Err(DecodeError::new(format!(
                "binary data, not text (NUL byte at offset {pos}; UTF-16 needs a byte order mark)"
            )));
        }
        guess_and_decode(bytes)?
    };
    check_text(&text)?;
    Ok(normalize_newlines(text))
}

/// [`decode`] of bytes the caller no longer needs: a UTF-8 file without a byte order mark (most
/// files) becomes its text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<String, DecodeError> {
    let plain_utf8 = !(bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || bytes.contains(&0)
        || (bytes.is_ascii() && bytes.windows(2).any(|w| w == b"\x1b$")));
    if !plain_utf8 {
        return decode(&bytes);
    }
    // std's `String::from_utf8` checks Japanese text a character at a time; encoding_rs's
    // validator is about ten times faster on it (the 10k bench corpus, 58 MB: 58 ms → 5 ms).
    if Encoding::utf8_valid_up_to(&bytes) != bytes.len() {
        return decode(&bytes);
    }
    // SAFETY: `utf8_valid_up_to` just found every byte to be part of valid UTF-8.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    check_text(&text)?;
    Ok(normalize_newlines(text))
}

fn strict(enc: &'static Encoding, bytes: &[u8]) -> Result<String, DecodeError> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| c.into_owned())
        .ok_or_else(|| {
            DecodeError::new(format!("not valid {} text (undecodable bytes)", enc.name()))
        })
}

fn guess_and_decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        // Pure ASCII with ISO-2022-JP escapes is ISO-2022-JP, not ASCII.
        if !(bytes.is_ascii() && bytes.windows(2).any(|w| w == b"\x1b$")) {
            return Ok(s.to_string());
        }
    }
    // Japanese text is most of what arrives: when a strict Japanese decoding gives text that is
    // largely kana, detection (the costliest step) is not needed.
    if let Some(text) = plainly_japanese(bytes) {
        return Ok(text);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let guessed = detector.guess(Some(b"jp"), chardetng::Utf8Detection::Allow);
    let mut order = vec![guessed];
    for enc in [SHIFT_JIS, EUC_JP, ISO_2022_JP] {
        if !order.contains(&enc) {
            order.push(enc);
        }
    }
    for enc in order {
        if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
            return Ok(text.into_owned());
        }
    }
    Err(DecodeError::new(
        "not text in a supported encoding (tried UTF-8, Shift_JIS, EUC-JP, ISO-2022-JP): undecodable bytes",
    ))
}

/// The text of `bytes` in the one Japanese legacy encoding that decodes them strictly into prose
/// with kana (at least a fifth of its non-ASCII characters are hiragana), if there is one.
fn plainly_japanese(bytes: &[u8]) -> Option<String> {
    let escapes = bytes.windows(2).any(|w| w == b"\x1b$");
    let order: &[&'static Encoding] = if escapes && bytes.is_ascii() {
        &[ISO_2022_JP]
    } else {
        &[SHIFT_JIS, EUC_JP]
    };
    let mut found: Option<String> = None;
    for enc in order {
        let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) else {
            continue;
        };
        let (mut wide, mut kana) = (0usize, 0usize);
        for c in text.chars().filter(|c| !c.is_ascii()) {
            wide += 1;
            kana += usize::from(('\u{3041}'..='\u{3096}').contains(&c));
        }
        if wide == 0 || kana * 5 < wide {
            continue;
        }
        if found.is_some() {
            return None; // two candidates: let detection decide
        }
        found = Some(text.into_owned());
    }
    found
}

/// Refuses text that is mostly control characters (a binary file that happened to decode).
fn check_text(text: &str) -> Result<(), DecodeError> {
    // Nearly all text has no byte that could begin a control character (or a NUL): a scan the
    // compiler vectorises settles it without counting characters.
    let may_control = |b: u8| {
        (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) | (b == 0x7f) | (b == 0xc2)
    };
    if !text
        .as_bytes()
        .chunks(64)
        .any(|c| c.iter().fold(false, |any, &b| any | may_control(b)))
    {
        return Ok(());
    }
    if text.contains('\0') {
        return Err(DecodeError::new("binary data, not text (NUL characters)"));
    }
    let (total, control) = control_count(text);
    if total > 0 && control * 10 > total {
        return Err(DecodeError::new(format!(
            "binary data, not text ({control} control characters in the first {total})"
        )));
    }
    Ok(())
}

/// Characters and control characters (Cc, but for line breaks, tabs and form feeds) among the
/// first 65,536 characters of `text`.
fn control_count(text: &str) -> (usize, usize) {
    // Counted on the UTF-8 bytes (as fast as a scan): the control characters (Cc) are the
    // bytes 0x00-0x1F and 0x7F, and U+0080-U+009F, which UTF-8 writes as 0xC2 0x80-0x9F.
    let (mut total, mut control) = (0usize, 0usize);
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b & 0xc0 == 0x80 {
            continue; // a continuation byte
        }
        if total == 65_536 {
            break;
        }
        total += 1;
        let is_control = match b {
            b'\n' | b'\r' | b'\t' | 0x0c => false,
            0x00..=0x1f | 0x7f => true,
            0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
            _ => false,
        };
        control += usize::from(is_control);
    }
    (total, control)
}

fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "令和6年4月1日\r\n株式会社かもめ商会\r\n弊社サーバーへの不正アクセスについて\r\n";

    /// `decode_owned` trusts encoding_rs's validator where std's used to decide: they must agree
    /// on every edge of UTF-8 (overlong forms, surrogates, past U+10FFFF, cut sequences).
    #[test]
    fn fast_utf8_check_agrees_with_std() {
        let mut cases: Vec<Vec<u8>> = vec![
            SAMPLE.as_bytes().to_vec(),
            b"\xC0\xAF".to_vec(),
            b"\xE0\x80\xAF".to_vec(),
            b"\xED\xA0\x80".to_vec(),
            b"\xED\x9F\xBF".to_vec(),
            b"\xF4\x8F\xBF\xBF".to_vec(),
            b"\xF4\x90\x80\x80".to_vec(),
            b"\xF5\x80\x80\x80".to_vec(),
            b"\xE3\x81".to_vec(),
            b"\xE3\x81\x82\xE3".to_vec(),
            b"\x80".to_vec(),
            b"\xFF".to_vec(),
        ];
        // Every 1–3 byte string over bytes that matter at the edges, after a long valid prefix
        // (the validator's fast path) and on its own.
        let edge: &[u8] = &[
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
            0xE3, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ];
        for &a in edge {
            for &b in edge {
                for &c in edge {
                    cases.push(vec![a, b, c]);
                    let mut long = "あ".repeat(40).into_bytes();
                    long.extend([a, b, c]);
                    cases.push(long);
                }
            }
        }
        for b in cases {
            assert_eq!(
                Encoding::utf8_valid_up_to(&b) == b.len(),
                std::str::from_utf8(&b).is_ok(),
                "{b:x?}"
            );
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let want = SAMPLE.replace("\r\n", "\n");
        assert_eq!(decode(SAMPLE.as_bytes()).unwrap(), want);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        assert_eq!(decode(&bom).unwrap(), want);
    }

    #[test]
    fn legacy_japanese_encodings() {
        let want = SAMPLE.replace("\r\n", "\n");
        for enc in [SHIFT_JIS, EUC_JP, ISO_2022_JP] {
            let (bytes, _, bad) = enc.encode(SAMPLE);
            assert!(!bad);
            assert_eq!(decode(&bytes).unwrap(), want, "{}", enc.name());
        }
    }

    #[test]
    fn utf16_with_bom() {
        let want = SAMPLE.replace("\r\n", "\n");
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in SAMPLE.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap(), want);
        assert_eq!(decode(&be).unwrap(), want);
    }

    /// The byte count of control characters agrees with `char::is_control`.
    #[test]
    fn control_characters_counted_on_bytes() {
        let count = |t: &str| {
            let mut total = 0;
            let mut control = 0;
            for c in t.chars().take(65_536) {
                total += 1;
                if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c') {
                    control += 1;
                }
            }
            (total, control)
        };
        let edge = format!(
            "{}{}",
            "\u{1}あああああああああ".repeat(6_554),
            "\u{1}".repeat(1000)
        );
        for t in [
            "本文\u{1}\u{1f}\u{7f}\u{80}\u{9f}\u{a0}é\t\n\r\x0c",
            "\u{85}\u{2028}ｶﾅ",
            "",
            &"あ\u{2}".repeat(40_000),
            &edge,
        ] {
            assert_eq!(control_count(t), count(t), "{:?}", &t[..t.len().min(30)]);
        }
    }

    /// Without a copy or with one, the same text or the same error.
    #[test]
    fn decode_owned_agrees_with_decode() {
        let mut inputs: Vec<Vec<u8>> = vec![
            SAMPLE.as_bytes().to_vec(),
            [b"\xEF\xBB\xBF".as_slice(), SAMPLE.as_bytes()].concat(),
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            b"\x1b$B$\"\x1b(B plain ASCII with an ISO-2022-JP escape".to_vec(),
            b"ok\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11".to_vec(),
            b"\r".to_vec(),
            Vec::new(),
            vec![0xFF, 0xFE, 0x42, 0x30],
        ];
        for enc in [SHIFT_JIS, EUC_JP, ISO_2022_JP] {
            inputs.push(enc.encode(SAMPLE).0.into_owned());
        }
        for bytes in inputs {
            let a = decode(&bytes).map_err(|e| e.to_string());
            let b = decode_owned(bytes.clone()).map_err(|e| e.to_string());
            assert_eq!(a, b, "{bytes:?}");
        }
    }

    #[test]
    fn binary_is_refused_with_a_reason() {
        let err = decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
        let junk: Vec<u8> = (1..=255u8).cycle().take(4000).filter(|&b| b != 0).collect();
        let err = decode(&junk).unwrap_err();
        assert!(err.to_string().contains("undecodable"), "{err}");
        // Valid UTF-8 that is mostly control characters; a few among text pass, as do any after
        // the first 65,536 characters (only those are counted).
        let err = decode("あ\u{2}".repeat(100).as_bytes()).unwrap_err();
        assert!(err.to_string().contains("control characters"), "{err}");
        assert!(decode(format!("{}\u{7f}\u{85}", "本文".repeat(20)).as_bytes()).is_ok());
        let late = format!("{}{}", "あ".repeat(65_536), "\u{1}".repeat(10_000));
        assert!(decode(late.as_bytes()).is_ok());
        assert_eq!(decode(b"\r").unwrap(), "\n");
    }
}
