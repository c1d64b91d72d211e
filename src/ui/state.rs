//! `AppState`: what every panel reads and changes: the open file, its data, the selection and the
//! drag in progress. Every write goes through [`AppState::execute`], i.e. `Store::execute`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::domain::command::{Command, CommandError};
use crate::domain::dates::YearMonth;
use crate::domain::model::{Dataset, Placement, Rule};
use crate::domain::region::Region;
use crate::domain::rules::{RuleContext, Violation};
use crate::store::{BoundaryRing, Feed, OpenOptions, Store, StoreError, Who};

use super::files::OpenPrompt;
use super::i18n::Lang;

/// The centre tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tab {
    #[default]
    Map,
    Practices,
    Fairness,
    Finance,
}

/// What the inspector shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    #[default]
    Nothing,
    Practice(String),
    Trainee(String),
}

/// The drag-and-drop payload: a trainee taken from the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraggedTrainee(pub String);

/// Whether the dragged trainee may go to one practice, with the score of the soft principles.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Feasibility {
    pub violations: Vec<Violation>,
    pub score: Option<f64>,
}

impl Feasibility {
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// The hard rules checked for every practice once, when a drag starts (never per frame).
#[derive(Clone, Debug, Default)]
pub struct DragCheck {
    pub trainee_id: String,
    /// By position in `Dataset::practices`.
    pub by_practice: Vec<Feasibility>,
}

/// A drop on a practice that breaks hard rules: the user may override them with a reason.
#[derive(Clone, Debug, PartialEq)]
pub struct OverrideRequest {
    pub trainee_id: String,
    pub practice_id: String,
    /// The period asked for: the trainee's, or the dates chosen in the place form.
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub violations: Vec<Violation>,
    pub reason: String,
    /// The stored placement whose dates are being changed; `None` for a new placement.
    pub replaces: Option<Placement>,
}

/// An audit entry's user and time, as shown.
type UserAndTime = (String, String);

/// The state shared by all panels.
pub struct AppState {
    pub store: Option<Store>,
    pub data: Dataset,
    pub boundaries: Vec<BoundaryRing>,
    /// Bumped on every reload, so panels know their caches are stale.
    pub data_version: u64,
    pub status: String,
    /// The change `status` words, so the status bar words it again when the language changes:
    /// (the status text as written, what happened, the command).
    pub status_change: Option<(String, crate::report::reasons::Done, Command)>,
    pub lang: Lang,
    pub dark: bool,
    pub tab: Tab,
    pub selection: Selection,
    /// "Today" for deadlines, loads and the review; the clock is read here, never in `domain`.
    pub today: NaiveDate,
    pub drag: Option<DragCheck>,
    pub override_request: Option<OverrideRequest>,
    /// An error to show in a window until the user closes it.
    pub error: Option<String>,
    /// Asks the map to centre on this practice.
    pub focus_practice: Option<String>,
    /// The tab "Vis på kortet" came from: the shell offers a way back to it from the map.
    pub return_to: Option<Tab>,
    pub recent: Vec<PathBuf>,
    /// Background work running, for the status bar.
    pub busy: Option<String>,
    /// A file that did not open as asked: held by another instance, or damaged.
    pub open_prompt: Option<OpenPrompt>,
    /// What the user should know about the open file (network drive, a lock taken over); each
    /// shows once, in a banner the user closes.
    pub notices: Vec<String>,
    /// The coordinator's area (DOMAIN.md §3.3): a hospital unit, or `None` for the whole region.
    /// The queue and the round follow it; the desk remembers it.
    pub area: Option<String>,
    /// Who placed a trainee with overrides, and when, by trainee id, for one data version.
    override_note: (u64, HashMap<String, Option<UserAndTime>>),
    /// The keyboard's modifiers this frame (a drop with Shift asks for the dates first).
    pub modifiers: egui::Modifiers,
    /// A drop that asks for its dates: (trainee id, practice id), for the place form to open.
    pub place_request: Option<(String, String)>,
    /// The round on show (a suggestion, a draft, two compared), drawn on the map as a layer;
    /// set by the round panel every frame (issue 11, issue 13).
    pub round_layer: Option<super::rounds::RoundLayer>,
    /// Where the change feed is: `data` holds every audit row up to `feed.seen`.
    pub feed: Feed,
    /// How often the file is asked whether another program wrote (a cheap `PRAGMA data_version`).
    pub poll_every: std::time::Duration,
    last_poll: Option<std::time::Instant>,
    /// The file dialogs: the system's own, or the in-app one where it cannot open.
    pub files: super::files::FileDialogs,
}

impl AppState {
    /// Opens `path`, or an empty state with the error in the status bar.
    pub fn open(path: &Path, today: NaiveDate) -> AppState {
        let mut state = AppState {
            store: None,
            data: Dataset::empty(Region::midtjylland()),
            boundaries: Vec::new(),
            data_version: 0,
            status: String::new(),
            status_change: None,
            lang: Lang::Danish,
            dark: false,
            tab: Tab::Map,
            selection: Selection::Nothing,
            today,
            drag: None,
            override_request: None,
            error: None,
            area: None,
            override_note: (0, HashMap::new()),
            modifiers: egui::Modifiers::NONE,
            place_request: None,
            round_layer: None,
            feed: Feed::default(),
            poll_every: std::time::Duration::from_secs(1),
            last_poll: None,
            focus_practice: None,
            return_to: None,
            recent: Vec::new(),
            busy: None,
            open_prompt: None,
            notices: Vec::new(),
            files: super::files::FileDialogs::default(),
        };
        state.switch_to(path);
        state
    }

