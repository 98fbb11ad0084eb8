//! "Meu perfil": the signed-in user sees and edits their registration data and changes
//! their password (the current one is required).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::{Profile, change_password, get_profile, update_notices, update_profile};
use crate::components::form::{
    FormErrors, FormMessage, TextField, keep_checked, keep_typed, live, live_value, show_error,
};
use crate::components::form_post::{FormName, FormPost, posted, still_posted};
use crate::components::password_fields::NewPasswordFields;
use crate::components::profile_fields::{ProfileFields, ProfileValues};
use crate::domain::account;
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::locale::{text, use_lang, use_texts};
use crate::resource::resource;

/// The forms' names (`_form`) in a plain post.
pub const DATA_FORM: &str = "perfil";
pub const PASSWORD_FORM: &str = "senha";
pub const NOTICES_FORM: &str = "avisos";

/// The query a plain post's redirect adds after saving (`dados` or `senha`).
pub const SAVED_QUERY: &str = "salvo";

#[component]
pub fn ProfilePage() -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let profile = resource(|| (), |_| get_profile());
    // Read here, where the page starts, not inside the suspense below.
    let data_post = posted(DATA_FORM);
    let password_post = posted(PASSWORD_FORM);
    let notices_post = posted(NOTICES_FORM);
    let saved = query.with_untracked(|q| q.get(SAVED_QUERY));
    view! {
        <Title text=texts.live(|t| t.profile_title) />
        <Suspense fallback=move || view! { <p>{texts.live(|t| t.loading)}</p> }>
            {move || {
                profile
                    .get()
                    .map(|loaded| match loaded {
                        Ok(profile) => {
                            let args = FormsArgs {
                                profile,
                                post: still_posted(&data_post),
                                password_post: still_posted(&password_post),
                                notices_post: still_posted(&notices_post),
                                saved: saved.clone(),
                            };
                            deferred_region(args, false)
                        }
                        Err(AppError::Unauthenticated) => {
                            view! {
                                <section class="card narrow">
                                    <h1>{texts.live(|t| t.profile_title)}</h1>
                                    <p>{texts.live(|t| t.sign_in_to_continue)}</p>
                                    <A href="/entrar?next=/perfil" attr:class="button button-primary">
                                        {texts.live(|t| t.nav_login)}
                                    </A>
                                </section>
                            }
                                .into_any()
                        }
                        Err(err) => {
                            view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get())}</p> }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
    .into_any()
}

/// What the profile's forms are rendered from.
#[derive(Clone)]
struct FormsArgs {
    profile: Profile,
    post: Option<FormPost>,
    password_post: Option<FormPost>,
    notices_post: Option<FormPost>,
    saved: Option<String>,
}

deferred_part! {
    /// The profile's three forms: a split part of their own, which the page shows as the
    /// server rendered them until the visitor starts on one (`parts::deferred`).
    fn profile_forms(args: FormsArgs) / __preload_profile_forms {
        let FormsArgs { profile, post, password_post, notices_post, saved } = args;
        view! { <ProfileForms profile post password_post notices_post saved /> }.into_any()
    }
}

#[component]
fn ProfileForms(
    profile: Profile,
    post: Option<FormPost>,
    password_post: Option<FormPost>,
    notices_post: Option<FormPost>,
    saved: Option<String>,
) -> impl IntoView {
    let texts = use_texts();
    let values = ProfileValues::default();
    values.fill(&profile);
    if let Some(post) = &post {
        values.fill_from(post);
    }
    let errors = FormErrors::from_post(post.as_ref());
    let message = RwSignal::new(match &post {
        Some(post) => post.message(),
        None => (saved.as_deref() == Some("dados"))
            .then(|| (true, texts.get_untracked().profile_saved.to_owned())),
    });
    let password_saved = saved.as_deref() == Some(PASSWORD_FORM);
    let save = Action::new(|input: &account::ProfileInput| update_profile(input.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            values.fill(&saved);
            errors.clear();
            message.set(Some((true, texts.get_untracked().profile_saved.to_owned())));
        }
        Some(Err(err)) => show_error(&err, message, errors),
        None => {}
    });
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = values.input();
        if let Err(problems) = input.validate() {
            errors.show(problems);
            return;
        }
        message.set(None);
        save.dispatch(input);
    };
    let login = profile.login.clone();
    let notices_saved = saved.as_deref() == Some(NOTICES_FORM);
    let notices = profile.clone();
    view! {
        <section class="card form-card">
            <h1>{texts.live(|t| t.profile_title)}</h1>
            <h2>{texts.live(|t| t.profile_data)}</h2>
            <p class="required-note">{texts.live(|t| t.required_note)}</p>
            <form method="post" action="/perfil" on:submit=on_save novalidate>
                <FormName name=DATA_FORM />
                <div class="field">
                    <label for="login-atual">{texts.live(|t| t.f_login)}</label>
                    <div class="field-control">
                        <input id="login-atual" value=login readonly />
                    </div>
                </div>
                <ProfileFields values errors />
                <FormMessage message />
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { texts.get().sending } else { texts.get().profile_save }}
                </button>
            </form>
        </section>
        <NoticesForm profile=notices post=notices_post saved=notices_saved />
        <ChangePasswordForm post=password_post saved=password_saved />
    }
    .into_any()
}

