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
//! Rates change from a date (`valid_from`): share rates, the honorarium and the salary scale.
//! A change applies from its date only. When one changes inside a month, the month's days are cut
//! into segments at the change dates, and each segment is priced with the rates in force on its
//! first day. The exact sums of the segments are rounded once per line:
//! - `basis` = round(Σ monthly_i × days_i ÷ days_in_month);
//! - `practice_share` = round(basis × r), where r is the practice's rate weighted by each segment's
//!   salary amount: r = Σ(monthly_i × days_i × bp_i) ÷ (Σ(monthly_i × days_i) × 10 000). With one
//!   segment (the normal case) this is exactly the contract's round(basis × bp ÷ 10 000);
//! - `region_share` = basis − practice_share (so the two always add up to the basis);
//! - KBU `honorarium` = round(Σ honorarium_i × days_i ÷ days_in_month);
//! - `pension` = round(basis × pension_bp ÷ 10 000), shown apart.
//!
//! Pension: by default (DOMAIN.md §5) the pension is shown apart and is not split. When HR turns
//! `Settings::pension_in_split` on, the amount that is split is basis + pension: the practice pays
//! its rate of both, and `practice_share + region_share == basis + pension`
//! ([`FinanceLine::split_base`]).

use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

use super::dates::{Period, YearMonth};
use super::model::{Dataset, Settings, Trainee, TraineeType};
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

/// A trainee with placements in the period whose salary could not be found on the scale.
/// Such lines carry a zero salary; callers warn about them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalaryGap {
    pub trainee_id: String,
    pub step: String,
    /// The first day in the period with no salary in force.
    pub day: NaiveDate,
}

/// What the practice pays in total: its share minus the honorarium it receives. Negative means the
/// practice receives money (DOMAIN.md §5, the statement's last line).
pub fn net_for_practice(totals: &Totals) -> Money {
    totals.practice_share - totals.honorarium
}

