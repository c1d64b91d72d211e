//! The co-financing split of trainee salaries between tutor practice and region, and the KBU tutor
//! honorarium (DOMAIN.md §5, CONTRACT.md "Money").
//!
//! Pure: no I/O and no clock, and no floating point anywhere on the money path. Every amount is
//! integer øre, and every division rounds half up (away from zero) to whole øre, once per line.
//!
//! # How a line is computed
//! One [`FinanceLine`] per trainee × practice × calendar month. Its days are the placement's days
//! in that month, clipped to the requested period (several placements of the same trainee at the
//! same practice in the same month are merged, overlapping days counted once).
//!
//! Rates change from a date (`valid_from`): share rates, the honorarium, the salary scale and the
//! pension. A change applies from its date only. When one changes inside a month, the month's days
//! are cut into segments at the change dates, and each segment is priced with the rates in force on
//! its first day. The exact sums of the segments are rounded once per line:
//! - `basis` = round(Σ monthly_i × days_i ÷ days_in_month);
//! - `practice_share` = round(basis × r), where r is the practice's rate weighted by each segment's
//!   salary amount: r = Σ(monthly_i × days_i × bp_i) ÷ (Σ(monthly_i × days_i) × 10 000). With one
//!   segment (the normal case) this is exactly the contract's round(basis × bp ÷ 10 000);
//! - `region_share` = basis − practice_share (so the two always add up to the basis);
//! - KBU `honorarium` = round(Σ honorarium_i × days_i ÷ days_in_month);
//! - `pension` = round(basis × p), p the pension rate weighted like r; shown apart.
//!
//! Pension: by default (DOMAIN.md §5) the pension is shown apart and is not split. When HR turns
//! `Settings::pension_in_split` on, the amount that is split is basis + pension: the practice pays
//! its rate of both, and `practice_share + region_share == basis + pension`
//! ([`FinanceLine::split_base`]).
//!
//! # Streaming
//! [`stream`] computes the lines one at a time, practice by practice in id order and within a
//! practice trainee by trainee and month by month, and hands each to a [`LineSink`]. It keeps only
//! running sums (per practice, payer, district and month) and one reused line, so the memory it
//! holds does not grow with the number of lines: 10 years of a national region cost what one year
//! does. The writers of `finance --format json|csv|text` ([`JsonWriter`], [`CsvWriter`],
//! [`TextWriter`]) are sinks that write each line as it comes. [`finance_lines`] collects the lines
//! (one practice's, for a statement or the desk; or a test's).
//!
//! # Gaps in the rates
//! A day on which no salary (scale step), share, honorarium or pension rate is in force is priced
//! at 0,00. The stream counts such days per setting key instead of passing them silently:
//! [`FinanceRun::gaps`] holds one [`RateGap`] per key (e.g. `salary.laege1`), with the lines,
//! trainees and days it touched, for one clear warning.

use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};

use super::dates::{Period, YearMonth, danish};
use super::model::{Dataset, Placement, Practice, Settings, Trainee, TraineeType};
use super::money::Money;
use super::region::{District, GODSTRUP};

/// Shown as the payer when a trainee's hospital unit is missing (the import requires it for KBU
/// and phase 1, so this only guards against incomplete data).
pub const UNKNOWN_PAYER: &str = "(ukendt hospitalsenhed)";

/// One trainee × practice × calendar month of the split (CONTRACT.md "Money").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinanceLine {
    pub trainee_id: String,
    pub trainee_name: String,
    pub practice_id: String,
    pub month: YearMonth,
    pub kind: TraineeType,
    /// Days of the placement in this month, within the requested period.
    pub days: u32,
    /// The monthly salary in force on the line's last day (the one shown; a mid-month change is
    /// priced per segment, see the module comment).
    pub monthly_salary: Money,
    /// The salary for the days of this line: round(monthly × days ÷ days_in_month).
    pub basis: Money,
    /// What the practice co-finances (phase 2, phase 3, other).
    pub practice_share: Money,
    /// What the region pays: the split base − practice_share.
    pub region_share: Money,
    /// The KBU tutor honorarium the practice receives; zero for other types.
    pub honorarium: Money,
    /// Pension on the basis, shown apart (part of the split only if `pension_in_split`).
    pub pension: Money,
    /// Whether the pension was part of the split when this line was computed.
    pub pension_in_split: bool,
    /// The hospital unit that pays the salary out (DOMAIN.md §5).
    pub paid_out_by: String,
    /// The district of the practice's municipality, when known.
    pub district: Option<District>,
}

impl FinanceLine {
    /// A line to fill in: the stream reuses one, so its texts keep their allocations.
    fn blank(month: YearMonth) -> FinanceLine {
        FinanceLine {
            trainee_id: String::new(),
            trainee_name: String::new(),
            practice_id: String::new(),
            month,
            kind: TraineeType::Kbu,
            days: 0,
            monthly_salary: Money::ZERO,
            basis: Money::ZERO,
            practice_share: Money::ZERO,
            region_share: Money::ZERO,
            honorarium: Money::ZERO,
            pension: Money::ZERO,
            pension_in_split: false,
            paid_out_by: String::new(),
            district: None,
        }
    }

    /// The amount split between practice and region: the basis, plus the pension when HR puts the
    /// pension into the split.
    pub fn split_base(&self) -> Money {
        if self.pension_in_split { self.basis + self.pension } else { self.basis }
    }
}

/// Sums of a set of lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub basis: Money,
    pub practice_share: Money,
    pub region_share: Money,
    pub honorarium: Money,
    pub pension: Money,
}

impl Totals {
    /// Adds one line to the sums.
    pub fn add(&mut self, line: &FinanceLine) {
        self.basis += line.basis;
        self.practice_share += line.practice_share;
        self.region_share += line.region_share;
        self.honorarium += line.honorarium;
        self.pension += line.pension;
    }

    /// Adds other sums to these.
    pub fn merge(&mut self, other: &Totals) {
        self.basis += other.basis;
        self.practice_share += other.practice_share;
        self.region_share += other.region_share;
        self.honorarium += other.honorarium;
        self.pension += other.pension;
    }

    /// The sums of `lines`.
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a FinanceLine>) -> Totals {
        let mut t = Totals::default();
        for l in lines {
            t.add(l);
        }
        t
    }
}

/// Rollups of a set of lines. The maps are ordered, so what reaches a user is sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinanceSummary {
    /// By practice id.
    pub per_practice: BTreeMap<String, Totals>,
    /// By the hospital unit that pays the salary out.
    pub per_payer: BTreeMap<String, Totals>,
    /// By the practice's district; `None` for a practice whose municipality is unknown.
    pub per_district: BTreeMap<Option<District>, Totals>,
    pub per_month: BTreeMap<YearMonth, Totals>,
    /// Over the whole region.
    pub totals: Totals,
}

impl FinanceSummary {
    /// Adds one line to every rollup but the per-practice one (which [`stream`] adds once per
    /// practice). No allocation once a payer has been seen.
    fn add_line(&mut self, l: &FinanceLine) {
        match self.per_payer.get_mut(&l.paid_out_by) {
            Some(t) => t.add(l),
            None => {
                let mut t = Totals::default();
                t.add(l);
                self.per_payer.insert(l.paid_out_by.clone(), t);
            }
        }
        self.per_district.entry(l.district).or_default().add(l);
        self.per_month.entry(l.month).or_default().add(l);
        self.totals.add(l);
    }
}

/// The setting a gap is in: what `settings set` fixes it with.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RateKey {
    /// A step of the salary scale (lowercase).
    Salary(String),
    /// The practice's share for a type.
    Share(TraineeType),
    /// The KBU honorarium.
    Honorarium,
    Pension,
}

impl RateKey {
    /// The key `settings set` takes: `salary.laege1`, `share.phase2`, `honorarium`, `pension`.
    pub fn setting(&self) -> String {
        match self {
            RateKey::Salary(step) => format!("salary.{step}"),
            RateKey::Share(kind) => format!("share.{}", kind.key()),
            RateKey::Honorarium => "honorarium".to_string(),
            RateKey::Pension => "pension".to_string(),
        }
    }

    /// What the value is, for `settings set KEY VALUE`: an amount or a percentage.
    pub fn value_hint(&self) -> &'static str {
        match self {
            RateKey::Salary(_) | RateKey::Honorarium => "AMOUNT",
            RateKey::Share(_) | RateKey::Pension => "PERCENT",
        }
    }
}

/// Lines that fall on days with no rate in force for one setting (DOMAIN.md §5: they carry 0,00
/// for that amount). A rate in force from a date is in force on every later day, so the days
/// without one all lie before the setting's first row: one gap per key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateGap {
    pub key: RateKey,
    /// The first day the setting has a row; `None` when it has none at all (a salary step that
    /// is not on the scale).
    pub starts: Option<NaiveDate>,
    /// The first and the last day without a rate, over the lines.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Lines with at least one such day.
    pub lines: u64,
    /// Trainees those lines belong to.
    pub trainees: u64,
}

/// `1234567` as `1.234.567`.
pub fn danish_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

impl RateGap {
    /// One sentence for a person, in English or Danish, e.g. "the salary scale for laege1 starts
    /// 01-04-2020; 1.234 lines (56 trainees) from 01-01-2017 to 31-03-2020 carry a salary of
    /// 0,00 kr.". The caller says how to fix it (a command, or where in the desk).
    pub fn describe(&self, english: bool) -> String {
        let what = match (&self.key, english) {
            (RateKey::Salary(step), true) => format!("the salary scale for {step}"),
            (RateKey::Salary(step), false) => format!("lønskalaen for {step}"),
            (RateKey::Share(kind), true) => format!("the practice's share for {}", kind.english()),
            (RateKey::Share(kind), false) => format!("praksis' andel for {}", kind.danish()),
            (RateKey::Honorarium, true) => "the KBU honorarium".to_string(),
            (RateKey::Honorarium, false) => "KBU-honoraret".to_string(),
            (RateKey::Pension, true) => "the pension rate".to_string(),
            (RateKey::Pension, false) => "pensionsprocenten".to_string(),
        };
        let amount = match (&self.key, english) {
            (RateKey::Salary(_), true) => "a salary",
            (RateKey::Salary(_), false) => "en løn",
            (RateKey::Share(_), true) => "a practice share",
            (RateKey::Share(_), false) => "en praksisandel",
            (RateKey::Honorarium, true) => "an honorarium",
            (RateKey::Honorarium, false) => "et honorar",
            (RateKey::Pension, true) => "a pension",
            (RateKey::Pension, false) => "en pension",
        };
        let (lines, trainees) = (danish_count(self.lines), danish_count(self.trainees));
        let (first, last) = (danish(self.first_day), danish(self.last_day));
        match (self.starts, english) {
            (Some(s), true) => format!(
                "{what} starts {}; {lines} lines ({trainees} trainees) from {first} to {last} carry {amount} of 0,00 kr.",
                danish(s)
            ),
            (Some(s), false) => format!(
                "{what} begynder {}; {lines} linjer ({trainees} uddannelseslæger) fra {first} til {last} har {amount} på 0,00 kr.",
                danish(s)
            ),
            (None, true) => format!(
                "{what} has no rates at all; {lines} lines ({trainees} trainees) from {first} to {last} carry {amount} of 0,00 kr."
            ),
            (None, false) => format!(
                "{what} har ingen satser; {lines} linjer ({trainees} uddannelseslæger) fra {first} til {last} har {amount} på 0,00 kr."
            ),
        }
    }
}

/// What a run of the split leaves besides the lines: the rollups, the count of lines, and the
/// gaps in the rates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinanceRun {
    pub summary: FinanceSummary,
    pub lines: u64,
    /// One per setting key with days and no rate, in key order.
    pub gaps: Vec<RateGap>,
    /// Lines with any day without a rate, and their trainees (each counted once over all keys).
    pub gap_lines: u64,
    pub gap_trainees: u64,
}

