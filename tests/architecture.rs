//! The domain stays pure (STYLE.md, following rerun's CI): no UI, storage, PDF, dialogs, file I/O
//! or clock in `src/domain`. This test fails when one creeps in.

use std::path::{Path, PathBuf};

const FORBIDDEN: &[&str] = &[
    "egui",
    "eframe",
    "rusqlite",
    "printpdf",
    "rfd",
    "walkers",
    "std::fs",
    "std::net",
    "Local::now",
    "Utc::now",
    "SystemTime",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/domain") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The forbidden names used as whole words in the code part of a line.
fn forbidden_in(line: &str) -> Vec<&'static str> {
    let code = line.split("//").next().unwrap_or("");
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    FORBIDDEN
        .iter()
        .copied()
        .filter(|word| {
            code.match_indices(word).any(|(i, _)| {
                !code[..i].chars().last().is_some_and(is_word)
                    && !code[i + word.len()..].chars().next().is_some_and(is_word)
            })
        })
        .collect()
}

#[test]
fn the_domain_uses_no_ui_storage_pdf_dialog_file_io_or_clock() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain"), &mut files);
    assert!(files.len() >= 5, "found the domain files");
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for (n, line) in text.lines().enumerate() {
            if !forbidden_in(line).is_empty() {
                found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "src/domain must stay pure:\n{}", found.join("\n"));
}

#[test]
fn the_purity_check_sees_a_forbidden_use_and_ignores_lookalikes() {
    assert_eq!(forbidden_in("use rusqlite::Connection;"), ["rusqlite"]);
    assert_eq!(forbidden_in("    let t = std::fs::read(p);"), ["std::fs"]);
    assert!(forbidden_in("let my_egui_like = 1; // uses egui").is_empty());
    assert!(forbidden_in("/// The GUI (egui) draws this.").is_empty());
}
