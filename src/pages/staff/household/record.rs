//! The household record form: household fields, causes, housing and every member, checked as the
//! user types by the same rules the server runs again (`model::validate::household`). Used to
//! edit a record (`/staff/household/:id`) and to add one (`/staff/household/new`).
use super::api::{CreateHousehold, SaveHousehold};
use crate::components::form::*;
use crate::{
    components::ErrorMessage,
    error::AppError,
    i18n::*,
    model::{
        codes::*,
        id_number,
        registry::{Household, Housing, Member},
        staff::VillageOption,
        validate,
    },
};
use chrono::NaiveDate;
use leptos::prelude::*;

mod members;

use members::MemberFields;

/// Edit an existing record, or add a new one to one of these villages.
#[derive(Clone)]
pub enum Mode {
    Edit,
    New(Vec<VillageOption>),
}

/// A fresh record: one householder to fill in, a safe brick house, identified today.
pub fn blank_household(village_code: String, today: NaiveDate) -> Household {
    Household {
        members: vec![Member::blank(Relation::Head, today)],
        housing: Some(Housing {
            structure: Structure::BrickConcrete,
            area_m2: 80.0,
            built_year: None,
            danger_grade: Some(DangerGrade::A),
            renovated_on: None,
            relocated: false,
            relocated_on: None,
        }),
        ..Household::blank(village_code, today)
    }
}

/// The record as the browser checks it: a stored ID number it only sees masked is taken as it
/// is (the server checks the real one).
fn checkable(h: &Household, masked: &[(i64, String)]) -> Household {
    let mut h = h.clone();
    for m in &mut h.members {
        let unchanged = masked
            .iter()
            .any(|(id, shown)| Some(*id) == m.id && m.id_number.as_deref() == Some(shown));
        if unchanged {
            m.id_number = None;
            m.disability_cert = Some("*".into());
        }
    }
    h
}

