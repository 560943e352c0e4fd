//! Markdown rendering: comrak with the site's options, plain-text paragraphs and summaries.
//! Raw HTML in a body is escaped, so no `<script` may ever come out.
#![no_main]

use jikenbo::render::markdown::{summary, text_to_html, Markdown};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static MD: OnceLock<Markdown> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let md = MD.get_or_init(Markdown::new);
    let html = md.to_html(&text);
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "raw <script> reached the HTML: {html}"
    );
    let plain = text_to_html(&text);
    assert!(!plain.to_ascii_lowercase().contains("<script"));
    let s = summary(&text, 90);
    assert!(s.chars().count() <= 91, "summary too long: {}", s.chars().count());
});
