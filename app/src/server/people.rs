//! Groups and people, for administrators ("Usuários e grupos") and the command line
//! (`atende user …`, `atende group …`): one code path for both. Every change is written
//! with its audit entry in one transaction; an invitation's link and e-mail go in that
//! same transaction, so an account never exists without the way to use it.

use chrono::{DateTime, Duration, Utc};
use entity::{customer_profile, password_reset, session, support_group, user_account, user_group};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Value, json};

use crate::domain::account::{PersonType, Role, identity_key};
use crate::domain::admin::{GroupRow, PeopleCommand, PeopleData, Person, StaffInvite, UserRow};
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::server::accounts::{self, NewUser};
use crate::server::audit::{self, Actor, Change};
use crate::server::outbox::{self, Letter};
use crate::server::password;
use crate::server::tokens::{hash_token, random_token};
use crate::state::AppState;

/// How long an invitation's link works.
pub const INVITE_TTL_DAYS: i64 = 7;
/// Users listed at most per search.
pub const SEARCH_LIMIT: u64 = 50;

/// What changes need besides the database: the time, who acts, and how to write links.
pub struct Ctx<'a> {
    pub db: &'a DatabaseConnection,
    pub hashing: &'a password::HashLimiter,
    pub now: DateTime<Utc>,
    pub actor: &'a Actor,
    /// The instance's public address, for the links in e-mails.
    pub public_url: String,
    /// How long a password-reset link works.
    pub reset_ttl: Duration,
}

impl<'a> Ctx<'a> {
    pub fn of(state: &'a AppState, actor: &'a Actor) -> Ctx<'a> {
        Ctx {
            db: &state.db,
            hashing: &state.hashing,
            now: state.clock.now(),
            actor,
            public_url: state.public_url(),
            reset_ttl: state.auth.reset_link_ttl,
        }
    }

    async fn record(
        &self,
        txn: &DatabaseTransaction,
        kind: &'static str,
        action: &'static str,
        target: String,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<(), AppError> {
        audit::record(
            txn,
            self.now,
            Change {
                kind,
                action,
                target,
                before,
                after,
                actor: self.actor,
            },
        )
        .await?;
        Ok(())
    }
}

fn refuse(field: Field, problem: Problem) -> AppError {
    FieldErrors::single(field, problem).into()
}

/// A user as the audit trail keeps them.
async fn user_json(
    db: &impl ConnectionTrait,
    user: &user_account::Model,
) -> Result<Value, AppError> {
    let groups: Vec<String> = user_group::Entity::find()
        .filter(user_group::Column::UserId.eq(user.id))
        .find_also_related(support_group::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, g)| g.map(|g| g.name))
        .collect();
    Ok(json!({
        "login": user.login,
        "nome": user.name,
        "email": user.email,
        "papel": user.role,
        "ativo": user.active,
        "grupos": groups,
    }))
}

/// A group as the audit trail keeps it.
async fn group_json(
    db: &impl ConnectionTrait,
    group: &support_group::Model,
) -> Result<Value, AppError> {
    let mut members: Vec<String> = user_group::Entity::find()
        .filter(user_group::Column::GroupId.eq(group.id))
        .find_also_related(user_account::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, u)| u.map(|u| u.login))
        .collect();
    members.sort();
    Ok(json!({ "nome": group.name, "ativo": group.active, "membros": members }))
}

fn user_target(user: &user_account::Model) -> String {
    format!("{} ({})", user.name, user.login)
}

