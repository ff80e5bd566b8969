//! The assumptions report: every number the model uses, with its value, default, range,
//! confidence, rationale and sources, as Markdown a person can read, print or attach.

use std::fmt::Write;

use crate::scenario::{Assumption, Group, Scenario, SourceRef};
use crate::view::format;

/// Scenario text made safe for running Markdown text: line breaks folded into spaces (every text
/// sits on one list line) and the characters that start emphasis, links, code or raw HTML escaped
/// with a backslash, so a scenario file cannot inject markup into the report.
fn text(raw: &str) -> String {
    let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An id in a code span. Ids are slugs (letters, digits, `.`, `-`), but a code span cannot hold
/// a backtick in any case, so one is dropped rather than trusted.
fn code(id: &str) -> String {
    format!("`{}`", id.replace('`', ""))
}

fn number(assumption: &Assumption, v: f64) -> String {
    format::value(v, assumption.step)
}

fn reference(out: &mut String, scenario: &Scenario, reference: &SourceRef) {
    let source = &scenario.sources[reference.source];
    let _ = write!(
        out,
        "  - {} ({}, {})",
        text(&source.title),
        text(&source.date),
        source.kind.as_str()
    );
    match &reference.quote {
        Some(quote) => {
            let _ = writeln!(out, ": “{}”", text(quote));
        }
        None => out.push('\n'),
    }
    if let Some(note) = &reference.note {
        let _ = writeln!(out, "    - Note: {}", text(note));
    }
    let _ = writeln!(out, "    - Reliability of this source: {}", text(&source.reliability));
}

fn assumption_section(out: &mut String, scenario: &Scenario, assumption: &Assumption, value: f64) {
    let _ = writeln!(out, "### {} {}\n", code(&assumption.id), text(&assumption.label));
    let changed = if value != assumption.default {
        " (changed from the scenario's default)"
    } else {
        ""
    };
    let _ = writeln!(out, "- Value: {}{changed}", number(assumption, value));
    let _ = writeln!(out, "- Default: {}", number(assumption, assumption.default));
    let _ = writeln!(
        out,
        "- Range: {} to {} (step {})",
        number(assumption, assumption.range.0),
        number(assumption, assumption.range.1),
        number(assumption, assumption.step)
    );
    if let Some(unit) = &assumption.unit {
        let _ = writeln!(out, "- Unit: {}", text(unit));
    }
    let _ = writeln!(out, "- Confidence: {}; speculative", assumption.confidence.as_str());
    let _ = writeln!(out, "- Rationale: {}", text(&assumption.rationale));
    let _ = writeln!(out, "- Sources:");
    for r in &assumption.sources {
        reference(out, scenario, r);
    }
    out.push('\n');
}

/// Every assumption of `scenario` at `values` (one per assumption), grouped as the page's panels
/// are, with the sources they cite listed first.
pub fn assumptions_markdown(scenario: &Scenario, values: &[f64]) -> String {
    assert_eq!(values.len(), scenario.assumptions.len(), "one value per assumption");
    let mut out = String::new();
    let _ = writeln!(out, "# Assumptions: {}\n", text(&scenario.title));
    let _ = writeln!(
        out,
        "> **A speculative model, not a forecast.** Every number below is an assumption: a judgement or a \
         reading of uncertain sources, adjustable in the simulator. The results follow from these \
         assumptions and say nothing more certain than they do.\n"
    );
    let changed = scenario
        .assumptions
        .iter()
        .zip(values)
        .filter(|(a, v)| **v != a.default)
        .count();
    let _ = writeln!(
        out,
        "Scenario {} (file version {}): {} assumptions, {changed} changed from the scenario's defaults.\n",
        code(&scenario.id),
        code(&scenario.content_hash),
        scenario.assumptions.len()
    );
    let _ = writeln!(out, "{}\n", text(&scenario.summary));

    let _ = writeln!(out, "## Sources\n");
    for source in &scenario.sources {
        let _ = writeln!(
            out,
            "- **{}** ({}, {}): {}",
            text(&source.title),
            text(&source.date),
            source.kind.as_str(),
            text(&source.description)
        );
        let _ = writeln!(out, "  - Reliability: {}", text(&source.reliability));
    }
    out.push('\n');

    for group in Group::ALL {
        let members: Vec<usize> = (0..scenario.assumptions.len())
            .filter(|&i| scenario.assumptions[i].group == group)
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {}\n", group.title());
        for i in members {
            assumption_section(&mut out, scenario, &scenario.assumptions[i], values[i]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin_ids;

    #[test]
    fn every_assumption_appears_with_its_value_and_confidence() {
        for id in builtin_ids() {
            let s = crate::scenario::builtin(id).unwrap().unwrap();
            let mut values = s.defaults();
            values[0] = s.assumptions[0].range.1;
            let report = assumptions_markdown(&s, &values);
            assert!(report.contains("not a forecast"));
            for a in &s.assumptions {
                assert!(report.contains(&format!("### `{}` ", a.id)), "{id}: {} missing", a.id);
            }
            assert_eq!(report.matches("- Confidence: ").count(), s.assumptions.len());
            assert_eq!(report.matches("(changed from the scenario's default)").count(), 1);
            assert!(report.contains("1 changed from the scenario's defaults"));
        }
    }

    #[test]
    fn scenario_text_cannot_inject_markup() {
        assert_eq!(
            text("a <script>alert(1)</script> *b*\n  [c](d)"),
            r"a \<script\>alert(1)\</script\> \*b\* \[c\](d)"
        );
        assert_eq!(code("x`y"), "`xy`");
    }
}
