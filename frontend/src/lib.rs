//! The browser bundle's entry point: hydrates the page the server rendered.
//!
//! Every page is a lazy route (its code is a separate WASM part), so hydration waits for
//! the page's part before it walks the page's HTML (as Leptos' `hydrate_lazy` does). The
//! header around the page is live meanwhile. Two things happen only once the whole page
//! has been hydrated, which `hydrate_lazy` gives no way to wait for:
//! - `<body data-hydrated="true">` marks the page as taken over (tests and the curious
//!   wait for it). An effect in the app would run on the next tick, while the page's part
//!   is still downloading: a test pressing a button then found it dead.
//! - A language chosen in the header while the part downloaded: hydration adopts the
//!   page's text as the server wrote it (and believes it is in the chosen language), so
//!   the page's texts are rewritten once.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The reactive system runs on wasm-bindgen's futures; an error only means it was set
    // up already.
    _ = any_spawner::Executor::init_wasm_bindgen();
    let written_in = document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"));
    let lang = Rc::new(Cell::new(None));
    let app_lang = Rc::clone(&lang);
    leptos::task::spawn_local(async move {
        let app = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), move || {
            let view = app::App();
            app_lang.set(Some(app::locale::use_lang()));
            view
        })
        .await;
        app.forget();
        // Hydration took the page's text to be the chosen language's, so only a change
        // of language rewrites it: back to the language the page was written in, a tick
        // for the page to follow, and forward again.
        let written_in = written_in.as_deref().and_then(app::i18n::Lang::from_code);
        if let (Some(lang), Some(written_in)) = (lang.get(), written_in) {
            let chosen = lang.get_untracked();
            if chosen != written_in {
                lang.set(written_in);
                any_spawner::Executor::tick().await;
                lang.set(chosen);
                any_spawner::Executor::tick().await;
            }
        }
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
