import { chromium } from 'playwright-core';
const [url, out, w, h, scheme, clickGlossary] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: Number(w), height: Number(h) }, colorScheme: scheme || 'light' });
const page = await context.newPage();
await page.goto(url);
await page.waitForFunction(() => document.querySelector('.results')?.dataset.status === 'done', null, { timeout: 60000 });
if (clickGlossary) { await page.locator('.term-help').nth(Number(clickGlossary)).click(); await page.waitForTimeout(300); }
await page.screenshot({ path: out, fullPage: !clickGlossary });
await browser.close();
