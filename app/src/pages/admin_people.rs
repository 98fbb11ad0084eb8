//! "Usuários e grupos" (`/admin/usuarios`), for administrators: find users (by name,
//! login, e-mail, CPF/CNPJ), invite staff, change a role, deactivate or reactivate an
//! account, send a password link; create, rename, deactivate support groups and add or
//! remove their members.
//!
//! Every form is a real post to this page (`_form` names the change, a hidden input the
//! row), enhanced once the bundle has loaded: the form's fields are read into the same
//! [`PeopleCommand`] the server reads from a plain post, checked here, and sent to the
//! server function. A lazy route: customers never download this code.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{change_people, get_people};
use crate::components::admin_page::refused;
use crate::components::change_form::{self, FormState, Parse, TextInput};
use crate::components::form_post::{FormPost, posted_any, still_posted};
use crate::domain::Field;
use crate::domain::account::Role;
use crate::domain::admin::{
    ACTIVE, GROUP_ACTIVE_FORM, GROUP_ID, GROUP_NEW_FORM, GROUP_RENAME_FORM, GroupRow,
    MEMBER_ADD_FORM, MEMBER_REMOVE_FORM, PeopleCommand, PeopleData, USER_ACTIVE_FORM, USER_ID,
    USER_NEW_FORM, USER_RESET_FORM, USER_ROLE_FORM, UserRow,
};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::locale::{use_lang, use_texts};
use crate::resource::{Resource, resource};

pub const PATH: &str = "/admin/usuarios";
/// The search's query name.
pub const QUERY: &str = "q";
/// After a plain post: which change was made.
pub const DONE_QUERY: &str = "feito";

struct T {
    title: &'static str,
    users: &'static str,
    search: &'static str,
    search_button: &'static str,
    search_help: &'static str,
    none_found: &'static str,
    more: &'static str,
    name: &'static str,
    login: &'static str,
    email: &'static str,
    document: &'static str,
    role: &'static str,
    groups: &'static str,
    state: &'static str,
    actions: &'static str,
    active: &'static str,
    inactive: &'static str,
    change_role: &'static str,
    deactivate: &'static str,
    reactivate: &'static str,
    send_link: &'static str,
    new_user: &'static str,
    new_user_help: &'static str,
    invite: &'static str,
    support_groups: &'static str,
    group_name: &'static str,
    rename: &'static str,
    members: &'static str,
    no_members: &'static str,
    remove: &'static str,
    add_member: &'static str,
    choose: &'static str,
    add: &'static str,
    new_group: &'static str,
    create_group: &'static str,
    you: &'static str,
    saved: &'static str,
}

static PT: T = T {
    title: "Usuários e grupos",
    users: "Usuários",
    search: "Pesquisar usuários",
    search_button: "Pesquisar",
    search_help: "Nome, login, e-mail, CPF ou CNPJ. Sem pesquisa, a lista mostra a equipe.",
    none_found: "Nenhum usuário encontrado.",
    more: "Há mais resultados: refine a pesquisa.",
    name: "Nome",
    login: "Login",
    email: "E-mail",
    document: "CPF/CNPJ",
    role: "Papel",
    groups: "Grupos",
    state: "Situação",
    actions: "Ações",
    active: "Ativo",
    inactive: "Desativado",
    change_role: "Alterar papel",
    deactivate: "Desativar",
    reactivate: "Reativar",
    send_link: "Enviar link de senha",
    new_user: "Novo usuário da equipe",
    new_user_help: "A pessoa recebe um e-mail de convite com um link para escolher a própria senha.",
    invite: "Convidar",
    support_groups: "Grupos de atendimento",
    group_name: "Nome do grupo",
    rename: "Renomear",
    members: "Membros",
    no_members: "Nenhum membro.",
    remove: "Remover",
    add_member: "Adicionar membro",
    choose: "Escolha…",
    add: "Adicionar",
    new_group: "Novo grupo",
    create_group: "Criar grupo",
    you: "você",
    saved: "Alterações salvas.",
};

static EN: T = T {
    title: "Users and groups",
    users: "Users",
    search: "Search users",
    search_button: "Search",
    search_help: "Name, login, e-mail, CPF or CNPJ. Without a search, the list shows the staff.",
    none_found: "No user found.",
    more: "There are more results: refine the search.",
    name: "Name",
    login: "Login",
    email: "E-mail",
    document: "CPF/CNPJ",
    role: "Role",
    groups: "Groups",
    state: "State",
    actions: "Actions",
    active: "Active",
    inactive: "Deactivated",
    change_role: "Change role",
    deactivate: "Deactivate",
    reactivate: "Reactivate",
    send_link: "Send password link",
    new_user: "New staff user",
    new_user_help: "The person gets an invitation e-mail with a link to choose their own password.",
    invite: "Invite",
    support_groups: "Support groups",
    group_name: "Group name",
    rename: "Rename",
    members: "Members",
    no_members: "No members.",
    remove: "Remove",
    add_member: "Add member",
    choose: "Choose…",
    add: "Add",
    new_group: "New group",
    create_group: "Create group",
    you: "you",
    saved: "Changes saved.",
};

