//! One frame of the map tab with 5,000 practices and the region's municipality polygons from the
//! shared GeoJSON, run headless through `egui::Context::run_ui` and tessellated, as the window
//! would draw it. The aim is under 4 ms per frame.

use criterion::{Criterion, criterion_group, criterion_main};

use tutorfordeling::demo::{DemoParams, demo_round_date, generate};
use tutorfordeling::store::boundaries::parse_boundaries;
use tutorfordeling::ui::map::MapPanel;
use tutorfordeling::ui::state::AppState;

fn map_frame(c: &mut Criterion) {
    let data = generate(&DemoParams { seed: 1, practices: 5000, open_trainees: Some(200), years: 2 });
    let geojson = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/municipalities.geojson"))
        .expect("the shared municipalities.geojson");
    let rings = parse_boundaries(&geojson, &data.region).expect("boundaries");
    let polygons: std::collections::BTreeSet<(u16, u32)> =
        rings.iter().map(|r| (r.municipality_code, r.polygon)).collect();
    let vertices: usize = rings.iter().map(|r| r.coords.len()).sum();
    eprintln!("{} practices, {} polygons, {} boundary vertices", data.practices.len(), polygons.len(), vertices);
    let mut state = AppState::in_memory(data.clone(), rings.clone(), demo_round_date());
    let mut panel = MapPanel::default();
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1100.0, 800.0))),
        ..Default::default()
    };
    let frame = |panel: &mut MapPanel, state: &mut AppState| {
        let output = ctx.run_ui(input(), |ui| {
            egui::CentralPanel::default().show(ui, |ui| panel.ui(ui, state));
        });
        ctx.tessellate(output.shapes, output.pixels_per_point)
    };
    // The first frame builds the cached geometry (once per data change).
    let start = std::time::Instant::now();
    frame(&mut panel, &mut state);
    eprintln!("first frame (projection and triangulation): {:?}", start.elapsed());

    c.bench_function("map_frame_5000_practices_and_polygons", |b| {
        b.iter(|| std::hint::black_box(frame(&mut panel, &mut state)))
    });
}

/// The same frame split in two, to see where the time goes.
fn map_frame_parts(c: &mut Criterion) {
    let data = generate(&DemoParams { seed: 1, practices: 5000, open_trainees: Some(200), years: 2 });
    let geojson = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/municipalities.geojson"))
        .expect("the shared municipalities.geojson");
    let rings = parse_boundaries(&geojson, &data.region).expect("boundaries");
    let mut empty = data.clone();
    empty.practices.clear();
    for (name, data, rings) in [("map_frame_markers_only", data, Vec::new()), ("map_frame_polygons_only", empty, rings)]
    {
        let mut state = AppState::in_memory(data, rings, demo_round_date());
        let mut panel = MapPanel::default();
        let ctx = egui::Context::default();
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1100.0, 800.0))),
            ..Default::default()
        };
        c.bench_function(name, |b| {
            b.iter(|| {
                let output = ctx.run_ui(input(), |ui| {
                    egui::CentralPanel::default().show(ui, |ui| panel.ui(ui, &mut state));
                });
                std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
            })
        });
    }
}

criterion_group!(benches, map_frame, map_frame_parts);
criterion_main!(benches);
