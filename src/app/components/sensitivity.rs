//! Which assumptions matter: the sensitivity tornado of one outcome, computed off the UI thread on
//! several workers with common random numbers (every ensemble uses the page's seed, so run r draws
//! the same numbers at both ends of every range and the bars are effects, not sampling noise).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::chart_images::ChartImages;
use super::synced_select::use_synced_select;
use crate::analysis::export::{tornado_csv, tornado_svg};
use crate::analysis::sensitivity::{assemble, Tornado, INFLUENTIAL_SWING, NOISE_MULTIPLE};
use crate::app::browser::download;
use crate::app::Shared;
use crate::engine::Settings;
use crate::scenario::Scenario;
use crate::state::TornadoRun;
use crate::view::format;
use crate::view::tornado::{label_lines, BarEnd, Rect, TornadoLayout, PAGE_LABEL_CHARS, TICKS};

/// Bars shown before "show all".
const SHOWN_BARS: usize = 15;

#[derive(Properties, PartialEq)]
pub struct SensitivityProps {
    pub scenario: Shared<Scenario>,
    pub settings: Settings,
    /// Changes whenever an input changes: a tornado of older inputs is marked as such.
    pub generation: u64,
    /// The last tornado asked for, as far as the workers have answered.
    pub tornado: Option<TornadoRun>,
    /// The outcome it is drawn for.
    pub outcome: usize,
    pub on_compute: Callback<()>,
    pub on_cancel: Callback<()>,
    pub on_outcome: Callback<usize>,
    /// The share link, written into chart images.
    pub link: AttrValue,
}

