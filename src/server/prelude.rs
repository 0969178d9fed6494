//! What a server function body usually needs, in one `use crate::server::prelude::*;`: who is
//! asking, the database, the clock, the repositories and the answer's status.
pub use crate::model::place::{PlaceCode, PlaceRange};
pub use crate::server::{
    auth, clock,
    db::Db,
    editor::{covers, editor, editor_range, place},
    repo::{
        self, Saved, household, notices, objections, places, places::Range, records,
        records::Scope, updates,
    },
    respond,
    state::db,
};
