//! The registration data a customer gives and later edits in "Meu perfil": Nome, Pessoa,
//! Telefone, CEP (with "Buscar CEP"), Endereço and Email.

use leptos::prelude::*;

use crate::api::accounts::Profile;
use crate::components::cep_button::CepButton;
use crate::components::form::{FormErrors, SelectField, TextField, check};
use crate::components::form_post::FormPost;
use crate::domain::Field;
use crate::domain::account::{self, PersonType, ProfileInput};
use crate::domain::cep::CepAddress;
use crate::locale::text;

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

    /// The values of a refused plain post, as they were sent.
    pub fn fill_from(&self, post: &FormPost) {
        self.name.set(post.value(&Field::Name.id()));
        self.person.set(post.value(&Field::Person.id()));
        self.phone.set(post.value(&Field::Phone.id()));
        self.cep.set(post.value(&Field::Cep.id()));
        self.address.set(post.value(&Field::Address.id()));
        self.email.set(post.value(&Field::Email.id()));
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
    let cep_note = RwSignal::new(None::<&'static str>);
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
            <CepButton
                cep=values.cep
                errors
                note=cep_note
                label=text(|t| t.cep_lookup)
                on_found=move |address: CepAddress| {
                    values.address.set(address.one_line());
                    errors.set(Field::Address, None);
                }
            />
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