#[component]
pub fn Sensitivity(props: &SensitivityProps) -> Html {
    let show_all = use_state(|| false);
    let onrun = props.on_compute.reform(|_: MouseEvent| ());
    let oncancel = props.on_cancel.reform(|_: MouseEvent| ());
    let onoutcome = {
        let on_outcome = props.on_outcome.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Ok(index) = select.value().parse::<usize>() {
                on_outcome.emit(index);
            }
        })
    };
    let picker = use_synced_select(props.outcome.to_string());
    let scenario = &props.scenario;
    let outcome_index = props.outcome.min(scenario.outcomes.len().saturating_sub(1));
    let run = props.tornado.as_ref();

    let tornado: Option<Tornado> = run.and_then(|r| {
        let results = r.finished()?;
        assemble(&r.scenario, &r.values, r.settings, &results, outcome_index).ok()
    });
    let running = run.is_some_and(TornadoRun::is_running);
    let stale = run.is_some_and(|r| r.generation != props.generation);

    let downloads = tornado.as_ref().map(|t| {
        let (scenario, t1, t2) = (scenario.clone(), t.clone(), t.clone());
        let scenario2 = scenario.clone();
        let id = scenario.outcomes[t.outcome].id.clone();
        let (id1, id2) = (id.clone(), id);
        (
            Callback::from(move |_| {
                let _ = download(&format!("tornado-{id1}.csv"), &tornado_csv(&scenario, &t1), "text/csv");
            }),
            Callback::from(move |_| {
                let _ = download(
                    &format!("tornado-{id2}.svg"),
                    &tornado_svg(&scenario2, &t2, usize::MAX),
                    "image/svg+xml",
                );
            }),
        )
    });

    html! {
        <section class="sensitivity" aria-labelledby="sensitivity-heading">
            <h2 id="sensitivity-heading">{ "Which assumptions matter" }</h2>
            <p class="caption">{ format!(
                "Each assumption set to the low and to the high end of its plausible range, everything else as it is now, {} runs each on the same random draws. Bars ranked by how far they move the outcome; ★ marks assumptions that matter (a swing of at least {:.0} points and {} paired standard errors) and rest on low confidence: where better evidence would matter most.",
                props.settings.runs, 100.0 * INFLUENTIAL_SWING, NOISE_MULTIPLE
            ) }</p>
            <div class="setting">
                <label for="tornado-outcome">{ "Outcome" }</label>
                <select id="tornado-outcome" ref={picker} onchange={onoutcome}>
                    for (i, o) in scenario.outcomes.iter().enumerate() {
                        <option value={i.to_string()} selected={i == outcome_index}>{ o.label.clone() }</option>
                    }
                </select>
                <button type="button" id="run-sensitivity" onclick={onrun} disabled={running}>
                    { if run.is_some() { "Recompute sensitivity" } else { "Compute sensitivity" } }
                </button>
                if running {
                    <button type="button" id="cancel-sensitivity" onclick={oncancel}>{ "Cancel" }</button>
                }
            </div>
            if let Some(r) = run {
                <p class="status" role="status" data-tornado-status={if running { "running" } else { "done" }}>
                    if running {
                        { format!("Computing {} ensembles on {} workers… ", r.total(), r.workers()) }
                        <progress max={r.total().to_string()} value={r.done.iter().sum::<usize>().to_string()} aria-label="Progress of the sensitivity analysis" />
                    } else if let Some(ms) = r.milliseconds {
                        <span data-milliseconds={format!("{ms:.0}")}>{ format!("{} ensembles of {} runs in {:.1} s on {} workers.", r.total(), r.settings.runs, ms / 1000.0, r.workers()) }</span>
                    }
                    if stale {
                        <strong>{ " The inputs have changed since: recompute to update." }</strong>
                    }
                </p>
            }
            if let (Some(t), Some(r)) = (&tornado, run) {
                { tornado_chart(&r.scenario, t, if *show_all { usize::MAX } else { SHOWN_BARS }) }
                <ChartImages target="tornado-chart" what={format!("which assumptions matter for “{}”", r.scenario.outcomes[t.outcome].label)}
                    file={format!("tornado-{}", r.scenario.outcomes[t.outcome].id)} scenario_title={r.scenario.title.clone()} link={props.link.clone()} />
                <p>
                    if t.bars.len() > SHOWN_BARS {
                        <button type="button" onclick={let show_all = show_all.clone(); Callback::from(move |_| show_all.set(!*show_all))}>
                            { if *show_all { "Show the top 15".to_string() } else { format!("Show all {}", t.bars.len()) } }
                        </button>
                        { " " }
                    }
                    if let Some((csv, svg)) = downloads {
                        <button type="button" onclick={csv}>{ "Tornado as CSV" }</button>{ " " }
                        <button type="button" onclick={svg}>{ "Tornado as SVG" }</button>
                    }
                </p>
            }
        </section>
    }
}

