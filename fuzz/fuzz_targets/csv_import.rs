//! CSV import over arbitrary bytes: `parse_import` (all four tables at once, as `import` reads
//! them) and `parse_ranking` must return rows or a `CsvError`, never panic.
//!
//! The input is split on the two bytes `\0\0` into up to four files: practices, trainees,
//! placements, pauses. The first byte's low bit turns on `--update`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

use tutorfordeling::domain::model::Dataset;
use tutorfordeling::domain::region::Region;
use tutorfordeling::store::csv::{ImportInput, parse_import, parse_ranking};

fn existing() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| Dataset::empty(Region::midtjylland()))
}

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() < 3 {
        match rest.windows(2).position(|w| w == [0, 0]) {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + 2..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else { return };
    let parts = split(body);
    let file = |i: usize, name: &str| parts.get(i).map(|b| (name.to_string(), b.to_vec()));
    let input = ImportInput {
        practices: file(0, "practices.csv"),
        trainees: file(1, "trainees.csv"),
        placements: file(2, "placements.csv"),
        pauses: file(3, "pauses.csv"),
    };
    if let Ok(batch) = parse_import(&input, existing(), flags & 1 == 1) {
        // What parses is whole: every placement names a trainee of the batch (the database is empty).
        for p in &batch.placements {
            assert!(batch.trainees.iter().any(|t| t.id == p.trainee_id), "dangling placement {p:?}");
        }
    }
    let _ = parse_ranking("ranking.csv", body);
});
