//! One module per route: the page component and the server functions it owns.
pub mod dashboard;
mod home;
pub mod household;
pub mod login;
mod not_found;
pub mod notices;
pub mod policies;
pub mod search;
pub mod staff_api;
mod staff_fields;
pub mod staff_household;
pub mod staff_import;
pub mod staff_notices;
mod staff_record;
pub mod staff_updates;
pub mod transparency_api;
pub mod updates;
pub mod village;

pub use home::{HomePage, load_site_stats};
pub use household::HouseholdPage;
pub use login::{LoginPage, StaffPage};
pub use not_found::NotFoundPage;
pub use policies::{PoliciesPage, PolicyPage};
pub use search::SearchPage;
pub use village::VillagePage;
