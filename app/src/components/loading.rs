//! "Carregando…": what a region shows while its data or its code is on the way.

use leptos::prelude::*;

use crate::locale::use_texts;

/// The loading status, announced to screen readers (`role="status"`).
#[component]
pub fn Loading() -> impl IntoView {
    let texts = use_texts();
    view! { <p class="loading" role="status">{texts.live(|t| t.loading)}</p> }
}
