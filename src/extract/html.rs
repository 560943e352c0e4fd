//! Plain text of an HTML page.
//!
//! Saved notice pages are HTML; extraction and the archived body want the words a reader sees,
//! one block per line. This is a small single-pass scanner (no DOM): tags are dropped, block
//! elements end lines, `script`/`style` content is skipped and entities are decoded. It is linear
//! in the input and never fails; malformed markup degrades to text.

/// Elements whose start or end begins a new line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "title",
    "tr",
    "ul",
];

/// Elements whose content is not text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object",
];

/// Text of an HTML page: tags removed, entities decoded, block elements become line breaks,
/// `script`/`style` dropped; runs of spaces collapse and blank lines are squeezed.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    let mut pre_depth = 0usize;
    // Position of the next `>` at or after `i` (cached so that stray `<` stay linear).
    let mut next_gt: Option<usize> = None;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        push_text(&mut out, &html[text_start..i], pre_depth > 0);
        // Comments, doctype, CDATA.
        if html[i..].starts_with("<!--") {
            i = find_from(html, i + 4, "-->").map_or(bytes.len(), |p| p + 3);
            text_start = i;
            continue;
        }
        if next_gt.is_none_or(|g| g < i) {
            next_gt = Some(html[i..].find('>').map_or(usize::MAX, |p| i + p));
        }
        let end = match next_gt {
            Some(p) if p != usize::MAX => p,
            _ => {
                // No tag ends after this `<`: the rest is text.
                text_start = i;
                break;
            }
        };
        let tag = &html[i + 1..end];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.is_empty() && !tag.starts_with('!') && !tag.starts_with('?') && !closing {
            // `a < b` style text.
            text_start = i;
            i += 1;
            continue;
        }
        i = end + 1;
        if !closing && SKIPPED.contains(&name.as_str()) && !tag.ends_with('/') {
            let close = format!("</{name}");
            i = find_ascii_ci(html, i, &close)
                .map(|p| html[p..].find('>').map_or(bytes.len(), |q| p + q + 1))
                .unwrap_or(bytes.len());
        } else if BLOCKS.contains(&name.as_str()) {
            if name == "pre" {
                pre_depth = if closing {
                    pre_depth.saturating_sub(1)
                } else {
                    pre_depth + 1
                };
            }
            newline(&mut out);
        } else if matches!(name.as_str(), "td" | "th")
            && !closing
            && !out.ends_with(['\n', ' '])
            && !out.is_empty()
        {
            out.push(' ');
        }
        text_start = i;
    }
    push_text(
        &mut out,
        &html[text_start.min(bytes.len())..],
        pre_depth > 0,
    );
    squeeze(&out)
}

fn find_from(s: &str, from: usize, pat: &str) -> Option<usize> {
    s.get(from..)?.find(pat).map(|p| from + p)
}

/// Case-insensitive search for an ASCII pattern.
fn find_ascii_ci(s: &str, from: usize, pat: &str) -> Option<usize> {
    let hay = s.as_bytes();
    let pat = pat.as_bytes();
    if pat.is_empty() || hay.len() < pat.len() {
        return None;
    }
    (from..=hay.len() - pat.len()).find(|&p| hay[p..p + pat.len()].eq_ignore_ascii_case(pat))
}

fn newline(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn push_text(out: &mut String, raw: &str, pre: bool) {
    if raw.is_empty() {
        return;
    }
    let decoded = decode_entities(raw);
    if pre {
        out.push_str(&decoded);
        return;
    }
    for c in decoded.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else if c == '\u{a0}' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

/// Decodes character references: numeric ones and the named ones notices use.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let semi = rest.as_bytes().iter().take(12).position(|&b| b == b';');
        let decoded = semi.and_then(|q| entity(&rest[1..q]).map(|c| (c, q)));
        match decoded {
            Some((c, q)) => {
                out.push(c);
                rest = &rest[q + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(n).filter(|&c| c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "yen" => '¥',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "times" => '×',
        "rarr" => '→',
        "larr" => '←',
        "bull" => '•',
        "ensp" | "emsp" | "thinsp" => ' ',
        _ => return None,
    })
}

/// Trims every line and keeps at most one blank line in a row.
fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_matches(|c: char| c == ' ' || c == '\t');
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank > 0 {
                out.push('\n');
            }
        }
        blank = 0;
        out.push_str(line);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_entities_scripts() {
        let html = "<html><head><title>お知らせ</title><style>p{color:red}</style>\
            <script>var a = '<p>x</p>';</script></head><body><h1>弊社サイトへの不正アクセスについて</h1>\
            <p>2024年5月1日&nbsp;株式会社&amp;かもめ</p><!-- <p>隠し</p> --><ul><li>氏名</li><li>住所</li></ul>\
            <p>a &lt; b &#x3042;&#12354;</p></body></html>";
        let text = html_to_text(html);
        assert_eq!(
            text,
            "お知らせ\n弊社サイトへの不正アクセスについて\n2024年5月1日 株式会社&かもめ\n氏名\n住所\na < b ああ\n"
        );
    }

    #[test]
    fn malformed_markup_never_panics() {
        for s in [
            "<",
            "<<>>",
            "<script>",
            "a<b",
            "&#xFFFFFFFF;",
            "&",
            "<p",
            "<!--",
            "<SCRIPT>x</ScRiPt>y",
        ] {
            let _ = html_to_text(s);
        }
        assert_eq!(html_to_text("<SCRIPT>x</ScRiPt>y"), "y\n");
    }
}
