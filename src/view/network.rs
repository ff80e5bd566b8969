//! The network of actors: positions on a circle, edges styled by alignment.

use super::{ALIGNED_COLOUR, HOSTILE_COLOUR, NEUTRAL_COLOUR};

/// `n` points on a circle, the first at the top, going clockwise.
pub fn circle_layout(n: usize, cx: f64, cy: f64, radius: f64) -> Vec<(f64, f64)> {
    (0..n)
        .map(|i| {
            // Measured from the top, clockwise: x = sin θ, y = −cos θ, with θ in [0, 2π).
            let (sin, cos) = sin_cos_on_circle(std::f64::consts::TAU * i as f64 / n.max(1) as f64);
            (cx + radius * sin, cy - radius * cos)
        })
        .collect()
}

/// sin and cos of θ in [0, 2π), to about 1e-12: folded to [−π/2, π/2] and summed as Taylor
/// series. The page's wasm carries this instead of the library's sin and cos, whose
/// large-argument reduction alone is 4 KB of code the layout never needs.
fn sin_cos_on_circle(theta: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    // sin(θ) = sin(π − θ), cos(θ) = −cos(π − θ): fold into [−π/2, π/2].
    let (x, cos_sign) = if theta <= PI / 2.0 {
        (theta, 1.0)
    } else if theta <= 3.0 * PI / 2.0 {
        (PI - theta, -1.0)
    } else {
        (theta - 2.0 * PI, 1.0)
    };
    let x2 = x * x;
    let (mut sin, mut cos, mut sin_term, mut cos_term) = (x, 1.0, x, 1.0);
    for k in 1..=12 {
        let k = k as f64;
        sin_term *= -x2 / ((2.0 * k) * (2.0 * k + 1.0));
        cos_term *= -x2 / ((2.0 * k - 1.0) * (2.0 * k));
        sin += sin_term;
        cos += cos_term;
    }
    (sin, cos_sign * cos)
}

/// How one edge is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeStyle {
    pub colour: &'static str,
    pub width: f64,
    /// Hostile edges are dashed, so the sign does not rest on colour alone.
    pub dashed: bool,
}

/// Colour by sign, width by strength; near-zero alignments are thin grey.
pub fn edge_style(a: f64) -> EdgeStyle {
    let strength = a.abs().min(1.0);
    let colour = if strength < 0.1 {
        NEUTRAL_COLOUR
    } else if a > 0.0 {
        ALIGNED_COLOUR
    } else {
        HOSTILE_COLOUR
    };
    EdgeStyle {
        colour,
        width: 0.75 + 6.0 * strength,
        dashed: a < -0.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_series_agree_with_the_library_around_the_circle() {
        for step in 0..=720 {
            let theta = std::f64::consts::TAU * step as f64 / 721.0;
            let (sin, cos) = sin_cos_on_circle(theta);
            assert!((sin - theta.sin()).abs() < 1e-12, "sin {theta}");
            assert!((cos - theta.cos()).abs() < 1e-12, "cos {theta}");
        }
    }

    #[test]
    fn layout_starts_at_the_top() {
        let points = circle_layout(4, 50.0, 50.0, 10.0);
        assert!((points[0].0 - 50.0).abs() < 1e-9 && (points[0].1 - 40.0).abs() < 1e-9);
        assert!((points[1].0 - 60.0).abs() < 1e-9);
    }

    #[test]
    fn edges_by_sign_and_strength() {
        assert_eq!(edge_style(0.8).colour, ALIGNED_COLOUR);
        assert!(edge_style(-0.8).dashed);
        assert_eq!(edge_style(0.02).colour, NEUTRAL_COLOUR);
        assert!(edge_style(0.9).width > edge_style(0.3).width);
    }
}
