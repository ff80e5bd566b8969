// Issue 12: first use on any screen, and sharing beyond a link. Phones keep the headline result
// in view while a slider moves; skip links come first; chart text is readable at 375 px; the
// embed view works in an iframe of another page; chart images are real PNG and SVG files; the
// built page works from a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  launch, openPage, waitForResults, outcomeNumbers, cliRun, percent, rustFixed, assertPageEqualsCli,
  BASE_URL, ROOT,
} from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 375, height: 812 } };

/** "5.8 % ± 0.5", as the page writes a probability with its standard error. */
const withError = (o) => `${percent(o.probability)} ± ${rustFixed(100 * o.std_error, 1)}`;

/** Whether an element lies wholly inside the viewport. */
const inViewport = (locator) => locator.evaluate((e) => {
  const r = e.getBoundingClientRect();
  return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0;
});

test('at 375 px a key slider moved far down the page changes the headline number in the same viewport', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=us-russia-rapprochement&seed=3&runs=1000`, PHONE);
  let generation = await waitForResults(page);
  const headline = page.locator('.headline-probability');
  // The headline (first outcome) and the scenario picker are in the first screen.
  assert.ok(await inViewport(headline), 'headline in the first screen');
  assert.ok(await inViewport(page.locator('#scenario-picker')), 'scenario picker in the first screen');
  const first = cliRun(page.url()).outcomes[0];
  assert.equal((await headline.textContent()).trim(), withError(first));

  const slider = page.locator('#a-pair_USA-RUS_baseline');
  await slider.scrollIntoViewIfNeeded();
  const sliderTop = await slider.evaluate((e) => e.getBoundingClientRect().top + scrollY);
  assert.ok(sliderTop > 2000, `the slider is far down the page (y = ${sliderTop})`);
  await slider.focus();
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
  generation = await waitForResults(page, { after: generation });
  await page.waitForTimeout(300); // the link is written 250 ms after the last change
  assert.ok(await inViewport(slider), 'the slider is on screen');
  assert.ok(await inViewport(headline), 'and so is the headline number');
  const moved = cliRun(page.url()).outcomes[0];
  assert.notEqual(moved.probability, first.probability, 'the outcome moved');
  assert.equal((await headline.textContent()).trim(), withError(moved), 'the headline shows the new number');
  // Choosing another outcome for the headline shows its number.
  await page.locator('#headline-outcome').selectOption('3');
  assert.equal((await headline.textContent()).trim(), withError(cliRun(page.url()).outcomes[3]));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the page opens on the file’s headline and key assumptions; the rest are grouped, searchable and explained', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&runs=500&seed=2`);
  await waitForResults(page);
  const cli = cliRun(page.url());
  const opening = cli.scenario.opening;
  // The headline shows the file's outcome and the large chart the file's pair (it used to open on China–North Korea).
  const outcomeIndex = cli.outcomes.findIndex((o) => o.id === opening.outcome);
  assert.equal(await page.locator('#headline-outcome').inputValue(), String(outcomeIndex));
  assert.equal((await page.locator('.headline-probability').textContent()).trim(), withError(cli.outcomes[outcomeIndex]));
  assert.equal(await page.locator('#pair-picker option:checked').textContent(), 'Russia–North Korea (DPRK)');
  // Only the key sliders are in the page; the full list is closed.
  const others = cli.assumptions.length - opening.key_assumptions.length;
  assert.equal(await page.locator('.assumption input[type=range]').count(), opening.key_assumptions.length);
  assert.equal(await page.locator('details.all-assumptions').evaluate((d) => d.open), false);
  assert.match(await page.locator('details.all-assumptions > summary').textContent(), new RegExp(`All ${others} other assumptions`));
  // Searching opens the list on the matches only: every non-key assumption about the China–North Korea pair is among them.
  await page.fill('#assumption-filter', 'CHN-PRK');
  const shown = await page.$$eval('details.all-assumptions input[type=range]', (inputs) => inputs.map((i) => i.id));
  const expected = cli.assumptions.map((a) => a.id).filter((id) => id.includes('CHN-PRK') && !opening.key_assumptions.includes(id));
  assert.ok(expected.length >= 3, `${expected}`);
  for (const id of expected) assert.ok(shown.includes(`a-${id.replaceAll('.', '_')}`), `${id} is found`);
  assert.ok(shown.length < others, 'the others are hidden');
  assert.match(await page.locator('#assumption-filter-count').textContent(), new RegExp(`^${shown.length} of the ${others} other assumptions match`));
  // Cleared, the list closes again; a slider's "?" opens the glossary at its term and moves the focus there.
  await page.fill('#assumption-filter', '');
  assert.equal(await page.locator('.all-assumptions input[type=range]').count(), 0);
  await page.locator('.key-assumptions .assumption', { has: page.locator('#a-model_volatility') }).locator('.term-help').click();
  assert.equal(await page.locator('#glossary').evaluate((d) => d.open), true);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'g-volatility');
  assert.match(await page.locator('#g-volatility dt').textContent(), /σ/);
  // Labels are plain words first, the symbol second.
  assert.match(await page.locator('label[for="a-model_volatility"]').textContent(), /^How much relations wander each month \(volatility σ/);
  assert.ok(page.url().includes('s=russia-dprk-alignment') && !page.url().includes('glossary'), 'the link is untouched');
  assert.deepEqual(problems, []);
  await context.close();
});

