//! The application shell: the menu, the queue on the left, the tabs in the centre, the inspector
//! on the right, the status bar, and the dialogs. Panels draw themselves; the shell only routes.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui::{Key, KeyboardShortcut, Modifiers};
use serde::{Deserialize, Serialize};

use crate::domain::command::Command;
use crate::store::{OpenOptions, Store, StoreError};

use super::fairness::FairnessPanel;
use super::files::{BackupsWindow, FilePurpose};
use super::finance::FinancePanel;
use super::i18n::{self, Lang};
use super::map::MapPanel;
use super::queue::{QueuePanel, deadline};
use super::roster::RosterPanel;
use super::state::{AppState, Selection, Tab};

/// Where a new user's demo region lives: the user's data directory.
pub fn default_demo_path() -> PathBuf {
    directories::ProjectDirs::from("dk", "Region Midtjylland", "tutorfordeling")
        .map(|d| d.data_dir().join("demo.sqlite"))
        .unwrap_or_else(|| PathBuf::from("tutorfordeling-demo.sqlite"))
}

/// Opens `path` as `options` say, creating the demo region there first when it is the default
/// and missing. The desktop program opens with `OpenOptions::instance()`: the instance lock and a
/// backup on open.
pub fn open_or_create_demo(path: &Path, options: &OpenOptions) -> Result<Store, StoreError> {
    crate::ops::files::open_or_create_demo(path, &default_demo_path(), options)
}

/// What eframe remembers between runs (the panel layout is in egui's own memory).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Remembered {
    /// The coordinator's area: a hospital unit, or none for the whole region.
    area: Option<String>,
    lang: Lang,
    dark: bool,
    tab: Tab,
    last_file: Option<PathBuf>,
    recent: Vec<PathBuf>,
}

const STORAGE_KEY: &str = "tutorfordeling";

/// The eframe application.
pub struct App {
    pub state: AppState,
    pub queue: QueuePanel,
    pub map: MapPanel,
    pub roster: RosterPanel,
    pub fairness: FairnessPanel,
    pub finance: FinancePanel,
    pub backups: BackupsWindow,
    pub place: super::place::PlacePanel,
    pub log: super::log::LogWindow,
    /// "Ny uddannelseslæge…" or "Redigér uddannelseslæge", while open.
    pub trainee_form: Option<super::trainee_form::TraineeForm>,
    applied_dark: Option<bool>,
    /// The side panels, each collapsible (from the tab bar or the View menu) to give a tab room.
    pub show_queue: bool,
    pub show_inspector: bool,
}

impl App {
    pub fn new(cc: &eframe::CreationContext<'_>, db: Option<PathBuf>) -> App {
        super::install_fonts(&cc.egui_ctx);
        let remembered: Remembered = cc.storage.and_then(|s| eframe::get_value(s, STORAGE_KEY)).unwrap_or_default();
        let path = db.or_else(|| remembered.last_file.clone().filter(|p| p.exists())).unwrap_or_else(default_demo_path);
        let mut app = App::with_path(&path);
        app.state.lang = remembered.lang;
        // The file was opened before the remembered language was known: word its notices again.
        if let Some(store) = &app.state.store {
            app.state.notices =
                store.warnings().iter().filter_map(|w| super::files::notice(app.state.lang, w)).collect();
        }
        app.state.dark = remembered.dark;
        app.state.tab = remembered.tab;
        app.state.area = remembered.area.filter(|a| app.state.data.region.hospital_units.iter().any(|h| h.name == *a));
        for p in remembered.recent.iter().rev() {
            if !app.state.recent.contains(p) {
                app.state.recent.push(p.clone());
            }
        }
        app
    }

    /// An app on `path` without eframe (tests, benches); "today" from the clock.
    pub fn with_path(path: &Path) -> App {
        App::with_path_on(path, chrono::Local::now().date_naive())
    }

