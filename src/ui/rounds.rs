//! "Foreslå runde" (suggest a round) on a background thread with progress and Cancel; the
//! proposals with scores and reasons, accepted all, some or none (`Command::AcceptRound`); and the
//! phase-3 shortlist ("Foreslå 3 praksisser").

use std::collections::BTreeSet;

use crate::domain::command::Command;
use crate::domain::model::{Placement, TraineeType};
use crate::domain::phase3::{Phase3Options, phase3_options};
use crate::domain::suggest::{Suggestion, suggest};

use super::i18n;
use super::job::{Job, job_ui};
use super::state::{AppState, Selection};

/// The round's view state: the running job and the proposals waiting for a decision.
#[derive(Default)]
pub struct RoundPanel {
    job: Option<Job<Suggestion>>,
    /// The proposals, the data version they were made on, and which are ticked for acceptance.
    proposals: Option<(u64, Suggestion, BTreeSet<String>)>,
    /// The phase-3 shortlist of the selected trainee.
    shortlist: Option<(String, Result<Phase3Options, String>)>,
}

impl RoundPanel {
    /// The proposals on show, as (trainee id, practice id).
    pub fn proposals(&self) -> Vec<(String, String)> {
        self.proposals
            .as_ref()
            .map(|(_, s, _)| s.placements.iter().map(|p| (p.trainee_id.clone(), p.practice_id.clone())).collect())
            .unwrap_or_default()
    }

    /// Starts the optimizer on a thread named `suggest`.
    pub fn start(&mut self, ctx: Option<egui::Context>, state: &mut AppState, scope: &[String]) {
        // Only the open trainees the queue shows take part; stored placements all count.
        let shown: std::collections::HashSet<&str> = scope.iter().map(String::as_str).collect();
        let placed: std::collections::HashSet<&str> =
            state.data.placements.iter().map(|p| p.trainee_id.as_str()).collect();
        let mut data = state.data.clone();
        data.trainees.retain(|t| placed.contains(t.id.as_str()) || shown.contains(t.id.as_str()));
        let today = state.today;
        let only = None;
        let title = state.t("Foreslår runde", "Suggesting a round").to_string();
        match Job::spawn("suggest", title, ctx, move |progress| {
            suggest(&data, only, today, &mut |f| progress.report(f)).map_err(|e| anyhow::anyhow!("{e}"))
        }) {
            Ok(job) => {
                self.job = Some(job);
                self.proposals = None;
            }
            Err(e) => state.error = Some(format!("{e:#}")),
        }
    }