test('at 375 px the focus order follows the visual order: headline, scenario, results, assumptions', async () => {
  const { context, page } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&runs=500`, PHONE);
  await waitForResults(page);
  const ids = ['headline-outcome', 'scenario-picker', 'pair-picker', 'seed'];
  const tops = await page.evaluate((ids) => ids.map((id) => document.getElementById(id).getBoundingClientRect().top + scrollY), ids);
  const order = await page.evaluate((ids) => {
    const all = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')];
    return ids.map((id) => all.indexOf(document.getElementById(id)));
  }, ids);
  for (let i = 1; i < ids.length; i++) {
    assert.ok(tops[i] > tops[i - 1], `${ids[i]} is below ${ids[i - 1]} (${tops})`);
    assert.ok(order[i] > order[i - 1], `${ids[i]} comes after ${ids[i - 1]} in the Tab order (${order})`);
  }
  await context.close();
});

test('skip links come first in the Tab order and move the focus without touching the link', async () => {
  for (const options of [{}, PHONE]) {
    const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=russia-dprk-alignment&runs=500`, options);
    await waitForResults(page);
    await page.waitForTimeout(400);
    const hash = await page.evaluate(() => location.hash);
    const focused = () => page.evaluate(() => document.activeElement.textContent);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Skip to results');
    assert.ok(await inViewport(page.locator('.skip-links a').first()), 'the focused skip link is visible');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Skip to assumptions');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'assumptions');
    assert.ok(await inViewport(page.locator('#controls-heading')), 'the assumptions heading is on screen');
    await page.keyboard.press('Tab'); // the next stop is inside the assumptions
    assert.ok(await page.evaluate(() => document.getElementById('assumptions').contains(document.activeElement)));

    await page.reload();
    await waitForResults(page);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Skip to results');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'results');
    assert.ok(await inViewport(page.locator('#fan-heading')), 'the results are on screen');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.getElementById('results').contains(document.activeElement)));
    assert.equal(await page.evaluate(() => location.hash), hash, 'the share link is unchanged');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('at 375 px every chart text is drawn at 11 CSS px or more, in both themes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { context, page } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&runs=250`, { ...PHONE, colorScheme });
    await waitForResults(page);
    await page.locator('#view-tornado').check();
    await page.click('#run-sensitivity');
    await page.waitForSelector('[data-tornado-status=done]', { timeout: 180000 });
    await page.click('#run-compare');
    await page.waitForSelector('[data-compare-status=done]', { timeout: 60000 });
    const sizes = await page.$$eval('.results svg text', (texts) => texts.map((t) => {
      const chart = t.closest('figure, .network, .headline')?.className || t.ownerSVGElement.className.baseVal;
      return [chart, t.textContent, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a];
    }));
    const charts = new Set(sizes.map(([chart]) => chart.split(' ').slice(0, 2).join(' ')));
    for (const kind of ['fan large', 'fan small', 'network', 'tornado']) {
      assert.ok([...charts].some((c) => c.startsWith(kind)), `${kind} has text (${[...charts]})`);
    }
    assert.ok(sizes.some(([c]) => c.includes('overlay')), 'the compare overlay has axis labels');
    const small = sizes.filter(([, , px]) => px < 11);
    assert.deepEqual(small, [], `${colorScheme}: chart text under 11 px`);
    // Tornado labels are whole: every bar's label text equals the assumption's full label.
    const labels = await page.$$eval('.tornado g.bar-row', (rows) => rows.map((g) => [
      g.dataset.assumption, [...g.querySelectorAll('.bar-label tspan')].map((s) => s.textContent).join(' ').replace(/^★ /, ''),
    ]));
    const table = await page.$$eval('.tornado .data-table tbody tr', (rows) => Object.fromEntries(rows.map((r) => [
      r.dataset.assumption, r.querySelector('th').textContent.replace(/^★ /, '')])));
    assert.ok(labels.length >= 10);
    for (const [id, label] of labels) assert.equal(label, table[id], `label of ${id}`);
    // The hostile half is visibly shaded: its colour differs from the plot area's.
    const [zone, plot] = await page.$$eval('.fan.large svg', ([svg]) =>
      ['.hostile-zone', '.plot-area'].map((s) => getComputedStyle(svg.querySelector(s)).fill));
    assert.notEqual(zone, plot);
    await context.close();
    // The compact view for an iframe, at the same width.
    const embedded = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&runs=250&embed=1`, { ...PHONE, colorScheme });
    await embedded.page.waitForSelector('.embed[data-status=done] .fan.large svg text');
    const embeddedSmall = await embedded.page.$$eval('.embed svg text', (texts) => texts
      .map((t) => [t.textContent, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a]).filter(([, px]) => px < 11));
    assert.deepEqual(embeddedSmall, [], `${colorScheme}: chart text under 11 px in the compact view`);
    await embedded.context.close();
  }
});

/** A PNG file's width and height, after checking its signature and first chunk. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', 'first chunk is IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('chart images: PNG and SVG with the title, the speculative notice and the link', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&runs=500&seed=4`, { acceptDownloads: true });
  await waitForResults(page);
  await page.waitForTimeout(400); // the page writes its own link 250 ms after loading
  const link = page.url();
  const fan = page.locator('#fan-main');
  const chart = await fan.locator('svg').evaluate((s) => { const r = s.getBoundingClientRect(); return [r.width, r.height]; });

  const [png] = await Promise.all([page.waitForEvent('download'), fan.getByRole('button', { name: /as a PNG image/ }).click()]);
  assert.match(png.suggestedFilename(), /^sino-russian-drift-RUS-CHN\.png$/);
  const bytes = await readFile(await png.path());
  const [width, height] = pngSize(bytes);
  // Twice the size on screen: the chart plus its margins, a title and notice above, the link below.
  assert.equal(width, 2 * Math.round(Math.max(chart[0], 420) + 24));
  assert.ok(height > 2 * (chart[1] + 52 + 14), `height ${height} leaves room above and below the chart`);
  // The browser decodes it to the same size, and it is not blank.
  const decoded = await page.evaluate(async (b64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${b64}`; // the page's policy allows data: images
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const g = canvas.getContext('2d');
    g.drawImage(image, 0, 0);
    const data = g.getImageData(0, 0, image.width, image.height).data;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4 * 97) colours.add(data.slice(i, i + 3).join());
    return [image.width, image.height, colours.size];
  }, bytes.toString('base64'));
  assert.deepEqual(decoded.slice(0, 2), [width, height]);
  assert.ok(decoded[2] > 5, `the image has ${decoded[2]} colours`);

  const [svg] = await Promise.all([page.waitForEvent('download'), fan.getByRole('button', { name: /as an SVG image/ }).click()]);
  const text = await readFile(await svg.path(), 'utf8');
  assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(text, /Speculative model, not a forecast/);
  const title = await page.locator('#scenario-picker option:checked').textContent();
  assert.ok(text.includes(title.replace(/&/g, '&amp;')), 'scenario title');
  const written = [...text.matchAll(/<text[^>]*font-size="10.5">([^<]*)<\/text>/g)].map((m) => m[1]).join('');
  assert.equal(written.replace(/&amp;/g, '&'), link, 'the whole link');
  // Every other chart offers both images too.
  for (const target of ['#network-chart', '#multiples-grid']) {
    const [file] = await Promise.all([page.waitForEvent('download'),
      page.locator(`${target} ~ .chart-images, ${target} .chart-images`).first().getByRole('button', { name: /PNG/ }).click()]);
    pngSize(await readFile(await file.path()));
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('embed=1 in an iframe of another page: chart, outcomes, notice, a link to the full page; nothing from other origins', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&runs=500&seed=8&model.balance=0.05`);
  await waitForResults(page);
  await page.locator('#embed-button').click();
  const snippet = await page.locator('#embed-code').inputValue();
  const src = snippet.match(/<iframe src="([^"]+)"/)[1].replace(/&amp;/g, '&');
  assert.equal(src, `${page.url()}&embed=1`);

  const origin = new URL(BASE_URL).origin;
  const hostContext = await browser.newContext({ viewport: { width: 900, height: 900 } }); // its own storage
  const host = await hostContext.newPage();
  const requests = [];
  host.on('request', (r) => requests.push(r.url()));
  await host.setContent(`<!DOCTYPE html><title>An article</title><p>Text of the article.</p>${snippet}`);
  const frame = await (await host.waitForSelector('iframe')).contentFrame();
  await frame.waitForFunction(() => document.querySelector('.embed')?.dataset.status === 'done'
    && document.querySelector('.outcomes tr[data-probability]'), null, { timeout: 30000 });
  assert.match(await frame.locator('.notice').textContent(), /Speculative model, not a forecast/);
  assert.equal(await frame.locator('.fan.large svg').count(), 1);
  assert.equal(await frame.locator('input[type=range], #scenario-picker, .controls').count(), 0, 'no sliders in the compact view');
  assert.deepEqual(await outcomeNumbers(frame), Object.fromEntries(cliRun(src).outcomes.map((o) => [o.id, o.probability])));
  const full = await frame.locator('.embed-foot a').getAttribute('href');
  assert.equal(full, page.url(), 'the full page is the same link without embed=1');
  assert.equal(await frame.locator('.embed-foot a').getAttribute('target'), '_blank');
  // Fits an iframe: no sideways scrolling at the snippet's width.
  assert.ok(await frame.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1));
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && u !== 'about:blank');
  assert.deepEqual(foreign, [], 'requests to other origins');
  // The iframe neither rewrote its address nor saved a session.
  assert.equal(frame.url(), src);
  // (Where the browser denies an embedded page storage, there is nothing to check.)
  assert.equal(await frame.evaluate(() => { try { return localStorage.getItem('alignment-sim.sessions'); } catch { return null; } }), null);
  assert.deepEqual(problems, []);
  await hostContext.close();
  await context.close();
});

