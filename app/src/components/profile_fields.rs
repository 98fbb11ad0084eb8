//! The registration data a customer gives and later edits in "Meu perfil": Nome, Pessoa,
//! Telefone, CEP (with "Buscar CEP"), Endereço and Email.

use leptos::prelude::*;

use crate::api::accounts::{Profile, lookup_cep};
use crate::components::form::{FormErrors, SelectField, TextField, check};
use crate::domain::Field;
use crate::domain::account::{self, PersonType, ProfileInput};
use crate::error::AppError;
use crate::locale::{text, use_texts};

#[derive(Clone, Copy)]
pub struct ProfileValues {
    pub name: RwSignal<String>,
    pub person: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub cep: RwSignal<String>,
    pub address: RwSignal<String>,
    pub email: RwSignal<String>,
}

impl Default for ProfileValues {
    fn default() -> Self {
        ProfileValues {
            name: RwSignal::new(String::new()),
            person: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            cep: RwSignal::new(String::new()),
            address: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
        }
    }
}

impl ProfileValues {
    pub fn input(&self) -> ProfileInput {
        ProfileInput {
            name: self.name.get_untracked(),
            person: self.person.get_untracked(),
            phone: self.phone.get_untracked(),
            cep: self.cep.get_untracked(),
            address: self.address.get_untracked(),
            email: self.email.get_untracked(),
        }
    }

    pub fn fill(&self, profile: &Profile) {
        self.name.set(profile.name.clone());
        self.person.set(profile.person.code().to_owned());
        self.phone.set(profile.phone.clone());
        self.cep.set(profile.cep.clone());
        self.address.set(profile.address.clone());
        self.email.set(profile.email.clone());
    }
}

#[component]
pub fn ProfileFields(values: ProfileValues, errors: FormErrors) -> impl IntoView {
    let texts = use_texts();
    let cep_note = RwSignal::new(None::<&'static str>);
    let find_cep = Action::new(|cep: &String| lookup_cep(cep.clone()));
    Effect::new(move |_| {
        let Some(result) = find_cep.value().get() else {
            return;
        };
        let t = texts.get_untracked();
        match result {
            Ok(Some(address)) => {
                values.address.set(address.one_line());
                errors.set(Field::Address, None);
                cep_note.set(Some(t.cep_found));
            }
            Ok(None) => cep_note.set(Some(t.cep_not_found)),
            Err(AppError::Validation(problems)) => {
                errors.set(Field::Cep, problems.get(Field::Cep));
                cep_note.set(None);
            }
            Err(_) => cep_note.set(Some(t.cep_unavailable)),
        }
    });
    let on_lookup = move |_| {
        let cep = values.cep.get_untracked();
        match account::cep(&cep) {
            Ok(_) => {
                errors.set(Field::Cep, None);
                cep_note.set(None);
                find_cep.dispatch(cep);
            }
            Err(problem) => errors.set(Field::Cep, Some(problem)),
        }
    };
    let person_options = vec![
        (String::new(), text(|t| t.person_choose)),
        (
            PersonType::Fisica.code().to_owned(),
            text(|t| t.person_fisica),
        ),
        (
            PersonType::Juridica.code().to_owned(),
            text(|t| t.person_juridica),
        ),
    ];
    view! {
        <TextField
            field=Field::Name
            label=text(|t| t.f_name)
            value=values.name
            errors
            check=check(|v| account::name(v).err())
            autocomplete="name"
            maxlength=account::NAME_MAX as u32
        />
        <SelectField
            field=Field::Person
            label=text(|t| t.f_person)
            value=values.person
            errors
            options=person_options
            check=check(|v| account::person(v).err())
        />
        <TextField
            field=Field::Phone
            label=text(|t| t.f_phone)
            value=values.phone
            errors
            check=check(|v| account::phone(v).err())
            kind="tel"
            autocomplete="tel"
            inputmode="tel"
            maxlength=20
        />
        <TextField
            field=Field::Cep
            label=text(|t| t.f_cep)
            value=values.cep
            errors
            check=check(|v| account::cep(v).err())
            autocomplete="postal-code"
            inputmode="numeric"
            maxlength=10
        >
            <button
                type="button"
                class="button button-small"
                on:click=on_lookup
                disabled=move || find_cep.pending().get()
            >
                {move || {
                    if find_cep.pending().get() { texts.get().cep_looking } else { texts.get().cep_lookup }
                }}
            </button>
        </TextField>
        <p class="field-note" aria-live="polite">{move || cep_note.get()}</p>
        <TextField
            field=Field::Address
            label=text(|t| t.f_address)
            value=values.address
            errors
            check=check(|v| account::address(v).err())
            autocomplete="street-address"
            maxlength=account::ADDRESS_MAX as u32
        />
        <TextField
            field=Field::Email
            label=text(|t| t.f_email)
            value=values.email
            errors
            check=check(|v| account::email(v).err())
            kind="email"
            autocomplete="email"
            maxlength=account::EMAIL_MAX as u32
        />
    }
    .into_any()
}
