//! The fairness review for DYNAMU (DOMAIN.md §4, rules P1–P6; CONTRACT.md `fairness`).
//!
//! Per practice: the load per tutor (P1), the mix of trainee types (P2), refused types (P3),
//! dependence on trainees (P6) and long idle stretches. For the region: how evenly load per tutor
//! is spread (a Gini coefficient) and the share of trainee months spent in areas threatened by GP
//! shortage (P5), for the whole period and per calendar year.
//!
//! Only stored placements count. Months are days ÷ (365.25 ÷ 12), as CONTRACT.md fixes.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};

use super::dates::{Period, danish, days_to_months};
use super::model::{Dataset, Placement, Practice, Trainee, TraineeType};

/// Flag for rule P3: the practice refuses at least one trainee type.
pub const FLAG_REFUSES_A_TYPE: &str = "P3";
/// Flag for rule P6: the practice appears to run on trainees.
pub const FLAG_RUNS_ON_TRAINEES: &str = "P6";
/// Flag for a practice that has received nobody for `Settings::idle_months`.
pub const FLAG_IDLE: &str = "idle";

/// Rule P6 looks at this many calendar months, ending on the last day of the review period.
pub const P6_WINDOW_MONTHS: u32 = 24;
/// Rule P6: a practice is flagged when, on at least this many days of the window, it held as many
/// trainees as it has tutors (or more), i.e. about 12 months of the last 24. A fixed constant, not
/// a setting: the seed gives no figure, and a review should read the same in every database.
pub const P6_MIN_DAYS: i64 = 365;

/// One practice's line of the review.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PracticeFairness {
    pub practice_id: String,
    pub name: String,
    pub tutors: u32,
    /// Months of placements inside the period (CONTRACT.md: days ÷ (365.25 ÷ 12)).
    #[serde(serialize_with = "two_decimals")]
    pub trainee_months: f64,
    /// Rule P1: the load per tutor. A practice recorded with 0 tutors is divided by 1.
    #[serde(serialize_with = "two_decimals")]
    pub months_per_tutor: f64,
    /// Rule P2: months by trainee type, keyed by `TraineeType::key()`; all six keys are present.
    #[serde(serialize_with = "two_decimals_map")]
    pub by_type: BTreeMap<String, f64>,
    /// [`FLAG_REFUSES_A_TYPE`], [`FLAG_RUNS_ON_TRAINEES`], [`FLAG_IDLE`], in that order.
    pub flags: Vec<&'static str>,
    /// Rule P5: lies in an area threatened by GP shortage.
    pub threatened: bool,
    /// Rule P6: months of the [`P6_WINDOW_MONTHS`] window with trainees ≥ tutors.
    #[serde(serialize_with = "two_decimals")]
    pub full_load_months: f64,
}

/// The review of a period. Serializes to CONTRACT.md's `fairness --format json` shape, numbers
/// rounded to 2 decimals; the keys besides `practices` and `gini_months_per_tutor` are extras.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FairnessReview {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    /// Sorted by practice id.
    pub practices: Vec<PracticeFairness>,
    /// Rule P1: Gini coefficient over practices of months per tutor; 0 is perfectly even.
    #[serde(serialize_with = "two_decimals")]
    pub gini_months_per_tutor: f64,
    /// Rule P5: the share (0–1) of placement months spent in threatened areas.
    #[serde(serialize_with = "two_decimals")]
    pub threatened_share: f64,
    /// The Gini per calendar year of the period (each year cut to the period), for plots.
    #[serde(serialize_with = "two_decimals_by_year")]
    pub gini_by_year: Vec<(i32, f64)>,
    /// The threatened share per calendar year of the period, for plots.
    #[serde(serialize_with = "two_decimals_by_year")]
    pub threatened_share_by_year: Vec<(i32, f64)>,
}

