//! "Auditoria" (`/admin/auditoria`), for administrators and managers: every
//! administrative change, newest first, filtered by who, what kind and period, with
//! before → after, and its CSV export. Read-only: nothing here edits or deletes an entry.
//! The filters are a plain GET form, so the page works the same without the bundle.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::get_audit;
use crate::components::admin_page::refused;
use crate::domain::Field;
use crate::domain::admin::{
    AUDIT_BEFORE, AUDIT_FROM, AUDIT_KIND, AUDIT_KINDS, AUDIT_TO, AUDIT_WHO, AuditFilter, AuditPage,
    audit_kind_label,
};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::locale::{use_lang, use_texts};
use crate::resource::resource;

pub const PATH: &str = "/admin/auditoria";
/// The CSV export (`crate::server::audit::CSV_PATH`).
pub const CSV_PATH: &str = "/admin/auditoria.csv";

struct T {
    title: &'static str,
    intro: &'static str,
    who: &'static str,
    kind: &'static str,
    all: &'static str,
    from: &'static str,
    to: &'static str,
    filter: &'static str,
    export: &'static str,
    when: &'static str,
    address: &'static str,
    action: &'static str,
    item: &'static str,
    before: &'static str,
    after: &'static str,
    none: &'static str,
    older: &'static str,
    newest: &'static str,
}

static PT: T = T {
    title: "Auditoria",
    intro: "Cada alteração administrativa: quem, quando, de qual endereço, e o antes → depois. Os registros não podem ser alterados nem excluídos.",
    who: "Quem (login)",
    kind: "Tipo",
    all: "Todos",
    from: "De",
    to: "Até",
    filter: "Filtrar",
    export: "Exportar CSV",
    when: "Quando",
    address: "Endereço",
    action: "Ação",
    item: "Item",
    before: "Antes",
    after: "Depois",
    none: "Nenhum registro encontrado.",
    older: "Registros mais antigos",
    newest: "Mais recentes",
};

static EN: T = T {
    title: "Audit trail",
    intro: "Every administrative change: who, when, from which address, and before → after. Entries cannot be edited or deleted.",
    who: "Who (login)",
    kind: "Kind",
    all: "All",
    from: "From",
    to: "To",
    filter: "Filter",
    export: "Export CSV",
    when: "When",
    address: "Address",
    action: "Action",
    item: "Item",
    before: "Before",
    after: "After",
    none: "No entry found.",
    older: "Older entries",
    newest: "Newest",
};

fn texts(lang: Lang) -> &'static T {
    match lang {
        Lang::Pt => &PT,
        Lang::En => &EN,
    }
}

