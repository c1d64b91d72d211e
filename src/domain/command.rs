//! The one write path's vocabulary: every change a user makes is a `Command` (STYLE.md).
//!
//! A command carries what it expects to find: the old values of the rows it changes. That is
//! also its inverse, so `Command::inverse` needs no data, and the store can refuse a command
//! whose rows changed since the caller read them (a conflict, CLI exit 4).
//!
//! The GUI and the CLI build commands; `Command::check` decides in the domain whether one may
//! run (ids, the CPR guard, hard rules H1–H9); the store checks the preconditions and applies it
//! in one IMMEDIATE transaction, writing an audit row with the command and its inverse. The
//! audit log is also the change feed: `Dataset::apply` replays a command on data in memory.

use serde::{Deserialize, Serialize};

use super::model::{BoundaryRing, Dataset, Pause, Placement, Practice, Rule, Settings, Trainee};
use super::privacy::{contains_cpr, cpr_refusal};
use super::reasons::Breach;
use super::round::Round;
use super::rules::{RuleContext, Violation};

/// One row before and after a change: `None` before is an insert, `None` after a delete.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diff<T> {
    pub before: Option<T>,
    pub after: Option<T>,
}

impl<T: Clone> Diff<T> {
    fn swapped(&self) -> Diff<T> {
        Diff { before: self.after.clone(), after: self.before.clone() }
    }
}

/// Rows a command changes, by table. An import is one of these.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rows {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub practices: Vec<Diff<Practice>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trainees: Vec<Diff<Trainee>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placements: Vec<Diff<Placement>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<Diff<Pause>>,
}

impl Rows {
    fn swapped(&self) -> Rows {
        Rows {
            practices: self.practices.iter().map(Diff::swapped).collect(),
            trainees: self.trainees.iter().map(Diff::swapped).collect(),
            placements: self.placements.iter().map(Diff::swapped).collect(),
            pauses: self.pauses.iter().map(Diff::swapped).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.practices.is_empty() && self.trainees.is_empty() && self.placements.is_empty() && self.pauses.is_empty()
    }
}

/// A change to the region's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Place one trainee (checked against H1–H9; overrides need a reason).
    Place {
        placement: Placement,
    },
    /// Remove a trainee's practice placement: exactly this one, with the user's reason for the
    /// audit log (optional; the desk asks for one).
    Unplace {
        placement: Placement,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Fix or release a placement for suggested rounds; `placement` is as the caller saw it.
    SetPinned {
        placement: Placement,
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
        before: Box<Practice>,
        after: Box<Practice>,
    },
    /// Replace a trainee's fields (name, period, ties, salary, ...).
    EditTrainee {
        before: Box<Trainee>,
        after: Box<Trainee>,
    },
    /// A new trainee, made in the desk (`RemoveTrainee` is its inverse).
    AddTrainee {
        trainee: Box<Trainee>,
    },
    RemoveTrainee {
        trainee: Box<Trainee>,
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
        before: bool,
        after: bool,
    },
    SetSettings {
        before: Box<Settings>,
        after: Box<Settings>,
    },
    /// A CSV import (or its undo): rows added or replaced, one step. Imported placements are
    /// history and are stored even where they break a hard rule (CONTRACT.md).
    Import {
        summary: String,
        rows: Rows,
    },
    /// Municipality outlines for the map, replacing the old ones.
    Boundaries {
        before: Vec<BoundaryRing>,
        after: Vec<BoundaryRing>,
    },
    /// A placement's new dates (and the overrides and reason they needed): `before` as the
    /// caller saw it. The new dates are checked against H1–H9 like a new placement.
    EditPlacement {
        before: Box<Placement>,
        after: Box<Placement>,
    },
    /// A draft round stored (`before` none), changed, or dropped (`after` none). Places nobody.
    SaveRound {
        before: Option<Box<Round>>,
        after: Option<Box<Round>>,
    },
    /// Every proposal of a draft round stored as placements, in one write; `round` is the draft
    /// as the caller saw it. If one breaks a hard rule, nothing is placed.
    PublishRound {
        round: Box<Round>,
    },
    /// The inverse of `PublishRound`: its placements go and the round is a draft again.
    UnpublishRound {
        round: Box<Round>,
    },
}

/// Why a command may not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CommandError {
    /// Hard rules are broken; each violation names its rule (CLI exit 3).
    #[error("{}", .0.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join("\n"))]
    Refused(Vec<Violation>),
    /// The command itself is malformed: unknown id, missing reason, a CPR number (CLI exit 2).
    #[error("{0}")]
    Invalid(String),
}

