//! The seed's dotted drop zone: "Arraste arquivos aqui ou clique para realizar upload."
//! Files dropped on it or chosen with the file dialog (the zone is the input's label, so
//! Enter/Space on the focused input opens the dialog) are checked at once against the
//! shared rules, then each is sent on its own with XMLHttpRequest to `POST /anexos` so
//! its progress bar moves. A file can be removed while it uploads or afterwards; what
//! was sent is kept by the server until the request is concluded.

use leptos::prelude::*;

use crate::components::form::FormErrors;
use crate::domain::Field;
use crate::domain::attachment::{self as rules, AttachmentInfo, AttachmentLimits};
use crate::i18n::Lang;
use crate::locale::{use_lang, use_texts};

#[derive(Clone, Debug, PartialEq)]
pub enum UploadState {
    Uploading,
    Done(i64),
    Failed(String),
}

/// One file of the list under the zone.
#[derive(Clone, Copy)]
pub struct UploadRow {
    key: u64,
    name: StoredValue<String>,
    size: u64,
    progress: RwSignal<u32>,
    pub state: RwSignal<UploadState>,
}

impl UploadRow {
    fn new(key: u64, name: String, size: u64, state: UploadState) -> Self {
        let done = matches!(state, UploadState::Done(_));
        UploadRow {
            key,
            name: StoredValue::new(name),
            size,
            progress: RwSignal::new(if done { 100 } else { 0 }),
            state: RwSignal::new(state),
        }
    }
}

/// The files of one form.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct Uploads {
    rows: RwSignal<Vec<UploadRow>>,
    next_key: StoredValue<u64>,
}

impl Uploads {
    /// Starts with the files the server already holds for this form.
    pub fn new(staged: Vec<AttachmentInfo>) -> Self {
        let rows: Vec<UploadRow> = staged
            .into_iter()
            .enumerate()
            .map(|(i, file)| {
                UploadRow::new(i as u64, file.name, file.size, UploadState::Done(file.id))
            })
            .collect();
        let next_key = rows.len() as u64;
        Uploads {
            rows: RwSignal::new(rows),
            next_key: StoredValue::new(next_key),
        }
    }

    /// Ids of the uploaded files, in the order they were added.
    pub fn ids(&self) -> Vec<i64> {
        self.rows.with_untracked(|rows| {
            rows.iter()
                .filter_map(|row| match row.state.get_untracked() {
                    UploadState::Done(id) => Some(id),
                    _ => None,
                })
                .collect()
        })
    }

    pub fn busy(&self) -> bool {
        self.rows.with_untracked(|rows| {
            rows.iter()
                .any(|row| row.state.get_untracked() == UploadState::Uploading)
        })
    }

    /// Files that count against the limit (uploading or uploaded).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn active(&self) -> usize {
        self.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|row| !matches!(row.state.get_untracked(), UploadState::Failed(_)))
                .count()
        })
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn push(&self, name: String, size: u64, state: UploadState) -> UploadRow {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let row = UploadRow::new(key, name, size, state);
        self.rows.update(|rows| rows.push(row));
        row
    }

    /// Empties the list (the files now belong to a ticket).
    pub fn clear(&self) {
        self.rows.set(Vec::new());
    }

    fn drop_row(&self, key: u64) {
        self.rows.update(|rows| rows.retain(|row| row.key != key));
    }
}

fn limits_text(template: &str, limits: AttachmentLimits, lang: Lang) -> String {
    template
        .replace("%n", &limits.max_files.to_string())
        .replace("%s", &rules::human_size(limits.max_bytes, lang == Lang::Pt))
}