    /// An app on `path` with a fixed "today" (deterministic tests and snapshots).
    pub fn with_path_on(path: &Path, today: NaiveDate) -> App {
        App {
            state: AppState::open(path, today),
            queue: QueuePanel::default(),
            map: MapPanel::default(),
            roster: RosterPanel::default(),
            fairness: FairnessPanel::default(),
            finance: FinancePanel::default(),
            backups: BackupsWindow::default(),
            place: super::place::PlacePanel::default(),
            log: super::log::LogWindow::default(),
            trainee_form: None,
            applied_dark: None,
            show_queue: true,
            show_inspector: true,
        }
    }

    /// The suggested round's proposals on show, as (trainee id, practice id).
    pub fn queue_proposals(&self) -> Vec<(String, String)> {
        self.queue.proposals()
    }

    /// Runs the intro round on the ranking CSV at `path`, as "Introrunde fra rangliste…" does
    /// after its file dialog (tests drive it here: a native dialog cannot be clicked).
    pub fn open_intro_ranking(&mut self, path: &Path) {
        self.queue.open_intro_ranking(path, &mut self.state);
    }

    /// Draws the whole window into `ui` (eframe calls it each frame; so do the tests).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        if self.applied_dark != Some(self.state.dark) {
            ui.ctx().set_visuals(if self.state.dark { egui::Visuals::dark() } else { egui::Visuals::light() });
            self.applied_dark = Some(self.state.dark);
        }
        self.state.poll();
        self.state.modifiers = ui.input(|i| i.modifiers);
        // Keep polling the file while the window is idle, so another desk's writes show.
        ui.ctx().request_repaint_after(self.state.poll_every);
        self.shortcuts(ui);
        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        if !self.state.notices.is_empty() {
            egui::Panel::top("notices").show(ui, |ui| super::files::notices_ui(ui, &mut self.state));
        }
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        // Narrow windows (1280 px and less) start with narrower side panels, so a tab keeps room.
        let narrow = ui.ctx().content_rect().width() < 1500.0;
        egui::Panel::left("queue")
            .resizable(true)
            .default_size(if narrow { 260.0 } else { 300.0 })
            // The queue's longest rows would otherwise widen it to 430 px at 1280 and squeeze
            // the tab's tables; their ends are cut instead (the user can fold the queue away).
            .max_size(if narrow { 330.0 } else { 480.0 })
            .show_collapsible(ui, &mut self.show_queue, |ui| self.queue.ui(ui, &mut self.state));
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(if narrow { 240.0 } else { 280.0 })
            .show_collapsible(ui, &mut self.show_inspector, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("inspector_scroll")
                    .show(ui, |ui| inspector_ui(ui, &mut self.state, &mut self.place, &mut self.trainee_form))
            });
        egui::CentralPanel::default().show(ui, |ui| {
            // Wrapped: in a narrow window the row breaks rather than hiding a tab under another.
            ui.horizontal_wrapped(|ui| {
                let queue_toggle = if self.show_queue { "◀" } else { "▶" };
                if ui
                    .selectable_label(self.show_queue, format!("{queue_toggle} {}", self.state.t("Kø", "Queue")))
                    .on_hover_text(self.state.t("Vis eller skjul køen", "Show or hide the queue"))
                    .clicked()
                {
                    self.show_queue = !self.show_queue;
                }
                ui.separator();
                let tabs = [
                    (Tab::Map, self.state.t("Kort", "Map")),
                    (Tab::Practices, self.state.t("Praksisser", "Practices")),
                    (Tab::Fairness, self.state.t("Fordeling", "Fairness")),
                    (Tab::Finance, self.state.t("Økonomi", "Finance")),
                ];
                for (tab, name) in tabs {
                    ui.selectable_value(&mut self.state.tab, tab, name);
                }
                if let Some(back) = self.state.return_to {
                    if self.state.tab == back || self.state.tab != Tab::Map {
                        // Back where it came from, or the user went elsewhere.
                        self.state.return_to = None;
                    } else {
                        ui.separator();
                        let name = tabs.iter().find(|(t, _)| *t == back).map_or("", |(_, n)| *n);
                        let text = format!("← {} {name}", self.state.t("Tilbage til", "Back to"));
                        if ui.button(text).clicked() {
                            self.state.tab = back;
                            self.state.return_to = None;
                        }
                    }
                }
                let toggle = if self.show_inspector { "▶" } else { "◀" };
                let details = format!("{} {toggle}", self.state.t("Detaljer", "Details"));
                let mut details_toggle = |ui: &mut egui::Ui| {
                    if ui
                        .selectable_label(self.show_inspector, details.as_str())
                        .on_hover_text(self.state.t("Vis eller skjul detaljerne", "Show or hide the details"))
                        .clicked()
                    {
                        self.show_inspector = !self.show_inspector;
                    }
                };
                // At the right end of the row when there is room for it, else next in the row.
                if ui.available_width() > 110.0 {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), details_toggle);
                } else {
                    details_toggle(ui);
                }
            });
            ui.separator();
            match self.state.tab {
                Tab::Map => self.map.ui(ui, &mut self.state),
                Tab::Practices => self.roster.ui(ui, &mut self.state),
                Tab::Fairness => self.fairness.ui(ui, &mut self.state),
                Tab::Finance => self.finance.ui(ui, &mut self.state),
            }
        });
        self.backups.ui(ui.ctx(), &mut self.state);
        self.place.form_ui(ui.ctx(), &mut self.state);
        self.log.ui(ui.ctx(), &mut self.state);
        if let Some(form) = &mut self.trainee_form
            && form.ui(ui.ctx(), &mut self.state)
        {
            self.trainee_form = None;
        }
        super::files::open_prompt_ui(ui.ctx(), &mut self.state);
        self.state.files.ui(ui.ctx());
        self.file_answers();
        override_dialog_ui(ui.ctx(), &mut self.state);
        error_dialog_ui(ui.ctx(), &mut self.state);
    }

    /// The answers of the File menu's dialogs (the system's own answer at once, the in-app one on
    /// a later frame).
    fn file_answers(&mut self) {
        let state = &mut self.state;
        if let Some(path) = state.files.take_one(FilePurpose::NewFile) {
            new_file(state, &path);
        }
        if let Some(path) = state.files.take_one(FilePurpose::Open) {
            state.switch_to(&path);
        }
        if let Some(path) = state.files.take_one(FilePurpose::SaveCopy) {
            save_copy(state, &path);
        }
        if let Some(files) = state.files.take(FilePurpose::ImportCsv) {
            import_csv(state, &files);
        }
        if let Some(dir) = state.files.take_one(FilePurpose::ExportCsv) {
            export_csv(state, &dir);
        }
        if let Some(path) = state.files.take_one(FilePurpose::ImportBoundaries) {
            import_boundaries(state, &path);
        }
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui) {
        // A text field keeps Ctrl+Z for its own undo.
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let redo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
        if ui.input_mut(|i| i.consume_shortcut(&undo)) {
            self.state.undo();
        }
        if ui.input_mut(|i| i.consume_shortcut(&redo)) {
            self.state.redo();
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let state = &mut self.state;
        let backups = &mut self.backups;
        let log = &mut self.log;
        let trainee_form = &mut self.trainee_form;
        let show_queue = &mut self.show_queue;
        let show_inspector = &mut self.show_inspector;
        egui::MenuBar::new().ui(ui, |ui| {
            let writable = !state.is_read_only();
            ui.menu_button(state.t("Filer", "File"), |ui| {
                if ui.button(state.t("Ny…", "New…")).clicked() {
                    ui.close();
                    state.ask_file(FilePurpose::NewFile, Some("region.sqlite".into()));
                }
                if ui.button(state.t("Åbn…", "Open…")).clicked() {
                    ui.close();
                    state.ask_file(FilePurpose::Open, None);
                }
                if ui.button(state.t("Gem en kopi…", "Save a copy…")).clicked() {
                    ui.close();
                    state.ask_file(FilePurpose::SaveCopy, Some("kopi.sqlite".into()));
                }
                if ui.button(state.t("Gendan fra sikkerhedskopi…", "Restore from backup…")).clicked() {
                    ui.close();
                    backups.open(state);
                }
                ui.separator();
                if ui.add_enabled(writable, egui::Button::new(state.t("Importér CSV…", "Import CSV…"))).clicked() {
                    ui.close();
                    state.ask_file(FilePurpose::ImportCsv, None);
                }
                if ui.button(state.t("Eksportér CSV…", "Export CSV…")).clicked() {
                    ui.close();
                    state.ask_file(FilePurpose::ExportCsv, None);
                }
                if ui
                    .add_enabled(
                        writable,
                        egui::Button::new(state.t("Importér kommunegrænser…", "Import municipality boundaries…")),
                    )
                    .clicked()
                {
                    ui.close();
                    state.ask_file(FilePurpose::ImportBoundaries, None);
                }
                ui.separator();
                ui.menu_button(state.t("Seneste filer", "Recent files"), |ui| {
                    let recent = state.recent.clone();
                    if recent.is_empty() {
                        ui.weak(state.t("ingen", "none"));
                    }
                    for path in recent {
                        if ui.button(crate::store::redact(&path.display().to_string())).clicked() {
                            ui.close();
                            state.switch_to(&path);
                        }
                    }
                });
            });
            ui.menu_button(state.t("Redigér", "Edit"), |ui| {
                let (can_undo, can_redo) = state.can_undo_redo();
                if ui
                    .add_enabled(can_undo, egui::Button::new(state.t("Fortryd", "Undo")).shortcut_text("Ctrl+Z"))
                    .clicked()
                {
                    ui.close();
                    state.undo();
                }
                if ui
                    .add_enabled(can_redo, egui::Button::new(state.t("Gentag", "Redo")).shortcut_text("Ctrl+Y"))
                    .clicked()
                {
                    ui.close();
                    state.redo();
                }
                ui.separator();
                let new_trainee = egui::Button::new(state.t("Ny uddannelseslæge…", "New trainee…"));
                if ui.add_enabled(!state.is_read_only(), new_trainee).clicked() {
                    ui.close();
                    *trainee_form = Some(super::trainee_form::TraineeForm::new_trainee());
                }
                if ui
                    .button(state.t("Log (hvem, hvornår, hvad og hvorfor)…", "Log (who, when, what and why)…"))
                    .clicked()
                {
                    ui.close();
                    log.open = true;
                }
            });
            ui.menu_button(state.t("Vis", "View"), |ui| {
                if ui.radio(state.lang == Lang::Danish, "Dansk").clicked() {
                    state.lang = Lang::Danish;
                    ui.close();
                }
                if ui.radio(state.lang == Lang::English, "English").clicked() {
                    state.lang = Lang::English;
                    ui.close();
                }
                ui.separator();
                if ui.radio(!state.dark, state.t("Lyst tema", "Light theme")).clicked() {
                    state.dark = false;
                    ui.close();
                }
                if ui.radio(state.dark, state.t("Mørkt tema", "Dark theme")).clicked() {
                    state.dark = true;
                    ui.close();
                }
                ui.separator();
                ui.checkbox(show_queue, state.t("Køen", "The queue"));
                ui.checkbox(show_inspector, state.t("Detaljer", "Details"));
            });
        });
    }

    fn status_ui(&mut self, ui: &mut egui::Ui) {
        let state = &mut self.state;
        ui.horizontal(|ui| {
            let file =
                state.path().map(|p| p.display().to_string()).unwrap_or_else(|| state.t("ingen fil", "no file").into());
            ui.label(file);
            ui.separator();
            ui.label(format!(
                "{} {} · {} {} · {} {}",
                state.data.practices.len(),
                state.t("praksisser", "practices"),
                state.data.trainees.len(),
                state.t("uddannelseslæger", "trainees"),
                state.data.placements.len(),
                state.t("forløb", "placements")
            ));
            ui.separator();
            if state.is_read_only() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    state.t("Skrivebeskyttet: ændringer kan ikke gemmes", "Read-only: changes cannot be saved"),
                );
            } else {
                ui.label(state.t("Alle ændringer er gemt", "All changes saved"));
            }
            if let Some(busy) = &state.busy {
                ui.separator();
                ui.spinner();
                ui.label(busy);
            }
            ui.separator();
            ui.label(state.status_text());
            // After files were written: the status names the folder; this opens it.
            if let Some(folder) = state.files.written_folder(&state.status).map(Path::to_path_buf) {
                let open = ui
                    .small_button(state.t("Åbn mappen", "Open the folder"))
                    .on_hover_text(folder.display().to_string());
                if open.clicked()
                    && let Err(e) = super::files::open_folder(&folder, state.lang)
                {
                    state.status = e;
                }
            }
        });
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let remembered = Remembered {
            area: self.state.area.clone(),
            lang: self.state.lang,
            dark: self.state.dark,
            tab: self.state.tab,
            // A server URL is remembered without its password (settings are a plain file).
            last_file: self.state.path().map(crate::store::without_password),
            recent: self.state.recent.iter().map(|p| crate::store::without_password(p)).collect(),
        };
        eframe::set_value(storage, STORAGE_KEY, &remembered);
    }
}