impl Command {
    /// Unplaces `trainee_id` as found in `data` (the caller's view).
    pub fn unplace(data: &Dataset, trainee_id: &str) -> Result<Command, CommandError> {
        let placement = data
            .placement_of(trainee_id)
            .ok_or_else(|| CommandError::Invalid(format!("trainee {trainee_id} has no placement")))?;
        Ok(Command::Unplace { placement: placement.clone(), reason: None })
    }

    /// Moves `trainee_id`'s placement (as found in `data`) to the dates `start`..`end`. Rules the
    /// new dates break may be overridden with a reason (`overrides`, added to those the
    /// placement had); the new placement is checked against H1–H9 like a new one.
    pub fn change_dates(
        data: &Dataset,
        trainee_id: &str,
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
        overrides: Vec<Rule>,
        reason: Option<String>,
    ) -> Result<Command, CommandError> {
        let before = data
            .placement_of(trainee_id)
            .ok_or_else(|| CommandError::Invalid(format!("trainee {trainee_id} has no placement")))?;
        let mut after = Placement { start, end, ..before.clone() };
        for r in overrides {
            if !after.overrides.contains(&r) {
                after.overrides.push(r);
            }
        }
        after.overrides.sort();
        if let Some(r) = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()) {
            after.reason = Some(r);
        }
        Ok(Command::EditPlacement { before: Box::new(before.clone()), after: Box::new(after) })
    }

    /// Pins or unpins `trainee_id`'s placement as found in `data`.
    pub fn set_pinned(data: &Dataset, trainee_id: &str, pinned: bool) -> Result<Command, CommandError> {
        let placement = data
            .placement_of(trainee_id)
            .ok_or_else(|| CommandError::Invalid(format!("trainee {trainee_id} has no placement")))?;
        Ok(Command::SetPinned { placement: placement.clone(), pinned })
    }

    /// Replaces the practice with `after`'s id by `after`; `data` gives what the caller saw.
    pub fn edit_practice(data: &Dataset, after: Practice) -> Result<Command, CommandError> {
        let before =
            data.practice(&after.id).ok_or_else(|| CommandError::Invalid(format!("unknown practice {}", after.id)))?;
        Ok(Command::EditPractice { before: Box::new(before.clone()), after: Box::new(after) })
    }

    /// Replaces the trainee with `after`'s id by `after`.
    pub fn edit_trainee(data: &Dataset, after: Trainee) -> Result<Command, CommandError> {
        let before =
            data.trainee(&after.id).ok_or_else(|| CommandError::Invalid(format!("unknown trainee {}", after.id)))?;
        Ok(Command::EditTrainee { before: Box::new(before.clone()), after: Box::new(after) })
    }

    /// Sets the settings to `after`.
    pub fn set_settings(data: &Dataset, after: Settings) -> Command {
        Command::SetSettings { before: Box::new(data.settings.clone()), after: Box::new(after) }
    }

    /// Marks a municipality as threatened or not (P5).
    pub fn set_threatened(data: &Dataset, municipality: &str, after: bool) -> Result<Command, CommandError> {
        let m = data
            .region
            .municipality(municipality)
            .ok_or_else(|| CommandError::Invalid(format!("unknown municipality {municipality}")))?;
        Ok(Command::SetThreatened { municipality: m.name.clone(), before: m.threatened, after })
    }

    /// A short sentence for the audit log. The desktop shows its own words (`ui::i18n`).
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
            Command::Unplace { placement, .. } => {
                format!("unplace {} from {}", placement.trainee_id, placement.practice_id)
            }
            Command::SetPinned { placement, pinned } => {
                format!("{} {}", if *pinned { "pin" } else { "unpin" }, placement.trainee_id)
            }
            Command::AcceptRound { placements } => format!("accept a round of {} placements", placements.len()),
            Command::RemovePlacements { placements } => format!("remove {} placements", placements.len()),
            Command::EditPractice { after, .. } => format!("edit practice {}", after.id),
            Command::EditTrainee { after, .. } => format!("edit trainee {}", after.id),
            Command::AddTrainee { trainee } => format!("add trainee {} ({})", trainee.id, trainee.kind),
            Command::RemoveTrainee { trainee } => format!("remove trainee {}", trainee.id),
            Command::AddPause { pause } => format!("add {} for {}", pause_word(pause), pause.practice_id),
            Command::RemovePause { pause } => format!("remove {} for {}", pause_word(pause), pause.practice_id),
            Command::SetThreatened { municipality, after, .. } => {
                format!("mark {municipality} as {}threatened", if *after { "" } else { "not " })
            }
            Command::SetSettings { .. } => "change settings".to_string(),
            Command::Import { summary, .. } => summary.clone(),
            Command::Boundaries { after, .. } => format!("import {} boundary rings", after.len()),
            Command::EditPlacement { before, after } => {
                let mut s = format!(
                    "change the dates of {} at {} from {} to {} (were {} to {})",
                    after.trainee_id, after.practice_id, after.start, after.end, before.start, before.end
                );
                let new: Vec<&str> =
                    after.overrides.iter().filter(|r| !before.overrides.contains(r)).map(|r| r.id()).collect();
                if !new.is_empty() {
                    s.push_str(&format!(" overriding {}", new.join(", ")));
                }
                s
            }
            Command::SaveRound { before, after } => match (before, after) {
                (None, Some(a)) => format!("new round {} ({} proposals)", a.name, a.proposals.len()),
                (Some(b), None) => format!("drop round {}", b.name),
                (_, Some(a)) => format!("change round {} ({} proposals)", a.name, a.proposals.len()),
                (None, None) => "round".to_string(),
            },
            Command::PublishRound { round } => {
                format!("publish round {}: place {} trainees", round.name, round.proposals.len())
            }
            Command::UnpublishRound { round } => {
                format!("take back round {}: remove {} placements", round.name, round.proposals.len())
            }
        }
    }

    /// The summary for the audit log, with what `data` adds: an H6 override at a practice marked
    /// large is a dispensation (DOMAIN.md H6); the audit row records who granted it.
    pub fn summary_in(&self, data: &Dataset) -> String {
        let s = self.summary();
        match self {
            Command::Place { placement: p }
                if p.overrides.contains(&Rule::H6) && data.practice(&p.practice_id).is_some_and(|x| x.large) =>
            {
                format!("{s} (H6 dispensation: large practice)")
            }
            _ => s,
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
            Command::EditTrainee { .. } => "edit_trainee",
            Command::AddTrainee { .. } => "add_trainee",
            Command::RemoveTrainee { .. } => "remove_trainee",
            Command::AddPause { .. } => "add_pause",
            Command::RemovePause { .. } => "remove_pause",
            Command::SetThreatened { .. } => "set_threatened",
            Command::SetSettings { .. } => "set_settings",
            Command::Import { .. } => "import",
            Command::Boundaries { .. } => "import_boundaries",
            Command::EditPlacement { .. } => "edit_placement",
            Command::SaveRound { before: None, .. } => "round_new",
            Command::SaveRound { after: None, .. } => "round_drop",
            Command::SaveRound { .. } => "round_edit",
            Command::PublishRound { .. } => "round_publish",
            Command::UnpublishRound { .. } => "round_unpublish",
        }
    }

    /// The reason a user gave, for the audit log (overrides need one).
    pub fn reason(&self) -> Option<&str> {
        match self {
            Command::Place { placement } => placement.reason.as_deref(),
            Command::Unplace { reason, .. } => reason.as_deref(),
            // A reason given with the new dates (an override's), not the one the placement had.
            Command::EditPlacement { before, after } if after.reason != before.reason => after.reason.as_deref(),
            _ => None,
        }
    }

    /// The rows this command changes, each with the value it expects to find.
    pub fn rows(&self) -> Rows {
        let place = |p: &Placement| Diff { before: None, after: Some(p.clone()) };
        let unplace = |p: &Placement| Diff { before: Some(p.clone()), after: None };
        match self {
            Command::Place { placement } => Rows { placements: vec![place(placement)], ..Rows::default() },
            Command::Unplace { placement, .. } => Rows { placements: vec![unplace(placement)], ..Rows::default() },
            Command::SetPinned { placement, pinned } => Rows {
                placements: vec![Diff {
                    before: Some(placement.clone()),
                    after: Some(Placement { pinned: *pinned, ..placement.clone() }),
                }],
                ..Rows::default()
            },
            Command::AcceptRound { placements } => {
                Rows { placements: placements.iter().map(place).collect(), ..Rows::default() }
            }
            Command::RemovePlacements { placements } => {
                Rows { placements: placements.iter().map(unplace).collect(), ..Rows::default() }
            }
            Command::EditPractice { before, after } => Rows {
                practices: vec![Diff { before: Some((**before).clone()), after: Some((**after).clone()) }],
                ..Rows::default()
            },
            Command::EditTrainee { before, after } => Rows {
                trainees: vec![Diff { before: Some((**before).clone()), after: Some((**after).clone()) }],
                ..Rows::default()
            },
            Command::AddTrainee { trainee } => {
                Rows { trainees: vec![Diff { before: None, after: Some((**trainee).clone()) }], ..Rows::default() }
            }
            Command::RemoveTrainee { trainee } => {
                Rows { trainees: vec![Diff { before: Some((**trainee).clone()), after: None }], ..Rows::default() }
            }
            Command::AddPause { pause } => {
                Rows { pauses: vec![Diff { before: None, after: Some(pause.clone()) }], ..Rows::default() }
            }
            Command::RemovePause { pause } => {
                Rows { pauses: vec![Diff { before: Some(pause.clone()), after: None }], ..Rows::default() }
            }
            Command::Import { rows, .. } => rows.clone(),
            Command::EditPlacement { before, after } => Rows {
                placements: vec![Diff { before: Some((**before).clone()), after: Some((**after).clone()) }],
                ..Rows::default()
            },
            Command::PublishRound { round } => {
                Rows { placements: round.placements().iter().map(place).collect(), ..Rows::default() }
            }
            Command::UnpublishRound { round } => {
                Rows { placements: round.placements().iter().map(unplace).collect(), ..Rows::default() }
            }
            Command::SetThreatened { .. }
            | Command::SetSettings { .. }
            | Command::Boundaries { .. }
            | Command::SaveRound { .. } => Rows::default(),
        }
    }

    /// The trainees and practices this command touches (the audit log's filters, a conflict's
    /// "who changed it").
    pub fn subjects(&self) -> Subjects {
        let mut s = Subjects::default();
        let rows = self.rows();
        for d in &rows.practices {
            for p in d.before.iter().chain(&d.after) {
                s.practices.push(p.id.clone());
            }
        }
        for d in &rows.trainees {
            for t in d.before.iter().chain(&d.after) {
                s.trainees.push(t.id.clone());
            }
        }
        for d in &rows.placements {
            for p in d.before.iter().chain(&d.after) {
                s.trainees.push(p.trainee_id.clone());
                s.practices.push(p.practice_id.clone());
            }
        }
        for d in &rows.pauses {
            for p in d.before.iter().chain(&d.after) {
                s.practices.push(p.practice_id.clone());
            }
        }
        s.practices.sort();
        s.practices.dedup();
        s.trainees.sort();
        s.trainees.dedup();
        s
    }

    /// Whether new placements of this command must keep the hard rules. Imports store history
    /// as it was (CONTRACT.md), also when an import is undone or redone.
    fn keeps_rules(&self) -> bool {
        !matches!(self, Command::Import { .. })
    }

    /// Decides whether the command may run on `data` (the rows it touches, as they are now):
    /// ids exist, no CPR numbers, hard rules hold unless overridden with a reason (never H9).
    pub fn check(&self, data: &Dataset) -> Result<(), CommandError> {
        self.check_texts()?;
        match self {
            Command::EditPractice { after, .. } => {
                if data.practice(&after.id).is_none() {
                    return Err(CommandError::Invalid(format!("unknown practice {}", after.id)));
                }
                if after.tutors == 0 || after.doctors == 0 {
                    return Err(CommandError::Invalid("a practice has at least one tutor and one doctor".into()));
                }
                if data.region.municipality(&after.municipality).is_none() {
                    return Err(CommandError::Invalid(format!("unknown municipality {}", after.municipality)));
                }
                if after.quality.is_some_and(|q| !(1..=5).contains(&q)) {
                    return Err(CommandError::Invalid("quality is 1 to 5".into()));
                }
            }
            Command::EditTrainee { after: t, .. } => {
                if data.trainee(&t.id).is_none() {
                    return Err(CommandError::Invalid(format!("unknown trainee {}", t.id)));
                }
                if t.start > t.end {
                    return Err(CommandError::Invalid(format!(
                        "trainee {}: the period ends ({}) before it starts ({})",
                        t.id, t.end, t.start
                    )));
                }
                if let Some(m) = &t.municipality
                    && data.region.municipality(m).is_none()
                {
                    return Err(CommandError::Invalid(format!("unknown municipality {m}")));
                }
                if let Some(h) = &t.hospital_unit
                    && !data.region.hospital_units.iter().any(|u| u.name == *h)
                {
                    return Err(CommandError::Invalid(format!("unknown hospital unit {h}")));
                }
                if let Some(p) = data.placement_of(&t.id) {
                    if p.start < t.start || p.end > t.end {
                        return Err(CommandError::Invalid(format!(
                            "{} is placed at {} from {} to {}, outside the new period; unplace first",
                            t.id, p.practice_id, p.start, p.end
                        )));
                    }
                    // The stored placement must still keep the rules it kept (H1, H2, H3, ...).
                    let mut edited = data.clone();
                    if let Some(x) = edited.trainees.iter_mut().find(|x| x.id == t.id) {
                        *x = (**t).clone();
                    }
                    let ctx = RuleContext::new(&edited);
                    if let Some(pr) = edited.practice(&p.practice_id) {
                        let broken: Vec<Violation> = ctx
                            .check(t, pr, p.period(), Some(&t.id))
                            .into_iter()
                            .filter(|v| !p.overrides.contains(&v.rule))
                            .collect();
                        if !broken.is_empty() {
                            return Err(CommandError::Refused(broken));
                        }
                    }
                }
            }
            Command::AddTrainee { trainee: t } => {
                if t.id.trim().is_empty() || t.name.trim().is_empty() {
                    return Err(CommandError::Invalid("a trainee needs an id and a name".into()));
                }
                if data.trainee(&t.id).is_some() {
                    return Err(CommandError::Invalid(format!("a trainee with the id {} exists already", t.id)));
                }
                if t.start > t.end {
                    return Err(CommandError::Invalid(format!("trainee {}: the period ends before it starts", t.id)));
                }
                use super::model::TraineeType as K;
                if matches!(t.kind, K::Kbu | K::Intro) && t.municipality.is_none() {
                    return Err(CommandError::Invalid(format!("a {} trainee needs a municipality", t.kind)));
                }
                if !matches!(t.kind, K::Intro) && t.hospital_unit.is_none() {
                    return Err(CommandError::Invalid(format!("a {} trainee needs a hospital unit", t.kind)));
                }
            }
            Command::RemoveTrainee { trainee } if data.placement_of(&trainee.id).is_some() => {
                return Err(CommandError::Invalid(format!("{} is placed; unplace first", trainee.id)));
            }
            Command::AddPause { pause } | Command::RemovePause { pause } => {
                if data.practice(&pause.practice_id).is_none() {
                    return Err(CommandError::Invalid(format!("unknown practice {}", pause.practice_id)));
                }
                if pause.start > pause.end {
                    return Err(CommandError::Invalid("a pause ends before it starts".into()));
                }
            }
            Command::SetThreatened { municipality, .. } if data.region.municipality(municipality).is_none() => {
                return Err(CommandError::Invalid(format!("unknown municipality {municipality}")));
            }
            Command::SaveRound { before, after } => return check_round_save(before.as_deref(), after.as_deref()),
            Command::PublishRound { round } => return check_publish(data, round),
            _ => {}
        }
        if self.keeps_rules() { self.check_placements(data) } else { Ok(()) }
    }

    /// The CPR guard over every id, name, address and reason the command would store.
    fn check_texts(&self) -> Result<(), CommandError> {
        let refuse = |what: String| Err(CommandError::Invalid(cpr_refusal(&what)));
        let rows = self.rows();
        for p in rows.practices.iter().filter_map(|d| d.after.as_ref()) {
            for (what, text) in
                [("the practice id", &p.id), ("the practice name", &p.name), ("the address", &p.address)]
            {
                if contains_cpr(text) {
                    return refuse(format!("{what} of {}", p.id));
                }
            }
        }
        for t in rows.trainees.iter().filter_map(|d| d.after.as_ref()) {
            for (what, text) in [("the trainee id", &t.id), ("the trainee name", &t.name)] {
                if contains_cpr(text) {
                    return refuse(format!("{what} of {}", t.id));
                }
            }
        }
        for p in rows.placements.iter().filter_map(|d| d.after.as_ref()) {
            if contains_cpr(&p.trainee_id) || contains_cpr(&p.practice_id) {
                return refuse("a placement's id".into());
            }
            if p.reason.as_deref().is_some_and(contains_cpr) {
                return refuse("the reason".into());
            }
        }
        if let Command::Unplace { reason: Some(r), .. } = self
            && contains_cpr(r)
        {
            return refuse("the reason".into());
        }
        Ok(())
    }

    /// H1–H9 for every placement the command adds or moves, each seeing the others (a round is
    /// checked as a whole). Placements it removes no longer count.
    fn check_placements(&self, data: &Dataset) -> Result<(), CommandError> {
        let rows = self.rows();
        let added: Vec<&Placement> = rows
            .placements
            .iter()
            .filter_map(|d| match (&d.before, &d.after) {
                (_, None) => None,
                (None, Some(a)) => Some(a),
                // Pinning keeps the placement where it is: no new check.
                (Some(b), Some(a)) => {
                    (b.practice_id != a.practice_id || b.start != a.start || b.end != a.end).then_some(a)
                }
            })
            .collect();
        if added.is_empty() {
            return Ok(());
        }
        let removed: Vec<&str> =
            rows.placements.iter().filter_map(|d| d.before.as_ref()).map(|p| p.trainee_id.as_str()).collect();
        let remaining;
        let data = if removed.is_empty() {
            data
        } else {
            let mut d = data.clone();
            d.placements.retain(|p| !removed.contains(&p.trainee_id.as_str()));
            remaining = d;
            &remaining
        };
        let mut ctx = RuleContext::new(data);
        for p in added {
            check_place(data, &ctx, p)?;
            ctx.add(p.clone());
        }
        Ok(())
    }

    /// The command that undoes this one. It needs no data: a command carries its old values.
    pub fn inverse(&self) -> Command {
        match self {
            Command::Place { placement } => Command::Unplace { placement: placement.clone(), reason: None },
            Command::Unplace { placement, .. } => Command::Place { placement: placement.clone() },
            Command::SetPinned { placement, pinned } => Command::SetPinned {
                placement: Placement { pinned: *pinned, ..placement.clone() },
                pinned: placement.pinned,
            },
            Command::AcceptRound { placements } => Command::RemovePlacements { placements: placements.clone() },
            Command::RemovePlacements { placements } => Command::AcceptRound { placements: placements.clone() },
            Command::EditPractice { before, after } => {
                Command::EditPractice { before: after.clone(), after: before.clone() }
            }
            Command::AddTrainee { trainee } => Command::RemoveTrainee { trainee: trainee.clone() },
            Command::RemoveTrainee { trainee } => Command::AddTrainee { trainee: trainee.clone() },
            Command::EditTrainee { before, after } => {
                Command::EditTrainee { before: after.clone(), after: before.clone() }
            }
            Command::AddPause { pause } => Command::RemovePause { pause: pause.clone() },
            Command::RemovePause { pause } => Command::AddPause { pause: pause.clone() },
            Command::SetThreatened { municipality, before, after } => {
                Command::SetThreatened { municipality: municipality.clone(), before: *after, after: *before }
            }
            Command::SetSettings { before, after } => {
                Command::SetSettings { before: after.clone(), after: before.clone() }
            }
            Command::Import { summary, rows } => {
                Command::Import { summary: format!("take back: {summary}"), rows: rows.swapped() }
            }
            Command::Boundaries { before, after } => {
                Command::Boundaries { before: after.clone(), after: before.clone() }
            }
            Command::EditPlacement { before, after } => {
                Command::EditPlacement { before: after.clone(), after: before.clone() }
            }
            Command::SaveRound { before, after } => Command::SaveRound { before: after.clone(), after: before.clone() },
            Command::PublishRound { round } => Command::UnpublishRound { round: round.clone() },
            Command::UnpublishRound { round } => Command::PublishRound { round: round.clone() },
        }
    }

    /// The first row that is not as this command expects it in `data`, as a sentence; `None`
    /// when every row is as expected. `placed_ok`: a new placement for a trainee who is placed
    /// now is left to rule H9 (a plain `place`), not reported as a change.
    pub fn stale_row(&self, data: &Dataset, placed_ok: bool) -> Option<Stale> {
        let rows = self.rows();
        for d in &rows.practices {
            let id = d.before.as_ref().or(d.after.as_ref()).map(|p| p.id.clone()).unwrap_or_default();
            if data.practice(&id) != d.before.as_ref() {
                return Some(Stale::practice(&id, format!("practice {id}")));
            }
        }
        for d in &rows.trainees {
            let id = d.before.as_ref().or(d.after.as_ref()).map(|t| t.id.clone()).unwrap_or_default();
            if matches!(self, Command::AddTrainee { .. }) {
                continue;
            }
            if data.trainee(&id) != d.before.as_ref() {
                return Some(Stale::trainee(&id, format!("trainee {id}")));
            }
        }
        for d in &rows.placements {
            let Some(p) = d.before.as_ref().or(d.after.as_ref()) else { continue };
            let now = data.placement_of(&p.trainee_id);
            if d.before.is_none() && placed_ok {
                continue;
            }
            if now != d.before.as_ref() {
                return Some(Stale::trainee(&p.trainee_id, format!("the placement of {}", p.trainee_id)));
            }
        }
        for d in &rows.pauses {
            if let Some(b) = &d.before
                && !data.pauses.contains(b)
            {
                return Some(Stale::practice(&b.practice_id, format!("the pauses of {}", b.practice_id)));
            }
        }
        match self {
            Command::SetThreatened { municipality, before, .. }
                if data.region.municipality(municipality).is_some_and(|m| m.threatened != *before) =>
            {
                return Some(Stale { what: format!("the threatened flag of {municipality}"), subject: None });
            }
            Command::SetSettings { before, .. } if data.settings != **before => {
                return Some(Stale { what: "the settings".into(), subject: None });
            }
            _ => {}
        }
        None
    }
}

