//! The network of actors at a chosen month: edges coloured by the sign of the median alignment
//! (and dashed when hostile), sized by its strength.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::value_input::parsed;
use crate::engine::PairBands;
use crate::scenario::Scenario;
use crate::view::format;
use crate::view::network::{circle_layout, edge_style};

/// What the network shows, and where the month slider's value goes.
pub struct NetworkProps<'a> {
    pub scenario: &'a Scenario,
    pub bands: &'a [PairBands],
    pub month: usize,
    pub horizon: usize,
    pub on_month: Callback<usize>,
}

const SIZE: f64 = 320.0;

/// A plain function, not a component: it is drawn from the finished results, which change
/// whenever it would re-render, and each component type costs the bundle its own copy of Yew's
/// machinery.
pub fn network(props: NetworkProps) -> Html {
    let scenario = props.scenario;
    let months_available = props.bands.first().map_or(0, |b| b.quantiles.len());
    let month = props.month.min(months_available.saturating_sub(1));
    let positions = circle_layout(scenario.actors.len(), SIZE / 2.0, SIZE / 2.0, SIZE / 2.0 - 44.0);
    let median = |pair: usize| props.bands[pair].quantiles[month][2];
    let onmonth = parsed::<InputEvent, HtmlInputElement, usize>(props.on_month.clone());
    let mut ranked: Vec<usize> = (0..scenario.pairs.len()).collect();
    crate::engine::sort_stably_by(&mut ranked, |&a, &b| median(b).total_cmp(&median(a)));
    let description = format!(
        "Network of {} actors at month {month}; the list below gives every pair's median alignment.",
        scenario.actors.len()
    );
    html! {
        <section class="network" aria-labelledby="network-heading">
            <h2 id="network-heading">{ format!("Network at month {month}") }</h2>
            <div class="setting">
                <label for="network-month">{ "Month shown" }</label>
                <input id="network-month" type="range" min="0" max={props.horizon.to_string()} step="1"
                    value={props.month.to_string()} aria-valuetext={format!("month {}", props.month)} oninput={onmonth} />
                <output for="network-month">{ month.to_string() }</output>
            </div>
            if months_available > 0 {
                <svg viewBox={format!("0 0 {SIZE} {SIZE}")} role="img" aria-label={description.clone()} class="network-svg">
                    <title>{ description }</title>
                    for (p, pair) in scenario.pairs.iter().enumerate() {
                        { edge(positions[pair.actors.0], positions[pair.actors.1], median(p), &scenario.pair_name(p)) }
                    }
                    for (i, actor) in scenario.actors.iter().enumerate() {
                        <g class="node">
                            <circle cx={positions[i].0.to_string()} cy={positions[i].1.to_string()} r="19" />
                            <text x={positions[i].0.to_string()} y={(positions[i].1 + 4.0).to_string()} text-anchor="middle">{ actor.id.clone() }</text>
                            <title>{ actor.name.clone() }</title>
                        </g>
                    }
                </svg>
                <p class="legend">
                    <span class="swatch aligned"></span>{ " aligned (solid) " }
                    <span class="swatch hostile"></span>{ " hostile (dashed); thicker = stronger." }
                </p>
                <details class="data-table">
                    <summary>{ "Pairs by median alignment" }</summary>
                    <ol>
                        for p in ranked {
                            <li>{ format!("{}: {} ({})", scenario.pair_name(p), format::value(median(p), 0.01), format::alignment_words(median(p))) }</li>
                        }
                    </ol>
                </details>
            }
        </section>
    }
}

fn edge(from: (f64, f64), to: (f64, f64), a: f64, name: &str) -> Html {
    let style = edge_style(a);
    html! {
        <line class="edge" x1={from.0.to_string()} y1={from.1.to_string()} x2={to.0.to_string()} y2={to.1.to_string()}
            stroke={style.colour} stroke-width={format!("{:.2}", style.width)}
            stroke-dasharray={if style.dashed { "6 4" } else { "none" }}>
            <title>{ format!("{name}: {}", format::value(a, 0.01)) }</title>
        </line>
    }
}
