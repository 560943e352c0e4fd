//! Notice bodies to HTML: the only place comrak and syntect are configured.
//!
//! Bodies are untrusted. Raw HTML in Markdown is shown as text (`render.escape`), dangerous link
//! schemes are dropped by comrak, and plain-text notices are escaped paragraph by paragraph.
//! Code blocks are highlighted with CSS classes (`hl-…`); the stylesheet is written once.

use comrak::plugins::syntect::{SyntectAdapter, SyntectAdapterBuilder};
use comrak::Options;

/// Renders notice bodies; shared by reference across rayon threads.
pub struct Markdown {
    options: Options<'static>,
    adapter: SyntectAdapter,
    sanitizer: Option<ammonia::Builder<'static>>,
}

impl Default for Markdown {
    fn default() -> Self {
        Markdown::new()
    }
}

impl Markdown {
    /// GFM that keeps raw HTML, sanitized with ammonia (site.toml `allow_raw_html = true`).
    pub fn with_raw_html() -> Markdown {
        let mut md = Markdown::new();
        md.options.render.r#unsafe = true;
        md.options.render.escape = false;
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "id", "aria-label"])
            .link_rel(Some("noopener noreferrer nofollow"))
            .url_schemes(["http", "https", "mailto"].into_iter().collect());
        md.sanitizer = Some(b);
        md
    }

    /// The extensions notices are parsed with (GFM plus CJK-friendly emphasis); the search
    /// index parses with the same, so it sees the text the pages show.
    pub fn parse_options() -> Options<'static> {
        let mut options = Options::default();
        options.extension.table = true;
        options.extension.strikethrough = true;
        options.extension.autolink = true;
        options.extension.footnotes = true;
        options.extension.tasklist = true;
        options.extension.cjk_friendly_emphasis = true;
        options
    }

    /// Safe GFM with CJK-friendly emphasis and class-based highlighting.
    pub fn new() -> Markdown {
        let mut options = Markdown::parse_options();
        options.render.r#unsafe = false;
        options.render.escape = true;
        let adapter = SyntectAdapterBuilder::new()
            .css_with_class_prefix("hl-")
            .build();
        Markdown {
            options,
            adapter,
            sanitizer: None,
        }
    }

    /// Markdown → HTML.
    pub fn to_html(&self, md: &str) -> String {
        self.render(md, false).0
    }

    /// Markdown → HTML and the plain text the search index reads ([`plain_text_of`]), from one
    /// parse: a build makes both for every notice.
    pub fn to_html_and_text(&self, md: &str) -> (String, String) {
        self.render(md, true)
    }

    fn render(&self, md: &str, with_text: bool) -> (String, String) {
        let mut plugins = comrak::options::Plugins::default();
        plugins.render.codefence_syntax_highlighter = Some(&self.adapter);
        let headings = IdHeadings::default();
        plugins.render.heading_adapter = Some(&headings);
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, md, &self.options);
        let text = if with_text {
            plain_text_of(root, md.len())
        } else {
            String::new()
        };
        let mut html = String::new();
        comrak::format_html_with_plugins(root, &self.options, &mut html, &plugins)
            .expect("writing to a String");
        let html = match &self.sanitizer {
            Some(s) => s.clean(&html).to_string(),
            None => html,
        };
        (html, text)
    }

    /// The highlighting stylesheet for light and dark schemes.
    pub fn highlight_css() -> String {
        use syntect::highlighting::ThemeSet;
        use syntect::html::{css_for_theme_with_class_style, ClassStyle};
        let themes = ThemeSet::load_defaults();
        let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
        let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], style)
            .unwrap_or_default();
        let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], style)
            .unwrap_or_default();
        format!("{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
    }
}

/// Headings with an `id` to link to (`<h2 id="1-経緯">1. 経緯</h2>`), the ids made as comrak makes
/// them (GitHub's rule, numbered when repeated). comrak's own heading ids come with a hidden
/// self-link that repeats the heading text twice more, about 150 bytes a heading; at archive
/// scale that was some 90 MB of every 100k notices' pages.
#[derive(Default)]
struct IdHeadings {
    /// One document's ids so far (a new adapter per document).
    ids: std::sync::Mutex<Anchors>,
}

/// comrak's `Anchorizer` (the same ids, numbered the same way when repeated), with a heading
/// of ASCII, kana and kanji (most of them) lower-cased and filtered without Unicode category
/// tables.
#[derive(Default)]
struct Anchors {
    /// Every id given out.
    ids: std::collections::HashSet<String>,
    /// Per base id, the next suffix to try.
    next_suffix: std::collections::HashMap<String, usize>,
}

