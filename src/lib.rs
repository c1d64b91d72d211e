//! tutorfordeling: placing trainee doctors in tutor practices for Region Midtjylland.
//!
//! Layers (see ARCHITECTURE.md): `domain` is the pure core; `store` is the SQLite file;
//! `report` writes PDF; `ui` is the eframe desktop; `cli` is the headless surface.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod ops;
pub mod report;
pub mod store;
pub mod ui;
