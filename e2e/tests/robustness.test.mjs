// Bringing your own scenario, hostile input, failures that stay visible, and nothing lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BASE_URL, ARTIFACTS, ROOT, launch, openPage, waitForResults, outcomeNumbers, cliOutcomes, assertPageEqualsCli } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const builtinText = (id) => readFileSync(path.join(ROOT, 'scenarios', `${id}.toml`), 'utf8');

async function openLoader(page) {
  await page.locator('.loader summary').click();
}

/** Puts a whole file's text in the paste box at once (typing 130 KB through \`fill\` takes half a
 * minute on a loaded 2-core machine; the page reads the box only when the button is pressed). */
async function setPasted(page, text) {
  await page.locator('#scenario-text').evaluate((box, value) => { box.value = value; }, text);
}

async function paste(page, text) {
  await openLoader(page);
  await setPasted(page, text);
  await page.getByRole('button', { name: 'Load pasted scenario' }).click();
}

test('an uploaded scenario runs, travels in the link, and the link reproduces it elsewhere', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement`);
  let generation = await waitForResults(page);
  // A variant with its own title and a different default, so that only the carried file gives these numbers.
  const text = builtinText('russia-dprk-alignment')
    .replace(/^title = .*$/m, 'title = "My uploaded variant"')
    .replace('[model.balance]\nvalue = 0.02', '[model.balance]\nvalue = 0.03'); // inside its plausible range
  assert.ok(text.includes('value = 0.03'));
  const file = path.join(ARTIFACTS, 'uploaded.toml');
  writeFileSync(file, text);
  await openLoader(page);
  await page.locator('#scenario-file').setInputFiles(file);
  generation = await waitForResults(page, { after: generation });
  assert.match(await page.locator('.scenario-panel').textContent(), /My uploaded variant/);
  await page.waitForFunction(() => location.hash.includes('&c='));
  const link = page.url();
  assert.match(await page.locator('.share label').textContent(), new RegExp(`${link.length} characters`));
  const numbers = await outcomeNumbers(page);

  const fresh = await openPage(browser, link);
  await waitForResults(fresh.page);
  assert.match(await fresh.page.locator('.scenario-panel').textContent(), /My uploaded variant/);
  assert.deepEqual(await outcomeNumbers(fresh.page), numbers);
  // Every number shown (events, blocs, data table, frustration too) is the command line's for the
  // same carried file.
  await assertPageEqualsCli(fresh.page, link);
  assert.deepEqual(fresh.problems, []);
  await fresh.context.close();
  assert.deepEqual(cliOutcomes(link), numbers, 'the command line reads the carried scenario too');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a broken pasted scenario lists its problems by line and field, and nothing is lost', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&seed=3`);
  await waitForResults(page);
  const before = await outcomeNumbers(page);
  const broken = builtinText('sino-russian-drift')
    .replace(/^confidence = "low"$/m, 'confidence = "sort of"')
    .replace(/^value = /m, 'valeu = ');
  await paste(page, broken);
  const errors = page.locator('.load-errors');
  await errors.waitFor();
  const text = await errors.textContent();
  assert.match(text, /line \d+/);
  assert.match(text, /valeu/);
  assert.equal(await page.locator('#scenario-picker').inputValue(), 'sino-russian-drift');
  assert.equal(await page.locator('#seed').inputValue(), '3');
  assert.deepEqual(await outcomeNumbers(page), before);

  // Semantic problems are each listed with their field.
  await setPasted(page, builtinText('sino-russian-drift').replace(/^horizon = \d+/m, 'horizon = 999'));
  await page.getByRole('button', { name: 'Load pasted scenario' }).click();
  await page.locator('.load-errors', { hasText: 'horizon' }).waitFor();
  assert.match(await page.locator('.load-errors').textContent(), /240/);

  // Too many actors: its own message.
  let many = builtinText('russia-dprk-alignment');
  for (let i = 0; i < 12; i++) {
    many += `\n[[actors]]\nid = "X${i}"\nname = "Extra ${i}"\n[actors.weight]\nvalue = 1\nrange = [0.5, 2]\nstep = 0.05\nlabel = "w"\nrationale = "r"\nconfidence = "low"\nsources = [{ source = "judgement" }]\n`;
  }
  await setPasted(page, many);
  await page.getByRole('button', { name: 'Load pasted scenario' }).click();
  await page.locator('.load-errors', { hasText: 'limit is 16' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('markup and script in a scenario are shown as text, never run', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement`);
  let generation = await waitForResults(page);
  const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const text = builtinText('russia-dprk-alignment')
    .replace(/^title = .*$/m, `title = '${evil}'`)
    .replace(/^label = .*$/m, `label = '${evil}'`);
  await paste(page, text);
  generation = await waitForResults(page, { after: generation });
  assert.match(await page.locator('.scenario-panel .caption').first().textContent(), /<script>/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('.inputs img, .results img').count(), 0);
  // The CSP forbids inline script: a script element injected by the test itself does not run.
  await page.evaluate(() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.append(s); });
  assert.equal(await page.evaluate(() => window.__inline), undefined);
  assert.ok(problems.every((p) => /Content Security Policy|Refused/.test(p)), problems.join('\n'));
  await context.close();
});

test('download the state as a scenario file; loading it again gives the same numbers', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&seed=11&model.balance=0.05`);
  await waitForResults(page);
  const numbers = await outcomeNumbers(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download as a scenario file' }).click(),
  ]);
  const file = path.join(ARTIFACTS, 'downloaded.toml');
  await download.saveAs(file);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^value = 0\.05$/m, 'the slider value became the default');

  const other = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement`);
  let generation = await waitForResults(other.page);
  await openLoader(other.page);
  await other.page.locator('#scenario-file').setInputFiles(file);
  await waitForResults(other.page, { after: generation });
  assert.deepEqual(await outcomeNumbers(other.page), numbers);
  // The loaded file travels in the link; the command line reads that link to the same numbers.
  await other.page.waitForFunction(() => location.hash.includes('&c='));
  await assertPageEqualsCli(other.page, other.page.url());
  await other.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('limits each have their own message: file size, link length, horizon, runs', async () => {
  const { context, page } = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement`);
  await waitForResults(page);
  const big = path.join(ARTIFACTS, 'too-big.toml');
  writeFileSync(big, '#'.repeat(600 * 1024));
  await openLoader(page);
  await page.locator('#scenario-file').setInputFiles(big);
  await page.locator('.load-errors', { hasText: 'limited to 512 KB' }).waitFor();
  await context.close();

  const long = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&x=${'a'.repeat(70000)}`);
  await waitForResults(long.page);
  assert.match(await long.page.locator('.link-notices').textContent(), /not read/);
  // Nothing of it was read: the first built-in scenario at its defaults, the command line's numbers
  // for that plain link (the command line itself refuses the long link rather than print another
  // scenario's numbers).
  assert.equal(await long.page.locator('#scenario-picker').inputValue(), 'us-russia-rapprochement');
  await assertPageEqualsCli(long.page, `${BASE_URL}#v=1&s=us-russia-rapprochement`);
  await long.context.close();

  const limits = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&h=999&runs=1000000`);
  await waitForResults(limits.page);
  const text = await limits.page.locator('.link-notices').textContent();
  assert.match(text, /h: 999 is outside 1…240/);
  assert.match(text, /runs: 1000000 is outside 1…100000/);
  // The scenario's horizon and runs are used instead, as by the command line for the same link.
  const cli = await assertPageEqualsCli(limits.page, `${BASE_URL}#v=1&s=sino-russian-drift&h=999&runs=1000000`);
  assert.deepEqual([cli.settings.horizon, cli.settings.runs], [36, 2000]);
  await limits.context.close();
});

