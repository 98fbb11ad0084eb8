//! What an administration page shows instead of itself when its data is refused: the way
//! to sign in (visitors), the site's "not found" page with a 404 (every role that may not
//! administer: the pages do not tell them they exist), or the error.

use leptos::prelude::*;

use crate::components::auth::SignInPrompt;
use crate::error::AppError;
use crate::locale::{use_lang, use_texts};

/// Sets "not found" on the response of a page the caller may not see.
pub fn not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
}

pub fn refused(err: AppError, title: Signal<String>) -> AnyView {
    let texts = use_texts();
    let lang = use_lang();
    match err {
        AppError::Unauthenticated => view! { <SignInPrompt title /> }.into_any(),
        AppError::NotFound | AppError::Forbidden => {
            not_found_status();
            view! {
                <section class="card narrow">
                    <h1>{texts.live(|t| t.not_found_title)}</h1>
                    <p>{texts.live(|t| t.not_found_body)}</p>
                </section>
            }
            .into_any()
        }
        err => view! {
            <section class="card wide">
                <p class="form-message form-message-error" role="alert">{move || err.message(lang.get())}</p>
            </section>
        }
        .into_any(),
    }
}
