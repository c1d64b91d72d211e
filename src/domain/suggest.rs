//! The optimal placement round (`suggest`, CONTRACT.md).
//!
//! Every open trainee (no placement yet, optionally of one type) is to be placed for their whole
//! period; stored placements, pinned or not, stay as they are. The round must break no hard rule,
//! place as many trainees as possible, prefer KBU and general-medicine trainees to other
//! specialties where both cannot be placed (P7), and among those placements prefer the best total
//! score (T1–T2, P1–P7) with a fair, convex load per tutor.
//!
//! The whole round, every start date at once, is one model (`optimizer.rs`): trainee → practice
//! variables, capacity (H8) and H6 on every day counting the stored placements and the rest of the
//! round, solved exactly by branch and bound over min-cost flows. The result says whether it is
//! proven optimal, and otherwise the proven gap.
//!
//! Each trainee left unplaced gets a reason a coordinator can act on:
//! - no practice of the area passes the hard rules, counted by the rule that excludes most;
//! - every practice that passes is full on a day of the period, naming which and with whom;
//! - an other-specialty trainee would displace a KBU or general-medicine trainee (P7).

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::lang::Lang;
use super::model::{Dataset, Placement, Rule, Trainee, TraineeType};
pub use super::optimizer::Cancelled;
use super::optimizer::{DEFAULT_MAX_NODES, RoundModel, solve};
use super::reasons::{Because, Block, Refusal, Refusals, Unfit};
use super::rules::RuleContext;
use super::score::ScoreContext;

/// One proposed placement (CONTRACT.md `suggest --format json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Proposal {
    pub trainee_id: String,
    pub practice_id: String,
    /// `YYYY-MM-DD` in JSON.
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The score (T1–T2, P1–P7), rounded to 2 decimals.
    pub score: f64,
    pub reasons: Vec<String>,
    /// The score's reasons as figures, to be worded in the user's language (`Because::text`).
    #[serde(skip)]
    pub because: Vec<Because>,
}

/// A trainee the round could not place, and why: in English in `why` (CLI, JSON), and as figures
/// in `unfit` for the user's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unplaced {
    pub trainee_id: String,
    pub why: String,
    #[serde(skip)]
    pub unfit: Unfit,
}

impl Unplaced {
    pub fn new(trainee_id: String, unfit: Unfit) -> Unplaced {
        Unplaced { trainee_id, why: unfit.text(Lang::English), unfit }
    }
}

/// The result of a round, both lists by trainee id.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    pub placements: Vec<Proposal>,
    pub unplaced: Vec<Unplaced>,
    /// The value the optimizer minimised (see `optimizer.rs`; the same as the written model's).
    pub objective: i64,
    /// Proven optimal for the whole round.
    pub optimal: bool,
    /// The objective minus the best proven bound: 0 when optimal.
    pub gap: i64,
}

impl Suggestion {
    /// The proposals as placements to store (`suggest --apply`), not pinned.
    pub fn to_placements(&self) -> Vec<Placement> {
        self.placements
            .iter()
            .map(|p| Placement {
                trainee_id: p.trainee_id.clone(),
                practice_id: p.practice_id.clone(),
                start: p.start,
                end: p.end,
                pinned: false,
                overrides: Vec::new(),
                reason: None,
            })
            .collect()
    }
}

/// How hard to search.
#[derive(Clone, Copy, Debug)]
pub struct SuggestOptions {
    /// Branch-and-bound nodes before the search stops with a proven gap.
    pub max_nodes: usize,
}

impl Default for SuggestOptions {
    fn default() -> SuggestOptions {
        SuggestOptions { max_nodes: DEFAULT_MAX_NODES }
    }
}

/// The trainees of this round, as positions in `data.trainees`: open, of the wanted type, by
/// start date then id.
fn open_trainees(data: &Dataset, only: Option<TraineeType>) -> Vec<usize> {
    let placed: HashSet<&str> = data.placements.iter().map(|p| p.trainee_id.as_str()).collect();
    let mut open: Vec<usize> = (0..data.trainees.len())
        .filter(|&i| {
            let t = &data.trainees[i];
            !placed.contains(t.id.as_str()) && only.is_none_or(|k| t.kind == k)
        })
        .collect();
    open.sort_by(|&a, &b| {
        let (a, b) = (&data.trainees[a], &data.trainees[b]);
        a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id))
    });
    // The same id twice: only the first counts, as everywhere else.
    let mut seen = HashSet::new();
    open.retain(|&i| seen.insert(data.trainees[i].id.as_str()));
    open
}

