//! "Ny uddannelseslæge…" and "Redigér uddannelseslæge": a form for a trainee's fields. A save is
//! `Command::AddTrainee`, or `Command::EditTrainee` with the trainee as the form opened it, so a
//! change by someone else meanwhile is a conflict, and an edit that would make the stored
//! placement break a rule is refused naming it. Practice ids (own GP, family, history) must name
//! practices of the file; the form says which one does not, before anything is saved.

use crate::domain::command::Command;
use crate::domain::dates::parse_date;
use crate::domain::model::{Trainee, TraineeType};
use crate::domain::money::Money;

use super::i18n;
use super::state::AppState;

/// The fields as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct TraineeForm {
    /// The trainee as the form opened it; `None` for a new one.
    pub base: Option<Trainee>,
    pub id: String,
    pub name: String,
    pub kind: TraineeType,
    pub start: String,
    pub end: String,
    pub municipality: Option<String>,
    pub hospital_unit: Option<String>,
    pub own_gp: String,
    /// Rule H2: practices where family works, ids separated by `|` or `,`.
    pub family_practices: String,
    /// Rules T1, T2: earlier practices, oldest first, ids separated by `|` or `,`.
    pub history: String,
    pub monthly_salary: String,
    /// The salary-scale step, used when no monthly salary is given.
    pub seniority_step: Option<String>,
}

