// Sensitivity tornado, comparison on common random numbers, convergence, and exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BASE_URL, ARTIFACTS, ROOT, launch, openPage, waitForResults, cliRun, percent, rustFixed } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const cli = (args) => execFileSync(path.join(ROOT, 'target', 'release', 'alignment-sim'), args, { encoding: 'utf8' });

test('the tornado in the page equals the command line for the same link, and its time is reported', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&seed=21&model.balance=0.03`);
  await waitForResults(page);
  await page.waitForFunction(() => location.hash.includes('seed=21'));
  const link = page.url();
  await page.locator('#view-tornado').check();
  const outcomeLabel = await page.locator('#tornado-outcome option').nth(1).textContent();
  await page.locator('#tornado-outcome').selectOption({ index: 1 });
  // Time on the page's own clock: from the click event to the frame after the tornado is drawn.
  await page.evaluate(() => {
    document.querySelector('#run-sensitivity')
      .addEventListener('click', () => { window.__clicked = performance.now(); }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-tornado-status=done]') && document.querySelector('.tornado svg') && !window.__seen) {
        window.__seen = true;
        observer.disconnect();
        requestAnimationFrame(() => { window.__drawn = performance.now(); });
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.click('#run-sensitivity');
  await page.waitForFunction(() => window.__drawn, null, { timeout: 120000 });
  const drawn = await page.evaluate(() => window.__drawn - window.__clicked);
  const workerMs = Number(await page.locator('[data-milliseconds]').getAttribute('data-milliseconds'));
  const ensembles = (await page.locator('[data-tornado-status]').textContent()).match(/(\d+) ensembles/)[1];
  console.log(`# sensitivity: ${ensembles} ensembles × 2000 runs: ${workerMs} ms from sending the jobs to the last result; ${drawn.toFixed(0)} ms from the click to the drawn tornado`);
  // Measured and printed, not asserted: a time depends on the machine and its load (a benchmark, not a test).
  await page.locator('.sensitivity').screenshot({ path: path.join(ARTIFACTS, 'tornado.png') });
  assert.ok(await page.locator('.tornado svg .bar-row').count() >= 10);
  // The whole table, in rank order.
  const showAll = page.getByRole('button', { name: /Show all/ });
  if (await showAll.count()) await showAll.click();
  const rows = await page.$$eval('.tornado tbody tr', (trs) => trs.map((tr) => [tr.dataset.assumption, Number(tr.dataset.swing)]));

  const outcomeId = JSON.parse(cli(['run', '--link', link, '--format', 'json'])).outcomes[1].id;
  const fromCli = JSON.parse(cli(['sensitivity', '--link', link, '--outcome', outcomeId, '--format', 'json']));
  assert.deepEqual(rows, fromCli.bars.map((b) => [b.id, b.swing]), `tornado of “${outcomeLabel}”: page and command line`);
  // The bars drawn, in order, and which of them are flagged (influential and low confidence).
  const drawnBars = await page.$$eval('.tornado svg .bar-row', (gs) => gs.map((g) => [g.dataset.assumption, g.classList.contains('flagged')]));
  assert.deepEqual(drawnBars, fromCli.bars.slice(0, drawnBars.length).map((b) => [b.id, b.flagged]), 'flagged bars');
  assert.deepEqual(problems, []);
  await context.close();
});

