//! The file's own dialogs: a file another instance holds (open read-only, take over, or cancel),
//! a damaged file (restore the newest good backup), the banner of open warnings, and
//! "Gendan fra sikkerhedskopi…" (restore from backup).

use std::path::{Path, PathBuf};

use crate::store::{BackupInfo, LockInfo, OpenOptions, OpenWarning, list_backups, restore_backup};

use super::i18n::{self, Lang};
use super::state::AppState;

/// A file that did not open as asked, waiting for the user's decision.
#[derive(Clone, Debug, PartialEq)]
pub enum OpenPrompt {
    /// Another running program has the file open for writing (the instance lock).
    Held { path: PathBuf, holder: LockInfo },
    /// The file fails its check; `newest_good_backup` can replace it.
    Damaged { path: PathBuf, problem: String, newest_good_backup: Option<PathBuf> },
}

/// The dialog text when the server refused a write (SQLSTATE 42501, CLI exit 5): the login's
/// role may not make this change. `server` is the server's own words, in English, so only the
/// English desk quotes them.
pub fn denied_text(lang: Lang, server: &str) -> String {
    match lang {
        Lang::Danish => "Serveren afviste ændringen: din rolle må ikke foretage den. Intet blev gemt.\n\
             Koordinator (coordinator): alt undtagen indstillinger. Læseadgang (reviewer): kun se. \
             HR (hr): indstillinger, lønskala og økonomi.\n\
             Bed it-afdelingen om en anden rolle, hvis du skal kunne det."
            .to_string(),
        Lang::English => format!(
            "The server refused the change: your role may not make it. Nothing was saved.\n\
             Coordinator: everything but settings. Reviewer: reads only. HR: settings, the salary scale and finance.\n\
             Ask your IT department for another role if you need to.\n({server})"
        ),
    }
}

/// The banner text of an open warning; `None` for read-only, which the status bar shows.
pub fn notice(lang: Lang, warning: &OpenWarning) -> Option<String> {
    Some(match (lang, warning) {
        (_, OpenWarning::ReadOnly) => return None,
        (Lang::Danish, OpenWarning::NetworkFilesystem { fs_type }) => format!(
            "Filen ligger på et netværksdrev ({fs_type}) og bruger derfor den langsommere rollback-journal. \
             Arbejder flere i filen på én gang, så hold en kopi på en lokal disk."
        ),
        (Lang::Danish, OpenWarning::JournalMode { wanted, got }) => {
            format!("Journalen kunne ikke skiftes til {wanted} (den er {got}): et andet program har filen åben.")
        }
        (Lang::Danish, OpenWarning::StaleLockTakenOver(l)) => {
            format!("Filen var efterladt åben af {}, som ikke kører længere; du har den nu.", holder_text(lang, l))
        }
        (Lang::Danish, OpenWarning::LockTakenOver(l)) => format!("Du overtog filen fra {}.", holder_text(lang, l)),
        (Lang::Danish, OpenWarning::BackupFailed(e)) => {
            format!("Der kunne ikke tages en sikkerhedskopi ved åbningen: {e}. Selve filen er i orden.")
        }
        (Lang::English, w) => format!("{w}."),
    })
}

/// "kirsten på pc-17 (proces 4242, siden 2. nov. 2026 kl. 08.15)".
pub fn holder_text(lang: Lang, l: &LockInfo) -> String {
    let since = lang.time(&l.started);
    match lang {
        Lang::Danish => format!("{} på {} (proces {}, siden {since})", l.os_user, l.host, l.pid),
        Lang::English => format!("{} on {} (process {}, since {since})", l.os_user, l.host, l.pid),
    }
}

/// The banner under the menu: one line per notice, each closed on its own.
pub fn notices_ui(ui: &mut egui::Ui, state: &mut AppState) {
    let mut closed = None;
    for (i, text) in state.notices.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(ui.visuals().warn_fg_color, "⚠");
            ui.label(text);
            if ui.small_button(state.t("Luk", "Close")).clicked() {
                closed = Some(i);
            }
        });
    }
    if let Some(i) = closed {
        state.notices.remove(i);
    }
}

