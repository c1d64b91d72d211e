//! Danish public holidays and working days, for the answer deadline of an intro offer
//! (DOMAIN.md §3.2: "an offer gives 5 working days to answer").
//!
//! Computed here rather than taken from a crate: the rules are few and fixed by law, and the one
//! change that matters (store bededag abolished from 2024) is easy to get wrong in a table.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The last year in which store bededag (Great Prayer Day) was a public holiday; the Folketing
/// abolished it from 2024.
pub const LAST_YEAR_OF_GREAT_PRAYER_DAY: i32 = 2023;

/// Easter Sunday (påskedag) of a Gregorian year, by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    // Proven in range: the algorithm yields March 22 – April 25, which exist in every year chrono
    // can represent; the fallback is only reached for years outside chrono's range.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

/// The days off of a year, sorted by date, with their Danish names.
///
/// Besides the public holidays (helligdage) by law, this counts three days that are not holidays
/// by law but are common days off in the public sector, where the region's staff and the
/// practices answering an offer work: juleaftensdag (24 December), nytårsaftensdag (31 December)
/// and grundlovsdag (Constitution Day, 5 June). Store bededag is counted up to and including 2023
/// only. Påskedag and pinsedag are listed although they are Sundays anyway. Grundlovsdag may fall
/// on 2. pinsedag; the date is then listed twice, once per name.
pub fn danish_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let easter = easter_sunday(year);
    let from_easter = |offset: i64| -> NaiveDate {
        let shifted = if offset >= 0 {
            easter.checked_add_days(Days::new(offset.unsigned_abs()))
        } else {
            easter.checked_sub_days(Days::new(offset.unsigned_abs()))
        };
        // Proven in range for every year whose Easter chrono can represent, bar its very edges.
        shifted.unwrap_or(easter)
    };
    let fixed = |month: u32, day: u32| NaiveDate::from_ymd_opt(year, month, day);
    let mut days: Vec<(NaiveDate, &'static str)> = vec![
        (from_easter(-3), "Skærtorsdag"),
        (from_easter(-2), "Langfredag"),
        (easter, "Påskedag"),
        (from_easter(1), "2. påskedag"),
        (from_easter(39), "Kristi himmelfartsdag"),
        (from_easter(49), "Pinsedag"),
        (from_easter(50), "2. pinsedag"),
    ];
    if year <= LAST_YEAR_OF_GREAT_PRAYER_DAY {
        days.push((from_easter(26), "Store bededag"));
    }
    let fixed_days = [
        (1, 1, "Nytårsdag"),
        (6, 5, "Grundlovsdag"),
        (12, 24, "Juleaftensdag"),
        (12, 25, "Juledag"),
        (12, 26, "2. juledag"),
        (12, 31, "Nytårsaftensdag"),
    ];
    days.extend(fixed_days.iter().filter_map(|&(m, d, name)| fixed(m, d).map(|date| (date, name))));
    days.sort();
    days
}

/// Whether `d` is a day on which an offer's answer period runs: a weekday that is not one of
/// [`danish_holidays`] (which includes 24 Dec, 31 Dec and 5 June).
pub fn is_working_day(d: NaiveDate) -> bool {
    if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        return false;
    }
    !danish_holidays(d.year()).iter().any(|(day, _)| *day == d)
}

