//! The user's language and the Danish formats for numbers, dates, times and sorting.
//!
//! It lives in the domain, pure and small, because the domain's reasons (`domain::reasons`) are
//! rendered in it and the domain depends on nothing of ours; `report::format` and `ui::i18n`
//! re-export it for the desk, the reports and the command line.
//!
//! Strings live next to what shows them as `lang.t("dansk", "English")`: a missing translation
//! cannot happen, and the Danish text is what a reader of the code sees first.

use std::cmp::Ordering;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

use super::model::TraineeType;
use super::region::District;

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
                TraineeType::Other => "Anden specialitet",
            },
            Lang::English => kind.english(),
        }
    }

    /// A district's name in this language: `Midt` or `Middle`.
    pub fn district(self, district: District) -> &'static str {
        match (self, district) {
            (Lang::English, District::East) => "East",
            (Lang::English, District::Middle) => "Middle",
            (Lang::English, District::West) => "West",
            (Lang::Danish, d) => d.danish(),
        }
    }

    /// The language a locale setting asks for: Danish for `da`, `da_DK.UTF-8`, `da-DK` …,
    /// English for anything else.
    pub fn from_locale(value: &str) -> Lang {
        let v = value.trim().to_ascii_lowercase();
        let lang = v.split(['_', '-', '.', '@', ':']).next().unwrap_or("");
        if lang == "da" { Lang::Danish } else { Lang::English }
    }

    /// The language the locale variables ask for, read in POSIX order: `LC_ALL`, then
    /// `LC_MESSAGES`, then `LANG` (the first one set and not empty decides). English when none is.
    pub fn from_env_values(lc_all: Option<&str>, lc_messages: Option<&str>, lang: Option<&str>) -> Lang {
        [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.trim().is_empty())
            .map_or(Lang::English, Lang::from_locale)
    }

    /// A time stamp as stored (RFC 3339, local time with its offset, or a local
    /// `YYYY-MM-DD HH:MM:SS`) for people: `29. nov. 2026 kl. 14.03`, or `29 Nov 2026, 14:03` in
    /// English. Text that is not a time stamp is shown as it is.
    pub fn time(self, stamp: &str) -> String {
        let s = stamp.trim();
        let parsed = DateTime::parse_from_rfc3339(s).map(|t| t.naive_local()).or_else(|_| {
            NaiveDateTime::parse_from_str(s.get(..19).unwrap_or(s).replace('T', " ").as_str(), "%Y-%m-%d %H:%M:%S")
        });
        let Ok(t) = parsed else { return stamp.to_string() };
        let month = t.month0() as usize;
        match self {
            Lang::Danish => {
                const MONTHS: [&str; 12] =
                    ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."];
                format!("{}. {} {} kl. {:02}.{:02}", t.day(), MONTHS[month], t.year(), t.hour(), t.minute())
            }
            Lang::English => {
                const MONTHS: [&str; 12] =
                    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
                format!("{} {} {}, {:02}:{:02}", t.day(), MONTHS[month], t.year(), t.hour(), t.minute())
            }
        }
    }

    /// "yes" or "no".
    pub fn yes_no(self, yes: bool) -> &'static str {
        match (self, yes) {
            (Lang::Danish, true) => "ja",
            (Lang::Danish, false) => "nej",
            (Lang::English, true) => "yes",
            (Lang::English, false) => "no",
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

/// Where a letter sorts in the Danish alphabet: a–z, then æ, ø, å (ä, ö and aa-less å likewise);
/// accented letters sort with their base letter; case does not count.
fn letter_rank(c: char) -> (u32, u32) {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let base = match lower {
        'æ' | 'ä' => 'z' as u32 + 1,
        'ø' | 'ö' => 'z' as u32 + 2,
        'å' => 'z' as u32 + 3,
        'é' | 'è' | 'ê' | 'ë' => 'e' as u32,
        'á' | 'à' | 'â' => 'a' as u32,
        'í' | 'ì' | 'î' | 'ï' => 'i' as u32,
        'ó' | 'ò' | 'ô' => 'o' as u32,
        'ú' | 'ù' | 'û' => 'u' as u32,
        'ü' => 'y' as u32,
        c => c as u32,
    };
    (base, lower as u32)
}

/// Danish alphabetical order of two names: `Aarhus < Ebeltoft < Ølsted < Århus`, case and accents
/// second (`Aabenraa` is not read as `Åbenraa`: that spelling rule is not needed here).
pub fn collate(a: &str, b: &str) -> Ordering {
    let primary = |s: &str| s.chars().map(|c| letter_rank(c).0).collect::<Vec<_>>();
    let secondary = |s: &str| s.chars().map(|c| letter_rank(c).1).collect::<Vec<_>>();
    primary(a).cmp(&primary(b)).then_with(|| secondary(a).cmp(&secondary(b))).then_with(|| a.cmp(b))
}

/// Sorts names in Danish alphabetical order (`collate`).
pub fn sort_names<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| collate(name(a), name(b)));
}

