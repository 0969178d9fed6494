//! One module per route: the page component and the server functions it owns. Public pages
//! (complete HTML, no client) and the staff pages (hydrated) live apart.
pub mod public;
pub mod staff;
