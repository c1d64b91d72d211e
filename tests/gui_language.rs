//! One language at a time (issue 10 item 6): the desk in Danish shows no English, and in English
//! no Danish. The desk is driven through every tab, menu and window in each language and every
//! string in its AccessKit tree is read; every reason (H1–H9, T1–T2, P1–P7) and every change's
//! wording is rendered in each language. A string of the other language fails the test.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};

use tutorfordeling::domain::command::{Command, Diff, Rows};
use tutorfordeling::domain::lang::Lang;
use tutorfordeling::domain::model::{Dataset, Pause, Placement, Rule, Setting, TraineeType};
use tutorfordeling::domain::reasons::{
    AreaName, Because, Block, Breach, Refusal, Refusals, Unfit, audit_text, command_text,
};
use tutorfordeling::domain::region::District;
use tutorfordeling::domain::rules::RuleContext;
use tutorfordeling::store::Store;
use tutorfordeling::ui::App;
use tutorfordeling::ui::state::{Selection, Tab};
mod gui_util;
use gui_util::{demo_db, drag, first_in_queue, harness, load, practice_on_map};

// ---------------------------------------------------------------------------------------------
// The detector: words only one of the two languages uses.

/// Words a Danish desk must not show: distinctly English, never Danish.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "are",
    "was",
    "were",
    "with",
    "which",
    "who",
    "not",
    "yes",
    "no",
    "from",
    "trainee",
    "trainees",
    "practice",
    "practices",
    "placement",
    "placements",
    "place",
    "placed",
    "saved",
    "undone",
    "redone",
    "file",
    "open",
    "cannot",
    "refused",
    "settings",
    "month",
    "months",
    "round",
    "suggest",
    "undo",
    "redo",
    "view",
    "help",
    "error",
    "new",
    "edit",
    "remove",
    "add",
    "overriding",
    "accept",
    "lies",
    "chose",
    "already",
    "holds",
    "period",
    "unknown",
    "none",
    "search",
    "show",
    "map",
    "fairness",
    "finance",
    "tutors",
    "doctors",
    "capacity",
    "details",
    "municipality",
    "district",
    "threatened",
    "statements",
    "written",
    "boundaries",
    "contributors",
    "share",
    "year",
    "years",
    "changes",
    "this",
    "that",
    "wish",
    "catchment",
    "between",
    "without",
    "queue",
    "whole",
    "deadline",
    "free",
    "slots",
    "expected",
    "quality",
    "burdened",
    "urban",
    "rural",
    "earlier",
    "reason",
    "because",
    "outside",
    "inside",
    "its",
    "their",
    "it",
    "has",
    "have",
    "as",
    "imported",
    "rings",
    "pin",
    "unpin",
    "theme",
    "light",
    "dark",
    "recent",
    "copy",
    "backup",
    "restore",
    "middle",
    "east",
    "west",
    "other",
    "specialty",
    "phase",
    "nobody",
    "receives",
    "asked",
    "takes",
    "on",
];

/// Words an English desk must not show: distinctly Danish, never English.
const DANISH: &[&str] = &[
    "og",
    "ikke",
    "ingen",
    "praksis",
    "praksisser",
    "uddannelseslæge",
    "uddannelseslæger",
    "kommune",
    "kommuner",
    "fra",
    "til",
    "af",
    "med",
    "er",
    "det",
    "der",
    "som",
    "gemt",
    "vis",
    "filer",
    "hjælp",
    "fordeling",
    "måneder",
    "opgørelser",
    "skrevet",
    "grænser",
    "kort",
    "ja",
    "nej",
    "fase",
    "afvist",
    "hårde",
    "regler",
    "placering",
    "placeringer",
    "forløb",
    "vejleder",
    "vejledere",
    "tutorer",
    "læger",
    "distrikt",
    "midt",
    "sikkerhedskopi",
    "runde",
    "forslag",
    "foreslå",
    "fortryd",
    "gentag",
    "annullér",
    "begrundelse",
    "alle",
    "ændringer",
    "periode",
    "frist",
    "ukendt",
    "ligger",
    "valgte",
    "allerede",
    "tilsidesæt",
    "truet",
    "lægedækningstruet",
    "kø",
    "uden",
    "hele",
    "regionen",
    "søg",
    "navn",
    "mit",
    "område",
    "uge",
    "måned",
    "ønske",
    "ledige",
    "pladser",
    "siden",
    "kl",
    "anden",
    "specialitet",
    "opdateret",
    "ændret",
    "bidragydere",
    "patientgrundlag",
];

