//! CLI commands of the distribution engine: check, suggest, phase3-options, intro-round, room
//! and fairness (CONTRACT.md).

use std::path::Path;

use super::{CliResult, Failure, Format, arg_months, load, print_json, today};
use crate::domain::command::Command;
use crate::domain::intro::intro_round as run_intro;
use crate::domain::model::{Placement, Practice, Trainee};
use crate::domain::rules::RuleContext;
use crate::store::csv::{CsvError, parse_ranking};

fn not_yet(what: &str) -> CliResult {
    Err(Failure::Unexpected(anyhow::anyhow!("`{what}` is not yet available in this version")))
}

pub fn check(_db: &Path, _format: Format) -> CliResult {
    not_yet("check")
}
pub fn suggest(_db: &Path, _kind: Option<&str>, _apply: bool, _format: Format) -> CliResult {
    not_yet("suggest")
}
pub fn phase3_options(_db: &Path, _trainee: &str, _agreement: Option<&str>, _format: Format) -> CliResult {
    not_yet("phase3-options")
}
pub fn room(_db: &Path, _area: &str, _from: &str, _months: u32, _format: Format) -> CliResult {
    not_yet("room")
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
        let placements = round
            .assignments
            .iter()
            .filter_map(|a| {
                let t = data.trainee(&a.trainee_id)?;
                Some(Placement {
                    trainee_id: a.trainee_id.clone(),
                    practice_id: a.practice_id.clone(),
                    start: t.start,
                    end: t.end,
                    pinned: false,
                    overrides: Vec::new(),
                    reason: None,
                })
            })
            .collect();
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