test('compare: the current state against the defaults on the same draws, with deltas, errors and the overlay', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift`);
  let generation = await waitForResults(page);
  // Unchanged: every difference is exactly zero, with zero error (same draws).
  await page.click('#run-compare');
  await page.waitForSelector('[data-compare-status=done]', { timeout: 60000 });
  const same = await page.$$eval('.compare tbody tr', (trs) => trs.map((tr) => [Number(tr.dataset.delta), Number(tr.dataset.stdError)]));
  assert.ok(same.length >= 2 && same.every(([d, se]) => d === 0 && se === 0), JSON.stringify(same));

  // Changed: the deltas follow, with paired errors; they agree with the command line.
  await page.locator('#a-model_balance').focus();
  for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowRight');
  generation = await waitForResults(page, { after: generation });
  await page.click('#run-compare');
  await page.waitForFunction(() => document.querySelector('.compare [data-compare-status=done]') && !document.querySelector('.compare .status'));
  const rows = await page.$$eval('.compare tbody tr', (trs) => trs.map((tr) => [tr.dataset.outcome, Number(tr.dataset.delta), Number(tr.dataset.stdError)]));
  assert.ok(rows.some(([, d]) => d !== 0), 'a change shows');
  await page.waitForFunction(() => location.hash.includes('model.balance'));
  const fromCli = JSON.parse(cli(['compare', '--link', page.url(), '--format', 'json']));
  const cliRows = fromCli.outcomes.map((o) => [o.id, o.difference ?? o.delta, o.std_error]);
  assert.deepEqual(rows.map(([id, d]) => [id, d]), cliRows.map(([id, d]) => [id, d]));
  assert.equal(await page.locator('.compare .overlay svg path.reference-median').count(), 1);
  await page.locator('.compare').screenshot({ path: path.join(ARTIFACTS, 'compare.png') });
  // Differences are signed with a true minus, never an ASCII hyphen.
  const cells = await page.$$eval('.compare tbody td', (tds) => tds.map((td) => td.textContent));
  assert.ok(cells.some((t) => /[+−]\d/.test(t)), `signed differences in ${cells}`);
  assert.ok(cells.every((t) => !/(^|\s)-\d/.test(t)), `ASCII minus in ${cells}`);
  assert.deepEqual(problems, []);
  await context.close();
});

/** Whether an estimate gets a caveat: error over 3 points, or fewer than 10 runs on one side. */
const caveated = (o, runs) => o.std_error > 0.03 || o.count < 10 || runs - o.count < 10;

test('convergence traces and the noisy-estimate warning', async () => {
  // Each trace's first point is exactly a 100-run ensemble (the first k runs of an ensemble are an
  // ensemble of k runs) and its last the full ensemble: both are the command line's numbers.
  const link = `${BASE_URL}#v=1&s=us-russia-rapprochement&runs=2000`;
  const { context, page } = await openPage(browser, link);
  await waitForResults(page);
  const rows = await page.$$eval('.outcomes tr[data-outcome]', (trs) => trs.map((tr) =>
    [tr.dataset.outcome, tr.querySelector('svg.convergence')?.getAttribute('aria-label'), tr.querySelector('.noisy') !== null]));
  const first = cliRun(link.replace('runs=2000', 'runs=100')).outcomes;
  const full = cliRun(link).outcomes;
  assert.deepEqual(rows, full.map((o, i) => [o.id,
    `Convergence: After 100 runs: ${percent(first[i].probability)}; after 2000 runs: ${percent(o.probability)} ± ${rustFixed(100 * o.std_error, 1)} points.`,
    caveated(o, 2000)]));
  await context.close();

  // With 100 runs, exactly the outcomes whose standard error is over 3 points, or that fewer than
  // 10 runs hold or fail, carry a caveat.
  const small = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement&runs=100`);
  await waitForResults(small.page);
  const flagged = await small.page.$$eval('.outcomes tr[data-outcome]', (trs) => trs.map((tr) => [tr.dataset.outcome, tr.querySelector('.noisy') !== null]));
  const cli100 = cliRun(small.page.url()).outcomes;
  assert.deepEqual(flagged, cli100.map((o) => [o.id, caveated(o, 100)]));
  assert.ok(flagged.some(([, noisy]) => noisy), 'with 100 runs some outcome is too noisy to read');
  await small.context.close();
});

test('exports download from the page and read back', async () => {
  const { context, page } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&seed=3`);
  await waitForResults(page);
  const grab = async (name) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
    const file = path.join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(file);
    return readFileSync(file, 'utf8');
  };
  const quantiles = await grab('Quantiles (CSV)');
  assert.match(quantiles, /^pair,month,q05,q25,q50,q75,q95,mean\n/);
  assert.equal(quantiles.trim().split('\n').length, 1 + 15 * 37);
  const fromCli = cli(['export', '--link', page.url(), '--what', 'quantiles']);
  assert.equal(quantiles, fromCli, 'the page and the command line export the same quantiles');
  // Every export equals the command line's `export` for the same link, byte for byte.
  const outcomes = await grab('Outcomes (CSV)');
  assert.equal(outcomes, cli(['export', '--link', page.url(), '--what', 'outcomes']));
  const report = await grab('Assumptions report (Markdown)');
  assert.equal(report, cli(['export', '--link', page.url(), '--what', 'assumptions']));
  for (const id of ['model.balance', 'pair.RUS-PRK.baseline']) assert.ok(report.includes(id), id);
  const svg = await grab('Fan chart of this pair (SVG)');
  const pair = (await page.locator('#pair-picker option:checked').textContent()).trim();
  const pairKey = JSON.parse(cli(['run', '--link', page.url(), '--format', 'json'])).pairs[Number(await page.locator('#pair-picker').inputValue())].pair;
  assert.equal(svg, cli(['export', '--link', page.url(), '--what', 'svg', '--pair', pairKey]), `fan chart of ${pair}`);
  await context.close();
});
