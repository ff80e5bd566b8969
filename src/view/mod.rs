//! What the page draws, as plain functions of the results: SVG geometry and number formatting.
//! No web crates here, so all of it is tested natively.

pub mod fan;
pub mod format;
pub mod glossary;
pub mod network;
pub mod tornado;

/// Colour-blind-safe colours (Okabe–Ito): blue for aligned, vermillion for hostile. Signs are
/// never shown by colour alone: hostile edges are also dashed, and numbers carry their sign.
pub const ALIGNED_COLOUR: &str = "#0072B2";
pub const HOSTILE_COLOUR: &str = "#D55E00";
pub const NEUTRAL_COLOUR: &str = "#8a8a8a";
