//! The Finance tab for HR: the co-financing split of a period (`domain::finance`), per practice,
//! per district and for the region; the lines of the selected practice; one notice where lines
//! fall on days with no rate; the salary scale and pension with their dated rows (HR adds a row
//! here or with `settings set`); statements as PDF on a background thread; CSV export.
//!
//! The tab holds only sums (a `FinanceRun`) and the lines of the selected practice: the lines of
//! the region are streamed, never kept (`domain::finance::stream`).

use std::path::PathBuf;

use chrono::Datelike;
use egui_extras::{Column, TableBuilder};

use crate::domain::dates::{YearMonth, danish, parse_date};
use crate::domain::finance::{
    FinanceLine, FinanceRun, Totals, danish_count, finance_lines, finance_run, net_for_practice,
};

use super::files::FilePurpose;
use super::job::{Job, job_ui};
use super::state::{AppState, Selection};

/// The sums of a period, for the data version they were computed on.
struct Computed {
    version: u64,
    from: YearMonth,
    to: YearMonth,
    run: FinanceRun,
}

/// The lines of one practice over the same period.
struct PracticeLines {
    version: u64,
    from: YearMonth,
    to: YearMonth,
    practice_id: String,
    lines: Vec<FinanceLine>,
}

/// The form that adds a dated row to the salary scale or the pension.
#[derive(Default)]
struct RateForm {
    /// `salary.<step>` or `pension`.
    key: String,
    from: String,
    value: String,
    source: String,
}

/// The finance tab's view state.
#[derive(Default)]
pub struct FinancePanel {
    from: String,
    to: String,
    computed: Option<Computed>,
    selected: Option<PracticeLines>,
    error: Option<String>,
    printing: Option<Job<usize>>,
    /// The folder the running job writes into, for the status when it is done.
    printing_into: Option<PathBuf>,
    form: RateForm,
}

pub use crate::ops::money::{export_csv, print_statements};

impl FinancePanel {
    /// The computed period, if the fields hold one (tests read the totals through this).
    pub fn totals(&self) -> Option<&Totals> {
        self.computed.as_ref().map(|c| &c.run.summary.totals)
    }

    /// The sums, line count and gaps of the computed period.
    pub fn run(&self) -> Option<&FinanceRun> {
        self.computed.as_ref().map(|c| &c.run)
    }

    /// The lines the tab holds: those of the selected practice only.
    pub fn held_lines(&self) -> &[FinanceLine] {
        self.selected.as_ref().map_or(&[], |s| s.lines.as_slice())
    }

