//! The Fordeling tab for DYNAMU (DOMAIN.md §1, §4): the review of any period
//! (`domain::fairness::fairness_review`), with the region's figures beside their baselines and
//! three views:
//! - "Gennemgang": one row per practice, sortable and filterable by area, district, municipality,
//!   flag and threatened; the selected practice's timeline, why it is flagged, and "Vis på kortet";
//! - "Grafer": four plots, each with its baseline and named axes;
//! - "Over tid": the figures per year, and two periods side by side (this year against last).
//!
//! "Udskriv rapport (PDF)…" writes the review through `ops::fairness::write_report`.

use std::cmp::Ordering;
use std::path::Path;

use chrono::Datelike;
use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};
use egui_plot::{
    AxisHints, Bar, BarChart, Corner, HLine, Legend, Line, LineStyle, Plot, PlotPoints, Points, VLine,
    uniform_grid_spacer,
};

use crate::domain::dates::Period;
use crate::domain::fairness::{EVEN_TYPE_SHARE, FairnessReview, FlagKind, Headline, PracticeFairness, fairness_review};
use crate::domain::model::TraineeType;
use crate::domain::region::District;
use crate::report::fairness::{flag_name, flag_reason, flag_short, p6_reason};

use super::files::FilePurpose;
use super::i18n::{self, Lang};
use super::roster::{kind_colour, timeline_ui};
use super::state::{AppState, Selection};

/// The tab's three views.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Review,
    Plots,
    OverTime,
}

/// What the review table is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Id,
    Name,
    Flags,
    PerTutor,
    PerDoctor,
    Months,
    Tutors,
    Doctors,
    Last,
    Municipality,
    Type(TraineeType),
}

/// Which practices the table shows by their flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagFilter {
    All,
    AnyFlag,
    Only(FlagKind),
    NoFlag,
}

/// Which practices the table shows by rule P5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreatenedFilter {
    All,
    Threatened,
    NotThreatened,
}

/// The months of the review the desk opens with: `lookback_years` whole years back to this month.
pub fn default_months(state: &AppState) -> (String, String) {
    let years = state.data.settings.lookback_years.max(1) as i32;
    (format!("{}-01", state.today.year() - years), format!("{}-{:02}", state.today.year(), state.today.month()))
}

/// The review of the default period, for panels that show flags (the practice list).
pub fn default_review(state: &AppState) -> Option<FairnessReview> {
    let (from, to) = default_months(state);
    let (from, to) = state.month_range(&from, &to).ok()?;
    Some(fairness_review(&state.data, Period::of_months(from, to), state.today))
}

/// Two periods' headline figures, keyed on the data version and the periods.
type Compared = (u64, Period, Period, Headline, Headline);

/// The fairness tab's view state: the period, the view, the table's filters, sort and selection,
/// and the cached reviews.
pub struct FairnessPanel {
    from: String,
    to: String,
    view: View,
    review: Option<(u64, Period, FairnessReview)>,
    error: Option<String>,
    a_from: String,
    a_to: String,
    b_from: String,
    b_to: String,
    compared: Option<Compared>,
    text: String,
    hospital_unit: Option<String>,
    /// The coordinator's area `hospital_unit` last followed (`queue::follow_area`).
    followed_area: Option<Option<String>>,
    district: Option<District>,
    municipality: Option<String>,
    flag: FlagFilter,
    threatened: ThreatenedFilter,
    sort: SortKey,
    ascending: bool,
    selected: Option<String>,
    /// The practice ids the table showed last, in order (tests read it).
    shown: Vec<String>,
}

impl Default for FairnessPanel {
    fn default() -> FairnessPanel {
        FairnessPanel {
            from: String::new(),
            to: String::new(),
            view: View::Review,
            review: None,
            error: None,
            a_from: String::new(),
            a_to: String::new(),
            b_from: String::new(),
            b_to: String::new(),
            compared: None,
            text: String::new(),
            hospital_unit: None,
            followed_area: None,
            district: None,
            municipality: None,
            flag: FlagFilter::All,
            threatened: ThreatenedFilter::All,
            // Flagged practices first: the reviewer's question is which need a look.
            sort: SortKey::Flags,
            ascending: false,
            selected: None,
            shown: Vec::new(),
        }
    }
}

fn flag_filter_name(f: FlagFilter, lang: Lang) -> &'static str {
    match f {
        FlagFilter::All => lang.t("alle", "all"),
        FlagFilter::AnyFlag => lang.t("med markering", "any flag"),
        FlagFilter::Only(kind) => flag_name(kind, lang),
        FlagFilter::NoFlag => lang.t("uden markering", "no flag"),
    }
}

fn threatened_filter_name(f: ThreatenedFilter, lang: Lang) -> &'static str {
    match f {
        ThreatenedFilter::All => lang.t("alle", "all"),
        ThreatenedFilter::Threatened => lang.t("ja", "yes"),
        ThreatenedFilter::NotThreatened => lang.t("nej", "no"),
    }
}

/// `12,3 %` from a share 0–1.
fn pct(share: f64, decimals: usize) -> String {
    format!("{} %", i18n::number(share * 100.0, decimals))
}

impl FairnessPanel {
    /// The practice ids the review table showed in the last frame, in their order.
    pub fn shown(&self) -> &[String] {
        &self.shown
    }

    /// The review on show, if the period is valid.
    pub fn review(&self) -> Option<&FairnessReview> {
        self.review.as_ref().map(|r| &r.2)
    }

