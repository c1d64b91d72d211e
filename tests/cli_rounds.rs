//! Issue 13 on the command line: draft rounds with different weights compared with figures worked
//! out by hand, publish and undo as one step, a publish refused by H9, the changes since
//! publishing, and the letters and notices read back with `pdftotext`.

mod util;
use util::{Dir, stderr, stdout};

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

const HEADER: &str = "id;name;municipality;lat;lon;tutors;doctors;setting;burdened;threatened;capacity;quality";
const T_HEADER: &str =
    "id;name;type;hospital_unit;municipality;start;end;monthly_salary;own_gp;family_practices;history";

/// Three one-tutor practices in Horsens that differ only in P4 quality and P5 (PA is marked
/// threatened), one two-tutor practice in Hedensted; two KBU doctors and one who chose Samsø,
/// where there is no practice.
fn small_region(dir: &Dir) -> String {
    let db = dir.db();
    let db = db.to_str().expect("path").to_string();
    let practices = [
        HEADER,
        "PA;Lægerne A;Horsens;55,86;9,85;1;2;urban;nej;ja;1;",
        "PB;Lægerne B;Horsens;55,86;9,85;1;2;urban;nej;nej;1;5",
        "PC;Lægerne C;Horsens;55,86;9,85;1;2;urban;nej;nej;1;4",
        "PD;Lægerne D;Hedensted;55,77;9,70;2;2;urban;nej;nej;2;",
    ]
    .join("\n");
    let trainees = [
        T_HEADER,
        "K1;Karla Et;kbu;Hospitalsenhed Horsens;Horsens;2026-08-01;2027-01-31;39500,00;;;",
        "K2;Kaj To;kbu;Hospitalsenhed Horsens;Hedensted;2026-08-01;2027-01-31;39500,00;;;",
        "K3;Kim Tre;kbu;Aarhus Universitetshospital;Samsø;2026-08-01;2027-01-31;39500,00;;;",
    ]
    .join("\n");
    let p = dir.write("practices.csv", practices);
    let t = dir.write("trainees.csv", trainees);
    dir.ok(&["new", "--db", &db]);
    dir.ok(&["import", "--db", &db, "--practices", p.to_str().expect("path"), "--trainees", t.to_str().expect("path")]);
    db
}

