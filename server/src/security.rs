//! HTTP security headers. Pages get a Content-Security-Policy with a fresh nonce per
//! response (the one Leptos puts on its hydration and streaming scripts); everything else
//! gets a policy that allows nothing to run. `'wasm-unsafe-eval'` lets the WASM compile.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use tower_http::set_header::SetResponseHeaderLayer;

/// Policy for responses that are not pages (static files, server functions, health).
pub const STRICT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Policy for a rendered page whose inline scripts carry `nonce`.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'{reload}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        reload = live_reload_source()
    )
}

/// `cargo leptos watch` reloads the page over a websocket on its reload port.
fn live_reload_source() -> String {
    match std::env::var("LEPTOS_WATCH") {
        Ok(_) => {
            let port = std::env::var("LEPTOS_RELOAD_PORT").unwrap_or_else(|_| "3001".into());
            format!(" ws://127.0.0.1:{port} ws://localhost:{port}")
        }
        Err(_) => String::new(),
    }
}

/// Called in the Leptos context of every render: sets the page policy for this nonce.
pub fn set_page_csp() {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&page_csp(&nonce.to_string())) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The headers every response carries, unless the handler set its own.
pub fn default_headers() -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    [
        (header::CONTENT_SECURITY_POLICY, STRICT_CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ]
    .into_iter()
    .map(|(name, value)| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    })
    .collect()
}

/// Cross-site request protection for every state-changing request (server functions
/// included): besides the SameSite=Lax session cookie, a POST/PUT/PATCH/DELETE must
/// come from a page of this very site, as its `Origin` (or, failing that, `Referer`)
/// header shows. Browsers always send `Origin` with such requests.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || is_same_origin(request.headers())
    {
        next.run(request).await
    } else {
        tracing::warn!(
            method = %request.method(),
            path = %request.uri().path(),
            "refused a cross-site or origin-less write"
        );
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

/// The `host[:port]` of an absolute URL (`scheme://host[:port][/path]`).
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end])
}

pub fn is_same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|value| value.to_str().ok());
    match source {
        Some(url) => authority(url).is_some_and(|authority| authority.eq_ignore_ascii_case(host)),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_needs_a_matching_origin_or_referer() {
        assert!(is_same_origin(&headers(&[
            ("host", "atende.gov.br"),
            ("origin", "https://atende.gov.br")
        ])));
        assert!(is_same_origin(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(is_same_origin(&headers(&[
            ("host", "a.br"),
            ("referer", "https://a.br/entrar?x=1")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("host", "a.br"),
            ("origin", "https://evil.example")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("host", "a.br"),
            ("origin", "https://a.br.evil.example")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("host", "a.br:3000"),
            ("origin", "https://a.br")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("host", "a.br"),
            ("origin", "null")
        ])));
        assert!(!is_same_origin(&headers(&[("host", "a.br")])));
        assert!(!is_same_origin(&headers(&[("origin", "https://a.br")])));
    }
}
