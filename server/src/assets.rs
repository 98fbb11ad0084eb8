//! The browser bundle's files (`/pkg/…`): served precompressed, and cached for good.
//!
//! `scripts/build` puts every file of the bundle (the WASM, its JavaScript glue, the
//! split parts and their loader, the style sheet) in a directory named after a hash of
//! their contents, `pkg/<hash>/`, and writes the hash to `pkg/BUNDLE`. Each file's URL
//! thus changes whenever any of them changes, so the server can tell browsers to keep
//! them forever (`immutable`): a returning visitor downloads nothing again, and a new
//! release is fetched whole because its URLs are new. The pages that name these URLs are
//! never cached (`no-cache`, [`crate::security::default_headers`]).
//!
//! Without a `BUNDLE` file (a bundle built by other means, in development) the files sit
//! directly in `pkg/` and are revalidated on every use.

use std::path::Path;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

/// The file, inside `pkg/`, that names the current bundle's directory.
pub const BUNDLE_FILE: &str = "BUNDLE";

/// What content-hashed files answer with.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The current bundle's hash, if the build wrote one: lowercase hexadecimal, 8 to 64
/// digits (anything else is ignored, so the file can never point outside `pkg/`).
pub fn bundle_hash(site_root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(site_root.join("pkg").join(BUNDLE_FILE)).ok()?;
    let hash = text.trim();
    let valid = (8..=64).contains(&hash.len())
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    valid.then(|| hash.to_owned())
}

/// Whether `pkg/BUNDLE` names a directory that is not there (a bundle removed by hand, a
/// half-copied site): the pages would then load neither their style nor their script, so
/// the server says so when it starts.
pub fn bundle_missing(site_root: &Path, hash: Option<&str>) -> bool {
    hash.is_some_and(|hash| !site_root.join("pkg").join(hash).is_dir())
}

/// The directory, relative to the site root, that the pages load the bundle from
/// (Leptos' `site_pkg_dir`).
pub fn pkg_dir(hash: Option<&str>) -> String {
    match hash {
        Some(hash) => format!("pkg/{hash}"),
        None => "pkg".to_owned(),
    }
}

/// The service for `/pkg`: the files as they are on disk (brotli or gzip when the
/// browser accepts it and the build wrote one), immutable inside the hashed directory.
pub fn routes<S: Clone + Send + Sync + 'static>(
    site_root: &Path,
    hash: Option<String>,
) -> Router<S> {
    let prefix = hash.map(|hash| format!("/{hash}/"));
    Router::new()
        .fallback_service(
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(middleware::from_fn_with_state(prefix, cache_policy))
}

/// `immutable` for a file found in the hashed directory; anything else (a file outside
/// it, an error) is revalidated every time.
async fn cache_policy(
    State(prefix): State<Option<String>>,
    request: Request,
    next: Next,
) -> Response {
    let hashed = prefix
        .as_deref()
        .is_some_and(|prefix| request.uri().path().starts_with(prefix));
    let mut response = next.run(request).await;
    let policy = if hashed && response.status() == StatusCode::OK {
        IMMUTABLE
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_file_is_read_only_when_it_holds_a_hash() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(bundle_hash(dir.path()), None);
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        let write = |text: &str| std::fs::write(dir.path().join("pkg/BUNDLE"), text).unwrap();
        write("3f2a9c0d1e2b4a5c\n");
        assert_eq!(bundle_hash(dir.path()).as_deref(), Some("3f2a9c0d1e2b4a5c"));
        for bad in [
            "../../etc",
            "3F2A9C0D1E2B4A5C",
            "abc",
            "3f2a9c0d/1e2b4a5c",
            "",
        ] {
            write(bad);
            assert_eq!(bundle_hash(dir.path()), None, "{bad:?}");
        }
        assert!(bundle_missing(dir.path(), Some("3f2a9c0d1e2b4a5c")));
        std::fs::create_dir_all(dir.path().join("pkg/3f2a9c0d1e2b4a5c")).unwrap();
        assert!(!bundle_missing(dir.path(), Some("3f2a9c0d1e2b4a5c")));
        assert!(!bundle_missing(dir.path(), None));
        assert_eq!(pkg_dir(Some("3f2a9c0d1e2b4a5c")), "pkg/3f2a9c0d1e2b4a5c");
        assert_eq!(pkg_dir(None), "pkg");
    }
}
