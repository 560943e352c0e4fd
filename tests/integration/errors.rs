use super::*;

/// Writes `rel` under the fixture, builds, and returns (code, stderr). The previous output
/// (from a good build) must be byte-identical afterwards.
fn break_and_build(rel: &str, text: &str) -> (i32, String) {
    let (_tmp, root) = fixture("basic");
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    let before = tree(&root.join("public"));
    std::fs::write(root.join(rel), text).unwrap();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(
        tree(&root.join("public")),
        before,
        "a failed build must leave public/ as it was"
    );
    (code, err)
}

#[test]
fn unknown_front_matter_key_names_file_and_line() {
    let (code, err) = break_and_build(
        "content/notices/bad.md",
        "+++\ntitle = \"x\"\npublished = 2024-01-01\ncolour = \"red\"\n+++\n本文\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "content/notices/bad.md:4: error: invalid front matter: unknown field `colour`"
        ),
        "{err}"
    );
}

#[test]
fn invalid_date_and_unknown_vector() {
    let (code, err) = break_and_build(
        "content/notices/bad.md",
        "+++\ntitle = \"x\"\nvectors = [\"ransom\"]\n+++\n本文\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("content/notices/bad.md:3: error: unknown vector `ransom`"),
        "{err}"
    );
    let (code, err) = break_and_build(
        "content/notices/bad.md",
        "---\ntitle: x\npublished: 2024-02-30\n---\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("bad.md:3: error: invalid front matter"),
        "{err}"
    );
    assert!(err.contains("not a valid date"), "{err}");
}

