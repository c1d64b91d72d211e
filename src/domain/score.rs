//! The soft principles T1–T2 and P1–P7 of DOMAIN.md §4 as one score with named parts.
//!
//! Each part has a value in -1..=1 (good is positive), a weight from `Settings::weights`, and a
//! reason that names the history it used, so the score of every candidate can be shown and
//! explained. `ScoreContext` precomputes each practice's history over `Settings::lookback_years`
//! (stored placements since `today` minus the lookback, planned future ones included: they are load
//! already committed) once; `score` is then
//! cheap enough for the optimizer.
//!
//! Two emphases are built in, where DOMAIN.md asks for a strong signal: a practice refusing the
//! trainee's type (P3) and an other-specialty trainee outside the wished catchment (P7) each count
//! with three times their principle's weight.

use std::borrow::Cow;
use std::cell::RefCell;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::dates::{self, Period};
use super::lang::Lang;
use super::model::{Dataset, Practice, Trainee, TraineeType};
use super::reasons::Because;
use super::room;
use super::rules::{FastMap, RuleContext};

/// How much stronger the built-in emphases count (see the module comment).
const EMPHASIS: f64 = 3.0;

/// One principle's contribution to a score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScorePart {
    /// `T1`, `T2`, `P1` … `P7`.
    pub principle: &'static str,
    pub weight: f64,
    /// -1..=1; positive is good.
    pub value: f64,
    /// weight × value
    pub points: f64,
    /// The English sentence (CLI, JSON), starting with the principle id.
    pub reason: String,
    /// The principle's figures; `because.text(lang)` words them in the user's language.
    #[serde(skip)]
    pub because: Because,
}

impl ScorePart {
    /// The reason in `lang`, starting with the principle id (once).
    pub fn text(&self, lang: Lang) -> String {
        self.because.text(lang)
    }
}

/// A candidate's score: the sum of its parts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub total: f64,
    pub parts: Vec<ScorePart>,
}

impl Score {
    /// The parts' reasons in principle order.
    pub fn reasons(&self) -> Vec<String> {
        self.parts.iter().map(|p| p.reason.clone()).collect()
    }

    /// The parts' figures in principle order, to be worded in the user's language.
    pub fn becauses(&self) -> Vec<Because> {
        self.parts.iter().map(|p| p.because.clone()).collect()
    }
}

/// Builds a score; reasons are only written when `explain` is set (the optimizer's fast path skips them).
struct Builder {
    explain: bool,
    score: Score,
}

impl Builder {
    fn push(&mut self, principle: &'static str, weight: f64, value: f64, because: impl FnOnce() -> Because) {
        let value = value.clamp(-1.0, 1.0);
        let points = weight * value;
        self.score.total += points;
        if self.explain {
            let because = because();
            debug_assert_eq!(because.principle(), principle);
            let reason = because.text(Lang::English);
            self.score.parts.push(ScorePart { principle, weight, value, points, reason, because });
        }
    }
}

/// A number with a decimal comma and `decimals` decimals, as Danish readers expect.
pub fn danish_number(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}").replace('.', ",")
}

fn type_index(kind: TraineeType) -> usize {
    match kind {
        TraineeType::Kbu => 0,
        TraineeType::Intro => 1,
        TraineeType::Phase1 => 2,
        TraineeType::Phase2 => 3,
        TraineeType::Phase3 => 4,
        TraineeType::Other => 5,
    }
}

/// What a practice received over the lookback window.
#[derive(Clone, Debug, Default)]
struct History {
    /// Trainee-months per type, in `type_index` order.
    months_by_type: [f64; 6],
    months_per_tutor: f64,
    /// Rule P6: the longest stretch with at least as many trainees as tutors, in months.
    longest_full_months: f64,
}

impl History {
    fn months(&self) -> f64 {
        self.months_by_type.iter().sum()
    }
    fn general_months(&self) -> f64 {
        self.months_by_type[..5].iter().sum()
    }
}