/// Receives the lines of the split one at a time, in (practice id, trainee id, month) order.
pub trait LineSink {
    type Error;
    /// Before the first line of a practice; `practice` is `None` for an id no longer in the data.
    fn practice_start(&mut self, _practice_id: &str, _practice: Option<&Practice>) -> Result<(), Self::Error> {
        Ok(())
    }
    fn line(&mut self, line: &FinanceLine) -> Result<(), Self::Error>;
    /// After the last line of a practice, with its sums.
    fn practice_end(&mut self, _practice_id: &str, _totals: &Totals) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// A closure as a [`LineSink`].
struct VisitSink<F>(F);

impl<E, F: FnMut(&FinanceLine) -> Result<(), E>> LineSink for VisitSink<F> {
    type Error = E;
    fn line(&mut self, line: &FinanceLine) -> Result<(), E> {
        (self.0)(line)
    }
}

/// What the practice pays in total: its share minus the honorarium it receives. Negative means the
/// practice receives money (DOMAIN.md §5, the statement's last line).
pub fn net_for_practice(totals: &Totals) -> Money {
    totals.practice_share - totals.honorarium
}

/// DOMAIN.md §5 "who pays the salary out": KBU → the hospital of first employment; intro, phase 2,
/// phase 3 and other → Regionshospitalet Gødstrup; phase 1 → the course's hospital unit.
pub fn paid_out_by(trainee: &Trainee) -> String {
    payer_of(trainee).to_string()
}

fn payer_of(trainee: &Trainee) -> &str {
    match trainee.kind {
        TraineeType::Kbu | TraineeType::Phase1 => {
            trainee.hospital_unit.as_deref().filter(|u| !u.trim().is_empty()).unwrap_or(UNKNOWN_PAYER)
        }
        TraineeType::Intro | TraineeType::Phase2 | TraineeType::Phase3 | TraineeType::Other => GODSTRUP,
    }
}

/// The scale step a trainee is paid by, when no personal monthly salary is set.
fn salary_step_of(trainee: &Trainee) -> &str {
    trainee
        .seniority_step
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| Settings::default_step(trainee.kind))
}

/// round_half_up(num ÷ den) to whole øre, half away from zero, exact in i128. The same rounding as
/// `money::mul_div_round_half_up`, for sums whose factors do not fit that function's i64 arguments.
fn round_ratio(num: i128, den: i128) -> Money {
    if den <= 0 {
        return Money::ZERO;
    }
    let q = if num >= 0 { (2 * num + den) / (2 * den) } else { -((2 * -num + den) / (2 * den)) };
    // In range for any real salary: |q| ≤ a monthly amount in øre. Saturate rather than wrap.
    Money(i64::try_from(q).unwrap_or(if q > 0 { i64::MAX } else { i64::MIN }))
}

/// The rates that bear on one trainee, each sorted by date, and the dates any of them changes
/// (the cut points of segments): filled once per trainee and practice, so a line looks its rates
/// up in a few rows instead of scanning every setting. The buffers are reused.
#[derive(Default)]
struct TraineeRates {
    /// The scale step's rows; empty for a trainee with a personal salary.
    salary: Vec<(NaiveDate, Money)>,
    share: Vec<(NaiveDate, i64)>,
    pension: Vec<(NaiveDate, i64)>,
    /// KBU only.
    honorarium: Vec<(NaiveDate, Money)>,
    cuts: Vec<NaiveDate>,
}

/// The value in force on `day` of rows sorted by date: the latest from a date ≤ `day` (of equal
/// dates the last, as `model::in_force` picks).
fn rate_on<T: Copy>(rows: &[(NaiveDate, T)], day: NaiveDate) -> Option<T> {
    rows.iter().rev().find(|(from, _)| *from <= day).map(|(_, v)| *v)
}

impl TraineeRates {
    fn load(&mut self, settings: &Settings, trainee: &Trainee) {
        self.salary.clear();
        if trainee.monthly_salary.is_none() {
            let step = salary_step_of(trainee);
            self.salary.extend(
                settings
                    .salary_scale
                    .iter()
                    .filter(|s| s.step.eq_ignore_ascii_case(step))
                    .map(|s| (s.valid_from, s.monthly)),
            );
        }
        self.share.clear();
        self.share.extend(
            settings
                .share_rates
                .iter()
                .filter(|r| r.kind == trainee.kind)
                .map(|r| (r.valid_from, r.practice_basis_points)),
        );
        self.pension.clear();
        self.pension.extend(settings.pension.iter().map(|p| (p.valid_from, p.basis_points)));
        self.honorarium.clear();
        if trainee.kind == TraineeType::Kbu {
            self.honorarium.extend(settings.honorarium.iter().map(|h| (h.valid_from, h.value)));
        }
        // Stable sorts: of rows with the same date the last one stays the one in force.
        self.salary.sort_by_key(|r| r.0);
        self.share.sort_by_key(|r| r.0);
        self.pension.sort_by_key(|r| r.0);
        self.honorarium.sort_by_key(|r| r.0);
        self.cuts.clear();
        self.cuts.extend(self.salary.iter().map(|r| r.0));
        self.cuts.extend(self.share.iter().map(|r| r.0));
        self.cuts.extend(self.pension.iter().map(|r| r.0));
        self.cuts.extend(self.honorarium.iter().map(|r| r.0));
        self.cuts.sort_unstable();
        self.cuts.dedup();
    }
}

/// Merges inclusive day ranges that overlap or touch, in place, so no day counts twice.
fn merge_ranges(ranges: &mut Vec<Period>) {
    if ranges.len() < 2 {
        return;
    }
    ranges.sort_unstable();
    let mut w = 0;
    for r in 1..ranges.len() {
        let cur = ranges[r];
        let last = &mut ranges[w];
        if cur.start <= last.end.succ_opt().unwrap_or(last.end) {
            if cur.end > last.end {
                last.end = cur.end;
            }
        } else {
            w += 1;
            ranges[w] = cur;
        }
    }
    ranges.truncate(w + 1);
}

/// Calls `f` with each segment of `range` cut at the change dates inside it: a change on day d
/// starts a new segment at d.
fn for_each_segment(range: Period, cuts: &[NaiveDate], mut f: impl FnMut(Period)) {
    let mut start = range.start;
    for &d in cuts.iter().filter(|&&d| range.start < d && d <= range.end) {
        if let Some(prev) = d.pred_opt() {
            f(Period::new(start, prev));
        }
        start = d;
    }
    f(Period::new(start, range.end));
}

/// The days of one line with no rate in force, per kind of rate (first and last day).
#[derive(Default)]
struct LineGaps {
    salary: Option<Period>,
    share: Option<Period>,
    honorarium: Option<Period>,
    pension: Option<Period>,
}

impl LineGaps {
    fn note(slot: &mut Option<Period>, seg: Period) {
        *slot = Some(match *slot {
            Some(p) => Period::new(p.start.min(seg.start), p.end.max(seg.end)),
            None => seg,
        });
    }
    fn any(&self) -> bool {
        self.salary.is_some() || self.share.is_some() || self.honorarium.is_some() || self.pension.is_some()
    }
}

/// The gaps of one trainee's lines at one practice, per kind of rate: the days and the lines.
#[derive(Default)]
struct TraineeGaps {
    /// Salary, share, honorarium, pension.
    slots: [(Option<Period>, u64); 4],
    /// Lines with any gap.
    lines: u64,
}

impl TraineeGaps {
    fn record(&mut self, g: &LineGaps) {
        if !g.any() {
            return;
        }
        self.lines += 1;
        for (slot, days) in self.slots.iter_mut().zip([g.salary, g.share, g.honorarium, g.pension]) {
            if let Some(days) = days {
                LineGaps::note(&mut slot.0, days);
                slot.1 += 1;
            }
        }
    }
}

/// The gaps seen so far, per key, with the trainees they touched.
#[derive(Default)]
struct GapLog<'a> {
    by_key: BTreeMap<RateKey, (Period, u64, HashSet<&'a str>)>,
    lines: u64,
    trainees: HashSet<&'a str>,
}

impl<'a> GapLog<'a> {
    /// Adds one trainee's gaps at one practice.
    fn record(&mut self, trainee: &'a Trainee, g: &TraineeGaps) {
        if g.lines == 0 {
            return;
        }
        self.lines += g.lines;
        self.trainees.insert(trainee.id.as_str());
        for (i, (days, lines)) in g.slots.iter().enumerate() {
            let Some(days) = *days else { continue };
            let key = match i {
                0 => RateKey::Salary(salary_step_of(trainee).to_ascii_lowercase()),
                1 => RateKey::Share(trainee.kind),
                2 => RateKey::Honorarium,
                _ => RateKey::Pension,
            };
            let e = self.by_key.entry(key).or_insert_with(|| (days, 0, HashSet::new()));
            e.0 = Period::new(e.0.start.min(days.start), e.0.end.max(days.end));
            e.1 += lines;
            e.2.insert(trainee.id.as_str());
        }
    }

    fn finish(self, settings: &Settings, run: &mut FinanceRun) {
        run.gap_lines = self.lines;
        run.gap_trainees = self.trainees.len() as u64;
        run.gaps = self
            .by_key
            .into_iter()
            .map(|(key, (days, lines, trainees))| {
                let starts = match &key {
                    RateKey::Salary(step) => settings
                        .salary_scale
                        .iter()
                        .filter(|s| s.step.eq_ignore_ascii_case(step))
                        .map(|s| s.valid_from)
                        .min(),
                    RateKey::Share(kind) => {
                        settings.share_rates.iter().filter(|r| r.kind == *kind).map(|r| r.valid_from).min()
                    }
                    RateKey::Honorarium => settings.honorarium.iter().map(|h| h.valid_from).min(),
                    RateKey::Pension => settings.pension.iter().map(|p| p.valid_from).min(),
                };
                RateGap {
                    key,
                    starts,
                    first_day: days.start,
                    last_day: days.end,
                    lines,
                    trainees: trainees.len() as u64,
                }
            })
            .collect();
    }
}

/// Computes the amounts of one line into `line` (whose texts the caller has set) from the
/// trainee's merged day ranges in one month, noting the days without a rate in `gaps`.
fn price_into(
    line: &mut FinanceLine,
    gaps: &mut LineGaps,
    rates: &TraineeRates,
    trainee: &Trainee,
    pension_in_split: bool,
    month: YearMonth,
    ranges: &[Period],
) {
    let days_in_month = i128::from(month.days());
    let mut days: u32 = 0;
    let mut salary_sum: i128 = 0; // Σ monthly_i × days_i
    let mut share_sum: i128 = 0; // Σ monthly_i × days_i × bp_i
    let mut pension_sum: i128 = 0; // Σ monthly_i × days_i × pension_bp_i
    let mut honorarium_sum: i128 = 0; // Σ honorarium_i × days_i
    let mut last_monthly = Money::ZERO;
    let kbu = trainee.kind == TraineeType::Kbu;
    *gaps = LineGaps::default();
    for range in ranges {
        for_each_segment(*range, &rates.cuts, |seg| {
            let seg_days = u32::try_from(seg.days()).unwrap_or(0);
            let d = i128::from(seg_days);
            let monthly = match trainee.monthly_salary {
                Some(m) => m,
                None => rate_on(&rates.salary, seg.start).unwrap_or_else(|| {
                    LineGaps::note(&mut gaps.salary, seg);
                    Money::ZERO
                }),
            };
            let bp = rate_on(&rates.share, seg.start).unwrap_or_else(|| {
                LineGaps::note(&mut gaps.share, seg);
                0
            });
            let pension_bp = rate_on(&rates.pension, seg.start).unwrap_or_else(|| {
                LineGaps::note(&mut gaps.pension, seg);
                0
            });
            days += seg_days;
            let weighted = i128::from(monthly.ore()) * d;
            salary_sum += weighted;
            share_sum += weighted * i128::from(bp);
            pension_sum += weighted * i128::from(pension_bp);
            if kbu {
                let h = rate_on(&rates.honorarium, seg.start).unwrap_or_else(|| {
                    LineGaps::note(&mut gaps.honorarium, seg);
                    Money::ZERO
                });
                honorarium_sum += i128::from(h.ore()) * d;
            }
            last_monthly = monthly;
        });
    }

    let basis = round_ratio(salary_sum, days_in_month);
    // The pension's weighted rate, signs normalised so a negative salary (a correction) gets a
    // negative pension, as round(basis × bp ÷ 10 000) gives with one segment.
    let pension = match salary_sum.signum() {
        0 => Money::ZERO,
        sign => round_ratio(i128::from(basis.ore()) * pension_sum * sign, salary_sum * sign * 10_000),
    };
    let split_base = if pension_in_split { basis + pension } else { basis };
    // The weighted share applied to the rounded base; with one segment this is exactly the
    // contract's round(base × bp ÷ 10 000).
    let practice_share = if salary_sum == 0 {
        Money::ZERO
    } else {
        round_ratio(i128::from(split_base.ore()) * share_sum, salary_sum * 10_000)
    };
    line.month = month;
    line.days = days;
    line.monthly_salary = last_monthly;
    line.basis = basis;
    line.practice_share = practice_share;
    line.region_share = split_base - practice_share;
    line.honorarium = round_ratio(honorarium_sum, days_in_month);
    line.pension = pension;
    line.pension_in_split = pension_in_split;
}

