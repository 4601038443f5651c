import http from 'node:http'; import fs from 'node:fs'; import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const srv = http.createServer((req, res) => { res.writeHead(200, {'content-type':'text/html'}); res.end('<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>Hi</h1><input id="a"></main></body></html>'); });
await new Promise(r => srv.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${srv.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
browser.on('disconnected', () => console.log('browser disconnected'));
const ctx = await browser.newContext({ javaScriptEnabled: false });
const page = await ctx.newPage();
page.on('crash', () => console.log('page crashed'));
page.on('close', () => console.log('page closed'));
await page.goto(url);
try { await page.evaluate(axeSource); console.log('axe?', await page.evaluate('typeof window.axe')); } catch (e) { console.log('eval failed', e.message.split('\n')[0]); }
try { console.log(await page.evaluate(async () => (await window.axe.run(document, {})).violations.map(v => v.id))); } catch (e) { console.log('run failed', e.message.split('\n')[0]); }
await browser.close(); srv.close();
