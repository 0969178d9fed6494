//! Reusable view pieces (no server code).
mod error;
mod layout;

pub use error::ErrorMessage;

pub use layout::{Footer, Header, LanguageSwitch};
