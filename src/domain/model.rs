//! The domain's nouns: practices, trainees, placements, pauses and the settings (DOMAIN.md §2–5).
//!
//! Plain data with no I/O. `Dataset` is one region's whole state in memory, as the store loads it;
//! the rules, the optimizer and the money engine read it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

use super::dates::Period;
use super::money::Money;
use super::region::Region;

/// The six trainee types (DOMAIN.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TraineeType {
    /// KBU (klinisk basisuddannelse)
    Kbu,
    /// Intro (introduktionsstilling)
    Intro,
    /// Phase 1 (fase 1) of the specialist course in general medicine
    Phase1,
    /// Phase 2 (fase 2)
    Phase2,
    /// Phase 3 (fase 3)
    Phase3,
    /// Another specialty: klinisk genetik, klinisk biokemi, klinisk farmakologi,
    /// samfundsmedicin, arbejdsmedicin
    Other,
}

impl TraineeType {
    pub const ALL: [TraineeType; 6] = [
        TraineeType::Kbu,
        TraineeType::Intro,
        TraineeType::Phase1,
        TraineeType::Phase2,
        TraineeType::Phase3,
        TraineeType::Other,
    ];

    /// The five general-medicine types whose mix P2 evens out.
    pub const GENERAL: [TraineeType; 5] =
        [TraineeType::Kbu, TraineeType::Intro, TraineeType::Phase1, TraineeType::Phase2, TraineeType::Phase3];

    /// The name used in CSV and JSON (`trainees.csv` `type`).
    pub fn key(self) -> &'static str {
        match self {
            TraineeType::Kbu => "kbu",
            TraineeType::Intro => "intro",
            TraineeType::Phase1 => "phase1",
            TraineeType::Phase2 => "phase2",
            TraineeType::Phase3 => "phase3",
            TraineeType::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<TraineeType> {
        let k = key.trim().to_lowercase();
        TraineeType::ALL.into_iter().find(|t| t.key() == k)
    }

    /// The Danish name shown to users and on statements.
    pub fn danish(self) -> &'static str {
        match self {
            TraineeType::Kbu => "KBU",
            TraineeType::Intro => "Introduktionsstilling",
            TraineeType::Phase1 => "Hoveduddannelse fase 1",
            TraineeType::Phase2 => "Hoveduddannelse fase 2",
            TraineeType::Phase3 => "Hoveduddannelse fase 3",
            TraineeType::Other => "Anden specialitet",
        }
    }

    /// The short English name.
    pub fn english(self) -> &'static str {
        match self {
            TraineeType::Kbu => "KBU",
            TraineeType::Intro => "Intro",
            TraineeType::Phase1 => "Phase 1",
            TraineeType::Phase2 => "Phase 2",
            TraineeType::Phase3 => "Phase 3",
            TraineeType::Other => "Other specialty",
        }
    }

    /// Default months in practice (DOMAIN.md §3, configurable).
    pub fn default_months(self) -> u32 {
        match self {
            TraineeType::Intro | TraineeType::Phase3 => 12,
            _ => 6,
        }
    }

    /// How many months before the start a placement should be settled (DOMAIN.md §3):
    /// KBU about 3, phase 3 about 6 (the trainee chooses among 3 proposals), others 3.
    pub fn placement_lead_months(self) -> u32 {
        match self {
            TraineeType::Phase3 => 6,
            _ => 3,
        }
    }
}

impl fmt::Display for TraineeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Rule T2: the practice's patient base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Setting {
    Urban,
    Rural,
}

impl Setting {
    pub fn key(self) -> &'static str {
        match self {
            Setting::Urban => "urban",
            Setting::Rural => "rural",
        }
    }
    pub fn from_key(key: &str) -> Option<Setting> {
        match key.trim().to_lowercase().as_str() {
            "urban" | "by" => Some(Setting::Urban),
            "rural" | "land" => Some(Setting::Rural),
            _ => None,
        }
    }
    pub fn danish(self) -> &'static str {
        match self {
            Setting::Urban => "by",
            Setting::Rural => "land",
        }
    }
}

