//! sea-orm entities of Atende. Server-only: this crate is pulled into `app` only under
//! the `ssr` feature and never reaches the browser bundle.

pub mod activity;
pub mod portfolio;
pub mod service;
pub mod support_group;

pub mod prelude {
    pub use super::activity::Entity as Activity;
    pub use super::portfolio::Entity as Portfolio;
    pub use super::service::Entity as Service;
    pub use super::support_group::Entity as SupportGroup;
}
