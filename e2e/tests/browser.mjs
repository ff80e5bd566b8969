// Shared set-up of the browser tests: Debian's Chromium, headless, driven by playwright-core.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8080/';
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const SCENARIOS = ['us-russia-rapprochement', 'sino-russian-drift', 'russia-dprk-alignment'];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh context and page that records console errors, page errors and failed requests. */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(url);
  return { context, page, problems };
}

/** Waits until the results on the page are finished and current; returns the generation. */
export async function waitForResults(page, { after = 0, timeout = 30000 } = {}) {
  await page.waitForFunction((after) => {
    const r = document.querySelector('.results');
    return r && r.dataset.status === 'done' && Number(r.dataset.generation) > after
      && document.querySelector('.outcomes tr[data-probability]');
  }, after, { timeout });
  return Number(await page.locator('.results').getAttribute('data-generation'));
}

/** Outcome id → exact probability, as the page computed it. */
export async function outcomeNumbers(page) {
  return page.$$eval('.outcomes tr[data-outcome]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.outcome, Number(r.dataset.probability)])));
}

/** The command line's outcomes for a link: id → probability. */
export function cliOutcomes(link) {
  const binary = path.join(ROOT, 'target', 'release', 'alignment-sim');
  const out = execFileSync(binary, ['run', '--link', link, '--format', 'json'], { encoding: 'utf8' });
  return Object.fromEntries(JSON.parse(out).outcomes.map((o) => [o.id, o.probability]));
}
