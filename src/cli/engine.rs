//! CLI commands of the distribution engine: check, suggest, phase3-options, intro-round, room
//! and fairness (CONTRACT.md).

use std::path::Path;

use anyhow::Context as _;

use super::{CliResult, Failure, Format, arg_months, lang, load, print_json, today};
use crate::domain::command::Command;
use crate::domain::model::TraineeType;
use crate::domain::room::{Area, room_for};
use crate::domain::rules::{EngineError, check_all};
use crate::domain::suggest::{SuggestOptions, model_mps, suggest_round};
use crate::report::format::Lang;
use crate::store::outfile::{print_out, write_atomic};

/// `check`: every hard-rule violation among stored placements; exit 3 when any exists.
pub fn check(db: &Path, format: Format) -> CliResult {
    let (_, data) = load(db)?;
    let violations = check_all(&data);
    match format {
        Format::Json => print_json(&serde_json::json!({ "violations": violations }))?,
        _ => {
            for v in &violations {
                let at = lang().t("hos", "at");
                print_out(&format!("{} {at} {}: {}\n", v.trainee_id, v.practice_id, v.text(lang())))?;
            }
        }
    }
    if violations.is_empty() {
        let n = data.placements.len();
        match lang() {
            Lang::Danish => eprintln!("ingen hård regel er brudt blandt {n} placeringer"),
            Lang::English => eprintln!("no hard rule is broken among {n} placements"),
        }
        Ok(())
    } else {
        let n = violations.len();
        Err(Failure::Refused(match lang() {
            Lang::Danish => format!("{n} brud på hårde regler blandt de gemte placeringer"),
            Lang::English => format!("{n} hard-rule violations among stored placements"),
        }))
    }
}

/// `suggest`: an optimal round for the open trainees (of a coordinator's area), optionally
/// stored, and optionally its model as free MPS.
pub fn suggest(
    db: &Path,
    kind: Option<&str>,
    units: &[String],
    apply: bool,
    format: Format,
    write_model: Option<&Path>,
) -> CliResult {
    let only = match kind {
        Some(k) => Some(TraineeType::from_key(k).ok_or_else(|| {
            Failure::BadInput(format!("--type: unknown type '{k}'; use kbu, intro, phase1, phase2, phase3 or other"))
        })?),
        None => None,
    };
    let (mut store, data) = load(db)?;
    // A coordinator's area: only its open trainees are proposed for (DOMAIN.md 3.3).
    let data = crate::domain::area::open_trainees_of(&data, &crate::ops::area_units(&data, units)?);
    let (round, model) = suggest_round(&data, only, today(), SuggestOptions::default(), &mut |_| true)
        .map_err(|e| Failure::Unexpected(anyhow::anyhow!("{e}")))?;
    if let Some(path) = write_model {
        write_atomic(path, model_mps(&data, &model).as_bytes())
            .map_err(|e| Failure::BadInput(format!("cannot write the model: {e}")))?;
        eprintln!("wrote the model to {}", path.display());
    }
    match format {
        Format::Json => print_json(&round)?,
        _ => {
            for p in &round.placements {
                print_out(&format!(
                    "{} -> {} from {} to {} (score {:.1})\n",
                    p.trainee_id, p.practice_id, p.start, p.end, p.score
                ))?;
                for r in &p.because {
                    print_out(&format!("    {}\n", r.text(lang())))?;
                }
            }
            for u in &round.unplaced {
                print_out(&match lang() {
                    Lang::Danish => format!("{} kan ikke placeres: {}\n", u.trainee_id, u.unfit.text(lang())),
                    Lang::English => format!("{} cannot be placed: {}\n", u.trainee_id, u.why),
                })?;
            }
        }
    }
    let proof = if round.optimal { "proven optimal".to_string() } else { format!("within {} of optimal", round.gap) };
    eprintln!(
        "{} proposed, {} cannot be placed; objective {}, {proof}",
        round.placements.len(),
        round.unplaced.len(),
        round.objective
    );
    if apply && !round.placements.is_empty() {
        store.execute(&Command::AcceptRound { placements: round.to_placements() })?;
        eprintln!("stored {} placements", round.placements.len());
    }
    Ok(())
}

/// `phase3-options`: 3 practices for a phase-3 trainee, and the verdict on an agreement.
pub fn phase3_options(db: &Path, trainee: &str, agreement: Option<&str>, format: Format) -> CliResult {
    let (_, data) = load(db)?;
    let options = crate::domain::phase3::phase3_options(&data, trainee, today()).map_err(engine_failure)?;
    if let Some(fewer) = &options.fewer {
        eprintln!("{}", fewer.text(lang()));
    }
    let verdict = agreement
        .map(|p| crate::domain::phase3::review_agreement(&data, trainee, p, today()))
        .transpose()
        .map_err(engine_failure)?;
    match format {
        Format::Json => {
            let mut value = serde_json::to_value(&options).context("json")?;
            if let (Some(v), Some(obj)) = (&verdict, value.as_object_mut()) {
                obj.insert("agreement".into(), serde_json::to_value(v).context("json")?);
            }
            print_json(&value)?;
        }
        _ => {
            for (i, o) in options.options.iter().enumerate() {
                let name = data.practice(&o.practice_id).map_or("", |p| p.name.as_str());
                print_out(&format!("{}. {} {} (score {:.1})\n", i + 1, o.practice_id, name, o.score))?;
                for r in &o.because {
                    print_out(&format!("    {}\n", r.text(lang())))?;
                }
            }
            if let Some(v) = &verdict {
                print_out(&format!("Agreement {}:\n", if v.approved { "approved" } else { "rejected" }))?;
                for r in &v.reasons {
                    print_out(&format!("    {r}\n"))?;
                }
            }
        }
    }
    Ok(())
}