#[component]
pub fn AuditView() -> impl IntoView {
    let lang = use_lang();
    let common = use_texts();
    let t = move || texts(lang.get());
    let query_map = leptos_router::hooks::use_query_map();
    let filter =
        Memo::new(move |_| query_map.with(|q| AuditFilter::from_query(|name| q.get(name))));
    let page = resource(move || filter.get(), get_audit);
    view! {
        <Title text=move || t().title />
        <Suspense fallback=move || view! { <section class="card wide"><p>{move || common.get().loading}</p></section> }>
            {move || page.get().map(|loaded| {
                let current = filter.get_untracked();
                match loaded {
                    Ok(found) => view! {
                        <section class="card wide audit">
                            <h1>{move || t().title}</h1>
                            <p class="hint">{move || t().intro}</p>
                            <Filters filter=current.clone() problems=None />
                            <Entries page=found filter=current />
                        </section>
                    }.into_any(),
                    Err(AppError::Validation(problems)) => view! {
                        <section class="card wide audit">
                            <h1>{move || t().title}</h1>
                            <Filters filter=current problems=Some(problems) />
                        </section>
                    }.into_any(),
                    Err(err) => refused(err, Signal::derive(move || t().title.to_owned())),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Filters(filter: AuditFilter, problems: Option<crate::domain::FieldErrors>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let problem = move |field: Field| {
        problems
            .as_ref()
            .and_then(|p| p.get(field))
            .map(|p| p.message(lang.get()))
    };
    let (from_problem, to_problem, kind_problem) = (
        problem(Field::PeriodFrom),
        problem(Field::PeriodTo),
        problem(Field::AuditKind),
    );
    let export = {
        let query = filter.to_query();
        if query.is_empty() {
            CSV_PATH.to_owned()
        } else {
            format!("{CSV_PATH}?{query}")
        }
    };
    let kind = filter.kind.clone();
    view! {
        <form class="audit-filters" method="get" action=PATH role="search">
            <div class="field">
                <label for="auditoria-quem">{move || t().who}</label>
                <input id="auditoria-quem" name=AUDIT_WHO value=filter.who.clone() />
            </div>
            <div class="field">
                <label for="auditoria-tipo">{move || t().kind}</label>
                <select id="auditoria-tipo" name=AUDIT_KIND>
                    <option value="" selected=kind.is_empty()>{move || t().all}</option>
                    {AUDIT_KINDS.into_iter().map(|k| {
                        let selected = kind == k;
                        view! { <option value=k selected=selected>{move || audit_kind_label(k, lang.get()).to_owned()}</option> }
                    }).collect_view()}
                </select>
                <p class="field-error" aria-live="polite">{kind_problem}</p>
            </div>
            <div class="field">
                <label for="auditoria-de">{move || t().from}</label>
                <input id="auditoria-de" name=AUDIT_FROM value=filter.from.clone() placeholder="dd/mm/aaaa" inputmode="numeric"
                    aria-describedby="auditoria-de-erro" aria-invalid=from_problem.is_some().then_some("true") />
                <p class="field-error" id="auditoria-de-erro" aria-live="polite">{from_problem}</p>
            </div>
            <div class="field">
                <label for="auditoria-ate">{move || t().to}</label>
                <input id="auditoria-ate" name=AUDIT_TO value=filter.to.clone() placeholder="dd/mm/aaaa" inputmode="numeric"
                    aria-describedby="auditoria-ate-erro" aria-invalid=to_problem.is_some().then_some("true") />
                <p class="field-error" id="auditoria-ate-erro" aria-live="polite">{to_problem}</p>
            </div>
            <button type="submit" class="button">{move || t().filter}</button>
            // A download, not a page of the app: the router leaves it to the browser.
            <a class="button button-secondary" href=export rel="external" download="auditoria.csv">{move || t().export}</a>
        </form>
    }
}

/// JSON as stored, or a dash.
fn json_cell(text: String) -> impl IntoView {
    if text.is_empty() {
        view! { <span aria-hidden="true">"—"</span> }.into_any()
    } else {
        view! { <code class="json">{text}</code> }.into_any()
    }
}

#[component]
fn Entries(page: AuditPage, filter: AuditFilter) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    if page.rows.is_empty() {
        return view! { <p>{move || t().none}</p> }.into_any();
    }
    let query = filter.to_query();
    let older = page.next.map(|next| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!("{PATH}?{query}{sep}{AUDIT_BEFORE}={next}")
    });
    let newest = filter.before.map(|_| {
        if query.is_empty() {
            PATH.to_owned()
        } else {
            format!("{PATH}?{query}")
        }
    });
    view! {
        // Wide entries scroll sideways: the region takes the keyboard's focus to do so.
        <div class="table-scroll" tabindex="0" role="region" aria-label=move || t().title>
            <table class="audit-entries card-rows">
                <thead><tr>
                    <th scope="col">{move || t().when}</th>
                    <th scope="col">{move || t().who}</th>
                    <th scope="col">{move || t().address}</th>
                    <th scope="col">{move || t().kind}</th>
                    <th scope="col">{move || t().action}</th>
                    <th scope="col">{move || t().item}</th>
                    <th scope="col">{move || t().before}</th>
                    <th scope="col">{move || t().after}</th>
                </tr></thead>
                <tbody>
                    {page.rows.into_iter().map(|r| {
                        let kind = r.kind.clone();
                        view! {
                            <tr>
                                <td data-label=move || t().when>{r.at}</td>
                                <td data-label=move || t().who>{r.actor}</td>
                                <td data-label=move || t().address>{r.address}</td>
                                <td data-label=move || t().kind>{move || audit_kind_label(&kind, lang.get()).to_owned()}</td>
                                <td data-label=move || t().action>{r.action}</td>
                                <td data-label=move || t().item>{r.target}</td>
                                <td data-label=move || t().before>{json_cell(r.before)}</td>
                                <td data-label=move || t().after>{json_cell(r.after)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || t().title>
            {newest.map(|href| view! { <a href=href>{move || t().newest}</a> })}
            {older.map(|href| view! { <a href=href>{move || t().older}</a> })}
        </nav>
    }
    .into_any()
}
