//! The Fairness tab for DYNAMU: `domain::fairness::fairness_review` as plots (egui_plot) and a
//! list of flagged practices; a click on one shows it on the map.

use chrono::Datelike;
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};

use crate::domain::dates::Period;
use crate::domain::fairness::{FairnessReview, fairness_review};
use crate::domain::model::TraineeType;

use super::i18n;
use super::roster::kind_colour;
use super::state::{AppState, Selection, Tab};

/// The fairness tab's view state: the period and the cached review.
#[derive(Default)]
pub struct FairnessPanel {
    from: String,
    to: String,
    review: Option<(u64, Period, FairnessReview)>,
    error: Option<String>,
}

impl FairnessPanel {
    fn period(&mut self, state: &AppState) -> Option<Period> {
        if self.from.is_empty() {
            let years = state.data.settings.lookback_years.max(1) as i32;
            self.from = format!("{}-01", state.today.year() - years);
            self.to = format!("{}-{:02}", state.today.year(), state.today.month());
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
        ui.horizontal(|ui| {
            ui.heading(state.t("Fordeling over tid", "Fairness over time"));
            let l = ui.label(state.t("Fra (åååå-mm)", "From (yyyy-mm)"));
            ui.add(egui::TextEdit::singleline(&mut self.from).desired_width(70.0)).labelled_by(l.id);
            let l = ui.label(state.t("Til (åååå-mm)", "To (yyyy-mm)"));
            ui.add(egui::TextEdit::singleline(&mut self.to).desired_width(70.0)).labelled_by(l.id);
        });
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
        let Some((_, _, review)) = &self.review else { return };
        ui.label(format!(
            "{}: {} · {}: {} %",
            state.t("Gini for måneder pr. tutor", "Gini of months per tutor"),
            i18n::number(review.gini_months_per_tutor, 2),
            state.t("Andel i lægedækningstruede områder (P5)", "Share in threatened areas (P5)"),
            i18n::number(review.threatened_share * 100.0, 1)
        ));
        let mut pick: Option<String> = None;
        ui.columns(2, |cols| {
            let plot_h = ((cols[0].available_height() - 240.0) / 2.0).clamp(120.0, 300.0);
            plots_left(&mut cols[0], state, review, plot_h);
            plots_right(&mut cols[1], state, review, plot_h);
        });
        ui.separator();
        ui.strong(state.t("Markerede praksisser (P3, P6, ingen i lang tid)", "Flagged practices (P3, P6, idle)"));
        egui::ScrollArea::vertical().id_salt("flagged").auto_shrink([false, false]).show(ui, |ui| {
            for p in review.practices.iter().filter(|p| !p.flags.is_empty()) {
                ui.horizontal(|ui| {
                    let flags: Vec<String> = p.flags.iter().map(|f| flag_name(state, f.rule_id())).collect();
                    if ui.link(format!("{} ({})", p.name, p.practice_id)).clicked() {
                        pick = Some(p.practice_id.clone());
                    }
                    ui.label(flags.join(", "));
                    ui.weak(format!(
                        "{} {}",
                        i18n::number(p.months_per_tutor, 1),
                        state.t("mdr. pr. tutor", "months per tutor")
                    ));
                });
            }
        });
        if let Some(id) = pick {
            state.selection = Selection::Practice(id.clone());
            state.focus_practice = Some(id);
            state.tab = Tab::Map;
        }
    }
}

fn flag_name(state: &AppState, flag: &str) -> String {
    match flag {
        "P3" => state.t("P3 afviser en type", "P3 refuses a type").into(),
        "P6" => state.t("P6 drives af uddannelseslæger", "P6 runs on trainees").into(),
        "idle" => state.t("ingen i lang tid", "idle").into(),
        other => other.to_string(),
    }
}

fn plots_left(ui: &mut egui::Ui, state: &AppState, review: &FairnessReview, height: f32) {
    ui.label(state.t("Måneder pr. tutor (antal praksisser)", "Months per tutor (number of practices)"));
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
        .map(|(i, c)| Bar::new(i as f64 * bin + bin / 2.0, f64::from(*c)).width(bin * 0.9))
        .collect();
    Plot::new("months_per_tutor")
        .height(height)
        .allow_scroll(false)
        .allow_drag(false)
        .x_axis_label(state.t("måneder pr. tutor", "months per tutor"))
        .show(ui, |plot| plot.bar_chart(BarChart::new(state.t("praksisser", "practices"), bars)));

    ui.label(state.t("Typeblanding: måneder pr. type i regionen", "Type mix: months per type in the region"));
    let bars: Vec<Bar> = TraineeType::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let months: f64 = review.practices.iter().filter_map(|p| p.by_type.get(k.key())).sum();
            Bar::new(i as f64, months).name(state.lang.kind(*k)).fill(kind_colour(*k)).width(0.7)
        })
        .collect();
    let names: Vec<&'static str> = TraineeType::ALL.iter().map(|k| state.lang.kind(*k)).collect();
    Plot::new("type_mix")
        .height(height)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).copied().unwrap_or("").to_string()
            } else {
                String::new()
            }
        })
        .allow_scroll(false)
        .allow_drag(false)
        .legend(Legend::default())
        .show(ui, |plot| plot.bar_chart(BarChart::new(state.t("måneder", "months"), bars)));
}

fn plots_right(ui: &mut egui::Ui, state: &AppState, review: &FairnessReview, height: f32) {
    ui.label(state.t("Gini-koefficient pr. år (0 = helt jævnt)", "Gini coefficient per year (0 = perfectly even)"));
    let points: Vec<[f64; 2]> = review.gini_by_year.iter().map(|(y, g)| [f64::from(*y), *g]).collect();
    Plot::new("gini_by_year")
        .height(height)
        .allow_scroll(false)
        .allow_drag(false)
        .include_y(0.0)
        .include_y(1.0)
        .show(ui, |plot| plot.line(Line::new("Gini", PlotPoints::from(points)).width(2.0)));

    ui.label(state.t("Andel i lægedækningstruede områder pr. år (%)", "Share in threatened areas per year (%)"));
    let points: Vec<[f64; 2]> =
        review.threatened_share_by_year.iter().map(|(y, s)| [f64::from(*y), s * 100.0]).collect();
    Plot::new("threatened_by_year")
        .height(height)
        .allow_scroll(false)
        .allow_drag(false)
        .include_y(0.0)
        .show(ui, |plot| plot.line(Line::new("P5", PlotPoints::from(points)).width(2.0)));
}
