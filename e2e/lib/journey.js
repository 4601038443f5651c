// A journey is one node:test test with its own browser and browser context. Inside it, work
// is split into named steps; a failing step reports the journey, the step, the steps done
// before it and what the page showed (URL, status, title, headings, error summary, banner,
// the main text), and keeps a screenshot and the HTML under e2e/test-results/.
//
// Every page the journey reaches through `visit` or `navigate` is checked with axe-core.
// Violations are collected and the journey fails at its end listing them all (set
// E2E_A11Y_FAIL_FAST=1 to fail at the first page with a violation instead).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.js';
import { AXE_VERSION, axeViolations, formatViolation } from './axe.js';

export const BASE_URL = (process.env.E2E_BASE_URL || '').replace(/\/+$/, '');
export const PASSWORD = process.env.E2E_PASSWORD || '';
const FAIL_FAST = process.env.E2E_A11Y_FAIL_FAST === '1';
const VERBOSE = process.env.E2E_VERBOSE === '1';
const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results');

if (!BASE_URL || !PASSWORD) {
  throw new Error(
    'E2E_BASE_URL and E2E_PASSWORD must be set (scripts/e2e.sh starts a server and sets them)',
  );
}

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const squash = (text, max) => {
  const t = String(text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

export class Journey {
  constructor(name, browser, context, page, javaScriptEnabled, log = () => {}, contextOptions = {}) {
    this.log = log;
    this.name = name;
    this.browser = browser;
    this.context = context;
    this.contextOptions = contextOptions;
    this.page = page;
    this.javaScriptEnabled = javaScriptEnabled;
    this.steps = [];
    this.currentStep = '(before the first step)';
    /** The response that loaded the page now shown, when known. */
    this.response = null;
    /** Every page checked with axe: { step, url, title, violations }. */
    this.audits = [];
  }

  /** Runs one named step; a failure names the journey and step and shows the page. */
  async step(title, fn) {
    const number = this.steps.length + 1;
    this.currentStep = `step ${number} "${title}"`;
    this.steps.push(title);
    const started = performance.now();
    try {
      const result = await fn();
      if (VERBOSE) this.log(`${this.currentStep} done in ${Math.round(performance.now() - started)} ms`);
      return result;
    } catch (error) {
      if (error?.journeyReported) throw error;
      const state = await this.describePage();
      const saved = await this.saveArtifacts(`step-${number}-${slug(title)}`);
      const done = this.steps.slice(0, -1).map((s, i) => `  ${i + 1}. ${s}`).join('\n');
      const report = [
        `[${this.name}] ${this.currentStep} failed:`,
        indent(error?.message ?? String(error), 2),
        '',
        'Steps done before it:',
        done || '  (none)',
        '',
        'The page at the time:',
        indent(state, 2),
        saved ? `  saved: ${saved}` : '',
        this.a11ySummary() ? `\nAccessibility problems found so far:\n${this.a11ySummary()}` : '',
      ]
        .filter((l) => l !== '')
        .join('\n');
      const wrapped = new Error(report);
      Object.defineProperty(wrapped, 'journeyReported', { value: true });
      const frames = (error?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
      wrapped.stack = `${report}\n${frames.slice(0, 6).join('\n')}`;
      throw wrapped;
    }
  }

  /**
   * Closes the browser context and carries on in a new one, with the journey's options or
   * these: no cookies, nobody signed in. For journeys that follow one person after another.
   */
  async newContext(options = this.contextOptions) {
    await this.context.close();
    this.context = await openContext(this.browser, options);
    this.page = await this.context.newPage();
    this.response = null;
  }

  /** Goes to a path on the server, then checks the page with axe. Returns the response. */
  async visit(urlPath) {
    this.response = await this.page.goto(BASE_URL + urlPath, { waitUntil: 'load' });
    await this.pageReady();
    await this.checkA11y();
    return this.response;
  }

  /**
   * Does something that loads a new page (a click on a link or button, Enter in a form),
   * waits for that page, then checks it with axe. Returns the final response (after
   * redirects), so its status can be checked.
   */
  async navigate(action) {
    const [response] = await Promise.all([
      this.page.waitForNavigation({ waitUntil: 'load' }),
      action(),
    ]);
    this.response = response;
    await this.pageReady();
    await this.checkA11y();
    return response;
  }

  /**
   * Checks the stylesheet loaded (axe's colour checks mean little without it). With
   * JavaScript on, waits for GOV.UK Frontend to start (hearth.js loads it after the
   * page, then marks the body with govuk-frontend-supported), so checks see the enhanced page.
   */
  async pageReady() {
    const styled = await this.page.evaluate(() =>
      [...document.styleSheets].some((sheet) => {
        try {
          return sheet.cssRules.length > 0;
        } catch {
          return false;
        }
      }),
    );
    if (!styled) throw new Error("the page's stylesheet did not load (no CSS rules applied)");
    if (!this.javaScriptEnabled) return;
    try {
      await this.page.waitForFunction(
        () => document.body?.classList.contains('govuk-frontend-supported'),
        null,
        { timeout: 5_000 },
      );
    } catch {
      throw new Error(
        "GOV.UK Frontend's JavaScript did not start on this page within 5 s (hearth.js never " +
          'added the class govuk-frontend-supported to <body>)',
      );
    }
  }

  /** Runs axe on the page as it is now and records what it found. */
  async checkA11y() {
    const started = performance.now();
    if (!this.javaScriptEnabled && !this.snapshotContext) {
      this.snapshotContext = await this.browser.newContext({ javaScriptEnabled: true });
    }
    const violations = await axeViolations(this.page, {
      javaScriptEnabled: this.javaScriptEnabled,
      snapshotContext: this.snapshotContext,
    });
    violations.push(...(await errorTitleViolations(this.page)));
    if (VERBOSE) {
      this.log(`axe: ${violations.length} violation(s) on ${this.page.url()} (${Math.round(performance.now() - started)} ms)`);
    }
    const audit = {
      step: this.currentStep,
      url: this.page.url(),
      status: this.response?.status(),
      title: await this.page.title(),
      violations,
    };
    this.audits.push(audit);
    if (violations.length && FAIL_FAST) {
      throw new Error(`axe found ${violations.length} violation(s):\n${formatAudit(audit)}`);
    }
    return violations;
  }

  /** All pages with violations, each rule shown once per page. */
  a11ySummary() {
    const seen = new Set();
    const parts = [];
    for (const audit of this.audits) {
      const fresh = audit.violations.filter((v) => {
        const key = `${new URL(audit.url).pathname} ${audit.status} ${v.id} ${v.nodes.map((n) => n.target).join(',')}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      if (fresh.length) parts.push(formatAudit({ ...audit, violations: fresh }));
    }
    return parts.join('\n');
  }

  /** What the page shows, briefly, for failure messages. */
  async describePage() {
    try {
      const info = await this.page.evaluate(() => {
        const text = (sel) =>
          [...document.querySelectorAll(sel)].map((e) => e.innerText.replace(/\s+/g, ' ').trim());
        return {
          title: document.title,
          h1: text('h1'),
          errorSummary: text('.govuk-error-summary'),
          fieldErrors: text('.govuk-error-message'),
          banner: text('.govuk-notification-banner'),
          main: (document.querySelector('main') ?? document.body)?.innerText ?? '',
        };
      });
      const lines = [
        `URL: ${this.page.url()}${this.response ? ` (HTTP ${this.response.status()})` : ''}`,
        `title: ${info.title}`,
        `h1: ${info.h1.join(' | ') || '(none)'}`,
      ];
      if (info.errorSummary.length) lines.push(`error summary: ${info.errorSummary.join(' | ')}`);
      if (info.fieldErrors.length) lines.push(`field errors: ${info.fieldErrors.join(' | ')}`);
      if (info.banner.length) lines.push(`banner: ${info.banner.join(' | ')}`);
      lines.push(`main text: ${squash(info.main, 700)}`);
      return lines.join('\n');
    } catch (e) {
      return `URL: ${this.page.url()} (the page could not be read: ${e.message.split('\n')[0]})`;
    }
  }

  async saveArtifacts(name) {
    try {
      const dir = path.join(RESULTS, slug(this.name));
      fs.mkdirSync(dir, { recursive: true });
      const base = path.join(dir, name);
      fs.writeFileSync(`${base}.html`, await this.page.content());
      await this.page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 });
      return `${path.relative(path.resolve(RESULTS, '..', '..'), base)}.{png,html}`;
    } catch {
      return null;
    }
  }
}

function formatAudit(audit) {
  const head = `  ${audit.url} (HTTP ${audit.status ?? '?'}, "${audit.title}"), seen at ${audit.step}:`;
  return [head, ...audit.violations.map((v) => indent(`- ${formatViolation(v)}`, 4))].join('\n');
}

function indent(text, n) {
  const pad = ' '.repeat(n);
  return String(text)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

async function openContext(browser, contextOptions) {
  const context = await browser.newContext({ ...contextOptions });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/**
 * Declares a journey: a test with a fresh browser and context. `contextOptions` go to
 * browser.newContext (e.g. { javaScriptEnabled: false }).
 */
export function journey(name, fn, { contextOptions = {}, timeout = 60_000 } = {}) {
  test(name, { timeout }, async (t) => {
    const browser = await launchBrowser();
    try {
      const context = await openContext(browser, contextOptions);
      const page = await context.newPage();
      const j = new Journey(
        name, browser, context, page, contextOptions.javaScriptEnabled !== false, (m) => t.diagnostic(m), contextOptions,
      );
      await fn(j);
      t.diagnostic(
        `${j.steps.length} steps; ${j.audits.length} pages checked with axe-core ${AXE_VERSION}` +
          (j.javaScriptEnabled ? '' : ' (as JavaScript-free snapshots)'),
      );
      const problems = j.a11ySummary();
      if (problems) {
        const count = j.audits.reduce((n, a) => n + a.violations.length, 0);
        const report =
          `[${name}] the journey worked, but axe found ${count} accessibility violation(s) ` +
          `(WCAG 2.2 AA) on ${j.audits.filter((a) => a.violations.length).length} of the ` +
          `${j.audits.length} pages checked:\n${problems}`;
        const error = new Error(report);
        error.stack = report;
        throw error;
      }
    } finally {
      await browser.close();
    }
  });
}

// Checks used by the journeys. Each waits briefly for the element, then compares.

const matches = (actual, expected) =>
  expected instanceof RegExp ? expected.test(actual) : actual === expected;
const show = (expected) => (expected instanceof RegExp ? String(expected) : JSON.stringify(expected));

/** The page's path (and, when given, query string) are as expected. */
export function expectPath(page, pathname, search) {
  const url = new URL(page.url());
  assert.ok(
    matches(url.pathname, pathname),
    `expected to be at ${show(pathname)}, but the page is ${url.pathname}${url.search}`,
  );
  if (search !== undefined) {
    assert.ok(matches(url.search, search), `expected the query ${show(search)}, got ${JSON.stringify(url.search)}`);
  }
}

export function expectStatus(response, status) {
  assert.ok(response, `expected HTTP ${status}, but there was no response`);
  assert.equal(response.status(), status, `expected HTTP ${status}, got ${response.status()} for ${response.url()}`);
}

/** The text of a single element, whitespace collapsed; fails clearly if it is missing. */
export async function textOf(locator, what) {
  try {
    await locator.waitFor({ state: 'visible', timeout: 5_000 });
  } catch (e) {
    const n = await locator.count();
    throw new Error(
      n > 1
        ? `expected one ${what}, found ${n}`
        : `expected ${what} to be visible, but it is ${n ? 'hidden' : 'not on the page'}`,
      { cause: e },
    );
  }
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** An element's text equals a string or matches a pattern. */
export async function expectText(locator, expected, what) {
  const actual = await textOf(locator, what);
  assert.ok(
    expected instanceof RegExp ? expected.test(actual) : actual.includes(expected),
    `expected ${what} to ${expected instanceof RegExp ? 'match' : 'contain'} ${show(expected)}, but it says ${JSON.stringify(actual)}`,
  );
  return actual;
}

/** The page's one h1 says exactly this (or matches it). */
export async function expectH1(page, expected) {
  const actual = await textOf(page.getByRole('heading', { level: 1 }), 'the h1 heading');
  assert.ok(matches(actual, expected), `expected the h1 ${show(expected)}, but it is ${JSON.stringify(actual)}`);
}

/** The element has keyboard focus. */
export async function expectFocused(locator, what) {
  const focused = await locator.evaluate((el) => el === document.activeElement);
  if (!focused) {
    const active = await locator.page().evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'the page body (nothing focused)';
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.innerText || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 60)}"`;
    });
    assert.fail(`expected ${what} to have keyboard focus, but the focus is on ${active}`);
  }
}

/** The element is visible (waits briefly). */
export async function expectVisible(locator, what) {
  await textOf(locator, what);
}

/** "Error: " in each language of the family pages (crates/web/locales, `error-title-prefix`). */
const ERROR_TITLE = { en: 'Error: ', ar: 'خطأ: ', ur: 'خرابی: ', pa: 'ਗਲਤੀ: ', ro: 'Eroare: ', pl: 'Błąd: ' };

/**
 * GOV.UK's rule that axe does not check: a page showing an error summary starts its title
 * "Error: " (in the page's language), so that a screen reader user hears at once that the
 * form came back.
 */
async function errorTitleViolations(page) {
  const summary = await page.$('.govuk-error-summary');
  if (!summary) return [];
  const title = await page.title();
  const lang = (await page.evaluate(() => document.documentElement.lang || 'en')).split('-')[0];
  const prefix = ERROR_TITLE[lang] ?? ERROR_TITLE.en;
  if (title.startsWith(prefix)) return [];
  return [{
    id: 'hearth-error-title',
    impact: 'serious',
    help: `A page with an error summary has a title starting "${prefix}"`,
    helpUrl: 'https://design-system.service.gov.uk/components/error-summary/',
    nodes: [{ target: 'title', html: `<title>${title}</title>`, summary: `Add "${prefix}" to the start of the title` }],
  }];
}
