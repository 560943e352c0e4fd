//! Dates as notices write them, found in the compact matching text.
//!
//! Western (`2024年11月25日`, `2024/11/25`), 和暦 (`令和6年11月25日`, `令和元年`), and the dates
//! of a timeline that omit the year (`5月28日`, `同月13日`, `同19日`, `同日`), which take the
//! year (and month) of the nearest date before them. Year-month mentions (`2023年9月`) only set
//! that context.

use crate::date::Date;
use regex::Regex;
use std::sync::LazyLock;

/// One date found in `Doc::flat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateHit {
    pub start: usize,
    pub end: usize,
    pub date: Date,
    /// The year was written (not inferred from context).
    pub full: bool,
    /// The year came from a later date (no earlier one existed): a guess.
    pub guessed: bool,
}

/// One date as written: its span in the text and its parts, named as in this definition,
/// which [`Written::at`] implements by hand (the regular expression, kept in the tests as the
/// reference, ran at 300-500 MB/s: no literal prefix lets its search skip ahead, and it took a
/// quarter of a build's extraction time; this is about twice as fast). Leftmost-first, as a
/// backtracking engine reads it:
///
/// ```text
/// (?:(?P<era>令和|平成|昭和|[RH])(?P<ey>元|\d{1,2})年|(?P<y>\d{4})年|(?P<sy>同年))?
///   (?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|(?P<sd>同日))?
/// | (?P<y2>\d{4})(?P<sep>[/.\-])(?P<m2>\d{1,2})[/.\-](?P<d2>\d{1,2})
/// | 同月(?P<d3>\d{1,2})日
/// | 同(?P<d4>\d{1,2})日
/// | (?P<same>同日)
/// ```
///
/// `\d` is any decimal digit (Unicode Nd), as in the regex crate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Written<'h> {
    start: usize,
    end: usize,
    era: Option<&'h str>,
    ey: Option<&'h str>,
    y: Option<&'h str>,
    sy: Option<&'h str>,
    m: Option<&'h str>,
    d: Option<&'h str>,
    sd: Option<&'h str>,
    y2: Option<&'h str>,
    sep: Option<&'h str>,
    m2: Option<&'h str>,
    d2: Option<&'h str>,
    d3: Option<&'h str>,
    d4: Option<&'h str>,
    same: Option<&'h str>,
}

/// What a byte tells about the character it starts, for finding where a date may begin.
const START: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'0'..=b'9' | b'R' | b'H' => MAY,
            // 令 (E4), 同 and 平 (E5), 昭 (E6): compared whole.
            0xe4..=0xe6 => LITERAL,
            // General punctuation and symbols (E2: U+2000-U+2FFF), kana and CJK (E3, E7-E9)
            // hold no digit, nor do other ASCII bytes and continuation bytes.
            0x00..=0xbf | 0xe2 | 0xe3 | 0xe7..=0xe9 => 0,
            // Any other character is decoded and asked.
            _ => DECODE,
        };
        b += 1;
    }
    t
};
const MAY: u8 = 1;
const LITERAL: u8 = 2;
const DECODE: u8 = 3;

