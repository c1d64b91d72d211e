//! Money benchmarks: the co-financing split over 10 years of a national-size demo region, and
//! 500 PDF statements.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use tutorfordeling::demo::{DemoParams, generate};
use tutorfordeling::domain::dates::YearMonth;
use tutorfordeling::domain::finance::{finance_lines, summarize};
use tutorfordeling::report::statement::statement_pdf;

fn national() -> tutorfordeling::domain::model::Dataset {
    // About Denmark's number of tutor practices, with 10 years of placements.
    generate(&DemoParams { seed: 1, practices: 3_500, open_trainees: Some(1_000), years: 10 })
}

fn finance(c: &mut Criterion) {
    let data = national();
    let from = YearMonth::new(2016, 1).expect("month");
    let to = YearMonth::new(2026, 12).expect("month");
    let n = finance_lines(&data, from, to, None).len();
    eprintln!("finance: {} placements, {n} lines", data.placements.len());
    let mut g = c.benchmark_group("money");
    g.sample_size(10);
    g.bench_function("finance_10_years_3500_practices", |b| {
        b.iter(|| {
            let lines = finance_lines(black_box(&data), from, to, None);
            black_box(summarize(&lines))
        })
    });
    let from = YearMonth::new(2026, 1).expect("month");
    let to = YearMonth::new(2026, 12).expect("month");
    let ids: Vec<String> = data.practices.iter().take(500).map(|p| p.id.clone()).collect();
    let printed = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    let mut sizes: Vec<usize> =
        ids.iter().map(|id| statement_pdf(&data, id, from, to, printed).map(|b| b.len()).unwrap_or(0)).collect();
    sizes.sort_unstable();
    eprintln!("statements: median PDF size {} bytes", sizes[sizes.len() / 2]);
    g.bench_function("500_statements", |b| {
        b.iter(|| {
            for id in &ids {
                black_box(statement_pdf(&data, id, from, to, printed).map(|b| b.len()).unwrap_or(0));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, finance);
criterion_main!(benches);
