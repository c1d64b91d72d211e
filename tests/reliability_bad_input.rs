//! Bad input never panics: random bytes and mutated valid files either import or are refused
//! with a position (CLI exit 2), and a refused import leaves the database unchanged. The same
//! holds for GeoJSON boundary files. The fuzz targets under `fuzz/` run the same functions for
//! longer (RELIABILITY.md).

mod reliability_support;

use std::path::{Path, PathBuf};

use reliability_support::*;
use tutorfordeling::domain::region::Region;
use tutorfordeling::store::Store;
use tutorfordeling::store::boundaries::parse_boundaries;
use tutorfordeling::store::csv::{ImportInput, parse_ranking};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples")
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(examples().join(name)).expect("example file")
}

/// Bytes that matter to a CSV or JSON parser, and some that break UTF-8.
const INTERESTING: &[u8] = b";,\"\n\r|-.:0123456789{}[]\\\x00\xff\xc3\xa6\xef\xbb\xbf ";

/// One to four random edits: flip, insert, delete, duplicate, truncate.
fn mutate(rng: &mut Lcg, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..=rng.below(4) {
        let len = b.len() as u64;
        let at = rng.below(len + 1) as usize;
        match rng.below(6) {
            0 if !b.is_empty() => {
                let i = rng.below(len) as usize;
                b[i] = INTERESTING[rng.below(INTERESTING.len() as u64) as usize];
            }
            1 => b.insert(at, INTERESTING[rng.below(INTERESTING.len() as u64) as usize]),
            2 if !b.is_empty() => {
                let end = (at + 1 + rng.below(20) as usize).min(b.len());
                b.drain(at.min(b.len() - 1)..end);
            }
            3 => {
                let end = (at + rng.below(40) as usize).min(b.len());
                let piece = b[at..end].to_vec();
                b.splice(at..at, piece);
            }
            4 => b.truncate(at),
            _ => {
                let i = rng.below(len.max(1)) as usize;
                if let Some(x) = b.get_mut(i) {
                    *x ^= 1 << rng.below(8);
                }
            }
        }
    }
    b
}

fn random_bytes(rng: &mut Lcg) -> Vec<u8> {
    (0..rng.below(300)).map(|_| rng.next() as u8).collect()
}

const TABLES: [&str; 4] = ["practices.csv", "trainees.csv", "placements.csv", "pauses.csv"];

fn input(table: usize, bytes: Vec<u8>) -> ImportInput {
    let file = Some((format!("bad/{}", TABLES[table]), bytes));
    match table {
        0 => ImportInput { practices: file, ..ImportInput::default() },
        1 => ImportInput { trainees: file, ..ImportInput::default() },
        2 => ImportInput { placements: file, ..ImportInput::default() },
        _ => ImportInput { pauses: file, ..ImportInput::default() },
    }
}

/// A database holding the public examples, and the examples as seeds (placements made from them).
fn examples_store(dir: &tempfile::TempDir) -> (Store, Vec<Vec<u8>>) {
    let db = dir.path().join("region.sqlite");
    let mut store = Store::create(&db, &Region::midtjylland()).expect("create");
    let files = ImportInput {
        practices: Some(("practices.csv".into(), example("practices.csv"))),
        trainees: Some(("trainees.csv".into(), example("trainees.csv"))),
        pauses: Some(("pauses.csv".into(), example("pauses.csv"))),
        ..ImportInput::default()
    };
    tutorfordeling::ops::import_csv(&mut store, &files, false).expect("import examples");
    let data = store.load().expect("load");
    let mut placements = String::from("trainee_id;practice_id;pinned;override;reason\n");
    for (t, p) in data.trainees.iter().zip(data.practices.iter()) {
        placements.push_str(&format!("{};{};nej;H3;flyttet\n", t.id, p.id));
    }
    let seeds = vec![example("practices.csv"), example("trainees.csv"), placements.into_bytes(), example("pauses.csv")];
    (store, seeds)
}

fn audit_rows(store: &Store) -> i64 {
    store.log(&tutorfordeling::store::LogFilter::default()).expect("log").len() as i64
}

