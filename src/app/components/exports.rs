//! Everything on the page as files: quantiles and outcomes (CSV), the assumptions report
//! (Markdown) and the fan chart of the selected pair (SVG). The same functions serve the command
//! line's `export`, so the files agree.

use std::rc::Rc;

use yew::prelude::*;

use crate::analysis::export::{assumptions_markdown, fan_chart_svg, outcomes_csv, quantiles_csv};
use crate::app::browser::download;
use crate::app::Shared;
use crate::engine::Summary;
use crate::scenario::Scenario;

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    pub scenario: Shared<Scenario>,
    pub values: Rc<Vec<f64>>,
    pub summary: Shared<Summary>,
    pub pair: usize,
}

#[component]
pub fn Exports(props: &ExportsProps) -> Html {
    let status = use_state(String::new);
    let offer = |label: &'static str, make: Rc<dyn Fn() -> (String, String, &'static str)>| {
        let status = status.clone();
        let onclick = Callback::from(move |_| {
            let (name, text, mime) = make();
            status.set(match download(&name, &text, mime) {
                Ok(()) => String::new(),
                Err(reason) => format!("The download did not start: {reason}."),
            });
        });
        html! { <button type="button" {onclick}>{ label }</button> }
    };
    let (s, v, sum, pair) = (
        props.scenario.clone(),
        props.values.clone(),
        props.summary.clone(),
        props.pair,
    );
    let id = s.id.clone();
    let quantiles = {
        let (s, sum, id) = (s.clone(), sum.clone(), id.clone());
        Rc::new(move || (format!("{id}-quantiles.csv"), quantiles_csv(&s, &sum), "text/csv"))
    };
    let outcomes = {
        let (s, sum, id) = (s.clone(), sum.clone(), id.clone());
        Rc::new(move || (format!("{id}-outcomes.csv"), outcomes_csv(&s, &sum), "text/csv"))
    };
    let report = {
        let (s, id) = (s.clone(), id.clone());
        Rc::new(move || {
            (
                format!("{id}-assumptions.md"),
                assumptions_markdown(&s, &v),
                "text/markdown",
            )
        })
    };
    let chart = Rc::new(move || {
        let name = format!("{id}-{}.svg", s.pair_label(pair).replace('–', "-"));
        (name, fan_chart_svg(&s, &sum, pair), "image/svg+xml")
    });
    html! {
        <section class="exports" aria-labelledby="exports-heading">
            <h2 id="exports-heading">{ "Export" }</h2>
            <p class="export-buttons">
                { offer("Quantiles (CSV)", quantiles) }{ " " }
                { offer("Outcomes (CSV)", outcomes) }{ " " }
                { offer("Assumptions report (Markdown)", report) }{ " " }
                { offer("Fan chart of this pair (SVG)", chart) }
            </p>
            if !status.is_empty() { <p role="status">{ (*status).clone() }</p> }
        </section>
    }
}
