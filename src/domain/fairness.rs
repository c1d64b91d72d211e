//! The fairness review for DYNAMU (DOMAIN.md §4, rules P1–P6; CONTRACT.md `fairness`).
//!
//! Per practice: the load per tutor (P1) and per doctor, the mix of trainee types (P2), refused
//! types (P3), dependence on trainees (P6) and long idle stretches, each flag with the figures that
//! raised it. For the region: how evenly load per tutor is spread (a Gini coefficient), the median
//! load per tutor, and the share of trainee months spent in areas threatened by GP shortage (P5)
//! beside the share of the region's tutors who work there, for the whole period and per year.
//!
//! Only stored placements count. Months are days ÷ (365.25 ÷ 12), as CONTRACT.md fixes. Nothing
//! here is worded for a reader: `report::fairness` renders the flags in Danish or English.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};

use super::dates::{Period, days_to_months};
use super::model::{Dataset, Placement, Practice, Settings, Trainee, TraineeType};
use super::region::District;

/// The rule id of P3 in JSON and on screen: the practice refuses at least one trainee type.
pub const FLAG_REFUSES_A_TYPE: &str = "P3";
/// The rule id of P6: the practice appears to run on trainees.
pub const FLAG_RUNS_ON_TRAINEES: &str = "P6";
/// The id of the flag for a practice that has received nobody for `Settings::idle_months`.
pub const FLAG_IDLE: &str = "idle";

/// The three flags of the review, without their figures: for filters and counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum FlagKind {
    /// Rule P3: refuses a type.
    RefusesTypes,
    /// Rule P6: runs on trainees.
    RunsOnTrainees,
    /// Nobody received for a long time.
    Idle,
}

impl FlagKind {
    /// In the order flags are listed.
    pub const ALL: [FlagKind; 3] = [FlagKind::RefusesTypes, FlagKind::RunsOnTrainees, FlagKind::Idle];

    /// `P3`, `P6` or `idle`, as in JSON.
    pub fn rule_id(self) -> &'static str {
        match self {
            FlagKind::RefusesTypes => FLAG_REFUSES_A_TYPE,
            FlagKind::RunsOnTrainees => FLAG_RUNS_ON_TRAINEES,
            FlagKind::Idle => FLAG_IDLE,
        }
    }
}

/// Rule P6's three thresholds, from the settings (DOMAIN.md §4 P6: "all three figures are
/// settings").
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct P6Thresholds {
    /// The window: this many calendar months, ending on the last day of the review period.
    pub window_months: u32,
    /// Trainees present on at least this percentage of the window's days.
    pub min_days_percent: u32,
    /// On the days with trainees, at least this many trainees per doctor on average.
    pub min_trainees_per_doctor: f64,
}

impl P6Thresholds {
    pub fn of(settings: &Settings) -> P6Thresholds {
        P6Thresholds {
            window_months: settings.p6_window_months.max(1),
            min_days_percent: settings.p6_min_days_percent,
            min_trainees_per_doctor: settings.p6_min_trainees_per_doctor,
        }
    }
}

impl Default for P6Thresholds {
    fn default() -> P6Thresholds {
        P6Thresholds::of(&Settings::default())
    }
}

/// Rule P6's figures for one practice: how often trainees were there over the window, and how
/// many per doctor when they were.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct P6Figures {
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub window_days: i64,
    /// Days of the window with at least one trainee present.
    pub days_with_trainees: i64,
    /// Sum over the window's days of the trainees present.
    pub trainee_days: i64,
    /// The practice's doctors (at least 1).
    pub doctors: u32,
}

impl P6Figures {
    /// The share (0–1) of the window's days with a trainee present.
    pub fn share_of_days(&self) -> f64 {
        if self.window_days > 0 { self.days_with_trainees as f64 / self.window_days as f64 } else { 0.0 }
    }

    /// On the days with trainees, the trainees present per doctor on average (0 with no such day).
    pub fn trainees_per_doctor(&self) -> f64 {
        if self.days_with_trainees > 0 {
            self.trainee_days as f64 / self.days_with_trainees as f64 / f64::from(self.doctors.max(1))
        } else {
            0.0
        }
    }

    /// Rule P6: trainees on at least `min_days_percent` of the days **and** on those days at
    /// least `min_trainees_per_doctor` per doctor on average. A practice with no trainee at all
    /// never runs on trainees, whatever the thresholds.
    pub fn raises_p6(&self, t: &P6Thresholds) -> bool {
        // Whole numbers for the days, so 90 % of the days is exact.
        let often = self.days_with_trainees > 0
            && self.days_with_trainees * 100 >= i64::from(t.min_days_percent) * self.window_days;
        // trainee_days ÷ days_with ÷ doctors ≥ min, multiplied out; the tolerance absorbs a
        // threshold like 0.1 that has no exact binary form.
        let many = self.trainee_days as f64
            >= t.min_trainees_per_doctor * self.days_with_trainees as f64 * f64::from(self.doctors.max(1)) - 1e-9;
        often && many
    }
}

