//! The bar at the top of every page: brand, the links for visitors (Entrar, Cadastrar)
//! or the signed-in user's (name, Meu perfil, Sair), and the language select.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::accounts::logout;
use crate::components::auth::use_auth;
use crate::i18n::Lang;
use crate::locale::{remember_lang, use_lang, use_texts};

/// Where "Sair" posts to.
pub const LOGOUT_PATH: &str = "/sair";

#[component]
pub fn SiteHeader() -> impl IntoView {
    let texts = use_texts();
    let auth = use_auth();
    let navigate = use_navigate();
    let sign_out = Action::new(|_: &()| logout());
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            auth.refresh();
            navigate("/", Default::default());
        }
    });
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"A"</span>
                <span class="brand-name">{texts.live(|t| t.app_name)}</span>
            </A>
            <nav class="main-nav" aria-label=texts.live(|t| t.main_navigation)>
                <Transition fallback=|| ()>
                    // Awaited inside `Suspend` rather than read with `.get()`: one resource
                    // read by two boundaries with `.get()` can stall the SSR stream
                    // (leptos#4578, #4851).
                    {move || Suspend::new(async move {
                        let user = auth.user.await;
                        match user {
                                Some(user) => {
                                    let staff = user.role.is_staff();
                                    let admin = user.role == crate::domain::account::Role::Admin;
                                    let auditor = admin || user.role == crate::domain::account::Role::Manager;
                                    view! {
                                        <span class="nav-user">
                                            {texts.live(|t| t.hello)} ", " {user.name.clone()}
                                        </span>
                                        // The desk's link, for staff only.
                                        {staff.then(|| view! {
                                            <A href=crate::domain::desk::QUEUE_PATH attr:class="nav-link">
                                                {texts.live(|t| t.nav_queue)}
                                            </A>
                                        })}
                                        {admin.then(|| view! {
                                            <A href="/admin/sla" attr:class="nav-link">
                                                {texts.live(|t| t.nav_sla)}
                                            </A>
                                            <A href=crate::pages::admin_catalog::PATH attr:class="nav-link">
                                                {texts.live(|t| t.nav_catalog)}
                                            </A>
                                            <A href=crate::pages::admin_people::PATH attr:class="nav-link">
                                                {texts.live(|t| t.nav_people)}
                                            </A>
                                            <A href=crate::pages::admin_settings::PATH attr:class="nav-link">
                                                {texts.live(|t| t.nav_settings)}
                                            </A>
                                        })}
                                        {auditor.then(|| view! {
                                            <A href=crate::pages::admin_audit::PATH attr:class="nav-link">
                                                {texts.live(|t| t.nav_audit)}
                                            </A>
                                        })}
                                        <A href="/portal" attr:class="nav-link">
                                            {texts.live(|t| t.portal)}
                                        </A>
                                        <A href="/meus-tickets" attr:class="nav-link">
                                            {texts.live(|t| t.my_tickets)}
                                        </A>
                                        <A href="/perfil" attr:class="nav-link">
                                            {texts.live(|t| t.profile_title)}
                                        </A>
                                        // A real form: without the WebAssembly the
                                        // server signs out and sends the browser home.
                                        <form
                                            class="nav-form"
                                            method="post"
                                            action=LOGOUT_PATH
                                            on:submit=move |ev| {
                                                ev.prevent_default();
                                                sign_out.dispatch(());
                                            }
                                        >
                                            <button type="submit" class="nav-link nav-button">
                                                {texts.live(|t| t.logout)}
                                            </button>
                                        </form>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <A href="/entrar" attr:class="nav-link">
                                            {texts.live(|t| t.nav_login)}
                                        </A>
                                        <A href="/cadastrar" attr:class="nav-link nav-link-primary">
                                            {texts.live(|t| t.nav_register)}
                                        </A>
                                    }
                                        .into_any()
                                }
                        }
                    })}
                </Transition>
                <LanguageSelect id="idioma" />
            </nav>
        </header>
    }
}

#[component]
pub fn LanguageSelect(id: &'static str) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let on_change = move |ev| {
        if let Some(chosen) = Lang::from_code(&event_target_value(&ev)) {
            lang.set(chosen);
            remember_lang(chosen);
        }
    };
    view! {
        <span class="lang-select">
            <label for=id class="visually-hidden">{texts.live(|t| t.language)}</label>
            <select id=id on:change=on_change prop:value=move || lang.get().code()>
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
        </span>
    }
}
