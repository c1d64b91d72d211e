//! Rounds as drafts (issue 13, CONTRACT.md "Rounds as drafts, scenarios and letters").
//!
//! A round is kept in the file: its name, its scope (type and hospital units), the weights it ran
//! with (T1–T2, P1–P7), the data version it was computed on, and its proposals with scores and
//! reasons. A draft places nobody. Proposals the coordinator pinned stay where they are when the
//! round is run again; trainees she excluded stay out. Publishing stores every proposal as one
//! command (`Command::PublishRound`), checked against H1–H9 as a whole; a published round is
//! frozen.
//!
//! Two rounds compare by their headline figures (`figures`): placed, unplaced with reasons, total
//! score, the Gini of months per tutor (P1) and the share of trainee-months in threatened areas
//! (P5) over the fairness window after the round, and the count per district; then the trainees
//! who would go to different practices (`differences`).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::area::open_trainees_of;
use super::dates::Period;
use super::fairness::fairness_review;
use super::model::{Dataset, Placement, TraineeType, Weights};
use super::region::District;
use super::suggest::{Cancelled, suggest};
use crate::report::format::Lang;

/// One proposal of a round: a trainee at a practice for a period, with its score and reasons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundProposal {
    pub trainee_id: String,
    pub practice_id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// T1–T2, P1–P7, rounded to 2 decimals.
    pub score: f64,
    #[serde(default)]
    pub reasons: Vec<String>,
    /// The same reasons in Danish, for the Danish desk (one language at a time).
    #[serde(default)]
    pub reasons_da: Vec<String>,
    /// Kept as it is when the round runs again.
    #[serde(default)]
    pub pinned: bool,
}

impl RoundProposal {
    /// A proposal of the optimizer, kept in a round.
    pub fn from_suggested(p: &super::suggest::Proposal) -> RoundProposal {
        RoundProposal {
            trainee_id: p.trainee_id.clone(),
            practice_id: p.practice_id.clone(),
            start: p.start,
            end: p.end,
            score: p.score,
            reasons: p.reasons.clone(),
            reasons_da: p.because.iter().map(|b| b.text(Lang::Danish)).collect(),
            pinned: false,
        }
    }

    /// The reasons in `lang` (the English ones where an old round has no Danish).
    pub fn reasons_in(&self, lang: Lang) -> &[String] {
        if lang == Lang::Danish && !self.reasons_da.is_empty() { &self.reasons_da } else { &self.reasons }
    }

    pub fn to_placement(&self) -> Placement {
        Placement {
            trainee_id: self.trainee_id.clone(),
            practice_id: self.practice_id.clone(),
            start: self.start,
            end: self.end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        }
    }
}

/// A trainee of the round's scope the round does not place, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundUnplaced {
    pub trainee_id: String,
    pub why: String,
    /// The same in Danish.
    #[serde(default)]
    pub why_da: String,
}

impl RoundUnplaced {
    pub fn from_unplaced(u: &super::suggest::Unplaced) -> RoundUnplaced {
        RoundUnplaced { trainee_id: u.trainee_id.clone(), why: u.why.clone(), why_da: u.unfit.text(Lang::Danish) }
    }

    /// Why, in `lang` (the English text where an old round has no Danish).
    pub fn why_in(&self, lang: Lang) -> &str {
        if lang == Lang::Danish && !self.why_da.is_empty() { &self.why_da } else { &self.why }
    }
}

/// The reasons in both languages: (English, Danish).
pub fn worded(because: &[super::reasons::Because]) -> (Vec<String>, Vec<String>) {
    (because.iter().map(|b| b.text(Lang::English)).collect(), because.iter().map(|b| b.text(Lang::Danish)).collect())
}

/// A round, draft or published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub name: String,
    /// Only trainees of this type take part (`None`: every type).
    #[serde(default)]
    pub kind: Option<TraineeType>,
    /// The coordinator's area: hospital units (empty: the whole region).
    #[serde(default)]
    pub hospital_units: Vec<String>,
    /// The weights of T1–T2, P1–P7 it ran with.
    pub weights: Weights,
    /// The newest change to the region's data (an audit id) the round was computed on.
    pub data_version: i64,
    /// The day the round was computed ("today" for the scores).
    pub computed_on: NaiveDate,
    /// By trainee id.
    pub proposals: Vec<RoundProposal>,
    /// By trainee id.
    #[serde(default)]
    pub unplaced: Vec<RoundUnplaced>,
    /// Trainees taken out of the round by hand: not proposed again when it runs again.
    #[serde(default)]
    pub excluded: Vec<String>,
    /// A published round is frozen: its proposals were stored as placements.
    #[serde(default)]
    pub published: bool,
}

