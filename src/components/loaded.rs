//! Reading a resource inside `<Suspense>` or `<Transition>`.
//!
//! On the server, a boundary checks its children again from its own task each time one of its
//! loads finishes. When the visitor has hung up meanwhile, the page's owner has been disposed
//! with the resource in it, and the reactive graph answers `get()` on a disposed value with a
//! panic in that task. `loaded()` reads such a resource as still loading instead: nobody is
//! listening, and the task ends with its owner.
use leptos::prelude::*;

/// A resource's value once it has loaded: `None` while it loads, or once its page is gone.
pub trait Loaded {
    type Value;
    fn loaded(&self) -> Option<Self::Value>;
}

impl<T> Loaded for Resource<T>
where
    T: Clone + Send + Sync + 'static,
{
    type Value = T;

    fn loaded(&self) -> Option<T> {
        self.try_get().flatten()
    }
}
