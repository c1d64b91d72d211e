//! "Introrunde fra rangliste…" (the intro round from the committee's ranking, DOMAIN.md §3.2):
//! pick the ranking CSV, see the cascade and the offers with their answer deadlines, mark offers
//! declined (the round runs again without them), and accept the offers (`Command::AcceptRound`).

use std::path::{Path, PathBuf};

use crate::domain::command::Command;
use crate::domain::intro::IntroRound;

use super::i18n;
use super::state::AppState;

/// The intro round's view state: the ranking on show and the round run on it.
#[derive(Default)]
pub struct IntroPanel {
    session: Option<IntroSession>,
}

struct IntroSession {
    file: PathBuf,
    /// The ranking as read, with its CSV lines for messages.
    ranking: crate::ops::files::Ranking,
    /// Offers the applicants declined: (trainee id, practice id).
    declined: Vec<(String, String)>,
    /// The round, and the data version it was run on.
    round: Result<IntroRound, String>,
    version: u64,
}

impl IntroSession {
    /// Runs the round on the current data, with the hard rules checked as the CLI does.
    fn run(&mut self, state: &AppState) {
        self.round = self.ranking.run(&state.data, &self.declined, state.today).map_err(|e| e.to_string());
        self.version = state.data_version;
    }
}

impl IntroPanel {
    /// The offers on show, as (trainee id, practice id).
    pub fn assignments(&self) -> Vec<(String, String)> {
        match self.session.as_ref().map(|s| &s.round) {
            Some(Ok(round)) => {
                round.assignments.iter().map(|a| (a.trainee_id.clone(), a.practice_id.clone())).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The button in the queue's intro group.
    pub fn button_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        if ui.button(state.t("Introrunde fra rangliste…", "Intro round from ranking…")).clicked() {
            state.ask_file(super::files::FilePurpose::IntroRanking, None);
        }
        if let Some(path) = state.files.take_one(super::files::FilePurpose::IntroRanking) {
            self.open_ranking(&path, state);
        }
    }

    /// Reads the ranking CSV at `path` and runs the round on it (no offer declined yet).
    pub fn open_ranking(&mut self, path: &Path, state: &mut AppState) {
        let ranking = match crate::ops::files::read_ranking(path) {
            Ok(r) => r,
            Err(e) => {
                state.error =
                    Some(format!("{}: {e}", state.t("Ranglisten kan ikke læses", "The ranking cannot be read")));
                return;
            }
        };
        let mut session = IntroSession {
            file: path.to_path_buf(),
            ranking,
            declined: Vec::new(),
            round: Err(String::new()),
            version: 0,
        };
        session.run(state);
        self.session = Some(session);
    }

    /// The round's window: the cascade, the offers with deadlines, declining and accepting.
    pub fn window_ui(&mut self, ctx: &egui::Context, state: &mut AppState) {
        let Some(session) = &mut self.session else { return };
        // The round is cheap (one pass over the ranking): run it again when the data changed.
        if session.version != state.data_version {
            session.run(state);
        }
        let mut open = true;
        let mut decline = None;
        let mut accept = false;
        egui::Window::new(state.t("Introrunde", "Intro round"))
            .collapsible(false)
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| {
                ui.label(format!(
                    "{} {} · {} {}",
                    state.t("Rangliste", "Ranking"),
                    session.file.display(),
                    state.t("tilbud givet", "offered on"),
                    i18n::date(state.today)
                ));
                let round = match &session.round {
                    Ok(r) => r,
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                        return;
                    }
                };
                ui.separator();
                ui.strong(format!("{} {}", round.assignments.len(), state.t("tilbud", "offers")));
                egui::ScrollArea::vertical().id_salt("intro_offers").max_height(260.0).show(ui, |ui| {
                    egui::Grid::new("intro_assignments").num_columns(5).striped(true).show(ui, |ui| {
                        ui.strong(state.t("Ansøger", "Applicant"));
                        ui.strong(state.t("Praksis", "Practice"));
                        ui.strong(state.t("Prioritet", "Choice"));
                        ui.strong(state.t("Svarfrist", "Answer by"));
                        ui.label("");
                        ui.end_row();
                        for a in &round.assignments {
                            let trainee = state.data.trainee(&a.trainee_id).map_or(a.trainee_id.as_str(), |t| &t.name);
                            let practice =
                                state.data.practice(&a.practice_id).map_or(a.practice_id.as_str(), |p| &p.name);
                            ui.label(trainee);
                            ui.label(practice);
                            ui.label(format!("{}.", a.choice));
                            ui.label(i18n::date(a.deadline));
                            if ui
                                .button(state.t("Afslået", "Declined"))
                                .on_hover_text(state.t(
                                    "Ansøgeren sagde nej: kør runden igen uden dette tilbud",
                                    "The applicant said no: run the round again without this offer",
                                ))
                                .clicked()
                            {
                                decline = Some((a.trainee_id.clone(), a.practice_id.clone()));
                            }
                            ui.end_row();
                        }
                    });
                    for u in &round.unassigned {
                        let trainee = state.data.trainee(&u.trainee_id).map_or(u.trainee_id.as_str(), |t| &t.name);
                        ui.weak(format!("{trainee}: {}", u.why_in(state.lang)));
                    }
                });
                if !session.declined.is_empty() {
                    let declined: Vec<String> = session.declined.iter().map(|(t, p)| format!("{t} → {p}")).collect();
                    ui.weak(format!("{}: {}", state.t("Afslået", "Declined"), declined.join(", ")));
                }
                egui::CollapsingHeader::new(state.t("Forløb af runden", "How the round went"))
                    .id_salt("intro_cascade")
                    .show(ui, |ui| {
                        for line in round.cascade_in(state.lang) {
                            ui.label(line);
                        }
                    });
                ui.separator();
                ui.horizontal(|ui| {
                    let ready = !round.assignments.is_empty() && !state.is_read_only();
                    if ui.add_enabled(ready, egui::Button::new(state.t("Acceptér", "Accept"))).clicked() {
                        accept = true;
                    }
                });
            });
        if let Some(pair) = decline {
            session.declined.push(pair);
            session.run(state);
        }
        if accept && let Ok(round) = &session.round {
            let placements = round.to_placements(&state.data);
            let count = placements.len();
            if state.execute(&Command::AcceptRound { placements }) {
                state.status = format!("{count} {}", state.t("introforløb gemt", "intro placements stored"));
                open = false;
            }
        }
        if !open {
            self.session = None;
        }
    }
}
