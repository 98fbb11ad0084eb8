pub mod auth;
pub mod breadcrumb;
pub mod form;
pub mod header;
pub mod profile_fields;
pub mod skip_link;
