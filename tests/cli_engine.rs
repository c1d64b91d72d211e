//! The engine through the real binary: place, check, suggest, phase3-options, intro-round,
//! room and fairness on temporary databases holding the contract's public examples.

mod util;

use util::{Dir, examples, stderr, stdout};

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

#[test]
fn place_refuses_with_exit_3_naming_every_broken_rule() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    // EX-K1 chose Hedensted and has EX-P7 as own GP.
    let out = dir.run(&["place", "--db", db, "EX-K1", "EX-P7"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("H1:"), "{}", stderr(&out));
    let out = dir.run(&["place", "--db", db, "EX-K1", "EX-P5"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("H3:") && stderr(&out).contains("Hedensted"), "{}", stderr(&out));
    let exported = dir.export_bytes(std::path::Path::new(db), "e");
    assert_eq!(String::from_utf8_lossy(&exported[2]).lines().count(), 1, "nothing was placed");
}

#[test]
fn an_override_needs_a_reason_and_is_recorded_with_the_user_in_the_audit_log() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    let out = dir.run(&["place", "--db", db, "EX-K1", "EX-P7", "--override", "H1"]);
    assert_eq!(out.status.code(), Some(2), "no reason given");
    let out = dir.run(&["place", "--db", db, "EX-K1", "EX-P7", "--override", "H9", "--reason", "x"]);
    assert_eq!(out.status.code(), Some(2), "H9 cannot be overridden");
    dir.ok(&["place", "--db", db, "EX-K1", "EX-P7", "--override", "H1", "--reason", "the GP retired in May"]);
    let log = stdout(&dir.ok(&["log", "--db", db, "--limit", "1"]));
    assert!(log.contains("overriding H1") && log.contains("the GP retired in May"), "{log}");
    // A placement that overrides H1 is not a violation for `check`.
    assert_eq!(dir.run(&["check", "--db", db]).status.code(), Some(0));
    // Twice is H9.
    let out = dir.run(&["place", "--db", db, "EX-K1", "EX-P2"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("H9"));
}

#[test]
fn check_lists_violations_of_imported_history_and_exits_3() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    let placements = dir.write("pl.csv", "trainee_id;practice_id\nEX-F3;EX-P5\nEX-F3B;EX-P5\n");
    let out = dir.ok(&["import", "--db", db, "--placements", placements.to_str().expect("p")]);
    assert!(stderr(&out).contains("hard-rule violations"), "{}", stderr(&out));
    let out = dir.run(&["check", "--db", db, "--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    let rules: Vec<&str> =
        v["violations"].as_array().expect("list").iter().filter_map(|x| x["rule"].as_str()).collect();
    assert!(rules.contains(&"H6"), "{rules:?}");
    assert!(v["violations"][0]["message"].as_str().is_some_and(|m| m.starts_with('H')));
}

#[test]
fn suggest_apply_stores_a_round_that_breaks_no_rule_and_undo_removes_it_whole() {
    let dir = Dir::new();
    let db = dir.path("d.sqlite");
    let db = db.to_str().expect("path");
    dir.ok(&["demo", "--db", db, "--practices", "80", "--years", "2"]);
    let out = dir.ok(&["suggest", "--db", db, "--format", "json"]);
    let round = json(&out);
    let proposed = round["placements"].as_array().expect("placements").len();
    assert!(proposed > 10, "{proposed} proposals");
    dir.ok(&["suggest", "--db", db, "--apply"]);
    assert_eq!(dir.run(&["check", "--db", db]).status.code(), Some(0));
    let after = json(&dir.ok(&["suggest", "--db", db, "--format", "json"]));
    assert_eq!(after["placements"].as_array().map(Vec::len), Some(0), "everyone placed is no longer open");
    dir.ok(&["undo", "--db", db]);
    let again = json(&dir.ok(&["suggest", "--db", db, "--format", "json"]));
    assert_eq!(again["placements"].as_array().map(Vec::len), Some(proposed));
}

#[test]
fn suggest_reports_its_objective_and_writes_the_model_as_free_mps_readable_by_the_owner_only() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    let model = dir.path("round.mps");
    let model_arg = model.to_str().expect("path");
    let out = dir.ok(&["suggest", "--db", db, "--format", "json", "--write-model", model_arg]);
    let round = json(&out);
    assert!(round["objective"].is_i64(), "{round}");
    assert_eq!(round["optimal"], serde_json::Value::Bool(true));
    assert_eq!(round["unplaced"].as_array().map(Vec::len), Some(0), "issue 14: EX-I2 is placed too");
    let text = std::fs::read_to_string(&model).expect("model written");
    assert_eq!(text.lines().find(|l| !l.starts_with('*')), Some("NAME ROUND"));
    assert!(text.ends_with("ENDATA\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&model).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(model.parent().expect("dir"))
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .filter(|n| n.contains("round.mps"))
        .collect();
    assert_eq!(names, ["round.mps"]);
}

#[test]
fn suggest_for_one_type_proposes_only_that_type() {
    let dir = Dir::new();
    let db = dir.path("d.sqlite");
    let db = db.to_str().expect("path");
    dir.ok(&["demo", "--db", db, "--practices", "60", "--years", "1"]);
    let round = json(&dir.ok(&["suggest", "--db", db, "--type", "phase3", "--format", "json"]));
    let export = dir.export_bytes(std::path::Path::new(db), "e");
    let trainees = String::from_utf8_lossy(&export[1]).to_string();
    for p in round["placements"].as_array().expect("list") {
        let id = p["trainee_id"].as_str().expect("id");
        assert!(trainees.lines().any(|l| l.starts_with(&format!("{id};")) && l.contains(";phase3;")), "{id}");
    }
    assert_eq!(dir.run(&["suggest", "--db", db, "--type", "fase9"]).status.code(), Some(2));
}

#[test]
fn phase3_options_gives_three_practices_without_an_h6_collision_and_judges_an_agreement() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    dir.ok(&["place", "--db", db, "EX-F3", "EX-P5"]);
    let v = json(&dir.ok(&["phase3-options", "--db", db, "EX-F3B", "--agreement", "EX-P5", "--format", "json"]));
    let mut ids: Vec<&str> =
        v["options"].as_array().expect("options").iter().filter_map(|o| o["practice_id"].as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["EX-P3", "EX-P4", "EX-P6"]);
    assert_eq!(v["agreement"]["approved"], false);
    assert!(v["agreement"]["reasons"].to_string().contains("H6"));
    assert_eq!(dir.run(&["phase3-options", "--db", db, "EX-K1"]).status.code(), Some(2), "not a phase-3 trainee");
}

#[test]
fn intro_round_serves_the_ranking_and_a_declined_offer_passes_down_the_list() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    let ranking = examples().join("ranking.csv");
    let ranking = ranking.to_str().expect("path");
    let v = json(&dir.ok(&[
        "intro-round",
        "--db",
        db,
        "--ranking",
        ranking,
        "--offered-on",
        "2026-04-01",
        "--format",
        "json",
    ]));
    let got: Vec<(String, String)> = v["assignments"]
        .as_array()
        .expect("assignments")
        .iter()
        .map(|a| (a["trainee_id"].as_str().unwrap_or("").into(), a["practice_id"].as_str().unwrap_or("").into()))
        .collect();
    assert_eq!(got, [("EX-I2".to_string(), "EX-P4".to_string()), ("EX-I1".to_string(), "EX-P3".to_string())]);
    // Easter 2026: 1 April + 5 working days skips Maundy Thursday, Good Friday and Easter Monday.
    assert_eq!(v["assignments"][0]["deadline"], "2026-04-13");
    // EX-I2 declines EX-P4: it goes to EX-I1, and EX-I2 (family at EX-P3, H2) gets nothing.
    let v = json(&dir.ok(&[
        "intro-round",
        "--db",
        db,
        "--ranking",
        ranking,
        "--decline",
        "EX-I2:EX-P4",
        "--format",
        "json",
    ]));
    assert_eq!(v["assignments"][0]["trainee_id"], "EX-I1");
    assert_eq!(v["assignments"][0]["practice_id"], "EX-P4");
    assert_eq!(v["unassigned"][0]["trainee_id"], "EX-I2");
    dir.ok(&["intro-round", "--db", db, "--ranking", ranking, "--apply"]);
    assert_eq!(dir.run(&["place", "--db", db, "EX-I1", "EX-P4"]).status.code(), Some(3), "already placed: H9");
}

#[test]
fn a_bad_ranking_file_names_its_line_and_column() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    let bad = dir.write("rank.csv", "rank;trainee_id;priorities\n1;EX-I1;EX-P4\n2;EX-I1;EX-P3\n");
    let out = dir.run(&["intro-round", "--db", db, "--ranking", bad.to_str().expect("p")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("rank.csv:3:2"), "{}", stderr(&out));
}

#[test]
fn room_answers_whether_an_area_has_room_for_another_specialty() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    // Two intro doctors and two phase-3 doctors of the catchment are still to be placed until
    // the autumn of 2027: 4 free slots in Silkeborg are theirs first (P7).
    let v = json(&dir.ok(&[
        "room",
        "--db",
        db,
        "--area",
        "Silkeborg",
        "--from",
        "2027-03-01",
        "--months",
        "6",
        "--format",
        "json",
    ]));
    assert_eq!(v["has_room"], false, "{v}");
    assert!(v["explanation"].as_str().is_some_and(|e| e.contains("expected")), "{v}");
    let v = json(&dir.ok(&[
        "room",
        "--db",
        db,
        "--area",
        "Silkeborg",
        "--from",
        "2027-11-01",
        "--months",
        "6",
        "--format",
        "json",
    ]));
    assert_eq!(v["has_room"], true, "{v}");
    assert!(
        v["practices"].as_array().expect("list").iter().any(|p| p["practice_id"] == "EX-P3" && p["free_slots"] == 3)
    );
    assert_eq!(dir.run(&["room", "--db", db, "--area", "Odense", "--from", "2027-03-01"]).status.code(), Some(2));
}

