//! Accounts and access: registration ("Solicitação de Acesso") with CAPTCHA and CEP
//! lookup, sign-in and sign-out, password reset, and "Meu perfil".

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::domain::account::{PersonType, ProfileInput, RegistrationInput, Role};
use crate::domain::cep::CepAddress;
use crate::domain::named::read_as_map;
use crate::error::AppError;

/// "Complete a operação {a} + [] = {sum}".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaptchaChallenge {
    pub id: String,
    pub a: i32,
    pub sum: i32,
}

read_as_map!(CaptchaChallenge { id, a, sum });

/// The signed-in user, as the interface needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserInfo {
    pub id: i32,
    pub login: String,
    pub name: String,
    pub role: Role,
}

read_as_map!(UserInfo {
    id,
    login,
    name,
    role
});

/// "Meu perfil": the registration data, formatted for display and editing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub login: String,
    pub name: String,
    pub person: PersonType,
    pub phone: String,
    pub cep: String,
    pub address: String,
    pub email: String,
    pub role: Role,
    /// "Avisos por e-mail": the language of e-mails ("pt" or "en"), the optional notices
    /// this user may get (codes) and those they receive.
    pub mail_language: String,
    pub optional_notices: Vec<String>,
    pub receive: Vec<String>,
}

read_as_map!(Profile {
    login,
    name,
    person,
    phone,
    cep,
    address,
    email,
    role,
    mail_language,
    optional_notices,
    receive,
});

