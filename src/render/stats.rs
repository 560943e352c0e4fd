//! `/stats/`: charts drawn at build time as inline SVG, so they need no JavaScript and print.
//!
//! Each chart is a `<figure>` with an SVG that has `<title>`/`<desc>` (read by screen readers),
//! a caption, and a `<details>` table holding the same numbers. Colours come from CSS classes
//! (`.c0`…`.c15`) so the stylesheet adapts them to dark mode. Every text is escaped.

use crate::archive::{Archive, TaxonomyKind};
use crate::config::Config;
use crate::render::view::group_digits;
use crate::text::escape_html as esc;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One chart, ready for the template.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ChartView {
    /// Anchor id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// The `<svg>` and its table (escaped, safe to embed).
    pub html: String,
}

/// All charts of the stats page.
pub fn charts(archive: &Archive, config: &Config) -> Vec<ChartView> {
    let vectors = &config.vectors;
    let vector_name = |id: &str| {
        config
            .vector(id)
            .map(|v| {
                if config.language == crate::config::Language::En {
                    v.en.clone()
                } else {
                    v.ja.clone()
                }
            })
            .unwrap_or_else(|| id.to_string())
    };
    let years: Vec<String> = {
        let mut y: Vec<String> = archive
            .taxonomy(TaxonomyKind::Year)
            .terms
            .iter()
            .map(|t| t.key.clone())
            .collect();
        y.sort();
        y
    };
    let mut out = Vec::new();

    // 1. Notices per year, stacked by each notice's first (primary) vector.
    let mut stack: BTreeMap<(String, usize), u64> = BTreeMap::new();
    for n in &archive.notices {
        let (Some(d), Some(v)) = (
            n.meta.published,
            n.meta.vectors.as_ref().and_then(|v| v.first()),
        ) else {
            continue;
        };
        if let Some(pos) = vectors.iter().position(|x| &x.id == v) {
            *stack.entry((d.year.to_string(), pos)).or_default() += 1;
        }
    }
    let used: Vec<usize> = {
        let mut u: Vec<usize> = stack.keys().map(|(_, p)| *p).collect();
        u.sort_unstable();
        u.dedup();
        u
    };
    let series: Vec<(String, usize, Vec<u64>)> = used
        .iter()
        .map(|&p| {
            (
                vector_name(&vectors[p].id),
                p,
                years
                    .iter()
                    .map(|y| *stack.get(&(y.clone(), p)).unwrap_or(&0))
                    .collect(),
            )
        })
        .collect();
    out.push(ChartView {
        id: "per-year".into(),
        title: "年別の公表件数（主な攻撃手法別）".into(),
        description: "各年に公表されたお知らせの件数。色は各お知らせの最初に挙げた攻撃手法。"
            .into(),
        html: stacked_columns(&years, &series, "年別の公表件数"),
    });

    // 2. Records affected per year.
    let mut records: BTreeMap<String, u64> = years.iter().map(|y| (y.clone(), 0)).collect();
    for n in &archive.notices {
        if let (Some(d), Some(r)) = (n.meta.published, n.meta.records) {
            *records.entry(d.year.to_string()).or_default() += r;
        }
    }
    out.push(ChartView {
        id: "records".into(),
        title: "年別の影響件数".into(),
        description: "各年のお知らせが公表した影響人数・件数の合計（続報は件数が重複しうる）。"
            .into(),
        html: stacked_columns(
            &years,
            &[(
                "影響件数".into(),
                0,
                years.iter().map(|y| records[y]).collect(),
            )],
            "年別の影響件数",
        ),
    });

    // 3. Top vectors.
    let vec_terms = &archive.taxonomy(TaxonomyKind::Vector).terms;
    let mut top: Vec<(String, u64, usize)> = vec_terms
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                t.notices.len() as u64,
                vectors.iter().position(|v| v.id == t.key).unwrap_or(0),
            )
        })
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
    out.push(ChartView {
        id: "vectors".into(),
        title: "攻撃手法ごとの件数".into(),
        description: "各攻撃手法を含むお知らせの件数（1件に複数の手法がありうる）。".into(),
        html: bars(&top, "攻撃手法ごとの件数"),
    });

    // 4. Top data kinds.
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    for n in &archive.notices {
        let mut seen: Vec<String> = n
            .meta
            .data
            .iter()
            .flatten()
            .map(|k| crate::text::nfc(k.trim()))
            .collect();
        seen.sort();
        seen.dedup();
        for k in seen {
            *kinds.entry(k).or_default() += 1;
        }
    }
    let mut kinds: Vec<(String, u64, usize)> = kinds.into_iter().map(|(k, c)| (k, c, 0)).collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    kinds.truncate(15);
    out.push(ChartView {
        id: "data".into(),
        title: "漏えいした情報の種類（上位15）".into(),
        description: "各種類の情報を含むお知らせの件数。".into(),
        html: bars(&kinds, "漏えいした情報の種類"),
    });

    // 5. Stage mix.
    let mut stages: Vec<(String, u64, usize)> = archive
        .taxonomy(TaxonomyKind::Label)
        .terms
        .iter()
        .filter(|t| crate::vocab::is_stage_label(&t.key))
        .enumerate()
        .map(|(i, t)| (t.key.clone(), t.notices.len() as u64, i))
        .collect();
    let without = archive
        .notices
        .iter()
        .filter(|n| {
            !n.meta
                .labels
                .iter()
                .flatten()
                .any(|l| crate::vocab::is_stage_label(l))
        })
        .count() as u64;
    stages.push(("段階の表記なし".into(), without, stages.len()));
    out.push(ChartView {
        id: "stages".into(),
        title: "報告段階の内訳".into(),
        description: "第1報・続報・最終報告などの段階ラベルごとのお知らせの件数。".into(),
        html: bars(&stages, "報告段階の内訳"),
    });
    out
}

