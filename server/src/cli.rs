//! The administration commands (`atende user …`, `atende group create …`, `atende ticket close …`): the same validation and the same
//! account code as the web interface, without a running server.

use app::domain::account::{self, PersonType, Role};
use app::domain::ids::TicketNumber;
use app::domain::{Field, FieldErrors};
use app::error::AppError;
use app::i18n::Lang;
use app::server::accounts::{self, NewUser};
use app::server::tickets::actions;
use entity::{support_group, user_account, user_group};
use sea_orm::{EntityTrait, QueryOrder};

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
                _ => "value",
            };
            format!("{name}: {}", problem.message(Lang::En))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn create_user(config: &Config, request: CreateUser) -> Result<String, String> {
    let mut errors = FieldErrors::new();
    let login = errors.check(Field::Login, account::login(&request.login));
    let name = errors.check(Field::Name, account::name(&request.name));
    let email = errors.check(Field::Email, account::email(&request.email));
    errors.check(Field::Password, account::password(&request.password));
    let role = Role::from_code(&request.role).ok_or_else(|| {
        format!(
            "--role: expected one of admin, manager, agent, customer (got {:?})",
            request.role
        )
    })?;
    let (Some(login), Some(name), Some(email)) = (login, name, email) else {
        return Err(describe(&errors));
    };
    if !errors.is_empty() {
        return Err(describe(&errors));
    }
    let db = prepare_database(config)
        .await
        .map_err(|err| err.to_string())?;
    let id = accounts::create(
        &db,
        &app::server::password::HashLimiter::default(),
        chrono::Utc::now(),
        NewUser {
            login: login.clone(),
            email,
            name,
            person: PersonType::Fisica,
            phone: String::new(),
            cep: String::new(),
            address: String::new(),
            role,
            password: request.password,
            groups: request.groups.clone(),
        },
    )
    .await
    .map_err(|err| match err {
        AppError::Validation(errors) => describe(&errors),
        AppError::NotFound => format!("--group: no such group among {:?}", request.groups),
        other => other.to_string(),
    })?;
    Ok(format!(
        "created user {login} (id {id}, role {})\n",
        role.code()
    ))
}

/// `atende group create NAME`.
pub async fn create_group(config: &Config, name: &str) -> Result<String, String> {
    let db = prepare_database(config)
        .await
        .map_err(|err| err.to_string())?;
    let id = app::server::groups::create(&db, name)
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
