//! Uploads between their dry run and their confirmation, and the progress of running imports.
//! Held in memory: an upload lives an hour (a restart forgets it and the user uploads again —
//! nothing of the register is at stake, the import itself is one transaction).
use crate::model::transfer::ImportProgress;
use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
    time::{Duration, Instant},
};

/// How long a checked upload waits for its confirmation.
const KEEP: Duration = Duration::from_secs(3600);
/// Uploads kept per account (older ones are dropped).
const PER_ACCOUNT: usize = 3;

/// A checked upload.
pub struct Upload {
    pub staff_id: i64,
    pub file_name: String,
    pub bytes: Arc<Vec<u8>>,
    /// The dry run found errors: confirming is refused.
    pub has_errors: bool,
    /// Set once confirmed.
    pub progress: Option<ImportProgress>,
    created: Instant,
}

static UPLOADS: LazyLock<Mutex<HashMap<String, Upload>>> = LazyLock::new(Default::default);

fn uploads() -> std::sync::MutexGuard<'static, HashMap<String, Upload>> {
    UPLOADS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keeps a checked upload; returns the token that names it.
pub fn keep(staff_id: i64, file_name: &str, bytes: Vec<u8>, has_errors: bool) -> String {
    let (token, _) = crate::server::auth::new_token();
    let mut all = uploads();
    all.retain(|_, u| {
        u.created.elapsed() < KEEP
            || matches!(
                u.progress,
                Some(ImportProgress::Checking | ImportProgress::Writing { .. })
            )
    });
    let mut mine: Vec<(String, Instant)> = all
        .iter()
        .filter(|(_, u)| u.staff_id == staff_id && u.progress.is_none())
        .map(|(t, u)| (t.clone(), u.created))
        .collect();
    mine.sort_by_key(|(_, at)| *at);
    while mine.len() >= PER_ACCOUNT {
        let (old, _) = mine.remove(0);
        all.remove(&old);
    }
    all.insert(
        token.clone(),
        Upload {
            staff_id,
            file_name: file_name.to_string(),
            bytes: Arc::new(bytes),
            has_errors,
            progress: None,
            created: Instant::now(),
        },
    );
    token
}

/// Why a confirmation cannot start.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such upload for this account (expired, or someone else's).
    Unknown,
    /// The dry run found errors.
    HasErrors,
    /// Already confirmed.
    Started,
}

/// Marks the upload confirmed and hands out its file.
pub fn start(token: &str, staff_id: i64) -> Result<(String, Arc<Vec<u8>>), Refusal> {
    let mut all = uploads();
    let u = all
        .get_mut(token)
        .filter(|u| u.staff_id == staff_id)
        .ok_or(Refusal::Unknown)?;
    if u.has_errors {
        return Err(Refusal::HasErrors);
    }
    if u.progress.is_some() {
        return Err(Refusal::Started);
    }
    u.progress = Some(ImportProgress::Checking);
    Ok((u.file_name.clone(), u.bytes.clone()))
}

/// Records how a running import stands.
pub fn report(token: &str, progress: ImportProgress) {
    if let Some(u) = uploads().get_mut(token) {
        u.progress = Some(progress);
    }
}

/// How the import of `token` stands, for its owner only.
pub fn progress(token: &str, staff_id: i64) -> Option<ImportProgress> {
    uploads()
        .get(token)
        .filter(|u| u.staff_id == staff_id)
        .and_then(|u| u.progress.clone())
}
