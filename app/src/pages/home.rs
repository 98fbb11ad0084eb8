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
            <h1>{texts.live(|t| t.home_title)}</h1>
            <p class="lead">{texts.live(|t| t.home_lead)}</p>
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
                                            {texts.live(|t| t.portal)}
                                        </A>
                                        <A href="/perfil" attr:class="button">
                                            {texts.live(|t| t.profile_title)}
                                        </A>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <A href="/entrar" attr:class="button button-primary">
                                            {texts.live(|t| t.nav_login)}
                                        </A>
                                        <A href="/cadastrar" attr:class="button">
                                            {texts.live(|t| t.nav_register)}
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
            <h2 id="como-funciona">{texts.live(|t| t.how_it_works)}</h2>
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
