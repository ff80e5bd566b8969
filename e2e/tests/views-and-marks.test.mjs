// Issue 10 on the page: a named view chosen from the picker and an event marked as having happened
// give exactly the command line's numbers for `run --view` and `run --happened`, and both travel in
// the link; the path without noise or events is drawn and equals the JSON's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { BASE_URL, ROOT, launch, openPage, waitForResults, outcomeNumbers, eventNumbers, showAllAssumptions } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

function cli(args) {
  const binary = path.join(ROOT, 'target', 'release', 'alignment-sim');
  return JSON.parse(execFileSync(binary, [...args, '--format', 'json'], { encoding: 'utf8' }));
}
const byId = (items, key) => Object.fromEntries(items.map((o) => [o.id, o[key]]));

test('a view from the picker and a marked event give the command line\'s numbers and stay in the link', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&runs=600&seed=4`);
  let generation = await waitForResults(page);
  await page.selectOption('#view-picker', 'essay-thesis');
  generation = await waitForResults(page, { after: generation });
  const viewed = cli(['run', 'sino-russian-drift', '--runs', '600', '--seed', '4', '--view', 'essay-thesis']);
  assert.deepEqual(await outcomeNumbers(page), byId(viewed.outcomes, 'probability'), 'outcomes under the view');
  await page.waitForFunction(() => location.hash.includes('view.named=essay-thesis'));

  // Mark the settlement as having happened in month 5 (the month field starts at today's month).
  await showAllAssumptions(page);
  await page.selectOption('#mark-ukraine-settlement', 'happened');
  generation = await waitForResults(page, { after: generation });
  await page.fill('#mark-month-ukraine-settlement', '5');
  await page.locator('#mark-month-ukraine-settlement').dispatchEvent('change');
  generation = await waitForResults(page, { after: generation });
  await page.waitForFunction(() => location.hash.includes('happened.ukraine-settlement=5'));
  const marked = cli(['run', 'sino-russian-drift', '--runs', '600', '--seed', '4', '--view', 'essay-thesis',
    '--happened', 'ukraine-settlement@5']);
  assert.deepEqual(await outcomeNumbers(page), byId(marked.outcomes, 'probability'), 'outcomes with the mark');
  assert.deepEqual(await eventNumbers(page), byId(marked.events, 'fired_probability'), 'events with the mark');
  assert.equal((await eventNumbers(page))['ukraine-settlement'], 1);

  // The dashed path ends where the JSON's path without noise or events ends, for the pair shown.
  const pair = Number(await page.locator('#pair-picker').inputValue());
  const end = Number(await page.locator('.drift-legend').getAttribute('data-drift-end'));
  const path_ = marked.pairs[pair].without_noise_or_events;
  assert.equal(end, path_[path_.length - 1]);

  // A reload opens the same state: view label, mark and numbers.
  const numbers = await outcomeNumbers(page);
  await page.reload();
  await waitForResults(page);
  assert.equal(await page.locator('#view-picker').inputValue(), 'essay-thesis');
  await showAllAssumptions(page);
  assert.equal(await page.locator('#mark-ukraine-settlement').inputValue(), 'happened');
  assert.deepEqual(await outcomeNumbers(page), numbers);
  assert.deepEqual(problems, []);
  await context.close();
});