/// Names that are the same in both languages: the language menu names each language in itself,
/// and sources are named as they name themselves.
const PROPER: &[&str] =
    &["Dansk", "English", "OpenStreetMap", "Geodatastyrelsen & Danske Kommuner", "Region Midtjylland"];

/// The words of `text` (letters and digits, Danish letters included), lower case.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// What of `text` belongs to the other language than `lang`: its foreign words, and for English
/// any æ, ø or å. `names` (the data's own names) are taken out first.
fn foreign(text: &str, lang: Lang, names: &[String]) -> Vec<String> {
    let mut t = text.to_string();
    // Longest first, so a name is taken out before a shorter name inside it ("Dansk" in "Danske").
    let mut all: Vec<&str> = PROPER.iter().copied().chain(names.iter().map(String::as_str)).collect();
    all.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    for n in all {
        if !n.is_empty() {
            t = t.replace(n, " ");
        }
    }
    let list = match lang {
        Lang::Danish => ENGLISH,
        Lang::English => DANISH,
    };
    let mut out: Vec<String> = words(&t).into_iter().filter(|w| list.contains(&w.as_str())).collect();
    if lang == Lang::English && t.chars().any(|c| "æøåÆØÅ".contains(c)) {
        out.push("æ/ø/å".to_string());
    }
    out
}

#[test]
fn the_detector_finds_a_word_of_the_other_language_and_spares_names() {
    let names = vec!["Ringkøbing-Skjern".to_string(), "Lægehuset i Skive".to_string()];
    assert_eq!(foreign("Gemt: place T1 at P2 from 2027-02-01", Lang::Danish, &names), ["place", "from"]);
    assert!(foreign("Gemt: placér T1 hos P2 fra 01-02-2027", Lang::Danish, &names).is_empty());
    assert_eq!(foreign("Patient base: by", Lang::English, &names), Vec::<String>::new(), "'by' is English too");
    assert_eq!(foreign("District Midt", Lang::English, &names), ["midt"]);
    assert_eq!(foreign("306 opgørelser skrevet", Lang::English, &names), ["opgørelser", "skrevet", "æ/ø/å"]);
    assert!(foreign("Lægehuset i Skive lies in Ringkøbing-Skjern", Lang::English, &names).is_empty());
    assert!(foreign("View → Dansk", Lang::English, &names).is_empty());
    assert!(foreign("Boundaries: Geodatastyrelsen & Danske Kommuner", Lang::English, &names).is_empty());
    assert_eq!(foreign("Grænser: Geodatastyrelsen & Danske Kommuner", Lang::English, &names), ["grænser", "æ/ø/å"]);
}

