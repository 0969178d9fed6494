//! The township / village choice of a filter form.
use crate::{
    api::places::list_places, components::Loaded, i18n::*, model::transparency::TownshipVillages,
};
use leptos::prelude::*;

/// The township / village choice of a filter form (plain selects: they work without JavaScript),
/// with the county's places loaded for it; `township` and `village` are the choices made.
#[component]
pub fn PlaceFilter(township: Signal<String>, village: Signal<String>) -> impl IntoView {
    let places = Resource::new(|| (), |_| list_places());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                places.loaded().map(|r| {
                    let places = r.unwrap_or_default();
                    view! { <Choice places township=township.get() village=village.get() /> }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Choice(places: Vec<TownshipVillages>, township: String, village: String) -> impl IntoView {
    let i18n = use_i18n();
    let townships: Vec<(String, String)> = places
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    view! {
        <label class="field">
            <span class="label">{t!(i18n, updates.township)}</span>
            <select name="township">
                <option value="">{t!(i18n, updates.any_place)}</option>
                {townships
                    .into_iter()
                    .map(|(code, name)| {
                        let selected = code == township;
                        view! { <option value=code selected=selected>{name}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
        <label class="field">
            <span class="label">{t!(i18n, updates.village)}</span>
            <select name="village">
                <option value="">{t!(i18n, updates.any_place)}</option>
                {places
                    .into_iter()
                    .map(|t| {
                        view! {
                            <optgroup label=t.name>
                                {t.villages
                                    .into_iter()
                                    .map(|(code, name)| {
                                        let selected = code == village;
                                        view! { <option value=code selected=selected>{name}</option> }
                                    })
                                    .collect_view()}
                            </optgroup>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
