//! fupin: a targeted poverty-alleviation data system (精准扶贫信息系统).
//!
//! One crate, two builds: with `ssr` it is the axum server (and its CLI), with `hydrate` it is the
//! WASM client that takes over the server-rendered pages.
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// Entry point of the WASM client: attaches to the server-rendered document.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
