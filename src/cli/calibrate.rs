//! `calibrate`: the half-life and σ fitted from the UN-voting data, printed with their limits.

use std::fmt::Write as _;

use serde_json::json;

use super::args::{CalibrateOptions, Format};
use super::report::json_text;
use super::CliError;
use crate::analysis::calibrate::{calibrate, DistanceFit, IdealPoints, JUMP_YEAR};

/// The actors fitted: the built-in scenarios' actors that the data cover ("EU" from its members).
const ACTORS: [&str; 10] = ["USA", "RUS", "CHN", "EU", "GBR", "UKR", "PRK", "IRN", "JPN", "KOR"];
const DATA_FILE: &str = "unga_idealpoints_selected_apr2020.csv";

fn data_path(options: &CalibrateOptions) -> String {
    options.data.clone().unwrap_or_else(|| {
        let dir = std::env::var("DATA_DIR").unwrap_or_else(|_| "../shared/data".to_string());
        format!("{dir}/{DATA_FILE}")
    })
}

pub fn run(options: &CalibrateOptions) -> Result<String, CliError> {
    if options.from >= options.to {
        return Err(CliError(format!(
            "--from {} must be before --to {}",
            options.from, options.to
        )));
    }
    let path = data_path(options);
    let text = std::fs::read_to_string(&path).map_err(|e| CliError(format!("{path}: {e}")))?;
    let points = IdealPoints::from_csv(&text).map_err(|e| CliError(format!("{path}: {e}")))?;
    let (fits, pooled) = calibrate(&points, &ACTORS, options.from, options.to);
    if fits.is_empty() {
        return Err(CliError(format!(
            "{path}: no pair has two consecutive years in {}–{}",
            options.from, options.to
        )));
    }
    Ok(match options.format {
        Format::Json => json_of(&path, options, &fits, pooled.as_ref()),
        _ => table(&path, options, &fits, pooled.as_ref()),
    })
}

fn months(value: Option<f64>) -> String {
    value.map_or("–".to_string(), |m| format!("{m:.0}"))
}

fn interval(fit: &DistanceFit) -> String {
    let (lo, hi) = fit.half_life_interval;
    format!(
        "[{}, {}]",
        months(lo),
        hi.map_or("no reversion".to_string(), |m| format!("{m:.0}"))
    )
}

fn table(path: &str, options: &CalibrateOptions, fits: &[DistanceFit], pooled: Option<&DistanceFit>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Mean-reverting fit of yearly UN-voting distances, sessions {}–{} ({path})",
        options.from, options.to
    );
    let _ = writeln!(
        out,
        "Speculative inputs, not a forecast: UN voting is not security alignment, the data end in 2019, and the \
         alignment units use the files' convention a = 0.7 − 0.45·distance.\n"
    );
    let _ = writeln!(
        out,
        "{:<10} {:>3}  {:>6} {:>6}  {:>9}  {:<20} {:>9} {:>9}  {:>8}",
        "pair", "n", "φ/yr", "se", "half-life", "90% interval", "σ dist", "σ align", "2015 step"
    );
    for fit in pooled.into_iter().chain(fits) {
        let _ = writeln!(
            out,
            "{:<10} {:>3}  {:>6.3} {:>6.3}  {:>9}  {:<20} {:>9} {:>9}  {:>8}",
            fit.pair,
            fit.transitions,
            fit.phi,
            fit.phi_se,
            months(fit.half_life),
            interval(fit),
            fit.sigma_distance.map_or("–".to_string(), |s| format!("{s:.4}")),
            fit.sigma_alignment.map_or("–".to_string(), |s| format!("{s:.4}")),
            fit.jump.map_or(String::new(), |j| format!("{j:+.2}")),
        );
    }
    let _ = writeln!(
        out,
        "\nhalf-life in months; σ per month (distance units, and alignment units × 0.45). Pairs with CHN or PRK have \
         their own level from {JUMP_YEAR} on (\"2015 step\": the change of level, distance units); the transition into \
         {JUMP_YEAR} is left out. Least squares on this few years biases φ, and so the half-life, downward \
         (about (1 + 3φ)/n for one pair). The model's σ is on the latent scale: near an alignment a it is about \
         σ align / (1 − a²)."
    );
    out
}

fn fit_json(fit: &DistanceFit) -> serde_json::Value {
    json!({
        "pair": fit.pair, "transitions": fit.transitions, "phi": fit.phi, "phi_se": fit.phi_se,
        "half_life_months": fit.half_life,
        "half_life_90": [fit.half_life_interval.0, fit.half_life_interval.1],
        "sigma_distance": fit.sigma_distance, "sigma_alignment": fit.sigma_alignment,
        "level_change_2015": fit.jump,
    })
}

fn json_of(path: &str, options: &CalibrateOptions, fits: &[DistanceFit], pooled: Option<&DistanceFit>) -> String {
    let object = json!({
        "data": path,
        "from": options.from,
        "to": options.to,
        "alignment_per_distance": crate::analysis::calibrate::ALIGNMENT_PER_DISTANCE,
        "jump_year": JUMP_YEAR,
        "pooled": pooled.map(fit_json),
        "pairs": fits.iter().map(fit_json).collect::<Vec<_>>(),
    });
    json_text(&object)
}
