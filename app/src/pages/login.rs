//! The login page (step 2 of the seed guide): the authentication domain, user and
//! password, "ENTRAR", "Esqueceu sua senha?" and "Não tem acesso?".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::accounts::{login, login_options};
use crate::components::auth::use_auth;
use crate::components::form::{FormErrors, FormMessage, TextField};
use crate::components::form_post::{FormName, FormPost, posted, still_posted};
use crate::components::header::LanguageSelect;
use crate::components::loading::Loading;
use crate::domain::{Field, FieldErrors, Problem};
use crate::locale::{text, use_lang, use_texts};
use crate::resource::resource;

/// The form's name (`_form`) in a plain post.
pub const FORM: &str = "entrar";

/// Where a sign-in leads by default: the service portfolio (the seed's step 3).
pub const AFTER_LOGIN: &str = "/portal";

/// Only paths of this site are followed after signing in (no open redirect); without
/// one, the portal. Control characters are refused too: browsers drop tabs and line
/// breaks from URLs, which would turn `/\t/evil.example` into `//evil.example`.
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => AFTER_LOGIN.to_owned(),
    }
}

/// Where `role` lands after signing in: a safe `next`, else staff their queue
/// ("Fila de atendimento") and customers the portal.
pub fn landing(role: crate::domain::account::Role, next: Option<String>) -> String {
    let next = safe_next(next);
    if next == AFTER_LOGIN && role.is_staff() {
        crate::domain::desk::QUEUE_PATH.to_owned()
    } else {
        next
    }
}