async fn find_user(db: &impl ConnectionTrait, id: i32) -> Result<user_account::Model, AppError> {
    user_account::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn find_group(db: &impl ConnectionTrait, id: i32) -> Result<support_group::Model, AppError> {
    support_group::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Refuses a name another group has.
async fn name_free(
    db: &impl ConnectionTrait,
    name: &str,
    except: Option<i32>,
) -> Result<(), AppError> {
    let mut query = support_group::Entity::find().filter(support_group::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(support_group::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(refuse(Field::GroupName, Problem::NameTaken));
    }
    Ok(())
}

/// Creates a group; answers its id.
pub async fn create_group(ctx: &Ctx<'_>, name: &str) -> Result<i32, AppError> {
    let name = crate::domain::admin::group_name(name)
        .map_err(|problem| refuse(Field::GroupName, problem))?;
    name_free(ctx.db, &name, None).await?;
    let txn = crate::server::begin_write(ctx.db).await?;
    let group = support_group::ActiveModel {
        name: Set(name.clone()),
        active: Set(true),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let group = match group {
        Ok(group) => group,
        Err(err) => {
            drop(txn);
            // Two admins created the same name at once: one of them is told.
            name_free(ctx.db, &name, None).await?;
            return Err(err.into());
        }
    };
    let after = group_json(&txn, &group).await?;
    ctx.record(&txn, "grupo", "criar", name, None, Some(after))
        .await?;
    txn.commit().await?;
    Ok(group.id)
}

/// A link (token) that lets `user` choose a password, valid until `expires`.
async fn password_link(
    txn: &DatabaseTransaction,
    ctx: &Ctx<'_>,
    user: i32,
    expires: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = random_token();
    password_reset::Entity::delete_many()
        .filter(password_reset::Column::ExpiresAt.lte(ctx.now))
        .exec(txn)
        .await?;
    password_reset::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(user),
        expires_at: Set(expires),
    }
    .insert(txn)
    .await?;
    Ok(format!("{}/redefinir-senha?token={token}", ctx.public_url))
}

/// A letter of a few paragraphs and one link, as text and HTML.
fn letter(
    kind: &'static str,
    to: &user_account::Model,
    subject: &str,
    paragraphs: &[String],
    link: &str,
) -> Letter {
    use crate::server::notify::escape;
    let mut text = format!("Olá, {}.\n\n", to.name);
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\"></head><body><p>Olá, {}.</p>",
        escape(&to.name)
    );
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
    }
    text.push_str(&format!("{link}\n\n--\nAtende\n"));
    html.push_str(&format!(
        "<p><a href=\"{0}\">{0}</a></p><p>--<br>Atende</p></body></html>",
        escape(link)
    ));
    Letter {
        kind,
        ticket_id: None,
        recipient: to.email.clone(),
        subject: subject.to_owned(),
        text,
        html,
    }
}

/// Creates a staff account. With a password (the command line), it is ready to use;
/// without one (the administration page), the person gets an invitation e-mail whose
/// link lets them choose it, and cannot sign in before. Answers the new user's id.
/// The command line may also create customers (with a password); an invitation is for
/// staff only.
pub async fn create_account(
    ctx: &Ctx<'_>,
    invite: StaffInvite,
    password: Option<String>,
) -> Result<i32, AppError> {
    use crate::domain::account;
    let mut errors = FieldErrors::new();
    let name = errors.check(Field::Name, account::name(&invite.name));
    let login = errors.check(Field::Login, account::login(&invite.login));
    let email = errors.check(Field::Email, account::email(&invite.email));
    if password.is_none() && !invite.role.is_staff() {
        errors.add(Field::Role, Problem::InvalidChoice);
    }
    if let Some(password) = &password {
        errors.check(Field::Password, account::password(password));
    }
    let (Some(name), Some(login), Some(email), true) = (name, login, email, errors.is_empty())
    else {
        return Err(errors.into());
    };
    let invite = StaffInvite {
        name,
        login,
        email,
        ..invite
    };
    let mut ids = invite.groups.clone();
    ids.sort_unstable();
    ids.dedup();
    let groups: Vec<String> = support_group::Entity::find()
        .filter(support_group::Column::Id.is_in(ids.iter().copied()))
        .all(ctx.db)
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect();
    if groups.len() != ids.len() {
        return Err(refuse(Field::Group, Problem::InvalidChoice));
    }
    let new = NewUser {
        login: invite.login.clone(),
        email: invite.email.clone(),
        name: invite.name.clone(),
        person: PersonType::Fisica,
        phone: String::new(),
        cep: String::new(),
        address: String::new(),
        role: invite.role,
        password: String::new(),
        groups,
    };
    let errors = accounts::taken(ctx.db, Some(&new.login), Some(&new.email), None).await?;
    if !errors.is_empty() {
        return Err(errors.into());
    }
    // No password yet: a hash nothing matches.
    let hash = match password {
        Some(password) => password::hash(ctx.hashing, password).await?,
        None => String::new(),
    };
    let txn = crate::server::begin_write(ctx.db).await?;
    let user = match accounts::insert(&txn, hash, ctx.now, &new).await {
        Ok(user) => user,
        Err(err) => {
            drop(txn);
            return Err(accounts::explain_conflict(ctx.db, &new, err).await);
        }
    };
    let invited = user.password_hash.is_empty();
    if invited {
        let link = password_link(
            &txn,
            ctx,
            user.id,
            ctx.now + Duration::days(INVITE_TTL_DAYS),
        )
        .await?;
        let paragraphs = [
            format!(
                "Você foi cadastrado(a) na Central de Atendimento com o login {}.",
                user.login
            ),
            format!(
                "Para escolher sua senha e entrar, abra o link abaixo em até {INVITE_TTL_DAYS} dias:"
            ),
        ];
        outbox::enqueue(
            &txn,
            ctx.now,
            vec![letter(
                "convite",
                &user,
                "Atende — convite de acesso à Central de Atendimento",
                &paragraphs,
                &link,
            )],
        )
        .await?;
    }
    let after = user_json(&txn, &user).await?;
    ctx.record(
        &txn,
        "usuario",
        if invited { "convidar" } else { "criar" },
        user_target(&user),
        None,
        Some(after),
    )
    .await?;
    txn.commit().await?;
    Ok(user.id)
}

/// Carries out one command of "Usuários e grupos" for an administrator (`me`).
pub async fn apply(ctx: &Ctx<'_>, me: i32, command: PeopleCommand) -> Result<(), AppError> {
    match command.validated()? {
        PeopleCommand::CreateGroup { name } => create_group(ctx, &name).await.map(|_| ()),
        PeopleCommand::InviteStaff(invite) => create_account(ctx, invite, None).await.map(|_| ()),
        PeopleCommand::RenameGroup { group, name } => {
            let txn = crate::server::begin_write(ctx.db).await?;
            let found = find_group(&txn, group).await?;
            name_free(&txn, &name, Some(group)).await?;
            let before = group_json(&txn, &found).await?;
            let mut active = found.into_active_model();
            active.name = Set(name.clone());
            let renamed = active.update(&txn).await?;
            let after = group_json(&txn, &renamed).await?;
            ctx.record(&txn, "grupo", "renomear", name, Some(before), Some(after))
                .await?;
            txn.commit().await?;
            Ok(())
        }
        PeopleCommand::SetGroupActive { group, active } => {
            let txn = crate::server::begin_write(ctx.db).await?;
            let found = find_group(&txn, group).await?;
            if found.active == active {
                return Ok(());
            }
            let before = group_json(&txn, &found).await?;
            let mut model = found.into_active_model();
            model.active = Set(active);
            let changed = model.update(&txn).await?;
            let after = group_json(&txn, &changed).await?;
            let action = if active { "ativar" } else { "desativar" };
            ctx.record(
                &txn,
                "grupo",
                action,
                changed.name,
                Some(before),
                Some(after),
            )
            .await?;
            txn.commit().await?;
            Ok(())
        }
        PeopleCommand::AddMember { group, user } => membership(ctx, group, user, true).await,
        PeopleCommand::RemoveMember { group, user } => membership(ctx, group, user, false).await,
        PeopleCommand::SetRole { user, role } => {
            if user == me && role != Role::Admin {
                return Err(refuse(Field::Role, Problem::OwnAccount));
            }
            let txn = crate::server::begin_write(ctx.db).await?;
            let found = find_user(&txn, user).await?;
            if found.role == role.code() {
                return Ok(());
            }
            let before = user_json(&txn, &found).await?;
            let mut model = found.into_active_model();
            model.role = Set(role.code().to_owned());
            model.updated_at = Set(ctx.now);
            let changed = model.update(&txn).await?;
            if !role.is_staff() {
                // A customer works in no group.
                user_group::Entity::delete_many()
                    .filter(user_group::Column::UserId.eq(user))
                    .exec(&txn)
                    .await?;
            }
            let after = user_json(&txn, &changed).await?;
            ctx.record(
                &txn,
                "usuario",
                "alterar-papel",
                user_target(&changed),
                Some(before),
                Some(after),
            )
            .await?;
            txn.commit().await?;
            Ok(())
        }
        PeopleCommand::SetUserActive { user, active } => {
            if user == me && !active {
                return Err(refuse(Field::DeskAction, Problem::OwnAccount));
            }
            let txn = crate::server::begin_write(ctx.db).await?;
            let found = find_user(&txn, user).await?;
            if found.active == active {
                return Ok(());
            }
            let before = user_json(&txn, &found).await?;
            let mut model = found.into_active_model();
            model.active = Set(active);
            model.updated_at = Set(ctx.now);
            let changed = model.update(&txn).await?;
            if !active {
                // Every session ends at once; unused password links die too.
                session::Entity::delete_many()
                    .filter(session::Column::UserId.eq(user))
                    .exec(&txn)
                    .await?;
                password_reset::Entity::delete_many()
                    .filter(password_reset::Column::UserId.eq(user))
                    .exec(&txn)
                    .await?;
            }
            let after = user_json(&txn, &changed).await?;
            let action = if active { "ativar" } else { "desativar" };
            ctx.record(
                &txn,
                "usuario",
                action,
                user_target(&changed),
                Some(before),
                Some(after),
            )
            .await?;
            txn.commit().await?;
            Ok(())
        }
        PeopleCommand::SendReset { user } => {
            let txn = crate::server::begin_write(ctx.db).await?;
            let found = find_user(&txn, user).await?;
            if !found.active {
                return Err(refuse(Field::DeskAction, Problem::NotAllowedNow));
            }
            let link = password_link(&txn, ctx, user, ctx.now + ctx.reset_ttl).await?;
            let paragraphs = [
                format!(
                    "A administração da Central de Atendimento enviou um link para você escolher uma nova senha do seu acesso ({}).",
                    found.login
                ),
                format!(
                    "Abra o link abaixo em até {} minutos:",
                    ctx.reset_ttl.num_minutes()
                ),
            ];
            outbox::enqueue(
                &txn,
                ctx.now,
                vec![letter(
                    "senha",
                    &found,
                    "Atende — redefinição de senha",
                    &paragraphs,
                    &link,
                )],
            )
            .await?;
            ctx.record(
                &txn,
                "usuario",
                "enviar-senha",
                user_target(&found),
                None,
                None,
            )
            .await?;
            txn.commit().await?;
            Ok(())
        }
    }
}

/// Adds `user` to `group` (`add`) or takes them out.
async fn membership(ctx: &Ctx<'_>, group: i32, user: i32, add: bool) -> Result<(), AppError> {
    let txn = crate::server::begin_write(ctx.db).await?;
    let found = find_group(&txn, group).await?;
    let person = find_user(&txn, user).await?;
    let is_member = user_group::Entity::find_by_id((user, group))
        .one(&txn)
        .await?
        .is_some();
    if is_member == add {
        return Ok(());
    }
    if add {
        // Only active staff work in groups.
        let staff = Role::from_code(&person.role).is_some_and(Role::is_staff);
        if !staff || !person.active {
            return Err(refuse(Field::Agent, Problem::InvalidChoice));
        }
    }
    let before = group_json(&txn, &found).await?;
    if add {
        user_group::ActiveModel {
            user_id: Set(user),
            group_id: Set(group),
        }
        .insert(&txn)
        .await?;
    } else {
        user_group::Entity::delete_by_id((user, group))
            .exec(&txn)
            .await?;
    }
    let after = group_json(&txn, &found).await?;
    let action = if add {
        "adicionar-membro"
    } else {
        "remover-membro"
    };
    ctx.record(
        &txn,
        "grupo",
        action,
        format!("{} — {}", found.name, user_target(&person)),
        Some(before),
        Some(after),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// "Usuários e grupos": the users `query` finds (by name, login, e-mail, CPF/CNPJ; the
/// staff when it is empty), every group with its members, and the staff to add.
pub async fn data(state: &AppState, me: i32, query: &str) -> Result<PeopleData, AppError> {
    let db = &state.db;
    let query = query.trim();
    let mut select = user_account::Entity::find();
    if query.is_empty() {
        select = select.filter(user_account::Column::Role.ne(Role::Customer.code()));
    } else {
        let key = identity_key(query);
        let pattern = format!("%{}%", key.replace(['%', '_'], ""));
        let mut any = Condition::any()
            .add(user_account::Column::LoginKey.like(pattern.clone()))
            .add(user_account::Column::EmailKey.like(pattern.clone()))
            .add(Expr::expr(Func::lower(Expr::col(user_account::Column::Name))).like(pattern));
        let digits: String = query.chars().filter(char::is_ascii_alphanumeric).collect();
        if digits.len() >= 3 && digits.chars().any(|c| c.is_ascii_digit()) {
            let holders = customer_profile::Entity::find()
                .select_only()
                .column(customer_profile::Column::UserId)
                .filter(customer_profile::Column::Document.contains(digits.to_uppercase()))
                .limit(SEARCH_LIMIT)
                .into_tuple::<i32>()
                .all(db)
                .await?;
            if !holders.is_empty() {
                any = any.add(user_account::Column::Id.is_in(holders));
            }
        }
        select = select.filter(any);
    }
    let mut users = select
        .order_by_asc(user_account::Column::Name)
        .order_by_asc(user_account::Column::Id)
        .limit(SEARCH_LIMIT + 1)
        .all(db)
        .await?;
    let more = users.len() as u64 > SEARCH_LIMIT;
    users.truncate(SEARCH_LIMIT as usize);
    let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
    let documents = customer_profile::Entity::find()
        .filter(customer_profile::Column::UserId.is_in(ids.clone()))
        .all(db)
        .await?;
    let groups = support_group::Entity::find()
        .order_by_asc(support_group::Column::Name)
        .all(db)
        .await?;
    let memberships = user_group::Entity::find().all(db).await?;
    let staff_models = user_account::Entity::find()
        .filter(user_account::Column::Role.ne(Role::Customer.code()))
        .filter(user_account::Column::Active.eq(true))
        .order_by_asc(user_account::Column::Name)
        .all(db)
        .await?;
    // Members, deactivated ones included (they stay members until removed).
    let mut member_ids: Vec<i32> = memberships.iter().map(|m| m.user_id).collect();
    member_ids.sort_unstable();
    member_ids.dedup();
    let member_models = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(member_ids))
        .all(db)
        .await?;
    let person = |u: &user_account::Model| Person {
        id: u.id,
        name: u.name.clone(),
        login: u.login.clone(),
    };
    let group_name = |id: i32| {
        groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    };
    let users = users
        .iter()
        .map(|u| UserRow {
            id: u.id,
            login: u.login.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
            role: Role::from_code(&u.role).unwrap_or(Role::Customer),
            active: u.active,
            document: documents
                .iter()
                .find(|d| d.user_id == u.id)
                .map(|d| {
                    if d.document.len() == 11 {
                        crate::domain::documents::format_cpf(&d.document)
                    } else {
                        crate::domain::documents::format_cnpj(&d.document)
                    }
                })
                .unwrap_or_default(),
            groups: memberships
                .iter()
                .filter(|m| m.user_id == u.id)
                .map(|m| group_name(m.group_id))
                .collect(),
        })
        .collect();
    let groups = groups
        .iter()
        .map(|g| GroupRow {
            id: g.id,
            name: g.name.clone(),
            active: g.active,
            members: {
                let mut members: Vec<Person> = memberships
                    .iter()
                    .filter(|m| m.group_id == g.id)
                    .filter_map(|m| member_models.iter().find(|u| u.id == m.user_id))
                    .map(person)
                    .collect();
                members.sort_by(|a, b| a.name.cmp(&b.name));
                members
            },
        })
        .collect();
    Ok(PeopleData {
        query: query.to_owned(),
        users,
        more,
        groups,
        staff: staff_models.iter().map(person).collect(),
        me,
    })
}
