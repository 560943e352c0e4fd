//! Calendar dates as notices state them: no time of day, no time zone.
//!
//! A notice says 「2024年11月25日」 or 「令和6年11月25日」; nothing finer. `Date` is that, with the
//! conversions the rest of the pipeline needs: ISO text (front matter, dataset, URLs), 和暦 text
//! (the metadata card shows both) and a day number (the linking stage compares dates ±1 day).

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1000..=9999.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month, 1..=31 (checked against the month).
    pub day: u8,
}

/// Start dates of the Japanese eras (JIS X 0301), newest first.
const ERAS: [(&str, char, Date); 5] = [
    (
        "令和",
        'R',
        Date {
            year: 2019,
            month: 5,
            day: 1,
        },
    ),
    (
        "平成",
        'H',
        Date {
            year: 1989,
            month: 1,
            day: 8,
        },
    ),
    (
        "昭和",
        'S',
        Date {
            year: 1926,
            month: 12,
            day: 25,
        },
    ),
    (
        "大正",
        'T',
        Date {
            year: 1912,
            month: 7,
            day: 30,
        },
    ),
    (
        "明治",
        'M',
        Date {
            year: 1868,
            month: 1,
            day: 25,
        },
    ),
];

impl Date {
    /// A date, if the day exists and the year is in 1000..=9999.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month as u8) as u32 {
            return None;
        }
        Some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// A date from a Japanese era name (`令和`, `平成`, … or `R`, `H`, …), the era year (1 for 元年),
    /// month and day; `None` when the date is outside that era.
    pub fn from_era(era: &str, era_year: u32, month: u32, day: u32) -> Option<Date> {
        let (idx, start) = ERAS
            .iter()
            .enumerate()
            .find_map(|(i, (name, letter, start))| {
                let matches = era == *name || era.chars().eq(std::iter::once(*letter)) || {
                    let lower = letter.to_ascii_lowercase();
                    era.chars().eq(std::iter::once(lower))
                };
                matches.then_some((i, *start))
            })?;
        if era_year == 0 || era_year > 99 {
            return None;
        }
        let date = Date::new(start.year + era_year as i32 - 1, month, day)?;
        if date < start {
            return None;
        }
        // The era ends where the next (newer) one starts.
        if idx > 0 && date >= ERAS[idx - 1].2 {
            return None;
        }
        Some(date)
    }

    /// Parses `YYYY-MM-DD` (also accepts a trailing time part `THH:MM…` or ` HH:MM…`, which is dropped).
    pub fn parse_iso(s: &str) -> Option<Date> {
        let s = s.trim();
        let head = s.get(..10)?;
        let rest = &s[10..];
        if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
            return None;
        }
        let b = head.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = head[..4].parse().ok()?;
        let month = head[5..7].parse().ok()?;
        let day = head[8..10].parse().ok()?;
        Date::new(year, month, day)
    }

    /// The 和暦 form, e.g. `令和6年11月25日` (`令和元年5月1日` for the first year); `None` before 明治.
    pub fn wareki(&self) -> Option<String> {
        let (name, _, start) = ERAS.iter().find(|(_, _, start)| self >= start)?;
        let n = self.year - start.year + 1;
        let year = if n == 1 {
            "元".to_string()
        } else {
            n.to_string()
        };
        Some(format!("{name}{year}年{}月{}日", self.month, self.day))
    }

    /// Days since 1970-01-01 (negative before), for date arithmetic.
    pub fn day_number(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// Seconds since the Unix epoch at midnight UTC of this date.
    pub fn unix_seconds(&self) -> i64 {
        self.day_number() * 86_400
    }

    /// The date of a Unix timestamp (UTC).
    pub fn from_unix_seconds(secs: i64) -> Option<Date> {
        let z = secs.div_euclid(86_400) + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(i32::try_from(y).ok()?, m as u32, d as u32)
    }

    /// RFC 3339 timestamp at midnight in Japan (+09:00), used by feeds.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00+09:00")
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Accepts a TOML date (`published = 2024-11-25`), a string (`"2024-11-25"`, YAML) and nothing else.
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = match toml::Value::deserialize(d)? {
            toml::Value::Datetime(dt) => match dt.date {
                Some(date) => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
                None => {
                    return Err(de::Error::custom(
                        "expected a date such as 2024-11-25, found a time",
                    ))
                }
            },
            toml::Value::String(s) => s,
            other => {
                return Err(de::Error::custom(format!(
                    "expected a date such as 2024-11-25, found {}",
                    other.type_str()
                )))
            }
        };
        Date::parse_iso(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "`{text}` is not a valid date; write it as YYYY-MM-DD, e.g. 2024-11-25"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eras_convert_both_ways() {
        assert_eq!(Date::from_era("令和", 2, 7, 6), Date::new(2020, 7, 6));
        assert_eq!(Date::from_era("令和", 1, 7, 12), Date::new(2019, 7, 12));
        assert_eq!(Date::from_era("令和", 1, 4, 30), None, "before 令和 began");
        assert_eq!(Date::from_era("平成", 31, 4, 30), Date::new(2019, 4, 30));
        assert_eq!(Date::from_era("平成", 31, 5, 1), None, "令和 had begun");
        assert_eq!(Date::from_era("平成", 25, 3, 15), Date::new(2013, 3, 15));
        assert_eq!(Date::from_era("R", 6, 5, 10), Date::new(2024, 5, 10));
        assert_eq!(Date::from_era("昭和", 64, 1, 7), Date::new(1989, 1, 7));
        assert_eq!(
            Date::new(2024, 11, 25).unwrap().wareki().unwrap(),
            "令和6年11月25日"
        );
        assert_eq!(
            Date::new(2019, 5, 1).unwrap().wareki().unwrap(),
            "令和元年5月1日"
        );
        assert_eq!(
            Date::new(2019, 4, 30).unwrap().wareki().unwrap(),
            "平成31年4月30日"
        );
    }

    #[test]
    fn iso_and_day_numbers() {
        assert_eq!(Date::parse_iso("2024-02-29"), Date::new(2024, 2, 29));
        assert_eq!(Date::parse_iso("2023-02-29"), None);
        assert_eq!(Date::parse_iso("2024-1-5"), None);
        let d = Date::new(2024, 11, 25).unwrap();
        assert_eq!(Date::from_unix_seconds(d.unix_seconds()), Some(d));
        assert_eq!(Date::new(1970, 1, 2).unwrap().day_number(), 1);
    }
}