    fn months(&mut self, state: &AppState) -> Option<(YearMonth, YearMonth)> {
        if self.from.is_empty() {
            self.from = format!("{}-01", state.today.year());
            self.to = format!("{}-12", state.today.year());
        }
        match state.month_range(&self.from, &self.to) {
            Ok((f, t)) => {
                self.error = None;
                Some((f, t))
            }
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }

    /// Recomputes the sums when the data or the period changed, and the selected practice's lines
    /// when the selection changed too.
    fn refresh(&mut self, state: &AppState, from: YearMonth, to: YearMonth) {
        let version = state.data_version;
        if self.computed.as_ref().is_none_or(|c| c.version != version || c.from != from || c.to != to) {
            self.computed = Some(Computed { version, from, to, run: finance_run(&state.data, from, to, None) });
        }
        let wanted = match &state.selection {
            Selection::Practice(id) => Some(id.as_str()),
            _ => None,
        };
        match wanted {
            None => self.selected = None,
            Some(id) => {
                let stale = self
                    .selected
                    .as_ref()
                    .is_none_or(|s| s.version != version || s.from != from || s.to != to || s.practice_id != id);
                if stale {
                    self.selected = Some(PracticeLines {
                        version,
                        from,
                        to,
                        practice_id: id.to_string(),
                        lines: finance_lines(&state.data, from, to, Some(id)),
                    });
                }
            }
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        // Wrapped, so that at 1024 px "Til måned" moves to a second line rather than off the edge.
        ui.horizontal_wrapped(|ui| {
            ui.heading(state.t("Økonomi: medfinansiering", "Finance: co-financing"));
            let l = ui.label(state.t("Fra måned (åååå-mm)", "From month (yyyy-mm)"));
            ui.add(egui::TextEdit::singleline(&mut self.from).desired_width(70.0)).labelled_by(l.id);
            let l = ui.label(state.t("Til måned (åååå-mm)", "To month (yyyy-mm)"));
            ui.add(egui::TextEdit::singleline(&mut self.to).desired_width(70.0)).labelled_by(l.id);
        });
        let Some((from, to)) = self.months(state) else {
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            return;
        };
        self.refresh(state, from, to);
        self.actions_ui(ui, state, from, to);
        let Some(computed) = &self.computed else { return };
        let run = &computed.run;
        gaps_notice(ui, state, run);

        ui.horizontal_wrapped(|ui| {
            ui.strong(state.t("Regionen i alt:", "Region total:"));
            totals_label(ui, state, &run.summary.totals);
        });
        for (district, totals) in &run.summary.per_district {
            ui.horizontal_wrapped(|ui| {
                let name = district.map_or(state.t("ukendt", "unknown"), |d| state.lang.district(d));
                ui.label(format!("{} {name}:", state.t("Distrikt", "District")));
                totals_label(ui, state, totals);
            });
        }
        ui.label(format!(
            "{} {}",
            danish_count(run.lines),
            state.t("linjer (uddannelseslæge × praksis × måned)", "lines (trainee × practice × month)")
        ));
        if let Some(sel) = &self.selected {
            practice_lines_ui(ui, state, sel);
        }
        self.rates_ui(ui, state);
        ui.separator();
        let mut pick = None;
        let Some(computed) = &self.computed else { return };
        let rows: Vec<(&String, &Totals)> = computed.run.summary.per_practice.iter().collect();
        // The table scrolls sideways when the tab is narrower than its columns (1280 px with both
        // side panels open), so the last column, "Netto for praksis", can always be reached.
        // A solid bar, visible without hovering: the table is wider than the tab at 1280 px.
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        egui::ScrollArea::horizontal()
            .id_salt("finance_table_scroll")
            .auto_shrink([false, false])
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
            .show(ui, |ui| {
                // Room below the rows for the sideways scroll bar.
                let height = (ui.available_height() - 44.0).max(120.0);
                TableBuilder::new(ui)
                    .id_salt("finance_table")
                    .max_scroll_height(height)
                    .striped(true)
                    .resizable(true)
                    .column(Column::initial(70.0).at_least(60.0))
                    .column(Column::initial(170.0).at_least(80.0).clip(true))
                    .columns(Column::initial(110.0).at_least(90.0), 4)
                    .column(Column::initial(130.0).at_least(110.0))
                    .header(22.0, |mut h| {
                        for title in [
                            state.t("Praksis", "Practice"),
                            state.t("Navn", "Name"),
                            state.t("Lønbasis", "Salary basis"),
                            state.t("Praksis betaler", "Practice pays"),
                            state.t("Region betaler", "Region pays"),
                            state.t("Honorar", "Honorarium"),
                            state.t("Netto for praksis", "Net for practice"),
                        ] {
                            h.col(|ui| {
                                ui.strong(title);
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(20.0, rows.len(), |mut row| {
                            let (id, t) = rows[row.index()];
                            row.col(|ui| {
                                if ui.link(id.as_str()).clicked() {
                                    pick = Some(id.clone());
                                }
                            });
                            row.col(|ui| {
                                ui.label(state.data.practice(id).map(|p| p.name.as_str()).unwrap_or(""));
                            });
                            for amount in [t.basis, t.practice_share, t.region_share, t.honorarium, net_for_practice(t)]
                            {
                                row.col(|ui| {
                                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                        ui.label(amount.to_danish());
                                    });
                                });
                            }
                        });
                    });
            });
        if let Some(id) = pick {
            state.selection = Selection::Practice(id);
        }
    }

    /// The salary scale and the pension with their dated rows and sources, and a form that adds
    /// a row from a date (the same command as `settings set KEY VALUE --from DATE`).
    fn rates_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        egui::CollapsingHeader::new(state.t("Lønskala og pension", "Salary scale and pension"))
            .id_salt("finance_rates")
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    let f = &mut self.form;
                    let l = ui.label(state.t("Sats (salary.<trin> eller pension)", "Rate (salary.<step> or pension)"));
                    ui.add(egui::TextEdit::singleline(&mut f.key).desired_width(140.0)).labelled_by(l.id);
                    let l = ui.label(state.t("Gælder fra (åååå-mm-dd)", "Valid from (yyyy-mm-dd)"));
                    ui.add(egui::TextEdit::singleline(&mut f.from).desired_width(90.0)).labelled_by(l.id);
                    let l = ui.label(state.t("Beløb eller procent", "Amount or percent"));
                    ui.add(egui::TextEdit::singleline(&mut f.value).desired_width(80.0)).labelled_by(l.id);
                    let l = ui.label(state.t("Kilde", "Source"));
                    ui.add(egui::TextEdit::singleline(&mut f.source).desired_width(200.0)).labelled_by(l.id);
                    if ui.button(state.t("Tilføj sats", "Add rate")).clicked() {
                        self.add_rate(state);
                    }
                });
                let width = ui.available_width();
                egui::ScrollArea::vertical().id_salt("finance_rates_rows").max_height(180.0).show(ui, |ui| {
                    // The source, the long column, wraps within what is left of the panel.
                    egui::Grid::new("finance_rates_grid").striped(true).max_col_width((width - 330.0).max(200.0)).show(
                        ui,
                        |ui| {
                            for title in [
                                state.t("Sats", "Rate"),
                                state.t("Fra", "From"),
                                state.t("Beløb", "Amount"),
                                state.t("Kilde", "Source"),
                            ] {
                                ui.strong(title);
                            }
                            ui.end_row();
                            for row in &state.data.settings.salary_scale {
                                ui.label(format!("salary.{}", row.step));
                                ui.label(danish(row.valid_from));
                                ui.label(row.monthly.to_danish_kr());
                                ui.add(egui::Label::new(&row.source).wrap());
                                ui.end_row();
                            }
                            for row in &state.data.settings.pension {
                                ui.label("pension");
                                ui.label(danish(row.valid_from));
                                ui.label(format!(
                                    "{} %",
                                    crate::domain::money::Money(row.basis_points).to_csv_string()
                                ));
                                ui.add(egui::Label::new(&row.source).wrap());
                                ui.end_row();
                            }
                        },
                    );
                });
            });
    }

    fn add_rate(&mut self, state: &mut AppState) {
        let f = &self.form;
        let key = f.key.trim();
        if !(key.starts_with("salary.") || key == "pension") {
            state.error = Some(state.t("Vælg salary.<trin> eller pension", "Choose salary.<step> or pension").into());
            return;
        }
        let from = match parse_date(f.from.trim()) {
            Ok(d) => d,
            Err(e) => {
                state.error = Some(format!("{}: {e}", state.t("Gælder fra", "Valid from")));
                return;
            }
        };
        let source = if f.source.trim().is_empty() {
            format!("{} {}", state.t("indtastet i programmet", "entered in the program"), state.today)
        } else {
            f.source.trim().to_string()
        };
        let Some(store) = &state.store else { return };
        match crate::ops::settings::command_with_source(store, key, f.value.trim(), Some(from), &source) {
            Ok(cmd) => {
                if state.execute(&cmd) {
                    self.form = RateForm::default();
                }
            }
            Err(e) => state.error = Some(e.to_string()),
        }
    }

    fn actions_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, from: YearMonth, to: YearMonth) {
        ui.horizontal_wrapped(|ui| {
            if let Some(job) = &mut self.printing {
                state.busy = Some(job.title.clone());
                if let Some(result) = job_ui(ui, job, state.t("Annullér", "Cancel")) {
                    self.printing = None;
                    state.busy = None;
                    match result {
                        Ok(n) => {
                            let dir = self.printing_into.take().unwrap_or_default();
                            state.status = format!(
                                "{n} {} {}",
                                state.t("opgørelser skrevet i", "statements written into"),
                                dir.display()
                            );
                            state.files.wrote_into(&dir, &state.status);
                        }
                        Err(e) => {
                            state.status = format!("{}: {e:#}", state.t("Opgørelser stoppet", "Statements stopped"))
                        }
                    }
                }
            } else if ui.button(state.t("Udskriv opgørelser…", "Print statements…")).clicked() {
                state.ask_file(FilePurpose::PrintStatements, None);
            }
            if ui.button(state.t("Eksportér CSV…", "Export CSV…")).clicked() {
                state.ask_file(FilePurpose::FinanceCsv, Some(format!("finance-{from}-{to}.csv")));
            }
        });
        if self.printing.is_none()
            && let Some(dir) = state.files.take_one(FilePurpose::PrintStatements)
        {
            self.start_printing(ui.ctx(), state, from, to, dir);
        }
        if let Some(path) = state.files.take_one(FilePurpose::FinanceCsv) {
            match export_csv(&state.data, from, to, &path) {
                Ok(()) => {
                    state.status = format!("{} {}", state.t("Skrev", "Wrote"), path.display());
                    if let Some(folder) = path.parent() {
                        state.files.wrote_into(folder, &state.status);
                    }
                }
                Err(e) => state.error = Some(format!("{e:#}")),
            }
        }
    }

    /// Starts writing statements into `dir` on a background thread.
    pub fn start_printing(
        &mut self,
        ctx: &egui::Context,
        state: &mut AppState,
        from: YearMonth,
        to: YearMonth,
        dir: PathBuf,
    ) {
        let data = state.data.clone();
        let today = state.today;
        let title = state.t("Udskriver opgørelser", "Printing statements").to_string();
        self.printing_into = Some(dir.clone());
        match Job::spawn("statements", title, Some(ctx.clone()), move |progress| {
            print_statements(&data, from, to, today, &dir, &mut |f| progress.report(f))
        }) {
            Ok(job) => self.printing = Some(job),
            Err(e) => state.error = Some(format!("{e:#}")),
        }
    }
}

