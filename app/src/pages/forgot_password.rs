//! "Esqueceu sua senha?": asks for the email and mails a one-time link. The page says
//! the same whether or not the address has an account.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::request_password_reset;
use crate::components::form::{FormErrors, FormMessage, TextField, check, show_error};
use crate::components::form_post::{FormName, posted};
use crate::domain::account;
use crate::domain::{Field, FieldErrors};
use crate::locale::{text, use_texts};

/// The form's name (`_form`) in a plain post.
pub const FORM: &str = "esqueci-senha";

/// The query a plain post's redirect adds once the link is on its way.
pub const SENT_QUERY: &str = "enviado";

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let texts = use_texts();
    let query = use_query_map();
    let post = posted(FORM);
    let errors = FormErrors::from_post(post.as_ref());
    let email = RwSignal::new(
        post.as_ref()
            .map(|p| p.value(&Field::Email.id()))
            .unwrap_or_default(),
    );
    let sent = query.with_untracked(|q| q.get(SENT_QUERY).is_some());
    let message = RwSignal::new(match &post {
        Some(post) => post.message(),
        None => sent.then(|| (true, texts.get_untracked().forgot_sent.to_owned())),
    });
    let submit = Action::new(|email: &String| request_password_reset(email.clone()));
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => message.set(Some((true, texts.get_untracked().forgot_sent.to_owned()))),
        Some(Err(err)) => show_error(&err, message, errors),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Err(problem) = account::email(&email.get_untracked()) {
            errors.show(FieldErrors::single(Field::Email, problem));
            return;
        }
        message.set(None);
        submit.dispatch(email.get_untracked());
    };
    view! {
        <Title text=texts.live(|t| t.forgot_title) />
        <section class="card form-card narrow">
            <h1>{texts.live(|t| t.forgot_title)}</h1>
            <p>{texts.live(|t| t.forgot_intro)}</p>
            <form method="post" action="/esqueci-senha" on:submit=on_submit novalidate>
                <FormName name=FORM />
                <TextField
                    field=Field::Email
                    label=text(|t| t.f_email)
                    value=email
                    errors
                    check=check(|v| account::email(v).err())
                    kind="email"
                    autocomplete="email"
                />
                <FormMessage message />
                <button type="submit" class="button button-primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { texts.get().sending } else { texts.get().forgot_submit }}
                </button>
            </form>
        </section>
    }
    .into_any()
}
