//! The desktop program (eframe + egui, glow backend).
//!
//! `app` is the shell; each panel has its own file (`map`, `queue`, `roster`, `fairness`,
//! `finance`) and draws from `state::AppState`; every write goes through `AppState::execute`,
//! i.e. the store's one command path.

pub mod app;
pub mod fairness;
pub mod files;
pub mod finance;
pub mod i18n;
pub mod intro;
pub mod job;
pub mod log;
pub mod map;
pub mod place;
pub mod queue;
pub mod roster;
pub mod rounds;
pub mod scoring;
pub mod state;
pub mod trainee_form;

pub use app::App;

use std::path::PathBuf;

/// Adds DejaVu Sans (already in the build for the PDF statements) as a fallback font, for the
/// arrows and symbols egui's default font lacks. It comes before egui's monochrome emoji fonts,
/// which are there for the icons of the in-app file dialog (folders, files).
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert("dejavu".into(), std::sync::Arc::new(egui::FontData::from_static(dejavu::sans::regular())));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        let at = list.iter().position(|f| f.starts_with("NotoEmoji")).unwrap_or(list.len());
        list.insert(at, "dejavu".into());
    }
    ctx.set_fonts(fonts);
}

/// Opens the window on `db`, or on the last file used, or on the demo region.
pub fn run(db: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Tutorfordeling")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([900.0, 600.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native("tutorfordeling", options, Box::new(move |cc| Ok(Box::new(App::new(cc, db)))))
        .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