/// A stretch with no trainee at a practice, long enough to flag it idle.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IdleStretch {
    /// The first free day; `None` when no placement is on record anywhere in the region.
    pub free_from: Option<NaiveDate>,
    /// The last free day looked at (at most the review's end and today).
    pub free_to: NaiveDate,
    /// `Settings::idle_months` when the review was made.
    pub idle_months: u32,
}

impl IdleStretch {
    /// The stretch in months, if it has a beginning.
    pub fn months(&self) -> Option<f64> {
        self.free_from.map(|from| days_to_months(Period::new(from, self.free_to).days()))
    }
}

/// A flag of the review with the figures that raised it. JSON writes its rule id only.
#[derive(Clone, Debug, PartialEq)]
pub enum Flag {
    /// Rule P3: the practice refuses these types.
    RefusesTypes { types: Vec<TraineeType> },
    /// Rule P6: the practice appears to run on trainees.
    RunsOnTrainees { figures: P6Figures, thresholds: P6Thresholds },
    /// Nobody for at least `idle_months`.
    Idle { stretch: IdleStretch },
}

impl Flag {
    pub fn kind(&self) -> FlagKind {
        match self {
            Flag::RefusesTypes { .. } => FlagKind::RefusesTypes,
            Flag::RunsOnTrainees { .. } => FlagKind::RunsOnTrainees,
            Flag::Idle { .. } => FlagKind::Idle,
        }
    }

    /// `P3`, `P6` or `idle`.
    pub fn rule_id(&self) -> &'static str {
        self.kind().rule_id()
    }
}

impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.rule_id())
    }
}

/// The newest placement at a practice that began by the end of the review period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LastPlacement {
    pub trainee_id: String,
    #[serde(rename = "type")]
    pub kind: TraineeType,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// One practice's line of the review.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PracticeFairness {
    pub practice_id: String,
    pub name: String,
    pub municipality: String,
    /// The district of the municipality (DOMAIN.md §2.1).
    #[serde(skip)]
    pub district: Option<District>,
    /// The hospital unit whose catchment holds the practice: a coordinator's area (§3.3).
    #[serde(skip)]
    pub hospital_unit: Option<String>,
    pub tutors: u32,
    pub doctors: u32,
    /// Months of placements inside the period (CONTRACT.md: days ÷ (365.25 ÷ 12)).
    #[serde(serialize_with = "two_decimals")]
    pub trainee_months: f64,
    /// Rule P1: the load per tutor. A practice recorded with 0 tutors is divided by 1.
    #[serde(serialize_with = "two_decimals")]
    pub months_per_tutor: f64,
    /// The load per doctor (P6's measure of size). 0 doctors is divided by 1.
    #[serde(serialize_with = "two_decimals")]
    pub months_per_doctor: f64,
    /// Rule P2: months by trainee type, keyed by `TraineeType::key()`; all six keys are present.
    #[serde(serialize_with = "two_decimals_map")]
    pub by_type: BTreeMap<String, f64>,
    /// P3, P6, idle, in that order, each with its figures.
    pub flags: Vec<Flag>,
    /// Rule P5: lies in an area threatened by GP shortage.
    pub threatened: bool,
    /// Rule P6's figures, flagged or not.
    pub p6: P6Figures,
    pub last_placement: Option<LastPlacement>,
}

impl PracticeFairness {
    pub fn has(&self, kind: FlagKind) -> bool {
        self.flags.iter().any(|f| f.kind() == kind)
    }

    /// Rule P2: the share (0–1) of each general-medicine type in this practice's months of those
    /// types, in `TraineeType::GENERAL` order; all 0 when it had none.
    pub fn general_type_shares(&self) -> [f64; 5] {
        general_shares(&self.by_type)
    }
}

/// Rule P2's baseline: an even mix gives each of the five general-medicine types this share.
pub const EVEN_TYPE_SHARE: f64 = 1.0 / 5.0;

fn general_shares(by_type: &BTreeMap<String, f64>) -> [f64; 5] {
    let months = TraineeType::GENERAL.map(|k| by_type.get(k.key()).copied().unwrap_or(0.0));
    let total: f64 = months.iter().sum();
    if total > 0.0 { months.map(|m| m / total) } else { [0.0; 5] }
}

