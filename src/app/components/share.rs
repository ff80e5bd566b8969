//! The share link: a copy button, and the link itself in a field anyone can select.

use yew::prelude::*;

use crate::app::browser::copy_to_clipboard;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub url: AttrValue,
}

#[component]
pub fn Share(props: &ShareProps) -> Html {
    let status = use_state(|| None::<String>);
    let onclick = {
        let status = status.clone();
        let url = props.url.clone();
        Callback::from(move |_| {
            let status = status.clone();
            let url = url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                status.set(Some(match copy_to_clipboard(&url).await {
                    Ok(()) => "Link copied.".to_string(),
                    Err(reason) => format!("Could not copy ({reason}); select the link below and copy it."),
                }));
            });
        })
    };
    let onfocus = Callback::from(|event: FocusEvent| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        input.select();
    });
    html! {
        <section class="share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ "Share this exact state" }</h2>
            <div class="share-row">
                <button type="button" id="copy-link" {onclick}>{ "Copy link" }</button>
                <span class="copy-status" role="status">{ (*status).clone().unwrap_or_default() }</span>
            </div>
            <label for="share-url">{ format!("Link ({} characters): opening it reproduces these sliders and numbers", props.url.len()) }</label>
            <input id="share-url" type="text" readonly=true value={props.url.clone()} {onfocus} />
        </section>
    }
}
