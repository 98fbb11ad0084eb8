//! The browser bundle's entry point: hydrates the page the server rendered.
//!
//! `hydrate_lazy`, not `hydrate_body`: the staff desk's routes are lazy (their code is a
//! separate WASM part), so hydration waits for a lazy route's part before it walks the
//! route's HTML.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
