//! Accounts and access: registration ("Solicitação de Acesso") with CAPTCHA and CEP
//! lookup, sign-in and sign-out, password reset, and "Meu perfil".

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::domain::account::{PersonType, ProfileInput, RegistrationInput, Role};
use crate::domain::cep::CepAddress;
use crate::error::AppError;

/// "Complete a operação {a} + [] = {sum}".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptchaChallenge {
    pub id: String,
    pub a: i32,
    pub sum: i32,
}

/// The signed-in user, as the interface needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i32,
    pub login: String,
    pub name: String,
    pub role: Role,
}

/// "Meu perfil": the registration data, formatted for display and editing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub login: String,
    pub name: String,
    pub person: PersonType,
    pub phone: String,
    pub cep: String,
    pub address: String,
    pub email: String,
    pub role: Role,
}

/// What the login page needs before anyone signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageInfo {
    pub auth_domain: String,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use std::net::SocketAddr;

    use axum::extract::ConnectInfo;
    use entity::{password_reset, user_account};
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, Set,
    };

    use super::*;
    use crate::domain::account::{self, format_cep, format_phone, identity_key};
    use crate::domain::{Field, FieldErrors, Problem};
    use crate::server::accounts::{self, NewUser};
    use crate::server::session::SessionUser;
    use crate::server::tokens::{hash_token, random_token};
    use crate::server::{password, session, throttle};
    use crate::state::AppState;

    pub async fn client_addr() -> String {
        leptos_axum::extract::<ConnectInfo<SocketAddr>>()
            .await
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|_| "unknown".into())
    }

    pub fn user_info(user: &SessionUser) -> UserInfo {
        UserInfo {
            id: user.id,
            login: user.login.clone(),
            name: user.name.clone(),
            role: user.role,
        }
    }

    pub async fn find_by_identifier(
        state: &AppState,
        identifier: &str,
    ) -> Result<Option<user_account::Model>, AppError> {
        let key = identity_key(identifier);
        Ok(user_account::Entity::find()
            .filter(
                Condition::any()
                    .add(user_account::Column::LoginKey.eq(key.as_str()))
                    .add(user_account::Column::EmailKey.eq(key.as_str())),
            )
            .one(&state.db)
            .await?)
    }

    pub async fn register(
        state: &AppState,
        input: RegistrationInput,
        captcha_id: String,
        captcha_answer: String,
    ) -> Result<(), AppError> {
        if session::current(state).await?.is_some() {
            return Err(AppError::Forbidden);
        }
        let valid = input.validate();
        let mut errors = valid.as_ref().err().cloned().unwrap_or_default();
        if let Err(problem) =
            crate::server::captcha::check(state, &captcha_id, &captcha_answer).await?
        {
            errors.add(Field::Captcha, problem);
        }
        for (field, problem) in
            accounts::taken(&state.db, Some(&input.login), Some(&input.email), None)
                .await?
                .iter()
        {
            errors.add(field, problem);
        }
        let registration = match valid {
            Ok(registration) if errors.is_empty() => registration,
            _ => return Err(errors.into()),
        };
        let profile = registration.profile;
        accounts::create(
            &state.db,
            state.clock.now(),
            NewUser {
                login: registration.login,
                email: profile.email,
                name: profile.name,
                person: profile.person,
                phone: profile.phone,
                cep: profile.cep,
                address: profile.address,
                role: Role::Customer,
                password: registration.password,
                groups: Vec::new(),
            },
        )
        .await?;
        Ok(())
    }

    pub async fn login(
        state: &AppState,
        identifier: String,
        password: String,
    ) -> Result<UserInfo, AppError> {
        let account_key = throttle::account_key(&identity_key(&identifier));
        let client_key = throttle::client_key(&client_addr().await);
        throttle::check(
            state,
            &[
                (account_key.clone(), state.auth.max_failures_per_account),
                (client_key.clone(), state.auth.max_failures_per_client),
            ],
        )
        .await?;
        let user = if identifier.trim().is_empty() || password.len() > account::PASSWORD_MAX {
            None
        } else {
            find_by_identifier(state, &identifier).await?
        };
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let matches = password::verify(password, hash).await;
        match user {
            Some(user) if matches && user.active => {
                throttle::clear(state, &account_key).await?;
                session::start(state, user.id).await?;
                let role = Role::from_code(&user.role).ok_or(AppError::Internal)?;
                Ok(UserInfo {
                    id: user.id,
                    login: user.login,
                    name: user.name,
                    role,
                })
            }
            _ => {
                throttle::record_failure(state, &[account_key, client_key]).await?;
                Err(AppError::InvalidCredentials)
            }
        }
    }

    pub async fn request_password_reset(state: &AppState, email: String) -> Result<(), AppError> {
        let email = account::email(&email).map_err(|p| FieldErrors::single(Field::Email, p))?;
        let user = user_account::Entity::find()
            .filter(user_account::Column::EmailKey.eq(identity_key(&email)))
            .one(&state.db)
            .await?;
        // The answer is the same whether or not the address is known.
        let Some(user) = user.filter(|u| u.active) else {
            return Ok(());
        };
        let token = random_token();
        password_reset::ActiveModel {
            token_hash: Set(hash_token(&token)),
            user_id: Set(user.id),
            expires_at: Set(state.clock.now() + state.auth.reset_link_ttl),
        }
        .insert(&state.db)
        .await?;
        let link = format!("{}/redefinir-senha?token={token}", state.public_url);
        let minutes = state.auth.reset_link_ttl.num_minutes();
        let body = format!(
            "Olá, {name}.\n\n\
             Recebemos um pedido para redefinir a senha do seu acesso ({login}) à Central de Atendimento.\n\
             Para escolher uma nova senha, abra o link abaixo em até {minutes} minutos:\n\n\
             {link}\n\n\
             Se você não fez este pedido, ignore esta mensagem: sua senha continua a mesma.\n\n\
             --\nAtende\n",
            name = user.name,
            login = user.login,
        );
        if let Err(err) = state
            .mailer
            .send(&user.email, "Atende — redefinição de senha", body)
            .await
        {
            tracing::error!(error = %err, user = user.id, "password reset mail not sent");
        }
        Ok(())
    }

    pub async fn reset_password(
        state: &AppState,
        token: String,
        new_password: String,
        confirm: String,
    ) -> Result<(), AppError> {
        let mut errors = FieldErrors::new();
        errors.check(Field::Password, account::password(&new_password));
        errors.check(
            Field::PasswordConfirm,
            account::password_confirmation(&new_password, &confirm),
        );
        let token_hash = hash_token(token.trim());
        let link = password_reset::Entity::find_by_id(token_hash.clone())
            .one(&state.db)
            .await?
            .filter(|link| link.expires_at > state.clock.now());
        let Some(link) = link else {
            errors.add(Field::Token, Problem::LinkExpired);
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let hash = password::hash(new_password).await?;
        let user = user_account::Entity::find_by_id(link.user_id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut active = user.into_active_model();
        active.password_hash = Set(hash);
        active.updated_at = Set(state.clock.now());
        active.update(&state.db).await?;
        // Every link of this user is spent, and every session ends.
        password_reset::Entity::delete_many()
            .filter(password_reset::Column::UserId.eq(link.user_id))
            .exec(&state.db)
            .await?;
        session::end_others(state, link.user_id, None).await?;
        Ok(())
    }

    pub fn profile_of(user: user_account::Model) -> Result<Profile, AppError> {
        Ok(Profile {
            person: PersonType::from_code(&user.person_type).unwrap_or(PersonType::Fisica),
            role: Role::from_code(&user.role).ok_or(AppError::Internal)?,
            phone: format_phone(&user.phone),
            cep: format_cep(&user.cep),
            login: user.login,
            name: user.name,
            address: user.address,
            email: user.email,
        })
    }

    pub async fn load_user(state: &AppState, id: i32) -> Result<user_account::Model, AppError> {
        user_account::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or(AppError::Unauthenticated)
    }

    pub async fn update_profile(
        state: &AppState,
        input: ProfileInput,
    ) -> Result<Profile, AppError> {
        let me = session::require(state).await?;
        let valid = input.validate();
        let mut errors = valid.as_ref().err().cloned().unwrap_or_default();
        for (field, problem) in accounts::taken(&state.db, None, Some(&input.email), Some(me.id))
            .await?
            .iter()
        {
            errors.add(field, problem);
        }
        let data = match valid {
            Ok(data) if errors.is_empty() => data,
            _ => return Err(errors.into()),
        };
        let mut active = load_user(state, me.id).await?.into_active_model();
        active.email_key = Set(identity_key(&data.email));
        active.email = Set(data.email);
        active.name = Set(data.name);
        active.person_type = Set(data.person.code().to_owned());
        active.phone = Set(data.phone);
        active.cep = Set(data.cep);
        active.address = Set(data.address);
        active.updated_at = Set(state.clock.now());
        profile_of(active.update(&state.db).await?)
    }

    pub async fn change_password(
        state: &AppState,
        current: String,
        new_password: String,
        confirm: String,
    ) -> Result<(), AppError> {
        let me = session::require(state).await?;
        let user = load_user(state, me.id).await?;
        let mut errors = FieldErrors::new();
        errors.check(Field::Password, account::password(&new_password));
        errors.check(
            Field::PasswordConfirm,
            account::password_confirmation(&new_password, &confirm),
        );
        if current.is_empty() {
            errors.add(Field::CurrentPassword, Problem::Required);
        } else if !password::verify(current, Some(user.password_hash.clone())).await {
            errors.add(Field::CurrentPassword, Problem::WrongPassword);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let hash = password::hash(new_password).await?;
        let mut active = user.into_active_model();
        active.password_hash = Set(hash);
        active.updated_at = Set(state.clock.now());
        active.update(&state.db).await?;
        // Other browsers signed in with the old password are signed out.
        session::end_others(state, me.id, Some(&me.session_hash)).await
    }
}

/// The login page's options (the authentication domain shown in its select).
#[server(endpoint = "login-options")]
pub async fn login_options() -> Result<LoginPageInfo, AppError> {
    use crate::server::{respond, state};
    respond(
        async {
            let state = state()?;
            Ok(LoginPageInfo {
                auth_domain: state.auth.auth_domain.clone(),
            })
        }
        .await,
    )
}

/// A new CAPTCHA for the registration form. Anyone may ask.
#[server(endpoint = "captcha")]
pub async fn new_captcha() -> Result<CaptchaChallenge, AppError> {
    use crate::server::{respond, state};
    respond(async { crate::server::captcha::issue(&state()?).await }.await)
}

/// "Solicitar acesso": creates a customer account. Only for visitors not signed in.
#[server(endpoint = "register", input = Json)]
pub async fn register(
    input: RegistrationInput,
    captcha_id: String,
    captcha_answer: String,
) -> Result<(), AppError> {
    use crate::server::{respond, state};
    respond(ssr::register(&state()?, input, captcha_id, captcha_answer).await)
}

/// "Buscar CEP": the address of a CEP, `None` when the CEP does not exist. Anyone may ask
/// (the registration form needs it before there is an account).
#[server(endpoint = "cep", input = Json)]
pub async fn lookup_cep(cep: String) -> Result<Option<CepAddress>, AppError> {
    use crate::domain::{Field, FieldErrors, account};
    use crate::server::{respond, state};
    respond(
        async {
            let state = state()?;
            let cep = account::cep(&cep).map_err(|p| FieldErrors::single(Field::Cep, p))?;
            crate::server::cep::lookup(&state, &cep).await
        }
        .await,
    )
}

/// "ENTRAR": signs in with login or email and password.
#[server(endpoint = "login", input = Json)]
pub async fn login(identifier: String, password: String) -> Result<UserInfo, AppError> {
    use crate::server::{respond, state};
    respond(ssr::login(&state()?, identifier, password).await)
}

/// "Sair": ends this browser's session. Harmless when not signed in.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{respond, session, state};
    respond(async { session::end_current(&state()?).await }.await)
}

/// The signed-in user, or `None` for a visitor.
#[server(endpoint = "me")]
pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
    use crate::server::{respond, session, state};
    respond(
        async {
            let state = state()?;
            Ok(session::current(&state).await?.as_ref().map(ssr::user_info))
        }
        .await,
    )
}

