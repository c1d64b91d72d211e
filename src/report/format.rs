//! The user's language and the Danish formats for numbers and dates, in one place for the desk,
//! the reports and the command line (Danish by default, English on request; Danish formats for
//! numbers and dates in both).
//!
//! Strings live next to what shows them as `lang.t("dansk", "English")`: a missing translation
//! cannot happen, and the Danish text is what a reader of the code sees first.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::model::TraineeType;
use crate::domain::region::District;

/// The user interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Danish,
    English,
}

impl Lang {
    /// Picks the text for this language.
    pub fn t(self, danish: &'static str, english: &'static str) -> &'static str {
        match self {
            Lang::Danish => danish,
            Lang::English => english,
        }
    }

    /// The trainee type's name in this language.
    pub fn kind(self, kind: TraineeType) -> &'static str {
        match self {
            Lang::Danish => match kind {
                TraineeType::Kbu => "KBU",
                TraineeType::Intro => "Intro",
                TraineeType::Phase1 => "Fase 1",
                TraineeType::Phase2 => "Fase 2",
                TraineeType::Phase3 => "Fase 3",
                TraineeType::Other => "Anden specialist",
            },
            Lang::English => kind.english(),
        }
    }

    pub fn district(self, district: District) -> &'static str {
        match (self, district) {
            (Lang::English, District::East) => "East",
            (Lang::English, District::Middle) => "Middle",
            (Lang::English, District::West) => "West",
            (Lang::Danish, d) => d.danish(),
        }
    }
}

/// A number with Danish separators: `12.345,6` (thousands dot, decimal comma).
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let negative =
        value < 0.0 && grouped.chars().chain(fraction.iter().flat_map(|f| f.chars())).any(|c| c != '0' && c != '.');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(f) = fraction {
        out.push(',');
        out.push_str(&f);
    }
    out
}

/// A date as Danes write it: `01-12-2026`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// A period of two dates.
pub fn period(start: NaiveDate, end: NaiveDate) -> String {
    format!("{} – {}", date(start), date(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_the_danish_thousands_dot_and_decimal_comma() {
        assert_eq!(number(1234567.891, 2), "1.234.567,89");
        assert_eq!(number(12.0, 0), "12");
        assert_eq!(number(-0.001, 1), "0,0");
        assert_eq!(number(-1500.5, 1), "-1.500,5");
        assert_eq!(number(999.0, 0), "999");
    }

    #[test]
    fn dates_are_day_month_year() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        assert_eq!(date(d), "01-12-2026");
    }
}