/// The placements that give lines in the window (their trainee exists, and they overlap it),
/// sorted by (practice id, trainee id).
fn placements_in<'a>(data: &'a Dataset, window: Period, practice: Option<&str>) -> Vec<(&'a Placement, &'a Trainee)> {
    let trainees: HashMap<&str, &Trainee> = data.trainees.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut v: Vec<_> = data
        .placements
        .iter()
        .filter(|p| practice.is_none_or(|wanted| wanted == p.practice_id))
        .filter(|p| p.start.max(window.start) <= p.end.min(window.end))
        .filter_map(|p| trainees.get(p.trainee_id.as_str()).map(|t| (p, *t)))
        .collect();
    v.sort_by(|a, b| {
        (a.0.practice_id.as_str(), a.0.trainee_id.as_str()).cmp(&(b.0.practice_id.as_str(), b.0.trainee_id.as_str()))
    });
    v
}

/// The ids of the practices with at least one line from `from` to `to`, in the order [`stream`]
/// visits them.
pub fn active_practices(data: &Dataset, from: YearMonth, to: YearMonth) -> Vec<String> {
    let mut ids: Vec<String> =
        placements_in(data, Period::of_months(from, to), None).iter().map(|(p, _)| p.practice_id.clone()).collect();
    ids.dedup();
    ids
}

/// DOMAIN.md §5: the split for every placement and calendar month from `from` to `to` (both
/// included), optionally for one practice only, handed to `sink` one line at a time in (practice
/// id, trainee id, month) order. Holds only running sums: see the module comment.
///
/// A placement whose trainee is not in the dataset has no type or salary and is left out.
pub fn stream<S: LineSink>(
    data: &Dataset,
    from: YearMonth,
    to: YearMonth,
    practice: Option<&str>,
    sink: &mut S,
) -> Result<FinanceRun, S::Error> {
    let settings = &data.settings;
    let window = Period::of_months(from, to);
    let placements = placements_in(data, window, practice);
    let practices: HashMap<&str, &Practice> = data.practices.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut run = FinanceRun::default();
    let mut gap_log = GapLog::default();
    // Buffers reused for every line.
    let mut line = FinanceLine::blank(from);
    let mut gaps = LineGaps::default();
    let mut rates = TraineeRates::default();
    let mut spans: Vec<Period> = Vec::new();
    let mut ranges: Vec<Period> = Vec::new();
    // Sums per payer, keyed by the payer's text in the data: added to once per trainee.
    let mut payers: HashMap<&str, Totals> = HashMap::new();

    let mut i = 0;
    while i < placements.len() {
        let practice_id = placements[i].0.practice_id.as_str();
        let end_of_practice =
            placements[i..].iter().position(|(p, _)| p.practice_id != practice_id).map_or(placements.len(), |n| i + n);
        let found = practices.get(practice_id).copied();
        let district = found.and_then(|p| data.region.municipality(&p.municipality)).map(|m| m.district);
        sink.practice_start(practice_id, found)?;
        line.practice_id.clear();
        line.practice_id.push_str(practice_id);
        line.district = district;
        let mut practice_totals = Totals::default();
        let mut j = i;
        while j < end_of_practice {
            let trainee = placements[j].1;
            let end_of_trainee = placements[j..end_of_practice]
                .iter()
                .position(|(p, _)| p.trainee_id != trainee.id)
                .map_or(end_of_practice, |n| j + n);
            rates.load(settings, trainee);
            line.trainee_id.clone_from(&trainee.id);
            line.trainee_name.clone_from(&trainee.name);
            line.kind = trainee.kind;
            let payer = payer_of(trainee);
            line.paid_out_by.clear();
            line.paid_out_by.push_str(payer);
            let mut trainee_totals = Totals::default();
            let mut trainee_gaps = TraineeGaps::default();
            spans.clear();
            spans.extend(
                placements[j..end_of_trainee]
                    .iter()
                    .map(|(p, _)| Period::new(p.start.max(window.start), p.end.min(window.end))),
            );
            let first = spans.iter().map(|s| s.start).min().unwrap_or(window.start);
            let last = spans.iter().map(|s| s.end).max().unwrap_or(window.start);
            for month in YearMonth::of(first).through(YearMonth::of(last)) {
                ranges.clear();
                for s in &spans {
                    let a = s.start.max(month.first_day());
                    let b = s.end.min(month.last_day());
                    if a <= b {
                        ranges.push(Period::new(a, b));
                    }
                }
                if ranges.is_empty() {
                    continue;
                }
                merge_ranges(&mut ranges);
                price_into(&mut line, &mut gaps, &rates, trainee, settings.pension_in_split, month, &ranges);
                trainee_gaps.record(&gaps);
                trainee_totals.add(&line);
                run.summary.per_month.entry(month).or_default().add(&line);
                run.lines += 1;
                sink.line(&line)?;
            }
            gap_log.record(trainee, &trainee_gaps);
            payers.entry(payer).or_default().merge(&trainee_totals);
            practice_totals.merge(&trainee_totals);
            j = end_of_trainee;
        }
        sink.practice_end(practice_id, &practice_totals)?;
        run.summary.per_district.entry(district).or_default().merge(&practice_totals);
        run.summary.totals.merge(&practice_totals);
        run.summary.per_practice.insert(practice_id.to_string(), practice_totals);
        i = end_of_practice;
    }
    run.summary.per_payer = payers.into_iter().map(|(p, t)| (p.to_string(), t)).collect();
    gap_log.finish(settings, &mut run);
    Ok(run)
}

/// [`stream`] with a closure that sees each line.
pub fn for_each_line<E>(
    data: &Dataset,
    from: YearMonth,
    to: YearMonth,
    practice: Option<&str>,
    visit: impl FnMut(&FinanceLine) -> Result<(), E>,
) -> Result<FinanceRun, E> {
    stream(data, from, to, practice, &mut VisitSink(visit))
}

/// The sums and gaps of the split, without keeping a line.
pub fn finance_run(data: &Dataset, from: YearMonth, to: YearMonth, practice: Option<&str>) -> FinanceRun {
    match for_each_line(data, from, to, practice, |_| Ok::<(), std::convert::Infallible>(())) {
        Ok(run) => run,
        Err(never) => match never {},
    }
}

/// The lines collected, sorted by (practice id, trainee id, month). Memory grows with the lines:
/// for one practice (a statement, the desk's selected practice) or a test; whole-region output
/// goes through [`stream`].
pub fn finance_lines(data: &Dataset, from: YearMonth, to: YearMonth, practice: Option<&str>) -> Vec<FinanceLine> {
    let mut lines = Vec::new();
    let collected = for_each_line(data, from, to, practice, |l| {
        lines.push(l.clone());
        Ok::<(), std::convert::Infallible>(())
    });
    match collected {
        Ok(_) => lines,
        Err(never) => match never {},
    }
}

/// Rollups per practice, payer, district and month, and the region's totals, of collected lines.
pub fn summarize(lines: &[FinanceLine]) -> FinanceSummary {
    let mut s = FinanceSummary::default();
    for l in lines {
        s.per_practice.entry(l.practice_id.clone()).or_default().add(l);
        s.add_line(l);
    }
    s
}

// ------------------------------------------------------------------------------------------------
// Writers: each a LineSink that writes a line as it comes.

/// The decimal digits of `n`: `digits[start..]`.
fn decimal(mut n: u64) -> ([u8; 20], usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    (digits, i)
}

/// Appends `n` in decimal.
fn push_u64(buf: &mut Vec<u8>, n: u64) {
    let (digits, start) = decimal(n);
    buf.extend_from_slice(&digits[start..]);
}

/// Appends an amount with two decimals and `mark`, no thousands separator: `-1234.56`.
fn push_amount(buf: &mut Vec<u8>, m: Money, mark: u8) {
    if m.ore() < 0 {
        buf.push(b'-');
    }
    let a = m.ore().unsigned_abs();
    push_u64(buf, a / 100);
    buf.push(mark);
    buf.push(b'0' + (a % 100 / 10) as u8);
    buf.push(b'0' + (a % 10) as u8);
}

/// Appends `YYYY-MM`, as `YearMonth`'s `Display` writes it.
fn push_month(buf: &mut Vec<u8>, m: YearMonth) {
    if (0..10_000).contains(&m.year) {
        let y = m.year as u32;
        buf.extend_from_slice(&[
            b'0' + (y / 1000) as u8,
            b'0' + (y / 100 % 10) as u8,
            b'0' + (y / 10 % 10) as u8,
            b'0' + (y % 10) as u8,
            b'-',
            b'0' + (m.month / 10 % 10) as u8,
            b'0' + (m.month % 10) as u8,
        ]);
    } else {
        buf.extend_from_slice(m.to_string().as_bytes());
    }
}

/// Appends a JSON string as serde_json writes it (the same escapes).
fn push_json_str(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        // Writing a string into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *buf, s);
    }
}

/// A JSON string as serde_json writes it (the same escapes), without allocating for plain text.
fn json_str(w: &mut dyn Write, s: &str) -> io::Result<()> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        w.write_all(b"\"")?;
        w.write_all(s.as_bytes())?;
        w.write_all(b"\"")
    } else {
        serde_json::to_writer(&mut *w, s).map_err(io::Error::other)
    }
}

/// An amount with two decimals and `mark`, no thousands separator: `-1234.56`.
fn plain_amount(w: &mut dyn Write, m: Money, mark: char) -> io::Result<()> {
    let sign = if m.ore() < 0 { "-" } else { "" };
    let a = m.ore().unsigned_abs();
    write!(w, "{sign}{}{mark}{:02}", a / 100, a % 100)
}

fn json_amount(w: &mut dyn Write, indent: &str, key: &str, m: Money, comma: bool) -> io::Result<()> {
    write!(w, "{indent}\"{key}\": \"")?;
    plain_amount(w, m, '.')?;
    w.write_all(if comma { b"\",\n" } else { b"\"\n" })
}

/// The sums of a [`Totals`] as JSON object members, keys in the order serde_json sorts them
/// (`extra` goes between `pension` and `practice_share`, by that order too).
fn json_totals(w: &mut dyn Write, indent: &str, t: &Totals, extra: &[(&str, &str)]) -> io::Result<()> {
    // `extra` are string members (key, value).
    let mut members: Vec<(&str, Result<Money, &str>)> = vec![
        ("basis", Ok(t.basis)),
        ("honorarium", Ok(t.honorarium)),
        ("pension", Ok(t.pension)),
        ("practice_share", Ok(t.practice_share)),
        ("region_share", Ok(t.region_share)),
    ];
    for (k, v) in extra {
        members.push((k, Err(v)));
    }
    members.sort_by(|a, b| a.0.cmp(b.0));
    let n = members.len();
    for (i, (key, value)) in members.into_iter().enumerate() {
        let comma = i + 1 < n;
        match value {
            Ok(m) => json_amount(w, indent, key, m, comma)?,
            Err(text) => {
                write!(w, "{indent}\"{key}\": ")?;
                json_str(w, text)?;
                w.write_all(if comma { b",\n" } else { b"\n" })?;
            }
        }
    }
    Ok(())
}

