//! Reusable view pieces (no server code).
mod error;
mod layout;
mod search_box;

pub use error::{ErrorMessage, rule_message};
pub use layout::{Footer, Header, LanguageSwitch};
pub use search_box::{LatestOnly, Live, SearchBox};
