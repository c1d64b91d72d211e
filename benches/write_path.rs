//! Issue 9's figures: `place` end to end (open the file as the CLI does, read what the command
//! needs, check, write, commit) on a regional and a national demo with ten years of history; and
//! the desktop's drop on a practice until the change is saved and the next frame is drawn.
//!
//! Each timed `place` is followed by an untimed `unplace`, so every sample places the same
//! trainee into the same file.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

use tutorfordeling::demo::{DemoParams, demo_round_date};
use tutorfordeling::domain::model::Dataset;
use tutorfordeling::domain::rules::RuleContext;
use tutorfordeling::ops;
use tutorfordeling::store::{OpenOptions, Store};
use tutorfordeling::ui::App;

/// A demo file and a (trainee, practice) pair that may be placed.
fn region(dir: &Path, name: &str, practices: usize, open: usize) -> (std::path::PathBuf, String, String) {
    let db = dir.join(format!("{name}.sqlite"));
    let params = DemoParams { seed: 1, practices, open_trainees: Some(open), years: 10 };
    let (store, _) = ops::demo_file(&db, &params).expect("demo");
    let data: Dataset = store.load().expect("load");
    eprintln!(
        "{name}: {} practices, {} trainees, {} placements, file {} MB",
        data.practices.len(),
        data.trainees.len(),
        data.placements.len(),
        std::fs::metadata(&db).map(|m| m.len() / 1_000_000).unwrap_or(0)
    );
    let rules = RuleContext::new(&data);
    let (t, p) = data
        .open_trainees()
        .into_iter()
        .find_map(|t| {
            data.practices
                .iter()
                .find(|p| rules.check(t, p, t.period(), None).is_empty())
                .map(|p| (t.id.clone(), p.id.clone()))
        })
        .expect("a feasible pair");
    (db, t, p)
}

fn place_end_to_end(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut g = c.benchmark_group("place_end_to_end");
    g.sample_size(30).measurement_time(Duration::from_secs(8));
    for (name, practices, open) in
        [("regional_400_practices_10_years", 400, 120), ("national_3500_practices_10_years", 3500, 1000)]
    {
        let (db, t, p) = region(dir.path(), name, practices, open);
        // As the CLI opens: the first run makes a (checked) backup; runs within the next 10
        // minutes neither back up nor read the whole file again.
        let options = OpenOptions::default();
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let mut store = Store::open_with(&db, &options).expect("open");
                    ops::place(&mut store, &t, &p, None, None, vec![], None).expect("place");
                    drop(store);
                    total += start.elapsed();
                    let mut store = Store::open_with(&db, &options).expect("open");
                    ops::unplace(&mut store, &t).expect("unplace");
                }
                total
            })
        });
    }
    g.finish();
}

/// The desktop: a trainee dropped on a practice, saved, the data brought up to date from the
/// change feed, and one frame of the whole window drawn and tessellated.
fn drop_to_saved_and_redrawn(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut g = c.benchmark_group("desk_drop_to_saved_and_redrawn");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    for (name, practices, open) in
        [("regional_400_practices_10_years", 400, 120), ("national_3500_practices_10_years", 3500, 1000)]
    {
        let (db, t, p) = region(dir.path(), name, practices, open);
        let mut app = App::with_path_on(&db, demo_round_date());
        let ctx = egui::Context::default();
        tutorfordeling::ui::install_fonts(&ctx);
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0))),
            ..Default::default()
        };
        let frame = |app: &mut App| {
            let output = ctx.run_ui(input(), |ui| app.ui_root(ui));
            std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
        };
        frame(&mut app);
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    app.state.drop_trainee(&t, &p);
                    frame(&mut app);
                    total += start.elapsed();
                    assert!(app.state.data.placement_of(&t).is_some(), "{:?}", app.state.error);
                    app.state.undo();
                    frame(&mut app);
                }
                total
            })
        });
    }
    g.finish();
}

criterion_group!(benches, place_end_to_end, drop_to_saved_and_redrawn);
criterion_main!(benches);
