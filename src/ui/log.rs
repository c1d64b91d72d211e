//! "Log": the audit trail in the desk, filtered by trainee, practice, user and period: who, when,
//! what and why. The same rows as `log --format json`. Undo is the write path's: a user may undo
//! only their own newest change still in force (`Store::undo(Who::Me)`), so the view offers it on
//! that one entry and says so. For a data-subject request, every entry about one trainee can be
//! exported as CSV (`ops::export_trainee_log`, written as every output file is).

use std::path::Path;

use chrono::NaiveDate;

use crate::domain::dates::parse_date;
use crate::store::{AuditEntry, LogFilter};

use super::state::AppState;

/// How many rows the window shows at most (the newest).
const SHOWN: usize = 500;

/// The filters as typed: trainee, practice, user, from, to.
type Filters = [String; 5];

/// The log window's view state.
#[derive(Default)]
pub struct LogWindow {
    pub open: bool,
    pub trainee: String,
    pub practice: String,
    pub user: String,
    /// The period, as typed (dd-mm-åååå); empty means open-ended.
    pub from: String,
    pub to: String,
    /// The rows for (data version, filters), and how many matched in all.
    rows: Option<(u64, Filters, Vec<AuditEntry>, usize)>,
    /// The id of this user's newest change still in force (what undo takes back), for a version.
    undoable: Option<(u64, Option<i64>)>,
    /// The rows' stored commands, worded in the user's language (`report::reasons::audit_text`).
    commands: std::collections::HashMap<i64, crate::domain::command::Command>,
}

