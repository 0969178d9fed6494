//! One member's fields in the record form.
use super::*;

/// One member's fields. The ID number is checked as typed (format, checksum, birth date, sex
/// digit against the sex chosen); a valid ID fills in the birth date.
#[component]
pub(super) fn MemberFields(i: usize, draft: RwSignal<Household>, checks: Checks) -> impl IntoView {
    let i18n = use_i18n();
    let p = move |f: &str| format!("members.{i}.{f}");
    let get = move |f: fn(&Member) -> String| {
        Signal::derive(move || draft.with(|h| h.members.get(i).map(f).unwrap_or_default()))
    };
    let set = move |f: fn(&mut Member, String)| {
        Callback::new(move |v: String| {
            draft.update(|h| {
                if let Some(m) = h.members.get_mut(i) {
                    f(m, v)
                }
            })
        })
    };
    fn code_of<T: Copy + Send + Sync + 'static>(
        draft: RwSignal<Household>,
        i: usize,
        f: fn(&Member) -> T,
    ) -> Signal<Option<T>> {
        Signal::derive(move || draft.with(|h| h.members.get(i).map(f)))
    }
    fn set_code<T: Copy + Send + Sync + 'static>(
        draft: RwSignal<Household>,
        i: usize,
        f: fn(&mut Member, T),
    ) -> Callback<Option<T>> {
        Callback::new(move |v: Option<T>| {
            if let Some(v) = v {
                draft.update(|h| {
                    if let Some(m) = h.members.get_mut(i) {
                        f(m, v)
                    }
                })
            }
        })
    }
    let label = move |s: &'static str| Signal::derive(move || form_label(i18n, s));
    let stored = draft.with_untracked(|h| h.members.get(i).and_then(|m| m.id).is_some());
    let active = Signal::derive(move || draft.with(|h| h.members.get(i).is_some_and(|m| m.active)));
    let heading = move || {
        let n = i + 1;
        let name = draft.with(|h| h.members.get(i).map(|m| m.name.clone()).unwrap_or_default());
        format!("{} {n} {name}", t_string!(i18n, form.member))
    };
    view! {
        <fieldset class="member" class:left=move || !active.get() data-index=i>
            <legend>{heading}</legend>
            <div class="grid">
                <Field label=label("name") path=p("name") checks value=get(|m| m.name.clone())
                    set=set(|m, v| m.name = v) />
                <CodeSelect label=label("relation") path=p("relation") checks
                    value=code_of(draft, i, |m| m.relation)
                    set=Callback::new(move |v: Option<Relation>| {
                        checks.touch("members");
                        if let Some(v) = v {
                            draft.update(|h| if let Some(m) = h.members.get_mut(i) { m.relation = v });
                        }
                    }) />
                <CodeSelect label=label("sex") path=p("sex") checks
                    value=code_of(draft, i, |m| m.sex)
                    set=Callback::new(move |v: Option<Sex>| {
                        // A changed sex is checked against the ID number's sex digit at once.
                        checks.touch(&format!("members.{i}.id_number"));
                        if let Some(v) = v {
                            draft.update(|h| if let Some(m) = h.members.get_mut(i) { m.sex = v });
                        }
                    }) />
                <Field label=label("id_number") path=p("id_number") checks inputmode="numeric"
                    value=get(|m| m.id_number.clone().unwrap_or_default())
                    set=set(|m, v| {
                        let v = v.trim().to_uppercase();
                        if let Ok(info) = id_number::parse(&v) {
                            m.birth_date = info.birth_date;
                        }
                        m.id_number = (!v.is_empty()).then_some(v);
                    }) />
                <Field label=label("disability_cert") path=p("disability_cert") checks
                    value=get(|m| m.disability_cert.clone().unwrap_or_default())
                    set=set(|m, v| m.disability_cert = (!v.trim().is_empty()).then(|| v.trim().to_string())) />
                <Field label=label("birth_date") path=p("birth_date") kind="date" checks
                    value=get(|m| date_text(Some(m.birth_date)))
                    set=set(|m, v| if let Some(d) = date(&v) { m.birth_date = d }) />
                <Field label=label("ethnicity") path=p("ethnicity") checks
                    value=get(|m| m.ethnicity.clone()) set=set(|m, v| m.ethnicity = v) />
                <CodeSelect label=label("education") path=p("education") checks
                    value=code_of(draft, i, |m| m.education) set=set_code(draft, i, |m, v| m.education = v) />
                <CodeSelect label=label("student_status") path=p("student_status") checks
                    value=code_of(draft, i, |m| m.student_status) set=set_code(draft, i, |m, v| m.student_status = v) />
                <CodeSelect label=label("health") path=p("health") checks
                    value=code_of(draft, i, |m| m.health) set=set_code(draft, i, |m, v| m.health = v) />
                <CodeSelect label=label("labour") path=p("labour") checks
                    value=code_of(draft, i, |m| m.labour) set=set_code(draft, i, |m, v| m.labour = v) />
                <Field label=label("migrant_months") path=p("migrant_months") kind="number" checks
                    value=get(|m| m.migrant_months.to_string())
                    set=set(|m, v| m.migrant_months = int_or(&v, -1)) />
            </div>
            <div class="checks">
                <Check label=label("medical_insured") name=p("medical_insured")
                    value=Signal::derive(move || draft.with(|h| h.members.get(i).is_some_and(|m| m.medical_insured)))
                    set=Callback::new(move |v| draft.update(|h| if let Some(m) = h.members.get_mut(i) { m.medical_insured = v })) />
                <Check label=label("pension_insured") name=p("pension_insured")
                    value=Signal::derive(move || draft.with(|h| h.members.get(i).is_some_and(|m| m.pension_insured)))
                    set=Callback::new(move |v| draft.update(|h| if let Some(m) = h.members.get_mut(i) { m.pension_insured = v })) />
                {if stored {
                    // Members are never deleted: one who died, married out or moved away is
                    // marked as having left (and keeps their place in the history).
                    view! {
                        <Check label=label("left") name=p("left")
                            value=Signal::derive(move || !active.get())
                            set=Callback::new(move |v: bool| {
                                checks.touch("members");
                                draft.update(|h| if let Some(m) = h.members.get_mut(i) { m.active = !v })
                            }) />
                    }
                        .into_any()
                } else {
                    view! {
                        <button type="button" class="remove-member" on:click=move |_| {
                            draft.update(|h| { if i < h.members.len() { h.members.remove(i); } });
                        }>{t!(i18n, form.remove_member)}</button>
                    }
                        .into_any()
                }}
            </div>
        </fieldset>
    }
}
