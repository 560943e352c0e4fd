//! Extraction: decoding raw bytes, then every text stage on the decoded text.
#![no_main]

use jikenbo::extract::{decode, extract, html_to_text, reflow, split_posts};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = decode(data) {
        let _ = extract(&text);
        let posts = split_posts(&text);
        for p in &posts {
            let _ = extract(&p.text);
        }
        let _ = reflow(&text);
        let plain = html_to_text(&text);
        let _ = split_posts(&plain);
    }
    let lossy = String::from_utf8_lossy(data);
    let _ = extract(&lossy);
});
