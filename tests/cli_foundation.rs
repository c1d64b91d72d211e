//! The foundation's CLI: new, demo, import, export, and every kind of bad input.

mod util;

use util::{Dir, stderr};

const PRACTICES: &str = "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\n\
    P1;Lægehuset Åbo;Horsens;55,86;9,85;2;3;urban;nej\n\
    P2;Fjordlægerne;Skive;56,56;9,03;1;1;rural;ja\n";

const TRAINEES: &str = "id;name;type;hospital_unit;municipality;start;end;own_gp\n\
    T1;Ida Bækgaard;kbu;Hospitalsenhed Horsens;Horsens;2027-02-01;2027-07-31;P2\n";

/// Imports `file` (as `--what`) into a database holding PRACTICES and TRAINEES, expects exit 2
/// with `where_` and `why` in the message, and checks nothing changed.
fn rejected(what: &str, content: impl AsRef<[u8]>, where_: &str, why: &str) {
    let dir = Dir::new();
    let db = dir.db();
    let db_s = db.to_str().expect("path");
    dir.ok(&["new", "--db", db_s]);
    let p = dir.write("good_practices.csv", PRACTICES);
    let t = dir.write("good_trainees.csv", TRAINEES);
    dir.ok(&["import", "--db", db_s, "--practices", p.to_str().expect("p"), "--trainees", t.to_str().expect("t")]);
    let before = dir.export_bytes(&db, "before");
    let bad = dir.write("bad.csv", content.as_ref());
    let out = dir.run(&["import", "--db", db_s, &format!("--{what}"), bad.to_str().expect("bad")]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(err.contains(&format!("bad.csv:{where_}")), "expected bad.csv:{where_} in: {err}");
    assert!(err.to_lowercase().contains(&why.to_lowercase()), "expected '{why}' in: {err}");
    assert_eq!(dir.export_bytes(&db, "after"), before, "the database changed");
}

#[test]
fn an_unknown_column_is_refused_at_its_header_cell() {
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened;nmae\n",
        "1:10",
        "unknown column 'nmae'",
    );
}

#[test]
fn a_missing_required_column_is_refused() {
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting\nP9;X;Aarhus;56;10;1;1;urban\n",
        "1:1",
        "missing required column 'burdened'",
    );
}

#[test]
fn a_bad_date_is_refused_at_its_cell() {
    rejected(
        "trainees",
        "id;name;type;hospital_unit;municipality;start;end\nT9;A B;kbu;Hospitalsenhed Horsens;Horsens;2027-02-30;2027-07-31\n",
        "2:6",
        "bad date",
    );
}

#[test]
fn an_end_before_the_start_is_refused() {
    rejected(
        "trainees",
        "id;name;type;hospital_unit;municipality;start;end\nT9;A B;kbu;Hospitalsenhed Horsens;Horsens;2027-02-01;2027-01-31\n",
        "2:7",
        "before the start",
    );
}

#[test]
fn an_unknown_municipality_is_refused() {
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nP9;X;Odense;56;10;1;1;urban;nej\n",
        "2:3",
        "unknown municipality 'Odense'",
    );
}

#[test]
fn an_unknown_hospital_unit_is_refused() {
    rejected(
        "trainees",
        "id;name;type;hospital_unit;municipality;start;end\nT9;A B;phase1;Odense Universitetshospital;;2027-02-01;2027-07-31\n",
        "2:4",
        "unknown hospital unit",
    );
}

#[test]
fn an_unknown_practice_id_in_a_reference_is_refused() {
    rejected(
        "trainees",
        "id;name;type;hospital_unit;municipality;start;end;own_gp\nT9;A B;kbu;Hospitalsenhed Horsens;Horsens;2027-02-01;2027-07-31;P77\n",
        "2:8",
        "unknown practice id 'P77'",
    );
    rejected("placements", "trainee_id;practice_id\nT1;P77\n", "2:2", "unknown practice id 'P77'");
    rejected("pauses", "practice_id;start;end\nP77;2027-01-01;2027-02-01\n", "2:1", "unknown practice id 'P77'");
}

