// The page as a user meets it: loading, charts per scenario, sliders, links, copy, timings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE_URL, ARTIFACTS, SCENARIOS, launch, openPage, waitForResults, outcomeNumbers, cliOutcomes, cliRun, assertPageEqualsCli, showAllAssumptions } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const id of SCENARIOS) {
  test(`${id}: loads without console errors and renders its charts`, async () => {
    const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=${id}`);
    await waitForResults(page);
    assert.equal(await page.locator('#scenario-picker').inputValue(), id);
    assert.ok(await page.locator('.notice').isVisible(), 'the speculative-model notice is visible');
    assert.equal(await page.locator('.fan.large svg path.median').count(), 1, 'large fan chart');
    const pairs = await page.locator('#pair-picker option').count();
    assert.ok(pairs >= 15, `pairs: ${pairs}`);
    assert.equal(await page.locator('.multiples .fan.small').count(), pairs, 'one small multiple per pair');
    assert.equal(await page.locator('.network-svg line.edge').count(), pairs, 'one network edge per pair');
    // Every number shown equals the command line's for the same link: outcomes, events, blocs,
    // the large chart's data table and the frustration line.
    const cli = await assertPageEqualsCli(page, page.url());
    assert.equal(cli.pairs.length, pairs);
    assert.equal(await page.locator('.outcomes tr[data-outcome]').count(), cli.outcomes.length);
    assert.equal(await page.locator('.events tr[data-event]').count(), cli.events.length);
    assert.equal(await page.locator('.blocs li').count(), cli.blocs.length);
    // Every chart has a text alternative.
    for (const svg of await page.locator('svg[role=img]').all()) {
      assert.ok((await svg.getAttribute('aria-label'))?.length > 10);
    }
    // The page starts with the file's key assumptions, in the file's order; the rest are one click away.
    const keyShown = await page.$$eval('.key-assumptions input[type=range]', (inputs) => inputs.map((i) => i.id));
    assert.deepEqual(keyShown, cli.scenario.opening.key_assumptions.map((a) => `a-${a.replaceAll('.', '_')}`));
    assert.equal(await page.locator('.assumption input[type=range]').count(), keyShown.length, 'only the key sliders on load');
    await showAllAssumptions(page);
    // Then one slider per assumption of the command line's report, each at the value the command line
    // used, labelled, and speaking its value as the scenario's default.
    const sliders = await page.$$eval('.assumption input[type=range]', (inputs) => inputs.map((input) => ({
      id: input.id,
      value: Number(input.value),
      spoken: input.getAttribute('aria-valuetext'),
      label: document.querySelector(`label[for="${input.id}"]`)?.textContent.trim() ?? '',
    })));
    const byId = Object.fromEntries(sliders.map((s) => [s.id, s]));
    assert.equal(sliders.length, cli.assumptions.length, 'one slider per assumption');
    for (const a of cli.assumptions) {
      const slider = byId[`a-${a.id.replaceAll('.', '_')}`];
      assert.ok(slider, `a slider for ${a.id}`);
      assert.equal(slider.value, a.value, `${a.id}: the slider holds the value the command line used`);
      assert.equal(a.value, a.default, `${a.id}: a plain link runs the defaults`);
      assert.ok(slider.spoken.endsWith(", the scenario's default"), `${a.id} speaks “${slider.spoken}”`);
      assert.notEqual(slider.label, '', `${a.id} has a label`);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, `${id}.png`), fullPage: false });
    await page.locator('.results').screenshot({ path: path.join(ARTIFACTS, `${id}-results.png`) });
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('a keyboard slider move changes the link and the numbers; the link reproduces them elsewhere and in the command line', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift`);
  let generation = await waitForResults(page);
  const before = await outcomeNumbers(page);

  // Find the balance slider by its accessible name, as a user of assistive technology would.
  const label = (await page.locator('label[for="a-model_balance"]').textContent()).trim();
  const slider = page.getByRole('slider', { name: label, exact: true });
  await slider.focus();
  const started = Date.now();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
  generation = await waitForResults(page, { after: generation });
  const elapsed = Date.now() - started;
  const value = await slider.inputValue();
  const after = await outcomeNumbers(page);
  assert.notDeepEqual(after, before, 'outcome numbers moved');
  // The link is rewritten 250 ms after the last change, and once after the page opens (to its
  // full form): on a quick machine the results come before that first rewrite, so waiting for
  // any change of the link is not enough. Wait for the new value's part.
  const part = `model.balance=${value}`;
  await page.waitForFunction((part) => location.hash.slice(1).split('&').includes(part), part);
  const link = page.url();
  assert.match(link, new RegExp(`model\\.balance=${value.replace('.', '\\.')}(&|$)`));
  console.log(`# 20 key presses → results for the new value in ${elapsed} ms (includes the key presses)`);

  // A fresh browser context (no shared state) opening the link shows the same values and numbers.
  const fresh = await openPage(browser, link);
  await waitForResults(fresh.page);
  assert.equal(await fresh.page.getByRole('slider', { name: label, exact: true }).inputValue(), value);
  assert.deepEqual(await outcomeNumbers(fresh.page), after);
  await assertPageEqualsCli(fresh.page, link);
  assert.deepEqual(fresh.problems, []);
  await fresh.context.close();

  // The command line reads the same link and prints the same numbers, to the bit.
  assert.deepEqual(cliOutcomes(link), after);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an ensemble shared by two workers (5 000 runs) shows the command line\'s numbers', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&runs=5000&seed=7`);
  await waitForResults(page);
  await page.waitForFunction(() => location.hash.includes('runs=5000'));
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  console.log(`# ${cores} cores: ${cores >= 2 ? 'the 5 000 runs were shared by two workers' : 'one worker (one core)'}`);
  await assertPageEqualsCli(page, page.url());
  assert.deepEqual(problems, []);
  await context.close();
});