/// "Avisos por e-mail": the optional notices as switches, and the language of e-mails.
#[component]
fn NoticesForm(profile: Profile, post: Option<FormPost>, saved: bool) -> impl IntoView {
    use crate::domain::notices::{Notice, NoticePrefs};
    let texts = use_texts();
    let lang = use_lang();
    let errors = FormErrors::from_post(post.as_ref());
    let language = RwSignal::new(profile.mail_language.clone());
    let receive = RwSignal::new(profile.receive.clone());
    let message = RwSignal::new(match &post {
        Some(post) => post.message(),
        None => saved.then(|| (true, texts.get_untracked().notices_saved.to_owned())),
    });
    let save = Action::new(|prefs: &NoticePrefs| update_notices(prefs.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            language.set(saved.mail_language);
            receive.set(saved.receive);
            errors.clear();
            message.set(Some((true, texts.get_untracked().notices_saved.to_owned())));
        }
        Some(Err(err)) => show_error(&err, message, errors),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        message.set(None);
        save.dispatch(NoticePrefs {
            language: language.get_untracked(),
            receive: receive.get_untracked(),
        });
    };
    let switches = profile
        .optional_notices
        .iter()
        .filter_map(|code| Notice::from_code(code))
        .map(|notice| {
            let code = notice.code();
            let id = format!("aviso-{code}");
            let checked = move || receive.with(|r| r.iter().any(|c| c == code));
            let set = move |on: bool| {
                receive.update(|r| {
                    r.retain(|c| c != code);
                    if on {
                        r.push(code.to_owned());
                    }
                });
            };
            let node = NodeRef::<leptos::html::Input>::new();
            keep_checked(node, checked(), set);
            view! {
                <div class="check">
                    <input node_ref=node type="checkbox" id=id.clone() name=Field::Notices.id() value=code
                        prop:checked=live(checked) checked=checked on:change=move |ev| set(event_target_checked(&ev)) />
                    <label for=id>{move || notice.label(lang.get())}</label>
                </div>
            }
        })
        .collect_view();
    let language_id = Field::MailLanguage.id();
    let language_node = NodeRef::<leptos::html::Select>::new();
    keep_typed(language_node, language);
    view! {
        <section class="card form-card">
            <h2>{texts.live(|t| t.notices_title)}</h2>
            <form method="post" action="/perfil" on:submit=on_submit novalidate>
                <FormName name=NOTICES_FORM />
                <fieldset class="checks">
                    <legend>{texts.live(|t| t.notices_intro)}</legend>
                    {switches}
                </fieldset>
                <div class="field">
                    <label for=language_id.clone()>{texts.live(|t| t.mail_language)}</label>
                    <div class="field-control">
                        <select node_ref=language_node id=language_id.clone() name=language_id.clone()
                            prop:value=live_value(language)
                            on:change=move |ev| language.set(event_target_value(&ev))>
                            <option value="pt" selected=move || language.get() == "pt">"Português"</option>
                            <option value="en" selected=move || language.get() == "en">"English"</option>
                        </select>
                    </div>
                    <p class="field-error" aria-live="polite">
                        {move || errors.problem(Field::MailLanguage).map(|p| p.message(lang.get()))}
                    </p>
                </div>
                <FormMessage message />
                <button type="submit" class="button" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { texts.get().sending } else { texts.get().notices_save }}
                </button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn ChangePasswordForm(post: Option<FormPost>, saved: bool) -> impl IntoView {
    let texts = use_texts();
    // Nothing of a refused post comes back but the problems: every field is a password.
    let errors = FormErrors::from_post(post.as_ref());
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_confirm = RwSignal::new(String::new());
    let message = RwSignal::new(match &post {
        Some(post) => post.message(),
        None => saved.then(|| (true, texts.get_untracked().password_changed.to_owned())),
    });
    let change = Action::new(|(current, new, confirm): &(String, String, String)| {
        change_password(current.clone(), new.clone(), confirm.clone())
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => {
            current.set(String::new());
            password.set(String::new());
            password_confirm.set(String::new());
            errors.clear();
            message.set(Some((
                true,
                texts.get_untracked().password_changed.to_owned(),
            )));
        }
        Some(Err(err)) => show_error(&err, message, errors),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (old, new, confirm) = (
            current.get_untracked(),
            password.get_untracked(),
            password_confirm.get_untracked(),
        );
        let mut problems = FieldErrors::new();
        if old.is_empty() {
            problems.add(Field::CurrentPassword, Problem::Required);
        }
        problems.check(Field::Password, account::password(&new));
        problems.check(
            Field::PasswordConfirm,
            account::password_confirmation(&new, &confirm),
        );
        if !problems.is_empty() {
            errors.show(problems);
            return;
        }
        message.set(None);
        change.dispatch((old, new, confirm));
    };
    view! {
        <section class="card form-card">
            <h2>{texts.live(|t| t.change_password_title)}</h2>
            <form method="post" action="/perfil" on:submit=on_submit novalidate>
                <FormName name=PASSWORD_FORM />
                <TextField
                    field=Field::CurrentPassword
                    label=text(|t| t.f_current_password)
                    value=current
                    errors
                    kind="password"
                    autocomplete="current-password"
                />
                <NewPasswordFields password=password confirm=password_confirm errors label=text(|t| t.f_new_password) />
                <FormMessage message />
                <button type="submit" class="button" disabled=move || change.pending().get()>
                    {move || if change.pending().get() { texts.get().sending } else { texts.get().change_password_submit }}
                </button>
            </form>
        </section>
    }
    .into_any()
}
