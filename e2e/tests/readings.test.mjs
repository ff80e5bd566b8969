// Issue 11 in the page: outcomes over what we don't know (u=1), conditional outcomes, bloc leans
// and the Sobol indices, each equal to the command line's numbers for the same link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { BASE_URL, ROOT, ARTIFACTS, launch, openPage, waitForResults, cliRun } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const cli = (args) => JSON.parse(execFileSync(path.join(ROOT, 'target', 'release', 'alignment-sim'), args, { encoding: 'utf8' }));

// 1 000 runs are one worker's; 5 000 are shared by two on two or more cores (the follow's runs
// reach the readings through the lead).
for (const runs of [1000, 5000]) test(`conditional outcomes and bloc leans in the page equal run --format json for the same link (${runs} runs)`, async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement&seed=12&runs=${runs}`);
  await waitForResults(page);
  await page.waitForFunction(() => location.hash.includes('seed=12'));
  const json = cliRun(page.url());
  const rows = await page.$$eval('.conditional tr[data-outcome]', (trs) => trs.map((tr) =>
    [tr.dataset.givenEvent, tr.dataset.outcome, tr.dataset.pFired === undefined ? null : Number(tr.dataset.pFired),
      tr.dataset.pNot === undefined ? null : Number(tr.dataset.pNot)]));
  assert.ok(rows.length > 0);
  assert.deepEqual(rows, json.conditional.map((c) => [c.event, c.outcome, c.p_fired, c.p_not]));
  const leans = await page.$$eval('.leans tr[data-actor]', (trs) => trs.map((tr) =>
    [tr.dataset.actor, Number(tr.dataset.lean), tr.dataset.tooWeak === 'true']));
  assert.deepEqual(leans, json.bloc_leans.actors.map((a) => [a.actor, a.lean, a.too_weak_to_call]));
  const same = await page.$$eval('.same-side tr[data-pair]', (trs) => trs.map((tr) => Number(tr.dataset.sameSide)));
  assert.deepEqual(same, json.bloc_leans.same_side.map((p) => p.probability));
  const gap = Number(await page.locator('[data-gap-median]').getAttribute('data-gap-median'));
  assert.equal(gap, json.bloc_leans.gap_quantiles[2]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('over what we don\'t know: the switch writes u=1, and both figures equal run --link with u=1', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&seed=8&runs=1000`);
  await waitForResults(page);
  assert.equal(await page.locator('.over-uncertainty').count(), 0);
  await page.locator('#uncertain-switch').check();
  await page.waitForFunction(() => location.hash.includes('u=1'));
  await page.waitForSelector('.outcomes [data-over]', { timeout: 60000 });
  const link = page.url();
  const shown = await page.$$eval('.outcomes tr[data-outcome]', (trs) => trs.map((tr) =>
    [tr.dataset.outcome, Number(tr.dataset.probability), Number(tr.querySelector('[data-over]').dataset.over),
      Number(tr.querySelector('[data-over]').dataset.overStdError)]));
  const json = cliRun(link);
  assert.deepEqual(shown, json.uncertain.outcomes.map((o) => [o.id, o.at_values, o.over_uncertainty, o.over_uncertainty_se]));
  await page.locator('.outcomes').screenshot({ path: path.join(ARTIFACTS, 'outcomes-uncertain.png') });
  // A changed input recomputes both; the link opened afresh shows both again.
  const fresh = await openPage(browser, link);
  await waitForResults(fresh.page);
  await fresh.page.waitForSelector('.outcomes [data-over]', { timeout: 60000 });
  assert.ok(await fresh.page.locator('#uncertain-switch').isChecked());
  await fresh.context.close();
  await page.locator('#uncertain-switch').uncheck();
  await page.waitForFunction(() => !location.hash.includes('u=1'));
  assert.deepEqual(problems, []);
  await context.close();
});

/** Computes the Sobol indices in the page for the chosen grouping; returns [rows, ms from click to drawn]. */
async function pageSobol(page, by) {
  await page.locator('#sobol-by').selectOption(by);
  await page.evaluate(() => {
    window.__drawn = undefined;
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
    }).observe({ type: 'longtask' });
    document.querySelector('#run-sobol')
      .addEventListener('click', () => { window.__clicked = performance.now(); }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-sobol-status=done]') && document.querySelector('table.sobol tr[data-factor]')) {
        observer.disconnect();
        requestAnimationFrame(() => { window.__drawn = performance.now(); });
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.click('#run-sobol');
  await page.waitForFunction(() => window.__drawn, null, { timeout: 300000 });
  const ms = await page.evaluate(() => window.__drawn - window.__clicked);
  const longest = await page.evaluate(() => window.__longest);
  const showAll = page.getByRole('button', { name: /Show all/ });
  if (await showAll.count()) await showAll.click();
  const rows = await page.$$eval('table.sobol tr[data-factor]', (trs) => trs.map((tr) =>
    [tr.dataset.factor, Number(tr.dataset.first), Number(tr.dataset.total), tr.dataset.flagged === 'true']));
  const status = await page.locator('[data-sobol-status]').textContent();
  return [rows, ms, `${status.trim()} (longest main-thread task ${longest.toFixed(0)} ms)`];
}