impl Round {
    pub fn proposal(&self, trainee_id: &str) -> Option<&RoundProposal> {
        self.proposals.iter().find(|p| p.trainee_id == trainee_id)
    }

    pub fn placements(&self) -> Vec<Placement> {
        self.proposals.iter().map(RoundProposal::to_placement).collect()
    }

    /// The score of every proposal together.
    pub fn total_score(&self) -> f64 {
        (self.proposals.iter().map(|p| p.score).sum::<f64>() * 100.0).round() / 100.0
    }

    /// The practices with proposals, each with how many (the map's layer).
    pub fn counts_by_practice(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for p in &self.proposals {
            *counts.entry(p.practice_id.clone()).or_insert(0) += 1;
        }
        counts
    }
}

/// What a round is run for.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundSpec {
    pub name: String,
    pub kind: Option<TraineeType>,
    pub hospital_units: Vec<String>,
    pub weights: Weights,
}

/// Runs the optimizer into a round: the open trainees of the scope, with `spec.weights`; the
/// pinned proposals of `keep` stay as they are (they count for H8 and H6 like stored placements)
/// and its excluded trainees stay out. `data_version` is the version of `data`.
pub fn compute(
    data: &Dataset,
    spec: &RoundSpec,
    keep: Option<&Round>,
    data_version: i64,
    today: NaiveDate,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Round, Cancelled> {
    let mut d = open_trainees_of(data, &spec.hospital_units);
    d.settings.weights = spec.weights.clone();
    let placed: HashSet<String> = d.placements.iter().map(|p| p.trainee_id.clone()).collect();
    let excluded: Vec<String> = keep.map(|r| r.excluded.clone()).unwrap_or_default();
    let pinned: Vec<RoundProposal> = keep
        .map(|r| {
            r.proposals
                .iter()
                .filter(|p| p.pinned && !placed.contains(&p.trainee_id) && d.trainee(&p.trainee_id).is_some())
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    d.trainees.retain(|t| placed.contains(&t.id) || !excluded.contains(&t.id));
    for p in &pinned {
        d.placements.push(p.to_placement());
    }
    d.placements.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    let s = suggest(&d, spec.kind, today, progress)?;
    let mut proposals: Vec<RoundProposal> =
        s.placements.into_iter().map(|p| RoundProposal::from_suggested(&p)).chain(pinned).collect();
    proposals.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    let unplaced = s.unplaced.iter().map(RoundUnplaced::from_unplaced).collect();
    Ok(Round {
        name: spec.name.clone(),
        kind: spec.kind,
        hospital_units: spec.hospital_units.clone(),
        weights: spec.weights.clone(),
        data_version,
        computed_on: today,
        proposals,
        unplaced,
        excluded,
        published: false,
    })
}

/// The data as it would be with the round's proposals stored: a proposal for a trainee who holds
/// a stored placement does not count (the stored one does).
pub fn with_round(data: &Dataset, round: &Round) -> Dataset {
    let mut d = data.clone();
    let placed: HashSet<String> = d.placements.iter().map(|p| p.trainee_id.clone()).collect();
    d.placements.extend(round.proposals.iter().filter(|p| !placed.contains(&p.trainee_id)).map(|p| p.to_placement()));
    d.placements.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    d
}

/// The fairness window after one or more rounds: `lookback_years` (at least 1) ending on the
/// last day any of their proposals ends (or `today` when none has a proposal).
pub fn fairness_window(data: &Dataset, rounds: &[&Round], today: NaiveDate) -> Period {
    let end = rounds.iter().flat_map(|r| r.proposals.iter().map(|p| p.end)).max().unwrap_or(today);
    let years = data.settings.lookback_years.max(1);
    let start = end.checked_sub_months(Months::new(12 * years)).and_then(|d| d.succ_opt()).unwrap_or(NaiveDate::MIN);
    Period::new(start, end)
}

/// A round's headline figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoundFigures {
    pub name: String,
    pub placed: usize,
    pub unplaced: usize,
    /// The total score of the proposals.
    pub score: f64,
    /// P1: Gini of months per tutor over the fairness window, with the round stored.
    pub gini: f64,
    /// P5: the share of trainee-months in threatened areas over the window, with the round stored.
    pub threatened_share: f64,
    /// Proposals per district of the practice (`East`, `Middle`, `West`).
    pub by_district: BTreeMap<String, usize>,
    /// The unplaced trainees with their reasons.
    pub unplaced_reasons: Vec<RoundUnplaced>,
}

/// The headline figures of `round` over `window`.
pub fn figures(data: &Dataset, round: &Round, window: Period, today: NaiveDate) -> RoundFigures {
    let review = fairness_review(&with_round(data, round), window, today);
    let mut by_district: BTreeMap<String, usize> = District::ALL.iter().map(|d| (district_key(*d), 0)).collect();
    for p in &round.proposals {
        let district = data
            .practice(&p.practice_id)
            .and_then(|x| data.region.municipality(&x.municipality))
            .map(|m| district_key(m.district));
        if let Some(k) = district {
            *by_district.entry(k).or_insert(0) += 1;
        }
    }
    RoundFigures {
        name: round.name.clone(),
        placed: round.proposals.len(),
        unplaced: round.unplaced.len(),
        score: round.total_score(),
        gini: (review.gini_months_per_tutor * 10_000.0).round() / 10_000.0,
        threatened_share: (review.threatened_share * 10_000.0).round() / 10_000.0,
        by_district,
        unplaced_reasons: round.unplaced.clone(),
    }
}

fn district_key(d: District) -> String {
    format!("{d:?}")
}

/// One trainee the two rounds send to different practices (or one places and the other not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub trainee_id: String,
    /// The practice in the first round, `None` when it does not place the trainee.
    pub a: Option<String>,
    pub b: Option<String>,
}

/// The trainees of either round whose practice differs, by trainee id.
pub fn differences(a: &Round, b: &Round) -> Vec<Difference> {
    let ids: BTreeSet<&str> = [a, b]
        .iter()
        .flat_map(|r| {
            r.proposals.iter().map(|p| p.trainee_id.as_str()).chain(r.unplaced.iter().map(|u| u.trainee_id.as_str()))
        })
        .collect();
    ids.into_iter()
        .filter_map(|id| {
            let pa = a.proposal(id).map(|p| p.practice_id.clone());
            let pb = b.proposal(id).map(|p| p.practice_id.clone());
            (pa != pb).then(|| Difference { trainee_id: id.to_string(), a: pa, b: pb })
        })
        .collect()
}

/// What became of a published round's trainees since (the report for HR and the hospitals).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Placed elsewhere, or at the same practice with other dates.
    Moved,
    /// The round placed the trainee; now they have no placement.
    Removed,
    /// The round left the trainee unplaced; now they are placed.
    Added,
}

