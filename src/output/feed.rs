//! Atom feeds: the site feed and one per term, capped by `feed_limit`, with summaries rather
//! than whole bodies (feeds are copies; bodies would multiply the site's size).

use crate::archive::Archive;
use crate::config::Config;
use crate::render::markdown::summary;
use crate::render::url::{Route, Urls};
use crate::text::escape_html as esc;

/// One Atom feed over `items` (indices into the archive, newest first).
pub fn atom(
    archive: &Archive,
    config: &Config,
    urls: &Urls,
    feed: &Route,
    page: &Route,
    title: &str,
    items: &[usize],
) -> String {
    let items = &items[..items.len().min(config.feed_limit)];
    // `updated` comes from the newest notice (never the clock), so builds are reproducible.
    let updated = items
        .iter()
        .filter_map(|&i| archive.notices[i].meta.published)
        .max()
        .or_else(|| source_date_epoch().and_then(crate::date::Date::from_unix_seconds))
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let mut out = String::with_capacity(600 + items.len() * 600);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        config.language.tag()
    ));
    out.push_str(&format!("  <title>{}</title>\n", esc(title)));
    if !config.description.is_empty() {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            esc(&config.description)
        ));
    }
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        esc(&urls.abs(feed))
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&urls.abs(page))
    ));
    out.push_str(&format!("  <id>{}</id>\n", esc(&urls.abs(feed))));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(&config.author)
    ));
    out.push_str("  <generator uri=\"https://github.com/jikenbo/jikenbo\">jikenbo</generator>\n");
    for &i in items {
        let n = &archive.notices[i];
        let url = urls.abs(&Route::notice(&n.id));
        let date = n
            .meta
            .published
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| updated.clone());
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", esc(&n.title)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&url)
        ));
        out.push_str(&format!("    <id>{}</id>\n", esc(&url)));
        out.push_str(&format!(
            "    <published>{date}</published>\n    <updated>{date}</updated>\n"
        ));
        if let Some(org) = &n.meta.org {
            out.push_str(&format!("    <author><name>{}</name></author>\n", esc(org)));
        }
        for v in n.meta.vectors.iter().flatten() {
            out.push_str(&format!("    <category term=\"{}\"/>\n", esc(v)));
        }
        for l in n.meta.labels.iter().flatten() {
            out.push_str(&format!("    <category term=\"{}\"/>\n", esc(l)));
        }
        out.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            esc(&summary(&n.body, 200))
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// `SOURCE_DATE_EPOCH` as seconds, when set and valid.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}
