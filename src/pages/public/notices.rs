//! `/notices` and `/notices/:id`: the public notices (公示) of households proposed for
//! identification or exit, de-identified, with the objections and their answers. The objection
//! form is a plain HTML form posting to `/notices/:id/objection` (server::objection), so it works
//! without JavaScript; a refusal comes back in the URL and shows beside its field.
use crate::components::Loaded;
use crate::components::list_or;
use crate::components::punct::colon;
use crate::components::{PageTitle, textarea_text};
use crate::{
    components::{
        ErrorMessage, NoticeList, NoticeState, PlaceFilter, id_param, record_view, rule_message,
    },
    error::AppError,
    i18n::*,
    model::{codes::*, transparency::*},
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Notices running or ended in the last 30 days (`all`: every notice), in a township or village.
#[server(endpoint = "notices")]
pub async fn list_notices(
    township: String,
    village: String,
    all: bool,
) -> Result<Vec<NoticeBrief>, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let range = match (place(&village)?, place(&township)?) {
            (Some(v), _) => Some(v.range()),
            (None, Some(t)) => Some(t.township_of().range()),
            (None, None) => None,
        };
        Ok(notices::notices(&db()?, &range, !all, clock::today()).await?)
    })
    .await
}

/// One notice as the public sees it, with a fresh question for the objection form while it runs.
#[server(endpoint = "notice")]
pub async fn get_notice(id: i64) -> Result<PublicNotice, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let db = db()?;
        let today = clock::today();
        let mut n = notices::public_notice(&db, id, today)
            .await?
            .ok_or(AppError::NotFound)?;
        if notice_runs(n.notice.starts_on, n.notice.ends_on, today) {
            n.challenge = Some(crate::server::challenge::issue(&db, id, auth::now()).await?);
            // The question is for this visitor alone (answerable once): the page is not kept.
            crate::server::page::not_to_be_kept();
        }
        Ok(n)
    })
    .await
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let list = Resource::new(
        move || (param("township"), param("village"), param("all") == "1"),
        |(t, v, all)| async move {
            let today = load_today().await?;
            Ok::<_, crate::error::AppError>((list_notices(t, v, all).await?, today))
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, notice.title).to_string() />
        <h1 class="page-title">{t!(i18n, notice.title)}</h1>
        <p class="muted">{t!(i18n, notice.intro)}</p>
        <form class="filters" method="get" action="/notices">
            <PlaceFilter
                township=Signal::derive(move || param("township"))
                village=Signal::derive(move || param("village"))
            />
            <label class="check">
                <input type="checkbox" name="all" value="1" checked=move || param("all") == "1" />
                <span>{t!(i18n, notice.all)}</span>
            </label>
            <button type="submit">{t!(i18n, policies.apply)}</button>
        </form>
        <Transition fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                list.loaded()
                    .map(|r| match r {
                        Ok((notices, today)) => view! { <NoticeList notices today=Some(today) /> }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// The server's date (notices run by it, not by the reader's clock).
#[server(endpoint = "today")]
pub async fn load_today() -> Result<NaiveDate, crate::error::AppError> {
    Ok(crate::server::clock::today())
}

#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id"),
        |raw| async move { get_notice(id_param(raw)?).await },
    );
    record_view(data, |n| view! { <NoticeView n /> }.into_any())
}

/// A number from 2 to 19 in words, so the question is read rather than parsed.
fn number_words(n: i64, zh: bool) -> String {
    const ZH: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const EN: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    let n = n.clamp(0, 19) as usize;
    if !zh {
        return EN[n].to_string();
    }
    match n {
        0..=9 => ZH[n].to_string(),
        10 => "十".to_string(),
        _ => format!("十{}", ZH[n - 10]),
    }
}

#[component]
fn NoticeView(n: PublicNotice) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let PublicNotice {
        notice,
        entries,
        objections,
        today,
        challenge,
    } = n;
    let kind = notice.kind;
    // A monitoring notice names its category in the reason, never a register attribute.
    let register = kind.is_register();
    let running = notice_runs(notice.starts_on, notice.ends_on, today);
    let title = format!(
        "{} · {}",
        notice.village_name,
        kind.label(i18n.get_locale_untracked())
    );
    let error = param("error");
    let field = param("field");
    let filed = !param("filed").is_empty();
    let message = move |f: &str| {
        (!error.is_empty() && field == f).then(|| {
            let code = error.clone();
            view! { <span class="field-error" role="alert" data-field=f.to_string()>{move || rule_message(i18n, &code)}</span> }
        })
    };
    let options: Vec<(i64, String)> = entries
        .iter()
        .filter(|e| e.state == EntryState::Proposed)
        .map(|e| {
            let locale = i18n.get_locale_untracked();
            let group = e
                .group_no
                .map(|g| format!(" · {}", crate::components::punct::group(locale, g)))
                .unwrap_or_default();
            let id = crate::components::punct::paren(locale, &e.id_masked);
            (e.id, format!("{}{id}{group}", e.head_name))
        })
        .collect();
    // What a refused objector typed comes back from the server's memory, never from the URL.
    #[cfg(feature = "ssr")]
    let draft = crate::server::objection::take_draft().unwrap_or_default();
    #[cfg(feature = "ssr")]
    let (chosen, reason, contact) = (draft.entry, draft.reason, draft.contact);
    #[cfg(not(feature = "ssr"))]
    let (chosen, reason, contact) = (String::new(), String::new(), String::new());
    view! {
        <PageTitle text=title.clone() />
        <nav class="crumbs">
            <a href="/notices">{t!(i18n, notice.title)}</a> " · "
            {notice.township_name.clone()} " · "
            <a href=format!("/village/{}", notice.village_code)>{notice.village_name.clone()}</a>
        </nav>
        <h1 class="page-title">
            {notice.village_name.clone()} " " {move || kind.label(i18n.get_locale())}
        </h1>
        <p class="notice-period">
            {t!(i18n, notice.period)} {move || colon(i18n.get_locale())}
            <time datetime=notice.starts_on.to_string()>{notice.starts_on.to_string()}</time>
            " – "
            <time datetime=notice.ends_on.to_string()>{notice.ends_on.to_string()}</time>
            " " <NoticeState running />
        </p>
        {notice.on_paper.then(|| view! { <p class="muted paper">{t!(i18n, notice.paper)}</p> })}
        <p class="muted">{t!(i18n, notice.explain)}</p>
        <table class="data notice-entries">
            <thead>
                <tr>
                    <th>{t!(i18n, household.head)}</th>
                    <th>{t!(i18n, notice.id_number)}</th>
                    <th>{t!(i18n, village.group)}</th>
                    <th class="num">{t!(i18n, village.persons)}</th>
                    {register.then(|| view! { <th>{t!(i18n, household.attribute)}</th> })}
                    <th>{t!(i18n, notice.reason)}</th>
                    <th>{t!(i18n, notice.state)}</th>
                </tr>
            </thead>
            <tbody>
                {entries
                    .into_iter()
                    .map(|e| {
                        let attribute = e.attribute;
                        let state = e.state;
                        view! {
                            <tr>
                                <td>{e.head_name}</td>
                                <td class="id">{e.id_masked}</td>
                                <td>{move || e.group_no.map(|g| crate::components::punct::group(i18n.get_locale(), g))}</td>
                                <td class="num">{e.persons}</td>
                                {attribute.map(|a| view! { <td>{move || a.label(i18n.get_locale())}</td> })}
                                <td>{e.reason}</td>
                                <td>{move || state.label(i18n.get_locale())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <section id="objections" aria-labelledby="obj-h">
            <h2 id="obj-h">{t!(i18n, notice.objections_title)}</h2>
            {filed.then(|| view! { <p class="notice-ok" role="status">{t!(i18n, notice.filed)}</p> })}
            {list_or(objections.is_empty(), t!(i18n, notice.no_objections), || view! {
                <ol class="objections">
                    {objections
                        .into_iter()
                        .map(|o| {
                            let outcome = o.outcome;
                            view! {
                                <li class="objection">
                                    <p>
                                        <strong>{o.head_name}</strong> " · "
                                        {t!(i18n, notice.filed_on)} " " {o.filed_on.to_string()}
                                    </p>
                                    {match (outcome, o.answer) {
                                        (Some(outcome), Some(answer)) => view! {
                                            <p class="answer">
                                                <span class="badge">{move || outcome.label(i18n.get_locale())}</span>
                                                " " {t!(i18n, notice.answered_on)} " "
                                                {o.answered_on.map(|d| d.to_string()).unwrap_or_default()}
                                            </p>
                                            <blockquote class="answer-text">{answer}</blockquote>
                                        }
                                            .into_any(),
                                        _ => view! { <p class="muted">{t!(i18n, notice.waiting_answer)}</p> }.into_any(),
                                    }}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            })}
        </section>
        {match challenge.filter(|_| running && !options.is_empty()) {
            None => view! { <p class="muted">{t!(i18n, notice.closed)}</p> }.into_any(),
            Some(c) => {
                let question = move || {
                    let zh = i18n.get_locale() == Locale::zh;
                    let a = number_words(c.a, zh);
                    let b = number_words(c.b, zh);
                    t_string!(i18n, notice.question, a, b).to_string()
                };
                view! {
                    <section id="objection-form" aria-labelledby="form-h">
                        <h2 id="form-h">{t!(i18n, notice.object)}</h2>
                        <p class="muted">{t!(i18n, notice.object_help)}</p>
                        {message("form")}
                        <form class="objection-form" method="post" action=format!("/notices/{}/objection", notice.id)>
                            <label class="field">
                                <span class="label">{t!(i18n, notice.which)}</span>
                                <select name="entry" required>
                                    <option value="">"—"</option>
                                    {options
                                        .into_iter()
                                        .map(|(id, label)| {
                                            let selected = id.to_string() == chosen;
                                            view! { <option value=id.to_string() selected=selected>{label}</option> }
                                        })
                                        .collect_view()}
                                </select>
                                {message("entry")}
                            </label>
                            <label class="field">
                                <span class="label">{t!(i18n, notice.why)}</span>
                                <textarea name="reason" rows="4" maxlength=OBJECTION_MAX required>{textarea_text(reason)}</textarea>
                                {message("reason")}
                            </label>
                            <label class="field">
                                <span class="label">{t!(i18n, notice.contact)}</span>
                                <input type="text" name="contact" maxlength=CONTACT_MAX value=contact />
                                <span class="muted">{t!(i18n, notice.contact_help)}</span>
                                {message("contact")}
                            </label>
                            <label class="field">
                                <span class="label">{question}</span>
                                <input type="text" name="answer" inputmode="numeric" autocomplete="off" required />
                                {message("answer")}
                            </label>
                            <input type="hidden" name="token" value=c.token />
                            <button type="submit">{t!(i18n, notice.send)}</button>
                        </form>
                    </section>
                }
                    .into_any()
            }
        }}
    }
}
