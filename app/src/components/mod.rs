pub mod header;
pub mod skip_link;
