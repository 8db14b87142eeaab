//! Parsed documents of recent operations. Portals and scripts send the same
//! few query texts again and again, and parsing one costs more than running
//! a small query (BENCHMARKS.md, change 7): each distinct text is parsed once
//! per process and its document reused by the HTTP layer (operation names,
//! the GET mutation check) and by execution. Parsing is a pure function of
//! the text, so an entry is never stale; the cache is bounded in entries and
//! in the length of the texts it keeps (least recently used go first).

use std::{num::NonZeroUsize, sync::Mutex};

use async_graphql::parser::types::ExecutableDocument;
use lru::LruCache;

/// How many documents one process keeps.
pub const CAPACITY: usize = 256;

/// Longer texts are parsed each time rather than kept.
pub const MAX_TEXT: usize = 16 * 1024;

/// Parsed documents by query text.
pub struct Documents(Mutex<LruCache<String, ExecutableDocument>>);

impl Default for Documents {
    fn default() -> Self {
        Self(Mutex::new(LruCache::new(NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN))))
    }
}

impl Documents {
    /// Gives `request` its parsed document, from the cache or parsed now (and
    /// kept). A text that does not parse is left to execution, which reports it.
    pub fn attach(&self, request: &mut async_graphql::Request) {
        let cached = self.lock().get(&request.query).cloned();
        match cached {
            Some(document) => request.set_parsed_query(document),
            None => {
                let keep = request.query.len() <= MAX_TEXT;
                if let Some(document) = request.parsed_query().ok().filter(|_| keep).cloned() {
                    self.lock().put(request.query.clone(), document);
                }
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, ExecutableDocument>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