test('Sobol indices in the page equal sensitivity --method sobol for the same link; times printed', async () => {
  // Russia–North Korea (79 assumptions, 82 ensembles), 2 000 base samples. The largest built-in
  // (sino-russian-drift, 103 assumptions, 106 ensembles) takes about a third longer.
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&seed=3&runs=2000`);
  await waitForResults(page, { timeout: 60000 });
  await page.waitForFunction(() => location.hash.includes('seed=3'));
  const link = page.url();
  const outcome = cliRun(link).outcomes[0].id;
  const workers = await page.evaluate(() => Math.min(4, Math.max(1, navigator.hardwareConcurrency)));
  for (const by of ['assumption', 'source', 'kind']) {
    const [rows, ms, status] = await pageSobol(page, by);
    console.log(`# sobol by ${by}: ${status.trim()} ${ms.toFixed(0)} ms from the click to the drawn table (${workers} workers)`);
    const fromCli = cli(['sensitivity', '--link', link, '--outcome', outcome, '--method', 'sobol', '--by', by, '--format', 'json']);
    assert.deepEqual(rows, fromCli.factors.map((f) => [f.id, f.first, f.total, f.flagged]), `by ${by}`);
    if (by === 'assumption') await page.locator('.sensitivity').screenshot({ path: path.join(ARTIFACTS, 'sobol.png') });
  }
  // Cancel stops a running computation and leaves the page usable. By assumption, the longest of
  // the three (about 1 s here), so that the cancel lands while it runs even on a loaded machine
  // (by kind, it once finished first: the cancel button was gone before the click landed).
  await page.locator('#sobol-by').selectOption('assumption');
  await page.click('#run-sobol');
  await page.locator('#cancel-sobol').dispatchEvent('click');
  assert.equal(await page.locator('[data-sobol-status]').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('compare: cancel stops a running reference, which then never shows, and drops it from the link', async () => {
  // 100 000 runs: the reference takes seconds, so the cancel lands while it runs.
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&seed=5&runs=100000`);
  await waitForResults(page, { timeout: 120000 });
  await page.selectOption('#compare-with', 'without:seed-002');
  await page.click('#run-compare');
  await page.waitForFunction(() => location.hash.includes('view.without=seed-002'));
  await page.click('#cancel-compare');
  assert.equal(await page.locator('.compare .status').count(), 0);
  await page.waitForFunction(() => !location.hash.includes('view.without'));
  // Long enough for the cancelled run to have finished, had it gone on.
  await page.waitForTimeout(6000);
  assert.equal(await page.locator('.compare [data-compare-status]').count(), 0);
  assert.equal(await page.locator('#run-compare').isEnabled(), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('without a source: chosen in Compare, it runs on the same draws, stays in the link, and equals ablate --link', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&seed=5`);
  await waitForResults(page);
  const options = await page.$$eval('#compare-with option', (os) => os.map((o) => o.value));
  assert.ok(options.includes('without:seed-002'), JSON.stringify(options));
  await page.selectOption('#compare-with', 'without:seed-002');
  const clicked = Date.now();
  await page.click('#run-compare');
  await page.waitForFunction(() => document.querySelector('.compare [data-compare-status=done]') && !document.querySelector('.compare .status'));
  console.log(`# without a source: ${Date.now() - clicked} ms from the click to the drawn comparison (2000 runs)`);
  await page.waitForFunction(() => location.hash.includes('view.without=seed-002'));
  const rows = await page.$$eval('.compare tbody tr', (trs) => trs.map((tr) => [tr.dataset.outcome, Number(tr.dataset.delta), Number(tr.dataset.stdError)]));
  const said = await page.locator('.compare [data-without=seed-002]').textContent();
  // The command line, from the page's own link: its change is without − with, the page's
  // difference current − reference = with − without.
  const json = cli(['ablate', '--link', page.url(), '--format', 'json']);
  assert.equal(json.source.id, 'seed-002');
  assert.deepEqual(rows.map(([id, d, se]) => [id, d, se]), json.outcomes.map((o) => [o.id, o.change === 0 ? 0 : -o.change, o.change_se]));
  assert.ok(rows.some(([, d]) => d !== 0), 'leaving the source out changes something');
  // It names each assumption set to its value without the source, with that value.
  assert.ok(said.startsWith('The difference is what the model makes of this source'), said);
  for (const changed of json.changed) assert.ok(said.includes(` at ${String(changed.without).replace('-', '−')}`), said);
  // The same link elsewhere opens on the same comparison, run without a click.
  const again = await openPage(browser, page.url());
  await waitForResults(again.page);
  await again.page.waitForFunction(() => document.querySelector('.compare [data-compare-status=done]'));
  const rowsAgain = await again.page.$$eval('.compare tbody tr', (trs) => trs.map((tr) => [tr.dataset.outcome, Number(tr.dataset.delta), Number(tr.dataset.stdError)]));
  assert.deepEqual(rowsAgain, rows);
  assert.deepEqual([...problems, ...again.problems], []);
  await again.context.close();
  await context.close();
});