#[test]
fn a_duplicate_id_is_refused_in_the_file_and_against_the_database() {
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nP9;X;Aarhus;56;10;1;1;urban;nej\nP9;Y;Aarhus;56;10;1;1;urban;nej\n",
        "3:1",
        "duplicate id 'P9'",
    );
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nP1;X;Aarhus;56;10;1;1;urban;nej\n",
        "2:1",
        "already exists; use --update",
    );
}

#[test]
fn a_bad_number_is_refused() {
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nP9;X;Aarhus;56;10;two;1;urban;nej\n",
        "2:6",
        "not a whole number",
    );
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nP9;X;Aarhus;56;10;0;1;urban;nej\n",
        "2:6",
        "at least 1",
    );
    rejected(
        "trainees",
        "id;name;type;hospital_unit;municipality;start;end;monthly_salary\nT9;A B;kbu;Hospitalsenhed Horsens;Horsens;2027-02-01;2027-07-31;39.500,00\n",
        "2:8",
        "not an amount",
    );
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nP9;X;Aarhus;5x6;10;1;1;urban;nej\n",
        "2:4",
        "not a number",
    );
}

#[test]
fn a_bad_boolean_is_refused() {
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nP9;X;Aarhus;56;10;1;1;urban;maybe\n",
        "2:9",
        "not a yes/no value",
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_advice_to_save_as_utf8() {
    // "Lægehus" in Windows-1252: æ is the single byte 0xE6.
    let mut bytes = b"id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nP9;L".to_vec();
    bytes.push(0xE6);
    bytes.extend_from_slice(b"gehus;Aarhus;56;10;1;1;urban;nej\n");
    rejected("practices", &bytes, "2:2", "save it as utf-8");
}

#[test]
fn an_empty_file_is_refused() {
    rejected("practices", b"", "1:1", "the file is empty");
    rejected("trainees", "\u{feff}\n".as_bytes(), "1:1", "the file is empty");
}

#[test]
fn a_row_with_too_few_fields_is_refused() {
    rejected(
        "practices",
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nP9;X;Aarhus\n",
        "2:",
        "fields but the header has 9",
    );
}

#[test]
fn a_header_only_file_is_an_empty_table_and_commas_work_as_separator() {
    let dir = Dir::new();
    let db = dir.db();
    let db_s = db.to_str().expect("path");
    dir.ok(&["new", "--db", db_s]);
    let p = dir.write("p.csv", "\u{feff}id,name,municipality,lat,lon,tutors,doctors,setting,burdened\n");
    dir.ok(&["import", "--db", db_s, "--practices", p.to_str().expect("p")]);
    let p = dir.write("p2.csv", "id,name,municipality,lat,lon,tutors,doctors,setting,burdened,large\nP5,\"Lægerne, Ry\",skanderborg,56.09,9.76,2,2,rural,false,ja\n");
    dir.ok(&["import", "--db", db_s, "--practices", p.to_str().expect("p")]);
    let exported = dir.export_bytes(&db, "out");
    let text = String::from_utf8(exported[0].clone()).expect("utf-8");
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("P5;Lægerne, Ry;;Skanderborg;56,09;9,76;2;2;rural;no;;;yes;;"), "{text}");
}

#[test]
fn an_update_import_replaces_existing_rows() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db_s = db.to_str().expect("path");
    let p = dir.write("p.csv", "id;name;municipality;lat;lon;tutors;doctors;setting;burdened\nEX-P1;Lægerne i Brædstrup;Horsens;55,9717;9,6086;3;3;rural;nej\n");
    let out = dir.run(&["import", "--db", db_s, "--practices", p.to_str().expect("p")]);
    assert_eq!(out.status.code(), Some(2));
    dir.ok(&["import", "--db", db_s, "--practices", p.to_str().expect("p"), "--update"]);
    let text = String::from_utf8(dir.export_bytes(&db, "out")[0].clone()).expect("utf-8");
    assert!(text.contains("EX-P1;Lægerne i Brædstrup;;Horsens;55,9717;9,6086;3;3;"), "{text}");
}

