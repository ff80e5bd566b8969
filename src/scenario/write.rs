//! A scenario back to a file (TOML 1.0), with chosen values as the defaults: "download the
//! current state as a scenario file". Reading the file gives the same scenario and, with the
//! same seed, the same numbers.

use std::fmt::Write;

use super::{Assumption, Scenario, SourceRef};
use crate::engine::Settings;

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A float as TOML reads it back exactly (Rust's shortest round-trip form).
fn number(x: f64) -> String {
    format!("{x}")
}

fn assumption(out: &mut String, scenario: &Scenario, table: &str, a: &Assumption, value: f64) {
    let _ = writeln!(out, "[{table}]");
    let _ = writeln!(out, "value = {}", number(value));
    let _ = writeln!(out, "range = [{}, {}]", number(a.range.0), number(a.range.1));
    match a.plausible {
        Some((lo, hi)) if (lo..=hi).contains(&value) => {
            let _ = writeln!(out, "plausible = [{}, {}]", number(lo), number(hi));
        }
        // The file's plausible range must hold its default; a value moved outside it drops it
        // (kept as a comment) rather than making the file invalid.
        Some((lo, hi)) => {
            let _ = writeln!(
                out,
                "# plausible = [{}, {}] left out: the value chosen here lies outside it",
                number(lo),
                number(hi)
            );
        }
        None => {}
    }
    if let Some(without) = a.without {
        let _ = writeln!(out, "without = {}", number(without));
    }
    let _ = writeln!(out, "step = {}", number(a.step));
    if let Some(unit) = &a.unit {
        let _ = writeln!(out, "unit = {}", quoted(unit));
    }
    let _ = writeln!(out, "label = {}", quoted(&a.label));
    let _ = writeln!(out, "rationale = {}", quoted(&a.rationale));
    let _ = writeln!(out, "confidence = {}", quoted(a.confidence.as_str()));
    source_refs(out, scenario, &a.sources);
}

/// `sources = [ { source = …, quote = …, note = … }, … ]` of an assumption or a view.
fn source_refs(out: &mut String, scenario: &Scenario, refs: &[SourceRef]) {
    let _ = writeln!(out, "sources = [");
    for r in refs {
        let mut fields = vec![format!("source = {}", quoted(&scenario.sources[r.source].id))];
        if let Some(q) = &r.quote {
            fields.push(format!("quote = {}", quoted(q)));
        }
        if let Some(n) = &r.note {
            fields.push(format!("note = {}", quoted(n)));
        }
        let _ = writeln!(out, "  {{ {} }},", fields.join(", "));
    }
    let _ = writeln!(out, "]");
}

/// The scenario as a file whose defaults are `values` (one per assumption) and whose default
/// seed, runs and horizon are `settings`.
pub fn scenario_to_toml(scenario: &Scenario, values: &[f64], settings: Settings) -> String {
    let mut out = String::new();
    let v = |i: usize| values[i];
    let _ = writeln!(
        out,
        "# Scenario file (format 1) written by alignment-sim with the page's slider values as defaults."
    );
    let _ = writeln!(
        out,
        "# Speculative: every number below is an assumption, not a fact or a forecast.\n"
    );
    let _ = writeln!(out, "format = 1");
    let _ = writeln!(out, "id = {}", quoted(&scenario.id));
    let _ = writeln!(out, "title = {}", quoted(&scenario.title));
    let _ = writeln!(out, "summary = {}", quoted(&scenario.summary));
    let _ = writeln!(out, "horizon = {}", settings.horizon);
    let _ = writeln!(out, "runs = {}", settings.runs);
    let _ = writeln!(out, "seed = {}", settings.seed);
    if let Some(start) = scenario.start {
        let _ = writeln!(out, "start = {start}");
    }
    out.push('\n');
    for source in &scenario.sources {
        let _ = writeln!(out, "[[sources]]");
        let _ = writeln!(out, "id = {}", quoted(&source.id));
        let _ = writeln!(out, "title = {}", quoted(&source.title));
        let _ = writeln!(out, "date = {}", quoted(&source.date));
        let _ = writeln!(out, "kind = {}", quoted(source.kind.as_str()));
        let _ = writeln!(out, "description = {}", quoted(&source.description));
        if let Some(file) = &source.file {
            let _ = writeln!(out, "file = {}", quoted(file));
        }
        let _ = writeln!(out, "reliability = {}\n", quoted(&source.reliability));
    }
    let p = &scenario.parameters;
    for (name, index) in [
        ("volatility", p.volatility),
        ("half_life", p.half_life),
        ("balance", p.balance),
    ] {
        assumption(
            &mut out,
            scenario,
            &format!("model.{name}"),
            &scenario.assumptions[index],
            v(index),
        );
        out.push('\n');
    }
    for actor in &scenario.actors {
        let _ = writeln!(
            out,
            "[[actors]]\nid = {}\nname = {}",
            quoted(&actor.id),
            quoted(&actor.name)
        );
        assumption(
            &mut out,
            scenario,
            "actors.weight",
            &scenario.assumptions[actor.weight],
            v(actor.weight),
        );
        out.push('\n');
    }
    for pair in &scenario.pairs {
        let (i, j) = pair.actors;
        let _ = writeln!(
            out,
            "[[pairs]]\nbetween = [{}, {}]",
            quoted(&scenario.actors[i].id),
            quoted(&scenario.actors[j].id)
        );
        assumption(
            &mut out,
            scenario,
            "pairs.initial",
            &scenario.assumptions[pair.initial],
            v(pair.initial),
        );
        assumption(
            &mut out,
            scenario,
            "pairs.baseline",
            &scenario.assumptions[pair.baseline],
            v(pair.baseline),
        );
        if let Some(vol) = pair.volatility {
            assumption(
                &mut out,
                scenario,
                "pairs.volatility",
                &scenario.assumptions[vol],
                v(vol),
            );
        }
        out.push('\n');
    }
    let pair_ids = |pair: usize| {
        let (i, j) = scenario.pairs[pair].actors;
        format!(
            "[{}, {}]",
            quoted(&scenario.actors[i].id),
            quoted(&scenario.actors[j].id)
        )
    };
    for event in &scenario.events {
        let _ = writeln!(
            out,
            "[[events]]\nid = {}\nlabel = {}",
            quoted(&event.id),
            quoted(&event.label)
        );
        let _ = writeln!(
            out,
            "description = {}\nrepeatable = {}",
            quoted(&event.description),
            event.repeatable
        );
        if let Some(month) = event.at {
            let _ = writeln!(out, "at = {month}");
        }
        for (key, events) in [("after", &event.after), ("unless", &event.unless)] {
            if !events.is_empty() {
                let ids: Vec<String> = events.iter().map(|&e| quoted(&scenario.events[e].id)).collect();
                let _ = writeln!(out, "{key} = [{}]", ids.join(", "));
            }
        }
        if let Some(index) = event.per_year {
            let key = if event.repeatable { "rate" } else { "probability" };
            assumption(
                &mut out,
                scenario,
                &format!("events.{key}"),
                &scenario.assumptions[index],
                v(index),
            );
        }
        for (name, index) in [("opens", event.opens), ("closes", event.closes)] {
            if let Some(index) = index {
                assumption(
                    &mut out,
                    scenario,
                    &format!("events.{name}"),
                    &scenario.assumptions[index],
                    v(index),
                );
            }
        }
        for condition in &event.conditions {
            let _ = writeln!(
                out,
                "[[events.conditions]]\nbetween = {}\nop = {}",
                pair_ids(condition.pair),
                quoted(condition.comparison.symbol())
            );
            assumption(
                &mut out,
                scenario,
                "events.conditions.threshold",
                &scenario.assumptions[condition.threshold],
                v(condition.threshold),
            );
        }
        for effect in &event.effects {
            let _ = writeln!(out, "[[events.effects]]\nbetween = {}", pair_ids(effect.pair));
            for (name, index) in [("jump", effect.jump), ("shift", effect.shift)] {
                if let Some(index) = index {
                    assumption(
                        &mut out,
                        scenario,
                        &format!("events.effects.{name}"),
                        &scenario.assumptions[index],
                        v(index),
                    );
                }
            }
        }
        out.push('\n');
    }
    for outcome in &scenario.outcomes {
        let when = outcome.outcome.when.keyword();
        let _ = writeln!(
            out,
            "[[outcomes]]\nid = {}\nlabel = {}",
            quoted(&outcome.id),
            quoted(&outcome.label)
        );
        if let Some(description) = &outcome.description {
            let _ = writeln!(out, "description = {}", quoted(description));
        }
        let _ = writeln!(out, "test = {}\nwhen = {}\n", quoted(&outcome.test), quoted(when));
    }
    // Views keep their own values: they are readings of the documents, not of the current state.
    for view in &scenario.views {
        let _ = writeln!(
            out,
            "[[views]]\nid = {}\ntitle = {}\nrationale = {}",
            quoted(&view.id),
            quoted(&view.title),
            quoted(&view.rationale)
        );
        source_refs(&mut out, scenario, &view.sources);
        let _ = writeln!(out, "[views.values]");
        for &(index, value) in &view.values {
            let _ = writeln!(out, "{} = {}", quoted(&scenario.assumptions[index].id), number(value));
        }
        out.push('\n');
    }
    let opening = &scenario.opening;
    let key_assumptions: Vec<String> = opening
        .key_assumptions
        .iter()
        .map(|&index| quoted(&scenario.assumptions[index].id))
        .collect();
    let _ = writeln!(
        out,
        "[opening]\noutcome = {}\npair = {}\nkey_assumptions = [{}]",
        quoted(&scenario.outcomes[opening.outcome].id),
        quoted(&scenario.pair_key(opening.pair)),
        key_assumptions.join(", ")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Ensemble;
    use crate::scenario::{builtin, builtin_ids, parse_scenario};

    /// Everything but the line numbers and the content hash, which a rewrite may change.
    fn comparable(mut s: Scenario) -> Scenario {
        for a in &mut s.assumptions {
            a.line = 0;
        }
        for v in &mut s.views {
            v.line = 0;
        }
        s.content_hash.clear();
        s
    }

    #[test]
    fn writing_and_reading_gives_the_same_scenario() {
        for id in builtin_ids() {
            let s = builtin(id).unwrap().unwrap();
            let text = scenario_to_toml(&s, &s.defaults(), s.default_settings());
            let back = parse_scenario("written.toml", &text).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(comparable(back), comparable(s.clone()), "{id}");
        }
    }

    #[test]
    fn the_current_values_become_the_defaults_and_give_the_same_numbers() {
        let s = builtin("sino-russian-drift").unwrap().unwrap();
        let mut values = s.defaults();
        for (i, a) in s.assumptions.iter().enumerate().step_by(7) {
            values[i] = a.range.1;
        }
        let settings = Settings {
            seed: 99,
            runs: 300,
            horizon: 18,
        };
        let back = parse_scenario("written.toml", &scenario_to_toml(&s, &values, settings)).unwrap();
        assert_eq!(back.defaults(), values);
        // A plausible range survives where it still holds the new default, and only there.
        for ((a, b), v) in s.assumptions.iter().zip(&back.assumptions).zip(&values) {
            let holds = a.plausible.is_some_and(|(lo, hi)| lo <= *v && *v <= hi);
            assert_eq!(b.plausible, if holds { a.plausible } else { None }, "{}", a.id);
        }
        assert_eq!(back.default_settings(), settings);
        assert_eq!(
            Ensemble::run(back.model(&back.defaults()), settings),
            Ensemble::run(s.model(&values), settings)
        );
    }

    #[test]
    fn text_with_quotes_backslashes_and_markup_survives() {
        let mut s = builtin("russia-dprk-alignment").unwrap().unwrap();
        s.title = "A \"quoted\" <script>alert('x')</script> \\ title".to_string();
        s.summary = "A summary\nover two lines, with a tab\there".to_string();
        let back = parse_scenario("w.toml", &scenario_to_toml(&s, &s.defaults(), s.default_settings())).unwrap();
        assert_eq!((back.title, back.summary), (s.title, s.summary));
    }
}
