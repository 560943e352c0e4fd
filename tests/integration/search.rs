//! The search index: files, determinism, what queries find, and what one query downloads.
//!
//! [`Sim`] does in Rust what `search.js` does in the browser (same keys, shards, postings,
//! verification and paging), reading files instead of fetching them, so it can count the bytes
//! a visitor downloads for one query. `budget_10k` (ignored: run it with
//! `cargo test --test integration search::budget_10k -- --ignored --nocapture`)
//! prints the figures for a synthetic 10,000-notice archive; `budget_2k` checks the same budget
//! on 2,000 notices in every test run.

use super::*;
use jikenbo::output::search::{
    decode_postings, normalize, query_keys, shard_of, shard_path, PAGE_SIZE,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What a visitor downloads for one query, and what they see on the first results page.
#[derive(Debug, Default)]
pub struct Sim {
    /// Titles of the first results page, in order.
    pub titles: Vec<String>,
    /// Candidates from the index (before verification).
    pub candidates: usize,
    /// Files fetched.
    pub files: BTreeSet<String>,
    /// Bytes fetched.
    pub bytes: usize,
}

/// Runs `q` with `filters` (`[("vector", "ransomware")]`) against built search files.
pub fn simulate(get: &dyn Fn(&str) -> Option<Vec<u8>>, q: &str, filters: &[(&str, &str)]) -> Sim {
    let mut sim = Sim::default();
    let fetch = |sim: &mut Sim, path: String| -> Value {
        let bytes = get(&path).unwrap_or_else(|| panic!("missing {path}"));
        if sim.files.insert(path) {
            sim.bytes += bytes.len();
        }
        serde_json::from_slice(&bytes).expect("JSON")
    };
    let fetch_text = |sim: &mut Sim, path: String| -> String {
        let bytes = get(&path).unwrap_or_else(|| panic!("missing {path}"));
        if sim.files.insert(path) {
            sim.bytes += bytes.len();
        }
        String::from_utf8(bytes).expect("UTF-8")
    };
    let meta = fetch(&mut sim, "search/meta.json".into());
    let shards = meta["shards"].as_u64().unwrap() as usize;
    let nq = normalize(q);
    let keys = query_keys(&nq);
    let mut lists: Vec<Vec<u32>> = Vec::new();
    for k in &keys {
        let shard = fetch(&mut sim, shard_path(shard_of(k, shards)));
        lists.push(
            shard[k.as_str()]
                .as_str()
                .map(|s| decode_postings(s).expect("valid postings"))
                .unwrap_or_default(),
        );
    }
    for (kind, value) in filters {
        let at = meta["filters"][*kind]
            .as_array()
            .unwrap()
            .iter()
            .position(|e| e[0] == *value);
        lists.push(match at {
            Some(i) => {
                let v = fetch(&mut sim, format!("search/filters/{kind}/{i}.json"));
                decode_postings(v.as_str().unwrap()).unwrap()
            }
            None => Vec::new(),
        });
    }
    assert!(!lists.is_empty(), "a query or a filter");
    lists.sort_by_key(|l| l.len());
    let mut cands = lists[0].clone();
    for l in &lists[1..] {
        cands.retain(|d| l.binary_search(d).is_ok());
    }
    sim.candidates = cands.len();
    // The first page: batches of the missing count, at most three pages' worth of notices.
    let (mut pos, mut fetched) = (0, 0);
    while sim.titles.len() < PAGE_SIZE && pos < cands.len() && fetched < 3 * PAGE_SIZE {
        let need = PAGE_SIZE - sim.titles.len();
        let batch: Vec<u32> = cands[pos..(pos + need).min(cands.len())].to_vec();
        pos += batch.len();
        fetched += batch.len();
        for n in batch {
            let per = meta["docs_per_file"].as_u64().unwrap() as u32;
            let chunk = fetch(&mut sim, format!("search/docs/{}.json", n / per));
            let doc = chunk[(n % per) as usize].clone();
            // The text comes from the notice's own page, as in search.js.
            let url = doc["url"].as_str().unwrap();
            let rel = url.strip_prefix("/archive/").unwrap_or(url);
            let page = fetch_text(&mut sim, format!("{rel}index.html"));
            let mut fields = vec![
                doc["title"].clone(),
                doc["org"].clone(),
                serde_json::Value::String(page_text(&page)),
            ];
            for t in doc["vectors"]
                .as_array()
                .unwrap()
                .iter()
                .chain(doc["labels"].as_array().unwrap())
            {
                fields.push(t["key"].clone());
                fields.push(t["name"].clone());
            }
            let hit = nq.is_empty()
                || fields
                    .iter()
                    .filter_map(|f| f.as_str())
                    .any(|f| normalize(f).contains(&nq));
            if hit {
                sim.titles.push(doc["title"].as_str().unwrap().to_string());
            }
        }
    }
    sim
}

/// The text of a notice page's body (`data-search-text`), tags dropped, entities decoded.
fn page_text(html: &str) -> String {
    let start = html
        .find("data-search-text>")
        .map(|i| i + "data-search-text>".len())
        .unwrap_or(0);
    let body = &html[start..];
    let body = &body[..body.find("\n  </div>").unwrap_or(body.len())];
    let tags = regex::Regex::new(r"<[^>]*>").unwrap();
    tags.replace_all(body, "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Reads files of a built site's output folder.
fn from_dir(dir: &Path) -> impl Fn(&str) -> Option<Vec<u8>> + '_ {
    move |p| std::fs::read(dir.join(p)).ok()
}

#[test]
fn index_files_exist_and_are_deterministic() {
    let (_tmp, root) = fixture("basic");
    for (jobs, out) in [("1", "one"), ("4", "four")] {
        let (code, _, err) = run(jikenbo(&root).args(["build", "--jobs", jobs, "--output", out]));
        assert_eq!(code, 0, "{err}");
    }
    let search = |out: &str| -> Vec<(String, Vec<u8>)> { tree(&root.join(out).join("search")) };
    let one = search("one");
    assert_eq!(one, search("four"), "byte-identical for any --jobs");
    let names: Vec<&str> = one.iter().map(|(n, _)| n.as_str()).collect();
    for f in [
        "meta.json",
        "index.html",
        "index/000.json",
        "docs/0.json",
        "filters/vector/0.json",
        "filters/year/0.json",
        "filters/label/0.json",
    ] {
        assert!(names.contains(&f), "missing search/{f} in {names:?}");
    }
    assert!(
        !names.contains(&"docs/1.json"),
        "result entries in chunks of 16 notices"
    );
    let out = root.join("one");
    let meta: Value =
        serde_json::from_slice(&std::fs::read(out.join("search/meta.json")).unwrap()).unwrap();
    assert_eq!(meta["docs"], 7);
    assert_eq!(meta["version"], 1);
    assert!(meta["filters"]["vector"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(["ransomware", 2])));
    // The page and every header point under the subpath; nothing hard-codes `/`.
    let page = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    for needle in [
        "data-meta=\"/archive/search/meta.json\"",
        "data-index=\"/archive/search/index/\"",
        "data-docs=\"/archive/search/docs/\"",
        "data-filters=\"/archive/search/filters/\"",
        "/archive/search.js?v=",
        "<option value=\"ransomware\">",
        "<option value=\"最終報告\">",
    ] {
        assert!(page.contains(needle), "search page lacks {needle}");
    }
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("<form class=\"search-box\" action=\"/archive/search/\""),
        "header search box"
    );
    assert!(out.join("search.js").is_file());
}

#[test]
fn queries_find_what_the_notices_contain() {
    let (_tmp, root) = built("basic");
    let out = root.join("public");
    let get = from_dir(&out);
    let titles = |q: &str, filters: &[(&str, &str)]| simulate(&get, q, filters).titles;
    assert_eq!(
        titles("ランサムウェア", &[]),
        [
            "委託事業者におけるランサムウェア被害について",
            "ランサムウェア被害に関するお知らせ"
        ]
    );
    assert_eq!(
        titles("ランサムウェア", &[("vector", "remote-access")]),
        ["ランサムウェア被害に関するお知らせ"]
    );
    assert_eq!(
        titles("ＲＡＮＳＯＭＷＡＲＥ", &[]),
        titles("ランサムウェア", &[]),
        "vector ids are indexed, in any width and case"
    );
    // A contractor named only in a body, written `株式会社 ひかり工業` there.
    let midori = ["個人情報を含む書類の誤送付について"];
    assert_eq!(titles("株式会社ひかり工業", &[]), midori);
    assert_eq!(titles("株式会社 ひかり工業", &[]), midori);
    assert_eq!(titles("ひかり", &[]), midori);
    // All bigrams present but not as one string: a candidate, not a result.
    let sim = simulate(&get, "ひかり食品", &[]);
    assert_eq!(sim.candidates, 1);
    assert!(sim.titles.is_empty());
    assert_eq!(
        titles("最終報告", &[]),
        ["不正アクセスによる個人情報漏えいに関するお詫びとお知らせ（最終報告）"]
    );
    // In a body, and in the name of the vector 誤送信・誤送付.
    assert_eq!(
        titles("誤送信", &[]),
        [
            "個人情報を含む書類の誤送付について",
            "個人情報を含むメールの誤送信について"
        ]
    );
    assert_eq!(titles("株式会社うみ商店", &[]).len(), 3);
    assert_eq!(titles("", &[("year", "2023")]).len(), 3);
    assert_eq!(
        titles("upload.php", &[]).len(),
        1,
        "code blocks are text too"
    );
    // One kanji works; one kana does not look anything up.
    assert_eq!(
        titles("市", &[]),
        ["委託事業者におけるランサムウェア被害について"]
    );
    assert!(query_keys("の").is_empty());
}

/// A small deterministic generator of plausible Japanese notices (3–8 KB each).
pub mod synth {
    const KANJI: &str = "安全情報管理会社業務委託先対応調査報告確認発生原因被害範囲顧客個人番号氏名住所電話郵便銀行口座製品販売物流倉庫工場市町村県庁学校病院医療研究開発技術電子通信機器設備運用保守監視体制強化再発防止策講習教育指導点検外部専門家協力警察相談窓口受付期間経緯対象件数名簿資料書類帳票記録媒体装置端末回線環境構築整備計画推進企画総務経理人事法務広報営業本部支店営業所事務局理事長代表取締役社長部長課長担当職員従業員委員会議決定承認公表連絡通知送付配送返信";
    const KATAKANA: &[&str] = &[
        "サーバー",
        "システム",
        "ネットワーク",
        "データベース",
        "パスワード",
        "アカウント",
        "メール",
        "ウェブサイト",
        "クラウド",
        "ファイル",
        "プログラム",
        "セキュリティ",
        "バックアップ",
        "ログ",
        "アクセス",
        "サービス",
        "ソフトウェア",
        "パソコン",
        "ファイアウォール",
        "リモートデスクトップ",
    ];
    const SUFFIX: &[&str] = &[
        "工業",
        "商事",
        "食品",
        "システム",
        "製作所",
        "ホールディングス",
        "物産",
        "電機",
        "建設",
        "薬品",
    ];
    const VECTORS: &[(&str, &str)] = &[
        (
            "ransomware",
            "ランサムウェアに感染し、サーバー内のファイルが暗号化されました",
        ),
        (
            "misdelivery",
            "メールの誤送信により、他のお客様のメールアドレスが表示される状態となりました",
        ),
        (
            "unauthorized-access",
            "第三者による不正アクセスを受けました",
        ),
        (
            "web-compromise",
            "ECサイトの脆弱性を悪用され、不正なファイルを設置されました",
        ),
        (
            "card-skimming",
            "決済画面が改ざんされ、カード情報を窃取するためのプログラムが設置されていました",
        ),
        (
            "phishing",
            "なりすましメールによるフィッシングの被害が確認されました",
        ),
        ("loss-theft", "個人情報を含むUSBメモリを紛失しました"),
        (
            "remote-access",
            "VPN機器の脆弱性を悪用されたことが判明しました",
        ),
        (
            "supply-chain",
            "業務委託先においてシステム障害が発生しました",
        ),
        (
            "misconfiguration",
            "設定不備により、個人情報が外部から閲覧可能な状態となっていました",
        ),
    ];
    const STAGES: &[&str] = &["第1報", "第2報", "続報", "最終報告"];
    const LABELS: &[&str] = &[
        "自治体",
        "委託先",
        "ECサイト",
        "医療",
        "教育",
        "金融",
        "製造",
        "小売",
    ];
    const SENTENCES: &[&str] = &[
        "このたび、{org}において、{vec}。",
        "お客様ならびに関係者の皆様に多大なるご迷惑とご心配をおかけしておりますことを、深くお詫び申し上げます。",
        "{date}、{w}の{w}に関する{k}を受け、直ちに{w}を開始いたしました。",
        "外部の専門家である{contractor}の協力のもと、{w}と{w}について詳細な{w}を進めております。",
        "現時点で、{n}件の{w}が{w}された可能性があることが判明しております。",
        "対象となるお客様には、{date}より順次、個別にご連絡を差し上げております。",
        "当社では、{k}の{w}を{w}し、{w}の{w}に努めてまいります。",
        "なお、本件に関する{w}につきましては、下記の窓口までお問い合わせください。",
        "{k}の{w}により、{w}および{w}の一部に{w}が生じております。",
        "今回の事態を厳粛に受け止め、{w}体制の強化と{w}の徹底を図ってまいります。",
        "警察および個人情報保護委員会へ報告するとともに、{contractor}と連携して{w}を実施しました。",
        "{date}時点で、{w}による二次被害は確認されておりません。",
        "調査の結果、{k}の{w}に{w}があったことが原因であると考えられます。",
    ];

    /// xorshift64*.
    pub struct Rng(u64);
    impl Rng {
        pub fn new(seed: u64) -> Rng {
            Rng(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1)
        }
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545F4914F6CDD1D)
        }
        pub fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        pub fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
            list[self.below(list.len())]
        }
    }

    fn word(r: &mut Rng, kanji: &[char]) -> String {
        match r.below(8) {
            0 | 1 => return r.pick(KATAKANA).to_string(),
            // Rarer kanji from all of CJK Unified Ideographs: more distinct bigrams than real
            // notices have, so the index sizes measured here err on the large side.
            2 => {
                return (0..2)
                    .map(|_| char::from_u32(0x4e00 + r.below(0x5000) as u32).unwrap())
                    .collect()
            }
            _ => {}
        }
        (0..2).map(|_| kanji[r.below(kanji.len())]).collect()
    }

    fn org(r: &mut Rng, kanji: &[char]) -> String {
        let name: String = (0..2 + r.below(2))
            .map(|_| kanji[r.below(kanji.len())])
            .collect();
        match r.below(5) {
            0 => format!("{name}市"),
            1 => format!("学校法人{name}学園"),
            _ => format!("株式会社{name}{}", r.pick(SUFFIX)),
        }
    }

    /// The Markdown of notice `i`.
    pub fn notice(i: usize) -> String {
        let kanji: Vec<char> = KANJI.chars().collect();
        let mut r = Rng::new(i as u64 + 1);
        let org = org(&mut r, &kanji);
        let contractor = org_contractor(&mut r, &kanji);
        let (vec_id, vec_text) = VECTORS[r.below(VECTORS.len())];
        let year = 2015 + r.below(10);
        let date = format!("{year}-{:02}-{:02}", 1 + r.below(12), 1 + r.below(28));
        let stage = (r.below(2) == 0).then(|| r.pick(STAGES));
        let label = r.pick(LABELS);
        let mut labels = vec![format!("\"{label}\"")];
        if let Some(s) = stage {
            labels.push(format!("\"{s}\""));
        }
        let title = format!(
            "{}に関するお詫びとお知らせ{}",
            vec_text
                .split('、')
                .next()
                .unwrap_or(vec_text)
                .chars()
                .take(20)
                .collect::<String>(),
            stage.map(|s| format!("（{s}）")).unwrap_or_default()
        );
        let target = 3000 + r.below(5000);
        let mut body = String::new();
        while body.len() < target {
            let mut para = String::new();
            for _ in 0..3 + r.below(3) {
                let mut s = r.pick(SENTENCES).to_string();
                while let Some(at) = s.find('{') {
                    let end = s[at..].find('}').unwrap() + at;
                    let fill = match &s[at + 1..end] {
                        "org" => org.clone(),
                        "vec" => vec_text.to_string(),
                        "contractor" => contractor.clone(),
                        "date" => format!("{year}年{}月{}日", 1 + r.below(12), 1 + r.below(28)),
                        "n" => (1 + r.below(50_000)).to_string(),
                        "k" => format!("{}{}", word(&mut r, &kanji), word(&mut r, &kanji)),
                        _ => word(&mut r, &kanji),
                    };
                    s.replace_range(at..=end, &fill);
                }
                para.push_str(&s);
            }
            body.push_str(&para);
            body.push_str("\n\n");
        }
        if let Some(s) = stage {
            body.push_str(&format!("本報告をもって{s}といたします。\n"));
        }
        format!(
            "+++\ntitle = \"{title}\"\norg = \"{org}\"\npublished = {date}\nvectors = [\"{vec_id}\"]\nlabels = [{}]\n+++\n\n{body}",
            labels.join(", ")
        )
    }

    fn org_contractor(r: &mut Rng, kanji: &[char]) -> String {
        let name: String = (0..3).map(|_| kanji[r.below(kanji.len())]).collect();
        format!("株式会社{name}{}", r.pick(SUFFIX))
    }
}

