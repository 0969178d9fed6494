//! The integration tests, one binary with a module per area (each links the whole crate once,
//! instead of once per area). Helpers shared by the areas live in `tests/common/`.
#[path = "../common/mod.rs"]
#[macro_use]
mod common;

mod assistance;
mod auth;
mod authz;
mod backends;
mod dashboard;
mod hostile;
mod http;
mod import_crash;
mod monitoring;
mod privacy;
mod registry;
mod search;
mod transfer;
mod transparency;