/// The dialog of a file that did not open: held by another instance, or damaged.
pub fn open_prompt_ui(ctx: &egui::Context, state: &mut AppState) {
    let Some(prompt) = state.open_prompt.clone() else { return };
    match prompt {
        OpenPrompt::Held { path, holder } => {
            egui::Window::new(state.t("Filen er i brug", "The file is in use"))
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(ctx, |ui| {
                    ui.label(path.display().to_string());
                    ui.label(format!(
                        "{} {}.",
                        state.t("Filen er åben i tutorfordeling hos", "The file is open in tutorfordeling by"),
                        holder_text(state.lang, &holder)
                    ));
                    ui.label(state.t(
                        "Du kan åbne den skrivebeskyttet og se, men ikke ændre. Overtag den kun, hvis du ved, at det andet program er lukket.",
                        "You can open it read-only to look but not change. Take it over only if you know the other program has stopped.",
                    ));
                    ui.horizontal(|ui| {
                        if ui.button(state.t("Åbn skrivebeskyttet", "Open read-only")).clicked() {
                            state.open_prompt = None;
                            state.open_with(&path, &OpenOptions::read_only());
                        }
                        if ui.button(state.t("Overtag", "Take over")).clicked() {
                            state.open_prompt = None;
                            state.open_with(&path, &OpenOptions { take_over: true, ..OpenOptions::instance() });
                        }
                        if ui.button(state.t("Annullér", "Cancel")).clicked() {
                            state.open_prompt = None;
                        }
                    });
                });
        }
        OpenPrompt::Damaged { path, problem, newest_good_backup } => {
            egui::Window::new(state.t("Filen er beskadiget", "The file is damaged"))
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(ctx, |ui| {
                    ui.label(path.display().to_string());
                    ui.label(format!("{}: {problem}", state.t("Filen fejler sit tjek", "The file fails its check")));
                    match &newest_good_backup {
                        Some(backup) => {
                            ui.label(format!(
                                "{} {}. {}",
                                state.t("Den nyeste gode sikkerhedskopi er", "The newest good backup is"),
                                backup_label(backup),
                                state.t(
                                    "Den beskadigede fil flyttes til side, så den kan undersøges.",
                                    "The damaged file is moved aside for inspection.",
                                )
                            ));
                        }
                        None => {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                state.t(
                                    "Der er ingen god sikkerhedskopi ved siden af filen.",
                                    "There is no good backup beside the file.",
                                ),
                            );
                        }
                    }
                    ui.horizontal(|ui| {
                        if let Some(backup) = &newest_good_backup
                            && ui
                                .button(state.t("Gendan nyeste gode sikkerhedskopi", "Restore the newest good backup"))
                                .clicked()
                        {
                            state.open_prompt = None;
                            restore(state, &path, backup);
                        }
                        if ui.button(state.t("Annullér", "Cancel")).clicked() {
                            state.open_prompt = None;
                        }
                    });
                });
        }
    }
}

