//! Whole-notice tests: fictional notices through `extract`, in every encoding and as PDF text.
//! (The organizations, sites and people here are invented.)

use super::*;
use crate::date::Date;
use crate::notice::Refer;

/// A fictional notice in the usual shape: heading block, story, timeline, leaked items, signature.
const NOTICE: &str = "令和６年１２月２日
お客様各位
株式会社しおかぜ物産
弊社が運営する「しおかぜ物産オンラインショップ」への不正アクセスによる個人情報漏えいに関するお詫びとお知らせ（第２報）

このたび、弊社が運営する「しおかぜ物産オンラインショップ」(以下「本件サイト」)におきまして、第三者による不正アクセスを受け、お客様の個人情報（3,456件）、クレジットカード情報（1,234件）が漏えいした可能性があることが判明いたしました。
2024年10月1日に公表いたしました「弊社サイトへの不正アクセスに関するお知らせ」の続報となります。

1. 経緯
2024年8月20日、決済代行会社から、本件サイトを利用したお客様のクレジットカード情報の漏えい懸念について連絡を受けました。
8月21日、本件サイトでのカード決済を停止いたしました。
9月30日、第三者調査機関による調査が完了しました。

2. 原因
本件サイトのシステムの一部の脆弱性を突いた第三者の不正アクセスにより、決済画面が改ざんされたためです。なお、ランサムウェアによる被害ではないことを確認しております。

3. 個人情報漏えい状況
2023年11月5日から2024年8月21日までの間に本件サイトでクレジットカード決済をされたお客様が対象です。
漏えいした可能性のある情報は以下のとおりです。
・クレジットカード番号
・有効期限
・セキュリティコード
・氏名、住所、メールアドレス

4. 再発防止策
VPN機器の更新とウイルス対策ソフトの導入、フィッシング対策を行ってまいります。

以上
";

fn expected() -> Meta {
    Meta {
        title: Some("弊社が運営する「しおかぜ物産オンラインショップ」への不正アクセスによる個人情報漏えいに関するお詫びとお知らせ（第２報）".into()),
        org: Some("株式会社しおかぜ物産".into()),
        published: Date::new(2024, 12, 2),
        labels: Some(vec!["第2報".into()]),
        vectors: Some(vec!["web-compromise".into(), "card-skimming".into()]),
        records: Some(3456),
        cards: Some(1234),
        data: Some(
            ["クレジットカード番号", "有効期限", "セキュリティコード", "氏名", "住所", "メールアドレス"]
                .map(String::from)
                .to_vec(),
        ),
        exposure: Some(Exposure { from: Date::new(2023, 11, 5), to: Date::new(2024, 8, 21) }),
        discovered: Date::new(2024, 8, 20),
        refers: Some(vec![Refer {
            date: Date::new(2024, 10, 1),
            title: Some("弊社サイトへの不正アクセスに関するお知らせ".into()),
            stage: None,
        }]),
        ..Meta::default()
    }
}

#[test]
fn a_whole_notice() {
    assert_eq!(extract(NOTICE), expected());
}

#[test]
fn the_same_notice_in_every_encoding() {
    let want = extract(NOTICE);
    for enc in [
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::ISO_2022_JP,
    ] {
        let (bytes, _, unmappable) = enc.encode(NOTICE);
        assert!(!unmappable, "{}", enc.name());
        assert_eq!(extract(&decode(&bytes).unwrap()), want, "{}", enc.name());
    }
    let crlf = NOTICE.replace('\n', "\r\n");
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in crlf.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    assert_eq!(extract(&decode(&le).unwrap()), want, "UTF-16LE");
    assert_eq!(extract(&decode(&be).unwrap()), want, "UTF-16BE");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(crlf.as_bytes());
    assert_eq!(extract(&decode(&bom).unwrap()), want, "UTF-8 BOM CRLF");
}

/// The notice as a PDF dump: lines broken at a fixed width, a blank line after each, spaces in
/// dates and numbers, trailing spaces.
fn as_pdf_text(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let spaced = pdf_spacing(line);
        let chars: Vec<char> = spaced.chars().collect();
        if chars.is_empty() {
            out.push_str(" \n\n");
            continue;
        }
        for chunk in chars.chunks(38) {
            out.push_str(&chunk.iter().collect::<String>());
            out.push_str(" \n\n");
        }
    }
    out
}

