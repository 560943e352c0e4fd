//! The fixed vocabularies of DESIGN §4: attack vectors, report stages, and the dataset mappings.
//!
//! Vector ids are stable ASCII and appear in URLs (`/vectors/ransomware/`); pages show the Japanese
//! (or English) name. Cue words live here too so that extraction and documentation share one table.

/// One attack vector of the vocabulary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vector {
    /// Stable ASCII id, used in front matter and URLs.
    pub id: String,
    /// Japanese display name.
    pub ja: String,
    /// English display name.
    pub en: String,
    /// Cue words, matched on NFKC-normalised text.
    pub cues: Vec<String>,
    /// The VERIS action category the dataset exports.
    pub veris: String,
}

/// `(id, 日本語, English, VERIS, cues)` for the 16 built-in vectors.
pub const BUILTIN_VECTORS: [(&str, &str, &str, &str, &[&str]); 16] = [
    (
        "unauthorized-access",
        "不正アクセス",
        "Unauthorized access",
        "hacking",
        &["不正アクセス", "不正に侵入", "侵入され"],
    ),
    (
        "web-compromise",
        "Webサイトの改ざん・脆弱性悪用",
        "Website compromise",
        "hacking: Exploit vuln (Web application)",
        &[
            "脆弱性を悪用",
            "脆弱性をつ",
            "脆弱性を突",
            "改ざん",
            "不正なファイルを設置",
            "不正なファイルが設置",
            "Webシェル",
            "WebShell",
        ],
    ),
    (
        "card-skimming",
        "決済情報の窃取",
        "Payment card skimming",
        "malware: Capture app data",
        &[
            "ペイメントアプリケーションの改ざん",
            "決済画面の改ざん",
            "決済画面が改ざん",
            "カード情報を窃取するためのプログラム",
            "偽の決済画面",
            "偽の入力フォーム",
        ],
    ),
    (
        "sql-injection",
        "SQLインジェクション",
        "SQL injection",
        "hacking: SQLi",
        &["SQLインジェクション"],
    ),
    (
        "xss",
        "クロスサイトスクリプティング",
        "Cross-site scripting",
        "hacking: XSS",
        &["クロスサイトスクリプティング", "XSS"],
    ),
    (
        "remote-access",
        "VPN・リモート接続の悪用",
        "VPN / remote access abuse",
        "hacking (VPN, Desktop sharing)",
        &[
            "VPN機器",
            "VPN装置",
            "リモートアクセス機器",
            "リモートデスクトップ",
            "RDP",
            "VPN",
        ],
    ),
    (
        "ransomware",
        "ランサムウェア",
        "Ransomware",
        "malware: Ransomware",
        &["ランサムウェア", "身代金", "暗号化され"],
    ),
    (
        "malware",
        "マルウェア感染",
        "Malware infection",
        "malware",
        &["マルウェア", "ウイルス", "ウィルス", "Emotet", "エモテット"],
    ),
    (
        "phishing",
        "フィッシング・なりすまし",
        "Phishing / impersonation",
        "social: Phishing",
        &["フィッシング", "なりすましメール", "標的型攻撃メール"],
    ),
    (
        "account-takeover",
        "不正ログイン",
        "Account takeover",
        "hacking: Use of stolen creds",
        &["不正ログイン", "リスト型攻撃", "パスワードリスト"],
    ),
    (
        "misdelivery",
        "誤送信・誤送付",
        "Misdelivery",
        "error: Misdelivery",
        &[
            "誤送信",
            "誤送付",
            "誤って送付",
            "誤って送信",
            "誤配",
            "BCC",
            "FAX",
        ],
    ),
    (
        "loss-theft",
        "紛失・盗難",
        "Loss / theft",
        "error: Loss / physical: Theft",
        &["紛失", "盗難", "置き忘れ", "USBメモリ"],
    ),
    (
        "insider",
        "内部不正",
        "Insider misuse",
        "misuse: Privilege abuse",
        &[
            "不正に持ち出",
            "持ち出し",
            "職員が不正に",
            "従業員が不正に",
            "懲戒処分",
        ],
    ),
    (
        "misconfiguration",
        "設定不備・誤公開",
        "Misconfiguration / publishing error",
        "error: Misconfiguration / Publishing error",
        &[
            "設定不備",
            "設定の不備",
            "閲覧可能な状態",
            "公開設定",
            "誤って公開",
            "誤公開",
        ],
    ),
    (
        "software-bug",
        "システム不具合",
        "Software bug",
        "error: Programming error",
        &[
            "プログラムの誤り",
            "システムの不具合",
            "システム不具合",
            "他の会員の情報が表示",
            "他のお客様の情報が表示",
        ],
    ),
    (
        "supply-chain",
        "委託先経由",
        "Via a contractor",
        "(partner)",
        &["委託先", "再委託先", "業務委託", "サービス提供事業者"],
    ),
];

/// The id that stands for "an intrusion whose route the notice does not name".
pub const FALLBACK_VECTOR: &str = "unauthorized-access";

