//! "Placér uden at trække": for the selected open trainee, every practice of the region ranked as
//! `candidates` ranks them (feasible ones by score with their reasons, then the others with the
//! rules they break), with a filter and the keyboard: Tab or the arrow keys move between the
//! rows' "Placér…" buttons, Enter opens the form (Enter in the filter opens it for the first row).
//! The form has from/to dates checked live; an infeasible choice leads to the override dialog
//! with a reason, as a drop does. A drop with Shift held opens the same form (DOMAIN.md gives
//! every trainee type a fixed period, so no drop has to ask; Shift is the way to choose dates).
//!
//! The same form changes a stored placement's dates ("Skift datoer…"), and "Fjern placering…"
//! removes one with a reason that goes to the audit log.

use chrono::NaiveDate;

use crate::domain::area::Candidate;
use crate::domain::command::Command;
use crate::domain::dates::parse_date;
use crate::domain::model::Placement;
use crate::domain::rules::Violation;

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
    /// The stored placement whose dates the form changes; `None` for a new placement.
    pub replaces: Option<Placement>,
    /// The rules checked for (from, to, data version): once per change, not on every frame.
    checked: Option<((NaiveDate, NaiveDate, u64), Vec<Violation>)>,
}

impl PlaceForm {
    /// A new placement, with the trainee's period as the default dates.
    pub fn new(state: &AppState, trainee_id: &str, practice_id: &str) -> Option<PlaceForm> {
        let t = state.data.trainee(trainee_id)?;
        Some(PlaceForm {
            trainee_id: trainee_id.to_string(),
            practice_id: practice_id.to_string(),
            from: i18n::date(t.start),
            to: i18n::date(t.end),
            replaces: None,
            checked: None,
        })
    }

    /// New dates for a stored placement, starting from its own.
    pub fn change_dates(placement: &Placement) -> PlaceForm {
        PlaceForm {
            trainee_id: placement.trainee_id.clone(),
            practice_id: placement.practice_id.clone(),
            from: i18n::date(placement.start),
            to: i18n::date(placement.end),
            replaces: Some(placement.clone()),
            checked: None,
        }
    }
}

/// The ranked list's view state, the place form and the removal dialog.
#[derive(Default)]
pub struct PlacePanel {
    /// The candidates of one trainee, for (data version, trainee id).
    ranked: Option<(u64, String, Vec<Candidate>)>,
    filter: String,
    /// The practice whose row is hovered or has the keyboard focus: its reasons show below.
    pointed: Option<String>,
    pub form: Option<PlaceForm>,
    /// "Fjern placering…": the placement and the reason typed so far.
    pub removing: Option<(Placement, String)>,
}

/// The rules a candidate breaks, as "H1, H3".
fn rule_ids(violations: &[Violation]) -> String {
    let mut ids: Vec<&str> = violations.iter().map(|v| v.rule.id()).collect();
    ids.dedup();
    ids.join(", ")
}

/// A candidate's reasons (feasible) or broken rules (infeasible), one a line.
fn explanation(c: &Candidate, lang: i18n::Lang) -> String {
    if c.feasible { reasons::because_lines(&c.because, lang) } else { reasons::violation_lines(&c.violations, lang) }
}

