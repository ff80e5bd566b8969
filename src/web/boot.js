// Starts the page's wasm. A file of its own (not an inline script) so that the
// Content-Security-Policy in index.html can forbid inline scripts.
import init from './app.js';
init({ module_or_path: './app_bg.wasm' });