/// The region's figures for one calendar year of the period (the year cut to the period).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct YearFigures {
    pub year: i32,
    #[serde(serialize_with = "two_decimals")]
    pub trainee_months: f64,
    #[serde(serialize_with = "two_decimals")]
    pub gini_months_per_tutor: f64,
    #[serde(serialize_with = "two_decimals")]
    pub threatened_share: f64,
}

/// The review of a period. Serializes to CONTRACT.md's `fairness --format json` shape, numbers
/// rounded to 2 decimals (shares to 4); keys beyond the contract's are extras.
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
    /// Rule P1's baseline: the median over practices of months per tutor.
    #[serde(serialize_with = "two_decimals")]
    pub median_months_per_tutor: f64,
    /// All months of placements in the period.
    #[serde(serialize_with = "two_decimals")]
    pub trainee_months: f64,
    /// Rule P5: the share (0–1) of trainee months spent in threatened areas.
    #[serde(serialize_with = "four_decimals")]
    pub threatened_share: f64,
    /// Rule P5's baseline: the share (0–1) of the region's tutors who work in threatened areas.
    #[serde(serialize_with = "four_decimals")]
    pub threatened_tutor_share: f64,
    /// The P6 thresholds the flags were raised with.
    pub p6_thresholds: P6Thresholds,
    /// `Settings::idle_months` the idle flags were raised with (0: no idle flags).
    pub idle_months: u32,
    /// The Gini per calendar year of the period (each year cut to the period), for plots.
    #[serde(serialize_with = "two_decimals_by_year")]
    pub gini_by_year: Vec<(i32, f64)>,
    /// The threatened share per calendar year of the period, for plots.
    #[serde(serialize_with = "two_decimals_by_year")]
    pub threatened_share_by_year: Vec<(i32, f64)>,
    /// Per calendar year: months, Gini and threatened share together.
    pub years: Vec<YearFigures>,
}

impl FairnessReview {
    /// How many practices carry each flag.
    pub fn flag_counts(&self) -> BTreeMap<FlagKind, usize> {
        let mut counts: BTreeMap<FlagKind, usize> = FlagKind::ALL.iter().map(|&k| (k, 0)).collect();
        for p in &self.practices {
            for f in &p.flags {
                *counts.entry(f.kind()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// Practices with at least one flag, in id order.
    pub fn flagged(&self) -> impl Iterator<Item = &PracticeFairness> {
        self.practices.iter().filter(|p| !p.flags.is_empty())
    }

    /// Rule P2 for the region: months by type over all practices, in `TraineeType::ALL` order.
    pub fn months_by_type(&self) -> [f64; 6] {
        TraineeType::ALL.map(|k| self.practices.iter().filter_map(|p| p.by_type.get(k.key())).sum())
    }

    /// The headline figures, for comparing two periods.
    pub fn headline(&self) -> Headline {
        Headline {
            from: self.from,
            to: self.to,
            trainee_months: self.trainee_months,
            gini_months_per_tutor: self.gini_months_per_tutor,
            median_months_per_tutor: self.median_months_per_tutor,
            threatened_share: self.threatened_share,
            threatened_tutor_share: self.threatened_tutor_share,
            flagged: self.flag_counts(),
        }
    }
}

/// A review's headline figures: two of them side by side compare periods.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Headline {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub trainee_months: f64,
    pub gini_months_per_tutor: f64,
    pub median_months_per_tutor: f64,
    pub threatened_share: f64,
    pub threatened_tutor_share: f64,
    pub flagged: BTreeMap<FlagKind, usize>,
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

/// The median of finite values (the mean of the middle two for an even count); 0 for none.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return 0.0;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 }
}

/// Reviews the region's stored placements over `period` (DOMAIN.md §4, P1–P6).
///
/// - `trainee_months`, `by_type`, the Gini and the threatened share count placement days inside
///   `period`. Placements whose trainee or practice is unknown are left out.
/// - `P3`: the practice refuses a type.
/// - `P6`: in the `p6_window_months` ending on `period.end`, trainees were present on at least
///   `p6_min_days_percent` of the days, and on those days they averaged at least
///   `p6_min_trainees_per_doctor` per doctor (DOMAIN.md §4 P6: a solo practice that always has a
///   trainee; two doctors who always have one).
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
    let thresholds = P6Thresholds::of(&data.settings);

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
            let p6 = p6_figures(practice, placements, period.end, thresholds.window_months);

            let mut flags = Vec::new();
            if !practice.refuses.is_empty() {
                let mut types = practice.refuses.clone();
                types.sort();
                types.dedup();
                flags.push(Flag::RefusesTypes { types });
            }
            if p6.raises_p6(&thresholds) {
                flags.push(Flag::RunsOnTrainees { figures: p6.clone(), thresholds });
            }
            if let Some(stretch) = idle_stretch(placements, records_start, period, today, data.settings.idle_months) {
                flags.push(Flag::Idle { stretch });
            }
            let municipality = data.region.municipality(&practice.municipality);
            PracticeFairness {
                practice_id: practice.id.clone(),
                name: practice.name.clone(),
                municipality: practice.municipality.clone(),
                district: municipality.map(|m| m.district),
                hospital_unit: municipality.map(|m| m.hospital_unit.clone()),
                tutors: practice.tutors,
                doctors: practice.doctors,
                trainee_months,
                months_per_tutor: trainee_months / f64::from(practice.tutors.max(1)),
                months_per_doctor: trainee_months / f64::from(practice.doctors.max(1)),
                by_type,
                flags,
                threatened: data.is_threatened(practice),
                p6,
                last_placement: last_placement(placements, period.end),
            }
        })
        .collect();

