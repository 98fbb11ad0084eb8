//! Server functions, by area. Each one checks who is calling before anything else.

pub mod accounts;
pub mod admin;
pub mod desk;
pub mod portal;
pub mod requests;
pub mod tickets;
