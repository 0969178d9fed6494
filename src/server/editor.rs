//! What an editor (city, township or village staff; not a helper cadre) may touch: the places of
//! their role, checked on the server by every staff function about updates and notices.
use crate::{
    error::AppError,
    model::{place::PlaceCode, staff::StaffInfo},
    server::{
        auth,
        db::Db,
        repo::{places::Range, records::Scope},
        state::db,
    },
};

/// A place code or nothing; anything else is refused.
pub fn place(code: &str) -> Result<Option<PlaceCode>, AppError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    PlaceCode::parse(code)
        .map(Some)
        .ok_or(AppError::invalid("place"))
}

/// The places an editor manages: `None` for city staff; 403 for helper cadres.
pub fn editor_range(staff: &StaffInfo) -> Result<Range, AppError> {
    auth::require_editor(staff)?;
    Ok(match auth::scope(staff) {
        Scope::All => None,
        Scope::Villages(range) => Some(range),
        Scope::Cadre(_) => return Err(AppError::Forbidden),
    })
}

/// Whether `code` (or the whole city, `None`) lies in `range`.
pub fn covers(range: &Range, code: Option<&str>) -> bool {
    match (range, code) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(range), Some(c)) => range.covers(c),
    }
}

/// The logged-in editor, the database and the editor's range.
pub async fn editor() -> Result<(StaffInfo, Db, Range), AppError> {
    let staff = auth::require_staff().await?;
    let range = editor_range(&staff)?;
    Ok((staff, db()?, range))
}