    /// The practice whose details show below the table.
    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// Writes the review on show as the PDF report, as "Udskriv rapport (PDF)…" does after its file
    /// dialog (tests call it here: a native dialog cannot be clicked).
    pub fn write_report(&mut self, state: &mut AppState, path: &Path) -> bool {
        let Some((_, _, review)) = &self.review else {
            state.error = Some(state.t("Ingen gyldig periode", "No valid period").to_string());
            return false;
        };
        match crate::ops::fairness::write_report(review, state.today, path) {
            Ok(()) => {
                state.status = format!("{} {}", state.t("Skrev rapporten til", "Wrote the report to"), path.display());
                if let Some(folder) = path.parent() {
                    state.files.wrote_into(folder, &state.status);
                }
                true
            }
            Err(e) => {
                state.error = Some(e.to_string());
                false
            }
        }
    }

    fn period(&mut self, state: &AppState) -> Option<Period> {
        if self.from.is_empty() {
            (self.from, self.to) = default_months(state);
        }
        match state.month_range(&self.from, &self.to) {
            Ok((f, t)) => {
                self.error = None;
                Some(Period::of_months(f, t))
            }
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        let lang = state.lang;
        ui.horizontal_wrapped(|ui| {
            ui.heading(lang.t("Fordeling", "Fairness"));
            let l = ui.label(lang.t("Fra (åååå-mm)", "From (yyyy-mm)"));
            ui.add(egui::TextEdit::singleline(&mut self.from).desired_width(64.0)).labelled_by(l.id);
            let l = ui.label(lang.t("Til (åååå-mm)", "To (yyyy-mm)"));
            ui.add(egui::TextEdit::singleline(&mut self.to).desired_width(64.0)).labelled_by(l.id);
            ui.separator();
            ui.selectable_value(&mut self.view, View::Review, lang.t("Gennemgang", "Review"));
            ui.selectable_value(&mut self.view, View::Plots, lang.t("Grafer", "Plots"));
            ui.selectable_value(&mut self.view, View::OverTime, lang.t("Over tid", "Over time"));
            ui.separator();
            if ui.button(lang.t("Udskriv rapport (PDF)…", "Print report (PDF)…")).clicked() {
                let name = format!("fordeling-{}-{}.pdf", self.from.trim(), self.to.trim());
                state.ask_file(FilePurpose::FairnessPdf, Some(name));
            }
        });
        if let Some(path) = state.files.take_one(FilePurpose::FairnessPdf) {
            self.write_report(state, &path);
        }
        let Some(period) = self.period(state) else {
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            return;
        };
        let stale = self.review.as_ref().is_none_or(|(v, p, _)| *v != state.data_version || *p != period);
        if stale {
            self.review = Some((state.data_version, period, fairness_review(&state.data, period, state.today)));
        }
        let Some((_, _, review)) = self.review.take() else { return };
        headline_ui(ui, lang, &review);
        ui.separator();
        match self.view {
            View::Review => self.review_ui(ui, state, &review),
            View::Plots => plots_ui(ui, lang, &review),
            View::OverTime => self.over_time_ui(ui, state, &review),
        }
        self.review = Some((state.data_version, period, review));
    }

    fn review_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, review: &FairnessReview) {
        self.filters_ui(ui, state);
        let rows = self.visible_rows(review);
        self.shown = rows.iter().map(|&i| review.practices[i].practice_id.clone()).collect();
        if self.selected.as_ref().is_some_and(|id| !review.practices.iter().any(|p| &p.practice_id == id)) {
            self.selected = None;
        }
        let detail_height = if self.selected.is_some() { (ui.available_height() * 0.5).max(200.0) } else { 0.0 };
        let table_height = (ui.available_height() - detail_height).max(120.0);
        ui.allocate_ui(egui::Vec2::new(ui.available_width(), table_height), |ui| {
            self.table_ui(ui, state, review, &rows);
        });
        if let Some(id) = self.selected.clone()
            && let Some(line) = review.practices.iter().find(|p| p.practice_id == id)
        {
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("fairness_detail")
                .auto_shrink([false, false])
                .show(ui, |ui| detail_ui(ui, state, review, line));
        }
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, state: &AppState) {
        super::queue::follow_area(&mut self.followed_area, &mut self.hospital_unit, state);
        let lang = state.lang;
        let any = lang.t("alle", "all");
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(lang.t("Søg", "Search"));
            ui.add(
                egui::TextEdit::singleline(&mut self.text)
                    .desired_width(110.0)
                    .hint_text(lang.t("navn eller id", "name or id")),
            )
            .labelled_by(l.id);
            let l = ui.label(lang.t("Område", "Area"));
            egui::ComboBox::from_id_salt("fairness_area")
                .selected_text(self.hospital_unit.clone().unwrap_or_else(|| any.to_string()))
                .width(150.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.hospital_unit, None, any);
                    for h in crate::report::format::by_name(&state.data.region.hospital_units, |h| &h.name) {
                        ui.selectable_value(&mut self.hospital_unit, Some(h.name.clone()), &h.name);
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(lang.t("Distrikt", "District"));
            egui::ComboBox::from_id_salt("fairness_district")
                .selected_text(self.district.map_or(any, |d| lang.district(d)))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.district, None, any);
                    for d in [District::East, District::Middle, District::West] {
                        ui.selectable_value(&mut self.district, Some(d), lang.district(d));
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(lang.t("Kommune", "Municipality"));
            egui::ComboBox::from_id_salt("fairness_municipality")
                .selected_text(self.municipality.clone().unwrap_or_else(|| any.to_string()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.municipality, None, any);
                    for m in crate::report::format::by_name(&state.data.region.municipalities, |m| &m.name) {
                        if self.district.is_none_or(|d| d == m.district)
                            && self.hospital_unit.as_ref().is_none_or(|h| *h == m.hospital_unit)
                        {
                            ui.selectable_value(&mut self.municipality, Some(m.name.clone()), &m.name);
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(lang.t("Markering", "Flag"));
            egui::ComboBox::from_id_salt("fairness_flag")
                .selected_text(flag_filter_name(self.flag, lang))
                .show_ui(ui, |ui| {
                    let mut choices = vec![FlagFilter::All, FlagFilter::AnyFlag];
                    choices.extend(FlagKind::ALL.map(FlagFilter::Only));
                    choices.push(FlagFilter::NoFlag);
                    for f in choices {
                        ui.selectable_value(&mut self.flag, f, flag_filter_name(f, lang));
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(lang.t("Lægedækningstruet (P5)", "Threatened (P5)"));
            egui::ComboBox::from_id_salt("fairness_threatened")
                .selected_text(threatened_filter_name(self.threatened, lang))
                .show_ui(ui, |ui| {
                    for f in [ThreatenedFilter::All, ThreatenedFilter::Threatened, ThreatenedFilter::NotThreatened] {
                        ui.selectable_value(&mut self.threatened, f, threatened_filter_name(f, lang));
                    }
                })
                .response
                .labelled_by(l.id);
        });
    }

    /// Indices into `review.practices` that pass the filters, in the chosen order.
    fn visible_rows(&self, review: &FairnessReview) -> Vec<usize> {
        let needle = self.text.trim().to_lowercase();
        let mut rows: Vec<usize> = review
            .practices
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                (needle.is_empty()
                    || p.name.to_lowercase().contains(&needle)
                    || p.practice_id.to_lowercase().contains(&needle))
                    && self.hospital_unit.as_ref().is_none_or(|h| p.hospital_unit.as_ref() == Some(h))
                    && self.district.is_none_or(|d| p.district == Some(d))
                    && self.municipality.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(&p.municipality))
                    && match self.flag {
                        FlagFilter::All => true,
                        FlagFilter::AnyFlag => !p.flags.is_empty(),
                        FlagFilter::Only(kind) => p.has(kind),
                        FlagFilter::NoFlag => p.flags.is_empty(),
                    }
                    && match self.threatened {
                        ThreatenedFilter::All => true,
                        ThreatenedFilter::Threatened => p.threatened,
                        ThreatenedFilter::NotThreatened => !p.threatened,
                    }
            })
            .map(|(i, _)| i)
            .collect();
        let key = self.sort;
        rows.sort_by(|&a, &b| {
            let (pa, pb) = (&review.practices[a], &review.practices[b]);
            let order = compare(key, pa, pb);
            // Ties always in id order, whichever way the column is sorted.
            if self.ascending { order } else { order.reverse() }.then_with(|| pa.practice_id.cmp(&pb.practice_id))
        });
        rows
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, review: &FairnessReview, rows: &[usize]) {
        let lang = state.lang;
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} {} {} {} {}",
                lang.t("Viser", "Showing"),
                rows.len(),
                lang.t("af", "of"),
                review.practices.len(),
                lang.t("praksisser", "practices")
            ));
            ui.weak(lang.t(
                "Klik på en kolonne for at sortere, på et id for detaljer.",
                "Click a column to sort, an id for details.",
            ));
        });
        let median = review.median_months_per_tutor;
        let mut headers: Vec<(SortKey, String, String)> = vec![
            (SortKey::Id, "Id".into(), String::new()),
            (SortKey::Name, lang.t("Navn", "Name").into(), String::new()),
            (
                SortKey::Flags,
                lang.t("Markeringer", "Flags").into(),
                lang.t("Markeringerne med deres tal", "The flags with their figures").into(),
            ),
            (
                SortKey::PerTutor,
                lang.t("Mdr./tutor", "Months/tutor").into(),
                format!(
                    "{} {} ({})",
                    lang.t("Måneder pr. tutor (P1). Regionens median:", "Months per tutor (P1). The region's median:"),
                    i18n::number(median, 1),
                    lang.t("i parentes: pct. af medianen", "in brackets: percent of the median")
                ),
            ),
            (SortKey::PerDoctor, lang.t("Mdr./læge", "Months/doctor").into(), String::new()),
            (SortKey::Months, lang.t("Mdr.", "Months").into(), String::new()),
            (SortKey::Tutors, lang.t("Tutorer", "Tutors").into(), String::new()),
            (SortKey::Doctors, lang.t("Læger", "Doctors").into(), String::new()),
            (SortKey::Last, lang.t("Seneste forløb", "Last placement").into(), String::new()),
            (SortKey::Municipality, lang.t("Kommune", "Municipality").into(), String::new()),
        ];
        headers.extend(TraineeType::ALL.map(|k| {
            (
                SortKey::Type(k),
                lang.kind(k).to_string(),
                lang.t("Måneder af typen (P2)", "Months of the type (P2)").into(),
            )
        }));
        let mut clicked: Option<String> = None;
        let selected = self.selected.clone();
        egui::ScrollArea::horizontal().id_salt("fairness_table_scroll").show(ui, |ui| {
            // One line per cell: a wrapped header or cell would make its row taller than the rest.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            let mut table = TableBuilder::new(ui)
                .id_salt("fairness_table")
                .striped(true)
                .sense(egui::Sense::click())
                .column(Column::initial(58.0).at_least(50.0))
                .column(Column::initial(170.0).at_least(90.0).clip(true))
                .column(Column::initial(190.0).at_least(90.0).clip(true))
                .column(Column::initial(104.0))
                .column(Column::initial(112.0))
                .column(Column::initial(64.0))
                .column(Column::initial(68.0))
                .column(Column::initial(64.0))
                .column(Column::initial(150.0).clip(true))
                .column(Column::initial(120.0).clip(true));
            for k in TraineeType::ALL {
                table = table.column(Column::initial(if k == TraineeType::Other { 130.0 } else { 70.0 }));
            }
            table
                .header(22.0, |mut header| {
                    for (key, title, hint) in &headers {
                        header.col(|ui| {
                            let arrow =
                                if self.sort == *key { if self.ascending { " ▲" } else { " ▼" } } else { "" };
                            let button = ui.button(format!("{title}{arrow}"));
                            let button = if hint.is_empty() { button } else { button.on_hover_text(hint) };
                            if button.clicked() {
                                if self.sort == *key {
                                    self.ascending = !self.ascending;
                                } else {
                                    self.sort = *key;
                                    // Figures read best largest first, names from A.
                                    self.ascending = matches!(key, SortKey::Id | SortKey::Name | SortKey::Municipality);
                                }
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(20.0, rows.len(), |mut row| {
                        let p = &review.practices[rows[row.index()]];
                        row.set_selected(selected.as_deref() == Some(p.practice_id.as_str()));
                        row.col(|ui| {
                            if ui
                                .selectable_label(selected.as_deref() == Some(p.practice_id.as_str()), &p.practice_id)
                                .clicked()
                            {
                                clicked = Some(p.practice_id.clone());
                            }
                        });
                        row.col(|ui| {
                            ui.label(&p.name);
                        });
                        row.col(|ui| {
                            let text: Vec<String> = p.flags.iter().map(|f| flag_short(f, lang)).collect();
                            if !text.is_empty() {
                                ui.colored_label(ui.visuals().warn_fg_color, text.join(" · "));
                            }
                        });
                        row.col(|ui| {
                            let of_median = if median > 0.0 {
                                format!(" ({})", pct(p.months_per_tutor / median, 0))
                            } else {
                                String::new()
                            };
                            number_cell(ui, &format!("{}{of_median}", i18n::number(p.months_per_tutor, 1)));
                        });
                        row.col(|ui| number_cell(ui, &i18n::number(p.months_per_doctor, 1)));
                        row.col(|ui| number_cell(ui, &i18n::number(p.trainee_months, 1)));
                        row.col(|ui| number_cell(ui, &p.tutors.to_string()));
                        row.col(|ui| number_cell(ui, &p.doctors.to_string()));
                        row.col(|ui| {
                            if let Some(last) = &p.last_placement {
                                ui.label(format!("{} {}", lang.kind(last.kind), i18n::date(last.start)));
                            }
                        });
                        row.col(|ui| {
                            ui.label(&p.municipality);
                        });
                        for k in TraineeType::ALL {
                            let months = p.by_type.get(k.key()).copied().unwrap_or(0.0);
                            row.col(|ui| number_cell(ui, &i18n::number(months, 1)));
                        }
                        if row.response().clicked() {
                            clicked = Some(p.practice_id.clone());
                        }
                    });
                });
        });
        if let Some(id) = clicked {
            state.selection = Selection::Practice(id.clone());
            self.selected = Some(id);
        }
    }

    fn over_time_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, review: &FairnessReview) {
        let lang = state.lang;
        egui::ScrollArea::vertical().id_salt("fairness_over_time").auto_shrink([false, false]).show(ui, |ui| {
            ui.strong(lang.t("Pr. år i perioden", "Per year of the period"));
            egui::Grid::new("fairness_years").striped(true).num_columns(5).show(ui, |ui| {
                for title in [
                    lang.t("År", "Year"),
                    lang.t("Måneder", "Months"),
                    lang.t("Gini", "Gini"),
                    lang.t("Andel i truede områder", "Share in threatened areas"),
                    lang.t("Andel af tutorer dér", "Share of tutors there"),
                ] {
                    ui.strong(title);
                }
                ui.end_row();
                for y in &review.years {
                    ui.label(y.year.to_string());
                    ui.label(i18n::number(y.trainee_months, 1));
                    ui.label(i18n::number(y.gini_months_per_tutor, 2));
                    ui.label(pct(y.threatened_share, 1));
                    ui.label(pct(review.threatened_tutor_share, 1));
                    ui.end_row();
                }
            });
            ui.separator();
            self.compare_ui(ui, state);
        });
    }

    fn compare_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        let lang = state.lang;
        if self.a_from.is_empty() {
            let year = state.today.year();
            (self.a_from, self.a_to) = (format!("{year}-01"), format!("{year}-12"));
            (self.b_from, self.b_to) = (format!("{}-01", year - 1), format!("{}-12", year - 1));
        }
        ui.strong(lang.t("Sammenlign to perioder", "Compare two periods"));
        for (name, from, to) in [
            (lang.t("Periode A", "Period A"), &mut self.a_from, &mut self.a_to),
            (lang.t("Periode B", "Period B"), &mut self.b_from, &mut self.b_to),
        ] {
            ui.horizontal(|ui| {
                ui.label(name);
                let l = ui.label(lang.t("fra", "from"));
                ui.add(egui::TextEdit::singleline(from).desired_width(64.0)).labelled_by(l.id);
                let l = ui.label(lang.t("til", "to"));
                ui.add(egui::TextEdit::singleline(to).desired_width(64.0)).labelled_by(l.id);
            });
        }
        let a = state.month_range(&self.a_from, &self.a_to);
        let b = state.month_range(&self.b_from, &self.b_to);
        let (a, b) = match (a, b) {
            (Ok(a), Ok(b)) => (Period::of_months(a.0, a.1), Period::of_months(b.0, b.1)),
            (Err(e), _) | (_, Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
        };
        let stale = self.compared.as_ref().is_none_or(|c| c.0 != state.data_version || c.1 != a || c.2 != b);
        if stale {
            let ha = fairness_review(&state.data, a, state.today).headline();
            let hb = fairness_review(&state.data, b, state.today).headline();
            self.compared = Some((state.data_version, a, b, ha, hb));
        }
        let Some((_, _, _, ha, hb)) = &self.compared else { return };
        let count = |h: &Headline, k: FlagKind| h.flagged.get(&k).copied().unwrap_or(0) as f64;
        type Figure = (&'static str, f64, f64, usize, bool);
        let figures: Vec<Figure> = vec![
            (lang.t("Uddannelsesmåneder", "Trainee months"), ha.trainee_months, hb.trainee_months, 1, false),
            (
                lang.t("Gini for måneder pr. tutor", "Gini of months per tutor"),
                ha.gini_months_per_tutor,
                hb.gini_months_per_tutor,
                2,
                false,
            ),
            (
                lang.t("Median, måneder pr. tutor", "Median months per tutor"),
                ha.median_months_per_tutor,
                hb.median_months_per_tutor,
                1,
                false,
            ),
            (
                lang.t("Andel i lægedækningstruede områder", "Share in threatened areas"),
                ha.threatened_share,
                hb.threatened_share,
                1,
                true,
            ),
            (
                lang.t("Andel af tutorer dér", "Share of tutors there"),
                ha.threatened_tutor_share,
                hb.threatened_tutor_share,
                1,
                true,
            ),
            (
                flag_name(FlagKind::RefusesTypes, lang),
                count(ha, FlagKind::RefusesTypes),
                count(hb, FlagKind::RefusesTypes),
                0,
                false,
            ),
            (
                flag_name(FlagKind::RunsOnTrainees, lang),
                count(ha, FlagKind::RunsOnTrainees),
                count(hb, FlagKind::RunsOnTrainees),
                0,
                false,
            ),
            (flag_name(FlagKind::Idle, lang), count(ha, FlagKind::Idle), count(hb, FlagKind::Idle), 0, false),
        ];
        egui::Grid::new("fairness_compare").striped(true).num_columns(4).show(ui, |ui| {
            ui.strong("");
            ui.strong(lang.t("A", "A"));
            ui.strong(lang.t("B", "B"));
            ui.strong(lang.t("A − B", "A − B"));
            ui.end_row();
            for (name, va, vb, decimals, share) in figures {
                let show = |v: f64| if share { pct(v, decimals) } else { i18n::number(v, decimals) };
                let diff = va - vb;
                let sign = if diff > 0.0 { "+" } else { "" };
                ui.label(name);
                ui.label(show(va));
                ui.label(show(vb));
                ui.label(if share {
                    format!(
                        "{sign}{} {}",
                        i18n::number(diff * 100.0, decimals),
                        lang.t("procentpoint", "percentage points")
                    )
                } else {
                    format!("{sign}{}", show(diff))
                });
                ui.end_row();
            }
        });
    }
}

/// Orders two practices by `key`, in ascending order.
fn compare(key: SortKey, a: &PracticeFairness, b: &PracticeFairness) -> Ordering {
    match key {
        SortKey::Id => a.practice_id.cmp(&b.practice_id),
        SortKey::Name => crate::report::format::collate(&a.name, &b.name),
        SortKey::Flags => {
            let rank = |p: &PracticeFairness| {
                // More flags rank higher; then P6, idle and P3 by what each flag asks of a reviewer.
                let weight = |k: FlagKind| match k {
                    FlagKind::RunsOnTrainees => 4,
                    FlagKind::Idle => 2,
                    FlagKind::RefusesTypes => 1,
                };
                (p.flags.len(), p.flags.iter().map(|f| weight(f.kind())).sum::<u32>())
            };
            rank(a).cmp(&rank(b))
        }
        SortKey::PerTutor => a.months_per_tutor.total_cmp(&b.months_per_tutor),
        SortKey::PerDoctor => a.months_per_doctor.total_cmp(&b.months_per_doctor),
        SortKey::Months => a.trainee_months.total_cmp(&b.trainee_months),
        SortKey::Tutors => a.tutors.cmp(&b.tutors),
        SortKey::Doctors => a.doctors.cmp(&b.doctors),
        SortKey::Last => a.last_placement.as_ref().map(|l| l.start).cmp(&b.last_placement.as_ref().map(|l| l.start)),
        SortKey::Municipality => a.municipality.cmp(&b.municipality),
        SortKey::Type(k) => {
            let m = |p: &PracticeFairness| p.by_type.get(k.key()).copied().unwrap_or(0.0);
            m(a).total_cmp(&m(b))
        }
    }
}

fn number_cell(ui: &mut egui::Ui, text: &str) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.label(text);
    });
}

