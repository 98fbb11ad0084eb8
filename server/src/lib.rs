//! The Atende server: configuration, database, HTTP application and command line.
//!
//! `startup::Application` builds the whole application separately from running it, so
//! the integration tests start the real thing on port 0 with a database of their own.

#![recursion_limit = "256"]

pub mod assets;
pub mod cli;
pub mod config;
pub mod db;
pub mod security;
pub mod seed;
pub mod startup;
pub mod telemetry;

/// mimalloc instead of the C library's allocator: a server-rendered page makes
/// thousands of small allocations, and glibc's malloc took over a quarter of the
/// server's CPU time under load (`perf`, BENCHMARKS.md). In the library, so the
/// binary, the integration tests and the benchmarks all run on the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
