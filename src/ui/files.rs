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

/// "kirsten på pc-17 (proces 4242, siden 02-11-2026 08:15)".
pub fn holder_text(lang: Lang, l: &LockInfo) -> String {
    let since = chrono::NaiveDateTime::parse_from_str(l.started.get(..19).unwrap_or(&l.started), "%Y-%m-%dT%H:%M:%S")
        .map(|t| format!("{} {}", i18n::date(t.date()), t.format("%H:%M")))
        .unwrap_or_else(|_| l.started.clone());
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
                            ui.label(&b.made);
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