/// The region's figures, each beside its baseline.
fn headline_ui(ui: &mut egui::Ui, lang: Lang, review: &FairnessReview) {
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{}: {} ({})",
            lang.t("Gini for måneder pr. tutor", "Gini of months per tutor"),
            i18n::number(review.gini_months_per_tutor, 2),
            lang.t("0 = helt jævnt", "0 = perfectly even")
        ));
        ui.weak(format!(
            "{} {} {}",
            lang.t("median", "median"),
            i18n::number(review.median_months_per_tutor, 1),
            lang.t("mdr. pr. tutor", "months per tutor")
        ));
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{}: {} {}",
            lang.t("Lægedækningstruede områder (P5)", "Threatened areas (P5)"),
            pct(review.threatened_share, 1),
            lang.t("af månederne", "of the months")
        ));
        ui.weak(format!(
            "{} {}",
            pct(review.threatened_tutor_share, 1),
            lang.t("af regionens tutorer arbejder dér", "of the region's tutors work there")
        ));
    });
    let counts = review.flag_counts();
    ui.horizontal_wrapped(|ui| {
        let parts: Vec<String> = FlagKind::ALL
            .iter()
            .map(|&kind| format!("{}: {}", flag_name(kind, lang), counts.get(&kind).copied().unwrap_or(0)))
            .collect();
        ui.label(format!(
            "{} {} {}: {}",
            lang.t("Markeret af", "Flagged of"),
            review.practices.len(),
            lang.t("praksisser", "practices"),
            parts.join(" · ")
        ));
    });
}

