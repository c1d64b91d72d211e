//! Money benchmarks on a national-size demo region (3,500 practices, 10 years of placements):
//! the streamed co-financing split over 1 and 10 years, written as `finance --format json`
//! writes it (into a sink), and 500 PDF statements.
//!
//! Peak memory is not something criterion measures; the bench prints the process's peak
//! resident size (VmHWM) after each part, and ARCHITECTURE.md has the CLI's figures measured
//! with `/usr/bin/time -v`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use tutorfordeling::demo::{DemoParams, generate};
use tutorfordeling::domain::dates::YearMonth;
use tutorfordeling::domain::finance::{JsonWriter, finance_run, stream};
use tutorfordeling::report::statement::statement_pdf;

fn national() -> tutorfordeling::domain::model::Dataset {
    // About Denmark's number of tutor practices, with 10 years of placements.
    generate(&DemoParams { seed: 1, practices: 3_500, open_trainees: Some(1_000), years: 10 })
}

/// The process's peak resident set size, from /proc (Linux), for the bench's log.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

fn month(y: i32, m: u32) -> YearMonth {
    YearMonth::new(y, m).expect("month")
}

/// `finance --format json` into a sink: the lines streamed and written, the rollups at the end.
fn json_bytes(data: &tutorfordeling::domain::model::Dataset, from: YearMonth, to: YearMonth) -> u64 {
    let mut counter = Counter(0);
    let mut w = JsonWriter::new(&mut counter).expect("write");
    let run = stream(data, from, to, None, &mut w).expect("stream");
    w.finish(&run).expect("finish");
    counter.0
}

/// Counts the bytes written, keeps none.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn finance(c: &mut Criterion) {
    let data = national();
    eprintln!("national demo: {} placements; peak RSS after generating it: {}", data.placements.len(), peak_rss());
    let mut g = c.benchmark_group("money");
    g.sample_size(10);
    for (name, from, to) in [
        ("finance_json_1_year_3500_practices", month(2026, 1), month(2026, 12)),
        ("finance_json_10_years_3500_practices", month(2017, 1), month(2026, 12)),
    ] {
        let run = finance_run(&data, from, to, None);
        eprintln!(
            "{name}: {} lines, {} JSON bytes, {} gap lines",
            run.lines,
            json_bytes(&data, from, to),
            run.gap_lines
        );
        g.bench_function(name, |b| b.iter(|| black_box(json_bytes(black_box(&data), from, to))));
        eprintln!("{name}: peak RSS of the bench process so far: {}", peak_rss());
    }
    let from = month(2026, 1);
    let to = month(2026, 12);
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
