//! Keeps a `<select>` showing the state's choice. Once a user has picked an option, browsers no
//! longer follow the `selected` attribute, so a change from elsewhere (back/forward, a link, a
//! reset) is written to the element's value directly.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[hook]
pub fn use_synced_select(value: String) -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(value, move |value| {
            if let Some(select) = node.cast::<HtmlSelectElement>() {
                if select.value() != *value {
                    select.set_value(value);
                }
            }
        });
    }
    node
}
