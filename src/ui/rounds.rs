//! "Foreslå runde" (suggest a round) on a background thread with progress and Cancel; the
//! proposals with scores and reasons, accepted all, some or none (`Command::AcceptRound`), or kept
//! as a draft round; the phase-3 shortlist ("Foreslå 3 praksisser").
//!
//! Draft rounds (issue 13): listed from the file, opened (its proposals on the map as a layer, the
//! list with dates, municipality and practice), one proposal changed, two compared side by side
//! (a click on a differing trainee shows both practices on the map), published as one command,
//! letters and notices printed in the background with progress and Cancel, and the changes since
//! publishing.

use std::collections::BTreeSet;

use crate::domain::command::Command;
use crate::domain::model::{Placement, TraineeType, Weights};
use crate::domain::phase3::{Phase3Options, phase3_options};
use crate::domain::round::{Round, RoundProposal, RoundUnplaced, weight_list, weight_mut};
use crate::domain::suggest::{Suggestion, suggest};
use crate::ops::rounds::{ChangeLine, Comparison};

use super::files::FilePurpose;
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
    /// The weights the next suggestion runs with; `None` until first shown (then the settings').
    weights: Option<Weights>,
    /// The name typed for a new draft.
    draft_name: String,
    /// The rounds in the file, read again when the data changes: (data version, rounds).
    /// The file's rounds for a data version, shared with each frame's list (not copied per frame).
    rounds: Option<(u64, std::rc::Rc<Vec<crate::store::rounds::StoredRound>>)>,
    /// The round opened from the list.
    open: Option<String>,
    /// The proposal being changed: (trainee id, the practice chosen, the practices it may go to).
    changing: Option<(String, Option<String>, Vec<String>)>,
    /// The rounds ticked for comparing (the first two by name are compared), and the comparison
    /// on show.
    compare: BTreeSet<String>,
    comparison: Option<Comparison>,
    /// The trainee whose two practices the map shows (a click in the comparison).
    compare_pick: Option<String>,
    /// The practice of the proposal row under the pointer (highlighted on the map).
    hovered_practice: Option<String>,
    /// Letters or notices being written: the job and the folder.
    print: Option<(Job<usize>, std::path::PathBuf)>,
    /// The changes since publishing on show: (round, lines).
    /// A published round's changes, with the commands of their audit rows (worded per frame in
    /// the user's language).
    changes: Option<(String, Vec<ChangeLine>, std::collections::HashMap<i64, Command>)>,
}

/// The round on show, for the map: practices (by index in `Dataset::practices`) with their count
/// of proposals, and the practices to ring.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoundLayer {
    pub counts: Vec<(usize, usize)>,
    pub highlight: Vec<usize>,
}

/// Draws the round layer over the map's markers: a badge with the count of proposals at each
/// proposed practice, and a ring around the highlighted ones (issue 11: proposals on the map).
pub fn paint_layer(
    painter: &egui::Painter,
    state: &AppState,
    pos: &dyn Fn(usize) -> Option<egui::Pos2>,
    text: egui::Color32,
) {
    let Some(layer) = &state.round_layer else { return };
    let badge = egui::Color32::from_rgb(122, 46, 160);
    for &(index, n) in &layer.counts {
        let Some(p) = pos(index) else { continue };
        let centre = p + egui::vec2(9.0, -9.0);
        painter.circle_filled(centre, 8.0, badge);
        painter.circle_stroke(centre, 8.0, egui::Stroke::new(1.0, egui::Color32::WHITE));
        painter.text(
            centre,
            egui::Align2::CENTER_CENTER,
            n.to_string(),
            egui::FontId::proportional(11.0),
            egui::Color32::WHITE,
        );
    }
    for &index in &layer.highlight {
        let Some(p) = pos(index) else { continue };
        painter.circle_stroke(p, 14.0, egui::Stroke::new(3.0, badge));
        painter.circle_stroke(p, 17.0, egui::Stroke::new(1.0, text));
    }
}

