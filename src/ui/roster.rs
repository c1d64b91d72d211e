//! The Practices tab: the roster table (sortable, filterable; a drop target for trainees) and the
//! selected practice's timeline and editor. Edits become `Command::EditPractice`, `AddPause` and
//! `RemovePause`.

use chrono::{Datelike, NaiveDate};
use egui::{Color32, Pos2, Rect, Stroke, Vec2};
use egui_extras::{Column, TableBuilder};

use std::collections::HashMap;

use crate::domain::command::Command;
use crate::domain::dates::parse_date;
use crate::domain::fairness::FlagKind;
use crate::domain::model::{Pause, Practice, TraineeType};
use crate::domain::region::District;

use super::i18n;
use super::state::{AppState, DraggedTrainee, Selection};

/// One colour per trainee type, shared by the timeline and the fairness plots.
pub fn kind_colour(kind: TraineeType) -> Color32 {
    let (r, g, b) = crate::report::fairness::kind_rgb(kind);
    Color32::from_rgb(r, g, b)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortKey {
    Id,
    Name,
    Municipality,
    Tutors,
    Current,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FlagFilter {
    Any,
    Threatened,
    Refuses,
    /// Rule P6 in the Fordeling tab's default review.
    RunsOnTrainees,
    /// Nobody for `idle_months`, in the same review.
    Idle,
    Large,
}

/// The P6 and idle flags of the default review by practice id, for the filter and the flags
/// column; rebuilt when the data or "today" change.
#[derive(Default)]
struct ReviewFlags {
    key: Option<(u64, NaiveDate)>,
    by_practice: HashMap<String, Vec<FlagKind>>,
}

impl ReviewFlags {
    fn refresh(&mut self, state: &AppState) {
        let key = (state.data_version, state.today);
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        self.by_practice = super::fairness::default_review(state)
            .map(|review| {
                review
                    .practices
                    .into_iter()
                    .map(|p| (p.practice_id, p.flags.iter().map(|f| f.kind()).collect()))
                    .collect()
            })
            .unwrap_or_default();
    }

    fn has(&self, practice_id: &str, kind: FlagKind) -> bool {
        self.by_practice.get(practice_id).is_some_and(|k| k.contains(&kind))
    }
}

/// The roster's view state: filters, sort order and the editor's unsaved fields.
pub struct RosterPanel {
    text: String,
    district: Option<District>,
    municipality: Option<String>,
    flag: FlagFilter,
    sort: SortKey,
    ascending: bool,
    editor: Option<Practice>,
    /// The practice as it was when the editor opened: what a save expects to find. A change by
    /// someone else since makes the save a conflict instead of writing over their change.
    editor_base: Option<Practice>,
    pause_start: String,
    pause_end: String,
    pause_kind: Option<TraineeType>,
    review_flags: ReviewFlags,
}

impl Default for RosterPanel {
    fn default() -> RosterPanel {
        RosterPanel {
            text: String::new(),
            district: None,
            municipality: None,
            flag: FlagFilter::Any,
            sort: SortKey::Id,
            ascending: true,
            editor: None,
            editor_base: None,
            pause_start: String::new(),
            pause_end: String::new(),
            pause_kind: None,
            review_flags: ReviewFlags::default(),
        }
    }
}

impl RosterPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        self.review_flags.refresh(state);
        self.filters_ui(ui, state);
        let selected_id = match &state.selection {
            Selection::Practice(id) => Some(id.clone()),
            _ => None,
        };
        let detail_height = if selected_id.is_some() { (ui.available_height() * 0.5).max(260.0) } else { 0.0 };
        let table_height = (ui.available_height() - detail_height).max(120.0);
        ui.allocate_ui(Vec2::new(ui.available_width(), table_height), |ui| self.table_ui(ui, state));
        if let Some(id) = selected_id {
            ui.separator();
            egui::ScrollArea::vertical().id_salt("practice_detail").show(ui, |ui| self.detail_ui(ui, state, &id));
        }
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, state: &AppState) {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(state.t("Filter", "Filter"));
            ui.add(
                egui::TextEdit::singleline(&mut self.text)
                    .desired_width(160.0)
                    .hint_text(state.t("navn eller id", "name or id")),
            )
            .labelled_by(l.id);
            let any = state.t("alle", "all");
            let l = ui.label(state.t("Distrikt", "District"));
            egui::ComboBox::from_id_salt("roster_district")
                .selected_text(self.district.map_or(any, |d| state.lang.district(d)))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.district, None, any);
                    for d in [District::East, District::Middle, District::West] {
                        ui.selectable_value(&mut self.district, Some(d), state.lang.district(d));
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(state.t("Kommune", "Municipality"));
            egui::ComboBox::from_id_salt("roster_municipality")
                .selected_text(self.municipality.clone().unwrap_or_else(|| any.to_string()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.municipality, None, any);
                    for m in crate::report::format::by_name(&state.data.region.municipalities, |m| &m.name) {
                        if self.district.is_none_or(|d| d == m.district) {
                            ui.selectable_value(&mut self.municipality, Some(m.name.clone()), &m.name);
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(state.t("Markering", "Flag"));
            let flag_name = |f: FlagFilter| match f {
                FlagFilter::Any => any,
                FlagFilter::Threatened => state.t("lægedækningstruet (P5)", "threatened (P5)"),
                FlagFilter::Refuses => state.t("afviser en type (P3)", "refuses a type (P3)"),
                FlagFilter::RunsOnTrainees => state.t("drives af uddannelseslæger (P6)", "runs on trainees (P6)"),
                FlagFilter::Idle => state.t("ingen i lang tid", "idle"),
                FlagFilter::Large => state.t("stor (H6)", "large (H6)"),
            };
            egui::ComboBox::from_id_salt("roster_flag")
                .selected_text(flag_name(self.flag))
                .show_ui(ui, |ui| {
                    for f in [
                        FlagFilter::Any,
                        FlagFilter::Threatened,
                        FlagFilter::Refuses,
                        FlagFilter::RunsOnTrainees,
                        FlagFilter::Idle,
                        FlagFilter::Large,
                    ] {
                        ui.selectable_value(&mut self.flag, f, flag_name(f));
                    }
                })
                .response
                .labelled_by(l.id);
        });
    }

    fn visible_rows(&self, state: &AppState) -> Vec<(usize, u32)> {
        let counts = state.current_counts();
        let needle = self.text.trim().to_lowercase();
        let mut rows: Vec<(usize, u32)> = state
            .data
            .practices
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let district = state.data.region.municipality(&p.municipality).map(|m| m.district);
                (needle.is_empty() || p.name.to_lowercase().contains(&needle) || p.id.to_lowercase().contains(&needle))
                    && self.district.is_none_or(|d| Some(d) == district)
                    && self.municipality.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(&p.municipality))
                    && match self.flag {
                        FlagFilter::Any => true,
                        FlagFilter::Threatened => state.data.is_threatened(p),
                        FlagFilter::Refuses => !p.refuses.is_empty(),
                        FlagFilter::RunsOnTrainees => self.review_flags.has(&p.id, FlagKind::RunsOnTrainees),
                        FlagFilter::Idle => self.review_flags.has(&p.id, FlagKind::Idle),
                        FlagFilter::Large => p.large,
                    }
            })
            .map(|(i, p)| (i, counts.get(p.id.as_str()).copied().unwrap_or(0)))
            .collect();
        let practices = &state.data.practices;
        rows.sort_by(|a, b| {
            let (pa, pb) = (&practices[a.0], &practices[b.0]);
            let order = match self.sort {
                SortKey::Id => pa.id.cmp(&pb.id),
                SortKey::Name => super::i18n::collate(&pa.name, &pb.name),
                SortKey::Municipality => {
                    super::i18n::collate(&pa.municipality, &pb.municipality).then(pa.id.cmp(&pb.id))
                }
                SortKey::Tutors => pa.tutors.cmp(&pb.tutors).then(pa.id.cmp(&pb.id)),
                SortKey::Current => a.1.cmp(&b.1).then(pa.id.cmp(&pb.id)),
            };
            if self.ascending { order } else { order.reverse() }
        });
        rows
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        // A click on a cell's text selects the row, as in any file manager: selectable labels
        // took the click for text selection, so only a row's blank part selected it.
        ui.style_mut().interaction.selectable_labels = false;
        let rows = self.visible_rows(state);
        let ctx = ui.ctx().clone();
        let dragged = egui::DragAndDrop::payload::<DraggedTrainee>(&ctx);
        if let Some(d) = &dragged {
            state.ensure_drag_check(&d.0);
        }
        let released = ctx.input(|i| i.pointer.any_released());
        let pointer = ctx.input(|i| i.pointer.interact_pos().or(i.pointer.hover_pos()));
        let mut clicked: Option<String> = None;
        let mut dropped_on: Option<String> = None;
        let headers = [
            (SortKey::Id, state.t("Id", "Id")),
            (SortKey::Name, state.t("Navn", "Name")),
            (SortKey::Municipality, state.t("Kommune", "Municipality")),
            (SortKey::Tutors, state.t("Tutorer", "Tutors")),
            (SortKey::Current, state.t("Nu", "Now")),
        ];
        let selected_id = match &state.selection {
            Selection::Practice(id) => Some(id.as_str()),
            _ => None,
        };
        TableBuilder::new(ui)
            .id_salt("roster")
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::initial(70.0).at_least(50.0))
            .column(Column::initial(200.0).at_least(100.0).clip(true))
            .column(Column::initial(130.0))
            .column(Column::initial(64.0).at_least(56.0))
            // "Nu"/"Now" with its sort arrow: wide enough that the header never wraps to "No w".
            .column(Column::initial(56.0).at_least(52.0))
            .column(Column::remainder().at_least(120.0))
            .header(22.0, |mut header| {
                for (key, title) in headers {
                    header.col(|ui| {
                        let arrow = if self.sort == key { if self.ascending { " ▲" } else { " ▼" } } else { "" };
                        if ui.button(format!("{title}{arrow}")).clicked() {
                            if self.sort == key {
                                self.ascending = !self.ascending;
                            } else {
                                self.sort = key;
                                self.ascending = true;
                            }
                        }
                    });
                }
                header.col(|ui| {
                    ui.strong(state.t("Markeringer", "Flags"));
                });
            })
            .body(|body| {
                body.rows(20.0, rows.len(), |mut row| {
                    let (index, current) = rows[row.index()];
                    let p = &state.data.practices[index];
                    row.set_selected(selected_id == Some(p.id.as_str()));
                    let feasibility = if dragged.is_some() { state.drag_feasibility(index) } else { None };
                    row.col(|ui| {
                        ui.label(&p.id);
                    });
                    row.col(|ui| {
                        match feasibility {
                            Some(f) if f.is_feasible() => ui.colored_label(Color32::from_rgb(30, 160, 60), &p.name),
                            Some(f) => ui
                                .colored_label(Color32::from_rgb(200, 40, 40), &p.name)
                                .on_hover_text(crate::report::reasons::violation_lines(&f.violations, state.lang)),
                            None => ui.label(&p.name),
                        };
                    });
                    row.col(|ui| {
                        ui.label(&p.municipality);
                    });
                    row.col(|ui| {
                        ui.label(p.tutors.to_string());
                    });
                    row.col(|ui| {
                        ui.label(current.to_string());
                    });
                    row.col(|ui| {
                        ui.label(flags_text(state, &self.review_flags, p));
                    });
                    let response = row.response();
                    if response.clicked() {
                        clicked = Some(p.id.clone());
                    }
                    if dragged.is_some() && released && pointer.is_some_and(|pos| response.rect.contains(pos)) {
                        dropped_on = Some(p.id.clone());
                    }
                });
            });
        if let Some(id) = clicked {
            state.selection = Selection::Practice(id);
        }
        if let Some(practice_id) = dropped_on
            && let Some(payload) = egui::DragAndDrop::take_payload::<DraggedTrainee>(&ctx)
        {
            state.drop_trainee(&payload.0, &practice_id);
        }
    }

    fn detail_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, id: &str) {
        let Some(practice) = state.data.practice(id).cloned() else { return };
        let untouched = self.editor.is_some() && self.editor == self.editor_base;
        if self.editor.as_ref().is_none_or(|e| e.id != practice.id)
            || (untouched && self.editor_base.as_ref() != Some(&practice))
        {
            // A new selection, or the stored practice changed (another desk) with no unsaved edits.
            self.editor = Some(practice.clone());
            self.editor_base = Some(practice.clone());
        }
        ui.heading(format!("{} ({})", practice.name, practice.id));
        ui.label(format!(
            "{} · {}: {} · {}: {}",
            practice.municipality,
            state.t("tutorer", "tutors"),
            practice.tutors,
            state.t("kapacitet", "capacity"),
            practice.effective_capacity(state.data.settings.capacity_per_tutor)
        ));
        timeline_ui(ui, state, &practice);
        ui.columns(2, |cols| {
            self.editor_ui(&mut cols[0], state);
            self.pauses_ui(&mut cols[1], state, &practice);
        });
    }

    fn editor_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        let Some(edit) = &mut self.editor else { return };
        ui.strong(state.t("Redigér praksis", "Edit practice"));
        egui::Grid::new("practice_editor").num_columns(2).show(ui, |ui| {
            let l = ui.label(state.t("Tutorer", "Tutors"));
            ui.add(egui::DragValue::new(&mut edit.tutors).range(1..=20)).labelled_by(l.id);
            ui.end_row();
            let l = ui.label(state.t("Læger", "Doctors"));
            ui.add(egui::DragValue::new(&mut edit.doctors).range(1..=40)).labelled_by(l.id);
            ui.end_row();
            let l = ui.label(state.t("Kapacitet (0 = én pr. tutor)", "Capacity (0 = one per tutor)"));
            let mut capacity = edit.capacity.unwrap_or(0);
            if ui.add(egui::DragValue::new(&mut capacity).range(0..=40)).labelled_by(l.id).changed() {
                edit.capacity = (capacity > 0).then_some(capacity);
            }
            ui.end_row();
            let l = ui.label(state.t("Tutorkvalitet 1–5 (0 = ukendt)", "Tutor quality 1–5 (0 = unknown)"));
            let mut quality = edit.quality.unwrap_or(0);
            if ui.add(egui::DragValue::new(&mut quality).range(0..=5)).labelled_by(l.id).changed() {
                edit.quality = (quality > 0).then_some(quality);
            }
            ui.end_row();
            ui.label("");
            ui.checkbox(&mut edit.large, state.t("Stor praksis (H6-dispensation)", "Large practice (H6 dispensation)"));
            ui.end_row();
            ui.label("");
            ui.checkbox(
                &mut edit.burdened,
                state.t("Socioøkonomisk belastet (T2)", "Socio-economically burdened (T2)"),
            );
            ui.end_row();
        });
        ui.label(state.t("Afviser typer (P3):", "Refuses types (P3):"));
        ui.horizontal_wrapped(|ui| {
            for kind in TraineeType::ALL {
                let mut refuses = edit.refuses.contains(&kind);
                if ui.checkbox(&mut refuses, state.lang.kind(kind)).changed() {
                    if refuses {
                        edit.refuses.push(kind);
                        edit.refuses.sort();
                    } else {
                        edit.refuses.retain(|k| *k != kind);
                    }
                }
            }
        });
        let changed = state.data.practice(&edit.id) != Some(&*edit);
        let edited = edit.clone();
        let base = self.editor_base.clone().unwrap_or_else(|| edited.clone());
        let mut discard = false;
        let mut saved = false;
        ui.horizontal(|ui| {
            if ui.add_enabled(changed, egui::Button::new(state.t("Gem praksis", "Save practice"))).clicked() {
                let cmd = Command::EditPractice { before: Box::new(base), after: Box::new(edited.clone()) };
                // Saved: the editor now starts from what was stored. Refused as stale: the
                // error says who changed it; the edit is dropped and the new values shown.
                saved = state.execute(&cmd);
                discard = !saved;
            }
            discard |=
                ui.add_enabled(changed, egui::Button::new(state.t("Fortryd ændringer", "Discard changes"))).clicked();
        });
        if saved {
            self.editor_base = Some(edited);
        }
        if discard {
            self.editor = None;
            self.editor_base = None;
        }
    }

    fn pauses_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, practice: &Practice) {
        ui.strong(state.t("Pauser og ønsker", "Pauses and wishes"));
        let pauses: Vec<Pause> = state.data.pauses.iter().filter(|p| p.practice_id == practice.id).cloned().collect();
        for pause in pauses {
            ui.horizontal(|ui| {
                let what = match pause.wish_type {
                    Some(k) => format!("{} {}", state.t("Ønsker", "Wishes"), state.lang.kind(k)),
                    None => state.t("Pause (H7)", "Pause (H7)").to_string(),
                };
                ui.label(format!("{what}: {}", i18n::period(pause.start, pause.end)));
                if ui.small_button(state.t("Fjern", "Remove")).clicked() {
                    state.execute(&Command::RemovePause { pause: pause.clone() });
                }
            });
        }
        egui::Grid::new("pause_editor").num_columns(2).show(ui, |ui| {
            let l = ui.label(state.t("Fra (dd-mm-åååå)", "From (dd-mm-yyyy)"));
            ui.add(egui::TextEdit::singleline(&mut self.pause_start).desired_width(100.0)).labelled_by(l.id);
            ui.end_row();
            let l = ui.label(state.t("Til (dd-mm-åååå)", "To (dd-mm-yyyy)"));
            ui.add(egui::TextEdit::singleline(&mut self.pause_end).desired_width(100.0)).labelled_by(l.id);
            ui.end_row();
            let l = ui.label(state.t("Art", "Kind"));
            let pause_word = state.t("Pause (H7)", "Pause (H7)");
            let name = |k: Option<TraineeType>| match k {
                None => pause_word.to_string(),
                Some(k) => format!("{} {}", state.t("Ønske:", "Wish:"), state.lang.kind(k)),
            };
            egui::ComboBox::from_id_salt("pause_kind")
                .selected_text(name(self.pause_kind))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.pause_kind, None, name(None));
                    for k in TraineeType::ALL {
                        ui.selectable_value(&mut self.pause_kind, Some(k), name(Some(k)));
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
        });
        if ui.button(state.t("Tilføj pause/ønske", "Add pause/wish")).clicked() {
            match (parse_date(&self.pause_start), parse_date(&self.pause_end)) {
                (Ok(start), Ok(end)) => {
                    let pause = Pause { practice_id: practice.id.clone(), start, end, wish_type: self.pause_kind };
                    if state.execute(&Command::AddPause { pause }) {
                        self.pause_start.clear();
                        self.pause_end.clear();
                    }
                }
                (Err(e), _) | (_, Err(e)) => state.error = Some(e.to_string()),
            }
        }
    }
}