/// A tutor practice (tutorpraksis): a GP practice with at least one qualified tutor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Practice {
    pub id: String,
    pub name: String,
    /// Street address for the statement header; may be empty.
    pub address: String,
    /// Danish name of the municipality, as in `Region::municipalities`.
    pub municipality: String,
    pub lat: f64,
    pub lon: f64,
    /// Rule P1: load is measured per tutor.
    pub tutors: u32,
    /// Rule T1: 1 means a solo practice.
    pub doctors: u32,
    /// Rule T2
    pub setting: Setting,
    /// Rule T2: socio-economically burdened patient base.
    pub burdened: bool,
    /// Rule P5: `None` means the municipality's flag.
    pub threatened: Option<bool>,
    /// Rule H8: trainees at a time; `None` means one per tutor.
    pub capacity: Option<u32>,
    /// Rule H6: may receive a dispensation for two phase-3 trainees at once.
    pub large: bool,
    /// Rule P3: types the practice refuses (flagged in the fairness review).
    pub refuses: Vec<TraineeType>,
    /// Rule P4: tutor quality, 1 (weak) to 5 (excellent): pedagogic level, experience,
    /// assessment methods and evaluations in one number. `None` is unknown (scored as 3).
    pub quality: Option<u8>,
    /// The practice's phone number for the trainee's letter (issue 13), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The practice's e-mail address for the trainee's letter, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Practice {
    /// Rule H8: trainees the practice may hold at one time.
    pub fn effective_capacity(&self, per_tutor: u32) -> u32 {
        self.capacity.unwrap_or(self.tutors.saturating_mul(per_tutor))
    }

    /// Rule T1
    pub fn is_solo(&self) -> bool {
        self.doctors <= 1
    }
}

/// A general-medicine or other trainee (uddannelseslæge) with their period in practice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trainee {
    pub id: String,
    pub name: String,
    pub kind: TraineeType,
    /// KBU: unit of first employment; phase 1–3: the unit where the course is anchored;
    /// other: the unit of the wished area. May be empty for intro.
    pub hospital_unit: Option<String>,
    /// KBU: chosen on basislaege.dk (H3); intro: assigned by the committee.
    pub municipality: Option<String>,
    /// The practice period, both days included.
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// A whole month's salary; overrides the salary scale.
    pub monthly_salary: Option<Money>,
    /// Key into the salary scale when `monthly_salary` is empty.
    pub seniority_step: Option<String>,
    /// Rule H1
    pub own_gp: Option<String>,
    /// Rule H2
    pub family_practices: Vec<String>,
    /// Rules T1, T2: earlier practices, oldest first.
    pub history: Vec<String>,
}

impl Trainee {
    pub fn period(&self) -> Period {
        Period::new(self.start, self.end)
    }
}

/// A hard rule of DOMAIN.md §4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rule {
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    H7,
    H8,
    H9,
}

impl Rule {
    pub const ALL: [Rule; 9] =
        [Rule::H1, Rule::H2, Rule::H3, Rule::H4, Rule::H5, Rule::H6, Rule::H7, Rule::H8, Rule::H9];

    pub fn id(self) -> &'static str {
        match self {
            Rule::H1 => "H1",
            Rule::H2 => "H2",
            Rule::H3 => "H3",
            Rule::H4 => "H4",
            Rule::H5 => "H5",
            Rule::H6 => "H6",
            Rule::H7 => "H7",
            Rule::H8 => "H8",
            Rule::H9 => "H9",
        }
    }

    pub fn parse(text: &str) -> Option<Rule> {
        let t = text.trim().to_uppercase();
        Rule::ALL.into_iter().find(|r| r.id() == t)
    }

    /// CONTRACT.md: an override may name any rule but H9.
    pub fn may_be_overridden(self) -> bool {
        self != Rule::H9
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A trainee's practice placement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    pub trainee_id: String,
    pub practice_id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// A pinned placement is fixed when a round is suggested.
    pub pinned: bool,
    /// Rules knowingly overridden, with the reason given.
    pub overrides: Vec<Rule>,
    pub reason: Option<String>,
}

