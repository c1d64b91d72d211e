//! Draft rounds in the desk (issue 13, and issue 11's proposals on the map), driven through
//! egui_kittest by widget labels, with the database checked afterwards.

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};

use tutorfordeling::domain::round::Round;
use tutorfordeling::store::Store;
use tutorfordeling::ui::App;
use tutorfordeling::ui::files::{FilePurpose, NativeDialogs};
mod gui_util;
use gui_util::{demo_db, harness, load, set_text};

fn round(path: &Path, name: &str) -> Option<Round> {
    Store::open(path).expect("open").round(name).expect("read").map(|s| s.round)
}

/// Presses "Foreslå runde" and waits for the proposals, then keeps them as a draft named `name`.
fn suggest_and_save(h: &mut Harness<'_, App>, name: &str) {
    h.get_by_label("Foreslå runde").click();
    let mut waited = 0;
    while h.query_by_label("Gem som kladde").is_none() {
        assert!(waited < 600, "the round never finished");
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
        waited += 1;
    }
    h.run_ok();
    set_text(h, "Kladdens navn", name);
    h.get_by_label("Gem som kladde").click();
    h.run_ok();
}

#[test]
fn a_draft_is_made_changed_compared_and_published_from_the_desk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let mut h = harness(&db);

    // A draft: stored in the file, nobody placed, and its practices on the map with counts.
    suggest_and_save(&mut h, "Kladde 1");
    let first = round(&db, "Kladde 1").expect("the draft is stored");
    assert!(!first.proposals.is_empty() && !first.published);
    assert_eq!(load(&db).placements, before.placements, "a draft places nobody");
    let layer = h.state().state.round_layer.clone().expect("the opened draft is a layer on the map");
    assert_eq!(layer.counts.iter().map(|(_, n)| n).sum::<usize>(), first.proposals.len());

    // Change one proposal: the first trainee that may go elsewhere.
    let data = load(&db);
    let (trainee, target) = first
        .proposals
        .iter()
        .find_map(|p| {
            let options = tutorfordeling::ops::rounds::change_options(&data, &first, &p.trainee_id);
            options.first().map(|o| (p.trainee_id.clone(), o.clone()))
        })
        .expect("some proposal can move");
    h.get_by_label(&format!("Skift {trainee}")).click();
    h.run_ok();
    h.get_by_label(&format!("Ny praksis for {trainee}")).click();
    h.run_ok();
    let target_name = data.practice(&target).expect("practice").name.clone();
    h.get_by_label(&format!("{target_name} ({target})")).click();
    h.run_ok();
    h.get_by_label("Flyt").click();
    h.run_ok();
    let changed = round(&db, "Kladde 1").expect("still there");
    let p = changed.proposal(&trainee).expect("the trainee is still proposed");
    assert_eq!((p.practice_id.as_str(), p.pinned), (target.as_str(), true), "moved and pinned");
    assert_eq!(changed.proposals.len(), first.proposals.len());

    // A second draft, as the optimizer proposes: it differs from the first in that trainee.
    suggest_and_save(&mut h, "Kladde 2");
    let second = round(&db, "Kladde 2").expect("second draft");
    assert_ne!(second.proposal(&trainee).map(|p| p.practice_id.clone()), Some(target.clone()));
    for name in ["Kladde 1", "Kladde 2"] {
        h.get_by_role_and_label(Role::CheckBox, name).click();
        h.run_ok();
    }
    h.get_by_label("Sammenlign Kladde 1 og Kladde 2").click();
    h.run_ok();
    let t_name = data.trainee(&trainee).expect("trainee").name.clone();
    let wanted = format!("{t_name}: {target_name} |");
    h.get_by_label_contains(&wanted).click();
    h.run_ok();
    let layer = h.state().state.round_layer.clone().expect("layer");
    let at = |id: &str| data.practices.iter().position(|p| p.id == id).expect("index");
    let other = second.proposal(&trainee).map(|p| at(&p.practice_id));
    assert!(layer.highlight.contains(&at(&target)), "the first draft's practice is ringed");
    if let Some(o) = other {
        assert!(layer.highlight.contains(&o), "and the second's");
    }

    // Publish the second: every proposal placed in one write, the round frozen.
    let entries = Store::open(&db).expect("open").audit_log(1000).expect("log").len();
    h.get_by_label("Udgiv runden").click();
    h.run_ok();
    let after = load(&db);
    for p in &second.proposals {
        assert_eq!(after.placement_of(&p.trainee_id).map(|x| x.practice_id.as_str()), Some(p.practice_id.as_str()));
    }
    assert_eq!(after.placements.len(), before.placements.len() + second.proposals.len());
    assert!(round(&db, "Kladde 2").expect("kept").published, "a published round is kept, frozen");
    assert_eq!(Store::open(&db).expect("open").audit_log(1000).expect("log").len(), entries + 1, "one audit entry");
    assert!(!round(&db, "Kladde 1").expect("kept").published);

    // The letters, printed in the background into a folder named in the status bar.
    // Without the system's dialog the program's own asks for the folder; the user's choice is
    // given to it as its "Vælg denne mappe" would.
    h.state_mut().state.files.native = NativeDialogs::Unavailable;
    h.get_by_label("Udskriv breve…").click();
    h.step();
    assert_eq!(h.state().state.files.in_app(), Some(FilePurpose::Letters));
    let chosen = tempfile::tempdir().expect("a folder for the letters");
    h.state_mut().state.files.answer(FilePurpose::Letters, vec![chosen.path().to_path_buf()]);
    h.step();
    let mut waited = 0;
    while !h.state().state.status.starts_with("Skrev") {
        assert!(waited < 600, "the letters never finished: {}", h.state().state.status);
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
        waited += 1;
    }
    let status = h.state().state.status.clone();
    let folder = PathBuf::from(status.split(" filer i ").nth(1).expect("the folder is named"));
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("the folder")
        .map(|e| e.expect("entry").file_name().into_string().expect("name"))
        .collect();
    files.sort();
    let mut want: Vec<String> = second.proposals.iter().map(|p| format!("{}.pdf", p.trainee_id)).collect();
    want.sort();
    assert_eq!(files, want, "one letter per trainee of the round");
    assert!(folder.starts_with(chosen.path()), "the letters go into the folder the user chose: {folder:?}");

    // Changes since publishing: a script removes one of the round's placements with a reason;
    // the desk's report words it in Danish (it showed the stored English summary and an ISO time).
    let moved = &second.proposals[0].trainee_id;
    let mut script = Store::open(&db).expect("open").acting_as_for_tests("hr-script");
    tutorfordeling::ops::unplace_with_reason(&mut script, moved, Some("Barsel".into())).expect("unplace");
    drop(script);
    h.state_mut().state.poll_every = std::time::Duration::ZERO;
    h.run_ok();
    h.get_by_label("Ændringer siden udgivelse").click();
    h.run_ok();
    let worded = format!("fjern {moved} fra");
    for part in [worded.as_str(), " kl. ", "hr-script", "Barsel"] {
        let line = |n: &egui_kittest::Node<'_>| {
            n.accesskit_node().label().or_else(|| n.accesskit_node().value()).unwrap_or_default().to_string()
        };
        assert!(
            h.query_all(By::new()).any(|n| {
                let l = line(&n);
                l.contains(&worded) && l.contains(part)
            }),
            "the change's line says '{part}'"
        );
    }
    assert!(h.query_by_label_contains(&format!("unplace {moved}")).is_none(), "no English in the Danish desk");
}
