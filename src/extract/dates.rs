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

/// Group indices of `DATE_RE` by name (name lookups hash; this is per match).
static GROUPS: LazyLock<Vec<(String, usize)>> = LazyLock::new(|| {
    DATE_RE
        .capture_names()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (n.to_string(), i)))
        .collect()
});

fn group<'h>(caps: &regex::Captures<'h>, name: &str) -> Option<regex::Match<'h>> {
    let i = GROUPS.iter().find(|(n, _)| n == name)?.1;
    caps.get(i)
}

/// All dates of `flat`, in text order, with inferred years filled in.
pub(crate) fn find_dates(flat: &str) -> Vec<DateHit> {
    let mut hits = Vec::new();
    let mut year: Option<i32> = None;
    let mut month: Option<u32> = None;
    let mut last: Option<Date> = None;
    // Indices of hits whose year is still unknown (no full date before them).
    let mut pending: Vec<(usize, u32, u32)> = Vec::new();
    for caps in DATE_RE.captures_iter(flat) {
        let m0 = caps.get(0).expect("match");
        let (start, end) = (m0.start(), m0.end());
        let before = flat[..start].chars().next_back();
        if before.is_some_and(|c| {
            c.is_ascii_alphanumeric() || c == '/' || c == ',' || c == '.' || c == '#'
        }) {
            continue;
        }
        if group(&caps, "y2").is_some()
            && flat[end..].starts_with(|c: char| c.is_ascii_digit() || c == '/')
        {
            continue;
        }
        let num = |name: &str| group(&caps, name).and_then(|m| m.as_str().parse::<u32>().ok());
        let mut full = false;
        let date: Option<Date>;
        if let Some(y) = num("y2") {
            let sep = group(&caps, "sep").map_or("", |m| m.as_str());
            if sep == "." && !(2..=2099).contains(&y) {
                continue;
            }
            date = Date::new(y as i32, num("m2").unwrap_or(0), num("d2").unwrap_or(0));
            full = true;
        } else if let Some(d) = num("d3") {
            date = year.zip(month).and_then(|(y, m)| Date::new(y, m, d));
        } else if let Some(d) = num("d4") {
            date = year.zip(month).and_then(|(y, m)| Date::new(y, m, d));
        } else if group(&caps, "same").is_some() {
            date = last;
        } else {
            let m = num("m").unwrap_or(0);
            let y = if let Some(era) = group(&caps, "era") {
                let ey = match group(&caps, "ey").map(|m| m.as_str()) {
                    Some("元") => 1,
                    Some(s) => s.parse().unwrap_or(0),
                    None => 0,
                };
                // The era start month decides the Gregorian year; day 1 is enough to find it.
                let probe = caps
                    .name("d")
                    .and_then(|d| d.as_str().parse::<u32>().ok())
                    .unwrap_or(1);
                Date::from_era(era.as_str(), ey, m, probe)
                    .or_else(|| Date::from_era(era.as_str(), ey, m, 28))
                    .map(|d| d.year)
            } else if let Some(y) = num("y") {
                Some(y as i32)
            } else if group(&caps, "sy").is_some() {
                year
            } else {
                None
            };
            let explicit_year = group(&caps, "era").is_some() || group(&caps, "y").is_some();
            let day = num("d");
            if group(&caps, "sd").is_some() {
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