#[component]
pub fn AttachmentZone(
    uploads: Uploads,
    limits: AttachmentLimits,
    errors: FormErrors,
) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let dragging = RwSignal::new(false);
    let field_id = Field::Attachments.id();
    let invalid = move || errors.problem(Field::Attachments).is_some();

    // Browser only: check and send each file.
    #[cfg(feature = "hydrate")]
    let add = move |files: Vec<web_sys::File>| {
        errors.set(Field::Attachments, None);
        for file in files {
            let name = file.name();
            let size = file.size() as u64;
            if uploads.active() >= limits.max_files as usize {
                errors.set(
                    Field::Attachments,
                    Some(crate::domain::Problem::TooManyFiles),
                );
                break;
            }
            let checked = rules::file_name(&name)
                .and_then(|name| rules::file_size(size, limits).map(|()| name));
            match checked {
                Ok(_) => {
                    let row = uploads.push(name, size, UploadState::Uploading);
                    browser::send(
                        row,
                        file,
                        lang.get_untracked(),
                        texts.get_untracked().upload_failed,
                    );
                }
                Err(problem) => {
                    uploads.push(
                        name,
                        size,
                        UploadState::Failed(problem.message(lang.get_untracked()).to_owned()),
                    );
                }
            }
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let add = move |_: Vec<()>| {};

    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                add(browser::files(input.files()));
                // Let the same file be chosen again after a removal.
                input.set_value("");
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, add);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        #[cfg(feature = "hydrate")]
        add(browser::files(ev.data_transfer().and_then(|d| d.files())));
    };
    let on_dragover = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    // Files chosen or dropped before this code arrived (`pages::parts::deferred`) are
    // taken as soon as it has.
    let input = NodeRef::<leptos::html::Input>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let mut early = browser::files(input.files());
            early.extend(crate::pages::parts::take_early_files());
            if !early.is_empty() {
                input.set_value("");
                add(early);
            }
        }
    });

    let remove = move |row: UploadRow| {
        #[cfg(feature = "hydrate")]
        browser::cancel(row.key, row.state.get_untracked());
        uploads.drop_row(row.key);
        errors.set(Field::Attachments, None);
    };

    view! {
        <div class="field attachments" class:field-invalid=invalid>
            <div class="field-label">
                <span id="anexos-titulo">{texts.live(|t| t.attachments)}</span>
            </div>
            // Uploading needs the WebAssembly: without it the zone stays hidden and a
            // note says so (style/main.css, `.js-only`).
            <label
                class="dropzone js-only"
                class:dropzone-active=move || dragging.get()
                for=field_id.clone()
                on:dragover=on_dragover
                on:dragenter=on_dragover
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <span class="dropzone-text">{texts.live(|t| t.drop_hint)}</span>
                <span class="field-hint" id="anexos-dica">
                    {move || limits_text(texts.get().attachment_limits, limits, lang.get())}
                </span>
            </label>
            <p class="field-note no-js-only">{texts.live(|t| t.attachments_need_js)}</p>
            // No `name`: files go up one by one with `POST /anexos`; the form sends
            // only the ids of those uploaded (hidden inputs below), also without JS.
            <input
                node_ref=input
                type="file"
                id=field_id
                class="visually-hidden dropzone-input js-only"
                multiple
                accept=rules::accept_attribute()
                aria-describedby="anexos-dica anexos-erro"
                on:change=on_change
            />
            <ul class="upload-list" aria-labelledby="anexos-titulo" aria-live="polite">
                <For each=move || uploads.rows.get() key=|row| row.key let:row>
                    <UploadItem row on_remove=remove />
                </For>
            </ul>
            <p class="field-error" id="anexos-erro" aria-live="polite">
                {move || errors.problem(Field::Attachments).map(|p| p.message(lang.get()))}
            </p>
        </div>
    }
    .into_any()
}

#[component]
fn UploadItem(row: UploadRow, on_remove: impl Fn(UploadRow) + Copy + 'static) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let name = row.name.get_value();
    let size = move || rules::human_size(row.size, lang.get() == Lang::Pt);
    let status = {
        let name = name.clone();
        move || match row.state.get() {
            UploadState::Uploading => view! {
                <progress max="100" value=move || row.progress.get()
                    aria-label=format!("{} {}", texts.get().uploading, name)></progress>
                <span class="upload-percent">{move || format!("{}%", row.progress.get())}</span>
            }
            .into_any(),
            UploadState::Done(_) => {
                view! { <span class="upload-ok">{texts.live(|t| t.uploaded)}</span> }.into_any()
            }
            UploadState::Failed(message) => {
                view! { <span class="upload-error" role="alert">{message}</span> }.into_any()
            }
        }
    };
    let title = {
        let name = name.clone();
        move || match row.state.get() {
            UploadState::Done(id) => view! {
                <a href=format!("/anexos/{id}") download=name.clone()>{name.clone()}</a>
                <input type="hidden" name=Field::Attachments.id() value=id.to_string() />
            }
            .into_any(),
            _ => view! { <span>{name.clone()}</span> }.into_any(),
        }
    };
    let remove_label = move || format!("{} {}", texts.get().remove, name);
    view! {
        <li class="upload" class:upload-failed=move || matches!(row.state.get(), UploadState::Failed(_))>
            <span class="upload-name">{title}</span>
            <span class="upload-size">{size}</span>
            <span class="upload-status">{status}</span>
            <button type="button" class="icon-button js-only" aria-label=remove_label.clone() title=remove_label
                on:click=move |_| on_remove(row)>
                <span aria-hidden="true">"×"</span>
            </button>
        </li>
    }
    .into_any()
}

