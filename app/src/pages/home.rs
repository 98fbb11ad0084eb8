//! The public home page: what Atende is, and the way in (Entrar / Cadastrar).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::auth::use_auth;
use crate::locale::use_texts;

#[component]
pub fn HomePage() -> impl IntoView {
    let texts = use_texts();
    let auth = use_auth();
    view! {
        <section class="hero">
            <h1>{move || texts.get().home_title}</h1>
            <p class="lead">{move || texts.get().home_lead}</p>
            <div class="hero-actions">
                <Transition fallback=|| ()>
                    // Awaited inside `Suspend` rather than read with `.get()`: one resource
                    // read by two boundaries with `.get()` can stall the SSR stream
                    // (leptos#4578, #4851).
                    {move || Suspend::new(async move {
                        let user = auth.user.await;
                        match user {
                                Some(_) => {
                                    view! {
                                        <A href="/portal" attr:class="button button-primary">
                                            {move || texts.get().portal}
                                        </A>
                                        <A href="/perfil" attr:class="button">
                                            {move || texts.get().profile_title}
                                        </A>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <A href="/entrar" attr:class="button button-primary">
                                            {move || texts.get().nav_login}
                                        </A>
                                        <A href="/cadastrar" attr:class="button">
                                            {move || texts.get().nav_register}
                                        </A>
                                    }
                                        .into_any()
                                }
                        }
                    })}
                </Transition>
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
