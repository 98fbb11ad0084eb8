//! "Concluir": turns a request form into a ticket (see `crate::server::tickets::create`).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub use crate::domain::request::CreatedTicket;
use crate::domain::request::RequestInput;
use crate::error::AppError;

/// The functions that lived here before `crate::server::tickets::create`, at their old
/// paths, for code written against them (the no-JavaScript forms); remove once nothing
/// uses them.
#[cfg(feature = "ssr")]
#[allow(unused_imports)]
pub(crate) mod ssr {
    pub use crate::server::tickets::create::{Draft, create};
}

/// "Concluir": opens a ticket for the signed-in user.
#[server(endpoint = "request-create", input = Json)]
pub async fn create_request(input: RequestInput) -> Result<CreatedTicket, AppError> {
    use crate::server::tickets::create;
    crate::server::guard::as_customer(|state, me| async move {
        create::create(&state, &me, input).await
    })
    .await
}
