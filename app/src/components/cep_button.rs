//! "Buscar CEP" / "pesquisar": asks the CEP service for the address of the CEP typed
//! beside it. The found address goes to `on_found`; what happened goes to `note`. It
//! needs the WebAssembly, so it shows only once that runs (`.js-only`); until then the
//! address is typed by hand.

use leptos::prelude::*;

use crate::api::accounts::lookup_cep;
use crate::components::form::FormErrors;
use crate::domain::Field;
use crate::domain::account;
use crate::domain::cep::CepAddress;
use crate::error::AppError;
use crate::locale::use_texts;

#[component]
pub fn CepButton(
    cep: RwSignal<String>,
    errors: FormErrors,
    note: RwSignal<Option<&'static str>>,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] on_found: Callback<CepAddress>,
) -> impl IntoView {
    let texts = use_texts();
    let find = Action::new(|cep: &String| lookup_cep(cep.clone()));
    Effect::new(move |_| {
        let Some(result) = find.value().get() else {
            return;
        };
        let t = texts.get_untracked();
        match result {
            Ok(Some(address)) => {
                on_found.run(address);
                note.set(Some(t.cep_found));
            }
            Ok(None) => note.set(Some(t.cep_not_found)),
            Err(AppError::Validation(problems)) => {
                errors.set(Field::Cep, problems.get(Field::Cep));
                note.set(None);
            }
            Err(_) => note.set(Some(t.cep_unavailable)),
        }
    });
    let on_click = move |_| {
        let value = cep.get_untracked();
        match account::cep(&value) {
            Ok(_) => {
                errors.set(Field::Cep, None);
                note.set(None);
                find.dispatch(value);
            }
            Err(problem) => errors.set(Field::Cep, Some(problem)),
        }
    };
    view! {
        <button type="button" class="button button-small js-only" on:click=on_click disabled=move || find.pending().get()>
            {move || if find.pending().get() { texts.get().cep_looking.to_owned() } else { label.get() }}
        </button>
    }
}