/// What the login page needs before anyone signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageInfo {
    pub auth_domain: String,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use entity::{password_reset, user_account};
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, Set,
        TransactionTrait,
    };

    use super::*;
    use crate::domain::account::{self, format_cep, format_phone, identity_key};
    use crate::domain::{Field, FieldErrors, Problem};
    use crate::server::accounts::{self, NewUser};
    use crate::server::session::SessionUser;
    use crate::server::throttle::Budget;
    use crate::server::tokens::{hash_token, random_token};
    use crate::server::{password, session, throttle};
    use crate::state::AppState;

    /// The budget key of the calling client's address.
    pub async fn client_addr(state: &AppState) -> String {
        crate::server::client::current_key(&state.auth.trusted_proxies).await
    }

    /// Takes one unit of work that anybody may ask for (`what`) from the calling
    /// address's budget.
    pub async fn anonymous_budget(
        state: &AppState,
        what: &str,
        limit: u64,
    ) -> Result<(), AppError> {
        let key = format!("{what}:{}", client_addr(state).await);
        let _kept = throttle::take(
            state,
            &[Budget::new(key, limit, state.auth.anonymous_window)],
        )
        .await?;
        Ok(())
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
        // The CAPTCHA first: whether a login or an e-mail is taken is said only to
        // somebody who solved it (else the form would answer that question for bots).
        match crate::server::captcha::check(state, &captcha_id, &captcha_answer).await? {
            Err(problem) => errors.add(Field::Captcha, problem),
            Ok(()) => {
                for (field, problem) in
                    accounts::taken(&state.db, Some(&input.login), Some(&input.email), None)
                        .await?
                        .iter()
                {
                    errors.add(field, problem);
                }
            }
        }
        let registration = match valid {
            Ok(registration) if errors.is_empty() => registration,
            _ => return Err(errors.into()),
        };
        let profile = registration.profile;
        accounts::create(
            &state.db,
            &state.hashing,
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
        // Nothing longer than any login or e-mail can name an account: refused before
        // any work (no query, no budget, no hash).
        if identifier.chars().count() > account::EMAIL_MAX {
            return Err(FieldErrors::single(Field::Identifier, Problem::TooLong).into());
        }
        if identifier.chars().any(char::is_control) {
            return Err(FieldErrors::single(Field::Identifier, Problem::InvalidCharacters).into());
        }
        let identity = identity_key(&identifier);
        let user = if identity.is_empty() {
            None
        } else {
            find_by_identifier(state, &identifier).await?
        };
        let account_key = throttle::account_key(user.as_ref().map(|u| u.id), &identity);
        let client_key = throttle::client_key(&client_addr(state).await);
        let window = state.auth.throttle_window;
        // The attempt is counted before the password is verified, so parallel guesses
        // cannot all pass a budget that has room for one more.
        let taken = throttle::take(
            state,
            &[
                Budget::new(
                    account_key.clone(),
                    state.auth.max_failures_per_account,
                    window,
                ),
                Budget::new(client_key, state.auth.max_failures_per_client, window),
            ],
        )
        .await?;
        // One limit, in characters, for setting and for using a password.
        let matches = if password.chars().count() > account::PASSWORD_MAX {
            false
        } else {
            let hash = user.as_ref().map(|u| u.password_hash.clone());
            match password::verify(&state.hashing, password, hash).await {
                Ok(matches) => matches,
                Err(err) => {
                    // Not verified (the server is busy): this attempt does not count.
                    throttle::give_back(state, taken).await?;
                    return Err(err);
                }
            }
        };
        match user {
            Some(user) if matches && user.active => {
                throttle::give_back(state, taken).await?;
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
            // The right password for a deactivated account: say so (only the account's
            // holder gets this far). The attempt stays counted.
            Some(user) if matches && !user.active => Err(AppError::AccountDisabled),
            // The failure stays recorded in both budgets.
            _ => Err(AppError::InvalidCredentials),
        }
    }

    pub async fn request_password_reset(state: &AppState, email: String) -> Result<(), AppError> {
        let email = account::email(&email).map_err(|p| FieldErrors::single(Field::Email, p))?;
        let window = state.auth.reset_mail_window;
        // Per address (nobody's mailbox is flooded) and per client (nobody probes many
        // addresses); counted for known and unknown addresses alike.
        let _counted = throttle::take(
            state,
            &[
                Budget::new(
                    format!("reset:{}", identity_key(&email)),
                    state.auth.max_reset_mails_per_address,
                    window,
                ),
                Budget::new(
                    format!("reset-ip:{}", client_addr(state).await),
                    state.auth.max_reset_mails_per_client,
                    window,
                ),
            ],
        )
        .await?;
        let user = user_account::Entity::find()
            .filter(user_account::Column::EmailKey.eq(identity_key(&email)))
            .one(&state.db)
            .await?;
        // The answer is the same, and as quick, whether or not the address is known:
        // the mail goes out in the background.
        let Some(user) = user.filter(|u| u.active) else {
            return Ok(());
        };
        let token = random_token();
        let now = state.clock.now();
        // Links nobody used are of no use any more.
        password_reset::Entity::delete_many()
            .filter(password_reset::Column::ExpiresAt.lte(now))
            .exec(&state.db)
            .await?;
        password_reset::ActiveModel {
            token_hash: Set(hash_token(&token)),
            user_id: Set(user.id),
            expires_at: Set(now + state.auth.reset_link_ttl),
        }
        .insert(&state.db)
        .await?;
        let link = format!("{}/redefinir-senha?token={token}", state.public_url());
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
        let mailer = state.mailer.clone();
        tokio::spawn(async move {
            if let Err(err) = mailer
                .send(&user.email, "Atende — redefinição de senha", body)
                .await
            {
                tracing::error!(error = %err, user = user.id, "password reset mail not sent");
            }
        });
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
        let hash = password::hash(&state.hashing, new_password).await?;
        let txn = state.db.begin().await?;
        // The link is spent by whoever deletes it: of two uses at once, one wins.
        let spent = password_reset::Entity::delete_many()
            .filter(password_reset::Column::TokenHash.eq(token_hash))
            .filter(password_reset::Column::ExpiresAt.gt(state.clock.now()))
            .exec(&txn)
            .await?;
        if spent.rows_affected != 1 {
            return Err(FieldErrors::single(Field::Token, Problem::LinkExpired).into());
        }
        let user = user_account::Entity::find_by_id(link.user_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut active = user.into_active_model();
        active.password_hash = Set(hash);
        active.updated_at = Set(state.clock.now());
        active.update(&txn).await?;
        // Every other link of this user is spent too.
        password_reset::Entity::delete_many()
            .filter(password_reset::Column::UserId.eq(link.user_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        // And every session ends.
        session::end_others(state, link.user_id, None).await?;
        Ok(())
    }

    pub fn profile_of(user: user_account::Model) -> Result<Profile, AppError> {
        use crate::domain::notices::{self, Notice};
        let role = Role::from_code(&user.role).ok_or(AppError::Internal)?;
        let muted = notices::muted(&user.mail_muted);
        let optional = Notice::optional_for(role != Role::Customer);
        Ok(Profile {
            mail_language: user.language.clone(),
            receive: optional
                .iter()
                .filter(|n| !muted.contains(n))
                .map(|n| n.code().to_owned())
                .collect(),
            optional_notices: optional.iter().map(|n| n.code().to_owned()).collect(),
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

    /// "Avisos por e-mail": the language of the caller's e-mails and the optional notices
    /// they receive.
    pub async fn update_notices(
        state: &AppState,
        prefs: crate::domain::notices::NoticePrefs,
    ) -> Result<Profile, AppError> {
        let me = session::require(state).await?;
        let user = load_user(state, me.id).await?;
        let staff = Role::from_code(&user.role) != Some(Role::Customer);
        let (language, muted) = prefs.validate(staff)?;
        let mut active = user.into_active_model();
        active.language = Set(language.to_owned());
        active.mail_muted = Set(crate::domain::notices::stored(&muted));
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
        } else if !password::verify(&state.hashing, current, Some(user.password_hash.clone()))
            .await?
        {
            errors.add(Field::CurrentPassword, Problem::WrongPassword);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let hash = password::hash(&state.hashing, new_password).await?;
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
    crate::server::guard::as_anyone(|state| async move {
        Ok(LoginPageInfo {
            auth_domain: state.auth_domain(),
        })
    })
    .await
}

/// A new CAPTCHA for the registration form. Anyone may ask.
#[server(endpoint = "captcha")]
pub async fn new_captcha() -> Result<CaptchaChallenge, AppError> {
    crate::server::guard::as_anyone(|state| async move {
        // Each challenge is a row: an address gets a bounded number of them.
        ssr::anonymous_budget(&state, "captcha", state.auth.max_captchas_per_client).await?;
        crate::server::captcha::issue(&state).await
    })
    .await
}

/// "Solicitar acesso": creates a customer account. Only for visitors not signed in
/// (`ssr::register` refuses a signed-in caller).
#[server(endpoint = "register", input = Json)]
pub async fn register(
    input: RegistrationInput,
    captcha_id: String,
    captcha_answer: String,
) -> Result<(), AppError> {
    crate::server::guard::as_anyone(|state| async move {
        ssr::register(&state, input, captcha_id, captcha_answer).await
    })
    .await
}

/// "Buscar CEP": the address of a CEP, `None` when the CEP does not exist. Anyone may ask
/// (the registration form needs it before there is an account).
#[server(endpoint = "cep", input = Json)]
pub async fn lookup_cep(cep: String) -> Result<Option<CepAddress>, AppError> {
    use crate::domain::{Field, FieldErrors, account};
    crate::server::guard::as_anyone(|state| async move {
        let cep = account::cep(&cep).map_err(|p| FieldErrors::single(Field::Cep, p))?;
        // A lookup may call the CEP service: an address gets a bounded number.
        ssr::anonymous_budget(&state, "cep", state.auth.max_cep_lookups_per_client).await?;
        crate::server::cep::lookup(&state, &cep).await
    })
    .await
}

/// "ENTRAR": signs in with login or email and password.
#[server(endpoint = "login", input = Json)]
pub async fn login(identifier: String, password: String) -> Result<UserInfo, AppError> {
    crate::server::guard::as_anyone(|state| async move {
        ssr::login(&state, identifier, password).await
    })
    .await
}

/// "Sair": ends this browser's session. Harmless when not signed in.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::session;
    crate::server::guard::as_anyone(|state| async move { session::end_current(&state).await }).await
}

/// The signed-in user, or `None` for a visitor.
#[server(endpoint = "me")]
pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
    use crate::server::session;
    crate::server::guard::as_anyone(|state| async move {
        Ok(session::current(&state).await?.as_ref().map(ssr::user_info))
    })
    .await
}

/// "Esqueceu sua senha?": mails a one-time link when the address belongs to an account.
/// Answers the same either way.
#[server(endpoint = "password-forgot", input = Json)]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    crate::server::guard::as_anyone(|state| async move {
        ssr::request_password_reset(&state, email).await
    })
    .await
}

/// Sets a new password through a reset link; ends every session of the account.
#[server(endpoint = "password-reset", input = Json)]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    crate::server::guard::as_anyone(|state| async move {
        ssr::reset_password(&state, token, password, password_confirm).await
    })
    .await
}

