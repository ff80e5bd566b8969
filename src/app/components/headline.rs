//! The headline result on phones: one outcome's probability ± its error and a small fan of the
//! chosen pair, in a bar that stays at the top of the screen (CSS `position: sticky`) while the
//! sliders further down are moved, so that a move shows its effect without scrolling back.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::glossary::term_help;
use crate::engine::{PairBands, Proportion};
use crate::scenario::Scenario;
use crate::view::fan::{fan_paths, Frame};
use crate::view::format;

/// The little fan: no axis text (the large chart below has it), only the zero line.
const TINY: Frame = Frame {
    width: 96.0,
    height: 48.0,
    left: 1.0,
    right: 1.0,
    top: 1.0,
    bottom: 1.0,
};

/// What the headline shows.
pub struct HeadlineProps<'a> {
    pub scenario: &'a Scenario,
    /// One per outcome, or `None` before the first results.
    pub outcomes: Option<Rc<Vec<Proportion>>>,
    /// The chosen pair's bands as drawn in the large chart.
    pub bands: Option<&'a PairBands>,
    pub pair: usize,
    pub horizon: usize,
    /// The outcome shown.
    pub outcome: usize,
    pub on_outcome: Callback<usize>,
}

/// A plain function, not a component: it has no state of its own (the outcome shown is the
/// page's), and each component type costs the page bundle its own copy of Yew's machinery.
pub fn headline(props: HeadlineProps) -> Html {
    let scenario = props.scenario;
    let outcome = props.outcome.min(scenario.outcomes.len().saturating_sub(1));
    let onchange = props.on_outcome.reform(|event: Event| {
        let select: HtmlSelectElement = event.target_unchecked_into();
        select.value().parse().unwrap_or(0)
    });
    let estimate = props.outcomes.as_ref().and_then(|o| o.get(outcome).copied());
    let median = props.bands.and_then(|b| b.quantiles.last().map(|q| q[2]));
    let paths = props.bands.map(|b| fan_paths(b, props.horizon, &TINY));
    html! {
        <div class="headline" role="group" aria-label="Headline result">
            if let Some(paths) = paths {
                <svg class="headline-fan" viewBox={format!("0 0 {} {}", TINY.width, TINY.height)} aria-hidden="true" preserveAspectRatio="none">
                    <rect class="hostile-zone" x="0" y={TINY.y(0.0).to_string()} width={TINY.width.to_string()} height={(TINY.y(-1.0) - TINY.y(0.0)).to_string()} />
                    <line class="zero" x1="0" x2={TINY.width.to_string()} y1={TINY.y(0.0).to_string()} y2={TINY.y(0.0).to_string()} />
                    <path class="band-outer" d={paths.outer} />
                    <path class="band-inner" d={paths.inner} />
                    <path class="median" d={paths.median} />
                </svg>
            }
            <div class="headline-text">
                <label for="headline-outcome" class="visually-hidden">{ "Outcome shown at the top" }</label>
                <select id="headline-outcome" {onchange}>
                    for (i, o) in scenario.outcomes.iter().enumerate() {
                        <option value={i.to_string()} selected={i == outcome}>{ o.label.clone() }</option>
                    }
                </select>
                <p>
                    <output class="headline-probability" for="headline-outcome">
                        { estimate.map_or_else(|| "…".to_string(), |p| format::percent_with_error(p.probability, p.std_error)) }
                    </output>
                    { term_help("mc-error") }
                    if let Some(median) = median {
                        <span class="headline-pair">{ format!("{}: median {}", scenario.pair_name(props.pair), format::value(median, 0.01)) }</span>
                    }
                </p>
            </div>
        </div>
    }
}