/// XMLHttpRequest plumbing (browser only). Requests in flight are kept by key with their
/// callbacks, so a removal can abort them; a finished request is dropped on the next tick
/// (not from inside its own callback).
#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{FileList, FormData, ProgressEvent, XmlHttpRequest};

    use super::{UploadRow, UploadState};
    use crate::domain::attachment::AttachmentInfo;
    use crate::error::AppError;
    use crate::i18n::Lang;

    struct InFlight {
        xhr: XmlHttpRequest,
        _progress: Closure<dyn FnMut(ProgressEvent)>,
        _done: Closure<dyn FnMut()>,
    }

    thread_local! {
        static IN_FLIGHT: RefCell<HashMap<u64, InFlight>> = RefCell::new(HashMap::new());
    }

    pub fn files(list: Option<FileList>) -> Vec<web_sys::File> {
        let Some(list) = list else { return Vec::new() };
        (0..list.length()).filter_map(|i| list.get(i)).collect()
    }

    fn forget_later(key: u64) {
        set_timeout(
            move || {
                IN_FLIGHT.with(|map| map.borrow_mut().remove(&key));
            },
            std::time::Duration::ZERO,
        );
    }

    fn outcome(xhr: &XmlHttpRequest, lang: Lang, failed: &str) -> UploadState {
        let status = xhr.status().unwrap_or(0);
        let body = xhr.response_text().ok().flatten().unwrap_or_default();
        // Read from bytes, as server functions read their answers: one deserialiser each.
        if status == 201 {
            if let Ok(info) = serde_json::from_slice::<AttachmentInfo>(body.as_bytes()) {
                return UploadState::Done(info.id);
            }
        }
        match serde_json::from_slice::<AppError>(body.as_bytes()) {
            Ok(err) => {
                UploadState::Failed(match err.field_errors().and_then(|e| e.iter().next()) {
                    Some((_, problem)) => problem.message(lang).to_owned(),
                    None => err.message(lang),
                })
            }
            Err(_) => UploadState::Failed(failed.to_owned()),
        }
    }

    pub fn send(row: UploadRow, file: web_sys::File, lang: Lang, failed: &'static str) {
        let fail = move || row.state.set(UploadState::Failed(failed.to_owned()));
        let (Ok(xhr), Ok(form)) = (XmlHttpRequest::new(), FormData::new()) else {
            return fail();
        };
        if form
            .append_with_blob_and_filename(
                crate::domain::attachment::FILE_FIELD,
                &file,
                &file.name(),
            )
            .is_err()
            || xhr.open_with_async("POST", "/anexos", true).is_err()
        {
            return fail();
        }
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                let percent = (ev.loaded() / ev.total() * 100.0).floor().clamp(0.0, 100.0);
                row.progress.set(percent as u32);
            }
        });
        let done = {
            let xhr = xhr.clone();
            let key = row.key;
            Closure::<dyn FnMut()>::new(move || {
                // readyState 4: finished, with an answer or a network error (status 0).
                if xhr.ready_state() == 4 {
                    row.progress.set(100);
                    row.state.set(outcome(&xhr, lang, failed));
                    forget_later(key);
                }
            })
        };
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        xhr.set_onreadystatechange(Some(done.as_ref().unchecked_ref()));
        if xhr.send_with_opt_form_data(Some(&form)).is_err() {
            return fail();
        }
        IN_FLIGHT.with(|map| {
            map.borrow_mut().insert(
                row.key,
                InFlight {
                    xhr,
                    _progress: progress,
                    _done: done,
                },
            )
        });
    }

    /// Stops an upload in flight, or asks the server to drop a finished one.
    pub fn cancel(key: u64, state: UploadState) {
        if let Some(flight) = IN_FLIGHT.with(|map| map.borrow_mut().remove(&key)) {
            flight.xhr.set_onreadystatechange(None);
            if let Ok(upload) = flight.xhr.upload() {
                upload.set_onprogress(None);
            }
            let _ = flight.xhr.abort();
        }
        if let UploadState::Done(id) = state {
            if let Ok(xhr) = XmlHttpRequest::new() {
                if xhr
                    .open_with_async("DELETE", &format!("/anexos/{id}"), true)
                    .is_ok()
                {
                    let _ = xhr.send();
                }
            }
        }
    }
}
