#!/usr/bin/env bash
# Builds the page's engine for Node (bench/wasm) from this tree and times it; with a second
# build's .wasm, times both in alternating pairs (the machine's speed drifts, so only paired
# ratios compare). Usage (from anywhere):
#   [WORKS=full,full_tape,per_run,tape] bash bench/wasm/run.sh [SCENARIO] [OTHER.wasm]
# Writes target/bench-wasm/engine.wasm (copy it aside to compare it with a later tree).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR="$root/target/bench-wasm"
scenario="${1:-sino-russian-drift}"
cd "$here"
mkdir -p "$CARGO_TARGET_DIR"
cargo run --quiet --release --bin models > "$CARGO_TARGET_DIR/models.tsv"
cargo build --quiet --release --lib --target wasm32-unknown-unknown
wasm="$CARGO_TARGET_DIR/engine.wasm"
# The page's module goes through wasm-opt -Oz (index.html); so does this one, when it is installed.
if command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/alignment_bench_wasm.wasm" -o "$wasm"
else
  cp "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/alignment_bench_wasm.wasm" "$wasm"
fi
node "$here/run.mjs" "$CARGO_TARGET_DIR/models.tsv" "$scenario" 2000 21 ${2:+"$2"} "$wasm"