/// A backup's file name, for messages.
fn backup_label(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Replaces `db` by `backup` and opens it again. The open store is closed first, so that its
/// lock and connection do not outlive the data under them.
pub fn restore(state: &mut AppState, db: &Path, backup: &Path) -> bool {
    if state.path() == Some(db) {
        state.store = None;
    }
    let result = restore_backup(db, backup);
    state.switch_to(db);
    match result {
        Ok(report) => {
            let mut status = format!("{} {}", state.t("Gendannet fra", "Restored from"), backup_label(backup));
            if let Some(safety) = report.safety_backup {
                status.push_str(&format!(
                    "; {} {}",
                    state.t("den tidligere udgave er gemt som", "the previous version is kept as"),
                    backup_label(&safety)
                ));
            }
            if let Some(aside) = report.moved_aside {
                status.push_str(&format!(
                    "; {} {}",
                    state.t("den beskadigede fil er flyttet til", "the damaged file was moved to"),
                    aside.display()
                ));
            }
            state.status = status;
            true
        }
        Err(e) => {
            state.error = Some(format!("{}: {e}", state.t("Kunne ikke gendanne", "Could not restore")));
            false
        }
    }
}

/// "Gendan fra sikkerhedskopi…": the open file's backups, and restoring one after a confirmation.
#[derive(Default)]
pub struct BackupsWindow {
    /// The backups on show, `None` while the window is closed.
    listed: Option<Vec<BackupInfo>>,
    /// The backup the user chose, waiting for the confirmation.
    confirm: Option<BackupInfo>,
}

impl BackupsWindow {
    /// Opens the window on the open file's backups.
    pub fn open(&mut self, state: &mut AppState) {
        let Some(path) = state.path() else {
            state.error = Some(state.t("Ingen fil er åben", "No file is open").to_string());
            return;
        };
        match list_backups(path) {
            Ok(list) => {
                self.listed = Some(list);
                self.confirm = None;
            }
            Err(e) => state.error = Some(e.to_string()),
        }
    }

    pub fn is_open(&self) -> bool {
        self.listed.is_some()
    }

    pub fn ui(&mut self, ctx: &egui::Context, state: &mut AppState) {
        let Some(list) = &self.listed else { return };
        let mut open = true;
        let mut chosen = None;
        egui::Window::new(state.t("Gendan fra sikkerhedskopi", "Restore from backup"))
            .collapsible(false)
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                if list.is_empty() {
                    ui.label(state.t("Filen har ingen sikkerhedskopier endnu.", "The file has no backups yet."));
                    return;
                }
                ui.label(state.t(
                    "En sikkerhedskopi tages, hver gang filen åbnes med nye data. Nyeste først:",
                    "A backup is made each time the file is opened with new data. Newest first:",
                ));
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    egui::Grid::new("backups").num_columns(4).striped(true).show(ui, |ui| {
                        ui.strong(state.t("Taget", "Made"));
                        ui.strong(state.t("Størrelse", "Size"));
                        ui.strong(state.t("Seneste ændring", "Newest change"));
                        ui.label("");
                        ui.end_row();
                        for b in list {
                            ui.label(state.lang.time(&b.made));
                            ui.label(format!("{} kB", i18n::number(b.size_bytes as f64 / 1024.0, 0)));
                            ui.label(format!("#{}", b.audit_id));
                            if ui.button(state.t("Gendan", "Restore")).clicked() {
                                chosen = Some(b.clone());
                            }
                            ui.end_row();
                        }
                    });
                });
            });
        if chosen.is_some() {
            self.confirm = chosen;
        }
        if !open {
            self.listed = None;
            self.confirm = None;
        }
        self.confirm_ui(ctx, state);
    }

    fn confirm_ui(&mut self, ctx: &egui::Context, state: &mut AppState) {
        let Some(backup) = self.confirm.clone() else { return };
        egui::Window::new(state.t("Gendan denne sikkerhedskopi?", "Restore this backup?"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(format!(
                    "{} {} (#{}). {}",
                    state.t(
                        "Filens data erstattes af sikkerhedskopien fra",
                        "The file's data is replaced by the backup of"
                    ),
                    backup.made,
                    backup.audit_id,
                    state.t(
                        "Den nuværende udgave gemmes først som en ny sikkerhedskopi, så gendannelsen kan fortrydes.",
                        "The current version is first saved as a new backup, so the restore can be undone.",
                    )
                ));
                ui.horizontal(|ui| {
                    if ui.button(state.t("Ja, gendan", "Yes, restore")).clicked() {
                        self.confirm = None;
                        self.listed = None;
                        if state.may_write()
                            && let Some(db) = state.path().map(Path::to_path_buf)
                        {
                            restore(state, &db, &backup.path);
                        }
                    }
                    if ui.button(state.t("Annullér", "Cancel")).clicked() {
                        self.confirm = None;
                    }
                });
            });
    }
}

/// What a file dialog is for: decides its kind (a file to open, files, a folder, a file to save),
/// its title and its filter, and which panel takes the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePurpose {
    NewFile,
    Open,
    SaveCopy,
    ImportCsv,
    ExportCsv,
    ImportBoundaries,
    /// "Udskriv opgørelser…": the folder the statements go in.
    PrintStatements,
    FinanceCsv,
    FairnessPdf,
    IntroRanking,
    /// A round's letters (issue 13): the folder their own folder goes in.
    Letters,
    /// A round's notices to the practices.
    Notices,
    /// A published round's changes since publishing, as CSV.
    RoundChanges,
    /// Every log entry about one trainee (a data-subject request): the folder.
    TraineeLog,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DialogKind {
    PickFile,
    PickFiles,
    PickFolder,
    SaveFile,
}

impl FilePurpose {
    fn kind(self) -> DialogKind {
        match self {
            FilePurpose::Open | FilePurpose::ImportBoundaries | FilePurpose::IntroRanking => DialogKind::PickFile,
            FilePurpose::ImportCsv => DialogKind::PickFiles,
            FilePurpose::ExportCsv
            | FilePurpose::PrintStatements
            | FilePurpose::Letters
            | FilePurpose::Notices
            | FilePurpose::TraineeLog => DialogKind::PickFolder,
            FilePurpose::NewFile
            | FilePurpose::SaveCopy
            | FilePurpose::FinanceCsv
            | FilePurpose::FairnessPdf
            | FilePurpose::RoundChanges => DialogKind::SaveFile,
        }
    }

