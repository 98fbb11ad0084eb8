//! Creating accounts: self-registration, and (through `crate::server::people`) the
//! administration page and the `atende user create` command.

use chrono::{DateTime, Utc};
use entity::{support_group, user_account, user_group};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, Set,
};

use crate::domain::account::{PersonType, Role, identity_key};
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::server::password;

/// A validated new account. Staff created from the command line may leave the
/// profile fields (phone, CEP, address) empty.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub login: String,
    pub email: String,
    pub name: String,
    pub person: PersonType,
    pub phone: String,
    pub cep: String,
    pub address: String,
    pub role: Role,
    pub password: String,
    /// Names of the support groups the user works in.
    pub groups: Vec<String>,
}

/// Field problems for a login or email that another account already uses.
pub async fn taken(
    db: &DatabaseConnection,
    login: Option<&str>,
    email: Option<&str>,
    except_user: Option<i32>,
) -> Result<FieldErrors, AppError> {
    let mut errors = FieldErrors::new();
    let others = |column: user_account::Column, value: String| {
        let mut query = user_account::Entity::find().filter(column.eq(value));
        if let Some(id) = except_user {
            query = query.filter(user_account::Column::Id.ne(id));
        }
        query
    };
    if let Some(login) = login {
        if others(user_account::Column::LoginKey, identity_key(login))
            .one(db)
            .await?
            .is_some()
        {
            errors.add(Field::Login, Problem::LoginTaken);
        }
    }
    if let Some(email) = email {
        if others(user_account::Column::EmailKey, identity_key(email))
            .one(db)
            .await?
            .is_some()
        {
            errors.add(Field::Email, Problem::EmailTaken);
        }
    }
    Ok(errors)
}

/// Creates the account and its group memberships in one transaction; returns its id.
pub async fn create(
    db: &DatabaseConnection,
    hashing: &password::HashLimiter,
    now: DateTime<Utc>,
    new: NewUser,
) -> Result<i32, AppError> {
    let errors = taken(db, Some(&new.login), Some(&new.email), None).await?;
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let hash = password::hash(hashing, new.password.clone()).await?;
    let txn = crate::server::begin_write(db).await?;
    let user = match insert(&txn, hash, now, &new).await {
        Ok(user) => user,
        Err(err) => {
            drop(txn);
            return Err(explain_conflict(db, &new, err).await);
        }
    };
    txn.commit().await?;
    Ok(user.id)
}

/// Inserts the account (with this password hash; "" for none yet) and its group
/// memberships (by name: `NotFound` for a group that does not exist) in `txn`. A row
/// the database refuses (a login or e-mail taken meanwhile) is `Conflict`: see
/// [`explain_conflict`].
pub async fn insert(
    txn: &DatabaseTransaction,
    hash: String,
    now: DateTime<Utc>,
    new: &NewUser,
) -> Result<user_account::Model, AppError> {
    let user = user_account::ActiveModel {
        login: Set(new.login.clone()),
        login_key: Set(identity_key(&new.login)),
        email: Set(new.email.clone()),
        email_key: Set(identity_key(&new.email)),
        name: Set(new.name.clone()),
        person_type: Set(new.person.code().to_owned()),
        phone: Set(new.phone.clone()),
        cep: Set(new.cep.clone()),
        address: Set(new.address.clone()),
        role: Set(new.role.code().to_owned()),
        password_hash: Set(hash),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|err| {
        tracing::warn!(error = %err, "account not inserted");
        AppError::Conflict
    })?;
    let mut names = new.groups.clone();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Ok(user);
    }
    let groups = support_group::Entity::find()
        .filter(support_group::Column::Name.is_in(names.iter().cloned()))
        .all(txn)
        .await?;
    if groups.len() != names.len() {
        return Err(AppError::NotFound);
    }
    user_group::Entity::insert_many(groups.iter().map(|g| user_group::ActiveModel {
        user_id: Set(user.id),
        group_id: Set(g.id),
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(user)
}

/// What to tell about an [`insert`] that failed: two registrations raced for the same
/// login or e-mail (say which), or another error.
pub async fn explain_conflict(db: &DatabaseConnection, new: &NewUser, err: AppError) -> AppError {
    if err != AppError::Conflict {
        return err;
    }
    match taken(db, Some(&new.login), Some(&new.email), None).await {
        Ok(errors) if !errors.is_empty() => errors.into(),
        Ok(_) => AppError::Internal,
        Err(err) => err,
    }
}