impl Placement {
    pub fn period(&self) -> Period {
        Period::new(self.start, self.end)
    }
}

/// Rule H7 (a pause) or, with `wish_type`, a P3 wish for that type in that period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pause {
    pub practice_id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub wish_type: Option<TraineeType>,
}

impl Pause {
    pub fn period(&self) -> Period {
        Period::new(self.start, self.end)
    }
    /// A pause blocks placements (H7); a wish only scores (P3).
    pub fn is_pause(&self) -> bool {
        self.wish_type.is_none()
    }
}

/// A value that changes from a date on: the rate from `valid_from` applies to days on and after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dated<T> {
    pub valid_from: NaiveDate,
    pub value: T,
}

/// Picks the entry in force on `day`: the latest `valid_from` ≤ `day`.
pub fn in_force<T>(entries: &[Dated<T>], day: NaiveDate) -> Option<&T> {
    entries.iter().filter(|e| e.valid_from <= day).max_by_key(|e| e.valid_from).map(|e| &e.value)
}

/// One step of the salary scale (DOMAIN.md §5), in force from a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SalaryStep {
    pub step: String,
    pub valid_from: NaiveDate,
    pub monthly: Money,
    /// Where the figure comes from (a public pay table, an estimate and how it was made, or who
    /// entered it). Files written before this field existed load with an empty source.
    #[serde(default)]
    pub source: String,
}

/// The pension rate in force from a date, in hundredths of a percent (1936 = 19.36 %).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PensionRate {
    pub valid_from: NaiveDate,
    pub basis_points: i64,
    #[serde(default)]
    pub source: String,
}

/// The practice's share of the salary for a type, in hundredths of a percent (3200 = 32 %).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareRate {
    pub kind: TraineeType,
    pub valid_from: NaiveDate,
    pub practice_basis_points: i64,
}

/// Weights of the soft principles (T1–T2, P1–P7) in the score. Stored in the database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub t1_organisation_variety: f64,
    pub t2_patient_variety: f64,
    pub p1_load_per_tutor: f64,
    pub p2_type_mix: f64,
    pub p3_wishes: f64,
    pub p4_tutor_quality: f64,
    pub p5_threatened_area: f64,
    pub p6_dependency: f64,
    pub p7_room_for_general: f64,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            t1_organisation_variety: 10.0,
            t2_patient_variety: 8.0,
            p1_load_per_tutor: 20.0,
            p2_type_mix: 8.0,
            p3_wishes: 15.0,
            p4_tutor_quality: 6.0,
            p5_threatened_area: 10.0,
            p6_dependency: 8.0,
            p7_room_for_general: 10.0,
        }
    }
}

/// Everything the region can tune. Defaults are DOMAIN.md's.
///
/// Read through [`SettingsFile`], so files written by older versions still load: their single
/// undated `pension_basis_points` becomes a pension history of one rate for every day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "SettingsFile")]
pub struct Settings {
    /// Rule H6: the allowed overlap of two phase-3 trainees, in days (2 months = 61).
    pub phase3_overlap_days: i64,
    /// Rule H8: trainees per tutor at a time, when a practice sets no capacity.
    pub capacity_per_tutor: u32,
    /// How far back the score and the review look, in years.
    pub lookback_years: u32,
    /// Months without a trainee before a practice is flagged `idle`.
    pub idle_months: u32,
    /// Rule P6: the months the test looks back over, ending on the last day of the review.
    #[serde(default = "default_p6_window_months")]
    pub p6_window_months: u32,
    /// Rule P6: trainees present on at least this percentage of the window's days.
    #[serde(default = "default_p6_min_days_percent")]
    pub p6_min_days_percent: u32,
    /// Rule P6: on those days, trainees present averaged at least this many per doctor.
    #[serde(default = "default_p6_min_trainees_per_doctor")]
    pub p6_min_trainees_per_doctor: f64,
    pub weights: Weights,
    /// DOMAIN.md §5: the practice's share per type.
    pub share_rates: Vec<ShareRate>,
    /// The KBU tutor honorarium for a whole month.
    pub honorarium: Vec<Dated<Money>>,
    pub salary_scale: Vec<SalaryStep>,
    /// Pension, dated; shown apart, outside the split unless `pension_in_split`.
    pub pension: Vec<PensionRate>,
    pub pension_in_split: bool,
}

