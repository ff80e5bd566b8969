//! Files a user takes away: CSV tables, the assumptions report (Markdown) and charts (SVG).
//!
//! Plain functions from results to text, used by the page (download links) and the command line
//! (`alignment-sim export`, `--format csv|svg`) alike, so both write the same bytes. Text that
//! comes from a scenario file is escaped for the format it lands in.

mod csv;
mod fan_svg;
mod markdown;
mod svg;
mod tornado_svg;

pub use csv::{outcomes_csv, quantiles_csv, sweep_csv, text_cell, tornado_csv};
pub use fan_svg::fan_chart_svg;
pub use markdown::assumptions_markdown;
pub use tornado_svg::tornado_svg;
