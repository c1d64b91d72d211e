//! Phase 3 (fase 3): the three practices proposed to a trainee, and the review of a preliminary
//! agreement a trainee brings (DOMAIN.md §3, §3.1; rules H5, H6).

use chrono::NaiveDate;
use serde::Serialize;

use super::dates;
use super::lang::Lang;
use super::model::{Dataset, Practice, Trainee, TraineeType};
use super::reasons::{Because, Unfit};
use super::rules::{EngineError, RuleContext};
use super::score::{ScoreContext, danish_number};
use super::suggest::refusals;

/// How many practices a phase-3 trainee is offered (DOMAIN.md §3).
pub const OPTIONS: usize = 3;

/// One proposed practice with its score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phase3Option {
    pub practice_id: String,
    pub score: f64,
    pub reasons: Vec<String>,
    /// The score's reasons as figures, to be worded in the user's language (`Because::text`).
    #[serde(skip)]
    pub because: Vec<Because>,
}

/// The options, best first (CONTRACT.md `phase3-options --format json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phase3Options {
    pub options: Vec<Phase3Option>,
    /// Why fewer than 3 are offered; for stderr, not part of the JSON.
    #[serde(skip)]
    pub why_fewer: Option<String>,
    /// `why_fewer` as figures, for the user's language.
    #[serde(skip)]
    pub fewer: Option<Unfit>,
}

/// The verdict on a preliminary agreement (DOMAIN.md §3.1).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgreementVerdict {
    pub approved: bool,
    pub reasons: Vec<String>,
}

fn phase3_trainee<'a>(ctx: &RuleContext<'a>, trainee_id: &str) -> Result<&'a Trainee, EngineError> {
    let t = ctx.trainee(trainee_id).ok_or_else(|| EngineError::UnknownTrainee(trainee_id.to_string()))?;
    if t.kind != TraineeType::Phase3 {
        return Err(EngineError::NotPhase3 { id: t.id.clone(), kind: t.kind });
    }
    Ok(t)
}

/// The feasible practices of the trainee's catchment (H5, H6 and the rest), best score first, ties
/// by id. The trainee's own placement, if any, is left out of the checks: it is what is being chosen.
fn feasible<'a>(ctx: &RuleContext<'a>, scorer: &ScoreContext<'_>, t: &Trainee) -> Vec<(&'a Practice, f64)> {
    let data = ctx.data();
    let mut v: Vec<(&Practice, f64)> = ctx
        .candidate_practices(t)
        .into_iter()
        .map(|i| &data.practices[i])
        .filter(|p| ctx.allows(t, p, t.period(), Some(&t.id)))
        .map(|p| (p, scorer.total(t, p, t.period())))
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    v
}

/// Picks up to `OPTIONS` practices: the best first, then the best of the rest with a bonus for
/// variety (another organisation form, T1; another setting, T2; another municipality). Three solo
/// practices are never offered while a multi-doctor practice is feasible.
fn diverse<'a>(feasible: &[(&'a Practice, f64)]) -> Vec<(&'a Practice, f64)> {
    let mut picked: Vec<(&Practice, f64)> = Vec::new();
    let mut left: Vec<(&Practice, f64)> = feasible.to_vec();
    while picked.len() < OPTIONS && !left.is_empty() {
        let last_slot = picked.len() + 1 == OPTIONS;
        let all_solo = !picked.is_empty() && picked.iter().all(|(p, _)| p.is_solo());
        let must_be_multi = last_slot && all_solo && left.iter().any(|(p, _)| !p.is_solo());
        let bonus = |p: &Practice| -> f64 {
            if picked.is_empty() {
                return 0.0;
            }
            let mut b = 0.0;
            if picked.iter().all(|(q, _)| q.is_solo() != p.is_solo()) {
                b += 10.0;
            }
            if picked.iter().all(|(q, _)| q.setting != p.setting) {
                b += 5.0;
            }
            if picked.iter().all(|(q, _)| q.municipality != p.municipality) {
                b += 5.0;
            }
            b
        };
        let best = left
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| !must_be_multi || !p.is_solo())
            .max_by(|(_, a), (_, b)| {
                (a.1 + bonus(a.0)).total_cmp(&(b.1 + bonus(b.0))).then_with(|| b.0.id.cmp(&a.0.id))
            })
            .map(|(i, _)| i);
        let Some(i) = best else { break };
        picked.push(left.remove(i));
    }
    picked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    picked
}

