//! The files the program writes (CONTRACT.md "Files the program writes"), through the real
//! binary: mode 0600 whatever the umask, never a partial file under a final name when the run is
//! killed, formula-safe CSV that survives export → import → export, one statement file per
//! practice however its id is spelled, and a quiet end when the reader of stdout goes away.
#![cfg(unix)]

mod util;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tutorfordeling::store::Store;
use tutorfordeling::store::outfile::statement_file_names;
use util::*;

const BIN: &str = env!("CARGO_BIN_EXE_tutorfordeling");
const CSVS: [&str; 4] = ["practices.csv", "trainees.csv", "placements.csv", "pauses.csv"];

/// The binary under a given umask (the umask is process-wide, so a shell sets it for the child).
fn under_umask(umask: &str, args: &[&str]) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c").arg(format!("umask {umask}; exec \"$0\" \"$@\"")).arg(BIN).args(args);
    c
}

fn run_ok(mut c: Command) -> Output {
    let out = c.output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).expect("lstat").permissions().mode() & 0o777
}

fn pdf_is_complete(bytes: &[u8]) -> bool {
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    bytes.starts_with(b"%PDF-") && bytes[..end].ends_with(b"%%EOF")
}

/// Data rows of an exported CSV (`;`, BOM), or None when it does not parse.
fn csv_rows(bytes: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(bytes).ok()?.strip_prefix('\u{feff}')?;
    let mut r = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let width = r.headers().ok()?.len();
    let mut n = 0;
    for rec in r.records() {
        if rec.ok()?.len() != width {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// Kills `child` with SIGKILL once `ready(listing)` holds, or after `limit`; returns whether it
/// was still running when killed.
fn kill_when(mut child: Child, dir: &Path, limit: Duration, ready: impl Fn(&[String]) -> bool) -> bool {
    let started = Instant::now();
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        if started.elapsed() >= limit || ready(&listing(dir)) {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let running = child.try_wait().expect("try_wait").is_none();
    let _ = child.kill();
    child.wait().expect("reap");
    running
}

fn spawn(args: &[&str]) -> Child {
    under_umask("022", args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn")
}

fn demo(dir: &Dir, practices: &str) -> PathBuf {
    let db = dir.path("demo.sqlite");
    dir.ok(&["demo", "--db", s(&db), "--practices", practices]);
    db
}

#[test]
fn export_files_are_mode_0600_under_umask_022_and_000_and_nothing_else_is_left() {
    let dir = Dir::new();
    let db = dir.with_examples();
    for umask in ["022", "000"] {
        let out = dir.path(&format!("export-{umask}"));
        run_ok(under_umask(umask, &["export", "--db", s(&db), "--out", s(&out)]));
        assert_eq!(listing(&out), {
            let mut v: Vec<String> = CSVS.iter().map(|f| f.to_string()).collect();
            v.sort();
            v
        });
        for f in CSVS {
            assert_eq!(mode(&out.join(f)), 0o600, "{f} under umask {umask}");
        }
        let finance = run_ok(under_umask(
            umask,
            &["statements", "--db", s(&db), "--from", "2026-01", "--to", "2027-12", "--out", s(&out.join("st"))],
        ));
        assert!(stderr(&finance).contains("wrote"));
        for f in listing(&out.join("st")) {
            assert!(f.ends_with(".pdf") && !f.starts_with('.'), "{f}");
            assert_eq!(mode(&out.join("st").join(&f)), 0o600, "{f} under umask {umask}");
        }
    }
}

#[test]
fn export_replaces_a_symlink_at_a_final_name_and_leaves_its_target_alone() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let victim = dir.write("victim.txt", "untouched\n");
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = dir.path("out");
    std::fs::create_dir(&out).expect("mkdir");
    std::os::unix::fs::symlink(&victim, out.join("practices.csv")).expect("symlink");
    dir.ok(&["export", "--db", s(&db), "--out", s(&out)]);
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "untouched\n");
    assert_eq!(mode(&victim), 0o644);
    assert!(std::fs::symlink_metadata(out.join("practices.csv")).expect("lstat").is_file());
    assert_eq!(mode(&out.join("practices.csv")), 0o600);
}

/// A region whose text cells begin like formulas and whose practice ids collide once cleaned.
fn awkward_region(dir: &Dir) -> PathBuf {
    let practices = dir.write(
        "p.csv",
        "id;name;address;municipality;lat;lon;tutors;doctors;setting;burdened\n\
         a/b;=1+2;+45 1234 5678;Horsens;55,97;9,6;2;3;rural;nej\n\
         a_b;-5;@x;Horsens;55,97;9,6;2;3;rural;nej\n\
         a:b;@x;Vej 1;Horsens;55,97;9,6;2;3;rural;nej\n\
         -P4;Plain;;Horsens;55,97;9,6;2;3;rural;nej\n\
         .hidden;Hidden;;Horsens;55,97;9,6;2;3;rural;nej\n",
    );
    let trainees = dir.write(
        "t.csv",
        "id;name;type;hospital_unit;start;end;monthly_salary;family_practices\n\
         T1;=1+2;other;Hospitalsenhed Horsens;2026-03-01;2026-08-31;47000,00;-P4\n\
         T2;-5;other;Hospitalsenhed Horsens;2026-03-01;2026-08-31;-100,00;\n\
         T3;@x;other;Hospitalsenhed Horsens;2026-03-01;2026-08-31;47000,00;\n\
         -T4;Plain;other;Hospitalsenhed Horsens;2026-03-01;2026-08-31;47000,00;\n\
         T5;Hidden;other;Hospitalsenhed Horsens;2026-03-01;2026-08-31;47000,00;\n",
    );
    let placements = dir.write(
        "pl.csv",
        "trainee_id;practice_id;reason\n\
         T1;a/b;=HYPERLINK(\"http://x\")\n\
         T2;a_b;\n\
         T3;a:b;\n\
         -T4;-P4;+reason\n\
         T5;.hidden;\n",
    );
    let db = dir.path("awkward.sqlite");
    dir.ok(&["new", "--db", s(&db)]);
    dir.ok(&[
        "import",
        "--db",
        s(&db),
        "--practices",
        s(&practices),
        "--trainees",
        s(&trainees),
        "--placements",
        s(&placements),
    ]);
    db
}

fn cell(bytes: &[u8], id: &str, column: &str) -> String {
    let text = std::str::from_utf8(bytes).expect("utf-8").trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let col = r.headers().expect("header").iter().position(|h| h == column).expect("column");
    r.records()
        .map(|r| r.expect("record"))
        .find(|r| &r[0] == id)
        .map(|r| r[col].to_string())
        .unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn csv_cells_like_formulas_get_a_quote_and_export_import_export_is_byte_identical() {
    let dir = Dir::new();
    let db = awkward_region(&dir);
    let e1 = dir.export_bytes(&db, "e1");
    let [practices, trainees, placements, _] = &e1[..] else { panic!("four files") };
    assert_eq!(cell(practices, "a/b", "name"), "'=1+2");
    assert_eq!(cell(practices, "a/b", "address"), "'+45 1234 5678");
    assert_eq!(cell(practices, "a_b", "name"), "'-5");
    assert_eq!(cell(practices, "a_b", "address"), "'@x");
    assert_eq!(cell(practices, "'-P4", "name"), "Plain");
    assert_eq!(cell(trainees, "T1", "name"), "'=1+2");
    assert_eq!(cell(trainees, "T1", "family_practices"), "'-P4");
    assert_eq!(cell(trainees, "T2", "name"), "'-5");
    assert_eq!(cell(trainees, "T2", "monthly_salary"), "-100,00", "a negative amount stays a number");
    assert_eq!(cell(trainees, "T3", "name"), "'@x");
    assert_eq!(cell(placements, "T1", "reason"), "'=HYPERLINK(\"http://x\")");
    assert_eq!(cell(placements, "'-T4", "practice_id"), "'-P4");
    assert_eq!(cell(placements, "'-T4", "reason"), "'+reason");
    assert_eq!(cell(placements, "T1", "start"), "2026-03-01", "dates are not quoted");

    let db2 = dir.path("again.sqlite");
    dir.ok(&["new", "--db", s(&db2)]);
    let out = dir.path("e1");
    let f = |n: &str| out.join(n).display().to_string();
    dir.ok(&[
        "import",
        "--db",
        s(&db2),
        "--practices",
        &f("practices.csv"),
        "--trainees",
        &f("trainees.csv"),
        "--placements",
        &f("placements.csv"),
        "--pauses",
        &f("pauses.csv"),
    ]);
    let e2 = dir.export_bytes(&db2, "e2");
    for (i, name) in CSVS.iter().enumerate() {
        assert!(e1[i] == e2[i], "{name} differs after export -> import -> export");
    }
    // The quote is only on the way out: the stored names are the names.
    let data = Store::open(&db2).expect("open").load().expect("load");
    let name = |id: &str| data.trainee(id).map(|t| t.name.clone()).expect("trainee");
    assert_eq!((name("T1"), name("T2"), name("T3")), ("=1+2".into(), "-5".into(), "@x".into()));
    assert!(data.trainee("-T4").is_some());
    assert_eq!(data.practice("a/b").map(|p| p.address.as_str()), Some("+45 1234 5678"));
}

#[test]
fn finance_csv_quotes_formula_like_ids_and_keeps_negative_amounts_numbers() {
    let dir = Dir::new();
    let db = awkward_region(&dir);
    let out = dir.ok(&["finance", "--db", s(&db), "--from", "2026-03", "--to", "2026-03", "--format", "csv"]);
    let text = stdout(&out);
    assert!(text.starts_with('\u{feff}'));
    let has = |start: &str| text.lines().any(|l| l.starts_with(start));
    assert!(has("'-T4;'-P4;2026-03;other;31;47000,00;"), "{text}");
    assert!(has("T1;a/b;2026-03;other;31;47000,00;"), "{text}");
    assert!(has("T2;a_b;2026-03;other;31;-100,00;"), "a negative amount stays a number: {text}");
}

#[test]
fn statements_for_ids_a_slash_b_a_underscore_b_a_colon_b_are_three_files() {
    let dir = Dir::new();
    let db = awkward_region(&dir);
    let out = dir.path("st");
    dir.ok(&["statements", "--db", s(&db), "--from", "2026-03", "--to", "2026-08", "--out", s(&out)]);
    let ids = ["-P4", ".hidden", "a/b", "a:b", "a_b"];
    let mut want = statement_file_names(&ids);
    want.sort();
    assert_eq!(listing(&out), want);
    assert_eq!(want.iter().filter(|n| n.starts_with("a_b-") && n.len() == "a_b-12345678.pdf".len()).count(), 3);
    assert!(want.contains(&"-P4.pdf".to_string()));
    assert!(want.iter().any(|n| n.starts_with(".hidden-")));
    for n in &want {
        assert!(pdf_is_complete(&std::fs::read(out.join(n)).expect("pdf")), "{n}");
    }
    // One practice on its own gets the same name as in the set.
    let one = dir.path("one");
    dir.ok(&[
        "statements",
        "--db",
        s(&db),
        "--from",
        "2026-03",
        "--to",
        "2026-08",
        "--out",
        s(&one),
        "--practice",
        "a/b",
    ]);
    assert_eq!(listing(&one), vec![statement_file_names(&["a/b"])[0].clone()]);
}

/// Checks every file under a final name in `dir`: mode 0600 and complete. Returns (final files,
/// hidden leftovers).
fn check_finals(dir: &Path, complete: impl Fn(&str, &[u8]) -> bool) -> (usize, usize) {
    let (mut finals, mut hidden) = (0, 0);
    for name in listing(dir) {
        if name.starts_with('.') {
            assert!(name.contains(".tmp-"), "{name} is neither a final name nor a temporary one");
            hidden += 1;
            continue;
        }
        let path = dir.join(&name);
        assert_eq!(mode(&path), 0o600, "{name}");
        let bytes = std::fs::read(&path).expect("read");
        assert!(complete(&name, &bytes), "{name} under its final name is incomplete ({} bytes)", bytes.len());
        finals += 1;
    }
    (finals, hidden)
}

#[test]
fn killed_statements_and_export_leave_only_complete_files_under_final_names() {
    let dir = Dir::new();
    let db = demo(&dir, "400");
    let reference = dir.export_bytes(&db, "reference");
    let rows: Vec<usize> = reference.iter().map(|b| csv_rows(b).expect("reference parses")).collect();
    assert!(rows[0] == 400 && rows[1] > 1000, "{rows:?}");

    // Export: killed as the first temporary file appears, as each final file appears, and at
    // fixed moments after the start.
    let mut export_mid = 0;
    // A listing entry beginning with each of these ("" is any entry) triggers a kill.
    let triggers = ["", "practices.csv", "trainees.csv", "placements.csv", ".placements.csv.tmp-"];
    let delays = [0, 10, 20, 40, 60, 80];
    for n in 0..triggers.len() + delays.len() {
        let out = dir.path(&format!("export-{n}"));
        std::fs::create_dir(&out).expect("mkdir");
        let child = spawn(&["export", "--db", s(&db), "--out", s(&out)]);
        let killed = match triggers.get(n) {
            Some(t) => kill_when(child, &out, Duration::from_secs(30), |l| l.iter().any(|n| n.starts_with(t))),
            None => kill_when(child, &out, Duration::from_millis(delays[n - triggers.len()]), |_| false),
        };
        let (finals, hidden) = check_finals(&out, |name, bytes| {
            let i = CSVS.iter().position(|f| *f == name).expect("a known file");
            csv_rows(bytes) == Some(rows[i]) && bytes == reference[i].as_slice()
        });
        eprintln!("export trial {n}: running {killed}, {finals} final files, {hidden} temporary left");
        if killed && finals < 4 {
            export_mid += 1;
        }
    }
    assert!(export_mid >= 2, "only {export_mid} exports were killed part-way");

    // Statements: 400 practices over seven years, killed as the first file appears, after 100
    // and after 300 final files; in parallel, each in its own folder.
    let handles: Vec<_> = [0usize, 100, 300]
        .into_iter()
        .map(|target| {
            let out = dir.path(&format!("statements-{target}"));
            std::fs::create_dir(&out).expect("mkdir");
            let child =
                spawn(&["statements", "--db", s(&db), "--from", "2020-01", "--to", "2026-12", "--out", s(&out)]);
            std::thread::spawn(move || {
                let killed = kill_when(child, &out, Duration::from_secs(600), |l| {
                    l.iter().filter(|n| !n.starts_with('.')).count() >= target.max(1) || (target == 0 && !l.is_empty())
                });
                let (finals, hidden) =
                    check_finals(&out, |name, bytes| name.ends_with(".pdf") && pdf_is_complete(bytes));
                (target, killed, finals, hidden)
            })
        })
        .collect();
    let mut statements_mid = 0;
    for h in handles {
        let (target, killed, finals, hidden) = h.join().expect("trial");
        eprintln!("statements killed at {target}: running {killed}, {finals} final files, {hidden} temporary left");
        if killed && finals < 400 {
            statements_mid += 1;
        }
    }
    assert!(statements_mid >= 1, "no statements run was killed part-way");
}

#[test]
fn suggest_json_into_a_closed_pipe_exits_quietly_without_a_panic() {
    let dir = Dir::new();
    let db = demo(&dir, "40");
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = Command::new(BIN)
        .args(["suggest", "--db", s(&db), "--format", "json"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("\"{BIN}\" suggest --db \"{}\" --format json | head -c 10 >/dev/null", s(&db)))
        .output()
        .expect("run");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    for args in [&["log", "--db", s(&db)][..], &["fairness", "--db", s(&db), "--from", "2020-01", "--to", "2026-12"]] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = Command::new(BIN).args(args).stdout(writer).stderr(Stdio::piped()).output().expect("run");
        assert!(!stderr(&out).contains("panicked"), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn the_desktop_prints_statements_under_the_same_names_as_the_cli_with_mode_0600() {
    let dir = Dir::new();
    let db = awkward_region(&dir);
    let data = Store::open(&db).expect("open").load().expect("load");
    let month = |m: u32| tutorfordeling::domain::dates::YearMonth::new(2026, m).expect("month");
    let printed_on = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).expect("date");
    let out = dir.path("desktop");
    let n = tutorfordeling::ui::finance::print_statements(&data, month(3), month(8), printed_on, &out, &mut |_| true)
        .expect("print");
    assert_eq!(n, 5);
    let cli = dir.path("cli");
    dir.ok(&["statements", "--db", s(&db), "--from", "2026-03", "--to", "2026-08", "--out", s(&cli)]);
    assert_eq!(listing(&out), listing(&cli));
    for f in listing(&out) {
        assert_eq!(mode(&out.join(&f)), 0o600, "{f}");
    }
}
