//! Issue 11 on the command line: a coordinator's area (`suggest --hospital-unit`) and the ranked
//! practices for one trainee (`candidates`), on the public examples.

mod util;
use util::{Dir, stderr, stdout};

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn suggest_for_a_hospital_unit_proposes_only_for_that_areas_trainees() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    let ids = |units: &[&str]| -> Vec<String> {
        let mut args = vec!["suggest", "--db", db, "--format", "json"];
        for u in units {
            args.extend(["--hospital-unit", u]);
        }
        let j = json(&dir.ok(&args));
        let mut v: Vec<String> = ["placements", "unplaced"]
            .iter()
            .flat_map(|k| j[k].as_array().cloned().unwrap_or_default())
            .map(|x| x["trainee_id"].as_str().unwrap_or_default().to_string())
            .collect();
        v.sort();
        v
    };
    // KBU and intro by their municipality's unit; phase 1-3 and other by their own unit.
    assert_eq!(ids(&["Hospitalsenhed Horsens"]), ["EX-F1", "EX-K1", "EX-K2"]);
    assert_eq!(ids(&["hospitalsenhed midt"]), ["EX-F2", "EX-F3", "EX-F3B", "EX-I1", "EX-I2", "EX-O1"]);
    assert_eq!(ids(&[]).len(), 9, "no unit: the whole region");
    let out = dir.run(&["suggest", "--db", db, "--hospital-unit", "Odense"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("Odense") && stderr(&out).contains("Hospitalsenhed Horsens"), "{}", stderr(&out));
}

#[test]
fn candidates_rank_every_practice_and_agree_with_place() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    let j = json(&dir.ok(&["candidates", "--db", db, "EX-K1", "--format", "json"]));
    let list = j["candidates"].as_array().expect("candidates");
    assert_eq!(list.len(), 7, "every practice once");
    let feasible: Vec<&str> =
        list.iter().filter(|c| c["feasible"] == true).map(|c| c["practice_id"].as_str().unwrap_or_default()).collect();
    // EX-K1 chose Hedensted and EX-P7 is the own GP (H1): only EX-P2 fits.
    assert_eq!(feasible, ["EX-P2"]);
    assert_eq!(list[0]["practice_id"], "EX-P2");
    let p7 = list.iter().find(|c| c["practice_id"] == "EX-P7").expect("EX-P7");
    assert_eq!(p7["violations"][0]["rule"], "H1");
    let out = dir.run(&["place", "--db", db, "EX-K1", "EX-P7"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("H1"));
    dir.ok(&["place", "--db", db, "EX-K1", "EX-P2"]);
    // In the wrong area it is refused.
    let out = dir.run(&["candidates", "--db", db, "EX-K1", "--hospital-unit", "Hospitalsenhed Midt"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_data_subject_request_gets_every_log_entry_about_one_trainee_as_csv() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    dir.ok(&["place", "--db", db, "EX-K2", "EX-P7"]);
    dir.ok(&["place", "--db", db, "EX-K1", "EX-P7", "--override", "H1", "--reason", "=aftalt med PKL; ok"]);
    dir.ok(&["unplace", "--db", db, "EX-K1"]);
    let out = dir.ok(&["log", "--db", db, "--trainee", "EX-K1", "--format", "csv", "--limit", "1000"]);
    let text = stdout(&out);
    assert!(text.starts_with("\u{feff}id;at;user;action;summary;reason;undone\n"), "{text}");
    let rows: Vec<&str> = text.lines().skip(1).collect();
    // The import that created EX-K1, its place and its unplace; not EX-K2's place.
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows[2].contains(";import;"), "{text}");
    assert!(rows.iter().all(|r| !r.contains("EX-K2")), "{text}");
    assert!(text.contains("\"'=aftalt med PKL; ok\""), "formula-safe and quoted: {text}");
}
