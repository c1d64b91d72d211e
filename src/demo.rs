//! A deterministic demo region with invented people (CONTRACT.md `demo`).
//!
//! The same parameters give the same data, byte for byte, on any day: the demo does not read the
//! clock. Its "now" is `DEMO_ROUND_DATE`: history lies before it, and the open trainees of the
//! coming round start after it.

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::model::{
    Dataset, Dated, Pause, PensionRate, Placement, Practice, SalaryStep, Setting, Settings, ShareRate, Trainee,
    TraineeType,
};
use crate::domain::money::Money;
use crate::domain::region::{District, Region};
use crate::store::{Batch, BatchReport, Store, StoreError};

/// The demo's "now": placements starting before it are history; open trainees start after it.
pub fn demo_round_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or(NaiveDate::MIN)
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct DemoParams {
    pub seed: u64,
    pub practices: usize,
    /// Unplaced trainees of the coming round; `None` scales with the practices.
    pub open_trainees: Option<usize>,
    pub years: u32,
}

impl Default for DemoParams {
    fn default() -> DemoParams {
        DemoParams { seed: 1, practices: 400, open_trainees: None, years: 5 }
    }
}

/// SplitMix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    /// true with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// A uniform value in [-1, 1): for coordinates only (not money).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index drawn in proportion to `weights`.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        if total == 0 {
            return 0;
        }
        let mut r = self.next() % total;
        for (i, &w) in weights.iter().enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        weights.len() - 1
    }
}

