//! Numbers as people read them.

use crate::engine::{Settings, ENGINE_VERSION};
pub use crate::scenario::decimals_for_step;
use crate::scenario::{Assumption, Quantity};

/// "engine 3": which engine computed a result. The same seed and runs give other draws, and so
/// other numbers within Monte Carlo error, in another engine (`ENGINE_VERSION`).
pub fn engine() -> String {
    format!("engine {ENGINE_VERSION}")
}

/// "seed 7, 2000 runs, 36 months, engine 3": what reproduces a result, as every header, caption and
/// image of one ensemble states it.
pub fn recipe(settings: &Settings) -> String {
    format!(
        "seed {}, {} runs, {} months, {}",
        settings.seed,
        settings.runs,
        settings.horizon,
        engine()
    )
}

/// A slider value at its step's precision, with a real minus sign for negatives.
pub fn value(v: f64, step: f64) -> String {
    let text = format!("{:.*}", decimals_for_step(step), v);
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c != '0' && c != '.') => format!("−{rest}"),
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// A hyphen that stands for a minus sign (after a space, `(`, `[` or `=`, or at the start,
/// and before a digit) becomes a true minus; hyphens inside names (`RUS-CHN`) stay.
pub fn true_minus(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let minus = c == '-'
            && previous.is_none_or(|p| " ([=,".contains(p))
            && chars.peek().is_some_and(|n| n.is_ascii_digit() || *n == '.');
        out.push(if minus { '−' } else { c });
        previous = Some(c);
    }
    out
}

/// "42.3 %" for a probability.
pub fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.001 {
        return "< 0.1 %".to_string();
    }
    format!("{:.1} %", 100.0 * p)
}

/// "42.3 % ± 1.1" (the error in percentage points).
pub fn percent_with_error(p: f64, std_error: f64) -> String {
    format!("{} ± {:.1}", percent(p), 100.0 * std_error)
}

/// "+5.0 ± 1.2" or "−4.0 ± 0.9": a change of probability in percentage points with its standard
/// error, signed with a true minus (and "0.0" unsigned).
pub fn points_change(delta: f64, std_error: f64) -> String {
    let shown = format!("{:.1}", 100.0 * delta);
    let signed = match shown.strip_prefix('-') {
        Some("0.0") => "0.0".to_string(),
        Some(rest) => format!("−{rest}"),
        None if shown == "0.0" => shown,
        None => format!("+{shown}"),
    };
    format!("{signed} ± {:.1}", 100.0 * std_error)
}

/// Words for an alignment level, for screen readers and tooltips.
pub fn alignment_words(a: f64) -> &'static str {
    match a {
        a if a <= -0.6 => "strongly hostile",
        a if a <= -0.2 => "hostile",
        a if a < 0.2 => "neutral",
        a if a < 0.6 => "aligned",
        _ => "strongly aligned",
    }
}

/// What a screen reader says for a slider: the value with its unit or meaning.
pub fn value_text(assumption: &Assumption, v: f64) -> String {
    let shown = value(v, assumption.step);
    let default_note = if v == assumption.default {
        ", the scenario's default"
    } else {
        ""
    };
    let meaning = match assumption.quantity {
        Quantity::Alignment => format!("{shown} ({})", alignment_words(v)),
        Quantity::Probability => format!("{shown} per year ({})", percent(v)),
        Quantity::Rate => format!("{shown} times per year on average"),
        Quantity::HalfLife => format!("{shown} months"),
        Quantity::Month => format!("month {shown}"),
        _ => match &assumption.unit {
            Some(unit) => format!("{shown} {unit}"),
            None => shown,
        },
    };
    format!("{meaning}{default_note}")
}

/// Appends `v` to `out` exactly as `{v:.1}` writes it. For the charts' coordinates: a render
/// writes thousands (a fan's paths have about 370), and Rust's exact float formatting, with the
/// `String` of a `format!` for each, was most of a path's cost. For 0 ≤ v < 10⁹ the tenths come
/// from t = 10·v, written as two integers: t is within half an ulp of the exact 10·v and its
/// fraction t − ⌊t⌋ is exact, so a fraction above or below ½ is on the same side of the tie as the
/// exact value is (the tie k + ½ is a double next to t, at least an ulp away). A fraction of
/// exactly ½, where the two could differ, and every other value go to `{:.1}` itself.
pub fn push_tenths(out: &mut String, v: f64) {
    use std::fmt::Write;
    if (0.0..1e9).contains(&v) && v.is_sign_positive() {
        let t = v * 10.0;
        let whole = t.floor();
        let fraction = t - whole;
        if fraction != 0.5 {
            let tenths = whole as u64 + u64::from(fraction > 0.5);
            let _ = write!(out, "{}.{}", tenths / 10, tenths % 10);
            return;
        }
    }
    let _ = write!(out, "{v:.1}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_give_decimals() {
        assert_eq!(decimals_for_step(0.01), 2);
        assert_eq!(decimals_for_step(0.005), 3);
        assert_eq!(decimals_for_step(1.0), 0);
        assert_eq!(decimals_for_step(0.05), 2);
        assert_eq!(points_change(-0.04, 0.009), "−4.0 ± 0.9");
        assert_eq!(points_change(0.05, 0.012), "+5.0 ± 1.2");
        assert_eq!(points_change(0.0, 0.0), "0.0 ± 0.0");
        assert_eq!(points_change(-0.0001, 0.0), "0.0 ± 0.0");
    }

    #[test]
    fn values_use_a_true_minus_and_no_negative_zero() {
        assert_eq!(value(-0.25, 0.01), "−0.25");
        assert_eq!(value(-0.0001, 0.01), "0.00");
        assert_eq!(value(3.0, 1.0), "3");
    }

    #[test]
    fn minus_signs_in_prose_but_not_hyphens_in_names() {
        assert_eq!(true_minus("CHN-EU < -0.6 in some month"), "CHN-EU < −0.6 in some month");
        assert_eq!(true_minus("-3 is not a seed"), "−3 is not a seed");
        assert_eq!(
            true_minus("range [-0.95, -1]; x=-2 (-.5)"),
            "range [−0.95, −1]; x=−2 (−.5)"
        );
        assert_eq!(true_minus("US-Russia 2025-08 a - b"), "US-Russia 2025-08 a - b");
    }

    #[test]
    fn tenths_are_written_as_the_exact_formatting_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.04,
            0.05,
            0.15,
            0.25,
            0.35,
            0.45,
            0.75,
            2.25,
            2.75,
            9.96,
            99.95,
            999_999_999.95,
            1e9,
            1e12,
            -0.25,
            -3.25,
            f64::NAN,
            f64::INFINITY,
            f64::MIN_POSITIVE,
            5e-324,
        ];
        // Every tie (k + ½)/10 on a grid up to 10⁸, and its two neighbours.
        for k in (0..1_000_000_000u64).step_by(9_973) {
            let tie = (k as f64 + 0.5) / 10.0;
            values.extend([tie, tie.next_up(), tie.next_down()]);
        }
        // Values at random in [0, 2 000) and [0, 10⁹) (a fixed xorshift, so the test repeats).
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            values.extend([2000.0 * unit, 1e9 * unit]);
        }
        for v in values {
            let mut fast = String::from("x");
            push_tenths(&mut fast, v);
            assert_eq!(fast, format!("x{v:.1}"), "{v:e}");
        }
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0.4234), "42.3 %");
        assert_eq!(percent(0.0002), "< 0.1 %");
        assert_eq!(percent_with_error(0.5, 0.0112), "50.0 % ± 1.1");
    }
}
