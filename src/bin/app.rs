//! The page binary (wasm only): see `alignment_sim::app`.

#[cfg(target_arch = "wasm32")]
fn main() {
    alignment_sim::app::start();
}

/// For the browser tests: panics inside the page's wasm, so that a test can check the panic
/// banner. Only script already running in the page can call it (the test imports `./app.js`);
/// nothing in a link reaches it, so a shared link cannot crash the page of whoever opens it.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn debug_panic() {
    panic!("a panic was requested by a test (debug_panic)");
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
