//! Output documents and renderings: PDF statements, the fairness review and its PDF report, the
//! audit log, the settings, and the language and Danish formats they share (`format`).

pub mod fairness;
pub mod format;
pub mod letter;
pub mod log;
pub mod reasons;
pub mod settings;
pub mod statement;