#[test]
fn random_bytes_and_mutated_csv_import_or_fail_with_a_position_and_leave_the_database_unchanged() {
    let dir = tmp();
    let (mut store, seeds) = examples_store(&dir);
    let mut rng = Lcg(0xC5F);
    let (mut imported, mut refused) = (0, 0);
    for case in 0..1500 {
        let table = (case % 4) as usize;
        let bytes = if case % 5 == 0 { random_bytes(&mut rng) } else { mutate(&mut rng, &seeds[table]) };
        let update = rng.below(2) == 0;
        let before = store.load().expect("load");
        let audit_before = audit_rows(&store);
        let input = input(table, bytes.clone());
        match tutorfordeling::ops::import_csv(&mut store, &input, update) {
            Ok(_) => imported += 1,
            Err(tutorfordeling::ops::OpError::Csv(e)) => {
                refused += 1;
                assert!(e.line >= 1 && e.column >= 1, "case {case}: no position in {e}");
                assert!(e.to_string().starts_with(&format!("bad/{}:{}:", TABLES[table], e.line)), "{e}");
                assert_eq!(store.load().expect("load"), before, "case {case}: refused but changed");
                assert_eq!(audit_rows(&store), audit_before);
            }
            Err(e) => {
                panic!(
                    "case {case}: parsed but the store refused it (exit 1, not 2): {e}\n{}",
                    String::from_utf8_lossy(&bytes)
                )
            }
        }
        let _ = parse_ranking("ranking.csv", &bytes);
    }
    eprintln!("csv property: {imported} imported, {refused} refused");
    assert!(imported > 0 && refused > 0, "both outcomes are exercised: {imported} / {refused}");
    assert!(store.integrity_problems().expect("check").is_empty());
}

#[test]
fn random_files_given_to_the_real_binary_import_or_exit_2_and_leave_the_database_unchanged() {
    let dir = tmp();
    let (store, seeds) = examples_store(&dir);
    let db = store.path().to_path_buf();
    drop(store);
    let mut rng = Lcg(0xB1A);
    for case in 0..24 {
        let table = case % 4;
        let bytes = if case % 3 == 0 { random_bytes(&mut rng) } else { mutate(&mut rng, &seeds[table]) };
        let file = dir.path().join(format!("case-{case}-{}", TABLES[table]));
        std::fs::write(&file, &bytes).expect("write");
        let before = Store::open_read_only(&db).expect("open").load().expect("load");
        let flag = format!("--{}", TABLES[table].trim_end_matches(".csv"));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tutorfordeling"))
            .args(["import", "--db", db.to_str().expect("path"), &flag, file.to_str().expect("path")])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => {}
            Some(2) => {
                assert!(stderr.contains(&format!("{}:", file.display())), "case {case}: no position: {stderr}");
                assert_eq!(Store::open_read_only(&db).expect("open").load().expect("load"), before, "case {case}");
            }
            other => panic!("case {case}: exit {other:?}: {stderr}\n{}", String::from_utf8_lossy(&bytes)),
        }
    }
}

#[test]
fn random_bytes_and_mutated_geojson_give_rings_or_an_error_never_a_panic() {
    let region = Region::midtjylland();
    let seeds_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/geojson_boundaries");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&seeds_dir)
        .expect("seeds")
        .map(|e| std::fs::read(e.expect("entry").path()).expect("seed"))
        .collect();
    seeds.sort();
    let mut rng = Lcg(0x6E0);
    let (mut parsed, mut refused) = (0, 0);
    for case in 0..3000 {
        let bytes = if case % 5 == 0 { random_bytes(&mut rng) } else { mutate(&mut rng, &seeds[case % seeds.len()]) };
        match parse_boundaries(&bytes, &region) {
            Ok(rings) => {
                parsed += 1;
                assert!(
                    rings
                        .iter()
                        .all(|r| r.coords.len() >= 3 && region.municipality_by_code(r.municipality_code).is_some())
                );
            }
            Err(e) => {
                refused += 1;
                assert!(!e.to_string().is_empty());
            }
        }
    }
    eprintln!("geojson property: {parsed} parsed, {refused} refused");
    assert!(parsed > 0 && refused > 0);

    // The shared file gives every municipality of the region a polygon, and cut short it is refused.
    let shared = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/municipalities.geojson"))
        .expect("shared geojson");
    let rings = parse_boundaries(&shared, &region).expect("the shared file parses");
    assert!(region.municipalities.iter().all(|m| rings.iter().any(|r| r.municipality_code == m.code)));
    for cut in [1, shared.len() / 3, shared.len() - 2] {
        assert!(parse_boundaries(&shared[..cut], &region).is_err());
    }
}
