//! `/staff/updates`: staff write work updates for the places of their role (city staff also for
//! the whole city), keep them as drafts, publish and unpublish them, and read each one's edit
//! history. An edit names the version it started from: a save on top of someone else's is
//! refused (409), never silently overwritten.
use crate::components::Loaded;
use crate::components::PageTitle;
use crate::components::error_text;
use crate::components::form::*;
use crate::components::list_or;
use crate::components::punct::paren;
use crate::{
    components::ErrorMessage,
    error::AppError,
    i18n::*,
    model::{codes::*, transparency::*},
};
use chrono::NaiveDate;
use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// Staff: updates

/// The staff updates desk: the updates the asking editor manages, the places they may tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateDesk {
    pub updates: Vec<StaffUpdate>,
    /// (code, label) of every place the editor may tag; the whole city first for city staff.
    pub places: Vec<(String, String)>,
    pub city_wide: bool,
    pub today: NaiveDate,
}

/// The updates desk of the asking editor.
#[server(endpoint = "staff/update_desk")]
pub async fn load_update_desk() -> Result<UpdateDesk, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let (_, db, range) = editor().await?;
        let mut places = Vec::new();
        for t in places::places(&db).await?.iter() {
            if covers(&range, Some(&t.code)) {
                places.push((t.code.clone(), t.name.clone()));
            }
            for (v, vn) in &t.villages {
                if covers(&range, Some(v)) {
                    places.push((v.clone(), format!("{} · {vn}", t.name)));
                }
            }
        }
        Ok(UpdateDesk {
            updates: updates::staff_updates(&db, &range).await?,
            places,
            city_wide: range.is_none(),
            today: clock::today(),
        })
    })
    .await
}

/// Saves an update (new: a draft) within the editor's places; an edit names its version (409
/// when someone saved in between). Returns (id, version).
#[server(endpoint = "staff/save_update", input = Json)]
pub async fn save_update(form: UpdateForm) -> Result<(i64, i64), AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let (staff, db, range) = editor().await?;
        let mut f = form;
        f.place_code = f.place_code.filter(|p| !p.trim().is_empty());
        AppError::from_fields(&update_form(&f, clock::today()))?;
        if !covers(&range, f.place_code.as_deref()) {
            return Err(AppError::Forbidden);
        }
        if let Some(id) = f.id {
            let stored = updates::staff_update_by_id(&db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !covers(&range, stored.form.place_code.as_deref()) {
                return Err(AppError::NotFound);
            }
        }
        updates::save_update(&db, &f, &staff.username)
            .await?
            .written()
    })
    .await
}

/// Publishes or unpublishes an update on top of its version; returns the new version.
#[server(endpoint = "staff/update_state")]
pub async fn change_update_state(
    id: i64,
    version: i64,
    state: UpdateState,
) -> Result<i64, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let (staff, db, range) = editor().await?;
        let stored = updates::staff_update_by_id(&db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !covers(&range, stored.form.place_code.as_deref()) {
            return Err(AppError::NotFound);
        }
        let (_, version) = updates::set_update_state(&db, id, version, state, &staff.username)
            .await?
            .written()?;
        Ok(version)
    })
    .await
}

/// Every saved version of an update the editor manages.
#[server(endpoint = "staff/update_history")]
pub async fn update_history(id: i64) -> Result<Vec<UpdateRevision>, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let (_, db, range) = editor().await?;
        let stored = updates::staff_update_by_id(&db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !covers(&range, stored.form.place_code.as_deref()) {
            return Err(AppError::NotFound);
        }
        Ok(updates::revisions(&db, id).await?)
    })
    .await
}