#[component]
pub fn RecordForm(
    household: Household,
    today: NaiveDate,
    mode: Mode,
    /// Called with the new version (edit) or the new household's number (new).
    on_saved: Callback<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let masked: Vec<(i64, String)> = household
        .members
        .iter()
        .filter_map(|m| Some((m.id?, m.id_number.clone()?)))
        .collect();
    let draft = RwSignal::new(household);
    let errors =
        Memo::new(move |_| draft.with(|h| validate::household(&checkable(h, &masked), today)));
    let checks = Checks::new(errors);
    let save = ServerAction::<SaveHousehold>::new();
    let create = ServerAction::<CreateHousehold>::new();
    let is_new = matches!(mode, Mode::New(_));
    let outcome = Memo::new(move |_| {
        if is_new {
            create.value().get()
        } else {
            save.value().get()
        }
    });
    Effect::new(move |_| match outcome.get() {
        Some(Ok(n)) => on_saved.run(n),
        Some(Err(e)) => {
            checks.server_error(&e);
        }
        None => {}
    });
    let pending = move || save.pending().get() || create.pending().get();

    // Setters for the household's own fields.
    let text = move |f: fn(&Household) -> String| Signal::derive(move || draft.with(f));
    let set = move |f: fn(&mut Household, String)| {
        Callback::new(move |v: String| draft.update(|h| f(h, v)))
    };
    let slot = move |k: usize| Signal::derive(move || draft.with(|h| h.causes.get(k).copied()));
    let set_slot = move |k: usize| {
        Callback::new(move |c: Option<PovertyCause>| {
            draft.update(|h| {
                let mut slots: [Option<PovertyCause>; 3] =
                    std::array::from_fn(|i| h.causes.get(i).copied());
                slots[k] = c;
                // No main cause means no causes at all (the rule asks for the main one).
                h.causes = if slots[0].is_none() {
                    Vec::new()
                } else {
                    slots.into_iter().flatten().collect()
                };
            })
        })
    };
    let housing = move |f: fn(&Housing) -> String| {
        Signal::derive(move || draft.with(|h| h.housing.as_ref().map(f).unwrap_or_default()))
    };
    let set_housing = move |f: fn(&mut Housing, String)| {
        Callback::new(move |v: String| {
            draft.update(|h| {
                if let Some(hs) = h.housing.as_mut() {
                    f(hs, v)
                }
            })
        })
    };
    let count = Memo::new(move |_| draft.with(|h| h.members.len()));
    let label = move |s: &'static str| Signal::derive(move || form_label(i18n, s));

    let village_select = match &mode {
        Mode::New(villages) => {
            let villages = villages.clone();
            let only = villages.len() == 1;
            Some(view! {
                <label class="field">
                    <span class="label">{t!(i18n, form.village)}</span>
                    <select
                        name="village_code"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|h| h.village_code = v);
                        }
                    >
                        {(!only).then(|| view! { <option value="">{t!(i18n, form.choose_village)}</option> })}
                        {villages
                            .into_iter()
                            .map(|v| {
                                let code = v.code.clone();
                                view! {
                                    <option value=v.code.clone() selected=move || draft.with(|h| h.village_code == code)>
                                        {format!("{} · {}", v.township, v.name)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldError checks path="village_code" />
                </label>
            })
        }
        Mode::Edit => None,
    };

    view! {
        <form
            class="record"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                // Nothing is sent while a rule fails: every message is now beside its field.
                if !checks.submit() || pending() {
                    return;
                }
                let household = draft.get_untracked();
                if is_new {
                    if household.village_code.is_empty() {
                        checks.server_error(&AppError::field("village_code", "required"));
                        return;
                    }
                    create.dispatch(CreateHousehold { household });
                } else {
                    save.dispatch(SaveHousehold { household });
                }
            }
        >
            <fieldset>
                <legend>{t!(i18n, form.household)}</legend>
                <div class="grid">
                    {village_select}
                    {is_new.then(|| view! {
                        <label class="check ordinary">
                            <input type="checkbox" name="ordinary" on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|h| {
                                    h.status = if on { Status::Ordinary } else { Status::Poor };
                                    if on {
                                        h.causes.clear();
                                    }
                                });
                            } />
                            {t!(i18n, form.ordinary)}
                        </label>
                    })}
                    <Field label=label("group_no") path="group_no" kind="number" checks
                        value=text(|h| h.group_no.map(|g| g.to_string()).unwrap_or_default())
                        set=set(|h, v| h.group_no = opt_int(&v)) />
                    <Field label=Signal::derive(move || t_string!(i18n, staffhh.address).to_string())
                        path="address" checks value=text(|h| h.address.clone())
                        set=set(|h, v| h.address = v) />
                    <Field label=Signal::derive(move || t_string!(i18n, staffhh.phone).to_string())
                        path="phone" kind="tel" inputmode="tel" checks
                        value=text(|h| h.phone.clone().unwrap_or_default())
                        set=set(|h, v| h.phone = opt(v)) />
                    <Field label=label("bank_name") path="bank_name" checks
                        value=text(|h| h.bank_name.clone().unwrap_or_default())
                        set=set(|h, v| h.bank_name = opt(v)) />
                    <Field label=label("bank_account") path="bank_account" inputmode="numeric" checks
                        value=text(|h| h.bank_account.clone().unwrap_or_default())
                        set=set(|h, v| h.bank_account = opt(v)) />
                    // The register's own fields: an ordinary household (一般农户) was never
                    // registered, so it has no standard, attribute or causes to show or enter.
                    <Show when=move || draft.with(|h| h.status != Status::Ordinary)>
                        <CodeSelect label=label("standard") path="standard" checks
                            value=Signal::derive(move || draft.with(|h| Some(h.standard)))
                            set=Callback::new(move |v: Option<Standard>| if let Some(v) = v { draft.update(|h| h.standard = v) }) />
                        <CodeSelect label=label("attribute") path="attribute" checks
                            value=Signal::derive(move || draft.with(|h| Some(h.attribute)))
                            set=Callback::new(move |v: Option<Attribute>| if let Some(v) = v { draft.update(|h| h.attribute = v) }) />
                    </Show>
                </div>
                <Show when=move || draft.with(|h| h.status != Status::Ordinary)>
                    <div class="grid causes">
                        <CodeSelect label=label("main_cause") path="causes" checks optional=true
                            value=slot(0) set=set_slot(0) />
                        <CodeSelect label=label("other_cause") path="causes.1" checks optional=true
                            value=slot(1) set=set_slot(1) />
                        <CodeSelect label=label("other_cause") path="causes.2" checks optional=true
                            value=slot(2) set=set_slot(2) />
                    </div>
                </Show>
                <div class="checks">
                    <Check label=label("electricity") name="has_electricity"
                        value=Signal::derive(move || draft.with(|h| h.has_electricity))
                        set=Callback::new(move |v| draft.update(|h| h.has_electricity = v)) />
                    <Check label=label("water") name="has_safe_water"
                        value=Signal::derive(move || draft.with(|h| h.has_safe_water))
                        set=Callback::new(move |v| draft.update(|h| h.has_safe_water = v)) />
                    <Check label=label("road") name="has_road_access"
                        value=Signal::derive(move || draft.with(|h| h.has_road_access))
                        set=Callback::new(move |v| draft.update(|h| h.has_road_access = v)) />
                </div>
            </fieldset>
            {move || draft.with(|h| h.housing.is_some()).then(|| view! {
                <fieldset>
                    <legend>{t!(i18n, form.housing)}</legend>
                    <div class="grid">
                        <CodeSelect label=label("structure") path="housing.structure" checks
                            value=Signal::derive(move || draft.with(|h| h.housing.as_ref().map(|x| x.structure)))
                            set=Callback::new(move |v: Option<Structure>| if let Some(v) = v {
                                draft.update(|h| if let Some(x) = h.housing.as_mut() { x.structure = v })
                            }) />
                        <Field label=label("area") path="housing.area_m2" kind="number" checks
                            value=housing(|x| x.area_m2.to_string())
                            set=set_housing(|x, v| x.area_m2 = v.trim().parse().unwrap_or(-1.0)) />
                        <Field label=label("built_year") path="housing.built_year" kind="number" checks
                            value=housing(|x| x.built_year.map(|y| y.to_string()).unwrap_or_default())
                            set=set_housing(|x, v| x.built_year = opt_int(&v)) />
                        <CodeSelect label=label("danger_grade") path="housing.danger_grade" checks optional=true
                            value=Signal::derive(move || draft.with(|h| h.housing.as_ref().and_then(|x| x.danger_grade)))
                            set=Callback::new(move |v: Option<DangerGrade>| {
                                draft.update(|h| if let Some(x) = h.housing.as_mut() { x.danger_grade = v })
                            }) />
                        <Field label=label("renovated_on") path="housing.renovated_on" kind="date" checks
                            value=housing(|x| date_text(x.renovated_on))
                            set=set_housing(|x, v| x.renovated_on = date(&v)) />
                        <Field label=label("relocated_on") path="housing.relocated_on" kind="date" checks
                            value=housing(|x| date_text(x.relocated_on))
                            set=set_housing(|x, v| {
                                x.relocated_on = date(&v);
                                x.relocated = x.relocated_on.is_some();
                            }) />
                    </div>
                </fieldset>
            })}
            <fieldset class="members">
                <legend>{t!(i18n, form.members)}</legend>
                <FieldError checks path="members" />
                {move || (0..count.get()).map(|i| view! { <MemberFields i draft checks /> }).collect_view()}
                <button type="button" class="add-member" on:click=move |_| {
                    draft.update(|h| h.members.push(Member::blank(Relation::Child, today)));
                }>{t!(i18n, form.add_member)}</button>
            </fieldset>
            <div class="actions">
                <button type="submit" class="primary" disabled=pending>
                    {move || if is_new { t_string!(i18n, form.create) } else { t_string!(i18n, staffhh.save) }}
                </button>
                {move || {
                    outcome.get().and_then(Result::err).filter(|e| !matches!(e, AppError::Field { .. })).map(|error| {
                        let stale = matches!(error, AppError::StaleEdit { .. });
                        let href = draft.with_untracked(|h| format!("/staff/household/{}", h.id.unwrap_or_default()));
                        view! {
                            <ErrorMessage error />
                            {stale.then(|| view! { <a class="reload" href=href rel="external">{t!(i18n, staffhh.reload)}</a> })}
                        }
                    })
                }}
                {move || {
                    outcome.get().and_then(Result::err).filter(|e| matches!(e, AppError::Field { .. })).map(|error| view! { <ErrorMessage error /> })
                }}
            </div>
        </form>
    }
}

