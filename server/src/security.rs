//! HTTP security headers. Pages get a Content-Security-Policy with a fresh nonce per
//! response (the one Leptos puts on its hydration and streaming scripts); everything else
//! gets a policy that allows nothing to run. `'wasm-unsafe-eval'` lets the WASM compile.

use axum::http::{HeaderName, HeaderValue, header};
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