impl<'h> Written<'h> {
    /// The dates of `flat` in text order, as the regex's `captures_iter` finds them: the
    /// leftmost match, then the leftmost after its end.
    fn all(flat: &'h str) -> impl Iterator<Item = Written<'h>> + 'h {
        let b = flat.as_bytes();
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < b.len() {
                let may = match START[b[i] as usize] {
                    0 => false,
                    MAY => true,
                    LITERAL => matches!(
                        (b[i], b.get(i + 1), b.get(i + 2)),
                        (0xe4, Some(0xbb), Some(0xa4)) // 令
                            | (0xe5, Some(0x90), Some(0x8c)) // 同
                            | (0xe5, Some(0xb9), Some(0xb3)) // 平
                            | (0xe6, Some(0x98), Some(0xad)) // 昭
                    ),
                    _ => flat[i..].chars().next().is_some_and(is_digit),
                };
                if may {
                    if let Some(w) = Written::at(flat, i) {
                        i = w.end;
                        return Some(w);
                    }
                }
                // To the next character: its length from its first byte.
                i += match b[i] {
                    0x00..=0x7f => 1,
                    0xc0..=0xdf => 2,
                    0xe0..=0xef => 3,
                    _ => 4,
                };
            }
            None
        })
    }

    /// The date that begins at `p`, if one does: the first alternative of the definition that
    /// matches there, each optional part and each `\d{1,2}` taken at its longest first.
    fn at(s: &'h str, p: usize) -> Option<Written<'h>> {
        let w = Written {
            start: p,
            ..Written::default()
        };
        // Alternative 1: an optional year, then month, then an optional day.
        let prefixes = [
            Self::era_year(s, p),
            digits(s, p, 4).and_then(|e| {
                lit(s, e, "年").map(|f| {
                    let y = Some(&s[p..e]);
                    (f, Written { y, ..w })
                })
            }),
            lit(s, p, "同年").map(|e| {
                (
                    e,
                    Written {
                        sy: Some(&s[p..e]),
                        ..w
                    },
                )
            }),
            Some((p, w)),
        ];
        for (q, mut w) in prefixes.into_iter().flatten() {
            if let Some((m, e)) = Self::month(s, q) {
                w.m = Some(&s[q..m]);
                w.end = e;
                if let Some((d, f)) = Self::day(s, e) {
                    w.d = Some(&s[e..d]);
                    w.end = f;
                } else if let Some(f) = lit(s, e, "同日") {
                    w.sd = Some(&s[e..f]);
                    w.end = f;
                }
                return Some(w);
            }
        }
        // Alternative 2: 2024/11/25, 2024.12.1, 2024-1-5.
        if let Some(y) = digits(s, p, 4) {
            if let Some(sep) = sep_at(s, y) {
                if let Some((m, s2)) = up_to_two(s, sep, |x| sep_at(s, x)) {
                    if let Some(d) = digits(s, s2, 2).or_else(|| digits(s, s2, 1)) {
                        return Some(Written {
                            y2: Some(&s[p..y]),
                            sep: Some(&s[y..sep]),
                            m2: Some(&s[sep..m]),
                            d2: Some(&s[s2..d]),
                            end: d,
                            ..w
                        });
                    }
                }
            }
        }
        // Alternatives 3-5: 同月13日, 同19日, 同日.
        if let Some(q) = lit(s, p, "同月") {
            if let Some((d, e)) = Self::day(s, q) {
                return Some(Written {
                    d3: Some(&s[q..d]),
                    end: e,
                    ..w
                });
            }
        }
        let q = lit(s, p, "同")?;
        if let Some((d, e)) = Self::day(s, q) {
            return Some(Written {
                d4: Some(&s[q..d]),
                end: e,
                ..w
            });
        }
        let e = lit(s, q, "日")?;
        Some(Written {
            same: Some(&s[p..e]),
            end: e,
            ..w
        })
    }

    /// `令和6年`, `R6年`, `令和元年`: the end and the parts.
    fn era_year(s: &'h str, p: usize) -> Option<(usize, Written<'h>)> {
        let q = ["令和", "平成", "昭和", "R", "H"]
            .iter()
            .find_map(|e| lit(s, p, e))?;
        let (ey, e) = match lit(s, q, "元") {
            Some(x) => lit(s, x, "年").map(|e| (x, e))?,
            None => up_to_two(s, q, |x| lit(s, x, "年"))?,
        };
        Some((
            e,
            Written {
                start: p,
                era: Some(&s[p..q]),
                ey: Some(&s[q..ey]),
                ..Written::default()
            },
        ))
    }

    /// `\d{1,2}日` at `q`: the end of the digits and of 日.
    fn day(s: &str, q: usize) -> Option<(usize, usize)> {
        up_to_two(s, q, |x| lit(s, x, "日"))
    }

    /// `\d{1,2}月` at `q`: the end of the digits and of 月.
    fn month(s: &str, q: usize) -> Option<(usize, usize)> {
        up_to_two(s, q, |x| lit(s, x, "月"))
    }
}

/// True for a decimal digit (Unicode Nd, as `\d` in the regex crate).
fn is_digit(c: char) -> bool {
    static ND: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d$").expect("digit regex"));
    c.is_ascii_digit()
        || (!c.is_ascii() && c.is_numeric() && ND.is_match(c.encode_utf8(&mut [0; 4])))
}

/// The end of exactly `n` digits at `p`.
fn digits(s: &str, mut p: usize, n: usize) -> Option<usize> {
    for _ in 0..n {
        let b = *s.as_bytes().get(p)?;
        if b.is_ascii_digit() {
            p += 1;
        } else if b >= 0x80 {
            let c = s[p..].chars().next()?;
            if !is_digit(c) {
                return None;
            }
            p += c.len_utf8();
        } else {
            return None;
        }
    }
    Some(p)
}

/// `\d{1,2}` at `p` followed by what `then` accepts: two digits if that works, else one; the
/// end of the digits and what `then` returned.
fn up_to_two(s: &str, p: usize, then: impl Fn(usize) -> Option<usize>) -> Option<(usize, usize)> {
    [2, 1]
        .into_iter()
        .find_map(|n| digits(s, p, n).and_then(|d| then(d).map(|e| (d, e))))
}

/// The end of `w` when `s` has it at `p`.
fn lit(s: &str, p: usize, w: &str) -> Option<usize> {
    s.as_bytes()[p..]
        .starts_with(w.as_bytes())
        .then_some(p + w.len())
}