impl Anchors {
    fn anchorize(&mut self, header: &str) -> String {
        let id = anchor_base(header);
        let mut uniq = self.next_suffix.get(&id).copied().unwrap_or(0);
        let chosen = loop {
            let anchor = if uniq == 0 {
                id.clone()
            } else {
                format!("{id}-{uniq}")
            };
            if !self.ids.contains(&anchor) {
                break anchor;
            }
            uniq += 1;
        };
        self.ids.insert(chosen.clone());
        self.next_suffix.insert(id, uniq + 1);
        chosen
    }
}

/// The id of a heading before numbering: lower case, spaces as `-`, only letters, marks,
/// numbers, `-` and connector punctuation kept. ASCII, kana and the unified ideographs are
/// handled here; a heading with any other character asks comrak (a fresh `Anchorizer` returns
/// the base id unnumbered).
fn anchor_base(header: &str) -> String {
    let mut id = String::with_capacity(header.len());
    for c in header.chars() {
        match c {
            'A'..='Z' => id.push(c.to_ascii_lowercase()),
            'a'..='z' | '0'..='9' | '-' | '_' => id.push(c),
            ' ' => id.push('-'),
            '\0'..='\x7f' => {}
            // Letters (Lo, Lm) and marks (Mn) without case; 、・ and ゛゜ (punctuation and
            // modifier symbols) are not among them.
            '\u{3041}'..='\u{3096}'
            | '\u{3099}'..='\u{309a}'
            | '\u{309d}'..='\u{309f}'
            | '\u{30a1}'..='\u{30fa}'
            | '\u{30fc}'..='\u{30ff}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{9fef}' => id.push(c),
            _ => return comrak::Anchorizer::new().anchorize(header),
        }
    }
    id
}

impl comrak::adapters::HeadingAdapter for IdHeadings {
    fn enter(
        &self,
        out: &mut dyn std::fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
        _sourcepos: Option<comrak::nodes::Sourcepos>,
    ) -> std::fmt::Result {
        let id = self
            .ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .anchorize(&heading.content);
        write!(
            out,
            "<h{} id=\"{}\">",
            heading.level,
            crate::text::escape_html(&id)
        )
    }

    fn exit(
        &self,
        out: &mut dyn std::fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
    ) -> std::fmt::Result {
        write!(out, "</h{}>", heading.level)
    }
}

/// Plain text → HTML paragraphs: blank lines separate paragraphs, line breaks are kept.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for para in text
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
    {
        out.push_str("<p>");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>\n");
            }
            out.push_str(&crate::text::escape_html(line.trim_end()));
        }
        out.push_str("</p>\n");
    }
    out
}