fn placements(dir: &Dir, db: &str) -> Vec<(String, String)> {
    let out = dir.path("export");
    let _ = std::fs::remove_dir_all(&out);
    dir.ok(&["export", "--db", db, "--out", out.to_str().expect("path")]);
    let text = std::fs::read_to_string(out.join("placements.csv")).expect("placements.csv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect()
}

fn log_count(dir: &Dir, db: &str) -> usize {
    json(&dir.ok(&["log", "--db", db, "--format", "json", "--limit", "1000"]))["entries"]
        .as_array()
        .expect("entries")
        .len()
}

#[test]
fn two_drafts_with_different_weights_compare_with_hand_worked_figures() {
    let dir = Dir::new();
    let db = small_region(&dir);
    // A: no weight on P5, so P4 quality decides: K1 to PB (quality 5). B: P5 only, so PA.
    dir.ok(&["round", "new", "--db", &db, "--name", "A", "--weight", "P5=0"]);
    dir.ok(&["round", "new", "--db", &db, "--name", "B", "--weight", "P4=0", "--weight", "p5=50"]);
    assert!(placements(&dir, &db).is_empty(), "a draft places nobody");
    let a = json(&dir.ok(&["round", "show", "--db", &db, "A", "--format", "json"]));
    assert_eq!(a["weights"]["p5_threatened_area"], 0.0);
    assert_eq!(a["weights"]["p4_tutor_quality"], 6.0, "the other weights come from the settings");
    let c = json(&dir.ok(&["round", "compare", "--db", &db, "A", "B", "--format", "json"]));
    let r = c["rounds"].as_array().expect("rounds");
    assert_eq!((r[0]["name"].as_str(), r[1]["name"].as_str()), (Some("A"), Some("B")));
    for x in r {
        // K1 and K2 placed; K3 chose Samsø, where no practice is.
        assert_eq!((x["placed"].as_u64(), x["unplaced"].as_u64()), (Some(2), Some(1)), "{x}");
        assert_eq!(x["unplaced_reasons"][0]["trainee_id"], "K3");
        assert_eq!(x["by_district"]["East"], 2);
        // P1, by hand: months per tutor are [0, 0, m/2, m] over PA..PD (K2's m months at PD's 2
        // tutors, K1's m at a one-tutor practice): Gini = 2(3·m/2 + 4m)/(4·3m/2) − 5/4 = 7/12.
        let gini = x["gini"].as_f64().expect("gini");
        assert!((gini - 7.0 / 12.0).abs() < 1e-4, "{gini}");
    }
    // P5, by hand: in A nobody is in a threatened practice; in B K1's months are half of all.
    assert_eq!(r[0]["threatened_share"].as_f64(), Some(0.0));
    assert_eq!(r[1]["threatened_share"].as_f64(), Some(0.5));
    assert!(r[1]["score"].as_f64() > r[0]["score"].as_f64(), "B weighs P5 at 50: {}", c);
    let d = c["differences"].as_array().expect("differences");
    assert_eq!(d.len(), 1, "{c}");
    assert_eq!(
        (d[0]["trainee_id"].as_str(), d[0]["a"].as_str(), d[0]["b"].as_str()),
        (Some("K1"), Some("PB"), Some("PA"))
    );
    let text = stdout(&dir.ok(&["round", "compare", "--db", &db, "A", "B"]));
    assert!(text.contains("0.5833") && text.contains("K1: PB -> PA") && text.contains("K3 cannot be placed"), "{text}");
    // A round compared with itself has no differences; an unknown round is exit 2.
    let same = json(&dir.ok(&["round", "compare", "--db", &db, "B", "B", "--format", "json"]));
    assert_eq!(same["differences"], serde_json::json!([]));
    assert_eq!(dir.run(&["round", "compare", "--db", &db, "A", "X"]).status.code(), Some(2));
    // A bad weight is bad input naming it.
    let out = dir.run(&["round", "new", "--db", &db, "--name", "C", "--weight", "P8=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("P8"), "{}", stderr(&out));
    // The name is the key.
    assert_eq!(dir.run(&["round", "new", "--db", &db, "--name", "A"]).status.code(), Some(2));
}

#[test]
fn publish_is_one_step_and_one_undo_takes_it_back() {
    let dir = Dir::new();
    let db = small_region(&dir);
    dir.ok(&["round", "new", "--db", &db, "--name", "A", "--weight", "P5=0"]);
    let before = log_count(&dir, &db);
    dir.ok(&["round", "publish", "--db", &db, "A"]);
    assert_eq!(log_count(&dir, &db), before + 1, "one audit entry");
    assert_eq!(placements(&dir, &db), [("K1".into(), "PB".into()), ("K2".into(), "PD".into())]);
    let list = stdout(&dir.ok(&["round", "list", "--db", &db]));
    assert!(list.contains("A\tpublished"), "{list}");
    // Published is frozen.
    assert_eq!(dir.run(&["round", "change", "--db", &db, "A", "K1", "PC"]).status.code(), Some(2));
    assert_eq!(dir.run(&["round", "drop", "--db", &db, "A"]).status.code(), Some(2));
    dir.ok(&["undo", "--db", &db]);
    assert!(placements(&dir, &db).is_empty(), "one undo removes every placement of the round");
    let list = stdout(&dir.ok(&["round", "list", "--db", &db]));
    assert!(list.contains("A\tdraft"), "the round is a draft again: {list}");
    // Redo publishes it again.
    dir.ok(&["redo", "--db", &db]);
    assert_eq!(placements(&dir, &db).len(), 2);
}

#[test]
fn publish_refused_after_a_conflicting_manual_placement_names_h9_and_places_nothing() {
    let dir = Dir::new();
    let db = small_region(&dir);
    dir.ok(&["round", "new", "--db", &db, "--name", "A", "--weight", "P5=0"]);
    dir.ok(&["place", "--db", &db, "K1", "PC"]);
    let before = log_count(&dir, &db);
    let out = dir.run(&["round", "publish", "--db", &db, "A"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("H9") && said.contains("K1 → PB"), "{said}");
    assert!(!said.contains("K2 →"), "K2's proposal still fits: {said}");
    assert_eq!(placements(&dir, &db), [("K1".into(), "PC".into())], "nothing of the round is placed");
    assert_eq!(log_count(&dir, &db), before, "a refused publish writes nothing");
    // Changing the proposal to the manual placement's practice is refused by H9 too, while
    // sending K1 elsewhere after unplacing works, pinned.
    dir.ok(&["unplace", "--db", &db, "K1"]);
    dir.ok(&["round", "change", "--db", &db, "A", "K1", "PA"]);
    let a = json(&dir.ok(&["round", "show", "--db", &db, "A", "--format", "json"]));
    let k1 = a["proposals"].as_array().expect("proposals").iter().find(|p| p["trainee_id"] == "K1").cloned();
    assert_eq!(k1.as_ref().map(|p| (p["practice_id"].clone(), p["pinned"].clone())), Some(("PA".into(), true.into())));
    // A change that breaks H8 (PD holds K2 and has room for 2, PA has room for 1): K2 to PA.
    let out = dir.run(&["round", "change", "--db", &db, "A", "K2", "PA"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // Re-running keeps the pinned K1 at PA.
    dir.ok(&["round", "rerun", "--db", &db, "A"]);
    let a = json(&dir.ok(&["round", "show", "--db", &db, "A", "--format", "json"]));
    assert!(a["proposals"].as_array().expect("p").iter().any(|p| p["trainee_id"] == "K1" && p["practice_id"] == "PA"));
}

#[test]
fn changes_since_publishing_name_the_moved_placement_with_who_and_why() {
    let dir = Dir::new();
    let db = small_region(&dir);
    dir.ok(&["round", "new", "--db", &db, "--name", "A", "--weight", "P5=0"]);
    let out = dir.run(&["round", "changes", "--db", &db, "A"]);
    assert_eq!(out.status.code(), Some(2), "a draft has no changes since publishing");
    dir.ok(&["round", "publish", "--db", &db, "A"]);
    dir.ok(&["unplace", "--db", &db, "K1"]);
    dir.ok(&["place", "--db", &db, "K1", "PC"]);
    dir.ok(&["unplace", "--db", &db, "K2"]);
    let csv = dir.path("changes.csv");
    dir.ok(&["round", "changes", "--db", &db, "A", "--format", "csv", "--out", csv.to_str().expect("path")]);
    let text = std::fs::read_to_string(&csv).expect("csv");
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0].starts_with("\u{feff}trainee_id;name;change;"), "{text}");
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows[1].starts_with("K1;Karla Et;moved;PB;2026-08-01;2027-01-31;PC;"), "{text}");
    assert!(rows[1].contains("place K1 at PC"), "who and why: {text}");
    assert!(rows[2].starts_with("K2;Kaj To;removed;PD;"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&csv).expect("meta").permissions().mode() & 0o077, 0);
    }
    let text = stdout(&dir.ok(&["round", "changes", "--db", &db, "A"]));
    assert!(text.contains("K1 Karla Et moved: PB 2026-08-01..2027-01-31 -> PC"), "{text}");
}

fn pdftotext(path: &std::path::Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext").args(["-layout"]).arg(path).arg("-").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn letters_and_notices_name_only_their_own_trainees_with_danish_dates_and_amounts() {
    let dir = Dir::new();
    let db = dir.db();
    let db = db.to_str().expect("path").to_string();
    let practices = [
        format!("{HEADER};phone;email"),
        "QA;Lægehuset Ane;Horsens;55,86;9,85;1;1;urban;nej;;1;;75 62 00 00;ane@example.dk".into(),
        "QB;Lægehuset Bo;Horsens;55,86;9,85;1;1;urban;nej;;1;;;".into(),
    ]
    .join("\n");
    let trainees = [
        T_HEADER,
        "F2;Frida Fase;phase2;Hospitalsenhed Horsens;;2026-08-01;2027-01-31;51000,00;;;",
        "K9;Kasper Kbu;kbu;Hospitalsenhed Horsens;Horsens;2026-08-01;2027-01-31;39500,00;;;",
    ]
    .join("\n");
    let p = dir.write("p.csv", practices);
    let t = dir.write("t.csv", trainees);
    dir.ok(&["new", "--db", &db]);
    dir.ok(&["import", "--db", &db, "--practices", p.to_str().expect("p"), "--trainees", t.to_str().expect("t")]);
    dir.ok(&["round", "new", "--db", &db, "--name", "R"]);
    dir.ok(&["round", "publish", "--db", &db, "R"]);
    let at: std::collections::BTreeMap<String, String> = placements(&dir, &db).into_iter().collect();
    assert_eq!(at.len(), 2);
    let letters = dir.path("breve");
    let notices = dir.path("meddelelser");
    dir.ok(&["letters", "--db", &db, "--round", "R", "--out", letters.to_str().expect("l")]);
    dir.ok(&["notices", "--db", &db, "--round", "R", "--out", notices.to_str().expect("n")]);
    let mut names: Vec<String> = std::fs::read_dir(&letters)
        .expect("dir")
        .map(|e| e.expect("e").file_name().into_string().expect("n"))
        .collect();
    names.sort();
    assert_eq!(names, ["F2.pdf", "K9.pdf"]);
    if std::process::Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("pdftotext is not installed: the PDFs' text is not checked");
        return;
    }
    let f2 = pdftotext(&letters.join("F2.pdf")).expect("text");
    let k9 = pdftotext(&letters.join("K9.pdf")).expect("text");
    assert!(f2.contains("Til Frida Fase") && !f2.contains("Kasper Kbu"), "{f2}");
    assert!(k9.contains("Til Kasper Kbu") && !k9.contains("Frida Fase"), "{k9}");
    for (text, id) in [(&f2, "F2"), (&k9, "K9")] {
        let practice = if at[id] == "QA" { "Lægehuset Ane" } else { "Lægehuset Bo" };
        assert!(text.contains(practice), "{text}");
        assert!(text.contains("Periode: 01-08-2026 – 31-01-2027"), "Danish dates: {text}");
        assert!(text.contains("Afsender: Hospitalsenhed Horsens"), "{text}");
        assert!(text.contains("Kontakt praksis"), "what to do next: {text}");
        if at[id] == "QA" {
            assert!(text.contains("75 62 00 00") && text.contains("ane@example.dk"), "{text}");
        }
    }
    assert!(f2.contains("Månedsløn ved start: 51.000,00 kr.") && f2.contains("Regionshospitalet Gødstrup"), "{f2}");
    assert!(k9.contains("Månedsløn ved start: 39.500,00 kr."), "{k9}");
    // The notice of F2's practice: phase 2 pays 32 % of 6 whole months of 51.000,00 = 97.920,00.
    let n_f2 = pdftotext(&notices.join(format!("{}.pdf", at["F2"]))).expect("text");
    let n_k9 = pdftotext(&notices.join(format!("{}.pdf", at["K9"]))).expect("text");
    assert!(n_f2.contains("Frida Fase") && !n_f2.contains("Kasper Kbu"), "{n_f2}");
    assert!(n_f2.contains("Hoveduddannelse fase 2 01-08-2026 – 31-01-2027 97.920,00 kr."), "{n_f2}");
    assert!(n_k9.contains("Kasper Kbu") && !n_k9.contains("Frida Fase"), "{n_k9}");
    // Phone and e-mail survive export and import, and a file without them exports as before.
    let out = dir.path("x");
    dir.ok(&["export", "--db", &db, "--out", out.to_str().expect("x")]);
    let exported = std::fs::read_to_string(out.join("practices.csv")).expect("csv");
    assert!(exported.lines().next().expect("header").ends_with(";phone;email"), "{exported}");
    assert!(exported.contains(";75 62 00 00;ane@example.dk"), "{exported}");
}

#[test]
fn making_changing_and_dropping_a_draft_are_audited_and_undo_one_step_each() {
    let dir = Dir::new();
    let db = small_region(&dir);
    dir.ok(&["round", "new", "--db", &db, "--name", "A", "--weight", "P5=0"]);
    dir.ok(&["round", "exclude", "--db", &db, "A", "K2"]);
    let a = json(&dir.ok(&["round", "show", "--db", &db, "A", "--format", "json"]));
    assert_eq!(a["excluded"], serde_json::json!(["K2"]));
    assert!(a["proposals"].as_array().expect("p").iter().all(|p| p["trainee_id"] != "K2"));
    // A re-run leaves the excluded trainee out.
    dir.ok(&["round", "rerun", "--db", &db, "A"]);
    let a = json(&dir.ok(&["round", "show", "--db", &db, "A", "--format", "json"]));
    assert!(a["proposals"].as_array().expect("p").iter().all(|p| p["trainee_id"] != "K2"));
    let log = json(&dir.ok(&["log", "--db", &db, "--format", "json"]));
    let actions: Vec<&str> =
        log["entries"].as_array().expect("entries").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"round_new") && actions.contains(&"round_edit"), "{actions:?}");
    dir.ok(&["undo", "--db", &db]); // the re-run
    dir.ok(&["undo", "--db", &db]); // the exclusion
    let a = json(&dir.ok(&["round", "show", "--db", &db, "A", "--format", "json"]));
    assert!(a["proposals"].as_array().expect("p").iter().any(|p| p["trainee_id"] == "K2"), "K2 is back");
    dir.ok(&["round", "drop", "--db", &db, "A"]);
    assert_eq!(dir.run(&["round", "show", "--db", &db, "A"]).status.code(), Some(2));
    dir.ok(&["undo", "--db", &db]);
    dir.ok(&["round", "show", "--db", &db, "A"]);
    dir.ok(&["undo", "--db", &db]); // the making
    assert_eq!(dir.run(&["round", "show", "--db", &db, "A"]).status.code(), Some(2), "undoing the making removes it");
}
