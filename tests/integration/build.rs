use super::*;

#[test]
fn builds_every_kind_of_page() {
    let (_tmp, root) = built("basic");
    for f in [
        "index.html",
        "page/2/index.html",
        "page/1/index.html",
        "notices/umi-2024-06-11/index.html",
        "notices/sora-2023-10-06/index.html",
        "incidents/umi-2024/index.html",
        "years/index.html",
        "years/2024/index.html",
        "years/2024/atom.xml",
        "vectors/index.html",
        "vectors/card-skimming/index.html",
        "vectors/card-skimming/atom.xml",
        "labels/index.html",
        "labels/最終報告/index.html",
        "labels/ecサイト/index.html",
        "labels/ecサイト/page/2/index.html",
        "orgs/株式会社うみ商店/index.html",
        "orgs/株式会社うみ商店/atom.xml",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        ".nojekyll",
        "CNAME",
        "style.css",
        "highlight.css",
    ] {
        assert!(root.join("public").join(f).is_file(), "missing public/{f}");
    }
    assert_eq!(read(&root, "CNAME"), "casebook.example.jp\n");
    // The raw text notice got its id from the stem and its date from the file name.
    let raw = read(&root, "notices/2022-03-18-hoshi/index.html");
    assert!(raw.contains("2022-03-18"), "{raw}");
    // The sample archive's vector pages carry the Japanese names.
    let v = read(&root, "vectors/index.html");
    assert!(
        v.contains("決済情報の窃取") && v.contains("ランサムウェア"),
        "{v}"
    );
}