/// `finance --format json` (CONTRACT.md "Money"), written as the lines come: `lines`, then
/// `payers`, `practices` and `totals` from the sums, amounts as decimal strings with a `.` mark.
/// Extra keys: `pension` everywhere, `net` (what the practice pays; negative when it receives)
/// per practice, and a `payers` rollup. The bytes are exactly those serde_json's pretty printer
/// gives for the whole object (keys sorted), with a final newline: a test compares them.
pub struct JsonWriter<W: Write> {
    out: W,
    lines: u64,
    /// One line's bytes, built before they are written.
    buf: Vec<u8>,
}

impl<W: Write> JsonWriter<W> {
    pub fn new(mut out: W) -> io::Result<JsonWriter<W>> {
        out.write_all(b"{\n  \"lines\": [")?;
        Ok(JsonWriter { out, lines: 0, buf: Vec::with_capacity(512) })
    }

    /// Closes `lines` and writes the rollups of `run`; returns the writer.
    pub fn finish(mut self, run: &FinanceRun) -> io::Result<W> {
        let w: &mut dyn Write = &mut self.out;
        w.write_all(if self.lines == 0 { b"],\n" } else { b"\n  ],\n" })?;
        let summary = &run.summary;
        w.write_all(b"  \"payers\": [")?;
        for (i, (payer, t)) in summary.per_payer.iter().enumerate() {
            w.write_all(if i == 0 { b"\n    {\n" } else { b",\n    {\n" })?;
            json_totals(w, "      ", t, &[("paid_out_by", payer)])?;
            w.write_all(b"    }")?;
        }
        w.write_all(if summary.per_payer.is_empty() { b"],\n" } else { b"\n  ],\n" })?;
        w.write_all(b"  \"practices\": [")?;
        for (i, (id, t)) in summary.per_practice.iter().enumerate() {
            w.write_all(if i == 0 { b"\n    {\n" } else { b",\n    {\n" })?;
            let net = net_for_practice(t).to_json_string();
            json_totals(w, "      ", t, &[("net", &net), ("practice_id", id)])?;
            w.write_all(b"    }")?;
        }
        w.write_all(if summary.per_practice.is_empty() { b"],\n" } else { b"\n  ],\n" })?;
        w.write_all(b"  \"totals\": {\n")?;
        json_totals(w, "    ", &summary.totals, &[])?;
        w.write_all(b"  }\n}\n")?;
        w.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> LineSink for JsonWriter<W> {
    type Error = io::Error;
    fn line(&mut self, l: &FinanceLine) -> io::Result<()> {
        const I: &[u8] = b"      \"";
        let b = &mut self.buf;
        b.clear();
        b.extend_from_slice(if self.lines == 0 { b"\n    {\n" } else { b",\n    {\n" });
        self.lines += 1;
        let amount = |b: &mut Vec<u8>, key: &[u8], m: Money| {
            b.extend_from_slice(I);
            b.extend_from_slice(key);
            b.extend_from_slice(b"\": \"");
            push_amount(b, m, b'.');
            b.extend_from_slice(b"\",\n");
        };
        let text = |b: &mut Vec<u8>, key: &[u8], v: &str| {
            b.extend_from_slice(I);
            b.extend_from_slice(key);
            b.extend_from_slice(b"\": ");
            push_json_str(b, v);
            b.extend_from_slice(b",\n");
        };
        amount(b, b"basis", l.basis);
        b.extend_from_slice(I);
        b.extend_from_slice(b"days\": ");
        push_u64(b, u64::from(l.days));
        b.extend_from_slice(b",\n");
        amount(b, b"honorarium", l.honorarium);
        b.extend_from_slice(I);
        b.extend_from_slice(b"month\": \"");
        push_month(b, l.month);
        b.extend_from_slice(b"\",\n");
        text(b, b"paid_out_by", &l.paid_out_by);
        amount(b, b"pension", l.pension);
        text(b, b"practice_id", &l.practice_id);
        amount(b, b"practice_share", l.practice_share);
        amount(b, b"region_share", l.region_share);
        text(b, b"trainee_id", &l.trainee_id);
        b.extend_from_slice(I);
        b.extend_from_slice(b"type\": \"");
        b.extend_from_slice(l.kind.key().as_bytes());
        b.extend_from_slice(b"\"\n    }");
        self.out.write_all(b)
    }
}

/// The CSV columns: the JSON line keys, in the same order.
const CSV_COLUMNS: [&str; 11] = [
    "trainee_id",
    "practice_id",
    "month",
    "type",
    "days",
    "basis",
    "practice_share",
    "region_share",
    "honorarium",
    "pension",
    "paid_out_by",
];

/// The first characters that make a spreadsheet read a cell as a formula (CONTRACT.md "Files the
/// program writes").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as the program writes it into a CSV: with a leading `'` when it begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return, so a spreadsheet shows it as text. Only for text
/// columns (names, ids, addresses, reasons); numbers and dates are written as they are.
pub fn formula_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) { format!("'{text}").into() } else { text.into() }
}