/// `room`: rule P7, is there room in an area for an N-month placement from a date?
pub fn room(db: &Path, area: &str, from: &str, months: u32, format: Format) -> CliResult {
    let start = super::arg_date("--from", from)?;
    let (_, data) = load(db)?;
    let area = if let Some(m) = data.region.municipality(area) {
        Area::Municipality(m.name.clone())
    } else if let Some(h) = data.region.hospital_unit(area) {
        Area::Catchment(h.name.clone())
    } else {
        return Err(Failure::BadInput(format!("--area: '{area}' is neither a municipality nor a hospital unit")));
    };
    let answer = room_for(&data, &area, start, months);
    match format {
        Format::Json => print_json(&answer),
        _ => {
            print_out(&format!("{}\n", answer.explanation))?;
            for p in answer.practices.iter().filter(|p| p.free_slots > 0) {
                let name = data.practice(&p.practice_id).map_or("", |x| x.name.as_str());
                print_out(&format!("  {} {}: {} free\n", p.practice_id, name, p.free_slots))?;
            }
            Ok(())
        }
    }
}

fn engine_failure(e: EngineError) -> Failure {
    match e {
        EngineError::UnknownTrainee(_) | EngineError::UnknownPractice(_) | EngineError::NotPhase3 { .. } => {
            Failure::BadInput(e.to_string())
        }
    }
}

/// `intro-round`: serial dictatorship over the ranked list (DOMAIN.md §3.2).
pub fn intro_round(
    db: &Path,
    ranking: &Path,
    decline: &[String],
    offered_on: Option<&str>,
    apply: bool,
    format: Format,
) -> CliResult {
    let ranking = crate::ops::files::read_ranking(ranking)?;
    let declined = decline
        .iter()
        .map(|d| {
            d.split_once(':')
                .map(|(t, p)| (t.trim().to_string(), p.trim().to_string()))
                .ok_or_else(|| Failure::BadInput(format!("--decline '{d}': write TRAINEE:PRACTICE")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let offered_on = match offered_on {
        Some(d) => super::arg_date("--offered-on", d)?,
        None => today(),
    };
    let (mut store, data) = load(db)?;
    let round = ranking.run(&data, &declined, offered_on)?;
    match format {
        Format::Json => print_json(&round)?,
        _ => print_out(&round.to_text())?,
    }
    if apply && !round.assignments.is_empty() {
        let placements = round.to_placements(&data);
        store.execute(&Command::AcceptRound { placements })?;
        eprintln!("stored {} intro placements", round.assignments.len());
    }
    Ok(())
}

/// `fairness`: the review for DYNAMU over whole months, as text or JSON on stdout and, with
/// `--pdf FILE`, as a printable PDF report.
pub fn fairness(db: &Path, from: &str, to: &str, format: Option<Format>, pdf: Option<&Path>) -> CliResult {
    let (_, _, period) = arg_months(from, to)?;
    let (_, data) = load(db)?;
    let today = today();
    let review = crate::domain::fairness::fairness_review(&data, period, today);
    if let Some(path) = pdf {
        crate::ops::fairness::write_report(&review, today, path)?;
        eprintln!("wrote the fairness report to {}", path.display());
    }
    match format {
        Some(Format::Json) => print_json(&review),
        Some(_) => Ok(print_out(&crate::report::fairness::text(&review))?),
        None if pdf.is_none() => Ok(print_out(&crate::report::fairness::text(&review))?),
        None => Ok(()),
    }
}

/// `candidates`: every practice ranked for one trainee (CONTRACT.md).
pub fn candidates(db: &Path, trainee_id: &str, units: &[String], format: Format) -> CliResult {
    let (_, data) = load(db)?;
    let list = crate::ops::candidates(&data, trainee_id, units, today())?;
    match format {
        Format::Json => print_json(&serde_json::json!({ "candidates": list })),
        _ => {
            let mut text = String::new();
            for c in &list {
                if c.feasible {
                    text.push_str(&format!("{}  score {:.2}\n", c.practice_id, c.score));
                    for r in &c.because {
                        text.push_str(&format!("    {}\n", r.text(lang())));
                    }
                } else {
                    let rules: Vec<&str> = c.violations.iter().map(|v| v.rule.id()).collect();
                    let breaks = lang().t("bryder", "breaks");
                    text.push_str(&format!("{}  {breaks} {}\n", c.practice_id, rules.join(", ")));
                    for v in &c.violations {
                        text.push_str(&format!("    {}\n", v.text(lang())));
                    }
                }
            }
            print_out(&text)?;
            Ok(())
        }
    }
}