/// DOMAIN.md §5 "who pays the salary out": KBU → the hospital of first employment; intro, phase 2,
/// phase 3 and other → Regionshospitalet Gødstrup; phase 1 → the course's hospital unit.
pub fn paid_out_by(trainee: &Trainee) -> String {
    match trainee.kind {
        TraineeType::Kbu | TraineeType::Phase1 => {
            trainee.hospital_unit.clone().filter(|u| !u.trim().is_empty()).unwrap_or_else(|| UNKNOWN_PAYER.to_string())
        }
        TraineeType::Intro | TraineeType::Phase2 | TraineeType::Phase3 | TraineeType::Other => GODSTRUP.to_string(),
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

/// The trainee's monthly salary on `day`: the personal override, else the scale.
fn monthly_salary_on(settings: &Settings, trainee: &Trainee, day: NaiveDate) -> Option<Money> {
    match trainee.monthly_salary {
        Some(m) => Some(m),
        None => settings.salary_step(salary_step_of(trainee), day),
    }
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

/// The dates inside which any rate used for this trainee changes: the cut points of segments.
fn change_dates(settings: &Settings, trainee: &Trainee) -> Vec<NaiveDate> {
    let mut v: Vec<NaiveDate> =
        settings.share_rates.iter().filter(|r| r.kind == trainee.kind).map(|r| r.valid_from).collect();
    if trainee.kind == TraineeType::Kbu {
        v.extend(settings.honorarium.iter().map(|h| h.valid_from));
    }
    if trainee.monthly_salary.is_none() {
        let step = salary_step_of(trainee);
        v.extend(settings.salary_scale.iter().filter(|s| s.step.eq_ignore_ascii_case(step)).map(|s| s.valid_from));
    }
    v.sort();
    v.dedup();
    v
}

/// Merges inclusive day ranges that overlap or touch, so no day counts twice.
fn merge_ranges(mut ranges: Vec<Period>) -> Vec<Period> {
    ranges.sort();
    let mut out: Vec<Period> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end.succ_opt().unwrap_or(last.end) => {
                if r.end > last.end {
                    last.end = r.end;
                }
            }
            _ => out.push(r),
        }
    }
    out
}

/// Cuts `range` at each change date inside it: a change on day d starts a new segment at d.
fn segments(range: Period, cuts: &[NaiveDate]) -> Vec<Period> {
    let mut out = Vec::new();
    let mut start = range.start;
    for &d in cuts.iter().filter(|&&d| range.start < d && d <= range.end) {
        if let Some(prev) = d.pred_opt() {
            out.push(Period::new(start, prev));
        }
        start = d;
    }
    out.push(Period::new(start, range.end));
    out
}

/// Computes one line from the trainee's day ranges in one month (already clipped and merged).
fn price_line(
    data: &Dataset,
    trainee: &Trainee,
    practice_id: &str,
    district: Option<District>,
    month: YearMonth,
    ranges: &[Period],
) -> FinanceLine {
    let settings = &data.settings;
    let days_in_month = i128::from(month.days());
    let cuts = change_dates(settings, trainee);

    let mut days: u32 = 0;
    let mut salary_sum: i128 = 0; // Σ monthly_i × days_i
    let mut share_sum: i128 = 0; // Σ monthly_i × days_i × bp_i
    let mut honorarium_sum: i128 = 0; // Σ honorarium_i × days_i
    let mut last_monthly = Money::ZERO;
    for range in ranges {
        for seg in segments(*range, &cuts) {
            let seg_days = u32::try_from(seg.days()).unwrap_or(0);
            let d = i128::from(seg_days);
            let monthly = monthly_salary_on(settings, trainee, seg.start).unwrap_or(Money::ZERO);
            let bp = settings.practice_basis_points(trainee.kind, seg.start);
            days += seg_days;
            salary_sum += i128::from(monthly.ore()) * d;
            share_sum += i128::from(monthly.ore()) * d * i128::from(bp);
            if trainee.kind == TraineeType::Kbu {
                honorarium_sum += i128::from(settings.honorarium_on(seg.start).ore()) * d;
            }
            last_monthly = monthly;
        }
    }

    let basis = round_ratio(salary_sum, days_in_month);
    let pension = round_ratio(i128::from(basis.ore()) * i128::from(settings.pension_basis_points), 10_000);
    let split_base = if settings.pension_in_split { basis + pension } else { basis };
    // The weighted rate applied to the rounded base; with one segment this is round(base × bp ÷ 10 000).
    let practice_share = if salary_sum == 0 {
        Money::ZERO
    } else {
        round_ratio(i128::from(split_base.ore()) * share_sum, salary_sum * 10_000)
    };
    let region_share = split_base - practice_share;
    let honorarium = round_ratio(honorarium_sum, days_in_month);
    FinanceLine {
        trainee_id: trainee.id.clone(),
        trainee_name: trainee.name.clone(),
        practice_id: practice_id.to_string(),
        month,
        kind: trainee.kind,
        days,
        monthly_salary: last_monthly,
        basis,
        practice_share,
        region_share,
        honorarium,
        pension,
        pension_in_split: settings.pension_in_split,
        paid_out_by: paid_out_by(trainee),
        district,
    }
}

/// DOMAIN.md §5: the split for every placement and calendar month from `from` to `to` (both
/// included), optionally for one practice only. Sorted by (practice id, trainee id, month).
///
/// A placement whose trainee is not in the dataset has no type or salary and is left out.
pub fn finance_lines(data: &Dataset, from: YearMonth, to: YearMonth, practice: Option<&str>) -> Vec<FinanceLine> {
    let window = Period::of_months(from, to);
    // Looked up once per placement and line: an index, not a scan (10 years of a national region
    // hold some 70,000 trainees).
    let trainees = trainee_index(data);
    let districts: HashMap<&str, Option<District>> = data
        .practices
        .iter()
        .map(|p| (p.id.as_str(), data.region.municipality(&p.municipality).map(|m| m.district)))
        .collect();
    // (practice id, trainee id, month) → day ranges of that trainee there that month.
    let mut ranges: BTreeMap<(&str, &str, YearMonth), Vec<Period>> = BTreeMap::new();
    for p in &data.placements {
        if practice.is_some_and(|wanted| wanted != p.practice_id) {
            continue;
        }
        let start = p.start.max(window.start);
        let end = p.end.min(window.end);
        if start > end || !trainees.contains_key(p.trainee_id.as_str()) {
            continue;
        }
        for month in YearMonth::of(start).through(YearMonth::of(end)) {
            let a = start.max(month.first_day());
            let b = end.min(month.last_day());
            if a <= b {
                ranges
                    .entry((p.practice_id.as_str(), p.trainee_id.as_str(), month))
                    .or_default()
                    .push(Period::new(a, b));
            }
        }
    }
    let mut lines = Vec::with_capacity(ranges.len());
    for ((practice_id, trainee_id, month), r) in ranges {
        if let Some(trainee) = trainees.get(trainee_id) {
            let district = districts.get(practice_id).copied().flatten();
            lines.push(price_line(data, trainee, practice_id, district, month, &merge_ranges(r)));
        }
    }
    lines
}

fn trainee_index(data: &Dataset) -> HashMap<&str, &Trainee> {
    data.trainees.iter().map(|t| (t.id.as_str(), t)).collect()
}

/// Trainees placed in the period whose salary is neither set personally nor on the scale on some
/// day of their placement. Their lines carry a zero salary, which a caller must not pass silently.
pub fn salary_gaps(data: &Dataset, from: YearMonth, to: YearMonth) -> Vec<SalaryGap> {
    let window = Period::of_months(from, to);
    let mut gaps: BTreeMap<String, SalaryGap> = BTreeMap::new();
    let trainees = trainee_index(data);
    for p in &data.placements {
        let Some(trainee) = trainees.get(p.trainee_id.as_str()) else { continue };
        if trainee.monthly_salary.is_some() {
            continue;
        }
        let start = p.start.max(window.start);
        let end = p.end.min(window.end);
        if start > end {
            continue;
        }
        // The salary in force can only change at a change date, so testing the start and each
        // change date inside the range covers every day.
        let mut probes = vec![start];
        probes.extend(change_dates(&data.settings, trainee).into_iter().filter(|d| start < *d && *d <= end));
        if let Some(day) = probes.into_iter().find(|d| monthly_salary_on(&data.settings, trainee, *d).is_none()) {
            let gap = SalaryGap { trainee_id: trainee.id.clone(), step: salary_step_of(trainee).to_string(), day };
            gaps.entry(trainee.id.clone()).and_modify(|g| g.day = g.day.min(day)).or_insert(gap);
        }
    }
    gaps.into_values().collect()
}

/// Rollups per practice, payer, district and month, and the region's totals.
pub fn summarize(lines: &[FinanceLine]) -> FinanceSummary {
    let mut s = FinanceSummary::default();
    for l in lines {
        s.per_practice.entry(l.practice_id.clone()).or_default().add(l);
        s.per_payer.entry(l.paid_out_by.clone()).or_default().add(l);
        s.per_district.entry(l.district).or_default().add(l);
        s.per_month.entry(l.month).or_default().add(l);
        s.totals.add(l);
    }
    s
}

fn totals_json(t: &Totals) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("basis".into(), t.basis.to_json_string().into());
    m.insert("practice_share".into(), t.practice_share.to_json_string().into());
    m.insert("region_share".into(), t.region_share.to_json_string().into());
    m.insert("honorarium".into(), t.honorarium.to_json_string().into());
    m.insert("pension".into(), t.pension.to_json_string().into());
    m
}