/// The Gini coefficient of non-negative values: 0 when all are equal, (n−1)/n when one holds
/// everything. Empty input, or input summing to 0, gives 0 (nothing is unevenly spread).
pub fn gini(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let n = sorted.len();
    let total: f64 = sorted.iter().sum();
    if n == 0 || total <= 0.0 {
        return 0.0;
    }
    sorted.sort_by(f64::total_cmp);
    // G = 2·Σ i·x_(i) / (n·Σx) − (n+1)/n, with x sorted ascending and i counted from 1.
    let weighted: f64 = sorted.iter().enumerate().map(|(i, x)| (i as f64 + 1.0) * x).sum();
    let n = n as f64;
    (2.0 * weighted / (n * total) - (n + 1.0) / n).max(0.0)
}

/// Reviews the region's stored placements over `period` (DOMAIN.md §4, P1–P6).
///
/// - `trainee_months`, `by_type`, the Gini and the threatened share count placement days inside
///   `period`. Placements whose trainee or practice is unknown are left out.
/// - `P3`: the practice refuses a type.
/// - `P6`: in the [`P6_WINDOW_MONTHS`] months ending on `period.end`, the practice held as many
///   trainees as it has tutors on at least [`P6_MIN_DAYS`] days.
/// - `idle`: a stretch of at least `settings.idle_months` months with no trainee ended or was
///   still running inside the period, looking no later than `today` (so the future is not
///   called idle, and a past period is judged on its own). A practice with no placements at all
///   is idle. `idle_months = 0` turns the flag off.
pub fn fairness_review(data: &Dataset, period: Period, today: NaiveDate) -> FairnessReview {
    let trainees: HashMap<&str, &Trainee> = data.trainees.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut at_practice: HashMap<&str, Vec<(&Placement, TraineeType)>> = HashMap::new();
    for placement in &data.placements {
        if let Some(trainee) = trainees.get(placement.trainee_id.as_str()) {
            at_practice.entry(placement.practice_id.as_str()).or_default().push((placement, trainee.kind));
        }
    }
    let records_start = data.placements.iter().map(|p| p.start).min();
    let mut practices: Vec<&Practice> = data.practices.iter().collect();
    practices.sort_by(|a, b| a.id.cmp(&b.id));
    let held = |p: &Practice| -> &[(&Placement, TraineeType)] { at_practice.get(p.id.as_str()).map_or(&[], |v| v) };

    let lines: Vec<PracticeFairness> = practices
        .iter()
        .map(|&practice| {
            let placements = held(practice);
            // Days are summed exactly and turned into months once, so the types add up to the total.
            let mut days_by_type: BTreeMap<TraineeType, i64> = TraineeType::ALL.iter().map(|&t| (t, 0)).collect();
            for (placement, kind) in placements {
                *days_by_type.entry(*kind).or_insert(0) += placement.period().overlap_days(&period);
            }
            let days: i64 = days_by_type.values().sum();
            let by_type: BTreeMap<String, f64> =
                days_by_type.iter().map(|(kind, &d)| (kind.key().to_string(), days_to_months(d))).collect();
            let trainee_months = days_to_months(days);
            let full_load_days = full_load_days(practice, placements, period.end);

            let mut flags = Vec::new();
            if !practice.refuses.is_empty() {
                flags.push(FLAG_REFUSES_A_TYPE);
            }
            if full_load_days >= P6_MIN_DAYS {
                flags.push(FLAG_RUNS_ON_TRAINEES);
            }
            if is_idle(placements, records_start, period, today, data.settings.idle_months) {
                flags.push(FLAG_IDLE);
            }
            PracticeFairness {
                practice_id: practice.id.clone(),
                name: practice.name.clone(),
                tutors: practice.tutors,
                trainee_months,
                months_per_tutor: trainee_months / f64::from(practice.tutors.max(1)),
                by_type,
                flags,
                threatened: data.is_threatened(practice),
                full_load_months: days_to_months(full_load_days),
            }
        })
        .collect();

    // The region's figures, for any sub-period: (Gini of months per tutor, threatened share).
    let region = |within: Period| -> (f64, f64) {
        let mut per_tutor = Vec::with_capacity(practices.len());
        let (mut all_days, mut threatened_days) = (0i64, 0i64);
        for &practice in &practices {
            let days: i64 = held(practice).iter().map(|(p, _)| p.period().overlap_days(&within)).sum();
            per_tutor.push(days_to_months(days) / f64::from(practice.tutors.max(1)));
            all_days += days;
            if data.is_threatened(practice) {
                threatened_days += days;
            }
        }
        let share = if all_days > 0 { threatened_days as f64 / all_days as f64 } else { 0.0 };
        (gini(&per_tutor), share)
    };
    let (gini_months_per_tutor, threatened_share) = region(period);
    let mut gini_by_year = Vec::new();
    let mut threatened_share_by_year = Vec::new();
    if period.is_valid() {
        for year in period.start.year()..=period.end.year() {
            let Some(year_period) = calendar_year(year) else {
                continue;
            };
            let within = Period::new(period.start.max(year_period.start), period.end.min(year_period.end));
            let (g, share) = region(within);
            gini_by_year.push((year, g));
            threatened_share_by_year.push((year, share));
        }
    }

    FairnessReview {
        from: period.start,
        to: period.end,
        today,
        practices: lines,
        gini_months_per_tutor,
        threatened_share,
        gini_by_year,
        threatened_share_by_year,
    }
}

