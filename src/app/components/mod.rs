//! The page's components: each renders one part of the state and dispatches actions.

mod blocs;
mod chart_images;
mod compare;
mod controls;
mod custom;
mod embed;
mod event_mark;
mod events;
mod exports;
mod fan_chart;
mod glossary;
mod header;
mod headline;
mod network;
mod outcomes;
mod results;
mod scenario_panel;
mod sensitivity;
mod share;
mod slider;
mod synced_select;
mod text;
mod value_input;

pub use controls::{Controls, ControlsCallbacks};
pub use embed::embed;
pub use glossary::glossary;
pub use header::{header, HeaderCallbacks};
pub use headline::{headline, HeadlineProps};
pub use results::Results;
pub use results::{shown_bands, shown_outcomes};
pub use scenario_panel::{ScenarioCallbacks, ScenarioPanel};