#[test]
fn dangling_follows_and_cycles() {
    let (code, err) = break_and_build(
        "content/notices/bad.md",
        "+++\ntitle = \"x\"\npublished = 2024-01-01\nfollows = [\"nope\"]\n+++\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("bad.md:4: error: follows names `nope`, but no notice has that id"),
        "{err}"
    );
    let (_tmp, root) = fixture("basic");
    std::fs::write(
        root.join("content/notices/a.md"),
        "+++\ntitle = \"a\"\npublished = 2024-01-01\nfollows = [\"b\"]\n+++\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/notices/b.md"),
        "+++\ntitle = \"b\"\npublished = 2024-01-02\nfollows = [\"a\"]\n+++\n",
    )
    .unwrap();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 1);
    assert!(
        err.contains("`follows` forms a cycle: a → b → a")
            || err.contains("`follows` forms a cycle: b → a → b"),
        "{err}"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn duplicate_ids_name_both_files() {
    let (code, err) = break_and_build("content/inbox/umi-2024-06-11.txt", "重複\n");
    assert_eq!(code, 1);
    assert!(err.contains("duplicate id `umi-2024-06-11`"), "{err}");
    assert!(
        err.contains("content/inbox/umi-2024-06-11.txt")
            && err.contains("content/notices/umi-2024-06-11.md"),
        "{err}"
    );
}

#[test]
fn terms_on_one_path_are_an_error_naming_both() {
    let (code, err) = break_and_build(
        "content/notices/bad.md",
        "+++\ntitle = \"x\"\npublished = 2024-01-01\nlabels = [\"ecサイト\"]\n+++\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("`ecサイト` and `ECサイト`") || err.contains("`ECサイト` and `ecサイト`"),
        "{err}"
    );
    assert!(err.contains("/labels/ecサイト/"), "{err}");
    let (code, err) = break_and_build(
        "content/notices/bad.md",
        "+++\ntitle = \"x\"\npublished = 2024-01-01\nlabels = [\"///\"]\n+++\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("bad.md:4: error: labels `///` gives an empty URL path"),
        "{err}"
    );
}

#[test]
fn binary_and_empty_files_are_named() {
    let (code, err) = break_and_build("content/inbox/junk.txt", "\u{0}\u{1}\u{2}binary");
    assert_eq!(code, 1);
    assert!(
        err.contains("content/inbox/junk.txt: error: cannot read as text"),
        "{err}"
    );
    let (code, err) = break_and_build("content/notices/empty.md", "");
    assert_eq!(code, 1);
    assert!(
        err.contains("content/notices/empty.md: error: the file is empty"),
        "{err}"
    );
}

#[test]
fn bad_site_toml_names_its_line() {
    let (code, err) = break_and_build(
        "site.toml",
        "title = \"x\"\nbase_url = \"https://a.example/\"\npaginate = 3\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("site.toml:3: unknown field `paginate`"),
        "{err}"
    );
}

#[test]
fn unclosed_front_matter() {
    let (code, err) = break_and_build("content/notices/bad.md", "+++\ntitle = \"x\"\n本文\n");
    assert_eq!(code, 1);
    assert!(
        err.contains("bad.md:1: error: front matter opened with `+++` is never closed"),
        "{err}"
    );
}

/// `kill -9` at any moment of a build leaves a complete output: the previous one or the new one,
/// never a mix or nothing (the new site is swapped in with one atomic exchange).
#[test]
fn kill_9_during_a_build_leaves_a_complete_output() {
    let (_tmp, root) = fixture("basic");
    let notices = root.join("content/notices");
    let template = std::fs::read_to_string(notices.join("umi-2024-06-11.md")).unwrap();
    for i in 0..150 {
        let text = template.replace("umi-2024", &format!("bulk-{i}")).replace(
            "2024-06-11",
            &format!("2023-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
        );
        std::fs::write(notices.join(format!("bulk-{i:03}.md")), text).unwrap();
    }
    let started = std::time::Instant::now();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    // Kill at fractions of a whole build's time, so some kills land in the write and swap.
    let full = started.elapsed().as_millis() as u64;
    let before = tree(&root.join("public"));
    // Version B: one title changed.
    std::fs::write(
        notices.join("bulk-000.md"),
        template
            .replace("（第1報）", "（第1報・訂正）")
            .replace("umi-2024", "bulk-0")
            .replace("2024-06-11", "2023-01-01"),
    )
    .unwrap();
    let mut after: Option<Vec<(String, Vec<u8>)>> = None;
    let mut outcomes = (0, 0);
    for percent in [30u64, 80, 92, 100, 110, 130] {
        let delay_ms = full * percent / 100;
        let mut child = jikenbo(&root)
            .arg("build")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = tree(&root.join("public"));
        if now == before {
            outcomes.0 += 1;
        } else {
            match &after {
                Some(a) => assert!(
                    &now == a,
                    "after a kill at {delay_ms} ms the output is neither the old nor the new site"
                ),
                None => {
                    // The first new-looking output must be exactly what a full build makes.
                    let (code, _, err) =
                        run(jikenbo(&root).args(["build", "--output", "reference"]));
                    assert_eq!(code, 0, "{err}");
                    let reference = tree(&root.join("reference"));
                    assert!(
                        now == reference,
                        "after a kill at {delay_ms} ms the output is a partial site"
                    );
                    after = Some(reference);
                }
            }
            outcomes.1 += 1;
        }
    }
    eprintln!(
        "kills that left the old site: {}, the new site: {}",
        outcomes.0, outcomes.1
    );
    // A later build cleans up whatever the killed ones left beside the output.
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("jikenbo-staging") || n.contains("jikenbo-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn two_builds_at_once_do_not_share_an_output() {
    let (_tmp, root) = fixture("basic");
    let out = root.join("public");
    let _held = jikenbo::output::lock(&out).unwrap();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 1);
    assert!(err.contains("another jikenbo build is writing"), "{err}");
}

/// A folder of bad files: every one is named in one report, the build exits 1 quickly, and
/// nothing panics or hangs (a build over all of them finishes in seconds).
#[test]
fn bad_files_are_each_reported_without_panic_or_hang() {
    let (_tmp, root) = fixture("basic");
    let bad = root.join("content/bad");
    std::fs::create_dir_all(&bad).unwrap();
    let alias_bomb = "---\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n---\n本文\n";
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "binary.txt",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe, 0],
        ),
        (
            "undecodable.txt",
            vec![
                0x82, 0xa0, 0xff, 0xfe, 0x80, 0x81, 0xfc, 0xfd, 0xfe, 0xff, 0x80, 0x80,
            ],
        ),
        ("empty.md", Vec::new()),
        ("alias-bomb.md", alias_bomb.as_bytes().to_vec()),
        (
            "overflow.md",
            b"+++\ntitle = \"x\"\nrecords = 99999999999999999999999\n+++\n".to_vec(),
        ),
        (
            "year-out-of-range.md",
            b"+++\ntitle = \"x\"\npublished = 0999-01-01\n+++\n".to_vec(),
        ),
        (
            "deep-yaml.md",
            format!(
                "---\ntitle: {}{}\n---\n",
                "[".repeat(50_000),
                "]".repeat(50_000)
            )
            .into_bytes(),
        ),
    ];
    for (name, bytes) in &files {
        std::fs::write(bad.join(name), bytes).unwrap();
    }
    // Usable but hostile bodies: a 10 MB line, 50,000-deep blockquotes and lists.
    std::fs::write(
        bad.join("long-line.md"),
        format!(
            "+++\ntitle = \"長い行\"\npublished = 2024-01-01\n+++\n{}\n",
            "漏えい".repeat(1_200_000)
        ),
    )
    .unwrap();
    std::fs::write(
        bad.join("deep-quote.md"),
        format!(
            "+++\ntitle = \"深い引用\"\npublished = 2024-01-02\n+++\n{}本文\n",
            "> ".repeat(50_000)
        ),
    )
    .unwrap();
    std::fs::write(
        bad.join("deep-list.md"),
        format!(
            "+++\ntitle = \"深い箇条書き\"\npublished = 2024-01-03\n+++\n{}\n",
            (0..5_000)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect::<String>()
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    let took = started.elapsed();
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for (name, _) in &files {
        assert!(
            err.contains(&format!("content/bad/{name}")),
            "{name} is not named in:\n{err}"
        );
    }
    for ok in ["long-line.md", "deep-quote.md", "deep-list.md"] {
        let errors_for_it = err
            .lines()
            .filter(|l| l.starts_with(&format!("content/bad/{ok}")) && l.contains(": error:"))
            .count();
        assert_eq!(errors_for_it, 0, "{ok} should be usable:\n{err}");
    }
    assert!(took < std::time::Duration::from_secs(120), "took {took:?}");
    // Without the broken ones the hostile bodies build.
    for (name, _) in &files {
        std::fs::remove_file(bad.join(name)).unwrap();
    }
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(root.join("public/notices/deep-quote/index.html").is_file());
}

#[test]
fn slug_page_is_refused() {
    // /orgs/page/N/ are the later pages of the list of organizations.
    let (_tmp, root) = fixture("basic");
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let (code, err) = break_and_build(
        "site.toml",
        &format!("{toml}\n[slugs.orgs]\n\"株式会社うみ商店\" = \"page\"\n"),
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("site.toml:") && err.contains("slug `page`") && err.contains("/orgs/page/2/"),
        "{err}"
    );
}
