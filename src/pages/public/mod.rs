//! The public portal: search, records, villages and townships, policies, the dashboard, work
//! updates and notices. Every page is complete HTML and works without JavaScript.
pub mod dashboard;
pub mod home;
pub mod household;
pub mod not_found;
pub mod notices;
pub mod policies;
pub mod search;
pub mod township;
pub mod updates;
pub mod village;
