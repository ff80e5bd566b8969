// Starts the engine's Web Worker: the wasm-bindgen glue (no-modules build), then its wasm.
importScripts('./worker.js');
wasm_bindgen({ module_or_path: './worker_bg.wasm' });
