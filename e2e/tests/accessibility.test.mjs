// Issue 12: an accessibility audit with axe-core (from npm, pinned in package.json) on each
// built-in scenario as a newcomer sees it and with everything opened (the full list of
// assumptions, a rationale, the glossary), on a desktop in light mode and a phone in dark mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BASE_URL, ROOT, SCENARIOS, launch, openPage, waitForResults, showAllAssumptions } from './browser.mjs';

let browser;
let axeSource;
before(async () => {
  browser = await launch();
  axeSource = await readFile(path.join(ROOT, 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
});
after(async () => { await browser?.close(); });

/** axe's violations of WCAG 2.1 A and AA on the page as it is, one line each. */
async function audit(page) {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s), e.g. ${v.nodes[0].target.join(' ')}`);
  });
  return violations;
}

const SCREENS = [
  ['desktop, light', { viewport: { width: 1280, height: 800 }, colorScheme: 'light' }],
  ['phone, dark', { viewport: { width: 375, height: 812 }, colorScheme: 'dark' }],
];

for (const [screen, options] of SCREENS) {
  test(`axe finds no WCAG 2.1 A/AA violation on any built-in scenario (${screen}), on load and with everything open`, async () => {
    for (const id of SCENARIOS) {
      const { context, page, problems } = await openPage(browser, `${BASE_URL}#v=1&s=${id}&runs=500`, options);
      await waitForResults(page);
      assert.deepEqual(await audit(page), [], `${id}, ${screen}, on load`);
      await showAllAssumptions(page);
      await page.locator('.assumption .rationale summary').first().click();
      await page.locator('#glossary > summary').click();
      assert.deepEqual(await audit(page), [], `${id}, ${screen}, everything open`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });
}
