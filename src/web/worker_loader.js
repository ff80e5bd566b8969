// Starts an engine Web Worker on the page's own wasm module (app.js and app_bg.wasm): its main
// sees no window and registers the worker instead of the page. The glue is an ES module, which a
// classic worker (as the page's runner spawns) loads with a dynamic import.
import('./app.js').then((glue) => glue.default({ module_or_path: './app_bg.wasm' }));
