//! The tornado chart's geometry, the one home for the page's chart and the SVG file: a row per
//! assumption, a probability axis from 0 to 100 %, and per row two thin bars from the current
//! value's probability to the probability at the low end (upper bar) and at the high end (lower
//! bar) of the assumption's range.

/// Probability ticks on the axis (drawn above the rows).
pub const TICKS: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// Characters per line of a label in the page's chart (11 px bold text in its 250-unit column).
pub const PAGE_LABEL_CHARS: usize = 36;

/// A label broken into lines of at most `max` characters at spaces (a longer word gets a line
/// of its own), so that labels are shown whole instead of cut.
pub fn label_lines(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Which end of the range a bar shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarEnd {
    Low,
    High,
}

/// A rectangle in SVG user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Where a tornado is drawn, in SVG user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TornadoLayout {
    pub width: f64,
    /// Room for the labels, left of the axis.
    pub left: f64,
    /// Room for the swing figures, right of the axis.
    pub right: f64,
    /// Top of the first row (the tick labels sit above it).
    pub top: f64,
    /// Height of one row.
    pub row: f64,
}

/// Below the last row: room for a note.
const FOOT: f64 = 30.0;
/// Height of one bar; a row holds the two bars with a gap between them.
const BAR: f64 = 6.0;
/// The thinnest bar drawn, so an end equal to the current value still shows.
const MIN_BAR_WIDTH: f64 = 1.0;

impl TornadoLayout {
    /// The page's chart (scaled to the column's width by its viewBox).
    pub const PAGE: TornadoLayout = TornadoLayout {
        width: 640.0,
        left: 250.0,
        right: 80.0,
        top: 24.0,
        // Room for a label of up to 85 characters in three lines of [`PAGE_LABEL_CHARS`].
        row: 36.0,
    };
    /// The downloadable SVG file, which also carries a title and subtitle above the axis.
    pub const FILE: TornadoLayout = TornadoLayout {
        width: 900.0,
        left: 330.0,
        right: 110.0,
        top: 74.0,
        row: 18.0,
    };

    /// The x of a probability (clamped to 0…1).
    pub fn x(&self, probability: f64) -> f64 {
        self.left + (self.width - self.left - self.right) * probability.clamp(0.0, 1.0)
    }

    /// The y of the tick labels.
    pub fn tick_label_y(&self) -> f64 {
        self.top - 10.0
    }

    pub fn row_top(&self, row: usize) -> f64 {
        self.top + self.row * row as f64
    }

    /// The bottom of the rows: where grid lines and the current value's line end.
    pub fn rows_bottom(&self, rows: usize) -> f64 {
        self.row_top(rows)
    }

    pub fn height(&self, rows: usize) -> f64 {
        self.rows_bottom(rows) + FOOT
    }

    /// The baseline of a row's label and of its swing figure.
    pub fn text_y(&self, row: usize) -> f64 {
        self.row_top(row) + self.row / 2.0 + 4.0
    }

    /// Right edge of the labels (they are right-aligned).
    pub fn label_x(&self) -> f64 {
        self.left - 8.0
    }

    /// Left edge of the swing figures.
    pub fn swing_x(&self) -> f64 {
        self.width - self.right + 8.0
    }

    /// One end's bar in `row`: from the current value's probability `base` to that end's `probability`.
    pub fn bar(&self, row: usize, base: f64, probability: f64, end: BarEnd) -> Rect {
        let (a, b) = (self.x(base), self.x(probability));
        let gap = (self.row - 2.0 * BAR) / 3.0;
        let y = self.row_top(row)
            + match end {
                BarEnd::Low => gap,
                BarEnd::High => 2.0 * gap + BAR,
            };
        Rect {
            x: a.min(b),
            y,
            width: (a - b).abs().max(MIN_BAR_WIDTH),
            height: BAR,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_spans_the_room_between_labels_and_figures() {
        for layout in [TornadoLayout::PAGE, TornadoLayout::FILE] {
            assert_eq!(layout.x(0.0), layout.left);
            assert_eq!(layout.x(1.0), layout.width - layout.right);
            assert_eq!(layout.x(0.5), (layout.left + layout.width - layout.right) / 2.0);
            assert_eq!(layout.x(-0.2), layout.x(0.0), "clamped");
            assert!(layout.label_x() < layout.x(0.0) && layout.swing_x() > layout.x(1.0));
            assert!(layout.tick_label_y() > 0.0 && layout.tick_label_y() < layout.top);
        }
    }

    #[test]
    fn labels_wrap_at_spaces_and_keep_every_word() {
        let label = "Probability per year that the United States offers Russia a wedge deal";
        let lines = label_lines(label, 30);
        assert_eq!(
            lines,
            [
                "Probability per year that the",
                "United States offers Russia a",
                "wedge deal"
            ]
        );
        assert_eq!(lines.join(" "), label);
        assert_eq!(label_lines("short", 44), ["short"]);
        assert_eq!(
            label_lines("averyveryverylongword x", 5),
            ["averyveryverylongword", "x"]
        );
        assert!(label_lines("", 10).is_empty());
    }

    #[test]
    fn bars_run_from_the_current_value_to_the_end_and_stay_inside_their_row() {
        let layout = TornadoLayout::PAGE;
        let span = layout.width - layout.left - layout.right;
        let low = layout.bar(2, 0.4, 0.1, BarEnd::Low);
        assert!((low.x - layout.x(0.1)).abs() < 1e-9);
        assert!((low.width - 0.3 * span).abs() < 1e-9);
        let high = layout.bar(2, 0.4, 0.9, BarEnd::High);
        assert!((high.x - layout.x(0.4)).abs() < 1e-9);
        assert!((high.width - 0.5 * span).abs() < 1e-9);
        // Low above high, no overlap, both inside row 2.
        assert!(low.y + low.height < high.y);
        assert!(low.y > layout.row_top(2) && high.y + high.height < layout.row_top(3));
        // An end equal to the current value still shows.
        assert_eq!(layout.bar(0, 0.3, 0.3, BarEnd::High).width, MIN_BAR_WIDTH);
        assert_eq!(layout.height(3), layout.rows_bottom(3) + FOOT);
    }
}