impl ChangeKind {
    pub fn danish(self) -> &'static str {
        match self {
            ChangeKind::Moved => "flyttet",
            ChangeKind::Removed => "fjernet",
            ChangeKind::Added => "tilføjet",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            ChangeKind::Moved => "moved",
            ChangeKind::Removed => "removed",
            ChangeKind::Added => "added",
        }
    }
}

/// One trainee's placement now differs from what the round published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlacementChange {
    pub trainee_id: String,
    pub kind: ChangeKind,
    /// As published: practice, start, end.
    pub before: Option<(String, NaiveDate, NaiveDate)>,
    /// As stored now.
    pub after: Option<(String, NaiveDate, NaiveDate)>,
}

/// The round's trainees whose placement is not what the round published, by trainee id.
pub fn changes_since(data: &Dataset, round: &Round) -> Vec<PlacementChange> {
    let mut ids: Vec<&str> = round
        .proposals
        .iter()
        .map(|p| p.trainee_id.as_str())
        .chain(round.unplaced.iter().map(|u| u.trainee_id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let before = round.proposal(id).map(|p| (p.practice_id.clone(), p.start, p.end));
            let after = data.placement_of(id).map(|p| (p.practice_id.clone(), p.start, p.end));
            let kind = match (&before, &after) {
                (Some(b), Some(a)) if a != b => ChangeKind::Moved,
                (Some(_), None) => ChangeKind::Removed,
                (None, Some(_)) => ChangeKind::Added,
                _ => return None,
            };
            Some(PlacementChange { trainee_id: id.to_string(), kind, before, after })
        })
        .collect()
}

