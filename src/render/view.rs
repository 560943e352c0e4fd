//! The values templates see. Built from the archive in Rust, with every URL already made;
//! templates only lay them out. Field names are the theme's API: keep them stable.

use serde::Serialize;

/// The site, the same on every page.
#[derive(Clone, Debug, Serialize)]
pub struct SiteView {
    /// Site title.
    pub title: String,
    /// Description.
    pub description: String,
    /// `ja` or `en`.
    pub lang: String,
    /// Absolute base URL.
    pub base_url: String,
    /// Home href.
    pub home_url: String,
    /// Main feed href.
    pub feed_url: String,
    /// Search page href, when the site has one.
    pub search_url: Option<String>,
    /// Stats page href, when the site has one.
    pub stats_url: Option<String>,
    /// Dataset href (JSON), when the site has one.
    pub data_url: Option<String>,
    /// Stylesheet hrefs.
    pub css_urls: Vec<String>,
    /// Theme script href.
    pub js_url: String,
    /// Favicon href.
    pub favicon_url: String,
    /// Term list hrefs and names, for navigation.
    pub sections: Vec<LinkView>,
    /// Sidebar: labels with counts.
    pub labels: Vec<TermView>,
    /// Sidebar: years with counts.
    pub years: Vec<TermView>,
    /// Sidebar: vectors with counts.
    pub vectors: Vec<TermView>,
    /// UI strings in the site's language.
    pub t: Strings,
    /// Total number of notices.
    pub notice_count: usize,
}

/// A link.
#[derive(Clone, Debug, Serialize)]
pub struct LinkView {
    /// Text.
    pub name: String,
    /// href.
    pub url: String,
}

/// A term with its count.
#[derive(Clone, Debug, Serialize)]
pub struct TermView {
    /// Display name.
    pub name: String,
    /// Term key (vector id, label text…).
    pub key: String,
    /// href of its list.
    pub url: String,
    /// Number of notices.
    pub count: usize,
}

/// A notice as a list entry (home, term pages, incident timelines).
#[derive(Clone, Debug, Serialize)]
pub struct CardView {
    /// Notice id.
    pub id: String,
    /// Title.
    pub title: String,
    /// href.
    pub url: String,
    /// Organization.
    pub org: Option<LinkView>,
    /// `2024-11-25`.
    pub date: Option<String>,
    /// `令和6年11月25日`.
    pub wareki: Option<String>,
    /// Vectors.
    pub vectors: Vec<TermView>,
    /// Labels.
    pub labels: Vec<TermView>,
    /// Records affected, formatted (`17,171`).
    pub records: Option<String>,
    /// Cards affected, formatted.
    pub cards: Option<String>,
    /// Summary text.
    pub summary: String,
    /// The first release of the notice's incident, when this is a later one.
    pub first_report: Option<LinkView>,
}

/// Page-level values.
#[derive(Clone, Debug, Serialize)]
pub struct PageView {
    /// `<title>` text (without the site title).
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Canonical absolute URL.
    pub canonical: String,
    /// `website` or `article`.
    pub og_type: String,
    /// Feed for this page, when it has one.
    pub feed_url: Option<String>,
    /// Hrefs of the alternate pages in other formats, none yet.
    pub kind: String,
    /// Whether the page shows the sidebar (`sidebar_html`): the first page of the home list and
    /// of a year's, vector's or label's list, and the few index pages. Not notices, incidents,
    /// later list pages or organizations' lists: the sidebar is the same everywhere, and on
    /// those (tens of thousands at archive scale) it would be a third of the site's bytes.
    pub sidebar: bool,
}

/// Pagination links.
#[derive(Clone, Debug, Serialize)]
pub struct PagerView {
    /// Current page (1-based).
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Previous page href.
    pub prev: Option<String>,
    /// Next page href.
    pub next: Option<String>,
    /// Numbered links; `None` url marks a gap.
    pub pages: Vec<PagerLink>,
}

