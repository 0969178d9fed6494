//! Charts drawn as SVG on the server (readable with JavaScript off and in print), with a `<title>`
//! on every mark (the browser's own tooltip), a caption line that follows the pointer or focus once
//! the page is interactive, and the numbers again in a table for screen readers and copying.
use crate::{i18n::*, model::grouped};
use leptos::prelude::*;

/// One horizontal bar: `value` in full, `part` of it drawn darker (e.g. still poor of registered).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub key: String,
    pub label: String,
    pub value: i64,
    pub part: Option<i64>,
    /// Tooltip and table text.
    pub note: String,
    /// Where choosing the bar leads (a filter), if anywhere.
    pub href: Option<String>,
    pub selected: bool,
}

// Drawn near the size it is shown (a card of 22–40 rem), so that 14-unit text reads as 13–15 px
// on a desktop and about 12 px on a phone, never the 7–9 px a wide drawing scaled down gives.
const WIDTH: i64 = 420;
const LABEL: i64 = 112;
const ROW: i64 = 28;

/// Horizontal bars with their labels (Chinese labels fit: the label column is fixed, the text is
/// drawn by the browser's fonts).
#[component]
pub fn BarChart(
    /// Element id prefix (for `aria-labelledby`).
    id: &'static str,
    #[prop(into)] title: Signal<String>,
    bars: Vec<Bar>,
    /// Called with the bar's `href` instead of a page load, once interactive.
    #[prop(optional)]
    on_pick: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tip = RwSignal::new(None::<String>);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = ROW * bars.len() as i64 + 8;
    let scale = move |v: i64| (v * (WIDTH - LABEL - 64)) / max;
    let title_id = format!("{id}-title");
    let rows = bars
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, b)| {
            let y = 4 + ROW * i as i64;
            let w = scale(b.value).max(1);
            let note = b.note.clone();
            let note_focus = b.note.clone();
            let mark = view! {
                <g
                    class="mark"
                    class:selected=b.selected
                    tabindex="0"
                    on:mouseenter=move |_| tip.set(Some(note.clone()))
                    on:focus=move |_| tip.set(Some(note_focus.clone()))
                    on:mouseleave=move |_| tip.set(None)
                >
                    <title>{b.note.clone()}</title>
                    <text x=LABEL - 8 y=y + 19 text-anchor="end" class="bar-label">{b.label.clone()}</text>
                    <rect x=LABEL y=y + 3 width=w height=ROW - 8 rx="3" class="bar" />
                    {b.part.map(|p| view! {
                        <rect x=LABEL y=y + 3 width=scale(p).max(if p > 0 { 1 } else { 0 }) height=ROW - 8 rx="3" class="bar-part" />
                    })}
                    <text x=LABEL + w + 6 y=y + 19 class="bar-value">{grouped(b.value)}</text>
                </g>
            };
            match b.href {
                // Inside a `<g>` so that the view builds the SVG link element, not HTML's.
                Some(href) => {
                    let target = href.clone();
                    view! {
                        <g class="link">
                            <a
                                href=href
                                on:click=move |ev| {
                                    if let Some(pick) = on_pick {
                                        ev.prevent_default();
                                        pick.run(target.clone());
                                    }
                                }
                            >
                                {mark}
                            </a>
                        </g>
                    }
                        .into_any()
                }
                None => mark.into_any(),
            }
        })
        .collect_view();
    view! {
        <figure class="chart" id=id>
            <figcaption id=title_id.clone()>{title}</figcaption>
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=title_id
                preserveAspectRatio="xMinYMin meet"
            >
                {rows}
            </svg>
            <p class="chart-tip" aria-live="polite">{move || tip.get().unwrap_or_default()}</p>
            <details>
                <summary>{t!(i18n, dash.table)}</summary>
                <table class="data">
                    <tbody>
                        {bars
                            .into_iter()
                            .map(|b| view! { <tr><th scope="row">{b.label}</th><td>{b.note}</td></tr> })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// Persons lifted out month by month (bars) and their running total (line) against the year's
/// target (dashed line), when there is one.
#[component]
pub fn MonthChart(
    #[prop(into)] title: Signal<String>,
    monthly: Vec<i64>,
    target: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tip = RwSignal::new(None::<String>);
    let (w, h, left, bottom) = (420i64, 240i64, 52i64, 28i64);
    let mut running = 0;
    let cumulative: Vec<i64> = monthly
        .iter()
        .map(|n| {
            running += n;
            running
        })
        .collect();
    let top = cumulative
        .last()
        .copied()
        .unwrap_or(0)
        .max(target.unwrap_or(0))
        .max(1);
    let plot_h = h - bottom - 12;
    let y = move |v: i64| 12 + plot_h - v * plot_h / top;
    let col = (w - left - 8) / 12;
    let x = move |i: i64| left + col * i;
    let points = cumulative
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{},{}", x(i as i64) + col / 2, y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let month_name = move |m: usize| match i18n.get_locale() {
        Locale::zh => format!("{m}月"),
        Locale::en => [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][m - 1]
            .to_string(),
    };
    let note = move |i: usize, n: i64, total: i64| {
        let month = month_name(i + 1);
        let (n, total) = (grouped(n), grouped(total));
        t_string!(i18n, dash.month_note, month, n, total).to_string()
    };
    let bars = monthly
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let total = cumulative[i];
            let bh = (n * plot_h / top).max(if n > 0 { 1 } else { 0 });
            view! {
                <g class="mark" tabindex="0"
                    on:mouseenter=move |_| tip.set(Some(note(i, n, total)))
                    on:focus=move |_| tip.set(Some(note(i, n, total)))
                    on:mouseleave=move |_| tip.set(None)>
                    <title>{move || note(i, n, total)}</title>
                    <rect x=x(i as i64) + 4 y=12 + plot_h - bh width=col - 8 height=bh class="bar" />
                    <text x=x(i as i64) + col / 2 y=h - 8 text-anchor="middle" class="axis">{move || month_name(i + 1)}</text>
                </g>
            }
        })
        .collect_view();
    let title_id = "monthly-title";
    view! {
        <figure class="chart" id="monthly">
            <figcaption id=title_id>{title}</figcaption>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-labelledby=title_id>
                <line x1=left y1=12 + plot_h x2=w - 8 y2=12 + plot_h class="axis-line" />
                <text x=left - 6 y=16 text-anchor="end" class="axis">{grouped(top)}</text>
                <text x=left - 6 y=12 + plot_h text-anchor="end" class="axis">"0"</text>
                {bars}
                <polyline points=points class="running" fill="none" />
                // The target's label sits at the left end of its line, where the running total
                // (which starts from nothing) is far below it.
                {target.map(|t| {
                    let label = move || {
                        let t = grouped(t);
                        t_string!(i18n, dash.target_line, t).to_string()
                    };
                    view! {
                        <g class="target">
                            <title>{label}</title>
                            <line x1=left y1=y(t) x2=w - 8 y2=y(t) class="target-line" />
                            <text x=left + 6 y=(y(t) - 6).max(12) text-anchor="start" class="target-label">{label}</text>
                        </g>
                    }
                })}
            </svg>
            <p class="chart-tip" aria-live="polite">{move || tip.get().unwrap_or_default()}</p>
            <details>
                <summary>{t!(i18n, dash.table)}</summary>
                <table class="data">
                    <tbody>
                        {monthly
                            .iter()
                            .enumerate()
                            .map(|(i, &n)| view! { <tr><th scope="row">{move || month_name(i + 1)}</th><td>{grouped(n)}</td><td>{grouped(cumulative[i])}</td></tr> })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