fn new_file(state: &mut AppState, path: &Path) {
    match Store::create(path, &crate::domain::region::Region::midtjylland()) {
        Ok(store) => {
            drop(store);
            state.switch_to(path);
        }
        Err(e) => state.error = Some(e.to_string()),
    }
}

fn save_copy(state: &mut AppState, path: &Path) {
    let Some(store) = &state.store else { return };
    match store.save_copy(path) {
        Ok(()) => {
            state.status = format!("{} {}", state.t("Kopi gemt i", "Copy saved to"), path.display());
            if let Some(folder) = path.parent() {
                state.files.wrote_into(folder, &state.status);
            }
        }
        Err(e) => state.error = Some(e.to_string()),
    }
}

/// Import CSV through the CLI's path: the tables are recognised by file name.
pub fn import_csv(state: &mut AppState, files: &[PathBuf]) {
    if !state.may_write() {
        return;
    }
    let wanted = match crate::ops::files::import_files_by_name(files) {
        Ok(w) => w,
        Err(e) => {
            state.error = Some(e.to_string());
            return;
        }
    };
    let Some(store) = &mut state.store else { return };
    match crate::ops::files::import_files(store, &wanted, false) {
        Ok(done) => {
            let r = done.report;
            state.status = format!(
                "{}: {} / {} / {} / {}",
                state.t("Importeret", "Imported"),
                r.practices,
                r.trainees,
                r.placements,
                r.pauses
            );
            state.sync();
        }
        Err(e) => state.error = Some(e.to_string()),
    }
}

