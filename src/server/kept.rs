//! Figures kept while the database has not changed: the dashboard's, the monitoring figures and
//! the monitoring desk's counts (the kept pages use the same [`Generation`], see `page_cache`).
//!
//! **How a process learns that another wrote.** The database holds one row, `stats_generation`
//! (migrations 0010 and 0012): a random token per database and a counter that a trigger moves in
//! every transaction writing a table a public page reads, whichever process or instance writes.
//! A reader reads that row first (one indexed single-row query), then asks for a value under it.
//! A value read after the generation is at least as new as it, so it serves every reader who saw
//! that generation or an older one, and never one who saw a newer one: several instances behind
//! one database each keep their own values and none serves a figure older than what its reader
//! saw.
//!
//! **One eviction rule.** Keeping a value read under generation `g` drops every value kept under
//! an older generation (nobody can be served by it again: readers only see newer ones), and a map
//! that still holds `max` keys starts again empty.
//!
//! **One single flight.** Readers who ask for the same key while it is being read wait for that
//! one reading, which runs to its end in a task of its own (a reader who hangs up does not
//! strand the others).
use futures::{
    FutureExt,
    future::{BoxFuture, Shared},
};
use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex},
};

use super::db::{Db, sql};

/// The database's generation: its token and the counter's position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, sqlx::FromRow)]
pub struct Generation {
    pub token: String,
    pub n: i64,
}

/// The generation row.
pub const GENERATION: &str = "SELECT token, n FROM stats_generation WHERE id = 1";

impl Generation {
    /// The database's generation now.
    pub async fn read(db: &Db) -> Result<Generation, sqlx::Error> {
        sql(GENERATION).fetch_one(db).await
    }

    /// Whether a value read under `self` serves a reader who saw `seen`: the same database, and
    /// a generation at least as new.
    pub fn serves(&self, seen: &Generation) -> bool {
        self.token == seen.token && self.n >= seen.n
    }
}

type Flight<V> = Shared<BoxFuture<'static, Result<Arc<V>, String>>>;

struct Slot<V> {
    generation: Generation,
    value: Arc<V>,
}

struct Inner<K, V> {
    values: HashMap<K, Slot<V>>,
    running: HashMap<K, (Generation, Flight<V>)>,
}

/// Values `V` by key `K`, each kept with the generation it was read under.
pub struct Kept<K, V> {
    max: usize,
    inner: Mutex<Inner<K, V>>,
}

impl<K, V> Kept<K, V>
where
    K: Clone + Eq + Hash + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// A store of at most `max` keys.
    pub fn new(max: usize) -> Self {
        Kept {
            max,
            inner: Mutex::new(Inner {
                values: HashMap::new(),
                running: HashMap::new(),
            }),
        }
    }

    /// The value under `key` for a reader who saw `seen`: kept, or being read for `seen` or a
    /// newer generation, or else read now by `read` (once, however many ask at the same time).
    pub async fn get<F>(
        &'static self,
        key: K,
        seen: &Generation,
        read: F,
    ) -> Result<Arc<V>, sqlx::Error>
    where
        F: FnOnce() -> BoxFuture<'static, Result<V, sqlx::Error>>,
    {
        let flight = {
            let mut inner = self.lock()?;
            if let Some(slot) = inner.values.get(&key)
                && slot.generation.serves(seen)
            {
                return Ok(slot.value.clone());
            }
            match inner.running.get(&key) {
                Some((generation, flight)) if generation.serves(seen) => flight.clone(),
                _ => {
                    let flight = self.start(key.clone(), seen.clone(), read());
                    inner.running.insert(key, (seen.clone(), flight.clone()));
                    flight
                }
            }
        };
        flight.await.map_err(sqlx::Error::Protocol)
    }

    /// Spawns the reading of `key` under `generation`; keeps its value when it ends.
    fn start(
        &'static self,
        key: K,
        generation: Generation,
        read: BoxFuture<'static, Result<V, sqlx::Error>>,
    ) -> Flight<V> {
        let (k, g) = (key.clone(), generation.clone());
        let task = tokio::spawn(async move {
            let value = read.await.map(Arc::new);
            self.finish(&k, &g, value.as_ref().ok());
            value.map_err(|e| e.to_string())
        });
        async move {
            let joined = task.await;
            if joined.is_err() {
                // The task panicked or was cancelled: the next reader reads again.
                self.finish(&key, &generation, None);
            }
            joined.map_err(|e| e.to_string())?
        }
        .boxed()
        .shared()
    }

    /// Ends the reading of `key` under `generation`, keeping `value` by the eviction rule unless
    /// a value of a newer generation is kept already.
    fn finish(&self, key: &K, generation: &Generation, value: Option<&Arc<V>>) {
        let Ok(mut inner) = self.lock() else {
            return;
        };
        if inner.running.get(key).is_some_and(|(g, _)| g == generation) {
            inner.running.remove(key);
        }
        let Some(value) = value else {
            return;
        };
        if inner
            .values
            .get(key)
            .is_some_and(|s| s.generation.serves(generation) && s.generation != *generation)
        {
            return;
        }
        inner.values.retain(|_, s| s.generation.serves(generation));
        if inner.values.len() >= self.max {
            inner.values.clear();
        }
        inner.values.insert(
            key.clone(),
            Slot {
                generation: generation.clone(),
                value: value.clone(),
            },
        );
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner<K, V>>, sqlx::Error> {
        self.inner
            .lock()
            .map_err(|_| sqlx::Error::Protocol("kept figures: lock poisoned".into()))
    }

    /// How many values are kept (for tests).
    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.values.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests;