    // The region's figures, for any sub-period: (months, Gini of months per tutor, threatened share).
    let region = |within: Period| -> (f64, f64, f64) {
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
        (days_to_months(all_days), gini(&per_tutor), share)
    };
    let (trainee_months, gini_months_per_tutor, threatened_share) = region(period);
    let mut years = Vec::new();
    if period.is_valid() {
        for year in period.start.year()..=period.end.year() {
            let Some(year_period) = calendar_year(year) else {
                continue;
            };
            let within = Period::new(period.start.max(year_period.start), period.end.min(year_period.end));
            let (months, g, share) = region(within);
            years.push(YearFigures { year, trainee_months: months, gini_months_per_tutor: g, threatened_share: share });
        }
    }
    let all_tutors: u64 = practices.iter().map(|p| u64::from(p.tutors)).sum();
    let threatened_tutors: u64 = practices.iter().filter(|p| data.is_threatened(p)).map(|p| u64::from(p.tutors)).sum();
    let per_tutor: Vec<f64> = lines.iter().map(|l| l.months_per_tutor).collect();

    FairnessReview {
        from: period.start,
        to: period.end,
        today,
        median_months_per_tutor: median(&per_tutor),
        practices: lines,
        gini_months_per_tutor,
        trainee_months,
        threatened_share,
        threatened_tutor_share: if all_tutors > 0 { threatened_tutors as f64 / all_tutors as f64 } else { 0.0 },
        p6_thresholds: thresholds,
        idle_months: data.settings.idle_months,
        gini_by_year: years.iter().map(|y| (y.year, y.gini_months_per_tutor)).collect(),
        threatened_share_by_year: years.iter().map(|y| (y.year, y.threatened_share)).collect(),
        years,
    }
}

fn calendar_year(year: i32) -> Option<Period> {
    Some(Period::new(NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?))
}

/// The placement that began last on or before `last_day`.
fn last_placement(placements: &[(&Placement, TraineeType)], last_day: NaiveDate) -> Option<LastPlacement> {
    placements
        .iter()
        .filter(|(p, _)| p.start <= last_day)
        .max_by(|(a, _), (b, _)| (a.start, a.end, &a.trainee_id).cmp(&(b.start, b.end, &b.trainee_id)))
        .map(|(p, kind)| LastPlacement { trainee_id: p.trainee_id.clone(), kind: *kind, start: p.start, end: p.end })
}

/// Rule P6's figures over the `window_months` calendar months ending on `last_day`.
fn p6_figures(
    practice: &Practice,
    placements: &[(&Placement, TraineeType)],
    last_day: NaiveDate,
    window_months: u32,
) -> P6Figures {
    let first_day =
        last_day.checked_sub_months(Months::new(window_months.max(1))).and_then(|d| d.succ_opt()).unwrap_or(last_day);
    let window = Period::new(first_day, last_day);
    // A day-by-day count: the window is a few hundred days, and a practice holds few placements.
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
    P6Figures {
        window_start: window.start,
        window_end: window.end,
        window_days: window.days(),
        days_with_trainees: trainees_on_day.iter().filter(|&&n| n > 0).count() as i64,
        trainee_days: trainees_on_day.iter().map(|&n| i64::from(n)).sum(),
        doctors: practice.doctors.max(1),
    }
}