    /// `scope`: the trainees the queue shows (area, type and search); the round is for them.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, scope: &[String]) {
        ui.horizontal(|ui| {
            let idle = self.job.is_none() && !scope.is_empty();
            if ui.add_enabled(idle, egui::Button::new(state.t("Foreslå runde", "Suggest round"))).clicked() {
                self.start(Some(ui.ctx().clone()), state, scope);
            }
            ui.weak(format!("{} {}", scope.len(), state.t("i køen", "in the queue")));
        });
        if let Some(job) = &mut self.job {
            state.busy = Some(job.title.clone());
            if let Some(result) = job_ui(ui, job, state.t("Annullér", "Cancel")) {
                self.job = None;
                state.busy = None;
                match result {
                    Ok(s) => {
                        let ticked = s.placements.iter().map(|p| p.trainee_id.clone()).collect();
                        state.status = format!(
                            "{} {} · {} {}",
                            s.placements.len(),
                            state.t("foreslået", "proposed"),
                            s.unplaced.len(),
                            state.t("kan ikke placeres", "cannot be placed")
                        );
                        self.proposals = Some((state.data_version, s, ticked));
                    }
                    Err(e) => state.status = format!("{}: {e:#}", state.t("Forslag stoppet", "Suggestion stopped")),
                }
            }
        }
        self.proposals_ui(ui, state);
        self.phase3_ui(ui, state);
    }

    fn proposals_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        let Some((version, suggestion, ticked)) = &mut self.proposals else { return };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong(format!("{} {}", suggestion.placements.len(), state.t("forslag", "proposals")));
            if *version != state.data_version {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    state.t("Data er ændret siden forslaget; foreslå igen.", "The data changed since; suggest again."),
                );
            }
            ui.horizontal(|ui| {
                if ui.small_button(state.t("Vælg alle", "Select all")).clicked() {
                    *ticked = suggestion.placements.iter().map(|p| p.trainee_id.clone()).collect();
                }
                if ui.small_button(state.t("Vælg ingen", "Select none")).clicked() {
                    ticked.clear();
                }
            });
            egui::ScrollArea::vertical().id_salt("proposals").max_height(220.0).show(ui, |ui| {
                for p in &suggestion.placements {
                    let trainee = state.data.trainee(&p.trainee_id).map(|t| t.name.as_str()).unwrap_or("");
                    let practice = state.data.practice(&p.practice_id);
                    let (name, municipality) =
                        practice.map_or(("", ""), |x| (x.name.as_str(), x.municipality.as_str()));
                    let mut on = ticked.contains(&p.trainee_id);
                    let text = format!(
                        "{trainee} → {name}, {municipality} · {} ({})",
                        i18n::period(p.start, p.end),
                        i18n::number(p.score, 1)
                    );
                    let r = ui
                        .checkbox(&mut on, text)
                        .on_hover_text(crate::report::reasons::because_lines(&p.because, state.lang));
                    if r.changed() {
                        if on {
                            ticked.insert(p.trainee_id.clone());
                        } else {
                            ticked.remove(&p.trainee_id);
                        }
                    }
                }
                for u in &suggestion.unplaced {
                    let trainee = state.data.trainee(&u.trainee_id).map(|t| t.name.as_str()).unwrap_or("");
                    ui.weak(format!("{trainee}: {}", u.unfit.text(state.lang)));
                }
            });
            ui.horizontal_wrapped(|ui| {
                let fresh = *version == state.data_version;
                if ui.add_enabled(fresh, egui::Button::new(state.t("Acceptér alle", "Accept all"))).clicked() {
                    let all: Vec<Placement> = suggestion.to_placements();
                    close = !all.is_empty() && state.execute(&Command::AcceptRound { placements: all });
                }
                let some = format!("{} ({})", state.t("Acceptér valgte", "Accept selected"), ticked.len());
                if ui.add_enabled(fresh && !ticked.is_empty(), egui::Button::new(some)).clicked() {
                    let chosen: Vec<Placement> =
                        suggestion.to_placements().into_iter().filter(|p| ticked.contains(&p.trainee_id)).collect();
                    close = state.execute(&Command::AcceptRound { placements: chosen });
                }
                if ui.button(state.t("Kassér", "Discard")).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.proposals = None;
        }
    }

    fn phase3_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        let Selection::Trainee(id) = &state.selection else { return };
        let Some(t) = state.data.trainee(id) else { return };
        if t.kind != TraineeType::Phase3 || state.data.placement_of(id).is_some() {
            return;
        }
        let id = id.clone();
        if ui.button(format!("{} ({})", state.t("Foreslå 3 praksisser", "Propose 3 practices"), t.name)).clicked() {
            let result = phase3_options(&state.data, &id, state.today).map_err(|e| e.to_string());
            self.shortlist = Some((id.clone(), result));
        }
        let Some((for_id, result)) = &self.shortlist else { return };
        if *for_id != id {
            return;
        }
        match result {
            Ok(options) => {
                for o in &options.options {
                    let name = state.data.practice(&o.practice_id).map(|p| p.name.clone()).unwrap_or_default();
                    ui.horizontal(|ui| {
                        if ui
                            .link(format!("{name} ({})", i18n::number(o.score, 1)))
                            .on_hover_text(crate::report::reasons::because_lines(&o.because, state.lang))
                            .clicked()
                        {
                            // Keep the trainee selected, so the shortlist stays; show the practice.
                            state.focus_practice = Some(o.practice_id.clone());
                            state.tab = super::state::Tab::Map;
                        }
                    });
                }
                if let Some(fewer) = &options.fewer {
                    ui.weak(fewer.text(state.lang));
                }
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        }
    }
}