// ---------------------------------------------------------------------------------------------
// Every reason and every change's wording, in each language.

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn every_breach() -> Vec<Breach> {
    let (p, t, m) = ("Lægehuset Nord".to_string(), "Eksempel Læge".to_string(), "Hedensted".to_string());
    let (a, b) = (day(2027, 2, 1), day(2027, 7, 31));
    vec![
        Breach::OwnGp { practice: p.clone(), trainee: t.clone() },
        Breach::Family { trainee: t.clone(), practice: p.clone() },
        Breach::NoMunicipality { trainee: t.clone() },
        Breach::OtherMunicipality {
            practice: p.clone(),
            municipality: m.clone(),
            trainee: t.clone(),
            assigned: false,
            wanted: "Horsens".into(),
        },
        Breach::OtherMunicipality {
            practice: p.clone(),
            municipality: m.clone(),
            trainee: t.clone(),
            assigned: true,
            wanted: "Horsens".into(),
        },
        Breach::NoHospitalUnit { rule: Rule::H4, trainee: t.clone() },
        Breach::OtherDistrict {
            practice: p.clone(),
            municipality: m.clone(),
            district: Some(District::East),
            trainee: t.clone(),
            unit: "Hospitalsenhed Midt".into(),
            unit_district: Some(District::Middle),
        },
        Breach::OutsideCatchment {
            rule: Rule::H5,
            practice: p.clone(),
            municipality: m.clone(),
            unit: "Hospitalsenhed Midt".into(),
            trainee: t.clone(),
        },
        Breach::Phase3Overlap { practice: p.clone(), from: a, to: b, overlap: 90, allowed: 61, large: true },
        Breach::Phase3Overlap { practice: p.clone(), from: a, to: b, overlap: 90, allowed: 61, large: false },
        Breach::Paused { practice: p.clone(), from: a, to: b },
        Breach::Full { practice: p.clone(), capacity: 1, from: a, to: b, peak: 1 },
        Breach::Full { practice: p.clone(), capacity: 2, from: a, to: b, peak: 2 },
        Breach::StartsAfterEnd { from: b, to: a },
        Breach::OutsideTraineePeriod { from: a, to: b, trainee: t.clone(), own_from: a, own_to: a },
        Breach::AlreadyPlaced { trainee: t.clone(), at: p.clone(), from: a, to: b },
        Breach::UnknownTrainee { id: "T9".into() },
        Breach::UnknownPractice { id: "P9".into() },
    ]
}

fn every_because() -> Vec<Because> {
    let p = "Lægehuset Nord".to_string();
    let (a, b) = (day(2027, 2, 1), day(2027, 7, 31));
    let mut v = vec![
        Because::NoHistory { principle: "T1" },
        Because::NoHistory { principle: "T2" },
        Because::T1LastUnknown { id: "P9".into() },
        Because::T1 { last: p.clone(), last_doctors: 1, doctors: 4 },
        Because::T1 { last: p.clone(), last_doctors: 3, doctors: 4 },
        Because::P1 { months_per_tutor: 25.0, median: 8532.5, years: 5 },
        Because::P1 { months_per_tutor: 25.0, median: 12.0, years: 1 },
        Because::P2Outside,
        Because::P2None { years: 5 },
        Because::P4 { quality: Some(4) },
        Because::P4 { quality: None },
        Because::P5Threatened { practice: p.clone(), most: true },
        Because::P5Threatened { practice: p.clone(), most: false },
        Because::P5NotThreatened { practice: p.clone() },
        Because::P6 { longest_months: 14.5, years: 5 },
        Because::P7Outside { practice: p.clone(), municipality: "Skive".into(), unit: "Hospitalsenhed Midt".into() },
        Because::P7Unknown { municipality: "Skive".into() },
        Because::P7Room { municipality: "Skive".into(), free: 3, from: a, to: b, expected: 2.5 },
    ];
    for setting in [Setting::Urban, Setting::Rural] {
        for this_burdened in [true, false] {
            v.push(Because::T2 { same_setting: 1, earlier: 3, burdened: 2, setting, this_burdened });
        }
    }
    for kind in TraineeType::ALL {
        v.push(Because::P2 { kind, share_pct: 40.0, total_months: 60.0, years: 5, even_pct: 20.0 });
        v.push(Because::P3Wish { practice: p.clone(), kind, from: a, to: b });
        v.push(Because::P3NoWish { practice: p.clone(), kind });
        v.push(Because::P3Refuses { practice: p.clone(), kind });
    }
    v
}

