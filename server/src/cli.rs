//! The administration commands (`atende user …`, `atende group create …`, `atende ticket close …`): the same validation and the same
//! account code as the web interface, without a running server.

use app::domain::account::Role;
use app::domain::admin::{PeopleCommand, StaffInvite};
use app::domain::ids::TicketNumber;
use app::domain::{Field, FieldErrors};
use app::error::AppError;
use app::i18n::Lang;
use app::server::audit::Actor;
use app::server::people;
use app::server::tickets::actions;
use entity::{support_group, user_account, user_group};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::config::Config;
use crate::startup::prepare_database;

pub struct CreateUser {
    pub login: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub groups: Vec<String>,
    pub password: String,
}

fn describe(errors: &FieldErrors) -> String {
    errors
        .iter()
        .map(|(field, problem)| {
            let name = match field {
                Field::Login => "--login",
                Field::Name => "--name",
                Field::Email => "--email",
                Field::Password => "password",
                Field::Role => "--role",
                Field::Group => "--group",
                _ => "value",
            };
            format!("{name}: {}", problem.message(Lang::En))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn create_user(config: &Config, request: CreateUser) -> Result<String, String> {
    let role = Role::from_code(&request.role).ok_or_else(|| {
        format!(
            "--role: expected one of admin, manager, agent, customer (got {:?})",
            request.role
        )
    })?;
    let db = prepare_database(config)
        .await
        .map_err(|err| err.to_string())?;
    let mut groups = Vec::new();
    for name in &request.groups {
        let group = support_group::Entity::find()
            .filter(support_group::Column::Name.eq(name.trim()))
            .one(&db)
            .await
            .map_err(|err| err.to_string())?
            .ok_or_else(|| format!("--group: no such group among {:?}", request.groups))?;
        groups.push(group.id);
    }
    let hashing = app::server::password::HashLimiter::default();
    let actor = Actor::command_line();
    let id = people::create_account(
        &context(config, &db, &hashing, &actor),
        StaffInvite {
            name: request.name,
            login: request.login.clone(),
            email: request.email,
            role,
            groups,
        },
        Some(request.password),
    )
    .await
    .map_err(|err| match err {
        AppError::Validation(errors) => describe(&errors),
        other => other.to_string(),
    })?;
    Ok(format!(
        "created user {} (id {id}, role {})\n",
        request.login.trim(),
        role.code()
    ))
}

/// What the shared administration code needs, from the configuration.
fn context<'a>(
    config: &'a Config,
    db: &'a DatabaseConnection,
    hashing: &'a app::server::password::HashLimiter,
    actor: &'a Actor,
) -> people::Ctx<'a> {
    people::Ctx {
        db,
        hashing,
        now: config.clock().now(),
        actor,
        public_url: config.public_url.clone().unwrap_or_default(),
        reset_ttl: chrono::Duration::minutes(30),
    }
}

/// What `atende user role|deactivate|activate` changes.
pub enum UserChange {
    Role(String),
    Active(bool),
}

/// `atende user role LOGIN ROLE`, `atende user deactivate LOGIN`, `atende user activate
/// LOGIN`: the administration page's code, recorded in the audit trail as the command
/// line.
pub async fn change_user(
    config: &Config,
    login: &str,
    change: UserChange,
) -> Result<String, String> {
    let db = prepare_database(config)
        .await
        .map_err(|err| err.to_string())?;
    let user = user_account::Entity::find()
        .filter(user_account::Column::LoginKey.eq(app::domain::account::identity_key(login)))
        .one(&db)
        .await
        .map_err(|err| err.to_string())?
        .ok_or_else(|| format!("no user with login {login:?}"))?;
    let (command, done) = match change {
        UserChange::Role(role) => {
            let role = Role::from_code(&role).ok_or_else(|| {
                format!("ROLE: expected one of admin, manager, agent, customer (got {role:?})")
            })?;
            (
                PeopleCommand::SetRole {
                    user: user.id,
                    role,
                },
                format!("{} is now {}\n", user.login, role.code()),
            )
        }
        UserChange::Active(active) => (
            PeopleCommand::SetUserActive {
                user: user.id,
                active,
            },
            format!(
                "{} {}\n",
                user.login,
                if active {
                    "reactivated"
                } else {
                    "deactivated: every session ended"
                }
            ),
        ),
    };
    let hashing = app::server::password::HashLimiter::default();
    let actor = Actor::command_line();
    // The command line is nobody's own account (id 0): it may change any.
    people::apply(&context(config, &db, &hashing, &actor), 0, command)
        .await
        .map_err(|err| match err {
            AppError::Validation(errors) => describe(&errors),
            other => other.to_string(),
        })?;
    Ok(done)
}

/// `atende group create NAME`.
pub async fn create_group(config: &Config, name: &str) -> Result<String, String> {
    let db = prepare_database(config)
        .await
        .map_err(|err| err.to_string())?;
    let hashing = app::server::password::HashLimiter::default();
    let actor = Actor::command_line();
    let id = people::create_group(&context(config, &db, &hashing, &actor), name)
        .await
        .map_err(|err| match err {
            AppError::Validation(errors) => errors
                .iter()
                .map(|(_, problem)| format!("NAME: {}", problem.message(Lang::En)))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        })?;
    Ok(format!("created group {:?} (id {id})\n", name.trim()))
}

pub async fn list_users(config: &Config) -> Result<String, String> {
    let db = prepare_database(config)
        .await
        .map_err(|err| err.to_string())?;
    let users = user_account::Entity::find()
        .order_by_asc(user_account::Column::Id)
        .all(&db)
        .await
        .map_err(|err| err.to_string())?;
    let memberships = user_group::Entity::find()
        .find_also_related(support_group::Entity)
        .all(&db)
        .await
        .map_err(|err| err.to_string())?;
    let mut out = String::from("id\tlogin\trole\tactive\temail\tname\tgroups\n");
    for user in users {
        let groups: Vec<&str> = memberships
            .iter()
            .filter(|(m, _)| m.user_id == user.id)
            .filter_map(|(_, g)| g.as_ref().map(|g| g.name.as_str()))
            .collect();
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            user.id,
            user.login,
            user.role,
            if user.active { "yes" } else { "no" },
            user.email,
            user.name,
            groups.join(", ")
        ));
    }
    Ok(out)
}

/// `atende ticket close NUMBER --solution TEXT`.
pub async fn close_ticket(config: &Config, number: i64, solution: &str) -> Result<String, String> {
    let db = prepare_database(config)
        .await
        .map_err(|err| err.to_string())?;
    let number = TicketNumber(number);
    // Mail about the closure is queued; a running server sends it.
    let notifier = app::server::notify::Notifier {
        public_url: config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", config.addr)),
        time_zone: config.time_zone,
        tickets: app::state::TicketRules {
            rating_window: chrono::Duration::days(config.rating_days.into()),
            reopen_window: chrono::Duration::hours(config.reopen_hours.into()),
        },
    };
    actions::close(&db, &notifier, config.clock().now(), number, solution, None)
        .await
        .map_err(|err| match err {
            AppError::NotFound => format!("no ticket number {number}"),
            AppError::Validation(errors) => errors
                .iter()
                .map(|(_, problem)| format!("--solution: {}", problem.message(Lang::En)))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        })?;
    Ok(format!("closed ticket {number}\n"))
}
