//! Server functions, by area. Each one checks who is calling before anything else.

pub mod accounts;