fn every_unfit() -> Vec<Unfit> {
    let (a, b) = (day(2027, 2, 1), day(2027, 7, 31));
    let all = Refusals(vec![
        (Refusal::Full, 3),
        (Refusal::Paused, 1),
        (Refusal::Phase3, 1),
        (Refusal::OwnGp, 1),
        (Refusal::Family, 2),
        (Refusal::OtherPlacement, 1),
        (Refusal::Other, 1),
    ]);
    let areas = [
        AreaName::Municipality("Skive".into()),
        AreaName::NoMunicipality,
        AreaName::Catchment("Hospitalsenhed Midt".into()),
        AreaName::Region,
        AreaName::NoHospitalUnit,
    ];
    let names = vec!["Eksempel Læge (T1)".to_string(), "Anna (T2)".to_string(), "Bo (T3)".to_string()];
    let blocks = vec![
        Block::Room { practice: "Lægehuset Nord".into() },
        Block::Phase3 { practice: "Lægehuset Nord".into(), names: names.clone() },
        Block::Full { practice: "Lægehuset Nord".into(), from: a, names: names[..1].to_vec() },
    ];
    let mut v = vec![
        Unfit::StartsAfterEnd { from: b, to: a },
        Unfit::NoMunicipality,
        Unfit::UnknownMunicipality { name: "Gotham".into() },
        Unfit::NoHospitalUnit,
        Unfit::UnknownHospitalUnit { name: "Gotham".into() },
        Unfit::Displaces { trainee: "Eksempel Læge".into(), block: blocks[2].clone() },
        Unfit::Greedy,
    ];
    for area in areas {
        v.push(Unfit::NoPractice { area: area.clone() });
        v.push(Unfit::NonePasses { area: area.clone(), from: a, refusals: all.clone() });
        v.push(Unfit::NonePasses { area: area.clone(), from: a, refusals: Refusals::default() });
        for ruled_out in [0, 1, 2] {
            v.push(Unfit::AllFull {
                area: area.clone(),
                shown: blocks.clone(),
                more: ruled_out,
                ruled_out,
                refusals: all.clone(),
            });
        }
        v.push(Unfit::FewPhase3 {
            id: "T1".into(),
            feasible: 1,
            candidates: 9,
            area: area.clone(),
            from: a,
            refusals: all.clone(),
        });
        v.push(Unfit::NoPhase3Practice { id: "T1".into(), area });
    }
    v
}

fn every_command(data: &Dataset) -> Vec<Command> {
    let t = data.trainees[0].clone();
    let p = data.practices[0].clone();
    let placement = Placement {
        trainee_id: t.id.clone(),
        practice_id: p.id.clone(),
        start: t.start,
        end: t.end,
        pinned: false,
        overrides: vec![Rule::H3, Rule::H8],
        reason: Some("aftalt".into()),
    };
    let pause = Pause { practice_id: p.id.clone(), start: t.start, end: t.end, wish_type: None };
    let wish = Pause { wish_type: Some(TraineeType::Phase3), ..pause.clone() };
    let mut edited = p.clone();
    edited.tutors += 1;
    vec![
        Command::Place { placement: placement.clone() },
        Command::Place { placement: Placement { overrides: Vec::new(), ..placement.clone() } },
        Command::Unplace { placement: placement.clone(), reason: None },
        Command::SetPinned { placement: placement.clone(), pinned: true },
        Command::SetPinned { placement: placement.clone(), pinned: false },
        Command::AcceptRound { placements: vec![placement.clone(); 3] },
        Command::RemovePlacements { placements: vec![placement.clone(); 3] },
        Command::EditPractice { before: Box::new(p.clone()), after: Box::new(edited) },
        Command::EditTrainee { before: Box::new(t.clone()), after: Box::new(t.clone()) },
        Command::AddTrainee { trainee: Box::new(t.clone()) },
        Command::RemoveTrainee { trainee: Box::new(t.clone()) },
        Command::AddPause { pause: pause.clone() },
        Command::RemovePause { pause },
        Command::AddPause { pause: wish },
        Command::SetThreatened { municipality: "Skive".into(), before: false, after: true },
        Command::SetThreatened { municipality: "Skive".into(), before: true, after: false },
        Command::SetSettings { before: Box::new(data.settings.clone()), after: Box::new(data.settings.clone()) },
        Command::Import {
            summary: "imported 1 practices".into(),
            rows: Rows {
                practices: vec![Diff { before: None, after: Some(p.clone()) }],
                placements: vec![Diff { before: None, after: Some(placement) }],
                ..Rows::default()
            },
        },
        Command::Boundaries { before: Vec::new(), after: Vec::new() },
    ]
}

