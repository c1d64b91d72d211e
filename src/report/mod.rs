//! Output documents: PDF statements.

pub mod statement;
