//! Issue 15's figures on a local PostgreSQL server (`TUTOR_TEST_PG`, e.g. from
//! `scripts/pg-test-cluster start`); without one it says so and measures nothing.
//!
//! - `place` end to end as the CLI does it after opening (read what the command needs, take the
//!   advisory locks, check H1–H9, write, audit, commit): p50 and p99 over 400 samples, each
//!   followed by an untimed `unplace`, on the regional demo with ten years of history;
//! - the time from a write on one connection to another connection being up to date through the
//!   change feed (`changes_since`), as a desk's poll does.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

use tutorfordeling::demo::DemoParams;
use tutorfordeling::domain::model::Dataset;
use tutorfordeling::domain::rules::RuleContext;
use tutorfordeling::ops;
use tutorfordeling::store::Store;

struct Db {
    admin: String,
    name: String,
    url: String,
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

fn server_db() -> Option<Db> {
    let Ok(admin) = std::env::var("TUTOR_TEST_PG") else {
        eprintln!("skipped the server benchmark: set TUTOR_TEST_PG (scripts/pg-test-cluster start)");
        return None;
    };
    let name = format!("bench_{}", std::process::id());
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("connect");
    c.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
    let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b));
    Some(Db { admin, name, url })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn server(c: &mut Criterion) {
    let Some(db) = server_db() else { return };
    let params = DemoParams { seed: 1, practices: 400, open_trainees: Some(120), years: 10 };
    let (mut store, _) = ops::demo_file(Path::new(&db.url), &params).expect("demo on the server");
    let data: Dataset = store.load().expect("load");
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
        .expect("a placeable pair");
    eprintln!("server: regional demo, {} trainees, {} placements", data.trainees.len(), data.placements.len());

    let mut samples = Vec::new();
    for _ in 0..400 {
        let start = Instant::now();
        ops::place(&mut store, &t, &p, None, None, Vec::new(), None).expect("place");
        samples.push(start.elapsed());
        ops::unplace(&mut store, &t).expect("unplace");
    }
    samples.sort();
    eprintln!(
        "server place: p50 {:.2} ms, p99 {:.2} ms (400 samples)",
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3
    );

    // Another connection, as a desk: from the start of a write until its feed has the change.
    let mut other = Store::open(Path::new(&db.url)).expect("second connection");
    let (_, mut feed) = other.load_with_feed().expect("feed");
    let mut lags = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        ops::place(&mut store, &t, &p, None, None, Vec::new(), None).expect("place");
        while other.changes_since(&mut feed).expect("changes").is_empty() {}
        lags.push(start.elapsed());
        ops::unplace(&mut store, &t).expect("unplace");
        while other.changes_since(&mut feed).expect("changes").is_empty() {}
    }
    lags.sort();
    eprintln!(
        "server write → other connection up to date: p50 {:.2} ms, p99 {:.2} ms (a desk polls every second, so it \
         shows the change within 1 s plus this)",
        percentile(&lags, 0.5).as_secs_f64() * 1e3,
        percentile(&lags, 0.99).as_secs_f64() * 1e3
    );

    let mut group = c.benchmark_group("server");
    group.sample_size(50);
    group.bench_function("place (regional demo, 10 years)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                ops::place(&mut store, &t, &p, None, None, Vec::new(), None).expect("place");
                total += start.elapsed();
                ops::unplace(&mut store, &t).expect("unplace");
            }
            total
        })
    });
    group.bench_function("changes_since with nothing new", |b| {
        b.iter(|| other.changes_since(&mut feed).expect("changes"))
    });
    group.finish();
}

criterion_group!(benches, server);
criterion_main!(benches);