/// A short plain-text summary of a body (Markdown syntax dropped): its first `max` characters,
/// and `…` when there are more. It stops at the character after the last it keeps, so a call
/// costs about `max` characters whatever the body's length (a build makes three per notice).
pub fn summary(body: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for t in summary_lines(body) {
        for c in t.chars().filter(|c| !matches!(c, '*' | '_' | '`')) {
            if count == max {
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

/// The lines a summary reads: prose, without code blocks, headings, tables, rules or the
/// marks that open quotes and list items.
fn summary_lines(body: &str) -> impl Iterator<Item = &str> {
    let mut in_code = false;
    body.lines().filter_map(move |line| {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
            return None;
        }
        if in_code
            || t.is_empty()
            || t.starts_with('#')
            || t.starts_with('|')
            || t.starts_with("---")
        {
            return None;
        }
        Some(t.trim_start_matches(['>', '-', '*', '+', ' ']))
    })
}

/// The text of a parsed Markdown document: Markdown syntax dropped (text, code and raw HTML
/// kept, as the page shows them), blocks on their own lines.
pub fn plain_text_of<'a>(root: &'a comrak::nodes::AstNode<'a>, capacity: usize) -> String {
    use comrak::arena_tree::NodeEdge;
    use comrak::nodes::NodeValue;
    let mut out = String::with_capacity(capacity);
    for edge in root.traverse() {
        match edge {
            NodeEdge::Start(node) => match &node.data().value {
                NodeValue::Text(t) => out.push_str(t),
                NodeValue::Code(c) => out.push_str(&c.literal),
                NodeValue::HtmlInline(h) => out.push_str(h),
                NodeValue::CodeBlock(c) => {
                    out.push_str(&c.literal);
                    out.push('\n');
                }
                NodeValue::HtmlBlock(h) => {
                    out.push_str(&h.literal);
                    out.push('\n');
                }
                NodeValue::SoftBreak | NodeValue::LineBreak => out.push('\n'),
                _ => {}
            },
            NodeEdge::End(node) => {
                if node.data().value.block() {
                    out.push('\n');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parse_gives_the_page_and_the_search_text() {
        let md = "## 1. 経緯\n\n**不正アクセス**を確認し、[詳細](https://example.jp/)は`ログ`で\nご確認ください。\n\n| 項目 | 件数 |\n|---|---|\n| 氏名 | 1,234件 |\n\n```rust\nlet x = 1;\n```\n\n<b>raw</b>\n";
        for m in [Markdown::new(), Markdown::with_raw_html()] {
            let (html, text) = m.to_html_and_text(md);
            assert_eq!(html, m.to_html(md));
            assert_eq!(
                text,
                crate::output::search::plain_text(md, crate::notice::Format::Markdown)
            );
            assert!(
                text.contains("不正アクセス") && text.contains("1,234件"),
                "{text}"
            );
        }
    }

    #[test]
    fn headings_get_ids_and_nothing_else() {
        let html =
            Markdown::new().to_html("## 1. 経緯\n\n本文\n\n## 1. 経緯\n\n### A <b>&</b> **B**\n");
        assert!(html.contains("<h2 id=\"1-経緯\">1. 経緯</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"1-経緯-1\">1. 経緯</h2>"), "{html}");
        assert!(
            html.contains("<h3 id=\"a--b\">A &lt;b&gt;&amp;&lt;/b&gt; <strong>B</strong></h3>"),
            "{html}"
        );
        assert!(html.contains("</h2>\n<p>本文</p>"), "{html}");
        assert!(!html.contains("anchor"), "{html}");
        // Every document numbers its own ids.
        let again = Markdown::new().to_html("## 1. 経緯\n");
        assert!(again.contains("id=\"1-経緯\""), "{again}");
    }

    /// Every character the fast path takes, alone, and random headings of those and others,
    /// get comrak's id; repeats are numbered as comrak numbers them.
    #[test]
    fn anchors_are_comraks() {
        let fast = ('\0'..='\x7f')
            .chain('\u{3000}'..='\u{30ff}')
            .chain('\u{3400}'..='\u{4dbf}')
            .chain('\u{4e00}'..='\u{9fff}');
        for c in fast {
            let s = c.to_string();
            assert_eq!(
                anchor_base(&s),
                comrak::Anchorizer::new().anchorize(&s),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
        let pool = crate::text::char_tokens("Aa1 -_.（）「」・ー経緯がカ\u{3099}ΣÉｱＡ１\t");
        let (mut ours, mut theirs) = (Anchors::default(), comrak::Anchorizer::new());
        for (k, s) in crate::text::random_strings(&pool, 11, 6, 20_000)
            .iter()
            .enumerate()
        {
            if k % 50 == 0 {
                (ours, theirs) = (Anchors::default(), comrak::Anchorizer::new());
            }
            assert_eq!(ours.anchorize(s), theirs.anchorize(s), "{s:?}");
        }
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        let md = Markdown::new();
        let html = md.to_html("本文<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn raw_html_switch_keeps_markup_but_not_scripts() {
        let md = Markdown::with_raw_html();
        let html = md.to_html("<b>太字</b><script>alert(1)</script><img src=x onerror=alert(1)>\n\n<a href=\"javascript:alert(1)\">x</a><iframe src=\"https://a.example\"></iframe>\n\n```rust\nfn main() {}\n```\n");
        assert!(html.contains("<b>太字</b>"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
            "{html}"
        );
        assert!(!html.contains("<iframe"), "{html}");
        assert!(html.contains("hl-"), "highlight classes survive: {html}");
    }

    #[test]
    fn cjk_emphasis_and_highlighting() {
        let md = Markdown::new();
        let html = md.to_html("本件は**「ランサムウェア」**による\n\n```rust\nfn main() {}\n```\n");
        assert!(
            html.contains("<strong>「ランサムウェア」</strong>"),
            "{html}"
        );
        assert!(html.contains("hl-"), "{html}");
    }

    /// `summary` as it was before it stopped early: every kept character of each line until
    /// the count passed `max`, then cut.
    fn summary_by_whole_lines(body: &str, max: usize) -> String {
        let mut out = String::new();
        let mut count = 0;
        for t in summary_lines(body) {
            for c in t.chars().filter(|c| !matches!(c, '*' | '_' | '`')) {
                out.push(c);
                count += 1;
            }
            if count > max {
                break;
            }
        }
        crate::text::truncate_chars(&out, max)
    }

    #[test]
    fn summary_stops_early_with_the_same_result() {
        let mut pool = crate::text::char_tokens("あ漢A*_`>-+ 　");
        pool.extend([
            "\n", "\n", "```\n", "~~~", "# ", "| ", "---", "\n\n", "ab\n",
        ]);
        for body in crate::text::random_strings(&pool, 7, 60, 20_000) {
            for max in [0, 1, 2, 5, 13] {
                assert_eq!(
                    summary(&body, max),
                    summary_by_whole_lines(&body, max),
                    "{body:?} {max}"
                );
            }
        }
    }

    #[test]
    fn text_paragraphs_are_escaped() {
        assert_eq!(
            text_to_html("a<b\nc\n\n\nd"),
            "<p>a&lt;b<br>\nc</p>\n<p>d</p>\n"
        );
        assert_eq!(
            summary("# 題\n\n本文の**最初**の段落。\n", 5),
            "本文の最初…"
        );
    }
}
