//! Picking a scenario, and what it is based on: its summary and its sources with their
//! reliability.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::custom::ScenarioLoader;
use super::synced_select::use_synced_select;
use super::value_input::on_value;
use crate::app::{Dispatch, Shared};
use crate::scenario::{builtin, builtin_ids, Scenario};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ScenarioPanelProps {
    pub scenario: Shared<Scenario>,
    /// The scenario was loaded by the user (not built in).
    pub carried: bool,
    pub dispatch: Dispatch,
}

#[component]
pub fn ScenarioPanel(props: &ScenarioPanelProps) -> Html {
    let scenario = &props.scenario;
    let onchange = on_value::<Event, HtmlSelectElement, String>(&props.dispatch, Action::SelectScenario);
    let picker = use_synced_select(if props.carried {
        String::new()
    } else {
        scenario.id.clone()
    });
    let titles: Vec<(String, String)> = builtin_ids()
        .map(|id| {
            let title = builtin(id)
                .and_then(Result::ok)
                .map_or_else(|| id.to_string(), |s| s.title);
            (id.to_string(), title)
        })
        .collect();
    html! {
        <section class="scenario-panel" aria-labelledby="scenario-heading">
            <h2 id="scenario-heading">{ "Scenario" }</h2>
            <label for="scenario-picker" class="visually-hidden">{ "Scenario" }</label>
            <select id="scenario-picker" ref={picker} {onchange}>
                if props.carried {
                    <option value="" selected=true disabled=true>{ format!("Your scenario: {}", scenario.title) }</option>
                }
                for (id, title) in titles {
                    <option value={id.clone()} selected={!props.carried && id == scenario.id}>{ title }</option>
                }
            </select>
            if props.carried {
                <p class="caption">{ format!("“{}” was loaded from a file; it is not one of the built-in scenarios. Its text travels inside the share link.", scenario.title) }</p>
            }
            <p class="summary">{ scenario.summary.clone() }</p>
            <details class="sources">
                <summary>{ format!("Sources ({}) and how far to trust them", scenario.sources.len()) }</summary>
                <ul>
                    for source in scenario.sources.iter() {
                        <li>
                            <strong>{ source.title.clone() }</strong>
                            { format!(" — {}, {} ({})", source.description, source.date, source.kind.as_str()) }
                            <br/>
                            <span class="reliability">{ "Reliability: " }{ source.reliability.clone() }</span>
                        </li>
                    }
                </ul>
            </details>
            <ScenarioLoader dispatch={props.dispatch.clone()} />
        </section>
    }
}