    /// A state over data held in memory, with no file (benches; nothing can be written).
    pub fn in_memory(data: Dataset, boundaries: Vec<BoundaryRing>, today: NaiveDate) -> AppState {
        let mut state = AppState::open(Path::new(""), today);
        state.error = None;
        state.status.clear();
        state.data = data;
        state.boundaries = boundaries;
        state.data_version += 1;
        state
    }

    /// Replaces the open file by `path` (creating the demo region when `path` is its default),
    /// with the instance lock; a held or damaged file asks the user first (`open_prompt`).
    pub fn switch_to(&mut self, path: &Path) {
        self.open_with(path, &OpenOptions::instance());
    }

    /// Replaces the open file by `path` opened as `options` say. The old file stays open when
    /// the new one does not open.
    pub fn open_with(&mut self, path: &Path, options: &OpenOptions) {
        match super::app::open_or_create_demo(path, options) {
            Ok(store) => {
                self.notices = store.warnings().iter().filter_map(|w| super::files::notice(self.lang, w)).collect();
                self.store = Some(store);
                self.open_prompt = None;
                self.selection = Selection::Nothing;
                self.reload();
                self.remember_recent(path);
                self.status = path.display().to_string();
            }
            Err(StoreError::HeldBy { path, holder }) => {
                self.open_prompt = Some(OpenPrompt::Held { path, holder: *holder });
            }
            Err(StoreError::Damaged { path, problem, newest_good_backup }) => {
                self.open_prompt = Some(OpenPrompt::Damaged { path, problem, newest_good_backup });
            }
            Err(e) => {
                let msg = format!("{} {}: {e}", self.lang.t("Kan ikke åbne", "Cannot open"), path.display());
                self.status = msg.clone();
                self.error = Some(msg);
            }
        }
    }

    /// Whether the open file is read-only (another instance holds it).
    pub fn is_read_only(&self) -> bool {
        self.store.as_ref().is_some_and(Store::is_read_only)
    }

    /// Whether a write may go ahead; if not, says why in the error window.
    pub fn may_write(&mut self) -> bool {
        if self.store.is_none() {
            self.error = Some(self.lang.t("Ingen fil er åben", "No file is open").to_string());
            return false;
        }
        if self.is_read_only() {
            self.error = Some(
                self.lang
                    .t(
                        "Filen er åbnet skrivebeskyttet, fordi et andet program har den åben: intet blev gemt.",
                        "The file is open read-only because another program has it open: nothing was saved.",
                    )
                    .to_string(),
            );
            return false;
        }
        true
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = path.to_path_buf();
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(8);
    }

    /// The open file's path.
    pub fn path(&self) -> Option<&Path> {
        self.store.as_ref().map(|s| s.path())
    }

    /// Reads everything again: on opening a file, and when the audit log cannot be replayed
    /// (a backup was restored).
    pub fn reload(&mut self) {
        let Some(store) = &mut self.store else { return };
        match store.load_with_feed() {
            Ok((data, feed)) => {
                self.data = data;
                self.feed = feed;
            }
            Err(e) => self.error = Some(format!("{e}")),
        }
        match store.boundaries() {
            Ok(b) => self.boundaries = super::map::with_bundled_boundaries(b, &self.data.region),
            Err(e) => self.error = Some(format!("{e}")),
        }
        self.data_version += 1;
        self.drag = None;
    }

