//! Parsed GraphQL documents, kept by their text: bureaus' pages, the web app and integrations
//! send the same few documents over and over (with other variables), and parsing one costs
//! more than the rest of a small request (async-graphql's pest parser: ~32 000 instructions
//! for `{ __typename }`, a fifth of that request's work; docs/benchmarks.md, run 13). The
//! schema runs a copy of the parsed document (`Request::set_parsed_query`) with the same
//! depth and validation checks as a document it parsed itself; the selection compiler reads
//! it in place.
use std::num::NonZeroUsize;
use std::sync::{Arc, LazyLock, Mutex};

use async_graphql::parser::types::ExecutableDocument;
use lru::LruCache;

/// How many documents are kept.
const CAPACITY: usize = 256;

/// Longer documents are parsed every time: the cache's memory stays bounded (a parsed
/// document takes several times its text) whatever callers send.
const MAX_CACHED_BYTES: usize = 8 * 1024;

static DOCUMENTS: LazyLock<Mutex<LruCache<Box<str>, Arc<ExecutableDocument>>>> =
    LazyLock::new(|| {
        Mutex::new(LruCache::new(
            NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN),
        ))
    });

/// The parsed document of `query`, or `None` when it is not valid GraphQL syntax (the schema
/// then reports the syntax error itself; failures are not kept).
pub fn parsed(query: &str) -> Option<Arc<ExecutableDocument>> {
    if query.len() > MAX_CACHED_BYTES {
        return async_graphql::parser::parse_query(query).ok().map(Arc::new);
    }
    if let Some(document) = DOCUMENTS
        .lock()
        .ok()
        .and_then(|mut documents| documents.get(query).cloned())
    {
        return Some(document);
    }
    let document = Arc::new(async_graphql::parser::parse_query(query).ok()?);
    if let Ok(mut documents) = DOCUMENTS.lock() {
        documents.put(query.into(), Arc::clone(&document));
    }
    Some(document)
}

/// `request` with its document parsed (from the cache when seen before), so that the schema
/// does not parse it again.
pub fn with_parsed_document(mut request: async_graphql::Request) -> async_graphql::Request {
    if let Some(document) = parsed(&request.query) {
        request.set_parsed_query((*document).clone());
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_parsed_once_and_shared() {
        let query = "query DocumentsTestOnce { __typename }";
        let first = parsed(query).expect("valid");
        let second = parsed(query).expect("valid");
        assert!(
            Arc::ptr_eq(&first, &second),
            "the second comes from the cache"
        );
    }

    #[test]
    fn syntax_errors_are_not_kept_and_long_documents_are_parsed_each_time() {
        assert!(parsed("query DocumentsTestBroken {").is_none());
        assert!(DOCUMENTS
            .lock()
            .unwrap()
            .peek("query DocumentsTestBroken {")
            .is_none());

        let long = format!(
            "query DocumentsTestLong {{ {} }}",
            "__typename ".repeat(MAX_CACHED_BYTES / 10)
        );
        assert!(long.len() > MAX_CACHED_BYTES);
        let first = parsed(&long).expect("valid");
        let second = parsed(&long).expect("valid");
        assert!(!Arc::ptr_eq(&first, &second), "not kept");
        assert_eq!(format!("{first:?}"), format!("{second:?}"));
    }
}
