//! Output documents and renderings: PDF statements, the audit log, the settings, and the language
//! and Danish formats they share (`format`).

pub mod format;
pub mod log;
pub mod settings;
pub mod statement;