/// One numbered pagination link.
#[derive(Clone, Debug, Serialize)]
pub struct PagerLink {
    /// Page number (0 for a gap).
    pub n: usize,
    /// href (absent for the current page and gaps).
    pub url: Option<String>,
    /// True for the current page.
    pub current: bool,
}

/// A notice page's own values. Cards are borrowed from the renderer's cards: a page shows up
/// to a dozen, and they are serialized into the template context anyway.
#[derive(Clone, Debug, Serialize)]
pub struct NoticeView<'a> {
    /// The card values (title, org, dates, terms, counts).
    #[serde(flatten)]
    pub card: &'a CardView,
    /// Year list href.
    pub year_url: Option<String>,
    /// Leaked data kinds.
    pub data: Vec<String>,
    /// Exposure period start.
    pub exposure_from: Option<String>,
    /// Exposure period end.
    pub exposure_to: Option<String>,
    /// Discovery date.
    pub discovered: Option<String>,
    /// Source URL (http/https only).
    pub source: Option<String>,
    /// Rendered body (trusted: produced by our safe renderer).
    pub body_html: String,
    /// Fields still to review.
    pub review: Vec<String>,
    /// The incident, when part of one.
    pub incident: Option<IncidentBrief>,
    /// Notices this one follows up (元の発表).
    pub originals: Vec<&'a CardView>,
    /// Notices following this one up (続報).
    pub follow_ups: Vec<&'a CardView>,
    /// Other organizations' notices on the same incident.
    pub others: Vec<&'a CardView>,
    /// The same organization's other notices (関連), at most five.
    pub same_org: Vec<&'a CardView>,
    /// Earlier releases the text mentions that the archive lacks.
    pub unarchived: Vec<RefView>,
    /// Previous release of the incident.
    pub prev: Option<&'a CardView>,
    /// Next release of the incident.
    pub next: Option<&'a CardView>,
}

/// An earlier release named in the text but not in the archive.
#[derive(Clone, Debug, Serialize)]
pub struct RefView {
    /// Its date.
    pub date: Option<String>,
    /// Its quoted title.
    pub title: Option<String>,
    /// Its stage label.
    pub stage: Option<String>,
}

/// The incident a notice belongs to, for its page.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentBrief {
    /// Key.
    pub key: String,
    /// href.
    pub url: String,
    /// Releases around this one (at most ten), oldest first; `current` marks this notice.
    pub releases: Vec<ReleaseView>,
    /// Number of releases in the whole incident.
    pub total: usize,
}

/// One release in an incident timeline.
#[derive(Clone, Debug, Serialize)]
pub struct ReleaseView {
    /// The notice.
    #[serde(flatten)]
    pub card: CardView,
    /// True on the notice's own page for itself.
    pub current: bool,
    /// Stage labels.
    pub stages: Vec<String>,
    /// What changed against the previous release of the same organization.
    pub changes: Vec<String>,
}

