pub mod admin_audit;
pub mod admin_catalog;
pub mod admin_people;
pub mod admin_settings;
pub mod admin_sla;
pub mod desk;
pub mod forgot_password;
pub mod home;
pub mod login;
pub mod my_tickets;
pub mod not_found;
pub mod portal;
pub mod profile;
pub mod register;
pub mod request;
pub mod reset_password;
pub mod ticket;

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Every page of the app. The pages are lazy routes, in six groups whose code is split
/// out of the main WASM bundle (`scripts/build` runs the splitter) and downloaded when a
/// page of the group is first shown: the home page, the other pages a visitor sees before
/// signing in, the customer's portal (where signing in lands), the customer's request
/// form and tickets, the staff desk, administration. A visitor opening the home page thus
/// downloads the shell and that page only, a customer never the staff's code.
/// `scripts/build` merges each group's code, and the code it shares with other groups, into
/// one module (`pack_<group>.wasm`: one request, one instantiation). The server renders every
/// page as before; in the browser, hydration waits for the page's group, which the split
/// loader fetches after the main bundle (`crate::shell`: nothing is preloaded, so the page
/// paints first). Sizes: BENCHMARKS.md, "Browser bundle".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Login,
    Register,
    ForgotPassword,
    ResetPassword,
    Profile,
    Portal,
    Portfolio,
    Service,
    Request,
    Search,
    MyTickets,
    Ticket,
    DeskQueue,
    DeskWorkspace,
    AdminSla,
    AdminPeople,
    AdminAudit,
    AdminSettings,
    AdminCatalog,
    AdminActivity,
}

/// The home page.
#[leptos::lazy]
fn home_page(_page: Page) -> AnyView {
    home::HomePage().into_any()
}

/// The other pages a visitor sees before signing in.
#[leptos::lazy]
fn visitor_pages(page: Page) -> AnyView {
    match page {
        Page::Register => register::RegisterPage().into_any(),
        Page::ForgotPassword => forgot_password::ForgotPasswordPage().into_any(),
        Page::ResetPassword => reset_password::ResetPasswordPage().into_any(),
        _ => login::LoginPage().into_any(),
    }
}

/// The customer's landing pages: the portal down to a service, the search, the profile.
#[leptos::lazy]
fn portal_pages(page: Page) -> AnyView {
    match page {
        Page::Profile => profile::ProfilePage().into_any(),
        Page::Portfolio => portal::PortfolioPage().into_any(),
        Page::Service => portal::ServicePage().into_any(),
        Page::Search => portal::SearchPage().into_any(),
        _ => portal::PortalPage().into_any(),
    }
}

/// The customer's heavier pages: the request form, "Meus Tickets" and a ticket.
#[leptos::lazy]
fn ticket_pages(page: Page) -> AnyView {
    match page {
        Page::Request => request::RequestPage().into_any(),
        Page::Ticket => ticket::TicketPage().into_any(),
        _ => my_tickets::MyTicketsPage().into_any(),
    }
}

/// The staff desk: the queue and a ticket's workspace.
#[leptos::lazy]
fn desk_pages(page: Page) -> AnyView {
    match page {
        Page::DeskWorkspace => desk::workspace::WorkspacePage().into_any(),
        _ => desk::queue::QueuePage().into_any(),
    }
}

/// Administration.
#[leptos::lazy]
fn admin_pages(page: Page) -> AnyView {
    match page {
        Page::AdminPeople => admin_people::PeoplePage().into_any(),
        Page::AdminAudit => admin_audit::AuditView().into_any(),
        Page::AdminSettings => admin_settings::SettingsPage().into_any(),
        Page::AdminCatalog => admin_catalog::CatalogPage().into_any(),
        Page::AdminActivity => admin_catalog::ActivityPage().into_any(),
        _ => admin_sla::SlaPage().into_any(),
    }
}

/// Declares a page's route: a lazy route that renders the page from its group's part.
macro_rules! lazy_page {
    ($($(#[$doc:meta])* $route:ident => $group:ident, $preload:ident;)*) => {$(
        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $group(Page::$route).await
            }

            async fn preload() {
                #[cfg(target_arch = "wasm32")]
                $preload().await;
            }
        }
    )*};
}

/// The routes' names are the pages' names: `Page::Home` is shown by `Home`.
pub use routes::*;

#[allow(non_snake_case)]
mod routes {
    use super::*;

    lazy_page! {
        /// `/`
        Home => home_page, __preload_home_page;
        /// `/entrar`
        Login => visitor_pages, __preload_visitor_pages;
        /// `/cadastrar`
        Register => visitor_pages, __preload_visitor_pages;
        /// `/esqueci-senha`
        ForgotPassword => visitor_pages, __preload_visitor_pages;
        /// `/redefinir-senha`
        ResetPassword => visitor_pages, __preload_visitor_pages;
        /// `/perfil`
        Profile => portal_pages, __preload_portal_pages;
        /// `/portal`
        Portal => portal_pages, __preload_portal_pages;
        /// `/portal/{portfolio}`
        Portfolio => portal_pages, __preload_portal_pages;
        /// `/portal/{portfolio}/{service}`
        Service => portal_pages, __preload_portal_pages;
        /// `/portal/{portfolio}/{service}/{activity}`: the request form
        Request => ticket_pages, __preload_ticket_pages;
        /// `/busca`
        Search => portal_pages, __preload_portal_pages;
        /// `/meus-tickets`
        MyTickets => ticket_pages, __preload_ticket_pages;
        /// `/meus-tickets/{number}`
        Ticket => ticket_pages, __preload_ticket_pages;
        /// `/fila`
        DeskQueue => desk_pages, __preload_desk_pages;
        /// `/fila/{number}`
        DeskWorkspace => desk_pages, __preload_desk_pages;
        /// `/admin/sla`
        AdminSla => admin_pages, __preload_admin_pages;
        /// `/admin/usuarios`
        AdminPeople => admin_pages, __preload_admin_pages;
        /// `/admin/auditoria`
        AdminAudit => admin_pages, __preload_admin_pages;
        /// `/admin/configuracoes`
        AdminSettings => admin_pages, __preload_admin_pages;
        /// `/admin/catalogo`
        AdminCatalog => admin_pages, __preload_admin_pages;
        /// `/admin/catalogo/{activity}`
        AdminActivity => admin_pages, __preload_admin_pages;
    }
}