/// The longest stretch of `idle_months` or more with no trainee that ended, or was still
/// running, on a day of `[period.start, min(period.end, today)]`. For a period wholly after
/// `today`, the one day looked at is `today`. Before a practice's first placement the stretch is
/// counted from `records_start`, the first day of any placement on record: a practice is not idle
/// for the years before the region kept records.
fn idle_stretch(
    placements: &[(&Placement, TraineeType)],
    records_start: Option<NaiveDate>,
    period: Period,
    today: NaiveDate,
    idle_months: u32,
) -> Option<IdleStretch> {
    if idle_months == 0 {
        return None;
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
    let long_enough = |free_from: Option<NaiveDate>, free_to: NaiveDate| -> Option<IdleStretch> {
        let free_to = free_to.min(last_day);
        if free_to < first_day {
            return None;
        }
        let enough = match free_from {
            None => true,
            Some(from) if from > free_to => false,
            Some(from) => from
                .checked_add_months(Months::new(idle_months))
                .is_some_and(|enough| enough <= free_to.succ_opt().unwrap_or(free_to)),
        };
        enough.then_some(IdleStretch { free_from, free_to, idle_months })
    };
    let length = |s: &IdleStretch| s.free_from.map_or(i64::MAX, |from| (s.free_to - from).num_days());
    let mut longest: Option<IdleStretch> = None;
    let mut consider = |candidate: Option<IdleStretch>| {
        if let Some(c) = candidate
            && longest.as_ref().is_none_or(|l| length(&c) > length(l))
        {
            longest = Some(c);
        }
    };
    let mut free_from: Option<NaiveDate> = records_start;
    for stretch in &merged {
        if let Some(free_to) = stretch.start.pred_opt() {
            consider(long_enough(free_from, free_to));
        }
        match stretch.end.succ_opt() {
            Some(next) => free_from = Some(next),
            None => return longest,
        }
    }
    consider(long_enough(free_from, last_day));
    longest
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn two_decimals<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round2(*x))
}

