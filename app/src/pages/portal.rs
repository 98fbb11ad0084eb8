//! The service portal (steps 3 and 4 of the seed guide): portfolios as cards, then a
//! portfolio's services, then a service's activities; and "Pesquise aqui".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::portal::{
    CatalogLevel, portal_activities, portal_portfolios, portal_search, portal_services,
};
use crate::components::auth::{SignInPrompt, urlencode};
use crate::components::breadcrumb::Breadcrumb;
use crate::components::form::{keep_typed, live_value};
use crate::error::AppError;
use crate::locale::{text, use_lang, use_texts};
use crate::resource::resource;

fn param(name: &'static str) -> impl Fn() -> Option<i32> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get(name).and_then(|v| v.parse().ok()))
}

#[component]
pub fn SearchBox() -> impl IntoView {
    let texts = use_texts();
    let query = use_query_map();
    let navigate = use_navigate();
    let value = RwSignal::new(query.get_untracked().get("q").unwrap_or_default());
    let node = NodeRef::<leptos::html::Input>::new();
    keep_typed(node, value);
    let initial = Some(value.get_untracked()).filter(|q| !q.is_empty());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = value.get_untracked();
        navigate(
            &format!("/busca?q={}", urlencode(q.trim())),
            Default::default(),
        );
    };
    view! {
        // Without the WebAssembly, a plain GET to the search page (`/busca?q=…`).
        <form class="search-box" role="search" method="get" action="/busca" on:submit=on_submit>
            <label for="pesquisa" class="visually-hidden">{texts.live(|t| t.search_placeholder)}</label>
            <input
                node_ref=node
                id="pesquisa"
                name="q"
                type="search"
                placeholder=texts.live(|t| t.search_placeholder)
                value=initial
                prop:value=live_value(value)
                on:input=move |ev| value.set(event_target_value(&ev))
                maxlength=100
            />
            <button type="submit" class="button button-small">{texts.live(|t| t.search_button)}</button>
        </form>
    }
}

/// One level of the catalog as cards, each linking to `href(card id)`.
#[component]
fn CatalogCards(
    level: CatalogLevel,
    href: impl Fn(i32) -> String + 'static,
    title: Option<String>,
) -> impl IntoView {
    let texts = use_texts();
    let mut trail = Vec::new();
    let mut base = String::from("/portal");
    for crumb in &level.trail {
        base = format!("{base}/{}", crumb.id);
        trail.push((base.clone(), crumb.name.clone()));
    }
    let heading = title.or_else(|| level.trail.last().map(|c| c.name.clone()));
    let empty = level.items.is_empty();
    view! {
        <Breadcrumb trail />
        <SearchBox />
        {match heading {
            Some(heading) => view! { <h1 class="portal-title">{heading}</h1> }.into_any(),
            None => view! { <h1 class="portal-title">{texts.live(|t| t.portal)}</h1> <p class="lead">{texts.live(|t| t.portal_intro)}</p> }.into_any(),
        }}
        {empty.then(|| view! { <p>{texts.live(|t| t.nothing_here)}</p> })}
        <ul class="cards">
            {level
                .items
                .into_iter()
                .map(|card| {
                    view! {
                        <li class="catalog-card">
                            <A href=href(card.id)>
                                <span class="catalog-card-name">{card.name}</span>
                                <span class="catalog-card-description">{card.description}</span>
                            </A>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Shows a catalog resource: the cards, the sign-in prompt, or the error.
fn show_level(
    loaded: Option<Result<CatalogLevel, AppError>>,
    href: impl Fn(i32) -> String + 'static,
) -> Option<AnyView> {
    let lang = use_lang();
    loaded.map(|loaded| match loaded {
        Ok(level) => view! { <CatalogCards level href title=None /> }.into_any(),
        Err(AppError::Unauthenticated) => view! { <SignInPrompt title=text(|t| t.portal) /> }.into_any(),
        Err(AppError::NotFound) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
        Err(err) => view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get_untracked())}</p> }.into_any(),
    })
}

#[component]
pub fn PortalPage() -> impl IntoView {
    let texts = use_texts();
    let level = resource(|| (), |_| portal_portfolios());
    view! {
        <Title text=texts.live(|t| t.portal) />
        <Suspense fallback=move || view! { <p>{texts.live(|t| t.loading)}</p> }>
            {move || show_level(level.get(), |id| format!("/portal/{id}"))}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let texts = use_texts();
    let portfolio = param("portfolio");
    let level = resource(portfolio, |p| async move {
        match p {
            Some(p) => portal_services(p).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text=texts.live(|t| t.portal) />
        <Suspense fallback=move || view! { <p>{texts.live(|t| t.loading)}</p> }>
            {move || {
                let p = portfolio().unwrap_or_default();
                show_level(level.get(), move |id| format!("/portal/{p}/{id}"))
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn ServicePage() -> impl IntoView {
    let texts = use_texts();
    let portfolio = param("portfolio");
    let service = param("service");
    let level = resource(
        move || (portfolio(), service()),
        |ids| async move {
            match ids {
                (Some(p), Some(s)) => portal_activities(p, s).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=texts.live(|t| t.portal) />
        <Suspense fallback=move || view! { <p>{texts.live(|t| t.loading)}</p> }>
            {move || {
                let (p, s) = (portfolio().unwrap_or_default(), service().unwrap_or_default());
                show_level(level.get(), move |id| format!("/portal/{p}/{s}/{id}"))
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    let hits = resource(q, |q| portal_search(q));
    view! {
        <Title text=texts.live(|t| t.search_title) />
        <Breadcrumb trail=vec![] />
        <SearchBox />
        <h1 class="portal-title">{texts.live(|t| t.search_title)}</h1>
        <Suspense fallback=move || view! { <p>{texts.live(|t| t.loading)}</p> }>
            {move || {
                hits.get()
                    .map(|found| match found {
                        Ok(found) if found.is_empty() => view! { <p>{texts.live(|t| t.search_none)}</p> }.into_any(),
                        Ok(found) => {
                            view! {
                                <ul class="search-results">
                                    {found
                                        .into_iter()
                                        .map(|hit| {
                                            let href = format!("/portal/{}/{}/{}", hit.portfolio.id, hit.service.id, hit.activity.id);
                                            view! {
                                                <li>
                                                    <A href=href>{hit.activity.name}</A>
                                                    <span class="search-path">{format!("{} / {}", hit.portfolio.name, hit.service.name)}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(AppError::Unauthenticated) => view! { <SignInPrompt title=text(|t| t.portal) /> }.into_any(),
                        Err(err) => view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get_untracked())}</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
    .into_any()
}
