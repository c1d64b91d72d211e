//! The one write path's vocabulary: every change a user makes is a `Command` (STYLE.md).
//!
//! The GUI and the CLI build commands; `Command::check` decides in the domain whether one may
//! run; the store applies it in one IMMEDIATE transaction and writes an audit row holding the
//! command and its inverse, so undo and redo survive a restart.

use serde::{Deserialize, Serialize};

use super::model::{Dataset, Pause, Placement, Practice, Rule, Settings};
use super::rules::{RuleContext, Violation};

/// A change to the region's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Place one trainee (checked against H1–H9; overrides need a reason).
    Place {
        placement: Placement,
    },
    /// Remove a trainee's practice placement.
    Unplace {
        trainee_id: String,
    },
    /// Fix or release a placement for suggested rounds.
    SetPinned {
        trainee_id: String,
        pinned: bool,
    },
    /// Store a whole accepted round: all placements or none.
    AcceptRound {
        placements: Vec<Placement>,
    },
    /// The inverse of `AcceptRound`.
    RemovePlacements {
        placements: Vec<Placement>,
    },
    /// Replace a practice's fields (tutors, capacity, quality, ...).
    EditPractice {
        practice: Practice,
    },
    /// Rule H7 pause, or a P3 wish.
    AddPause {
        pause: Pause,
    },
    RemovePause {
        pause: Pause,
    },
    /// Rule P5: the region's yearly list of threatened municipalities.
    SetThreatened {
        municipality: String,
        threatened: bool,
    },
    SetSettings {
        settings: Box<Settings>,
    },
}

/// Why a command may not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CommandError {
    /// Hard rules are broken; each violation names its rule (CLI exit 3).
    #[error("{}", .0.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join("\n"))]
    Refused(Vec<Violation>),
    /// The command itself is malformed: unknown id, missing reason (CLI exit 2).
    #[error("{0}")]
    Invalid(String),
}

impl Command {
    /// A short sentence for the audit log and the status bar.
    pub fn summary(&self) -> String {
        match self {
            Command::Place { placement: p } => {
                let mut s = format!("place {} at {} from {} to {}", p.trainee_id, p.practice_id, p.start, p.end);
                if !p.overrides.is_empty() {
                    let rules: Vec<&str> = p.overrides.iter().map(|r| r.id()).collect();
                    s.push_str(&format!(" overriding {}", rules.join(", ")));
                }
                s
            }
            Command::Unplace { trainee_id } => format!("unplace {trainee_id}"),
            Command::SetPinned { trainee_id, pinned } => {
                format!("{} {trainee_id}", if *pinned { "pin" } else { "unpin" })
            }
            Command::AcceptRound { placements } => format!("accept a round of {} placements", placements.len()),
            Command::RemovePlacements { placements } => format!("remove {} placements", placements.len()),
            Command::EditPractice { practice } => format!("edit practice {}", practice.id),
            Command::AddPause { pause } => format!("add {} for {}", pause_word(pause), pause.practice_id),
            Command::RemovePause { pause } => format!("remove {} for {}", pause_word(pause), pause.practice_id),
            Command::SetThreatened { municipality, threatened } => {
                format!("mark {municipality} as {}threatened", if *threatened { "" } else { "not " })
            }
            Command::SetSettings { .. } => "change settings".to_string(),
        }
    }