/// A trainee's history as the score reads it, looked up once for many practices.
struct TraineeView<'p> {
    earlier: Vec<&'p Practice>,
    /// The id of the last practice on record, and that practice if it is in the register.
    last: Option<(&'p str, Option<&'p Practice>)>,
}

/// Precomputed history for scoring candidates.
pub struct ScoreContext<'a> {
    data: &'a Dataset,
    rules: Cow<'a, RuleContext<'a>>,
    history: Vec<History>,
    median_months_per_tutor: f64,
    /// Rule P5 per practice.
    threatened: Vec<bool>,
    /// Rule P3 wishes per practice.
    wishes: Vec<Vec<(Period, TraineeType)>>,
    /// Rule P7 per (municipality, period): free slots and expected general trainees.
    room_cache: RefCell<FastMap<(usize, Period), (u32, f64)>>,
    /// Rule P7: the open general-medicine trainees, found once.
    open_general: std::cell::OnceCell<Vec<&'a Trainee>>,
}

impl<'a> ScoreContext<'a> {
    /// Looks back `settings.lookback_years` from `today`.
    pub fn new(data: &'a Dataset, today: NaiveDate) -> ScoreContext<'a> {
        ScoreContext::with_rules(Cow::Owned(RuleContext::new(data)), today)
    }

    /// As `new`, reusing rules already indexed over the same data (the optimizer's, which scores
    /// every pair of a round).
    pub fn sharing(rules: &'a RuleContext<'a>, today: NaiveDate) -> ScoreContext<'a> {
        ScoreContext::with_rules(Cow::Borrowed(rules), today)
    }

