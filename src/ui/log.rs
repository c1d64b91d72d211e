//! "Log": the audit trail in the desk, filtered by trainee, practice and user: who, when, what and
//! why. The same rows as `log --format json`; undo offers the user's own newest change.

use crate::store::{AuditEntry, LogFilter};

use super::state::AppState;

/// The log window's view state.
#[derive(Default)]
pub struct LogWindow {
    pub open: bool,
    pub trainee: String,
    pub practice: String,
    pub user: String,
    /// The rows for (data version, filters).
    rows: Option<(u64, [String; 3], Vec<AuditEntry>)>,
    /// The rows' stored commands, worded in the user's language (`report::reasons::audit_text`).
    commands: std::collections::HashMap<i64, crate::domain::command::Command>,
}

impl LogWindow {
    pub fn ui(&mut self, ctx: &egui::Context, state: &mut AppState) {
        if !self.open {
            return;
        }
        let mut open = self.open;
        egui::Window::new(state.t("Log", "Log")).open(&mut open).default_size([640.0, 420.0]).show(ctx, |ui| {
            egui::Grid::new("log_filters").num_columns(6).show(ui, |ui| {
                let l = ui.label(state.t("Uddannelseslæge (id)", "Trainee (id)"));
                ui.add(egui::TextEdit::singleline(&mut self.trainee).desired_width(90.0)).labelled_by(l.id);
                let l = ui.label(state.t("Praksis (id)", "Practice (id)"));
                ui.add(egui::TextEdit::singleline(&mut self.practice).desired_width(90.0)).labelled_by(l.id);
                let l = ui.label(state.t("Bruger", "User"));
                ui.add(egui::TextEdit::singleline(&mut self.user).desired_width(90.0)).labelled_by(l.id);
            });
            let filters =
                [self.trainee.trim().to_string(), self.practice.trim().to_string(), self.user.trim().to_string()];
            let fresh = self.rows.as_ref().is_some_and(|(v, f, _)| *v == state.data_version && *f == filters);
            if !fresh {
                let some = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
                let filter = LogFilter {
                    trainee: some(&filters[0]),
                    practice: some(&filters[1]),
                    user: some(&filters[2]),
                    limit: Some(500),
                };
                let rows = state.store.as_ref().map(|s| s.log(&filter)).transpose();
                match rows {
                    Ok(rows) => {
                        let rows = rows.unwrap_or_default();
                        let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
                        self.commands =
                            state.store.as_ref().and_then(|s| s.audit_commands(&ids).ok()).unwrap_or_default();
                        self.rows = Some((state.data_version, filters, rows));
                    }
                    Err(e) => state.error = Some(e.to_string()),
                }
            }
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
            ui.separator();
            let Some((_, _, rows)) = &self.rows else { return };
            ui.label(format!("{} {}", rows.len(), state.t("poster", "entries")));
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                egui::Grid::new("log_rows").num_columns(4).striped(true).show(ui, |ui| {
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
                        ui.end_row();
                    }
                });
            });
        });
        self.open = open;
    }
}