/// The settings as stored, old and new shapes alike (see [`Settings`]).
#[derive(Deserialize)]
struct SettingsFile {
    phase3_overlap_days: i64,
    capacity_per_tutor: u32,
    lookback_years: u32,
    idle_months: u32,
    #[serde(default = "default_p6_window_months")]
    p6_window_months: u32,
    #[serde(default = "default_p6_min_days_percent")]
    p6_min_days_percent: u32,
    #[serde(default = "default_p6_min_trainees_per_doctor")]
    p6_min_trainees_per_doctor: f64,
    weights: Weights,
    share_rates: Vec<ShareRate>,
    honorarium: Vec<Dated<Money>>,
    salary_scale: Vec<SalaryStep>,
    #[serde(default)]
    pension: Option<Vec<PensionRate>>,
    /// Before the pension had a history: one rate for all days.
    #[serde(default)]
    pension_basis_points: Option<i64>,
    pension_in_split: bool,
}

impl From<SettingsFile> for Settings {
    fn from(f: SettingsFile) -> Settings {
        let pension = match (f.pension, f.pension_basis_points) {
            (Some(history), _) => history,
            (None, Some(bp)) => vec![PensionRate {
                valid_from: always_from(),
                basis_points: bp,
                source: "from an older file: one rate for every day".to_string(),
            }],
            (None, None) => Settings::default().pension,
        };
        Settings {
            phase3_overlap_days: f.phase3_overlap_days,
            capacity_per_tutor: f.capacity_per_tutor,
            lookback_years: f.lookback_years,
            idle_months: f.idle_months,
            p6_window_months: f.p6_window_months,
            p6_min_days_percent: f.p6_min_days_percent,
            p6_min_trainees_per_doctor: f.p6_min_trainees_per_doctor,
            weights: f.weights,
            share_rates: f.share_rates,
            honorarium: f.honorarium,
            salary_scale: f.salary_scale,
            pension,
            pension_in_split: f.pension_in_split,
        }
    }
}

/// DOMAIN.md §4 P6: "over the last 24 months".
fn default_p6_window_months() -> u32 {
    24
}

/// DOMAIN.md §4 P6: "trainees were present on at least 90 % of the days".
fn default_p6_min_days_percent() -> u32 {
    90
}