    /// Brings the data up to date from the audit log: replays only the rows written since the
    /// last look, by this desk or anyone else. Returns whether anything changed.
    pub fn sync(&mut self) -> bool {
        let Some(store) = &self.store else { return false };
        let changes = match store.changes_since(&mut self.feed) {
            Ok(c) => c,
            Err(e) => {
                self.status = e.to_string();
                return false;
            }
        };
        if changes.is_empty() {
            return false;
        }
        if changes.reload {
            self.reload();
            return true;
        }
        let me = store.user().to_string();
        let mut boundaries = false;
        let mut by_others = Vec::new();
        for (entry, cmd) in &changes.entries {
            if let Some(cmd) = cmd {
                self.data.apply(cmd);
                boundaries |= matches!(cmd, Command::Boundaries { .. });
                if entry.os_user != me {
                    by_others.push(entry.clone());
                }
            }
        }
        if boundaries && let Some(store) = &self.store {
            match store.boundaries() {
                Ok(b) => self.boundaries = super::map::with_bundled_boundaries(b, &self.data.region),
                Err(e) => self.error = Some(format!("{e}")),
            }
        }
        if let Some(last) = by_others.last() {
            self.status = format!(
                "{} {} {}",
                self.lang.t("Opdateret: ændret af", "Updated: changed by"),
                last.os_user,
                self.lang.t("i et andet vindue eller et script", "in another window or a script")
            );
        }
        self.data_version += 1;
        self.drag = None;
        true
    }

    /// Who made `trainee_id`'s placement (with `reason`) and when, from the audit log; read again
    /// only when the data changes, not on every frame.
    pub fn override_by(&mut self, trainee_id: &str, reason: Option<&str>) -> Option<UserAndTime> {
        if self.override_note.0 != self.data_version {
            self.override_note = (self.data_version, HashMap::new());
        }
        if !self.override_note.1.contains_key(trainee_id) {
            let filter = crate::store::LogFilter {
                trainee: Some(trainee_id.to_string()),
                limit: Some(50),
                ..Default::default()
            };
            let found = self
                .store
                .as_ref()
                .and_then(|s| s.log(&filter).ok())
                .and_then(|entries| {
                    // Placed with the override, or given new dates that needed it.
                    entries.into_iter().find(|e| {
                        matches!(e.action.as_str(), "place" | "edit_placement") && e.reason.as_deref() == reason
                    })
                })
                .map(|e| (e.os_user, e.at));
            self.override_note.1.insert(trainee_id.to_string(), found);
        }
        self.override_note.1.get(trainee_id).cloned().flatten()
    }

    /// Called every frame: asks the file, at most every `poll_every`, whether another program
    /// wrote, and if so brings the data up to date.
    pub fn poll(&mut self) {
        let now = std::time::Instant::now();
        if self.last_poll.is_some_and(|t| now.duration_since(t) < self.poll_every) {
            return;
        }
        self.last_poll = Some(now);
        self.sync();
    }

    /// The one write path: `Store::execute`, then the change feed. Errors go to the error window.
    pub fn execute(&mut self, cmd: &Command) -> bool {
        if !self.may_write() {
            return false;
        }
        let Some(store) = &mut self.store else { return false };
        let result = store.execute(cmd);
        let ok = result.is_ok();
        match result {
            Ok(_) => {
                self.set_status_change(crate::report::reasons::Done::Saved, cmd.clone());
            }
            Err(e) => self.error = Some(self.explain(&e)),
        }
        // Also after a conflict: show what the others changed.
        self.sync();
        ok
    }

    /// A store error as the user should read it.
    fn explain(&self, e: &StoreError) -> String {
        match e {
            StoreError::Command(CommandError::Refused(violations)) => {
                let rules = crate::report::reasons::violation_lines(violations, self.lang);
                format!("{}\n{rules}", self.lang.t("Afvist af en hård regel:", "Refused by a hard rule:"))
            }
            StoreError::Denied(m) => super::files::denied_text(self.lang, m),
            StoreError::Conflict(m) => format!(
                "{}\n{m}\n{}",
                self.lang
                    .t("Ikke gemt: data er ændret, siden du så dem.", "Not saved: the data changed since you saw it."),
                self.lang.t(
                    "Visningen er opdateret; se efter og prøv igen.",
                    "The view is up to date now; look again and retry."
                )
            ),
            e => e.to_string(),
        }
    }

    /// The status bar's text: a change is worded again in the current language.
    pub fn status_text(&self) -> String {
        match &self.status_change {
            Some((written, done, cmd)) if *written == self.status => {
                crate::report::reasons::done_text(*done, cmd, self.lang)
            }
            _ => self.status.clone(),
        }
    }

