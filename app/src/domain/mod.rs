//! Validation shared by the browser (instant feedback beside each field) and the server
//! (the authoritative check). Plain Rust, no regex, no server crates: it compiles into
//! both the WASM bundle and the server.

#[macro_use]
pub mod named;

pub mod account;
pub mod admin;
pub mod attachment;
pub mod calendar;
pub mod catalog;
pub mod catalog_admin;
pub mod cep;
pub mod desk;
pub mod documents;
pub mod fields;
pub mod ids;
pub mod notices;
pub mod request;
pub mod settings;
pub mod text;
pub mod tickets;

pub use fields::{Field, FieldErrors, Problem};

/// Percent-encodes `value` for a URL query or a header parameter (RFC 3986 / RFC 8187):
/// unreserved characters and those in `keep` stay, every other byte becomes `%XX`.
pub fn percent_encode(value: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) || keep.contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
