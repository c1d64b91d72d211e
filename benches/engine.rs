//! The optimal round (`suggest`) on a national demo (3,500 practices, 1,000 open trainees, 10 years
//! of history) and a regional one (400 practices, 120 open trainees): time, count placed, objective
//! and gap, against the greedy baseline on placed count, objective, total score and the Gini of load
//! per tutor.
//!
//! With `TUTF_BENCH_MPS=DIR` the two rounds' models are also written to `DIR/national.mps` and
//! `DIR/regional.mps`, to time another MIP solver on the same model (ARCHITECTURE.md has figures).

use criterion::{Criterion, criterion_group, criterion_main};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use tutorfordeling::demo::{DemoParams, demo_round_date, generate};
use tutorfordeling::domain::fairness::gini;
use tutorfordeling::domain::model::Dataset;
use tutorfordeling::domain::optimizer::{DEFAULT_MAX_NODES, RoundModel, solve};
use tutorfordeling::domain::rules::RuleContext;
use tutorfordeling::domain::score::ScoreContext;
use tutorfordeling::domain::suggest::{SuggestOptions, Suggestion, greedy_baseline, model_mps, suggest, suggest_round};

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

fn report(name: &str, data: &Dataset) {
    let today = demo_round_date();
    let started = Instant::now();
    let (optimal, model) =
        suggest_round(data, None, today, SuggestOptions::default(), &mut |_| true).expect("not cancelled");
    let took = started.elapsed();
    // The phases on their own: indexing and scoring every pair, then the search.
    let started = Instant::now();
    let full = RuleContext::new(data);
    let scorer = ScoreContext::sharing(&full, today);
    let open: Vec<usize> = model.trainees.iter().map(|t| t.index).collect();
    let first = open.iter().map(|&i| data.trainees[i].start).min().expect("open trainees");
    let ctx = RuleContext::from_day(data, first);
    let indexed = started.elapsed();
    let rebuilt = RoundModel::build(data, &ctx, &scorer, &open, &mut |_| true).expect("not cancelled");
    let built = started.elapsed();
    let search = solve(&rebuilt, DEFAULT_MAX_NODES, &mut || true).expect("not cancelled");
    let searched = started.elapsed();
    eprintln!(
        "{name} phases: index {indexed:?}, pairs and constraints {:?}, search {:?} ({} branch-and-bound nodes, {} \
         relaxations, {} flows, {} nodes settled, {} pairs priced in)",
        built - indexed,
        searched - built,
        search.nodes,
        search.relaxations,
        search.flows,
        search.settled,
        search.priced
    );
    let greedy = greedy_baseline(data, None, today);
    let total = |s: &Suggestion| s.placements.iter().map(|p| p.score).sum::<f64>();
    eprintln!(
        "{name} suggest: {took:?}, placed {} (unplaced {}), objective {}, optimal {}, gap {}, total score {:.1}, Gini \
         of load per tutor {:.4}; model: {} pairs, {} practices, {} day constraints, C = {}, B = {}",
        optimal.placements.len(),
        optimal.unplaced.len(),
        optimal.objective,
        optimal.optimal,
        optimal.gap,
        total(&optimal),
        round_gini(data, &optimal),
        model.pairs.len(),
        model.practices.len(),
        model.practices.iter().map(|p| p.limits.len()).sum::<usize>(),
        model.tier_unplaced,
        model.tier_general,
    );
    eprintln!(
        "{name} greedy:  placed {} (unplaced {}), objective {}, total score {:.1}, Gini of load per tutor {:.4}",
        greedy.placements.len(),
        greedy.unplaced.len(),
        greedy.objective,
        total(&greedy),
        round_gini(data, &greedy)
    );
    if let Some(dir) = std::env::var_os("TUTF_BENCH_MPS") {
        let path = std::path::Path::new(&dir).join(format!("{name}.mps"));
        std::fs::write(&path, model_mps(data, &model)).expect("write the model");
        eprintln!("{name}: wrote {}", path.display());
    }
}

fn engine(c: &mut Criterion) {
    let national = generate(&DemoParams { seed: 1, practices: 3_500, open_trainees: Some(1_000), years: 10 });
    let regional = generate(&DemoParams { seed: 1, practices: 400, open_trainees: Some(120), years: 10 });
    report("national", &national);
    report("regional", &regional);
    let today = demo_round_date();
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    g.bench_function("suggest_national_3500_practices_1000_open", |b| {
        b.iter(|| suggest(black_box(&national), None, today, &mut |_| true).map(|s| s.placements.len()))
    });
    g.bench_function("suggest_regional_400_practices_120_open", |b| {
        b.iter(|| suggest(black_box(&regional), None, today, &mut |_| true).map(|s| s.placements.len()))
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
