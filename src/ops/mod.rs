//! The operations layer: one function per use case, for the command line and the desktop alike.
//!
//! `cli/` and `ui/` are thin adapters over these: they turn arguments or widgets into a call
//! here and render what comes back. Every write goes through `Store::execute` as a `Command`
//! built from the caller's view of the data, so a row that changed since is a conflict.

pub mod fairness;
pub mod files;
pub mod money;
pub mod rounds;
pub mod settings;

use chrono::NaiveDate;
use std::path::Path;

use crate::domain::command::{Command, Subjects, unneeded_overrides};
use crate::domain::model::{Dataset, Pause, Placement, Practice, Rule, Setting, Trainee, TraineeType};
use crate::domain::money::Money;
use crate::domain::region::Region;
use crate::store::csv::{CsvError, ImportInput, parse_import};
use crate::store::{BatchError, BatchReport, Store, StoreError, import_report};

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// Bad input: an argument, a file, a CSV row (CLI exit 2).
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Csv(#[from] CsvError),
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A document or file for the user could not be made or written (CLI exit 1).
    #[error("{0}")]
    Output(String),
}

impl From<crate::domain::command::CommandError> for OpError {
    fn from(e: crate::domain::command::CommandError) -> OpError {
        OpError::Store(StoreError::Command(e))
    }
}

pub type OpResult<T> = Result<T, OpError>;

fn input(msg: impl Into<String>) -> OpError {
    OpError::Input(msg.into())
}

/// A new file holding the region's master data only.
pub fn new_file(path: &Path) -> OpResult<Store> {
    Ok(Store::create(path, &Region::midtjylland())?)
}

/// A new file with a generated demo region.
pub fn demo_file(path: &Path, params: &crate::demo::DemoParams) -> OpResult<(Store, BatchReport)> {
    if params.practices > 100_000 || params.open_trainees.is_some_and(|n| n > 1_000_000) || params.years > 50 {
        return Err(input("the demo is limited to 100000 practices, 1000000 open trainees and 50 years of history"));
    }
    let data = crate::demo::generate(params);
    let mut store = Store::create(path, &data.region)?;
    let report = crate::demo::store_demo(&mut store, &data)?;
    Ok((store, report))
}

/// What an import did.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub report: BatchReport,
    /// Hard-rule violations among the stored placements after the import (history is stored
    /// as it was; `check` lists them).
    pub violations: usize,
}

/// Imports CSV files, all or nothing, as one command that undoes as one step.
pub fn import_csv(store: &mut Store, files: &ImportInput, update: bool) -> OpResult<Imported> {
    let (_, cmd) = store
        .execute_with(|existing| parse_import(files, existing, update).map(|b| b.into_command(existing)))
        .map_err(|e| match e {
            BatchError::Rejected(csv) => OpError::Csv(csv),
            BatchError::Store(s) => OpError::Store(s),
        })?;
    let violations = crate::domain::rules::check_all(&store.load()?).len();
    Ok(Imported { report: import_report(&cmd), violations })
}

/// Imports municipality outlines from GeoJSON bytes; `name` names the file in errors.
pub fn import_boundaries(store: &mut Store, bytes: &[u8], name: &str) -> OpResult<usize> {
    let region = store.read(&Subjects::default())?.region;
    let rings =
        crate::store::boundaries::parse_boundaries(bytes, &region).map_err(|e| input(format!("{name}: {e}")))?;
    Ok(store.replace_boundaries(&rings)?)
}

/// A placement as asked for, with the rules its overrides did not need (a warning).
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub placement: Placement,
    pub unneeded_overrides: Vec<Rule>,
}

