//! The left panel: open trainees grouped by type and by the deadline for placing them
//! (DOMAIN.md §3: start minus `TraineeType::placement_lead_months`), with a search box, the
//! suggested round and the phase-3 shortlist.

use chrono::{Months, NaiveDate};

use crate::domain::model::{Trainee, TraineeType};

use super::i18n;
use super::intro::IntroPanel;
use super::rounds::RoundPanel;
use super::state::{AppState, DraggedTrainee, Selection};

/// The queue's view state.
#[derive(Default)]
pub struct QueuePanel {
    search: String,
    round: RoundPanel,
    intro: IntroPanel,
    /// The open trainees matching the search, for (data version, search): the list is rebuilt
    /// when either changes, not on every frame (a national region holds tens of thousands).
    shown: Option<(u64, String, Vec<Trainee>)>,
}

/// The day by which a trainee should be placed.
pub fn deadline(t: &Trainee) -> NaiveDate {
    t.start.checked_sub_months(Months::new(t.kind.placement_lead_months())).unwrap_or(t.start)
}

impl QueuePanel {
    /// The suggested round's proposals on show, as (trainee id, practice id).
    pub fn proposals(&self) -> Vec<(String, String)> {
        self.round.proposals()
    }

    /// The intro round's offers on show, as (trainee id, practice id).
    pub fn intro_assignments(&self) -> Vec<(String, String)> {
        self.intro.assignments()
    }

    /// Runs the intro round on the ranking CSV at `path` (what the button does after its file
    /// dialog).
    pub fn open_intro_ranking(&mut self, path: &std::path::Path, state: &mut AppState) {
        self.intro.open_ranking(path, state);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        self.intro.window_ui(ui.ctx(), state);
        ui.heading(state.t("Kø: uden praksis", "Queue: not placed"));
        ui.horizontal(|ui| {
            let label = ui.label(state.t("Søg", "Search"));
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .desired_width(f32::INFINITY)
                    .hint_text(state.t("navn, id, kommune", "name, id, municipality")),
            )
            .labelled_by(label.id);
        });
        self.round.ui(ui, state);
        ui.separator();

        let needle = self.search.trim().to_lowercase();
        let fresh = self.shown.as_ref().is_some_and(|(v, n, _)| *v == state.data_version && *n == needle);
        if !fresh {
            let open: Vec<Trainee> = state
                .data
                .open_trainees()
                .into_iter()
                .filter(|t| {
                    needle.is_empty()
                        || t.name.to_lowercase().contains(&needle)
                        || t.id.to_lowercase().contains(&needle)
                        || t.municipality.as_deref().is_some_and(|m| m.to_lowercase().contains(&needle))
                        || t.hospital_unit.as_deref().is_some_and(|m| m.to_lowercase().contains(&needle))
                })
                .cloned()
                .collect();
            self.shown = Some((state.data_version, needle, open));
        }
        let open: &[Trainee] = self.shown.as_ref().map_or(&[], |(_, _, v)| v.as_slice());
        ui.label(format!("{} {}", open.len(), state.t("uddannelseslæger uden praksis", "trainees without a practice")));
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for kind in TraineeType::ALL {
                let mut of_kind: Vec<&Trainee> = open.iter().filter(|t| t.kind == kind).collect();
                if of_kind.is_empty() {
                    continue;
                }
                of_kind.sort_by(|a, b| deadline(a).cmp(&deadline(b)).then(a.id.cmp(&b.id)));
                let header = format!("{} ({})", state.lang.kind(kind), of_kind.len());
                egui::CollapsingHeader::new(header).id_salt(("queue", kind.key())).default_open(true).show(ui, |ui| {
                    if kind == TraineeType::Intro {
                        self.intro.button_ui(ui, state);
                    }
                    let mut last_month = None;
                    for t in of_kind {
                        let d = deadline(t);
                        let month = (d.format("%Y-%m").to_string(), d < state.today);
                        if last_month.as_ref() != Some(&month) {
                            let text = if month.1 {
                                format!("{} {}", state.t("Frist overskredet:", "Deadline passed:"), i18n::date(d))
                            } else {
                                format!("{} {}", state.t("Frist i", "Deadline in"), month_name(d, state))
                            };
                            let colour =
                                if month.1 { ui.visuals().warn_fg_color } else { ui.visuals().weak_text_color() };
                            ui.colored_label(colour, text);
                            last_month = Some(month);
                        }
                        trainee_row(ui, state, t);
                    }
                });
            }
        });
    }
}

fn month_name(d: NaiveDate, state: &AppState) -> String {
    const DA: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let i = d.format("%m").to_string().parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
    let name = match state.lang {
        i18n::Lang::Danish => DA[i],
        i18n::Lang::English => EN[i],
    };
    format!("{name} {}", d.format("%Y"))
}

/// One trainee: drag it onto a practice; click to inspect.
fn trainee_row(ui: &mut egui::Ui, state: &mut AppState, t: &Trainee) {
    let id = egui::Id::unique(("queue_trainee", &t.id));
    let selected = state.selection == Selection::Trainee(t.id.clone());
    let place = t.municipality.clone().or_else(|| t.hospital_unit.clone()).unwrap_or_default();
    let response = ui
        .dnd_drag_source(id, DraggedTrainee(t.id.clone()), |ui| {
            ui.horizontal(|ui| {
                ui.label("⠿");
                let r = ui.selectable_label(selected, &t.name);
                ui.weak(format!("{} · {}", i18n::date(t.start), place));
                r
            })
            .inner
        })
        .inner;
    if response.clicked() {
        state.selection = Selection::Trainee(t.id.clone());
    }
    if ui.ctx().is_being_dragged(id) {
        state.ensure_drag_check(&t.id);
    }
}