#[test]
fn every_reason_and_every_change_is_worded_in_one_language_with_its_id_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = load(&demo_db(dir.path()));
    let mut names = data_names(&data);
    names.extend(["Lægehuset Nord", "Eksempel Læge", "Gotham"].map(String::from));
    let mut bad = Vec::new();
    for lang in [Lang::Danish, Lang::English] {
        let mut texts: Vec<(String, String)> = Vec::new();
        for b in every_breach() {
            let text = b.text(lang);
            let id = b.rule().id();
            assert!(text.starts_with(&format!("{id}: ")), "{text}");
            assert!(!text.contains(&format!("{id}: {id}")), "the rule id doubled: {text}");
            texts.push((format!("{b:?}"), text));
        }
        for b in every_because() {
            let text = b.text(lang);
            assert!(text.starts_with(&format!("{}: ", b.principle())), "{text}");
            texts.push((format!("{b:?}"), text));
        }
        for u in every_unfit() {
            texts.push((format!("{u:?}"), u.text(lang)));
        }
        for c in every_command(&data) {
            let text = command_text(&c, lang).expect("every command is worded");
            texts.push((c.action().to_string(), text.clone()));
            let undo = audit_text("undo", "undo: x", Some(&c.inverse()), lang);
            texts.push((format!("undo {}", c.action()), undo));
        }
        texts.push(("time".into(), lang.time("2026-11-29T14:03:00+01:00")));
        for (what, text) in texts {
            let found = foreign(&text, lang, &names);
            if !found.is_empty() {
                bad.push(format!("{lang:?} {what}: {text:?} has {found:?}"));
            }
        }
    }
    assert!(bad.is_empty(), "{} strings of the other language:\n{}", bad.len(), bad.join("\n"));
    // The English sentences are those the CLI and the JSON have always shown.
    let h3 = Breach::OtherMunicipality {
        practice: "Viborg Øst Lægerne".into(),
        municipality: "Viborg".into(),
        trainee: "Eksempel Kbu Et".into(),
        assigned: false,
        wanted: "Hedensted".into(),
    };
    assert_eq!(h3.text(Lang::English), "H3: Viborg Øst Lægerne lies in Viborg, but Eksempel Kbu Et chose Hedensted.");
    assert_eq!(h3.text(Lang::Danish), "H3: Viborg Øst Lægerne ligger i Viborg, men Eksempel Kbu Et valgte Hedensted.");
}

// ---------------------------------------------------------------------------------------------
// The desk, driven through every tab, menu and window.

/// The data's own names, which are the same in both languages.
fn data_names(data: &Dataset) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    names.extend(data.region.municipalities.iter().map(|m| m.name.clone()));
    names.extend(data.region.hospital_units.iter().map(|h| h.name.clone()));
    for p in &data.practices {
        names.push(p.name.clone());
        names.push(p.address.clone());
    }
    names.extend(data.trainees.iter().map(|t| t.name.clone()));
    names.push(tutorfordeling::store::os_user());
    // Longest first, so a name is taken out before a shorter name inside it.
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.dedup();
    names
}

