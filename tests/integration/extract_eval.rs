//! Extraction evaluation (issue 3): fictional notices in every form and encoding
//! (`tests/fixtures/extract/`), and the real notices of `../shared/notices` when present, run
//! through the library pipeline and scored field by field against what a careful reader records.
//!
//! Each scored field of each notice is one of: correct (equal, or absent on both sides), wrong
//! (both present, different), missing (expected, not extracted) or spurious (extracted, not
//! stated). The table is printed (`cargo test --test integration extract_eval -- --nocapture`);
//! the test fails when the overall score drops below a floor a little under today's score.

use jikenbo::date::Date;
use jikenbo::extract;
use jikenbo::notice::{Exposure, Meta, Refer};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Overall score the fictional set must keep (fraction of scored fields correct).
const FIXTURE_FLOOR: f64 = 0.97;
/// Overall score the shared real notices must keep.
const SHARED_FLOOR: f64 = 0.97;

const FIELDS: [&str; 12] = [
    "title",
    "org",
    "published",
    "discovered",
    "exposure",
    "records",
    "cards",
    "data",
    "vectors",
    "labels",
    "incident",
    "refers",
];

/// One notice's expected values; an absent field means "not stated".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    title: Option<String>,
    org: Option<String>,
    /// Other spellings of the issuer a reader would accept (「医療法人さくら会 さくら通りクリニック」).
    #[serde(default)]
    org_alt: Vec<String>,
    published: Option<Date>,
    discovered: Option<Date>,
    exposure: Option<Exposure>,
    /// Only the start of the exposure is stated (scored as `exposure`).
    exposure_from: Option<Date>,
    records: Option<u64>,
    cards: Option<u64>,
    data: Option<Vec<String>>,
    vectors: Option<Vec<String>>,
    labels: Option<Vec<String>>,
    incident: Option<String>,
    refers: Option<Vec<Refer>>,
    /// Fields not scored for this notice.
    #[serde(default)]
    skip: Vec<String>,
    /// When set, the only fields scored.
    #[serde(default)]
    only: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Correct,
    Absent,
    Wrong,
    Missing,
    Spurious,
}