#[test]
fn fairness_json_has_months_per_tutor_flags_and_a_gini() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    dir.ok(&["place", "--db", db, "EX-F3", "EX-P5"]);
    let v = json(&dir.ok(&["fairness", "--db", db, "--from", "2026-10", "--to", "2026-12", "--format", "json"]));
    let p5 = v["practices"].as_array().expect("list").iter().find(|p| p["practice_id"] == "EX-P5").expect("P5");
    // 92 days ÷ (365.25 ÷ 12) = 3.02 months over 2 tutors = 1.51.
    assert_eq!(p5["trainee_months"].as_f64(), Some(3.02));
    assert_eq!(p5["months_per_tutor"].as_f64(), Some(1.51));
    assert_eq!(p5["by_type"]["phase3"].as_f64(), Some(3.02));
    assert!(v["gini_months_per_tutor"].as_f64().is_some_and(|g| g > 0.5), "one practice has it all");
    assert_eq!(dir.run(&["fairness", "--db", db, "--from", "2026-12", "--to", "2026-01"]).status.code(), Some(2));
}

/// The examples with four placements (EX-F3B in Skive, the examples' only threatened
/// municipality) and EX-P2 refusing two types: the ground for the fairness report tests.
fn fairness_ground(dir: &Dir) -> String {
    let db = dir.with_examples();
    let db = db.to_str().expect("path").to_string();
    for (t, p) in [("EX-K2", "EX-P7"), ("EX-F2", "EX-P5"), ("EX-I1", "EX-P4"), ("EX-F3B", "EX-P6")] {
        dir.ok(&["place", "--db", &db, t, p]);
    }
    dir.ok(&["practice", "set", "--db", &db, "EX-P2", "--refuses", "kbu|phase3"]);
    // The CLI reviews up to today's date; no idle flags, so the figures do not depend on the clock.
    dir.ok(&["settings", "set", "--db", &db, "idle_months", "0"]);
    db
}