/// Optional text: empty is `None`.
fn opt(v: String) -> Option<String> {
    let t = v.trim().to_string();
    (!t.is_empty()).then_some(t)
}

/// The label of a form field in the current language (one table for every staff form).
pub fn form_label(i18n: leptos_i18n::I18nContext<Locale>, key: &str) -> String {
    let s = match key {
        "group_no" => t_string!(i18n, form.group_no),
        "bank_name" => t_string!(i18n, form.bank_name),
        "bank_account" => t_string!(i18n, form.bank_account),
        "standard" => t_string!(i18n, form.standard),
        "attribute" => t_string!(i18n, form.attribute),
        "main_cause" => t_string!(i18n, form.main_cause),
        "other_cause" => t_string!(i18n, form.other_cause),
        "electricity" => t_string!(i18n, form.electricity),
        "water" => t_string!(i18n, form.water),
        "road" => t_string!(i18n, form.road),
        "structure" => t_string!(i18n, form.structure),
        "area" => t_string!(i18n, form.area),
        "built_year" => t_string!(i18n, form.built_year),
        "danger_grade" => t_string!(i18n, form.danger_grade),
        "renovated_on" => t_string!(i18n, form.renovated_on),
        "relocated_on" => t_string!(i18n, form.relocated_on),
        "name" => t_string!(i18n, form.name),
        "relation" => t_string!(i18n, form.relation),
        "sex" => t_string!(i18n, form.sex),
        "id_number" => t_string!(i18n, form.id_number),
        "disability_cert" => t_string!(i18n, form.disability_cert),
        "birth_date" => t_string!(i18n, form.birth_date),
        "ethnicity" => t_string!(i18n, form.ethnicity),
        "education" => t_string!(i18n, form.education),
        "student_status" => t_string!(i18n, form.student_status),
        "health" => t_string!(i18n, form.health),
        "labour" => t_string!(i18n, form.labour),
        "migrant_months" => t_string!(i18n, form.migrant_months),
        "medical_insured" => t_string!(i18n, form.medical_insured),
        "pension_insured" => t_string!(i18n, form.pension_insured),
        "left" => t_string!(i18n, form.left),
        "year" => t_string!(i18n, form.year),
        "persons" => t_string!(i18n, form.persons),
        "wages" => t_string!(i18n, form.wages),
        "business" => t_string!(i18n, form.business),
        "transfer" => t_string!(i18n, form.transfer),
        "property" => t_string!(i18n, form.property),
        "costs" => t_string!(i18n, form.costs),
        "spending" => t_string!(i18n, form.spending),
        "lump_sum" => t_string!(i18n, form.lump_sum),
        "monthly_amount" => t_string!(i18n, form.monthly_amount),
        "kind" => t_string!(i18n, form.assistance_kind),
        "end_on" => t_string!(i18n, form.end_on),
        "category" => t_string!(i18n, form.category),
        "measure_name" => t_string!(i18n, form.measure_name),
        "amount" => t_string!(i18n, form.amount),
        "given_on" => t_string!(i18n, form.given_on),
        "agency" => t_string!(i18n, form.agency),
        "visited_on" => t_string!(i18n, form.visited_on),
        "note" => t_string!(i18n, form.note),
        "start_on" => t_string!(i18n, form.start_on),
        "on_date" => t_string!(i18n, form.on_date),
        _ => return key.to_string(),
    };
    s.to_string()
}