impl PlacePanel {
    /// The list, under the selected trainee's details in the inspector.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, trainee_id: &str) {
        let fresh = self.ranked.as_ref().is_some_and(|(v, id, _)| *v == state.data_version && id == trainee_id);
        if !fresh {
            let list = crate::ops::candidates(&state.data, trainee_id, &[], state.today).unwrap_or_default();
            self.ranked = Some((state.data_version, trainee_id.to_string(), list));
            self.pointed = None;
        }
        let Some((_, _, list)) = &self.ranked else { return };
        ui.strong(state.t("Placér uden at trække", "Place without dragging"));
        let filter = ui
            .horizontal(|ui| {
                let l = ui.label(state.t("Filtrér listen", "Filter the list"));
                ui.add(
                    egui::TextEdit::singleline(&mut self.filter)
                        .id_salt("place_filter")
                        .desired_width(140.0)
                        .hint_text(state.t("navn, id, kommune", "name, id, municipality")),
                )
                .labelled_by(l.id)
            })
            .inner;
        let needle = self.filter.trim().to_lowercase();
        let shown: Vec<&Candidate> = list
            .iter()
            .filter(|c| {
                needle.is_empty()
                    || state.data.practice(&c.practice_id).is_some_and(|p| {
                        p.name.to_lowercase().contains(&needle)
                            || p.id.to_lowercase().contains(&needle)
                            || p.municipality.to_lowercase().contains(&needle)
                    })
            })
            .collect();
        let feasible = shown.iter().filter(|c| c.feasible).count();
        ui.weak(format!(
            "{feasible} {} · {} {}",
            state.t("mulige", "feasible"),
            shown.len() - feasible,
            state.t("bryder regler", "break rules")
        ));
        let mut chosen = None;
        // Enter in the filter opens the form for the first row, as a search box does.
        if filter.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            chosen = shown.first().map(|c| c.practice_id.clone());
        }
        // Arrow Down in the filter goes to the first row (the text field keeps the arrow keys for
        // itself); between rows egui moves the focus with the arrow keys.
        let mut to_first = filter.has_focus() && ui.input(|i| i.key_pressed(egui::Key::ArrowDown));
        let mut pointed = None;
        egui::ScrollArea::vertical().id_salt("candidates").max_height(200.0).show(ui, |ui| {
            for c in &shown {
                let Some(p) = state.data.practice(&c.practice_id) else { continue };
                ui.horizontal(|ui| {
                    let button = ui
                        .add(egui::Button::new(state.t("Placér…", "Place…")).small())
                        .on_hover_text(explanation(c, state.lang));
                    if std::mem::take(&mut to_first) {
                        button.request_focus();
                    }
                    if button.gained_focus() {
                        button.scroll_to_me(None);
                    }
                    let text = if c.feasible {
                        let l = ui
                            .label(format!("{} · {}", p.name, p.municipality))
                            .on_hover_text(explanation(c, state.lang));
                        ui.weak(i18n::number(c.score, 1));
                        l
                    } else {
                        ui.weak(format!("{} · {}", p.name, p.municipality));
                        ui.colored_label(ui.visuals().warn_fg_color, rule_ids(&c.violations))
                            .on_hover_text(explanation(c, state.lang))
                    };
                    if button.has_focus() || button.hovered() || text.hovered() {
                        pointed = Some(c.practice_id.clone());
                    }
                    if button.clicked() {
                        chosen = Some(c.practice_id.clone());
                    }
                });
            }
        });
        if pointed.is_some() {
            self.pointed = pointed;
        }
        // The reasons of the row under the pointer or the keyboard focus: a keyboard user sees
        // what a mouse user sees on hover.
        if let Some(c) = self.pointed.as_ref().and_then(|id| list.iter().find(|c| &c.practice_id == id)) {
            let name = state.data.practice(&c.practice_id).map(|p| p.name.clone()).unwrap_or_default();
            ui.separator();
            if c.feasible {
                ui.label(format!("{name}: {} {}", state.t("point", "score"), i18n::number(c.score, 1)));
                for b in &c.because {
                    ui.weak(b.text(state.lang));
                }
            } else {
                ui.label(format!("{name}: {}", state.t("bryder", "breaks")));
                for v in &c.violations {
                    ui.colored_label(ui.visuals().warn_fg_color, v.text(state.lang));
                }
            }
        }
        if let Some(practice_id) = chosen {
            self.form = PlaceForm::new(state, trainee_id, &practice_id);
        }
    }

    /// "Skift datoer…" and "Fjern placering…" for a stored placement (the trainee's details).
    pub fn placement_actions_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, placement: &Placement) {
        let writable = !state.is_read_only();
        ui.horizontal_wrapped(|ui| {
            if ui.add_enabled(writable, egui::Button::new(state.t("Skift datoer…", "Change dates…"))).clicked() {
                self.form = Some(PlaceForm::change_dates(placement));
            }
            if ui.add_enabled(writable, egui::Button::new(state.t("Fjern placering…", "Remove placement…"))).clicked()
            {
                self.removing = Some((placement.clone(), String::new()));
            }
        });
    }

    /// The form's and the removal dialog's windows, drawn every frame while open.
    pub fn form_ui(&mut self, ctx: &egui::Context, state: &mut AppState) {
        if let Some((trainee_id, practice_id)) = state.place_request.take() {
            self.form = PlaceForm::new(state, &trainee_id, &practice_id);
        }
        self.remove_ui(ctx, state);
        let Some(form) = &mut self.form else { return };
        let trainee = state.data.trainee(&form.trainee_id).map(|t| t.name.clone()).unwrap_or_default();
        let practice = state.data.practice(&form.practice_id).map(|p| p.name.clone()).unwrap_or_default();
        let moving = form.replaces.is_some();
        let mut close = false;
        let title = if moving { state.t("Skift datoer", "Change dates") } else { state.t("Placér", "Place") };
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(format!("{trainee} → {practice}"));
                if let Some(t) = state.data.trainee(&form.trainee_id) {
                    ui.weak(format!(
                        "{} {}",
                        state.t("Uddannelseslægens periode:", "The trainee's period:"),
                        i18n::period(t.start, t.end)
                    ));
                }
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
                let mut chosen = None;
                match &dates {
                    Ok((a, b)) => {
                        let key = (*a, *b, state.data_version);
                        if form.checked.as_ref().is_none_or(|(k, _)| *k != key) {
                            let v = match &form.replaces {
                                Some(old) => state.rules_for_new_dates(old, *a, *b),
                                None => state.rules_for(&form.trainee_id, &form.practice_id, *a, *b),
                            };
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
                            ui.weak(if v.iter().all(|v| v.rule.may_be_overridden()) {
                                state.t(
                                    "Du kan tilsidesætte reglerne med en begrundelse.",
                                    "You may override the rules with a reason.",
                                )
                            } else {
                                state.t("H9 kan ikke tilsidesættes.", "H9 cannot be overridden.")
                            });
                        }
                        chosen = Some((*a, *b));
                    }
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                }
                ui.horizontal(|ui| {
                    let label = if moving { state.t("Gem datoer", "Save dates") } else { state.t("Placér", "Place") };
                    if ui.add_enabled(chosen.is_some(), egui::Button::new(label)).clicked()
                        && let Some((a, b)) = chosen
                    {
                        // A broken rule opens the override dialog (with a reason) instead.
                        match &form.replaces {
                            Some(old) => {
                                let old = old.clone();
                                state.change_dates_for(&old, a, b);
                            }
                            None => {
                                state.place_for(&form.trainee_id, &form.practice_id, a, b);
                            }
                        }
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

    /// "Fjern placering": the placement, and a reason for the audit log before it goes.
    fn remove_ui(&mut self, ctx: &egui::Context, state: &mut AppState) {
        let Some((placement, reason)) = &mut self.removing else { return };
        let trainee = state.data.trainee(&placement.trainee_id).map(|t| t.name.clone()).unwrap_or_default();
        let practice = state.data.practice(&placement.practice_id).map(|p| p.name.clone()).unwrap_or_default();
        let mut close = false;
        egui::Window::new(state.t("Fjern placering", "Remove placement"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(format!("{trainee} → {practice}: {}", i18n::period(placement.start, placement.end)));
                let l = ui.label(state.t("Begrundelse (gemmes i loggen)", "Reason (kept in the log)"));
                ui.add(egui::TextEdit::multiline(reason).desired_rows(2)).labelled_by(l.id);
                ui.horizontal(|ui| {
                    let ready = !reason.trim().is_empty();
                    if ui.add_enabled(ready, egui::Button::new(state.t("Fjern", "Remove"))).clicked() {
                        let cmd =
                            Command::Unplace { placement: placement.clone(), reason: Some(reason.trim().to_string()) };
                        close = state.execute(&cmd);
                    }
                    if ui.button(state.t("Annullér", "Cancel")).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.removing = None;
        }
    }
}

/// A placement made or moved with overridden rules: which rules, the reason, and who did it when
/// (from the audit log). Shown in both the practice's and the trainee's details.
pub fn override_ui(ui: &mut egui::Ui, state: &mut AppState, placement: &Placement) {
    if placement.overrides.is_empty() {
        return;
    }
    let rules: Vec<&str> = placement.overrides.iter().map(|r| r.id()).collect();
    ui.colored_label(
        ui.visuals().warn_fg_color,
        format!(
            "{} {}: {}",
            state.t("Tilsidesatte regler", "Overridden rules"),
            rules.join(", "),
            placement.reason.clone().unwrap_or_default()
        ),
    );
    if let Some((user, at)) = state.override_by(&placement.trainee_id, placement.reason.as_deref()) {
        let at = state.lang.time(&at);
        ui.weak(format!("{} {user} {at}", state.t("Tilsidesat af", "Overridden by")));
    }
}