/// Per municipality: relative weight of practices (about population, a little lower in the
/// west), the share of urban practices in percent, the postcode and town, and local place names.
fn municipality_profile(name: &str) -> (u32, u64, &'static str, &'static [&'static str]) {
    match name {
        "Aarhus" => (
            360,
            92,
            "8000 Aarhus C",
            &[
                "Frederiksbjerg",
                "Trøjborg",
                "Viby",
                "Højbjerg",
                "Brabrand",
                "Risskov",
                "Lystrup",
                "Tilst",
                "Harlev",
                "Beder",
            ],
        ),
        "Randers" => (100, 60, "8900 Randers C", &["Randers", "Langå", "Assentoft", "Spentrup", "Havndal"]),
        "Favrskov" => (48, 25, "8370 Hadsten", &["Hadsten", "Hinnerup", "Hammel", "Ulstrup"]),
        "Norddjurs" => (30, 30, "8500 Grenaa", &["Grenaa", "Auning", "Ørsted", "Glesborg"]),
        "Syddjurs" => (40, 25, "8400 Ebeltoft", &["Ebeltoft", "Rønde", "Kolind", "Hornslet"]),
        "Samsø" => (4, 0, "8305 Samsø", &["Tranebjerg", "Nordby"]),
        "Odder" => (23, 40, "8300 Odder", &["Odder", "Hou", "Saksild"]),
        "Skanderborg" => (62, 40, "8660 Skanderborg", &["Skanderborg", "Ry", "Galten", "Hørning"]),
        "Hedensted" => (45, 25, "8722 Hedensted", &["Hedensted", "Juelsminde", "Tørring", "Løsning"]),
        "Horsens" => (98, 60, "8700 Horsens", &["Horsens", "Brædstrup", "Gedved", "Østbirk"]),
        "Skive" => (38, 40, "7800 Skive", &["Skive", "Spøttrup", "Roslev", "Jebjerg"]),
        "Viborg" => (95, 55, "8800 Viborg", &["Viborg", "Bjerringbro", "Karup", "Stoholm"]),
        "Silkeborg" => (95, 55, "8600 Silkeborg", &["Silkeborg", "Kjellerup", "Them", "Gjern"]),
        "Holstebro" => (52, 55, "7500 Holstebro", &["Holstebro", "Vinderup", "Ulfborg"]),
        "Lemvig" => (14, 25, "7620 Lemvig", &["Lemvig", "Harboøre", "Thyborøn"]),
        "Struer" => (16, 40, "7600 Struer", &["Struer", "Hjerm"]),
        "Herning" => (80, 55, "7400 Herning", &["Herning", "Sunds", "Aulum", "Kibæk"]),
        "Ikast-Brande" => (36, 40, "7430 Ikast", &["Ikast", "Brande", "Bording"]),
        "Ringkøbing-Skjern" => (42, 30, "6950 Ringkøbing", &["Ringkøbing", "Skjern", "Tarm", "Hvide Sande"]),
        _ => (10, 40, "8000 Aarhus C", &["Byen"]),
    }
}

const FIRST_NAMES: &[&str] = &[
    "Anna",
    "Mette",
    "Sofie",
    "Ida",
    "Laura",
    "Emma",
    "Freja",
    "Signe",
    "Camilla",
    "Louise",
    "Maja",
    "Cecilie",
    "Line",
    "Julie",
    "Katrine",
    "Nanna",
    "Astrid",
    "Karen",
    "Helle",
    "Rikke",
    "Mads",
    "Jonas",
    "Rasmus",
    "Mikkel",
    "Anders",
    "Søren",
    "Frederik",
    "Emil",
    "Kasper",
    "Jakob",
    "Oliver",
    "Magnus",
    "Thomas",
    "Christian",
    "Simon",
    "Troels",
    "Jeppe",
    "Asger",
    "Niels",
    "Bjørn",
    "Malthe",
    "Aksel",
    "Ea",
    "Liv",
    "Sara",
    "Esben",
    "Jesper",
    "Tobias",
];
const LAST_NAMES: &[&str] = &[
    "Kjærgaard",
    "Bundgaard",
    "Skovmose",
    "Lundsgaard",
    "Holmgaard",
    "Bækgaard",
    "Riisager",
    "Engholm",
    "Fruergaard",
    "Damsgaard",
    "Hedegaard",
    "Kirkegaard",
    "Nørskov",
    "Vestergaard",
    "Østergaard",
    "Søndergaard",
    "Møllebro",
    "Lyngholm",
    "Toftlund",
    "Hvidbjerg",
    "Stenholt",
    "Birkelund",
    "Grønbæk",
    "Rosenkilde",
    "Elmkær",
    "Bredahl",
    "Aagaard",
    "Fogh",
    "Brink",
    "Dalsgaard",
    "Krogh",
    "Winther",
    "Sejersen",
    "Thygesen",
    "Overgaard",
    "Mørup",
];
const STREETS: &[&str] = &[
    "Algade",
    "Vestergade",
    "Søndergade",
    "Jernbanegade",
    "Skolevej",
    "Bakkevej",
    "Kirkevej",
    "Torvet",
    "Parkvej",
    "Stationsvej",
    "Storegade",
    "Enghavevej",
    "Møllevej",
    "Lindealle",
    "Nørregade",
    "Sundhedsvej",
];
const PRACTICE_PATTERNS: &[&str] =
    &["Lægehuset {}", "Lægerne {}", "{} Lægehus", "{} Lægecenter", "Lægepraksis {}", "{} Sundhedshus"];

/// The open trainees' yearly volume per type (DOMAIN.md §2.4; KBU and other are estimates).
fn yearly_volume(kind: TraineeType) -> usize {
    match kind {
        TraineeType::Kbu => 330,
        TraineeType::Intro => 130,
        TraineeType::Phase1 | TraineeType::Phase2 | TraineeType::Phase3 => 76,
        TraineeType::Other => 15,
    }
}

/// Specialist courses a year per hospital unit (seed table 2).
fn courses_per_unit(unit: &str) -> u32 {
    match unit {
        "Aarhus Universitetshospital" => 18,
        "Regionshospitalet Randers" => 14,
        "Hospitalsenhed Horsens" => 13,
        "Hospitalsenhed Midt" => 15,
        _ => 16,
    }
}

/// Occupancy by month, so the demo's history keeps the hard rules.
struct Occupancy {
    base: NaiveDate,
    months: usize,
    /// per practice: trainees per month
    load: Vec<Vec<u8>>,
    /// per practice: phase-3 trainees per month (H6)
    phase3: Vec<Vec<u8>>,
    /// per practice: paused months (H7)
    paused: Vec<Vec<bool>>,
}

impl Occupancy {
    fn month_index(&self, d: NaiveDate) -> Option<usize> {
        let i = (d.year() - self.base.year()) * 12 + d.month() as i32 - self.base.month() as i32;
        usize::try_from(i).ok().filter(|&i| i < self.months)
    }
    fn range(&self, start: NaiveDate, end: NaiveDate) -> std::ops::Range<usize> {
        let a = self.month_index(start).unwrap_or(0);
        let b = self.month_index(end).map_or(self.months, |i| i + 1);
        a..b
    }
    fn fits(&self, p: usize, cap: u32, kind: TraineeType, start: NaiveDate, end: NaiveDate) -> bool {
        self.range(start, end).all(|m| {
            u32::from(self.load[p][m]) < cap
                && !self.paused[p][m]
                && (kind != TraineeType::Phase3 || self.phase3[p][m] == 0)
        })
    }
    fn take(&mut self, p: usize, kind: TraineeType, start: NaiveDate, end: NaiveDate) {
        for m in self.range(start, end) {
            self.load[p][m] += 1;
            if kind == TraineeType::Phase3 {
                self.phase3[p][m] += 1;
            }
        }
    }
}

fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(d)
}