/// The one notice for lines that fall on days with no rate: per setting, how many lines and
/// trainees and which days, and where to add the rates.
fn gaps_notice(ui: &mut egui::Ui, state: &AppState, run: &FinanceRun) {
    if run.gaps.is_empty() {
        return;
    }
    let english = state.lang == super::i18n::Lang::English;
    egui::Frame::group(ui.style()).fill(ui.visuals().warn_fg_color.gamma_multiply(0.12)).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let head = if english {
            format!(
                "{} of {} lines ({} trainees) fall on days with no rate in force, and carry 0,00 kr. for it:",
                danish_count(run.gap_lines),
                danish_count(run.lines),
                danish_count(run.gap_trainees)
            )
        } else {
            format!(
                "{} af {} linjer ({} uddannelseslæger) falder på dage uden en gældende sats og har 0,00 kr. for den:",
                danish_count(run.gap_lines),
                danish_count(run.lines),
                danish_count(run.gap_trainees)
            )
        };
        ui.colored_label(ui.visuals().warn_fg_color, head);
        for gap in &run.gaps {
            ui.label(format!("• {}", gap.describe(english)));
        }
        ui.label(state.t(
            "Tilføj tidligere satser under \"Lønskala og pension\" nedenfor (eller med tutorfordeling settings set … --from …).",
            "Add earlier rates under \"Salary scale and pension\" below (or with tutorfordeling settings set … --from …).",
        ));
    });
}