/// Places a trainee for their period, or from `from` to `to`, checked against H1–H9. Reads
/// only the trainee, the practice and the placements and pauses that bear on them.
pub fn place(
    store: &mut Store,
    trainee_id: &str,
    practice_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    overrides: Vec<Rule>,
    reason: Option<String>,
) -> OpResult<Placed> {
    let view = store.read(&Subjects { trainees: vec![trainee_id.into()], practices: vec![practice_id.into()] })?;
    let trainee = view.trainee(trainee_id).ok_or_else(|| input(format!("unknown trainee '{trainee_id}'")))?;
    if view.practice(practice_id).is_none() {
        return Err(input(format!("unknown practice '{practice_id}'")));
    }
    let placement = Placement {
        trainee_id: trainee_id.to_string(),
        practice_id: practice_id.to_string(),
        start: from.unwrap_or(trainee.start),
        end: to.unwrap_or(trainee.end),
        pinned: false,
        overrides,
        reason: reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()),
    };
    let unneeded = unneeded_overrides(&view, &placement);
    store.execute(&Command::Place { placement: placement.clone() })?;
    Ok(Placed { placement, unneeded_overrides: unneeded })
}

/// The data about one trainee (and their placement), as a view to build a command from.
fn trainee_view(store: &Store, trainee_id: &str) -> OpResult<Dataset> {
    Ok(store.read(&Subjects { trainees: vec![trainee_id.into()], practices: Vec::new() })?)
}

fn practice_view(store: &Store, practice_id: &str) -> OpResult<Dataset> {
    Ok(store.read(&Subjects { trainees: Vec::new(), practices: vec![practice_id.into()] })?)
}

/// Removes a trainee's placement.
pub fn unplace(store: &mut Store, trainee_id: &str) -> OpResult<Placement> {
    unplace_with_reason(store, trainee_id, None)
}

/// Removes a trainee's placement; `reason` goes to the audit log (`unplace --reason`).
pub fn unplace_with_reason(store: &mut Store, trainee_id: &str, reason: Option<String>) -> OpResult<Placement> {
    let view = trainee_view(store, trainee_id)?;
    let placement = match Command::unplace(&view, trainee_id)? {
        Command::Unplace { placement, .. } => placement,
        _ => return Err(input("unplace")),
    };
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    store.execute(&Command::Unplace { placement: placement.clone(), reason })?;
    Ok(placement)
}

/// Gives a trainee's placement new dates (`None` keeps a date), checked against H1–H9 like a new
/// placement; `overrides` with a `reason` let the new dates break those rules (never H9).
pub fn change_dates(
    store: &mut Store,
    trainee_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    overrides: Vec<Rule>,
    reason: Option<String>,
) -> OpResult<Placed> {
    let view = trainee_view(store, trainee_id)?;
    let old = view
        .placement_of(trainee_id)
        .cloned()
        .ok_or_else(|| input(format!("trainee {trainee_id} has no placement")))?;
    let (start, end) = (from.unwrap_or(old.start), to.unwrap_or(old.end));
    if start > end {
        return Err(input(format!("--from {start} is after --to {end}")));
    }
    let view = store.read(&Subjects { trainees: vec![trainee_id.into()], practices: vec![old.practice_id.clone()] })?;
    let cmd = Command::change_dates(&view, trainee_id, start, end, overrides.clone(), reason)?;
    let Command::EditPlacement { after, .. } = &cmd else { return Err(input("change dates")) };
    let placement = (**after).clone();
    // Without the old placement, the overrides the new dates did not need are a warning.
    let mut without = view.clone();
    without.placements.retain(|p| p.trainee_id != trainee_id);
    let unneeded: Vec<Rule> =
        unneeded_overrides(&without, &placement).into_iter().filter(|r| overrides.contains(r)).collect();
    store.execute(&cmd)?;
    Ok(Placed { placement, unneeded_overrides: unneeded })
}

