//! The hard rules H1–H9 of DOMAIN.md §4: a placement that breaks one is refused, with the rule named.
//!
//! `RuleContext` indexes a `Dataset` once (placements and pauses per practice, practices and trainees
//! by id, each practice's municipality) so that one check costs a few comparisons and a short sweep
//! over the practice's own placements. The optimizer calls it for every trainee × candidate practice.
//! Tentative placements (a suggested round not yet stored) are added with `RuleContext::add`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use serde::Serialize;

use super::dates::Period;
use super::lang::Lang;
use super::model::{Dataset, Placement, Practice, Rule, Trainee, TraineeType};
use super::reasons::{AreaName, Breach};
use super::region::District;

/// A fast hasher for the index's short keys (ids and names of the dataset itself, so no
/// hash-flooding concern): the optimizer looks them up for every trainee–practice pair.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by the dataset's ids and names.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Why the engine could not answer a question about the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("no trainee has the id '{0}'")]
    UnknownTrainee(String),
    #[error("no practice has the id '{0}'")]
    UnknownPractice(String),
    #[error("{id} is a {kind} trainee; only a phase-3 trainee gets phase-3 options")]
    NotPhase3 { id: String, kind: TraineeType },
}

/// One broken hard rule: the rule, its figures (`breach`), and in `message` the English sentence
/// the command line and the JSON show, starting with the rule id. `text(lang)` words it in the
/// user's language (`domain::reasons`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub rule: Rule,
    pub message: String,
    #[serde(skip)]
    pub breach: Breach,
}

impl Violation {
    pub fn new(rule: Rule, breach: Breach) -> Violation {
        Violation { rule, message: breach.text(Lang::English), breach }
    }

    /// The sentence in `lang`, starting with the rule id (once).
    pub fn text(&self, lang: Lang) -> String {
        self.breach.text(lang)
    }
}

/// A broken hard rule among the stored placements (`check`, CONTRACT.md).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct StoredViolation {
    pub trainee_id: String,
    pub practice_id: String,
    pub rule: Rule,
    pub message: String,
    #[serde(skip)]
    pub breach: Breach,
}

impl StoredViolation {
    /// The sentence in `lang`, starting with the rule id (once).
    pub fn text(&self, lang: Lang) -> String {
        self.breach.text(lang)
    }
}

/// A placement as the rules see it: stored or tentative.
#[derive(Clone, Debug)]
struct Booking {
    trainee_id: String,
    /// `None` when the trainee id is unknown.
    kind: Option<TraineeType>,
    practice_id: String,
    /// `None` when the practice id is unknown.
    practice: Option<usize>,
    period: Period,
}

/// Which existing placements a check leaves out.
#[derive(Clone, Copy, Debug)]
enum Skip<'s> {
    Nothing,
    /// Every placement of this trainee: the trainee is being moved.
    Trainee(&'s str),
    /// One placement (by position): it is the one being checked.
    Booking(usize),
}

impl Skip<'_> {
    fn skips(&self, id: usize, b: &Booking) -> bool {
        match self {
            Skip::Nothing => false,
            Skip::Trainee(t) => b.trainee_id == *t,
            Skip::Booking(i) => *i == id,
        }
    }
}

/// The day after `d` (the end of an inclusive period as an exclusive bound).
fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

pub use super::region::same_name;

/// What a sweep over a practice's placements found inside one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Load {
    /// The most trainees held on any one day of the period.
    pub peak: u32,
    /// The first stretch inside the period when the practice holds at least `threshold` trainees.
    pub first_full: Option<Period>,
}

/// The hard rules, indexed over one dataset plus any tentative placements.
#[derive(Clone, Debug)]
pub struct RuleContext<'a> {
    data: &'a Dataset,
    practice_ix: FastMap<&'a str, usize>,
    trainee_ix: FastMap<&'a str, usize>,
    bookings: Vec<Booking>,
    by_practice: Vec<Vec<usize>>,
    by_trainee: FastMap<String, Vec<usize>>,
    pauses: Vec<Vec<Period>>,
    /// Position in `region.municipalities` of each practice's municipality.
    practice_muni: Vec<Option<usize>>,
    /// For each practice, the position its id is looked up at (the first with that id).
    canonical: Vec<usize>,
    /// Practices per municipality position, in dataset order.
    practices_by_muni: Vec<Vec<usize>>,
    /// Fast paths for names spelled exactly as in the register (the hot path of the optimizer).
    muni_exact: FastMap<&'a str, usize>,
    unit_exact: FastMap<&'a str, (Option<District>, Vec<usize>)>,
}