/// "Meu perfil": the signed-in user's registration data.
#[server(endpoint = "profile")]
pub async fn get_profile() -> Result<Profile, AppError> {
    crate::server::guard::as_signed_in(|state, me| async move {
        ssr::profile_of(ssr::load_user(&state, me.id).await?)
    })
    .await
}

/// Saves the signed-in user's registration data. `ssr::update_profile` requires the
/// session itself (it needs the caller's id), so the guard here only brings the state.
#[server(endpoint = "profile-update", input = Json)]
pub async fn update_profile(input: ProfileInput) -> Result<Profile, AppError> {
    crate::server::guard::as_anyone(|state| async move { ssr::update_profile(&state, input).await })
        .await
}

/// Saves the signed-in user's e-mail preferences ("Avisos por e-mail").
/// `ssr::update_notices` requires the session itself.
#[server(endpoint = "profile-notices", input = Json)]
pub async fn update_notices(
    prefs: crate::domain::notices::NoticePrefs,
) -> Result<Profile, AppError> {
    crate::server::guard::as_anyone(|state| async move { ssr::update_notices(&state, prefs).await })
        .await
}

/// Changes the signed-in user's password (the current one is required); signs out the
/// user's other browsers. `ssr::change_password` requires the session itself.
#[server(endpoint = "password-change", input = Json)]
pub async fn change_password(
    current: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    crate::server::guard::as_anyone(|state| async move {
        ssr::change_password(&state, current, password, password_confirm).await
    })
    .await
}