/// Builds the search files of a synthetic `n`-notice archive in memory.
fn synthetic_search_files(n: usize) -> BTreeMap<String, Vec<u8>> {
    use jikenbo::notice::{Format, Source};
    let config = jikenbo::config::Config::parse(
        "title = \"合成\"\nbase_url = \"https://example.github.io/archive/\"\n",
    )
    .unwrap();
    let sources: Vec<Source> = (0..n)
        .map(|i| Source {
            path: format!("content/n{i:05}.md"),
            stem: format!("n{i:05}"),
            folders: Vec::new(),
            format: Format::Markdown,
            bytes: synth::notice(i).into_bytes(),
        })
        .collect();
    let (notices, diags) = jikenbo::notice::parse_all(sources, &config, false);
    assert!(
        !jikenbo::diagnostic::has_errors(&diags),
        "{:?}",
        diags.first()
    );
    let site = jikenbo::link_site(
        std::path::Path::new("."),
        config,
        notices,
        diags,
        &mut Default::default(),
    )
    .unwrap();
    let renderer = jikenbo::renderer(std::path::Path::new("."), std::sync::Arc::new(site)).unwrap();
    let mut files: BTreeMap<String, Vec<u8>> =
        jikenbo::output::search::search_files(&renderer.site().archive, &renderer.cards())
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
    // The notice pages too: results read their text from them.
    for i in 0..n {
        for f in renderer.render(&jikenbo::render::Page::Notice(i)).unwrap() {
            files.insert(f.path, f.bytes);
        }
    }
    files
}

