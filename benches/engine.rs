//! The optimal round (`suggest`) on a region of 3,500 practices and 1,000 open trainees, against
//! the greedy baseline on placed count, total score and the Gini of load per tutor.

use criterion::{Criterion, criterion_group, criterion_main};
use std::collections::BTreeMap;
use std::hint::black_box;

use tutorfordeling::demo::{DemoParams, demo_round_date, generate};
use tutorfordeling::domain::fairness::gini;
use tutorfordeling::domain::model::Dataset;
use tutorfordeling::domain::suggest::{Suggestion, greedy_baseline, suggest};

/// Gini over all practices of the round's trainee-days per tutor.
fn round_gini(data: &Dataset, s: &Suggestion) -> f64 {
    let mut days: BTreeMap<&str, f64> = data.practices.iter().map(|p| (p.id.as_str(), 0.0)).collect();
    for p in &s.placements {
        if let Some(d) = days.get_mut(p.practice_id.as_str()) {
            *d += ((p.end - p.start).num_days() + 1) as f64;
        }
    }
    let per_tutor: Vec<f64> =
        data.practices.iter().map(|p| days.get(p.id.as_str()).copied().unwrap_or(0.0) / f64::from(p.tutors)).collect();
    gini(&per_tutor)
}

fn engine(c: &mut Criterion) {
    let data = generate(&DemoParams { seed: 1, practices: 3_500, open_trainees: Some(1_000), years: 5 });
    let today = demo_round_date();
    let optimal = suggest(&data, None, today, &mut |_| true).expect("not cancelled");
    let greedy = greedy_baseline(&data, None, today);
    let total = |s: &Suggestion| s.placements.iter().map(|p| p.score).sum::<f64>();
    eprintln!(
        "suggest: placed {} (unplaced {}), total score {:.1}, Gini of load per tutor {:.4}",
        optimal.placements.len(),
        optimal.unplaced.len(),
        total(&optimal),
        round_gini(&data, &optimal)
    );
    eprintln!(
        "greedy:  placed {} (unplaced {}), total score {:.1}, Gini of load per tutor {:.4}",
        greedy.placements.len(),
        greedy.unplaced.len(),
        total(&greedy),
        round_gini(&data, &greedy)
    );
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    g.bench_function("suggest_3500_practices_1000_open", |b| {
        b.iter(|| suggest(black_box(&data), None, today, &mut |_| true).map(|s| s.placements.len()))
    });
    g.bench_function("greedy_3500_practices_1000_open", |b| {
        b.iter(|| greedy_baseline(black_box(&data), None, today).placements.len())
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
