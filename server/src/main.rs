//! `atende`: the Atende server and its administration commands.

use std::process::ExitCode;

use server::config::Config;
use server::startup::{Application, shutdown_signal};
use server::telemetry;

const USAGE: &str = "\
usage: atende [serve]

Serves Atende over HTTP. Configuration comes from environment variables
(ATENDE_ADDR, DATABASE_URL, ATENDE_DATA_DIR, ATENDE_SITE_ROOT, ATENDE_LOG_FORMAT,
ATENDE_DEMO_CATALOG); see README.md.";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => serve().await,
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

async fn serve() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("atende: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    let app = match Application::build(&config).await {
        Ok(app) => app,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("atende: {err}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        addr = %app.local_addr(),
        site_root = %config.site_root.display(),
        "Atende is listening on http://{}",
        app.local_addr()
    );
    match app.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "server stopped with an error");
            ExitCode::FAILURE
        }
    }
}
