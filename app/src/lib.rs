//! Atende's Leptos application: the customer portal and the staff desk in one crate.
//!
//! Built twice: with `ssr` for the axum server (rendering and server functions) and with
//! `hydrate` for the browser bundle. The two features are never enabled together; code
//! that needs the server (database, sessions) lives behind `#[cfg(feature = "ssr")]`.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod cookies;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod locale;
pub mod pages;
pub mod resource;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::components::auth::provide_auth;
use crate::components::form_post::provide_form_post;
use crate::components::header::SiteHeader;
use crate::components::skip_link::{MAIN_ID, SkipLink};
use crate::locale::{HtmlLang, provide_locale, use_texts};
use crate::pages::not_found::NotFound;
use crate::pages::{
    AdminActivity, AdminAudit, AdminCatalog, AdminPeople, AdminSettings, AdminSla, DeskQueue,
    DeskWorkspace, ForgotPassword, Home, Login, MyTickets, Portal, Portfolio, Profile, Register,
    Request, ResetPassword, Search, Service, Ticket,
};

// Every route streams in order: the HTML a browser receives is complete (signed-in
// header, portal cards, form values) even before, or without, the WASM.

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The style sheet sits beside the bundle, in its content-hashed directory.
    let stylesheet = format!("/{}/atende.css", options.site_pkg_dir);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet />
                <AutoReload options=options.clone() />
                <script type="module" nonce=leptos::nonce::use_nonce()>{hydration_script(&options.site_pkg_dir)}</script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Starts the browser bundle once the page has loaded and the browser is idle. The page
/// the server rendered is complete and its forms and links work without the bundle, so
/// it paints first and the WebAssembly downloads after it, off the critical path: on a
/// phone on 4G the bundle took the largest paint from about 1 s to over 3 s while it
/// competed with the page (Lighthouse, BENCHMARKS.md). Hence no preload hints either
/// (Leptos' `HydrationScripts` adds them for the bundle and each lazy route's parts);
/// the split loader fetches a page's parts when hydration asks for them.
fn hydration_script(pkg_dir: &str) -> String {
    format!(
        r#"(() => {{
  const start = () => import("/{pkg_dir}/atende.js").then((m) => m.default({{ module_or_path: "/{pkg_dir}/atende_bg.wasm" }}).then(() => m.hydrate()));
  const idle = () => ("requestIdleCallback" in window ? requestIdleCallback(start, {{ timeout: 1000 }}) : setTimeout(start, 1));
  if (document.readyState === "complete") idle(); else addEventListener("load", idle, {{ once: true }});
}})();"#
    )
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_locale();
    provide_auth();
    // A form refused after a plain post (no JavaScript) is rendered again with what was
    // sent; the browser's hydration reads the same, so both render alike.
    provide_form_post();
    let texts = use_texts();

    // `<body data-hydrated>` is set by the browser entry (`frontend`) once the whole
    // page, lazy part included, has been hydrated.

    view! {
        <HtmlLang />
        <Title text=texts.live(|t| t.app_name) />
        <Router>
            <SkipLink />
            <SiteHeader />
            <main id=MAIN_ID tabindex="-1">
                // Pages whose data decides the status (an unknown or somebody else's
                // portfolio, service, activity or ticket answers 404) render whole before
                // answering (Async), so the status is set before the headers leave; the
                // others stream in order. Every page is a lazy route (`pages::Page`): the
                // main bundle holds the shell, a group of pages' code downloads when one
                // of them is first shown. `<Routes>` stays out of any erased view
                // (`into_any`, `Children`): erased views hydrate synchronously
                // (scripts/patches), and a lazy route must be awaited.
                <Routes fallback=NotFound>
                    <Route path=path!("") view={Lazy::<Home>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("entrar") view={Lazy::<Login>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("cadastrar") view={Lazy::<Register>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("esqueci-senha") view={Lazy::<ForgotPassword>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("redefinir-senha") view={Lazy::<ResetPassword>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("perfil") view={Lazy::<Profile>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("portal") view={Lazy::<Portal>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("portal/:portfolio") view={Lazy::<Portfolio>::new()} ssr=SsrMode::Async />
                    <Route path=path!("portal/:portfolio/:service") view={Lazy::<Service>::new()} ssr=SsrMode::Async />
                    <Route path=path!("portal/:portfolio/:service/:activity") view={Lazy::<Request>::new()} ssr=SsrMode::Async />
                    <Route path=path!("busca") view={Lazy::<Search>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("meus-tickets") view={Lazy::<MyTickets>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("meus-tickets/:number") view={Lazy::<Ticket>::new()} ssr=SsrMode::Async />
                    <Route path=path!("fila") view={Lazy::<DeskQueue>::new()} ssr=SsrMode::Async />
                    <Route path=path!("fila/:number") view={Lazy::<DeskWorkspace>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/sla") view={Lazy::<AdminSla>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/usuarios") view={Lazy::<AdminPeople>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/auditoria") view={Lazy::<AdminAudit>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/configuracoes") view={Lazy::<AdminSettings>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/catalogo") view={Lazy::<AdminCatalog>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/catalogo/:activity") view={Lazy::<AdminActivity>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{texts.live(|t| t.footer)}</p>
            </footer>
        </Router>
    }
}