/// The end of a date separator (`/`, `.`, `-`) at `p`.
fn sep_at(s: &str, p: usize) -> Option<usize> {
    matches!(s.as_bytes().get(p), Some(b'/' | b'.' | b'-')).then_some(p + 1)
}

/// All dates of `flat`, in text order, with inferred years filled in.
pub(crate) fn find_dates(flat: &str) -> Vec<DateHit> {
    let mut hits = Vec::new();
    let mut year: Option<i32> = None;
    let mut month: Option<u32> = None;
    let mut last: Option<Date> = None;
    // Indices of hits whose year is still unknown (no full date before them).
    let mut pending: Vec<(usize, u32, u32)> = Vec::new();
    for caps in Written::all(flat) {
        let (start, end) = (caps.start, caps.end);
        let before = flat[..start].chars().next_back();
        if before.is_some_and(|c| {
            c.is_ascii_alphanumeric() || c == '/' || c == ',' || c == '.' || c == '#'
        }) {
            continue;
        }
        if caps.y2.is_some() && flat[end..].starts_with(|c: char| c.is_ascii_digit() || c == '/') {
            continue;
        }
        let num = |g: Option<&str>| g.and_then(|m| m.parse::<u32>().ok());
        let mut full = false;
        let date: Option<Date>;
        if let Some(y) = num(caps.y2) {
            let sep = caps.sep.unwrap_or("");
            if sep == "." && !(2..=2099).contains(&y) {
                continue;
            }
            date = Date::new(
                y as i32,
                num(caps.m2).unwrap_or(0),
                num(caps.d2).unwrap_or(0),
            );
            full = true;
        } else if let Some(d) = num(caps.d3) {
            date = year.zip(month).and_then(|(y, m)| Date::new(y, m, d));
        } else if let Some(d) = num(caps.d4) {
            date = year.zip(month).and_then(|(y, m)| Date::new(y, m, d));
        } else if caps.same.is_some() {
            date = last;
        } else {
            let m = num(caps.m).unwrap_or(0);
            let y = if let Some(era) = caps.era {
                let ey = match caps.ey {
                    Some("元") => 1,
                    Some(s) => s.parse().unwrap_or(0),
                    None => 0,
                };
                // The era start month decides the Gregorian year; day 1 is enough to find it.
                let probe = num(caps.d).unwrap_or(1);
                Date::from_era(era, ey, m, probe)
                    .or_else(|| Date::from_era(era, ey, m, 28))
                    .map(|d| d.year)
            } else if let Some(y) = num(caps.y) {
                Some(y as i32)
            } else if caps.sy.is_some() {
                year
            } else {
                None
            };
            let explicit_year = caps.era.is_some() || caps.y.is_some();
            let day = num(caps.d);
            if caps.sd.is_some() {
                date = last;
            } else if let Some(d) = day {
                match y.or(year) {
                    Some(yy) => date = Date::new(yy, m, d),
                    None => {
                        if (1..=12).contains(&m) && (1..=31).contains(&d) {
                            pending.push((hits.len(), m, d));
                            hits.push(DateHit {
                                start,
                                end,
                                date: Date {
                                    year: 1970,
                                    month: m as u8,
                                    day: d as u8,
                                },
                                full: false,
                                guessed: true,
                            });
                        }
                        continue;
                    }
                }
                full = explicit_year;
            } else {
                // Year-month only: context, not a date (a full date before it is nearer context).
                if let Some(yy) = y {
                    if (1..=12).contains(&m) && last.is_none() {
                        year = Some(yy);
                        month = Some(m);
                    }
                }
                continue;
            }
        }
        let Some(date) = date else { continue };
        year = Some(date.year);
        month = Some(u32::from(date.month));
        last = Some(date);
        hits.push(DateHit {
            start,
            end,
            date,
            full,
            guessed: false,
        });
        if full && !pending.is_empty() {
            for (i, m, d) in pending.drain(..) {
                if let Some(dt) = Date::new(date.year, m, d) {
                    hits[i].date = dt;
                }
            }
        }
    }
    // Month-day dates with no year anywhere cannot be placed.
    let unresolved: Vec<usize> = pending.iter().map(|p| p.0).collect();
    let mut i = 0;
    hits.retain(|_| {
        let keep = !unresolved.contains(&i);
        i += 1;
        keep
    });
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition [`Written`] implements, as a regular expression.
    static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?x)
            (?:
                (?:(?P<era>令和|平成|昭和|[RH])(?P<ey>元|\d{1,2})年|(?P<y>\d{4})年|(?P<sy>同年))?
                (?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|(?P<sd>同日))?
              | (?P<y2>\d{4})(?P<sep>[/.\-])(?P<m2>\d{1,2})[/.\-](?P<d2>\d{1,2})
              | 同月(?P<d3>\d{1,2})日
              | 同(?P<d4>\d{1,2})日
              | (?P<same>同日)
            )",
        )
        .expect("date regex")
    });

    fn by_regex(flat: &str) -> Vec<Written<'_>> {
        DATE_RE
            .captures_iter(flat)
            .map(|c| {
                let g = |n: &str| c.name(n).map(|m| m.as_str());
                let m0 = c.get(0).expect("match");
                Written {
                    start: m0.start(),
                    end: m0.end(),
                    era: g("era"),
                    ey: g("ey"),
                    y: g("y"),
                    sy: g("sy"),
                    m: g("m"),
                    d: g("d"),
                    sd: g("sd"),
                    y2: g("y2"),
                    sep: g("sep"),
                    m2: g("m2"),
                    d2: g("d2"),
                    d3: g("d3"),
                    d4: g("d4"),
                    same: g("same"),
                }
            })
            .collect()
    }

    #[test]
    fn the_scanner_finds_what_the_regex_finds() {
        let pool: Vec<&str> = vec![
            "0", "1", "2", "3", "9", "12", "2024", "令和", "平成", "昭和", "令", "和", "R", "H",
            "元", "年", "月", "日", "同", "同年", "同月", "同日", "/", ".", "-", "x", " ", "、",
            "あ", "漢", "１", "９", "（", "٣", "߂", "①", "〇", "—", "※", "é", "𝟘", "\n",
        ];
        for s in crate::text::random_strings(&pool, 11, 16, 60_000) {
            assert_eq!(Written::all(&s).collect::<Vec<_>>(), by_regex(&s), "{s:?}");
        }
        // Digits of four bytes, and the other alternatives side by side.
        for s in [
            "𝟘𝟘𝟘𝟘年𝟘𝟘月",
            "x𝟘𝟘𝟘𝟘年𝟘𝟘月𝟘𝟘日",
            "令和𝟘𝟘年𝟘𝟘月",
            "𝟘𝟘𝟘𝟘/𝟘/𝟘",
            "2024年11月1日同日同月2日同3日2024-1-2",
            "9𝟘𝟘𝟘𝟘年𝟘𝟘月",
        ] {
            assert_eq!(Written::all(s).collect::<Vec<_>>(), by_regex(s), "{s:?}");
        }
        // The sample archive and the test fixtures, whole.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = 0;
        for dir in ["content", "tests"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let Ok(text) = std::fs::read_to_string(e.path()) else {
                    continue;
                };
                assert_eq!(
                    Written::all(&text).collect::<Vec<_>>(),
                    by_regex(&text),
                    "{}",
                    e.path().display()
                );
                files += 1;
            }
        }
        assert!(files > 30, "{files} files");
    }

    fn dates(s: &str) -> Vec<String> {
        find_dates(s).iter().map(|h| h.date.to_string()).collect()
    }

    #[test]
    fn western_wareki_slash() {
        assert_eq!(dates("2024年11月25日"), ["2024-11-25"]);
        assert_eq!(
            dates("令和2年7月6日、令和元年7月12日、平成25年3月15日"),
            ["2020-07-06", "2019-07-12", "2013-03-15"]
        );
        assert_eq!(
            dates("公開 2024/11/25 更新2024.12.1"),
            ["2024-11-25", "2024-12-01"]
        );
        assert_eq!(dates("R6年5月10日"), ["2024-05-10"]);
        assert_eq!(dates("昭和64年1月7日"), ["1989-01-07"]);
    }

    #[test]
    fn timeline_years_and_same_day() {
        assert_eq!(
            dates("2023年4月6日、連絡。4月7日、報告。同日、調査。5月30日、受領。"),
            ["2023-04-06", "2023-04-07", "2023-04-07", "2023-05-30"]
        );
        assert_eq!(
            dates("2024年9月12日、障害。同月13日に発覚。同19日に報告。"),
            ["2024-09-12", "2024-09-13", "2024-09-19"]
        );
        assert_eq!(
            dates("令和6年5月26日に感染し、同年7月1日に確認"),
            ["2024-05-26", "2024-07-01"]
        );
        // Context from a year-month mention.
        assert_eq!(
            dates("2023年9月時点のデータ。10月2日に判明"),
            ["2023-10-02"]
        );
        // No year before: the next full date lends its year.
        assert_eq!(
            dates("9月12日に障害。【2024年9月24日リリース分】"),
            ["2024-09-12", "2024-09-24"]
        );
        assert!(find_dates("9月12日に障害").is_empty());
    }

    #[test]
    fn not_dates() {
        assert!(dates("#2024-244 と 2024-244").is_empty());
        assert!(dates("12024年1月1日").is_empty());
        assert_eq!(dates("2月30日"), Vec::<String>::new());
        assert!(dates("https://example.jp/20230214/").is_empty());
    }
}
