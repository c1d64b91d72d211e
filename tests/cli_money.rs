//! `finance` and `statements` through the real binary, against amounts worked out by hand.

mod util;

use util::{Dir, stderr, stdout};

/// Places the contract's examples: a KBU doctor, a phase-2 and a phase-3 doctor.
fn placed_examples(dir: &Dir) -> String {
    let db = dir.with_examples();
    let db = db.to_str().expect("path").to_string();
    for (t, p) in [("EX-K2", "EX-P7"), ("EX-F2", "EX-P5"), ("EX-F3", "EX-P5")] {
        dir.ok(&["place", "--db", &db, t, p]);
    }
    db
}

fn line<'a>(json: &'a serde_json::Value, trainee: &str, month: &str) -> &'a serde_json::Value {
    json["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["trainee_id"] == trainee && l["month"] == month)
        .unwrap_or_else(|| panic!("no line for {trainee} {month}"))
}

#[test]
fn finance_json_matches_amounts_worked_out_by_hand() {
    let dir = Dir::new();
    let db = placed_examples(&dir);
    let out = dir.ok(&["finance", "--db", &db, "--from", "2026-05", "--to", "2026-12", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");

    // Phase 2 at 51.000,00 a month from 18 May: 14 of 31 days.
    // 51000 × 14 / 31 = 23032.2580… → 23032.26; 32 % of it = 7370.3232 → 7370.32.
    let may = line(&json, "EX-F2", "2026-05");
    assert_eq!(may["days"], 14);
    assert_eq!(may["basis"], "23032.26");
    assert_eq!(may["practice_share"], "7370.32");
    assert_eq!(may["region_share"], "15661.94");
    assert_eq!(may["honorarium"], "0.00");
    assert_eq!(may["paid_out_by"], "Regionshospitalet Gødstrup");
    // A whole June: 32 % of 51.000,00.
    let june = line(&json, "EX-F2", "2026-06");
    assert_eq!((june["basis"].as_str(), june["practice_share"].as_str()), (Some("51000.00"), Some("16320.00")));
    // To 17 November: 51000 × 17 / 30 = 28900.00; 32 % = 9248.00.
    let nov = line(&json, "EX-F2", "2026-11");
    assert_eq!((nov["days"].as_u64(), nov["basis"].as_str()), (Some(17), Some("28900.00")));
    assert_eq!(nov["practice_share"], "9248.00");

    // Phase 3 at 53.000,00: 39 % = 20670.00 for a whole month.
    let f3 = line(&json, "EX-F3", "2026-10");
    assert_eq!((f3["practice_share"].as_str(), f3["region_share"].as_str()), (Some("20670.00"), Some("32330.00")));

    // KBU: the region pays all; the practice receives 6.000,00 a month; paid out by the first employer.
    let kbu = line(&json, "EX-K2", "2026-08");
    assert_eq!((kbu["basis"].as_str(), kbu["practice_share"].as_str()), (Some("39500.00"), Some("0.00")));
    assert_eq!(kbu["honorarium"], "6000.00");
    assert_eq!(kbu["paid_out_by"], "Hospitalsenhed Horsens");

    // EX-P5's total practice share from May to December:
    // phase 2: 7370.32 + 5 × 16320.00 + 9248.00 = 98218.32; phase 3 Oct–Dec: 3 × 20670.00 = 62010.00.
    let p5 = json["practices"].as_array().expect("practices").iter().find(|p| p["practice_id"] == "EX-P5").expect("P5");
    assert_eq!(p5["practice_share"], "160228.32");
    assert_eq!(json["totals"]["honorarium"], "30000.00", "5 KBU months (Aug–Dec) at 6.000,00");
}

#[test]
fn finance_csv_uses_semicolons_decimal_commas_and_a_bom() {
    let dir = Dir::new();
    let db = placed_examples(&dir);
    let out = dir.ok(&["finance", "--db", &db, "--from", "2026-05", "--to", "2026-05", "--format", "csv"]);
    let text = stdout(&out);
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("EX-F2;EX-P5;2026-05;phase2;14;23032,26;7370,32;15661,94;0,00"), "{text}");
}

#[test]
fn finance_for_one_practice_lists_only_its_lines_and_an_unknown_practice_is_bad_input() {
    let dir = Dir::new();
    let db = placed_examples(&dir);
    let out = dir.ok(&[
        "finance",
        "--db",
        &db,
        "--from",
        "2026-01",
        "--to",
        "2027-12",
        "--practice",
        "EX-P7",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert!(json["lines"].as_array().expect("lines").iter().all(|l| l["practice_id"] == "EX-P7"));
    assert_eq!(json["lines"].as_array().map(Vec::len), Some(6));
    let bad = dir.run(&["finance", "--db", &db, "--from", "2026-01", "--to", "2027-12", "--practice", "NOPE"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = dir.run(&["finance", "--db", &db, "--from", "2026-13", "--to", "2027-12"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--from"));
}

#[test]
fn a_statement_shows_its_own_trainees_in_danish_format_and_no_others() {
    let dir = Dir::new();
    let db = placed_examples(&dir);
    let out = dir.path("pdf");
    dir.ok(&["statements", "--db", &db, "--from", "2026-01", "--to", "2027-12", "--out", out.to_str().expect("out")]);
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["EX-P5.pdf", "EX-P7.pdf"]);
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", out.join("EX-P5.pdf").to_str().expect("pdf"), "-"])
        .output()
        .expect("pdftotext (Debian poppler-utils; .ci/run installs it)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Viborg Øst Lægerne"), "{text}");
    assert!(text.contains("Eksempel Fase To") && text.contains("Eksempel Fase Tre"));
    assert!(text.contains("16.320,00") && text.contains("01-01-2026"));
    assert!(!text.contains("Eksempel Kbu To"), "another practice's trainee");
}
