//! The public home page: what Atende is, and the way in (Entrar / Cadastrar).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::locale::use_texts;

#[component]
pub fn HomePage() -> impl IntoView {
    let texts = use_texts();
    view! {
        <section class="hero">
            <h1>{move || texts.get().home_title}</h1>
            <p class="lead">{move || texts.get().home_lead}</p>
            <div class="hero-actions">
                <A href="/entrar" attr:class="button button-primary">
                    {move || texts.get().nav_login}
                </A>
                <A href="/cadastrar" attr:class="button">
                    {move || texts.get().nav_register}
                </A>
            </div>
        </section>
        <section class="steps" aria-labelledby="como-funciona">
            <h2 id="como-funciona">{move || texts.get().how_it_works}</h2>
            <ol class="step-list">
                {(0..3)
                    .map(|i| {
                        view! {
                            <li class="step">
                                <h3>{move || texts.get().steps[i].0}</h3>
                                <p>{move || texts.get().steps[i].1}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
