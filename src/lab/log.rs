//! The request log: every request either port receives, in arrival order.

use std::sync::{Arc, Mutex, MutexGuard};

/// One request as the lab received it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoggedRequest {
    /// The local port that received it (primary or secondary).
    pub port: u16,
    pub method: String,
    /// The raw path, still percent-encoded.
    pub path: String,
    /// The raw query string without `?` (empty when there is none).
    pub query: String,
    /// The request target exactly as it came on the request line (path, `?` and query), so a
    /// test can compare it byte for byte with the URL typed in the form.
    pub target: String,
    pub origin: Option<String>,
    /// Every request header in order, names lowercase, duplicates kept.
    pub headers: Vec<(String, String)>,
    pub body_len: usize,
}

/// A shared, cloneable log.
#[derive(Debug, Clone, Default)]
pub(crate) struct Log(Arc<Mutex<Vec<LoggedRequest>>>);

impl Log {
    fn lock(&self) -> MutexGuard<'_, Vec<LoggedRequest>> {
        // A panic while holding the lock cannot leave a Vec half-pushed: keep going.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn push(&self, entry: LoggedRequest) {
        self.lock().push(entry);
    }

    pub(crate) fn snapshot(&self) -> Vec<LoggedRequest> {
        self.lock().clone()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}
