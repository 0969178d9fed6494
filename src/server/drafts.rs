//! Short-lived values a no-JavaScript form leaves for the page it redirects to — what a refused
//! objector typed, what a staff member searched for — kept in memory under a random key that
//! only an HttpOnly cookie carries, so that personal text never travels in a URL (browser
//! history, proxy logs). Bounded in number and age; a restart forgets them, which costs a retype.
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Kept values of one kind.
pub struct Drafts<T> {
    map: Mutex<HashMap<String, (Instant, T)>>,
    max_age: Duration,
    max: usize,
}

impl<T: Clone> Drafts<T> {
    pub fn new(max_age: Duration, max: usize) -> Self {
        Drafts {
            map: Mutex::new(HashMap::new()),
            max_age,
            max,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, T)>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps `value`; returns its key. Under a flood the oldest go first.
    pub fn keep(&self, value: T) -> String {
        let (key, _) = crate::server::auth::new_token();
        let mut all = self.lock();
        let max_age = self.max_age;
        all.retain(|_, (at, _)| at.elapsed() < max_age);
        if all.len() >= self.max
            && let Some(oldest) = all
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone())
        {
            all.remove(&oldest);
        }
        all.insert(key.clone(), (Instant::now(), value));
        key
    }

    /// The value under `key`, left in place (a reload shows it again).
    pub fn peek(&self, key: &str) -> Option<T> {
        let all = self.lock();
        let (at, v) = all.get(key)?;
        (at.elapsed() < self.max_age).then(|| v.clone())
    }

    /// The value under `key`, taken (a second look finds nothing).
    pub fn take(&self, key: &str) -> Option<T> {
        let (at, v) = self.lock().remove(key)?;
        (at.elapsed() < self.max_age).then_some(v)
    }

    /// The `Set-Cookie` value naming `key` under `name`, for pages below `path`.
    pub fn cookie(&self, name: &str, key: &str, path: &str) -> String {
        format!(
            "{name}={key}; Path={path}; Max-Age={}; HttpOnly; SameSite=Lax",
            self.max_age.as_secs()
        )
    }
}

/// The value of cookie `name` in the current request (server rendering), if any.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    cookie_in(&parts.headers, name)
}

/// The value of cookie `name` in `headers`.
pub fn cookie_in(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(name)?
                .strip_prefix('=')
                .map(str::to_string)
        })
}
