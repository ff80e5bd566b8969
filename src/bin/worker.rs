//! The Web Worker binary (wasm only): registers `alignment_sim::app::worker::SimWorker`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use gloo::worker::Registrable;
    alignment_sim::app::worker::SimWorker::registrar().register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
