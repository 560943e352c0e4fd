//! Stage 4: the archive becomes pages. Pure: no file-system access; pages render in parallel.
//!
//! Every per-page template gets a bounded amount of data (a notice, its incident, one page of a
//! list), so a page costs the same in a 100-notice and a 100k-notice archive.

pub mod markdown;
pub mod stats;
pub mod theme;
pub mod url;
pub mod view;

use crate::archive::{Archive, TaxonomyKind};
use crate::config::Config;
use crate::notice::Format;
use crate::output::OutputFile;
use crate::Site;
use anyhow::Result;
use markdown::Markdown;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use theme::Theme;
use url::{Route, Urls};
use view::*;

/// Renders pages of one loaded site. Owns shared handles so `serve` can keep it between
/// requests and render single pages on demand.
pub struct Renderer {
    site: Arc<Site>,
    theme: Arc<Theme>,
    urls: Urls,
    base: tera::Context,
    /// The list-entry view of each notice, made when first needed (`card`).
    cards: Vec<std::sync::OnceLock<CardView>>,
    /// Each notice's `row.html`, made when first needed.
    rows_html: Vec<std::sync::OnceLock<String>>,
    terms: TermIndex,
    markdown: Markdown,
    asset_version: String,
    /// Tells this renderer's reusable contexts from another's (`with_context`).
    id: u64,
}

/// The kinds of page rendered thousands of times, each with its own reusable context.
#[derive(Clone, Copy)]
enum Slot {
    Card,
    Row,
    Notice,
    Incident,
    /// The last one: `CONTEXTS` has one context per slot up to this.
    List,
}

thread_local! {
    /// Per thread, per `Slot`: the context last used (and the id of its renderer).
    static CONTEXTS: [std::cell::RefCell<Option<(u64, tera::Context)>>; Slot::List as usize + 1] =
        Default::default();
}

/// One page (or a page and its `/page/1/` redirect) the site consists of.
#[derive(Debug)]
pub enum Page {
    /// `/notices/<id>/`
    Notice(usize),
    /// `/incidents/<key>/`
    Incident(usize),
    /// A page of the home list or of a term's list.
    List(ListJob),
    /// `/years/`, `/vectors/`, `/labels/`, `/orgs/` and their later pages (`/orgs/page/2/`):
    /// the taxonomy, the page (1-based) and the number of pages.
    Terms(TaxonomyKind, usize, usize),
    /// `/stats/`
    Stats,
    /// `/search/`
    Search,
    /// `/404.html`
    NotFound,
}

