// The engine's WebAssembly SIMD: the page's module (which its workers load too) is built with it, and a
// browser without it gets a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BASE_URL, ROOT, launch, openPage, waitForResults } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the wasm runs the engine with SIMD instructions', () => {
  // Disassembled with binaryen's wasm-dis (installed by .ci/setup next to wasm-opt, on the PATH).
  const wasm = path.join(ROOT, 'dist', 'app_bg.wasm');
  assert.ok(existsSync(wasm), `${wasm} is built`);
  const text = execFileSync('wasm-dis', ['--enable-simd', wasm], { encoding: 'utf8', maxBuffer: 1 << 30 });
  for (const instruction of ['f64x2.mul', 'f64x2.div', 'i64x2.shl']) {
    assert.ok(text.includes(instruction), `the engine uses ${instruction}`);
  }
});

test('with SIMD the page starts as usual', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&runs=250`);
  await waitForResults(page);
  assert.equal(await page.locator('.unsupported-browser').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a browser without WebAssembly SIMD is told so, and no wasm is loaded', async () => {
  const context = await browser.newContext();
  // What such a browser answers: any module with a SIMD instruction does not validate.
  await context.addInitScript(() => {
    const validate = WebAssembly.validate.bind(WebAssembly);
    WebAssembly.validate = (bytes) => (Array.from(new Uint8Array(bytes)).includes(253) ? false : validate(bytes));
  });
  const page = await context.newPage();
  const wasmRequests = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmRequests.push(r.url()); });
  await page.goto(`${BASE_URL}#v=1&s=russia-dprk-alignment`);
  const message = page.locator('.unsupported-browser[role=alert]');
  await message.waitFor();
  const text = await message.textContent();
  assert.match(text, /WebAssembly SIMD/);
  assert.match(text, /Firefox 114/);
  assert.deepEqual(wasmRequests, []);
  await context.close();
});