/// DOMAIN.md §4 P6: "the trainees present averaged at least half the practice's doctors".
fn default_p6_min_trainees_per_doctor() -> f64 {
    0.5
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    // Only called with constant, valid dates.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The first day the shipped rates cover (shares, honorarium, salary scale, pension): the start
/// of the oldest year of placement history a new file or the demo is expected to hold.
pub fn default_valid_from() -> NaiveDate {
    date(2015, 1, 1)
}

/// The `valid_from` of a value that holds for every day (a setting changed without `--from`).
pub fn always_from() -> NaiveDate {
    date(1900, 1, 1)
}

/// The pay-regulation factors (reguleringsprocent, 31.3.2018 level, in millionths) the default
/// scale is carried back with. The public figures they come from are named in each row's source.
pub const REGULATION_FACTORS: [((i32, u32), i64); 6] = [
    ((2015, 1), 980_428),
    ((2018, 4), 1_011_000),
    ((2020, 4), 1_049_075),
    ((2022, 4), 1_076_586),
    ((2023, 10), 1_097_220),
    ((2024, 4), 1_141_109),
];

const F2015: &str = "0,980428 = the KTO factor of 1 Jan 2016, 1,317798 (31.3.2000 level; Albertslund Kommune, \
'Omregning af løntillæg'), ÷ 1,344105 (31.3.2000 → 31.3.2018 level; Yngre Læger, laeger.dk); no factor for 2015 was \
found, so 2015 uses that of 1 Jan 2016";
const F2018: &str =
    "1,011000 = the factor of 1 Apr 2018, 1,358890 (31.3.2000 level; Overlægeforeningen, laeger.dk), ÷ 1,344105";
const F2022: &str = "1,076586 interpolates the factor of 1 Apr 2022 (not found) between 1,049075 (1 Apr 2020) and \
1,09722 (1 Oct 2023)";
const F2023: &str = "1,09722 = the factor of 1 Oct 2023 (31.3.2018 level; Overlægeforeningen, laeger.dk, 'Cheflæger')";

/// The default salary scale (DOMAIN.md §5) with its history back to 2015, each row with its
/// source. `laege1` and `laege2` are the public basic pay of 1 Apr 2020 (Yngre Læger's pay table),
/// carried to the other dates with [`REGULATION_FACTORS`] (amount × factor ÷ 1,049075, rounded
/// to whole kroner as DOMAIN.md does); `praksisamanuens` is PLO's figure of 1 Apr 2022, carried
/// back the same way. The figures of DOMAIN.md stay the current ones: no later regulation is
/// added. `model::tests::the_default_scale_follows_its_factors` recomputes every row.
pub fn default_salary_scale() -> Vec<SalaryStep> {
    let estimate = |anchor: &str, factor: &str, f: &str| format!("estimate: {anchor} × {factor} ÷ {f}");
    let rows: Vec<(&str, (i32, u32), i64, String)> = vec![
        ("laege1", (2015, 1), 3_074_900, estimate("32.901,50 (trin 1, 1 Apr 2020)", F2015, "1,049075")),
        ("laege1", (2018, 4), 3_170_700, estimate("32.901,50 (trin 1, 1 Apr 2020)", F2018, "1,049075")),
        (
            "laege1",
            (2020, 4),
            3_290_150,
            "public: grundløn trin 1 on 1 Apr 2020, reguleringsprocent 4,9075 (Yngre Læger, laeger.dk, \
'Yngre Læger i regionerne – løn')"
                .to_string(),
        ),
        ("laege1", (2023, 10), 3_441_100, estimate("32.901,50 (trin 1, 1 Apr 2020)", F2023, "1,049075")),
        (
            "laege1",
            (2024, 4),
            3_578_800,
            "DOMAIN.md §5: estimate, 32.901,50 on 1 Apr 2020 × 1,141109 ÷ 1,049075 (the factors of Apr 2024 \
and Apr 2020)"
                .to_string(),
        ),
        ("laege2", (2015, 1), 3_360_400, estimate("35.956,67 (trin 2, 1 Apr 2020)", F2015, "1,049075")),
        ("laege2", (2018, 4), 3_465_200, estimate("35.956,67 (trin 2, 1 Apr 2020)", F2018, "1,049075")),
        (
            "laege2",
            (2020, 4),
            3_595_667,
            "public: grundløn trin 2 on 1 Apr 2020, reguleringsprocent 4,9075 (Yngre Læger, laeger.dk, \
'Yngre Læger i regionerne – løn')"
                .to_string(),
        ),
        ("laege2", (2023, 10), 3_760_700, estimate("35.956,67 (trin 2, 1 Apr 2020)", F2023, "1,049075")),
        (
            "laege2",
            (2024, 4),
            3_911_100,
            "DOMAIN.md §5: estimate, 35.956,67 on 1 Apr 2020 × 1,141109 ÷ 1,049075".to_string(),
        ),
        ("praksisamanuens", (2015, 1), 4_666_700, estimate("51.244 (PLO, 1 Apr 2022)", F2015, F2022)),
        ("praksisamanuens", (2018, 4), 4_812_200, estimate("51.244 (PLO, 1 Apr 2022)", F2018, F2022)),
        (
            "praksisamanuens",
            (2020, 4),
            4_993_500,
            estimate("51.244 (PLO, 1 Apr 2022)", "1,049075 (1 Apr 2020, Yngre Læger, laeger.dk)", F2022),
        ),
        (
            "praksisamanuens",
            (2022, 4),
            5_124_400,
            "DOMAIN.md §5: the monthly pay on 1 Apr 2022 stated by PLO, including the general-practice \
supplement"
                .to_string(),
        ),
    ];
    rows.into_iter()
        .map(|(step, (y, m), ore, source)| SalaryStep {
            step: step.to_string(),
            valid_from: date(y, m, 1),
            monthly: Money(ore),
            source,
        })
        .collect()
}

/// The default pension history: the percentage of the pay for trainees in the regions.
pub fn default_pension() -> Vec<PensionRate> {
    vec![
        PensionRate {
            valid_from: default_valid_from(),
            basis_points: 1685,
            source: "16,85 %: Yngre Læger's pay table of 1 Apr 2020 (pension 66.527 of 394.818 a year) and OK21 ('from 16,85 to 17,25'); used back to 2015 unverified".to_string(),
        },
        PensionRate {
            valid_from: date(2022, 4, 1),
            basis_points: 1725,
            source: "17,25 % from 1 Apr 2022: OK21 (Yngre Læger, laeger.dk, 26 Mar 2021)".to_string(),
        },
        PensionRate {
            valid_from: date(2025, 4, 1),
            basis_points: 1936,
            source: "19,36 % from 1 Apr 2025: OK24 for trainees in the regions (DOMAIN.md §5; Yngre Læger, laeger.dk)"
                .to_string(),
        },
    ]
}

impl Default for Settings {
    fn default() -> Settings {
        let from = default_valid_from();
        let pct = |kind, bp| ShareRate { kind, valid_from: from, practice_basis_points: bp };
        Settings {
            phase3_overlap_days: 61,
            capacity_per_tutor: 1,
            lookback_years: 5,
            idle_months: 24,
            p6_window_months: default_p6_window_months(),
            p6_min_days_percent: default_p6_min_days_percent(),
            p6_min_trainees_per_doctor: default_p6_min_trainees_per_doctor(),
            weights: Weights::default(),
            share_rates: vec![
                pct(TraineeType::Kbu, 0),
                pct(TraineeType::Intro, 0),
                pct(TraineeType::Phase1, 0),
                pct(TraineeType::Phase2, 3200),
                pct(TraineeType::Phase3, 3900),
                pct(TraineeType::Other, 3200),
            ],
            honorarium: vec![Dated { valid_from: from, value: Money::from_dkk(6000) }],
            salary_scale: default_salary_scale(),
            pension: default_pension(),
            pension_in_split: false,
        }
    }
}

impl Settings {
    /// The practice's share in hundredths of a percent for `kind` on `day`; 0 where no rate is
    /// in force (see [`Settings::share_rate_on`]).
    pub fn practice_basis_points(&self, kind: TraineeType, day: NaiveDate) -> i64 {
        self.share_rate_on(kind, day).unwrap_or(0)
    }

    /// The practice's share for `kind` on `day`, if a rate is in force.
    pub fn share_rate_on(&self, kind: TraineeType, day: NaiveDate) -> Option<i64> {
        self.share_rates
            .iter()
            .filter(|r| r.kind == kind && r.valid_from <= day)
            .max_by_key(|r| r.valid_from)
            .map(|r| r.practice_basis_points)
    }

    /// The monthly salary of a scale step on `day`.
    pub fn salary_step(&self, step: &str, day: NaiveDate) -> Option<Money> {
        self.salary_scale
            .iter()
            .filter(|s| s.step.eq_ignore_ascii_case(step) && s.valid_from <= day)
            .max_by_key(|s| s.valid_from)
            .map(|s| s.monthly)
    }

    /// The default scale step for a type (DOMAIN.md §5).
    pub fn default_step(kind: TraineeType) -> &'static str {
        match kind {
            TraineeType::Kbu | TraineeType::Intro | TraineeType::Phase1 => "laege1",
            TraineeType::Phase2 | TraineeType::Phase3 | TraineeType::Other => "praksisamanuens",
        }
    }

    /// The KBU honorarium for a whole month on `day`.
    pub fn honorarium_on(&self, day: NaiveDate) -> Money {
        in_force(&self.honorarium, day).copied().unwrap_or(Money::ZERO)
    }

    /// The pension rate in hundredths of a percent on `day`, if one is in force.
    pub fn pension_basis_points_on(&self, day: NaiveDate) -> Option<i64> {
        self.pension.iter().filter(|p| p.valid_from <= day).max_by_key(|p| p.valid_from).map(|p| p.basis_points)
    }
}

