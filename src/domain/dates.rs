//! Dates and months as the contract reads and writes them (CONTRACT.md "Dates and months").
//!
//! Periods are inclusive at both ends. "Today" is never read here: callers pass it in.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Why a text is not a date or a month.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a valid {what}; write {expected}")]
pub struct DateParseError {
    pub text: String,
    pub what: &'static str,
    pub expected: &'static str,
}

/// Reads `YYYY-MM-DD`, and the Danish `DD-MM-YYYY` on import.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateParseError> {
    let t = text.trim();
    let err = || DateParseError { text: t.to_string(), what: "date", expected: "YYYY-MM-DD (or DD-MM-YYYY)" };
    let parts: Vec<&str> = t.split('-').collect();
    if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(err());
    }
    let (y, m, d) = if parts[0].len() == 4 && parts[1].len() <= 2 && parts[2].len() <= 2 {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        (parts[2], parts[1], parts[0])
    } else {
        return Err(err());
    };
    let (y, m, d) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>());
    match (y, m, d) {
        (Ok(y), Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(y, m, d).ok_or_else(err),
        _ => Err(err()),
    }
}

/// `YYYY-MM-DD`
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `DD-MM-YYYY`: the Danish display form.
pub fn danish(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// A calendar month, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        (1..=12).contains(&month).then_some(YearMonth { year, month })
    }

    pub fn of(d: NaiveDate) -> YearMonth {
        YearMonth { year: d.year(), month: d.month() }
    }

    /// Reads `YYYY-MM`.
    pub fn parse(text: &str) -> Result<YearMonth, DateParseError> {
        let t = text.trim();
        let err = || DateParseError { text: t.to_string(), what: "month", expected: "YYYY-MM" };
        let (y, m) = t.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(err());
        }
        let y: i32 = y.parse().map_err(|_| err())?;
        let m: u32 = m.parse().map_err(|_| err())?;
        YearMonth::new(y, m).ok_or_else(err)
    }

    pub fn first_day(self) -> NaiveDate {
        // Proven valid: month is 1..=12 by construction and day 1 exists in every month.
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth { year: self.year + 1, month: 1 }
        } else {
            YearMonth { year: self.year, month: self.month + 1 }
        }
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: YearMonth) -> impl Iterator<Item = YearMonth> {
        std::iter::successors(Some(self), move |m| Some(m.next()).filter(|n| *n <= last))
            .take_while(move |m| *m <= last)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// An inclusive period of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Period {
        Period { start, end }
    }

    /// Rule H9: start ≤ end.
    pub fn is_valid(&self) -> bool {
        self.start <= self.end
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    pub fn contains_period(&self, other: &Period) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Days both periods share (0 when apart).
    pub fn overlap_days(&self, other: &Period) -> i64 {
        let s = self.start.max(other.start);
        let e = self.end.min(other.end);
        if s <= e { (e - s).num_days() + 1 } else { 0 }
    }

    pub fn overlaps(&self, other: &Period) -> bool {
        self.overlap_days(other) > 0
    }

    /// The whole months `from` to `to`.
    pub fn of_months(from: YearMonth, to: YearMonth) -> Period {
        Period { start: from.first_day(), end: to.last_day() }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", danish(self.start), danish(self.end))
    }
}

/// Average days in a month, as fairness counts months (CONTRACT.md: days ÷ (365.25 ÷ 12)).
pub fn days_to_months(days: i64) -> f64 {
    days as f64 / (365.25 / 12.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    #[test]
    fn iso_and_danish_dates_are_both_read() {
        assert_eq!(parse_date("2026-08-01"), Ok(d(2026, 8, 1)));
        assert_eq!(parse_date("01-08-2026"), Ok(d(2026, 8, 1)));
        assert_eq!(parse_date(" 2026-8-1 "), Ok(d(2026, 8, 1)));
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("2026-02-29").is_err());
        assert!(parse_date("2026/02/01").is_err());
        assert!(parse_date("").is_err());
        assert!(parse_date("26-02-01").is_err());
    }

    #[test]
    fn a_leap_february_has_29_days() {
        assert_eq!(YearMonth::new(2028, 2).map(|m| m.days()), Some(29));
        assert_eq!(YearMonth::new(2027, 2).map(|m| m.days()), Some(28));
        assert_eq!(YearMonth::new(2026, 12).map(|m| m.next()), YearMonth::new(2027, 1));
    }

    #[test]
    fn months_iterate_across_a_year_end() {
        let a = YearMonth::parse("2026-11").expect("month");
        let b = YearMonth::parse("2027-02").expect("month");
        let v: Vec<String> = a.through(b).map(|m| m.to_string()).collect();
        assert_eq!(v, ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert!(YearMonth::parse("2026-13").is_err());
    }

    #[test]
    fn overlap_counts_inclusive_days() {
        let a = Period::new(d(2026, 1, 1), d(2026, 1, 31));
        let b = Period::new(d(2026, 1, 31), d(2026, 3, 1));
        assert_eq!(a.overlap_days(&b), 1);
        assert_eq!(a.days(), 31);
        assert_eq!(Period::new(d(2026, 2, 1), d(2026, 2, 2)).overlap_days(&a), 0);
    }
}