    fn set_status_change(&mut self, done: crate::report::reasons::Done, cmd: Command) {
        self.status = crate::report::reasons::done_text(done, &cmd, self.lang);
        self.status_change = Some((self.status.clone(), done, cmd));
    }

    /// Undoes this user's newest change (never another user's), checked like any write.
    pub fn undo(&mut self) {
        self.step(true);
    }

    pub fn redo(&mut self) {
        self.step(false);
    }

    fn step(&mut self, undo: bool) {
        if !self.may_write() {
            return;
        }
        let Some(store) = &mut self.store else { return };
        let result = if undo { store.undo(Who::Me) } else { store.redo(Who::Me) };
        match result {
            Ok(step) => {
                let done =
                    if undo { crate::report::reasons::Done::Undone } else { crate::report::reasons::Done::Redone };
                match store.audit_commands(&[step.id]).ok().and_then(|mut c| c.remove(&step.id)) {
                    Some(cmd) => self.set_status_change(done, cmd),
                    None => self.status = format!("{}: {}", done.verb(self.lang), step.summary),
                }
            }
            Err(StoreError::Undo(m)) => self.status = crate::report::reasons::input_error(&m, self.lang),
            Err(e) => self.error = Some(self.explain(&e)),
        }
        self.sync();
    }

    pub fn can_undo_redo(&self) -> (bool, bool) {
        self.store.as_ref().filter(|s| !s.is_read_only()).and_then(|s| s.can_undo_redo().ok()).unwrap_or((false, false))
    }

    /// Rules H1–H9 and the score of every practice for one trainee: run once when a drag starts.
    pub fn check_trainee(&self, trainee_id: &str) -> Option<DragCheck> {
        let trainee = self.data.trainee(trainee_id)?;
        let rules = RuleContext::new(&self.data);
        let scores = super::scoring::Scorer::new(&self.data, self.today);
        let by_practice = self
            .data
            .practices
            .iter()
            .map(|p| {
                let violations = rules.check(trainee, p, trainee.period(), None);
                let score = if violations.is_empty() { scores.score(trainee, p) } else { None };
                Feasibility { violations, score }
            })
            .collect();
        Some(DragCheck { trainee_id: trainee_id.to_string(), by_practice })
    }

    /// Starts or keeps the drag check for `trainee_id`.
    pub fn ensure_drag_check(&mut self, trainee_id: &str) {
        if self.drag.as_ref().is_some_and(|d| d.trainee_id == trainee_id) {
            return;
        }
        self.drag = self.check_trainee(trainee_id);
    }

    /// The feasibility of one practice for the trainee being dragged.
    pub fn drag_feasibility(&self, practice_index: usize) -> Option<&Feasibility> {
        self.drag.as_ref().and_then(|d| d.by_practice.get(practice_index))
    }

    /// A trainee was dropped on a practice: place them for their period, or ask for an override.
    /// With Shift held, the place form opens instead, to choose the dates first.
    pub fn drop_trainee(&mut self, trainee_id: &str, practice_id: &str) {
        let Some(trainee) = self.data.trainee(trainee_id) else { return };
        let (start, end) = (trainee.start, trainee.end);
        self.drag = None;
        if self.modifiers.shift {
            self.place_request = Some((trainee_id.to_string(), practice_id.to_string()));
            return;
        }
        self.place_for(trainee_id, practice_id, start, end);
    }

    /// The hard rules new dates for a stored placement would break, beyond those it already
    /// overrides (the place form in "change dates" checks live with it).
    pub fn rules_for_new_dates(&self, placement: &Placement, start: NaiveDate, end: NaiveDate) -> Vec<Violation> {
        self.rules_for(&placement.trainee_id, &placement.practice_id, start, end)
            .into_iter()
            .filter(|v| !placement.overrides.contains(&v.rule))
            .collect()
    }

    /// Gives `placement` (as the desk shows it) new dates, or asks for an override when they
    /// break hard rules. Returns whether it was stored.
    pub fn change_dates_for(&mut self, placement: &Placement, start: NaiveDate, end: NaiveDate) -> bool {
        let violations = self.rules_for_new_dates(placement, start, end);
        if violations.is_empty() {
            let after = Placement { start, end, ..placement.clone() };
            let cmd = Command::EditPlacement { before: Box::new(placement.clone()), after: Box::new(after) };
            self.execute(&cmd)
        } else {
            self.override_request = Some(OverrideRequest {
                trainee_id: placement.trainee_id.clone(),
                practice_id: placement.practice_id.clone(),
                start,
                end,
                violations,
                reason: String::new(),
                replaces: Some(placement.clone()),
            });
            false
        }
    }

