//! The bar at the top of every page: brand, main links and the language select.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::Lang;
use crate::locale::{remember_lang, use_lang, use_texts};

#[component]
pub fn SiteHeader() -> impl IntoView {
    let texts = use_texts();
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"A"</span>
                <span class="brand-name">{move || texts.get().app_name}</span>
            </A>
            <nav class="main-nav" aria-label=move || texts.get().main_navigation>
                <A href="/entrar" attr:class="nav-link">{move || texts.get().nav_login}</A>
                <A href="/cadastrar" attr:class="nav-link nav-link-primary">
                    {move || texts.get().nav_register}
                </A>
                <LanguageSelect />
            </nav>
        </header>
    }
}

#[component]
fn LanguageSelect() -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let on_change = move |ev| {
        if let Some(chosen) = Lang::from_code(&event_target_value(&ev)) {
            lang.set(chosen);
            remember_lang(chosen);
        }
    };
    view! {
        <label class="lang-select">
            <span class="visually-hidden">{move || texts.get().language}</span>
            <select on:change=on_change prop:value=move || lang.get().code()>
                {Lang::ALL
                    .into_iter()
                    .map(|option| {
                        view! {
                            <option value=option.code() selected=move || lang.get() == option>
                                {option.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
