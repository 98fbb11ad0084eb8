//! The page behind the mailed link: chooses a new password under the same rules.
//!
//! The link's token travels in the form's body (a hidden input), never in the address
//! the form posts to: after a refused plain post, the page is rendered again at
//! `/redefinir-senha` with the token only inside the form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::accounts::reset_password;
use crate::components::form::{FormErrors, FormMessage};
use crate::components::form_post::{FormName, posted};
use crate::components::password_fields::NewPasswordFields;
use crate::domain::account::{self};
use crate::domain::{Field, FieldErrors};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::locale::{text, use_lang, use_texts};

/// The form's name (`_form`) in a plain post.
pub const FORM: &str = "redefinir-senha";

/// An expired or spent link is the problem to tell first; otherwise the usual sentence.
fn refusal(err: &AppError, lang: Lang) -> (bool, String) {
    match err.field_errors().and_then(|p| p.get(Field::Token)) {
        Some(problem) => (true, problem.message(lang).to_owned()),
        None => (false, err.message(lang)),
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let navigate = use_navigate();
    let query = use_query_map();
    let post = posted(FORM);
    let errors = FormErrors::from_post(post.as_ref());
    let password = RwSignal::new(String::new());
    let password_confirm = RwSignal::new(String::new());
    let token = RwSignal::new(match &post {
        Some(post) => post.value(&Field::Token.id()),
        None => query
            .with_untracked(|q| q.get(&Field::Token.id()))
            .unwrap_or_default(),
    });
    let refused = post
        .as_ref()
        .map(|post| refusal(&post.error, lang.get_untracked()));
    let expired = RwSignal::new(refused.as_ref().is_some_and(|(expired, _)| *expired));
    let message = RwSignal::new(refused.map(|(_, text)| (false, text)));
    let submit = Action::new(|(token, password, confirm): &(String, String, String)| {
        reset_password(token.clone(), password.clone(), confirm.clone())
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => navigate("/entrar?senha=ok", Default::default()),
        Some(Err(err)) => {
            let (link_expired, text) = refusal(&err, lang.get_untracked());
            expired.set(link_expired);
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
        message.set(None);
        submit.dispatch((token.get_untracked(), new, confirm));
    };
    view! {
        <Title text=texts.live(|t| t.reset_title) />
        <section class="card form-card narrow">
            <h1>{texts.live(|t| t.reset_title)}</h1>
            <form method="post" action="/redefinir-senha" on:submit=on_submit novalidate>
                <FormName name=FORM />
                <input type="hidden" name=Field::Token.id() value=token.get_untracked() />
                <NewPasswordFields password=password confirm=password_confirm errors label=text(|t| t.f_new_password) />
                <FormMessage message />
                <Show when=move || expired.get()>
                    <p>
                        <A href="/esqueci-senha">{texts.live(|t| t.reset_ask_again)}</A>
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