test('a panic shows a readable banner with a way back to the defaults', async () => {
  const { context, page } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&seed=4`);
  await waitForResults(page);
  // A panic inside the page's wasm, requested by script in the page (no link can ask for one).
  await page.evaluate(async () => {
    const app = await import('./app.js');
    try { app.debug_panic(); } catch { /* the wasm traps after the hook has run */ }
  });
  const banner = page.locator('.panic-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /internal error/);
  await page.getByRole('link', { name: "Reset to the scenario's defaults" }).click();
  await waitForResults(page);
  assert.equal(await page.locator('#scenario-picker').inputValue(), 'russia-dprk-alignment');
  await context.close();
});

test('a failed worker is reported, the page stays usable, and Retry recovers', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await context.route('**/worker_loader.js', (route) => route.abort());
  await page.goto(`${BASE_URL}#v=1&s=us-russia-rapprochement`);
  const failure = page.locator('.message.failure');
  await failure.waitFor({ timeout: 20000 });
  assert.match(await failure.textContent(), /stopped answering/);
  // Still usable: a slider moves and the link follows.
  const slider = page.locator('#a-model_balance');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => location.hash.includes('model.balance='));
  await context.unroute('**/worker_loader.js');
  // The slider move started a job on the dead worker; wait for the watchdog again, then retry.
  await failure.waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: 'Retry' }).click();
  await waitForResults(page);
  assert.equal(await failure.count(), 0);
  await context.close();
});