/// A row that changed since the caller read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stale {
    /// "practice P0002", "the placement of T1", "the settings".
    pub what: String,
    /// The trainee or practice to look up in the audit log for who changed it.
    pub subject: Option<(SubjectKind, String)>,
}

impl Stale {
    fn practice(id: &str, what: String) -> Stale {
        Stale { what, subject: Some((SubjectKind::Practice, id.to_string())) }
    }
    fn trainee(id: &str, what: String) -> Stale {
        Stale { what, subject: Some((SubjectKind::Trainee, id.to_string())) }
    }
}

/// What an audit entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
    Trainee,
    Practice,
}

impl SubjectKind {
    pub fn key(self) -> &'static str {
        match self {
            SubjectKind::Trainee => "trainee",
            SubjectKind::Practice => "practice",
        }
    }
}

/// The trainees and practices a command touches.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Subjects {
    pub trainees: Vec<String>,
    pub practices: Vec<String>,
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

/// A round's name is its key: not empty, no CPR number, and kept when the round changes.
fn check_round_save(before: Option<&Round>, after: Option<&Round>) -> Result<(), CommandError> {
    if let (Some(b), Some(a)) = (before, after) {
        if b.name != a.name {
            return Err(CommandError::Invalid(format!("round {} cannot change its name", b.name)));
        }
        if b.published {
            return Err(CommandError::Invalid(format!("round {} is published and frozen", b.name)));
        }
    }
    if let Some(b) = before
        && after.is_none()
        && b.published
    {
        return Err(CommandError::Invalid(format!(
            "round {} is published and frozen; undo the publish first to drop it",
            b.name
        )));
    }
    if let Some(a) = after {
        if a.name.trim().is_empty() || a.name.trim() != a.name || a.name.chars().any(char::is_control) {
            return Err(CommandError::Invalid("a round needs a name without leading or trailing spaces".into()));
        }
        if contains_cpr(&a.name) {
            return Err(CommandError::Invalid(cpr_refusal("the round's name")));
        }
    }
    Ok(())
}

