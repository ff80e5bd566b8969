//! The sensitivity tornado as a standalone SVG file, with a title and description as the text
//! alternative and a tooltip per bar.

use std::fmt::Write;

use super::svg::{xml, TEXT_COLOUR};
use crate::analysis::sensitivity::{Tornado, INFLUENTIAL_SWING, NOISE_MULTIPLE};
use crate::scenario::Scenario;
use crate::view::tornado::{BarEnd, TornadoLayout, TICKS};
use crate::view::{format, ALIGNED_COLOUR, NEUTRAL_COLOUR};

/// A standalone SVG file of a tornado: for each of the first `max_bars` bars (largest swing
/// first), the outcome's probability with the assumption at the low end (dashed outline, grey) and
/// at the high end (solid, blue) of its plausible range, drawn from the current value's probability (the
/// vertical line). Flagged bars carry a `*` after their id: never colour alone.
pub fn tornado_svg(scenario: &Scenario, tornado: &Tornado, max_bars: usize) -> String {
    let layout = TornadoLayout::FILE;
    let bars = &tornado.bars[..tornado.bars.len().min(max_bars)];
    let (width, height, bottom) = (layout.width, layout.height(bars.len()), layout.rows_bottom(bars.len()));
    let spec = &scenario.outcomes[tornado.outcome];
    let settings = tornado.settings;
    let title = format!("What moves “{}” (speculative, not a forecast)", spec.label);
    let flagged = tornado.bars.iter().filter(|b| b.flagged).count();
    let description = format!(
        "Tornado chart of the {shown} most influential of {total} assumptions of the scenario “{scenario}” for the outcome “{label}” \
         ({probability} at the current values). Each assumption is set to the low and to the high end of its plausible range, all else \
         unchanged, on the same random draws ({recipe}). {top} {flagged} assumptions are flagged: they move the \
         outcome by at least {points:.0} percentage points and {NOISE_MULTIPLE} paired standard errors, and have low confidence. \
         A speculative model, not a forecast.",
        points = 100.0 * INFLUENTIAL_SWING,
        shown = bars.len(),
        total = tornado.bars.len(),
        scenario = scenario.title,
        label = spec.label,
        probability = format::percent(tornado.base.probability),
        recipe = format::recipe(&settings),
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
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc" font-family="sans-serif">"#
    );
    let _ = writeln!(out, r#"<title id="title">{}</title>"#, xml(&title));
    let _ = writeln!(out, r#"<desc id="desc">{}</desc>"#, xml(&description));
    let _ = writeln!(out, r##"<rect width="{width}" height="{height}" fill="#ffffff"/>"##);
    let _ = writeln!(
        out,
        r#"<text x="10" y="20" font-size="14" font-weight="bold" fill="{TEXT_COLOUR}">{}</text>"#,
        xml(&title)
    );
    let subtitle = format!(
        "{} · {} · current value {} · grey dashed: low end, blue solid: high end · * flagged",
        scenario.title,
        format::recipe(&settings),
        format::percent(tornado.base.probability)
    );
    let _ = writeln!(
        out,
        r#"<text x="10" y="38" font-size="11" fill="{TEXT_COLOUR}">{}</text>"#,
        xml(&subtitle)
    );
    for tick in TICKS {
        let _ = writeln!(
            out,
            r#"<line x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{2:.1}" stroke="{NEUTRAL_COLOUR}" stroke-opacity="0.4" stroke-width="1"/>"#,
            layout.x(tick),
            layout.top - 6.0,
            bottom
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="{TEXT_COLOUR}">{}</text>"#,
            layout.x(tick),
            layout.tick_label_y(),
            xml(&format::percent(tick))
        );
    }
    let base = tornado.base.probability;
    for (row, bar) in bars.iter().enumerate() {
        let a = &scenario.assumptions[bar.assumption];
        let mark = if bar.flagged { " *" } else { "" };
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="{TEXT_COLOUR}">{}{mark}</text>"#,
            layout.label_x(),
            layout.text_y(row),
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
        for (p, end) in [(bar.low.probability, BarEnd::Low), (bar.high.probability, BarEnd::High)] {
            let style = match end {
                BarEnd::Low => format!(
                    r#"fill="{NEUTRAL_COLOUR}" fill-opacity="0.35" stroke="{NEUTRAL_COLOUR}" stroke-dasharray="3 2""#
                ),
                BarEnd::High => format!(r#"fill="{ALIGNED_COLOUR}" fill-opacity="0.7" stroke="{ALIGNED_COLOUR}""#),
            };
            let r = layout.bar(row, base, p, end);
            let _ = writeln!(
                out,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" {style} stroke-width="1"/>"#,
                r.x, r.y, r.width, r.height
            );
        }
        let _ = writeln!(out, "</g>");
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" fill="{TEXT_COLOUR}">{}</text>"#,
            layout.swing_x(),
            layout.text_y(row),
            xml(&format!(
                "{:.1} ± {:.1}",
                100.0 * bar.swing,
                100.0 * bar.change.std_error
            ))
        );
    }
    let _ = writeln!(
        out,
        r#"<line x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{2:.1}" stroke="{TEXT_COLOUR}" stroke-width="1.5"/>"#,
        layout.x(base),
        layout.top - 4.0,
        bottom
    );
    let _ = writeln!(
        out,
        r#"<text x="10" y="{:.1}" font-size="11" fill="{TEXT_COLOUR}">{}</text>"#,
        height - 10.0,
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
