//! The desktop program (eframe + egui, glow backend).
//!
//! `app` is the shell; each panel has its own file (`map`, `queue`, `roster`, `fairness`,
//! `finance`) and draws from `state::AppState`; every write goes through `AppState::execute`,
//! i.e. the store's one command path.

pub mod app;
pub mod boundaries;
pub mod fairness;
pub mod finance;
pub mod i18n;
pub mod job;
pub mod map;
pub mod queue;
pub mod rounds;
pub mod roster;
pub mod scoring;
pub mod state;

pub use app::App;

use std::path::PathBuf;

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
