//! "Image: PNG · SVG" under a chart: the chart as drawn, with the scenario's title, the
//! speculative notice and the share link in the image ([`crate::app::image`]).

use yew::prelude::*;

use crate::app::browser::download;
use crate::app::image::{chart_image, download_png};

#[derive(Properties, PartialEq)]
pub struct ChartImagesProps {
    /// Id of the element that holds the chart (or charts).
    pub target: AttrValue,
    /// Selector of HTML titles drawn into the image too (small charts' captions); "" for none.
    #[prop_or_default]
    pub captions: AttrValue,
    /// What the chart is, for the buttons' names and the image's title: "Fan chart, US–Russia".
    pub what: AttrValue,
    /// The file name without extension.
    pub file: AttrValue,
    pub scenario_title: AttrValue,
    pub link: AttrValue,
}

#[component]
pub fn ChartImages(props: &ChartImagesProps) -> Html {
    let status = use_state(String::new);
    let save = |png: bool| {
        let (status, target, captions) = (status.clone(), props.target.clone(), props.captions.clone());
        let title = format!("{}: {}", props.scenario_title, props.what);
        let (file, link) = (props.file.clone(), props.link.clone());
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            let image = gloo::utils::document()
                .get_element_by_id(&target)
                .ok_or_else(|| "the chart is not drawn yet".to_string())
                .and_then(|e| chart_image(&e, &captions, &title, &link));
            let file = file.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let saved = match image {
                    Ok(image) if png => download_png(&image, &format!("{file}.png")).await,
                    Ok(image) => download(&format!("{file}.svg"), &image.svg, "image/svg+xml"),
                    Err(reason) => Err(reason),
                };
                status.set(saved.err().map_or(String::new(), |r| format!("No image: {r}.")));
            });
        })
    };
    html! {
        <p class="chart-images">
            { "Image: " }
            <button type="button" onclick={save(true)} aria-label={format!("{} as a PNG image", props.what)}>{ "PNG" }</button>{ " " }
            <button type="button" onclick={save(false)} aria-label={format!("{} as an SVG image", props.what)}>{ "SVG" }</button>
            if !status.is_empty() { <span role="status">{ " " }{ (*status).clone() }</span> }
        </p>
    }
}