#[component]
pub fn StaffUpdatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let desk = Resource::new(move || refresh.get(), |_| load_update_desk());
    view! {
        <PageTitle text=move || t_string!(i18n, staff_update.title).to_string() />
        <nav class="crumbs"><a href="/staff">{t!(i18n, login.staff_home)}</a></nav>
        <h1 class="page-title">{t!(i18n, staff_update.title)}</h1>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                desk.loaded()
                    .map(|r| match r {
                        Ok(d) => view! { <Desk d refresh /> }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

fn blank(today: NaiveDate) -> UpdateForm {
    UpdateForm {
        happened_on: Some(today),
        version: 1,
        ..UpdateForm::default()
    }
}

#[component]
fn Desk(d: UpdateDesk, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let today = d.today;
    let form = RwSignal::new(blank(today));
    view! {
        <Editor form today places=d.places city_wide=d.city_wide refresh />
        <section aria-labelledby="list-h">
            <h2 id="list-h">{t!(i18n, staff_update.list)}</h2>
            {list_or(d.updates.is_empty(), t!(i18n, updates.none), || view! {
                <ul class="staff-updates">
                    {d.updates.into_iter().map(|u| view! { <Item u form refresh /> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn Editor(
    form: RwSignal<UpdateForm>,
    today: NaiveDate,
    places: Vec<(String, String)>,
    city_wide: bool,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let errors = Memo::new(move |_| form.with(|f| update_form(f, today)));
    let checks = Checks::new(errors);
    let save = ServerAction::<SaveUpdate>::new();
    let saved = RwSignal::new(false);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            saved.set(true);
            form.set(blank(today));
            refresh.update(|n| *n += 1);
        }
        Some(Err(e)) => {
            checks.server_error(&e);
        }
        None => {}
    });
    let failure = move || {
        save.value()
            .get()
            .and_then(Result::err)
            .filter(|e| checks.unplaced(e))
            .map(|e| error_text(i18n, &e))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        if checks.submit() {
            save.dispatch(SaveUpdate {
                form: form.get_untracked(),
            });
        }
    };
    let first_place = (!city_wide)
        .then(|| places.first().map(|(c, _)| c.clone()))
        .flatten();
    if form.with_untracked(|f| f.id.is_none() && f.place_code.is_none()) {
        form.update(|f| f.place_code = first_place.clone());
    }
    view! {
        <section aria-labelledby="edit-h">
            <h2 id="edit-h">
                {move || if form.with(|f| f.id.is_some()) {
                    t_string!(i18n, staff_update.edit).to_string()
                } else {
                    t_string!(i18n, staff_update.new).to_string()
                }}
            </h2>
            <form class="update-form" on:submit=submit>
                <Field
                    label=Signal::derive(move || t_string!(i18n, staff_update.title_field).to_string())
                    path="title"
                    value=Signal::derive(move || form.with(|f| f.title.clone()))
                    set=Callback::new(move |v: String| form.update(|f| f.title = v))
                    checks
                />
                <label class="field">
                    <span class="label">{t!(i18n, staff_update.body)}</span>
                    <textarea name="body" rows="6" prop:value=move || form.with(|f| f.body.clone())
                        on:input=move |ev| { checks.touch("body"); form.update(|f| f.body = event_target_value(&ev)); }></textarea>
                    <FieldError checks path="body" />
                </label>
                <div class="row">
                    <Field
                        label=Signal::derive(move || t_string!(i18n, staff_update.date).to_string())
                        path="happened_on"
                        kind="date"
                        value=Signal::derive(move || form.with(|f| date_text(f.happened_on)))
                        set=Callback::new(move |v: String| form.update(|f| f.happened_on = date(&v)))
                        checks
                    />
                    <label class="field">
                        <span class="label">{t!(i18n, staff_update.place)}</span>
                        <select name="place_code" on:change=move |ev| {
                            checks.touch("place_code");
                            let v = event_target_value(&ev);
                            form.update(|f| f.place_code = (!v.is_empty()).then_some(v));
                        }>
                            {city_wide.then(|| view! {
                                <option value="" selected=move || form.with(|f| f.place_code.is_none())>{t!(i18n, updates.city_wide)}</option>
                            })}
                            {places.into_iter().map(|(code, label)| {
                                let c = code.clone();
                                view! { <option value=code selected=move || form.with(|f| f.place_code.as_deref() == Some(c.as_str()))>{label}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError checks path="place_code" />
                    </label>
                    <CodeSelect
                        label=Signal::derive(move || t_string!(i18n, staff_update.measures).to_string())
                        path="measure_category"
                        value=Signal::derive(move || form.with(|f| f.measure_category))
                        set=Callback::new(move |v: Option<MeasureCategory>| form.update(|f| f.measure_category = v))
                        checks
                        optional=true
                    />
                </div>
                <p class="muted">{t!(i18n, staff_update.privacy)}</p>
                <button type="submit" class="save-update" disabled=move || save.pending().get()>{t!(i18n, staff_update.save)}</button>
                {move || form.with(|f| f.id.is_some()).then(|| view! {
                    " " <button type="button" on:click=move |_| form.set(blank(today))>{t!(i18n, staff_update.cancel)}</button>
                })}
                {move || saved.get().then(|| view! { <p class="notice-ok" role="status">{t!(i18n, staff_update.saved)}</p> })}
                <p class="field-error" role="alert">{failure}</p>
            </form>
        </section>
    }
}

#[component]
fn Item(u: StaffUpdate, form: RwSignal<UpdateForm>, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let state = u.state;
    let id = u.form.id.unwrap_or_default();
    let version = u.form.version;
    let change = ServerAction::<ChangeUpdateState>::new();
    Effect::new(move |_| {
        if matches!(change.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
    let history = ServerAction::<UpdateHistory>::new();
    let edit = u.form.clone();
    let target = if state == UpdateState::Published {
        UpdateState::Unpublished
    } else {
        UpdateState::Published
    };
    view! {
        <li class="staff-update" data-update=id.to_string()>
            <p>
                <strong>{u.form.title.clone()}</strong> " "
                <span class=format!("badge update-{}", state.as_str())>{move || state.label(i18n.get_locale())}</span>
            </p>
            <p class="muted">
                {u.form.happened_on.map(|d| d.to_string())} " · "
                {u.place_name.clone().unwrap_or_else(|| t_string!(i18n, updates.city_wide).to_string())} " · "
                {u.author.clone()} " · " {u.updated_at.clone()} " · v" {version}
            </p>
            <button type="button" class="edit" on:click=move |_| form.set(edit.clone())>{t!(i18n, staff_update.edit)}</button>
            " "
            <button type="button" class="toggle-state" disabled=move || change.pending().get()
                on:click=move |_| { change.dispatch(ChangeUpdateState { id, version, state: target }); }>
                {if target == UpdateState::Published {
                    t_string!(i18n, staff_update.publish).to_string()
                } else {
                    t_string!(i18n, staff_update.unpublish).to_string()
                }}
            </button>
            " "
            {(state == UpdateState::Published).then(|| view! { <a href=format!("/updates/{id}")>{t!(i18n, staff_update.view)}</a> " " })}
            <button type="button" class="history" on:click=move |_| { history.dispatch(UpdateHistory { id }); }>
                {t!(i18n, staff_update.history)}
            </button>
            <span class="field-error" role="alert">
                {move || change.value().get().and_then(Result::err).map(|e| error_text(i18n, &e))}
            </span>
            {move || history.value().get().map(|r| match r {
                Ok(revs) => view! {
                    <ol class="revisions">
                        {revs.into_iter().map(|r| view! {
                            <li>
                                <p class="muted">{format!("v{} · {} · {}", r.version, r.edited_by, r.edited_at)}</p>
                                <p><strong>{r.title}</strong> {move || paren(i18n.get_locale(), &r.happened_on.to_string())}</p>
                                <p>{r.body}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
                Err(e) => view! { <p class="field-error">{error_text(i18n, &e)}</p> }.into_any(),
            })}
        </li>
    }
}
