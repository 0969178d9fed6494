//! Server functions that more than one page calls. A page owns the server functions only it
//! calls; what two pages share lives here (or is a component), so no page imports another.
pub mod households;
pub mod places;
pub mod session;
