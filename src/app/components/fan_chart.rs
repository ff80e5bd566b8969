//! A fan chart of one pair over the months, as SVG with a text alternative.

use yew::prelude::*;

use super::glossary::term_help;
use crate::engine::PairBands;
use std::rc::Rc;

use crate::view::fan::{fan_paths, line_path, month_ticks, Frame};
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct FanChartProps {
    /// "Russia–China"
    pub title: AttrValue,
    pub bands: PairBands,
    pub horizon: usize,
    /// Large chart with axes and a data table, or a small multiple.
    #[prop_or_default]
    pub large: bool,
    /// The pair's path without noise or events, months 0 … horizon (drawn dashed).
    #[prop_or_default]
    pub drift: Option<Rc<Vec<f64>>>,
    /// The calendar month of month 0 ("2025-08") and today's model month, when the scenario
    /// states its start (large chart: today is marked, and the caption says what month 0 is).
    #[prop_or_default]
    pub calendar: Option<(AttrValue, usize)>,
}

/// The frame of a large chart (also the comparison overlay's).
pub const LARGE: Frame = Frame {
    width: 640.0,
    height: 300.0,
    left: 44.0,
    right: 14.0,
    top: 12.0,
    bottom: 46.0,
};
const SMALL: Frame = Frame {
    width: 200.0,
    height: 110.0,
    left: 34.0,
    right: 8.0,
    top: 8.0,
    bottom: 20.0,
};

/// The plot area, the hostile half shaded, and the axes: alignment on the left (−1…+1), months
/// below. Tick labels are placed in `em` from their axis, so that text enlarged by the narrow-
/// screen style keeps clear of the plot. `full` adds grid lines at every half and the axis title (large charts); small ones get
/// −1, 0 and +1 and the first and last month.
pub fn axes(frame: &Frame, horizon: usize, full: bool) -> Html {
    let (x0, x1) = (frame.x(0, horizon), frame.x(horizon, horizon));
    let levels: &[f64] = if full {
        &[-1.0, -0.5, 0.0, 0.5, 1.0]
    } else {
        &[-1.0, 0.0, 1.0]
    };
    let months = if full { month_ticks(horizon) } else { vec![0, horizon] };
    html! {
        <>
            <rect class="plot-area" x={x0.to_string()} y={frame.y(1.0).to_string()} width={(x1 - x0).to_string()}
                height={(frame.y(-1.0) - frame.y(1.0)).to_string()} />
            <rect class="hostile-zone" x={x0.to_string()} y={frame.y(0.0).to_string()} width={(x1 - x0).to_string()}
                height={(frame.y(-1.0) - frame.y(0.0)).to_string()} />
            for &level in levels {
                <line class={if level == 0.0 { "zero" } else { "grid" }} x1={x0.to_string()} x2={x1.to_string()} y1={frame.y(level).to_string()} y2={frame.y(level).to_string()} />
                <text class="tick" x={(x0 - 4.0).to_string()} y={frame.y(level).to_string()} dy="0.35em" text-anchor="end">
                    { format::value(level, 0.5) }
                </text>
            }
            for month in months {
                <text class="tick" x={frame.x(month, horizon).to_string()} y={frame.y(-1.0).to_string()} dy="1.15em" text-anchor="middle">
                    { month.to_string() }
                </text>
            }
            if full {
                <text class="axis-label" x={((x0 + x1) / 2.0).to_string()} y={(frame.height - 2.0).to_string()} text-anchor="middle">{ "month" }</text>
            }
        </>
    }
}

/// One sentence describing the chart for screen readers.
fn describe(title: &str, bands: &PairBands) -> String {
    match bands.quantiles.last() {
        Some(q) => format!(
            "{title}: at month {} the median alignment is {} ({}); 90 % of runs lie between {} and {}.",
            bands.quantiles.len() - 1,
            format::value(q[2], 0.01),
            format::alignment_words(q[2]),
            format::value(q[0], 0.01),
            format::value(q[4], 0.01)
        ),
        None => format!("{title}: no results yet."),
    }
}

#[component]
pub fn FanChart(props: &FanChartProps) -> Html {
    let frame = if props.large { LARGE } else { SMALL };
    let paths = fan_paths(&props.bands, props.horizon, &frame);
    let description = describe(&props.title, &props.bands);
    let view_box = format!("0 0 {} {}", frame.width, frame.height);
    html! {
        <figure class={classes!("fan", if props.large { "large" } else { "small" })}>
            if !props.large {
                <figcaption>{ props.title.clone() }</figcaption>
            }
            <svg viewBox={view_box} role="img" aria-label={description.clone()} preserveAspectRatio="none">
                <title>{ description.clone() }</title>
                { axes(&frame, props.horizon, props.large) }
                <path class="band-outer" d={paths.outer} />
                <path class="band-inner" d={paths.inner} />
                <path class="median" d={paths.median} />
                if let Some(drift) = &props.drift {
                    <path class="drift" d={line_path(drift, props.horizon, &frame)} />
                }
                if let Some((_, today)) = props.calendar.as_ref().filter(|(_, t)| props.large && *t <= props.horizon) {
                    <line class="today" x1={frame.x(*today, props.horizon).to_string()} x2={frame.x(*today, props.horizon).to_string()}
                        y1={frame.y(1.0).to_string()} y2={frame.y(-1.0).to_string()} />
                    <text class="tick today-label" x={(frame.x(*today, props.horizon) + 3.0).to_string()} y={frame.y(1.0).to_string()} dy="1em">{ "today" }</text>
                }
            </svg>
            if props.large {
                <figcaption>{ description }{ " " }{ term_help("fan-chart") }</figcaption>
                if let Some((start, today)) = &props.calendar {
                    <p class="caption calendar" data-today={today.to_string()}>{
                        format!("Months count from the scenario's start: month 0 is {start}, and today is month {today}{}. Whatever happened since month 0 is in the model only where you mark it (Assumptions, events: “What is known”).",
                            if *today > props.horizon { ", after the horizon" } else { " (the vertical line)" })
                    }</p>
                }
                if let Some(drift) = &props.drift {
                    <p class="caption drift-legend" data-drift-end={drift.last().map(|a| a.to_string())}>
                        <span class="legend-swatch" aria-hidden="true"></span>
                        { format!(" Dashed: the path without noise or events, from {} to {} — where mean reversion and the balance pressure alone take this pair (not the baseline when the balance pressure is on).",
                            drift.first().map_or(String::new(), |a| format::value(*a, 0.01)),
                            drift.last().map_or(String::new(), |a| format::value(*a, 0.01))) }
                    </p>
                }
                <details class="data-table">
                    <summary>{ "Data table" }</summary>
                    <table>
                        <thead><tr><th scope="col">{ "month" }</th><th scope="col">{ "5 %" }</th><th scope="col">{ "25 %" }</th>
                            <th scope="col">{ "median" }</th><th scope="col">{ "75 %" }</th><th scope="col">{ "95 %" }</th><th scope="col">{ "mean" }</th></tr></thead>
                        <tbody>
                            for (month, (q, mean)) in props.bands.quantiles.iter().zip(&props.bands.mean).enumerate() {
                                <tr>
                                    <th scope="row">{ month.to_string() }</th>
                                    for v in q.iter() { <td>{ format::value(*v, 0.001) }</td> }
                                    <td>{ format::value(*mean, 0.001) }</td>
                                </tr>
                            }
                        </tbody>
                    </table>
                </details>
            }
        </figure>
    }
}
