//! Rounds as drafts, scenarios, publishing and letters (issue 13), for the CLI and the desk.
//!
//! Each change to a round is a `Command::SaveRound` built from the round as the caller read it, so
//! a round changed meanwhile is a conflict; publishing is one `Command::PublishRound`.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::{OpError, OpResult, area_units, input};
use crate::domain::command::{Command, CommandError};
use crate::domain::model::{Dataset, TraineeType, Weights};
use crate::domain::round::{
    Difference, PlacementChange, Round, RoundFigures, RoundProposal, RoundSpec, RoundUnplaced, changes_since, compute,
    differences, fairness_window, figures, weight_mut,
};
use crate::domain::rules::RuleContext;
use crate::domain::score::ScoreContext;
use crate::report::statement::ReportError;
use crate::store::outfile::{create_dir, statement_file_names, write_atomic};
use crate::store::rounds::StoredRound;
use crate::store::{LogFilter, Store};

/// `P5=3`, `t1=0,5`: weights over `base`; an unknown rule or a bad number is bad input.
pub fn weights_from(base: &Weights, args: &[String]) -> OpResult<Weights> {
    let mut w = base.clone();
    for a in args {
        let (k, v) = a.split_once('=').ok_or_else(|| input(format!("--weight {a}: write RULE=VALUE, e.g. P5=3")))?;
        let x: f64 = v
            .trim()
            .replace(',', ".")
            .parse()
            .map_err(|_| input(format!("--weight {a}: '{}' is not a number", v.trim())))?;
        if !(0.0..=1000.0).contains(&x) {
            return Err(input(format!("--weight {a}: a weight lies between 0 and 1000")));
        }
        let slot = weight_mut(&mut w, k)
            .ok_or_else(|| input(format!("--weight {a}: unknown rule '{k}'; use T1, T2, P1 … P7")))?;
        *slot = x;
    }
    Ok(w)
}

/// The round named `name`, or bad input (exit 2) naming the rounds there are.
pub fn get(store: &Store, name: &str) -> OpResult<StoredRound> {
    store.round(name)?.ok_or_else(|| {
        let names: Vec<String> = store.rounds().unwrap_or_default().into_iter().map(|r| r.round.name).collect();
        input(if names.is_empty() {
            format!("there is no round named '{name}'; there are no rounds yet (round new)")
        } else {
            format!("there is no round named '{name}'; the rounds are: {}", names.join(", "))
        })
    })
}

/// Runs the optimizer into a new draft round and stores it; nothing is placed.
#[allow(clippy::too_many_arguments)]
pub fn new_round(
    store: &mut Store,
    data: &Dataset,
    name: &str,
    kind: Option<TraineeType>,
    units: &[String],
    weights: Weights,
    today: NaiveDate,
    progress: &mut dyn FnMut(f32) -> bool,
) -> OpResult<Round> {
    let name = name.trim();
    if name.is_empty() {
        return Err(input("a round needs a name (--name)"));
    }
    if store.round(name)?.is_some() {
        return Err(input(format!("a round named '{name}' exists already; choose another name or drop it first")));
    }
    let spec = RoundSpec { name: name.to_string(), kind, hospital_units: area_units(data, units)?, weights };
    let version = store.data_stamp()?;
    let round = compute(data, &spec, None, version, today, progress).map_err(|_| input("cancelled"))?;
    store.execute(&Command::SaveRound { before: None, after: Some(Box::new(round.clone())) })?;
    Ok(round)
}

fn draft(store: &Store, name: &str) -> OpResult<Round> {
    let r = get(store, name)?.round;
    if r.published {
        return Err(input(format!("round {name} is published and frozen")));
    }
    Ok(r)
}

fn save(store: &mut Store, before: Round, after: Round) -> OpResult<Round> {
    store.execute(&Command::SaveRound { before: Some(Box::new(before)), after: Some(Box::new(after.clone())) })?;
    Ok(after)
}