/// The selected practice: why it is flagged, its figures beside the region's, and its timeline.
fn detail_ui(ui: &mut egui::Ui, state: &mut AppState, review: &FairnessReview, line: &PracticeFairness) {
    let lang = state.lang;
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("{} ({})", line.name, line.practice_id));
        if ui.button(lang.t("Vis på kortet", "Show on the map")).clicked() {
            state.show_on_map(&line.practice_id);
        }
    });
    ui.label(format!(
        "{} · {} · {} · {}: {} · {}: {} · {}",
        line.municipality,
        line.district.map_or("", |d| lang.district(d)),
        line.hospital_unit.as_deref().unwrap_or(""),
        lang.t("tutorer", "tutors"),
        line.tutors,
        lang.t("læger", "doctors"),
        line.doctors,
        if line.threatened {
            lang.t("lægedækningstruet område", "threatened area")
        } else {
            lang.t("ikke lægedækningstruet", "not a threatened area")
        }
    ));
    ui.strong(lang.t("Hvorfor markeret", "Why flagged"));
    if line.flags.is_empty() {
        ui.label(lang.t("Ikke markeret i perioden.", "Not flagged in the period."));
    }
    for flag in &line.flags {
        ui.colored_label(ui.visuals().warn_fg_color, flag_reason(flag, lang));
    }
    ui.strong(lang.t("Mod regionen", "Against the region"));
    let median = review.median_months_per_tutor;
    ui.label(format!(
        "{}: {} · {}: {}{}",
        lang.t("Måneder pr. tutor (P1)", "Months per tutor (P1)"),
        i18n::number(line.months_per_tutor, 1),
        lang.t("regionens median", "the region's median"),
        i18n::number(median, 1),
        if median > 0.0 { format!(" ({})", pct(line.months_per_tutor / median, 0)) } else { String::new() }
    ));
    ui.label(format!(
        "{}: {} · {}: {}",
        lang.t("Måneder pr. læge", "Months per doctor"),
        i18n::number(line.months_per_doctor, 1),
        lang.t("måneder i alt", "months in all"),
        i18n::number(line.trainee_months, 1)
    ));
    if !line.has(FlagKind::RunsOnTrainees) {
        ui.label(p6_reason(&line.p6, &review.p6_thresholds, lang));
    }
    let shares = line.general_type_shares();
    let mix: Vec<String> =
        TraineeType::GENERAL.iter().zip(shares).map(|(k, s)| format!("{} {}", lang.kind(*k), pct(s, 0))).collect();
    ui.label(format!(
        "{}: {} · {}: {} {}",
        lang.t("Typeblanding (P2)", "Type mix (P2)"),
        mix.join(", "),
        lang.t("jævn blanding", "an even mix"),
        pct(EVEN_TYPE_SHARE, 0),
        lang.t("hver", "each")
    ));
    if let Some(practice) = state.data.practice(&line.practice_id).cloned() {
        timeline_ui(ui, state, &practice);
    }
}