/// Sets one weight by its rule id (`T1`, `T2`, `P1` … `P7`, any case); `None` for an unknown id.
pub fn weight_mut<'a>(w: &'a mut Weights, id: &str) -> Option<&'a mut f64> {
    Some(match id.trim().to_ascii_lowercase().as_str() {
        "t1" => &mut w.t1_organisation_variety,
        "t2" => &mut w.t2_patient_variety,
        "p1" => &mut w.p1_load_per_tutor,
        "p2" => &mut w.p2_type_mix,
        "p3" => &mut w.p3_wishes,
        "p4" => &mut w.p4_tutor_quality,
        "p5" => &mut w.p5_threatened_area,
        "p6" => &mut w.p6_dependency,
        "p7" => &mut w.p7_room_for_general,
        _ => return None,
    })
}

/// The weights as (rule id, value), T1 first.
pub fn weight_list(w: &Weights) -> [(&'static str, f64); 9] {
    [
        ("T1", w.t1_organisation_variety),
        ("T2", w.t2_patient_variety),
        ("P1", w.p1_load_per_tutor),
        ("P2", w.p2_type_mix),
        ("P3", w.p3_wishes),
        ("P4", w.p4_tutor_quality),
        ("P5", w.p5_threatened_area),
        ("P6", w.p6_dependency),
        ("P7", w.p7_room_for_general),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn proposal(t: &str, p: &str) -> RoundProposal {
        RoundProposal {
            trainee_id: t.into(),
            practice_id: p.into(),
            start: d(2026, 8, 1),
            end: d(2027, 1, 31),
            score: 1.5,
            reasons: Vec::new(),
            reasons_da: Vec::new(),
            pinned: false,
        }
    }

    fn round(name: &str, proposals: Vec<RoundProposal>, unplaced: &[&str]) -> Round {
        Round {
            name: name.into(),
            kind: None,
            hospital_units: Vec::new(),
            weights: Weights::default(),
            data_version: 0,
            computed_on: d(2026, 1, 1),
            proposals,
            unplaced: unplaced
                .iter()
                .map(|t| RoundUnplaced { trainee_id: t.to_string(), why: "full".into(), why_da: String::new() })
                .collect(),
            excluded: Vec::new(),
            published: false,
        }
    }

    #[test]
    fn differences_name_trainees_sent_elsewhere_or_left_out_and_a_round_has_none_with_itself() {
        let a = round("A", vec![proposal("T1", "P1"), proposal("T2", "P2"), proposal("T3", "P3")], &["T4"]);
        let b = round("B", vec![proposal("T1", "P1"), proposal("T2", "P3"), proposal("T4", "P1")], &["T3"]);
        let diff = differences(&a, &b);
        let got: Vec<(&str, Option<&str>, Option<&str>)> =
            diff.iter().map(|x| (x.trainee_id.as_str(), x.a.as_deref(), x.b.as_deref())).collect();
        assert_eq!(got, [("T2", Some("P2"), Some("P3")), ("T3", Some("P3"), None), ("T4", None, Some("P1"))]);
        assert!(differences(&a, &a).is_empty());
        assert_eq!(a.total_score(), 4.5);
        assert_eq!(a.counts_by_practice().get("P1"), Some(&1));
    }

    #[test]
    fn weights_are_set_by_rule_id() {
        let mut w = Weights::default();
        *weight_mut(&mut w, "p5").expect("P5") = 3.0;
        assert_eq!(w.p5_threatened_area, 3.0);
        assert!(weight_mut(&mut w, "P8").is_none());
        assert_eq!(weight_list(&w)[6], ("P5", 3.0));
    }
}