/// Runs a draft again on today's data, with other weights if given; pinned proposals stay and
/// excluded trainees stay out.
pub fn rerun(
    store: &mut Store,
    data: &Dataset,
    name: &str,
    weights: Option<Weights>,
    today: NaiveDate,
    progress: &mut dyn FnMut(f32) -> bool,
) -> OpResult<Round> {
    let before = draft(store, name)?;
    let spec = RoundSpec {
        name: before.name.clone(),
        kind: before.kind,
        hospital_units: before.hospital_units.clone(),
        weights: weights.unwrap_or_else(|| before.weights.clone()),
    };
    let version = store.data_stamp()?;
    let after = compute(data, &spec, Some(&before), version, today, progress).map_err(|_| input("cancelled"))?;
    save(store, before, after)
}

/// Sends one trainee of a draft to another practice: checked against H1–H9 with the stored
/// placements and the round's other proposals; the new proposal is pinned, so a re-run keeps it.
pub fn change(
    store: &mut Store,
    data: &Dataset,
    name: &str,
    trainee_id: &str,
    practice_id: &str,
    today: NaiveDate,
) -> OpResult<Round> {
    let before = draft(store, name)?;
    let after = changed(data, &before, trainee_id, practice_id, today)?;
    save(store, before, after)
}

/// The practices `trainee_id` of `round` may be sent to instead (H1–H9 with the stored
/// placements and the round's other proposals), by id; the one it is proposed for is left out.
pub fn change_options(data: &Dataset, round: &Round, trainee_id: &str) -> Vec<String> {
    let Some(t) = data.trainee(trainee_id) else { return Vec::new() };
    let mut d = data.clone();
    d.placements.extend(round.proposals.iter().filter(|x| x.trainee_id != trainee_id).map(RoundProposal::to_placement));
    d.placements.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    let ctx = RuleContext::new(&d);
    let now = round.proposal(trainee_id).map(|p| p.practice_id.as_str());
    d.practices
        .iter()
        .filter(|p| Some(p.id.as_str()) != now && ctx.check(t, p, t.period(), None).is_empty())
        .map(|p| p.id.clone())
        .collect()
}

/// The round with `trainee_id` sent to `practice_id` (pure: the desk checks with it too).
pub fn changed(
    data: &Dataset,
    round: &Round,
    trainee_id: &str,
    practice_id: &str,
    today: NaiveDate,
) -> OpResult<Round> {
    let in_round = round.proposal(trainee_id).is_some() || round.unplaced.iter().any(|u| u.trainee_id == trainee_id);
    if !in_round {
        return Err(input(format!("{trainee_id} is not in round {}", round.name)));
    }
    let t = data.trainee(trainee_id).ok_or_else(|| input(format!("unknown trainee '{trainee_id}'")))?;
    let p = data.practice(practice_id).ok_or_else(|| input(format!("unknown practice '{practice_id}'")))?;
    let mut d = data.clone();
    d.placements.extend(round.proposals.iter().filter(|x| x.trainee_id != trainee_id).map(RoundProposal::to_placement));
    d.placements.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    let ctx = RuleContext::new(&d);
    let broken = ctx.check(t, p, t.period(), None);
    if !broken.is_empty() {
        return Err(CommandError::Refused(broken).into());
    }
    let mut scored = data.clone();
    scored.settings.weights = round.weights.clone();
    let score = ScoreContext::new(&scored, today).score(t, p, t.period());
    let mut after = round.clone();
    after.unplaced.retain(|u| u.trainee_id != trainee_id);
    after.proposals.retain(|x| x.trainee_id != trainee_id);
    after.proposals.push(RoundProposal {
        trainee_id: t.id.clone(),
        practice_id: p.id.clone(),
        start: t.start,
        end: t.end,
        score: (score.total * 100.0).round() / 100.0,
        reasons: crate::domain::round::worded(&score.becauses()).0,
        reasons_da: crate::domain::round::worded(&score.becauses()).1,
        pinned: true,
    });
    after.proposals.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
    Ok(after)
}