/// The four plots with their baselines: P1's spread with the median, P2's mix with an even mix,
/// the Gini per year, and P5's share per year with the share of tutors in threatened areas.
fn plots_ui(ui: &mut egui::Ui, lang: Lang, review: &FairnessReview) {
    // Each plot has at least the room its axes need; a short window scrolls rather than
    // squeezing the ticks away.
    let height = ((ui.available_height() - 70.0) / 2.0).clamp(150.0, 340.0);
    egui::ScrollArea::vertical().id_salt("fairness_plots").auto_shrink([false, false]).show(ui, |ui| {
        ui.columns(2, |cols| {
            months_per_tutor_plot(&mut cols[0], lang, review, height);
            type_mix_plot(&mut cols[1], lang, review, height);
            gini_plot(&mut cols[0], lang, review, height);
            threatened_plot(&mut cols[1], lang, review, height);
        });
    });
}

fn baseline_colour() -> Color32 {
    Color32::from_rgb(200, 40, 40)
}

fn months_per_tutor_plot(ui: &mut egui::Ui, lang: Lang, review: &FairnessReview, height: f32) {
    ui.label(RichText::new(lang.t("Måneder pr. tutor (P1)", "Months per tutor (P1)")).strong());
    let max = review.practices.iter().map(|p| p.months_per_tutor).fold(0.0, f64::max);
    let bin = (max / 20.0).max(0.5);
    let mut counts = [0u32; 21];
    for p in &review.practices {
        let i = ((p.months_per_tutor / bin) as usize).min(20);
        counts[i] += 1;
    }
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Bar::new(i as f64 * bin + bin / 2.0, f64::from(*c)).width(bin * 0.9).fill(kind_colour(TraineeType::Kbu))
        })
        .collect();
    let median = review.median_months_per_tutor;
    let median_name = format!("{} {}", lang.t("median", "median"), i18n::number(median, 1));
    Plot::new("months_per_tutor")
        .label_formatter(hover_text)
        .height(height)
        .allow_scroll(false)
        .allow_drag(false)
        .legend(Legend::default().position(Corner::LeftTop))
        .include_y(f64::from(counts.iter().copied().max().unwrap_or(1)) * 1.25)
        .include_x(0.0)
        .include_x(bin * 21.0)
        .x_grid_spacer(nice_spacer(40.0, false))
        .y_grid_spacer(nice_spacer(26.0, true))
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label(lang.t("måneder pr. tutor", "months per tutor"))
                .label_spacing(LABEL_SPACING)
                .formatter(|mark, _| i18n::number(mark.value, decimals(mark.step_size))),
        ])
        .custom_y_axes(vec![y_axis(lang.t("praksisser", "practices"))])
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new(lang.t("praksisser", "practices"), bars)
                    .color(kind_colour(TraineeType::Kbu))
                    .element_formatter(Box::new(|bar, _| i18n::number(bar.value, 0))),
            );
            plot.vline(
                VLine::new(median_name, median).color(baseline_colour()).style(LineStyle::dashed_dense()).width(2.0),
            );
        });
}