/// Generates the demo region in memory.
pub fn generate(params: &DemoParams) -> Dataset {
    let mut rng = Rng(params.seed ^ 0x7475_746F_7266_6F72);
    let region = Region::midtjylland();
    let mut data = Dataset::empty(region.clone());
    let n = params.practices.max(1);

    // Practices per municipality, by largest remainder so the total is exact.
    let weights: Vec<u32> = region.municipalities.iter().map(|m| municipality_profile(&m.name).0).collect();
    let total: u32 = weights.iter().sum();
    let mut counts: Vec<usize> = weights.iter().map(|&w| n * w as usize / total as usize).collect();
    let mut rest: Vec<(usize, usize)> =
        weights.iter().enumerate().map(|(i, &w)| ((n * w as usize) % total as usize, i)).collect();
    rest.sort_by(|a, b| b.cmp(a));
    let mut missing = n - counts.iter().sum::<usize>();
    for (_, i) in rest {
        if missing == 0 {
            break;
        }
        counts[i] += 1;
        missing -= 1;
    }

    let mut id = 0usize;
    for (mi, m) in region.municipalities.iter().enumerate() {
        let (_, urban_pct, town, places) = municipality_profile(&m.name);
        let radius = if m.name == "Aarhus" {
            0.07
        } else if m.name == "Samsø" {
            0.04
        } else {
            0.12
        };
        for _ in 0..counts[mi] {
            id += 1;
            let tutors = [1, 1, 1, 1, 2, 2, 2, 3, 3, 4][rng.below(10)];
            // Not every doctor of a practice is a tutor: a partnership has one to three more.
            let doctors = if tutors == 1 && rng.chance(60) { 1 } else { tutors + 1 + rng.below(3) as u32 };
            let place = rng.pick(places);
            let name = rng.pick(PRACTICE_PATTERNS).replace("{}", place);
            let setting = if rng.chance(urban_pct) { Setting::Urban } else { Setting::Rural };
            // A point in the unit disc, denser towards the centre as towns are (coordinates only).
            let (r, angle) = (rng.unit().abs(), rng.unit() * std::f64::consts::PI);
            let (dx, dy) = (r * angle.cos(), r * angle.sin());
            data.practices.push(Practice {
                id: format!("P{id:04}"),
                name: if id > places.len() * PRACTICE_PATTERNS.len() { format!("{name} {}", id % 7 + 1) } else { name },
                address: format!("{} {}, {}", rng.pick(STREETS), 1 + rng.below(80), town),
                municipality: m.name.clone(),
                lat: ((m.lat + dy * radius * 0.6) * 10_000.0).round() / 10_000.0,
                lon: ((m.lon + dx * radius) * 10_000.0).round() / 10_000.0,
                tutors,
                doctors,
                setting,
                burdened: rng.chance(if setting == Setting::Urban { 25 } else { 15 }),
                threatened: None,
                capacity: (tutors > 1 && rng.chance(5)).then(|| tutors - 1),
                large: doctors >= 5,
                refuses: if rng.chance(4) {
                    vec![*rng.pick(&[TraineeType::Phase3, TraineeType::Kbu, TraineeType::Other])]
                } else {
                    Vec::new()
                },
                quality: Some([2, 3, 3, 3, 4, 4, 4, 5][rng.below(8)]),
                phone: None,
                email: None,
            });
        }
    }

    let round = demo_round_date();
    let history_start = NaiveDate::from_ymd_opt(round.year() - params.years as i32, 1, 1).unwrap_or(round);
    let horizon = add_months(round, 24);
    let months = ((horizon.year() - history_start.year()) * 12 + horizon.month() as i32 - history_start.month() as i32)
        .max(1) as usize;
    let np = data.practices.len();
    let mut occ = Occupancy {
        base: history_start,
        months,
        load: vec![vec![0; months]; np],
        phase3: vec![vec![0; months]; np],
        paused: vec![vec![false; months]; np],
    };

    // Pauses and wishes.
    for p in 0..np {
        if rng.chance(3) {
            let start =
                add_months(NaiveDate::from_ymd_opt(round.year() - 1, 1, 1).unwrap_or(round), rng.below(24) as u32);
            let end = add_months(start, 6).pred_opt().unwrap_or(start);
            for m in occ.range(start, end) {
                occ.paused[p][m] = true;
            }
            data.pauses.push(Pause { practice_id: data.practices[p].id.clone(), start, end, wish_type: None });
        } else if rng.chance(3) {
            let start = add_months(round, rng.below(12) as u32);
            let end = add_months(start, 6).pred_opt().unwrap_or(start);
            let wish = *rng.pick(&TraineeType::GENERAL);
            data.pauses.push(Pause { practice_id: data.practices[p].id.clone(), start, end, wish_type: Some(wish) });
        }
    }

    // Candidate practices per municipality.
    let by_municipality: Vec<Vec<usize>> = region
        .municipalities
        .iter()
        .map(|m| (0..np).filter(|&p| data.practices[p].municipality == m.name).collect())
        .collect();
    let unit_weights: Vec<u32> = region.hospital_units.iter().map(|h| courses_per_unit(&h.name)).collect();
    let scale = n as f64 / 400.0;
    let mut trainee_no = 0usize;
    let names = |rng: &mut Rng| format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));

    // One trainee drawn for a type: its area and period.
    let draw = |rng: &mut Rng,
                kind: TraineeType,
                start: NaiveDate|
     -> (Option<String>, Option<String>, Vec<usize>, NaiveDate) {
        let end = add_months(start, kind.default_months()).pred_opt().unwrap_or(start);
        let unit = &region.hospital_units[rng.weighted(&unit_weights)];
        let catchment: Vec<usize> = region
            .municipalities
            .iter()
            .enumerate()
            .filter(|(_, m)| m.hospital_unit == unit.name)
            .map(|(i, _)| i)
            .collect();
        match kind {
            TraineeType::Kbu | TraineeType::Intro => {
                let pool: Vec<usize> = if kind == TraineeType::Intro {
                    // The committee assigns intro positions by district (Øst 70, Midt 30, Vest 30).
                    let d = [
                        District::East,
                        District::East,
                        District::East,
                        District::East,
                        District::East,
                        District::East,
                        District::East,
                        District::Middle,
                        District::Middle,
                        District::Middle,
                        District::West,
                        District::West,
                        District::West,
                    ][rng.below(13)];
                    region.municipalities.iter().enumerate().filter(|(_, m)| m.district == d).map(|(i, _)| i).collect()
                } else {
                    catchment.clone()
                };
                let w: Vec<u32> = pool.iter().map(|&i| by_municipality[i].len() as u32).collect();
                let mi = pool[rng.weighted(&w)];
                let m = &region.municipalities[mi];
                let unit_name = if kind == TraineeType::Kbu { Some(unit.name.clone()) } else { None };
                (unit_name, Some(m.name.clone()), by_municipality[mi].clone(), end)
            }
            _ => {
                let cands: Vec<usize> = catchment.iter().flat_map(|&i| by_municipality[i].iter().copied()).collect();
                (Some(unit.name.clone()), None, cands, end)
            }
        }
    };

    let mut make_trainee = |rng: &mut Rng,
                            kind: TraineeType,
                            start: NaiveDate,
                            cands: &[usize],
                            unit: Option<String>,
                            municipality: Option<String>,
                            end: NaiveDate,
                            practices: &[Practice]| {
        trainee_no += 1;
        let own_gp = (!cands.is_empty() && rng.chance(30)).then(|| cands[rng.below(cands.len())]);
        let family = (!cands.is_empty() && rng.chance(3)).then(|| cands[rng.below(cands.len())]);
        let history: Vec<usize> = if matches!(kind, TraineeType::Phase2 | TraineeType::Phase3) && !cands.is_empty() {
            (0..1 + rng.below(2)).map(|_| cands[rng.below(cands.len())]).collect()
        } else {
            Vec::new()
        };
        let step = match kind {
            TraineeType::Intro if rng.chance(30) => "laege2",
            k => crate::domain::model::Settings::default_step(k),
        };
        Trainee {
            id: format!("T{trainee_no:06}"),
            name: names(rng),
            kind,
            hospital_unit: unit,
            municipality,
            start,
            end,
            monthly_salary: rng.chance(5).then(|| Money::from_dkk(36_000 + 500 * rng.below(30) as i64)),
            seniority_step: Some(step.to_string()),
            own_gp: own_gp.map(|i| practices[i].id.clone()),
            family_practices: family.map(|i| practices[i].id.clone()).into_iter().collect(),
            history: history.iter().map(|&i| practices[i].id.clone()).collect(),
        }
    };

    // Months placed at each practice so far.
    let mut months_taken = vec![0u32; np];
    // History: each type at its yearly volume, start months spread, placed where the rules allow.
    let mut year_start = history_start;
    while year_start < round {
        for kind in TraineeType::ALL {
            let volume = (yearly_volume(kind) as f64 * scale).round() as usize;
            for k in 0..volume {
                let start = match kind {
                    TraineeType::Kbu => add_months(year_start, if k % 2 == 0 { 1 } else { 7 }),
                    TraineeType::Intro => add_months(year_start, if k % 2 == 0 { 2 } else { 8 }),
                    _ => add_months(year_start, (k % 12) as u32),
                };
                if start >= round {
                    continue;
                }
                let (unit, municipality, cands, end) = draw(&mut rng, kind, start);
                let t = make_trainee(&mut rng, kind, start, &cands, unit, municipality, end, &data.practices);
                let offset = rng.below(cands.len().max(1));
                // Of the first two practices that fit, the one with less load per tutor so far:
                // coordinators spread the load (P1), so few practices come to run on trainees (P6)
                // and a few are seldom asked (idle), as in the real region.
                let load = |p: usize| f64::from(months_taken[p]) / f64::from(data.practices[p].tutors.max(1));
                let chosen = (0..cands.len())
                    .map(|i| cands[(i + offset) % cands.len()])
                    .filter(|&p| {
                        let pr = &data.practices[p];
                        !pr.refuses.contains(&kind)
                            && t.own_gp.as_deref() != Some(pr.id.as_str())
                            && !t.family_practices.contains(&pr.id)
                            && occ.fits(p, pr.effective_capacity(1), kind, t.start, t.end)
                    })
                    .take(2)
                    .min_by(|&a, &b| load(a).total_cmp(&load(b)));
                if let Some(p) = chosen {
                    months_taken[p] += kind.default_months();
                    occ.take(p, kind, t.start, t.end);
                    data.placements.push(Placement {
                        trainee_id: t.id.clone(),
                        practice_id: data.practices[p].id.clone(),
                        start: t.start,
                        end: t.end,
                        pinned: t.end >= round,
                        overrides: Vec::new(),
                        reason: None,
                    });
                    data.trainees.push(t);
                }
            }
        }
        year_start = add_months(year_start, 12);
    }

    // The coming round: open trainees starting over the next months, in the seed's proportions.
    let open = params.open_trainees.unwrap_or(n * 3 / 10);
    let volume_total: usize = TraineeType::ALL.iter().map(|&k| yearly_volume(k)).sum();
    let mut kinds: Vec<TraineeType> = Vec::with_capacity(open);
    for kind in TraineeType::ALL {
        let share = open * yearly_volume(kind) / volume_total;
        kinds.extend(std::iter::repeat_n(kind, share));
    }
    while kinds.len() < open {
        kinds.push(TraineeType::ALL[kinds.len() % 6]);
    }
    for (k, kind) in kinds.into_iter().enumerate() {
        let start = match kind {
            TraineeType::Kbu => add_months(round, 2),
            TraineeType::Intro => add_months(round, 3),
            TraineeType::Phase3 => add_months(round, 4 + (k % 4) as u32),
            _ => add_months(round, 1 + (k % 6) as u32),
        };
        let (unit, municipality, cands, end) = draw(&mut rng, kind, start);
        let t = make_trainee(&mut rng, kind, start, &cands, unit, municipality, end, &data.practices);
        data.trainees.push(t);
    }
    data.trainees.sort_by(|a, b| a.id.cmp(&b.id));
    // The shipped rates reach back to 2015; an older history gets the earliest rates carried back.
    carry_rates_back(&mut data.settings, history_start);
    data
}