/// Pins or releases one proposal of a draft.
pub fn pin(store: &mut Store, name: &str, trainee_id: &str, pinned: bool) -> OpResult<Round> {
    let before = draft(store, name)?;
    let mut after = before.clone();
    let p = after
        .proposals
        .iter_mut()
        .find(|p| p.trainee_id == trainee_id)
        .ok_or_else(|| input(format!("round {name} proposes nothing for {trainee_id}")))?;
    p.pinned = pinned;
    save(store, before, after)
}

/// Takes a trainee out of a draft: the proposal goes, and a re-run leaves them out.
pub fn exclude(store: &mut Store, name: &str, trainee_id: &str) -> OpResult<Round> {
    let before = draft(store, name)?;
    let mut after = before.clone();
    let n = after.proposals.len() + after.unplaced.len();
    after.proposals.retain(|p| p.trainee_id != trainee_id);
    after.unplaced.retain(|u| u.trainee_id != trainee_id);
    if after.proposals.len() + after.unplaced.len() == n {
        return Err(input(format!("{trainee_id} is not in round {name}")));
    }
    after.excluded.push(trainee_id.to_string());
    after.excluded.sort();
    save(store, before, after)
}

/// Drops a draft round.
pub fn drop_round(store: &mut Store, name: &str) -> OpResult<Round> {
    let before = get(store, name)?.round;
    store.execute(&Command::SaveRound { before: Some(Box::new(before.clone())), after: None })?;
    Ok(before)
}

/// Places every proposal of a draft in one write (one audit entry, one undo). A proposal that
/// breaks a hard rule now refuses the whole publish (exit 3), naming each.
pub fn publish(store: &mut Store, name: &str) -> OpResult<Round> {
    let round = get(store, name)?.round;
    if round.published {
        return Err(input(format!("round {name} is published already")));
    }
    store.execute(&Command::PublishRound { round: Box::new(round.clone()) })?;
    Ok(Round { published: true, ..round })
}

/// Two rounds side by side (CONTRACT.md `round compare`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub rounds: Vec<RoundFigures>,
    pub differences: Vec<Difference>,
    /// The fairness window both rounds' Gini and threatened share are taken over.
    pub window_from: NaiveDate,
    pub window_to: NaiveDate,
}

/// Compares `a` and `b` over one fairness window: lookback years ending when the later round ends.
pub fn compare(data: &Dataset, a: &Round, b: &Round, today: NaiveDate) -> Comparison {
    let window = fairness_window(data, &[a, b], today);
    Comparison {
        rounds: vec![figures(data, a, window, today), figures(data, b, window, today)],
        differences: differences(a, b),
        window_from: window.start,
        window_to: window.end,
    }
}

/// One line of "changes since publishing": what changed, and who changed it and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChangeLine {
    #[serde(flatten)]
    pub change: PlacementChange,
    pub trainee_name: String,
    /// The newest change to the trainee after the publish, from the audit log.
    pub at: String,
    pub user: String,
    pub summary: String,
    pub reason: Option<String>,
    /// The audit row itself, for the desk to word in the user's language.
    #[serde(skip)]
    pub entry: Option<crate::store::AuditEntry>,
}

/// The moved, removed and added placements of a published round's trainees since it was
/// published, with who and why from the audit log.
pub fn changes(store: &Store, data: &Dataset, name: &str) -> OpResult<(Round, Vec<ChangeLine>)> {
    let stored = get(store, name)?;
    let Some(after) = stored.published_after.filter(|_| stored.round.published) else {
        return Err(input(format!("round {name} is not published; publish it first (round publish)")));
    };
    let mut lines = Vec::new();
    for change in changes_since(data, &stored.round) {
        let filter = LogFilter { trainee: Some(change.trainee_id.clone()), limit: Some(200), ..LogFilter::default() };
        let entry = store.log(&filter)?.into_iter().find(|e| e.id > after + 1 && e.action != "undo_refused");
        let trainee_name = data.trainee(&change.trainee_id).map(|t| t.name.clone()).unwrap_or_default();
        let (at, user, summary, reason) = entry
            .clone()
            .map(|e| (e.at.get(..16).unwrap_or(&e.at).replace('T', " "), e.os_user, e.summary, e.reason))
            .unwrap_or_default();
        lines.push(ChangeLine { change, trainee_name, at, user, summary, reason, entry });
    }
    Ok((stored.round, lines))
}