/// The three practices proposed to a phase-3 trainee: feasible in the trainee's district and
/// catchment (H5) with no phase-3 collision (H6), best first, and varied. Fewer when fewer exist,
/// with `why_fewer` saying why.
pub fn phase3_options(data: &Dataset, trainee_id: &str, today: NaiveDate) -> Result<Phase3Options, EngineError> {
    let ctx = RuleContext::new(data);
    let t = phase3_trainee(&ctx, trainee_id)?;
    let scorer = ScoreContext::new(data, today);
    let all = feasible(&ctx, &scorer, t);
    let picked = diverse(&all);
    let options = picked
        .iter()
        .map(|(p, _)| {
            let s = scorer.score(t, p, t.period());
            Phase3Option {
                practice_id: p.id.clone(),
                score: (s.total * 100.0).round() / 100.0,
                reasons: s.reasons(),
                because: s.becauses(),
            }
        })
        .collect::<Vec<_>>();
    let fewer = (options.len() < OPTIONS).then(|| {
        let area = ctx.area(t);
        let candidates = ctx.candidate_practices(t);
        if candidates.is_empty() {
            return Unfit::NoPhase3Practice { id: t.id.clone(), area };
        }
        Unfit::FewPhase3 {
            id: t.id.clone(),
            feasible: options.len(),
            candidates: candidates.len(),
            area,
            from: t.start,
            refusals: refusals(&ctx, t, &candidates, Some(&t.id)),
        }
    });
    let why_fewer = fewer.as_ref().map(|f| f.text(Lang::English));
    Ok(Phase3Options { options, why_fewer, fewer })
}