/// The built-in vectors as values.
pub fn builtin_vectors() -> Vec<Vector> {
    BUILTIN_VECTORS
        .iter()
        .map(|(id, ja, en, veris, cues)| Vector {
            id: id.to_string(),
            ja: ja.to_string(),
            en: en.to_string(),
            cues: cues.iter().map(|c| c.to_string()).collect(),
            veris: veris.to_string(),
        })
        .collect()
}

/// Report-stage labels in canonical spelling, in report order (used to sort stage labels and
/// to tell stages from free labels).
pub fn is_stage_label(label: &str) -> bool {
    stage_rank(label).is_some()
}

/// Sort rank of a stage label: 第N報 → N, 続報 → 50, 最終報告 → 100.
pub fn stage_rank(label: &str) -> Option<u32> {
    match label {
        "続報" => Some(50),
        "最終報告" => Some(100),
        _ => {
            let n = label.strip_prefix('第')?.strip_suffix('報')?;
            n.parse::<u32>().ok().filter(|n| (1..50).contains(n))
        }
    }
}

/// Canonical spelling of a report-stage label, or `None` when `label` is not a stage.
/// `第一報`, `第 2 報`, `第２報` → `第1報`/`第2報`; `続報1`, `追加情報`, `経過報告` → `続報`;
/// `最終報`, `最終のご報告` → `最終報告`.
pub fn canonical_stage(label: &str) -> Option<String> {
    let compact: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = crate::text::nfkc(&compact);
    if compact.starts_with("最終報") || compact == "最終のご報告" || compact == "最終ご報告"
    {
        return Some("最終報告".into());
    }
    if compact.starts_with("続報")
        || matches!(
            compact.as_str(),
            "追加情報" | "更新情報" | "経過報告" | "追加報告"
        )
    {
        return Some("続報".into());
    }
    let n = compact.strip_prefix('第')?.strip_suffix('報')?;
    let n = kanji_number(n).or_else(|| n.parse::<u32>().ok())?;
    (1..50).contains(&n).then(|| format!("第{n}報"))
}

/// `一`..`九十九` as a number (enough for report stages and era years).
pub fn kanji_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [a] => digit(*a),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// The Have I Been Pwned data class for a data kind in a notice's words, when one fits.
pub fn hibp_class(kind: &str) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("クレジットカード", "Credit cards"),
        ("カード番号", "Credit cards"),
        ("セキュリティコード", "Credit card CVV"),
        ("有効期限", "Credit cards"),
        ("カード名義", "Names"),
        ("メールアドレス", "Email addresses"),
        ("パスワード", "Passwords"),
        ("電話番号", "Phone numbers"),
        ("FAX", "Phone numbers"),
        ("住所", "Physical addresses"),
        ("郵便番号", "Physical addresses"),
        ("生年月日", "Dates of birth"),
        ("性別", "Genders"),
        ("職業", "Occupations"),
        ("勤務先", "Employers"),
        ("会社名", "Employers"),
        ("口座", "Bank account numbers"),
        ("ID", "Usernames"),
        ("ログインID", "Usernames"),
        ("会員番号", "Customer numbers"),
        ("購入履歴", "Purchases"),
        ("注文", "Purchases"),
        ("年齢", "Ages"),
        ("氏名", "Names"),
        ("名前", "Names"),
        ("フリガナ", "Names"),
        ("マイナンバー", "Government issued IDs"),
        ("健康", "Health records"),
        ("病歴", "Health records"),
    ];
    let kind = crate::text::nfkc(kind);
    TABLE
        .iter()
        .find(|(k, _)| kind.contains(k))
        .map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_normalise() {
        assert_eq!(canonical_stage("第一報").as_deref(), Some("第1報"));
        assert_eq!(canonical_stage("第 2 報").as_deref(), Some("第2報"));
        assert_eq!(canonical_stage("第２報").as_deref(), Some("第2報"));
        assert_eq!(canonical_stage("第十二報").as_deref(), Some("第12報"));
        assert_eq!(canonical_stage("続報1").as_deref(), Some("続報"));
        assert_eq!(canonical_stage("経過報告").as_deref(), Some("続報"));
        assert_eq!(canonical_stage("最終のご報告").as_deref(), Some("最終報告"));
        assert_eq!(canonical_stage("お知らせ"), None);
        assert_eq!(stage_rank("第3報"), Some(3));
        assert!(!is_stage_label("セキュリティ事件簿"));
    }

    #[test]
    fn sixteen_distinct_vectors() {
        let v = builtin_vectors();
        let mut ids: Vec<_> = v.iter().map(|v| v.id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 16);
        assert!(ids
            .iter()
            .all(|id| id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
    }

    #[test]
    fn hibp_classes() {
        assert_eq!(hibp_class("クレジットカード番号"), Some("Credit cards"));
        assert_eq!(hibp_class("メールアドレス"), Some("Email addresses"));
        assert_eq!(hibp_class("氏名"), Some("Names"));
    }
}
