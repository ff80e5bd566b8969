//! The fan chart of one pair as a standalone SVG file: the same geometry as the page
//! ([`crate::view::fan`]), with presentation attributes instead of the page's stylesheet (a
//! downloaded file has none), and a title and description as the text alternative.

use std::fmt::Write;

use super::svg::{xml, TEXT_COLOUR};
use crate::engine::Summary;
use crate::scenario::Scenario;
use crate::view::fan::{fan_paths, month_ticks, Frame};
use crate::view::{format, ALIGNED_COLOUR, HOSTILE_COLOUR, NEUTRAL_COLOUR};

/// Darker shade of the aligned blue for the median line (as the page's light theme).
const MEDIAN_COLOUR: &str = "#00466e";

const FRAME: Frame = Frame {
    width: 640.0,
    height: 374.0,
    left: 44.0,
    right: 14.0,
    // Below the title and two lines of subtitle (the scenario; the settings and the legend).
    top: 72.0,
    bottom: 34.0,
};

/// The sentence a screen reader gets (and the file's `<desc>`).
fn describe(scenario: &Scenario, summary: &Summary, pair: usize) -> String {
    let name = scenario.pair_name(pair);
    let settings = summary.settings;
    let result = match summary.pairs.get(pair).and_then(|b| b.quantiles.last()) {
        Some(q) => format!(
            "At month {} the median alignment is {} ({}); 90 % of runs lie between {} and {}, half between {} and {}.",
            settings.horizon,
            format::value(q[2], 0.01),
            format::alignment_words(q[2]),
            format::value(q[0], 0.01),
            format::value(q[4], 0.01),
            format::value(q[1], 0.01),
            format::value(q[3], 0.01)
        ),
        None => "No fan-chart results in this summary.".to_string(),
    };
    format!(
        "Fan chart of the {name} alignment (−1 hostile to +1 aligned) over {} months in the scenario “{}”: \
         the outer band holds 5–95 % of runs, the inner band 25–75 %, the line is the median. {result} \
         Computed with {}. A speculative model, not a forecast.",
        settings.horizon,
        scenario.title,
        format::recipe(&settings)
    )
}

