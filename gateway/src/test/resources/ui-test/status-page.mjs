// Drives promgate's status page in headless Chromium (playwright-core, no bundled browser).
// usage: node status-page.mjs URL QUERY SCREENSHOT USER_DATA_DIR ; prints one JSON line with what it saw.
import { chromium } from 'playwright-core';

const [url, query, screenshot, userDataDir] = process.argv.slice(2);
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: 1200, height: 1000 },
});
try {
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.getElementById('version').textContent.startsWith('v'), null, { timeout: 15000 });
  await page.waitForSelector('#backends tbody tr', { timeout: 15000 });
  await page.fill('#query', query);
  await page.press('#query', 'Enter');
  await page.waitForSelector('#explain .diag, #explain .fine', { timeout: 15000 });
  await page.waitForSelector('#result h2, #result .diag', { timeout: 15000 });
  await page.screenshot({ path: screenshot, fullPage: true });
  const seen = await page.evaluate(() => ({
    version: document.getElementById('version').textContent,
    backends: [...document.querySelectorAll('#backends tbody tr')].map((r) => r.innerText),
    store: [...document.querySelectorAll('#store tbody tr')].map((r) => r.innerText),
    diagnoses: [...document.querySelectorAll('#explain .diag')].map((d) => d.innerText),
    result: document.getElementById('result').innerText,
  }));
  seen.errors = errors;
  console.log(JSON.stringify(seen));
} finally {
  await context.close();
}
