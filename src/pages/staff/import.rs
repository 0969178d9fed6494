//! `/staff/import`: download the template, upload a file, read the dry run's report, confirm,
//! follow the progress, see the result.
use crate::components::PageTitle;
use crate::components::import_message;
use crate::components::punct::colon;
use crate::{
    components::ErrorMessage,
    error::AppError,
    i18n::*,
    model::transfer::{Col, Counts, ImportProgress, ImportReport, RowError},
};
use leptos::prelude::*;

/// Starts the import of a checked upload (refused while its dry run found errors). The import
/// runs in the background, in one transaction; follow it with [`follow_import`].
#[server(endpoint = "staff/import/confirm")]
pub async fn confirm_import(token: String) -> Result<(), AppError> {
    use crate::server::{
        auth, respond,
        state::db,
        transfer::{
            import::{self, Outcome},
            jobs::{self, Refusal},
        },
    };
    respond(async move {
        let staff = auth::require_staff().await?;
        auth::require_editor(&staff)?;
        let db = db()?;
        let (name, bytes) = jobs::start(&token, staff.id).map_err(|r| match r {
            Refusal::Unknown => AppError::NotFound,
            Refusal::Started => AppError::invalid("import_started"),
        })?;
        let scope = auth::scope(&staff);
        tokio::spawn(async move {
            let t = token.clone();
            let progress = move |p: ImportProgress| jobs::report(&t, p);
            let end = match import::run(&db, &scope, &staff.username, &name, bytes, &progress).await
            {
                Ok(Outcome::Done(counts)) => ImportProgress::Done(counts),
                Ok(Outcome::Failed { reason, errors }) => ImportProgress::Failed { reason, errors },
                Err(err) => {
                    tracing::error!(error = %err, "import rolled back");
                    ImportProgress::Failed {
                        reason: "internal".into(),
                        errors: Vec::new(),
                    }
                }
            };
            jobs::report(&token, end);
        });
        Ok(())
    })
    .await
}

/// How the confirmed import of `token` stands (its owner only).
#[server(endpoint = "staff/import/progress")]
pub async fn follow_import(token: String) -> Result<ImportProgress, AppError> {
    use crate::server::{auth, respond, transfer::jobs};
    respond(async move {
        let staff = auth::require_staff().await?;
        jobs::progress(&token, staff.id).ok_or(AppError::NotFound)
    })
    .await
}

/// A column's header in the current language.
fn col_name(i18n: leptos_i18n::I18nContext<Locale>, col: Option<Col>) -> String {
    match col {
        Some(c) if i18n.get_locale() == Locale::en => c.en().to_string(),
        Some(c) => c.zh().to_string(),
        None => String::new(),
    }
}

/// Sends the chosen file as the request body and reads the dry run's report.
#[cfg(feature = "hydrate")]
async fn send_file(file: web_sys::File) -> Result<ImportReport, AppError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |_| AppError::Request("upload".into());
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&file);
    let name: String = js_sys::encode_uri_component(&file.name()).into();
    let window = web_sys::window().ok_or(AppError::Request("window".into()))?;
    let resp: web_sys::Response = JsFuture::from(
        window.fetch_with_str_and_init(&format!("/api/staff/import?name={name}"), &init),
    )
    .await
    .map_err(failed)?
    .dyn_into()
    .map_err(failed)?;
    let text = JsFuture::from(resp.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    if resp.ok() {
        serde_json::from_str(&text).map_err(|e| AppError::Request(e.to_string()))
    } else {
        Err(serde_json::from_str(&text).unwrap_or(AppError::Request(text)))
    }
}

