//! The sensitivity tornado as a standalone SVG file, with a title and description as the text
//! alternative and a tooltip per bar.

use std::fmt::Write;

use super::svg::{xml, TEXT_COLOUR};
use crate::analysis::sensitivity::{Tornado, INFLUENTIAL_SWING, NOISE_MULTIPLE};
use crate::scenario::Scenario;
use crate::view::{format, ALIGNED_COLOUR, NEUTRAL_COLOUR};

/// A standalone SVG file of a tornado: for each of the first `max_bars` bars (largest swing
/// first), the outcome's probability with the assumption at the low end (dashed outline, grey) and
/// at the high end (solid, blue) of its range, drawn from the current value's probability (the
/// vertical line). Flagged bars carry a `*` after their id: never colour alone.
pub fn tornado_svg(scenario: &Scenario, tornado: &Tornado, max_bars: usize) -> String {
    const ROW: f64 = 18.0;
    const LEFT: f64 = 330.0;
    const RIGHT: f64 = 110.0;
    const TOP: f64 = 74.0;
    const WIDTH: f64 = 900.0;
    let bars = &tornado.bars[..tornado.bars.len().min(max_bars)];
    let height = TOP + ROW * bars.len() as f64 + 40.0;
    let x = |p: f64| LEFT + (WIDTH - LEFT - RIGHT) * p.clamp(0.0, 1.0);
    let spec = &scenario.outcomes[tornado.outcome];
    let settings = tornado.settings;
    let title = format!("What moves “{}” (speculative, not a forecast)", spec.label);
    let flagged = tornado.bars.iter().filter(|b| b.flagged).count();
    let description = format!(
        "Tornado chart of the {shown} most influential of {total} assumptions of the scenario “{scenario}” for the outcome “{label}” \
         ({probability} at the current values). Each assumption is set to the low and to the high end of its range, all else \
         unchanged, on the same random draws (seed {seed}, {runs} runs). {top} {flagged} assumptions are flagged: they move the \
         outcome by at least {points:.0} percentage points and {NOISE_MULTIPLE} paired standard errors, and have low confidence. \
         A speculative model, not a forecast.",
        points = 100.0 * INFLUENTIAL_SWING,
        shown = bars.len(),
        total = tornado.bars.len(),
        scenario = scenario.title,
        label = spec.label,
        probability = format::percent(tornado.base.probability),
        seed = settings.seed,
        runs = settings.runs,
        top = bars.first().map_or(String::new(), |b| format!(
            "The largest swing is {} ({}): {} at its low end, {} at its high end.",
            scenario.assumptions[b.assumption].id,
            scenario.assumptions[b.assumption].label,
            format::percent(b.low.probability),
            format::percent(b.high.probability)
        )),
    );
    let mut out = String::new();
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="title desc" font-family="sans-serif">"#
    );
    let _ = writeln!(out, r#"<title id="title">{}</title>"#, xml(&title));
    let _ = writeln!(out, r#"<desc id="desc">{}</desc>"#, xml(&description));
    let _ = writeln!(out, r##"<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>"##);
    let _ = writeln!(
        out,
        r#"<text x="10" y="20" font-size="14" font-weight="bold" fill="{TEXT_COLOUR}">{}</text>"#,
        xml(&title)
    );
    let subtitle = format!(
        "{} · seed {}, {} runs, {} months · current value {} · grey dashed: low end, blue solid: high end · * flagged",
        scenario.title,
        settings.seed,
        settings.runs,
        settings.horizon,
        format::percent(tornado.base.probability)
    );
    let _ = writeln!(
        out,
        r#"<text x="10" y="38" font-size="11" fill="{TEXT_COLOUR}">{}</text>"#,
        xml(&subtitle)
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = writeln!(
            out,
            r#"<line x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{2:.1}" stroke="{NEUTRAL_COLOUR}" stroke-opacity="0.4" stroke-width="1"/>"#,
            x(tick),
            TOP - 8.0,
            height - 34.0
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="{TEXT_COLOUR}">{}</text>"#,
            x(tick),
            TOP - 12.0,
            xml(&format::percent(tick))
        );
    }
    for (row, bar) in bars.iter().enumerate() {
        let a = &scenario.assumptions[bar.assumption];
        let y = TOP + ROW * row as f64;
        let base = x(tornado.base.probability);
        let mark = if bar.flagged { " *" } else { "" };
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="{TEXT_COLOUR}">{}{mark}</text>"#,
            LEFT - 8.0,
            y + 12.0,
            xml(&a.id)
        );
        let _ = writeln!(out, "<g>");
        let _ = writeln!(
            out,
            "<title>{}</title>",
            xml(&format!(
                "{}: {} at {} (low end), {} at {} (high end); swing {:.1} ± {:.1} points; {} confidence{}",
                a.label,
                format::percent(bar.low.probability),
                bar.low_value,
                format::percent(bar.high.probability),
                bar.high_value,
                100.0 * bar.swing,
                100.0 * bar.change.std_error,
                a.confidence.as_str(),
                if bar.flagged { "; flagged" } else { "" }
            ))
        );
        for (p, low_end) in [(bar.low.probability, true), (bar.high.probability, false)] {
            let (from, to) = if x(p) < base { (x(p), base) } else { (base, x(p)) };
            let style = if low_end {
                format!(
                    r#"fill="{NEUTRAL_COLOUR}" fill-opacity="0.35" stroke="{NEUTRAL_COLOUR}" stroke-dasharray="3 2""#
                )
            } else {
                format!(r#"fill="{ALIGNED_COLOUR}" fill-opacity="0.7" stroke="{ALIGNED_COLOUR}""#)
            };
            let _ = writeln!(
                out,
                r#"<rect x="{from:.1}" y="{:.1}" width="{:.1}" height="{:.1}" {style} stroke-width="1"/>"#,
                y + if low_end { 2.0 } else { 8.0 },
                (to - from).max(0.5),
                6.0
            );
        }
        let _ = writeln!(out, "</g>");
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" fill="{TEXT_COLOUR}">{}</text>"#,
            WIDTH - RIGHT + 8.0,
            y + 12.0,
            xml(&format!(
                "{:.1} ± {:.1}",
                100.0 * bar.swing,
                100.0 * bar.change.std_error
            ))
        );
    }
    let base = x(tornado.base.probability);
    let _ = writeln!(
        out,
        r#"<line x1="{base:.1}" x2="{base:.1}" y1="{:.1}" y2="{:.1}" stroke="{TEXT_COLOUR}" stroke-width="1.5"/>"#,
        TOP - 4.0,
        height - 34.0
    );
    let _ = writeln!(
        out,
        r#"<text x="10" y="{:.1}" font-size="11" fill="{TEXT_COLOUR}">{}</text>"#,
        height - 12.0,
        xml(&format!(
            "Right: swing = |P(high) − P(low)| ± paired standard error, in percentage points. {flagged} flagged (*): influential and low confidence."
        ))
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::export::svg::check_well_formed;
    use crate::engine::Settings;
    use crate::scenario::builtin;

    #[test]
    fn the_tornado_is_well_formed_and_says_what_it_shows() {
        let mut s = builtin("russia-dprk-alignment").unwrap().unwrap();
        s.outcomes[0].label = "P & <Q>".to_string();
        let t = crate::analysis::sensitivity::tornado(
            &s,
            &s.defaults(),
            Settings {
                seed: 1,
                runs: 60,
                horizon: 12,
            },
            0,
        )
        .unwrap();
        let svg = tornado_svg(&s, &t, 10);
        check_well_formed(&svg).unwrap();
        assert!(svg.contains("What moves “P &amp; &lt;Q&gt;”"));
        assert!(svg.contains(&format!(
            "the 10 most influential of {} assumptions",
            s.assumptions.len()
        )));
        assert_eq!(svg.matches("<g>").count(), 10);
        let all = tornado_svg(&s, &t, usize::MAX);
        assert_eq!(all.matches("<g>").count(), s.assumptions.len());
    }
}