/// The inverse of [`formula_safe`] for import: removes exactly one leading `'` when it stands
/// before one of those characters, so export → import → export is byte-identical.
pub fn formula_unsafe(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// Appends a text cell of the finance CSV: formula-safe, and quoted when it holds the separator,
/// a quote or a line break.
fn push_csv_field(buf: &mut Vec<u8>, text: &str) {
    let text = formula_safe(text);
    if text.contains([';', '"', '\n', '\r']) {
        buf.push(b'"');
        buf.extend_from_slice(text.replace('"', "\"\"").as_bytes());
        buf.push(b'"');
    } else {
        buf.extend_from_slice(text.as_bytes());
    }
}

/// `finance --format csv`: `;`-separated, decimal comma, a header row with the JSON line keys,
/// written as the lines come. The caller writes the BOM (CONTRACT.md "CSV files").
pub struct CsvWriter<W: Write> {
    out: W,
    /// One row's bytes, built before they are written.
    buf: Vec<u8>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(mut out: W) -> io::Result<CsvWriter<W>> {
        out.write_all(CSV_COLUMNS.join(";").as_bytes())?;
        out.write_all(b"\n")?;
        Ok(CsvWriter { out, buf: Vec::with_capacity(256) })
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> LineSink for CsvWriter<W> {
    type Error = io::Error;
    fn line(&mut self, l: &FinanceLine) -> io::Result<()> {
        let b = &mut self.buf;
        b.clear();
        push_csv_field(b, &l.trainee_id);
        b.push(b';');
        push_csv_field(b, &l.practice_id);
        b.push(b';');
        push_month(b, l.month);
        b.push(b';');
        b.extend_from_slice(l.kind.key().as_bytes());
        b.push(b';');
        push_u64(b, u64::from(l.days));
        b.push(b';');
        for m in [l.basis, l.practice_share, l.region_share, l.honorarium, l.pension] {
            push_amount(b, m, b',');
            b.push(b';');
        }
        push_csv_field(b, &l.paid_out_by);
        b.push(b'\n');
        self.out.write_all(b)
    }
}

/// The finance CSV of collected lines, as [`CsvWriter`] writes it (no BOM).
pub fn to_csv(lines: &[FinanceLine]) -> String {
    let mut out = Vec::new();
    let written = CsvWriter::new(&mut out).and_then(|mut w| {
        for l in lines {
            w.line(l)?;
        }
        w.finish().map(|_| ())
    });
    // Writing into a Vec cannot fail.
    debug_assert!(written.is_ok());
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `text` cut (with `…`) or padded to `width` characters, as [`cell`] writes it.
fn push_cell(buf: &mut Vec<u8>, text: &str, width: usize) {
    let n = text.chars().count();
    if n > width {
        let cut = text.char_indices().nth(width.saturating_sub(1)).map_or(text.len(), |(i, _)| i);
        buf.extend_from_slice(&text.as_bytes()[..cut]);
        buf.extend_from_slice("…".as_bytes());
    } else {
        buf.extend_from_slice(text.as_bytes());
        buf.resize(buf.len() + (width - n), b' ');
    }
}

/// Appends ASCII `text` right-aligned in `width` characters.
fn push_right(buf: &mut Vec<u8>, text: &[u8], width: usize) {
    buf.resize(buf.len() + width.saturating_sub(text.len()), b' ');
    buf.extend_from_slice(text);
}

/// Appends an amount in Danish form without the currency: `-1.234,56` (as `Money::to_danish`).
fn push_danish(buf: &mut Vec<u8>, m: Money) {
    if m.ore() < 0 {
        buf.push(b'-');
    }
    let a = m.ore().unsigned_abs();
    let (all, start) = decimal(a / 100);
    let digits = &all[start..];
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            buf.push(b'.');
        }
        buf.push(*d);
    }
    buf.push(b',');
    buf.push(b'0' + (a % 100 / 10) as u8);
    buf.push(b'0' + (a % 10) as u8);
}

/// Writes `text` cut or padded to `width` characters (left-aligned).
fn cell(w: &mut dyn Write, text: &str, width: usize) -> io::Result<()> {
    let n = text.chars().count();
    if n > width {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        write!(w, "{cut}…")
    } else {
        write!(w, "{text}{:pad$}", "", pad = width - n)
    }
}

/// Writes `text` right-aligned in `width` characters.
fn num(w: &mut dyn Write, text: &str, width: usize) -> io::Result<()> {
    let n = text.chars().count();
    write!(w, "{:pad$}{text}", "", pad = width.saturating_sub(n))
}

const TEXT_W: usize = 14;

/// A sums row of the text table: the label, the four amounts and the pension.
fn totals_row(w: &mut dyn Write, label: &str, t: &Totals) -> io::Result<()> {
    cell(w, label, 26 + 1 + 22 + 1 + 7 + 1 + 4)?;
    for m in [t.basis, t.practice_share, t.region_share, t.honorarium, t.pension] {
        w.write_all(b" ")?;
        num(w, &m.to_danish(), TEXT_W)?;
    }
    w.write_all(b"\n")
}

/// `finance --format text`: a readable table in Danish amount format, one block per practice with
/// its sums, then the region's totals and the sums per payer; written as the lines come.
pub struct TextWriter<W: Write> {
    out: W,
    header: String,
    /// One row's bytes, and one amount's, built before they are written.
    buf: Vec<u8>,
    amount: Vec<u8>,
}

impl<W: Write> TextWriter<W> {
    pub fn new(out: W) -> TextWriter<W> {
        let mut header = Vec::new();
        let h: &mut dyn Write = &mut header;
        let _ = (|| -> io::Result<()> {
            cell(h, "Uddannelseslæge", 26)?;
            h.write_all(b" ")?;
            cell(h, "Type", 22)?;
            h.write_all(b" ")?;
            cell(h, "Måned", 7)?;
            h.write_all(b" ")?;
            num(h, "Dage", 4)?;
            for title in ["Grundlag", "Praksis andel", "Region andel", "Honorar", "Pension"] {
                h.write_all(b" ")?;
                num(h, title, TEXT_W)?;
            }
            h.write_all("  Udbetales af\n".as_bytes())
        })();
        TextWriter {
            out,
            header: String::from_utf8(header).unwrap_or_default(),
            buf: Vec::with_capacity(256),
            amount: Vec::with_capacity(24),
        }
    }

    /// Writes the region's totals and the payers (or that there were no lines).
    pub fn finish(mut self, run: &FinanceRun) -> io::Result<W> {
        let w: &mut dyn Write = &mut self.out;
        if run.lines == 0 {
            w.write_all("Ingen placeringer i perioden.\n".as_bytes())?;
        } else {
            totals_row(w, "Regionen i alt", &run.summary.totals)?;
            w.write_all("\nLøn udbetales af:\n".as_bytes())?;
            for (payer, t) in &run.summary.per_payer {
                w.write_all(b"  ")?;
                cell(w, payer, 30)?;
                writeln!(w, "  grundlag {}", t.basis.to_danish_kr())?;
            }
        }
        w.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> LineSink for TextWriter<W> {
    type Error = io::Error;
    fn practice_start(&mut self, practice_id: &str, practice: Option<&Practice>) -> io::Result<()> {
        let name = practice.map_or("(ukendt praksis)", |p| p.name.as_str());
        writeln!(self.out, "{name} ({practice_id})")?;
        self.out.write_all(self.header.as_bytes())
    }

    fn line(&mut self, l: &FinanceLine) -> io::Result<()> {
        let b = &mut self.buf;
        b.clear();
        push_cell(b, &l.trainee_name, 26);
        b.push(b' ');
        push_cell(b, l.kind.danish(), 22);
        b.push(b' ');
        push_month(b, l.month);
        b.push(b' ');
        self.amount.clear();
        push_u64(&mut self.amount, u64::from(l.days));
        push_right(b, &self.amount, 4);
        for m in [l.basis, l.practice_share, l.region_share, l.honorarium, l.pension] {
            b.push(b' ');
            self.amount.clear();
            push_danish(&mut self.amount, m);
            push_right(b, &self.amount, TEXT_W);
        }
        b.extend_from_slice(b"  ");
        b.extend_from_slice(l.paid_out_by.as_bytes());
        b.push(b'\n');
        self.out.write_all(b)
    }

    fn practice_end(&mut self, _practice_id: &str, t: &Totals) -> io::Result<()> {
        let w: &mut dyn Write = &mut self.out;
        totals_row(w, "I alt", t)?;
        let net = net_for_practice(t);
        if net.ore() >= 0 {
            writeln!(w, "Praksis betaler i alt: {}\n", net.to_danish_kr())
        } else {
            writeln!(w, "Praksis modtager i alt: {}\n", (-net).to_danish_kr())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Dated, Placement, Practice, SalaryStep, Setting, ShareRate};
    use crate::domain::money::mul_div_round_half_up;
    use crate::domain::region::Region;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).expect("valid test month")
    }

    fn practice(id: &str, municipality: &str) -> Practice {
        Practice {
            id: id.to_string(),
            name: format!("Praksis {id}"),
            address: String::new(),
            municipality: municipality.to_string(),
            lat: 56.0,
            lon: 9.5,
            tutors: 2,
            doctors: 2,
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

    fn trainee(id: &str, kind: TraineeType, start: NaiveDate, end: NaiveDate, monthly: Option<i64>) -> Trainee {
        Trainee {
            id: id.to_string(),
            name: format!("Læge {id}"),
            kind,
            hospital_unit: Some("Hospitalsenhed Midt".to_string()),
            municipality: Some("Viborg".to_string()),
            start,
            end,
            monthly_salary: monthly.map(Money::from_dkk),
            seniority_step: None,
            own_gp: None,
            family_practices: Vec::new(),
            history: Vec::new(),
        }
    }

    fn placement(t: &Trainee, practice_id: &str) -> Placement {
        Placement {
            trainee_id: t.id.clone(),
            practice_id: practice_id.to_string(),
            start: t.start,
            end: t.end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        }
    }

    /// A dataset with the given trainees, each placed at P1 (Viborg) for their whole period.
    fn dataset(trainees: Vec<Trainee>) -> Dataset {
        let mut data = Dataset::empty(Region::midtjylland());
        data.practices.push(practice("P1", "Viborg"));
        data.practices.push(practice("P2", "Herning"));
        data.placements = trainees.iter().map(|t| placement(t, "P1")).collect();
        data.trainees = trainees;
        data
    }

    fn only_line(lines: &[FinanceLine], month: YearMonth) -> &FinanceLine {
        let found: Vec<&FinanceLine> = lines.iter().filter(|l| l.month == month).collect();
        assert_eq!(found.len(), 1, "one line in {month}");
        found[0]
    }

    /// `finance --format json` of the data, through the streaming writer.
    fn json_of(data: &Dataset, from: YearMonth, to: YearMonth) -> Vec<u8> {
        let mut w = JsonWriter::new(Vec::new()).expect("write");
        let run = stream(data, from, to, None, &mut w).expect("stream");
        w.finish(&run).expect("finish")
    }

    fn csv_of(data: &Dataset, from: YearMonth, to: YearMonth) -> Vec<u8> {
        let mut w = CsvWriter::new(Vec::new()).expect("write");
        stream(data, from, to, None, &mut w).expect("stream");
        w.finish().expect("finish")
    }

    fn text_of(data: &Dataset, from: YearMonth, to: YearMonth) -> Vec<u8> {
        let mut w = TextWriter::new(Vec::new());
        let run = stream(data, from, to, None, &mut w).expect("stream");
        w.finish(&run).expect("finish")
    }

    /// The writers as they were before the lines were streamed (collected lines, a serde_json
    /// value, strings): the reference the streaming writers must equal byte for byte.
    mod collected {
        use super::super::*;

        fn totals_json(t: &Totals) -> serde_json::Map<String, serde_json::Value> {
            let mut m = serde_json::Map::new();
            m.insert("basis".into(), t.basis.to_json_string().into());
            m.insert("practice_share".into(), t.practice_share.to_json_string().into());
            m.insert("region_share".into(), t.region_share.to_json_string().into());
            m.insert("honorarium".into(), t.honorarium.to_json_string().into());
            m.insert("pension".into(), t.pension.to_json_string().into());
            m
        }

        /// As `print_json(&to_json(..))` printed it: pretty, with a final newline.
        pub fn json(lines: &[FinanceLine], summary: &FinanceSummary) -> Vec<u8> {
            let json_lines: Vec<serde_json::Value> = lines
                .iter()
                .map(|l| {
                    serde_json::json!({
                        "trainee_id": l.trainee_id,
                        "practice_id": l.practice_id,
                        "month": l.month.to_string(),
                        "type": l.kind.key(),
                        "days": l.days,
                        "basis": l.basis.to_json_string(),
                        "practice_share": l.practice_share.to_json_string(),
                        "region_share": l.region_share.to_json_string(),
                        "honorarium": l.honorarium.to_json_string(),
                        "pension": l.pension.to_json_string(),
                        "paid_out_by": l.paid_out_by,
                    })
                })
                .collect();
            let practices: Vec<serde_json::Value> = summary
                .per_practice
                .iter()
                .map(|(id, t)| {
                    let mut m = serde_json::Map::new();
                    m.insert("practice_id".into(), id.clone().into());
                    m.extend(totals_json(t));
                    m.insert("net".into(), net_for_practice(t).to_json_string().into());
                    serde_json::Value::Object(m)
                })
                .collect();
            let payers: Vec<serde_json::Value> = summary
                .per_payer
                .iter()
                .map(|(payer, t)| {
                    let mut m = serde_json::Map::new();
                    m.insert("paid_out_by".into(), payer.clone().into());
                    m.extend(totals_json(t));
                    serde_json::Value::Object(m)
                })
                .collect();
            let value = serde_json::json!({
                "lines": json_lines,
                "practices": practices,
                "payers": payers,
                "totals": serde_json::Value::Object(totals_json(&summary.totals)),
            });
            format!("{}\n", serde_json::to_string_pretty(&value).expect("json")).into_bytes()
        }

        fn csv_field(text: &str) -> String {
            let text = formula_safe(text);
            if text.contains([';', '"', '\n', '\r']) {
                format!("\"{}\"", text.replace('"', "\"\""))
            } else {
                text.into_owned()
            }
        }

        pub fn csv(lines: &[FinanceLine]) -> Vec<u8> {
            let mut out = CSV_COLUMNS.join(";");
            out.push('\n');
            for l in lines {
                let fields = [
                    csv_field(&l.trainee_id),
                    csv_field(&l.practice_id),
                    l.month.to_string(),
                    l.kind.key().to_string(),
                    l.days.to_string(),
                    l.basis.to_csv_string(),
                    l.practice_share.to_csv_string(),
                    l.region_share.to_csv_string(),
                    l.honorarium.to_csv_string(),
                    l.pension.to_csv_string(),
                    csv_field(&l.paid_out_by),
                ];
                out.push_str(&fields.join(";"));
                out.push('\n');
            }
            out.into_bytes()
        }

        fn cell(text: &str, width: usize) -> String {
            let n = text.chars().count();
            if n > width {
                let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
                s.push('…');
                s
            } else {
                format!("{text}{}", " ".repeat(width - n))
            }
        }

        fn num(text: &str, width: usize) -> String {
            let n = text.chars().count();
            format!("{}{text}", " ".repeat(width.saturating_sub(n)))
        }

        pub fn text(lines: &[FinanceLine], summary: &FinanceSummary, data: &Dataset) -> Vec<u8> {
            const W: usize = 14;
            let header = format!(
                "{} {} {} {} {} {} {} {} {}  {}\n",
                cell("Uddannelseslæge", 26),
                cell("Type", 22),
                cell("Måned", 7),
                num("Dage", 4),
                num("Grundlag", W),
                num("Praksis andel", W),
                num("Region andel", W),
                num("Honorar", W),
                num("Pension", W),
                "Udbetales af"
            );
            let totals_row = |label: &str, t: &Totals| {
                format!(
                    "{} {} {} {} {}\n",
                    cell(label, 26 + 1 + 22 + 1 + 7 + 1 + 4),
                    num(&t.basis.to_danish(), W),
                    num(&t.practice_share.to_danish(), W),
                    num(&t.region_share.to_danish(), W),
                    num(&t.honorarium.to_danish(), W),
                )
                .trim_end()
                .to_string()
                    + &format!(" {}\n", num(&t.pension.to_danish(), W))
            };
            let mut out = String::new();
            if lines.is_empty() {
                out.push_str("Ingen placeringer i perioden.\n");
                return out.into_bytes();
            }
            let mut start = 0;
            while start < lines.len() {
                let pid = &lines[start].practice_id;
                let end = lines[start..].iter().position(|l| &l.practice_id != pid).map_or(lines.len(), |n| start + n);
                let name = data.practice(pid).map_or("(ukendt praksis)", |p| p.name.as_str());
                out.push_str(&format!("{name} ({pid})\n"));
                out.push_str(&header);
                for l in &lines[start..end] {
                    out.push_str(&format!(
                        "{} {} {} {} {} {} {} {} {}  {}\n",
                        cell(&l.trainee_name, 26),
                        cell(l.kind.danish(), 22),
                        cell(&l.month.to_string(), 7),
                        num(&l.days.to_string(), 4),
                        num(&l.basis.to_danish(), W),
                        num(&l.practice_share.to_danish(), W),
                        num(&l.region_share.to_danish(), W),
                        num(&l.honorarium.to_danish(), W),
                        num(&l.pension.to_danish(), W),
                        l.paid_out_by
                    ));
                }
                let t = summary.per_practice.get(pid).copied().unwrap_or_else(|| Totals::of(&lines[start..end]));
                out.push_str(&totals_row("I alt", &t));
                let net = net_for_practice(&t);
                if net.ore() >= 0 {
                    out.push_str(&format!("Praksis betaler i alt: {}\n\n", net.to_danish_kr()));
                } else {
                    out.push_str(&format!("Praksis modtager i alt: {}\n\n", (-net).to_danish_kr()));
                }
                start = end;
            }
            out.push_str(&totals_row("Regionen i alt", &summary.totals));
            out.push_str("\nLøn udbetales af:\n");
            for (payer, t) in &summary.per_payer {
                out.push_str(&format!("  {}  grundlag {}\n", cell(payer, 30), t.basis.to_danish_kr()));
            }
            out.into_bytes()
        }
    }

    /// Odd data for the writers: quotes, separators, line breaks and formula starts in ids and
    /// names, a practice that is gone, a missing hospital unit, long names, several payers.
    fn awkward() -> Dataset {
        let mut a = trainee("=A\"1", TraineeType::Phase2, d(2026, 5, 18), d(2026, 8, 3), Some(51_000));
        a.name = "Line\nbreak \u{1} and \"quotes\" and a very long name indeed".to_string();
        let mut k = trainee("K;2", TraineeType::Kbu, d(2026, 2, 1), d(2026, 7, 31), None);
        k.hospital_unit = None;
        let mut p1 = trainee("P1-x", TraineeType::Phase1, d(2026, 1, 10), d(2026, 3, 31), None);
        p1.hospital_unit = Some("Regionshospitalet Horsens".to_string());
        let o = trainee("O\\", TraineeType::Other, d(2025, 12, 1), d(2026, 6, 30), Some(-1_000));
        let mut data = dataset(vec![a, k.clone(), p1.clone(), o.clone()]);
        data.placements[1] = placement(&k, "@P2");
        data.placements[2] = placement(&p1, "GONE");
        data.placements[3] = placement(&o, "P2");
        data.practices.push(practice("@P2", "Skive"));
        data
    }

    #[test]
    fn the_streamed_json_csv_and_text_are_byte_for_byte_the_old_collected_output() {
        let mut cases = vec![
            ("awkward", awkward(), ym(2025, 1), ym(2027, 12)),
            ("empty period", awkward(), ym(2030, 1), ym(2030, 12)),
            ("no data", dataset(Vec::new()), ym(2026, 1), ym(2026, 12)),
        ];
        let mut split = awkward();
        split.settings.pension_in_split = true;
        split.settings.honorarium.push(Dated { valid_from: d(2026, 3, 17), value: Money(612_345) });
        cases.push(("pension in the split, a change mid-month", split, ym(2026, 1), ym(2026, 12)));
        for (name, data, from, to) in &cases {
            let lines = finance_lines(data, *from, *to, None);
            let summary = summarize(&lines);
            assert_eq!(json_of(data, *from, *to), collected::json(&lines, &summary), "{name}: json");
            assert_eq!(csv_of(data, *from, *to), collected::csv(&lines), "{name}: csv");
            assert_eq!(text_of(data, *from, *to), collected::text(&lines, &summary, data), "{name}: text");
            assert_eq!(to_csv(&lines).into_bytes(), collected::csv(&lines), "{name}: to_csv");
        }
    }

    #[test]
    fn the_stream_hands_over_one_reused_line_at_a_time_and_keeps_none() {
        let data = awkward();
        let mut seen: Vec<(String, String, YearMonth)> = Vec::new();
        let mut addresses = HashSet::new();
        let run = for_each_line(&data, ym(2025, 1), ym(2027, 12), None, |l| {
            addresses.insert(l as *const FinanceLine as usize);
            seen.push((l.practice_id.clone(), l.trainee_id.clone(), l.month));
            Ok::<(), ()>(())
        })
        .expect("stream");
        // One line buffer, filled again for each line: the stream retains no line.
        assert_eq!(addresses.len(), 1, "lines handed over from {} places", addresses.len());
        assert_eq!(run.lines, seen.len() as u64);
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted, "in (practice, trainee, month) order");
        // The same lines, the same sums as collecting them.
        let collected = finance_lines(&data, ym(2025, 1), ym(2027, 12), None);
        assert_eq!(collected.len(), seen.len());
        assert_eq!(run.summary, summarize(&collected));
        // A sink that fails stops the stream at once: nothing is computed ahead of the sink.
        let mut visits = 0;
        let stopped = for_each_line(&data, ym(2025, 1), ym(2027, 12), None, |_| {
            visits += 1;
            if visits == 3 { Err("full") } else { Ok(()) }
        });
        assert_eq!((stopped, visits), (Err("full"), 3));
    }

    #[test]
    fn a_sink_sees_each_practice_start_and_end_with_its_own_sums() {
        struct Events(Vec<String>);
        impl LineSink for Events {
            type Error = ();
            fn practice_start(&mut self, id: &str, p: Option<&Practice>) -> Result<(), ()> {
                self.0.push(format!("start {id} {}", p.map_or("-", |p| p.name.as_str())));
                Ok(())
            }
            fn line(&mut self, l: &FinanceLine) -> Result<(), ()> {
                self.0.push(format!("line {} {}", l.trainee_id, l.month));
                Ok(())
            }
            fn practice_end(&mut self, id: &str, t: &Totals) -> Result<(), ()> {
                self.0.push(format!("end {id} {}", t.basis.to_json_string()));
                Ok(())
            }
        }
        let data = awkward();
        let mut events = Events(Vec::new());
        let run = stream(&data, ym(2026, 1), ym(2026, 2), None, &mut events).expect("stream");
        assert_eq!(
            events.0,
            [
                "start @P2 Praksis @P2",
                "line K;2 2026-02",
                "end @P2 35788.00",
                "start GONE -",
                "line P1-x 2026-01",
                "line P1-x 2026-02",
                &format!("end GONE {}", run.summary.per_practice["GONE"].basis.to_json_string()),
                "start P2 Praksis P2",
                "line O\\ 2026-01",
                "line O\\ 2026-02",
                "end P2 -2000.00",
            ]
        );
        assert_eq!(active_practices(&data, ym(2026, 1), ym(2026, 2)), ["@P2", "GONE", "P2"]);
    }

    #[test]
    fn days_before_the_scale_give_one_gap_per_step_with_the_count_of_lines_and_trainees() {
        // Three laege1 trainees and one praksisamanuens from 2014, a scale that starts later.
        let mut ts = Vec::new();
        for (i, kind) in
            [TraineeType::Kbu, TraineeType::Intro, TraineeType::Phase1, TraineeType::Phase3].iter().enumerate()
        {
            ts.push(trainee(&format!("T{i}"), *kind, d(2014, 10, 15), d(2015, 2, 28), None));
        }
        let data = dataset(ts);
        let run = finance_run(&data, ym(2014, 1), ym(2015, 12), None);
        assert_eq!(run.lines, 4 * 5);
        let salary: Vec<&RateGap> = run.gaps.iter().filter(|g| matches!(g.key, RateKey::Salary(_))).collect();
        assert_eq!(salary.len(), 2, "{:?}", run.gaps);
        let l1 = salary[0];
        assert_eq!(l1.key, RateKey::Salary("laege1".to_string()));
        assert_eq!(l1.starts, Some(d(2015, 1, 1)));
        assert_eq!((l1.first_day, l1.last_day), (d(2014, 10, 15), d(2014, 12, 31)));
        assert_eq!((l1.lines, l1.trainees), (3 * 3, 3));
        assert_eq!(salary[1].key, RateKey::Salary("praksisamanuens".to_string()));
        assert_eq!((salary[1].lines, salary[1].trainees), (3, 1));
        // The shares, the honorarium and the pension also start in 2015: each one gap.
        let keys: Vec<String> = run.gaps.iter().map(|g| g.key.setting()).collect();
        assert_eq!(
            keys,
            [
                "salary.laege1",
                "salary.praksisamanuens",
                "share.kbu",
                "share.intro",
                "share.phase1",
                "share.phase3",
                "honorarium",
                "pension"
            ]
        );
        assert_eq!((run.gap_lines, run.gap_trainees), (4 * 3, 4));
        // Those days carry 0,00; the days from 2015 on are paid.
        let lines = finance_lines(&data, ym(2014, 1), ym(2015, 12), None);
        assert!(lines.iter().filter(|l| l.month.year == 2014).all(|l| l.basis == Money::ZERO));
        assert!(lines.iter().filter(|l| l.month.year == 2015).all(|l| l.basis > Money::ZERO));
        assert_eq!(
            l1.describe(true),
            "the salary scale for laege1 starts 01-01-2015; 9 lines (3 trainees) from 15-10-2014 to 31-12-2014 carry a salary of 0,00 kr."
        );
        assert_eq!(
            l1.describe(false),
            "lønskalaen for laege1 begynder 01-01-2015; 9 linjer (3 uddannelseslæger) fra 15-10-2014 til 31-12-2014 har en løn på 0,00 kr."
        );
        // A month with a scale start inside it: one line with a gap, priced for its paid days.
        let mut late = dataset(vec![trainee("L", TraineeType::Kbu, d(2015, 1, 1), d(2015, 1, 31), None)]);
        for s in &mut late.settings.salary_scale {
            if s.step == "laege1" && s.valid_from == d(2015, 1, 1) {
                s.valid_from = d(2015, 1, 11);
            }
        }
        let run = finance_run(&late, ym(2015, 1), ym(2015, 1), None);
        assert_eq!(run.gaps.len(), 1);
        assert_eq!(
            (run.gaps[0].first_day, run.gaps[0].last_day, run.gaps[0].lines),
            (d(2015, 1, 1), d(2015, 1, 10), 1)
        );
        let line = &finance_lines(&late, ym(2015, 1), ym(2015, 1), None)[0];
        assert_eq!(line.basis, Money(mul_div_round_half_up(3_074_900, 21, 31)));
    }

    #[test]
    fn the_pension_follows_its_dated_rates_and_a_change_mid_month_is_weighted() {
        let t = trainee("F3", TraineeType::Phase3, d(2025, 3, 1), d(2025, 4, 30), Some(50_000));
        let mut data = dataset(vec![t]);
        let lines = finance_lines(&data, ym(2025, 3), ym(2025, 4), None);
        assert_eq!(lines[0].pension, Money::from_dkk(8_625), "17,25 % in March 2025");
        assert_eq!(lines[1].pension, Money::from_dkk(9_680), "19,36 % from 1 April 2025");
        data.settings.pension.push(crate::domain::model::PensionRate {
            valid_from: d(2025, 4, 16),
            basis_points: 2000,
            source: String::new(),
        });
        let apr = &finance_lines(&data, ym(2025, 4), ym(2025, 4), None)[0];
        // 15 days at 19,36 % and 15 at 20 %: 50.000 × (15 × 1936 + 15 × 2000) ÷ (30 × 10 000)
        assert_eq!(apr.pension, Money::from_dkk(9_840));
    }

    #[test]
    fn each_type_is_split_by_its_share_and_paid_out_by_the_right_unit() {
        let (s, e) = (d(2026, 3, 1), d(2026, 3, 31));
        let mut kbu = trainee("K", TraineeType::Kbu, s, e, Some(40_000));
        kbu.hospital_unit = Some("Hospitalsenhed Horsens".to_string());
        let data = dataset(vec![
            kbu,
            trainee("I", TraineeType::Intro, s, e, Some(40_000)),
            trainee("F1", TraineeType::Phase1, s, e, Some(40_000)),
            trainee("F2", TraineeType::Phase2, s, e, Some(40_000)),
            trainee("F3", TraineeType::Phase3, s, e, Some(40_000)),
            trainee("O", TraineeType::Other, s, e, Some(40_000)),
        ]);
        let lines = finance_lines(&data, ym(2026, 3), ym(2026, 3), None);
        let by_id = |id: &str| lines.iter().find(|l| l.trainee_id == id).expect("a line per trainee");
        // (id, practice share in kr., honorarium in kr., payer)
        let expected = [
            ("K", 0, 6_000, "Hospitalsenhed Horsens"),
            ("I", 0, 0, GODSTRUP),
            ("F1", 0, 0, "Hospitalsenhed Midt"),
            ("F2", 12_800, 0, GODSTRUP),
            ("F3", 15_600, 0, GODSTRUP),
            ("O", 12_800, 0, GODSTRUP),
        ];
        for (id, share, honorarium, payer) in expected {
            let l = by_id(id);
            assert_eq!(l.days, 31, "{id}");
            assert_eq!(l.basis, Money::from_dkk(40_000), "{id}");
            assert_eq!(l.practice_share, Money::from_dkk(share), "{id}");
            assert_eq!(l.region_share, Money::from_dkk(40_000 - share), "{id}");
            assert_eq!(l.honorarium, Money::from_dkk(honorarium), "{id}");
            assert_eq!(l.paid_out_by, payer, "{id}");
            assert_eq!(l.district, Some(District::Middle), "{id}");
            assert_eq!(l.pension, Money::from_dkk(7_744), "{id}: 19,36 % of 40.000");
        }
    }

    #[test]
    fn a_part_month_at_start_and_end_is_paid_by_calendar_days() {
        // Phase 2 from 18 May to 17 November 2026 at 51.000 kr. (the contract example).
        let t = trainee("F2", TraineeType::Phase2, d(2026, 5, 18), d(2026, 11, 17), Some(51_000));
        let lines = finance_lines(&dataset(vec![t]), ym(2026, 1), ym(2026, 12), None);
        assert_eq!(lines.len(), 7);
        let may = only_line(&lines, ym(2026, 5));
        assert_eq!(may.days, 14);
        // 51.000 × 14 ÷ 31 = 23.032,258… → 23.032,26
        assert_eq!(may.basis, Money(2_303_226));
        // 2.303.226 × 0,32 = 737.032,32 øre → 737.032
        assert_eq!(may.practice_share, Money(737_032));
        assert_eq!(may.region_share, Money(2_303_226 - 737_032));
        let nov = only_line(&lines, ym(2026, 11));
        assert_eq!(nov.days, 17);
        // 51.000 × 17 ÷ 30 = 28.900,00
        assert_eq!(nov.basis, Money::from_dkk(28_900));
        assert_eq!(nov.practice_share, Money::from_dkk(9_248));
        let june = only_line(&lines, ym(2026, 6));
        assert_eq!(
            (june.days, june.basis, june.practice_share),
            (30, Money::from_dkk(51_000), Money::from_dkk(16_320))
        );
    }

    #[test]
    fn the_period_clips_a_placement_to_the_requested_months() {
        let t = trainee("F2", TraineeType::Phase2, d(2026, 5, 18), d(2026, 11, 17), Some(51_000));
        let lines = finance_lines(&dataset(vec![t]), ym(2026, 6), ym(2026, 7), None);
        let months: Vec<String> = lines.iter().map(|l| l.month.to_string()).collect();
        assert_eq!(months, ["2026-06", "2026-07"]);
    }

    #[test]
    fn a_placement_across_a_year_end_gets_a_line_in_each_month() {
        let t = trainee("F3", TraineeType::Phase3, d(2026, 12, 10), d(2027, 1, 20), Some(53_000));
        let lines = finance_lines(&dataset(vec![t]), ym(2026, 1), ym(2027, 12), None);
        let got: Vec<(String, u32)> = lines.iter().map(|l| (l.month.to_string(), l.days)).collect();
        assert_eq!(got, [("2026-12".to_string(), 22), ("2027-01".to_string(), 20)]);
        // 53.000 × 22 ÷ 31 = 37.612,903… → 37.612,90; 39 % = 14.669,031 → 14.669,03
        assert_eq!(lines[0].basis, Money(3_761_290));
        assert_eq!(lines[0].practice_share, Money(1_466_903));
    }

    #[test]
    fn february_in_a_leap_year_has_29_days() {
        let t = trainee("F2", TraineeType::Phase2, d(2028, 2, 15), d(2028, 3, 10), Some(58_000));
        let lines = finance_lines(&dataset(vec![t]), ym(2028, 2), ym(2028, 3), None);
        let feb = only_line(&lines, ym(2028, 2));
        assert_eq!(feb.days, 15);
        // 58.000 × 15 ÷ 29 = 30.000,00 exactly
        assert_eq!(feb.basis, Money::from_dkk(30_000));
        let full = trainee("K", TraineeType::Kbu, d(2028, 2, 1), d(2028, 2, 29), Some(40_000));
        let lines = finance_lines(&dataset(vec![full]), ym(2028, 2), ym(2028, 2), None);
        assert_eq!(
            (lines[0].days, lines[0].basis, lines[0].honorarium),
            (29, Money::from_dkk(40_000), Money::from_dkk(6_000))
        );
    }

    #[test]
    fn a_rate_change_applies_from_its_date_and_splits_the_month_it_falls_in() {
        let t = trainee("F2", TraineeType::Phase2, d(2026, 1, 1), d(2026, 4, 30), None);
        let mut data = dataset(vec![t]);
        // The scale step and the share both change on 16 March 2026.
        data.settings.salary_scale.push(SalaryStep {
            step: "praksisamanuens".to_string(),
            valid_from: d(2026, 3, 16),
            monthly: Money::from_dkk(62_000),
            source: String::new(),
        });
        data.settings.share_rates.push(ShareRate {
            kind: TraineeType::Phase2,
            valid_from: d(2026, 3, 16),
            practice_basis_points: 5000,
        });
        let lines = finance_lines(&data, ym(2026, 1), ym(2026, 4), None);
        let jan = only_line(&lines, ym(2026, 1));
        assert_eq!(jan.basis, Money::from_dkk(51_244), "earlier months keep the old salary");
        assert_eq!(jan.practice_share, Money(mul_div_round_half_up(5_124_400, 3200, 10_000)), "and the old share");
        let apr = only_line(&lines, ym(2026, 4));
        assert_eq!((apr.basis, apr.practice_share), (Money::from_dkk(62_000), Money::from_dkk(31_000)));
        // March: 15 days at 51.244 (32 %) and 16 days at 62.000 (50 %), rounded once.
        let mar = only_line(&lines, ym(2026, 3));
        let salary_sum: i128 = 5_124_400 * 15 + 6_200_000 * 16;
        assert_eq!(mar.basis, round_ratio(salary_sum, 31));
        // 76.866.000 + 99.200.000 = 176.066.000 øre·days ÷ 31 = 5.679.548,387 → 5.679.548
        assert_eq!(mar.basis, Money(5_679_548));
        let share_sum: i128 = 5_124_400 * 15 * 3200 + 6_200_000 * 16 * 5000;
        assert_eq!(mar.practice_share, round_ratio(5_679_548 * share_sum, salary_sum * 10_000));
        // The weighted rate lies between the two rates.
        assert!(mar.practice_share > Money(5_679_548 * 32 / 100) && mar.practice_share < Money(5_679_548 / 2));
        assert_eq!(mar.practice_share + mar.region_share, mar.basis);
        assert_eq!(mar.monthly_salary, Money::from_dkk(62_000), "the line shows the salary in force at its end");
    }

    #[test]
    fn a_honorarium_change_in_the_middle_of_a_month_splits_that_month() {
        let t = trainee("K", TraineeType::Kbu, d(2026, 6, 1), d(2026, 6, 30), Some(36_000));
        let mut data = dataset(vec![t]);
        data.settings.honorarium.push(Dated { valid_from: d(2026, 6, 11), value: Money::from_dkk(9_000) });
        let lines = finance_lines(&data, ym(2026, 6), ym(2026, 6), None);
        // 6.000 × 10 ÷ 30 + 9.000 × 20 ÷ 30 = 2.000 + 6.000
        assert_eq!(lines[0].honorarium, Money::from_dkk(8_000));
        assert_eq!(lines[0].basis, Money::from_dkk(36_000));
    }

    #[test]
    fn rounding_at_exactly_half_an_ore_goes_up() {
        // Basis: 0,31 kr. a month for 15 of 30 days = 15,5 øre → 16 (half up, not truncated).
        let mut t = trainee("F2", TraineeType::Phase2, d(2026, 6, 1), d(2026, 6, 15), None);
        t.monthly_salary = Some(Money(31));
        let lines = finance_lines(&dataset(vec![t]), ym(2026, 6), ym(2026, 6), None);
        assert_eq!(lines[0].basis, Money(16));
        // Share: 50 øre × 39 % = 19,5 øre → 20, and the region gets the rest.
        let mut t3 = trainee("F3", TraineeType::Phase3, d(2026, 6, 1), d(2026, 6, 30), None);
        t3.monthly_salary = Some(Money(50));
        let lines = finance_lines(&dataset(vec![t3]), ym(2026, 6), ym(2026, 6), None);
        assert_eq!(lines[0].basis, Money(50));
        assert_eq!(lines[0].practice_share, Money(20));
        assert_eq!(lines[0].region_share, Money(30));
        // Share: 1.234,50 kr. × 39 % = 48.145,5 øre → 48.146.
        let mut t4 = trainee("F3", TraineeType::Phase3, d(2026, 6, 1), d(2026, 6, 30), None);
        t4.monthly_salary = Some(Money(123_450));
        let lines = finance_lines(&dataset(vec![t4]), ym(2026, 6), ym(2026, 6), None);
        assert_eq!(lines[0].practice_share, Money(48_146));
        // Honorarium: 1.000,01 kr. a month for 15 of 30 days = 50.000,5 øre → 50.001.
        let mut k = trainee("K", TraineeType::Kbu, d(2026, 6, 1), d(2026, 6, 15), Some(30_000));
        k.hospital_unit = None;
        let mut data = dataset(vec![k]);
        data.settings.honorarium = vec![Dated { valid_from: d(2020, 1, 1), value: Money(100_001) }];
        let lines = finance_lines(&data, ym(2026, 6), ym(2026, 6), None);
        assert_eq!(lines[0].honorarium, Money(50_001));
        assert_eq!(lines[0].paid_out_by, UNKNOWN_PAYER);
    }

    #[test]
    fn the_scale_gives_the_salary_when_no_personal_salary_is_set() {
        let mut t = trainee("I", TraineeType::Intro, d(2026, 6, 1), d(2026, 6, 30), None);
        let data = dataset(vec![t.clone()]);
        let lines = finance_lines(&data, ym(2026, 6), ym(2026, 6), None);
        assert_eq!(lines[0].basis, Money::from_dkk(35_788), "intro is paid at laege1");
        t.seniority_step = Some("laege2".to_string());
        let lines = finance_lines(&dataset(vec![t.clone()]), ym(2026, 6), ym(2026, 6), None);
        assert_eq!(lines[0].basis, Money::from_dkk(39_111));
        assert!(finance_run(&dataset(vec![t.clone()]), ym(2026, 6), ym(2026, 6), None).gaps.is_empty());
        t.seniority_step = Some("ukendt".to_string());
        let data = dataset(vec![t]);
        let lines = finance_lines(&data, ym(2026, 6), ym(2026, 6), None);
        assert_eq!(lines[0].basis, Money::ZERO);
        let gaps = finance_run(&data, ym(2026, 6), ym(2026, 6), None).gaps;
        assert_eq!(
            gaps,
            [RateGap {
                key: RateKey::Salary("ukendt".to_string()),
                starts: None,
                first_day: d(2026, 6, 1),
                last_day: d(2026, 6, 30),
                lines: 1,
                trainees: 1,
            }]
        );
    }

    #[test]
    fn two_placements_in_one_month_at_one_practice_make_one_line_and_count_each_day_once() {
        let t = trainee("F2", TraineeType::Phase2, d(2026, 6, 1), d(2026, 6, 30), Some(30_000));
        let mut data = dataset(vec![t.clone()]);
        data.placements[0].end = d(2026, 6, 10);
        let mut second = placement(&t, "P1");
        second.start = d(2026, 6, 8);
        second.end = d(2026, 6, 20);
        data.placements.push(second);
        let lines = finance_lines(&data, ym(2026, 6), ym(2026, 6), None);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].days, 20);
        assert_eq!(lines[0].basis, Money::from_dkk(20_000));
    }

    #[test]
    fn lines_are_sorted_and_filtered_by_practice() {
        let a = trainee("B", TraineeType::Phase2, d(2026, 1, 1), d(2026, 2, 28), Some(30_000));
        let b = trainee("A", TraineeType::Phase3, d(2026, 1, 1), d(2026, 2, 28), Some(30_000));
        let c = trainee("C", TraineeType::Kbu, d(2026, 1, 1), d(2026, 1, 31), Some(30_000));
        let mut data = dataset(vec![a, b, c.clone()]);
        data.placements[2] = placement(&c, "P2");
        let lines = finance_lines(&data, ym(2026, 1), ym(2026, 12), None);
        let keys: Vec<(String, String, String)> =
            lines.iter().map(|l| (l.practice_id.clone(), l.trainee_id.clone(), l.month.to_string())).collect();
        let want = [
            ("P1", "A", "2026-01"),
            ("P1", "A", "2026-02"),
            ("P1", "B", "2026-01"),
            ("P1", "B", "2026-02"),
            ("P2", "C", "2026-01"),
        ];
        let want: Vec<(String, String, String)> =
            want.iter().map(|(p, t, m)| (p.to_string(), t.to_string(), m.to_string())).collect();
        assert_eq!(keys, want);
        let only = finance_lines(&data, ym(2026, 1), ym(2026, 12), Some("P2"));
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].district, Some(District::West));
        let s = summarize(&lines);
        assert_eq!(s.per_practice.len(), 2);
        assert_eq!(s.per_district.keys().copied().collect::<Vec<_>>(), [Some(District::Middle), Some(District::West)]);
        assert_eq!(s.per_month.len(), 2);
        assert_eq!(s.per_payer[GODSTRUP].basis, Money::from_dkk(120_000));
        assert_eq!(s.totals.basis, Money::from_dkk(150_000));
        // P2 holds only the KBU: it receives its honorarium.
        assert_eq!(net_for_practice(&s.per_practice["P2"]), Money::from_dkk(-6_000));
        // P1: 32 % and 39 % of 2 × 30.000.
        assert_eq!(net_for_practice(&s.per_practice["P1"]), Money::from_dkk(19_200 + 23_400));
    }

    #[test]
    fn pension_is_shown_apart_and_split_only_when_hr_turns_it_on() {
        let t = trainee("F3", TraineeType::Phase3, d(2026, 6, 1), d(2026, 6, 30), Some(50_000));
        let mut data = dataset(vec![t]);
        let off = finance_lines(&data, ym(2026, 6), ym(2026, 6), None);
        assert_eq!(off[0].pension, Money::from_dkk(9_680));
        assert_eq!(off[0].practice_share, Money::from_dkk(19_500));
        assert_eq!(off[0].split_base(), off[0].basis);
        data.settings.pension_in_split = true;
        let on = finance_lines(&data, ym(2026, 6), ym(2026, 6), None);
        // 39 % of 59.680 = 23.275,20
        assert_eq!(on[0].practice_share, Money(2_327_520));
        assert_eq!(on[0].practice_share + on[0].region_share, Money::from_dkk(59_680));
        assert_eq!(on[0].basis, Money::from_dkk(50_000), "the basis stays the salary");
    }

    /// A small deterministic generator (Knuth's MMIX LCG), so the test needs no rand crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % below
        }
    }

    #[test]
    fn practice_and_region_shares_add_up_to_the_basis_on_many_random_lines() {
        let mut rng = Lcg(20_261_122);
        let mut trainees = Vec::new();
        for i in 0..400 {
            let kind = TraineeType::ALL[rng.next(6) as usize];
            let start = d(2026, 1, 1) + chrono::Days::new(rng.next(700));
            let end = start + chrono::Days::new(rng.next(400));
            let monthly = Money(2_000_000 + rng.next(6_000_000) as i64 + rng.next(100) as i64);
            let mut t = trainee(&format!("T{i:03}"), kind, start, end, None);
            t.monthly_salary = Some(monthly);
            trainees.push(t);
        }
        let mut data = dataset(trainees);
        // Odd rates, changing on odd days, make the rounding work.
        for (j, kind) in TraineeType::ALL.into_iter().enumerate() {
            data.settings.share_rates.push(ShareRate {
                kind,
                valid_from: d(2026, 7, 3 + j as u32),
                practice_basis_points: 1 + rng.next(9_999) as i64,
            });
        }
        data.settings.honorarium.push(Dated { valid_from: d(2027, 2, 14), value: Money(612_345) });
        let lines = finance_lines(&data, ym(2026, 1), ym(2028, 12), None);
        assert!(lines.len() > 3_000, "{} lines", lines.len());
        for l in &lines {
            assert_eq!(l.practice_share + l.region_share, l.basis, "{l:?}");
            assert!(l.days >= 1 && l.days <= l.month.days());
            // Without a change inside the month, each amount is the contract's formula exactly.
            let first = l.month.first_day();
            let t = data.trainee(&l.trainee_id).expect("trainee");
            let monthly = t.monthly_salary.expect("set").ore();
            let basis = mul_div_round_half_up(monthly, i64::from(l.days), i64::from(l.month.days()));
            assert_eq!(l.basis, Money(basis), "{l:?}");
            let changes_inside = data
                .settings
                .share_rates
                .iter()
                .any(|r| r.kind == l.kind && r.valid_from > first && r.valid_from <= l.month.last_day());
            if !changes_inside {
                let bp = data.settings.practice_basis_points(l.kind, first);
                assert_eq!(l.practice_share, Money(mul_div_round_half_up(basis, bp, 10_000)), "{l:?}");
            }
        }
        let s = summarize(&lines);
        assert_eq!(s.totals.practice_share + s.totals.region_share, s.totals.basis);
        let by_practice: Money = s.per_practice.values().map(|t| t.basis).sum();
        let by_month: Money = s.per_month.values().map(|t| t.basis).sum();
        let by_payer: Money = s.per_payer.values().map(|t| t.basis).sum();
        let by_district: Money = s.per_district.values().map(|t| t.basis).sum();
        assert_eq!([by_practice, by_month, by_payer, by_district], [s.totals.basis; 4]);
    }

    #[test]
    fn the_writers_number_formats_agree_with_money_and_months() {
        let mut rng = Lcg(16);
        let mut values: Vec<i64> = vec![0, 1, -1, 99, 100, -100, 12_345_678, i64::MAX, i64::MIN + 1];
        values.extend((0..5_000).map(|_| rng.next(4_000_000_000) as i64 - 2_000_000_000));
        for v in values {
            let m = Money(v);
            let mut b = Vec::new();
            push_danish(&mut b, m);
            assert_eq!(String::from_utf8(b).expect("ascii"), m.to_danish(), "{v}");
            let mut b = Vec::new();
            push_amount(&mut b, m, b'.');
            assert_eq!(String::from_utf8(b).expect("ascii"), m.to_json_string(), "{v}");
            let mut b = Vec::new();
            push_amount(&mut b, m, b',');
            assert_eq!(String::from_utf8(b).expect("ascii"), m.to_csv_string(), "{v}");
        }
        for (y, mo) in [(2026, 1), (999, 12), (2015, 10), (1, 1), (9999, 12)] {
            let mut b = Vec::new();
            push_month(&mut b, ym(y, mo));
            assert_eq!(String::from_utf8(b).expect("ascii"), ym(y, mo).to_string());
        }
        for (text, width) in [("Åse Ærø Øster", 5), ("Åse", 5), ("", 3), ("abcdef", 6), ("abcdefg", 6)] {
            let mut b = Vec::new();
            push_cell(&mut b, text, width);
            let mut w = Vec::new();
            cell(&mut w, text, width).expect("write");
            assert_eq!(b, w, "{text:?}");
        }
    }

    #[test]
    fn the_wide_rounding_agrees_with_the_money_rounding() {
        let mut rng = Lcg(7);
        for _ in 0..10_000 {
            let v = rng.next(20_000_000) as i64 - 10_000_000;
            let num = rng.next(10_000) as i64;
            let den = 1 + rng.next(10_000) as i64;
            assert_eq!(
                round_ratio(i128::from(v) * i128::from(num), i128::from(den)),
                Money(mul_div_round_half_up(v, num, den))
            );
        }
    }

    #[test]
    fn json_has_the_contract_keys_and_two_decimal_amounts() {
        let t = trainee("F2", TraineeType::Phase2, d(2026, 5, 18), d(2026, 6, 30), Some(51_000));
        let j: serde_json::Value =
            serde_json::from_slice(&json_of(&dataset(vec![t]), ym(2026, 1), ym(2026, 12))).expect("valid JSON");
        let l = &j["lines"][1];
        assert_eq!(l["trainee_id"], "F2");
        assert_eq!(l["practice_id"], "P1");
        assert_eq!(l["month"], "2026-06");
        assert_eq!(l["type"], "phase2");
        assert_eq!(l["days"], 30);
        assert_eq!(l["basis"], "51000.00");
        assert_eq!(l["practice_share"], "16320.00");
        assert_eq!(l["region_share"], "34680.00");
        assert_eq!(l["honorarium"], "0.00");
        assert_eq!(l["paid_out_by"], GODSTRUP);
        assert_eq!(j["practices"][0]["practice_id"], "P1");
        assert_eq!(j["practices"][0]["basis"], "74032.26");
        assert_eq!(j["totals"]["basis"], "74032.26");
        assert_eq!(j["totals"]["practice_share"], "23690.32");
    }

    #[test]
    fn csv_uses_semicolons_and_the_decimal_comma_without_a_bom() {
        let t = trainee("F2", TraineeType::Phase2, d(2026, 6, 1), d(2026, 6, 30), Some(51_000));
        let mut data = dataset(vec![t]);
        data.placements[0].practice_id = "P;1".to_string();
        let csv = to_csv(&finance_lines(&data, ym(2026, 6), ym(2026, 6), None));
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(
            rows[0],
            "trainee_id;practice_id;month;type;days;basis;practice_share;region_share;honorarium;pension;paid_out_by"
        );
        assert_eq!(
            rows[1],
            "F2;\"P;1\";2026-06;phase2;30;51000,00;16320,00;34680,00;0,00;9873,60;Regionshospitalet Gødstrup"
        );
        assert!(!csv.starts_with('\u{feff}'));
    }

    #[test]
    fn finance_csv_text_cells_that_look_like_formulas_get_a_quote_but_negative_amounts_stay_numbers() {
        let t = trainee("=HYPERLINK(1)", TraineeType::Phase2, d(2026, 6, 1), d(2026, 6, 30), Some(-51_000));
        let mut data = dataset(vec![t]);
        data.placements[0].practice_id = "-P1;x".to_string();
        let csv = to_csv(&finance_lines(&data, ym(2026, 6), ym(2026, 6), None));
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(
            rows[1],
            "'=HYPERLINK(1);\"'-P1;x\";2026-06;phase2;30;-51000,00;0,00;-51000,00;0,00;-9873,60;Regionshospitalet Gødstrup"
        );
    }

    #[test]
    fn formula_quote_is_removed_exactly_once_on_import() {
        for text in ["=1+2", "+45", "-5", "@x", "\tx", "\rx", "'x", "x", "", "'"] {
            assert_eq!(formula_unsafe(&formula_safe(text)), text, "{text:?}");
        }
        assert_eq!(formula_safe("-5"), "'-5");
        // A stored `'=1` is written as it is and read back as `=1` (CONTRACT.md: exactly one quote
        // before those characters is removed); exported again it is the same bytes.
        assert_eq!(formula_safe("'=1"), "'=1");
        assert_eq!(formula_safe(formula_unsafe("'=1")), "'=1");
        assert_eq!(formula_unsafe("''=1"), "''=1");
        assert_eq!(formula_unsafe("'x"), "'x");
    }

    #[test]
    fn text_shows_danish_amounts_and_what_each_practice_pays_or_receives() {
        let a = trainee("F2", TraineeType::Phase2, d(2026, 6, 1), d(2026, 6, 30), Some(51_000));
        let k = trainee("K", TraineeType::Kbu, d(2026, 6, 1), d(2026, 6, 30), Some(36_000));
        let mut data = dataset(vec![a, k.clone()]);
        data.placements[1] = placement(&k, "P2");
        let text = String::from_utf8(text_of(&data, ym(2026, 6), ym(2026, 6))).expect("utf-8");
        assert!(text.contains("Praksis P1 (P1)"), "{text}");
        assert!(text.contains("51.000,00") && text.contains("16.320,00"), "{text}");
        assert!(text.contains("Praksis betaler i alt: 16.320,00 kr."), "{text}");
        assert!(text.contains("Praksis modtager i alt: 6.000,00 kr."), "{text}");
        assert!(text.contains("Hoveduddannelse fase 2"), "{text}");
    }

    /// Lines of code with any `//` comment removed.
    fn code_of(source: &str) -> String {
        source.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn no_float_appears_on_the_money_path() {
        // Built by concatenation so that this test's own text does not contain them.
        let forbidden = [concat!("f", "32"), concat!("f", "64"), concat!(" as", " f")];
        for (file, source) in [("finance.rs", include_str!("finance.rs")), ("money.rs", include_str!("money.rs"))] {
            let code = code_of(source);
            for token in forbidden {
                assert!(!code.contains(token), "{file} contains '{token}'");
            }
        }
    }
}
