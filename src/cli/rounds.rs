//! `round new/list/show/drop/compare/publish/...`, `letters` and `notices` (CONTRACT.md "Rounds as
//! drafts, scenarios and letters"; issue 13). Argument parsing and output only: the work is in
//! `ops::rounds`.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{CliResult, Failure, Format, load, open_store, print_json, today};
use crate::domain::model::TraineeType;
use crate::domain::round::{Round, weight_list};
use crate::ops::rounds as ops;
use crate::store::outfile::{print_out, write_atomic};

#[derive(Subcommand, Debug)]
pub enum RoundCmd {
    /// Run the optimizer into a stored draft round; nothing is placed. Weights default to the settings.
    New {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        name: String,
        /// Only trainees of this type: kbu, intro, phase1, phase2, phase3 or other.
        #[arg(long = "type")]
        kind: Option<String>,
        /// Only the open trainees of this hospital unit's area (repeat for several).
        #[arg(long = "hospital-unit")]
        hospital_units: Vec<String>,
        /// A weight for this round, e.g. P5=3 (T1, T2, P1 … P7; repeat for several).
        #[arg(long = "weight")]
        weights: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The rounds, draft and published.
    List {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// One round: scope, weights, proposals with scores and reasons, the unplaced with reasons.
    Show {
        #[arg(long)]
        db: PathBuf,
        name: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Drop a draft round.
    Drop {
        #[arg(long)]
        db: PathBuf,
        name: String,
    },
    /// Two rounds side by side: placed, unplaced, score, Gini, threatened share, per district; then
    /// the trainees who would go to different practices.
    Compare {
        #[arg(long)]
        db: PathBuf,
        a: String,
        b: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Place every proposal of a draft in one write (one audit entry, one undo); exit 3 naming each
    /// proposal that now breaks a hard rule, and nothing is placed.
    Publish {
        #[arg(long)]
        db: PathBuf,
        name: String,
    },
    /// Run a draft again on today's data (pinned proposals stay, excluded trainees stay out).
    Rerun {
        #[arg(long)]
        db: PathBuf,
        name: String,
        /// New weights, e.g. P5=3; the others stay as the round had them.
        #[arg(long = "weight")]
        weights: Vec<String>,
    },
    /// Send one trainee of a draft to another practice (checked against H1–H9; pinned).
    Change {
        #[arg(long)]
        db: PathBuf,
        name: String,
        trainee_id: String,
        practice_id: String,
    },
    /// Keep a proposal when the round runs again.
    Pin {
        #[arg(long)]
        db: PathBuf,
        name: String,
        trainee_id: String,
    },
    /// Release a pinned proposal.
    Unpin {
        #[arg(long)]
        db: PathBuf,
        name: String,
        trainee_id: String,
    },
    /// Take a trainee out of a draft (a re-run leaves them out).
    Exclude {
        #[arg(long)]
        db: PathBuf,
        name: String,
        trainee_id: String,
    },
    /// Placements moved, removed or added since a round was published, with who and why.
    Changes {
        #[arg(long)]
        db: PathBuf,
        name: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write to this file (0600) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub fn run(cmd: RoundCmd) -> CliResult {
    match cmd {
        RoundCmd::New { db, name, kind, hospital_units, weights, format } => {
            let kind = kind
                .map(|k| {
                    TraineeType::from_key(&k).ok_or_else(|| {
                        Failure::BadInput(format!(
                            "--type: unknown type '{k}'; use kbu, intro, phase1, phase2, phase3 or other"
                        ))
                    })
                })
                .transpose()?;
            let (mut store, data) = load(&db)?;
            let weights = ops::weights_from(&data.settings.weights, &weights)?;
            let round =
                ops::new_round(&mut store, &data, &name, kind, &hospital_units, weights, today(), &mut |_| true)?;
            eprintln!(
                "stored draft round {}: {} proposed, {} cannot be placed; nothing is placed until it is published",
                round.name,
                round.proposals.len(),
                round.unplaced.len()
            );
            show_round(&round, format)
        }
        RoundCmd::List { db, format } => {
            let store = open_store(&db)?;
            let rounds = store.rounds()?;
            if format == Format::Json {
                let list: Vec<serde_json::Value> = rounds
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "name": s.round.name,
                            "published": s.round.published,
                            "placed": s.round.proposals.len(),
                            "unplaced": s.round.unplaced.len(),
                            "computed_on": s.round.computed_on,
                            "data_version": s.round.data_version,
                        })
                    })
                    .collect();
                return print_json(&serde_json::json!({ "rounds": list }));
            }
            let now = store.data_stamp()?;
            for s in &rounds {
                let r = &s.round;
                let state = if r.published {
                    "published"
                } else if r.data_version != now {
                    "draft (the data changed since)"
                } else {
                    "draft"
                };
                print_out(&format!(
                    "{}\t{state}\t{} proposed, {} unplaced\tcomputed {}\n",
                    r.name,
                    r.proposals.len(),
                    r.unplaced.len(),
                    r.computed_on
                ))?;
            }
            if rounds.is_empty() {
                eprintln!("no rounds yet (round new --name NAME)");
            }
            Ok(())
        }
        RoundCmd::Show { db, name, format } => {
            let store = open_store(&db)?;
            let stored = ops::get(&store, &name)?;
            if format != Format::Json && !stored.round.published && stored.round.data_version != store.data_stamp()? {
                eprintln!("the data changed since round {name} was computed; `round rerun` computes it again");
            }
            show_round(&stored.round, format)
        }
        RoundCmd::Drop { db, name } => {
            let r = ops::drop_round(&mut open_store(&db)?, &name)?;
            print_out(&format!("dropped round {}\n", r.name))?;
            Ok(())
        }
        RoundCmd::Compare { db, a, b, format } => {
            let (store, data) = load(&db)?;
            let (ra, rb) = (ops::get(&store, &a)?.round, ops::get(&store, &b)?.round);
            let c = ops::compare(&data, &ra, &rb, today());
            match format {
                Format::Json => print_json(&c),
                _ => compare_text(&c),
            }
        }
        RoundCmd::Publish { db, name } => {
            let r = ops::publish(&mut open_store(&db)?, &name)?;
            print_out(&format!("published round {}: placed {} trainees\n", r.name, r.proposals.len()))?;
            eprintln!("one undo takes the whole round back");
            Ok(())
        }
        RoundCmd::Rerun { db, name, weights } => {
            let (mut store, data) = load(&db)?;
            let current = ops::get(&store, &name)?.round.weights;
            let w = if weights.is_empty() { None } else { Some(ops::weights_from(&current, &weights)?) };
            let r = ops::rerun(&mut store, &data, &name, w, today(), &mut |_| true)?;
            eprintln!(
                "ran round {} again: {} proposed, {} cannot be placed",
                r.name,
                r.proposals.len(),
                r.unplaced.len()
            );
            show_round(&r, Format::Text)
        }
        RoundCmd::Change { db, name, trainee_id, practice_id } => {
            let (mut store, data) = load(&db)?;
            ops::change(&mut store, &data, &name, &trainee_id, &practice_id, today())?;
            print_out(&format!("round {name}: {trainee_id} -> {practice_id} (pinned)\n"))?;
            Ok(())
        }
        RoundCmd::Pin { db, name, trainee_id } => run_pin(&db, &name, &trainee_id, true),
        RoundCmd::Unpin { db, name, trainee_id } => run_pin(&db, &name, &trainee_id, false),
        RoundCmd::Exclude { db, name, trainee_id } => {
            ops::exclude(&mut open_store(&db)?, &name, &trainee_id)?;
            print_out(&format!("round {name}: {trainee_id} taken out\n"))?;
            Ok(())
        }
        RoundCmd::Changes { db, name, format, out } => {
            let (store, data) = load(&db)?;
            let (round, lines) = ops::changes(&store, &data, &name)?;
            let text = match format {
                Format::Csv => ops::changes_csv(&lines),
                Format::Json => {
                    serde_json::to_string_pretty(&serde_json::json!({ "round": round.name, "changes": lines }))
                        .map_err(anyhow::Error::from)?
                        + "\n"
                }
                Format::Text => changes_text(&round, &lines),
            };
            match out {
                Some(path) => {
                    write_atomic(&path, text.as_bytes()).map_err(anyhow::Error::from)?;
                    eprintln!("wrote {} changes to {}", lines.len(), path.display());
                }
                None => print_out(&text)?,
            }
            Ok(())
        }
    }
}

/// `pin` / `unpin`.
fn run_pin(db: &Path, name: &str, trainee_id: &str, pinned: bool) -> CliResult {
    ops::pin(&mut open_store(db)?, name, trainee_id, pinned)?;
    print_out(&format!("round {name}: {} {trainee_id}\n", if pinned { "pinned" } else { "released" }))?;
    Ok(())
}

fn show_round(r: &Round, format: Format) -> CliResult {
    if format == Format::Json {
        return print_json(r);
    }
    let scope = match (r.kind, r.hospital_units.is_empty()) {
        (None, true) => "every type, the whole region".to_string(),
        (k, _) => format!(
            "{}, {}",
            k.map_or("every type".to_string(), |k| k.key().to_string()),
            if r.hospital_units.is_empty() { "the whole region".to_string() } else { r.hospital_units.join(", ") }
        ),
    };
    let weights: Vec<String> = weight_list(&r.weights).iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut s = format!(
        "round {} ({}), {scope}\nweights {}\ncomputed {} on data version {}; total score {:.2}\n",
        r.name,
        if r.published { "published" } else { "draft" },
        weights.join(" "),
        r.computed_on,
        r.data_version,
        r.total_score()
    );
    for p in &r.proposals {
        s.push_str(&format!(
            "{} -> {} from {} to {} (score {:.2}){}\n",
            p.trainee_id,
            p.practice_id,
            p.start,
            p.end,
            p.score,
            if p.pinned { " pinned" } else { "" }
        ));
    }
    for u in &r.unplaced {
        s.push_str(&format!("{} cannot be placed: {}\n", u.trainee_id, u.why));
    }
    if !r.excluded.is_empty() {
        s.push_str(&format!("taken out: {}\n", r.excluded.join(", ")));
    }
    print_out(&s)?;
    Ok(())
}

fn compare_text(c: &ops::Comparison) -> CliResult {
    let (a, b) = (&c.rounds[0], &c.rounds[1]);
    let mut s = format!("{:<28}{:>16}{:>16}\n", "", a.name, b.name);
    let mut row = |label: &str, x: String, y: String| s.push_str(&format!("{label:<28}{x:>16}{y:>16}\n"));
    row("placed", a.placed.to_string(), b.placed.to_string());
    row("unplaced", a.unplaced.to_string(), b.unplaced.to_string());
    row("total score", format!("{:.2}", a.score), format!("{:.2}", b.score));
    row("Gini months per tutor (P1)", format!("{:.4}", a.gini), format!("{:.4}", b.gini));
    row("threatened share (P5)", format!("{:.4}", a.threatened_share), format!("{:.4}", b.threatened_share));
    for (k, n) in &a.by_district {
        let m = b.by_district.get(k).copied().unwrap_or(0);
        row(&format!("placed in district {k}"), n.to_string(), m.to_string());
    }
    s.push_str(&format!("fairness window {} to {}\n", c.window_from, c.window_to));
    for r in &c.rounds {
        for u in &r.unplaced_reasons {
            s.push_str(&format!("{}: {} cannot be placed: {}\n", r.name, u.trainee_id, u.why));
        }
    }
    if c.differences.is_empty() {
        s.push_str("both rounds send every trainee to the same practice\n");
    }
    for d in &c.differences {
        s.push_str(&format!(
            "{}: {} -> {}\n",
            d.trainee_id,
            d.a.as_deref().unwrap_or("(unplaced)"),
            d.b.as_deref().unwrap_or("(unplaced)")
        ));
    }
    print_out(&s)?;
    Ok(())
}

fn place_text(p: &Option<(String, chrono::NaiveDate, chrono::NaiveDate)>) -> String {
    p.as_ref().map_or_else(|| "-".to_string(), |(id, a, b)| format!("{id} {a}..{b}"))
}

fn changes_text(round: &Round, lines: &[ops::ChangeLine]) -> String {
    let mut s = format!("changes since round {} was published: {}\n", round.name, lines.len());
    for l in lines {
        s.push_str(&format!(
            "{} {} {}: {} -> {}; {} by {} ({}){}\n",
            l.change.trainee_id,
            l.trainee_name,
            l.change.kind.key(),
            place_text(&l.change.before),
            place_text(&l.change.after),
            l.at,
            l.user,
            l.summary,
            l.reason.as_deref().map(|r| format!(", reason: {r}")).unwrap_or_default()
        ));
    }
    s
}

/// `letters` / `notices`: one PDF per placed trainee, or per receiving practice, of the round.
pub fn letters(db: &Path, round: &str, out: &Path, notices: bool) -> CliResult {
    let (store, data) = load(db)?;
    let r = ops::get(&store, round)?.round;
    if !r.published {
        eprintln!("round {round} is a draft: the letters describe its proposals, which are not placed yet");
    }
    let n = if notices {
        ops::write_notices(&data, &r, today(), out, &mut |_, _| true)?
    } else {
        ops::write_letters(&data, &r, today(), out, &mut |_, _| true)?
    };
    eprintln!("wrote {n} {} to {}", if notices { "notices" } else { "letters" }, out.display());
    Ok(())
}
