//! Reusable view pieces (no server code).
pub mod chart;
mod error;
pub mod form;
mod layout;
mod loaded;
mod news;
mod pager;
mod place_filter;
pub mod punct;
mod record;
mod results;
mod search_box;
mod title;

pub use error::{
    ErrorMessage, clear_reason, error_text, exit_reason, import_message, import_message_in,
    rule_message, rule_message_in,
};
pub use layout::{Footer, Header, LanguageSwitch, Viewer};
pub use loaded::Loaded;
pub use news::{NoticeList, NoticeState, PlaceNewsSection, UpdateCard, place_href};
pub use pager::Pager;
pub use place_filter::PlaceFilter;
pub use record::{NotFoundStatus, id_param, list_or, percent_bp, record_view, yuan};
pub use results::{HitCard, PlaceList, status_text};
pub use search_box::{LatestOnly, Live, SearchBox};
pub use title::{PageTitle, textarea_text};