/// Ids typed as `P1|P2` or `P1, P2`.
fn ids(text: &str) -> Vec<String> {
    text.split(['|', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

impl TraineeForm {
    pub fn new_trainee() -> TraineeForm {
        TraineeForm {
            base: None,
            id: String::new(),
            name: String::new(),
            kind: TraineeType::Kbu,
            start: String::new(),
            end: String::new(),
            municipality: None,
            hospital_unit: None,
            own_gp: String::new(),
            family_practices: String::new(),
            history: String::new(),
            monthly_salary: String::new(),
            seniority_step: None,
        }
    }

    pub fn edit(t: &Trainee) -> TraineeForm {
        TraineeForm {
            base: Some(t.clone()),
            id: t.id.clone(),
            name: t.name.clone(),
            kind: t.kind,
            start: i18n::date(t.start),
            end: i18n::date(t.end),
            municipality: t.municipality.clone(),
            hospital_unit: t.hospital_unit.clone(),
            own_gp: t.own_gp.clone().unwrap_or_default(),
            family_practices: t.family_practices.join("|"),
            history: t.history.join("|"),
            monthly_salary: t.monthly_salary.map(|m| m.to_danish()).unwrap_or_default(),
            seniority_step: t.seniority_step.clone(),
        }
    }

    /// The trainee the fields describe, or what is wrong with them.
    fn trainee(&self, state: &AppState) -> Result<Trainee, String> {
        let date = |label: &str, s: &str| parse_date(s).map_err(|e| format!("{label}: {e}"));
        let start = date(state.t("Fra", "From"), &self.start)?;
        let end = date(state.t("Til", "To"), &self.end)?;
        let salary = match self.monthly_salary.trim() {
            "" => None,
            s => Some(Money::parse(s).map_err(|e| format!("{}: {e}", state.t("Månedsløn", "Monthly salary")))?),
        };
        let own_gp = Some(self.own_gp.trim().to_string()).filter(|s| !s.is_empty());
        let family = ids(&self.family_practices);
        let history = ids(&self.history);
        let fields = [
            (state.t("Egen læge", "Own GP"), own_gp.iter().cloned().collect::<Vec<_>>()),
            (state.t("Familie i praksis", "Family in practice"), family.clone()),
            (state.t("Tidligere praksisser", "Earlier practices"), history.clone()),
        ];
        for (label, list) in fields {
            if let Some(unknown) = list.iter().find(|id| state.data.practice(id).is_none()) {
                return Err(format!("{label}: {} '{unknown}'", state.t("ukendt praksis", "unknown practice")));
            }
        }
        Ok(Trainee {
            id: self.id.trim().to_string(),
            name: self.name.trim().to_string(),
            kind: self.kind,
            hospital_unit: self.hospital_unit.clone(),
            municipality: self.municipality.clone(),
            start,
            end,
            monthly_salary: salary,
            seniority_step: self.seniority_step.clone(),
            own_gp,
            family_practices: family,
            history,
        })
    }

    /// Draws the form; returns whether it should close.
    pub fn ui(&mut self, ctx: &egui::Context, state: &mut AppState) -> bool {
        let mut close = false;
        let title = if self.base.is_some() {
            state.t("Redigér uddannelseslæge", "Edit trainee")
        } else {
            state.t("Ny uddannelseslæge", "New trainee")
        };
        egui::Window::new(title).collapsible(false).resizable(false).show(ctx, |ui| {
            egui::Grid::new("trainee_form").num_columns(2).show(ui, |ui| {
                let l = ui.label("Id");
                ui.add_enabled(self.base.is_none(), egui::TextEdit::singleline(&mut self.id).desired_width(160.0))
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label(state.t("Navn", "Name"));
                ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(220.0)).labelled_by(l.id);
                ui.end_row();
                let l = ui.label(state.t("Type", "Type"));
                ui.add_enabled_ui(self.base.is_none(), |ui| {
                    egui::ComboBox::from_id_salt("trainee_form_type")
                        .selected_text(state.lang.kind(self.kind))
                        .show_ui(ui, |ui| {
                            for k in TraineeType::ALL {
                                ui.selectable_value(&mut self.kind, k, state.lang.kind(k));
                            }
                        })
                        .response
                        .labelled_by(l.id);
                });
                ui.end_row();
                let l = ui.label(state.t("Fra (dd-mm-åååå)", "From (dd-mm-yyyy)"));
                ui.add(egui::TextEdit::singleline(&mut self.start).desired_width(110.0)).labelled_by(l.id);
                ui.end_row();
                let l = ui.label(state.t("Til (dd-mm-åååå)", "To (dd-mm-yyyy)"));
                ui.add(egui::TextEdit::singleline(&mut self.end).desired_width(110.0)).labelled_by(l.id);
                ui.end_row();
                let none = state.t("(ingen)", "(none)");
                let mut municipalities: Vec<String> =
                    state.data.region.municipalities.iter().map(|m| m.name.clone()).collect();
                super::i18n::sort_names(&mut municipalities, |s| s);
                let l = ui.label(state.t("Kommune", "Municipality"));
                egui::ComboBox::from_id_salt("trainee_form_municipality")
                    .selected_text(self.municipality.clone().unwrap_or_else(|| none.to_string()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.municipality, None, none);
                        for m in &municipalities {
                            ui.selectable_value(&mut self.municipality, Some(m.clone()), m.as_str());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                let units: Vec<String> = state.data.region.hospital_units.iter().map(|h| h.name.clone()).collect();
                let l = ui.label(state.t("Hospitalsenhed", "Hospital unit"));
                egui::ComboBox::from_id_salt("trainee_form_unit")
                    .selected_text(self.hospital_unit.clone().unwrap_or_else(|| none.to_string()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.hospital_unit, None, none);
                        for u in &units {
                            ui.selectable_value(&mut self.hospital_unit, Some(u.clone()), u.as_str());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label(state.t("Egen læge (praksis-id)", "Own GP (practice id)"));
                ui.add(egui::TextEdit::singleline(&mut self.own_gp).desired_width(110.0)).labelled_by(l.id);
                ui.end_row();
                let l = ui.label(state.t("Familie i praksis (id'er, |)", "Family in practice (ids, |)"));
                ui.add(egui::TextEdit::singleline(&mut self.family_practices).desired_width(160.0)).labelled_by(l.id);
                ui.end_row();
                let l =
                    ui.label(state.t("Tidligere praksisser (ældste først, |)", "Earlier practices (oldest first, |)"));
                ui.add(egui::TextEdit::singleline(&mut self.history).desired_width(160.0)).labelled_by(l.id);
                ui.end_row();
                let l = ui.label(state.t("Månedsløn (kr.)", "Monthly salary (DKK)"));
                ui.add(egui::TextEdit::singleline(&mut self.monthly_salary).desired_width(110.0)).labelled_by(l.id);
                ui.end_row();
                let mut steps: Vec<String> = state.data.settings.salary_scale.iter().map(|s| s.step.clone()).collect();
                steps.sort();
                steps.dedup();
                let l = ui.label(state.t("Løntrin (uden månedsløn)", "Salary step (without a monthly salary)"));
                egui::ComboBox::from_id_salt("trainee_form_step")
                    .selected_text(self.seniority_step.clone().unwrap_or_else(|| none.to_string()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.seniority_step, None, none);
                        for s in &steps {
                            ui.selectable_value(&mut self.seniority_step, Some(s.clone()), s.as_str());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
            });
            let parsed = self.trainee(state);
            if let Err(e) = &parsed {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.horizontal(|ui| {
                if ui.add_enabled(parsed.is_ok(), egui::Button::new(state.t("Gem", "Save"))).clicked()
                    && let Ok(t) = parsed
                {
                    let cmd = match &self.base {
                        Some(b) => Command::EditTrainee { before: Box::new(b.clone()), after: Box::new(t) },
                        None => Command::AddTrainee { trainee: Box::new(t) },
                    };
                    close = state.execute(&cmd);
                }
                if ui.button(state.t("Annullér", "Cancel")).clicked() {
                    close = true;
                }
            });
        });
        close
    }
}