/// Renders every page in parallel and hands each file to `sink` as soon as it is made (so the
/// site is never held in memory whole). Returns the number of files.
pub fn render_site_into(
    renderer: &Renderer,
    progress: &indicatif::ProgressBar,
    sink: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<usize> {
    let pages = renderer.pages();
    progress.set_length(pages.len() as u64);
    render_pages_into(renderer, &pages, progress, sink)
}

/// [`render_site_into`] for the given pages (the progress bar's length is the caller's).
pub fn render_pages_into(
    renderer: &Renderer,
    pages: &[Page],
    progress: &indicatif::ProgressBar,
    sink: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<usize> {
    let counts: Result<Vec<usize>> = pages
        .par_iter()
        .map(|p| {
            let files = renderer.render(p)?;
            let n = files.len();
            for f in files {
                sink(f)?;
            }
            progress.inc(1);
            Ok(n)
        })
        .collect();
    Ok(counts?.into_iter().sum())
}

/// Terms per page of a list of terms (`/orgs/`, `/labels/`, ...).
pub const TERMS_PER_PAGE: usize = 500;

/// The pager of page `page` of `total`, `href` giving a page's link: first, last and the two
/// pages either side of the current one, with gaps between.
fn pager_view(page: usize, total: usize, href: impl Fn(usize) -> String) -> PagerView {
    let mut pages = Vec::new();
    let mut last = 0;
    for p in 1..=total {
        let near = p == 1 || p == total || p.abs_diff(page) <= 2;
        if near {
            if last != 0 && p != last + 1 {
                pages.push(PagerLink {
                    n: 0,
                    url: None,
                    current: false,
                });
            }
            pages.push(PagerLink {
                n: p,
                url: (p != page).then(|| href(p)),
                current: p == page,
            });
            last = p;
        }
    }
    PagerView {
        current: page,
        total,
        prev: (page > 1).then(|| href(page - 1)),
        next: (page < total).then(|| href(page + 1)),
        pages,
    }
}

/// One page of a list.
#[derive(Debug)]
pub struct ListJob {
    term: Option<(TaxonomyKind, usize)>,
    page: usize,
    total: usize,
    items: Vec<usize>,
}

impl Renderer {
    /// A renderer for `site` with `theme`; `asset_version` is appended to asset URLs.
    pub fn new(site: Arc<Site>, theme: Arc<Theme>, asset_version: &str) -> Result<Renderer> {
        let archive = &site.archive;
        let config = &site.config;
        let urls = Urls::new(&config.base_url, config.base_path());
        let t = Strings::for_language(config.language);
        let terms = |kind| -> Vec<TermView> {
            archive
                .taxonomy(kind)
                .terms
                .iter()
                .map(|term| term_view(&urls, kind, term))
                .collect()
        };
        let sections = [
            (TaxonomyKind::Year, t.years),
            (TaxonomyKind::Vector, t.vectors),
            (TaxonomyKind::Label, t.labels),
            (TaxonomyKind::Org, t.orgs),
        ]
        .iter()
        .map(|(k, name)| LinkView {
            name: name.to_string(),
            url: urls.href(&Route::terms(*k)),
        })
        .collect();
        let site_view = SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            lang: config.language.tag().into(),
            base_url: config.base_url.clone(),
            home_url: urls.href(&Route::home()),
            feed_url: urls.href(&Route::file(&["atom.xml"])),
            search_url: Some(urls.href(&crate::output::search::route())),
            stats_url: Some(urls.href(&Route::dir(&["stats"]))),
            data_url: Some(urls.href(&Route::file(&["data", "notices.json"]))),
            css_urls: vec![
                urls.asset("style.css", asset_version),
                urls.asset("highlight.css", asset_version),
            ],
            js_url: urls.asset("theme.js", asset_version),
            favicon_url: urls.asset("favicon.svg", asset_version),
            sections,
            // Bounded, since it is on every list page: the stages, then the 20 most used labels
            // (the full list is /labels/).
            labels: {
                let all = terms(TaxonomyKind::Label);
                let (mut stages, mut free): (Vec<TermView>, Vec<TermView>) = all
                    .into_iter()
                    .partition(|t| crate::vocab::is_stage_label(&t.key));
                free.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
                free.truncate(20);
                free.sort_by(|a, b| a.key.cmp(&b.key));
                stages.extend(free);
                stages
            },
            years: terms(TaxonomyKind::Year),
            vectors: terms(TaxonomyKind::Vector),
            t,
            notice_count: archive.notices.len(),
        };
        let mut base = tera::Context::new();
        base.insert("site", &site_view);
        // The same on every page that shows them: rendered once, not once per page.
        for name in ["sidebar", "header", "footer"] {
            let html = theme.render(&format!("{name}.html"), &base)?;
            base.insert(format!("{name}_html"), html.trim());
        }
        let terms = TermIndex::new(&urls, archive);
        let cards = (0..archive.notices.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        let rows_html = (0..archive.notices.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Ok(Renderer {
            site: site.clone(),
            theme,
            urls,
            base,
            cards,
            rows_html,
            terms,
            markdown: if config.allow_raw_html {
                Markdown::with_raw_html()
            } else {
                Markdown::new()
            },
            asset_version: asset_version.to_string(),
            id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        })
    }

    /// Runs `fill` on a context that holds the base (site, strings, sidebar) and whatever
    /// `fill` inserts. Each thread keeps one context per `Slot` and only the page's own keys are
    /// overwritten: cloning the base for every page and row was about 5% of a build's CPU.
    /// So `fill` must set (or remove) the same keys every time it runs for a slot.
    fn with_context<R>(&self, slot: Slot, fill: impl FnOnce(&mut tera::Context) -> R) -> R {
        CONTEXTS.with(|slots| match slots[slot as usize].try_borrow_mut() {
            Ok(mut kept) => {
                if kept.as_ref().map(|(id, _)| *id) != Some(self.id) {
                    *kept = Some((self.id, self.base.clone()));
                }
                let (_, ctx) = kept.as_mut().expect("set above");
                fill(ctx)
            }
            // Re-entered on this thread (a rayon steal inside `fill`): a context of its own.
            Err(_) => fill(&mut self.base.clone()),
        })
    }

    fn archive(&self) -> &Archive {
        &self.site.archive
    }

    fn config(&self) -> &Config {
        &self.site.config
    }

    /// The site being rendered.
    pub fn site(&self) -> &Arc<Site> {
        &self.site
    }

    /// The theme.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The list-entry view of notice `i`.
    pub fn card(&self, i: usize) -> &CardView {
        self.cards[i].get_or_init(|| card_view(&self.urls, self.archive(), &self.terms, i))
    }

    /// Notice `i` as a card of the home list (`card.html`, with its summary).
    fn card_html(&self, i: usize) -> Result<String> {
        self.with_context(Slot::Card, |ctx| {
            ctx.insert("n", self.card(i));
            ctx.insert("summary", &true);
            self.theme.render("card.html", ctx)
        })
    }

    /// Notice `i` as a row of a term's list (`row.html`): rendered once, reused by every list
    /// the notice is in. Rows are small because a notice is in six or seven lists, and at
    /// archive scale those lists are most of the site's bytes.
    fn row_html(&self, i: usize) -> Result<String> {
        if let Some(html) = self.rows_html[i].get() {
            return Ok(html.clone());
        }
        let html = self.with_context(Slot::Row, |ctx| {
            ctx.insert("n", self.card(i));
            self.theme.render("row.html", ctx)
        })?;
        Ok(self.rows_html[i].get_or_init(|| html).clone())
    }

    /// The list-entry view of every notice, in archive order.
    pub fn cards(&self) -> Vec<&CardView> {
        (0..self.cards.len())
            .into_par_iter()
            .map(|i| self.card(i))
            .collect()
    }

    /// The URL builder.
    pub fn urls(&self) -> &Urls {
        &self.urls
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        let archive = self.archive();
        let mut pages: Vec<Page> = (0..archive.notices.len()).map(Page::Notice).collect();
        pages.extend((0..archive.incidents.len()).map(Page::Incident));
        let mut jobs: Vec<ListJob> = Vec::new();
        let all: Vec<usize> = (0..archive.notices.len()).collect();
        self.paginate(&mut jobs, None, &all);
        for tax in &archive.taxonomies {
            for (t, term) in tax.terms.iter().enumerate() {
                self.paginate(&mut jobs, Some((tax.kind, t)), &term.notices);
            }
        }
        pages.extend(jobs.into_iter().map(Page::List));
        for kind in TaxonomyKind::ALL {
            let total = archive
                .taxonomy(kind)
                .terms
                .len()
                .div_ceil(TERMS_PER_PAGE)
                .max(1);
            pages.extend((1..=total).map(|p| Page::Terms(kind, p, total)));
        }
        pages.push(Page::Stats);
        pages.push(Page::Search);
        pages.push(Page::NotFound);
        pages
    }

    /// The output paths a page writes, without rendering it.
    pub fn paths(&self, page: &Page) -> Vec<String> {
        let archive = self.archive();
        match page {
            Page::Notice(i) => vec![Route::notice(&archive.notices[*i].id).output_path()],
            Page::Incident(k) => {
                vec![Route::incident(&archive.incidents[*k].segment).output_path()]
            }
            Page::List(job) => {
                let mut v = vec![self.list_route(job.term, job.page).output_path()];
                if job.page == 1 && job.total > 1 {
                    v.push(self.page_one_route(job.term).output_path());
                }
                v
            }
            Page::Terms(kind, page, total) => {
                let mut v = vec![Route::terms_page(*kind, *page).output_path()];
                if *page == 1 && *total > 1 {
                    v.push(Route::terms_page_one(*kind).output_path());
                }
                v
            }
            Page::Stats => vec![Route::dir(&["stats"]).output_path()],
            Page::Search => vec![crate::output::search::route().output_path()],
            Page::NotFound => vec!["404.html".into()],
        }
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<Vec<OutputFile>> {
        match page {
            Page::Notice(i) => Ok(vec![self.notice_page(*i)?]),
            Page::Incident(k) => Ok(vec![self.incident_page(*k)?]),
            Page::List(job) => self.list_page(job),
            Page::Terms(kind, page, total) => self.terms_page(*kind, *page, *total),
            Page::Stats => Ok(vec![self.stats_page()?]),
            Page::Search => Ok(vec![self.search_page()?]),
            Page::NotFound => Ok(vec![self.not_found_page()?]),
        }
    }

    fn page_one_route(&self, term: Option<(TaxonomyKind, usize)>) -> Route {
        match term {
            None => Route::dir(&["page", "1"]),
            Some((kind, i)) => Route::dir(&[
                kind.folder(),
                &self.archive().taxonomy(kind).terms[i].segment,
                "page",
                "1",
            ]),
        }
    }

    fn page(
        &self,
        title: &str,
        description: &str,
        route: &Route,
        og_type: &str,
        kind: &str,
        feed: Option<&Route>,
    ) -> PageView {
        PageView {
            title: title.to_string(),
            description: description.to_string(),
            canonical: self.urls.abs(route),
            og_type: og_type.into(),
            feed_url: feed.map(|f| self.urls.href(f)),
            kind: kind.into(),
            sidebar: !matches!(kind, "notice" | "incident"),
        }
    }

    fn notice_page(&self, i: usize) -> Result<OutputFile> {
        Ok(self.notice_page_with(i, false)?.0)
    }

    /// Notice `i`'s page and its body as plain text (what `search::plain_text` gives), from one
    /// parse of the body: a build hands the text to the search index.
    pub fn notice_page_and_text(&self, i: usize) -> Result<(OutputFile, String)> {
        self.notice_page_with(i, true)
    }

    fn notice_page_with(&self, i: usize, with_text: bool) -> Result<(OutputFile, String)> {
        let a = self.archive();
        let n = &a.notices[i];
        let route = Route::notice(&n.id);
        let (body_html, text) = match n.format {
            Format::Markdown if with_text => self.markdown.to_html_and_text(&n.body),
            Format::Markdown => (self.markdown.to_html(&n.body), String::new()),
            Format::Text | Format::Html => (
                markdown::text_to_html(&n.body),
                if with_text {
                    crate::output::search::plain_text(&n.body, n.format)
                } else {
                    String::new()
                },
            ),
        };
        let card = self.card(i);
        let cards = |list: &[usize]| list.iter().map(|&j| self.card(j)).collect::<Vec<_>>();
        let incident = a.incident_of[i].map(|k| {
            let inc = &a.incidents[k];
            IncidentBrief {
                key: inc.key.clone(),
                url: self.urls.href(&Route::incident(&inc.segment)),
                // A window around this release keeps the page small in a big incident (a
                // contractor with hundreds of clients); the incident page has them all.
                releases: {
                    let pos = inc.notices.iter().position(|&j| j == i).unwrap_or(0);
                    let window = pos.saturating_sub(4)..(pos + 6).min(inc.notices.len());
                    releases(
                        a,
                        &|i| self.card(i),
                        &Strings::for_language(self.config().language),
                        &inc.notices,
                        Some(i),
                        window,
                    )
                },
                total: inc.notices.len(),
            }
        });
        let (prev, next) = match a.incident_of[i] {
            Some(k) => {
                let list = &a.incidents[k].notices;
                let pos = list
                    .iter()
                    .position(|&j| j == i)
                    .expect("member of its incident");
                (
                    pos.checked_sub(1).map(|p| self.card(list[p])),
                    list.get(pos + 1).map(|&j| self.card(j)),
                )
            }
            None => (None, None),
        };
        let others: Vec<usize> = match a.incident_of[i] {
            Some(k) => a.incidents[k]
                .notices
                .iter()
                .copied()
                .filter(|&j| j != i && a.notices[j].meta.org != n.meta.org)
                .take(20)
                .collect(),
            None => a.related[i].clone(),
        };
        let unarchived = n
            .meta
            .refers
            .iter()
            .flatten()
            .zip(&a.refers[i])
            .filter(|(_, target)| target.is_none())
            .map(|(r, _)| RefView {
                date: r.date.map(|d| d.to_string()),
                title: r.title.clone(),
                stage: r.stage.clone(),
            })
            .collect();
        // 関連: the same organization's other notices outside this incident (newest first, bounded).
        let same_org: Vec<&CardView> = n
            .meta
            .org
            .as_deref()
            .and_then(|o| {
                a.taxonomy(TaxonomyKind::Org)
                    .find(&crate::text::nfc(o.trim()))
            })
            .map(|term| {
                term.notices
                    .iter()
                    .copied()
                    .filter(|&j| {
                        j != i
                            && (a.incident_of[i].is_none() || a.incident_of[j] != a.incident_of[i])
                    })
                    .take(5)
                    .map(|j| self.card(j))
                    .collect()
            })
            .unwrap_or_default();
        let view = NoticeView {
            same_org,
            year_url: n.meta.published.map(|d| {
                self.urls
                    .href(&Route::term(TaxonomyKind::Year, &d.year.to_string(), 1))
            }),
            data: n.meta.data.clone().unwrap_or_default(),
            exposure_from: n
                .meta
                .exposure
                .as_ref()
                .and_then(|e| e.from)
                .map(|d| d.to_string()),
            exposure_to: n
                .meta
                .exposure
                .as_ref()
                .and_then(|e| e.to)
                .map(|d| d.to_string()),
            discovered: n.meta.discovered.map(|d| d.to_string()),
            source: n.meta.source.clone().filter(|s| {
                let l = s.trim().to_ascii_lowercase();
                l.starts_with("https://") || l.starts_with("http://")
            }),
            body_html,
            review: n.meta.review.clone().unwrap_or_default(),
            incident,
            originals: cards(&a.follows[i]),
            follow_ups: cards(&a.followed_by[i]),
            others: cards(&others),
            unarchived,
            prev,
            next,
            card,
        };
        let description = markdown::summary(&n.body, 120);
        let html = self.with_context(Slot::Notice, |ctx| {
            ctx.insert(
                "page",
                &self.page(&n.title, &description, &route, "article", "notice", None),
            );
            ctx.insert("notice", &view);
            self.theme.render_bytes("notice.html", ctx)
        })?;
        Ok((OutputFile::from_bytes(route.output_path(), html), text))
    }

    fn incident_page(&self, k: usize) -> Result<OutputFile> {
        let a = self.archive();
        let inc = &a.incidents[k];
        let route = Route::incident(&inc.segment);
        let first = &a.notices[inc.notices[0]];
        let mut orgs: Vec<&str> = inc
            .notices
            .iter()
            .filter_map(|&i| a.notices[i].meta.org.as_deref())
            .collect();
        orgs.sort_unstable();
        orgs.dedup();
        let mut stages: Vec<String> = inc
            .notices
            .iter()
            .flat_map(|&i| a.notices[i].meta.labels.iter().flatten())
            .filter(|l| crate::vocab::is_stage_label(l))
            .cloned()
            .collect();
        stages.sort_by_key(|s| crate::vocab::stage_rank(s));
        stages.dedup();
        let title = format!("{} {}", inc.key, first.title);
        let releases = releases(
            a,
            &|i| self.card(i),
            &Strings::for_language(self.config().language),
            &inc.notices,
            None,
            0..inc.notices.len(),
        );
        let html = self.with_context(Slot::Incident, |ctx| {
            ctx.insert(
                "page",
                &self.page(&title, &first.title, &route, "website", "incident", None),
            );
            ctx.insert("incident_key", &inc.key);
            ctx.insert("incident_title", &first.title);
            ctx.insert("orgs", &orgs);
            ctx.insert("stages", &stages);
            ctx.insert("releases", &releases);
            self.theme.render_bytes("incident.html", ctx)
        })?;
        Ok(OutputFile::from_bytes(route.output_path(), html))
    }

    fn paginate(
        &self,
        jobs: &mut Vec<ListJob>,
        term: Option<(TaxonomyKind, usize)>,
        items: &[usize],
    ) {
        let per = self.config().paginate_by;
        let total = items.len().div_ceil(per).max(1);
        for page in 1..=total {
            let start = (page - 1) * per;
            let end = (start + per).min(items.len());
            jobs.push(ListJob {
                term,
                page,
                total,
                items: items[start..end].to_vec(),
            });
        }
    }

    fn list_route(&self, term: Option<(TaxonomyKind, usize)>, page: usize) -> Route {
        match term {
            None => Route::home_page(page),
            Some((kind, t)) => {
                Route::term(kind, &self.archive().taxonomy(kind).terms[t].segment, page)
            }
        }
    }

    fn list_page(&self, job: &ListJob) -> Result<Vec<OutputFile>> {
        let route = self.list_route(job.term, job.page);
        let t = Strings::for_language(self.config().language);
        let (heading, kind_name, feed, term_key) = match job.term {
            None => (
                t.latest.to_string(),
                String::new(),
                Route::file(&["atom.xml"]),
                None,
            ),
            Some((kind, i)) => {
                let term = &self.archive().taxonomy(kind).terms[i];
                let kind_name = match kind {
                    TaxonomyKind::Year => t.years,
                    TaxonomyKind::Vector => t.vectors,
                    TaxonomyKind::Label => t.labels,
                    TaxonomyKind::Org => t.orgs,
                };
                (
                    term.name.clone(),
                    kind_name.to_string(),
                    Route::term_feed(kind, &term.segment),
                    Some(term.key.clone()),
                )
            }
        };
        let title = if job.page > 1 {
            format!("{heading} ({}/{})", job.page, job.total)
        } else {
            heading.clone()
        };
        let count = match job.term {
            None => self.archive().notices.len(),
            Some((kind, i)) => self.archive().taxonomy(kind).terms[i].notices.len(),
        };
        let description = if job.term.is_none() {
            self.config().description.clone()
        } else {
            format!("{heading}: {count}{}", t.notices_unit)
        };
        let entries = job
            .items
            .iter()
            .map(|&i| match job.term {
                None => self.card_html(i),
                Some(_) => self.row_html(i),
            })
            .collect::<Result<Vec<_>>>()?;
        let intro = (job.term.is_none() && job.page == 1).then(|| self.archive_intro());
        let html = self.with_context(Slot::List, |ctx| {
            let mut page = self.page(
                &title,
                &description,
                &route,
                "website",
                if job.term.is_none() { "home" } else { "term" },
                Some(&feed),
            );
            page.sidebar = job.page == 1 && !matches!(job.term, Some((TaxonomyKind::Org, _)));
            ctx.insert("page", &page);
            ctx.insert("heading", &heading);
            ctx.insert("kind_name", &kind_name);
            ctx.insert("term_key", &term_key);
            ctx.insert("count", &count);
            ctx.insert("is_home", &job.term.is_none());
            ctx.insert("entries_html", &entries);
            ctx.insert("pager", &self.pager(job));
            match &intro {
                Some(html) => ctx.insert("intro_html", html),
                None => {
                    ctx.remove("intro_html");
                }
            }
            self.theme.render_bytes("list.html", ctx)
        })?;
        let mut out = vec![OutputFile::from_bytes(route.output_path(), html)];
        if job.page == 1 && job.total > 1 {
            // /page/1/ exists as a redirect to the list's first page, as in Hugo and Zola.
            let page1 = self.page_one_route(job.term);
            out.push(OutputFile::new(
                page1.output_path(),
                redirect_html(&self.urls.href(&route)),
            ));
        }
        Ok(out)
    }

    fn archive_intro(&self) -> String {
        self.archive()
            .intro
            .as_deref()
            .map(|md| self.markdown.to_html(md))
            .unwrap_or_default()
    }

    fn pager(&self, job: &ListJob) -> PagerView {
        pager_view(job.page, job.total, |p| {
            self.urls.href(&self.list_route(job.term, p))
        })
    }

    /// Page `page` of the list of `kind`'s terms, [`TERMS_PER_PAGE`] terms a page (with a
    /// redirect at `page/1/`, as the notice lists have): the organizations of a large archive
    /// number in the tens of thousands, and no page may grow with the archive.
    fn terms_page(&self, kind: TaxonomyKind, page: usize, total: usize) -> Result<Vec<OutputFile>> {
        let t = Strings::for_language(self.config().language);
        let route = Route::terms_page(kind, page);
        let heading = match kind {
            TaxonomyKind::Year => t.years,
            TaxonomyKind::Vector => t.vectors,
            TaxonomyKind::Label => t.labels,
            TaxonomyKind::Org => t.orgs,
        };
        let all = &self.archive().taxonomy(kind).terms;
        let start = (page - 1) * TERMS_PER_PAGE;
        let terms: Vec<TermView> = all
            .iter()
            .skip(start)
            .take(TERMS_PER_PAGE)
            .map(|term| term_view(&self.urls, kind, term))
            .collect();
        let title = if page > 1 {
            format!("{heading} ({page}/{total})")
        } else {
            heading.to_string()
        };
        let mut view = self.page(&title, heading, &route, "website", "terms", None);
        view.sidebar = page == 1;
        let mut ctx = self.base.clone();
        ctx.insert("page", &view);
        ctx.insert("heading", heading);
        ctx.insert("taxonomy", kind.folder());
        ctx.insert("terms", &terms);
        ctx.insert("count", &all.len());
        ctx.insert("first", &(start + 1));
        ctx.insert(
            "pager",
            &pager_view(page, total, |p| self.urls.href(&Route::terms_page(kind, p))),
        );
        let mut out = vec![OutputFile::new(
            route.output_path(),
            self.theme.render("terms.html", &ctx)?,
        )];
        if page == 1 && total > 1 {
            out.push(OutputFile::new(
                Route::terms_page_one(kind).output_path(),
                redirect_html(&self.urls.href(&route)),
            ));
        }
        Ok(out)
    }

    fn stats_page(&self) -> Result<OutputFile> {
        let t = Strings::for_language(self.config().language);
        let route = Route::dir(&["stats"]);
        let charts = stats::charts(self.archive(), self.config());
        let mut ctx = self.base.clone();
        ctx.insert(
            "page",
            &self.page(
                t.stats,
                &self.config().description,
                &route,
                "website",
                "stats",
                None,
            ),
        );
        ctx.insert("charts", &charts);
        ctx.insert(
            "data_csv_url",
            &self.urls.href(&Route::file(&["data", "notices.csv"])),
        );
        ctx.insert(
            "data_schema_url",
            &self.urls.href(&Route::file(&["data", "schema.json"])),
        );
        Ok(OutputFile::new(
            route.output_path(),
            self.theme.render("stats.html", &ctx)?,
        ))
    }

    /// `/search/`: the form and the results container; `search.js` does the rest.
    fn search_page(&self) -> Result<OutputFile> {
        let asset_version = self.asset_version.as_str();
        let t = Strings::for_language(self.config().language);
        let route = crate::output::search::route();
        let mut ctx = self.base.clone();
        ctx.insert(
            "page",
            &self.page(t.search, t.search, &route, "website", "search", None),
        );
        ctx.insert(
            "search",
            &crate::output::search::SearchPageView::new(&self.urls, asset_version),
        );
        Ok(OutputFile::new(
            route.output_path(),
            self.theme.render("search.html", &ctx)?,
        ))
    }

    fn not_found_page(&self) -> Result<OutputFile> {
        let t = Strings::for_language(self.config().language);
        let mut ctx = self.base.clone();
        ctx.insert(
            "page",
            &self.page(
                t.not_found,
                t.not_found,
                &Route::file(&["404.html"]),
                "website",
                "404",
                None,
            ),
        );
        Ok(OutputFile::new(
            "404.html".into(),
            self.theme.render("404.html", &ctx)?,
        ))
    }
}

/// A term as a link with its count.
pub fn term_view(urls: &Urls, kind: TaxonomyKind, term: &crate::archive::Term) -> TermView {
    TermView {
        name: term.name.clone(),
        key: term.key.clone(),
        url: urls.href(&Route::term(kind, &term.segment, 1)),
        count: term.notices.len(),
    }
}

/// Term views by key, per taxonomy: the lookup table cards use (a linear search per card
/// would cost O(notices × terms) on a big archive).
pub struct TermIndex(Vec<(TaxonomyKind, BTreeMap<String, TermView>)>);

impl TermIndex {
    /// Builds the index of every term.
    pub fn new(urls: &Urls, archive: &Archive) -> TermIndex {
        TermIndex(
            archive
                .taxonomies
                .iter()
                .map(|tax| {
                    let map = tax
                        .terms
                        .iter()
                        .map(|t| (t.key.clone(), term_view(urls, tax.kind, t)))
                        .collect();
                    (tax.kind, map)
                })
                .collect(),
        )
    }

    fn get(&self, kind: TaxonomyKind, key: &str) -> Option<&TermView> {
        let map = &self.0.iter().find(|(k, _)| *k == kind)?.1;
        map.get(key)
            .or_else(|| map.get(&crate::text::nfc(key.trim())))
    }
}

/// The list-entry view of notice `i`.
pub fn card_view(urls: &Urls, archive: &Archive, terms: &TermIndex, i: usize) -> CardView {
    let n = &archive.notices[i];
    let term_link = |kind: TaxonomyKind, key: &str| terms.get(kind, key).cloned();
    // The incident's first release, for follow-ups (a 最終報告 on a label page leads back to it).
    let first_report = archive.incident_of[i].and_then(|k| {
        let first = archive.incidents[k].notices[0];
        (first != i).then(|| LinkView {
            name: archive.notices[first].title.clone(),
            url: urls.href(&Route::notice(&archive.notices[first].id)),
        })
    });
    CardView {
        id: n.id.clone(),
        title: n.title.clone(),
        url: urls.href(&Route::notice(&n.id)),
        org: n.meta.org.as_ref().map(|o| LinkView {
            name: o.clone(),
            url: term_link(TaxonomyKind::Org, o)
                .map(|t| t.url)
                .unwrap_or_default(),
        }),
        date: n.meta.published.map(|d| d.to_string()),
        wareki: n.meta.published.and_then(|d| d.wareki()),
        vectors: n
            .meta
            .vectors
            .iter()
            .flatten()
            .filter_map(|v| term_link(TaxonomyKind::Vector, v))
            .collect(),
        labels: n
            .meta
            .labels
            .iter()
            .flatten()
            .filter_map(|l| term_link(TaxonomyKind::Label, l))
            .collect(),
        records: n.meta.records.map(group_digits),
        cards: n.meta.cards.map(group_digits),
        summary: markdown::summary(&n.body, 90),
        first_report,
    }
}

/// Timeline rows for an incident, oldest first, with what changed per organization.
fn releases<'c>(
    a: &Archive,
    card: &dyn Fn(usize) -> &'c CardView,
    t: &Strings,
    members: &[usize],
    current: Option<usize>,
    window: std::ops::Range<usize>,
) -> Vec<ReleaseView> {
    let mut out = Vec::new();
    for (pos, &i) in members
        .iter()
        .enumerate()
        .take(window.end)
        .skip(window.start)
    {
        let n = &a.notices[i];
        // What changed since the same organization's previous release.
        let prev = members[..pos]
            .iter()
            .rev()
            .map(|&j| &a.notices[j])
            .find(|p| p.meta.org == n.meta.org);
        let mut changes = Vec::new();
        if let Some(p) = prev {
            if n.meta.records.is_some() && p.meta.records != n.meta.records {
                changes.push(format!(
                    "{} {} → {}",
                    t.records,
                    p.meta.records.map(group_digits).unwrap_or("—".into()),
                    group_digits(n.meta.records.unwrap_or(0))
                ));
            }
            if n.meta.cards.is_some() && p.meta.cards != n.meta.cards {
                changes.push(format!(
                    "{} {} → {}",
                    t.cards,
                    p.meta.cards.map(group_digits).unwrap_or("—".into()),
                    group_digits(n.meta.cards.unwrap_or(0))
                ));
            }
            let pv = p.meta.vectors.clone().unwrap_or_default();
            let added: Vec<&String> = n
                .meta
                .vectors
                .iter()
                .flatten()
                .filter(|v| !pv.contains(v))
                .collect();
            if !added.is_empty() {
                let names: Vec<String> = added
                    .iter()
                    .map(|v| {
                        card(i)
                            .vectors
                            .iter()
                            .find(|t| &&t.key == v)
                            .map(|t| t.name.clone())
                            .unwrap_or_else(|| v.to_string())
                    })
                    .collect();
                changes.push(format!("{}{}", t.vectors_added, names.join(t.list_sep)));
            }
        }
        out.push(ReleaseView {
            card: card(i).clone(),
            current: Some(i) == current,
            stages: n
                .meta
                .labels
                .iter()
                .flatten()
                .filter(|l| crate::vocab::is_stage_label(l))
                .cloned()
                .collect(),
            changes,
        });
    }
    out
}

/// A tiny page that sends the browser on to `href`.
pub fn redirect_html(href: &str) -> String {
    let h = crate::text::escape_html(href);
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{h}</title><link rel=\"canonical\" href=\"{h}\"><meta http-equiv=\"refresh\" content=\"0; url={h}\"></head><body><a href=\"{h}\">{h}</a></body></html>\n"
    )
}