#[test]
fn the_sidebar_is_on_first_list_pages_only() {
    let (_tmp, root) = built("basic");
    let has = |f: &str| read(&root, f).contains(r#"<aside class="sidebar">"#);
    for f in [
        "index.html",
        "years/2024/index.html",
        "labels/ecサイト/index.html",
        "vectors/index.html",
        "stats/index.html",
    ] {
        assert!(has(f), "{f} has the sidebar");
    }
    for f in [
        "page/2/index.html",
        "labels/ecサイト/page/2/index.html",
        "orgs/株式会社うみ商店/index.html",
        "incidents/umi-2024/index.html",
        "notices/umi-2024-06-11/index.html",
    ] {
        assert!(!has(f), "{f} has no sidebar");
        assert!(
            read(&root, f).contains(r#"class="wrap layout single""#),
            "{f}: one column"
        );
    }
}

#[test]
fn every_link_honours_the_subpath_and_is_percent_encoded() {
    let (_tmp, root) = built("basic");
    let home = read(&root, "index.html");
    assert!(
        home.contains("href=\"/archive/notices/umi-2024-11-15/\""),
        "{home}"
    );
    assert!(
        home.contains("/archive/labels/%E6%9C%80%E7%B5%82%E5%A0%B1%E5%91%8A/"),
        "label links are encoded"
    );
    assert!(
        home.contains("/archive/style.css?v="),
        "assets under the subpath"
    );
    assert!(
        !home.contains("href=\"/notices/"),
        "no link may skip the subpath"
    );
    let sitemap = read(&root, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.github.io/archive/orgs/%E6%A0%AA%E5%BC%8F"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("株式会社"), "sitemap URLs are encoded");
    let feed = read(&root, "atom.xml");
    assert!(
        feed.contains("href=\"https://example.github.io/archive/notices/umi-2024-11-15/\""),
        "{feed}"
    );
    // The link checker agrees: nothing in the output is broken.
    let (code, out, err) = run(jikenbo(&root).args(["check", "--format", "json"]));
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    assert_eq!(v["checked_output"], true);
    let errors: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["level"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(code, 0);
}

#[test]
fn feeds_are_capped_and_dated_from_content() {
    let (_tmp, root) = built("basic");
    let feed = read(&root, "atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 3, "feed_limit = 3");
    assert!(
        feed.contains("<updated>2024-11-15T00:00:00+09:00</updated>"),
        "{feed}"
    );
    assert!(!feed.contains("<script"), "summaries are escaped text");
    let label_feed = read(&root, "labels/自治体/atom.xml");
    assert_eq!(label_feed.matches("<entry>").count(), 1);
}

#[test]
fn notice_page_has_card_timeline_and_links() {
    let (_tmp, root) = built("basic");
    let page = read(&root, "notices/umi-2024-08-20/index.html");
    for needle in [
        "株式会社うみ商店",
        "令和6年8月20日",
        "決済情報の窃取",
        "900",
        "元の発表",
        "続報",
        "umi-2024-06-11",
        "umi-2024-11-15",
        "aria-current=\"page\"",
    ] {
        assert!(page.contains(needle), "notice page lacks {needle}");
    }
    assert!(
        !page.contains("<script>alert"),
        "raw HTML in a body is escaped"
    );
    assert!(page.contains("&lt;script&gt;"), "and shown as text");
    let last = read(&root, "notices/umi-2024-11-15/index.html");
    assert!(
        last.contains("サイト停止のお知らせ"),
        "an unarchived earlier release is listed"
    );
    assert!(last.contains("hl-"), "code is highlighted with classes");
    let client = read(&root, "notices/kumo-city-2023-10-13/index.html");
    assert!(
        client.contains("/archive/notices/sora-2023-10-06/"),
        "related notice linked"
    );
    let contractor = read(&root, "notices/sora-2023-10-06/index.html");
    assert!(
        contractor.contains("/archive/notices/kumo-city-2023-10-13/"),
        "and back"
    );
    let incident = read(&root, "incidents/umi-2024/index.html");
    assert!(
        incident.find("umi-2024-06-11").unwrap() < incident.find("umi-2024-11-15").unwrap(),
        "oldest first"
    );
    assert!(incident.contains("影響件数 900 → 1,200"), "what changed");
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let (_tmp, root) = fixture("basic");
    let (code, _, err) = run(jikenbo(&root).args(["build", "--jobs", "1", "--output", "one"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(jikenbo(&root).args(["build", "--jobs", "4", "--output", "four"]));
    assert_eq!(code, 0, "{err}");
    let a = tree(&root.join("one"));
    let b = tree(&root.join("four"));
    assert!(a.len() > 40);
    assert_eq!(a, b);
    // The same for the example archive at the repository root.
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = run(jikenbo(example)
        .args(["build", "--jobs", "1", "--output"])
        .arg(tmp.path().join("a")));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(jikenbo(example)
        .args(["build", "--jobs", "2", "--output"])
        .arg(tmp.path().join("b")));
    assert_eq!(code, 0, "{err}");
    assert_eq!(tree(&tmp.path().join("a")), tree(&tmp.path().join("b")));
}

#[test]
fn a_second_build_leaves_unchanged_files_alone() {
    let (_tmp, root) = built("basic");
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0);
    assert!(err.contains("nothing changed: 7 notices"), "{err}");
    // One edited notice rewrites only the files that show it.
    let path = root.join("content/notices/sora-2023-10-06.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("感染しました。", "感染しました。調査中です。"),
    )
    .unwrap();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0);
    let written: usize = err
        .split(" written")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        (1..=20).contains(&written),
        "only the files that show the notice: {err}"
    );
    assert!(read(&root, "notices/sora-2023-10-06/index.html").contains("調査中です"));
    // A deleted output is rebuilt, not trusted to the manifest.
    std::fs::remove_dir_all(root.join("public")).unwrap();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(root.join("public/index.html").is_file());
}

#[test]
fn base_url_can_be_overridden() {
    let (_tmp, root) = fixture("basic");
    let (code, _, err) =
        run(jikenbo(&root).args(["build", "--base-url", "https://casebook.example.jp"]));
    assert_eq!(code, 0, "{err}");
    let home = read(&root, "index.html");
    assert!(home.contains("href=\"/notices/umi-2024-11-15/\""), "{home}");
    assert!(read(&root, "robots.txt").contains("https://casebook.example.jp/sitemap.xml"));
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let (_tmp, root) = fixture("basic");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>迷子</h1>{% endblock main %}",
    )
    .unwrap();
    // The header is rendered once per build, from the site's own `header.html` when it has one.
    std::fs::write(
        root.join("templates/header.html"),
        "<header class=\"mine\">{{ site.title }}</header>",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/extra.txt"), "x").unwrap();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(read(&root, "404.html").contains("<h1>迷子</h1>"));
    assert_eq!(read(&root, "extra.txt"), "x");
    for page in [
        "index.html",
        "notices/umi-2024-06-11/index.html",
        "404.html",
    ] {
        let html = read(&root, page);
        assert_eq!(
            html.matches("<header class=\"mine\">テスト事件簿</header>")
                .count(),
            1,
            "{page}"
        );
        assert!(!html.contains("site-header"), "{page}");
    }
}

#[test]
fn dataset_json_csv_and_schema() {
    let (_tmp, root) = built("basic");
    let json: serde_json::Value = serde_json::from_str(&read(&root, "data/notices.json")).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 7);
    let last = list.iter().find(|r| r["id"] == "umi-2024-11-15").unwrap();
    assert_eq!(
        last["url"],
        "https://example.github.io/archive/notices/umi-2024-11-15/"
    );
    assert_eq!(last["incident"], "umi-2024");
    assert_eq!(last["vectors"][1]["veris"], "malware: Capture app data");
    assert_eq!(last["exposure"]["from"], "2023-10-01");
    // Explicit `follows`, plus the 第1報 its `refers` names (oldest first).
    assert_eq!(
        last["follows"],
        serde_json::json!(["umi-2024-06-11", "umi-2024-08-20"])
    );
    let first = list.iter().find(|r| r["id"] == "umi-2024-06-11").unwrap();
    assert_eq!(first["data"][0]["hibp"], "Credit cards");
    let csv = std::fs::read(root.join("public/data/notices.csv")).unwrap();
    assert!(
        csv.starts_with(b"\xef\xbb\xbfid,url,title,"),
        "UTF-8 BOM and header"
    );
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(text.matches("\r\n").count(), 8, "header + 7 rows, CRLF");
    assert!(text.contains(",\"2024-06-11\"") || text.contains(",2024-06-11,"));
    let schema: serde_json::Value = serde_json::from_str(&read(&root, "data/schema.json")).unwrap();
    assert_eq!(schema["items"]["properties"]["records"]["type"], "integer");
}

#[test]
fn stats_page_has_accessible_svg_charts() {
    let (_tmp, root) = built("basic");
    let stats = read(&root, "stats/index.html");
    assert_eq!(stats.matches("<svg class=\"chart\"").count(), 5);
    assert_eq!(stats.matches("<desc id=").count(), 5);
    assert_eq!(
        stats.matches("<details><summary>").count(),
        5,
        "every chart has a table"
    );
    assert!(stats.contains("決済情報の窃取"));
    assert!(!stats.contains("<script>alert"), "no content script");
}

#[test]
fn english_pages_when_site_toml_says_so() {
    let (_tmp, root) = fixture("basic");
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(root.join("site.toml"), format!("{toml}language = \"en\"\n")).unwrap();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    let page = read(&root, "notices/umi-2024-08-20/index.html");
    assert!(page.contains("<html lang=\"en\">"));
    assert!(
        page.contains("Payment card skimming") && page.contains("Records affected"),
        "{page}"
    );
    assert!(read(&root, "vectors/index.html").contains("Ransomware"));
}

#[test]
fn term_lists_are_paginated() {
    // 1,001 organizations (one notice each) and one called "Page": the list of organizations
    // takes three pages of 500, and "Page" keeps out of the way of /orgs/page/N/.
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).expect("mkdir");
    std::fs::write(
        root.join("site.toml"),
        "title = \"組織の多い事件簿\"\nbase_url = \"https://example.github.io/many/\"\n",
    )
    .expect("site.toml");
    for i in 0..1001 {
        let org = if i == 0 {
            "Page".to_string()
        } else {
            format!("株式会社テスト{i:04}")
        };
        std::fs::write(
            root.join("content").join(format!("n{i:04}.md")),
            format!(
                "+++\ntitle = \"不正アクセスに関するお知らせ\"\norg = \"{org}\"\npublished = 2024-05-01\nvectors = [\"unauthorized-access\"]\n+++\n\n当社サーバーへの不正アクセスを確認いたしました。\n"
            ),
        )
        .expect("notice");
    }
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    let first = read(&root, "orgs/index.html");
    let second = read(&root, "orgs/page/2/index.html");
    let third = read(&root, "orgs/page/3/index.html");
    let entries = |html: &str| html.matches("<li><a href=\"/many/orgs/").count();
    assert_eq!(
        (entries(&first), entries(&second), entries(&third)),
        (500, 500, 1)
    );
    assert!(first.contains("1001"), "the count of all organizations");
    assert!(
        first.contains(r#"rel="next" href="/many/orgs/page/2/""#),
        "{first}"
    );
    assert!(third.contains(r#"rel="prev" href="/many/orgs/page/2/""#));
    // Later pages have no sidebar, as later pages of the notice lists have none.
    assert!(first.contains(r#"<aside class="sidebar">"#));
    assert!(!second.contains(r#"<aside class="sidebar">"#));
    assert!(!root.join("public/orgs/page/4").exists());
    // page/1/ sends readers to the first page, as the notice lists do.
    assert!(read(&root, "orgs/page/1/index.html").contains("url=/many/orgs/"));
    // The organization "Page" has its own folder beside the pages of the list.
    let page_org = read(&root, "orgs/page-/index.html");
    assert!(page_org.contains("Page"), "{page_org}");
    // Short lists stay on one page.
    assert!(!root.join("public/years/page").exists());
    assert!(!read(&root, "years/index.html").contains(r#"class="pager""#));
}