/// H1–H9 for every proposal of a round about to be published, each seeing the ones before it;
/// every refused proposal is named with its rules, not only the first.
fn check_publish(data: &Dataset, round: &Round) -> Result<(), CommandError> {
    if round.published {
        return Err(CommandError::Invalid(format!("round {} is published already", round.name)));
    }
    if round.proposals.is_empty() {
        return Err(CommandError::Invalid(format!("round {} has no proposals to publish", round.name)));
    }
    let mut ctx = RuleContext::new(data);
    let mut broken = Vec::new();
    for p in round.placements() {
        match check_place(data, &ctx, &p) {
            Ok(()) => ctx.add(p),
            Err(CommandError::Refused(vs)) => broken.extend(vs.into_iter().map(|v| {
                Violation::new(
                    v.rule,
                    Breach::Proposal {
                        trainee: p.trainee_id.clone(),
                        practice: p.practice_id.clone(),
                        inner: Box::new(v.breach),
                    },
                )
            })),
            Err(e) => return Err(e),
        }
    }
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

/// Puts `item` into `list` kept sorted by `key`, replacing an item with the same key.
fn upsert_sorted<T, K: Ord>(list: &mut Vec<T>, item: T, key: impl Fn(&T) -> K) {
    match list.binary_search_by(|x| key(x).cmp(&key(&item))) {
        Ok(i) => list[i] = item,
        Err(i) => list.insert(i, item),
    }
}

fn remove_sorted<T, K: Ord>(list: &mut Vec<T>, k: K, key: impl Fn(&T) -> K) {
    if let Ok(i) = list.binary_search_by(|x| key(x).cmp(&k)) {
        list.remove(i);
    }
}

fn pause_key(p: &Pause) -> (String, chrono::NaiveDate, chrono::NaiveDate, Option<&'static str>) {
    (p.practice_id.clone(), p.start, p.end, p.wish_type.map(|t| t.key()))
}

impl Dataset {
    /// Replays a command on the data in memory, keeping the order the store loads in (ids
    /// ascending), so that replaying the audit log gives the same data as loading it again.
    pub fn apply(&mut self, cmd: &Command) {
        let rows = cmd.rows();
        for d in rows.practices {
            match (d.before, d.after) {
                (_, Some(p)) => upsert_sorted(&mut self.practices, p, |x| x.id.clone()),
                (Some(b), None) => remove_sorted(&mut self.practices, b.id, |x| x.id.clone()),
                (None, None) => {}
            }
        }
        for d in rows.trainees {
            match (d.before, d.after) {
                (_, Some(t)) => upsert_sorted(&mut self.trainees, t, |x| x.id.clone()),
                (Some(b), None) => remove_sorted(&mut self.trainees, b.id, |x| x.id.clone()),
                (None, None) => {}
            }
        }
        for d in rows.placements {
            match (d.before, d.after) {
                (_, Some(p)) => upsert_sorted(&mut self.placements, p, |x| x.trainee_id.clone()),
                (Some(b), None) => remove_sorted(&mut self.placements, b.trainee_id, |x| x.trainee_id.clone()),
                (None, None) => {}
            }
        }
        for d in rows.pauses {
            if let Some(b) = d.before
                && let Some(i) = self.pauses.iter().position(|p| *p == b)
            {
                self.pauses.remove(i);
            }
            if let Some(a) = d.after {
                let i = self.pauses.partition_point(|p| pause_key(p) <= pause_key(&a));
                self.pauses.insert(i, a);
            }
        }
        match cmd {
            Command::SetThreatened { municipality, after, .. } => {
                if let Some(m) =
                    self.region.municipalities.iter_mut().find(|m| m.name.eq_ignore_ascii_case(municipality))
                {
                    m.threatened = *after;
                }
            }
            Command::SetSettings { after, .. } => self.settings = (**after).clone(),
            _ => {}
        }
    }
}