/// One region's whole state in memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub region: Region,
    pub practices: Vec<Practice>,
    pub trainees: Vec<Trainee>,
    pub placements: Vec<Placement>,
    pub pauses: Vec<Pause>,
    pub settings: Settings,
}

impl Dataset {
    /// An empty region: master data and default settings only.
    pub fn empty(region: Region) -> Dataset {
        Dataset {
            region,
            practices: Vec::new(),
            trainees: Vec::new(),
            placements: Vec::new(),
            pauses: Vec::new(),
            settings: Settings::default(),
        }
    }

    pub fn practice(&self, id: &str) -> Option<&Practice> {
        self.practices.iter().find(|p| p.id == id)
    }

    pub fn trainee(&self, id: &str) -> Option<&Trainee> {
        self.trainees.iter().find(|t| t.id == id)
    }

    pub fn placement_of(&self, trainee_id: &str) -> Option<&Placement> {
        self.placements.iter().find(|p| p.trainee_id == trainee_id)
    }

    /// Rule P5 for a practice: its own flag, else its municipality's.
    pub fn is_threatened(&self, practice: &Practice) -> bool {
        practice
            .threatened
            .unwrap_or_else(|| self.region.municipality(&practice.municipality).is_some_and(|m| m.threatened))
    }

    /// Trainees with no placement, in id order.
    pub fn open_trainees(&self) -> Vec<&Trainee> {
        let placed: std::collections::HashSet<&str> = self.placements.iter().map(|p| p.trainee_id.as_str()).collect();
        let mut v: Vec<&Trainee> = self.trainees.iter().filter(|t| !placed.contains(t.id.as_str())).collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }
}

