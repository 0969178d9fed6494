//! `/policies` (category filter and text search, a plain GET form) and `/policies/:id`.
use crate::components::Loaded;
use crate::components::PageTitle;
use crate::{
    components::{ErrorMessage, id_param, record_view, yuan},
    error::AppError,
    i18n::*,
    model::{
        codes::{Label, MeasureCategory},
        public::*,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Policies, newest first; `category` is a category code or empty, `q` text to look for.
#[server(endpoint = "policies")]
pub async fn list_policies(category: String, q: String) -> Result<Vec<PolicyBrief>, AppError> {
    use crate::server::{repo, respond, state::db};
    respond(async move {
        let category = match category.as_str() {
            "" => None,
            c => Some(MeasureCategory::parse(c).ok_or_else(|| AppError::invalid("category"))?),
        };
        let text = crate::model::search::normalize_query(&q)?.unwrap_or_default();
        Ok(repo::public::policies(&db()?, category, &text).await?)
    })
    .await
}

/// One policy with its reach.
#[server(endpoint = "policy")]
pub async fn get_policy(id: i64) -> Result<PolicyDetail, AppError> {
    use crate::server::{repo, respond, state::db};
    respond(async move {
        repo::public::policy(&db()?, id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

#[component]
pub fn PoliciesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let category = move || query.read().get("category").unwrap_or_default();
    let text = move || query.read().get("q").unwrap_or_default();
    let list = Resource::new(move || (category(), text()), |(c, q)| list_policies(c, q));
    view! {
        <PageTitle text=move || t_string!(i18n, nav.policies).to_string() />
        <h1 class="page-title">{t!(i18n, policies.title)}</h1>
        <form class="filters" method="get" action="/policies">
            <fieldset class="chips">
                <legend>{t!(i18n, policies.category)}</legend>
                <label>
                    <input type="radio" name="category" value="" checked=move || category().is_empty() />
                    {t!(i18n, policies.all)}
                </label>
                {MeasureCategory::ALL
                    .iter()
                    .map(|c| {
                        let c = *c;
                        view! {
                            <label>
                                <input type="radio" name="category" value=c.as_str()
                                    checked=move || category() == c.as_str() />
                                {move || c.label(i18n.get_locale())}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="search-row">
                <input type="search" name="q" value=text maxlength=crate::model::search::MAX_QUERY_CHARS
                    aria-label=move || t_string!(i18n, policies.search).to_string()
                    placeholder=move || t_string!(i18n, policies.search).to_string() />
                <button type="submit">{t!(i18n, policies.apply)}</button>
            </div>
        </form>
        <Transition fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                list.loaded()
                    .map(|r| match r {
                        Ok(items) if items.is_empty() => {
                            view! { <p class="empty">{t!(i18n, policies.none)}</p> }.into_any()
                        }
                        Ok(items) => view! {
                            <ul class="policies">
                                {items.into_iter().map(|p| view! { <PolicyItem p /> }).collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn PolicyItem(p: PolicyBrief) -> impl IntoView {
    let i18n = use_i18n();
    let category = p.category;
    view! {
        <li class="policy">
            <a href=format!("/policies/{}", p.id)>{p.title}</a>
            <p class="muted">
                <span class="badge">{move || category.label(i18n.get_locale())}</span>
                " " {p.issuer} " " {p.doc_number} " · " {p.issued_on.to_string()}
            </p>
        </li>
    }
}

#[component]
pub fn PolicyPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id"),
        |raw| async move { get_policy(id_param(raw)?).await },
    );
    record_view(data, |p| view! { <PolicyView p /> }.into_any())
}

#[component]
fn PolicyView(p: PolicyDetail) -> impl IntoView {
    let i18n = use_i18n();
    let category = p.brief.category;
    let households = p.households;
    let measures = p.measures;
    let amount = yuan(p.amount);
    view! {
        <PageTitle text=p.brief.title.clone() />
        <nav class="crumbs"><a href="/policies">{t!(i18n, policies.title)}</a></nav>
        <h1 class="page-title">{p.brief.title}</h1>
        <p class="muted">
            <span class="badge">{move || category.label(i18n.get_locale())}</span>
            " " {p.brief.issuer} " " {p.brief.doc_number} " · " {p.brief.issued_on.to_string()}
        </p>
        <p class="reach" role="status">
            {t!(i18n, policies.reach, households, measures, amount = move || amount.clone())}
        </p>
        <article class="policy-body">
            {p.body.split('\n').map(|para| view! { <p>{para.to_string()}</p> }).collect_view()}
        </article>
    }
}