impl<'a> RuleContext<'a> {
    /// Indexes `data`. Every stored placement takes part, pinned or not.
    pub fn new(data: &'a Dataset) -> RuleContext<'a> {
        RuleContext::indexing(data, &|_| true)
    }

    /// Indexes `data` for checks of periods that end on or after `from` (a round of the
    /// optimizer): stored placements that ended before `from` can break no rule for them and are
    /// left out. Only for trainees with no stored placement (H9 would miss an old one).
    pub fn from_day(data: &'a Dataset, from: NaiveDate) -> RuleContext<'a> {
        RuleContext::indexing(data, &|p| p.end >= from || p.start > p.end)
    }

    fn indexing(data: &'a Dataset, keep: &dyn Fn(&Placement) -> bool) -> RuleContext<'a> {
        let mut practice_ix = FastMap::with_capacity_and_hasher(data.practices.len(), Default::default());
        for (i, p) in data.practices.iter().enumerate() {
            practice_ix.entry(p.id.as_str()).or_insert(i);
        }
        let mut trainee_ix = FastMap::with_capacity_and_hasher(data.trainees.len(), Default::default());
        for (i, t) in data.trainees.iter().enumerate() {
            trainee_ix.entry(t.id.as_str()).or_insert(i);
        }
        let mut pauses = vec![Vec::new(); data.practices.len()];
        for pause in data.pauses.iter().filter(|p| p.is_pause()) {
            if let Some(&i) = practice_ix.get(pause.practice_id.as_str()) {
                pauses[i].push(pause.period());
            }
        }
        let muni_count = data.region.municipalities.len();
        let mut ctx = RuleContext {
            data,
            practice_ix,
            trainee_ix,
            bookings: Vec::with_capacity(data.placements.len()),
            by_practice: vec![Vec::new(); data.practices.len()],
            by_trainee: FastMap::with_capacity_and_hasher(data.placements.len(), Default::default()),
            pauses,
            practice_muni: Vec::with_capacity(data.practices.len()),
            canonical: Vec::with_capacity(data.practices.len()),
            practices_by_muni: vec![Vec::new(); muni_count],
            muni_exact: FastMap::default(),
            unit_exact: FastMap::default(),
        };
        for (i, m) in data.region.municipalities.iter().enumerate() {
            ctx.muni_exact.entry(m.name.as_str()).or_insert(i);
        }
        let units = data.region.hospital_units.iter().map(|h| h.name.as_str());
        let units: Vec<&str> =
            units.chain(data.region.municipalities.iter().map(|m| m.hospital_unit.as_str())).collect();
        for unit in units {
            if !ctx.unit_exact.contains_key(unit) {
                let entry = (ctx.unit_district_slow(unit), ctx.catchment_slow(unit));
                ctx.unit_exact.insert(unit, entry);
            }
        }
        for (i, p) in data.practices.iter().enumerate() {
            let m = ctx.municipality_index(&p.municipality);
            ctx.practice_muni.push(m);
            ctx.canonical.push(ctx.practice_ix.get(p.id.as_str()).copied().unwrap_or(i));
            if let Some(m) = m {
                ctx.practices_by_muni[m].push(i);
            }
        }
        for p in data.placements.iter().filter(|p| keep(p)) {
            ctx.add(p.clone());
        }
        ctx
    }

    /// A copy with extra tentative placements.
    pub fn with_extra(&self, extra: &[Placement]) -> RuleContext<'a> {
        let mut ctx = self.clone();
        for p in extra {
            ctx.add(p.clone());
        }
        ctx
    }

    /// Adds a tentative placement: later checks see it for H6, H8 and H9.
    pub fn add(&mut self, placement: Placement) {
        let id = self.bookings.len();
        let practice = self.practice_ix.get(placement.practice_id.as_str()).copied();
        let kind = self.trainee(&placement.trainee_id).map(|t| t.kind);
        if let Some(pi) = practice {
            self.by_practice[pi].push(id);
        }
        self.by_trainee.entry(placement.trainee_id.clone()).or_default().push(id);
        self.bookings.push(Booking {
            period: placement.period(),
            trainee_id: placement.trainee_id,
            kind,
            practice_id: placement.practice_id,
            practice,
        });
    }

    /// The dataset the context indexes.
    pub fn data(&self) -> &'a Dataset {
        self.data
    }

    /// A practice by id.
    pub fn practice(&self, id: &str) -> Option<&'a Practice> {
        self.practice_ix.get(id).map(|&i| &self.data.practices[i])
    }

    /// A practice's position in `Dataset::practices`, by id.
    pub fn practice_index(&self, id: &str) -> Option<usize> {
        self.practice_ix.get(id).copied()
    }

    /// The position `practice_index` gives for the id of the practice at `practice` (the same
    /// unless two practices share an id).
    pub fn canonical_index(&self, practice: usize) -> usize {
        self.canonical.get(practice).copied().unwrap_or(practice)
    }

    /// The practices among `candidates` (positions in `Dataset::practices`) that `allows` the
    /// trainee in `period`, in the same order: the optimizer's fast path, which looks up the
    /// trainee's side of the rules once. Equal to filtering with `allows(.., None)`.
    pub fn allowed_among(&self, t: &Trainee, period: Period, candidates: &[usize]) -> Vec<usize> {
        let data = self.data;
        // H9: valid dates inside the trainee's period, and no placement held already.
        if !period.is_valid() || !t.period().contains_period(&period) || self.by_trainee.contains_key(&t.id) {
            return Vec::new();
        }
        // H3, H4, H5: geography, as a test on the practice's municipality.
        enum Geo<'x> {
            Anywhere,
            Municipality(Option<usize>, &'x str),
            Catchment { inside: Vec<bool>, district: Option<District>, phase3: bool },
        }
        let geo = match t.kind {
            TraineeType::Kbu | TraineeType::Intro => match t.municipality.as_deref() {
                None => return Vec::new(),
                Some(wanted) => Geo::Municipality(self.municipality_index(wanted), wanted),
            },
            TraineeType::Phase1 | TraineeType::Phase2 | TraineeType::Phase3 => match t.hospital_unit.as_deref() {
                None => return Vec::new(),
                Some(unit) => {
                    let mut inside = vec![false; data.region.municipalities.len()];
                    for m in self.catchment(unit) {
                        if let Some(x) = inside.get_mut(m) {
                            *x = true;
                        }
                    }
                    Geo::Catchment { inside, district: self.unit_district(unit), phase3: t.kind == TraineeType::Phase3 }
                }
            },
            TraineeType::Other => Geo::Anywhere,
        };
        let settings = &data.settings;
        let allowed_overlap = settings.phase3_overlap_days;
        candidates
            .iter()
            .copied()
            .filter(|&i| {
                let p = &data.practices[i];
                let pi = self.canonical_index(i);
                if t.own_gp.as_deref() == Some(p.id.as_str()) || t.family_practices.contains(&p.id) {
                    return false;
                }
                let p_muni = self.practice_muni[pi];
                let geography = match &geo {
                    Geo::Anywhere => true,
                    Geo::Municipality(wanted_ix, wanted) => match (wanted_ix, p_muni) {
                        (Some(a), Some(b)) => *a == b,
                        _ => same_name(wanted, &p.municipality),
                    },
                    Geo::Catchment { inside, district, phase3 } => {
                        let muni = p_muni.map(|m| &data.region.municipalities[m]);
                        let district_differs =
                            *phase3 && matches!((muni.map(|m| m.district), district), (Some(a), Some(b)) if a != *b);
                        let in_catchment = p_muni.is_some_and(|m| inside[m]);
                        !district_differs && in_catchment
                    }
                };
                if !geography {
                    return false;
                }
                if t.kind == TraineeType::Phase3
                    && self.others_at(pi, Skip::Nothing).any(|b| {
                        b.kind == Some(TraineeType::Phase3) && b.period.overlap_days(&period) > allowed_overlap
                    })
                {
                    return false;
                }
                if self.pauses[pi].iter().any(|x| x.overlaps(&period)) {
                    return false;
                }
                self.peak_load(pi, period, Skip::Nothing) < p.effective_capacity(settings.capacity_per_tutor)
            })
            .collect()
    }

