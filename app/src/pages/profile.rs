//! "Meu perfil": the signed-in user sees and edits their registration data and changes
//! their password (the current one is required).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::accounts::{Profile, change_password, get_profile, update_profile};
use crate::components::form::{FormErrors, FormMessage, TextField, show_error};
use crate::components::password_fields::NewPasswordFields;
use crate::components::profile_fields::{ProfileFields, ProfileValues};
use crate::domain::account;
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::locale::{text, use_lang, use_texts};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let profile = Resource::new(|| (), |_| get_profile());
    view! {
        <Title text=move || texts.get().profile_title />
        <Suspense fallback=move || view! { <p>{move || texts.get().loading}</p> }>
            {move || {
                profile
                    .get()
                    .map(|loaded| match loaded {
                        Ok(profile) => view! { <ProfileForms profile /> }.into_any(),
                        Err(AppError::Unauthenticated) => {
                            view! {
                                <section class="card narrow">
                                    <h1>{move || texts.get().profile_title}</h1>
                                    <p>{move || texts.get().sign_in_to_continue}</p>
                                    <A href="/entrar?next=/perfil" attr:class="button button-primary">
                                        {move || texts.get().nav_login}
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

#[component]
fn ProfileForms(profile: Profile) -> impl IntoView {
    let texts = use_texts();
    let values = ProfileValues::default();
    values.fill(&profile);
    let errors = FormErrors::new();
    let message = RwSignal::new(None::<(bool, String)>);
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
    view! {
        <section class="card form-card">
            <h1>{move || texts.get().profile_title}</h1>
            <h2>{move || texts.get().profile_data}</h2>
            <p class="required-note">{move || texts.get().required_note}</p>
            <form on:submit=on_save novalidate>
                <div class="field">
                    <label for="login-atual">{move || texts.get().f_login}</label>
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
        <ChangePasswordForm />
    }
    .into_any()
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let texts = use_texts();
    let errors = FormErrors::new();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_confirm = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
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
            <h2>{move || texts.get().change_password_title}</h2>
            <form on:submit=on_submit novalidate>
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
