//! The staff desk: the queue ("Fila de atendimento", `/fila`) and a ticket's workspace
//! (`/fila/{number}`). Customers never see these pages (the server answers them "not
//! found"); visitors are asked to sign in.

pub mod queue;
pub mod texts;
pub mod workspace;

use leptos::prelude::*;

use crate::components::ticket_labels::sla_status_name;
use crate::domain::tickets::SlaStatus;
use crate::locale::use_texts;

/// The SLA status with an icon and a class: overdue and at-risk tickets stand out by
/// colour and by the icon and text, so colour is never the only sign.
#[component]
pub fn SlaBadge(status: SlaStatus) -> impl IntoView {
    let texts = use_texts();
    let (icon, class) = match status {
        SlaStatus::Late => ("⛔", "sla sla-late"),
        SlaStatus::AtRisk => ("⚠", "sla sla-at-risk"),
        SlaStatus::Met => ("✔", "sla sla-met"),
        SlaStatus::Normal => ("", "sla sla-normal"),
    };
    view! {
        <span class=class>
            {(!icon.is_empty()).then(|| view! { <span aria-hidden="true">{icon} " "</span> })}
            {move || sla_status_name(status, texts.get())}
        </span>
    }
}