fn flags_text(state: &AppState, review: &ReviewFlags, p: &Practice) -> String {
    let mut flags = Vec::new();
    if state.data.is_threatened(p) {
        flags.push("P5".to_string());
    }
    if !p.refuses.is_empty() {
        flags.push("P3".to_string());
    }
    if review.has(&p.id, FlagKind::RunsOnTrainees) {
        flags.push("P6".to_string());
    }
    if review.has(&p.id, FlagKind::Idle) {
        flags.push(state.t("ingen i lang tid", "idle").to_string());
    }
    if p.large {
        flags.push(state.t("stor", "large").to_string());
    }
    if p.is_solo() {
        flags.push(state.t("solo", "solo").to_string());
    }
    flags.join(" ")
}

/// One placement on the timeline: start, end, type and the trainee's name.
type Bar = (NaiveDate, NaiveDate, TraineeType, String);

/// Placements, pauses and wishes of one practice over the years, one colour per type.
pub(crate) fn timeline_ui(ui: &mut egui::Ui, state: &AppState, practice: &Practice) {
    let years_back = state.data.settings.lookback_years.max(1);
    let first = NaiveDate::from_ymd_opt(state.today.year() - years_back as i32, 1, 1).unwrap_or(state.today);
    let last = NaiveDate::from_ymd_opt(state.today.year() + 2, 12, 31).unwrap_or(state.today);
    let span_days = (last - first).num_days().max(1) as f32;
    let mut placements: Vec<Bar> = state
        .data
        .placements
        .iter()
        .filter(|p| p.practice_id == practice.id && p.end >= first && p.start <= last)
        .filter_map(|p| state.data.trainee(&p.trainee_id).map(|t| (p.start, p.end, t.kind, t.name.clone())))
        .collect();
    placements.sort_by_key(|p| p.0);
    // Greedy lanes so overlapping placements sit on separate rows.
    let mut lanes: Vec<NaiveDate> = Vec::new();
    let mut laid: Vec<(usize, &Bar)> = Vec::new();
    for p in &placements {
        let lane = lanes.iter().position(|end| *end < p.0).unwrap_or_else(|| {
            lanes.push(NaiveDate::MIN);
            lanes.len() - 1
        });
        lanes[lane] = p.1;
        laid.push((lane, p));
    }
    let lane_h = 14.0;
    let lanes_n = lanes.len().max(1) as f32;
    let height = 22.0 + lanes_n * lane_h + 18.0;
    let (rect, response) = ui.allocate_exact_size(Vec2::new(ui.available_width(), height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    let x_of = |d: NaiveDate| rect.left() + (d - first).num_days().max(0) as f32 / span_days * rect.width();
    let text = ui.visuals().text_color();
    let font = egui::FontId::proportional(10.0);
    let mut year = first.year();
    while let Some(d) = NaiveDate::from_ymd_opt(year, 1, 1) {
        if d > last {
            break;
        }
        let x = x_of(d);
        painter.line_segment([Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())], Stroke::new(0.5, Color32::GRAY));
        painter.text(
            Pos2::new(x + 2.0, rect.top() + 2.0),
            egui::Align2::LEFT_TOP,
            year.to_string(),
            font.clone(),
            text,
        );
        year += 1;
    }
    let today_x = x_of(state.today);
    painter.line_segment(
        [Pos2::new(today_x, rect.top()), Pos2::new(today_x, rect.bottom())],
        Stroke::new(1.5, ui.visuals().warn_fg_color),
    );
    let top = rect.top() + 16.0;
    let mut hover_text = None;
    for (lane, (start, end, kind, name)) in &laid {
        let y = top + *lane as f32 * lane_h;
        let r = Rect::from_min_max(
            Pos2::new(x_of(*start), y),
            Pos2::new(x_of(*end).max(x_of(*start) + 2.0), y + lane_h - 2.0),
        );
        painter.rect_filled(r, 2.0, kind_colour(*kind));
        if response.hover_pos().is_some_and(|p| r.contains(p)) {
            hover_text = Some(format!("{name} · {} · {}", state.lang.kind(*kind), i18n::period(*start, *end)));
        }
    }
    let y = top + lanes_n * lane_h + 2.0;
    for pause in state.data.pauses.iter().filter(|p| p.practice_id == practice.id && p.end >= first && p.start <= last)
    {
        let r = Rect::from_min_max(Pos2::new(x_of(pause.start), y), Pos2::new(x_of(pause.end), y + 12.0));
        match pause.wish_type {
            None => {
                painter.rect_filled(r, 0.0, Color32::from_gray(140));
            }
            Some(k) => {
                painter.rect_stroke(r, 0.0, Stroke::new(2.0, kind_colour(k)), egui::StrokeKind::Inside);
            }
        }
        if response.hover_pos().is_some_and(|p| r.contains(p)) {
            let what = match pause.wish_type {
                Some(k) => format!("{} {}", state.t("Ønsker", "Wishes"), state.lang.kind(k)),
                None => state.t("Pause", "Pause").to_string(),
            };
            hover_text = Some(format!("{what} · {}", i18n::period(pause.start, pause.end)));
        }
    }
    if let Some(text) = hover_text {
        response.on_hover_text_at_pointer(text);
    }
    ui.horizontal_wrapped(|ui| {
        for kind in TraineeType::ALL {
            let (r, _) = ui.allocate_exact_size(Vec2::splat(10.0), egui::Sense::hover());
            ui.painter().rect_filled(r, 2.0, kind_colour(kind));
            ui.label(state.lang.kind(kind));
        }
        let (r, _) = ui.allocate_exact_size(Vec2::splat(10.0), egui::Sense::hover());
        ui.painter().rect_filled(r, 0.0, Color32::from_gray(140));
        ui.label(state.t("pause", "pause"));
    });
}