/// The lines of the selected practice in the period.
fn practice_lines_ui(ui: &mut egui::Ui, state: &AppState, sel: &PracticeLines) {
    let name = state.data.practice(&sel.practice_id).map_or("", |p| p.name.as_str());
    egui::CollapsingHeader::new(format!(
        "{} {name} ({}): {} {}",
        state.t("Linjer for", "Lines of"),
        sel.practice_id,
        sel.lines.len(),
        state.t("linjer", "lines")
    ))
    .id_salt("finance_practice_lines")
    .show(ui, |ui| {
        egui::ScrollArea::horizontal()
            .id_salt("finance_practice_lines_scroll")
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
            .show(ui, |ui| {
                TableBuilder::new(ui)
                    .id_salt("finance_practice_lines_table")
                    .striped(true)
                    .max_scroll_height(220.0)
                    .column(Column::initial(170.0).clip(true))
                    .column(Column::initial(70.0))
                    .column(Column::initial(60.0))
                    .column(Column::initial(40.0))
                    .columns(Column::initial(95.0).at_least(80.0), 4)
                    .header(20.0, |mut h| {
                        for title in [
                            state.t("Uddannelseslæge", "Trainee"),
                            state.t("Type", "Type"),
                            state.t("Måned", "Month"),
                            state.t("Dage", "Days"),
                            state.t("Lønbasis", "Salary basis"),
                            state.t("Praksis andel", "Practice share"),
                            state.t("Region andel", "Region share"),
                            state.t("Honorar", "Honorarium"),
                        ] {
                            h.col(|ui| {
                                ui.strong(title);
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(18.0, sel.lines.len(), |mut row| {
                            let l = &sel.lines[row.index()];
                            row.col(|ui| {
                                ui.label(&l.trainee_name);
                            });
                            row.col(|ui| {
                                ui.label(state.lang.kind(l.kind));
                            });
                            row.col(|ui| {
                                ui.label(l.month.to_string());
                            });
                            row.col(|ui| {
                                ui.label(l.days.to_string());
                            });
                            for amount in [l.basis, l.practice_share, l.region_share, l.honorarium] {
                                row.col(|ui| {
                                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                        ui.label(amount.to_danish());
                                    });
                                });
                            }
                        });
                    });
            });
    });
}

fn totals_label(ui: &mut egui::Ui, state: &AppState, t: &Totals) {
    ui.label(format!(
        "{} {} · {} {} · {} {} · {} {}",
        state.t("lønbasis", "basis"),
        t.basis.to_danish_kr(),
        state.t("praksis", "practice"),
        t.practice_share.to_danish_kr(),
        state.t("region", "region"),
        t.region_share.to_danish_kr(),
        state.t("honorar", "honorarium"),
        t.honorarium.to_danish_kr()
    ));
}
