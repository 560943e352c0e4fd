use super::*;
use std::collections::BTreeSet;

type Pairs = BTreeSet<(String, String)>;

fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Builds `root` into `out` and returns the dataset's (follows, related) links as id pairs.
fn links(root: &Path) -> (Pairs, Pairs, serde_json::Value) {
    let (code, _, err) = run(jikenbo(root).arg("build"));
    assert_eq!(code, 0, "{err}");
    let data: serde_json::Value = serde_json::from_str(&read(root, "data/notices.json")).unwrap();
    let mut follows = Pairs::new();
    let mut related = Pairs::new();
    for r in data.as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        for f in r["follows"].as_array().unwrap() {
            follows.insert((id.to_string(), f.as_str().unwrap().to_string()));
        }
        for f in r["related"].as_array().unwrap() {
            related.insert(pair(id, f.as_str().unwrap()));
        }
    }
    (follows, related, data)
}

fn score(name: &str, found: &Pairs, truth: &Pairs) -> (usize, usize, usize) {
    let hit = found.intersection(truth).count();
    let missed = truth.difference(found).count();
    let wrong = found.difference(truth).count();
    eprintln!(
        "{name}: {hit} found, {missed} missed, {wrong} wrong; wrong: {:?}; missed: {:?}",
        found.difference(truth).collect::<Vec<_>>(),
        truth.difference(found).collect::<Vec<_>>()
    );
    (hit, missed, wrong)
}

#[test]
fn text_references_and_contractors_link_without_front_matter() {
    let (_tmp, root) = fixture("links");
    let (follows, related, _) = links(&root);
    let truth_follows: Pairs = [
        ("kaze-2024-08-20", "kaze-2024-06-11"),
        ("kaze-2024-11-15", "kaze-2024-08-20"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let truth_related: Pairs = [
        pair("nagi-city-2024-09-06", "hayate-2024-09-02"),
        pair("ibuki-2024-09-10", "hayate-2024-09-02"),
    ]
    .into_iter()
    .collect();
    assert_eq!(score("follows", &follows, &truth_follows), (2, 0, 0));
    assert_eq!(score("related", &related, &truth_related), (2, 0, 0));
    // Same-day release of another company: not linked, in no incident.
    let page = read(&root, "notices/tsuki-2024-06-11/index.html");
    assert!(
        !page.contains("kaze-2024"),
        "no wrong link to a same-day release"
    );
    // The first report leads forward, the final report back; one incident page holds all three.
    let first = read(&root, "notices/kaze-2024-06-11/index.html");
    assert!(
        first.contains("/links/notices/kaze-2024-08-20/"),
        "first report links its follow-up"
    );
    let incident = read(&root, "incidents/kaze-2024-06-11/index.html");
    for id in ["kaze-2024-06-11", "kaze-2024-08-20", "kaze-2024-11-15"] {
        assert!(incident.contains(id), "incident page lists {id}");
    }
    let contractor = read(&root, "incidents/hayate-2024-09-02/index.html");
    assert!(
        contractor.contains("凪市") && contractor.contains("いぶき信用金庫"),
        "clients on the contractor's incident"
    );
    // The release the archive lacks is shown and is a check warning.
    let ibuki = read(&root, "notices/ibuki-2024-09-10/index.html");
    assert!(
        ibuki.contains("キャンペーン当選者の誤掲載について"),
        "unarchived earlier release shown"
    );
    let (code, out, _) = run(jikenbo(&root).args(["check", "--format", "json"]));
    assert_eq!(code, 0, "warnings only");
    assert!(
        out.contains("refers to an earlier release the archive does not hold: 2024-07-04"),
        "{out}"
    );
}

#[test]
fn follow_up_before_original_links_both_ways_once_added() {
    let (_tmp, root) = fixture("links");
    let original = root.join("content/kaze-2024-06-11.txt");
    let text = std::fs::read_to_string(&original).unwrap();
    std::fs::remove_file(&original).unwrap();
    let (follows, _, _) = links(&root);
    assert!(!follows.iter().any(|(a, _)| a == "kaze-2024-08-20"));
    let page = read(&root, "notices/kaze-2024-08-20/index.html");
    assert!(page.contains("未収録の過去の発表"), "shown as unarchived");
    // The original arrives later; the follow-up is not edited.
    std::fs::write(&original, text).unwrap();
    let (follows, _, _) = links(&root);
    assert!(follows.contains(&("kaze-2024-08-20".to_string(), "kaze-2024-06-11".to_string())));
    assert!(read(&root, "notices/kaze-2024-06-11/index.html")
        .contains("/links/notices/kaze-2024-08-20/"));
}

/// The seven posts of a real casebook label page (read from ../shared/notices, not copied
/// into the repository): the two 2024-217 notices belong together, and so do the contractor
/// 倉業サービス and its client リコージャパン; nothing else.
#[test]
fn casebook_page_groups_the_right_posts() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/notices/casebook-label-page-final-reports.txt");
    assert!(
        page.is_file(),
        "{} is missing: CI runs with ../shared beside the clone",
        page.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        "title = \"casebook\"\nbase_url = \"https://example.github.io/c/\"\n",
    )
    .unwrap();
    std::fs::copy(&page, root.join("content/casebook.txt")).unwrap();
    let (_, _, data) = links(root);
    let rows = data.as_array().unwrap();
    assert_eq!(rows.len(), 7);
    let org_of = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .and_then(|r| r["org"].as_str())
            .unwrap_or("")
            .to_string()
    };
    let mut together = Pairs::new();
    for a in rows {
        for b in rows {
            let (ia, ib) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
            if ia < ib && a["incident"].is_string() && a["incident"] == b["incident"] {
                together.insert((org_of(ia), org_of(ib)));
            }
        }
    }
    let by_org = |a: &str, b: &str| {
        if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let truth: Pairs = [
        by_org("株式会社東海信金ビジネス", "静清信用金庫"),
        by_org("リコージャパン株式会社", "株式会社倉業サービス"),
    ]
    .into_iter()
    .collect();
    let together: Pairs = together.into_iter().map(|(a, b)| by_org(&a, &b)).collect();
    assert_eq!(score("casebook pairs", &together, &truth), (2, 0, 0));
}