fn practice_index(state: &AppState, id: &str) -> Option<usize> {
    state.data.practices.binary_search_by(|p| p.id.as_str().cmp(id)).ok()
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
        data.settings.weights = self.weights.clone().unwrap_or_else(|| state.data.settings.weights.clone());
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
        self.weights_ui(ui, state);
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
        self.hovered_practice = None;
        self.proposals_ui(ui, state);
        self.drafts_ui(ui, state);
        // Letters and notices keep printing while another round is opened or none is.
        if let Some((job, dir)) = &mut self.print
            && let Some(result) = job_ui(ui, job, state.t("Annullér", "Cancel"))
        {
            state.status = match result {
                Ok(n) => {
                    let status = format!(
                        "{} {n} {} {}",
                        state.t("Skrev", "Wrote"),
                        state.t("filer i", "files to"),
                        dir.display()
                    );
                    state.files.wrote_into(dir, &status);
                    status
                }
                Err(e) => format!("{}: {e:#}", state.t("Udskrivning stoppet", "Printing stopped")),
            };
            state.busy = None;
            self.print = None;
        }
        self.phase3_ui(ui, state);
        self.compare_window(ui.ctx(), state);
        self.changes_window(ui.ctx(), state);
        self.set_layer(state);
    }

    fn proposals_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        let Some((version, suggestion, ticked)) = &mut self.proposals else { return };
        let mut close = false;
        let mut hovered = None;
        let mut save_draft = false;
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
                    if r.hovered() {
                        hovered = Some(p.practice_id.clone());
                    }
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
            ui.horizontal(|ui| {
                let l = ui.label(state.t("Kladdens navn", "Draft name"));
                ui.add(egui::TextEdit::singleline(&mut self.draft_name).desired_width(110.0)).labelled_by(l.id);
                let ok = fresh_name(&self.draft_name, self.rounds.as_ref().map(|(_, r)| r.as_slice()).unwrap_or(&[]));
                save_draft = ui
                    .add_enabled(ok, egui::Button::new(state.t("Gem som kladde", "Save as draft")))
                    .on_hover_text(state.t(
                        "Gemmer forslaget som en kladde: ingen placeres, før den udgives",
                        "Keeps the proposals as a draft: nobody is placed until it is published",
                    ))
                    .clicked();
            });
        });
        self.hovered_practice = self.hovered_practice.take().or(hovered);
        if save_draft && let Some((version, suggestion, _)) = &self.proposals {
            let round = Round {
                name: self.draft_name.trim().to_string(),
                kind: None,
                hospital_units: state.area.iter().cloned().collect(),
                weights: self.weights.clone().unwrap_or_else(|| state.data.settings.weights.clone()),
                data_version: if *version == state.data_version {
                    state.store.as_ref().and_then(|s| s.data_stamp().ok()).unwrap_or(0)
                } else {
                    0
                },
                computed_on: state.today,
                proposals: suggestion.placements.iter().map(RoundProposal::from_suggested).collect(),
                unplaced: suggestion.unplaced.iter().map(RoundUnplaced::from_unplaced).collect(),
                excluded: Vec::new(),
                published: false,
            };
            let name = round.name.clone();
            if state.execute(&Command::SaveRound { before: None, after: Some(Box::new(round)) }) {
                self.open = Some(name);
                self.draft_name.clear();
                close = true;
            }
        }
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

/// A draft name that is not empty and not taken.
fn fresh_name(name: &str, rounds: &[crate::store::rounds::StoredRound]) -> bool {
    let name = name.trim();
    !name.is_empty() && !rounds.iter().any(|r| r.round.name == name)
}

/// The folder, inside the one the user chose, where a round's letters or notices go.
fn print_folder(chosen: &std::path::Path, what: &str, round: &str) -> std::path::PathBuf {
    let name = crate::store::outfile::statement_file_name(round);
    let name = name.trim_end_matches(".pdf");
    chosen.join(format!("{what}-{name}"))
}

