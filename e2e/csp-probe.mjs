import http from 'node:http'; import fs from 'node:fs'; import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
const srv = http.createServer((req, res) => { res.writeHead(200, {'content-type':'text/html', 'content-security-policy': CSP}); res.end('<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>Hi</h1><img src="x.png"><input id="a"></main></body></html>'); });
await new Promise(r => srv.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${srv.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
for (const js of [true, false]) {
  const ctx = await browser.newContext({ javaScriptEnabled: js });
  const page = await ctx.newPage();
  page.on('console', m => console.log('console:', m.text()));
  await page.goto(url);
  try { await Promise.race([page.addScriptTag({ content: 'window.tagged = 1' }), new Promise((_, j) => setTimeout(() => j(new Error('addScriptTag timed out')), 3000))]); console.log('addScriptTag ok?', await page.evaluate('window.tagged')); } catch (e) { console.log('addScriptTag failed', e.message.split('\n')[0]); }
  try {
    const t = Date.now();
    await Promise.race([page.evaluate(axeSource), new Promise((_, j) => setTimeout(() => j(new Error('evaluate timed out')), 5000))]);
    const r = await page.evaluate(async () => (await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa'] } })).violations.map(v => v.id));
    console.log('js', js, 'violations', r, Date.now() - t, 'ms');
  } catch (e) { console.log('js', js, 'evaluate failed', e.message.split('\n')[0]); }
  console.log('aria', await page.locator('main').ariaSnapshot());
  await ctx.close();
}
await browser.close(); srv.close();
