//! The network of actors: positions on a circle, edges styled by alignment.

use super::{ALIGNED_COLOUR, HOSTILE_COLOUR, NEUTRAL_COLOUR};

/// `n` points on a circle, the first at the top, going clockwise.
pub fn circle_layout(n: usize, cx: f64, cy: f64, radius: f64) -> Vec<(f64, f64)> {
    (0..n)
        .map(|i| {
            let angle = std::f64::consts::TAU * i as f64 / n.max(1) as f64 - std::f64::consts::FRAC_PI_2;
            (cx + radius * angle.cos(), cy + radius * angle.sin())
        })
        .collect()
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
