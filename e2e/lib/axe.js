// axe-core on a page, one call per page.
//
// How axe gets into a page under Hearth's Content-Security-Policy (script-src 'self', so no
// inline <script>): page.addScriptTag({ content }) inserts an inline script, which the CSP
// blocks. page.evaluate(source) instead runs the source through the DevTools protocol
// (Runtime.evaluate), which the page's CSP does not govern, and axe itself needs no eval.
// So the pages are tested with their real CSP in force (no bypassCSP).
//
// Pages in a context with JavaScript disabled cannot run axe: Chromium then runs no
// callbacks at all (promises from axe.run, timers, microtasks never settle). Those pages
// are audited as a snapshot instead: the page's HTML is served, at its own URL, to a separate
// JavaScript-enabled page whose own scripts are blocked, so axe sees the DOM and styles a
// person without JavaScript gets.

import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_VERSION = JSON.parse(
  fs.readFileSync(require.resolve('axe-core/package.json'), 'utf8'),
).version;

/** WCAG 2.0, 2.1 and 2.2 A and AA. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe in a page that can run JavaScript; returns its violations, simplified. */
async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    // GOV.UK Frontend's conditional reveal puts aria-expanded on the radio that reveals, on
    // purpose: screen readers announce it, though ARIA does not list it for radios (its known
    // issue alphagov/govuk-frontend#979). That one finding is left out; any other stays.
    const knownIssue = (v, n) =>
      v.id === 'aria-allowed-attr' &&
      /class="govuk-radios__input"[^>]*aria-controls=/.test(n.html) &&
      /aria-expanded="(true|false)"/.test(n.failureSummary) &&
      !/aria-(?!expanded)[a-z]+="/.test(n.failureSummary);
    return results.violations
      .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !knownIssue(v, n)) }))
      .filter((v) => v.nodes.length > 0)
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target.map((t) => (Array.isArray(t) ? t.join(' >> ') : t)).join(' '),
          html: n.html,
          summary: n.failureSummary,
        })),
      }));
  }, AXE_TAGS);
}

/**
 * Runs axe on a snapshot of a page that has JavaScript disabled (see above), in a page of
 * `snapshotContext`, a JavaScript-enabled context kept for these snapshots.
 */
async function runAxeOnSnapshot(snapshotContext, page) {
  const url = page.url();
  const html = await page.content();
  let snapshot = snapshotPages.get(snapshotContext);
  if (!snapshot) {
    snapshot = await snapshotContext.newPage();
    snapshotPages.set(snapshotContext, snapshot);
    await snapshot.route('**/*', (route) => {
      const request = route.request();
      const shown = snapshotHtml.get(snapshot);
      if (request.isNavigationRequest() && shown && request.url() === shown.url) {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: shown.html });
      }
      if (request.resourceType() === 'script') return route.abort();
      return route.continue();
    });
  }
  const size = page.viewportSize();
  if (size) await snapshot.setViewportSize(size);
  snapshotHtml.set(snapshot, { url, html });
  await snapshot.goto(url, { waitUntil: 'load' });
  return runAxe(snapshot);
}

const snapshotPages = new WeakMap();
const snapshotHtml = new WeakMap();

/**
 * Checks the page as it is now. Returns the violations (empty when it passes).
 * `javaScriptEnabled` is the page's context setting; when it is false, `snapshotContext`
 * (a JavaScript-enabled browser context) is where the snapshot is audited.
 */
export async function axeViolations(page, { javaScriptEnabled = true, snapshotContext } = {}) {
  if (javaScriptEnabled) return runAxe(page);
  return runAxeOnSnapshot(snapshotContext, page);
}

/** One violation as readable lines: rule id, impact, help, the first few targets. */
export function formatViolation(v, { maxTargets = 3 } = {}) {
  const lines = [`${v.id} [${v.impact ?? 'unknown impact'}] ${v.help} (${v.helpUrl})`];
  for (const node of v.nodes.slice(0, maxTargets)) {
    lines.push(`    at ${node.target}`);
    lines.push(`       ${truncate(node.html, 200)}`);
    if (node.summary) {
      lines.push(`       ${truncate(node.summary.replace(/\s*\n\s*/g, ' / '), 300)}`);
    }
  }
  if (v.nodes.length > maxTargets) lines.push(`    …and ${v.nodes.length - maxTargets} more`);
  return lines.join('\n');
}

function truncate(text, max) {
  const oneLine = String(text ?? '').replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