/// Writes a generated region into a new store in one transaction.
pub fn store_demo(store: &mut Store, data: &Dataset) -> Result<BatchReport, StoreError> {
    let batch = Batch {
        practices: data.practices.clone(),
        trainees: data.trainees.clone(),
        placements: data.placements.clone(),
        pauses: data.pauses.clone(),
        update: false,
        summary: "demo region".to_string(),
    };
    store.seed(&batch, Some(&data.settings))
}

/// Carries every dated rate (salary scale steps, shares, honorarium, pension) back to `first`
/// where it starts later, so the demo's history is priced from its first day. Each row added is
/// the earliest row's value, and its source says so: it is no public figure.
fn carry_rates_back(settings: &mut Settings, first: NaiveDate) {
    let note = |source: &str| {
        format!(
            "demo only: the rate below carried back unchanged to the demo's first year, not a public figure ({source})"
        )
    };
    let mut steps: Vec<String> = settings.salary_scale.iter().map(|s| s.step.to_ascii_lowercase()).collect();
    steps.sort();
    steps.dedup();
    for step in steps {
        let earliest = settings
            .salary_scale
            .iter()
            .filter(|s| s.step.eq_ignore_ascii_case(&step))
            .min_by_key(|s| s.valid_from)
            .cloned();
        if let Some(e) = earliest.filter(|e| e.valid_from > first) {
            let source = note(&e.source);
            settings.salary_scale.push(SalaryStep { valid_from: first, source, ..e });
        }
    }
    for kind in TraineeType::ALL {
        let earliest = settings.share_rates.iter().filter(|r| r.kind == kind).min_by_key(|r| r.valid_from).cloned();
        if let Some(e) = earliest.filter(|e| e.valid_from > first) {
            settings.share_rates.push(ShareRate { valid_from: first, ..e });
        }
    }
    if let Some(e) = settings.honorarium.iter().min_by_key(|h| h.valid_from).cloned().filter(|e| e.valid_from > first) {
        settings.honorarium.push(Dated { valid_from: first, ..e });
    }
    if let Some(e) = settings.pension.iter().min_by_key(|p| p.valid_from).cloned().filter(|e| e.valid_from > first) {
        let source = note(&e.source);
        settings.pension.push(PensionRate { valid_from: first, source, ..e });
    }
    settings.salary_scale.sort_by(|a, b| (a.step.as_str(), a.valid_from).cmp(&(b.step.as_str(), b.valid_from)));
    settings.share_rates.sort_by_key(|r| (r.kind.key(), r.valid_from));
    settings.honorarium.sort_by_key(|h| h.valid_from);
    settings.pension.sort_by_key(|p| p.valid_from);
}
