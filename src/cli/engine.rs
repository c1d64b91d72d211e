//! CLI commands of the distribution engine: check, suggest, phase3-options, intro-round, room
//! and fairness (CONTRACT.md).

use std::path::Path;

use anyhow::Context as _;

use super::{CliResult, Failure, Format, arg_months, load, print_json, today};
use crate::domain::command::Command;
use crate::domain::intro::intro_round as run_intro;
use crate::domain::model::{Practice, Trainee, TraineeType};
use crate::domain::room::{Area, room_for};
use crate::domain::rules::{EngineError, RuleContext, check_all};
use crate::domain::suggest::{SuggestOptions, model_mps, suggest_round};
use crate::store::csv::{CsvError, parse_ranking};

/// `check`: every hard-rule violation among stored placements; exit 3 when any exists.
pub fn check(db: &Path, format: Format) -> CliResult {
    let (_, data) = load(db)?;
    let violations = check_all(&data);
    match format {
        Format::Json => print_json(&serde_json::json!({ "violations": violations }))?,
        _ => {
            for v in &violations {
                println!("{} at {}: {}", v.trainee_id, v.practice_id, v.message);
            }
        }
    }
    if violations.is_empty() {
        eprintln!("no hard rule is broken among {} placements", data.placements.len());
        Ok(())
    } else {
        Err(Failure::Refused(format!("{} hard-rule violations among stored placements", violations.len())))
    }
}

/// `suggest`: an optimal round for the open trainees, optionally stored, and optionally its model
/// as free MPS.
pub fn suggest(db: &Path, kind: Option<&str>, apply: bool, format: Format, write_model: Option<&Path>) -> CliResult {
    let only = match kind {
        Some(k) => Some(TraineeType::from_key(k).ok_or_else(|| {
            Failure::BadInput(format!("--type: unknown type '{k}'; use kbu, intro, phase1, phase2, phase3 or other"))
        })?),
        None => None,
    };
    let (mut store, data) = load(db)?;
    let (round, model) = suggest_round(&data, only, today(), SuggestOptions::default(), &mut |_| true)
        .map_err(|e| Failure::Unexpected(anyhow::anyhow!("{e}")))?;
    if let Some(path) = write_model {
        write_private(path, model_mps(&data, &model).as_bytes())
            .map_err(|e| Failure::BadInput(format!("{}: cannot write the model: {e}", path.display())))?;
        eprintln!("wrote the model to {}", path.display());
    }
    match format {
        Format::Json => print_json(&round)?,
        _ => {
            for p in &round.placements {
                println!("{} -> {} from {} to {} (score {:.1})", p.trainee_id, p.practice_id, p.start, p.end, p.score);
                for r in &p.reasons {
                    println!("    {r}");
                }
            }
            for u in &round.unplaced {
                println!("{} cannot be placed: {}", u.trainee_id, u.why);
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

/// Writes a file readable by its owner only, whatever the umask, through a temporary name in the
/// same folder that is renamed into place, so a failed run leaves no partial file and a symbolic
/// link at the final name is replaced, not written through (CONTRACT.md "Files the program
/// writes"). A private stand-in until `store::outfile::write_atomic` reaches this branch.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let name =
        path.file_name().ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}.{}.partial", name.to_string_lossy(), std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let written = (|| {
        let mut file = options.open(&tmp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// `phase3-options`: 3 practices for a phase-3 trainee, and the verdict on an agreement.
pub fn phase3_options(db: &Path, trainee: &str, agreement: Option<&str>, format: Format) -> CliResult {
    let (_, data) = load(db)?;
    let options = crate::domain::phase3::phase3_options(&data, trainee, today()).map_err(engine_failure)?;
    if let Some(why) = &options.why_fewer {
        eprintln!("{why}");
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
                println!("{}. {} {} (score {:.1})", i + 1, o.practice_id, name, o.score);
                for r in &o.reasons {
                    println!("    {r}");
                }
            }
            if let Some(v) = &verdict {
                println!("Agreement {}:", if v.approved { "approved" } else { "rejected" });
                for r in &v.reasons {
                    println!("    {r}");
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
            println!("{}", answer.explanation);
            for p in answer.practices.iter().filter(|p| p.free_slots > 0) {
                let name = data.practice(&p.practice_id).map_or("", |x| x.name.as_str());
                println!("  {} {}: {} free", p.practice_id, name, p.free_slots);
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
    let name = ranking.display().to_string();
    let bytes =
        std::fs::read(ranking).map_err(|e| Failure::BadInput(format!("{name}:1:1: cannot read the file: {e}")))?;
    let (lines, columns) = parse_ranking(&name, &bytes)?;
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
    let ctx = RuleContext::new(&data);
    let feasible = |t: &Trainee, p: &Practice| -> Result<(), String> {
        let v = ctx.check(t, p, t.period(), Some(&t.id));
        if v.is_empty() { Ok(()) } else { Err(v.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join("; ")) }
    };
    let rows: Vec<_> = lines.iter().map(|l| l.row.clone()).collect();
    let round = run_intro(&data, &rows, &declined, offered_on, &feasible).map_err(|e| {
        let line = lines.get(e.row().saturating_sub(1)).map_or(0, |l| l.line);
        let column = match e.field() {
            "rank" => columns.rank,
            "trainee_id" => columns.trainee_id,
            _ => columns.priorities,
        };
        Failure::from(CsvError { file: name.clone(), line, column, reason: e.to_string() })
    })?;
    match format {
        Format::Json => print_json(&round)?,
        _ => print!("{}", round.to_text()),
    }
    if apply && !round.assignments.is_empty() {
        let placements = round.to_placements(&data);
        store.execute(&Command::AcceptRound { placements })?;
        eprintln!("stored {} intro placements", round.assignments.len());
    }
    Ok(())
}

/// `fairness`: the review for DYNAMU over whole months.
pub fn fairness(db: &Path, from: &str, to: &str, format: Format) -> CliResult {
    let (_, _, period) = arg_months(from, to)?;
    let (_, data) = load(db)?;
    let review = crate::domain::fairness::fairness_review(&data, period, today());
    match format {
        Format::Json => print_json(&review),
        _ => {
            print!("{}", review.to_text());
            Ok(())
        }
    }
}
