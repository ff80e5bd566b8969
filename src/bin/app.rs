//! The page binary (wasm only): see `alignment_sim::app`.

#[cfg(target_arch = "wasm32")]
fn main() {
    alignment_sim::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