test('slider move → chart redrawn: timed over repeated single steps (default ensemble)', async () => {
  const { context, page } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift`);
  let generation = await waitForResults(page);
  // Timed in the page too: from the key's event to the results' render, to the start of the next
  // frame, and to just after that frame (a message posted from the frame's callback is handled
  // once the frame is painted). The driver's own figure below adds its round trips and its
  // polling, which waits for a frame of its own.
  await page.evaluate(() => {
    window.stepTimes = [];
    let key = 0;
    let seen = Number(document.querySelector('.results').dataset.generation);
    document.addEventListener('keydown', (e) => { key = e.timeStamp; }, true);
    new MutationObserver(() => {
      const results = document.querySelector('.results');
      if (results?.dataset.status !== 'done' || Number(results.dataset.generation) <= seen) return;
      seen = Number(results.dataset.generation);
      const [from, rendered] = [key, performance.now()];
      requestAnimationFrame(() => {
        const frame = performance.now();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => window.stepTimes.push(
          { rendered: rendered - from, frame: frame - from, painted: performance.now() - from });
        channel.port2.postMessage(null);
      });
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status', 'data-generation'] });
  });
  const slider = page.locator('#a-model_balance');
  await slider.focus();
  const times = [];
  for (let i = 0; i < 8; i++) {
    const key = i % 2 ? 'ArrowLeft' : 'ArrowRight';
    const t = await page.evaluate(() => performance.now());
    await page.keyboard.press(key);
    generation = await waitForResults(page, { after: generation });
    // Wait for the next frame so that the redraw is painted.
    const done = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
    times.push(done - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`# slider step → redrawn and painted: median ${median.toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms over ${times.length}`);
  await page.waitForFunction(() => window.stepTimes.length === 8);
  const inPage = await page.evaluate(() => window.stepTimes);
  const medianOf = (key) => inPage.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(inPage.length / 2)].toFixed(0);
  console.log(`# the same steps in the page, from the key: rendered ${medianOf('rendered')} ms, next frame ${medianOf('frame')} ms, painted ${medianOf('painted')} ms (medians; the line above is the test driver's)`);
  // Measured and printed, not asserted: a time depends on the machine and its load (a benchmark, not a test).
  assert.equal(times.length, 8);
  // Each step was seen once in the page, and in order: key, render, frame, paint.
  assert.ok(inPage.every((s) => s.rendered > 0 && s.rendered <= s.frame && s.frame <= s.painted), JSON.stringify(inPage));
  await context.close();
});

