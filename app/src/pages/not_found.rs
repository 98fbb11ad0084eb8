//! Shown for any address no route matches; answers with HTTP 404 on the server.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::locale::use_texts;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let texts = use_texts();
    view! {
        <section class="not-found">
            <h1>{texts.live(|t| t.not_found_title)}</h1>
            <p>{texts.live(|t| t.not_found_body)}</p>
            <A href="/" attr:class="button">{texts.live(|t| t.back_home)}</A>
        </section>
    }
}
