//! The command line: `alignment-sim validate|run|list|bench` (native only; see `cli`).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    alignment_sim::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