/// The day that is `n` working days after `d`; `d` itself does not count, whatever day it is.
/// DOMAIN.md §3.2: the deadline of an intro offer is `add_working_days(offered_on, 5)`.
/// `n = 0` gives `d` back.
pub fn add_working_days(d: NaiveDate, n: u32) -> NaiveDate {
    let mut day = d;
    let mut left = n;
    while left > 0 {
        day = match day.succ_opt() {
            Some(next) => next,
            // The end of chrono's calendar: nothing later exists to return.
            None => return day,
        };
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    #[test]
    fn easter_falls_on_the_known_sundays() {
        assert_eq!(easter_sunday(2024), d(2024, 3, 31));
        assert_eq!(easter_sunday(2025), d(2025, 4, 20));
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2028), d(2028, 4, 16));
        assert_eq!(easter_sunday(2038), d(2038, 4, 25));
        assert_eq!(easter_sunday(2285), d(2285, 3, 22));
        for year in 1900..2200 {
            assert_eq!(easter_sunday(year).weekday(), Weekday::Sun, "Easter {year} is a Sunday");
        }
    }

    #[test]
    fn the_days_off_of_2026_are_the_known_dates() {
        let expected = vec![
            (d(2026, 1, 1), "Nytårsdag"),
            (d(2026, 4, 2), "Skærtorsdag"),
            (d(2026, 4, 3), "Langfredag"),
            (d(2026, 4, 5), "Påskedag"),
            (d(2026, 4, 6), "2. påskedag"),
            (d(2026, 5, 14), "Kristi himmelfartsdag"),
            (d(2026, 5, 24), "Pinsedag"),
            (d(2026, 5, 25), "2. pinsedag"),
            (d(2026, 6, 5), "Grundlovsdag"),
            (d(2026, 12, 24), "Juleaftensdag"),
            (d(2026, 12, 25), "Juledag"),
            (d(2026, 12, 26), "2. juledag"),
            (d(2026, 12, 31), "Nytårsaftensdag"),
        ];
        assert_eq!(danish_holidays(2026), expected);
    }

    #[test]
    fn the_days_off_of_2027_are_the_known_dates() {
        let expected = vec![
            (d(2027, 1, 1), "Nytårsdag"),
            (d(2027, 3, 25), "Skærtorsdag"),
            (d(2027, 3, 26), "Langfredag"),
            (d(2027, 3, 28), "Påskedag"),
            (d(2027, 3, 29), "2. påskedag"),
            (d(2027, 5, 6), "Kristi himmelfartsdag"),
            (d(2027, 5, 16), "Pinsedag"),
            (d(2027, 5, 17), "2. pinsedag"),
            (d(2027, 6, 5), "Grundlovsdag"),
            (d(2027, 12, 24), "Juleaftensdag"),
            (d(2027, 12, 25), "Juledag"),
            (d(2027, 12, 26), "2. juledag"),
            (d(2027, 12, 31), "Nytårsaftensdag"),
        ];
        assert_eq!(danish_holidays(2027), expected);
    }

    #[test]
    fn great_prayer_day_counts_until_2023_and_not_from_2024() {
        // Store bededag 2023 was Friday 5 May (Easter 9 April + 26 days).
        assert!(danish_holidays(2023).contains(&(d(2023, 5, 5), "Store bededag")));
        assert!(!is_working_day(d(2023, 5, 5)));
        // 2024 would have been Friday 26 April: now an ordinary working day.
        assert!(danish_holidays(2024).iter().all(|(_, name)| *name != "Store bededag"));
        assert!(is_working_day(d(2024, 4, 26)));
        assert!(is_working_day(d(2026, 5, 1)));
    }

    #[test]
    fn weekends_holidays_and_public_sector_days_off_are_not_working_days() {
        assert!(!is_working_day(d(2026, 4, 4)), "a Saturday");
        assert!(!is_working_day(d(2026, 4, 12)), "a Sunday");
        assert!(!is_working_day(d(2026, 4, 2)), "skærtorsdag");
        assert!(!is_working_day(d(2026, 6, 5)), "grundlovsdag");
        assert!(!is_working_day(d(2026, 12, 24)), "juleaftensdag");
        assert!(!is_working_day(d(2026, 12, 31)), "nytårsaftensdag");
        assert!(is_working_day(d(2026, 4, 7)), "the Tuesday after Easter");
        assert!(is_working_day(d(2026, 12, 30)));
    }

    #[test]
    fn a_deadline_of_five_working_days_does_not_count_the_offer_day() {
        // Monday 2 March 2026: Tue–Fri are 4 days, the Monday after is the 5th.
        assert_eq!(add_working_days(d(2026, 3, 2), 5), d(2026, 3, 9));
        // An offer made on a Saturday still starts counting on Monday.
        assert_eq!(add_working_days(d(2026, 3, 7), 5), d(2026, 3, 13));
        assert_eq!(add_working_days(d(2026, 3, 7), 0), d(2026, 3, 7));
    }

    #[test]
    fn a_deadline_across_easter_skips_the_easter_holidays() {
        // Wednesday 1 April 2026: 2, 3 and 6 April are holidays, 4–5 a weekend.
        // Working days: 7, 8, 9, 10, 13 April.
        assert_eq!(add_working_days(d(2026, 4, 1), 5), d(2026, 4, 13));
        // Easter 2027 in March: offer Tuesday 23 March → 24, 30, 31 March, 1, 2 April.
        assert_eq!(add_working_days(d(2027, 3, 23), 5), d(2027, 4, 2));
    }

    #[test]
    fn a_deadline_across_christmas_and_new_year_skips_the_days_off() {
        // Monday 21 Dec 2026: 22, 23 Dec, then 24–27 off, 28, 29, 30 Dec.
        assert_eq!(add_working_days(d(2026, 12, 21), 5), d(2026, 12, 30));
        // Monday 28 Dec: 29, 30 Dec, then 31 Dec – 3 Jan off, 4, 5, 6 Jan.
        assert_eq!(add_working_days(d(2026, 12, 28), 5), d(2027, 1, 6));
    }
}