/// Writes every audit entry about one trainee as CSV (a data-subject request) into `dir`, named
/// `log-<trainee id>.csv` (cleaned like a statement name), mode 0600, temp + rename. Returns the
/// file's path.
pub fn export_trainee_log(store: &Store, trainee_id: &str, dir: &Path) -> OpResult<std::path::PathBuf> {
    let id = trainee_id.trim();
    if id.is_empty() {
        return Err(input("choose a trainee: the export holds every entry about one trainee"));
    }
    let filter = crate::store::LogFilter { trainee: Some(id.to_string()), ..Default::default() };
    let entries = store.log(&filter)?;
    let name = crate::store::outfile::statement_file_name(id);
    let name = format!("log-{}.csv", name.strip_suffix(".pdf").unwrap_or(&name));
    let path = dir.join(name);
    crate::store::outfile::write_atomic(&path, crate::report::log::to_csv(&entries).as_bytes())
        .map_err(|e| OpError::Output(e.to_string()))?;
    Ok(path)
}

/// Pins or unpins a trainee's placement.
pub fn set_pinned(store: &mut Store, trainee_id: &str, pinned: bool) -> OpResult<()> {
    let view = trainee_view(store, trainee_id)?;
    store.execute(&Command::set_pinned(&view, trainee_id, pinned)?)?;
    Ok(())
}

/// The fields `practice set` may change; `None` keeps a field.
#[derive(Clone, Debug, Default)]
pub struct PracticeChanges {
    pub name: Option<String>,
    pub address: Option<String>,
    pub tutors: Option<u32>,
    pub doctors: Option<u32>,
    pub capacity: Option<u32>,
    pub setting: Option<Setting>,
    pub burdened: Option<bool>,
    pub large: Option<bool>,
    pub threatened: Option<bool>,
    pub refuses: Option<Vec<TraineeType>>,
    pub quality: Option<u8>,
}

impl PracticeChanges {
    pub fn apply_to(&self, p: &mut Practice) {
        let c = self.clone();
        if let Some(v) = c.name {
            p.name = v;
        }
        if let Some(v) = c.address {
            p.address = v;
        }
        if let Some(v) = c.tutors {
            p.tutors = v;
        }
        if let Some(v) = c.doctors {
            p.doctors = v;
        }
        if let Some(v) = c.capacity {
            p.capacity = Some(v);
        }
        if let Some(v) = c.setting {
            p.setting = v;
        }
        if let Some(v) = c.burdened {
            p.burdened = v;
        }
        if let Some(v) = c.large {
            p.large = v;
        }
        if let Some(v) = c.threatened {
            p.threatened = Some(v);
        }
        if let Some(v) = c.refuses {
            p.refuses = v;
        }
        if let Some(v) = c.quality {
            p.quality = Some(v);
        }
    }
}

/// Changes some fields of a practice (`practice set`).
pub fn edit_practice(store: &mut Store, id: &str, changes: &PracticeChanges) -> OpResult<Practice> {
    let view = practice_view(store, id)?;
    let mut p = view.practice(id).cloned().ok_or_else(|| input(format!("unknown practice '{id}'")))?;
    changes.apply_to(&mut p);
    store.execute(&Command::edit_practice(&view, p.clone())?)?;
    Ok(p)
}

/// The fields `trainee set` may change; `Some(None)` clears an optional field.
#[derive(Clone, Debug, Default)]
pub struct TraineeChanges {
    pub name: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub municipality: Option<Option<String>>,
    pub hospital_unit: Option<Option<String>>,
    pub own_gp: Option<Option<String>>,
    pub family_practices: Option<Vec<String>>,
    pub monthly_salary: Option<Option<Money>>,
    pub seniority_step: Option<Option<String>>,
}

