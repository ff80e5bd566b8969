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