    /// The file types offered: a name and the extensions.
    fn filter(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            FilePurpose::NewFile | FilePurpose::Open | FilePurpose::SaveCopy => Some(("SQLite", &["sqlite"])),
            FilePurpose::ImportCsv
            | FilePurpose::FinanceCsv
            | FilePurpose::IntroRanking
            | FilePurpose::RoundChanges => Some(("CSV", &["csv"])),
            FilePurpose::ImportBoundaries => Some(("GeoJSON", &["geojson", "json"])),
            FilePurpose::FairnessPdf => Some(("PDF", &["pdf"])),
            FilePurpose::ExportCsv
            | FilePurpose::PrintStatements
            | FilePurpose::Letters
            | FilePurpose::Notices
            | FilePurpose::TraineeLog => None,
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            FilePurpose::NewFile => lang.t("Ny fil", "New file"),
            FilePurpose::Open => lang.t("Åbn fil", "Open file"),
            FilePurpose::SaveCopy => lang.t("Gem en kopi", "Save a copy"),
            FilePurpose::ImportCsv => lang.t("Importér CSV", "Import CSV"),
            FilePurpose::ExportCsv => lang.t("Eksportér CSV til mappe", "Export CSV to a folder"),
            FilePurpose::ImportBoundaries => lang.t("Importér kommunegrænser", "Import municipality boundaries"),
            FilePurpose::PrintStatements => lang.t("Vælg mappe til opgørelserne", "Choose a folder for the statements"),
            FilePurpose::FinanceCsv => lang.t("Eksportér økonomi som CSV", "Export finance as CSV"),
            FilePurpose::FairnessPdf => lang.t("Gem rapporten (PDF)", "Save the report (PDF)"),
            FilePurpose::IntroRanking => lang.t("Introrunde: vælg ranglisten", "Intro round: choose the ranking"),
            FilePurpose::Letters => lang.t("Vælg mappe til brevene", "Choose a folder for the letters"),
            FilePurpose::Notices => lang.t("Vælg mappe til meddelelserne", "Choose a folder for the notices"),
            FilePurpose::RoundChanges => lang.t("Gem ændringerne som CSV", "Save the changes as CSV"),
            FilePurpose::TraineeLog => {
                lang.t("Vælg mappe til uddannelseslægens log", "Choose a folder for the trainee's log")
            }
        }
    }
}

/// Whether the system's own file dialog can open. On Linux it needs an XDG desktop portal
/// with a file chooser (xdg-desktop-portal-gtk, -kde, -gnome) on the session bus, or `zenity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NativeDialogs {
    /// Look once (the default).
    Probe,
    Available,
    Unavailable,
}

/// The file dialogs: the system's own where it works, otherwise an in-app dialog
/// (`egui_file`), and never nothing. The panel that asked takes the answer with
/// [`FileDialogs::take`].
pub struct FileDialogs {
    pub native: NativeDialogs,
    /// The in-app dialog on show, and what it is for.
    open: Option<(FilePurpose, egui_file::FileDialog)>,
    /// The chosen paths, waiting for the panel that asked.
    done: Option<(FilePurpose, Vec<PathBuf>)>,
    /// The folder the program last wrote files into, and the status that said so: while that
    /// status shows, the status bar offers to open the folder.
    written: Option<(PathBuf, String)>,
    /// Where the next dialog starts: the folder last used.
    last_folder: Option<PathBuf>,
}

impl Default for FileDialogs {
    fn default() -> FileDialogs {
        FileDialogs { native: NativeDialogs::Probe, open: None, done: None, written: None, last_folder: None }
    }
}

impl FileDialogs {
    /// Whether the in-app dialog is on show, and what for (tests read it).
    pub fn in_app(&self) -> Option<FilePurpose> {
        self.open.as_ref().map(|(p, _)| *p)
    }

    /// The answer to a dialog opened for `purpose`, once the user chose.
    pub fn take(&mut self, purpose: FilePurpose) -> Option<Vec<PathBuf>> {
        if self.done.as_ref().is_some_and(|(p, _)| *p == purpose) {
            return self.done.take().map(|(_, paths)| paths);
        }
        None
    }

    /// The one chosen path for `purpose` (a file or a folder).
    pub fn take_one(&mut self, purpose: FilePurpose) -> Option<PathBuf> {
        self.take(purpose).and_then(|mut paths| if paths.is_empty() { None } else { Some(paths.remove(0)) })
    }