/// Changes some fields of a trainee (`trainee set`).
pub fn edit_trainee(store: &mut Store, id: &str, changes: &TraineeChanges) -> OpResult<Trainee> {
    let view = trainee_view(store, id)?;
    let mut t: Trainee = view.trainee(id).cloned().ok_or_else(|| input(format!("unknown trainee '{id}'")))?;
    let c = changes.clone();
    if let Some(v) = c.name {
        t.name = v;
    }
    if let Some(v) = c.start {
        t.start = v;
    }
    if let Some(v) = c.end {
        t.end = v;
    }
    if let Some(v) = c.municipality {
        // The region's spelling, so the rules compare like with like.
        t.municipality = match v {
            Some(m) => Some(view.region.municipality(&m).map(|x| x.name.clone()).ok_or_else(|| {
                input(format!("--municipality: unknown municipality '{m}'; it must be one of the region's 19"))
            })?),
            None => None,
        };
    }
    if let Some(v) = c.hospital_unit {
        if let Some(h) = &v
            && !view.region.hospital_units.iter().any(|u| u.name == *h)
        {
            return Err(input(format!("--hospital-unit: unknown hospital unit '{h}'")));
        }
        t.hospital_unit = v;
    }
    if let Some(v) = c.own_gp {
        t.own_gp = v;
    }
    if let Some(v) = c.family_practices {
        t.family_practices = v;
    }
    if let Some(v) = c.monthly_salary {
        t.monthly_salary = v;
    }
    if let Some(v) = c.seniority_step {
        t.seniority_step = v;
    }
    // A reference to a practice must name one that exists.
    for p in t.own_gp.iter().chain(&t.family_practices) {
        if store.read(&Subjects { trainees: Vec::new(), practices: vec![p.clone()] })?.practice(p).is_none() {
            return Err(input(format!("unknown practice '{p}'")));
        }
    }
    store.execute(&Command::edit_trainee(&view, t.clone())?)?;
    Ok(t)
}

/// Adds a pause (H7), or with `wish_type` a P3 wish.
pub fn add_pause(store: &mut Store, pause: Pause) -> OpResult<()> {
    store.execute(&Command::AddPause { pause })?;
    Ok(())
}

/// Removes the pause (or wish) of `practice_id` that starts on `from`.
pub fn remove_pause(store: &mut Store, practice_id: &str, from: NaiveDate) -> OpResult<Pause> {
    let view = practice_view(store, practice_id)?;
    if view.practice(practice_id).is_none() {
        return Err(input(format!("unknown practice '{practice_id}'")));
    }
    let pause = view
        .pauses
        .iter()
        .find(|p| p.practice_id == practice_id && p.start == from)
        .cloned()
        .ok_or_else(|| input(format!("{practice_id} has no pause or wish that starts on {from}")))?;
    store.execute(&Command::RemovePause { pause: pause.clone() })?;
    Ok(pause)
}

/// The hospital units named on the command line or in the desk, in the region's spelling; an
/// unknown one is bad input.
pub fn area_units(data: &Dataset, names: &[String]) -> OpResult<Vec<String>> {
    names
        .iter()
        .map(|n| {
            crate::domain::area::unit_name(data, n).ok_or_else(|| {
                let known: Vec<&str> = data.region.hospital_units.iter().map(|h| h.name.as_str()).collect();
                input(format!("--hospital-unit: unknown hospital unit '{n}'; the units are: {}", known.join(", ")))
            })
        })
        .collect()
}

/// Every practice of the region ranked for one trainee (`candidates`, the desk's list).
/// With `units`, the trainee must belong to one of those areas.
pub fn candidates(
    data: &Dataset,
    trainee_id: &str,
    units: &[String],
    today: NaiveDate,
) -> OpResult<Vec<crate::domain::area::Candidate>> {
    let trainee = data.trainee(trainee_id).ok_or_else(|| input(format!("unknown trainee '{trainee_id}'")))?;
    let units = area_units(data, units)?;
    if !crate::domain::area::in_area(data, trainee, &units) {
        let area = crate::domain::area::trainee_area(data, trainee).unwrap_or_else(|| "no area".into());
        return Err(input(format!("{trainee_id} belongs to {area}, not to {}", units.join(" or "))));
    }
    Ok(crate::domain::area::candidates(data, trainee, today))
}