fn four_decimals<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((x * 10_000.0).round() / 10_000.0)
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
            phone: None,
            email: None,
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

    /// The rule ids of a practice's flags, as JSON writes them.
    fn flags(review: &FairnessReview, id: &str) -> Vec<&'static str> {
        line(review, id).flags.iter().map(Flag::rule_id).collect()
    }

    fn with_doctors(mut p: Practice, doctors: u32) -> Practice {
        p.doctors = doctors;
        p
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
        assert_eq!(flags(&review, "P1"), ["P3"]);
        assert!(flags(&review, "P2").is_empty());
    }

    /// A two-year review, 2025–2026: P6's window of 24 months is exactly those 730 days.
    fn two_years() -> Period {
        months("2025-01", "2026-12")
    }

    /// Back-to-back six-month placements at `practice_id` from `start` through `end`.
    fn always_one(data: &mut Dataset, prefix: &str, practice_id: &str, start: NaiveDate, end: NaiveDate) {
        let mut from = start;
        let mut n = 0;
        while from <= end {
            let to = from.checked_add_months(Months::new(6)).and_then(|d| d.pred_opt()).expect("date").min(end);
            n += 1;
            place(data, &format!("{prefix}{n}"), TraineeType::Kbu, practice_id, from, to);
            from = to.succ_opt().expect("date");
        }
    }

    #[test]
    fn p6_flags_a_solo_practice_that_always_has_a_trainee() {
        let mut data = region_with(vec![with_doctors(practice("SOLO", "Aarhus", 1), 1)]);
        always_one(&mut data, "S", "SOLO", d(2025, 1, 1), d(2026, 12, 31));
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert_eq!(flags(&review, "SOLO"), ["P6"]);
        let p6 = &line(&review, "SOLO").p6;
        assert_eq!((p6.window_start, p6.window_end, p6.window_days), (d(2025, 1, 1), d(2026, 12, 31), 730));
        assert_eq!(p6.days_with_trainees, 730);
        assert!((p6.trainees_per_doctor() - 1.0).abs() < 1e-12);
        let Flag::RunsOnTrainees { figures, thresholds } = &line(&review, "SOLO").flags[0] else {
            panic!("a P6 flag with its figures")
        };
        assert_eq!(figures, p6);
        assert_eq!(*thresholds, P6Thresholds { window_months: 24, min_days_percent: 90, min_trainees_per_doctor: 0.5 });
    }

    #[test]
    fn p6_does_not_flag_three_doctors_who_always_have_one_trainee() {
        // The old test ("trainees ≥ tutors for 365 days") flagged this one-tutor practice: H8 lets
        // every tutor hold a trainee, so a practice simply in use was said to run on trainees.
        let mut data = region_with(vec![with_doctors(practice("THREE", "Aarhus", 1), 3)]);
        always_one(&mut data, "T", "THREE", d(2025, 1, 1), d(2026, 12, 31));
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert!(flags(&review, "THREE").is_empty(), "{:?}", line(&review, "THREE").flags);
        let p6 = &line(&review, "THREE").p6;
        assert_eq!(p6.days_with_trainees, 730);
        assert!((p6.trainees_per_doctor() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn p6_does_not_flag_two_doctors_with_a_trainee_on_80_percent_of_the_days() {
        let mut data = region_with(vec![with_doctors(practice("TWO", "Aarhus", 1), 2)]);
        // 1 Jan 2025 – 7 Aug 2026: 365 + 219 = 584 days = 80 % of 730.
        place(&mut data, "A", TraineeType::Intro, "TWO", d(2025, 1, 1), d(2025, 12, 31));
        place(&mut data, "B", TraineeType::Intro, "TWO", d(2026, 1, 1), d(2026, 8, 7));
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert!(flags(&review, "TWO").is_empty(), "{:?}", line(&review, "TWO").flags);
        assert_eq!(line(&review, "TWO").p6.days_with_trainees, 584);
        assert!((line(&review, "TWO").p6.share_of_days() - 0.8).abs() < 1e-12);

        // 657 days is 90 % of 730 (657 × 100 = 65,700 ≥ 90 × 730 = 65,700); 656 is not.
        data.placements[1].end = d(2026, 10, 19);
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert_eq!(line(&review, "TWO").p6.days_with_trainees, 657);
        assert_eq!(flags(&review, "TWO"), ["P6"]);
        data.placements[1].end = d(2026, 10, 18);
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert!(flags(&review, "TWO").is_empty());
    }

    #[test]
    fn p6_flags_two_doctors_who_always_have_one_trainee() {
        let mut data = region_with(vec![with_doctors(practice("TWO", "Aarhus", 1), 2)]);
        always_one(&mut data, "T", "TWO", d(2025, 1, 1), d(2026, 12, 31));
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert_eq!(flags(&review, "TWO"), ["P6"]);
        assert!((line(&review, "TWO").p6.trainees_per_doctor() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn p6_averages_the_trainees_over_the_days_they_are_there() {
        // Four doctors; two trainees at once for 23 of the 24 months, nobody in the last month.
        let mut data = region_with(vec![with_doctors(practice("FOUR", "Aarhus", 2), 4)]);
        always_one(&mut data, "A", "FOUR", d(2025, 1, 1), d(2026, 11, 30));
        always_one(&mut data, "B", "FOUR", d(2025, 1, 1), d(2026, 11, 30));
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        let p6 = &line(&review, "FOUR").p6;
        assert_eq!(p6.days_with_trainees, 730 - 31);
        assert_eq!(p6.trainee_days, 2 * (730 - 31));
        // 2 trainees ÷ 4 doctors on the days they were there; the empty month does not dilute it.
        assert!((p6.trainees_per_doctor() - 0.5).abs() < 1e-12);
        assert_eq!(flags(&review, "FOUR"), ["P6"]);
    }

    #[test]
    fn p6_thresholds_come_from_the_settings() {
        let mut data = region_with(vec![
            with_doctors(practice("EIGHTY", "Aarhus", 1), 2),
            with_doctors(practice("ALWAYS", "Aarhus", 1), 2),
        ]);
        place(&mut data, "A", TraineeType::Intro, "EIGHTY", d(2025, 1, 1), d(2025, 12, 31));
        place(&mut data, "B", TraineeType::Intro, "EIGHTY", d(2026, 1, 1), d(2026, 8, 7));
        always_one(&mut data, "C", "ALWAYS", d(2025, 1, 1), d(2026, 12, 31));

        data.settings.p6_min_days_percent = 80;
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert_eq!(flags(&review, "EIGHTY"), ["P6"]);
        assert_eq!(review.p6_thresholds.min_days_percent, 80);

        data.settings.p6_min_days_percent = 90;
        data.settings.p6_min_trainees_per_doctor = 0.6;
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert!(flags(&review, "ALWAYS").is_empty());

        // A window of 12 months: 2026 only, when EIGHTY had a trainee 219 of 365 days.
        data.settings.p6_min_trainees_per_doctor = 0.5;
        data.settings.p6_window_months = 12;
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert_eq!(line(&review, "EIGHTY").p6.window_days, 365);
        assert_eq!(line(&review, "EIGHTY").p6.days_with_trainees, 219);
        assert_eq!(flags(&review, "ALWAYS"), ["P6"]);
    }

    #[test]
    fn a_practice_with_no_trainee_never_runs_on_trainees_even_at_zero_thresholds() {
        let mut data = region_with(vec![practice("EMPTY", "Aarhus", 1)]);
        data.settings.p6_min_days_percent = 0;
        data.settings.p6_min_trainees_per_doctor = 0.0;
        data.settings.idle_months = 0;
        let review = fairness_review(&data, two_years(), d(2026, 12, 31));
        assert!(flags(&review, "EMPTY").is_empty());
    }

    #[test]
    fn an_idle_flag_carries_its_longest_free_stretch() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 2), practice("P2", "Aarhus", 2)]);
        data.settings.idle_months = 12;
        // Records begin with P2 on 1 Jan 2020; P1 is free 2020-01-01 – 2021-12-31 (24 months), busy
        // in 2022, then free again from 2023 until today, 1 Jul 2026 (42 months).
        place(&mut data, "R", TraineeType::Kbu, "P2", d(2020, 1, 1), d(2026, 12, 31));
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2022, 1, 1), d(2022, 12, 31));
        let review = fairness_review(&data, months("2020-01", "2026-12"), d(2026, 7, 1));
        let Some(Flag::Idle { stretch }) = line(&review, "P1").flags.first() else { panic!("idle") };
        assert_eq!((stretch.free_from, stretch.free_to), (Some(d(2023, 1, 1)), d(2026, 7, 1)));
        assert_eq!(stretch.idle_months, 12);
        assert!((stretch.months().expect("months") - 1278.0 / 30.4375).abs() < 1e-9);
    }

    #[test]
    fn months_per_doctor_and_the_last_placement_are_given_per_practice() {
        let mut data = region_with(vec![with_doctors(practice("P1", "Aarhus", 1), 4)]);
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 6, 30));
        place(&mut data, "B", TraineeType::Phase3, "P1", d(2026, 7, 1), d(2027, 6, 30));
        place(&mut data, "C", TraineeType::Intro, "P1", d(2027, 7, 1), d(2028, 6, 30));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        let p1 = line(&review, "P1");
        assert!((p1.months_per_doctor - p1.trainee_months / 4.0).abs() < 1e-12);
        assert!((p1.trainee_months - 365.0 / 30.4375).abs() < 1e-9);
        let last = p1.last_placement.as_ref().expect("a last placement");
        assert_eq!((last.trainee_id.as_str(), last.kind, last.start), ("B", TraineeType::Phase3, d(2026, 7, 1)));
        assert_eq!(p1.district, Some(crate::domain::region::District::East));
        assert_eq!(p1.hospital_unit.as_deref(), Some("Aarhus Universitetshospital"));
    }

    #[test]
    fn the_threatened_tutor_share_and_the_median_are_the_baselines() {
        // Lemvig is threatened by default. 1 + 3 tutors there of 1 + 3 + 4 + 2 = 10.
        let mut data = region_with(vec![
            practice("P1", "Lemvig", 1),
            practice("P2", "Lemvig", 3),
            practice("P3", "Aarhus", 4),
            practice("P4", "Aarhus", 2),
        ]);
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 12, 31));
        place(&mut data, "B", TraineeType::Kbu, "P3", d(2026, 1, 1), d(2026, 12, 31));
        place(&mut data, "C", TraineeType::Kbu, "P4", d(2026, 1, 1), d(2026, 12, 31));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        assert!((review.threatened_tutor_share - 0.4).abs() < 1e-12);
        assert!((review.threatened_share - 1.0 / 3.0).abs() < 1e-12);
        // Months per tutor: P1 12, P2 0, P3 3, P4 6 (in 365-day months) → median (3 + 6) ÷ 2.
        let m = 365.0 / 30.4375;
        assert!((review.median_months_per_tutor - (m / 4.0 + m / 2.0) / 2.0).abs() < 1e-9);
        assert!((review.trainee_months - 3.0 * m).abs() < 1e-9);
        assert_eq!(review.years.len(), 1);
        assert!((review.years[0].trainee_months - 3.0 * m).abs() < 1e-9);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn the_type_shares_of_a_practice_are_against_an_even_mix_of_five() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 1)]);
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 6, 30));
        place(&mut data, "B", TraineeType::Other, "P1", d(2026, 7, 1), d(2026, 12, 31));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        // Other specialties are not part of P2's mix: all the general months are KBU.
        assert_eq!(line(&review, "P1").general_type_shares(), [1.0, 0.0, 0.0, 0.0, 0.0]);
        assert!((EVEN_TYPE_SHARE - 0.2).abs() < 1e-12);
        let counts = review.flag_counts();
        assert_eq!(counts.values().sum::<usize>(), 0);
        assert_eq!(counts.len(), 3);
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
        assert_eq!(flags(&review, "P1"), ["idle"]);
        assert!(flags(&review, "P2").is_empty());
        assert_eq!(flags(&review, "P3"), ["idle"]);
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
        assert!(!line(&review, "P1").has(FlagKind::Idle));
        assert!(!line(&review, "P2").has(FlagKind::Idle), "{:?}", line(&review, "P2").flags);
    }

    #[test]
    fn a_long_gap_inside_a_past_period_is_idle_and_a_short_one_is_not() {
        // Three doctors each, so one trainee at a time never raises P6.
        let mut data = region_with(vec![
            with_doctors(practice("P1", "Aarhus", 2), 3),
            with_doctors(practice("P2", "Aarhus", 2), 3),
        ]);
        data.settings.idle_months = 24;
        // P1: nobody from 2020 to 2022 (36 months), busy after.
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2019, 7, 1), d(2019, 12, 31));
        place(&mut data, "B", TraineeType::Intro, "P1", d(2023, 1, 1), d(2024, 12, 31));
        // P2: a 12-month gap only.
        place(&mut data, "C", TraineeType::Intro, "P2", d(2019, 1, 1), d(2020, 12, 31));
        place(&mut data, "D", TraineeType::Intro, "P2", d(2022, 1, 1), d(2024, 12, 31));
        let review = fairness_review(&data, months("2020-01", "2024-12"), d(2026, 3, 1));
        assert_eq!(flags(&review, "P1"), ["idle"]);
        assert!(flags(&review, "P2").is_empty());
    }

    #[test]
    fn a_gap_of_exactly_the_idle_months_is_idle_and_one_day_less_is_not() {
        let mut data = region_with(vec![practice("P1", "Aarhus", 2)]);
        data.settings.idle_months = 12;
        place(&mut data, "A", TraineeType::Kbu, "P1", d(2024, 7, 1), d(2024, 12, 31));
        // Free 1 Jan 2025 – 31 Dec 2025: exactly 12 months.
        place(&mut data, "B", TraineeType::Kbu, "P1", d(2026, 1, 1), d(2026, 6, 30));
        let review = fairness_review(&data, months("2025-01", "2026-06"), d(2026, 6, 30));
        assert_eq!(flags(&review, "P1"), ["idle"]);

        data.placements[1].start = d(2025, 12, 31);
        let review = fairness_review(&data, months("2025-01", "2026-06"), d(2026, 6, 30));
        assert!(flags(&review, "P1").is_empty());
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
        let mut data = region_with(vec![
            with_doctors(practice("P2", "Aarhus", 3), 4),
            with_doctors(practice("P1", "Lemvig", 1), 1),
        ]);
        data.practices[1].refuses = vec![TraineeType::Other];
        place(&mut data, "A", TraineeType::Phase2, "P2", d(2026, 1, 1), d(2026, 1, 10));
        let review = fairness_review(&data, months("2026-01", "2026-12"), d(2026, 12, 31));
        let json = serde_json::to_value(&review).expect("json");
        let practices = json["practices"].as_array().expect("practices array");
        assert_eq!(practices[0]["practice_id"], "P1");
        assert_eq!(practices[0]["flags"], serde_json::json!(["P3"]));
        let p2 = &practices[1];
        assert_eq!(p2["tutors"], 3);
        assert_eq!(p2["doctors"], 4);
        // 10 days = 0.3285… months → 0.33; per tutor 0.1095… → 0.11; per doctor 0.0821… → 0.08.
        assert_eq!(p2["trainee_months"], 0.33);
        assert_eq!(p2["months_per_tutor"], 0.11);
        assert_eq!(p2["months_per_doctor"], 0.08);
        assert_eq!(p2["by_type"]["phase2"], 0.33);
        assert_eq!(p2["by_type"].as_object().map(|m| m.len()), Some(6));
        assert_eq!(p2["flags"], serde_json::json!([]));
        assert_eq!(p2["p6"]["days_with_trainees"], 10);
        assert_eq!(p2["p6"]["window_days"], 730);
        assert_eq!(p2["last_placement"]["type"], "phase2");
        assert_eq!(json["gini_months_per_tutor"], 0.5);
        assert_eq!(json["gini_by_year"][0]["year"], 2026);
        // No months in threatened Lemvig; its one tutor of four is the baseline.
        assert_eq!(json["threatened_share"], 0.0);
        assert_eq!(json["threatened_tutor_share"], 0.25);
        assert_eq!(json["p6_thresholds"]["min_days_percent"], 90);
        assert_eq!(json["years"][0]["trainee_months"], 0.33);
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
