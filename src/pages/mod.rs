//! One module per route: the page component and the server functions it owns.
mod home;
mod not_found;

pub use home::{HomePage, load_site_stats, suggest_places};
pub use not_found::NotFoundPage;
