//! A coordinator's area (DOMAIN.md §3.3) and the ranked practices for one trainee.
//!
//! A trainee's area is a hospital unit: for phase 1–3 and the other specialties the
//! `hospital_unit` they are anchored at; for KBU and intro the unit whose catchment holds their
//! municipality (CONTRACT.md, "A coordinator's area").

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{Dataset, Trainee, TraineeType};
use super::reasons::Because;
use super::rules::{RuleContext, Violation};
use super::score::ScoreContext;

/// The hospital unit whose area `trainee` belongs to, as the region spells it.
pub fn trainee_area(data: &Dataset, trainee: &Trainee) -> Option<String> {
    match trainee.kind {
        TraineeType::Kbu | TraineeType::Intro => {
            let m = data.region.municipality(trainee.municipality.as_deref()?)?;
            Some(m.hospital_unit.clone())
        }
        _ => {
            let unit = trainee.hospital_unit.as_deref()?;
            data.region.hospital_units.iter().find(|h| h.name.eq_ignore_ascii_case(unit)).map(|h| h.name.clone())
        }
    }
}

/// Whether `trainee` belongs to one of `units` (all trainees when `units` is empty: the whole region).
pub fn in_area(data: &Dataset, trainee: &Trainee, units: &[String]) -> bool {
    units.is_empty() || trainee_area(data, trainee).is_some_and(|a| units.iter().any(|u| u.eq_ignore_ascii_case(&a)))
}

/// The region's spelling of a hospital unit, or `None` when there is no such unit.
pub fn unit_name(data: &Dataset, name: &str) -> Option<String> {
    data.region.hospital_units.iter().find(|h| h.name.eq_ignore_ascii_case(name.trim())).map(|h| h.name.clone())
}

/// The data with only the open trainees of `units` left open: stored placements (and the
/// trainees they belong to) stay, so capacity and H6 still count them. A round run on it
/// proposes for that area only.
pub fn open_trainees_of(data: &Dataset, units: &[String]) -> Dataset {
    if units.is_empty() {
        return data.clone();
    }
    let placed: std::collections::HashSet<&str> = data.placements.iter().map(|p| p.trainee_id.as_str()).collect();
    let mut out = data.clone();
    out.trainees.retain(|t| placed.contains(t.id.as_str()) || in_area(data, t, units));
    out
}

/// One practice for one trainee: `candidates` and the desk's "place without dragging" list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    pub practice_id: String,
    pub feasible: bool,
    /// The soft principles' score (T1–T2, P1–P7); higher is better. 0 for an infeasible practice.
    pub score: f64,
    pub violations: Vec<Violation>,
    pub reasons: Vec<String>,
    /// The score's reasons as figures, to be worded in the user's language (`Because::text`).
    #[serde(skip)]
    pub because: Vec<Because>,
}

/// Every practice of the region for `trainee_id` over the trainee's period: feasible ones first,
/// best score first; then the others, fewest broken rules first (then by id).
pub fn candidates(data: &Dataset, trainee: &Trainee, today: NaiveDate) -> Vec<Candidate> {
    let rules = RuleContext::new(data);
    let scores = ScoreContext::new(data, today);
    let period = trainee.period();
    let mut out: Vec<Candidate> = data
        .practices
        .iter()
        .map(|p| {
            // Moving a placed trainee: their own placement does not count against them.
            let violations = rules.check(trainee, p, period, Some(&trainee.id));
            let feasible = violations.is_empty();
            let (score, reasons, because) = if feasible {
                let s = scores.score(trainee, p, period);
                ((s.total * 100.0).round() / 100.0, s.reasons(), s.becauses())
            } else {
                (0.0, Vec::new(), Vec::new())
            };
            Candidate { practice_id: p.id.clone(), feasible, score, violations, reasons, because }
        })
        .collect();
    out.sort_by(|a, b| {
        b.feasible
            .cmp(&a.feasible)
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.violations.len().cmp(&b.violations.len()))
            .then_with(|| a.practice_id.cmp(&b.practice_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Practice, Setting};
    use crate::domain::region::Region;

    fn practice(id: &str, municipality: &str) -> Practice {
        Practice {
            id: id.into(),
            name: format!("Praksis {id}"),
            address: String::new(),
            municipality: municipality.into(),
            lat: 56.0,
            lon: 9.8,
            tutors: 1,
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

    fn trainee(id: &str, kind: TraineeType, unit: Option<&str>, municipality: Option<&str>) -> Trainee {
        let d = |m| NaiveDate::from_ymd_opt(2027, m, 1).unwrap_or_default();
        Trainee {
            id: id.into(),
            name: format!("Læge {id}"),
            kind,
            hospital_unit: unit.map(str::to_string),
            municipality: municipality.map(str::to_string),
            start: d(2),
            end: d(7),
            monthly_salary: None,
            seniority_step: None,
            own_gp: None,
            family_practices: Vec::new(),
            history: Vec::new(),
        }
    }

    #[test]
    fn a_kbu_doctors_area_is_the_unit_of_the_chosen_municipality_a_phase_doctors_the_anchoring_unit() {
        let data = Dataset::empty(Region::midtjylland());
        let k = trainee("K", TraineeType::Kbu, Some("Aarhus Universitetshospital"), Some("Hedensted"));
        assert_eq!(trainee_area(&data, &k).as_deref(), Some("Hospitalsenhed Horsens"));
        let f = trainee("F", TraineeType::Phase2, Some("hospitalsenhed midt"), None);
        assert_eq!(trainee_area(&data, &f).as_deref(), Some("Hospitalsenhed Midt"));
        assert!(in_area(&data, &f, &["Hospitalsenhed Midt".into()]));
        assert!(!in_area(&data, &k, &["Hospitalsenhed Midt".into()]));
        assert!(in_area(&data, &k, &[]), "no units: the whole region");
    }

    #[test]
    fn candidates_list_every_practice_feasible_first_by_score_then_fewest_broken_rules() {
        let mut data = Dataset::empty(Region::midtjylland());
        data.practices = vec![
            practice("A", "Horsens"),
            practice("B", "Hedensted"),
            practice("C", "Skive"),
            practice("D", "Hedensted"),
        ];
        let mut k = trainee("K", TraineeType::Kbu, None, Some("Hedensted"));
        k.own_gp = Some("B".into());
        k.family_practices = vec!["B".into()];
        data.trainees = vec![k.clone()];
        let c = candidates(&data, &k, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default());
        let ids: Vec<&str> = c.iter().map(|x| x.practice_id.as_str()).collect();
        assert_eq!(ids.len(), 4);
        assert_eq!(ids[0], "D", "the only feasible practice comes first");
        assert!(c[0].feasible && c[0].violations.is_empty() && !c[0].reasons.is_empty());
        assert!(c[1..].iter().all(|x| !x.feasible && x.score == 0.0));
        let counts: Vec<usize> = c[1..].iter().map(|x| x.violations.len()).collect();
        assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
        let b = c.iter().find(|x| x.practice_id == "B").expect("B");
        let rules: Vec<&str> = b.violations.iter().map(|v| v.rule.id()).collect();
        assert_eq!(rules, ["H1", "H2"]);
    }
}