#[cfg(feature = "hydrate")]
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let checking = RwSignal::new(false);
    let report = RwSignal::new(None::<Result<ImportReport, AppError>>);
    let progress = RwSignal::new(None::<Result<ImportProgress, AppError>>);
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = file_input
                .get()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            checking.set(true);
            report.set(None);
            progress.set(None);
            leptos::task::spawn_local(async move {
                report.set(Some(send_file(file).await));
                checking.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file_input, checking, report, progress);
    };
    let confirm = move |token: String| {
        progress.set(Some(Ok(ImportProgress::Checking)));
        leptos::task::spawn_local(async move {
            if let Err(e) = confirm_import(token.clone()).await {
                progress.set(Some(Err(e)));
            } else {
                #[cfg(feature = "hydrate")]
                loop {
                    sleep(300).await;
                    let p = follow_import(token.clone()).await;
                    let finished = !matches!(
                        p,
                        Ok(ImportProgress::Checking | ImportProgress::Writing { .. })
                    );
                    progress.set(Some(p));
                    if finished {
                        break;
                    }
                }
            }
        });
    };
    let en = move || i18n.get_locale() == Locale::en;
    view! {
        <PageTitle text=move || t_string!(i18n, import.title).to_string() />
        <h1 class="page-title">{t!(i18n, import.title)}</h1>
        <p class="intro">{t!(i18n, import.intro)}</p>
        <section class="panel">
            <h2>{t!(i18n, import.template)}</h2>
            <ul class="downloads">
                <li><a href="/import/template.xlsx" download>{t!(i18n, import.template_xlsx)}</a></li>
                <li><a href="/import/template.csv" download>{t!(i18n, import.template_csv)}</a></li>
            </ul>
            <details class="columns">
                <summary>{t!(i18n, import.columns)}</summary>
                <table class="data">
                    <thead><tr>
                        <th>{t!(i18n, import.col_zh)}</th>
                        <th>{t!(i18n, import.col_en)}</th>
                        <th>{t!(i18n, import.required)}</th>
                        <th>{t!(i18n, import.values)}</th>
                    </tr></thead>
                    <tbody>
                        {Col::ALL.iter().map(|&c| view! {
                            <tr>
                                <td>{c.zh()}</td>
                                <td>{c.en()}</td>
                                <td>{c.required().then_some("✓")}</td>
                                <td>{move || c.note(en())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
        <section class="panel">
            <form class="upload" on:submit=check>
                <label>
                    {t!(i18n, import.file)}
                    <input type="file" name="file" accept=".csv,.txt,.xlsx,.xls" node_ref=file_input required />
                </label>
                <button type="submit" disabled=move || checking.get()>
                    {move || if checking.get() { t_string!(i18n, import.checking) } else { t_string!(i18n, import.check) }}
                </button>
                <noscript><p class="hint">{t!(i18n, import.no_js)}</p></noscript>
            </form>
            {move || report.get().map(|r| match r {
                Ok(r) => view! { <Report report=r progress confirm /> }.into_any(),
                Err(error) => view! { <ErrorMessage error /> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Report(
    report: ImportReport,
    progress: RwSignal<Option<Result<ImportProgress, AppError>>>,
    confirm: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let ImportReport {
        file_name,
        format,
        rows,
        counts,
        errors,
        more_errors,
        ignored_columns,
        token,
        ..
    } = report;
    let has_errors = !errors.is_empty();
    let n = errors.len() + more_errors as usize;
    view! {
        <div class="import-report" data-errors=n>
            <h2>{t!(i18n, import.report)} " · " {file_name}</h2>
            <p class="facts">
                {t!(i18n, import.format)} {move || colon(i18n.get_locale())} {format} " · " {t!(i18n, import.rows)} {move || colon(i18n.get_locale())} {rows}
            </p>
            <CountsTable counts />
            {(!ignored_columns.is_empty()).then(|| view! {
                <p class="hint">{t!(i18n, import.ignored)} {ignored_columns.join("、")}</p>
            })}
            {if has_errors {
                view! {
                    <p class="error-summary" role="alert">{t!(i18n, import.errors_title, n = move || n)}</p>
                    <ErrorTable errors />
                    {(more_errors > 0).then(|| view! { <p>{t!(i18n, import.more_errors, n = move || more_errors)}</p> })}
                }.into_any()
            } else {
                let token = token.unwrap_or_default();
                view! {
                    <p class="ok">{t!(i18n, import.no_errors)}</p>
                    <button type="button" class="confirm-import"
                        disabled=move || progress.get().is_some()
                        on:click=move |_| confirm(token.clone())>
                        {t!(i18n, import.confirm)}
                    </button>
                    <ProgressView progress />
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn CountsTable(counts: Counts) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="data counts">
            <thead><tr>
                <th></th>
                <th>{t!(i18n, import.new)}</th>
                <th>{t!(i18n, import.updated)}</th>
                <th>{t!(i18n, import.unchanged)}</th>
            </tr></thead>
            <tbody>
                <tr class="households">
                    <th>{t!(i18n, import.households)}</th>
                    <td>{counts.households_new}</td>
                    <td>{counts.households_updated}</td>
                    <td>{counts.households_unchanged}</td>
                </tr>
                <tr class="members">
                    <th>{t!(i18n, import.members)}</th>
                    <td>{counts.members_new}</td>
                    <td>{counts.members_updated}</td>
                    <td>{counts.members_unchanged}</td>
                </tr>
                <tr class="assistance">
                    <th>{t!(i18n, import.assistance)}</th>
                    <td>{counts.assistance_new}</td>
                    <td>"—"</td>
                    <td>"—"</td>
                </tr>
            </tbody>
        </table>
    }
}

#[component]
fn ErrorTable(errors: Vec<RowError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="data row-errors">
            <thead><tr>
                <th>{t!(i18n, import.row)}</th>
                <th>{t!(i18n, import.column)}</th>
                <th>{t!(i18n, import.value)}</th>
                <th>{t!(i18n, import.problem)}</th>
            </tr></thead>
            <tbody>
                {errors.into_iter().map(|e| {
                    let code = e.code.clone();
                    let col = e.col;
                    view! {
                        <tr data-row=e.row data-code=e.code.clone()>
                            <td>{move || if e.row == 0 { t_string!(i18n, import.whole_file).to_string() } else { e.row.to_string() }}</td>
                            <td>{move || col_name(i18n, col)}</td>
                            <td>{e.value.clone()}</td>
                            <td>{move || import_message(i18n, &code)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ProgressView(progress: RwSignal<Option<Result<ImportProgress, AppError>>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        progress.get().map(|p| match p {
            Ok(ImportProgress::Checking) => view! {
                <p class="import-progress" role="status">
                    <progress></progress> " " {t!(i18n, import.progress_checking)}
                </p>
            }
            .into_any(),
            Ok(ImportProgress::Writing { done, total }) => view! {
                <p class="import-progress" role="status">
                    <progress value=done max=total.max(1)></progress> " "
                    {t!(i18n, import.progress_writing, done = move || done, total = move || total)}
                </p>
            }
            .into_any(),
            Ok(ImportProgress::Done(c)) => view! {
                <p class="import-done ok" role="status">
                    {t!(i18n, import.done, new = move || c.households_new, updated = move || c.households_updated, unchanged = move || c.households_unchanged)}
                </p>
                <CountsTable counts=c />
                <p><a href="/staff/import">{t!(i18n, import.again)}</a> " · " <a href="/staff">{t!(i18n, login.staff_home)}</a></p>
            }
            .into_any(),
            Ok(ImportProgress::Failed { reason, errors }) => view! {
                <p class="import-failed error-summary" role="alert">
                    {t!(i18n, import.failed)} " " {move || import_message(i18n, &reason)}
                </p>
                {(!errors.is_empty()).then(|| view! { <ErrorTable errors /> })}
            }
            .into_any(),
            Err(error) => view! { <ErrorMessage error /> }.into_any(),
        })
    }
}
