import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:38999';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
async function as(user, pages) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const p = await ctx.newPage();
  await p.goto(base + '/sign-in');
  await p.fill('#email', user + '@demo.hearth.test');
  await p.fill('#password', 'family-help-demo');
  await p.click('button[type=submit]');
  for (const [name, path] of pages) {
    await p.goto(base + path);
    const over = await p.evaluate(() => document.documentElement.scrollWidth);
    console.log(user, path, 'scrollWidth', over);
    await p.screenshot({ path: `/tmp/s390-${name}.png`, fullPage: false });
  }
  await ctx.close();
}
await as('frontdoor', [['queue', '/front-door']]);
await as('manager', [['team', '/team'], ['home-manager', '/']]);
await as('lead', [['home-lead', '/']]);
await as('directory', [['desk', '/directory']]);
await as('admin', [['audit', '/admin/audit?who=Okafor'], ['users', '/admin/users'], ['sharing', '/admin/sharing']]);
await browser.close();