    fn with_rules(rules: Cow<'a, RuleContext<'a>>, today: NaiveDate) -> ScoreContext<'a> {
        let data = rules.data();
        let years = data.settings.lookback_years;
        let window_start = today.checked_sub_months(Months::new(12 * years)).unwrap_or(NaiveDate::MIN);
        let mut per_practice: Vec<Vec<(Period, TraineeType)>> = vec![Vec::new(); data.practices.len()];
        for p in &data.placements {
            let (Some(pi), Some(t)) = (rules.practice_index(&p.practice_id), rules.trainee(&p.trainee_id)) else {
                continue;
            };
            if p.end >= window_start && p.start <= p.end {
                per_practice[pi].push((Period::new(p.start.max(window_start), p.end), t.kind));
            }
        }
        let history: Vec<History> = data
            .practices
            .iter()
            .zip(&per_practice)
            .map(|(practice, bookings)| {
                let mut h = History::default();
                for (period, kind) in bookings {
                    h.months_by_type[type_index(*kind)] += dates::days_to_months(period.days());
                }
                h.months_per_tutor = h.months() / f64::from(practice.tutors.max(1));
                h.longest_full_months = dates::days_to_months(longest_full_days(bookings, practice.tutors.max(1)));
                h
            })
            .collect();
        let mut loads: Vec<f64> = history.iter().map(|h| h.months_per_tutor).collect();
        loads.sort_by(f64::total_cmp);
        let median_months_per_tutor = match loads.len() {
            0 => 0.0,
            n if n % 2 == 1 => loads[n / 2],
            n => (loads[n / 2 - 1] + loads[n / 2]) / 2.0,
        };
        let mut wishes = vec![Vec::new(); data.practices.len()];
        for w in &data.pauses {
            if let (Some(kind), Some(pi)) = (w.wish_type, rules.practice_index(&w.practice_id)) {
                wishes[pi].push((w.period(), kind));
            }
        }
        let threatened = data.practices.iter().map(|p| data.is_threatened(p)).collect();
        ScoreContext {
            data,
            rules,
            threatened,
            history,
            median_months_per_tutor,
            wishes,
            room_cache: RefCell::new(FastMap::default()),
            open_general: std::cell::OnceCell::new(),
        }
    }

    /// The region's median trainee-months per tutor over the lookback (rule P1).
    pub fn median_months_per_tutor(&self) -> f64 {
        self.median_months_per_tutor
    }

    /// Trainee-months per tutor of a practice over the lookback (rule P1); 0 for an unknown id.
    pub fn months_per_tutor(&self, practice_id: &str) -> f64 {
        self.rules.practice_index(practice_id).map_or(0.0, |i| self.history[i].months_per_tutor)
    }

    fn years(&self) -> u32 {
        self.data.settings.lookback_years
    }

    /// The score of placing `trainee` at `practice` in `period`, with a reason per principle.
    pub fn score(&self, trainee: &Trainee, practice: &Practice, period: Period) -> Score {
        self.build(trainee, practice, period, true)
    }

    /// The total only, without reasons: the optimizer's fast path. Equal to `score(..).total`.
    pub fn total(&self, trainee: &Trainee, practice: &Practice, period: Period) -> f64 {
        self.build(trainee, practice, period, false).total
    }

    /// `total` for one trainee at many practices (positions in `Dataset::practices`), reading
    /// the trainee's history once. Equal to `total` for each.
    pub fn totals(&self, trainee: &Trainee, practices: &[usize], period: Period) -> Vec<f64> {
        let view = self.view(trainee);
        practices
            .iter()
            .map(|&i| {
                let pi = Some(self.rules.canonical_index(i));
                self.build_with(&view, trainee, &self.data.practices[i], pi, period, false).total
            })
            .collect()
    }

    /// The practices of a trainee's history that are in the register, oldest first, and the last
    /// one on record.
    fn view<'t>(&'t self, trainee: &'t Trainee) -> TraineeView<'t> {
        TraineeView {
            earlier: trainee.history.iter().filter_map(|id| self.rules.practice(id)).collect(),
            last: trainee.history.last().map(|id| (id.as_str(), self.rules.practice(id))),
        }
    }

    fn build(&self, trainee: &Trainee, practice: &Practice, period: Period, explain: bool) -> Score {
        let pi = self.rules.practice_index(&practice.id).filter(|&i| self.data.practices[i].id == practice.id);
        self.build_with(&self.view(trainee), trainee, practice, pi, period, explain)
    }

    fn build_with(
        &self,
        view: &TraineeView<'_>,
        trainee: &Trainee,
        practice: &Practice,
        pi: Option<usize>,
        period: Period,
        explain: bool,
    ) -> Score {
        let w = &self.data.settings.weights;
        let earlier = &view.earlier;
        let empty = History::default();
        let h = pi.map_or(&empty, |i| &self.history[i]);
        let parts = if explain { Vec::with_capacity(10) } else { Vec::new() };
        let mut s = Builder { explain, score: Score { total: 0.0, parts } };

        // T1: solo after multi-doctor, and the other way round.
        match view.last {
            None => s.push("T1", w.t1_organisation_variety, 0.0, || Because::NoHistory { principle: "T1" }),
            Some((last_id, last)) => match last {
                None => {
                    s.push("T1", w.t1_organisation_variety, 0.0, || Because::T1LastUnknown { id: last_id.to_string() })
                }
                Some(last) => {
                    let other_kind = last.is_solo() != practice.is_solo();
                    s.push("T1", w.t1_organisation_variety, if other_kind { 1.0 } else { -1.0 }, || Because::T1 {
                        last: last.name.clone(),
                        last_doctors: last.doctors,
                        doctors: practice.doctors,
                    });
                }
            },
        }

        // T2: urban/rural and burdened variety.
        if earlier.is_empty() {
            s.push("T2", w.t2_patient_variety, 0.0, || Because::NoHistory { principle: "T2" });
        } else {
            let n = earlier.len();
            let same_setting = earlier.iter().filter(|p| p.setting == practice.setting).count();
            let burdened = earlier.iter().filter(|p| p.burdened).count();
            let same_burden = earlier.iter().filter(|p| p.burdened == practice.burdened).count();
            let novelty = |same: usize| 1.0 - 2.0 * same as f64 / n as f64;
            let value = (novelty(same_setting) + novelty(same_burden)) / 2.0;
            s.push("T2", w.t2_patient_variety, value, || Because::T2 {
                same_setting,
                earlier: n,
                burdened,
                setting: practice.setting,
                this_burdened: practice.burdened,
            });
        }

        // P1: load per tutor.
        let median = self.median_months_per_tutor;
        s.push("P1", w.p1_load_per_tutor, (median - h.months_per_tutor) / median.max(1.0), || Because::P1 {
            months_per_tutor: h.months_per_tutor,
            median,
            years: self.years(),
        });

        // P2: an even mix of the general-medicine types.
        if trainee.kind == TraineeType::Other {
            s.push("P2", w.p2_type_mix, 0.0, || Because::P2Outside);
        } else {
            let total = h.general_months();
            let even = 1.0 / TraineeType::GENERAL.len() as f64;
            if total < 1.0 {
                s.push("P2", w.p2_type_mix, 1.0, || Because::P2None { years: self.years() });
            } else {
                let share = h.months_by_type[type_index(trainee.kind)] / total;
                s.push("P2", w.p2_type_mix, (even - share) / even, || Because::P2 {
                    kind: trainee.kind,
                    share_pct: share * 100.0,
                    total_months: total,
                    years: self.years(),
                    even_pct: even * 100.0,
                });
            }
        }

        // P3: wishes and refusals.
        let wish = pi.and_then(|i| self.wishes[i].iter().find(|(p, k)| *k == trainee.kind && p.overlaps(&period)));
        match wish {
            Some((p, _)) => s.push("P3", w.p3_wishes, 1.0, || Because::P3Wish {
                practice: practice.name.clone(),
                kind: trainee.kind,
                from: p.start,
                to: p.end,
            }),
            None => s.push("P3", w.p3_wishes, 0.0, || Because::P3NoWish {
                practice: practice.name.clone(),
                kind: trainee.kind,
            }),
        }
        if practice.refuses.contains(&trainee.kind) {
            s.push("P3", w.p3_wishes * EMPHASIS, -1.0, || Because::P3Refuses {
                practice: practice.name.clone(),
                kind: trainee.kind,
            });
        }

        // P4: tutor quality.
        let quality = practice.quality.map(|q| q.clamp(1, 5));
        s.push("P4", w.p4_tutor_quality, (f64::from(quality.unwrap_or(3)) - 3.0) / 2.0, || Because::P4 { quality });

        // P5: recruitment to threatened areas, above all for phase 3 and intro.
        if pi.map_or_else(|| self.data.is_threatened(practice), |i| self.threatened[i]) {
            let most = matches!(trainee.kind, TraineeType::Phase3 | TraineeType::Intro);
            let value = if most { 1.0 } else { 0.5 };
            s.push("P5", w.p5_threatened_area, value, || Because::P5Threatened {
                practice: practice.name.clone(),
                most,
            });
        } else {
            s.push("P5", w.p5_threatened_area, 0.0, || Because::P5NotThreatened { practice: practice.name.clone() });
        }

        // P6: a practice that seems to run on trainees.
        let longest = h.longest_full_months;
        let value = if longest <= 6.0 { 0.0 } else { -((longest - 6.0) / 18.0).min(1.0) };
        s.push("P6", w.p6_dependency, value, || Because::P6 { longest_months: longest, years: self.years() });

        // P7: other specialties only where there is room, in the wished area.
        if trainee.kind == TraineeType::Other {
            self.push_p7(&mut s, trainee, practice, pi, period);
        }
        s.score
    }

    fn push_p7(&self, s: &mut Builder, trainee: &Trainee, practice: &Practice, pi: Option<usize>, period: Period) {
        let weight = self.data.settings.weights.p7_room_for_general;
        let muni = match pi {
            Some(i) => self.rules.practice_municipality(i),
            None => self.rules.municipality_index(&practice.municipality),
        };
        if let Some(unit) = trainee.hospital_unit.as_deref() {
            let inside = muni.is_some_and(|m| self.rules.in_catchment(m, unit));
            if !inside {
                s.push("P7", weight * EMPHASIS, -1.0, || Because::P7Outside {
                    practice: practice.name.clone(),
                    municipality: practice.municipality.clone(),
                    unit: unit.to_string(),
                });
            }
        }
        let Some(m) = muni else {
            s.push("P7", weight, 0.0, || Because::P7Unknown { municipality: practice.municipality.clone() });
            return;
        };
        let (free, expected) = *self.room_cache.borrow_mut().entry((m, period)).or_insert_with(|| {
            let free = self.rules.practices_in(&[m]).into_iter().map(|i| self.rules.free_slots(i, period)).sum();
            let open = self.open_general.get_or_init(|| room::open_general(&self.rules));
            (free, room::expected_general_among(&self.rules, open, &[m], period))
        });
        let value = if free == 0 { -1.0 } else { -(expected / f64::from(free)).min(1.0) };
        s.push("P7", weight, value, || Because::P7Room {
            municipality: self.data.region.municipalities[m].name.clone(),
            free,
            from: period.start,
            to: period.end,
            expected,
        });
    }
}

