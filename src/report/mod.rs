//! Output documents and renderings: PDF statements, the fairness review and its PDF report, the
//! audit log, the settings, and the language and Danish formats they share (`format`).

pub mod fairness;
pub mod format;
pub mod letter;
pub mod log;
pub mod reasons;
pub mod settings;
pub mod statement;

/// What the PDF renderers' unit tests share: the text of a PDF, as poppler's `pdftotext -layout`
/// reads it, and that text with the column gaps collapsed.
#[cfg(test)]
pub(crate) mod testing {
    pub fn pdftotext(pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("report.pdf");
        std::fs::write(&path, pdf).expect("write pdf");
        let out = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext runs (poppler-utils)");
        assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8 text")
    }

    /// Collapses runs of spaces, so a test can look for a row without knowing the column gaps.
    pub fn squeeze(text: &str) -> String {
        text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
    }
}
