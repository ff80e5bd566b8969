//! Fan charts: the 5–95 % and 25–75 % bands and the median of one pair over the months.

use crate::engine::PairBands;
use crate::view::format::push_tenths;

/// Where a chart is drawn, in SVG user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    pub fn x(&self, month: usize, horizon: usize) -> f64 {
        let span = self.width - self.left - self.right;
        self.left + span * month as f64 / horizon.max(1) as f64
    }

    /// Alignment −1 at the bottom, +1 at the top.
    pub fn y(&self, a: f64) -> f64 {
        let span = self.height - self.top - self.bottom;
        self.top + span * (1.0 - a.clamp(-1.0, 1.0)) / 2.0
    }
}

/// SVG path data of one fan chart.
#[derive(Clone, Debug, PartialEq)]
pub struct FanPaths {
    /// Closed area between the 5 % and 95 % quantiles.
    pub outer: String,
    /// Closed area between the 25 % and 75 % quantiles.
    pub inner: String,
    /// Line through the medians.
    pub median: String,
}

fn band(bands: &PairBands, horizon: usize, frame: &Frame, low: usize, high: usize) -> String {
    let months = bands.quantiles.len();
    let mut path = String::with_capacity(32 * months);
    let edge = |t: usize, level: usize| (frame.x(t, horizon), frame.y(bands.quantiles[t][level]));
    push_points(&mut path, 'M', (0..months).map(|t| edge(t, high)));
    push_points(&mut path, 'L', (0..months).rev().map(|t| edge(t, low)));
    path.push('Z');
    path
}

/// Appends a run of points to an SVG path, each coordinate to a tenth: the first with `command`
/// (`M` to start a line, `L` to carry one on), the others with `L`, as in `M1.0,2.5L3.0,4.0`.
pub fn push_points(path: &mut String, command: char, points: impl IntoIterator<Item = (f64, f64)>) {
    for (i, (x, y)) in points.into_iter().enumerate() {
        path.push(if i == 0 { command } else { 'L' });
        push_tenths(path, x);
        path.push(',');
        push_tenths(path, y);
    }
}

/// Paths for the months available so far (a partial result draws a shorter fan), on an x axis
/// running to `horizon`.
pub fn fan_paths(bands: &PairBands, horizon: usize, frame: &Frame) -> FanPaths {
    if bands.quantiles.is_empty() {
        return FanPaths {
            outer: String::new(),
            inner: String::new(),
            median: String::new(),
        };
    }
    let median: Vec<f64> = bands.quantiles.iter().map(|q| q[2]).collect();
    let median = line_path(&median, horizon, frame);
    FanPaths {
        outer: band(bands, horizon, frame, 0, 4),
        inner: band(bands, horizon, frame, 1, 3),
        median,
    }
}

/// A line through one value per month from month 0 (the median, the path without noise).
pub fn line_path(values: &[f64], horizon: usize, frame: &Frame) -> String {
    let mut path = String::with_capacity(16 * values.len());
    push_points(
        &mut path,
        'M',
        values
            .iter()
            .enumerate()
            .map(|(t, a)| (frame.x(t, horizon), frame.y(*a))),
    );
    path
}

/// Month ticks: every 6, 12 or 24 months, so that there are at most about 8.
pub fn month_ticks(horizon: usize) -> Vec<usize> {
    let step = [6, 12, 24, 48].into_iter().find(|s| horizon / s <= 8).unwrap_or(60);
    (0..=horizon).step_by(step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame {
        width: 200.0,
        height: 100.0,
        left: 10.0,
        right: 10.0,
        top: 0.0,
        bottom: 0.0,
    };

    #[test]
    fn axes_map_the_ranges() {
        assert_eq!(FRAME.x(0, 36), 10.0);
        assert_eq!(FRAME.x(36, 36), 190.0);
        assert_eq!(FRAME.y(1.0), 0.0);
        assert_eq!(FRAME.y(-1.0), 100.0);
        assert_eq!(FRAME.y(0.0), 50.0);
    }

    #[test]
    fn bands_go_out_along_the_top_and_back_along_the_bottom() {
        let bands = PairBands {
            quantiles: vec![[-0.5, -0.25, 0.0, 0.25, 0.5]; 3],
            mean: vec![0.0; 3],
        };
        let paths = fan_paths(&bands, 2, &FRAME);
        assert_eq!(
            paths.outer,
            "M10.0,25.0L100.0,25.0L190.0,25.0L190.0,75.0L100.0,75.0L10.0,75.0Z"
        );
        assert_eq!(paths.median, "M10.0,50.0L100.0,50.0L190.0,50.0");
        assert!(paths.inner.starts_with("M10.0,37.5"));
    }

    #[test]
    fn ticks() {
        assert_eq!(month_ticks(36), vec![0, 6, 12, 18, 24, 30, 36]);
        assert_eq!(month_ticks(240).len(), 6);
    }
}
