use super::*;

/// Every built file of the hostile fixture, checked as text: no tag, handler or URL from the
/// content may be live in HTML, feeds, sitemap or SVG. (Data files hold the strings as data.)
#[test]
fn no_payload_is_live_in_any_output() {
    let (_tmp, root) = fixture("hostile");
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    let live_tag = regex::Regex::new(r"(?i)<(script|iframe|object|embed|svg|b)\b[^>]*>").unwrap();
    // A tag with its attributes, quotes respected (so escaped text inside a value is not a tag).
    let tag = regex::Regex::new(
        r#"<[a-zA-Z][^\s>/]*(?:\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*/?>"#,
    )
    .unwrap();
    let attr =
        regex::Regex::new(r#"\s([^\s=>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?"#).unwrap();
    let js_url =
        regex::Regex::new(r#"(?i)(href|src|data|action)\s*=\s*["']?\s*(javascript|data):"#)
            .unwrap();
    let mut checked = 0;
    for (path, bytes) in tree(&root.join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        if path == "favicon.svg" || path.ends_with(".css") || path.ends_with(".js") {
            continue; // the theme's own files
        }
        if path.ends_with(".json") || path.ends_with(".csv") {
            // Data, never parsed as markup; still, no raw `<` reaches a JSON file.
            if path.ends_with(".json") {
                assert!(!text.contains("<script"), "{path}: raw <script in JSON");
            }
            continue;
        }
        checked += 1;
        for m in live_tag.find_iter(&text) {
            let tag = m.as_str();
            let ours = tag.starts_with("<script src=\"/archive/")
                || tag.starts_with("<svg class=\"chart\"");
            assert!(ours, "{path}: live tag from content: {tag}");
        }
        for t in tag.find_iter(&text) {
            for a in attr.captures_iter(t.as_str()) {
                assert!(
                    !a[1].to_ascii_lowercase().starts_with("on"),
                    "{path}: event handler attribute in {}",
                    t.as_str()
                );
            }
        }
        assert!(
            !js_url.is_match(&text),
            "{path}: javascript:/data: URL: {:?}",
            js_url.find(&text).map(|m| m.as_str())
        );
    }
    assert!(checked > 20, "checked {checked} files");
    // The payloads are still shown, as text.
    let page = read(&root, "notices/xss-2024-01-10/index.html");
    assert!(
        page.contains("&lt;img src=x onerror="),
        "title shown escaped"
    );
    assert!(
        page.contains("&lt;script&gt;document.documentElement"),
        "body raw HTML shown escaped"
    );
    let feed = read(&root, "atom.xml");
    assert!(feed.contains("<title>事件簿&lt;script&gt;"), "{feed}");
}
