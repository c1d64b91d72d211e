//! PNG snapshots of every tab at 1280×720 (the smallest supported window, first start with the
//! shipped outlines) and 1920×1080 (boundaries imported), rendered by egui_kittest with wgpu on a
//! CPU adapter. The PNGs are in `tests/snapshots/`.
//! Create or refresh them with `UPDATE_SNAPSHOTS=1 cargo test --test gui_snapshots`.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use tutorfordeling::demo::{DemoParams, demo_round_date, generate, store_demo};
use tutorfordeling::store::Store;
use tutorfordeling::ui::App;
use tutorfordeling::ui::app::import_boundaries;
use tutorfordeling::ui::state::Selection;

fn shared_geojson() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/municipalities.geojson")
}

/// The demo region with the municipality boundaries imported through the GUI's own action.
fn app_with_boundaries(dir: &Path) -> App {
    let path = dir.join("demo.sqlite");
    let data = generate(&DemoParams { seed: 3, practices: 150, open_trainees: Some(20), years: 3 });
    let mut store = Store::create(&path, &data.region).expect("create");
    store_demo(&mut store, &data).expect("store demo");
    drop(store);
    let mut app = App::with_path_on(&path, demo_round_date());
    import_boundaries(&mut app.state, &shared_geojson());
    assert!(app.state.error.is_none(), "{:?}", app.state.error);
    assert!(!app.state.boundaries.is_empty());
    // The stored rings are in the database for the next run too.
    assert_eq!(Store::open(&path).expect("open").boundaries().expect("rings").len(), app.state.boundaries.len());
    app
}

/// The demo region on its first start: no boundaries imported, the shipped outlines drawn.
fn app_first_start(dir: &Path) -> App {
    let path = dir.join("demo.sqlite");
    let data = generate(&DemoParams { seed: 3, practices: 150, open_trainees: Some(20), years: 3 });
    let mut store = Store::create(&path, &data.region).expect("create");
    store_demo(&mut store, &data).expect("store demo");
    drop(store);
    let app = App::with_path_on(&path, demo_round_date());
    assert!(Store::open(&path).expect("open").boundaries().expect("rings").is_empty());
    assert!(!app.state.boundaries.is_empty(), "the shipped outlines");
    app
}

fn harness(app: App, size: [f32; 2]) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(size)
        .with_context_setup(tutorfordeling::ui::install_fonts)
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app);
    h.run_ok();
    h
}

/// A fixed relative path (tests run in the crate root): the status bar shows it, and a temp
/// dir's random name would differ between runs.
fn snapshot_dir(name: &str) -> &'static Path {
    let dir = Path::new("target/gui-snapshots").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clean the old snapshot database");
    }
    std::fs::create_dir_all(&dir).expect("snapshot database dir");
    Box::leak(dir.into_boxed_path())
}

/// Every tab (and Fordeling's plots), each as a PNG named `<tab>_<suffix>`.
fn snapshot_every_tab(mut app: App, size: [f32; 2], suffix: &str) {
    let practice = app.state.data.practices[0].id.clone();
    app.state.selection = Selection::Practice(practice);
    let mut h = harness(app, size);
    h.remove_cursor();
    h.run_ok();
    h.snapshot(format!("map_tab_{suffix}"));
    for (tab, name) in [("Praksisser", "practices_tab"), ("Fordeling", "fairness_tab"), ("Økonomi", "finance_tab")] {
        h.get_by_label(tab).click();
        h.remove_cursor();
        h.run_ok();
        h.snapshot(format!("{name}_{suffix}"));
    }
    h.get_by_label("Fordeling").click();
    h.run_ok();
    h.get_by_label("Grafer").click();
    h.remove_cursor();
    h.run_ok();
    h.snapshot(format!("fairness_plots_{suffix}"));
}

#[test]
fn every_tab_at_1280_by_720_on_the_first_start_looks_as_recorded() {
    let dir = snapshot_dir("first-start");
    snapshot_every_tab(app_first_start(dir), [1280.0, 720.0], "1280x720");
}

#[test]
fn every_tab_at_1920_by_1080_with_imported_boundaries_looks_as_recorded() {
    let dir = snapshot_dir("imported");
    snapshot_every_tab(app_with_boundaries(dir), [1920.0, 1080.0], "1920x1080");
}