fn calendar_year(year: i32) -> Option<Period> {
    Some(Period::new(NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?))
}

/// Rule P6: days of the window ending on `last_day` on which the practice held ≥ tutors trainees.
fn full_load_days(practice: &Practice, placements: &[(&Placement, TraineeType)], last_day: NaiveDate) -> i64 {
    let first_day =
        last_day.checked_sub_months(Months::new(P6_WINDOW_MONTHS)).and_then(|d| d.succ_opt()).unwrap_or(last_day);
    let window = Period::new(first_day, last_day);
    // A day-by-day count: the window is about 730 days, and a practice holds few placements.
    let mut trainees_on_day = vec![0u32; usize::try_from(window.days()).unwrap_or(0)];
    for (placement, _) in placements {
        let start = placement.start.max(window.start);
        let end = placement.end.min(window.end);
        if start > end {
            continue;
        }
        let from = (start - window.start).num_days();
        let to = (end - window.start).num_days();
        for i in from..=to {
            if let Some(count) = usize::try_from(i).ok().and_then(|i| trainees_on_day.get_mut(i)) {
                *count += 1;
            }
        }
    }
    let tutors = practice.tutors.max(1);
    trainees_on_day.iter().filter(|&&n| n >= tutors).count() as i64
}

/// Whether a stretch of `idle_months` or more with no trainee ended, or was still running, on a
/// day of `[period.start, min(period.end, today)]`. For a period wholly after `today`, the one day
/// looked at is `today`. Before a practice's first placement the stretch is counted from
/// `records_start`, the first day of any placement on record: a practice is not idle for the years
/// before the region kept records.
fn is_idle(
    placements: &[(&Placement, TraineeType)],
    records_start: Option<NaiveDate>,
    period: Period,
    today: NaiveDate,
    idle_months: u32,
) -> bool {
    if idle_months == 0 {
        return false;
    }
    let last_day = period.end.min(today);
    let first_day = period.start.min(last_day);

    // The days with a trainee, merged into disjoint busy stretches in date order.
    let mut busy: Vec<Period> = placements.iter().map(|(p, _)| p.period()).filter(Period::is_valid).collect();
    busy.sort();
    let mut merged: Vec<Period> = Vec::with_capacity(busy.len());
    for p in busy {
        match merged.last_mut() {
            Some(last) if p.start <= last.end.succ_opt().unwrap_or(last.end) => last.end = last.end.max(p.end),
            _ => merged.push(p),
        }
    }

    // Each free stretch runs from `free_from` (None: since ever) up to and including `free_to`.
    let long_enough = |free_from: Option<NaiveDate>, free_to: NaiveDate| -> bool {
        let free_to = free_to.min(last_day);
        if free_to < first_day {
            return false;
        }
        match free_from {
            None => true,
            Some(from) if from > free_to => false,
            Some(from) => from
                .checked_add_months(Months::new(idle_months))
                .is_some_and(|enough| enough <= free_to.succ_opt().unwrap_or(free_to)),
        }
    };
    let mut free_from: Option<NaiveDate> = records_start;
    for stretch in &merged {
        if let Some(free_to) = stretch.start.pred_opt()
            && long_enough(free_from, free_to)
        {
            return true;
        }
        match stretch.end.succ_opt() {
            Some(next) => free_from = Some(next),
            None => return false,
        }
    }
    long_enough(free_from, last_day)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn two_decimals<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round2(*x))
}

