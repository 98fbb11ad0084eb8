#[macro_use]
pub mod parts;

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

/// Every page of the app. The pages are lazy routes, in fifteen groups whose code is split
/// out of the main WASM bundle (`scripts/build` runs the splitter) and downloaded when a
/// page of the group is first shown: one per customer page (the home page, the sign-in
/// page, the registration, each of the forgotten password's two pages, the portal where
/// signing in lands, a portfolio, a service, the search, the profile, the request form,
/// "Meus Tickets", a ticket's page), and one each for the staff desk and administration. A
/// visitor thus downloads the shell and the page in front of them, a customer never the
/// staff's code. A ticket's page goes one step further: its tabs other than Descrição are
/// a split point of their own (`ticket::prepare`). `scripts/build`
/// merges each group's code, and the code it shares with other groups, into one module
/// (`pack_<group>.wasm`: one request, one instantiation), so finer groups cost no more
/// requests or instantiations; what they cost is shared code downloaded again with each
/// group's pack, once per release. The server renders every page as before; in the
/// browser, hydration waits for the page's group, which the split loader fetches after the
/// main bundle (`crate::shell`: nothing is preloaded, so the page paints first); if it
/// cannot be had, `parts` says what happens. Sizes: BENCHMARKS.md, "Browser bundle".
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

split_part! {
    /// The home page.
    fn home_page(_page: Page) / __preload_home_page {
        home::HomePage().into_any()
    }
}

split_part! {
    /// The sign-in page.
    fn login_page(_page: Page) / __preload_login_page {
        login::LoginPage().into_any()
    }
}

split_part! {
    /// "Solicitação de Acesso".
    fn register_page(_page: Page) / __preload_register_page {
        register::RegisterPage().into_any()
    }
}

split_part! {
    /// A forgotten password: asking for the link.
    fn forgot_password_page(_page: Page) / __preload_forgot_password_page {
        forgot_password::ForgotPasswordPage().into_any()
    }
}

split_part! {
    /// A forgotten password: setting the new one, from the link.
    fn reset_password_page(_page: Page) / __preload_reset_password_page {
        reset_password::ResetPasswordPage().into_any()
    }
}

split_part! {
    /// The portal, where signing in lands.
    fn portal_page(_page: Page) / __preload_portal_page {
        portal::PortalPage().into_any()
    }
}

split_part! {
    /// A portfolio's page: its services.
    fn portfolio_page(_page: Page) / __preload_portfolio_page {
        portal::PortfolioPage().into_any()
    }
}

split_part! {
    /// A service's page: its activities.
    fn service_page(_page: Page) / __preload_service_page {
        portal::ServicePage().into_any()
    }
}

split_part! {
    /// The portal's search.
    fn search_page(_page: Page) / __preload_search_page {
        portal::SearchPage().into_any()
    }
}

split_part! {
    /// "Meu perfil".
    fn profile_page(_page: Page) / __preload_profile_page {
        profile::ProfilePage().into_any()
    }
}

split_part! {
    /// An activity's request form.
    fn request_page(_page: Page) / __preload_request_page {
        request::RequestPage().into_any()
    }
}

split_part! {
    /// "Meus Tickets".
    fn my_tickets_page(_page: Page) / __preload_my_tickets_page {
        my_tickets::MyTicketsPage().into_any()
    }
}

split_part! {
    /// A ticket's page.
    fn ticket_page(_page: Page) / __preload_ticket_page {
        ticket::TicketPage().into_any()
    }
}

split_part! {
    /// The staff desk: the queue and a ticket's workspace.
    fn desk_pages(page: Page) / __preload_desk_pages {
        match page {
            Page::DeskWorkspace => desk::workspace::WorkspacePage().into_any(),
            _ => desk::queue::QueuePage().into_any(),
        }
    }
}

split_part! {
    /// Administration.
    fn admin_pages(page: Page) / __preload_admin_pages {
        match page {
            Page::AdminPeople => admin_people::PeoplePage().into_any(),
            Page::AdminAudit => admin_audit::AuditView().into_any(),
            Page::AdminSettings => admin_settings::SettingsPage().into_any(),
            Page::AdminCatalog => admin_catalog::CatalogPage().into_any(),
            Page::AdminActivity => admin_catalog::ActivityPage().into_any(),
            _ => admin_sla::SlaPage().into_any(),
        }
    }
}

/// Declares a page's route: a lazy route that renders the page from its group's part. With
/// `then f`, the route also waits for `f()` (a function returning a future, called under the
/// route's owner) before the page is hydrated or shown: whatever else its first view needs.
macro_rules! lazy_page {
    (@load $preload:ident) => {
        if $preload().await.is_err() {
            parts::give_up().await;
        }
    };
    (@preload $preload:ident) => { lazy_page!(@load $preload) };
    (@preload $preload:ident $prepare:path) => {{
        let then = $prepare();
        lazy_page!(@load $preload);
        then.await;
    }};
    ($($(#[$doc:meta])* $route:ident => $group:ident, $preload:ident $(, then $prepare:path)?;)*) => {$(
        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                parts::shown($group(Page::$route).await)
            }

            // The router awaits this before it hydrates or shows the page. What the page
            // needs besides its group (`then`) is asked for first, so that it is fetched
            // alongside the group.
            async fn preload() {
                #[cfg(target_arch = "wasm32")]
                lazy_page!(@preload $preload $($prepare)?);
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
        Login => login_page, __preload_login_page, then login::prepare;
        /// `/cadastrar`
        Register => register_page, __preload_register_page, then register::prepare;
        /// `/esqueci-senha`
        ForgotPassword => forgot_password_page, __preload_forgot_password_page;
        /// `/redefinir-senha`
        ResetPassword => reset_password_page, __preload_reset_password_page;
        /// `/perfil`
        Profile => profile_page, __preload_profile_page, then profile::prepare;
        /// `/portal`
        Portal => portal_page, __preload_portal_page;
        /// `/portal/{portfolio}`
        Portfolio => portfolio_page, __preload_portfolio_page;
        /// `/portal/{portfolio}/{service}`
        Service => service_page, __preload_service_page;
        /// `/portal/{portfolio}/{service}/{activity}`: the request form
        Request => request_page, __preload_request_page, then request::prepare;
        /// `/busca`
        Search => search_page, __preload_search_page;
        /// `/meus-tickets`
        MyTickets => my_tickets_page, __preload_my_tickets_page, then my_tickets::prepare;
        /// `/meus-tickets/{number}`
        Ticket => ticket_page, __preload_ticket_page, then ticket::prepare;
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
