//! A new password and its confirmation, under the seed's rule, as registration, the
//! reset link and "Meu perfil" ask for it.

use leptos::prelude::*;

use crate::components::form::{FormErrors, TextField, check};
use crate::domain::Field;
use crate::domain::account;
use crate::locale::text;

#[component]
pub fn NewPasswordFields(
    password: RwSignal<String>,
    confirm: RwSignal<String>,
    errors: FormErrors,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let lang = crate::locale::use_lang();
    view! {
        <TextField
            field=Field::Password
            label
            value=password
            errors
            check=check(|v| account::password(v).err())
            kind="password"
            autocomplete="new-password"
            hint=Some(Signal::derive(move || lang.get().texts().password_hint.to_owned()))
        />
        <TextField
            field=Field::PasswordConfirm
            label=text(|t| t.f_password_again)
            value=confirm
            errors
            check=check(move |v| account::password_confirmation(&password.get_untracked(), v).err())
            kind="password"
            autocomplete="new-password"
        />
    }
}