/// DOMAIN.md §3.1: approves or rejects a phase-3 trainee's preliminary agreement with a practice under
/// the same principles. Rejected when a hard rule is broken; the reasons also rank the practice among
/// the feasible ones and give its score.
pub fn review_agreement(
    data: &Dataset,
    trainee_id: &str,
    practice_id: &str,
    today: NaiveDate,
) -> Result<AgreementVerdict, EngineError> {
    let ctx = RuleContext::new(data);
    let t = phase3_trainee(&ctx, trainee_id)?;
    let p = ctx.practice(practice_id).ok_or_else(|| EngineError::UnknownPractice(practice_id.to_string()))?;
    let scorer = ScoreContext::new(data, today);
    let violations = ctx.check(t, p, t.period(), Some(&t.id));
    let score = scorer.score(t, p, t.period());
    let mut reasons = Vec::new();
    let approved = violations.is_empty();
    if approved {
        reasons.push(format!(
            "Approved: {} breaks no hard rule for {} from {} to {}.",
            p.name,
            t.name,
            dates::danish(t.start),
            dates::danish(t.end)
        ));
        let all = feasible(&ctx, &scorer, t);
        if let Some(rank) = all.iter().position(|(q, _)| q.id == p.id) {
            let (best, best_score) = all[0];
            let mut line = format!(
                "It ranks {} of {} feasible practices in {} with a score of {}",
                rank + 1,
                all.len(),
                ctx.area_name(t),
                danish_number(score.total, 1)
            );
            if rank > 0 {
                line.push_str(&format!(" (the best is {} with {})", best.name, danish_number(best_score, 1)));
            }
            line.push('.');
            reasons.push(line);
        }
        if p.refuses.contains(&TraineeType::Phase3) {
            reasons.push(format!(
                "P3: {} is registered as refusing phase-3 trainees (flagged); confirm the agreement with the practice.",
                p.name
            ));
        }
    } else {
        reasons.push(format!(
            "Rejected: {} cannot take {} from {} to {}.",
            p.name,
            t.name,
            dates::danish(t.start),
            dates::danish(t.end)
        ));
        reasons.extend(violations.into_iter().map(|v| v.message));
        let options = phase3_options(data, trainee_id, today)?;
        if !options.options.is_empty() {
            let ids: Vec<&str> = options.options.iter().map(|o| o.practice_id.as_str()).collect();
            reasons.push(format!("The proposed options instead: {}.", ids.join(", ")));
        }
    }
    reasons.extend(score.reasons());
    Ok(AgreementVerdict { approved, reasons })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Setting;
    use crate::domain::rules::test_support::*;

    fn today() -> NaiveDate {
        d(2026, 5, 1)
    }

    fn ids(o: &Phase3Options) -> Vec<&str> {
        o.options.iter().map(|x| x.practice_id.as_str()).collect()
    }

    #[test]
    fn the_contract_example_offers_p3_p4_and_p6_because_p5_collides() {
        let data = placed_example();
        let o = phase3_options(&data, "EX-F3B", today()).expect("options");
        let mut got = ids(&o);
        got.sort();
        assert_eq!(got, ["EX-P3", "EX-P4", "EX-P6"]);
        assert_eq!(o.why_fewer, None);
        assert!(o.options.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(o.options.iter().all(|x| !x.reasons.is_empty()));
        let json = serde_json::to_value(&o).expect("json");
        assert_eq!(json.as_object().map(|m| m.len()), Some(1), "only the options key: {json}");
    }

    #[test]
    fn only_a_phase3_trainee_gets_options_and_ids_must_exist() {
        let data = contract_example();
        assert_eq!(
            phase3_options(&data, "EX-K1", today()),
            Err(EngineError::NotPhase3 { id: "EX-K1".into(), kind: TraineeType::Kbu })
        );
        assert_eq!(phase3_options(&data, "NOPE", today()), Err(EngineError::UnknownTrainee("NOPE".into())));
    }

    #[test]
    fn fewer_options_say_why() {
        let mut data = placed_example();
        data.practices.retain(|p| p.id != "EX-P3" && p.id != "EX-P4");
        let o = phase3_options(&data, "EX-F3B", today()).expect("options");
        assert_eq!(ids(&o), ["EX-P6"]);
        let why = o.why_fewer.expect("why");
        assert!(why.contains("only 1 of the 2 practices in the catchment of Hospitalsenhed Midt"), "{why}");
        assert!(why.contains("already has a phase-3 doctor"), "{why}");
    }

    #[test]
    fn three_solo_practices_are_not_offered_when_a_multi_doctor_practice_is_feasible() {
        let mut data = region_data();
        for i in 0..4 {
            let mut p = practice(&format!("SOLO{i}"), "Viborg", 1);
            p.doctors = 1;
            p.quality = Some(5);
            data.practices.push(p);
        }
        let mut multi = practice("MULTI", "Viborg", 1);
        multi.doctors = 4;
        multi.quality = Some(1);
        multi.setting = Setting::Urban;
        data.practices.push(multi);
        data.trainees.push(course("F", TraineeType::Phase3, "Hospitalsenhed Midt", d(2026, 8, 1), d(2027, 7, 31)));
        let o = phase3_options(&data, "F", today()).expect("options");
        assert_eq!(o.options.len(), 3);
        assert!(ids(&o).contains(&"MULTI"), "{:?}", ids(&o));
    }

    #[test]
    fn an_agreement_that_breaks_h6_is_rejected_with_the_rule_and_alternatives() {
        let data = placed_example();
        let v = review_agreement(&data, "EX-F3B", "EX-P5", today()).expect("verdict");
        assert!(!v.approved);
        assert!(v.reasons.iter().any(|r| r.starts_with("H6:")), "{:?}", v.reasons);
        assert!(v.reasons.iter().any(|r| r.starts_with("The proposed options instead:")));
    }

    #[test]
    fn a_sound_agreement_is_approved_with_its_rank() {
        let data = placed_example();
        let v = review_agreement(&data, "EX-F3B", "EX-P4", today()).expect("verdict");
        assert!(v.approved, "{:?}", v.reasons);
        assert!(
            v.reasons[1].contains("of 3 feasible practices in the catchment of Hospitalsenhed Midt"),
            "{:?}",
            v.reasons
        );
        assert_eq!(
            review_agreement(&data, "EX-F3B", "NOPE", today()),
            Err(EngineError::UnknownPractice("NOPE".into()))
        );
    }

    #[test]
    fn a_placed_phase3_trainee_still_gets_options_around_their_own_placement() {
        // EX-F3 holds EX-P5; its own placement neither blocks EX-P5 (H6, H8) nor counts as H9.
        let data = placed_example();
        let o = phase3_options(&data, "EX-F3", today()).expect("options");
        assert_eq!(o.options.len(), 3, "{:?}", ids(&o));
        assert_eq!(o.why_fewer, None);
        let ctx = RuleContext::new(&data);
        let t = ctx.trainee("EX-F3").expect("F3");
        let p5 = ctx.practice("EX-P5").expect("P5");
        assert!(ctx.allows(t, p5, t.period(), Some("EX-F3")));
    }
}
