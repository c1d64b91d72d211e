//! "Placér uden at trække": for the selected open trainee, every practice of the region ranked as
//! `candidates` ranks them (feasible ones by score with their reasons, then the others with the
//! rules they break), with a filter; "Placér…" opens a form with from/to dates checked live. An
//! infeasible choice leads to the override dialog with a reason, as a drop does.

use chrono::NaiveDate;

use crate::domain::area::Candidate;
use crate::domain::dates::parse_date;

use super::i18n;
use super::state::AppState;
use crate::report::reasons;

/// The place form: one trainee, one practice, the dates typed so far.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceForm {
    pub trainee_id: String,
    pub practice_id: String,
    pub from: String,
    pub to: String,
    /// The rules checked for (from, to, data version): once per change, not on every frame.
    checked: Option<((NaiveDate, NaiveDate, u64), Vec<crate::domain::rules::Violation>)>,
}

/// The ranked list's view state.
#[derive(Default)]
pub struct PlacePanel {
    /// The candidates of one trainee, for (data version, trainee id).
    ranked: Option<(u64, String, Vec<Candidate>)>,
    filter: String,
    pub form: Option<PlaceForm>,
}

impl PlacePanel {
    /// The list, under the selected trainee's details in the inspector.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, trainee_id: &str) {
        let fresh = self.ranked.as_ref().is_some_and(|(v, id, _)| *v == state.data_version && id == trainee_id);
        if !fresh {
            let list = crate::ops::candidates(&state.data, trainee_id, &[], state.today).unwrap_or_default();
            self.ranked = Some((state.data_version, trainee_id.to_string(), list));
        }
        let Some((_, _, list)) = &self.ranked else { return };
        ui.strong(state.t("Placér uden at trække", "Place without dragging"));
        ui.horizontal(|ui| {
            let l = ui.label(state.t("Find praksis", "Find practice"));
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(140.0)).labelled_by(l.id);
        });
        let needle = self.filter.trim().to_lowercase();
        let mut chosen = None;
        egui::ScrollArea::vertical().id_salt("candidates").max_height(260.0).show(ui, |ui| {
            for c in list {
                let Some(p) = state.data.practice(&c.practice_id) else { continue };
                if !needle.is_empty()
                    && !p.name.to_lowercase().contains(&needle)
                    && !p.id.to_lowercase().contains(&needle)
                    && !p.municipality.to_lowercase().contains(&needle)
                {
                    continue;
                }
                ui.horizontal(|ui| {
                    let button = ui.small_button(state.t("Placér…", "Place…"));
                    if c.feasible {
                        ui.label(format!("{} · {}", p.name, p.municipality))
                            .on_hover_text(reasons::because_lines(&c.because, state.lang));
                        ui.weak(i18n::number(c.score, 1));
                    } else {
                        let rules: Vec<&str> = c.violations.iter().map(|v| v.rule.id()).collect();
                        ui.weak(format!("{} · {}", p.name, p.municipality));
                        ui.colored_label(ui.visuals().warn_fg_color, rules.join(", "))
                            .on_hover_text(reasons::violation_lines(&c.violations, state.lang));
                    }
                    if button.clicked() {
                        chosen = Some(c.practice_id.clone());
                    }
                });
            }
        });
        if let (Some(practice_id), Some(t)) = (chosen, state.data.trainee(trainee_id)) {
            self.form = Some(PlaceForm {
                trainee_id: trainee_id.to_string(),
                practice_id,
                from: i18n::date(t.start),
                to: i18n::date(t.end),
                checked: None,
            });
        }
    }

    /// The form's window, drawn every frame while it is open.
    pub fn form_ui(&mut self, ctx: &egui::Context, state: &mut AppState) {
        let Some(form) = &mut self.form else { return };
        let trainee = state.data.trainee(&form.trainee_id).map(|t| t.name.clone()).unwrap_or_default();
        let practice = state.data.practice(&form.practice_id).map(|p| p.name.clone()).unwrap_or_default();
        let mut close = false;
        egui::Window::new(state.t("Placér", "Place"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(format!("{trainee} → {practice}"));
                egui::Grid::new("place_form").num_columns(2).show(ui, |ui| {
                    let l = ui.label(state.t("Fra dato (dd-mm-åååå)", "From date (dd-mm-yyyy)"));
                    ui.add(egui::TextEdit::singleline(&mut form.from).desired_width(110.0)).labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label(state.t("Til dato (dd-mm-åååå)", "To date (dd-mm-yyyy)"));
                    ui.add(egui::TextEdit::singleline(&mut form.to).desired_width(110.0)).labelled_by(l.id);
                    ui.end_row();
                });
                let dates: Result<(NaiveDate, NaiveDate), String> = match (parse_date(&form.from), parse_date(&form.to))
                {
                    (Ok(a), Ok(b)) if a <= b => Ok((a, b)),
                    (Ok(_), Ok(_)) => {
                        Err(state.t("Perioden slutter før den begynder", "The period ends before it starts").into())
                    }
                    (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
                };
                let mut place = None;
                match &dates {
                    Ok((a, b)) => {
                        let key = (*a, *b, state.data_version);
                        if form.checked.as_ref().is_none_or(|(k, _)| *k != key) {
                            let v = state.rules_for(&form.trainee_id, &form.practice_id, *a, *b);
                            form.checked = Some((key, v));
                        }
                        let v = form.checked.as_ref().map(|(_, v)| v.clone()).unwrap_or_default();
                        if v.is_empty() {
                            ui.colored_label(
                                egui::Color32::from_rgb(0, 130, 60),
                                state.t("Ingen hårde regler brydes", "No hard rule is broken"),
                            );
                        } else {
                            for v in &v {
                                ui.colored_label(ui.visuals().error_fg_color, v.text(state.lang));
                            }
                        }
                        place = Some((*a, *b));
                    }
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                }
                ui.horizontal(|ui| {
                    if ui.add_enabled(place.is_some(), egui::Button::new(state.t("Placér", "Place"))).clicked()
                        && let Some((a, b)) = place
                    {
                        // A broken rule opens the override dialog (with a reason) instead.
                        state.place_for(&form.trainee_id, &form.practice_id, a, b);
                        close = true;
                    }
                    if ui.button(state.t("Annullér", "Cancel")).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.form = None;
        }
    }
}
