//! The Finance tab for HR: the co-financing split of a period (`domain::finance`), per practice,
//! per district and for the region; statements as PDF on a background thread; CSV export.

use std::path::{Path, PathBuf};

use chrono::Datelike;
use egui_extras::{Column, TableBuilder};

use crate::domain::dates::YearMonth;
use crate::domain::finance::{FinanceLine, FinanceSummary, Totals, finance_lines, net_for_practice, summarize, to_csv};
use crate::domain::model::Dataset;
use crate::report::statement::{ReportError, statements_for_all};
use crate::store::outfile::{create_dir, statement_file_names, write_atomic};

use super::job::{Job, job_ui};
use super::state::{AppState, Selection};

type Computed = (u64, YearMonth, YearMonth, Vec<FinanceLine>, FinanceSummary);

/// The finance tab's view state.
#[derive(Default)]
pub struct FinancePanel {
    from: String,
    to: String,
    computed: Option<Computed>,
    error: Option<String>,
    printing: Option<Job<usize>>,
}

/// Writes one PDF per practice with activity into `dir`, reporting progress; returns how many.
/// Names as the CLI's `statements` (`store::outfile::statement_file_names`); each file mode 0600
/// and renamed into place when complete.
pub fn print_statements(
    data: &Dataset,
    from: YearMonth,
    to: YearMonth,
    printed_on: chrono::NaiveDate,
    dir: &Path,
    progress: &mut dyn FnMut(f32) -> bool,
) -> anyhow::Result<usize> {
    let pdfs = statements_for_all(data, from, to, printed_on, &mut |done, total| {
        progress(if total == 0 { 1.0 } else { done as f32 / total as f32 })
    })
    .map_err(|e| match e {
        ReportError::Cancelled => anyhow::anyhow!("cancelled"),
        other => anyhow::anyhow!(other),
    })?;
    create_dir(dir)?;
    let names = statement_file_names(&pdfs.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>());
    for ((_, bytes), name) in pdfs.iter().zip(&names) {
        write_atomic(&dir.join(name), bytes)?;
    }
    Ok(pdfs.len())
}

impl FinancePanel {
    /// The computed period, if the fields hold one (tests read the totals through this).
    pub fn totals(&self) -> Option<&Totals> {
        self.computed.as_ref().map(|c| &c.4.totals)
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

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        ui.horizontal(|ui| {
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
        let stale = self.computed.as_ref().is_none_or(|c| c.0 != state.data_version || c.1 != from || c.2 != to);
        if stale {
            let lines = finance_lines(&state.data, from, to, None);
            let summary = summarize(&lines);
            self.computed = Some((state.data_version, from, to, lines, summary));
        }
        self.actions_ui(ui, state, from, to);
        let Some((_, _, _, lines, summary)) = &self.computed else { return };

        ui.horizontal_wrapped(|ui| {
            ui.strong(state.t("Regionen i alt:", "Region total:"));
            totals_label(ui, state, &summary.totals);
        });
        for (district, totals) in &summary.per_district {
            ui.horizontal_wrapped(|ui| {
                let name = district.map_or(state.t("ukendt", "unknown"), |d| state.lang.district(d));
                ui.label(format!("{} {name}:", state.t("Distrikt", "District")));
                totals_label(ui, state, totals);
            });
        }
        ui.label(format!(
            "{} {}",
            lines.len(),
            state.t("linjer (uddannelseslæge × praksis × måned)", "lines (trainee × practice × month)")
        ));
        ui.separator();
        let mut pick = None;
        let rows: Vec<(&String, &Totals)> = summary.per_practice.iter().collect();
        TableBuilder::new(ui)
            .id_salt("finance_table")
            .striped(true)
            .column(Column::initial(60.0))
            .column(Column::initial(170.0).clip(true))
            .columns(Column::initial(100.0).at_least(80.0), 4)
            .column(Column::remainder().at_least(90.0))
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
                    for amount in [t.basis, t.practice_share, t.region_share, t.honorarium, net_for_practice(t)] {
                        row.col(|ui| {
                            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                ui.label(amount.to_danish());
                            });
                        });
                    }
                });
            });
        if let Some(id) = pick {
            state.selection = Selection::Practice(id);
        }
    }

    fn actions_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, from: YearMonth, to: YearMonth) {
        ui.horizontal(|ui| {
            if let Some(job) = &mut self.printing {
                state.busy = Some(job.title.clone());
                if let Some(result) = job_ui(ui, job, state.t("Annullér", "Cancel")) {
                    self.printing = None;
                    state.busy = None;
                    match result {
                        Ok(n) => state.status = format!("{n} {}", state.t("opgørelser skrevet", "statements written")),
                        Err(e) => {
                            state.status = format!("{}: {e:#}", state.t("Opgørelser stoppet", "Statements stopped"))
                        }
                    }
                }
            } else if ui.button(state.t("Udskriv opgørelser…", "Print statements…")).clicked()
                && let Some(dir) =
                    rfd::FileDialog::new().set_title(state.t("Vælg mappe", "Choose a folder")).pick_folder()
            {
                self.start_printing(ui.ctx(), state, from, to, dir);
            }
            if ui.button(state.t("Eksportér CSV…", "Export CSV…")).clicked()
                && let Some((_, _, _, lines, _)) = &self.computed
                && let Some(path) = rfd::FileDialog::new()
                    .set_file_name(format!("finance-{from}-{to}.csv"))
                    .add_filter("CSV", &["csv"])
                    .save_file()
            {
                // With the BOM, as every CSV the program writes (CONTRACT.md "CSV files").
                match write_atomic(&path, format!("\u{feff}{}", to_csv(lines)).as_bytes()) {
                    Ok(()) => state.status = format!("{} {}", state.t("Skrev", "Wrote"), path.display()),
                    Err(e) => state.error = Some(e.to_string()),
                }
            }
        });
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
        match Job::spawn("statements", title, Some(ctx.clone()), move |progress| {
            print_statements(&data, from, to, today, &dir, &mut |f| progress.report(f))
        }) {
            Ok(job) => self.printing = Some(job),
            Err(e) => state.error = Some(format!("{e:#}")),
        }
    }
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