fn nice_max(v: u64) -> u64 {
    if v <= 5 {
        return 5;
    }
    let mag = 10u64.pow((v as f64).log10().floor() as u32);
    for m in [1, 2, 5, 10] {
        if m * mag >= v {
            return m * mag;
        }
    }
    10 * mag
}

/// Vertical stacked columns: one column per category, one stacked segment per series.
fn stacked_columns(
    categories: &[String],
    series: &[(String, usize, Vec<u64>)],
    title: &str,
) -> String {
    let totals: Vec<u64> = (0..categories.len())
        .map(|i| series.iter().map(|s| s.2[i]).sum())
        .collect();
    let max = nice_max(totals.iter().copied().max().unwrap_or(0));
    let (w, h, left, bottom, top) = (640.0f64, 300.0f64, 64.0f64, 28.0f64, 12.0f64);
    let plot_h = h - bottom - top;
    let n = categories.len().max(1) as f64;
    let slot = (w - left - 8.0) / n;
    let bar_w = (slot * 0.62).min(48.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{0}-t {0}-d\" preserveAspectRatio=\"xMidYMid meet\"><title id=\"{0}-t\">{1}</title><desc id=\"{0}-d\">{2}</desc>",
        slug(title),
        esc(title),
        esc(&categories.iter().zip(&totals).map(|(c, t)| format!("{c}: {}", group_digits(*t))).collect::<Vec<_>>().join("、"))
    );
    let ticks = if max.is_multiple_of(4) { 4 } else { 5 };
    for k in 0..=ticks {
        let v = max * k / ticks;
        let y = top + plot_h - plot_h * (v as f64) / (max as f64);
        let _ = write!(svg, "<line class=\"grid\" x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>", w - 8.0, left - 6.0, y + 4.0, group_digits(v));
    }
    for (i, cat) in categories.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let mut y = top + plot_h;
        for (name, colour, values) in series {
            let v = values[i];
            if v == 0 {
                continue;
            }
            let bh = plot_h * (v as f64) / (max as f64);
            y -= bh;
            let _ = write!(svg, "<rect class=\"c{}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{bh:.1}\"><title>{} {}: {}</title></rect>", colour % 16, esc(cat), esc(name), group_digits(v));
        }
        let _ = write!(
            svg,
            "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + bar_w / 2.0,
            h - 8.0,
            esc(cat)
        );
    }
    svg.push_str("</svg>");
    if series.len() > 1 {
        svg.push_str("<ul class=\"legend\">");
        for (name, colour, _) in series {
            let _ = write!(
                svg,
                "<li><span class=\"swatch c{}\"></span>{}</li>",
                colour % 16,
                esc(name)
            );
        }
        svg.push_str("</ul>");
    }
    // Table fallback.
    svg.push_str("<details><summary>表で見る</summary><table><thead><tr><th></th>");
    for c in categories {
        let _ = write!(svg, "<th>{}</th>", esc(c));
    }
    svg.push_str("</tr></thead><tbody>");
    for (name, _, values) in series {
        let _ = write!(svg, "<tr><th>{}</th>", esc(name));
        for v in values {
            let _ = write!(svg, "<td>{}</td>", group_digits(*v));
        }
        svg.push_str("</tr>");
    }
    if series.len() > 1 {
        svg.push_str("<tr><th>計</th>");
        for t in &totals {
            let _ = write!(svg, "<td>{}</td>", group_digits(*t));
        }
        svg.push_str("</tr>");
    }
    svg.push_str("</tbody></table></details>");
    svg
}

/// Horizontal bars: (label, value, colour index).
fn bars(items: &[(String, u64, usize)], title: &str) -> String {
    let max = nice_max(items.iter().map(|i| i.1).max().unwrap_or(0));
    let row = 26.0f64;
    let (w, left) = (640.0f64, 230.0f64);
    let h = row * items.len().max(1) as f64 + 8.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{0}-t {0}-d\"><title id=\"{0}-t\">{1}</title><desc id=\"{0}-d\">{2}</desc>",
        slug(title),
        esc(title),
        esc(&items.iter().map(|(l, v, _)| format!("{l}: {}", group_digits(*v))).collect::<Vec<_>>().join("、"))
    );
    for (i, (label, v, colour)) in items.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let bw = (w - left - 60.0) * (*v as f64) / (max as f64);
        let _ = write!(
            svg,
            "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"c{}\" x=\"{left}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{:.1}\"/><text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            left - 8.0,
            y + row * 0.62,
            esc(label),
            colour % 16,
            row - 8.0,
            left + bw + 6.0,
            y + row * 0.62,
            group_digits(*v)
        );
    }
    svg.push_str("</svg><details><summary>表で見る</summary><table><tbody>");
    for (label, v, _) in items {
        let _ = write!(
            svg,
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(label),
            group_digits(*v)
        );
    }
    svg.push_str("</tbody></table></details>");
    svg
}

fn slug(title: &str) -> String {
    format!(
        "chart-{:08x}",
        title.bytes().fold(0x811c9dc5u32, |h, b| (h ^ u32::from(b))
            .wrapping_mul(0x01000193))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_labels_and_scale() {
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(17), 20);
        assert_eq!(nice_max(17171), 20000);
        let html = bars(&[("<script>".into(), 3, 0)], "t");
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        let cols = stacked_columns(&["2024".into()], &[("a".into(), 1, vec![2])], "t");
        assert!(cols.contains("<rect class=\"c1\""));
    }
}
