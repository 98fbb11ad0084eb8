//! `atende`: the Atende server and its administration commands.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::config::Config;
use server::startup::{Application, shutdown_signal};
use server::{cli, telemetry};

/// Atende, a self-hosted service desk. Configuration comes from environment variables
/// (ATENDE_ADDR, DATABASE_URL, ATENDE_DATA_DIR, …); see README.md.
#[derive(Parser)]
#[command(name = "atende", version)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Atende over HTTP (the default).
    Serve,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage support groups.
    #[command(subcommand)]
    Group(GroupCommand),
    /// Work on tickets from scripts (the staff desk at /fila is the everyday way).
    #[command(subcommand)]
    Ticket(TicketCommand),
}

#[derive(Subcommand)]
enum GroupCommand {
    /// Create a support group, e.g. "2º Nível - Faturamento".
    Create {
        /// The group's name.
        name: String,
    },
}

#[derive(Subcommand)]
enum TicketCommand {
    /// Close an open ticket with its solution ("Solução").
    Close {
        /// The ticket's number.
        number: i64,
        #[arg(long)]
        solution: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// admin, manager, agent or customer
        #[arg(long)]
        role: String,
        /// A support group the user works in (repeatable), e.g. "1º Nível - NUATE".
        #[arg(long = "group")]
        groups: Vec<String>,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List the accounts.
    List,
    /// Change a user's role (admin, manager, agent or customer).
    Role { login: String, role: String },
    /// Deactivate a user: every session ends, signing in is refused; tickets stay.
    Deactivate { login: String },
    /// Reactivate a deactivated user.
    Activate { login: String },
}

fn main() -> ExitCode {
    match server::startup::runtime() {
        Ok(runtime) => runtime.block_on(run()),
        Err(err) => {
            eprintln!("atende: cannot start the async runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    let args = Args::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("atende: {err}");
            return ExitCode::from(2);
        }
    };
    match args.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::User(UserCommand::Create {
            login,
            name,
            email,
            role,
            groups,
            password_stdin: _,
        }) => {
            let mut password = String::new();
            if let Err(err) = std::io::stdin().read_to_string(&mut password) {
                eprintln!("atende: cannot read the password from standard input: {err}");
                return ExitCode::from(2);
            }
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let request = cli::CreateUser {
                login,
                name,
                email,
                role,
                groups,
                password,
            };
            report(cli::create_user(&config, request).await)
        }
        Command::User(UserCommand::List) => report(cli::list_users(&config).await),
        Command::User(UserCommand::Role { login, role }) => {
            report(cli::change_user(&config, &login, cli::UserChange::Role(role)).await)
        }
        Command::User(UserCommand::Deactivate { login }) => {
            report(cli::change_user(&config, &login, cli::UserChange::Active(false)).await)
        }
        Command::User(UserCommand::Activate { login }) => {
            report(cli::change_user(&config, &login, cli::UserChange::Active(true)).await)
        }
        Command::Group(GroupCommand::Create { name }) => {
            report(cli::create_group(&config, &name).await)
        }
        Command::Ticket(TicketCommand::Close { number, solution }) => {
            report(cli::close_ticket(&config, number, &solution).await)
        }
    }
}

fn report(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("atende: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> ExitCode {
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