/// The text of every shape painted in the last frame: what a painter draws (the map's notes and
/// attribution, the plots' axes) is not in the AccessKit tree.
fn painted(shapes: &[egui::epaint::ClippedShape], out: &mut BTreeSet<String>) {
    fn walk(shape: &egui::Shape, out: &mut BTreeSet<String>) {
        match shape {
            egui::Shape::Text(t) => {
                out.insert(t.galley.text().to_string());
            }
            egui::Shape::Vec(v) => v.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    for s in shapes {
        walk(&s.shape, out);
    }
}

/// Every label and value in the desk's AccessKit tree now, and every text painted.
fn shown(h: &Harness<'_, App>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    painted(&h.output().shapes, &mut out);
    for node in h.query_all(By::new()) {
        let n = node.accesskit_node();
        // A text run is a line of a label whose whole text is read from the label itself.
        if n.role() == egui::accesskit::Role::TextRun {
            continue;
        }
        out.extend(n.label());
        out.extend(n.value());
    }
    out.extend([h.state().state.status.clone()]);
    out.extend(h.state().state.error.clone());
    out
}

fn click_if_there(h: &mut Harness<'_, App>, label: &str) -> bool {
    let there = h.query_all_by_label(label).next().is_some();
    if there {
        h.get_all_by_label(label).next().expect("there").click();
        h.run_ok();
    }
    there
}

/// Walks the desk in `lang`: every tab and its views, every menu, the log, the inspector of a
/// practice and of a trainee, the place form, the round; returns every string seen.
fn walk(db: &Path, lang: Lang) -> BTreeSet<String> {
    // Boundaries, so the map draws outlines and names their source.
    let lemvig = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"lau_1":"0665"},
        "geometry":{"type":"Polygon","coordinates":[[[8.1,56.5],[8.4,56.5],[8.4,56.6],[8.1,56.5]]]}}]}"#;
    let mut store = Store::open(db).expect("open");
    tutorfordeling::ops::import_boundaries(&mut store, lemvig.as_bytes(), "lemvig.geojson").expect("boundaries");
    drop(store);
    let data = load(db);
    let mut h = harness(db);
    let t = |da: &'static str, en: &'static str| lang.t(da, en);
    if lang == Lang::English {
        h.get_by_label("Vis").click();
        h.run_ok();
        h.get_by_label("English").click();
        h.run_ok();
    }
    let mut seen = shown(&h);
    // The menus, each open in turn.
    for menu in [t("Filer", "File"), t("Redigér", "Edit"), t("Vis", "View")] {
        h.get_by_label(menu).click();
        h.run_ok();
        seen.extend(shown(&h));
        click_if_there(&mut h, t("Seneste filer", "Recent files"));
        seen.extend(shown(&h));
        h.key_press(egui::Key::Escape);
        h.run_ok();
    }
    let trainee = first_in_queue(&data);
    let tabs = [
        (Tab::Map, t("Kort", "Map")),
        (Tab::Practices, t("Praksisser", "Practices")),
        (Tab::Fairness, t("Fordeling", "Fairness")),
        (Tab::Finance, t("Økonomi", "Finance")),
    ];
    for (tab, label) in tabs {
        assert!(h.query_all_by_label(label).next().is_some(), "the tab {label}");
        h.state_mut().state.tab = tab;
        h.run_ok();
        seen.extend(shown(&h));
        // The views inside a tab.
        for view in
            [t("Plots", "Plots"), t("Over tid", "Over time"), t("Sammenlign", "Compare"), t("Gennemgang", "Review")]
        {
            if click_if_there(&mut h, view) {
                seen.extend(shown(&h));
            }
        }
    }
    // The inspector: a practice, then a trainee; the place form.
    h.state_mut().state.tab = Tab::Map;
    h.state_mut().state.selection = Selection::Practice(data.practices[0].id.clone());
    h.run_ok();
    seen.extend(shown(&h));
    h.state_mut().state.selection = Selection::Trainee(trainee.id.clone());
    h.run_ok();
    seen.extend(shown(&h));
    if click_if_there(&mut h, t("Placér…", "Place…")) {
        seen.extend(shown(&h));
    }
    // A refused placement, and a stored one: the error window and the status bar.
    let refused = data
        .practices
        .iter()
        .find(|p| !RuleContext::new(&data).check(&trainee, p, trainee.period(), None).is_empty())
        .expect("a practice that refuses the trainee");
    let cmd = Command::Place {
        placement: Placement {
            trainee_id: trainee.id.clone(),
            practice_id: refused.id.clone(),
            start: trainee.start,
            end: trainee.end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        },
    };
    assert!(!h.state_mut().state.execute(&cmd), "refused");
    h.run_ok();
    seen.extend(shown(&h));
    h.state_mut().state.error = None;
    let good = data
        .practices
        .iter()
        .find(|p| RuleContext::new(&data).check(&trainee, p, trainee.period(), None).is_empty())
        .expect("a practice for the trainee");
    let cmd = Command::Place { placement: Placement { practice_id: good.id.clone(), ..placement_of(&cmd) } };
    assert!(h.state_mut().state.execute(&cmd), "stored");
    h.run_ok();
    seen.extend(shown(&h));
    h.state_mut().state.undo();
    h.run_ok();
    seen.extend(shown(&h));
    // The log window with those rows.
    h.state_mut().log.open = true;
    h.run_ok();
    seen.extend(shown(&h));
    h.state_mut().log.open = false;
    // The round for the queue.
    if click_if_there(&mut h, t("Foreslå runde", "Suggest round")) {
        for _ in 0..50 {
            h.run_ok();
            if h.state().state.busy.is_none() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        h.run_ok();
        seen.extend(shown(&h));
    }
    seen
}

