//! Messages as people read them on the page. The command line writes names from a link or a
//! file between backticks (`` `runs` ``); the page shows those names as code instead of raw
//! backticks, and a negative number in prose with a true minus (−).

use yew::prelude::*;

use crate::view::format::true_minus;

/// `text` with each `` `name` `` shown as `<code>name</code>`, and " -0.6" as " −0.6".
pub fn message(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part.to_string() }</code> }
            } else {
                html! { { true_minus(part) } }
            }
        })
        .collect()
}
