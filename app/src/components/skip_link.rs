//! "Pular para o conteúdo": the first stop of the Tab key. The router intercepts in-page
//! links, so the click moves the focus to the main region itself.

use leptos::prelude::*;

use crate::locale::use_texts;

pub const MAIN_ID: &str = "conteudo";

#[component]
pub fn SkipLink() -> impl IntoView {
    let texts = use_texts();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        focus_main();
    };
    view! {
        <a class="skip-link" href=format!("#{MAIN_ID}") on:click=on_click>
            {texts.live(|t| t.skip_to_content)}
        </a>
    }
}

fn focus_main() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(main) = document()
            .get_element_by_id(MAIN_ID)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    }
}