fn placement_of(cmd: &Command) -> Placement {
    match cmd {
        Command::Place { placement } => placement.clone(),
        _ => unreachable!("a Place command"),
    }
}

fn walk_and_check(lang: Lang) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let names = data_names(&load(&db));
    let seen = walk(&db, lang);
    if let Ok(path) = std::env::var("GUI_LANGUAGE_DUMP") {
        std::fs::write(format!("{path}.{lang:?}"), seen.iter().cloned().collect::<Vec<_>>().join("\n")).expect("dump");
    }
    assert!(seen.len() > 100, "the walk saw the desk: {} strings", seen.len());
    let bad: Vec<String> = seen
        .iter()
        .filter_map(|s| {
            let f = foreign(s, lang, &names);
            (!f.is_empty()).then(|| format!("{s:?} has {f:?}"))
        })
        .collect();
    assert!(bad.is_empty(), "{lang:?} desk shows {} strings of the other language:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn the_danish_desk_shows_no_english_in_any_tab_menu_or_window() {
    walk_and_check(Lang::Danish);
}

#[test]
fn the_english_desk_shows_no_danish_in_any_tab_menu_or_window() {
    walk_and_check(Lang::English);
}

// ---------------------------------------------------------------------------------------------
// Item 6 as a user meets it.

#[test]
fn a_refused_drop_in_the_danish_desk_gives_danish_reasons_with_the_rule_id_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let data = load(&db);
    let names = data_names(&data);
    let t = first_in_queue(&data);
    let mut h = harness(&db);
    let (index, target) = practice_on_map(&h, &data, &t, false);
    let broken = RuleContext::new(&data).check(&t, &data.practices[index], t.period(), None);
    assert!(!broken.is_empty());
    let from = h.get_all_by_label(&t.name).next().expect("the trainee in the queue").rect().center();
    drag(&mut h, from, target);

    h.get_by_label("Placering afvist");
    for v in &broken {
        let danish = v.text(Lang::Danish);
        let id = v.rule.id();
        assert!(danish.starts_with(&format!("{id}: ")) && !danish.contains(&format!("{id}: {id}")), "{danish}");
        assert!(foreign(&danish, Lang::Danish, &names).is_empty(), "{danish}");
        // Shown as it is: once, with no rule id in front of it.
        h.get_by_label(&danish);
        assert!(h.query_by_label_contains(&format!("{id}: {id}")).is_none(), "{id} doubled");
        assert!(h.query_by_label(&v.message).is_none(), "the English sentence in the Danish desk: {}", v.message);
    }
    assert!(load(&db).placement_of(&t.id).is_none(), "a refused drop stores nothing");
}

