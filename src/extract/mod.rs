//! Extraction placeholder: replaced by the extraction stage (issue 3).

use crate::notice::Meta;
use std::fmt;

/// A decoding failure.
#[derive(Debug)]
pub struct DecodeError(String);
impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for DecodeError {}

/// A post of a casebook page.
pub struct Post {
    /// Metadata from the post header.
    pub meta: Meta,
    /// The post's text.
    pub text: String,
}

/// Decodes UTF-8 only.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let b = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if b.contains(&0) {
        return Err(DecodeError("binary data (NUL bytes)".into()));
    }
    String::from_utf8(b.to_vec())
        .map(|s| s.replace("\r\n", "\n"))
        .map_err(|_| DecodeError("not UTF-8".into()))
}

/// Title from the first line.
pub fn extract(text: &str) -> Meta {
    let title = text
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .find(|l| !l.is_empty());
    Meta {
        title: title.map(String::from),
        review: Some(vec!["title".into()]),
        ..Meta::default()
    }
}

/// One post.
pub fn split_posts(text: &str) -> Vec<Post> {
    vec![Post {
        meta: Meta::default(),
        text: text.to_string(),
    }]
}

/// Unchanged.
pub fn reflow(text: &str) -> String {
    text.to_string()
}

/// Tags dropped.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
