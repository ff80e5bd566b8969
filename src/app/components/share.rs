//! The share link: a copy button, and the link itself in a field anyone can select.

use std::rc::Rc;

use yew::prelude::*;

use super::custom::DownloadScenario;
use crate::app::browser::copy_to_clipboard;
use crate::app::Shared;
use crate::engine::Settings;
use crate::scenario::Scenario;

/// Links longer than this may not survive e-mail, chat or older browsers.
const LONG_LINK: usize = 8000;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub url: AttrValue,
    /// The same state's compact view (`embed=1`).
    pub embed_url: AttrValue,
    pub scenario: Shared<Scenario>,
    pub values: Rc<Vec<f64>>,
    pub settings: Settings,
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
    let show_embed = use_state(|| false);
    let onembed = {
        let show_embed = show_embed.clone();
        Callback::from(move |_| show_embed.set(!*show_embed))
    };
    let snippet = iframe_snippet(&props.embed_url, &props.scenario.title);
    html! {
        <section class="share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ "Share this exact state" }</h2>
            <div class="share-row">
                <button type="button" id="copy-link" {onclick}>{ "Copy link" }</button>
                <span class="copy-status" role="status">{ (*status).clone().unwrap_or_default() }</span>
            </div>
            <label for="share-url">{ format!("Link ({} characters): opening it reproduces these sliders and numbers", props.url.len()) }</label>
            <input id="share-url" type="text" readonly=true value={props.url.clone()} {onfocus} />
            if props.url.len() > LONG_LINK {
                <p class="message long-link" role="note">
                    { format!("This link is {} characters long, because it carries your scenario file; some mail and chat programs cut links over about {LONG_LINK} characters. To be safe, send the file instead:", props.url.len()) }
                </p>
            }
            <div class="share-row">
                <button type="button" id="embed-button" aria-expanded={show_embed.to_string()} aria-controls="embed-code" onclick={onembed}>{ "Embed" }</button>
                <span class="caption">{ "A compact view of this state (chart, outcomes, the speculative notice, a link here) for an article." }</span>
            </div>
            if *show_embed {
                <label for="embed-code">{ "Paste this into your page's HTML:" }</label>
                <textarea id="embed-code" readonly=true rows="4" value={snippet} onfocus={Callback::from(|event: FocusEvent| {
                    let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
                    area.select();
                })} />
            }
            <p>
                <DownloadScenario scenario={props.scenario.clone()} values={props.values.clone()} settings={props.settings} />
                <span class="caption">{ " The file's defaults are the current slider values; loading it gives the same numbers." }</span>
            </p>
        </section>
    }
}

/// The `<iframe>` element that shows `url` (a link with `embed=1`), its attribute values escaped.
fn iframe_snippet(url: &str, title: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    format!(
        "<iframe src=\"{}\" title=\"{} (speculative scenario simulator)\" width=\"100%\" height=\"720\" style=\"border:0;max-width:760px\" loading=\"lazy\"></iframe>",
        escape(url),
        escape(title)
    )
}
