//! The interface language as reactive state. The server picks it from the language
//! cookie; the browser starts from the `<html lang>` the server rendered, so hydration
//! always sees the same language the HTML was rendered in.

use leptos::prelude::*;
use leptos_meta::Html;

use crate::i18n::{Lang, Texts};

#[derive(Clone, Copy)]
pub struct Locale(pub RwSignal<Lang>);

/// Creates the language signal for this render.
pub fn provide_locale() {
    provide_context(Locale(RwSignal::new(initial_lang())));
}

/// Keeps `<html lang>` in step with the language: rendered on the server, updated in
/// the browser.
#[component]
pub fn HtmlLang() -> impl IntoView {
    let lang = use_lang();
    view! { <Html {..} lang=move || lang.get().code() /> }
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<Locale>()
        .map(|locale| locale.0)
        .unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// The interface's texts in the current language.
pub fn use_texts() -> LangTexts {
    LangTexts(use_lang())
}

/// The texts of the current language, read straight from the language signal. A page
/// reads them hundreds of times (every label, every column's name in every row); a
/// derived signal would add its own arena lookup, lock and boxed closure to each read.
#[derive(Clone, Copy)]
pub struct LangTexts(RwSignal<Lang>);

impl LangTexts {
    /// The texts, tracked: a closure that reads them runs again when the language
    /// changes.
    pub fn get(self) -> &'static Texts {
        self.0.get().texts()
    }

    /// The texts, untracked (in event handlers).
    pub fn get_untracked(self) -> &'static Texts {
        self.0.get_untracked().texts()
    }

    /// One text that follows the language, for a view (`{texts.live(|t| t.title)}`, or
    /// as an attribute's value). Every text gets the same closure type, so the browser
    /// bundle holds one copy of the code that renders, hydrates and updates a text,
    /// where `move || texts.get().title` compiled one per text (about 0.4 KiB each).
    pub fn live(
        self,
        pick: fn(&'static Texts) -> &'static str,
    ) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || pick(self.get())
    }
}

/// Remembers the language for the next visit (browser only; a no-op on the server).
pub fn remember_lang(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = doc.set_cookie(&lang.cookie());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

#[cfg(feature = "ssr")]
fn initial_lang() -> Lang {
    use axum::http::{header::COOKIE, request::Parts};
    use_context::<Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get_all(COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .find_map(Lang::from_cookie_header)
        })
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn initial_lang() -> Lang {
    document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|code| Lang::from_code(&code))
        .unwrap_or_default()
}

/// A text of the interface as a signal that follows the language.
/// (A function, not a closure: one closure type for every text, as with `live`.)
pub fn text(pick: fn(&'static Texts) -> &'static str) -> Signal<String> {
    let lang = use_lang();
    Signal::derive(move || pick(lang.get().texts()).to_owned())
}