impl RoundPanel {
    /// The rounds in the file, read again when the data changed.
    fn stored(&mut self, state: &AppState) -> std::rc::Rc<Vec<crate::store::rounds::StoredRound>> {
        let fresh = self.rounds.as_ref().is_some_and(|(v, _)| *v == state.data_version);
        if !fresh {
            let list = state.store.as_ref().and_then(|s| s.rounds().ok()).unwrap_or_default();
            self.rounds = Some((state.data_version, std::rc::Rc::new(list)));
        }
        self.rounds.as_ref().map(|(_, r)| std::rc::Rc::clone(r)).unwrap_or_default()
    }

    /// The weights of T1–T2 and P1–P7 the next suggestion runs with (a scenario).
    fn weights_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        let weights = self.weights.get_or_insert_with(|| state.data.settings.weights.clone());
        egui::CollapsingHeader::new(state.t("Vægte for næste forslag", "Weights for the next suggestion"))
            .id_salt("round_weights")
            .show(ui, |ui| {
                egui::Grid::new("round_weights_grid").num_columns(2).show(ui, |ui| {
                    for (id, _) in weight_list(&weights.clone()) {
                        let l = ui.label(id);
                        if let Some(w) = weight_mut(weights, id) {
                            ui.add(egui::DragValue::new(w).range(0.0..=1000.0).speed(0.5)).labelled_by(l.id);
                        }
                        ui.end_row();
                    }
                });
                if ui.small_button(state.t("Som indstillingerne", "As in the settings")).clicked() {
                    *weights = state.data.settings.weights.clone();
                }
            });
    }

    /// The rounds of the file: open one, compare two.
    fn drafts_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        let rounds = self.stored(state);
        if rounds.is_empty() {
            return;
        }
        egui::CollapsingHeader::new(state.t("Runder", "Rounds")).id_salt("rounds_list").default_open(true).show(
            ui,
            |ui| {
                for s in rounds.iter() {
                    let r = &s.round;
                    ui.horizontal(|ui| {
                        let selected = self.open.as_deref() == Some(r.name.as_str());
                        let name = ui.selectable_label(selected, &r.name);
                        if name.clicked() {
                            self.open = if selected { None } else { Some(r.name.clone()) };
                            self.changing = None;
                        }
                        let mut on = self.compare.contains(&r.name);
                        if ui
                            .checkbox(&mut on, "")
                            .labelled_by(name.id)
                            .on_hover_text(state.t("Sammenlign denne runde", "Compare this round"))
                            .changed()
                        {
                            if on {
                                self.compare.insert(r.name.clone());
                            } else {
                                self.compare.remove(&r.name);
                            }
                        }
                        ui.weak(format!(
                            "{} · {} {} · {} {}",
                            if r.published { state.t("udgivet", "published") } else { state.t("kladde", "draft") },
                            r.proposals.len(),
                            state.t("placeres", "placed"),
                            r.unplaced.len(),
                            state.t("uden plads", "unplaced")
                        ));
                    });
                }
                self.compare.retain(|n| rounds.iter().any(|s| &s.round.name == n));
                let ticked: Vec<&crate::store::rounds::StoredRound> =
                    rounds.iter().filter(|s| self.compare.contains(&s.round.name)).take(2).collect();
                let label = match ticked.as_slice() {
                    [a, b] => format!(
                        "{} {} {} {}",
                        state.t("Sammenlign", "Compare"),
                        a.round.name,
                        state.t("og", "and"),
                        b.round.name
                    ),
                    _ => state.t("Sammenlign (sæt flueben ved to)", "Compare (tick two)").to_string(),
                };
                if ui.add_enabled(ticked.len() == 2, egui::Button::new(label)).clicked() {
                    self.comparison =
                        Some(crate::ops::rounds::compare(&state.data, &ticked[0].round, &ticked[1].round, state.today));
                    self.compare_pick = None;
                }
                if let Some(name) = self.open.clone()
                    && let Some(s) = rounds.iter().find(|s| s.round.name == name)
                {
                    self.open_round_ui(ui, state, &s.round);
                }
            },
        );
    }

    /// The opened round: its proposals, one changed, published, dropped, letters and notices.
    fn open_round_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, r: &Round) {
        let mut hovered = None;
        let mut write: Option<Command> = None;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong(format!("{} {}", state.t("Runde", "Round"), r.name));
            let stamp = state.store.as_ref().and_then(|s| s.data_stamp().ok());
            if !r.published && stamp.is_some_and(|v| v != r.data_version) {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    state.t(
                        "Data er ændret, siden runden blev beregnet.",
                        "The data changed since the round was computed.",
                    ),
                );
            }
            egui::ScrollArea::vertical().id_salt("round_proposals").max_height(200.0).show(ui, |ui| {
                for p in &r.proposals {
                    let t = state.data.trainee(&p.trainee_id);
                    let name = t.map_or(p.trainee_id.as_str(), |t| t.name.as_str());
                    let place = t.and_then(|t| t.municipality.clone().or(t.hospital_unit.clone())).unwrap_or_default();
                    let practice =
                        state.data.practice(&p.practice_id).map_or(p.practice_id.as_str(), |x| x.name.as_str());
                    let text = format!(
                        "{name} ({place}) → {practice} · {}{}",
                        i18n::period(p.start, p.end),
                        if p.pinned { state.t(" · fastholdt", " · pinned") } else { "" }
                    );
                    // The button at the right end; the text takes what is left and is cut, so a
                    // long round does not widen the panel (its full text and reasons on hover).
                    let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
                    ui.allocate_ui_with_layout(row, egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if !r.published
                            && ui.small_button(format!("{} {}", state.t("Skift", "Change"), p.trainee_id)).clicked()
                        {
                            let options = crate::ops::rounds::change_options(&state.data, r, &p.trainee_id);
                            self.changing = Some((p.trainee_id.clone(), None, options));
                        }
                        let hover = format!("{text}\n{}", p.reasons_in(state.lang).join("\n"));
                        let label = ui.add(egui::Label::new(text).truncate()).on_hover_text(hover);
                        if label.hovered() {
                            hovered = Some(p.practice_id.clone());
                        }
                    });
                }
                for u in &r.unplaced {
                    let name = state.data.trainee(&u.trainee_id).map_or(u.trainee_id.as_str(), |t| t.name.as_str());
                    ui.weak(format!("{name}: {}", u.why_in(state.lang)));
                }
            });
            if let Some((tid, chosen, options)) = &mut self.changing {
                // Wrapped: in the narrow queue panel (1280 px) the button goes under the list
                // rather than out of sight.
                ui.horizontal_wrapped(|ui| {
                    let l = ui.label(format!("{} {tid}", state.t("Ny praksis for", "New practice for")));
                    let shown = chosen
                        .as_deref()
                        .and_then(|id| state.data.practice(id))
                        .map_or("–".to_string(), |p| p.name.clone());
                    egui::ComboBox::from_id_salt("round_change_practice")
                        .selected_text(shown)
                        .width(160.0)
                        .show_ui(ui, |ui| {
                            for id in options.iter() {
                                let name = state.data.practice(id).map_or("", |p| p.name.as_str());
                                ui.selectable_value(chosen, Some(id.clone()), format!("{name} ({id})"));
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    if ui.add_enabled(chosen.is_some(), egui::Button::new(state.t("Flyt", "Move"))).clicked()
                        && let Some(practice) = chosen.clone()
                    {
                        match crate::ops::rounds::changed(&state.data, r, tid, &practice, state.today) {
                            Ok(after) => {
                                write = Some(Command::SaveRound {
                                    before: Some(Box::new(r.clone())),
                                    after: Some(Box::new(after)),
                                })
                            }
                            Err(e) => state.error = Some(e.to_string()),
                        }
                    }
                });
            }
            ui.horizontal_wrapped(|ui| {
                if !r.published {
                    if ui.button(state.t("Udgiv runden", "Publish the round")).clicked() {
                        write = Some(Command::PublishRound { round: Box::new(r.clone()) });
                    }
                    if ui.button(state.t("Slet kladden", "Drop the draft")).clicked() {
                        write = Some(Command::SaveRound { before: Some(Box::new(r.clone())), after: None });
                    }
                }
                let idle = self.print.is_none();
                for (what, purpose, label) in [
                    ("breve", FilePurpose::Letters, state.t("Udskriv breve…", "Print letters…")),
                    ("meddelelser", FilePurpose::Notices, state.t("Udskriv meddelelser…", "Print notices…")),
                ] {
                    if ui.add_enabled(idle, egui::Button::new(label)).clicked() {
                        state.ask_file(purpose, None);
                    }
                    if idle && let Some(dir) = state.files.take_one(purpose) {
                        self.start_print(ui.ctx(), state, r, what, &dir);
                    }
                }
                if r.published && ui.button(state.t("Ændringer siden udgivelse", "Changes since publishing")).clicked()
                {
                    let result =
                        state.store.as_ref().map(|s| crate::ops::rounds::changes(s, &state.data, &r.name)).transpose();
                    match result {
                        Ok(Some((_, lines))) => {
                            let ids: Vec<i64> = lines.iter().filter_map(|l| l.entry.as_ref().map(|e| e.id)).collect();
                            let commands =
                                state.store.as_ref().and_then(|s| s.audit_commands(&ids).ok()).unwrap_or_default();
                            self.changes = Some((r.name.clone(), lines, commands));
                        }
                        Ok(None) => {}
                        Err(e) => state.error = Some(e.to_string()),
                    }
                }
            });
        });
        self.hovered_practice = self.hovered_practice.take().or(hovered);
        if let Some(cmd) = write {
            let drop = matches!(cmd, Command::SaveRound { after: None, .. });
            let done = matches!(cmd, Command::SaveRound { .. });
            if state.execute(&cmd) {
                if drop {
                    self.open = None;
                }
                if done {
                    self.changing = None;
                }
            }
        }
    }

    /// Letters (`breve`) or notices (`meddelelser`) of `round` on a thread, into a folder of
    /// their own inside the one the user chose.
    fn start_print(
        &mut self,
        ctx: &egui::Context,
        state: &mut AppState,
        round: &Round,
        what: &str,
        chosen: &std::path::Path,
    ) {
        let dir = print_folder(chosen, what, &round.name);
        let (data, round, today, target) = (state.data.clone(), round.clone(), state.today, dir.clone());
        let notices = what == "meddelelser";
        let title = if notices {
            state.t("Udskriver meddelelser", "Printing notices")
        } else {
            state.t("Udskriver breve", "Printing letters")
        }
        .to_string();
        let job = Job::spawn("letters", title.clone(), Some(ctx.clone()), move |progress| {
            let mut report = |done: usize, total: usize| progress.report(done as f32 / total.max(1) as f32);
            let n = if notices {
                crate::ops::rounds::write_notices(&data, &round, today, &target, &mut report)
            } else {
                crate::ops::rounds::write_letters(&data, &round, today, &target, &mut report)
            };
            n.map_err(|e| anyhow::anyhow!("{e}"))
        });
        match job {
            Ok(job) => {
                state.busy = Some(title);
                self.print = Some((job, dir));
            }
            Err(e) => state.error = Some(format!("{e:#}")),
        }
    }

    /// Two rounds side by side: the headline figures, then the trainees placed differently; a
    /// click on one shows both practices on the map.
    fn compare_window(&mut self, ctx: &egui::Context, state: &mut AppState) {
        let Some(c) = &self.comparison else { return };
        let mut open = true;
        let mut pick = None;
        egui::Window::new(state.t("Sammenlign runder", "Compare rounds"))
            .open(&mut open)
            .default_pos([560.0, 90.0])
            .default_width(560.0)
            .show(ctx, |ui| {
                let (a, b) = (&c.rounds[0], &c.rounds[1]);
                egui::Grid::new("compare_grid").num_columns(3).striped(true).show(ui, |ui| {
                    ui.label("");
                    ui.strong(&a.name);
                    ui.strong(&b.name);
                    ui.end_row();
                    let row = |ui: &mut egui::Ui, label: &str, x: String, y: String| {
                        ui.label(label);
                        ui.label(x);
                        ui.label(y);
                        ui.end_row();
                    };
                    row(ui, state.t("Placeres", "Placed"), a.placed.to_string(), b.placed.to_string());
                    row(ui, state.t("Uden plads", "Unplaced"), a.unplaced.to_string(), b.unplaced.to_string());
                    row(ui, state.t("Samlet score", "Total score"), i18n::number(a.score, 2), i18n::number(b.score, 2));
                    row(
                        ui,
                        state.t("Gini, måneder pr. tutor (P1)", "Gini, months per tutor (P1)"),
                        i18n::number(a.gini, 3),
                        i18n::number(b.gini, 3),
                    );
                    row(
                        ui,
                        state.t("Andel i truede områder (P5)", "Share in threatened areas (P5)"),
                        format!("{} %", i18n::number(a.threatened_share * 100.0, 1)),
                        format!("{} %", i18n::number(b.threatened_share * 100.0, 1)),
                    );
                    for d in crate::domain::region::District::ALL {
                        let key = format!("{d:?}");
                        let n = |f: &crate::domain::round::RoundFigures| f.by_district.get(&key).copied().unwrap_or(0);
                        row(
                            ui,
                            &format!("{} {}", state.t("Placeres i", "Placed in"), state.lang.district(d)),
                            n(a).to_string(),
                            n(b).to_string(),
                        );
                    }
                });
                ui.weak(format!(
                    "{} {}",
                    state.t("Fordelingsvindue", "Fairness window"),
                    i18n::period(c.window_from, c.window_to)
                ));
                for f in &c.rounds {
                    for u in &f.unplaced_reasons {
                        let name = state.data.trainee(&u.trainee_id).map_or(u.trainee_id.as_str(), |t| t.name.as_str());
                        ui.weak(format!("{}: {name}: {}", f.name, u.why_in(state.lang)));
                    }
                }
                ui.separator();
                ui.strong(format!(
                    "{} ({})",
                    state.t("Uddannelseslæger med forskellig praksis", "Trainees placed differently"),
                    c.differences.len()
                ));
                egui::ScrollArea::vertical().id_salt("compare_diff").max_height(220.0).show(ui, |ui| {
                    let practice = |id: &Option<String>| {
                        id.as_deref()
                            .map(|id| state.data.practice(id).map_or(id.to_string(), |p| p.name.clone()))
                            .unwrap_or_else(|| state.t("uden plads", "unplaced").to_string())
                    };
                    for d in &c.differences {
                        let name = state.data.trainee(&d.trainee_id).map_or(d.trainee_id.as_str(), |t| t.name.as_str());
                        let text = format!("{name}: {} | {}", practice(&d.a), practice(&d.b));
                        let on = self.compare_pick.as_deref() == Some(d.trainee_id.as_str());
                        if ui.selectable_label(on, text).clicked() {
                            pick = Some(d.trainee_id.clone());
                        }
                    }
                });
            });
        if let Some(p) = pick {
            self.compare_pick = Some(p);
            state.tab = super::state::Tab::Map;
        }
        if !open {
            self.comparison = None;
            self.compare_pick = None;
        }
    }

    /// The changes since a round was published, with who and why; saved as CSV beside the file.
    fn changes_window(&mut self, ctx: &egui::Context, state: &mut AppState) {
        let Some((name, lines, commands)) = &self.changes else { return };
        let mut open = true;
        let mut save = false;
        egui::Window::new(format!("{} {name}", state.t("Ændringer siden udgivelse af", "Changes since publishing")))
            .open(&mut open)
            .show(ctx, |ui| {
                if lines.is_empty() {
                    ui.label(state.t("Ingen ændringer.", "No changes."));
                }
                let place = |p: &Option<(String, chrono::NaiveDate, chrono::NaiveDate)>| {
                    p.as_ref().map_or("–".to_string(), |(id, a, b)| format!("{id} {}", i18n::period(*a, *b)))
                };
                for l in lines {
                    let kind =
                        if state.lang == i18n::Lang::Danish { l.change.kind.danish() } else { l.change.kind.key() };
                    // Who, when and what in the user's language (the CSV keeps the stored text).
                    let (at, what) = l.entry.as_ref().map_or_else(
                        || (l.at.clone(), l.summary.clone()),
                        |e| {
                            let cmd = commands.get(&e.id);
                            (
                                state.lang.time(&e.at),
                                crate::report::reasons::audit_text(&e.action, &e.summary, cmd, state.lang),
                            )
                        },
                    );
                    ui.label(format!(
                        "{} {kind}: {} → {} · {at} {} ({what}){}",
                        l.trainee_name,
                        place(&l.change.before),
                        place(&l.change.after),
                        l.user,
                        l.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
                    ));
                }
                save = ui.button(state.t("Gem som CSV", "Save as CSV")).clicked();
            });
        if save {
            let suggested = format!(
                "{}-{}.csv",
                state.t("ændringer", "changes"),
                crate::store::outfile::statement_file_name(name).trim_end_matches(".pdf")
            );
            state.ask_file(FilePurpose::RoundChanges, Some(suggested));
        }
        if let Some(file) = state.files.take_one(FilePurpose::RoundChanges) {
            let csv = crate::ops::rounds::changes_csv(lines);
            state.status = match crate::store::outfile::write_atomic(&file, csv.as_bytes()) {
                Ok(()) => format!("{} {}", state.t("Gemt i", "Saved to"), file.display()),
                Err(e) => e.to_string(),
            };
        }
        if !open {
            self.changes = None;
        }
    }

    /// The layer the map draws: the opened round's proposals (else the suggestion's), the
    /// practice of the row under the pointer, and both practices of the trainee picked in the
    /// comparison.
    fn set_layer(&self, state: &mut AppState) {
        let open = self.open.as_ref().and_then(|n| {
            self.rounds.as_ref().and_then(|(_, r)| r.iter().find(|s| &s.round.name == n)).map(|s| &s.round)
        });
        let pairs: Vec<(String, String)> = match open {
            Some(r) => r.proposals.iter().map(|p| (p.trainee_id.clone(), p.practice_id.clone())).collect(),
            None => self.proposals(),
        };
        let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for (_, practice) in &pairs {
            if let Some(i) = practice_index(state, practice) {
                *counts.entry(i).or_insert(0) += 1;
            }
        }
        let mut highlight: Vec<usize> = self.hovered_practice.iter().filter_map(|p| practice_index(state, p)).collect();
        if let (Some(pick), Some(c)) = (&self.compare_pick, &self.comparison)
            && let Some(d) = c.differences.iter().find(|d| &d.trainee_id == pick)
        {
            highlight.extend(d.a.iter().chain(&d.b).filter_map(|p| practice_index(state, p)));
        }
        state.round_layer = if counts.is_empty() && highlight.is_empty() {
            None
        } else {
            Some(RoundLayer { counts: counts.into_iter().collect(), highlight })
        };
    }
}
