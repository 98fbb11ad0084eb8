//! The page behind the mailed link: chooses a new password under the same rules.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::accounts::reset_password;
use crate::components::form::{FormErrors, FormMessage};
use crate::components::password_fields::NewPasswordFields;
use crate::domain::account::{self};
use crate::domain::{Field, FieldErrors};
use crate::locale::{text, use_lang, use_texts};

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let navigate = use_navigate();
    let query = use_query_map();
    let errors = FormErrors::new();
    let password = RwSignal::new(String::new());
    let password_confirm = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let expired = RwSignal::new(false);
    let submit = Action::new(|(token, password, confirm): &(String, String, String)| {
        reset_password(token.clone(), password.clone(), confirm.clone())
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => navigate("/entrar?senha=ok", Default::default()),
        Some(Err(err)) => {
            let link_expired = err
                .field_errors()
                .is_some_and(|problems| problems.get(Field::Token).is_some());
            expired.set(link_expired);
            let text = match err.field_errors().and_then(|p| p.get(Field::Token)) {
                Some(problem) => problem.message(lang.get_untracked()).to_owned(),
                None => err.message(lang.get_untracked()),
            };
            message.set(Some((false, text)));
            if let Some(problems) = err.field_errors() {
                errors.show(problems.clone());
            }
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (new, confirm) = (password.get_untracked(), password_confirm.get_untracked());
        let mut problems = FieldErrors::new();
        problems.check(Field::Password, account::password(&new));
        problems.check(
            Field::PasswordConfirm,
            account::password_confirmation(&new, &confirm),
        );
        if !problems.is_empty() {
            errors.show(problems);
            return;
        }
        let token = query.get_untracked().get("token").unwrap_or_default();
        message.set(None);
        submit.dispatch((token, new, confirm));
    };
    view! {
        <Title text=move || texts.get().reset_title />
        <section class="card form-card narrow">
            <h1>{move || texts.get().reset_title}</h1>
            <form on:submit=on_submit novalidate>
                <NewPasswordFields password=password confirm=password_confirm errors label=text(|t| t.f_new_password) />
                <FormMessage message />
                <Show when=move || expired.get()>
                    <p>
                        <A href="/esqueci-senha">{move || texts.get().reset_ask_again}</A>
                    </p>
                </Show>
                <button type="submit" class="button button-primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { texts.get().sending } else { texts.get().reset_submit }}
                </button>
            </form>
        </section>
    }
    .into_any()
}