fn texts(lang: Lang) -> &'static T {
    match lang {
        Lang::Pt => &PT,
        Lang::En => &EN,
    }
}

pub fn role_label(role: Role, lang: Lang) -> &'static str {
    match (role, lang) {
        (Role::Customer, Lang::Pt) => "Solicitante",
        (Role::Agent, Lang::Pt) => "Atendente",
        (Role::Manager, Lang::Pt) => "Gestor",
        (Role::Admin, Lang::Pt) => "Administrador",
        (Role::Customer, Lang::En) => "Customer",
        (Role::Agent, Lang::En) => "Agent",
        (Role::Manager, Lang::En) => "Manager",
        (Role::Admin, Lang::En) => "Administrator",
    }
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let lang = use_lang();
    let common = use_texts();
    let t = move || texts(lang.get());
    let query_map = leptos_router::hooks::use_query_map();
    let query = Memo::new(move |_| query_map.with(|q| q.get(QUERY).unwrap_or_default()));
    let people = resource(move || query.get(), get_people);
    let post = posted_any();
    // "Alterações salvas.": after a plain post (the redirect says so) or an enhanced one
    // (the forms are built again with the reloaded data, so the page keeps it).
    let done = query_map.with_untracked(|q| q.get(DONE_QUERY)).is_some();
    let notice = Notice(RwSignal::new(done));
    provide_context(notice);
    view! {
        <Title text=move || t().title />
        <Transition fallback=move || view! { <section class="card wide"><p>{move || common.get().loading}</p></section> }>
            {move || people.get().map(|loaded| match loaded {
                Ok(data) => view! {
                    <section class="card wide admin-people">
                        <h1>{move || t().title}</h1>
                        <div aria-live="polite">
                            {move || notice.0.get().then(|| view! { <p class="form-message form-message-ok" role="status">{move || t().saved}</p> })}
                        </div>
                        <People data reload=people post=still_posted(&post) />
                    </section>
                }.into_any(),
                Err(err) => refused(err, Signal::derive(move || t().title.to_owned())),
            })}
        </Transition>
    }
}

/// Whether the page says "Alterações salvas." at its top.
#[derive(Clone, Copy)]
struct Notice(RwSignal<bool>);

type Reload = Resource<Result<PeopleData, AppError>>;

/// A form of this page: a [`ChangeForm`] that sends a [`PeopleCommand`] and keeps the
/// search the administrator was looking at.
#[component]
fn ChangeForm(
    form: &'static str,
    #[prop(optional)] row: Option<(&'static str, i32)>,
    #[prop(optional)] extra: Option<(&'static str, &'static str)>,
    button: Signal<&'static str>,
    reload: Reload,
    post: Option<FormPost>,
    query: String,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] danger: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let mut hidden = vec![(QUERY, query)];
    if let Some((name, value)) = extra {
        hidden.push((name, value.to_owned()));
    }
    let parse: Parse<PeopleCommand> = |form, get, all| PeopleCommand::from_form(form, get, all);
    let reset = form == USER_NEW_FORM || form == GROUP_NEW_FORM;
    let notice = use_context::<Notice>();
    view! {
        <change_form::ChangeForm path=PATH form parse send=change_people row hidden button
            saved=Signal::derive(move || texts(lang.get()).saved)
            on_saved=Callback::new(move |_| {
                if let Some(Notice(notice)) = notice {
                    notice.set(true);
                }
                reload.refetch();
            })
            post class danger reset>
            {children.map(|children| children())}
        </change_form::ChangeForm>
    }
}

