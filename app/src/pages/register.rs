//! "Solicitação de Acesso" (step 1 of the seed guide): a visitor registers, proving with
//! the arithmetic CAPTCHA that a person is typing, and lands on the login page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::api::accounts::{CaptchaChallenge, new_captcha, register};
use crate::components::form::{FormErrors, FormMessage, TextField, check, keep_typed, live_value};
use crate::components::form_post::{FormName, FormPost, posted, still_posted};
use crate::components::loading::Loading;
use crate::components::password_fields::NewPasswordFields;
use crate::components::profile_fields::{ProfileFields, ProfileValues};
use crate::domain::Field;
use crate::domain::account::{self, RegistrationInput};
use crate::error::AppError;
use crate::locale::{text, use_lang, use_texts};
use crate::resource::resource;

/// The form's name (`_form`) in a plain post.
pub const FORM: &str = "cadastro";

/// The hidden input with the CAPTCHA's id.
pub const CAPTCHA_ID: &str = "captcha-id";

#[derive(Clone)]
struct Submission {
    input: RegistrationInput,
    captcha_id: String,
    captcha_answer: String,
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let texts = use_texts();
    // Read here, where the page starts, not inside the suspense below.
    let post = posted(FORM);
    // The first operation is asked for by the page, so that the server's is the one the
    // form shows when its code arrives later (a resource in the form's own part would ask
    // for another).
    let captcha = resource(|| (), |_| new_captcha());
    view! {
        <Title text=texts.live(|t| t.register_title) />
        <section class="card form-card">
            <h1>{texts.live(|t| t.register_title)}</h1>
            <p class="required-note">{texts.live(|t| t.required_note)}</p>
            <Suspense fallback=Loading>
                {move || {
                    captcha
                        .get()
                        .map(|challenge| {
                            let args = FormArgs { post: still_posted(&post), challenge };
                            deferred_region(args, false)
                        })
                }}
            </Suspense>
        </section>
    }
    .into_any()
}

/// What the registration form's part is rendered from.
#[derive(Clone)]
struct FormArgs {
    post: Option<FormPost>,
    challenge: Result<CaptchaChallenge, AppError>,
}

deferred_part! {
    /// The registration form: a split part of its own, which the page shows as the server
    /// rendered it until the visitor starts on it (`parts::deferred`).
    fn register_form(args: FormArgs) / __preload_register_form {
        let FormArgs { post, challenge } = args;
        view! { <RegisterForm post challenge /> }.into_any()
    }
}

#[component]
fn RegisterForm(
    post: Option<FormPost>,
    challenge: Result<CaptchaChallenge, AppError>,
) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let navigate = use_navigate();
    // After a refused plain post: what was sent (passwords and the CAPTCHA aside), the
    // problems beside their fields, and a new operation (the page asked for it).
    let errors = FormErrors::from_post(post.as_ref());
    let profile = ProfileValues::default();
    let login = RwSignal::new(String::new());
    if let Some(post) = &post {
        profile.fill_from(post);
        login.set(post.value(&Field::Login.id()));
    }
    let password = RwSignal::new(String::new());
    let password_confirm = RwSignal::new(String::new());
    let captcha_answer = RwSignal::new(String::new());
    let message = RwSignal::new(post.as_ref().and_then(FormPost::message));

    // A new operation after every refused submission: each one can be answered once. Until
    // the next one arrives, the last one stays.
    let next_captcha = Action::new(|_: &()| new_captcha());
    let captcha = Memo::new(move |_| {
        next_captcha
            .value()
            .get()
            .unwrap_or_else(|| challenge.clone())
    });

    let submit = Action::new(|submission: &Submission| {
        let submission = submission.clone();
        async move {
            register(
                submission.input,
                submission.captcha_id,
                submission.captcha_answer,
            )
            .await
        }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => navigate("/entrar?cadastro=ok", Default::default()),
        Some(Err(err)) => {
            captcha_answer.set(String::new());
            next_captcha.dispatch(());
            message.set(Some((false, err.message(lang.get_untracked()))));
            if let Some(problems) = err.field_errors() {
                errors.show(problems.clone());
            }
        }
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let profile_input = profile.input();
        let input = RegistrationInput {
            name: profile_input.name,
            person: profile_input.person,
            phone: profile_input.phone,
            cep: profile_input.cep,
            address: profile_input.address,
            email: profile_input.email,
            login: login.get_untracked(),
            password: password.get_untracked(),
            password_confirm: password_confirm.get_untracked(),
        };
        let mut problems = input.validate().err().unwrap_or_default();
        if captcha_answer.get_untracked().trim().is_empty() {
            problems.add(Field::Captcha, crate::domain::Problem::Required);
        }
        if !problems.is_empty() {
            message.set(Some((
                false,
                crate::error::AppError::Validation(problems.clone()).message(lang.get_untracked()),
            )));
            errors.show(problems);
            return;
        }
        let Ok(challenge) = captcha.get_untracked() else {
            return;
        };
        message.set(None);
        submit.dispatch(Submission {
            input,
            captcha_id: challenge.id,
            captcha_answer: captcha_answer.get_untracked(),
        });
    };

    view! {
        <form method="post" action="/cadastrar" on:submit=on_submit novalidate>
            <FormName name=FORM />
            <ProfileFields values=profile errors />
            <TextField
                field=Field::Login
                label=text(|t| t.f_login)
                value=login
                errors
                check=check(|v| account::login(v).err())
                autocomplete="username"
                maxlength=account::LOGIN_MAX as u32
            />
            <NewPasswordFields password=password confirm=password_confirm errors label=text(|t| t.f_password) />
            <div class="form-footer">
                {move || match captcha.get() {
                    Ok(challenge) => {
                        view! {
                            <CaptchaField
                                id=challenge.id
                                a=challenge.a
                                sum=challenge.sum
                                value=captcha_answer
                                errors
                            />
                        }
                            .into_any()
                    }
                    Err(err) => {
                        view! { <p class="form-message form-message-error">{err.message(lang.get())}</p> }
                            .into_any()
                    }
                }}
                <button type="submit" class="button button-primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { texts.get().sending } else { texts.get().register_submit }}
                </button>
            </div>
            <FormMessage message />
        </form>
    }
    .into_any()
}

/// "Complete a operação a + [] = c".
#[component]
fn CaptchaField(
    id: String,
    a: i32,
    sum: i32,
    value: RwSignal<String>,
    errors: FormErrors,
) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let field = Field::Captcha;
    let node = NodeRef::<leptos::html::Input>::new();
    keep_typed(node, value);
    view! {
        <div class="field captcha" class:field-invalid=move || errors.problem(field).is_some()>
            // Which operation this is travels in the form's body, never in a URL.
            <input type="hidden" name=CAPTCHA_ID value=id />
            <span class="captcha-operation">
                {texts.live(|t| t.captcha_intro)} " " {a} " + "
                <input
                    node_ref=node
                    id=field.id()
                    name=field.id()
                    class="captcha-input"
                    inputmode="numeric"
                    maxlength=2
                    autocomplete="off"
                    aria-label=texts.live(|t| t.captcha_label)
                    aria-required="true"
                    aria-invalid=move || if errors.problem(field).is_some() { "true" } else { "false" }
                    aria-describedby="captcha-erro"
                    prop:value=live_value(value)
                    autofocus=errors.is_first(field)
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        errors.set(field, None);
                    }
                />
                " = " {sum}
            </span>
            <p class="field-error" id="captcha-erro" aria-live="polite">
                {move || errors.problem(field).map(|problem| problem.message(lang.get()))}
            </p>
        </div>
    }
    .into_any()
}