/// `finance --format json` (CONTRACT.md "Money"): `lines`, `practices` and `totals`, amounts as
/// decimal strings with a `.` mark. Extra keys: `pension` everywhere, `net` (what the practice
/// pays; negative when it receives) per practice, and a `payers` rollup.
pub fn to_json(lines: &[FinanceLine], summary: &FinanceSummary) -> serde_json::Value {
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
    serde_json::json!({
        "lines": json_lines,
        "practices": practices,
        "payers": payers,
        "totals": serde_json::Value::Object(totals_json(&summary.totals)),
    })
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

/// A text cell for the finance CSV: formula-safe, and quoted when it holds the separator, a quote
/// or a line break.
fn csv_field(text: &str) -> String {
    let text = formula_safe(text);
    if text.contains([';', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.into_owned() }
}

/// `finance --format csv`: `;`-separated, decimal comma, a header row with the JSON line keys.
/// The caller writes the BOM (CONTRACT.md "CSV files").
pub fn to_csv(lines: &[FinanceLine]) -> String {
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
    out
}

/// Pads or cuts `text` to `width` characters (left-aligned).
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

/// Right-aligns `text` in `width` characters.
fn num(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{}{text}", " ".repeat(width.saturating_sub(n)))
}

/// `finance --format text`: a readable table in Danish amount format, one block per practice with
/// its sums, then the region's totals and the sums per payer.
pub fn to_text(lines: &[FinanceLine], summary: &FinanceSummary, data: &Dataset) -> String {
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
        return out;
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
    out
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
        assert!(salary_gaps(&dataset(vec![t.clone()]), ym(2026, 6), ym(2026, 6)).is_empty());
        t.seniority_step = Some("ukendt".to_string());
        let data = dataset(vec![t]);
        let lines = finance_lines(&data, ym(2026, 6), ym(2026, 6), None);
        assert_eq!(lines[0].basis, Money::ZERO);
        let gaps = salary_gaps(&data, ym(2026, 6), ym(2026, 6));
        assert_eq!(gaps, [SalaryGap { trainee_id: "I".to_string(), step: "ukendt".to_string(), day: d(2026, 6, 1) }]);
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
        let lines = finance_lines(&dataset(vec![t]), ym(2026, 1), ym(2026, 12), None);
        let j = to_json(&lines, &summarize(&lines));
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
        let lines = finance_lines(&data, ym(2026, 6), ym(2026, 6), None);
        let text = to_text(&lines, &summarize(&lines), &data);
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