fn type_mix_plot(ui: &mut egui::Ui, lang: Lang, review: &FairnessReview, height: f32) {
    ui.label(RichText::new(lang.t("Typeblanding i regionen (P2)", "Type mix in the region (P2)")).strong());
    let months = review.months_by_type();
    let bars: Vec<Bar> = TraineeType::ALL
        .iter()
        .zip(months)
        .enumerate()
        .map(|(i, (k, m))| Bar::new(i as f64, m).name(lang.kind(*k)).fill(kind_colour(*k)).width(0.7))
        .collect();
    let general: f64 =
        TraineeType::ALL.iter().zip(months).filter(|(k, _)| **k != TraineeType::Other).map(|(_, m)| m).sum();
    // Short names fit under narrow bars; a bar's hover text has the full name.
    let names: Vec<&'static str> = TraineeType::ALL
        .iter()
        .map(|k| match k {
            TraineeType::Kbu => "KBU",
            TraineeType::Intro => "Intro",
            TraineeType::Phase1 => lang.t("F1", "Ph1"),
            TraineeType::Phase2 => lang.t("F2", "Ph2"),
            TraineeType::Phase3 => lang.t("F3", "Ph3"),
            TraineeType::Other => lang.t("Andre", "Other"),
        })
        .collect();
    // Every bar is named under it, in a small font so that six names fit a narrow plot.
    let x_axis = AxisHints::new_x()
        .label(lang.t("type", "type"))
        .label_spacing(LABEL_SPACING)
        .tick_label_font(egui::FontId::proportional(11.0))
        .formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).copied().unwrap_or("").to_string()
            } else {
                String::new()
            }
        });
    Plot::new("type_mix")
        .label_formatter(hover_text)
        .height(height)
        .include_x(-0.6)
        .include_x(5.6)
        .custom_x_axes(vec![x_axis])
        .x_grid_spacer(uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
        .include_y(months.iter().copied().fold(0.0, f64::max) * 1.5)
        .y_grid_spacer(nice_spacer(26.0, false))
        .allow_scroll(false)
        .allow_drag(false)
        .legend(Legend::default().position(Corner::RightTop))
        .custom_y_axes(vec![y_axis(lang.t("måneder", "months"))])
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new(lang.t("måneder", "months"), bars)
                    .color(Color32::GRAY)
                    .element_formatter(Box::new(|bar, _| format!("{}\n{}", bar.name, i18n::number(bar.value, 1)))),
            );
            plot.hline(
                HLine::new(lang.t("jævn blanding", "even mix"), general * EVEN_TYPE_SHARE)
                    .color(baseline_colour())
                    .style(LineStyle::dashed_dense())
                    .width(2.0),
            );
        });
}

