//! The one place URLs are built. Templates receive finished URLs and never assemble them.
//!
//! A `Route` is a site-relative location in plain text (`labels/最終報告/`); `Urls` turns it
//! into an `href` under base_url's path (percent-encoded per segment, so Japanese folders work
//! on GitHub Pages), an absolute URL (feeds, sitemap, OGP), or the output file it lives in.

use crate::archive::TaxonomyKind;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters is encoded inside a segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A site-relative location: segments joined by `/`, a trailing `/` for folder pages.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route(String);

impl Route {
    /// The home page.
    pub fn home() -> Route {
        Route(String::new())
    }

    /// A folder page from its segments (`["notices", "x"]` → `notices/x/`).
    pub fn dir<S: AsRef<str>>(segments: &[S]) -> Route {
        let mut s = String::new();
        for seg in segments {
            s.push_str(seg.as_ref());
            s.push('/');
        }
        Route(s)
    }

    /// A file (`["labels", "最終報告", "atom.xml"]`).
    pub fn file<S: AsRef<str>>(segments: &[S]) -> Route {
        Route(
            segments
                .iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    /// A notice page.
    pub fn notice(id: &str) -> Route {
        Route::dir(&["notices", id])
    }

    /// An incident page.
    pub fn incident(segment: &str) -> Route {
        Route::dir(&["incidents", segment])
    }

    /// Page `page` (1-based) of a term's list; page 1 is the term's own folder.
    pub fn term(kind: TaxonomyKind, segment: &str, page: usize) -> Route {
        if page <= 1 {
            Route::dir(&[kind.folder(), segment])
        } else {
            Route::dir(&[kind.folder(), segment, "page", &page.to_string()])
        }
    }

    /// A term's feed.
    pub fn term_feed(kind: TaxonomyKind, segment: &str) -> Route {
        Route::file(&[kind.folder(), segment, "atom.xml"])
    }

    /// The list of a taxonomy's terms.
    pub fn terms(kind: TaxonomyKind) -> Route {
        Route::dir(&[kind.folder()])
    }

    /// Page `page` (1-based) of the list of a taxonomy's terms; page 1 is [`Route::terms`].
    /// (No term has the segment `page`: see `taxonomy` and the slug check in `config`.)
    pub fn terms_page(kind: TaxonomyKind, page: usize) -> Route {
        if page <= 1 {
            Route::terms(kind)
        } else {
            Route::dir(&[kind.folder(), "page", &page.to_string()])
        }
    }

    /// `/{taxonomy}/page/1/`: the redirect to [`Route::terms`].
    pub fn terms_page_one(kind: TaxonomyKind) -> Route {
        Route::dir(&[kind.folder(), "page", "1"])
    }

    /// Page `page` of the home list.
    pub fn home_page(page: usize) -> Route {
        if page <= 1 {
            Route::home()
        } else {
            Route::dir(&["page", &page.to_string()])
        }
    }

    /// The plain, unencoded path (`labels/最終報告/`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The output file for this route (`labels/最終報告/index.html`), `/`-separated.
    pub fn output_path(&self) -> String {
        if self.0.is_empty() {
            "index.html".into()
        } else if self.0.ends_with('/') {
            format!("{}index.html", self.0)
        } else {
            self.0.clone()
        }
    }

    /// The route, percent-encoded segment by segment.
    pub fn encoded(&self) -> String {
        let mut out = String::with_capacity(self.0.len() * 2);
        for (i, seg) in self.0.split('/').enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.extend(utf8_percent_encode(seg, SEGMENT));
        }
        out
    }
}

/// Builds hrefs and absolute URLs from routes.
#[derive(Clone, Debug)]
pub struct Urls {
    base_url: String,
    base_path: String,
}

impl Urls {
    /// From the config's base_url (with trailing `/`) and its path part.
    pub fn new(base_url: &str, base_path: &str) -> Urls {
        Urls {
            base_url: base_url.to_string(),
            base_path: base_path.to_string(),
        }
    }

    /// A root-relative href (`/archive/labels/%E6%9C%80…/`).
    pub fn href(&self, route: &Route) -> String {
        format!("{}{}", self.base_path, route.encoded())
    }

    /// An absolute URL (`https://user.github.io/archive/labels/%E6%9C%80…/`).
    pub fn abs(&self, route: &Route) -> String {
        format!("{}{}", self.base_url, route.encoded())
    }

    /// An href to a static asset, with a version query so browsers refetch it when it changes.
    pub fn asset(&self, path: &str, version: &str) -> String {
        format!(
            "{}{}?v={version}",
            self.base_path,
            Route::file(&path.split('/').collect::<Vec<_>>()).encoded()
        )
    }

    /// The base path (`/archive/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_segments_are_percent_encoded_under_the_subpath() {
        let urls = Urls::new("https://user.github.io/archive/", "/archive/");
        let r = Route::term(TaxonomyKind::Label, "最終報告", 1);
        assert_eq!(r.output_path(), "labels/最終報告/index.html");
        assert_eq!(
            urls.href(&r),
            "/archive/labels/%E6%9C%80%E7%B5%82%E5%A0%B1%E5%91%8A/"
        );
        assert_eq!(
            urls.abs(&Route::term(TaxonomyKind::Year, "2024", 2)),
            "https://user.github.io/archive/years/2024/page/2/"
        );
        assert_eq!(urls.href(&Route::home()), "/archive/");
        assert_eq!(Route::home().output_path(), "index.html");
        assert_eq!(
            urls.href(&Route::file(&["a b", "c&d"])),
            "/archive/a%20b/c%26d"
        );
    }
}
