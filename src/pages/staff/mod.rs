//! The staff pages: the login, the desk, a household's record, notices, updates and the import.
//! Every server function here checks who is asking before it reads or writes.
pub mod desk;
pub mod household;
pub mod import;
pub mod login;
pub mod monitoring;
pub mod notices;
pub mod updates;
