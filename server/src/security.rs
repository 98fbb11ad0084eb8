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
        // Pages and answers are personal and change: a browser asks again every time
        // (the bundle's files set their own, immutable, policy: `assets`).
        (header::CACHE_CONTROL, "no-cache, private"),
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

/// `Strict-Transport-Security` for an instance whose public URL is https: browsers
/// then never reach it over plain http again (a year, renewed by every response).
pub fn strict_transport_security() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    )
}

/// What a request that panicked gets: a plain 500, with the panic in the log.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request panicked");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal server error").into_response()
}

/// A server function that never ran because its arguments could not be decoded answers
/// 500 from Leptos (server_fn sets that status for every error it makes itself). The
/// body says what it was (`AppError::Request`, a client's fault): give such answers
/// the error's own status (400), so that bad input never looks like a server fault.
pub async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal server error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
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