/// A standalone SVG file of the fan chart of `pair` (a pair index of `scenario`), from a full
/// summary (an outcomes-only summary has no bands; the file then says so).
pub fn fan_chart_svg(scenario: &Scenario, summary: &Summary, pair: usize) -> String {
    let horizon = summary.settings.horizon;
    let f = FRAME;
    let (x0, x1) = (f.x(0, horizon), f.x(horizon, horizon));
    let (top, zero, bottom) = (f.y(1.0), f.y(0.0), f.y(-1.0));
    let title = format!(
        "{}: alignment over {horizon} months (speculative, not a forecast)",
        scenario.pair_name(pair)
    );
    let mut out = String::new();
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="title desc" font-family="sans-serif">"#,
        w = f.width,
        h = f.height
    );
    let _ = writeln!(out, r#"<title id="title">{}</title>"#, xml(&title));
    let _ = writeln!(
        out,
        r#"<desc id="desc">{}</desc>"#,
        xml(&describe(scenario, summary, pair))
    );
    let _ = writeln!(
        out,
        r##"<rect width="{}" height="{}" fill="#ffffff"/>"##,
        f.width, f.height
    );
    let _ = writeln!(
        out,
        r#"<text x="{x0}" y="20" font-size="14" font-weight="bold" fill="{TEXT_COLOUR}">{}</text>"#,
        xml(&title)
    );
    let settings = summary.settings;
    // Two lines: on one, a long scenario title and the settings ran past the image's width.
    let subtitles = [
        scenario.title.clone(),
        format!("{} · bands 5–95 % and 25–75 %, line median", format::recipe(&settings)),
    ];
    for (line, subtitle) in subtitles.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="{x0}" y="{}" font-size="11" fill="{TEXT_COLOUR}">{}</text>"#,
            38 + 14 * line,
            xml(subtitle)
        );
    }
    let _ = writeln!(
        out,
        r#"<rect x="{x0:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="{NEUTRAL_COLOUR}" stroke-width="1"/>"#,
        x1 - x0,
        bottom - top
    );
    let _ = writeln!(
        out,
        r#"<rect x="{x0:.1}" y="{zero:.1}" width="{:.1}" height="{:.1}" fill="{HOSTILE_COLOUR}" fill-opacity="0.05"/>"#,
        x1 - x0,
        bottom - zero
    );
    for level in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let y = f.y(level);
        let _ = writeln!(
            out,
            r#"<line x1="{x0:.1}" x2="{x1:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{NEUTRAL_COLOUR}" stroke-opacity="0.5" stroke-width="1"/>"#
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="{TEXT_COLOUR}">{}</text>"#,
            x0 - 6.0,
            y + 4.0,
            xml(&format::value(level, 0.5))
        );
    }
    for month in month_ticks(horizon) {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="{TEXT_COLOUR}">{month}</text>"#,
            f.x(month, horizon),
            bottom + 15.0
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="{TEXT_COLOUR}">month</text>"#,
        (x0 + x1) / 2.0,
        f.height - 2.0
    );
    if let Some(bands) = summary.pairs.get(pair) {
        let paths = fan_paths(bands, horizon, &f);
        let _ = writeln!(
            out,
            r#"<path d="{}" fill="{ALIGNED_COLOUR}" fill-opacity="0.18"/>"#,
            paths.outer
        );
        let _ = writeln!(
            out,
            r#"<path d="{}" fill="{ALIGNED_COLOUR}" fill-opacity="0.38"/>"#,
            paths.inner
        );
        let _ = writeln!(
            out,
            r#"<path d="{}" fill="none" stroke="{MEDIAN_COLOUR}" stroke-width="2"/>"#,
            paths.median
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::export::svg::check_well_formed;
    use crate::engine::{Ensemble, Settings};
    use crate::scenario::builtin;

    #[test]
    fn the_chart_is_well_formed_with_a_text_alternative() {
        let s = builtin("sino-russian-drift").unwrap().unwrap();
        let summary = Ensemble::run(
            s.model(&s.defaults()),
            Settings {
                seed: 1,
                runs: 200,
                horizon: 36,
            },
        );
        let pair = s.pair_of(s.actor_index("RUS").unwrap(), s.actor_index("CHN").unwrap());
        let svg = fan_chart_svg(&s, &summary, pair);
        assert!(check_well_formed(&svg).unwrap() > 20);
        assert!(svg.contains("<title id=\"title\">Russia–China: alignment over 36 months"));
        assert!(svg.contains("<desc id=\"desc\">Fan chart of the Russia–China alignment"));
        assert!(svg.contains("not a forecast"));
        assert_eq!(svg.matches("<path d=\"M").count(), 3);
    }

    #[test]
    fn scenario_text_is_escaped() {
        let mut s = builtin("russia-dprk-alignment").unwrap().unwrap();
        s.title = "Tom & Jerry <script>alert(\"x\")</script> 'quoted' \u{1}".to_string();
        s.actors[0].name = "A<B>&C".to_string();
        let summary = Ensemble::run(
            s.model(&s.defaults()),
            Settings {
                seed: 1,
                runs: 20,
                horizon: 6,
            },
        );
        let svg = fan_chart_svg(&s, &summary, 0);
        check_well_formed(&svg).unwrap();
        assert!(svg.contains("Tom &amp; Jerry &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &apos;quoted&apos;"));
        assert!(svg.contains("A&lt;B&gt;&amp;C"));
        assert!(!svg.contains('\u{1}'));
    }

    #[test]
    fn an_outcomes_only_summary_gives_a_chart_that_says_so() {
        let s = builtin("russia-dprk-alignment").unwrap().unwrap();
        let mut ensemble = Ensemble::outcomes_only(
            s.model(&s.defaults()),
            Settings {
                seed: 1,
                runs: 20,
                horizon: 6,
            },
        );
        ensemble.finish();
        let svg = fan_chart_svg(&s, &ensemble.summary(), 0);
        check_well_formed(&svg).unwrap();
        assert!(svg.contains("No fan-chart results"));
        assert!(!svg.contains("<path"));
    }
}