/// Rule P6: the longest run of days with at least `tutors` trainees at once.
fn longest_full_days(bookings: &[(Period, TraineeType)], tutors: u32) -> i64 {
    let mut events: Vec<(NaiveDate, i32)> = Vec::with_capacity(bookings.len() * 2);
    for (p, _) in bookings {
        events.push((p.start, 1));
        events.push((p.end.succ_opt().unwrap_or(p.end), -1));
    }
    events.sort_unstable();
    let threshold = i32::try_from(tutors).unwrap_or(i32::MAX);
    let (mut count, mut longest, mut from) = (0i32, 0i64, None::<NaiveDate>);
    let mut i = 0;
    while i < events.len() {
        let day = events[i].0;
        while i < events.len() && events[i].0 == day {
            count += events[i].1;
            i += 1;
        }
        match (count >= threshold, from) {
            (true, None) => from = Some(day),
            (false, Some(f)) => {
                longest = longest.max((day - f).num_days());
                from = None;
            }
            _ => {}
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::test_support::*;

    fn part<'s>(s: &'s Score, principle: &str) -> &'s ScorePart {
        s.parts.iter().find(|p| p.principle == principle).expect("part")
    }

    fn today() -> NaiveDate {
        d(2026, 6, 1)
    }

    #[test]
    fn a_trainee_from_a_solo_practice_prefers_a_multi_doctor_practice() {
        let data = contract_example();
        let ctx = ScoreContext::new(&data, today());
        // EX-F2's last practice was EX-P6, a solo practice.
        let f2 = data.trainee("EX-F2").expect("F2");
        let solo = data.practice("EX-P2").expect("P2");
        let multi = data.practice("EX-P5").expect("P5");
        let a = ctx.score(f2, solo, f2.period());
        let b = ctx.score(f2, multi, f2.period());
        assert_eq!(part(&a, "T1").value, -1.0);
        assert_eq!(part(&b, "T1").value, 1.0);
        assert!(part(&b, "T1").reason.contains("Skive Fjordlægerne"), "{}", part(&b, "T1").reason);
    }

    #[test]
    fn patient_variety_prefers_a_setting_not_seen_before() {
        let data = contract_example();
        let ctx = ScoreContext::new(&data, today());
        let f2 = data.trainee("EX-F2").expect("F2"); // EX-P6: urban, not burdened
        let rural_burdened = ctx.score(f2, data.practice("EX-P2").expect("P2"), f2.period());
        let urban_plain = ctx.score(f2, data.practice("EX-P6").expect("P6"), f2.period());
        assert_eq!(part(&rural_burdened, "T2").value, 1.0);
        assert_eq!(part(&urban_plain, "T2").value, -1.0);
    }

    #[test]
    fn a_practice_with_a_lower_load_per_tutor_scores_higher_and_says_so() {
        let mut data = region_data();
        data.practices =
            vec![practice("BUSY", "Lemvig", 1), practice("CALM", "Lemvig", 3), practice("IDLE", "Lemvig", 1)];
        for i in 0..4 {
            let start = d(2022 + i, 1, 1);
            let t = kbu(&format!("H{i}"), "Lemvig", start, d(2022 + i, 6, 30));
            data.placements.push(placement(&t, "BUSY"));
            let t2 = kbu(&format!("G{i}"), "Lemvig", start, d(2022 + i, 6, 30));
            data.placements.push(placement(&t2, "CALM"));
            data.trainees.extend([t, t2]);
        }
        let ctx = ScoreContext::new(&data, today());
        let k = kbu("NEW", "Lemvig", d(2026, 8, 1), d(2027, 1, 31));
        let busy = ctx.score(&k, &data.practices[0], k.period());
        let calm = ctx.score(&k, &data.practices[1], k.period());
        assert!(part(&calm, "P1").points > part(&busy, "P1").points);
        assert!(
            part(&busy, "P1")
                .reason
                .starts_with("P1: 23,8 trainee-months per tutor over the last 5 years (region median 7,9)."),
            "{}",
            part(&busy, "P1").reason
        );
    }

    #[test]
    fn an_underrepresented_type_scores_higher_in_the_mix() {
        let mut data = region_data();
        data.practices = vec![practice("P", "Lemvig", 1)];
        let t = kbu("OLD", "Lemvig", d(2025, 1, 1), d(2025, 6, 30));
        data.placements.push(placement(&t, "P"));
        data.trainees.push(t);
        let ctx = ScoreContext::new(&data, today());
        let k = kbu("K", "Lemvig", d(2026, 8, 1), d(2027, 1, 31));
        let f = course("F", TraineeType::Phase1, "Regionshospitalet Gødstrup", d(2026, 8, 1), d(2027, 1, 31));
        assert_eq!(part(&ctx.score(&k, &data.practices[0], k.period()), "P2").value, -1.0);
        assert_eq!(part(&ctx.score(&f, &data.practices[0], f.period()), "P2").value, 1.0);
    }

    #[test]
    fn a_wish_scores_and_a_refusal_scores_strongly_against() {
        let mut data = contract_example();
        let ctx = ScoreContext::new(&data, today());
        let k = kbu("K", "Viborg", d(2026, 12, 1), d(2027, 5, 31));
        let s = ctx.score(&k, data.practice("EX-P5").expect("P5"), k.period());
        assert_eq!(part(&s, "P3").value, 1.0);
        data.practices[4].refuses = vec![TraineeType::Kbu];
        let ctx = ScoreContext::new(&data, today());
        let s2 = ctx.score(&k, &data.practices[4], k.period());
        let refusal = s2.parts.iter().find(|p| p.principle == "P3" && p.value < 0.0).expect("refusal part");
        assert!(refusal.points <= -3.0 * data.settings.weights.p3_wishes + 1e-9);
        assert!(s2.total < s.total);
    }

    #[test]
    fn tutor_quality_unknown_counts_as_three() {
        let mut data = contract_example();
        data.practices[0].quality = Some(5);
        let ctx = ScoreContext::new(&data, today());
        let f1 = data.trainee("EX-F1").expect("F1");
        assert_eq!(part(&ctx.score(f1, &data.practices[0], f1.period()), "P4").value, 1.0);
        assert_eq!(part(&ctx.score(f1, &data.practices[1], f1.period()), "P4").value, 0.0);
    }

    #[test]
    fn a_threatened_area_helps_phase3_most() {
        let data = contract_example();
        let ctx = ScoreContext::new(&data, today());
        let skive = data.practice("EX-P6").expect("P6");
        let f3 = data.trainee("EX-F3").expect("F3");
        let f2 = data.trainee("EX-F2").expect("F2");
        assert_eq!(part(&ctx.score(f3, skive, f3.period()), "P5").value, 1.0);
        assert_eq!(part(&ctx.score(f2, skive, f2.period()), "P5").value, 0.5);
        assert_eq!(part(&ctx.score(f3, data.practice("EX-P3").expect("P3"), f3.period()), "P5").value, 0.0);
    }

    #[test]
    fn a_practice_running_on_trainees_for_long_is_penalised() {
        let mut data = region_data();
        data.practices = vec![practice("P", "Lemvig", 1)];
        let halves =
            [(d(2023, 1, 1), d(2023, 6, 30)), (d(2023, 7, 1), d(2023, 12, 31)), (d(2024, 1, 1), d(2024, 6, 30))];
        for (i, (start, end)) in halves.into_iter().enumerate() {
            let t = kbu(&format!("H{i}"), "Lemvig", start, end);
            data.placements.push(placement(&t, "P"));
            data.trainees.push(t);
        }
        let ctx = ScoreContext::new(&data, today());
        let k = kbu("K", "Lemvig", d(2026, 8, 1), d(2027, 1, 31));
        let p6 = ctx.score(&k, &data.practices[0], k.period());
        assert!(part(&p6, "P6").value < -0.5, "{:?}", part(&p6, "P6"));
    }

    #[test]
    fn another_specialty_is_penalised_outside_the_wished_catchment_and_where_room_is_tight() {
        let mut data = contract_example();
        data.pauses.clear();
        let ctx = ScoreContext::new(&data, today());
        let o1 = data.trainee("EX-O1").expect("O1"); // wishes Hospitalsenhed Midt
        let inside = ctx.score(o1, data.practice("EX-P3").expect("P3"), o1.period());
        let outside = ctx.score(o1, data.practice("EX-P1").expect("P1"), o1.period());
        assert!(outside.parts.iter().any(|p| p.principle == "P7" && p.points <= -30.0 + 1e-9));
        assert!(inside.total > outside.total);
        // Silkeborg expects the two intro doctors from August: room is tighter there than at Skive.
        let skive = ctx.score(o1, data.practice("EX-P6").expect("P6"), o1.period());
        let p7 = |s: &Score| s.parts.iter().filter(|p| p.principle == "P7").map(|p| p.value).sum::<f64>();
        assert!(p7(&inside) < p7(&skive), "{:?} {:?}", inside.parts, skive.parts);
        assert!(
            ctx.score(data.trainee("EX-F2").expect("F2"), &data.practices[4], o1.period())
                .parts
                .iter()
                .all(|p| p.principle != "P7")
        );
    }

    #[test]
    fn totals_for_many_practices_equal_each_total() {
        let data = crate::demo::generate(&crate::demo::DemoParams {
            seed: 5,
            practices: 60,
            open_trainees: Some(40),
            years: 3,
        });
        let ctx = ScoreContext::new(&data, today());
        let all: Vec<usize> = (0..data.practices.len()).collect();
        for t in &data.trainees {
            let totals = ctx.totals(t, &all, t.period());
            for (&i, &x) in all.iter().zip(&totals) {
                let one = ctx.total(t, &data.practices[i], t.period());
                assert_eq!(x.to_bits(), one.to_bits(), "{} at {}", t.id, data.practices[i].id);
                assert_eq!(one.to_bits(), ctx.score(t, &data.practices[i], t.period()).total.to_bits());
            }
        }
    }

    #[test]
    fn every_part_is_weight_times_a_bounded_value_and_the_total_is_their_sum() {
        let data = contract_example();
        let ctx = ScoreContext::new(&data, today());
        for t in &data.trainees {
            for p in &data.practices {
                let s = ctx.score(t, p, t.period());
                let sum: f64 = s.parts.iter().map(|x| x.points).sum();
                assert!((sum - s.total).abs() < 1e-9);
                for x in &s.parts {
                    assert!((-1.0..=1.0).contains(&x.value));
                    assert!((x.points - x.weight * x.value).abs() < 1e-9);
                    assert!(x.reason.starts_with(x.principle));
                }
                assert_eq!(s.reasons().len(), s.parts.len());
            }
        }
    }
}
