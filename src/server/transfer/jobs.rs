//! Uploads between their dry run and their confirmation, and the progress of running imports.
//! Held in memory: an upload lives half an hour (a restart forgets it and the user uploads again —
//! nothing of the register is at stake, the import itself is one transaction). Only uploads whose
//! dry run was clean are kept (a file with errors cannot be confirmed, so it is dropped at once),
//! at most three per account and [`MAX_KEPT_BYTES`] in all.
use crate::model::transfer::ImportProgress;
use axum::body::Bytes;
use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
    time::{Duration, Instant},
};

/// How long a checked upload waits for its confirmation.
const KEEP: Duration = Duration::from_secs(1800);
/// Bytes of waiting uploads kept in all (the oldest waiting ones are dropped first).
pub const MAX_KEPT_BYTES: usize = 256 * 1024 * 1024;
/// Uploads kept per account (older ones are dropped).
const PER_ACCOUNT: usize = 3;

/// A checked upload.
pub struct Upload {
    pub staff_id: i64,
    pub file_name: String,
    pub bytes: Bytes,
    /// Set once confirmed.
    pub progress: Option<ImportProgress>,
    created: Instant,
}

static UPLOADS: LazyLock<Mutex<HashMap<String, Upload>>> = LazyLock::new(Default::default);

fn uploads() -> std::sync::MutexGuard<'static, HashMap<String, Upload>> {
    UPLOADS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keeps an upload whose dry run was clean; returns the token that names it.
pub fn keep(staff_id: i64, file_name: &str, bytes: Bytes) -> String {
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
    // Then the oldest waiting uploads of anyone, while the total would pass the cap.
    let mut waiting: Vec<(String, Instant)> = all
        .iter()
        .filter(|(_, u)| u.progress.is_none())
        .map(|(t, u)| (t.clone(), u.created))
        .collect();
    waiting.sort_by_key(|(_, at)| *at);
    let mut total: usize = all.values().map(|u| u.bytes.len()).sum::<usize>() + bytes.len();
    for (old, _) in waiting {
        if total <= MAX_KEPT_BYTES {
            break;
        }
        if let Some(u) = all.remove(&old) {
            total -= u.bytes.len();
        }
    }
    all.insert(
        token.clone(),
        Upload {
            staff_id,
            file_name: file_name.to_string(),
            bytes,
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
    /// Already confirmed.
    Started,
}

/// Marks the upload confirmed and hands out its file.
pub fn start(token: &str, staff_id: i64) -> Result<(String, Bytes), Refusal> {
    let mut all = uploads();
    let u = all
        .get_mut(token)
        .filter(|u| u.staff_id == staff_id)
        .ok_or(Refusal::Unknown)?;
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
