//! Tickets on the server: how a request becomes one (`create`).
//!
//! The server functions of `crate::api::requests`, the command line and the tests all
//! come here; nothing here knows about HTTP.

pub mod create;
