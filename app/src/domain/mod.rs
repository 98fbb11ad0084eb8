//! Validation shared by the browser (instant feedback beside each field) and the server
//! (the authoritative check). Plain Rust, no regex, no server crates: it compiles into
//! both the WASM bundle and the server.

pub mod account;
pub mod attachment;
pub mod cep;
pub mod documents;
pub mod fields;
pub mod request;
pub mod tickets;

pub use fields::{Field, FieldErrors, Problem};
