//! # alignment-sim
//!
//! A speculative scenario simulator for great-power alignment. Scenario files (TOML) state every
//! assumption with its rationale, sources and confidence; a stochastic alignment model (Monte
//! Carlo, DESIGN.md §3) turns them into fan charts, outcome probabilities and blocs. Nothing here
//! is a forecast: the tool makes assumptions visible and adjustable.
//!
//! The house rule: the [`engine`] knows nothing of files or the web; [`scenario`] turns text into a
//! validated scenario and a scenario plus slider values into an engine [`engine::Model`]; [`link`]
//! encodes the whole state in a share link. The page (`app`, wasm only) and the command line
//! (`cli`, native only) are thin front ends over these.

pub mod analysis;
/// The model (crates/engine), under the name the rest of the crate uses.
pub use alignment_engine as engine;
pub mod link;
pub mod scenario;
pub mod sessions;
pub mod state;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod app;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