    /// The hard rules for placing `trainee_id` at `practice_id` from `start` to `end`, as the
    /// desk's data has it (the place form checks live with it).
    pub fn rules_for(&self, trainee_id: &str, practice_id: &str, start: NaiveDate, end: NaiveDate) -> Vec<Violation> {
        let (Some(t), Some(p)) = (self.data.trainee(trainee_id), self.data.practice(practice_id)) else {
            return Vec::new();
        };
        let period = crate::domain::dates::Period::new(start, end);
        RuleContext::new(&self.data).check(t, p, period, Some(trainee_id))
    }

    /// Places for the given dates, or asks for an override when hard rules are broken.
    /// Returns whether it was stored.
    pub fn place_for(&mut self, trainee_id: &str, practice_id: &str, start: NaiveDate, end: NaiveDate) -> bool {
        let violations = self.rules_for(trainee_id, practice_id, start, end);
        if violations.is_empty() {
            let placement = placement(trainee_id, practice_id, start, end, Vec::new(), None);
            let ok = self.execute(&Command::Place { placement });
            if ok {
                self.selection = Selection::Practice(practice_id.to_string());
            }
            ok
        } else {
            self.override_request = Some(OverrideRequest {
                trainee_id: trainee_id.to_string(),
                practice_id: practice_id.to_string(),
                start,
                end,
                violations,
                reason: String::new(),
                replaces: None,
            });
            false
        }
    }

    /// Places (or, for a date change, moves) with the rules of `request` overridden, giving its
    /// reason.
    pub fn place_with_override(&mut self, request: &OverrideRequest) -> bool {
        let mut rules: Vec<Rule> = request.violations.iter().map(|v| v.rule).collect();
        rules.sort();
        rules.dedup();
        if let Some(old) = &request.replaces {
            let mut after = Placement { start: request.start, end: request.end, ..old.clone() };
            for r in rules {
                if !after.overrides.contains(&r) {
                    after.overrides.push(r);
                }
            }
            after.overrides.sort();
            after.reason = Some(request.reason.trim().to_string());
            let cmd = Command::EditPlacement { before: Box::new(old.clone()), after: Box::new(after) };
            return self.execute(&cmd);
        }
        let placement = placement(
            &request.trainee_id,
            &request.practice_id,
            request.start,
            request.end,
            rules,
            Some(request.reason.trim().to_string()),
        );
        self.execute(&Command::Place { placement })
    }

    /// "Vis på kortet": selects the practice, centres the map on it and remembers the tab it came
    /// from, so the shell can offer the way back.
    pub fn show_on_map(&mut self, practice_id: &str) {
        self.selection = Selection::Practice(practice_id.to_string());
        self.focus_practice = Some(practice_id.to_string());
        if self.tab != Tab::Map {
            self.return_to = Some(self.tab);
        }
        self.tab = Tab::Map;
    }

    /// Current trainees per practice id on `today` (for marker colours and tooltips).
    pub fn current_counts(&self) -> HashMap<&str, u32> {
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for p in &self.data.placements {
            if p.start <= self.today && self.today <= p.end {
                *counts.entry(p.practice_id.as_str()).or_default() += 1;
            }
        }
        counts
    }

    /// Opens a file dialog for `purpose` (see `files::FileDialogs::ask`); when the system's own
    /// cannot open, the in-app one opens and the status says why.
    pub fn ask_file(&mut self, purpose: super::files::FilePurpose, file_name: Option<String>) {
        if let Some(note) = self.files.ask(purpose, file_name, self.lang) {
            self.status = note;
        }
    }

    pub fn t(&self, danish: &'static str, english: &'static str) -> &'static str {
        self.lang.t(danish, english)
    }

    /// The months typed into a panel's `from`/`to` fields, or why they are not a period.
    pub fn month_range(&self, from: &str, to: &str) -> Result<(YearMonth, YearMonth), String> {
        match (YearMonth::parse(from), YearMonth::parse(to)) {
            (Ok(f), Ok(t)) if f <= t => Ok((f, t)),
            (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
            _ => Err(self.t("Perioden slutter før den begynder", "The period ends before it starts").into()),
        }
    }
}

fn placement(
    trainee_id: &str,
    practice_id: &str,
    start: NaiveDate,
    end: NaiveDate,
    overrides: Vec<Rule>,
    reason: Option<String>,
) -> Placement {
    Placement {
        trainee_id: trainee_id.to_string(),
        practice_id: practice_id.to_string(),
        start,
        end,
        pinned: false,
        overrides,
        reason,
    }
}