/// A y axis named `name`, its numbers in Danish form; with [`nice_spacer`] every tick is named.
fn y_axis(name: &'static str) -> AxisHints<'static> {
    AxisHints::new_y()
        .label(name)
        .label_spacing(LABEL_SPACING)
        .formatter(|mark, _| i18n::number(mark.value, decimals(mark.step_size)))
}

/// egui_plot's grid spacing: the smallest grid step is `GRID_MIN_PX` points apart.
const GRID_MIN_PX: f32 = 8.0;
/// Labels fade in between these distances; [`nice_spacer`] keeps ticks farther apart, so every
/// tick it makes is named.
const LABEL_SPACING: std::ops::RangeInclusive<f32> = 9.0..=10.0;

/// The smallest step of 1, 2 or 5 times a power of ten that is at least `at_least`.
pub fn nice_step(at_least: f64) -> f64 {
    if !at_least.is_finite() || at_least <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(at_least.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= at_least * (1.0 - 1e-9)).unwrap_or(10.0 * power)
}

/// Ticks `min_px` points apart or more, at steps of 1, 2 or 5 times a power of ten (whole
/// numbers only when `whole`): fewer ticks on a small plot, never none, each with room for its
/// label.
fn nice_spacer(min_px: f32, whole: bool) -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    uniform_grid_spacer(move |input| {
        let per_point = input.base_step_size / f64::from(GRID_MIN_PX);
        let mut step = nice_step(per_point * f64::from(min_px));
        if whole {
            step = step.max(1.0);
        }
        [step, step * 5.0, step * 10.0]
    })
}

