//! Households with their causes, members and housing: created, read and updated as one record.
mod history;
mod read;
mod write;

pub use history::{beijing_time, history, last_change, last_change_shown, stale};

pub(crate) use read::{
    CauseRow, HOUSEHOLD_COLUMNS, HOUSING_COLUMNS, HouseholdRow, HousingRow, MEMBER_COLUMNS,
    MemberRow, Parts, read, version,
};
pub use read::{count_by_status, get, member_id_number};
pub use write::{create, create_by, update};
pub(crate) use write::{diff, insert_new, update_row, write_parts};

pub use super::Saved;

/// Whether `err` is a UNIQUE violation (the one constraint a valid form can still break: an ID
/// number already held by an active person of another household).
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}
