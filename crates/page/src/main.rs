//! The page's one wasm module (see `alignment_sim::app::start_module`). A package of its own
//! because the link-time optimisation of the whole module runs at the level of the crate that
//! links it: opt-level 3 here, so that the engine's lanes of runs are vectorised, while the user
//! interface keeps the size-optimised code of its own package (the root Cargo.toml's `web-ui`
//! profile). Native: an empty main.

#[cfg(target_arch = "wasm32")]
fn main() {
    alignment_sim::app::start_module();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