/// Builds `n` synthetic notices, prints the figures and checks every query against `budget`.
fn budget(n: usize, budget: usize) {
    let files = synthetic_search_files(n);
    let total: usize = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/"))
        .map(|(_, b)| b.len())
        .sum();
    let of = |dir: &str| {
        let f: Vec<&Vec<u8>> = files
            .iter()
            .filter(|(p, _)| p.starts_with(dir))
            .map(|(_, b)| b)
            .collect();
        (f.len(), f.iter().map(|b| b.len()).sum::<usize>())
    };
    let (shards, shard_bytes) = of("search/index/");
    let (docs, doc_bytes) = of("search/docs/");
    let (filters, filter_bytes) = of("search/filters/");
    let largest = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/index/"))
        .map(|(_, b)| b.len())
        .max()
        .unwrap();
    println!(
        "{n} notices: {} search files, {:.1} MB; {shards} shards {:.1} MB (largest {:.1} kB), {docs} notice files {:.1} MB, {filters} filter files {:.1} kB, meta.json {} B",
        files.keys().filter(|p| p.starts_with("search/")).count(),
        total as f64 / 1e6,
        shard_bytes as f64 / 1e6,
        largest as f64 / 1e3,
        doc_bytes as f64 / 1e6,
        filter_bytes as f64 / 1e3,
        files["search/meta.json"].len()
    );
    let get = |p: &str| files.get(p).cloned();
    for (q, filters) in [
        ("ランサムウェア", vec![]),
        ("最終報告", vec![]),
        ("株式会社", vec![]),
        ("誤送信", vec![]),
        ("個人情報保護委員会へ報告するとともに", vec![]),
        (
            "株式会社",
            vec![("vector", "misdelivery"), ("year", "2019")],
        ),
        ("", vec![("label", "医療")]),
    ] {
        let sim = simulate(&get, q, &filters);
        println!(
            "  {q:?} {filters:?}: {} candidates, {} shown, {} files, {:.1} kB",
            sim.candidates,
            sim.titles.len(),
            sim.files.len(),
            sim.bytes as f64 / 1e3
        );
        assert_eq!(sim.titles.len(), PAGE_SIZE, "{q}: a full first page");
        assert!(sim.bytes <= budget, "{q}: {} bytes > {budget}", sim.bytes);
    }
}

#[test]
fn budget_2k() {
    // The per-query cost barely grows with the archive (a frequent key's postings are a bitmap
    // of n/6 bytes; shards stay near 8 kB): the same 300 kB budget holds at 2,000 notices.
    budget(2_000, 300_000);
}

#[test]
#[ignore = "slow: indexes 10,000 notices (about a minute); run with -- --ignored --nocapture"]
fn budget_10k() {
    budget(10_000, 300_000);
}