fn two_decimals_map<S: Serializer>(map: &BTreeMap<String, f64>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter().map(|(k, v)| (k, round2(*v))))
}

#[derive(Serialize)]
struct YearValue {
    year: i32,
    value: f64,
}

fn two_decimals_by_year<S: Serializer>(v: &[(i32, f64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|&(year, value)| YearValue { year, value: round2(value) }))
}

/// `12,35`: two decimals with the Danish decimal comma.
fn comma(x: f64) -> String {
    format!("{:.2}", round2(x)).replace('.', ",")
}

/// `12,35 %` for a share 0–1.
fn percent(share: f64) -> String {
    format!("{} %", comma(share * 100.0))
}

impl FairnessReview {
    /// The review as a readable table for `fairness --format text`, numbers with a decimal comma.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Fairness review {} to {} (today {})\nMonths are days ÷ (365,25 ÷ 12). \
             Flags: P3 refuses a type, P6 trainees ≥ tutors {P6_MIN_DAYS}+ days of the last {P6_WINDOW_MONTHS} \
             months, idle nobody for a long time.\n\n",
            danish(self.from),
            danish(self.to),
            danish(self.today)
        );

        let mut headers: Vec<String> = ["Practice", "Tutors", "Months", "Per tutor"].map(String::from).to_vec();
        headers.extend(TraineeType::ALL.iter().map(|t| t.key().to_string()));
        headers.extend(["Flags", "Name"].map(String::from));
        let rows: Vec<Vec<String>> = self
            .practices
            .iter()
            .map(|p| {
                let mut row = vec![
                    p.practice_id.clone(),
                    p.tutors.to_string(),
                    comma(p.trainee_months),
                    comma(p.months_per_tutor),
                ];
                row.extend(TraineeType::ALL.iter().map(|t| comma(p.by_type.get(t.key()).copied().unwrap_or(0.0))));
                row.push(p.flags.join(","));
                row.push(p.name.clone());
                row
            })
            .collect();
        let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let numeric = |column: usize| (1..=3 + TraineeType::ALL.len()).contains(&column);
        let line = |cells: &[String]| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(column, (cell, &width))| {
                    let fill = " ".repeat(width.saturating_sub(cell.chars().count()));
                    if numeric(column) { format!("{fill}{cell}") } else { format!("{cell}{fill}") }
                })
                .collect();
            format!("{}\n", padded.join("  ").trim_end())
        };
        out.push_str(&line(&headers));
        for row in &rows {
            out.push_str(&line(row));
        }

        out.push_str(&format!(
            "\nRegion\n  Gini of months per tutor: {} (0 = perfectly even)\n  Months in threatened areas: {}\n",
            comma(self.gini_months_per_tutor),
            percent(self.threatened_share)
        ));
        if !self.gini_by_year.is_empty() {
            out.push_str("\n  Year  Gini  Threatened\n");
            for (&(year, g), &(_, share)) in self.gini_by_year.iter().zip(&self.threatened_share_by_year) {
                out.push_str(&format!("  {year}  {}  {:>10}\n", comma(g), percent(share)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::YearMonth;
    use crate::domain::model::Setting;
    use crate::domain::region::Region;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    fn months(from: &str, to: &str) -> Period {
        Period::of_months(YearMonth::parse(from).expect("month"), YearMonth::parse(to).expect("month"))
    }

    fn practice(id: &str, municipality: &str, tutors: u32) -> Practice {
        Practice {
            id: id.to_string(),
            name: format!("Lægehus {id}"),
            address: String::new(),
            municipality: municipality.to_string(),
            lat: 56.0,
            lon: 9.5,
            tutors,
            doctors: tutors,
            setting: Setting::Urban,
            burdened: false,
            threatened: None,
            capacity: None,
            large: false,
            refuses: Vec::new(),
            quality: None,
        }
    }

    fn trainee(id: &str, kind: TraineeType) -> Trainee {
        Trainee {
            id: id.to_string(),
            name: format!("Trainee {id}"),
            kind,
            hospital_unit: None,
            municipality: None,
            start: d(2020, 1, 1),
            end: d(2030, 12, 31),
            monthly_salary: None,
            seniority_step: None,
            own_gp: None,
            family_practices: Vec::new(),
            history: Vec::new(),
        }
    }

    fn place(
        data: &mut Dataset,
        trainee_id: &str,
        kind: TraineeType,
        practice_id: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) {
        data.trainees.push(trainee(trainee_id, kind));
        data.placements.push(Placement {
            trainee_id: trainee_id.to_string(),
            practice_id: practice_id.to_string(),
            start,
            end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        });
    }

    fn region_with(practices: Vec<Practice>) -> Dataset {
        let mut data = Dataset::empty(Region::midtjylland());
        data.practices = practices;
        data
    }

    fn line<'a>(review: &'a FairnessReview, id: &str) -> &'a PracticeFairness {
        review.practices.iter().find(|p| p.practice_id == id).expect("practice in review")
    }

    #[test]
    fn gini_of_equal_values_is_zero() {
        assert_eq!(gini(&[3.0, 3.0, 3.0, 3.0]), 0.0);
        assert_eq!(gini(&[]), 0.0);
        assert_eq!(gini(&[0.0, 0.0]), 0.0);
    }

    #[test]
    fn gini_when_one_of_n_has_everything_is_n_minus_one_over_n() {
        for n in 1..=10usize {
            let mut values = vec![0.0; n];
            values[n / 2] = 7.5;
            let expected = (n as f64 - 1.0) / n as f64;
            assert!((gini(&values) - expected).abs() < 1e-12, "n = {n}");
        }
    }

    #[test]
    fn gini_of_a_known_spread_matches_the_pairwise_definition() {
        // Σ|xi − xj| over ordered pairs = 2·(2+1+1) = 8 ; 2·n²·mean = 2·9·2 = 36 → 2/9.
        assert!((gini(&[1.0, 3.0, 2.0]) - 2.0 / 9.0).abs() < 1e-12);
    }

    #[test]
    fn months_count_only_the_days_inside_the_period_and_divide_by_tutors() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 2)]);
        place(&mut data, "K1", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 12, 31));
        let review = fairness_review(&data, months("2026-07", "2026-12"), d(2026, 12, 31));
        let p1 = line(&review, "P1");
        // 1 July – 31 Dec = 184 days = 184 ÷ 30.4375 months.
        assert!((p1.trainee_months - 184.0 / 30.4375).abs() < 1e-9);
        assert!((p1.months_per_tutor - p1.trainee_months / 2.0).abs() < 1e-9);
        assert!((p1.by_type["kbu"] - p1.trainee_months).abs() < 1e-9);
    }

    #[test]
    fn by_type_always_holds_all_six_types() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 1)]);
        place(&mut data, "F3", TraineeType::Phase3, "P1", d(2026, 1, 1), d(2026, 6, 30));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        let keys: Vec<&str> = line(&review, "P1").by_type.keys().map(String::as_str).collect();
        assert_eq!(keys, ["intro", "kbu", "other", "phase1", "phase2", "phase3"]);
        assert_eq!(line(&review, "P1").by_type["kbu"], 0.0);
        assert!(line(&review, "P1").by_type["phase3"] > 5.9);
    }

    #[test]
    fn practices_come_sorted_by_id() {
        let data =
            region_with(vec![practice("P3", "Aarhus", 1), practice("P1", "Aarhus", 1), practice("P2", "Aarhus", 1)]);
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        let ids: Vec<&str> = review.practices.iter().map(|p| p.practice_id.as_str()).collect();
        assert_eq!(ids, ["P1", "P2", "P3"]);
    }

    #[test]
    fn a_practice_that_refuses_a_type_is_flagged_p3() {
        let mut refusing = practice("P1", "Aarhus", 1);
        refusing.refuses = vec![TraineeType::Kbu];
        let mut data = region_with(vec![refusing, practice("P2", "Aarhus", 1)]);
        place(&mut data, "A", TraineeType::Phase1, "P1", d(2026, 1, 1), d(2026, 6, 30));
        place(&mut data, "B", TraineeType::Phase1, "P2", d(2026, 1, 1), d(2026, 6, 30));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        assert_eq!(line(&review, "P1").flags, ["P3"]);
        assert!(line(&review, "P2").flags.is_empty());
    }

    #[test]
    fn a_practice_with_trainees_for_every_tutor_half_of_two_years_is_flagged_p6() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 2), practice("P2", "Aarhus", 2)]);
        // P1: two at a time for the 12 months of 2026.
        place(&mut data, "A", TraineeType::Intro, "P1", d(2026, 1, 1), d(2026, 12, 31));
        place(&mut data, "B", TraineeType::Phase3, "P1", d(2026, 1, 1), d(2026, 12, 31));
        // P2: two at a time for 6 months only, one at a time otherwise.
        place(&mut data, "C", TraineeType::Intro, "P2", d(2025, 1, 1), d(2026, 12, 31));
        place(&mut data, "D", TraineeType::Kbu, "P2", d(2026, 1, 1), d(2026, 6, 30));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        assert_eq!(line(&review, "P1").flags, ["P6"]);
        assert!((line(&review, "P1").full_load_months - 365.0 / 30.4375).abs() < 1e-9);
        assert!(line(&review, "P2").flags.is_empty());
    }

    #[test]
    fn a_practice_with_nobody_for_the_idle_months_before_today_is_flagged_idle() {
        let mut data =
            region_with(vec![practice("P1", "Aarhus", 1), practice("P2", "Aarhus", 1), practice("P3", "Aarhus", 1)]);
        data.settings.idle_months = 24;
        // P1: the last trainee left on 31 Dec 2023, more than 24 months before 1 March 2026.
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2023, 7, 1), d(2023, 12, 31));
        // P2: a trainee left on 31 Aug 2025: only 6 months ago.
        place(&mut data, "B", TraineeType::Kbu, "P2", d(2025, 3, 1), d(2025, 8, 31));
        // P3 never had anyone.
        let review = fairness_review(&data, months("2025-03", "2026-02"), d(2026, 3, 1));
        assert_eq!(line(&review, "P1").flags, ["idle"]);
        assert!(line(&review, "P2").flags.is_empty());
        assert_eq!(line(&review, "P3").flags, ["idle"]);
    }

    #[test]
    fn a_practice_is_not_idle_for_the_time_before_the_records_begin() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 1), practice("P2", "Aarhus", 1)]);
        data.settings.idle_months = 24;
        // The records begin on 1 Feb 2021; P2's first trainee came four months later and it has
        // had trainees since. Regression: every practice whose first trainee came inside the
        // period was flagged idle, as if it had waited since the beginning of time.
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2021, 2, 1), d(2026, 1, 31));
        place(&mut data, "B", TraineeType::Kbu, "P2", d(2021, 6, 1), d(2026, 1, 31));
        let review = fairness_review(&data, months("2021-01", "2026-12"), d(2026, 3, 1));
        assert!(!line(&review, "P1").flags.contains(&FLAG_IDLE));
        assert!(!line(&review, "P2").flags.contains(&FLAG_IDLE), "{:?}", line(&review, "P2").flags);
    }

    #[test]
    fn a_long_gap_inside_a_past_period_is_idle_and_a_short_one_is_not() {
        // Two tutors each, so one trainee at a time never raises P6.
        let mut data = region_with(vec![practice("P1", "Aarhus", 2), practice("P2", "Aarhus", 2)]);
        data.settings.idle_months = 24;
        // P1: nobody from 2020 to 2022 (36 months), busy after.
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2019, 7, 1), d(2019, 12, 31));
        place(&mut data, "B", TraineeType::Intro, "P1", d(2023, 1, 1), d(2024, 12, 31));
        // P2: a 12-month gap only.
        place(&mut data, "C", TraineeType::Intro, "P2", d(2019, 1, 1), d(2020, 12, 31));
        place(&mut data, "D", TraineeType::Intro, "P2", d(2022, 1, 1), d(2024, 12, 31));
        let review = fairness_review(&data, months("2020-01", "2024-12"), d(2026, 3, 1));
        assert_eq!(line(&review, "P1").flags, ["idle"]);
        assert!(line(&review, "P2").flags.is_empty());
    }

    #[test]
    fn a_gap_of_exactly_the_idle_months_is_idle_and_one_day_less_is_not() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 2)]);
        data.settings.idle_months = 12;
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2024, 7, 1), d(2024, 12, 31));
        // Free 1 Jan 2025 – 31 Dec 2025: exactly 12 months.
        place(&mut data, "B", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 6, 30));
        let review = fairness_review(&data, months("2025-01", "2026-06"), d(2026, 6, 30));
        assert_eq!(line(&review, "P1").flags, ["idle"]);

        data.placements[1].start = d(2025, 12, 31);
        let review = fairness_review(&data, months("2025-01", "2026-06"), d(2026, 6, 30));
        assert!(line(&review, "P1").flags.is_empty());
    }

    #[test]
    fn a_one_tutor_practice_with_a_trainee_all_year_is_flagged_p6() {
        // The seed's measure is trainees ≥ tutors; one trainee for one tutor for 12 months meets it.
        let mut data = region_with(vec![practice("P1", "Aarhus", 1)]);
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 6, 30));
        place(&mut data, "B", TraineeType::Phase1, "P1", d(2026, 7, 1), d(2026, 12, 30));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        assert!(line(&review, "P1").flags.is_empty(), "364 days is one short");
        data.placements[1].end = d(2026, 12, 31);
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        assert_eq!(line(&review, "P1").flags, ["P6"]);
    }

    #[test]
    fn the_threatened_share_counts_months_in_threatened_areas() {
        // Lemvig is threatened by default, Aarhus is not.
        let mut data = region_with(vec![practice("P1", "Lemvig", 1), practice("P2", "Aarhus", 1)]);
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 12, 31));
        place(&mut data, "B", TraineeType::Kbu, "P2", d(2026, 1, 1), d(2026, 12, 31));
        place(&mut data, "C", TraineeType::Kbu, "P2", d(2027, 1, 1), d(2027, 12, 31));
        let review = fairness_review(&data, months("2026-01", "2027-12"), d(2027, 12, 31));
        assert!((review.threatened_share - 365.0 / 1095.0).abs() < 1e-12);
        assert_eq!(review.threatened_share_by_year.len(), 2);
        assert!((review.threatened_share_by_year[0].1 - 0.5).abs() < 1e-12);
        assert_eq!(review.threatened_share_by_year[1], (2027, 0.0));
        assert!(line(&review, "P1").threatened);
    }

    #[test]
    fn the_gini_is_given_for_the_period_and_each_year() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 1), practice("P2", "Aarhus", 2)]);
        // 2026: P1 1 trainee / 1 tutor, P2 2 trainees / 2 tutors → even.
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 12, 31));
        place(&mut data, "B", TraineeType::Kbu, "P2", d(2026, 1, 1), d(2026, 12, 31));
        place(&mut data, "C", TraineeType::Kbu, "P2", d(2026, 1, 1), d(2026, 12, 31));
        // 2027: only P1 → one of two has everything → 1/2.
        place(&mut data, "D", TraineeType::Kbu, "P1", d(2027, 1, 1), d(2027, 12, 31));
        let review = fairness_review(&data, months("2026-01", "2027-12"), d(2027, 12, 31));
        assert_eq!(review.gini_by_year.len(), 2);
        assert!(review.gini_by_year[0].1.abs() < 1e-12);
        assert!((review.gini_by_year[1].1 - 0.5).abs() < 1e-12);
        // Whole period: P1 2 years per tutor, P2 1 → between the two.
        assert!(review.gini_months_per_tutor > 0.0 && review.gini_months_per_tutor < 0.5);
    }

    #[test]
    fn the_json_has_the_contract_shape_with_two_decimals() {
        let mut data = region_with(vec![practice("P2", "Aarhus", 3), practice("P1", "Lemvig", 1)]);
        place(&mut data, "A", TraineeType::Phase2, "P2", d(2026, 1, 1), d(2026, 1, 10));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        let json = serde_json::to_value(&review).expect("json");
        let practices = json["practices"].as_array().expect("practices array");
        assert_eq!(practices[0]["practice_id"], "P1");
        let p2 = &practices[1];
        assert_eq!(p2["tutors"], 3);
        // 10 days = 0.3285… months → 0.33; per tutor 0.1095… → 0.11.
        assert_eq!(p2["trainee_months"], 0.33);
        assert_eq!(p2["months_per_tutor"], 0.11);
        assert_eq!(p2["by_type"]["phase2"], 0.33);
        assert_eq!(p2["by_type"].as_object().map(|m| m.len()), Some(6));
        assert!(p2["flags"].as_array().is_some());
        assert_eq!(json["gini_months_per_tutor"], 0.5);
        assert_eq!(json["gini_by_year"][0]["year"], 2026);
    }

    #[test]
    fn the_text_report_uses_the_decimal_comma_and_right_aligns_numbers() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 2)]);
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 6, 30));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        let text = review.to_text();
        assert!(text.contains("Practice  Tutors  Months  Per tutor   kbu  intro"), "{text}");
        assert!(text.contains("P1             2    5,95       2,97  5,95   0,00"), "{text}");
        assert!(text.contains("Gini of months per tutor: 0,00"), "{text}");
        assert!(text.contains("  2026  0,00      0,00 %"), "{text}");
    }

    #[test]
    fn placements_of_unknown_trainees_or_practices_are_left_out() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 1)]);
        place(&mut data, "A", TraineeType::Kbu, "P-GONE", d(2026, 1, 1), d(2026, 6, 30));
        data.placements.push(Placement {
            trainee_id: "NOBODY".to_string(),
            practice_id: "P1".to_string(),
            start: d(2026, 1, 1),
            end: d(2026, 6, 30),
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        });
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        assert_eq!(review.practices.len(), 1);
        assert_eq!(line(&review, "P1").trainee_months, 0.0);
    }
}