    /// A trainee by id.
    pub fn trainee(&self, id: &str) -> Option<&'a Trainee> {
        self.trainee_ix.get(id).map(|&i| &self.data.trainees[i])
    }

    /// Whether the trainee holds any placement (stored or tentative).
    pub fn is_placed(&self, trainee_id: &str) -> bool {
        self.by_trainee.get(trainee_id).is_some_and(|v| !v.is_empty())
    }

    /// Position of a municipality in `region.municipalities`, by name (`Århus` is read as Aarhus).
    pub fn municipality_index(&self, name: &str) -> Option<usize> {
        if let Some(&i) = self.muni_exact.get(name) {
            return Some(i);
        }
        let name = if same_name(name, "Århus") { "Aarhus" } else { name };
        self.data.region.municipalities.iter().position(|m| same_name(&m.name, name))
    }

    /// Municipality positions in a hospital unit's catchment (rules H4, H5).
    pub fn catchment(&self, unit: &str) -> Vec<usize> {
        match self.unit_exact.get(unit) {
            Some((_, munis)) => munis.clone(),
            None => self.catchment_slow(unit),
        }
    }

    /// Whether a municipality lies in a hospital unit's catchment.
    pub fn in_catchment(&self, muni: usize, unit: &str) -> bool {
        match self.unit_exact.get(unit) {
            Some((_, munis)) => munis.contains(&muni),
            None => self.data.region.municipalities.get(muni).is_some_and(|m| same_name(&m.hospital_unit, unit)),
        }
    }

    fn catchment_slow(&self, unit: &str) -> Vec<usize> {
        let munis = &self.data.region.municipalities;
        (0..munis.len()).filter(|&i| same_name(&munis[i].hospital_unit, unit)).collect()
    }

    /// The district of a hospital unit, from the register or else from its catchment.
    pub fn unit_district(&self, unit: &str) -> Option<District> {
        match self.unit_exact.get(unit) {
            Some((district, _)) => *district,
            None => self.unit_district_slow(unit),
        }
    }

    fn unit_district_slow(&self, unit: &str) -> Option<District> {
        let region = &self.data.region;
        region
            .hospital_units
            .iter()
            .find(|h| same_name(&h.name, unit))
            .map(|h| h.district)
            .or_else(|| region.municipalities.iter().find(|m| same_name(&m.hospital_unit, unit)).map(|m| m.district))
    }

    /// Positions of the practices in the given municipalities, ascending.
    pub fn practices_in(&self, munis: &[usize]) -> Vec<usize> {
        let mut v: Vec<usize> =
            munis.iter().filter_map(|&m| self.practices_by_muni.get(m)).flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The municipality position of a practice by its dataset position.
    pub fn practice_municipality(&self, practice: usize) -> Option<usize> {
        self.practice_muni.get(practice).copied().flatten()
    }

    /// The municipalities where a trainee may be (or, for other specialties, wishes to be) placed:
    /// KBU and intro their municipality (H3), phase 1–3 and other specialties the catchment of
    /// their hospital unit (H4, H5, P7). `None` means anywhere (an other-specialty trainee with no
    /// wished unit); an empty list means nowhere (data is missing).
    pub fn trainee_area(&self, trainee: &Trainee) -> Option<Vec<usize>> {
        match trainee.kind {
            TraineeType::Kbu | TraineeType::Intro => {
                Some(trainee.municipality.as_deref().and_then(|m| self.municipality_index(m)).into_iter().collect())
            }
            TraineeType::Phase1 | TraineeType::Phase2 | TraineeType::Phase3 => {
                Some(trainee.hospital_unit.as_deref().map(|u| self.catchment(u)).unwrap_or_default())
            }
            TraineeType::Other => trainee.hospital_unit.as_deref().map(|u| self.catchment(u)),
        }
    }

    /// The practices worth checking for a trainee: those in `trainee_area`, ascending.
    pub fn candidate_practices(&self, trainee: &Trainee) -> Vec<usize> {
        match self.trainee_area(trainee) {
            Some(munis) => self.practices_in(&munis),
            None => (0..self.data.practices.len()).collect(),
        }
    }

    /// The trainee's area in English words: `Lemvig` or `the catchment of Hospitalsenhed Midt`.
    pub fn area_name(&self, trainee: &Trainee) -> String {
        self.area(trainee).text(Lang::English)
    }

    /// The trainee's area, named (`AreaName::text` words it in the user's language).
    pub fn area(&self, trainee: &Trainee) -> AreaName {
        match trainee.kind {
            TraineeType::Kbu | TraineeType::Intro => match &trainee.municipality {
                Some(m) => AreaName::Municipality(
                    self.municipality_index(m).map_or_else(|| m.clone(), |i| self.muni_name(i).to_string()),
                ),
                None => AreaName::NoMunicipality,
            },
            _ => match &trainee.hospital_unit {
                Some(u) => AreaName::Catchment(u.clone()),
                None if trainee.kind == TraineeType::Other => AreaName::Region,
                None => AreaName::NoHospitalUnit,
            },
        }
    }

    fn muni_name(&self, i: usize) -> &'a str {
        &self.data.region.municipalities[i].name
    }

    /// Every hard rule `trainee` would break at `practice` in `period`. `ignore_trainee` leaves out
    /// that trainee's own placements (a move, or re-checking a stored placement). A practice that is
    /// not in the dataset has no placements or pauses, so only H1–H5 and H9 apply to it.
    pub fn check(
        &self,
        trainee: &Trainee,
        practice: &Practice,
        period: Period,
        ignore_trainee: Option<&str>,
    ) -> Vec<Violation> {
        let skip = ignore_trainee.map_or(Skip::Nothing, Skip::Trainee);
        let mut out = Vec::new();
        self.evaluate(trainee, practice, period, skip, &mut |rule, because| out.push(Violation::new(rule, because())));
        out
    }

    /// `check` by ids, for callers holding ids only.
    pub fn check_ids(
        &self,
        trainee_id: &str,
        practice_id: &str,
        period: Period,
        ignore_trainee: Option<&str>,
    ) -> Result<Vec<Violation>, EngineError> {
        let t = self.trainee(trainee_id).ok_or_else(|| EngineError::UnknownTrainee(trainee_id.to_string()))?;
        let p = self.practice(practice_id).ok_or_else(|| EngineError::UnknownPractice(practice_id.to_string()))?;
        Ok(self.check(t, p, period, ignore_trainee))
    }

    /// The broken rules only, without messages: the optimizer's fast path.
    pub fn broken_rules(
        &self,
        trainee: &Trainee,
        practice: &Practice,
        period: Period,
        ignore_trainee: Option<&str>,
    ) -> Vec<Rule> {
        let skip = ignore_trainee.map_or(Skip::Nothing, Skip::Trainee);
        let mut out = Vec::new();
        self.evaluate(trainee, practice, period, skip, &mut |rule, _| {
            if !out.contains(&rule) {
                out.push(rule)
            }
        });
        out.sort();
        out
    }

    /// Whether no hard rule is broken.
    pub fn allows(&self, trainee: &Trainee, practice: &Practice, period: Period, ignore_trainee: Option<&str>) -> bool {
        let skip = ignore_trainee.map_or(Skip::Nothing, Skip::Trainee);
        let mut ok = true;
        self.evaluate(trainee, practice, period, skip, &mut |_, _| ok = false);
        ok
    }

    /// Rule H8: the practice's load in `period` from stored and tentative placements; `threshold`
    /// picks the stretch reported in `first_full`.
    pub fn load(&self, practice: usize, period: Period, threshold: u32, ignore_trainee: Option<&str>) -> Load {
        let skip = ignore_trainee.map_or(Skip::Nothing, Skip::Trainee);
        self.sweep(practice, period, threshold, skip)
    }

    /// Rule H8: how many more trainees the practice can take on every day of `period`
    /// (0 when paused, H7).
    pub fn free_slots(&self, practice: usize, period: Period) -> u32 {
        let Some(p) = self.data.practices.get(practice) else { return 0 };
        if self.is_paused(practice, period) {
            return 0;
        }
        let cap = p.effective_capacity(self.data.settings.capacity_per_tutor);
        cap.saturating_sub(self.peak_load(practice, period, Skip::Nothing))
    }

    /// The periods of every placement (stored and tentative) at a practice, in no particular order.
    pub fn periods_at(&self, practice: usize) -> impl Iterator<Item = Period> + '_ {
        self.others_at(practice, Skip::Nothing).map(|b| b.period)
    }

    /// Rule H7: whether a pause of the practice overlaps `period`.
    pub fn is_paused(&self, practice: usize, period: Period) -> bool {
        self.pauses.get(practice).is_some_and(|v| v.iter().any(|p| p.overlaps(&period)))
    }

    /// Rule H6: the phase-3 placements at the practice that overlap `period` by more than allowed.
    pub fn phase3_collisions(&self, practice: usize, period: Period, ignore_trainee: Option<&str>) -> Vec<Period> {
        let skip = ignore_trainee.map_or(Skip::Nothing, Skip::Trainee);
        let allowed = self.data.settings.phase3_overlap_days;
        self.others_at(practice, skip)
            .filter(|b| b.kind == Some(TraineeType::Phase3) && b.period.overlap_days(&period) > allowed)
            .map(|b| b.period)
            .collect()
    }

    fn others_at<'s>(&'s self, practice: usize, skip: Skip<'s>) -> impl Iterator<Item = &'s Booking> + 's {
        self.by_practice
            .get(practice)
            .into_iter()
            .flatten()
            .filter(move |&&id| !skip.skips(id, &self.bookings[id]))
            .map(move |&id| &self.bookings[id])
    }

    /// The most placements held on one day of `period`, without allocating: the load peaks on the
    /// first day of some placement (or of the period), so it suffices to count at those days. The
    /// rules' hot path; `sweep` also finds the first full stretch for messages.
    fn peak_load(&self, practice: usize, period: Period, skip: Skip<'_>) -> u32 {
        const SMALL: usize = 32;
        let mut starts = [period.start; SMALL];
        let mut ends = [period.start; SMALL];
        let mut n = 0;
        for b in self.others_at(practice, skip) {
            if b.period.overlaps(&period) {
                if n == SMALL {
                    return self.sweep(practice, period, u32::MAX, skip).peak;
                }
                starts[n] = b.period.start.max(period.start);
                ends[n] = b.period.end.min(period.end);
                n += 1;
            }
        }
        let mut peak = 0u32;
        for i in 0..n {
            let day = starts[i];
            let here = (0..n).filter(|&j| starts[j] <= day && day <= ends[j]).count() as u32;
            peak = peak.max(here);
        }
        peak
    }

    /// The day-by-day load of a practice inside `period`: a sweep over the start and end events of the
    /// placements that overlap it.
    fn sweep(&self, practice: usize, period: Period, threshold: u32, skip: Skip<'_>) -> Load {
        let mut events: Vec<(NaiveDate, i32)> = Vec::new();
        for b in self.others_at(practice, skip) {
            if b.period.overlaps(&period) {
                events.push((b.period.start.max(period.start), 1));
                events.push((next_day(b.period.end.min(period.end)), -1));
            }
        }
        events.sort_unstable();
        let mut count: i32 = 0;
        let mut peak: i32 = 0;
        let mut full_from: Option<NaiveDate> = None;
        let mut first_full: Option<Period> = None;
        let threshold = i32::try_from(threshold).unwrap_or(i32::MAX);
        let mut i = 0;
        while i < events.len() {
            // All events of one day at once: a placement ending the day before another starts does
            // not overlap it.
            let day = events[i].0;
            while i < events.len() && events[i].0 == day {
                count += events[i].1;
                i += 1;
            }
            peak = peak.max(count);
            if first_full.is_none() {
                if count >= threshold && full_from.is_none() {
                    full_from = Some(day);
                } else if count < threshold
                    && let Some(from) = full_from
                {
                    first_full = Some(Period::new(from, day.pred_opt().unwrap_or(day)));
                }
            }
        }
        if first_full.is_none()
            && let Some(from) = full_from
        {
            first_full = Some(Period::new(from, period.end));
        }
        Load { peak: u32::try_from(peak).unwrap_or(0), first_full }
    }

    /// Runs every rule, calling `report` once per finding with the rule and a way to build its
    /// `Breach`, so the fast paths never build or word one.
    fn evaluate(
        &self,
        t: &Trainee,
        p: &Practice,
        period: Period,
        skip: Skip<'_>,
        report: &mut dyn FnMut(Rule, &dyn Fn() -> Breach),
    ) {
        let settings = &self.data.settings;
        let pi = self.practice_ix.get(p.id.as_str()).copied().filter(|&i| self.data.practices[i].id == p.id);
        let p_muni = match pi {
            Some(i) => self.practice_muni[i],
            None => self.municipality_index(&p.municipality),
        };
        let p_muni_name = p_muni.map_or(p.municipality.as_str(), |m| self.muni_name(m));

        // H1, H2: personal ties.
        if t.own_gp.as_deref().is_some_and(|g| g == p.id) {
            report(Rule::H1, &|| Breach::OwnGp { practice: p.name.clone(), trainee: t.name.clone() });
        }
        if t.family_practices.contains(&p.id) {
            report(Rule::H2, &|| Breach::Family { trainee: t.name.clone(), practice: p.name.clone() });
        }

        // H3, H4, H5: geography.
        match t.kind {
            TraineeType::Kbu | TraineeType::Intro => match t.municipality.as_deref() {
                None => report(Rule::H3, &|| Breach::NoMunicipality { trainee: t.name.clone() }),
                Some(wanted) => {
                    let wanted_ix = self.municipality_index(wanted);
                    let same = match (wanted_ix, p_muni) {
                        (Some(a), Some(b)) => a == b,
                        _ => same_name(wanted, &p.municipality),
                    };
                    if !same {
                        let wanted_name = wanted_ix.map_or(wanted, |m| self.muni_name(m));
                        report(Rule::H3, &|| Breach::OtherMunicipality {
                            practice: p.name.clone(),
                            municipality: p_muni_name.to_string(),
                            trainee: t.name.clone(),
                            assigned: t.kind == TraineeType::Intro,
                            wanted: wanted_name.to_string(),
                        });
                    }
                }
            },
            TraineeType::Phase1 | TraineeType::Phase2 | TraineeType::Phase3 => {
                let rule = if t.kind == TraineeType::Phase3 { Rule::H5 } else { Rule::H4 };
                match t.hospital_unit.as_deref() {
                    None => report(rule, &|| Breach::NoHospitalUnit { rule, trainee: t.name.clone() }),
                    Some(unit) => {
                        let muni = p_muni.map(|m| &self.data.region.municipalities[m]);
                        let in_catchment = p_muni.is_some_and(|m| self.in_catchment(m, unit));
                        let unit_district = self.unit_district(unit);
                        let district_differs = rule == Rule::H5
                            && matches!((muni.map(|m| m.district), unit_district), (Some(a), Some(b)) if a != b);
                        if district_differs {
                            report(rule, &|| Breach::OtherDistrict {
                                practice: p.name.clone(),
                                municipality: p_muni_name.to_string(),
                                district: muni.map(|m| m.district),
                                trainee: t.name.clone(),
                                unit: unit.to_string(),
                                unit_district,
                            });
                        } else if !in_catchment {
                            report(rule, &|| Breach::OutsideCatchment {
                                rule,
                                practice: p.name.clone(),
                                municipality: p_muni_name.to_string(),
                                unit: unit.to_string(),
                                trainee: t.name.clone(),
                            });
                        }
                    }
                }
            }
            // Rule P7 scores an other-specialty trainee's area; no hard rule applies.
            TraineeType::Other => {}
        }

        // H6: two phase-3 trainees at once.
        if t.kind == TraineeType::Phase3
            && let Some(pi) = pi
        {
            let allowed = settings.phase3_overlap_days;
            for b in self.others_at(pi, skip) {
                if b.kind != Some(TraineeType::Phase3) {
                    continue;
                }
                let overlap = b.period.overlap_days(&period);
                if overlap > allowed {
                    report(Rule::H6, &|| Breach::Phase3Overlap {
                        practice: p.name.clone(),
                        from: b.period.start,
                        to: b.period.end,
                        overlap,
                        allowed,
                        large: p.large,
                    });
                }
            }
        }

        // H7: pauses.
        if let Some(pi) = pi {
            for pause in self.pauses[pi].iter().filter(|x| x.overlaps(&period)) {
                report(Rule::H7, &|| Breach::Paused { practice: p.name.clone(), from: pause.start, to: pause.end });
            }
        }

        // H8: capacity on every day of the period.
        if let Some(pi) = pi
            && period.is_valid()
        {
            let cap = p.effective_capacity(settings.capacity_per_tutor);
            if self.peak_load(pi, period, skip) >= cap {
                report(Rule::H8, &|| {
                    let load = self.sweep(pi, period, cap, skip);
                    let stretch = load.first_full.unwrap_or(period);
                    Breach::Full {
                        practice: p.name.clone(),
                        capacity: cap,
                        from: stretch.start,
                        to: stretch.end,
                        peak: load.peak,
                    }
                });
            }
        }

        // H9: one placement at a time, inside the trainee's period, with valid dates.
        if !period.is_valid() {
            report(Rule::H9, &|| Breach::StartsAfterEnd { from: period.start, to: period.end });
        } else if !t.period().contains_period(&period) {
            report(Rule::H9, &|| Breach::OutsideTraineePeriod {
                from: period.start,
                to: period.end,
                trainee: t.name.clone(),
                own_from: t.start,
                own_to: t.end,
            });
        }
        if let Some(ids) = self.by_trainee.get(&t.id) {
            for &id in ids {
                let b = &self.bookings[id];
                if skip.skips(id, b) {
                    continue;
                }
                report(Rule::H9, &|| {
                    let at = b.practice.map_or(b.practice_id.as_str(), |i| self.data.practices[i].name.as_str());
                    Breach::AlreadyPlaced {
                        trainee: t.name.clone(),
                        at: at.to_string(),
                        from: b.period.start,
                        to: b.period.end,
                    }
                });
            }
        }
    }
}