/// `2024年8月20日` → `2024 年 8 月 20 日`, `3,456件` → `3, 456 件`.
fn pdf_spacing(line: &str) -> String {
    let mut out = String::new();
    let mut prev_digit = false;
    for c in line.chars() {
        let digit = c.is_ascii_digit();
        if prev_digit && matches!(c, '年' | '月' | '日' | '件') {
            out.push(' ');
        }
        if !prev_digit && digit && out.ends_with(['年', '月']) {
            out.push(' ');
        }
        out.push(c);
        if c == ',' && prev_digit {
            out.push(' ');
        }
        prev_digit = digit;
    }
    out
}

#[test]
fn the_same_notice_as_pdf_text() {
    let pdf = as_pdf_text(NOTICE);
    assert!(pdf.contains(" 月 ") && pdf.contains("1, 234 件"), "{pdf}");
    assert_eq!(extract(&pdf), expected());
}

#[test]
fn a_notice_without_heading_or_date() {
    let text = "平素は港北市ふるさと納税事業にご理解を賜り誠にありがとうございます。\n\
        この度、本市の「港北市ふるさと納税特設サイト」において、第三者による不正アクセスを受け、寄附者様のクレジットカード情報(512件)が漏えいした可能性があることが判明いたしました。\n\
        本市では再発防止に努めてまいります。\n";
    let m = extract(text);
    assert_eq!(
        m.title.as_deref(),
        Some("港北市ふるさと納税特設サイトへの不正アクセス")
    );
    assert_eq!(m.org.as_deref(), Some("港北市"));
    assert_eq!(m.published, None);
    assert_eq!(m.cards, Some(512));
    assert_eq!(m.review, Some(vec!["title".to_string()]));
}

#[test]
fn a_vendor_report_in_wareki() {
    let text = "令和元年１２月２０日\n\n港北市長\n海野 一郎 様\n\nシステム受託会社\n株式会社なぎさシステム\n\n\
        港北市ふるさと納税サイトへの不正アクセスについて\n\n1. 発覚の経緯\n\n令和元年11月30日 10:00頃\n\n\
        協力店舗様へフィッシングメールが届いたとの連絡を受け、調査したところ、不正アクセスを検知しました。\n\n\
        2. 流出件数について\n\n・会員情報：12, 345件\n氏名、住所、電話番号、パスワード等\n\n3. 原因について\n\n\
        ウイルス対策ソフトは導入しておりましたが、対象サイト内の脆弱性を発見され、攻撃を受けました。\n\n以上";
    let m = extract(text);
    assert_eq!(m.org.as_deref(), Some("株式会社なぎさシステム"));
    assert_eq!(m.published, Date::new(2019, 12, 20));
    assert_eq!(m.discovered, Date::new(2019, 11, 30));
    assert_eq!(
        m.title.as_deref(),
        Some("港北市ふるさと納税サイトへの不正アクセスについて")
    );
    assert_eq!(m.vectors, Some(vec!["web-compromise".to_string()]));
    assert_eq!(m.records, Some(12345));
    assert_eq!(
        m.data,
        Some(
            ["氏名", "住所", "電話番号", "パスワード"]
                .map(String::from)
                .to_vec()
        )
    );
}

#[test]
fn a_final_report_by_a_credit_union() {
    let text = "個人情報漏えいに関する調査結果のご報告\n\n\
        当金庫の業務委託先である株式会社なぎさ印刷において、ランサムウェア感染により一部お客さま情報が漏えいした件につきまして、\
        ７月４日付で当金庫ホームページに公表いたしましたが、その後の調査結果をお知らせいたします。\n\
        本報告をもちまして最終報告とさせていただきます。\n\n浜風信用金庫\n";
    let m = extract(text);
    assert_eq!(m.org.as_deref(), Some("浜風信用金庫"));
    assert_eq!(m.labels, Some(vec!["最終報告".to_string()]));
    assert_eq!(
        m.vectors,
        Some(vec!["ransomware".to_string(), "supply-chain".to_string()])
    );
    // A month-day with no year anywhere cannot be dated: no reference date.
    assert_eq!(m.refers, None);
}