/// The tornado: one row per assumption, two bars from the current value's probability to the
/// probability at the low and at the high end of its range ([`TornadoLayout`], as in the SVG file).
fn tornado_chart(scenario: &Scenario, tornado: &Tornado, max_bars: usize) -> Html {
    let layout = TornadoLayout::PAGE;
    let bars: Vec<_> = tornado.bars.iter().take(max_bars).collect();
    let (height, bottom) = (layout.height(bars.len()), layout.rows_bottom(bars.len()));
    let base = tornado.base.probability;
    let outcome = &scenario.outcomes[tornado.outcome];
    let description = format!(
        "Sensitivity of “{}” (now {}): the most influential assumption is {}.",
        outcome.label,
        format::percent(base),
        bars.first()
            .map_or("none".to_string(), |b| scenario.assumptions[b.assumption].label.clone())
    );
    let rect = |r: Rect, class: &'static str| {
        html! {
            <rect class={class} x={format!("{:.1}", r.x)} y={format!("{:.1}", r.y)} width={format!("{:.1}", r.width)} height={format!("{:.1}", r.height)} />
        }
    };
    html! {
        <figure class="tornado">
            <div class="chart-scroll" id="tornado-chart">
            <svg viewBox={format!("0 0 {} {height}", layout.width)} role="img" aria-label={description.clone()}>
                <title>{ description.clone() }</title>
                for tick in TICKS {
                    <line class="grid" x1={layout.x(tick).to_string()} x2={layout.x(tick).to_string()} y1={(layout.top - 6.0).to_string()} y2={bottom.to_string()} />
                    <text class="tick" x={layout.x(tick).to_string()} y={layout.tick_label_y().to_string()} text-anchor="middle">{ format::percent(tick) }</text>
                }
                <line class="base" x1={layout.x(base).to_string()} x2={layout.x(base).to_string()} y1={(layout.top - 4.0).to_string()} y2={bottom.to_string()} />
                for (row, bar) in bars.iter().enumerate() {
                    {{
                        let label = &scenario.assumptions[bar.assumption].label;
                        let (lo, hi) = (bar.low.probability, bar.high.probability);
                        html! {
                            <g class={classes!("bar-row", bar.flagged.then_some("flagged"))} data-assumption={scenario.assumptions[bar.assumption].id.clone()}>
                                <text class="bar-label" x={layout.label_x().to_string()} y={layout.text_y(row).to_string()} text-anchor="end">
                                    {{
                                        let lines = label_lines(&format!("{}{}", if bar.flagged { "★ " } else { "" }, label), PAGE_LABEL_CHARS);
                                        // Centred on the row: the first line moves up half a line per extra line.
                                        let first = format!("{:.2}em", -0.55 * (lines.len().max(1) - 1) as f64);
                                        lines.into_iter().enumerate().map(|(i, line)| html! {
                                            <tspan x={layout.label_x().to_string()} dy={if i == 0 { first.clone() } else { "1.1em".to_string() }}>{ line }</tspan>
                                        }).collect::<Html>()
                                    }}
                                </text>
                                { rect(layout.bar(row, base, lo, BarEnd::Low), "low-end") }
                                { rect(layout.bar(row, base, hi, BarEnd::High), "high-end") }
                                <text class="swing" x={layout.swing_x().to_string()} y={layout.text_y(row).to_string()}>
                                    { format!("{:.1} ± {:.1}", 100.0 * bar.swing, 100.0 * bar.change.std_error) }
                                </text>
                                <title>{ format!(
                                    "{label}: {} at the low end ({}), {} at the high end ({}); change {} points{}",
                                    format::percent(lo), format::true_minus(&bar.low_value.to_string()), format::percent(hi), format::true_minus(&bar.high_value.to_string()),
                                    format::points_change(bar.change.delta, bar.change.std_error),
                                    if bar.flagged { "; influential and low confidence" } else { "" }
                                ) }</title>
                            </g>
                        }
                    }}
                }
            </svg>
            </div>
            <figcaption>
                <span class="swatch low-end"></span>{ " low end of the plausible range (upper bar, dashed)  " }
                <span class="swatch high-end"></span>{ " high end (lower bar); the line is the current value; right: swing ± paired standard error, in points. " }
                { description }
            </figcaption>
            <details class="data-table">
                <summary>{ "Table" }</summary>
                <table>
                    <thead><tr><th scope="col">{ "Assumption" }</th><th scope="col">{ "low end" }</th><th scope="col">{ "high end" }</th>
                        <th scope="col">{ "change (± paired SE)" }</th><th scope="col">{ "confidence" }</th></tr></thead>
                    <tbody>
                        for bar in bars.iter() {
                            <tr data-assumption={scenario.assumptions[bar.assumption].id.clone()} data-swing={bar.swing.to_string()}>
                                <th scope="row">{ format!("{}{}", if bar.flagged { "★ " } else { "" }, scenario.assumptions[bar.assumption].label) }</th>
                                <td>{ format::percent(bar.low.probability) }</td>
                                <td>{ format::percent(bar.high.probability) }</td>
                                <td>{ format::points_change(bar.change.delta, bar.change.std_error) }</td>
                                <td>{ scenario.assumptions[bar.assumption].confidence.as_str() }</td>
                            </tr>
                        }
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
