//! The staff desk's server functions: the queue, a ticket's workspace and the actions on
//! it. Visitors must sign in; customers get "not found" (`guard::as_desk`); what each
//! staff role may see and do is decided in `crate::server::tickets::staff`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::desk::{DeskAction, QueueFilter, QueuePage, Workspace};
use crate::domain::ids::TicketNumber;
use crate::error::AppError;

/// One page of the caller's queue.
#[server(endpoint = "desk-queue", input = Json)]
pub async fn desk_queue(filter: QueueFilter) -> Result<QueuePage, AppError> {
    use crate::server::tickets::desk;
    crate::server::guard::as_desk(|state, me| async move { desk::page(&state, &me, filter).await })
        .await
}

/// A ticket's workspace.
#[server(endpoint = "desk-ticket", input = Json)]
pub async fn desk_ticket(number: TicketNumber) -> Result<Workspace, AppError> {
    use crate::server::tickets::staff;
    crate::server::guard::as_desk(
        |state, me| async move { staff::workspace(&state, &me, number).await },
    )
    .await
}

/// One action on a ticket, by the caller who saw `version`; answers the new version.
#[server(endpoint = "desk-act", input = Json)]
pub async fn desk_act(
    number: TicketNumber,
    version: i32,
    action: DeskAction,
) -> Result<i32, AppError> {
    use crate::server::tickets::staff;
    crate::server::guard::as_desk(|state, me| async move {
        staff::act(&state, &me, number, version, action).await
    })
    .await
}
