//! The application shell: owns the open store and the loaded data, and draws the panels.

use std::path::PathBuf;

use crate::domain::model::Dataset;
use crate::store::Store;

/// The state every panel reads: the open file and its data.
pub struct AppState {
    pub store: Option<Store>,
    pub data: Dataset,
    pub status: String,
}

/// The eframe application.
pub struct App {
    pub state: AppState,
}

/// Where a new user's demo region lives: the user's data directory.
pub fn default_demo_path() -> PathBuf {
    directories::ProjectDirs::from("dk", "Region Midtjylland", "tutorfordeling")
        .map(|d| d.data_dir().join("demo.sqlite"))
        .unwrap_or_else(|| PathBuf::from("tutorfordeling-demo.sqlite"))
}

/// Opens `path`, creating the demo region there first when it is the default and missing.
pub fn open_or_create_demo(path: &std::path::Path) -> anyhow::Result<Store> {
    if !path.exists() && path == default_demo_path() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let data = crate::demo::generate(&crate::demo::DemoParams::default());
        let mut store = Store::create(path, &data.region)?;
        crate::demo::store_demo(&mut store, &data)?;
        return Ok(store);
    }
    Ok(Store::open(path)?)
}

impl App {
    pub fn new(_cc: &eframe::CreationContext<'_>, db: Option<PathBuf>) -> App {
        let path = db.unwrap_or_else(default_demo_path);
        App::with_path(&path)
    }

    pub fn with_path(path: &std::path::Path) -> App {
        let region = crate::domain::region::Region::midtjylland();
        let (store, data, status) = match open_or_create_demo(path).and_then(|s| Ok((s.load()?, s))) {
            Ok((data, store)) => (Some(store), data, format!("{}", path.display())),
            Err(e) => (None, Dataset::empty(region), format!("cannot open {}: {e:#}", path.display())),
        };
        App { state: AppState { store, data, status } }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.label(&self.state.status);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            let d = &self.state.data;
            ui.heading(&d.region.name);
            ui.label(format!("{} tutorpraksisser", d.practices.len()));
            ui.label(format!("{} uddannelseslæger, {} uden praksis", d.trainees.len(), d.open_trainees().len()));
            ui.label(format!("{} forløb", d.placements.len()));
        });
    }
}