/// Every hard-rule violation among the stored placements (`check`, CONTRACT.md). Each placement is
/// checked against all the others; rules it overrides are skipped, except H9, which can never be
/// overridden. A placement naming an unknown trainee or practice is reported under H9. Sorted by
/// trainee, practice, rule and message.
pub fn check_all(data: &Dataset) -> Vec<StoredViolation> {
    let ctx = RuleContext::new(data);
    let mut out = Vec::new();
    for (i, placement) in data.placements.iter().enumerate() {
        let stored = |breach: Breach| StoredViolation {
            trainee_id: placement.trainee_id.clone(),
            practice_id: placement.practice_id.clone(),
            rule: breach.rule(),
            message: breach.text(Lang::English),
            breach,
        };
        let trainee = ctx.trainee(&placement.trainee_id);
        let practice = ctx.practice(&placement.practice_id);
        if trainee.is_none() {
            out.push(stored(Breach::UnknownTrainee { id: placement.trainee_id.clone() }));
        }
        if practice.is_none() {
            out.push(stored(Breach::UnknownPractice { id: placement.practice_id.clone() }));
        }
        let (Some(t), Some(p)) = (trainee, practice) else { continue };
        ctx.evaluate(t, p, placement.period(), Skip::Booking(i), &mut |rule, because| {
            if rule == Rule::H9 || !placement.overrides.contains(&rule) {
                out.push(stored(because()));
            }
        });
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A small hand-built region for the engine's tests.
    use super::super::model::{Dataset, Pause, Placement, Practice, Setting, Trainee, TraineeType};
    use super::super::region::Region;
    use chrono::NaiveDate;

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    pub fn practice(id: &str, municipality: &str, tutors: u32) -> Practice {
        Practice {
            id: id.to_string(),
            name: format!("Practice {id}"),
            address: String::new(),
            municipality: municipality.to_string(),
            lat: 56.0,
            lon: 9.5,
            tutors,
            doctors: tutors.max(1),
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

    pub fn trainee(id: &str, kind: TraineeType, start: NaiveDate, end: NaiveDate) -> Trainee {
        Trainee {
            id: id.to_string(),
            name: format!("Trainee {id}"),
            kind,
            hospital_unit: None,
            municipality: None,
            start,
            end,
            monthly_salary: None,
            seniority_step: None,
            own_gp: None,
            family_practices: Vec::new(),
            history: Vec::new(),
        }
    }

    pub fn kbu(id: &str, municipality: &str, start: NaiveDate, end: NaiveDate) -> Trainee {
        let mut t = trainee(id, TraineeType::Kbu, start, end);
        t.municipality = Some(municipality.to_string());
        t.hospital_unit = Some("Hospitalsenhed Horsens".to_string());
        t
    }

    pub fn course(id: &str, kind: TraineeType, unit: &str, start: NaiveDate, end: NaiveDate) -> Trainee {
        let mut t = trainee(id, kind, start, end);
        t.hospital_unit = Some(unit.to_string());
        t
    }

    pub fn placement(trainee: &Trainee, practice: &str) -> Placement {
        Placement {
            trainee_id: trainee.id.clone(),
            practice_id: practice.to_string(),
            start: trainee.start,
            end: trainee.end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        }
    }

    pub fn pause(practice: &str, start: NaiveDate, end: NaiveDate) -> Pause {
        Pause { practice_id: practice.to_string(), start, end, wish_type: None }
    }

    pub fn region_data() -> Dataset {
        Dataset::empty(Region::midtjylland())
    }

    /// The public example of CONTRACT.md (`shared/examples/*.csv`), built by hand.
    pub fn contract_example() -> Dataset {
        let mut data = region_data();
        let row = |id: &str, name: &str, muni: &str, tutors, doctors, setting, burdened, large| {
            let mut p = practice(id, muni, tutors);
            p.name = name.to_string();
            p.doctors = doctors;
            p.setting = setting;
            p.burdened = burdened;
            p.capacity = Some(tutors);
            p.large = large;
            p
        };
        use Setting::{Rural, Urban};
        data.practices = vec![
            row("EX-P1", "Lægerne i Brædstrup", "Horsens", 2, 3, Rural, false, false),
            row("EX-P2", "Juelsminde Lægehus", "Hedensted", 1, 1, Rural, true, false),
            row("EX-P3", "Silkeborg Centrum Lægehus", "Silkeborg", 3, 5, Urban, false, true),
            row("EX-P4", "Kjellerup Lægecenter", "Silkeborg", 1, 2, Rural, false, false),
            row("EX-P5", "Viborg Øst Lægerne", "Viborg", 2, 2, Urban, true, false),
            row("EX-P6", "Skive Fjordlægerne", "Skive", 1, 1, Urban, false, false),
            row("EX-P7", "Hedensted Lægehus", "Hedensted", 2, 2, Urban, false, false),
        ];
        let midt = "Hospitalsenhed Midt";
        let horsens = "Hospitalsenhed Horsens";
        let mut k1 = kbu("EX-K1", "Hedensted", d(2026, 8, 1), d(2027, 1, 31));
        k1.own_gp = Some("EX-P7".to_string());
        let k2 = kbu("EX-K2", "Hedensted", d(2026, 8, 1), d(2027, 1, 31));
        let f1 = course("EX-F1", TraineeType::Phase1, horsens, d(2026, 9, 1), d(2027, 2, 28));
        let mut f2 = course("EX-F2", TraineeType::Phase2, midt, d(2026, 5, 18), d(2026, 11, 17));
        f2.history = vec!["EX-P6".to_string()];
        let mut f3 = course("EX-F3", TraineeType::Phase3, midt, d(2026, 10, 1), d(2027, 9, 30));
        f3.history = vec!["EX-P4".to_string()];
        let f3b = course("EX-F3B", TraineeType::Phase3, midt, d(2026, 11, 1), d(2027, 10, 31));
        let mut i1 = trainee("EX-I1", TraineeType::Intro, d(2026, 8, 1), d(2027, 7, 31));
        i1.municipality = Some("Silkeborg".to_string());
        let mut i2 = trainee("EX-I2", TraineeType::Intro, d(2026, 8, 1), d(2027, 7, 31));
        i2.municipality = Some("Silkeborg".to_string());
        i2.family_practices = vec!["EX-P3".to_string()];
        let o1 = course("EX-O1", TraineeType::Other, midt, d(2026, 3, 1), d(2026, 8, 31));
        for (t, name) in [(&mut k1, "Eksempel Kbu Et"), (&mut i1, "Eksempel Intro Et"), (&mut i2, "Eksempel Intro To")]
        {
            t.name = name.to_string();
        }
        data.trainees = vec![k1, k2, f1, f2, f3, f3b, i1, i2, o1];
        data.pauses = vec![
            pause("EX-P6", d(2026, 1, 1), d(2026, 6, 30)),
            Pause {
                practice_id: "EX-P5".to_string(),
                start: d(2027, 1, 1),
                end: d(2027, 6, 30),
                wish_type: Some(TraineeType::Kbu),
            },
        ];
        data
    }

    /// The contract example after its three allowed placements (`place EX-K2 EX-P7`,
    /// `EX-F2 EX-P5`, `EX-F3 EX-P5`).
    pub fn placed_example() -> Dataset {
        let mut data = contract_example();
        for (t, p) in [("EX-K2", "EX-P7"), ("EX-F2", "EX-P5"), ("EX-F3", "EX-P5")] {
            let tr = data.trainee(t).expect("trainee").clone();
            data.placements.push(placement(&tr, p));
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::domain::model::TraineeType;

    fn rules_of(v: &[Violation]) -> Vec<Rule> {
        v.iter().map(|v| v.rule).collect()
    }

    fn check(data: &Dataset, trainee: &str, practice: &str) -> Vec<Violation> {
        let ctx = RuleContext::new(data);
        let t = ctx.trainee(trainee).expect("trainee");
        ctx.check_ids(trainee, practice, t.period(), None).expect("known ids")
    }

    #[test]
    fn the_contract_examples_allowed_placements_break_no_rule() {
        let data = placed_example();
        assert_eq!(check_all(&data), vec![]);
    }

    #[test]
    fn a_trainee_is_refused_at_the_own_gp_practice() {
        let v = check(&placed_example(), "EX-K1", "EX-P7");
        assert!(rules_of(&v).contains(&Rule::H1), "{v:?}");
        assert!(v.iter().all(|v| v.message.starts_with(v.rule.id())));
    }

    #[test]
    fn a_kbu_doctor_is_refused_outside_the_chosen_municipality() {
        let v = check(&placed_example(), "EX-K1", "EX-P5");
        // EX-P5 is also full in October–November 2026 (EX-F2 and EX-F3).
        assert_eq!(rules_of(&v), vec![Rule::H3, Rule::H8]);
        assert_eq!(v[0].message, "H3: Viborg Øst Lægerne lies in Viborg, but Eksempel Kbu Et chose Hedensted.");
    }

    #[test]
    fn a_trainee_is_refused_where_a_family_member_works() {
        let v = check(&placed_example(), "EX-I2", "EX-P3");
        assert_eq!(rules_of(&v), vec![Rule::H2]);
    }

    #[test]
    fn a_second_phase3_doctor_is_refused_beyond_the_allowed_overlap() {
        let v = check(&placed_example(), "EX-F3B", "EX-P5");
        assert_eq!(rules_of(&v), vec![Rule::H6, Rule::H8]);
        assert!(
            v[0].message.starts_with(
                "H6: Viborg Øst Lægerne already has a phase-3 doctor from 01-10-2026 to 30-09-2027; the overlap is 334 \
                 days, more than the allowed 61."
            ),
            "{}",
            v[0].message
        );
        assert!(v[0].message.contains("dispensation"));
    }

    #[test]
    fn a_short_phase3_overlap_is_allowed() {
        let mut data = region_data();
        data.practices = vec![practice("P", "Viborg", 2)];
        let a = course("A", TraineeType::Phase3, "Hospitalsenhed Midt", d(2026, 1, 1), d(2026, 12, 31));
        let b = course("B", TraineeType::Phase3, "Hospitalsenhed Midt", d(2026, 11, 1), d(2027, 10, 31));
        data.placements.push(placement(&a, "P"));
        data.trainees = vec![a, b];
        assert_eq!(check(&data, "B", "P"), vec![]);
        let mut c = data.trainees[1].clone();
        c.start = d(2026, 10, 31);
        c.id = "C".to_string();
        data.trainees.push(c);
        assert_eq!(rules_of(&check(&data, "C", "P")), vec![Rule::H6]);
    }

    #[test]
    fn a_paused_practice_receives_nobody() {
        let v = check(&placed_example(), "EX-O1", "EX-P6");
        assert_eq!(rules_of(&v), vec![Rule::H7]);
        assert_eq!(
            v[0].message,
            "H7: Skive Fjordlægerne asked for a pause from 01-01-2026 to 30-06-2026 and receives nobody in that period."
        );
    }

    #[test]
    fn a_wish_is_not_a_pause() {
        let data = placed_example();
        let ctx = RuleContext::new(&data);
        let k = kbu("X", "Viborg", d(2027, 1, 1), d(2027, 6, 30));
        let p5 = ctx.practice("EX-P5").expect("P5");
        // EX-P5 holds EX-F3 (capacity 2) then; the KBU wish must not block.
        assert_eq!(ctx.check(&k, p5, k.period(), None), vec![]);
    }

    #[test]
    fn phase1_must_lie_in_the_catchment_of_the_course() {
        let data = placed_example();
        assert_eq!(rules_of(&check(&data, "EX-F1", "EX-P3")), vec![Rule::H4]);
        assert_eq!(check(&data, "EX-F1", "EX-P1"), vec![]);
    }

    #[test]
    fn phase3_outside_the_district_names_both_districts() {
        let v = check(&placed_example(), "EX-F3B", "EX-P1");
        assert_eq!(rules_of(&v), vec![Rule::H5]);
        assert!(v[0].message.contains("district East") && v[0].message.contains("district Middle"), "{}", v[0].message);
        let danish = v[0].text(Lang::Danish);
        assert!(danish.contains("distrikt Øst") && danish.contains("distrikt Midt"), "{danish}");
        assert!(danish.starts_with("H5: ") && !danish.contains("H5: H5"), "{danish}");
    }

    #[test]
    fn other_specialties_have_no_geographic_hard_rule() {
        let mut data = placed_example();
        data.pauses.clear();
        assert_eq!(check(&data, "EX-O1", "EX-P1"), vec![]);
    }

    #[test]
    fn capacity_is_checked_on_every_day_not_only_the_start() {
        let mut data = region_data();
        data.practices = vec![practice("P", "Lemvig", 1)];
        let early = kbu("E", "Lemvig", d(2026, 2, 1), d(2026, 7, 31));
        let late = kbu("L", "Lemvig", d(2026, 10, 1), d(2027, 3, 31));
        let new = kbu("N", "Lemvig", d(2026, 8, 1), d(2027, 1, 31));
        data.placements = vec![placement(&early, "P"), placement(&late, "P")];
        data.trainees = vec![early, late, new];
        let v = check(&data, "N", "P");
        assert_eq!(rules_of(&v), vec![Rule::H8]);
        assert!(v[0].message.contains("from 01-10-2026 to 31-01-2027"), "{}", v[0].message);
    }

    #[test]
    fn back_to_back_placements_do_not_overlap() {
        let mut data = region_data();
        data.practices = vec![practice("P", "Lemvig", 1)];
        let a = kbu("A", "Lemvig", d(2026, 2, 1), d(2026, 7, 31));
        let b = kbu("B", "Lemvig", d(2026, 8, 1), d(2027, 1, 31));
        data.placements = vec![placement(&a, "P")];
        data.trainees = vec![a, b];
        assert_eq!(check(&data, "B", "P"), vec![]);
    }

    #[test]
    fn a_placed_trainee_is_refused_a_second_placement_unless_moved() {
        let data = placed_example();
        let ctx = RuleContext::new(&data);
        let t = ctx.trainee("EX-K2").expect("K2");
        let p = ctx.practice("EX-P2").expect("P2");
        assert_eq!(rules_of(&ctx.check(t, p, t.period(), None)), vec![Rule::H9]);
        assert_eq!(ctx.check(t, p, t.period(), Some("EX-K2")), vec![]);
    }

    #[test]
    fn dates_outside_the_trainees_period_or_reversed_break_h9() {
        let data = placed_example();
        let ctx = RuleContext::new(&data);
        let t = ctx.trainee("EX-K1").expect("K1");
        let p = ctx.practice("EX-P2").expect("P2");
        let reversed = Period::new(d(2026, 9, 1), d(2026, 8, 1));
        assert_eq!(rules_of(&ctx.check(t, p, reversed, None)), vec![Rule::H9]);
        let outside = Period::new(d(2026, 7, 1), d(2026, 12, 31));
        assert_eq!(rules_of(&ctx.check(t, p, outside, None)), vec![Rule::H9]);
    }

    #[test]
    fn every_broken_rule_is_returned_at_once() {
        let mut data = placed_example();
        data.trainees[0].family_practices = vec!["EX-P6".to_string()];
        data.trainees[0].own_gp = Some("EX-P6".to_string());
        data.pauses[0].end = d(2026, 12, 31);
        let v = check(&data, "EX-K1", "EX-P6");
        assert_eq!(rules_of(&v), vec![Rule::H1, Rule::H2, Rule::H3, Rule::H7]);
    }

    #[test]
    fn tentative_placements_count_for_capacity_and_h6() {
        let data = contract_example();
        let mut ctx = RuleContext::new(&data);
        let f3 = ctx.trainee("EX-F3").expect("F3");
        let f3b = ctx.trainee("EX-F3B").expect("F3B");
        let p5 = ctx.practice("EX-P5").expect("P5");
        assert!(ctx.allows(f3b, p5, f3b.period(), None));
        let extra = ctx.with_extra(&[placement(f3, "EX-P5")]);
        assert_eq!(extra.broken_rules(f3b, p5, f3b.period(), None), vec![Rule::H6]);
        ctx.add(placement(f3, "EX-P5"));
        assert!(!ctx.allows(f3b, p5, f3b.period(), None));
        assert_eq!(ctx.free_slots(4, f3b.period()), 1);
    }

    #[test]
    fn check_all_reports_each_side_skips_overrides_and_unknown_ids() {
        let mut data = contract_example();
        let f3 = data.trainee("EX-F3").expect("F3").clone();
        let f3b = data.trainee("EX-F3B").expect("F3B").clone();
        data.placements.push(placement(&f3, "EX-P5"));
        let mut overridden = placement(&f3b, "EX-P5");
        overridden.overrides = vec![Rule::H6];
        data.placements.push(overridden);
        let v = check_all(&data);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].trainee_id.as_str(), v[0].rule), ("EX-F3", Rule::H6));
        let mut ghost = placement(&f3, "NOPE");
        ghost.trainee_id = "GHOST".to_string();
        data.placements.push(ghost);
        let v = check_all(&data);
        let ghost: Vec<&StoredViolation> = v.iter().filter(|x| x.trainee_id == "GHOST").collect();
        assert_eq!(ghost.len(), 2);
        assert!(ghost.iter().all(|x| x.rule == Rule::H9));
        let mut sorted = v.clone();
        sorted.sort();
        assert_eq!(v, sorted);
    }

    #[test]
    fn a_trainee_with_two_stored_placements_breaks_h9_on_both() {
        let mut data = contract_example();
        let k2 = data.trainee("EX-K2").expect("K2").clone();
        data.placements = vec![placement(&k2, "EX-P7"), placement(&k2, "EX-P2")];
        let v = check_all(&data);
        assert_eq!(v.iter().filter(|x| x.rule == Rule::H9).count(), 2, "{v:?}");
    }

    #[test]
    fn municipality_names_are_matched_case_insensitively_with_danish_letters() {
        let mut data = region_data();
        data.practices = vec![practice("P", "RINGKØBING-SKJERN", 1), practice("Q", "Aarhus", 1)];
        data.trainees = vec![
            kbu("K", "ringkøbing-skjern", d(2026, 8, 1), d(2027, 1, 31)),
            kbu("A", "Århus", d(2026, 8, 1), d(2027, 1, 31)),
        ];
        assert_eq!(check(&data, "K", "P"), vec![]);
        assert_eq!(check(&data, "A", "Q"), vec![]);
    }

    #[test]
    fn allowed_among_equals_allows_for_every_trainee_and_practice() {
        let mut datasets = vec![contract_example(), placed_example()];
        let mut odd = placed_example();
        odd.trainees[0].municipality = None;
        odd.trainees[2].hospital_unit = Some("Nowhere".to_string());
        odd.trainees[4].end = odd.trainees[4].start;
        odd.practices.push(practice("EX-P1", "Lemvig", 1));
        datasets.push(odd);
        datasets.push(crate::demo::generate(&crate::demo::DemoParams {
            seed: 3,
            practices: 60,
            open_trainees: Some(40),
            years: 2,
        }));
        for data in &datasets {
            let ctx = RuleContext::new(data);
            let all: Vec<usize> = (0..data.practices.len()).collect();
            for t in &data.trainees {
                let want: Vec<usize> =
                    all.iter().copied().filter(|&i| ctx.allows(t, &data.practices[i], t.period(), None)).collect();
                assert_eq!(ctx.allowed_among(t, t.period(), &all), want, "{}", t.id);
            }
        }
    }

    #[test]
    fn candidate_practices_follow_the_trainees_area() {
        let data = contract_example();
        let ctx = RuleContext::new(&data);
        let ids = |t: &str| -> Vec<&str> {
            let t = ctx.trainee(t).expect("trainee");
            ctx.candidate_practices(t).into_iter().map(|i| data.practices[i].id.as_str()).collect()
        };
        assert_eq!(ids("EX-K1"), ["EX-P2", "EX-P7"]);
        assert_eq!(ids("EX-F3B"), ["EX-P3", "EX-P4", "EX-P5", "EX-P6"]);
        assert_eq!(ids("EX-F1"), ["EX-P1", "EX-P2", "EX-P7"]);
    }
}
