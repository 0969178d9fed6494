//! The household's history from the audit log, who changed what and when.
use super::*;
use crate::model::staff::AuditEntry;

/// The household's history from the audit log (who, when, what, before and after).
#[server(endpoint = "staff/history")]
pub async fn household_history(id: i64) -> Result<Vec<AuditEntry>, AppError> {
    use super::api::imp::*;
    respond(async move {
        let (_, db) = in_scope(id).await?;
        Ok(household::history(&db, id).await?)
    })
    .await
}

/// The audit trail of one household, newest first (reloaded after each write).
#[component]
pub(super) fn History(entries: HistoryResource) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="history-h">
            <h2 id="history-h">{t!(i18n, staffhh.history)}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    entries
                        .loaded()
                        .map(|r| match r {
                            Ok(list) if list.is_empty() => {
                                view! { <p class="empty">{t!(i18n, staffhh.no_history)}</p> }.into_any()
                            }
                            Ok(list) => view! {
                                <table class="data history">
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|e| view! {
                                                <tr>
                                                    <td>{e.at}</td>
                                                    <td>{e.actor}</td>
                                                    <td>{e.action}</td>
                                                    <td class="mono">{e.before.unwrap_or_default()}</td>
                                                    <td class="mono">{e.after.unwrap_or_default()}</td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any(),
                            Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}