/// The items in Danish alphabetical order of their names, for a list on show.
pub fn by_name<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut v: Vec<&T> = items.iter().collect();
    v.sort_by(|a, b| collate(name(a), name(b)));
    v
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
        assert_eq!(number(8532.5, 1), "8.532,5");
    }

    #[test]
    fn dates_are_day_month_year() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        assert_eq!(date(d), "01-12-2026");
    }

    #[test]
    fn times_read_as_danes_write_them() {
        let stamp = "2026-11-29T14:03:27.123+01:00";
        assert_eq!(Lang::Danish.time(stamp), "29. nov. 2026 kl. 14.03");
        assert_eq!(Lang::English.time(stamp), "29 Nov 2026, 14:03");
        assert_eq!(Lang::Danish.time("2027-05-01T08:05:00+02:00"), "1. maj 2027 kl. 08.05");
        assert_eq!(Lang::Danish.time("not a time"), "not a time");
        assert_eq!(Lang::Danish.time("2026-03-02 09:41:07"), "2. mar. 2026 kl. 09.41", "a backup's time");
    }

    #[test]
    fn danish_sorting_puts_ae_oe_aa_last() {
        let mut names = vec!["Århus", "Ølsted", "Æbelø", "Zealand", "aalborg", "Ebeltoft", "Ärø", "éclair", "Favrskov"];
        sort_names(&mut names, |s| s);
        assert_eq!(names, ["aalborg", "Ebeltoft", "éclair", "Favrskov", "Zealand", "Æbelø", "Ärø", "Ølsted", "Århus"]);
        assert_eq!(collate("Skive", "skive"), Ordering::Less, "case only breaks a tie");
        assert_eq!(collate("Viborg", "Viborg"), Ordering::Equal);
        assert_eq!(collate("Ry", "Rødding"), Ordering::Less, "y before ø");
    }

    #[test]
    fn a_danish_locale_picks_danish_and_anything_else_english() {
        assert_eq!(Lang::from_locale("da_DK.UTF-8"), Lang::Danish);
        assert_eq!(Lang::from_locale("da"), Lang::Danish);
        assert_eq!(Lang::from_locale("da-DK"), Lang::Danish);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::English);
        assert_eq!(Lang::from_locale("C.UTF-8"), Lang::English);
        assert_eq!(Lang::from_locale("dan"), Lang::English);
        assert_eq!(Lang::from_env_values(Some("C"), None, Some("da_DK.UTF-8")), Lang::English, "LC_ALL wins");
        assert_eq!(Lang::from_env_values(Some(""), Some("da_DK"), Some("en_GB")), Lang::Danish);
        assert_eq!(Lang::from_env_values(None, None, Some("da_DK.UTF-8")), Lang::Danish);
        assert_eq!(Lang::from_env_values(None, None, None), Lang::English);
    }
}
