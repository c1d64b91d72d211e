//! `Money`: exact amounts in integer øre (DOMAIN.md §5, CONTRACT.md "Money").
//!
//! No float ever touches this type: parsing, arithmetic and rounding are integer-only.

use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of Danish kroner held as whole øre (1 DKK = 100 øre).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Money(pub i64 /* øre */);

/// Why a text could not be read as an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not an amount: {why}")]
pub struct MoneyParseError {
    pub text: String,
    pub why: &'static str,
}

impl Money {
    pub const ZERO: Money = Money(0);

    /// Whole kroner.
    pub const fn from_dkk(dkk: i64) -> Money {
        Money(dkk * 100)
    }

    pub const fn ore(self) -> i64 {
        self.0
    }

    /// Parses `12345`, `12345,5`, `12345.50` or `-3,25` (CONTRACT.md: `.` or `,` as the decimal
    /// mark, no thousands separator, at most two decimals).
    pub fn parse(text: &str) -> Result<Money, MoneyParseError> {
        let err = |why| MoneyParseError { text: text.to_string(), why };
        let t = text.trim();
        let (negative, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        if t.is_empty() {
            return Err(err("it is empty"));
        }
        let (whole, frac) = match t.find([',', '.']) {
            Some(i) => (&t[..i], &t[i + 1..]),
            None => (t, ""),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("use digits with ',' or '.' as the decimal mark and no thousands separator"));
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("use digits with ',' or '.' as the decimal mark and no thousands separator"));
        }
        if frac.len() > 2 {
            return Err(err("more than two decimals (øre)"));
        }
        let kr: i64 = whole.parse().map_err(|_| err("the number is too large"))?;
        let mut ore: i64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            ore += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        let total =
            kr.checked_mul(100).and_then(|v| v.checked_add(ore)).ok_or_else(|| err("the number is too large"))?;
        Ok(Money(if negative { -total } else { total }))
    }

    /// `1234.56` with a `.` mark: the JSON form (CONTRACT.md).
    pub fn to_json_string(self) -> String {
        self.plain(b'.')
    }

    /// `1234,56` with a `,` mark and no thousands separator: the CSV form.
    pub fn to_csv_string(self) -> String {
        self.plain(b',')
    }

    fn plain(self, mark: u8) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}{}{:02}", a / 100, mark as char, a % 100)
    }

    /// `1.234,56` : Danish display form, without the currency.
    pub fn to_danish(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let kr = (a / 100).to_string();
        let mut grouped = String::with_capacity(kr.len() + kr.len() / 3);
        for (i, c) in kr.chars().enumerate() {
            if i > 0 && (kr.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped},{:02}", a % 100)
    }

    /// `1.234,56 kr.`
    pub fn to_danish_kr(self) -> String {
        format!("{} kr.", self.to_danish())
    }

    /// round_half_up(self × num ÷ den) to whole øre, exact in integers (CONTRACT.md "Money").
    /// Half-up means away from zero at exactly one half, for negative amounts too.
    pub fn mul_div_round(self, num: i64, den: i64) -> Money {
        Money(mul_div_round_half_up(self.0, num, den))
    }
}

/// round_half_up(value × num ÷ den) in i128, so no intermediate can overflow.
pub fn mul_div_round_half_up(value: i64, num: i64, den: i64) -> i64 {
    assert!(den > 0, "a divisor of money must be positive");
    let p = i128::from(value) * i128::from(num);
    let d = i128::from(den);
    let q = if p >= 0 { (2 * p + d) / (2 * d) } else { -((2 * -p + d) / (2 * d)) };
    // Proven in range: |p / d| ≤ |value × num| / 1, and callers pass num ≤ den for shares,
    // days ≤ days_in_month for part months.
    i64::try_from(q).unwrap_or(if q > 0 { i64::MAX } else { i64::MIN })
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_danish_kr())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}
impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}
impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}
impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}
impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_with_either_decimal_mark() {
        assert_eq!(Money::parse("39500,00"), Ok(Money(3_950_000)));
        assert_eq!(Money::parse("39500.5"), Ok(Money(3_950_050)));
        assert_eq!(Money::parse("12"), Ok(Money(1200)));
        assert_eq!(Money::parse("-3,25"), Ok(Money(-325)));
    }

    #[test]
    fn thousands_separators_and_three_decimals_are_refused() {
        assert!(Money::parse("1.234,56").is_err());
        assert!(Money::parse("1,234").is_err());
        assert!(Money::parse("").is_err());
        assert!(Money::parse("abc").is_err());
    }

    #[test]
    fn amounts_print_in_danish_csv_and_json_forms() {
        assert_eq!(Money(123_456).to_danish_kr(), "1.234,56 kr.");
        assert_eq!(Money(1_632_000).to_danish(), "16.320,00");
        assert_eq!(Money(100_000_000).to_danish(), "1.000.000,00");
        assert_eq!(Money(5).to_danish(), "0,05");
        assert_eq!(Money(-123_456).to_danish(), "-1.234,56");
        assert_eq!(Money(1_600_000).to_json_string(), "16000.00");
        assert_eq!(Money(1_600_000).to_csv_string(), "16000,00");
    }

    #[test]
    fn rounding_at_exactly_half_an_ore_goes_up() {
        // 1 øre × 1/2 = 0.5 → 1
        assert_eq!(mul_div_round_half_up(1, 1, 2), 1);
        // 3 × 1/2 = 1.5 → 2 ; 5 × 1/2 = 2.5 → 3 (not banker's rounding)
        assert_eq!(mul_div_round_half_up(3, 1, 2), 2);
        assert_eq!(mul_div_round_half_up(5, 1, 2), 3);
        // just under a half goes down
        assert_eq!(mul_div_round_half_up(149, 1, 100), 1);
        assert_eq!(mul_div_round_half_up(150, 1, 100), 2);
        assert_eq!(mul_div_round_half_up(-5, 1, 2), -3);
    }
}