/// The day of an audit time stamp (`2026-11-30T09:12:00.000+01:00`), as the desk's clock had it.
fn day_of(e: &AuditEntry) -> Option<NaiveDate> {
    e.at.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

impl LogWindow {
    /// The period typed, or which field is wrong.
    fn period(&self, state: &AppState) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
        let field = |label: &str, text: &str| match text.trim() {
            "" => Ok(None),
            t => parse_date(t).map(Some).map_err(|_| {
                format!("{label}: {} '{t}'", state.t("ikke en dato (dd-mm-åååå):", "not a date (dd-mm-yyyy):"))
            }),
        };
        let from = field(state.t("Fra", "From"), &self.from)?;
        let to = field(state.t("Til", "To"), &self.to)?;
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            return Err(state.t("Perioden slutter før den begynder", "The period ends before it starts").into());
        }
        Ok((from, to))
    }

    /// Writes every entry about the trainee in the filter as CSV into `dir` (what the export
    /// button does after its folder dialog; tests call it here, a native dialog cannot be clicked).
    pub fn export_to(&self, dir: &Path, state: &mut AppState) -> bool {
        let Some(store) = &state.store else { return false };
        match crate::ops::export_trainee_log(store, &self.trainee, dir) {
            Ok(path) => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                state.status = format!(
                    "{} {name} {} {}",
                    state.t("Skrev", "Wrote"),
                    state.t("i mappen", "in the folder"),
                    dir.display()
                );
                true
            }
            Err(e) => {
                state.error = Some(e.to_string());
                false
            }
        }
    }

    pub fn ui(&mut self, ctx: &egui::Context, state: &mut AppState) {
        if !self.open {
            return;
        }
        let mut open = self.open;
        egui::Window::new(state.t("Log", "Log")).open(&mut open).default_size([720.0, 440.0]).show(ctx, |ui| {
            // Text fields sized by hand: inside a grid egui shrank them to a few characters.
            let field = |ui: &mut egui::Ui, label: &str, text: &mut String, width: f32| {
                let l = ui.label(label);
                ui.add_sized([width, 20.0], egui::TextEdit::singleline(text)).labelled_by(l.id);
            };
            ui.horizontal_wrapped(|ui| {
                field(ui, state.t("Uddannelseslæge (id)", "Trainee (id)"), &mut self.trainee, 90.0);
                field(ui, state.t("Praksis (id)", "Practice (id)"), &mut self.practice, 90.0);
                field(ui, state.t("Bruger", "User"), &mut self.user, 110.0);
            });
            ui.horizontal_wrapped(|ui| {
                field(ui, state.t("Periode fra (dd-mm-åååå)", "Period from (dd-mm-yyyy)"), &mut self.from, 100.0);
                field(ui, state.t("Periode til (dd-mm-åååå)", "Period to (dd-mm-yyyy)"), &mut self.to, 100.0);
            });
            let period = self.period(state);
            if let Err(e) = &period {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let (from, to) = period.unwrap_or((None, None));
            let filters: Filters = [
                self.trainee.trim().to_string(),
                self.practice.trim().to_string(),
                self.user.trim().to_string(),
                from.map(|d| d.to_string()).unwrap_or_default(),
                to.map(|d| d.to_string()).unwrap_or_default(),
            ];
            let fresh = self.rows.as_ref().is_some_and(|(v, f, _, _)| *v == state.data_version && *f == filters);
            if !fresh {
                let some = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
                let dated = from.is_some() || to.is_some();
                let filter = LogFilter {
                    trainee: some(&filters[0]),
                    practice: some(&filters[1]),
                    user: some(&filters[2]),
                    // A period is filtered here, so it needs every row of the other filters.
                    limit: if dated { None } else { Some(SHOWN) },
                };
                let rows = state.store.as_ref().map(|s| s.log(&filter)).transpose();
                match rows {
                    Ok(rows) => {
                        let mut rows: Vec<AuditEntry> = rows
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|e| {
                                let day = day_of(e);
                                from.is_none_or(|f| day.is_some_and(|d| d >= f))
                                    && to.is_none_or(|t| day.is_some_and(|d| d <= t))
                            })
                            .collect();
                        let all = rows.len();
                        rows.truncate(SHOWN);
                        let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
                        self.commands =
                            state.store.as_ref().and_then(|s| s.audit_commands(&ids).ok()).unwrap_or_default();
                        self.rows = Some((state.data_version, filters, rows, all));
                    }
                    Err(e) => state.error = Some(e.to_string()),
                }
            }
            // Undo takes back this user's newest change still in force, nothing else.
            if self.undoable.as_ref().is_none_or(|(v, _)| *v != state.data_version) {
                let newest = state.store.as_ref().filter(|s| !s.is_read_only()).and_then(|s| {
                    let mine = LogFilter { user: Some(s.user().to_string()), limit: Some(50), ..Default::default() };
                    s.log(&mine).ok().and_then(|rows| rows.into_iter().find(|e| e.state == "done")).map(|e| e.id)
                });
                self.undoable = Some((state.data_version, newest));
            }
            let undoable = self.undoable.as_ref().and_then(|(_, id)| *id);
            ui.horizontal_wrapped(|ui| {
                let (can_undo, _) = state.can_undo_redo();
                if ui
                    .add_enabled(
                        can_undo,
                        egui::Button::new(state.t("Fortryd min seneste ændring", "Undo my newest change")),
                    )
                    .clicked()
                {
                    state.undo();
                }
                ui.weak(state.t(
                    "Kun din egen nyeste ændring kan fortrydes (markeret ↶), aldrig en kollegas.",
                    "Only your own newest change can be undone (marked ↶), never a colleague's.",
                ));
            });
            ui.horizontal_wrapped(|ui| {
                let one = !self.trainee.trim().is_empty();
                let export = egui::Button::new(state.t(
                    "Eksportér alle poster om uddannelseslægen (CSV)…",
                    "Export every entry about the trainee (CSV)…",
                ));
                if ui
                    .add_enabled(one, export)
                    .on_disabled_hover_text(state.t(
                        "Skriv uddannelseslægens id i filteret først.",
                        "Type the trainee's id in the filter first.",
                    ))
                    .clicked()
                {
                    state.ask_file(crate::ui::files::FilePurpose::TraineeLog, None);
                }
                if let Some(dir) = state.files.take_one(crate::ui::files::FilePurpose::TraineeLog) {
                    self.export_to(&dir, state);
                }
            });
            ui.separator();
            let Some((_, _, rows, all)) = &self.rows else { return };
            if *all > rows.len() {
                ui.label(format!(
                    "{all} {} ({} {})",
                    state.t("poster", "entries"),
                    state.t("viser de nyeste", "showing the newest"),
                    rows.len()
                ));
            } else {
                ui.label(format!("{} {}", rows.len(), state.t("poster", "entries")));
            }
            let mut undo = false;
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                egui::Grid::new("log_rows").num_columns(5).striped(true).show(ui, |ui| {
                    ui.strong(state.t("Hvornår", "When"));
                    ui.strong(state.t("Hvem", "Who"));
                    ui.strong(state.t("Hvad", "What"));
                    ui.strong(state.t("Hvorfor", "Why"));
                    ui.label("");
                    ui.end_row();
                    for e in rows {
                        ui.label(state.lang.time(&e.at));
                        ui.label(&e.os_user);
                        let mut what = crate::report::reasons::audit_text(
                            &e.action,
                            &e.summary,
                            self.commands.get(&e.id),
                            state.lang,
                        );
                        if e.state == "undone" {
                            what = format!("{what} ({})", state.t("fortrudt", "undone"));
                        }
                        ui.label(what);
                        ui.label(e.reason.clone().unwrap_or_default());
                        if Some(e.id) == undoable {
                            undo |= ui.small_button(format!("↶ {}", state.t("Fortryd", "Undo"))).clicked();
                        } else {
                            ui.label("");
                        }
                        ui.end_row();
                    }
                });
            });
            if undo {
                state.undo();
            }
        });
        self.open = open;
    }
}