/// CSV as the program writes it: `;`, UTF-8 with BOM, formula-looking text quoted with `'`.
pub fn changes_csv(lines: &[ChangeLine]) -> String {
    use crate::domain::finance::formula_safe;
    let mut s = String::from(
        "\u{feff}trainee_id;name;change;from_practice;from_start;from_end;to_practice;to_start;to_end;at;user;summary;reason\r\n",
    );
    let cell = |t: &str| {
        let t = formula_safe(t);
        if t.contains([';', '"', '\n', '\r']) { format!("\"{}\"", t.replace('"', "\"\"")) } else { t.into_owned() }
    };
    let place = |p: &Option<(String, chrono::NaiveDate, chrono::NaiveDate)>| match p {
        Some((id, a, b)) => [cell(id), a.to_string(), b.to_string()],
        None => [String::new(), String::new(), String::new()],
    };
    for l in lines {
        let mut row = vec![cell(&l.change.trainee_id), cell(&l.trainee_name), l.change.kind.key().to_string()];
        row.extend(place(&l.change.before));
        row.extend(place(&l.change.after));
        row.extend([cell(&l.at), cell(&l.user), cell(&l.summary), cell(l.reason.as_deref().unwrap_or(""))]);
        s.push_str(&row.join(";"));
        s.push_str("\r\n");
    }
    s
}

/// Writes one letter per proposal of `round` into `dir` as `<trainee id>.pdf` (names cleaned as
/// statements' are), each 0600 and renamed into place when complete. Returns how many.
pub fn write_letters(
    data: &Dataset,
    round: &Round,
    printed_on: NaiveDate,
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> OpResult<usize> {
    create_dir(dir).map_err(|e| OpError::Output(e.to_string()))?;
    let ids: Vec<&str> = round.proposals.iter().map(|p| p.trainee_id.as_str()).collect();
    let names = statement_file_names(&ids);
    let mut i = 0;
    crate::report::letter::letters_each(data, round, printed_on, progress, &mut |_, pdf| {
        let name = names.get(i).ok_or_else(|| ReportError::Write("more letters than trainees".into()))?;
        i += 1;
        write_atomic(&dir.join(name), pdf).map_err(|e| ReportError::Write(e.to_string()))
    })
    .map_err(report_error)
}

/// Writes one notice per receiving practice into `dir` as `<practice id>.pdf`.
pub fn write_notices(
    data: &Dataset,
    round: &Round,
    printed_on: NaiveDate,
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> OpResult<usize> {
    create_dir(dir).map_err(|e| OpError::Output(e.to_string()))?;
    let names = statement_file_names(&crate::report::letter::receiving_practices(round));
    let mut i = 0;
    crate::report::letter::notices_each(data, round, printed_on, progress, &mut |_, pdf| {
        let name = names.get(i).ok_or_else(|| ReportError::Write("more notices than practices".into()))?;
        i += 1;
        write_atomic(&dir.join(name), pdf).map_err(|e| ReportError::Write(e.to_string()))
    })
    .map_err(report_error)
}

fn report_error(e: ReportError) -> OpError {
    match e {
        ReportError::Cancelled => OpError::Output("cancelled".into()),
        other => OpError::Output(other.to_string()),
    }
}

/// The unplaced of a round, for messages.
pub fn unplaced_text(u: &RoundUnplaced) -> String {
    format!("{}: {}", u.trainee_id, u.why)
}