    /// Answers a dialog for `purpose` with `paths`, as if the user had chosen them (tests; and
    /// the native dialog's answer).
    pub fn answer(&mut self, purpose: FilePurpose, paths: Vec<PathBuf>) {
        if let Some(folder) = paths.first().map(|p| {
            if purpose.kind() == DialogKind::PickFolder {
                p.clone()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        }) {
            self.last_folder = Some(folder);
        }
        self.done = Some((purpose, paths));
    }

    /// Notes that files were written into `folder`, as `status` says, for the status bar's
    /// "Åbn mappen".
    pub fn wrote_into(&mut self, folder: &Path, status: &str) {
        self.written = Some((folder.to_path_buf(), status.to_string()));
    }

    /// The folder to offer to open while `status` is the one that named it.
    pub fn written_folder(&self, status: &str) -> Option<&Path> {
        self.written.as_ref().filter(|(_, s)| s == status).map(|(f, _)| f.as_path())
    }

    /// Opens a dialog for `purpose`: the system's own if it can open, otherwise the in-app one.
    /// `file_name` is the name a save dialog suggests. Returns at once for the in-app dialog; its
    /// answer comes on a later frame, through [`FileDialogs::take`].
    pub fn ask(&mut self, purpose: FilePurpose, file_name: Option<String>, lang: Lang) -> Option<String> {
        if self.native == NativeDialogs::Probe {
            self.native =
                if native_dialogs_available() { NativeDialogs::Available } else { NativeDialogs::Unavailable };
        }
        if self.native == NativeDialogs::Available {
            let started = std::time::Instant::now();
            match native_dialog(purpose, file_name.as_deref(), self.last_folder.as_deref(), lang) {
                Some(paths) if !paths.is_empty() => {
                    self.answer(purpose, paths);
                    return None;
                }
                _ => {
                    // A dialog that "returns" at once was never shown (the portal or zenity
                    // failed): nobody cancels that fast. Fall back to the in-app dialog from now on.
                    if started.elapsed() > std::time::Duration::from_millis(250) {
                        return None;
                    }
                    self.native = NativeDialogs::Unavailable;
                }
            }
            self.open_in_app(purpose, file_name, lang);
            return Some(
                lang.t(
                    "Systemets fildialog kunne ikke åbnes; programmets egen bruges i stedet.",
                    "The system's file dialog could not open; the program's own is used instead.",
                )
                .to_string(),
            );
        }
        self.open_in_app(purpose, file_name, lang);
        Some(
            lang.t(
                "Systemets fildialog findes ikke her (installér xdg-desktop-portal-gtk eller zenity); programmets egen bruges.",
                "The system's file dialog is not available here (install xdg-desktop-portal-gtk or zenity); the program's own is used.",
            )
            .to_string(),
        )
    }

    fn open_in_app(&mut self, purpose: FilePurpose, file_name: Option<String>, lang: Lang) {
        let start = self
            .last_folder
            .clone()
            .or_else(|| directories::UserDirs::new().map(|d| d.home_dir().to_path_buf()))
            .unwrap_or_else(|| PathBuf::from("."));
        let mut dialog = match purpose.kind() {
            DialogKind::PickFile | DialogKind::PickFiles => egui_file::FileDialog::open_file(),
            DialogKind::PickFolder => egui_file::FileDialog::select_folder(),
            DialogKind::SaveFile => egui_file::FileDialog::save_file(),
        }
        .initial_path(start)
        .id(egui::Id::unique("tutorfordeling_file_dialog"))
        .title(purpose.title(lang))
        .open_button_text(std::borrow::Cow::Borrowed(match purpose.kind() {
            DialogKind::PickFolder => lang.t("Vælg denne mappe", "Choose this folder"),
            _ => lang.t("Åbn", "Open"),
        }))
        .save_button_text(std::borrow::Cow::Borrowed(lang.t("Gem", "Save")))
        .cancel_button_text(std::borrow::Cow::Borrowed(lang.t("Annullér", "Cancel")))
        .new_folder_button_text(std::borrow::Cow::Borrowed(lang.t("Ny mappe", "New folder")))
        .new_folder_name_text(std::borrow::Cow::Borrowed(lang.t("Ny mappe", "New folder")))
        .rename_button_text(std::borrow::Cow::Borrowed(lang.t("Omdøb", "Rename")))
        .refresh_button_hover_text(std::borrow::Cow::Borrowed(lang.t("Opdatér", "Refresh")))
        .parent_folder_button_hover_text(std::borrow::Cow::Borrowed(lang.t("Mappen over", "Parent folder")))
        .file_label_text(std::borrow::Cow::Borrowed(lang.t("Fil:", "File:")))
        .show_hidden_checkbox_text(std::borrow::Cow::Borrowed(lang.t("Vis skjulte", "Show hidden")))
        .multi_select(purpose.kind() == DialogKind::PickFiles)
        .default_size([560.0, 420.0]);
        if let Some(name) = file_name {
            dialog = dialog.default_filename(name);
        }
        if let Some((_, extensions)) = purpose.filter() {
            dialog = dialog.show_files_filter(Box::new(move |path: &Path| {
                path.is_dir()
                    || path
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
            }));
        }
        dialog.open();
        self.open = Some((purpose, dialog));
    }

    /// Draws the in-app dialog while it is open and takes its answer.
    pub fn ui(&mut self, ctx: &egui::Context) {
        let Some((purpose, dialog)) = &mut self.open else { return };
        let purpose = *purpose;
        dialog.show(ctx);
        match dialog.state() {
            egui_file::State::Open => {}
            egui_file::State::Selected => {
                let paths: Vec<PathBuf> = if purpose.kind() == DialogKind::PickFiles {
                    let chosen: Vec<PathBuf> = dialog.selection().into_iter().map(Path::to_path_buf).collect();
                    if chosen.is_empty() { dialog.path().map(Path::to_path_buf).into_iter().collect() } else { chosen }
                } else {
                    dialog.path().map(Path::to_path_buf).into_iter().collect()
                };
                self.open = None;
                if !paths.is_empty() {
                    self.answer(purpose, paths);
                }
            }
            egui_file::State::Cancelled | egui_file::State::Closed => self.open = None,
        }
    }
}

/// Whether the system's file dialog can open (see [`NativeDialogs`]). Windows and macOS always
/// have theirs; `TUTORFORDELING_FILE_DIALOG=app` or `=native` decides by hand.
fn native_dialogs_available() -> bool {
    match std::env::var("TUTORFORDELING_FILE_DIALOG").as_deref() {
        Ok("app") => return false,
        Ok("native") => return true,
        _ => {}
    }
    if !cfg!(target_os = "linux") {
        return true;
    }
    let on_path = |name: &str| {
        std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
    };
    if on_path("zenity") {
        return true;
    }
    // A portal needs a session bus and a backend that offers the file chooser.
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    let portal_with_chooser = ["/usr/share/xdg-desktop-portal/portals", "/usr/local/share/xdg-desktop-portal/portals"]
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .flatten()
        .any(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("org.freedesktop.impl.portal.FileChooser"))
        });
    bus && portal_with_chooser
}

