//! "Portal / CENTRAL DE ATENDIMENTO AO CLIENTE / FATURAMENTO / Correção de Faturas",
//! each part a link, the last one marked as the current page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::locale::use_texts;

#[component]
pub fn Breadcrumb(trail: Vec<(String, String)>) -> impl IntoView {
    let texts = use_texts();
    let last = trail.len();
    view! {
        <nav class="breadcrumb" aria-label=texts.live(|t| t.breadcrumb)>
            <ol>
                <li>
                    <A href="/portal" attr:aria-current=(last == 0).then_some("page")>
                        {texts.live(|t| t.portal)}
                    </A>
                </li>
                {trail
                    .into_iter()
                    .enumerate()
                    .map(|(i, (href, name))| {
                        view! {
                            <li>
                                <A href=href attr:aria-current=(i + 1 == last).then_some("page")>
                                    {name}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