/// The staff roles as a select inside a [`ChangeForm`].
#[component]
fn RoleSelect(
    key: String,
    current: Role,
    #[prop(optional)] visually_hidden_label: bool,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let FormState { errors, kept } = expect_context::<FormState>();
    let id = format!("{}-{key}", Field::Role.id());
    let chosen = kept
        .map(|p| p.value(&Field::Role.id()))
        .unwrap_or_else(|| current.code().to_owned());
    let label_class = if visually_hidden_label {
        "visually-hidden"
    } else {
        ""
    };
    view! {
        <div class="field">
            <label class=label_class for=id.clone()>{move || t().role}</label>
            <select id=id name=Field::Role.id()>
                {[Role::Agent, Role::Manager, Role::Admin, Role::Customer]
                    .into_iter()
                    // A customer's role is shown; staff are never made customers here.
                    .filter(|role| role.is_staff() || current == Role::Customer)
                    .map(|role| {
                        let selected = chosen == role.code();
                        view! { <option value=role.code() selected=selected>{move || role_label(role, lang.get())}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" aria-live="polite">
                {move || errors.problem(Field::Role).map(|p| p.message(lang.get()))}
            </p>
        </div>
    }
}

#[component]
fn People(data: PeopleData, reload: Reload, post: Option<FormPost>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let label = move |pick: fn(&T) -> &'static str| Signal::derive(move || pick(texts(lang.get())));
    let query = data.query.clone();
    let rows = data
        .users
        .iter()
        .cloned()
        .map(|user| view! { <UserRowView user me=data.me reload post=post.clone() query=query.clone() /> })
        .collect_view();
    let empty = data.users.is_empty();
    let groups = data
        .groups
        .iter()
        .cloned()
        .map(|group| view! { <GroupView group staff=data.staff.clone() reload post=post.clone() query=query.clone() /> })
        .collect_view();
    let group_choices = data
        .groups
        .iter()
        .filter(|g| g.active)
        .cloned()
        .collect::<Vec<_>>();
    let more = data.more;
    view! {
        <h2>{move || t().users}</h2>
        <form class="search-form" method="get" action=PATH role="search">
            <div class="field">
                <label for="pesquisa-usuarios">{move || t().search}</label>
                <input id="pesquisa-usuarios" name=QUERY type="search" value=data.query.clone() aria-describedby="pesquisa-usuarios-ajuda" />
                <p class="hint" id="pesquisa-usuarios-ajuda">{move || t().search_help}</p>
            </div>
            <button type="submit" class="button">{move || t().search_button}</button>
        </form>
        {if empty {
            view! { <p>{move || t().none_found}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="users card-rows">
                        <thead><tr>
                            <th scope="col">{move || t().name}</th>
                            <th scope="col">{move || t().login}</th>
                            <th scope="col">{move || t().email}</th>
                            <th scope="col">{move || t().document}</th>
                            <th scope="col">{move || t().groups}</th>
                            <th scope="col">{move || t().state}</th>
                            <th scope="col">{move || t().role}</th>
                            <th scope="col">{move || t().actions}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {more.then(|| view! { <p class="hint">{move || t().more}</p> })}
        <h3>{move || t().new_user}</h3>
        <p class="hint">{move || t().new_user_help}</p>
        <ChangeForm form=USER_NEW_FORM button=label(|t| t.invite) reload post=post.clone() query=query.clone() class="stacked">
            <TextInput label=label(|t| t.name) field=Field::Name key="novo".into() max=100 />
            <TextInput label=label(|t| t.login) field=Field::Login key="novo".into() max=32 />
            <TextInput label=label(|t| t.email) field=Field::Email key="novo".into() max=254 kind="email" />
            <RoleSelect key="novo".into() current=Role::Agent />
            <fieldset class="checks">
                <legend>{move || t().groups}</legend>
                {group_choices.into_iter().map(|g| {
                    let id = format!("grupo-novo-{}", g.id);
                    view! {
                        <div class="check">
                            <input type="checkbox" id=id.clone() name=Field::Group.id() value=g.id.to_string() />
                            <label for=id>{g.name}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        </ChangeForm>
        <h2>{move || t().support_groups}</h2>
        {groups}
        <h3>{move || t().new_group}</h3>
        <ChangeForm form=GROUP_NEW_FORM button=label(|t| t.create_group) reload post query class="inline">
            <TextInput label=label(|t| t.group_name) field=Field::GroupName key="novo".into() max=200 />
        </ChangeForm>
    }
}

#[component]
fn UserRowView(
    user: UserRow,
    me: i32,
    reload: Reload,
    post: Option<FormPost>,
    query: String,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let label = move |pick: fn(&T) -> &'static str| Signal::derive(move || pick(texts(lang.get())));
    let row = (USER_ID, user.id);
    let itself = user.id == me;
    let active = user.active;
    let role = user.role;
    let key = user.id.to_string();
    view! {
        <tr class:inactive=!active>
            <th scope="row" data-label=move || t().name>
                {user.name.clone()}
                {itself.then(|| view! { " (" {move || t().you} ")" })}
            </th>
            <td data-label=move || t().login>{user.login.clone()}</td>
            <td data-label=move || t().email>{user.email.clone()}</td>
            <td data-label=move || t().document>{user.document.clone()}</td>
            <td data-label=move || t().groups>{user.groups.join(", ")}</td>
            <td data-label=move || t().state>{move || if active { t().active } else { t().inactive }}</td>
            <td data-label=move || t().role>
                <ChangeForm form=USER_ROLE_FORM row button=label(|t| t.change_role) reload post=post.clone() query=query.clone() class="inline">
                    <RoleSelect key=key.clone() current=role visually_hidden_label=true />
                </ChangeForm>
            </td>
            <td class="actions" data-label=move || t().actions>
                {if active {
                    (!itself).then(|| view! {
                        <ChangeForm form=USER_ACTIVE_FORM row extra=(ACTIVE, "0") button=label(|t| t.deactivate) reload post=post.clone() query=query.clone() danger=true>
                        </ChangeForm>
                    }).into_any()
                } else {
                    view! {
                        <ChangeForm form=USER_ACTIVE_FORM row extra=(ACTIVE, "1") button=label(|t| t.reactivate) reload post=post.clone() query=query.clone()>
                        </ChangeForm>
                    }.into_any()
                }}
                {active.then(|| view! {
                    <ChangeForm form=USER_RESET_FORM row button=label(|t| t.send_link) reload post=post.clone() query=query.clone()>
                    </ChangeForm>
                })}
            </td>
        </tr>
    }
}

#[component]
fn GroupView(
    group: GroupRow,
    staff: Vec<crate::domain::admin::Person>,
    reload: Reload,
    post: Option<FormPost>,
    query: String,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let label = move |pick: fn(&T) -> &'static str| Signal::derive(move || pick(texts(lang.get())));
    let row = (GROUP_ID, group.id);
    let key = group.id.to_string();
    let active = group.active;
    let candidates: Vec<_> = staff
        .into_iter()
        .filter(|p| !group.members.iter().any(|m| m.id == p.id))
        .collect();
    let members = group
        .members
        .iter()
        .cloned()
        .map(|m| {
            let post = post.clone();
            let query = query.clone();
            view! {
                <li>
                    <span>{format!("{} ({})", m.name, m.login)}</span>
                    <ChangeForm form=MEMBER_REMOVE_FORM row button=label(|t| t.remove) reload post query class="inline">
                        <input type="hidden" name=USER_ID value=m.id.to_string() />
                    </ChangeForm>
                </li>
            }
        })
        .collect_view();
    let no_members = group.members.is_empty();
    let select_id = format!("{}-{key}", Field::Agent.id());
    let title_id = format!("grupo-titulo-{key}");
    let labelled_by = title_id.clone();
    view! {
        <article class="group" class:inactive=!active aria-labelledby=labelled_by>
            <h3 id=title_id>
                {group.name.clone()}
                {(!active).then(|| view! { " — " {move || t().inactive} })}
            </h3>
            <div class="group-forms">
                <ChangeForm form=GROUP_RENAME_FORM row button=label(|t| t.rename) reload post=post.clone() query=query.clone() class="inline">
                    <TextInput label=label(|t| t.group_name) field=Field::GroupName key=key.clone() value=group.name.clone() max=200 />
                </ChangeForm>
                <ChangeForm form=GROUP_ACTIVE_FORM row extra=(ACTIVE, if active { "0" } else { "1" })
                    button=if active { label(|t| t.deactivate) } else { label(|t| t.reactivate) }
                    reload post=post.clone() query=query.clone() danger=active>
                </ChangeForm>
            </div>
            <h4>{move || t().members}</h4>
            {if no_members {
                view! { <p>{move || t().no_members}</p> }.into_any()
            } else {
                view! { <ul class="members">{members}</ul> }.into_any()
            }}
            <ChangeForm form=MEMBER_ADD_FORM row button=label(|t| t.add) reload post=post.clone() query=query.clone() class="inline">
                <MemberSelect id=select_id.clone() candidates=candidates.clone() />
            </ChangeForm>
        </article>
    }
}

#[component]
fn MemberSelect(id: String, candidates: Vec<crate::domain::admin::Person>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let FormState { errors, .. } = expect_context::<FormState>();
    view! {
        <div class="field">
            <label for=id.clone()>{move || t().add_member}</label>
            <select id=id name=Field::Agent.id()>
                <option value="">{move || t().choose}</option>
                {candidates.into_iter().map(|p| view! {
                    <option value=p.id.to_string()>{format!("{} ({})", p.name, p.login)}</option>
                }).collect_view()}
            </select>
            <p class="field-error" aria-live="polite">
                {move || errors.problem(Field::Agent).map(|p| p.message(lang.get()))}
            </p>
        </div>
    }
}