/// The system's file dialog for `purpose`; `None` when cancelled or when it could not open.
fn native_dialog(
    purpose: FilePurpose,
    file_name: Option<&str>,
    start: Option<&Path>,
    lang: Lang,
) -> Option<Vec<PathBuf>> {
    let mut dialog = rfd::FileDialog::new().set_title(purpose.title(lang));
    if let Some((name, extensions)) = purpose.filter() {
        dialog = dialog.add_filter(name, extensions);
    }
    if let Some(start) = start {
        dialog = dialog.set_directory(start);
    }
    match purpose.kind() {
        DialogKind::PickFile => dialog.pick_file().map(|p| vec![p]),
        DialogKind::PickFiles => dialog.pick_files(),
        DialogKind::PickFolder => {
            // zenity ignores the start directory and takes `--filename`: a folder's path
            // without its final "/" opens its parent with it selected, so give the "/" and the
            // dialog opens inside the folder, and answers with that folder, not the one above.
            if let Some(start) = start {
                dialog = dialog.set_file_name(format!("{}/", start.display()));
            }
            dialog.pick_folder().map(|p| vec![p])
        }
        DialogKind::SaveFile => {
            if let Some(name) = file_name {
                dialog = dialog.set_file_name(name);
            }
            dialog.save_file().map(|p| vec![p])
        }
    }
}

/// "Åbn mappen": the folder in the system's file manager; says so quietly when it cannot.
pub fn open_folder(folder: &Path, lang: Lang) -> Result<(), String> {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(folder)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| {
            format!(
                "{} {} ({program}: {e})",
                lang.t("Mappen kunne ikke åbnes:", "The folder could not be opened:"),
                folder.display()
            )
        })
}