/// "Esqueceu sua senha?": mails a one-time link when the address belongs to an account.
/// Answers the same either way.
#[server(endpoint = "password-forgot", input = Json)]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::server::{respond, state};
    respond(ssr::request_password_reset(&state()?, email).await)
}

/// Sets a new password through a reset link; ends every session of the account.
#[server(endpoint = "password-reset", input = Json)]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::server::{respond, state};
    respond(ssr::reset_password(&state()?, token, password, password_confirm).await)
}

/// "Meu perfil": the signed-in user's registration data.
#[server(endpoint = "profile")]
pub async fn get_profile() -> Result<Profile, AppError> {
    use crate::server::{respond, session, state};
    respond(
        async {
            let state = state()?;
            let me = session::require(&state).await?;
            ssr::profile_of(ssr::load_user(&state, me.id).await?)
        }
        .await,
    )
}

/// Saves the signed-in user's registration data.
#[server(endpoint = "profile-update", input = Json)]
pub async fn update_profile(input: ProfileInput) -> Result<Profile, AppError> {
    use crate::server::{respond, state};
    respond(ssr::update_profile(&state()?, input).await)
}

/// Changes the signed-in user's password (the current one is required); signs out the
/// user's other browsers.
#[server(endpoint = "password-change", input = Json)]
pub async fn change_password(
    current: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::server::{respond, state};
    respond(ssr::change_password(&state()?, current, password, password_confirm).await)
}