test('the built page works from a sub-path (a project page)', async () => {
  const dist = path.join(ROOT, 'dist');
  const prefix = '/some/path/';
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.toml': 'text/plain' };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://x');
    if (!url.pathname.startsWith(prefix)) { response.writeHead(404).end(); return; }
    const file = path.join(dist, decodeURIComponent(url.pathname.slice(prefix.length) || 'index.html'));
    if (!file.startsWith(dist)) { response.writeHead(404).end(); return; }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' }).end(body);
    } catch { response.writeHead(404).end(); }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  try {
    const { context, page, problems } = await openPage(browser, `${base}#v=1&s=russia-dprk-alignment&runs=500&seed=2`);
    await waitForResults(page);
    await assertPageEqualsCli(page, page.url());
    assert.ok(page.url().startsWith(base));
    assert.ok((await page.locator('#share-url').inputValue()).startsWith(`${base}#v=1`), 'share links keep the sub-path');
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    server.close();
  }
});

test('during a long job the last finished fan stays drawn, with the progress over it', async () => {
  const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=sino-russian-drift&runs=2000&seed=6`);
  const generation = await waitForResults(page);
  const drawn = () => page.locator('.fan.large svg path.band-outer').getAttribute('d');
  const finished = await drawn();
  assert.ok(finished.split('L').length > 60, 'a whole fan (37 months out and back)');
  await page.locator('#runs').selectOption('100000');
  await page.locator('.fan-progress').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('.results').getAttribute('data-status'), 'running');
  assert.equal(await drawn(), finished, 'the finished fan, not a partial one, while the job runs');
  assert.match(await page.locator('.fan-progress').textContent(), /Computing… \d+ %/);
  await waitForResults(page, { after: generation, timeout: 120000 });
  assert.notEqual(await drawn(), finished, 'replaced by the new result when it is done');
  assert.equal(await page.locator('.fan-progress').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
