//! The compact view for an iframe (`embed=1` in the link): the speculative notice, the
//! scenario's title, the chosen pair's fan chart, the outcomes, and a link to the full page.
//! Nothing else is drawn, and nothing is fetched from another origin.

use yew::prelude::*;

use super::fan_chart::FanChart;
use super::outcomes::Outcomes;
use super::results::{shown_bands, shown_outcomes};
use crate::app::Shared;
use crate::state::State;
use crate::view::format;

/// The whole page in embed mode; `full_url` is the same state on the full page. A plain
/// function, not a component, so that it adds no copy of Yew's component machinery.
pub fn embed(state: &State, full_url: String) -> Html {
    let scenario = Shared(state.scenario.clone());
    let pair = state.view.pair;
    let runs = state.summary.as_ref().map_or(state.settings.runs, |s| s.settings.runs);
    html! {
        <main class="embed" data-status={if state.progress.is_some() { "running" } else { "done" }}>
            <p class="notice" role="note">
                <strong>{ "Speculative model, not a forecast. " }</strong>
                { "Every number follows from adjustable assumptions drawn from opinion pieces and unverified reports." }
            </p>
            <h1>{ scenario.title.clone() }</h1>
            <section class="fan-main" aria-label="Alignment over time">
                if let Some(bands) = shown_bands(state).and_then(|b| b.get(pair).cloned()) {
                    <FanChart title={AttrValue::from(scenario.pair_name(pair))} {bands} horizon={state.settings.horizon} large=true />
                }
            </section>
            if let Some(outcomes) = shown_outcomes(state) {
                <Outcomes scenario={scenario.clone()} {outcomes} {runs} />
            }
            <p class="embed-foot">
                <a href={full_url} target="_blank" rel="noopener">{ "Open the full page: every assumption, its sources, and the sliders" }</a>
                { format!(" · {}", format::recipe(&state.settings)) }
            </p>
        </main>
    }
}
