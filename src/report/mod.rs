//! Output documents: PDF statements (`statement`).