    /// The short action name stored in the audit table.
    pub fn action(&self) -> &'static str {
        match self {
            Command::Place { .. } => "place",
            Command::Unplace { .. } => "unplace",
            Command::SetPinned { .. } => "set_pinned",
            Command::AcceptRound { .. } => "accept_round",
            Command::RemovePlacements { .. } => "remove_placements",
            Command::EditPractice { .. } => "edit_practice",
            Command::AddPause { .. } => "add_pause",
            Command::RemovePause { .. } => "remove_pause",
            Command::SetThreatened { .. } => "set_threatened",
            Command::SetSettings { .. } => "set_settings",
        }
    }

    /// The reason a user gave, for the audit log (overrides need one).
    pub fn reason(&self) -> Option<&str> {
        match self {
            Command::Place { placement } => placement.reason.as_deref(),
            _ => None,
        }
    }

    /// Decides whether the command may run on `data`: ids exist, hard rules hold unless
    /// overridden with a reason (CONTRACT.md `place`).
    pub fn check(&self, data: &Dataset) -> Result<(), CommandError> {
        match self {
            Command::Place { placement } => {
                let ctx = RuleContext::new(data);
                check_place(data, &ctx, placement)
            }
            Command::AcceptRound { placements } => {
                let mut ctx = RuleContext::new(data);
                for p in placements {
                    check_place(data, &ctx, p)?;
                    ctx.add(p.clone());
                }
                Ok(())
            }
            Command::Unplace { trainee_id } | Command::SetPinned { trainee_id, .. } => {
                if data.placement_of(trainee_id).is_none() {
                    return Err(CommandError::Invalid(format!("trainee {trainee_id} has no placement")));
                }
                Ok(())
            }
            Command::RemovePlacements { placements } => {
                for p in placements {
                    if data.placement_of(&p.trainee_id).is_none() {
                        return Err(CommandError::Invalid(format!("trainee {} has no placement", p.trainee_id)));
                    }
                }
                Ok(())
            }
            Command::EditPractice { practice } => {
                if data.practice(&practice.id).is_none() {
                    return Err(CommandError::Invalid(format!("unknown practice {}", practice.id)));
                }
                if practice.tutors == 0 || practice.doctors == 0 {
                    return Err(CommandError::Invalid("a practice has at least one tutor and one doctor".into()));
                }
                if data.region.municipality(&practice.municipality).is_none() {
                    return Err(CommandError::Invalid(format!("unknown municipality {}", practice.municipality)));
                }
                Ok(())
            }
            Command::AddPause { pause } | Command::RemovePause { pause } => {
                if data.practice(&pause.practice_id).is_none() {
                    return Err(CommandError::Invalid(format!("unknown practice {}", pause.practice_id)));
                }
                if pause.start > pause.end {
                    return Err(CommandError::Invalid("H9: a pause ends before it starts".into()));
                }
                Ok(())
            }
            Command::SetThreatened { municipality, .. } => match data.region.municipality(municipality) {
                Some(_) => Ok(()),
                None => Err(CommandError::Invalid(format!("unknown municipality {municipality}"))),
            },
            Command::SetSettings { .. } => Ok(()),
        }
    }

    /// The command that undoes this one on `before`, the data as it was just before it ran.
    pub fn inverse(&self, before: &Dataset) -> Option<Command> {
        Some(match self {
            Command::Place { placement } => Command::Unplace { trainee_id: placement.trainee_id.clone() },
            Command::Unplace { trainee_id } => Command::Place { placement: before.placement_of(trainee_id)?.clone() },
            Command::SetPinned { trainee_id, .. } => {
                Command::SetPinned { trainee_id: trainee_id.clone(), pinned: before.placement_of(trainee_id)?.pinned }
            }
            Command::AcceptRound { placements } => Command::RemovePlacements { placements: placements.clone() },
            Command::RemovePlacements { placements } => Command::AcceptRound {
                placements: placements
                    .iter()
                    .map(|p| before.placement_of(&p.trainee_id).cloned())
                    .collect::<Option<Vec<_>>>()?,
            },
            Command::EditPractice { practice } => {
                Command::EditPractice { practice: before.practice(&practice.id)?.clone() }
            }
            Command::AddPause { pause } => Command::RemovePause { pause: pause.clone() },
            Command::RemovePause { pause } => Command::AddPause { pause: pause.clone() },
            Command::SetThreatened { municipality, .. } => Command::SetThreatened {
                municipality: municipality.clone(),
                threatened: before.region.municipality(municipality)?.threatened,
            },
            Command::SetSettings { .. } => Command::SetSettings { settings: Box::new(before.settings.clone()) },
        })
    }
}

fn pause_word(p: &Pause) -> String {
    match p.wish_type {
        Some(t) => format!("a wish for {t}"),
        None => "a pause".to_string(),
    }
}

/// Rules H1–H9 for one placement, minus the rules it overrides with a reason.
fn check_place(data: &Dataset, ctx: &RuleContext<'_>, p: &Placement) -> Result<(), CommandError> {
    let trainee = data
        .trainee(&p.trainee_id)
        .ok_or_else(|| CommandError::Invalid(format!("unknown trainee {}", p.trainee_id)))?;
    let practice = data
        .practice(&p.practice_id)
        .ok_or_else(|| CommandError::Invalid(format!("unknown practice {}", p.practice_id)))?;
    if let Some(r) = p.overrides.iter().find(|r| !r.may_be_overridden()) {
        return Err(CommandError::Invalid(format!(
            "{r} cannot be overridden: a trainee holds one placement at a time, inside the trainee's period"
        )));
    }
    if !p.overrides.is_empty() && p.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(CommandError::Invalid("an override needs a reason (--reason TEXT)".into()));
    }
    let broken: Vec<Violation> =
        ctx.check(trainee, practice, p.period(), None).into_iter().filter(|v| !p.overrides.contains(&v.rule)).collect();
    if broken.is_empty() { Ok(()) } else { Err(CommandError::Refused(broken)) }
}

/// Rules a placement's overrides name that it did not need; shown as a warning.
pub fn unneeded_overrides(data: &Dataset, p: &Placement) -> Vec<Rule> {
    let (Some(t), Some(pr)) = (data.trainee(&p.trainee_id), data.practice(&p.practice_id)) else {
        return Vec::new();
    };
    let broken: Vec<Rule> = RuleContext::new(data).check(t, pr, p.period(), None).into_iter().map(|v| v.rule).collect();
    p.overrides.iter().copied().filter(|r| !broken.contains(r)).collect()
}
