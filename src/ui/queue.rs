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
    /// The type filter: the queue shows only this type, and the round proposes for it.
    kind: Option<TraineeType>,
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

/// Makes a panel's own area filter follow the coordinator's area (DOMAIN.md §3.3): when the area
/// chosen above the queue changes, the filter takes it; the panel's "alle" (the whole region)
/// stays one click away and holds until the area changes again. `followed` is the area last
/// taken.
pub fn follow_area(followed: &mut Option<Option<String>>, filter: &mut Option<String>, state: &AppState) {
    if followed.as_ref() != Some(&state.area) {
        filter.clone_from(&state.area);
        *followed = Some(state.area.clone());
    }
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
        egui::Grid::new("queue_filters").num_columns(2).show(ui, |ui| {
            let l = ui.label(state.t("Mit område", "My area"));
            let whole = state.t("Hele regionen", "The whole region").to_string();
            let mut units: Vec<String> = state.data.region.hospital_units.iter().map(|h| h.name.clone()).collect();
            super::i18n::sort_names(&mut units, |s| s);
            let mut area = state.area.clone();
            egui::ComboBox::from_id_salt("queue_area")
                .selected_text(area.clone().unwrap_or_else(|| whole.clone()))
                .width(200.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut area, None, whole.as_str());
                    for u in &units {
                        ui.selectable_value(&mut area, Some(u.clone()), u.as_str());
                    }
                })
                .response
                .labelled_by(l.id);
            state.area = area;
            ui.end_row();
            let l = ui.label(state.t("Type", "Type"));
            let all = state.t("alle typer", "all types");
            egui::ComboBox::from_id_salt("queue_type")
                .selected_text(self.kind.map_or(all, |k| state.lang.kind(k)))
                .width(200.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.kind, None, all);
                    for k in TraineeType::ALL {
                        ui.selectable_value(&mut self.kind, Some(k), state.lang.kind(k));
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let label = ui.label(state.t("Søg", "Search"));
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .desired_width(200.0)
                    .hint_text(state.t("navn, id, kommune", "name, id, municipality")),
            )
            .labelled_by(label.id);
            ui.end_row();
        });

        // The list follows the area, the type and the search; rebuilt only when one changes.
        let needle = self.search.trim().to_lowercase();
        let key =
            format!("{}\u{1f}{}\u{1f}{needle}", state.area.as_deref().unwrap_or(""), self.kind.map_or("", |k| k.key()));
        let fresh = self.shown.as_ref().is_some_and(|(v, n, _)| *v == state.data_version && *n == key);
        if !fresh {
            let units: Vec<String> = state.area.iter().cloned().collect();
            let open: Vec<Trainee> = state
                .data
                .open_trainees()
                .into_iter()
                .filter(|t| self.kind.is_none_or(|k| t.kind == k))
                .filter(|t| crate::domain::area::in_area(&state.data, t, &units))
                .filter(|t| {
                    needle.is_empty()
                        || t.name.to_lowercase().contains(&needle)
                        || t.id.to_lowercase().contains(&needle)
                        || t.municipality.as_deref().is_some_and(|m| m.to_lowercase().contains(&needle))
                        || t.hospital_unit.as_deref().is_some_and(|m| m.to_lowercase().contains(&needle))
                })
                .cloned()
                .collect();
            self.shown = Some((state.data_version, key, open));
        }
        // "Foreslå runde" proposes for exactly the trainees the queue shows.
        let scope: Vec<String> =
            self.shown.as_ref().map_or(Vec::new(), |(_, _, v)| v.iter().map(|t| t.id.clone()).collect());
        self.round.ui(ui, state, &scope);
        ui.separator();
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

/// A drag source that also takes a click, as a row in a file manager does: egui's
/// `dnd_drag_source` senses drags only, so a click on the name went nowhere.
fn drag_or_click_source<R>(
    ui: &mut egui::Ui,
    id: egui::Id,
    payload: DraggedTrainee,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> egui::Response {
    if ui.ctx().is_being_dragged(id) {
        return ui.dnd_drag_source(id, payload, add_contents).response;
    }
    let body = ui.scope(add_contents).response;
    let r = ui.interact(body.rect, id, egui::Sense::click_and_drag()).on_hover_cursor(egui::CursorIcon::Grab);
    if r.drag_started() {
        egui::DragAndDrop::set_payload(ui.ctx(), payload);
    }
    r
}

/// One trainee: drag it onto a practice; click to inspect.
fn trainee_row(ui: &mut egui::Ui, state: &mut AppState, t: &Trainee) {
    let id = egui::Id::unique(("queue_trainee", &t.id));
    let selected = state.selection == Selection::Trainee(t.id.clone());
    let place = t.municipality.clone().or_else(|| t.hospital_unit.clone()).unwrap_or_default();
    let response = drag_or_click_source(ui, id, DraggedTrainee(t.id.clone()), |ui| {
        ui.horizontal(|ui| {
            ui.label("⠿");
            let _ = ui.selectable_label(selected, &t.name);
            ui.weak(format!("{} · {}", i18n::date(t.start), place));
        });
    });
    if response.clicked() {
        state.selection = Selection::Trainee(t.id.clone());
    }
    if ui.ctx().is_being_dragged(id) {
        state.ensure_drag_check(&t.id);
    }
}
