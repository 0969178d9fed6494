//! Reusable view pieces (no server code).
pub mod chart;
mod error;
mod layout;
pub mod punct;
mod search_box;
mod title;

pub use error::{ErrorMessage, error_text, exit_reason, rule_message, rule_message_in};
pub use layout::{Footer, Header, LanguageSwitch, Viewer};
pub use search_box::{LatestOnly, Live, SearchBox};
pub use title::{PageTitle, textarea_text};