/// Rules H1–H9 and T1–P7: proposes a placement for every open trainee (or those of type `only`),
/// keeping the stored placements. `progress` hears the share done (0..=1) and cancels by returning
/// false. See the module comment for the model.
pub fn suggest(
    data: &Dataset,
    only: Option<TraineeType>,
    today: NaiveDate,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Suggestion, Cancelled> {
    suggest_round(data, only, today, SuggestOptions::default(), progress).map(|(s, _)| s)
}

/// As `suggest`, with options, and the model it solved (for `--write-model`).
pub fn suggest_round(
    data: &Dataset,
    only: Option<TraineeType>,
    today: NaiveDate,
    options: SuggestOptions,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<(Suggestion, RoundModel), Cancelled> {
    if !progress(0.0) {
        return Err(Cancelled);
    }
    let open = open_trainees(data, only);
    // The scores read the history; the rules only what overlaps the round.
    let full = RuleContext::new(data);
    let scorer = ScoreContext::sharing(&full, today);
    let first_start = open.iter().map(|&i| data.trainees[i].start).min().unwrap_or(NaiveDate::MAX);
    let ctx = RuleContext::from_day(data, first_start);
    let model = RoundModel::build(data, &ctx, &scorer, &open, &mut |share| progress(0.8 * share))?;
    if !progress(0.8) {
        return Err(Cancelled);
    }
    let mut nodes = 0usize;
    let solution = solve(&model, options.max_nodes, &mut || {
        nodes += 1;
        !nodes.is_multiple_of(64) || progress(0.9)
    })?;
    let mut placements = Vec::new();
    let mut unplaced = Vec::new();
    // The model's constraints are the rules; in debug builds every proposal is checked again
    // against them, one by one, to catch a bug in the model.
    let mut work = if cfg!(debug_assertions) { Some(ctx.clone()) } else { None };
    for (i, (mt, choice)) in model.trainees.iter().zip(&solution.choice).enumerate() {
        let t = &data.trainees[mt.index];
        let Some(q) = choice else {
            unplaced.push(Unplaced::new(t.id.clone(), why_unplaced(data, &ctx, &model, &solution.choice, i)));
            continue;
        };
        let practice = &data.practices[model.practices[model.pairs[*q as usize].practice as usize].index];
        if let Some(work) = &mut work {
            let broken = work.check(t, practice, t.period(), None);
            assert!(broken.is_empty(), "the model placed {} at {}: {broken:?}", t.id, practice.id);
            work.add(Placement {
                trainee_id: t.id.clone(),
                practice_id: practice.id.clone(),
                start: t.start,
                end: t.end,
                pinned: false,
                overrides: Vec::new(),
                reason: None,
            });
        }
        let score = scorer.score(t, practice, t.period());
        placements.push(Proposal {
            trainee_id: t.id.clone(),
            practice_id: practice.id.clone(),
            start: t.start,
            end: t.end,
            score: (score.total * 100.0).round() / 100.0,
            reasons: score.reasons(),
            because: score.becauses(),
        });
    }
    if !progress(1.0) {
        return Err(Cancelled);
    }
    placements.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    unplaced.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    let suggestion = Suggestion {
        placements,
        unplaced,
        objective: solution.objective,
        optimal: solution.optimal,
        gap: solution.objective - solution.bound,
    };
    Ok((suggestion, model))
}

/// The model in free MPS with the trainees' and practices' ids in its comments.
pub fn model_mps(data: &Dataset, model: &RoundModel) -> String {
    model.to_mps(&|i| data.trainees[i].id.clone(), &|i| data.practices[i].id.clone())
}

/// Why model trainee `i` is left unplaced by `choice`, for a coordinator.
fn why_unplaced(data: &Dataset, ctx: &RuleContext<'_>, model: &RoundModel, choice: &[Option<u32>], i: usize) -> Unfit {
    let t = &data.trainees[model.trainees[i].index];
    if !t.period().is_valid() {
        return Unfit::StartsAfterEnd { from: t.start, to: t.end };
    }
    let area = ctx.area(t);
    match (t.kind, ctx.trainee_area(t)) {
        (TraineeType::Kbu | TraineeType::Intro, Some(a)) if a.is_empty() => {
            return match &t.municipality {
                None => Unfit::NoMunicipality,
                Some(m) => Unfit::UnknownMunicipality { name: m.clone() },
            };
        }
        (_, Some(a)) if a.is_empty() => {
            return match &t.hospital_unit {
                None => Unfit::NoHospitalUnit,
                Some(u) => Unfit::UnknownHospitalUnit { name: u.clone() },
            };
        }
        _ => {}
    }
    let candidates = ctx.candidate_practices(t);
    if candidates.is_empty() {
        return Unfit::NoPractice { area };
    }
    let mt = &model.trainees[i];
    if mt.pairs.is_empty() {
        return Unfit::NonePasses { area, from: t.start, refusals: refusals(ctx, t, &candidates, None) };
    }
    let name = |j: usize| {
        let x = &data.trainees[model.trainees[j].index];
        format!("{} ({})", x.name, x.id)
    };
    // Each allowed practice with what fills it first.
    let mut full: Vec<Block> = Vec::new();
    let mut displaced: Option<Block> = None;
    for q in mt.pairs.clone() {
        let mp = model.pairs[q].practice as usize;
        let practice = &data.practices[model.practices[mp].index];
        let blocks = model.blocking(choice, i, mp);
        let Some((limit, by)) = blocks.iter().min_by_key(|(l, _)| (l.day, l.rule)) else {
            full.push(Block::Room { practice: practice.name.clone() });
            continue;
        };
        let names: Vec<String> = by.iter().map(|&j| name(j)).collect();
        let block = match limit.rule {
            Rule::H6 => Block::Phase3 { practice: practice.name.clone(), names },
            _ => Block::Full { practice: practice.name.clone(), from: super::optimizer::date(limit.day), names },
        };
        let general_in_each = blocks.iter().all(|(_, by)| by.iter().any(|&j| model.trainees[j].general));
        if t.kind == TraineeType::Other && general_in_each && displaced.is_none() {
            displaced = Some(block.clone());
        }
        full.push(block);
    }
    if let Some(block) = displaced {
        return Unfit::Displaces { trainee: t.name.clone(), block };
    }
    let shown = 3;
    let more = full.len().saturating_sub(shown);
    full.truncate(shown);
    let ruled_out: Vec<usize> = {
        let allowed: HashSet<usize> =
            mt.pairs.clone().map(|q| model.practices[model.pairs[q].practice as usize].index).collect();
        candidates.iter().copied().filter(|p| !allowed.contains(p)).collect()
    };
    let refused = if ruled_out.is_empty() { Refusals::default() } else { refusals(ctx, t, &ruled_out, None) };
    Unfit::AllFull { area, shown: full, more, ruled_out: ruled_out.len(), refusals: refused }
}

/// Why the practices `candidates` refuse `t`, counted by the main broken rule of each.
pub(crate) fn refusals(
    ctx: &RuleContext<'_>,
    t: &Trainee,
    candidates: &[usize],
    ignore_trainee: Option<&str>,
) -> Refusals {
    // A practice counts once, under its most telling rule.
    const ORDER: [(Rule, Refusal); 6] = [
        (Rule::H7, Refusal::Paused),
        (Rule::H6, Refusal::Phase3),
        (Rule::H8, Refusal::Full),
        (Rule::H1, Refusal::OwnGp),
        (Rule::H2, Refusal::Family),
        (Rule::H9, Refusal::OtherPlacement),
    ];
    let data = ctx.data();
    let mut counts: BTreeMap<Refusal, usize> = BTreeMap::new();
    for &pi in candidates {
        let broken = ctx.broken_rules(t, &data.practices[pi], t.period(), ignore_trainee);
        if broken.is_empty() {
            continue;
        }
        let key = ORDER.iter().find(|(r, _)| broken.contains(r)).map_or(Refusal::Other, |(_, k)| *k);
        *counts.entry(key).or_default() += 1;
    }
    // Full first, as coordinators read it: "3 full, 1 paused" (the order of `Refusal`).
    Refusals(counts.into_iter().collect())
}

/// The benchmark baseline: each open trainee in turn (by start, then id) takes the best-scoring
/// practice still allowed. No fairness cost, no look-ahead. Its objective is the model's.
pub fn greedy_baseline(data: &Dataset, only: Option<TraineeType>, today: NaiveDate) -> Suggestion {
    let open = open_trainees(data, only);
    let ctx = RuleContext::new(data);
    let scorer = ScoreContext::sharing(&ctx, today);
    let mut work = ctx.clone();
    let mut placements = Vec::new();
    let mut chosen: BTreeMap<&str, &str> = BTreeMap::new();
    for &ti in &open {
        let t = &data.trainees[ti];
        if !t.period().is_valid() {
            continue;
        }
        let mut best: Option<(f64, usize)> = None;
        for pi in work.candidate_practices(t) {
            let p = &data.practices[pi];
            if work.allows(t, p, t.period(), None) {
                let s = scorer.total(t, p, t.period());
                let better = best.is_none_or(|(b, bp)| s > b || (s == b && p.id < data.practices[bp].id));
                if better {
                    best = Some((s, pi));
                }
            }
        }
        let Some((_, pi)) = best else { continue };
        let p = &data.practices[pi];
        let score = scorer.score(t, p, t.period());
        work.add(Placement {
            trainee_id: t.id.clone(),
            practice_id: p.id.clone(),
            start: t.start,
            end: t.end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        });
        chosen.insert(t.id.as_str(), p.id.as_str());
        placements.push(Proposal {
            trainee_id: t.id.clone(),
            practice_id: p.id.clone(),
            start: t.start,
            end: t.end,
            score: (score.total * 100.0).round() / 100.0,
            reasons: score.reasons(),
            because: score.becauses(),
        });
    }
    let objective = RoundModel::build(data, &ctx, &scorer, &open, &mut |_| true)
        .map(|model| {
            let choice: Vec<Option<u32>> = model
                .trainees
                .iter()
                .map(|mt| {
                    let want = chosen.get(data.trainees[mt.index].id.as_str())?;
                    mt.pairs
                        .clone()
                        .find(|&q| data.practices[model.practices[model.pairs[q].practice as usize].index].id == *want)
                        .map(|q| q as u32)
                })
                .collect();
            model.objective(&choice)
        })
        .unwrap_or(0);
    let placed: HashSet<&str> = chosen.keys().copied().collect();
    let mut unplaced: Vec<Unplaced> = open
        .iter()
        .map(|&i| &data.trainees[i])
        .filter(|t| !placed.contains(t.id.as_str()))
        .map(|t| Unplaced::new(t.id.clone(), Unfit::Greedy))
        .collect();
    placements.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    unplaced.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    Suggestion { placements, unplaced, objective, optimal: false, gap: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::flow::Lcg;
    use crate::domain::optimizer::fairness_marginal;
    use crate::domain::reasons::AreaName;
    use crate::domain::rules::check_all;
    use crate::domain::rules::test_support::*;

    fn today() -> NaiveDate {
        d(2026, 5, 1)
    }

    fn run(data: &Dataset) -> Suggestion {
        suggest(data, None, today(), &mut |_| true).expect("not cancelled")
    }

    fn with_proposals(data: &Dataset, s: &Suggestion) -> Dataset {
        let mut out = data.clone();
        out.placements.extend(s.to_placements());
        out
    }

    fn count_at(s: &Suggestion, practice: &str) -> usize {
        s.placements.iter().filter(|p| p.practice_id == practice).count()
    }

    fn at(s: &Suggestion, trainee: &str) -> Option<String> {
        s.placements.iter().find(|p| p.trainee_id == trainee).map(|p| p.practice_id.clone())
    }

    /// Small Gini coefficient for the fairness comparison in tests.
    fn gini(values: &[f64]) -> f64 {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        if mean == 0.0 {
            return 0.0;
        }
        let diff: f64 = values.iter().flat_map(|a| values.iter().map(move |b| (a - b).abs())).sum();
        diff / (2.0 * n * n * mean)
    }

    #[test]
    fn six_kbu_doctors_go_one_two_three_to_practices_with_one_two_three_tutors() {
        let mut data = region_data();
        for (id, tutors) in [("ONE", 1), ("TWO", 2), ("THREE", 3)] {
            let mut p = practice(id, "Herning", tutors);
            p.capacity = Some(6);
            p.doctors = 3;
            data.practices.push(p);
        }
        for i in 0..6 {
            data.trainees.push(kbu(&format!("K{i}"), "Herning", d(2026, 8, 1), d(2027, 1, 31)));
        }
        let s = run(&data);
        assert_eq!(s.unplaced, vec![]);
        assert!(s.optimal);
        assert_eq!((count_at(&s, "ONE"), count_at(&s, "TWO"), count_at(&s, "THREE")), (1, 2, 3));
        // The greedy baseline piles them up; its load per tutor is less even.
        let g = greedy_baseline(&data, None, today());
        let per_tutor = |s: &Suggestion| {
            vec![count_at(s, "ONE") as f64, count_at(s, "TWO") as f64 / 2.0, count_at(s, "THREE") as f64 / 3.0]
        };
        assert!(gini(&per_tutor(&s)) < gini(&per_tutor(&g)), "{:?} vs {:?}", per_tutor(&s), per_tutor(&g));
        assert!(s.objective < g.objective);
    }

    #[test]
    fn the_result_breaks_no_hard_rule_and_keeps_pinned_placements() {
        let mut data = contract_example();
        let mut pinned = placement(data.trainee("EX-F3").expect("F3"), "EX-P5");
        pinned.pinned = true;
        data.placements.push(pinned.clone());
        data.placements.push(placement(data.trainee("EX-K2").expect("K2"), "EX-P7"));
        let s = run(&data);
        let after = with_proposals(&data, &s);
        assert_eq!(check_all(&after), vec![]);
        assert!(after.placements.contains(&pinned));
        assert!(s.placements.iter().all(|p| p.trainee_id != "EX-F3" && p.trainee_id != "EX-K2"));
        assert_eq!(s.placements.len() + s.unplaced.len(), data.trainees.len() - 2);
        // EX-F3B cannot share EX-P5 with the pinned EX-F3 (H6).
        let f3b = s.placements.iter().find(|p| p.trainee_id == "EX-F3B").expect("F3B placed");
        assert_ne!(f3b.practice_id, "EX-P5");
        assert!(s.placements.iter().all(|p| !p.reasons.is_empty()));
    }

    #[test]
    fn only_the_chosen_type_is_suggested() {
        let data = contract_example();
        let s = suggest(&data, Some(TraineeType::Intro), today(), &mut |_| true).expect("ran");
        let ids: Vec<&str> = s.placements.iter().map(|p| p.trainee_id.as_str()).collect();
        assert_eq!(ids, ["EX-I1", "EX-I2"]);
        // EX-I2 may not go to EX-P3 (family, H2).
        assert_eq!(s.placements[1].practice_id, "EX-P4");
    }

    /// Issue 14: the round was solved one start cohort at a time, so phase-2 doctor F took the
    /// only Silkeborg practice before intro doctor I, who starts two months later, was considered.
    #[test]
    fn an_earlier_cohort_no_longer_takes_the_only_practice_a_later_trainee_can_have() {
        let mut data = region_data();
        let mut a = practice("A", "Silkeborg", 1);
        a.doctors = 3;
        data.practices = vec![a, practice("B", "Viborg", 1), practice("H", "Skive", 1)];
        let mut f = course("F", TraineeType::Phase2, "Hospitalsenhed Midt", d(2027, 2, 1), d(2027, 7, 31));
        f.history = vec!["H".to_string()];
        let mut i = trainee("I", TraineeType::Intro, d(2027, 4, 1), d(2028, 3, 31));
        i.municipality = Some("Silkeborg".to_string());
        data.trainees = vec![f, i];
        let s = run(&data);
        assert_eq!(s.unplaced, vec![], "{s:?}");
        assert_eq!(at(&s, "I").as_deref(), Some("A"));
        assert_ne!(at(&s, "F").as_deref(), Some("A"));
        assert!(s.optimal);
        assert_eq!(check_all(&with_proposals(&data, &s)), vec![]);
    }

    /// Issue 14, the public example: EX-F2 (from May) took EX-P4, the only Silkeborg practice
    /// EX-I2 may have (family at EX-P3), before the August cohort was solved.
    #[test]
    fn the_public_example_no_longer_leaves_ex_i2_out_after_ex_f2_takes_ex_p4() {
        let data = contract_example();
        let s = run(&data);
        assert_eq!(s.unplaced, vec![], "{s:?}");
        assert_eq!(at(&s, "EX-I2").as_deref(), Some("EX-P4"));
        assert_ne!(at(&s, "EX-F2").as_deref(), Some("EX-P4"));
        assert!(s.optimal);
        assert_eq!(s.gap, 0);
        assert_eq!(check_all(&with_proposals(&data, &s)), vec![]);
    }

    #[test]
    fn an_unplaced_trainee_is_told_which_practices_are_full_and_with_whom() {
        let mut data = region_data();
        data.practices = (0..4).map(|i| practice(&format!("P{i}"), "Lemvig", 1)).collect();
        data.pauses.push(pause("P3", d(2026, 9, 1), d(2026, 9, 30)));
        for i in 0..4 {
            data.trainees.push(kbu(&format!("K{i}"), "Lemvig", d(2026, 8, 1), d(2027, 1, 31)));
        }
        let s = run(&data);
        assert_eq!(s.placements.len(), 3);
        assert_eq!(s.unplaced.len(), 1);
        let u = &s.unplaced[0];
        let why = &u.why;
        assert!(
            why.starts_with("every practice in Lemvig that the rules allow is full on a day of the period: Practice P"),
            "{why}"
        );
        for p in &s.placements {
            let name = format!(
                "Practice {} is full from 01-08-2026 with Trainee {} ({})",
                p.practice_id, p.trainee_id, p.trainee_id
            );
            assert!(why.contains(&name), "{why} lacks {name}");
        }
        assert!(why.ends_with(". The other 1 in Lemvig is ruled out: 1 paused."), "{why}");
    }

    #[test]
    fn an_unplaced_trainee_with_no_allowed_practice_is_told_the_rules_that_exclude_most() {
        let mut data = region_data();
        data.practices = (0..4).map(|i| practice(&format!("P{i}"), "Lemvig", 1)).collect();
        for i in 0..3 {
            let stored = kbu(&format!("S{i}"), "Lemvig", d(2026, 6, 1), d(2026, 11, 30));
            data.placements.push(placement(&stored, &format!("P{i}")));
            data.trainees.push(stored);
        }
        data.pauses.push(pause("P3", d(2026, 9, 1), d(2026, 9, 30)));
        data.trainees.push(kbu("K", "Lemvig", d(2026, 8, 1), d(2027, 1, 31)));
        let s = run(&data);
        assert_eq!(
            s.unplaced,
            vec![Unplaced::new(
                "K".into(),
                Unfit::NonePasses {
                    area: AreaName::Municipality("Lemvig".into()),
                    from: d(2026, 8, 1),
                    refusals: Refusals(vec![(Refusal::Full, 3), (Refusal::Paused, 1)])
                }
            )]
        );
        assert_eq!(s.unplaced[0].why, "no practice in Lemvig passes the hard rules from 01-08-2026: 3 full, 1 paused.");
        assert_eq!(
            s.unplaced[0].unfit.text(Lang::Danish),
            "ingen praksis i Lemvig opfylder de hårde regler fra 01-08-2026: 3 fulde, 1 holder pause."
        );
    }

    #[test]
    fn a_general_trainee_wins_over_another_specialty_when_only_one_fits_and_the_other_is_told_p7() {
        let mut data = region_data();
        data.practices = vec![practice("P", "Viborg", 1)];
        data.trainees.push(kbu("K", "Viborg", d(2026, 8, 1), d(2027, 1, 31)));
        data.trainees.push(course("O", TraineeType::Other, "Hospitalsenhed Midt", d(2026, 8, 1), d(2027, 1, 31)));
        let s = run(&data);
        assert_eq!(s.placements.iter().map(|p| p.trainee_id.as_str()).collect::<Vec<_>>(), ["K"]);
        assert_eq!(s.unplaced.len(), 1);
        assert!(
            s.unplaced[0].why.starts_with(
                "placing Trainee O would displace a KBU or general-medicine trainee, who come first (P7): Practice P is \
                 full from 01-08-2026 with Trainee K (K)"
            ),
            "{}",
            s.unplaced[0].why
        );
    }

    #[test]
    fn capacity_is_kept_on_every_day_across_start_dates() {
        let mut data = region_data();
        data.practices = vec![practice("A", "Viborg", 1), practice("B", "Viborg", 1)];
        let unit = "Hospitalsenhed Midt";
        data.trainees.push(course("F3A", TraineeType::Phase3, unit, d(2026, 8, 1), d(2027, 7, 31)));
        data.trainees.push(course("F3B", TraineeType::Phase3, unit, d(2026, 8, 10), d(2027, 8, 9)));
        data.trainees.push(kbu("K1", "Viborg", d(2027, 2, 1), d(2027, 7, 31)));
        data.trainees.push(kbu("K2", "Viborg", d(2027, 8, 1), d(2028, 1, 31)));
        let s = run(&data);
        assert_eq!(check_all(&with_proposals(&data, &s)), vec![]);
        assert_eq!(s.placements.len(), 3, "{s:?}");
        assert_eq!(s.unplaced.len(), 1);
    }

    #[test]
    fn a_round_can_be_cancelled() {
        let data = contract_example();
        let mut calls = 0;
        let r = suggest(&data, None, today(), &mut |_| {
            calls += 1;
            calls < 2
        });
        assert_eq!(r, Err(Cancelled));
    }

    #[test]
    fn the_json_matches_the_contract() {
        let data = contract_example();
        let s = run(&data);
        let v = serde_json::to_value(&s).expect("json");
        let first = &v["placements"][0];
        for key in ["trainee_id", "practice_id", "start", "end", "score", "reasons"] {
            assert!(first.get(key).is_some(), "{key}");
        }
        assert!(first["start"].as_str().is_some_and(|x| x.len() == 10 && x.as_bytes()[4] == b'-'));
        assert!(v["unplaced"].is_array());
        assert!(v["objective"].is_number());
        assert_eq!(v["optimal"], serde_json::Value::Bool(true));
    }

    #[test]
    fn the_model_is_written_in_free_mps_with_the_objective_of_the_round() {
        let data = contract_example();
        let (s, model) = suggest_round(&data, None, today(), SuggestOptions::default(), &mut |_| true).expect("ran");
        let mps = model_mps(&data, &model);
        let first = mps.lines().find(|l| !l.starts_with('*')).expect("a line");
        assert_eq!(first, "NAME ROUND");
        assert!(mps.ends_with("ENDATA\n"));
        for section in ["ROWS", "COLUMNS", "RHS", "BOUNDS"] {
            assert!(mps.lines().any(|l| l == section), "{section}");
        }
        assert!(mps.contains("* T0 = trainee "));
        // One binary per allowed pair, one row per trainee.
        assert_eq!(mps.lines().filter(|l| l.starts_with(" BV BND X")).count(), model.pairs.len());
        assert_eq!(mps.lines().filter(|l| l.starts_with(" E T")).count(), data.trainees.len());
        // The solution's objective, from the written columns: the chosen X, the U of the unplaced,
        // and the cheapest Y per practice.
        let solved = crate::domain::optimizer::solve(&model, 1000, &mut || true).expect("solved");
        assert_eq!(solved.objective, s.objective);
    }

    // ---------------------------------------------------------------- optimality

    /// A small random round in Lemvig (catchment of Gødstrup): 2–3 practices, 3–6 open trainees
    /// starting in 2 or 3 cohorts months apart, with KBU, phase 2, phase 3 and other specialties,
    /// stored placements, pauses, ties and history.
    fn random_round(rng: &mut Lcg) -> Dataset {
        let mut data = region_data();
        let np = rng.range(2, 3) as usize;
        for i in 0..np {
            let mut p = practice(&format!("P{i}"), "Lemvig", rng.range(1, 3) as u32);
            p.capacity = Some(rng.range(1, 2) as u32);
            p.doctors = rng.range(1, 3) as u32;
            p.quality = Some(rng.range(1, 5) as u8);
            p.setting = if rng.range(0, 1) == 0 { crate::domain::model::Setting::Rural } else { p.setting };
            if rng.range(0, 5) == 0 {
                p.refuses = vec![TraineeType::Kbu];
            }
            data.practices.push(p);
        }
        let pick = |rng: &mut Lcg| format!("P{}", rng.range(0, np as i64 - 1));
        if rng.range(0, 3) == 0 {
            data.pauses.push(pause(&pick(rng), d(2027, 1, 1), d(2027, 1, 31)));
        }
        let cohorts = rng.range(2, 3);
        let starts: Vec<NaiveDate> =
            (0..cohorts).map(|c| d(2026, 8, 1) + chrono::Days::new((c * rng.range(60, 150)) as u64)).collect();
        let nt = rng.range(3, 6) as usize;
        for i in 0..nt {
            let start = starts[rng.range(0, cohorts - 1) as usize] + chrono::Days::new(rng.range(0, 20) as u64);
            let kind = [TraineeType::Kbu, TraineeType::Phase2, TraineeType::Phase3, TraineeType::Other]
                [rng.range(0, 3) as usize];
            let months = if kind == TraineeType::Phase3 || rng.range(0, 3) == 0 { 12 } else { 6 };
            let end = start.checked_add_months(chrono::Months::new(months)).expect("date").pred_opt().expect("date");
            let id = format!("T{i}");
            let mut t = match kind {
                TraineeType::Kbu => kbu(&id, "Lemvig", start, end),
                k => course(&id, k, "Regionshospitalet Gødstrup", start, end),
            };
            if rng.range(0, 3) == 0 {
                t.own_gp = Some(pick(rng));
            }
            if rng.range(0, 2) == 0 {
                t.history = vec![pick(rng)];
            }
            data.trainees.push(t);
        }
        for s in 0..rng.range(0, 2) {
            let start = d(2026, 6, 1) + chrono::Days::new(rng.range(0, 200) as u64);
            let kind = if rng.range(0, 2) == 0 { TraineeType::Phase3 } else { TraineeType::Kbu };
            let end = start.checked_add_months(chrono::Months::new(6)).expect("date").pred_opt().expect("date");
            let stored = course(&format!("S{s}"), kind, "Regionshospitalet Gødstrup", start, end);
            data.placements.push(placement(&stored, &pick(rng)));
            data.trainees.push(stored);
        }
        data
    }

    /// The round's value computed without the optimizer's model: (unplaced, unplaced general
    /// medicine, pair costs + the convex P1 load), compared in that order.
    struct Oracle<'a> {
        data: &'a Dataset,
        ctx: RuleContext<'a>,
        open: Vec<usize>,
        /// Per open trainee and practice: −round(100 × score).
        cost: Vec<Vec<i64>>,
        /// Per practice: the P1 marginals of the 1st, 2nd … trainee of the round.
        marginals: Vec<Vec<i64>>,
    }

    impl<'a> Oracle<'a> {
        fn new(data: &'a Dataset) -> Oracle<'a> {
            let ctx = RuleContext::new(data);
            let scorer = ScoreContext::new(data, today());
            let open = open_trainees(data, None);
            let cost = open
                .iter()
                .map(|&ti| {
                    let t = &data.trainees[ti];
                    data.practices.iter().map(|p| -(scorer.total(t, p, t.period()) * 100.0).round() as i64).collect()
                })
                .collect();
            let marginals = data
                .practices
                .iter()
                .enumerate()
                .map(|(pi, p)| {
                    // P1 counts from the peak of stored placements over the span of the trainees
                    // that the rules allow here.
                    let allowed: Vec<&Trainee> = open
                        .iter()
                        .map(|&ti| &data.trainees[ti])
                        .filter(|t| t.period().is_valid() && ctx.allows(t, p, t.period(), None))
                        .collect();
                    let (Some(from), Some(to)) =
                        (allowed.iter().map(|t| t.start).min(), allowed.iter().map(|t| t.end).max())
                    else {
                        return Vec::new();
                    };
                    let load = ctx.load(pi, crate::domain::dates::Period::new(from, to), u32::MAX, None).peak;
                    (1..=open.len() as u32).map(|k| fairness_marginal(&data.settings, load, k, p.tutors)).collect()
                })
                .collect();
            Oracle { data, ctx, open, cost, marginals }
        }

        /// `choice[k]`: the practice of open trainee k, if placed.
        fn value(&self, choice: &[Option<usize>]) -> (usize, usize, i64) {
            let mut unplaced = (0, 0);
            let mut cost = 0i64;
            let mut count = vec![0usize; self.data.practices.len()];
            for (k, c) in choice.iter().enumerate() {
                match c {
                    None => {
                        unplaced.0 += 1;
                        if self.data.trainees[self.open[k]].kind != TraineeType::Other {
                            unplaced.1 += 1;
                        }
                    }
                    Some(pi) => {
                        cost += self.cost[k][*pi];
                        count[*pi] += 1;
                    }
                }
            }
            for (m, &n) in self.marginals.iter().zip(&count) {
                cost += m.iter().take(n).sum::<i64>();
            }
            (unplaced.0, unplaced.1, cost)
        }

        /// Every assignment of the open trainees to a practice or none, kept where the rules
        /// allow it placement by placement (`RuleContext`, every day): the best value.
        fn exhaustive(&self) -> (usize, usize, i64) {
            let data = self.data;
            let np = data.practices.len();
            let mut digits = vec![0usize; self.open.len()];
            let mut best: Option<(usize, usize, i64)> = None;
            loop {
                let choice: Vec<Option<usize>> = digits.iter().map(|&ch| ch.checked_sub(1)).collect();
                let v = self.value(&choice);
                if best.is_none_or(|b| v < b) && self.allowed(&choice) {
                    best = Some(v);
                }
                let mut i = 0;
                loop {
                    if i == digits.len() {
                        return best.unwrap_or((self.open.len(), 0, 0));
                    }
                    if digits[i] < np {
                        digits[i] += 1;
                        break;
                    }
                    digits[i] = 0;
                    i += 1;
                }
            }
        }

        fn allowed(&self, choice: &[Option<usize>]) -> bool {
            let mut c = self.ctx.clone();
            for (&ti, ch) in self.open.iter().zip(choice) {
                let Some(pi) = ch else { continue };
                let t = &self.data.trainees[ti];
                let p = &self.data.practices[*pi];
                if !t.period().is_valid() || !c.allows(t, p, t.period(), None) {
                    return false;
                }
                c.add(placement(t, &p.id));
            }
            true
        }

        fn value_of(&self, s: &Suggestion) -> (usize, usize, i64) {
            let choice: Vec<Option<usize>> = self
                .open
                .iter()
                .map(|&ti| {
                    let id = &self.data.trainees[ti].id;
                    let p = s.placements.iter().find(|p| &p.trainee_id == id)?;
                    self.data.practices.iter().position(|x| x.id == p.practice_id)
                })
                .collect();
            self.value(&choice)
        }
    }

    #[test]
    fn random_rounds_of_two_and_three_cohorts_are_optimal_against_exhaustive_search() {
        let mut rng = Lcg(14);
        let mut cohorts_seen = [0usize; 4];
        for case in 0..320 {
            let data = random_round(&mut rng);
            let s = run(&data);
            let before = check_all(&data);
            let new: Vec<_> =
                check_all(&with_proposals(&data, &s)).into_iter().filter(|v| !before.contains(v)).collect();
            assert_eq!(new, vec![], "case {case}");
            assert!(s.optimal, "case {case}");
            let oracle = Oracle::new(&data);
            assert_eq!(oracle.value_of(&s), oracle.exhaustive(), "case {case}: {s:?}");
            let starts: HashSet<NaiveDate> = data.trainees.iter().map(|t| t.start).collect();
            cohorts_seen[starts.len().min(3)] += 1;
        }
        assert!(cohorts_seen[2] + cohorts_seen[3] > 250, "{cohorts_seen:?}");
    }

    #[test]
    fn a_search_stopped_by_the_node_limit_says_so_and_its_gap_holds() {
        let mut rng = Lcg(41);
        let mut stopped = 0;
        for case in 0..200 {
            let data = random_round(&mut rng);
            let full = run(&data);
            let limited =
                suggest_round(&data, None, today(), SuggestOptions { max_nodes: 1 }, &mut |_| true).expect("ran").0;
            let before = check_all(&data);
            let new: Vec<_> =
                check_all(&with_proposals(&data, &limited)).into_iter().filter(|v| !before.contains(v)).collect();
            assert_eq!(new, vec![], "case {case}");
            assert!(limited.gap >= 0, "case {case}");
            assert!(limited.objective >= full.objective, "case {case}");
            assert!(limited.objective - limited.gap <= full.objective, "case {case}: the bound is a bound");
            if limited.optimal {
                assert_eq!((limited.objective, limited.gap), (full.objective, 0), "case {case}");
            } else {
                stopped += 1;
            }
        }
        assert!(stopped > 5, "{stopped} searches stopped");
    }

    /// A region-sized instance: 3,500 practices and 1,000 open trainees. Run with
    /// `cargo test --release -- --ignored --nocapture` to see the time.
    #[test]
    #[ignore]
    fn a_region_sized_round_runs() {
        let data = crate::demo::generate(&crate::demo::DemoParams {
            seed: 1,
            practices: 3_500,
            open_trainees: Some(1_000),
            years: 10,
        });
        let today = crate::demo::demo_round_date();
        let started = std::time::Instant::now();
        let s = suggest(&data, None, today, &mut |_| true).expect("ran");
        let took = started.elapsed();
        let g = greedy_baseline(&data, None, today);
        println!(
            "suggest: {} placed, {} unplaced in {took:?}, objective {}, optimal {}, gap {}; greedy {} placed, objective {}",
            s.placements.len(),
            s.unplaced.len(),
            s.objective,
            s.optimal,
            s.gap,
            g.placements.len(),
            g.objective
        );
        assert_eq!(check_all(&with_proposals(&data, &s)), vec![]);
    }
}
