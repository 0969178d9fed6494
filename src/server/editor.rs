//! What an editor (city, township or village staff; not a helper cadre) may touch: the places of
//! their role, checked on the server by every staff function about updates and notices.
use crate::{
    error::AppError,
    model::staff::StaffInfo,
    server::{
        auth,
        db::Db,
        repo::{places::Range, records::Scope},
        state::db,
    },
};

/// A 12-digit code or nothing; anything else is refused.
pub fn place(code: &str) -> Result<Option<String>, AppError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid("place"));
    }
    Ok(Some(code.to_string()))
}

/// The places an editor manages: `None` for city staff; 403 for helper cadres.
pub fn editor_range(staff: &StaffInfo) -> Result<Range, AppError> {
    auth::require_editor(staff)?;
    Ok(match auth::scope(staff) {
        Scope::All => None,
        Scope::Villages { from, to } => Some((from, to)),
        Scope::Cadre(_) => return Err(AppError::Forbidden),
    })
}

/// Whether `code` (or the whole city, `None`) lies in `range`.
pub fn covers(range: &Range, code: Option<&str>) -> bool {
    match (range, code) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some((from, to)), Some(c)) => c >= from.as_str() && c <= to.as_str(),
    }
}

/// The logged-in editor, the database and the editor's range.
pub async fn editor() -> Result<(StaffInfo, Db, Range), AppError> {
    let staff = auth::require_staff().await?;
    let range = editor_range(&staff)?;
    Ok((staff, db()?, range))
}