/// One ring of a municipality's boundary polygon: ring 0 is the outline, later rings are holes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundaryRing {
    pub municipality_code: u16,
    pub polygon: u32,
    pub ring: u32,
    /// `[lon, lat]` pairs, WGS84.
    pub coords: Vec<[f64; 2]>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    /// The settings JSON of a file written before the pension had a history and the scale rows a
    /// source (schema of 2026-11, as `demo` stored it then).
    const OLD_SETTINGS_JSON: &str = r#"{"phase3_overlap_days":61,"capacity_per_tutor":1,"lookback_years":5,"idle_months":24,"weights":{"t1_organisation_variety":10.0,"t2_patient_variety":8.0,"p1_load_per_tutor":20.0,"p2_type_mix":8.0,"p3_wishes":15.0,"p4_tutor_quality":6.0,"p5_threatened_area":10.0,"p6_dependency":8.0,"p7_room_for_general":10.0},"share_rates":[{"kind":"kbu","valid_from":"2020-01-01","practice_basis_points":0},{"kind":"intro","valid_from":"2020-01-01","practice_basis_points":0},{"kind":"phase1","valid_from":"2020-01-01","practice_basis_points":0},{"kind":"phase2","valid_from":"2020-01-01","practice_basis_points":3200},{"kind":"phase3","valid_from":"2020-01-01","practice_basis_points":3900},{"kind":"other","valid_from":"2020-01-01","practice_basis_points":3200}],"honorarium":[{"valid_from":"2020-01-01","value":600000}],"salary_scale":[{"step":"laege1","valid_from":"2020-01-01","monthly":3578800},{"step":"laege2","valid_from":"2020-01-01","monthly":3911100},{"step":"praksisamanuens","valid_from":"2020-01-01","monthly":5124400}],"pension_basis_points":1936,"pension_in_split":false}"#;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    #[test]
    fn an_old_files_settings_load_with_their_undated_pension_for_every_day() {
        let s: Settings = serde_json::from_str(OLD_SETTINGS_JSON).expect("old settings load");
        assert_eq!(s.pension.len(), 1);
        for day in [d(1990, 1, 1), d(2016, 3, 1), d(2026, 6, 1)] {
            assert_eq!(s.pension_basis_points_on(day), Some(1936), "{day}");
        }
        assert_eq!(s.salary_step("laege1", d(2026, 6, 1)), Some(Money::from_dkk(35_788)));
        assert_eq!(s.salary_step("laege1", d(2019, 12, 31)), None, "an old file keeps its own scale");
        assert!(s.salary_scale.iter().all(|r| r.source.is_empty()));
        // Written again, it has the new shape, and reads back the same.
        let again = serde_json::to_string(&s).expect("json");
        assert!(again.contains("\"pension\":[") && !again.contains("pension_basis_points"), "{again}");
        assert_eq!(serde_json::from_str::<Settings>(&again).expect("reads back"), s);
    }

    #[test]
    fn the_default_settings_round_trip_through_json() {
        let s = Settings::default();
        let back: Settings = serde_json::from_str(&serde_json::to_string(&s).expect("json")).expect("loads");
        assert_eq!(back, s);
    }

    #[test]
    fn the_default_scale_reaches_back_to_2015_with_a_source_on_every_row() {
        let s = Settings::default();
        for step in ["laege1", "laege2", "praksisamanuens"] {
            assert!(s.salary_step(step, d(2015, 1, 1)).is_some(), "{step}");
            assert!(s.salary_step(step, d(2014, 12, 31)).is_none(), "{step}: nothing is invented before 2015");
        }
        assert!(s.salary_scale.iter().all(|r| !r.source.trim().is_empty()));
        assert!(s.pension.iter().all(|r| !r.source.trim().is_empty()));
        // DOMAIN.md §5's figures are the current ones.
        assert_eq!(s.salary_step("laege1", d(2026, 6, 1)), Some(Money::from_dkk(35_788)));
        assert_eq!(s.salary_step("laege2", d(2026, 6, 1)), Some(Money::from_dkk(39_111)));
        assert_eq!(s.salary_step("praksisamanuens", d(2026, 6, 1)), Some(Money::from_dkk(51_244)));
        // The public figures of 1 Apr 2020.
        assert_eq!(s.salary_step("laege1", d(2020, 4, 1)), Some(Money(3_290_150)));
        assert_eq!(s.salary_step("laege2", d(2020, 4, 1)), Some(Money(3_595_667)));
        // The pension: 19,36 % from 1 Apr 2025, 17,25 % the day before.
        assert_eq!(s.pension_basis_points_on(d(2025, 4, 1)), Some(1936));
        assert_eq!(s.pension_basis_points_on(d(2025, 3, 31)), Some(1725));
        assert_eq!(s.pension_basis_points_on(d(2022, 3, 31)), Some(1685));
        assert_eq!(s.pension_basis_points_on(d(2014, 12, 31)), None);
    }

    #[test]
    fn the_default_scale_follows_its_factors() {
        let factor = |y: i32, m: u32| -> i128 {
            REGULATION_FACTORS.iter().find(|(date, _)| *date == (y, m)).map(|(_, f)| i128::from(*f)).expect("factor")
        };
        // (step, anchor in øre, anchor date): every estimate = round(anchor × f(date) ÷ f(anchor)) kroner.
        for (step, anchor, at) in [
            ("laege1", 3_290_150, (2020, 4)),
            ("laege2", 3_595_667, (2020, 4)),
            ("praksisamanuens", 5_124_400, (2022, 4)),
        ] {
            for row in Settings::default().salary_scale.iter().filter(|r| r.step == step) {
                let date = (row.valid_from.year(), row.valid_from.month());
                if date == at {
                    assert_eq!(row.monthly, Money(anchor), "{step} {date:?}");
                    continue;
                }
                if step != "praksisamanuens" && date == (2024, 4) {
                    assert!(row.source.starts_with("DOMAIN.md"), "{}", row.source);
                }
                let num = i128::from(anchor) * factor(date.0, date.1);
                let den = factor(at.0, at.1) * 100;
                let kroner = (2 * num + den) / (2 * den);
                assert_eq!(i128::from(row.monthly.ore()), kroner * 100, "{step} {date:?}: {}", row.source);
                assert!(row.source.starts_with("estimate") || row.source.starts_with("DOMAIN.md"), "{}", row.source);
            }
        }
    }
}