#[test]
fn export_then_import_into_new_then_export_is_byte_identical_for_the_demo() {
    let dir = Dir::new();
    let a = dir.path("a.sqlite");
    dir.ok(&["demo", "--db", a.to_str().expect("a"), "--practices", "60", "--years", "2"]);
    let first = dir.export_bytes(&a, "e1");
    let b = dir.path("b.sqlite");
    dir.ok(&["new", "--db", b.to_str().expect("b")]);
    let e1 = dir.path("e1");
    let f = |n: &str| e1.join(n).to_str().expect("path").to_string();
    dir.ok(&[
        "import",
        "--db",
        b.to_str().expect("b"),
        "--practices",
        &f("practices.csv"),
        "--trainees",
        &f("trainees.csv"),
        "--placements",
        &f("placements.csv"),
        "--pauses",
        &f("pauses.csv"),
    ]);
    assert_eq!(dir.export_bytes(&b, "e2"), first);
    assert!(first[2].len() > 1000, "the demo has placements");
}

#[test]
fn the_same_demo_seed_gives_the_same_files_and_another_seed_does_not() {
    let dir = Dir::new();
    let run = |name: &str, seed: &str| {
        let db = dir.path(name);
        dir.ok(&["demo", "--db", db.to_str().expect("db"), "--seed", seed, "--practices", "50", "--years", "1"]);
        dir.export_bytes(&db, &format!("{name}-out"))
    };
    let a = run("a.sqlite", "7");
    assert_eq!(run("b.sqlite", "7"), a);
    assert_ne!(run("c.sqlite", "8"), a);
}

#[test]
fn new_and_demo_refuse_an_existing_file() {
    let dir = Dir::new();
    let db = dir.db();
    let db_s = db.to_str().expect("path");
    dir.ok(&["new", "--db", db_s]);
    assert_eq!(dir.run(&["new", "--db", db_s]).status.code(), Some(2));
    assert_eq!(dir.run(&["demo", "--db", db_s]).status.code(), Some(2));
}

#[test]
fn bad_arguments_exit_2_and_help_exits_0() {
    let dir = Dir::new();
    assert_eq!(dir.run(&["place"]).status.code(), Some(2));
    assert_eq!(dir.run(&["frobnicate"]).status.code(), Some(2));
    let help = dir.run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(util::stdout(&help).contains("phase3-options"));
}

#[test]
fn a_missing_database_is_bad_input() {
    let dir = Dir::new();
    let out = dir.run(&["export", "--db", "nope.sqlite", "--out", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"));
}

#[test]
fn municipality_boundaries_import_from_geojson_and_a_bad_file_is_bad_input() {
    let dir = Dir::new();
    let db = dir.db();
    let db_s = db.to_str().expect("path");
    dir.ok(&["new", "--db", db_s]);
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/municipalities.geojson");
    let out = dir.ok(&["boundaries", "--db", db_s, "--geojson", shared.to_str().expect("path")]);
    assert!(stderr(&out).contains("imported 68 boundary rings"), "{}", stderr(&out));
    let store = tutorfordeling::store::Store::open_read_only(&db).expect("open");
    let codes: std::collections::BTreeSet<u16> =
        store.boundaries().expect("rings").iter().map(|r| r.municipality_code).collect();
    assert_eq!(codes.len(), 19, "every municipality of the region has an outline");
    let bad = dir.write("bad.geojson", "{\"type\": \"Point\"");
    let out = dir.run(&["boundaries", "--db", db_s, "--geojson", bad.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.geojson: the file is not valid GeoJSON"), "{}", stderr(&out));
}