test('reload, back/forward and the saved session keep what the user did', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE_URL}#v=1&s=us-russia-rapprochement`);
  let generation = await waitForResults(page);
  await page.locator('#a-model_balance').focus();
  await page.keyboard.press('ArrowRight');
  generation = await waitForResults(page, { after: generation });
  await page.waitForFunction(() => location.hash.includes('model.balance='));
  const value = await page.locator('#a-model_balance').inputValue();
  const moved = page.url();
  const numbers = await outcomeNumbers(page);
  assert.deepEqual(numbers, cliOutcomes(moved), 'the moved state is the command line’s for its link');

  await page.reload();
  await waitForResults(page);
  assert.equal(await page.locator('#a-model_balance').inputValue(), value, 'reload keeps the slider');
  assert.deepEqual(await outcomeNumbers(page), numbers);
  await assertPageEqualsCli(page, moved);

  // Switching scenario adds a history entry; Back returns to the previous state.
  generation = await waitForResults(page);
  await page.locator('#scenario-picker').selectOption('russia-dprk-alignment');
  generation = await waitForResults(page, { after: generation });
  await page.waitForFunction(() => location.hash.includes('s=russia-dprk-alignment'));
  const switched = page.url();
  const switchedNumbers = await assertPageEqualsCli(page, switched);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#scenario-picker').value === 'us-russia-rapprochement');
  generation = await waitForResults(page, { after: generation });
  assert.equal(await page.locator('#a-model_balance').inputValue(), value, 'back restores the slider');
  assert.deepEqual(await outcomeNumbers(page), numbers, 'back restores the numbers');
  await assertPageEqualsCli(page, moved);
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('#scenario-picker').value === 'russia-dprk-alignment');
  await waitForResults(page, { after: generation });
  assert.deepEqual(await outcomeNumbers(page), Object.fromEntries(switchedNumbers.outcomes.map((o) => [o.id, o.probability])),
    'forward restores the numbers');

  // The bare page offers the last session, and restoring it gives that session's numbers.
  const bare = await context.newPage();
  await bare.goto(BASE_URL);
  const offered = await waitForResults(bare);
  await bare.getByRole('button', { name: 'Restore last session' }).click();
  await bare.waitForFunction(() => document.querySelector('#scenario-picker').value === 'russia-dprk-alignment');
  await waitForResults(bare, { after: offered });
  await assertPageEqualsCli(bare, switched);
  await context.close();
});

test('old links keep opening: version-less and version 1 links of each built-in', async () => {
  // Links as this version writes them; these literals must keep working in later versions, and the
  // numbers they show are the command line's for the same literal link.
  const old = [
    ['v=1&s=sino-russian-drift&seed=7&runs=500&h=24&model.balance=0.03&view.pair=RUS-CHN', { seed: '7', runs: '500', balance: '0.03' }],
    ['s=us-russia-rapprochement&seed=12&model.balance=0.01', { seed: '12', balance: '0.01' }],
    ['v=1&s=russia-dprk-alignment&sh=00000000&seed=2', { seed: '2' }],
  ];
  for (const [fragment, want] of old) {
    const { context, page } = await openPage(browser, `${BASE_URL}#${fragment}`);
    await waitForResults(page);
    assert.equal(await page.locator('#seed').inputValue(), want.seed, fragment);
    // The page wrote `sh` into every link before engines were named, so such a link's numbers were
    // engine 1's, and the page says these come from another; a link without it was written by hand.
    const notices = page.locator('.link-notices');
    const noticeText = (await notices.count()) > 0 ? await notices.textContent() : '';
    if (fragment.includes('&sh=')) assert.match(noticeText, /from before 3 December 2026, when the engine was version 1/, fragment);
    else assert.doesNotMatch(noticeText, /engine/, fragment);
    if (want.runs) assert.equal(await page.locator('#runs').inputValue(), want.runs);
    if (want.balance) assert.equal(await page.locator('#a-model_balance').inputValue(), want.balance);
    const cli = await assertPageEqualsCli(page, `${BASE_URL}#${fragment}`);
    assert.equal(String(cli.settings.seed), want.seed);
    if (want.runs) assert.equal(String(cli.settings.runs), want.runs);
    if (want.balance) assert.equal(String(cli.assumptions.find((a) => a.id === 'model.balance').value), want.balance);
    await context.close();
  }
});
