// Starts the page's wasm. A file of its own (not an inline script) so that the
// Content-Security-Policy in index.html can forbid inline scripts.
import init from './app.js';

// The engine is compiled with WebAssembly SIMD (simd128): Chrome and Edge 91+, Firefox 89+,
// Safari 16.4+; its workers load the page's module with a dynamic import (Firefox 114+). A
// browser without SIMD cannot load the page's wasm at all, so say so plainly
// instead of failing silently. The bytes are the smallest module that uses a SIMD instruction
// (i32.const 0; i8x16.splat; i8x16.popcnt), as in the wasm-feature-detect project.
const simdProbe = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

if (typeof WebAssembly === 'object' && WebAssembly.validate(simdProbe)) {
  init({ module_or_path: './app_bg.wasm' });
} else {
  const message = document.createElement('p');
  message.setAttribute('role', 'alert');
  message.className = 'unsupported-browser';
  message.textContent =
    'This page runs its simulation with WebAssembly SIMD, which this browser does not support. ' +
    'It works in Chrome or Edge 91 or later, Firefox 114 or later, and Safari 16.4 or later. ' +
    'The command line (alignment-sim) gives the same numbers for the same link.';
  document.body.append(message);
}