fn practice_line<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["practices"].as_array().expect("list").iter().find(|p| p["practice_id"] == id).expect("practice")
}

#[test]
fn fairness_json_gives_months_per_doctor_and_the_threatened_share_beside_the_tutors_share() {
    let dir = Dir::new();
    let db = fairness_ground(&dir);
    let v = json(&dir.ok(&["fairness", "--db", &db, "--from", "2026-01", "--to", "2027-12", "--format", "json"]));
    // EX-P4 (1 tutor, 2 doctors): EX-I1 1 Aug 2026 – 31 Jul 2027 = 365 days = 11.99 months, 6.00 per doctor.
    let p4 = practice_line(&v, "EX-P4");
    assert_eq!(p4["trainee_months"].as_f64(), Some(11.99));
    assert_eq!(p4["months_per_tutor"].as_f64(), Some(11.99));
    assert_eq!(p4["months_per_doctor"].as_f64(), Some(6.0));
    assert_eq!(p4["doctors"].as_u64(), Some(2));
    // EX-P5 (2 doctors): EX-F2 18 May – 17 Nov 2026 = 184 days = 6.05 months, 3.02 per doctor.
    assert_eq!(practice_line(&v, "EX-P5")["months_per_doctor"].as_f64(), Some(3.02));
    // EX-P3 had nobody: 0.
    assert_eq!(practice_line(&v, "EX-P3")["months_per_doctor"].as_f64(), Some(0.0));
    // Threatened: EX-P6's 365 days of 184 + 184 + 365 + 365; its 1 tutor of the examples' 12.
    assert_eq!(v["threatened_share"].as_f64(), Some(0.3324), "365 / 1098");
    assert_eq!(v["threatened_tutor_share"].as_f64(), Some(0.0833), "1 / 12");
    assert_eq!(practice_line(&v, "EX-P2")["flags"], serde_json::json!(["P3"]));
    // EX-P6 had a trainee on 365 of the window's 730 days: not P6 at 90 %.
    assert!(!practice_line(&v, "EX-P6")["flags"].as_array().expect("flags").contains(&"P6".into()));
}