/// The decimals a tick of `step` needs.
fn decimals(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else if step >= 0.1 {
        1
    } else {
        2
    }
}

/// A plot's hover text with Danish numbers ("8.532,5", not "8532.5"): the nearest point's series,
/// x and y; nothing away from the data.
fn hover_text(pos: &egui_plot::HoverPosition<'_>) -> Option<String> {
    match pos {
        egui_plot::HoverPosition::NearDataPoint { plot_name, position, .. } => {
            Some(format!("{plot_name}\n{}: {}", i18n::number(position.x, 0), i18n::number(position.y, 2)))
        }
        egui_plot::HoverPosition::Elsewhere { .. } => None,
    }
}

/// An x axis of whole years, labelled at every tick of [`nice_spacer`] (each year where there is
/// room, every second or fifth where there is not).
fn year_axis(lang: Lang) -> AxisHints<'static> {
    AxisHints::new_x()
        .label(lang.t("år", "year"))
        .label_spacing(LABEL_SPACING)
        .formatter(|mark, _| year_label(mark.value))
}

/// A year tick's label: the year, or nothing between years.
pub fn year_label(value: f64) -> String {
    let year = value.round();
    if (value - year).abs() < 1e-6 { format!("{year:.0}") } else { String::new() }
}

/// The first and last year of a time plot's points (this year when there are none).
fn year_range(points: &[[f64; 2]]) -> (f64, f64) {
    let first = points.iter().map(|p| p[0]).fold(f64::INFINITY, f64::min);
    let last = points.iter().map(|p| p[0]).fold(f64::NEG_INFINITY, f64::max);
    if first.is_finite() { (first, last) } else { (2026.0, 2026.0) }
}

fn gini_plot(ui: &mut egui::Ui, lang: Lang, review: &FairnessReview, height: f32) {
    ui.label(RichText::new(lang.t("Gini pr. år (0 = helt jævnt)", "Gini per year (0 = perfectly even)")).strong());
    let points: Vec<[f64; 2]> = review.gini_by_year.iter().map(|(y, g)| [f64::from(*y), *g]).collect();
    let (first_year, last_year) = year_range(&points);
    Plot::new("gini_by_year")
        .label_formatter(hover_text)
        .height(height)
        .allow_scroll(false)
        .allow_drag(false)
        .include_y(0.0)
        .include_y(0.5)
        .include_x(first_year - 0.4)
        .include_x(last_year + 0.4)
        .x_grid_spacer(nice_spacer(44.0, true))
        .y_grid_spacer(nice_spacer(26.0, false))
        .custom_x_axes(vec![year_axis(lang)])
        .custom_y_axes(vec![y_axis(lang.t("Gini for måneder pr. tutor", "Gini of months per tutor"))])
        .show(ui, |plot| {
            let colour = kind_colour(TraineeType::Kbu);
            plot.line(Line::new("Gini", PlotPoints::from(points.clone())).width(2.0).color(colour));
            plot.points(Points::new("Gini", PlotPoints::from(points)).radius(3.0).color(colour));
        });
}

fn threatened_plot(ui: &mut egui::Ui, lang: Lang, review: &FairnessReview, height: f32) {
    ui.label(
        RichText::new(lang.t("Andel i lægedækningstruede områder (P5)", "Share in threatened areas (P5)")).strong(),
    );
    let points: Vec<[f64; 2]> =
        review.threatened_share_by_year.iter().map(|(y, s)| [f64::from(*y), s * 100.0]).collect();
    let base = review.threatened_tutor_share * 100.0;
    let max_share = points.iter().map(|p| p[1]).fold(0.0, f64::max);
    let share_name = lang.t("andel af månederne", "share of the months");
    let (first_year, last_year) = year_range(&points);
    Plot::new("threatened_by_year")
        .label_formatter(hover_text)
        .height(height)
        .allow_scroll(false)
        .allow_drag(false)
        .include_y(0.0)
        .include_y((base.max(max_share) * 1.6).max(1.0))
        .include_x(first_year - 0.4)
        .include_x(last_year + 0.4)
        .legend(Legend::default().position(Corner::RightBottom))
        .x_grid_spacer(nice_spacer(44.0, true))
        .y_grid_spacer(nice_spacer(26.0, false))
        .custom_x_axes(vec![year_axis(lang)])
        .custom_y_axes(vec![y_axis(lang.t("% af uddannelsesmånederne", "% of the trainee months"))])
        .show(ui, |plot| {
            let colour = kind_colour(TraineeType::Intro);
            plot.line(Line::new(share_name, PlotPoints::from(points.clone())).width(2.0).color(colour));
            plot.points(Points::new(share_name, PlotPoints::from(points)).radius(3.0).color(colour));
            plot.hline(
                HLine::new(
                    format!(
                        "{} {}",
                        lang.t("andel af tutorer dér:", "share of tutors there:"),
                        pct(review.threatened_tutor_share, 1)
                    ),
                    base,
                )
                .color(baseline_colour())
                .style(LineStyle::dashed_dense())
                .width(2.0),
            );
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_filter_and_sort_keys_have_a_name_in_each_language() {
        for f in [FlagFilter::All, FlagFilter::AnyFlag, FlagFilter::Only(FlagKind::Idle), FlagFilter::NoFlag] {
            assert_ne!(flag_filter_name(f, Lang::Danish), flag_filter_name(f, Lang::English));
        }
        assert_eq!(
            flag_filter_name(FlagFilter::Only(FlagKind::RunsOnTrainees), Lang::Danish),
            "P6 drives af uddannelseslæger"
        );
    }
}
