//! `/staff/case/:id`: one monitoring case — the household and what the register knows of it, the
//! timeline, what blocks the next step and the form that records it, the marks, the plan.
use super::{api::*, plan::Plan};
use crate::components::Loaded;
use crate::components::{PageTitle, clear_reason, form::*, id_param, list_or, rule_message};
use crate::{
    components::ErrorMessage,
    i18n::*,
    model::{
        codes::Label,
        grouped,
        monitoring::{
            Stage,
            case::{CaseView, NextBlock, StepInput, step},
            counted_income,
        },
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
        move || (params.read().get("id"), reload.get()),
        |(raw, _)| async move { load_case(id_param(raw)?).await },
    );
    let after = Callback::new(move |_: ()| reload.update(|n| *n += 1));
    view! {
        <Suspense fallback=|| ()>
            {move || data.loaded().map(|r| match r {
                Ok(c) => view! { <CaseBody c after /> }.into_any(),
                Err(error) => view! { <ErrorMessage error /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CaseBody(c: CaseView, after: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let h = c.head.clone();
    let head_name = c
        .household
        .head()
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let (category, channel, stage) = (h.category, h.channel, h.stage);
    let risks = c.risks.clone();
    let title = head_name.clone();
    view! {
        <PageTitle text=title />
        <h1 class="page-title">
            {t!(i18n, monitoring.case_title, name = move || head_name.clone())}
            " " <span class="badge">{move || stage.label(i18n.get_locale())}</span>
            {c.overdue.then(|| view! { " " <span class="badge overdue">{t!(i18n, monitoring.overdue)}</span> })}
            {h.held_on.map(|_| view! { " " <span class="badge held">{t!(i18n, monitoring.held)}</span> })}
        </h1>
        <dl class="facts wide">
            <dt>{t!(i18n, monitoring.household)}</dt>
            <dd><a href=format!("/staff/household/{}", h.household_id)>{c.village_name.clone()}</a></dd>
            <dt>{t!(i18n, monitoring.category)}</dt>
            <dd>{move || category.label(i18n.get_locale())}</dd>
            <dt>{t!(i18n, monitoring.risk)}</dt>
            <dd>{move || risks.iter().map(|r| r.label(i18n.get_locale())).collect::<Vec<_>>().join("、")}</dd>
            <dt>{t!(i18n, monitoring.channel)}</dt>
            <dd>{move || channel.label(i18n.get_locale())} " " {h.source.clone()}</dd>
            <dt>{t!(i18n, monitoring.description)}</dt>
            <dd>{h.description.clone()}</dd>
            <dt>{t!(i18n, monitoring.due)}</dt>
            <dd>{h.due_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</dd>
        </dl>
        {(!c.without_development.is_empty()).then(|| {
            let names = c.without_development.join("、");
            view! { <p class="warning" role="alert">{t!(i18n, monitoring.no_development, names = move || names.clone())}</p> }
        })}
        <Timeline c=c.clone() />
        <NextStep c=c.clone() after />
        <Plan c=c.clone() after />
        <CrossCheck c />
    }
}

#[component]
fn Timeline(c: CaseView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="timeline-h">
            <h2 id="timeline-h">{t!(i18n, monitoring.timeline)}</h2>
            <ol class="timeline">
                {c.steps.into_iter().map(|s| {
                    let stage = s.stage;
                    let refused = !s.approved;
                    // A notice step "not done" is a notice withdrawn: the case went back to review.
                    let withdrawn = refused && stage.is_notice();
                    view! {
                        <li class:refused=refused>
                            {s.done_on.to_string()} " "
                            <strong>{move || if withdrawn {
                                t_string!(i18n, monitoring.withdrawn).to_string()
                            } else {
                                stage.label(i18n.get_locale()).to_string()
                            }}</strong>
                            {(refused && !withdrawn).then(|| view! { " " <span class="badge">{t!(i18n, monitoring.refused)}</span> })}
                            {(s.on_paper && !withdrawn).then(|| view! { " " <span class="badge">{t!(i18n, monitoring.paper_badge)}</span> })}
                            " · " {s.actor}
                            {(!s.people.is_empty()).then(|| format!(" · {}", s.people))}
                            {(!s.note.is_empty()).then(|| format!(" · {}", s.note))}
                            {s.notice_id.map(|n| view! { " · " <a href=format!("/notices/{n}")>{t!(i18n, monitoring.notice)}</a> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// What blocks the next step, and (for the level that owns it) the form that records it.
#[component]
fn NextStep(c: CaseView, after: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let Some(next) = c.next else {
        return ().into_any();
    };
    let (today, h) = (c.today, c.head.clone());
    let block = c.block.clone().map(|b| match b {
        NextBlock::Notice { code } => rule_message(i18n, &code),
        NextBlock::Clearing { reasons } => reasons
            .iter()
            .map(|r| clear_reason(i18n, r))
            .collect::<Vec<_>>()
            .join("；"),
    });
    let draft = RwSignal::new(StepInput {
        case_id: h.id,
        version: h.version,
        stage: next,
        done_on: today,
        approved: true,
        people: vec![String::new(), String::new()],
        consent: false,
        note: String::new(),
        notice_days: c.notice_days.max(1),
        on_paper: false,
    });
    let (at, last_on, days) = (h.stage, h.stage_on, c.notice_days);
    let checks = Checks::new(Memo::new(move |_| {
        draft.with(|s| step(s, at, last_on, days, today))
    }));
    let action = ServerAction::<CaseStep>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => after.run(()),
        Some(Err(e)) => {
            checks.server_error(&e);
        }
        None => {}
    });
    let person = move |i: usize| {
        view! {
            <Field label=Signal::derive(move || format!("{} {}", t_string!(i18n, monitoring.person), i + 1)) path="people" checks
                value=Signal::derive(move || draft.with(|s| s.people[i].clone()))
                set=Callback::new(move |v: String| draft.update(|s| s.people[i] = v)) />
        }
    };
    view! {
        <section aria-labelledby="next-h">
            <h2 id="next-h">{t!(i18n, monitoring.next)} ": " {move || crate::model::monitoring::labels::Action(next).label(i18n.get_locale())}</h2>
            {block.map(|b| view! { <p class="warning" role="status">{b}</p> })}
            {c.may_act.then(|| view! {
                <form class="inline step" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if checks.submit() {
                        action.dispatch(CaseStep { step: draft.get_untracked() });
                    }
                }>
                    <Field label=Signal::derive(move || t_string!(i18n, monitoring.done_on).to_string()) path="done_on" kind="date" checks
                        value=Signal::derive(move || draft.with(|s| date_text(Some(s.done_on))))
                        set=Callback::new(move |v: String| if let Some(d) = date(&v) { draft.update(|s| s.done_on = d) }) />
                    {next.is_home_check().then(|| view! {
                        {person(0)} {person(1)}
                        <label class="check">
                            <input type="checkbox" name="consent" on:change=move |ev| draft.update(|s| s.consent = event_target_checked(&ev)) />
                            {t!(i18n, monitoring.consent)}
                        </label>
                        <FieldError checks path="consent" />
                    })}
                    {next.is_review().then(|| view! {
                        <label class="check">
                            <input type="checkbox" name="refuse" on:change=move |ev| draft.update(|s| s.approved = !event_target_checked(&ev)) />
                            {t!(i18n, monitoring.refuse)}
                        </label>
                    })}
                    {next.is_notice().then(|| view! {
                        <Field label=Signal::derive(move || t_string!(i18n, monitoring.notice_days, min = days).to_string()) path="notice_days" kind="number" checks
                            value=Signal::derive(move || draft.with(|s| s.notice_days.to_string()))
                            set=Callback::new(move |v: String| draft.update(|s| s.notice_days = int_or(&v, 0))) />
                        <label class="check">
                            <input type="checkbox" name="on_paper" on:change=move |ev| draft.update(|s| s.on_paper = event_target_checked(&ev)) />
                            {t!(i18n, monitoring.on_paper)}
                        </label>
                        <p class="muted">{t!(i18n, monitoring.on_paper_help)}</p>
                    })}
                    <Field label=Signal::derive(move || t_string!(i18n, monitoring.note).to_string()) path="note" checks
                        value=Signal::derive(move || draft.with(|s| s.note.clone()))
                        set=Callback::new(move |v: String| draft.update(|s| s.note = v)) />
                    <FieldError checks path="stage" />
                    <button type="submit" name="case_step">{t!(i18n, monitoring.record)}</button>
                    {refusal(action.value(), checks)}
                </form>
            })}
            // The marks (spending resolved, 暂不标注) belong to a monitored case only.
            {c.head.stage.is_monitored().then(|| view! { <Marks c=c.clone() after /> })}
        </section>
    }
    .into_any()
}

/// Spending resolved and 暂不标注, each on a date, on top of the case's version.
#[component]
fn Marks(c: CaseView, after: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CaseMark>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            after.run(());
        }
    });
    let (id, version, today) = (c.head.id, c.head.version, c.today);
    let resolved = c.head.spending_resolved_on;
    view! {
        <p class="marks">
            {match resolved {
                Some(d) => view! { <span>{t!(i18n, monitoring.spending_resolved, date = move || d.to_string())}</span> }.into_any(),
                None => view! {
                    <button type="button" name="resolve_spending" on:click=move |_| {
                        action.dispatch(CaseMark { case_id: id, version, on: today, hold: false });
                    }>{t!(i18n, monitoring.resolve_spending)}</button>
                }.into_any(),
            }}
            " "
            {(c.head.stage == Stage::Monitored && c.head.held_on.is_none()).then(|| view! {
                <button type="button" name="hold" on:click=move |_| {
                    action.dispatch(CaseMark { case_id: id, version, on: today, hold: true });
                }>{t!(i18n, monitoring.hold)}</button>
            })}
            {move || action.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error /> })}
        </p>
    }
}

/// What the register already knows: incomes (counted for monitoring) and social assistance.
#[component]
fn CrossCheck(c: CaseView) -> impl IntoView {
    let i18n = use_i18n();
    let line = c.line;
    view! {
        <section aria-labelledby="cross-h">
            <h2 id="cross-h">{t!(i18n, monitoring.cross_check)}</h2>
            {line.map(|(year, yuan)| view! {
                <p class="muted">{t!(i18n, monitoring.line, year = move || year, line = move || grouped(yuan))}</p>
            })}
            {list_or(c.incomes.is_empty(), t!(i18n, form.no_incomes), || view! {
                <table class="data incomes">
                    <thead><tr>
                        <th>{t!(i18n, form.year)}</th><th>{t!(i18n, form.per_capita)}</th>
                        <th>{t!(i18n, form.spending)}</th><th>{t!(i18n, form.counted)}</th>
                    </tr></thead>
                    <tbody>
                        {c.incomes.iter().map(|i| view! {
                            <tr>
                                <td>{i.year}</td>
                                <td class="num">{grouped(i.per_capita.unwrap_or_default())}</td>
                                <td class="num">{grouped(i.spending)}</td>
                                <td class="num">{grouped(counted_income(i))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {list_or(c.assistance.is_empty(), t!(i18n, form.no_assistance), || view! {
                <ul class="assistance">
                    {c.assistance.into_iter().map(|a| {
                        let kind = a.kind;
                        view! {
                            <li>{move || kind.label(i18n.get_locale())} " · " {a.start_on.to_string()}
                                " – " {a.end_on.map(|d| d.to_string()).unwrap_or_default()}</li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