test('100 000 runs: progress is shown and no main-thread task exceeds 50 ms', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement`);
  const generation = await waitForResults(page);
  // From here on, every main-thread task over 50 ms is recorded (the Long Tasks API).
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask' });
  });
  await page.locator('#runs').selectOption('100000');
  await page.waitForSelector('.status progress', { timeout: 10000 });
  // Results refine as runs accumulate: the first 1000 runs' outcomes come first, and they are
  // exactly those of a 1000-run ensemble (the command line, same link with runs=1000).
  await page.waitForSelector('.outcomes table[data-preliminary=true]', { timeout: 20000 });
  const preliminary = await outcomeNumbers(page);
  await page.waitForFunction(() => location.hash.includes('runs=100000'));
  assert.deepEqual(preliminary, cliOutcomes(page.url().replace('runs=100000', 'runs=1000')));
  const progressSeen = new Set();
  const started = Date.now();
  // While the job runs, the finished fan stays drawn in full (every month's median), under a
  // progress overlay: the chart never blanks and refills month by month.
  const fullMedianPoints = await page.evaluate(() => document.querySelector('.fan.large path.median').getAttribute('d').split('L').length);
  let overlaySeen = false;
  while (true) {
    const seen = await page.evaluate(() => ({
      value: document.querySelector('.status progress')?.getAttribute('value') ?? null,
      overlay: !!document.querySelector('.fan-main .fan-progress progress'),
      points: document.querySelector('.fan.large path.median')?.getAttribute('d').split('L').length ?? 0,
    }));
    if (seen.value === null) break;
    progressSeen.add(seen.value);
    overlaySeen ||= seen.overlay;
    assert.equal(seen.points, fullMedianPoints, 'the last finished fan stays drawn while the job runs');
    await page.waitForTimeout(50);
  }
  assert.ok(overlaySeen, 'the progress is shown over the chart');
  await waitForResults(page, { after: generation, timeout: 120000 });
  const seconds = (Date.now() - started) / 1000;
  const longTasks = await page.evaluate(() => window.__longTasks);
  const worst = Math.max(0, ...longTasks);
  console.log(`# 100 000 runs: finished in ${seconds.toFixed(1)} s with ${progressSeen.size} progress values seen; main-thread tasks over 50 ms: ${longTasks.length} (worst ${worst.toFixed(0)} ms)`);
  assert.ok(progressSeen.size >= 2, 'progress moved');
  assert.equal(longTasks.length, 0, `long tasks: ${longTasks.map((d) => d.toFixed(0)).join(', ')}`);
  assert.match(page.url(), /runs=100000/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a garbage link opens the page with a message and keeps what was valid', async () => {
  const { context, page, problems } = await openPage(browser,
    `${BASE_URL}#v=1&s=russia-dprk-alignment&seed=42&model.balance=banana&nonsense=1&runs=-5&%zz=1`);
  await waitForResults(page);
  const notices = page.locator('.link-notices');
  await notices.waitFor();
  const text = await notices.textContent();
  assert.match(text, /model\.balance/);
  assert.match(text, /nonsense/);
  assert.match(text, /runs/);
  assert.equal(await page.locator('#scenario-picker').inputValue(), 'russia-dprk-alignment');
  assert.equal(await page.locator('#seed').inputValue(), '42', 'the valid seed was kept');
  // The numbers are those of the valid parts alone (the command line drops the same parts).
  const kept = await assertPageEqualsCli(page, page.url());
  assert.equal(kept.settings.seed, 42);
  const pure = await openPage(browser, `${BASE_URL}#%%%garbage%%%&&==`);
  await waitForResults(pure.page);
  await pure.page.locator('.link-notices').waitFor();
  assert.deepEqual(pure.problems, []);
  await pure.context.close();
  const future = await openPage(browser, `${BASE_URL}#v=99&s=sino-russian-drift&seed=9`);
  await waitForResults(future.page);
  assert.match(await future.page.locator('.link-notices').textContent(), /version 99/);
  assert.equal(await future.page.locator('#seed').inputValue(), '9');
  await future.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the copy button puts the link on the clipboard', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement&seed=5`);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE_URL).origin });
  await waitForResults(page);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.locator('.copy-status', { hasText: 'copied' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.locator('#share-url').inputValue());
  assert.match(copied, /seed=5/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('usable at 375 px wide and in dark mode', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment`,
    { viewport: { width: 375, height: 800 }, colorScheme: 'dark' });
  await waitForResults(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow} px wider than the screen`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'narrow-dark.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
