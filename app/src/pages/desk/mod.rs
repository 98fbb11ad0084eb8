//! The staff desk: the queue ("Fila de atendimento", `/fila`) and a ticket's workspace
//! (`/fila/{number}`). Customers never see these pages (the server answers them "not
//! found"); visitors are asked to sign in.
//!
//! Both pages are lazy routes ([`DeskQueue`], [`DeskWorkspace`]): in the browser their
//! code is split out of the main WASM bundle (`scripts/build` runs the splitter) and
//! fetched only when a staff page is rendered, so customers never download it. The
//! server renders them as any other page, and adds preload links for their parts.

pub mod queue;
pub mod texts;
pub mod workspace;

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::components::ticket_labels::sla_status_name;
use crate::domain::tickets::SlaStatus;
use crate::locale::use_texts;

use queue::QueuePage;
use workspace::WorkspacePage;

/// `/fila` as a lazy route. Its data is loaded by the page itself (a resource the
/// server serializes for hydration), so `data` has nothing to start early.
pub struct DeskQueue;

#[lazy_route]
impl LazyRoute for DeskQueue {
    fn data() -> Self {
        DeskQueue
    }

    fn view(this: Self) -> AnyView {
        let DeskQueue = this;
        view! { <QueuePage /> }.into_any()
    }
}

/// `/fila/{number}` as a lazy route, like [`DeskQueue`].
pub struct DeskWorkspace;

#[lazy_route]
impl LazyRoute for DeskWorkspace {
    fn data() -> Self {
        DeskWorkspace
    }

    fn view(this: Self) -> AnyView {
        let DeskWorkspace = this;
        view! { <WorkspacePage /> }.into_any()
    }
}

/// The SLA status with an icon and a class: overdue and at-risk tickets stand out by
/// colour and by the icon and text, so colour is never the only sign.
#[component]
pub fn SlaBadge(status: SlaStatus) -> impl IntoView {
    let texts = use_texts();
    let (icon, class) = match status {
        SlaStatus::Late => ("⛔", "sla sla-late"),
        SlaStatus::AtRisk => ("⚠", "sla sla-at-risk"),
        SlaStatus::Met => ("✔", "sla sla-met"),
        SlaStatus::Violated => ("✖", "sla sla-late"),
        SlaStatus::Normal => ("", "sla sla-normal"),
    };
    view! {
        <span class=class>
            {(!icon.is_empty()).then(|| view! { <span aria-hidden="true">{icon} " "</span> })}
            {move || sla_status_name(status, texts.get())}
        </span>
    }
}
