//! The glossary on the page ([`crate::view::glossary`] holds the words) and the small "?"
//! buttons that open it at one entry from where a term is used.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::view::glossary::{entry_by_id, GLOSSARY};

/// DOM id of the glossary and of one entry.
const GLOSSARY_ID: &str = "glossary";
fn entry_dom_id(id: &str) -> String {
    format!("g-{id}")
}

/// The whole glossary, closed until asked for (a "?" opens it at its entry).
pub fn glossary() -> Html {
    html! {
        <details id={GLOSSARY_ID} class="glossary">
            <summary><h2>{ "Glossary" }</h2></summary>
            <dl>
                for entry in GLOSSARY {
                    <div class="glossary-entry" id={entry_dom_id(entry.id)} tabindex="-1">
                        <dt>{ entry.term }</dt>
                        <dd>{ entry.meaning }</dd>
                    </div>
                }
            </dl>
        </details>
    }
}

/// A "?" button after a technical term: opens the glossary at `id`'s entry and moves the focus
/// there (a button, not a link: the address bar's fragment is the share link).
pub fn term_help(id: &'static str) -> Html {
    let term = entry_by_id(id).map_or(id, |e| e.term);
    let onclick = Callback::from(move |_: MouseEvent| {
        let document = gloo::utils::document();
        if let Some(details) = document
            .get_element_by_id(GLOSSARY_ID)
            .and_then(|e| e.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        {
            details.set_open(true);
        }
        if let Some(entry) = document
            .get_element_by_id(&entry_dom_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            entry.scroll_into_view_with_bool(true);
            let _ = entry.focus();
        }
    });
    html! {
        <button type="button" class="term-help" {onclick} data-term={id}
            aria-label={format!("What “{term}” means (glossary)")} title={format!("What “{term}” means")}>{ "?" }</button>
    }
}
