//! PNG snapshots of the main tabs (egui_kittest, rendered with wgpu on a CPU adapter).
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

fn harness(app: App) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size([1400.0, 860.0])
        .with_context_setup(tutorfordeling::ui::install_fonts)
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app);
    h.run_ok();
    h
}

#[test]
fn the_main_tabs_look_as_recorded() {
    // A fixed relative path (tests run in the crate root): the status bar shows it, and a temp
    // dir's random name would differ between runs.
    let dir = Path::new("target/gui-snapshots");
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("clean the old snapshot database");
    }
    std::fs::create_dir_all(dir).expect("snapshot database dir");
    let mut app = app_with_boundaries(dir);
    let practice = app.state.data.practices[0].id.clone();
    app.state.selection = Selection::Practice(practice);
    let mut h = harness(app);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("map_tab");
    h.get_by_label("Praksisser").click();
    h.remove_cursor();
    h.run_ok();
    h.snapshot("practices_tab");
    h.get_by_label("Fordeling").click();
    h.remove_cursor();
    h.run_ok();
    h.snapshot("fairness_tab");
    h.get_by_label("Økonomi").click();
    h.remove_cursor();
    h.run_ok();
    h.snapshot("finance_tab");
}
