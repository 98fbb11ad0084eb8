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
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
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
use crate::pages::admin_audit::AdminAudit;
use crate::pages::admin_catalog::{AdminActivity, AdminCatalog};
use crate::pages::admin_people::AdminPeople;
use crate::pages::admin_settings::AdminSettings;
use crate::pages::admin_sla::AdminSla;
use crate::pages::desk::{DeskQueue, DeskWorkspace};
use crate::pages::forgot_password::ForgotPasswordPage;
use crate::pages::login::LoginPage;
use crate::pages::my_tickets::MyTicketsPage;
use crate::pages::portal::{PortalPage, PortfolioPage, SearchPage, ServicePage};
use crate::pages::profile::ProfilePage;
use crate::pages::register::RegisterPage;
use crate::pages::request::RequestPage;
use crate::pages::reset_password::ResetPasswordPage;
use crate::pages::ticket::TicketPage;
use crate::pages::{home::HomePage, not_found::NotFound};

// Every route streams in order: the HTML a browser receives is complete (signed-in
// header, portal cards, form values) even before, or without, the WASM.

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
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

    // Marks the page once the WASM has taken over, so that tests (and curious people
    // with the inspector open) can tell a hydrated page from server-rendered HTML.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <HtmlLang />
        <Stylesheet id="leptos" href="/pkg/atende.css" />
        <Title text=move || texts.get().app_name />
        <Router>
            <SkipLink />
            <SiteHeader />
            <main id=MAIN_ID tabindex="-1">
                // Pages whose data decides the status (an unknown or somebody else's
                // portfolio, service, activity or ticket answers 404) render whole before
                // answering (Async), so the status is set before the headers leave; the
                // others stream in order.
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=SsrMode::InOrder />
                    <Route path=path!("entrar") view=LoginPage ssr=SsrMode::InOrder />
                    <Route path=path!("cadastrar") view=RegisterPage ssr=SsrMode::InOrder />
                    <Route path=path!("esqueci-senha") view=ForgotPasswordPage ssr=SsrMode::InOrder />
                    <Route path=path!("redefinir-senha") view=ResetPasswordPage ssr=SsrMode::InOrder />
                    <Route path=path!("perfil") view=ProfilePage ssr=SsrMode::InOrder />
                    <Route path=path!("portal") view=PortalPage ssr=SsrMode::InOrder />
                    <Route path=path!("portal/:portfolio") view=PortfolioPage ssr=SsrMode::Async />
                    <Route path=path!("portal/:portfolio/:service") view=ServicePage ssr=SsrMode::Async />
                    <Route path=path!("portal/:portfolio/:service/:activity") view=RequestPage ssr=SsrMode::Async />
                    <Route path=path!("busca") view=SearchPage ssr=SsrMode::InOrder />
                    <Route path=path!("meus-tickets") view=MyTicketsPage ssr=SsrMode::InOrder />
                    <Route path=path!("meus-tickets/:number") view=TicketPage ssr=SsrMode::Async />
                    // The staff desk: lazy routes, split out of the main browser bundle.
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
                <p>{move || texts.get().footer}</p>
            </footer>
        </Router>
    }
}
