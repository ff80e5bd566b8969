//! CSV tables (RFC 4180: comma-separated, fields quoted when they hold a comma, a quote or a line
//! break). Numbers are written in Rust's shortest round-trip form, so reading them back gives the
//! same bits.

use std::fmt::Write;

use crate::analysis::sensitivity::Tornado;
use crate::analysis::sweep::{Axis, SweepRow};
use crate::engine::Summary;
use crate::scenario::Scenario;

/// A text field, quoted if it needs to be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The per-pair quantile table: one row per pair and month (the fan charts as numbers).
pub fn quantiles_csv(scenario: &Scenario, summary: &Summary) -> String {
    let mut out = String::from("pair,month,q05,q25,q50,q75,q95,mean\n");
    for (p, bands) in summary.pairs.iter().enumerate() {
        let pair = scenario.pair_key(p);
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
            field(&spec.id),
            field(&spec.label),
            field(&spec.test),
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
            field(&a.id),
            field(&a.label),
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
        .map(|axis| field(&scenario.assumptions[axis.assumption].id))
        .collect();
    for spec in &scenario.outcomes {
        header.push(field(&spec.id));
        header.push(field(&format!("{}_se", spec.id)));
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
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
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
