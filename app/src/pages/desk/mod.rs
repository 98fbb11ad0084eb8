//! The staff desk: the queue ("Fila de atendimento", `/fila`) and a ticket's workspace
//! (`/fila/{number}`). Customers never see these pages (the server answers them "not
//! found"); visitors are asked to sign in.
//!
//! Both pages are lazy routes (`pages::DeskQueue`, `pages::DeskWorkspace`) whose code
//! is one part of the browser bundle, fetched only when a staff page is rendered: customers
//! never download it.

pub mod queue;
pub mod texts;
pub mod workspace;

use leptos::prelude::*;

use crate::components::icons::{Icon, IconSvg};
use crate::components::ticket_labels::sla_status_name;
use crate::domain::tickets::SlaStatus;
use crate::locale::use_texts;

/// The SLA status with an icon and a class: overdue and at-risk tickets stand out by
/// colour and by the icon and text, so colour is never the only sign.
#[component]
pub fn SlaBadge(status: SlaStatus) -> impl IntoView {
    let texts = use_texts();
    let (icon, class) = match status {
        SlaStatus::Late => (Some(Icon::Stop), "sla sla-late"),
        SlaStatus::AtRisk => (Some(Icon::Warning), "sla sla-at-risk"),
        SlaStatus::Met => (Some(Icon::Check), "sla sla-met"),
        SlaStatus::Violated => (Some(Icon::Cross), "sla sla-late"),
        SlaStatus::Normal => (None, "sla sla-normal"),
    };
    view! {
        <span class=class>
            {icon.map(|icon| view! { <IconSvg icon /> " " })}
            {move || sla_status_name(status, texts.get())}
        </span>
    }
}