fn export_csv(state: &mut AppState, dir: &Path) {
    match crate::store::csv::export_all(&state.data, dir) {
        Ok(files) => {
            state.status = format!(
                "{} {} {} {}",
                state.t("Skrev", "Wrote"),
                files.len(),
                state.t("filer i", "files into"),
                dir.display()
            );
            state.files.wrote_into(dir, &state.status);
        }
        Err(e) => state.error = Some(format!("{e:#}")),
    }
}

/// "Importér kommunegrænser…": parse the GeoJSON, store the rings, redraw the map.
pub fn import_boundaries(state: &mut AppState, path: &Path) {
    if !state.may_write() {
        return;
    }
    let Some(store) = &mut state.store else { return };
    match crate::ops::files::import_boundaries_file(store, path) {
        Ok(n) => {
            state.status = format!("{n} {}", state.t("grænseringe importeret", "boundary rings imported"));
            state.sync();
        }
        Err(e) => state.error = Some(e.to_string()),
    }
}

/// The right panel: details of the selected practice or trainee, with its actions.
fn inspector_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    place: &mut super::place::PlacePanel,
    form: &mut Option<super::trainee_form::TraineeForm>,
) {
    ui.heading(state.t("Detaljer", "Details"));
    ui.separator();
    match state.selection.clone() {
        Selection::Nothing => {
            ui.label(state.t(
                "Vælg en praksis på kortet eller i listen, eller en uddannelseslæge i køen. Træk en uddannelseslæge fra køen til en praksis for at placere.",
                "Select a practice on the map or in the list, or a trainee in the queue. Drag a trainee from the queue onto a practice to place them.",
            ));
        }
        Selection::Practice(id) => {
            let Some(p) = state.data.practice(&id).cloned() else { return };
            ui.strong(&p.name);
            egui::Grid::new("inspector_practice").num_columns(2).show(ui, |ui| {
                let rows: Vec<(&str, String)> = vec![
                    ("Id", p.id.clone()),
                    (state.t("Kommune", "Municipality"), p.municipality.clone()),
                    (state.t("Tutorer", "Tutors"), p.tutors.to_string()),
                    (state.t("Læger", "Doctors"), p.doctors.to_string()),
                    (
                        state.t("Kapacitet", "Capacity"),
                        p.effective_capacity(state.data.settings.capacity_per_tutor).to_string(),
                    ),
                    (
                        state.t("Patientgrundlag", "Patient base"),
                        match p.setting {
                            crate::domain::model::Setting::Urban => state.t("by", "urban"),
                            crate::domain::model::Setting::Rural => state.t("land", "rural"),
                        }
                        .to_string(),
                    ),
                    (
                        state.t("Lægedækningstruet", "Threatened area"),
                        if state.data.is_threatened(&p) { state.t("ja", "yes") } else { state.t("nej", "no") }.into(),
                    ),
                ];
                for (k, v) in rows {
                    ui.label(k);
                    ui.label(v);
                    ui.end_row();
                }
            });
            ui.separator();
            ui.strong(state.t("Nuværende og kommende forløb", "Current and coming placements"));
            let mut here: Vec<_> = state
                .data
                .placements
                .iter()
                .filter(|pl| pl.practice_id == id && pl.end >= state.today)
                .cloned()
                .collect();
            here.sort_by_key(|pl| pl.start);
            for pl in here {
                let name = state.data.trainee(&pl.trainee_id).map(|t| t.name.clone()).unwrap_or_default();
                ui.horizontal_wrapped(|ui| {
                    if ui.link(&name).clicked() {
                        state.selection = Selection::Trainee(pl.trainee_id.clone());
                    }
                    ui.weak(i18n::period(pl.start, pl.end));
                });
                super::place::override_ui(ui, state, &pl);
            }
            if ui.button(state.t("Vis på kortet", "Show on the map")).clicked() {
                state.show_on_map(&id);
            }
            if ui.button(state.t("Redigér i praksislisten", "Edit in the practice list")).clicked() {
                state.tab = Tab::Practices;
            }
        }
        Selection::Trainee(id) => {
            let Some(t) = state.data.trainee(&id).cloned() else { return };
            ui.strong(&t.name);
            if ui.button(state.t("Redigér uddannelseslæge", "Edit trainee")).clicked() {
                *form = Some(super::trainee_form::TraineeForm::edit(&t));
            }
            egui::Grid::new("inspector_trainee").num_columns(2).show(ui, |ui| {
                let rows: Vec<(&str, String)> = vec![
                    ("Id", t.id.clone()),
                    (state.t("Type", "Type"), state.lang.kind(t.kind).to_string()),
                    (state.t("Periode", "Period"), i18n::period(t.start, t.end)),
                    (state.t("Frist for placering", "Place by"), i18n::date(deadline(&t))),
                    (state.t("Kommune", "Municipality"), t.municipality.clone().unwrap_or_default()),
                    (state.t("Hospitalsenhed", "Hospital unit"), t.hospital_unit.clone().unwrap_or_default()),
                ];
                for (k, v) in rows {
                    ui.label(k);
                    ui.label(v);
                    ui.end_row();
                }
            });
            ui.separator();
            match state.data.placement_of(&id).cloned() {
                Some(pl) => {
                    let practice = state.data.practice(&pl.practice_id).map(|p| p.name.clone()).unwrap_or_default();
                    ui.label(format!("{} {practice} ({})", state.t("Placeret i", "Placed at"), pl.practice_id));
                    ui.label(i18n::period(pl.start, pl.end));
                    super::place::override_ui(ui, state, &pl);
                    let mut pinned = pl.pinned;
                    if ui
                        .checkbox(
                            &mut pinned,
                            state.t("Fastlåst (røres ikke af forslag)", "Pinned (kept by suggestions)"),
                        )
                        .changed()
                    {
                        let cmd = Command::SetPinned { placement: pl.clone(), pinned };
                        state.execute(&cmd);
                    }
                    // New dates (checked live) and removal with a reason, in place.rs.
                    place.placement_actions_ui(ui, state, &pl);
                }
                None => {
                    ui.label(state.t(
                        "Ikke placeret. Træk navnet fra køen til en praksis, eller vælg en herunder.",
                        "Not placed. Drag the name from the queue onto a practice, or choose one below.",
                    ));
                    ui.separator();
                    place.ui(ui, state, &id);
                }
            }
        }
    }
}

