//! The desktop program (eframe + egui, glow backend).

mod app;

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
