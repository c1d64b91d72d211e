//! Output documents and renderings: PDF statements, the audit log, the settings.

pub mod log;
pub mod settings;
pub mod statement;