#[test]
fn the_status_bar_after_a_placement_is_danish_with_danish_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let data = load(&db);
    let names = data_names(&data);
    let t = first_in_queue(&data);
    let mut h = harness(&db);
    let (index, target) = practice_on_map(&h, &data, &t, true);
    let from = h.get_all_by_label(&t.name).next().expect("the trainee in the queue").rect().center();
    drag(&mut h, from, target);

    let placed = load(&db).placement_of(&t.id).expect("placed").clone();
    assert_eq!(placed.practice_id, data.practices[index].id);
    let status = h.state().state.status.clone();
    let want = format!(
        "Gemt: placér {} hos {} fra {} til {}",
        t.id,
        placed.practice_id,
        placed.start.format("%d-%m-%Y"),
        placed.end.format("%d-%m-%Y")
    );
    assert_eq!(status, want);
    assert!(foreign(&status, Lang::Danish, &names).is_empty(), "{status}");
    h.get_by_label_contains(&want);

    // The status bar follows a change of language (regression: it kept the Danish sentence).
    h.get_by_label("Vis").click();
    h.run_ok();
    h.get_by_label("English").click();
    h.run_ok();
    let english = format!(
        "Saved: place {} at {} from {} to {}",
        t.id,
        placed.practice_id,
        placed.start.format("%d-%m-%Y"),
        placed.end.format("%d-%m-%Y")
    );
    h.get_by_label(&english);
    assert!(h.query_by_label_contains(&want).is_none(), "the Danish status after switching to English");
    h.get_by_label("View").click();
    h.run_ok();
    h.get_by_label("Dansk").click();
    h.run_ok();
    h.get_by_label(&want);

    // Undone, in Danish too; and the log words both rows in Danish, with Danish times.
    h.state_mut().state.undo();
    h.run_ok();
    let status = h.state().state.status.clone();
    assert!(status.starts_with("Fortrudt: placér "), "{status}");
    h.state_mut().log.open = true;
    h.run_ok();
    h.get_by_label_contains("fortryd: placér");
    assert!(h.query_by_label_contains("undo: place").is_none());
    assert!(h.query_all_by_label_contains(" kl. ").next().is_some(), "the log's times are Danish");
}

#[test]
fn an_import_error_in_the_danish_desk_is_danish_and_keeps_its_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let data = load(&db);
    let names = data_names(&data);
    let file = dir.path().join("practices.csv");
    std::fs::write(
        &file,
        "id;name;municipality;lat;lon;tutors;doctors;setting;burdened;capacity;large\n\
         NY-P1;Lægehuset Syd;Gotham;56,1;9,5;1;1;urban;nej;1;nej\n",
    )
    .expect("write");
    let mut h = harness(&db);
    tutorfordeling::ui::app::import_csv(&mut h.state_mut().state, std::slice::from_ref(&file));
    h.run_ok();
    let stored = h.state().state.error.clone().expect("refused");
    assert!(stored.contains("it must be one of the region's 19"), "the check words it in English: {stored}");
    let shown = h
        .get_all_by_label_contains("ukendt kommune 'Gotham'; den skal være en af regionens 19")
        .next()
        .expect("the Danish error")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    // The file's name is the contract's (practices.csv); the reason after its place is Danish.
    let (place, reason) = shown.split_once("practices.csv:2:3: ").expect("FILE:LINE:COLUMN kept");
    assert!(!place.contains(": "), "{shown}");
    assert!(foreign(reason, Lang::Danish, &names).is_empty(), "{shown}");
    assert!(h.query_all_by_label_contains("it must be one of").next().is_none());
    assert_eq!(load(&db), data, "nothing was imported");
}