/// Text compared as a reader compares it: NFKC, whitespace ignored.
fn norm(s: &str) -> String {
    jikenbo::text::nfkc(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn set(v: &[String]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| norm(s)).collect();
    v.sort();
    v.dedup();
    v
}

fn refer_keys(v: &[Refer]) -> Vec<(Option<Date>, String)> {
    let mut keys: Vec<(Option<Date>, String)> = v
        .iter()
        .map(|r| match r.date {
            Some(d) => (Some(d), r.title.as_deref().map(norm).unwrap_or_default()),
            None => (None, r.stage.clone().unwrap_or_default()),
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn judge<T: PartialEq>(want: Option<T>, got: Option<T>, eq: impl Fn(&T, &T) -> bool) -> Verdict {
    match (want, got) {
        (None, None) => Verdict::Absent,
        (Some(_), None) => Verdict::Missing,
        (None, Some(_)) => Verdict::Spurious,
        (Some(w), Some(g)) if eq(&w, &g) => Verdict::Correct,
        _ => Verdict::Wrong,
    }
}

/// The verdict on one field, with the two values shown for a report.
fn score_field(field: &str, want: &Expect, got: &Meta) -> (Verdict, String, String) {
    let show = |v: &dyn std::fmt::Debug| format!("{v:?}");
    match field {
        "title" => (
            judge(want.title.as_ref(), got.title.as_ref(), |a, b| {
                norm(a) == norm(b)
            }),
            show(&want.title),
            show(&got.title),
        ),
        "org" => (
            judge(want.org.as_ref(), got.org.as_ref(), |a, b| {
                norm(a) == norm(b) || want.org_alt.iter().any(|alt| norm(alt) == norm(b))
            }),
            show(&want.org),
            show(&got.org),
        ),
        "published" => (
            judge(want.published, got.published, |a, b| a == b),
            show(&want.published),
            show(&got.published),
        ),
        "discovered" => (
            judge(want.discovered, got.discovered, |a, b| a == b),
            show(&want.discovered),
            show(&got.discovered),
        ),
        "exposure" => match want.exposure_from {
            Some(from) => (
                judge(
                    Some(from),
                    got.exposure.as_ref().and_then(|e| e.from),
                    |a, b| a == b,
                ),
                show(&want.exposure_from),
                show(&got.exposure),
            ),
            None => (
                judge(want.exposure.as_ref(), got.exposure.as_ref(), |a, b| a == b),
                show(&want.exposure),
                show(&got.exposure),
            ),
        },
        "records" => (
            judge(want.records, got.records, |a, b| a == b),
            show(&want.records),
            show(&got.records),
        ),
        "cards" => (
            judge(want.cards, got.cards, |a, b| a == b),
            show(&want.cards),
            show(&got.cards),
        ),
        "data" => (
            judge(want.data.as_deref(), got.data.as_deref(), |a, b| {
                set(a) == set(b)
            }),
            show(&want.data),
            show(&got.data),
        ),
        "vectors" => (
            judge(want.vectors.as_deref(), got.vectors.as_deref(), |a, b| {
                set(a) == set(b)
            }),
            show(&want.vectors),
            show(&got.vectors),
        ),
        "labels" => (
            judge(want.labels.as_deref(), got.labels.as_deref(), |a, b| {
                set(a) == set(b)
            }),
            show(&want.labels),
            show(&got.labels),
        ),
        "incident" => (
            judge(want.incident.as_ref(), got.incident.as_ref(), |a, b| a == b),
            show(&want.incident),
            show(&got.incident),
        ),
        "refers" => (
            judge(want.refers.as_deref(), got.refers.as_deref(), |a, b| {
                refer_keys(a) == refer_keys(b)
            }),
            show(&want.refers.as_deref().map(refer_keys)),
            show(&got.refers.as_deref().map(refer_keys)),
        ),
        _ => unreachable!("unknown field {field}"),
    }
}

/// The notices of one raw file, as `import`/`build` see them: decoded, HTML made text, casebook
/// pages split, each post's stated header over what extraction finds.
fn notices_of(path: &Path) -> Vec<Meta> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = extract::decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let plain = if path.extension().is_some_and(|e| e == "html" || e == "htm") {
        extract::html_to_text(&text)
    } else {
        text
    };
    extract::split_posts(&plain)
        .into_iter()
        .map(|p| p.meta.or(extract::extract(&p.text)))
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Tally {
    correct: usize,
    absent: usize,
    wrong: usize,
    missing: usize,
    spurious: usize,
}

impl Tally {
    fn add(&mut self, v: Verdict) {
        match v {
            Verdict::Correct => self.correct += 1,
            Verdict::Absent => self.absent += 1,
            Verdict::Wrong => self.wrong += 1,
            Verdict::Missing => self.missing += 1,
            Verdict::Spurious => self.spurious += 1,
        }
    }
    fn total(&self) -> usize {
        self.correct + self.absent + self.wrong + self.missing + self.spurious
    }
    fn score(&self) -> f64 {
        if self.total() == 0 {
            return 1.0;
        }
        (self.correct + self.absent) as f64 / self.total() as f64
    }
}

struct Evaluation {
    per_field: BTreeMap<&'static str, Tally>,
    overall: Tally,
    misses: Vec<String>,
    notices: usize,
}

/// Scores every notice of `expected` (keys `file` or `file#n`, files under `dir`).
fn evaluate(dir: &Path, expected: &BTreeMap<String, Expect>) -> Evaluation {
    let mut by_file: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for key in expected.keys() {
        let (file, n) = match key.split_once('#') {
            Some((f, n)) => (f, n.parse::<usize>().expect("post number")),
            None => (key.as_str(), 1),
        };
        by_file.entry(file).or_default().push((n, key.as_str()));
    }
    let mut eval = Evaluation {
        per_field: FIELDS.iter().map(|f| (*f, Tally::default())).collect(),
        overall: Tally::default(),
        misses: Vec::new(),
        notices: 0,
    };
    for (file, posts) in by_file {
        let metas = notices_of(&dir.join(file));
        let many = posts.len() > 1 || posts[0].1.contains('#');
        assert!(
            !many || metas.len() == posts.iter().map(|p| p.0).max().unwrap_or(0),
            "{file}: {} notices extracted, the expectations name {}",
            metas.len(),
            posts.len()
        );
        for (n, key) in posts {
            let want = &expected[key];
            let got = metas
                .get(n - 1)
                .unwrap_or_else(|| panic!("{key}: no such notice"));
            eval.notices += 1;
            for field in FIELDS {
                let skipped = want.skip.iter().any(|s| s == field)
                    || !want.only.is_empty() && !want.only.iter().any(|s| s == field);
                if skipped {
                    continue;
                }
                let (v, w, g) = score_field(field, want, got);
                eval.per_field.get_mut(field).expect("field").add(v);
                eval.overall.add(v);
                if !matches!(v, Verdict::Correct | Verdict::Absent) {
                    eval.misses
                        .push(format!("{key} {field} {v:?}: want {w}, got {g}"));
                }
            }
        }
    }
    eval
}

fn table(name: &str, eval: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{name}: {} notices", eval.notices);
    let _ = writeln!(
        out,
        "| field | correct (of which absent) | wrong | missing | spurious | score |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    let row = |out: &mut String, f: &str, t: &Tally| {
        let _ = writeln!(
            out,
            "| {f} | {} ({}) | {} | {} | {} | {:.1}% |",
            t.correct + t.absent,
            t.absent,
            t.wrong,
            t.missing,
            t.spurious,
            t.score() * 100.0
        );
    };
    for (f, t) in &eval.per_field {
        if t.total() > 0 {
            row(&mut out, f, t);
        }
    }
    row(&mut out, "**overall**", &eval.overall);
    for m in &eval.misses {
        let _ = writeln!(out, "  miss: {m}");
    }
    out
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract")
}

fn load(path: &Path) -> BTreeMap<String, Expect> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn fixtures_cover_the_issue() {
    let dir = fixtures_dir();
    let expected = load(&dir.join("expected.toml"));
    assert!(expected.len() >= 40, "{} notices", expected.len());
    // Every file has expectations and every expectation a file.
    for e in std::fs::read_dir(&dir).expect("fixtures") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        if name.ends_with(".txt") || name.ends_with(".html") {
            assert!(
                expected
                    .keys()
                    .any(|k| k == &name || k.starts_with(&format!("{name}#"))),
                "{name} has no expected values"
            );
        }
    }
    // Every vector and every stage occurs in the expectations.
    let mut vectors: Vec<&str> = Vec::new();
    let mut labels: Vec<&str> = Vec::new();
    for e in expected.values() {
        vectors.extend(e.vectors.iter().flatten().map(String::as_str));
        labels.extend(e.labels.iter().flatten().map(String::as_str));
    }
    for (id, ..) in jikenbo::vocab::BUILTIN_VECTORS {
        assert!(vectors.contains(&id), "no fixture for vector {id}");
    }
    for stage in ["第1報", "第2報", "第3報", "続報", "最終報告"] {
        assert!(labels.contains(&stage), "no fixture for stage {stage}");
    }
}

#[test]
fn extraction_scores_on_fictional_notices() {
    let dir = fixtures_dir();
    let eval = evaluate(&dir, &load(&dir.join("expected.toml")));
    println!("{}", table("fictional notices", &eval));
    let score = eval.overall.score();
    assert!(
        score >= FIXTURE_FLOOR,
        "overall {:.1}% < floor {:.1}%{}",
        score * 100.0,
        FIXTURE_FLOOR * 100.0,
        table("fictional notices", &eval)
    );
}

#[test]
fn extraction_scores_on_shared_notices() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/notices");
    if !shared.is_dir() {
        println!(
            "skipped: {} is absent (the shared real notices sit beside the repository in CI)",
            shared.display()
        );
        return;
    }
    let expected = load(&fixtures_dir().join("shared-notices.toml"));
    let eval = evaluate(&shared, &expected);
    println!("{}", table("shared real notices", &eval));
    let score = eval.overall.score();
    assert!(
        score >= SHARED_FLOOR,
        "overall {:.1}% < floor {:.1}%{}",
        score * 100.0,
        SHARED_FLOOR * 100.0,
        table("shared real notices", &eval)
    );
    // The Shibushi notice as web text and as PDF text extracts alike (the PDF has a heading
    // line the web copy lacks: title and review may differ).
    let strip = |m: Meta| Meta {
        title: None,
        review: None,
        ..m
    };
    let web = notices_of(&shared.join("shibushi-2023-card-leak.txt"));
    let pdf = notices_of(&shared.join("shibushi-2023-card-leak.pdf-text.txt"));
    assert_eq!(
        web.into_iter().map(strip).collect::<Vec<_>>(),
        pdf.into_iter().map(strip).collect::<Vec<_>>()
    );
}
