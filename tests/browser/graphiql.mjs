// Opens opskit's /graphiql in headless Chromium with every request blocked
// except those to the server, runs `{ viewer { name } }` with a token and
// waits for the name in the result pane. Prints one JSON line and exits 0 on
// success. Usage: node graphiql.mjs BASE_URL TOKEN EXPECTED_NAME
import { chromium } from 'playwright-core';

const [base, token, expected] = process.argv.slice(2);
const origin = new URL(base).origin;
const browser = await chromium.launch({
  executablePath: process.env.OPSKIT_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  const blocked = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // Without parameters the headers pane offers the bearer header to complete.
  await page.goto(`${base}/graphiql`);
  await page.waitForSelector('.graphiql-execute-button', { timeout: 30000 });
  const editors = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.CodeMirror')).map((e) => e.CodeMirror.getValue()),
  );
  const prefilled = editors.some((v) => v.replace(/\s+/g, ' ').includes('{ "Authorization": "Bearer " }'));

  const headers = JSON.stringify({ Authorization: `Bearer ${token}` });
  const query = '{ viewer { name } }';
  await page.goto(`${base}/graphiql?query=${encodeURIComponent(query)}&headers=${encodeURIComponent(headers)}`);
  await page.waitForSelector('.graphiql-execute-button', { timeout: 30000 });
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    (name) => (document.querySelector('.result-window')?.textContent ?? '').includes(name),
    expected,
    { timeout: 30000 },
  );
  const result = await page.evaluate(() => document.querySelector('.result-window')?.textContent ?? '');
  console.log(JSON.stringify({ prefilled, blocked, errors, result }));
  process.exitCode = prefilled && blocked.length === 0 && errors.length === 0 ? 0 : 1;
} finally {
  await browser.close();
}