#[test]
fn the_p6_thresholds_are_settings_that_change_the_flag() {
    let dir = Dir::new();
    let db = fairness_ground(&dir);
    let show = stdout(&dir.ok(&["settings", "show", "--db", &db]));
    assert!(show.contains("p6.window_months    24") && show.contains("p6.min_days_percent 90"), "{show}");
    let out = dir.run(&["settings", "set", "--db", &db, "p6.min_days_percent", "120"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(dir.run(&["settings", "set", "--db", &db, "p6.window_months", "0"]).status.code(), Some(2));
    // EX-P6: one trainee for its one doctor on half the days of 2026–2027.
    dir.ok(&["settings", "set", "--db", &db, "p6.min_days_percent", "50"]);
    dir.ok(&["settings", "set", "--db", &db, "p6.min_trainees_per_doctor", "0,75"]);
    let v = json(&dir.ok(&["fairness", "--db", &db, "--from", "2026-01", "--to", "2027-12", "--format", "json"]));
    assert_eq!(practice_line(&v, "EX-P6")["flags"], serde_json::json!(["P6"]), "{v}");
    assert_eq!(v["p6_thresholds"]["min_trainees_per_doctor"].as_f64(), Some(0.75));
    dir.ok(&["settings", "set", "--db", &db, "p6.window_months", "12"]);
    // The last 12 months: 2027, with EX-F3B on 304 of 365 days (83 %).
    let v = json(&dir.ok(&["fairness", "--db", &db, "--from", "2026-01", "--to", "2027-12", "--format", "json"]));
    assert_eq!(practice_line(&v, "EX-P6")["p6"]["days_with_trainees"].as_u64(), Some(304));
    assert_eq!(practice_line(&v, "EX-P6")["flags"], serde_json::json!(["P6"]));
}

#[test]
fn fairness_pdf_writes_a_private_report_naming_each_flagged_practice_with_its_reason() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = Dir::new();
    let db = fairness_ground(&dir);
    dir.ok(&["settings", "set", "--db", &db, "p6.min_days_percent", "50"]);
    let pdf = dir.path("fordeling.pdf");
    let out =
        dir.ok(&["fairness", "--db", &db, "--from", "2026-01", "--to", "2027-12", "--pdf", pdf.to_str().expect("p")]);
    assert!(stdout(&out).is_empty(), "only the PDF when --format is not given");
    assert_eq!(std::fs::metadata(&pdf).expect("pdf").permissions().mode() & 0o777, 0o600);
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().expect("pdf"), "-"])
        .output()
        .expect("pdftotext (Debian poppler-utils; .ci/run installs it)");
    let text = String::from_utf8_lossy(&text.stdout);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("EX-P2 Juelsminde Lægehus Hedensted P3: afviser KBU, Fase 3."), "{text}");
    assert!(flat.contains("EX-P6 Skive Fjordlægerne Skive P6: uddannelseslæger til stede 50 % af dagene"), "{text}");
    assert!(flat.contains("Periode: 01-01-2026 – 31-12-2027"), "{text}");
    // Unflagged practices are not listed.
    assert!(!flat.contains("EX-P3 Silkeborg Centrum Lægehus"), "{text}");
    // With --format json, the JSON too.
    let out = dir.ok(&[
        "fairness",
        "--db",
        &db,
        "--from",
        "2026-01",
        "--to",
        "2027-12",
        "--format",
        "json",
        "--pdf",
        pdf.to_str().expect("p"),
    ]);
    assert!(json(&out)["practices"].is_array());
}
