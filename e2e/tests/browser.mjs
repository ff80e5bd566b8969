// Shared set-up of the browser tests: Debian's Chromium, headless, driven by playwright-core.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
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

/** The command line's whole JSON report for a link (`alignment-sim run --link … --format json`). */
export function cliRun(link) {
  const binary = path.join(ROOT, 'target', 'release', 'alignment-sim');
  return JSON.parse(execFileSync(binary, ['run', '--link', link, '--format', 'json'], { encoding: 'utf8' }));
}

/** The command line's outcomes for a link: id → probability. */
export function cliOutcomes(link) {
  return Object.fromEntries(cliRun(link).outcomes.map((o) => [o.id, o.probability]));
}

/** Event id → exact probability of having fired by the horizon, as the page computed it. */
export async function eventNumbers(page) {
  return page.$$eval('.events tr[data-event]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.event, Number(r.dataset.probability)])));
}

/** The bloc splits the page lists: [mask, share] in the page's order. */
export async function blocNumbers(page) {
  return page.$$eval('.blocs li[data-mask]', (items) => items.map((li) => [Number(li.dataset.mask), Number(li.dataset.share)]));
}

/**
 * `v` with `decimals` digits as Rust's `format!("{:.N}")` writes it: from the exact binary value,
 * exact ties rounded to even (JavaScript's toFixed rounds them up: 0.0625 → "0.063", Rust "0.062").
 */
export function rustFixed(v, decimals) {
  const [whole, fraction] = Math.abs(v).toFixed(100).split('.'); // exact for the doubles shown here
  const rest = fraction.slice(decimals);
  let digits = BigInt(whole + fraction.slice(0, decimals));
  const above = rest[0] > '5' || (rest[0] === '5' && /[1-9]/.test(rest.slice(1)));
  const tie = rest[0] === '5' && !/[1-9]/.test(rest.slice(1));
  if (above || (tie && digits % 2n === 1n)) digits += 1n;
  const text = digits.toString().padStart(decimals + 1, '0');
  const body = decimals ? `${text.slice(0, -decimals)}.${text.slice(-decimals)}` : text;
  return (v < 0 || Object.is(v, -0) ? '-' : '') + body;
}

/** A number as the page prints it (`view::format::value`): true minus sign, no "−0.000". */
export function shown(v, decimals) {
  const text = rustFixed(v, decimals);
  if (!text.startsWith('-')) return text;
  return /[1-9]/.test(text) ? `−${text.slice(1)}` : text.slice(1);
}

/** A probability as the page prints it (`view::format::percent`). */
export function percent(p) {
  return p > 0 && p < 0.001 ? '< 0.1 %' : `${rustFixed(100 * p, 1)} %`;
}

/**
 * Everything the page shows as a number for the current link, checked against the command line's
 * JSON for the same link: outcomes and events to the bit, bloc splits and shares to the bit, the
 * large chart's data table (every month's quantiles and mean, as printed) and the frustration line.
 */
export async function assertPageEqualsCli(page, link) {
  const cli = cliRun(link);
  assert.deepEqual(await outcomeNumbers(page), Object.fromEntries(cli.outcomes.map((o) => [o.id, o.probability])), 'outcomes');
  assert.deepEqual(await eventNumbers(page), Object.fromEntries(cli.events.map((e) => [e.id, e.fired_probability])), 'events');
  assert.deepEqual(await blocNumbers(page), cli.blocs.map((b) => [b.mask, b.share]), 'bloc splits');
  const pair = Number(await page.locator('#pair-picker').inputValue()); // the pair's index
  const bands = cli.pairs[pair];
  const table = await page.$$eval('.fan.large .data-table tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(table, bands.quantiles.map((q, t) => [...q, bands.mean[t]].map((v) => shown(v, 3))), `data table of ${bands.pair}`);
  const f = cli.frustration;
  const frustration = await page.locator('.blocs p.caption').last().textContent();
  const want = `${shown(f.initial, 2)} at month 0, median ${shown(f.quantiles[2], 2)} at month ${cli.settings.horizon} (90 % of runs between ${shown(f.quantiles[0], 2)} and ${shown(f.quantiles[4], 2)})`;
  assert.ok(frustration.includes(want), `frustration: “${frustration}” should say “${want}”`);
  return cli;
}

/** Opens the full, grouped list of assumptions: the page starts with the file's key assumptions only. */
export async function showAllAssumptions(page) {
  const all = page.locator('details.all-assumptions');
  if (!(await all.evaluate((d) => d.open))) await all.locator('summary').first().click();
  await page.locator('details.all-assumptions details.group').first().waitFor();
}