/// The dialog after a drop on an infeasible practice: the broken rules, and an override that
/// needs a reason (H9 cannot be overridden).
fn override_dialog_ui(ctx: &egui::Context, state: &mut AppState) {
    let Some(mut request) = state.override_request.take() else { return };
    let mut keep = true;
    let trainee = state.data.trainee(&request.trainee_id).map(|t| t.name.clone()).unwrap_or_default();
    let practice = state.data.practice(&request.practice_id).map(|p| p.name.clone()).unwrap_or_default();
    let overridable = request.violations.iter().all(|v| v.rule.may_be_overridden());
    let moving = request.replaces.is_some();
    let title = if moving {
        state.t("De nye datoer er afvist", "The new dates are refused")
    } else {
        state.t("Placering afvist", "Placement refused")
    };
    let confirm = if moving {
        state.t("Tilsidesæt og gem datoer", "Override and save the dates")
    } else {
        state.t("Tilsidesæt og placér", "Override and place")
    };
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label(format!("{trainee} → {practice}: {}", i18n::period(request.start, request.end)));
            ui.label(state.t("Placeringen bryder disse hårde regler:", "The placement breaks these hard rules:"));
            for v in &request.violations {
                ui.colored_label(ui.visuals().error_fg_color, v.text(state.lang));
            }
            ui.separator();
            if overridable {
                let l = ui.label(state.t("Begrundelse for at tilsidesætte", "Reason for overriding"));
                ui.add(egui::TextEdit::multiline(&mut request.reason).desired_rows(2)).labelled_by(l.id);
            } else {
                ui.label(state.t("H9 kan ikke tilsidesættes.", "H9 cannot be overridden."));
            }
            ui.horizontal(|ui| {
                let ready = overridable && !request.reason.trim().is_empty();
                if ui.add_enabled(ready, egui::Button::new(confirm)).clicked() && state.place_with_override(&request) {
                    keep = false;
                }
                if ui.button(state.t("Annullér", "Cancel")).clicked() {
                    keep = false;
                }
            });
        });
    if keep {
        state.override_request = Some(request);
    }
}

fn error_dialog_ui(ctx: &egui::Context, state: &mut AppState) {
    let Some(message) = state.error.clone() else { return };
    let mut open = true;
    egui::Window::new(state.t("Fejl", "Error"))
        .collapsible(false)
        .open(&mut open)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label(crate::report::reasons::input_error(&message, state.lang));
            if ui.button("OK").clicked() {
                state.error = None;
            }
        });
    if !open {
        state.error = None;
    }
}
