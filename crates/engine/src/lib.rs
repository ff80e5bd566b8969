//! The alignment model of DESIGN.md §3: pure Rust, no web crates, deterministic to the bit.
//!
//! Build a [`Model`] (plain numbers), pick [`Settings`] (seed, runs, horizon), and either call
//! [`Ensemble::run`] or drive an [`Ensemble`] chunk by chunk with [`Ensemble::advance`] (as the
//! Web Worker does, to report progress and to stop when the user moves on).

#[cfg(target_arch = "x86_64")]
mod avx512;
mod blocs;
mod ensemble;
mod fastmath;
mod lanes;
mod model;
mod order;
mod params;
mod rng;
#[cfg(target_arch = "wasm32")]
mod simd128;
mod stats;
mod summary;
mod tape;

/// Which engine computes the numbers: the same link, settings and assumptions give the same numbers
/// to the bit only from the same engine version. A new version changes the random draws, or how
/// they are used, and with them every number by no more than Monte Carlo error. Share links state
/// the version that made them (their `e=` part, read by the simulator's `link` module), and the
/// page and the command line say so when they open a link of another engine. Older engines are
/// not kept.
///
/// 1. Until 3 December 2026: normals by a ziggurat of 128 layers.
/// 2. Normals by a ziggurat of 1024 layers (the layer from a draw's low 10 bits; R and V solved
///    for 1024 layers, see `rng.rs`): a normal's first draw falls outside its layer's rectangle
///    0.43 % of the time instead of 2.8 %, so far fewer draws take the scalar path, and the
///    default ensemble takes about 15 % less time (README, "Where issue 13 stands").
/// 3. Single precision: the runs' state, the month's step and its tanh in 32-bit floats, sixteen
///    runs a block (one AVX-512 register, four `simd128` ones), two normals from each 64-bit draw
///    (one from each half); events, outcomes, blocs and every statistic still in double precision.
pub const ENGINE_VERSION: u32 = 3;

pub use blocs::{
    best_split, frustration, split_counts, two_best_splits, two_best_splits_of_runs, SplitMask, TwoBestSplits,
};
pub use ensemble::{Ensemble, Progress, ALIGNMENT_CLAMP, LATENT_LIMIT};
pub use lanes::{instruction_set, limit_instruction_set, InstructionSet, LANES};
pub use model::{
    pair_actors, pair_index, pair_list, Comparison, Condition, Effect, Event, Join, Model, Outcome, Reference,
    Settings, Test, When,
};
pub use order::{sort_doubles, sort_stably_by};
pub use params::RunCache;
pub use rng::{splitmix64, RunRng, Stream};
pub use stats::{quantiles, Quantiles, QUANTILE_LEVELS};
pub use summary::{BlocShare, EventStats, FrustrationStats, PairBands, Proportion, Summary, REPORTED_SPLITS};
pub use tape::{KeptDraws, RandomTape, MAX_TAPE_BYTES};
