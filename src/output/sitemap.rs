//! sitemap.xml: every HTML page, percent-encoded; past 30,000 URLs a sitemap index with parts
//! (the protocol allows 50,000 per file; staying well below keeps parts under 10 MB).

use crate::output::OutputFile;
use crate::render::url::{Route, Urls};
use crate::text::escape_html as esc;

/// URLs per sitemap part.
pub const PART_SIZE: usize = 30_000;

/// Sitemap files for `routes` (already sorted). `lastmod` gives each route's date, if any.
pub fn sitemaps(urls: &Urls, routes: &[(Route, Option<String>)]) -> Vec<OutputFile> {
    let part = |chunk: &[(Route, Option<String>)]| {
        let mut out = String::with_capacity(chunk.len() * 120 + 200);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (route, lastmod) in chunk {
            out.push_str("  <url><loc>");
            out.push_str(&esc(&urls.abs(route)));
            out.push_str("</loc>");
            if let Some(d) = lastmod {
                out.push_str("<lastmod>");
                out.push_str(d);
                out.push_str("</lastmod>");
            }
            out.push_str("</url>\n");
        }
        out.push_str("</urlset>\n");
        out
    };
    if routes.len() <= PART_SIZE {
        return vec![OutputFile::new("sitemap.xml".into(), part(routes))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (k, chunk) in routes.chunks(PART_SIZE).enumerate() {
        let name = format!("sitemap-{}.xml", k + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            esc(&urls.abs(&Route::file(&[&name])))
        ));
        files.push(OutputFile::new(name, part(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile::new("sitemap.xml".into(), index));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_past_the_limit() {
        let urls = Urls::new("https://a.example/x/", "/x/");
        let routes: Vec<(Route, Option<String>)> = (0..PART_SIZE + 1)
            .map(|i| (Route::notice(&format!("n{i}")), None))
            .collect();
        let files = sitemaps(&urls, &routes);
        assert_eq!(files.len(), 3);
        let index = String::from_utf8(files[2].bytes.clone()).unwrap();
        assert!(
            index.contains("<loc>https://a.example/x/sitemap-2.xml</loc>"),
            "{index}"
        );
        let one = sitemaps(
            &urls,
            &[(
                Route::dir(&["labels", "最終報告"]),
                Some("2024-11-25".into()),
            )],
        );
        let text = String::from_utf8(one[0].bytes.clone()).unwrap();
        assert!(
            text.contains("https://a.example/x/labels/%E6%9C%80%E7%B5%82%E5%A0%B1%E5%91%8A/"),
            "{text}"
        );
    }
}