/// The login form's address: the page itself, with where to go next.
fn login_action(next: Option<String>) -> String {
    match next {
        Some(next) => format!("/entrar?next={}", crate::components::auth::urlencode(&next)),
        None => "/entrar".to_owned(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let texts = use_texts();
    // Read here, where the page starts, not inside the suspense below.
    let post = posted(FORM);
    let options = resource(|| (), |_| login_options());
    view! {
        <Title text=texts.live(|t| t.login_title) />
        <section class="card login-card">
            <h1>{texts.live(|t| t.login_title)}</h1>
            <Suspense fallback=Loading>
                {move || {
                    options
                        .get()
                        .map(|options| {
                            let args = FormArgs {
                                post: still_posted(&post),
                                domain: options.ok().map(|options| options.auth_domain),
                            };
                            deferred_region(args, false)
                        })
                }}
            </Suspense>
            <p class="login-register">
                <A href="/cadastrar">{texts.live(|t| t.no_access_link)}</A>
            </p>
            <div class="login-language">
                <LanguageSelect id="idioma-login" />
            </div>
        </section>
    }
    .into_any()
}

/// What the login form's part is rendered from.
#[derive(Clone)]
struct FormArgs {
    post: Option<FormPost>,
    /// The authentication domain offered (none if it could not be read).
    domain: Option<String>,
}

deferred_part! {
    /// The login form: a split part of its own, which the page shows as the server
    /// rendered it until the visitor starts on it (`parts::deferred`).
    fn login_form(args: FormArgs) / __preload_login_form {
        let FormArgs { post, domain } = args;
        view! { <LoginForm post domain /> }.into_any()
    }
}

#[component]
fn LoginForm(post: Option<FormPost>, domain: Option<String>) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();
    let errors = FormErrors::from_post(post.as_ref());
    let identifier = RwSignal::new(
        post.as_ref()
            .map(|p| p.value("usuario"))
            .unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());

    // Confirmation after registering or resetting the password (rendered by the server
    // too, for the page reached by a plain form post's redirect).
    let confirmation = move |t: &'static crate::i18n::Texts| {
        query.with(|query| {
            if query.get("cadastro").as_deref() == Some("ok") {
                Some((true, t.registered.to_owned()))
            } else if query.get("senha").as_deref() == Some("ok") {
                Some((true, t.password_was_reset.to_owned()))
            } else {
                None
            }
        })
    };
    let message = RwSignal::new(match &post {
        Some(post) => post.message(),
        None => confirmation(texts.get_untracked()),
    });
    Effect::new(move |_| {
        if let Some(confirmed) = confirmation(texts.get()) {
            message.set(Some(confirmed));
        }
    });

    let submit = Action::new(|(identifier, password): &(String, String)| {
        login(identifier.clone(), password.clone())
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(user)) => {
            auth.refresh();
            let next = landing(user.role, query.get_untracked().get("next"));
            navigate(&next, Default::default());
        }
        Some(Err(err)) => {
            password.set(String::new());
            message.set(Some((false, err.message(lang.get_untracked()))));
            crate::components::form::focus(&Field::Identifier.id());
        }
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = FieldErrors::new();
        if identifier.get_untracked().trim().is_empty() {
            problems.add(Field::Identifier, Problem::Required);
        }
        if password.get_untracked().is_empty() {
            problems.add(Field::Password, Problem::Required);
        }
        if !problems.is_empty() {
            errors.show(problems);
            return;
        }
        errors.clear();
        message.set(None);
        submit.dispatch((identifier.get_untracked(), password.get_untracked()));
    };

    view! {
        <form method="post" action=move || login_action(query.with(|q| q.get("next"))) on:submit=on_submit novalidate>
            <FormName name=FORM />
            <div class="field">
                <label for="dominio" class="visually-hidden">{texts.live(|t| t.auth_domain)}</label>
                {domain.map(|domain| {
                    let label = domain.clone();
                    view! {
                        <select id="dominio" name="dominio">
                            <option value=domain selected>{label}</option>
                        </select>
                    }
                })}
            </div>
            <TextField
                field=Field::Identifier
                label=text(|t| t.login_user)
                value=identifier
                errors
                placeholder_label=true
                autocomplete="username"
                maxlength=254
            />
            <TextField
                field=Field::Password
                label=text(|t| t.login_password)
                value=password
                errors
                placeholder_label=true
                kind="password"
                autocomplete="current-password"
            />
            <p class="login-forgot">
                <A href="/esqueci-senha">{texts.live(|t| t.forgot_link)}</A>
            </p>
            <FormMessage message />
            <button type="submit" class="button button-primary button-block" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { texts.get().sending } else { texts.get().login_submit }}
            </button>
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::{AFTER_LOGIN, landing, login_action, safe_next};

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/perfil".into())), "/perfil");
        assert_eq!(safe_next(Some("//evil.example".into())), AFTER_LOGIN);
        assert_eq!(safe_next(Some("https://evil.example".into())), AFTER_LOGIN);
        assert_eq!(safe_next(Some("/\\evil.example".into())), AFTER_LOGIN);
        assert_eq!(safe_next(Some("/\t/evil.example".into())), AFTER_LOGIN);
        assert_eq!(safe_next(Some("/\n/evil.example".into())), AFTER_LOGIN);
        assert_eq!(safe_next(None), AFTER_LOGIN);
    }

    #[test]
    fn customers_land_on_the_portal_and_staff_on_the_queue() {
        use crate::domain::account::Role;
        assert_eq!(safe_next(None), "/portal");
        assert_eq!(landing(Role::Customer, None), "/portal");
        assert_eq!(landing(Role::Agent, None), "/fila");
        assert_eq!(landing(Role::Admin, None), "/fila");
        assert_eq!(landing(Role::Agent, Some("/perfil".into())), "/perfil");
        assert_eq!(landing(Role::Manager, Some("//evil".into())), "/fila");
    }

    #[test]
    fn the_form_posts_to_the_page_itself_with_next() {
        assert_eq!(login_action(None), "/entrar");
        assert_eq!(
            login_action(Some("/meus-tickets?q=a b".into())),
            "/entrar?next=/meus-tickets%3Fq%3Da%20b"
        );
    }
}
