//! The command line in the user's language (issue 10 item 6): `--lang da|en`, else a Danish
//! `LC_ALL`, `LC_MESSAGES` or `LANG` picks Danish; anything else English. Reasons and messages
//! follow the language; JSON, CSV and exit codes do not.

mod util;

use std::process::Output;

use util::{Dir, stderr, stdout};

/// Runs the binary in `dir` with exactly these locale variables.
fn run_with(dir: &Dir, locale: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tutorfordeling"));
    cmd.env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("LANG").current_dir(dir.tmp.path());
    for (k, v) in locale {
        cmd.env(k, v);
    }
    cmd.args(args).output().expect("run tutorfordeling")
}

#[test]
fn a_refusal_is_worded_in_danish_with_lang_da_or_a_danish_locale_and_in_english_otherwise() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    // EX-K1 chose Hedensted; EX-P5 lies elsewhere (H3).
    let place = ["place", "--db", db, "EX-K1", "EX-P5"];
    let danish = [
        run_with(&dir, &[], &[&place[..], &["--lang", "da"]].concat()),
        run_with(&dir, &[("LANG", "da_DK.UTF-8")], &place),
        run_with(&dir, &[("LC_MESSAGES", "da_DK.UTF-8"), ("LANG", "en_GB.UTF-8")], &place),
        run_with(
            &dir,
            &[("LC_ALL", "en_US.UTF-8"), ("LANG", "da_DK.UTF-8")],
            &[&place[..], &["--lang", "da"]].concat(),
        ),
    ];
    for out in &danish {
        assert_eq!(out.status.code(), Some(3));
        let err = stderr(out);
        assert!(
            err.starts_with("fejl: H3: ") && err.contains(" ligger i ") && err.contains("valgte Hedensted"),
            "{err}"
        );
        assert!(!err.contains("H3: H3") && !err.contains(" lies in "), "{err}");
    }
    let english = [
        run_with(&dir, &[], &place),
        run_with(&dir, &[("LANG", "C.UTF-8")], &place),
        run_with(&dir, &[("LC_ALL", "en_US.UTF-8"), ("LANG", "da_DK.UTF-8")], &place),
        run_with(&dir, &[("LANG", "da_DK.UTF-8")], &[&place[..], &["--lang", "en"]].concat()),
    ];
    for out in &english {
        assert_eq!(out.status.code(), Some(3));
        let err = stderr(out);
        assert!(
            err.starts_with("error: H3: ") && err.contains(" lies in ") && err.contains("chose Hedensted"),
            "{err}"
        );
    }
}

#[test]
fn json_and_exit_codes_are_the_same_in_both_languages_and_the_text_follows_the_language() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    let json = ["candidates", "--db", db, "EX-K1", "--format", "json"];
    let da = run_with(&dir, &[("LANG", "da_DK.UTF-8")], &json);
    let en = run_with(&dir, &[("LANG", "C.UTF-8")], &json);
    assert_eq!(da.status.code(), Some(0));
    assert_eq!(stdout(&da), stdout(&en), "JSON does not depend on the language");
    assert!(stdout(&en).contains(" lies in "), "English in the JSON");

    let text = ["candidates", "--db", db, "EX-K1"];
    let da = stdout(&run_with(&dir, &[], &[&text[..], &["--lang", "da"]].concat()));
    let en = stdout(&run_with(&dir, &[], &[&text[..], &["--lang", "en"]].concat()));
    assert!(da.contains(" bryder H") && da.contains("P4: vejlederkvalitet"), "{da}");
    assert!(en.contains(" breaks H") && en.contains("P4: tutor quality"), "{en}");
    assert!(!da.contains(" breaks ") && !da.contains("tutor quality"), "{da}");

    // A placement and its undo, worded in Danish with Danish dates.
    let out = run_with(
        &dir,
        &[],
        &["place", "--db", db, "EX-K1", "EX-P7", "--override", "H1", "--reason", "aftalt", "--lang", "da"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("placerede EX-K1 hos EX-P7 fra "), "{}", stdout(&out));
    let out = run_with(&dir, &[], &["undo", "--db", db, "--lang", "da"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("fortrudt: placér EX-K1 hos EX-P7 fra ") && stdout(&out).contains("og tilsidesæt H1"),
        "{}",
        stdout(&out)
    );
    let out = run_with(&dir, &[], &["check", "--db", db, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).starts_with("no hard rule is broken"), "{}", stderr(&out));
}
