//! The page's `<title>`, safe for any text.
use leptos::{prelude::*, text_prop::TextProp};
use leptos_meta::Title;

/// Sets the document title. leptos_meta writes a title's text into the server's HTML as it is,
/// unescaped, so a name or query holding `</title><script>` would end the element and run; the
/// text is therefore escaped here on the server (the browser decodes it back in `<title>`, which
/// takes character references). It is also read once, while the page's owner is alive: leptos_meta
/// reads it again after the page is rendered, when a reactive closure may already be disposed.
/// In the browser it stays reactive and is set as plain text.
#[component]
pub fn PageTitle(#[prop(into)] text: TextProp) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text: TextProp = html_escape::encode_text(&text.get()).into_owned().into();
    view! { <Title text=text /> }
}

/// Text for the inside of a `<textarea>`: tachys writes a textarea's children raw (it treats
/// the element like `<script>`), so on the server the text is escaped first; in the browser the
/// child is a DOM text node and needs nothing.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    return html_escape::encode_text(&text).into_owned();
    #[cfg(not(feature = "ssr"))]
    text
}