#[test]
fn never_panics_on_junk() {
    let junk: String = (0u32..20_000)
        .filter_map(|i| char::from_u32((i * 7919) % 0x3_0000))
        .collect();
    let _ = extract(&junk);
    let _ = split_posts(&junk);
    let _ = reflow(&junk);
    let _ = html_to_text(&junk);
    let long_line = "不正アクセス2024年1月1日から".repeat(20_000);
    let _ = extract(&long_line);
    let _ = extract("");
    let _ = extract("【セキュリティ事件簿#2024-1】");
    let _ = split_posts("【セキュリティ事件簿#2024-1】\n【2024年1月1日リリース分】");
}

#[test]
fn numbered_intrusions_bound_the_exposure() {
    let text =
        "港北市ふるさと納税サイトへの不正アクセスについて\n\n2. 不正アクセスと流出件数について\n\
        確認された不正アクセスは以下の通りです。\n1回目（令和元年7月12日）\n・会員情報：1, 200件\n\
        2回目（令和2年2月18日）\n・店舗情報：33件\n";
    let m = extract(text);
    assert_eq!(
        m.exposure,
        Some(Exposure {
            from: Date::new(2019, 7, 12),
            to: Date::new(2020, 2, 18)
        })
    );
    assert!(m
        .review
        .unwrap_or_default()
        .contains(&"exposure".to_string()));
}

/// Dummy front matter for the fields of `mask` (bit k = field k of `FIELDS`): values no notice
/// states, so a finder that wrongly used a given value would show.
fn given(mask: u32) -> Meta {
    let d = Date::new(2001, 2, 3).expect("a date");
    let mut m = Meta::default();
    for (k, f) in FIELDS.iter().enumerate() {
        if mask & (1 << k) == 0 {
            continue;
        }
        match *f {
            "title" => m.title = Some("人が書いた題".into()),
            "org" => m.org = Some("架空株式会社".into()),
            "published" => m.published = Some(d),
            "incident" => m.incident = Some("X-1".into()),
            "labels" => m.labels = Some(vec!["手入力".into()]),
            "vectors" => m.vectors = Some(vec!["other".into()]),
            "records" => m.records = Some(7),
            "cards" => m.cards = Some(3),
            "data" => m.data = Some(vec!["氏名".into()]),
            "exposure" => {
                m.exposure = Some(Exposure {
                    from: Some(d),
                    to: None,
                })
            }
            "discovered" => m.discovered = Some(d),
            "refers" => m.refers = Some(vec![Refer::default()]),
            _ => unreachable!(),
        }
    }
    m
}

/// `extract_missing` skips finders, never changes results: merged over the same front matter,
/// it gives what the full extraction gives, for every fixture notice and many sets of given
/// fields (each field alone, all but each field, and pseudo-random sets).
#[test]
fn extract_missing_agrees_with_extract() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
    let mut texts = vec![NOTICE.to_string()];
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .collect();
    names.sort();
    for p in names {
        if let Ok(t) = decode(&std::fs::read(&p).expect("read")) {
            texts.push(t);
        }
    }
    assert!(texts.len() > 20, "fixtures found: {}", texts.len());
    let all = (1u32 << FIELDS.len()) - 1;
    let mut masks: Vec<u32> = (0..FIELDS.len() as u32)
        .flat_map(|k| [1 << k, all & !(1 << k)])
        .chain([0, all])
        .collect();
    let mut x: u32 = 0x2545_f491;
    for _ in 0..24 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        masks.push(x & all);
    }
    for text in &texts {
        let full = extract(text);
        for &mask in &masks {
            let g = given(mask);
            assert_eq!(
                g.clone().or(extract_missing(text, &g)),
                g.clone().or(full.clone()),
                "mask {mask:#b} on a notice starting {:?}",
                text.chars().take(40).collect::<String>()
            );
        }
    }
}