/// UI strings.
#[derive(Clone, Debug, Serialize)]
pub struct Strings {
    /// "Latest notices".
    pub latest: &'static str,
    /// "Organization".
    pub org: &'static str,
    /// "Published".
    pub published: &'static str,
    /// "Vectors".
    pub vectors: &'static str,
    /// "Labels".
    pub labels: &'static str,
    /// "Years".
    pub years: &'static str,
    /// "Organizations".
    pub orgs: &'static str,
    /// "Records affected".
    pub records: &'static str,
    /// "Cards affected".
    pub cards: &'static str,
    /// "Leaked data".
    pub data: &'static str,
    /// "Exposure period".
    pub exposure: &'static str,
    /// "Discovered".
    pub discovered: &'static str,
    /// "Source".
    pub source: &'static str,
    /// "Incident".
    pub incident: &'static str,
    /// "Original release".
    pub originals: &'static str,
    /// "Follow-ups".
    pub follow_ups: &'static str,
    /// "Other organizations".
    pub others: &'static str,
    /// "Earlier release not in the archive".
    pub unarchived: &'static str,
    /// "Previous".
    pub prev: &'static str,
    /// "Next".
    pub next: &'static str,
    /// "Search".
    pub search: &'static str,
    /// "Stats".
    pub stats: &'static str,
    /// The unit after a count of notices ("件", " notices": with its own space where the language needs one).
    pub notices_unit: &'static str,
    /// "people/records" unit.
    pub records_unit: &'static str,
    /// "Needs review".
    pub review: &'static str,
    /// "Page not found".
    pub not_found: &'static str,
    /// "Back to the home page".
    pub back_home: &'static str,
    /// "Timeline".
    pub timeline: &'static str,
    /// "Feed".
    pub feed: &'static str,
    /// "Toggle dark mode".
    pub theme_toggle: &'static str,
    /// "Releases".
    pub releases: &'static str,
    /// "First report".
    pub first_report: &'static str,
    /// "Related".
    pub related: &'static str,
    /// "New attack vectors: " (before a list, in a timeline's what-changed row).
    pub vectors_added: &'static str,
    /// The separator of an inline list ("、", ", ").
    pub list_sep: &'static str,
    /// "Previous" (page of a list).
    pub prev_page: &'static str,
    /// "Next" (page of a list).
    pub next_page: &'static str,
    /// "Skip to content" (the first link of every page, for keyboards and screen readers).
    pub skip_to_content: &'static str,
}

impl Strings {
    /// Strings for a language tag.
    pub fn for_language(lang: crate::config::Language) -> Strings {
        match lang {
            crate::config::Language::Ja => Strings {
                latest: "新着の公表",
                org: "組織",
                published: "公表日",
                vectors: "攻撃手法",
                labels: "ラベル",
                years: "年別",
                orgs: "組織別",
                records: "影響件数",
                cards: "カード件数",
                data: "漏えいした情報",
                exposure: "漏えい期間",
                discovered: "発覚日",
                source: "出典",
                incident: "インシデント",
                originals: "元の発表",
                follow_ups: "続報",
                others: "他の組織の発表",
                unarchived: "未収録の過去の発表",
                prev: "前の発表",
                next: "次の発表",
                search: "検索",
                stats: "統計",
                notices_unit: "件",
                records_unit: "件",
                review: "要確認",
                not_found: "ページが見つかりません",
                back_home: "トップページへ戻る",
                timeline: "経過",
                feed: "フィード",
                theme_toggle: "表示テーマを切り替える",
                releases: "件の発表",
                first_report: "最初の発表",
                related: "関連",
                vectors_added: "攻撃手法に追加: ",
                list_sep: "、",
                prev_page: "前へ",
                next_page: "次へ",
                skip_to_content: "本文へ移動",
            },
            crate::config::Language::En => Strings {
                latest: "Latest notices",
                org: "Organization",
                published: "Published",
                vectors: "Attack vectors",
                labels: "Labels",
                years: "Years",
                orgs: "Organizations",
                records: "Records affected",
                cards: "Cards affected",
                data: "Leaked data",
                exposure: "Exposure period",
                discovered: "Discovered",
                source: "Source",
                incident: "Incident",
                originals: "Original release",
                follow_ups: "Follow-ups",
                others: "Other organizations",
                unarchived: "Earlier releases not in the archive",
                prev: "Previous release",
                next: "Next release",
                search: "Search",
                stats: "Stats",
                notices_unit: " notices",
                records_unit: "",
                review: "Needs review",
                not_found: "Page not found",
                back_home: "Back to the home page",
                timeline: "Timeline",
                feed: "Feed",
                theme_toggle: "Toggle colour theme",
                releases: "releases",
                first_report: "First report",
                related: "Related",
                vectors_added: "New attack vectors: ",
                list_sep: ", ",
                prev_page: "Previous",
                next_page: "Next",
                skip_to_content: "Skip to content",
            },
        }
    }
}

/// `17171` → `17,171`.
pub fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits() {
        assert_eq!(super::group_digits(17171), "17,171");
        assert_eq!(super::group_digits(910), "910");
        assert_eq!(super::group_digits(1000000), "1,000,000");
    }
}
