// Hearth-specific steps and checks shared by the journeys.

import assert from 'node:assert/strict';
import { PASSWORD, expectH1, expectPath, expectText, expectVisible, textOf } from './journey.js';

/** Accounts created by `hearth serve --demo`, all with the demo password. */
export const DEMO = {
  admin: { email: 'admin@demo.hearth.test', name: 'Ada Administrator' },
  lead: { email: 'lead@demo.hearth.test', name: 'Lee Lead' },
  practitioner: { email: 'practitioner@demo.hearth.test', name: 'Priya Practitioner' },
  frontDoor: { email: 'frontdoor@demo.hearth.test', name: 'Frankie Frontdoor' },
  dpo: { email: 'dpo@demo.hearth.test', name: 'Devi Protection' },
  worker: { email: 'worker@demo.hearth.test', name: 'Wren Worker' },
  manager: { email: 'manager@demo.hearth.test', name: 'Morgan Manager' },
  analyst: { email: 'analyst@demo.hearth.test', name: 'Ari Analyst' },
  // Made to wait by the sign-in throttling journey, so no other journey signs in as this account.
  directory: { email: 'directory@demo.hearth.test', name: 'Dana Directory' },
  reviewer: { email: 'reviewer@demo.hearth.test', name: 'Rowan Reviewer' },
  vcsEditor: { email: 'vcs-editor@demo.hearth.test', name: 'Val Volunteer-Editor' },
  vcsWorker: { email: 'vcs-worker@demo.hearth.test', name: 'Kit Keyworker' },
  analyst: { email: 'analyst@demo.hearth.test', name: 'Ari Analyst' },
  hub: { email: 'hub@demo.hearth.test', name: 'Harper Hub' },
  socialWorker: { email: 'social-worker@demo.hearth.test', name: 'Sol Socialworker' },
  placements: { email: 'placements@demo.hearth.test', name: 'Pat Placements' },
  programme: { email: 'programme@demo.hearth.test', name: 'Pip Programme' },
  programmeAudit: { email: 'programme-audit@demo.hearth.test', name: 'Ira Auditor' },
};

export const WRONG_CREDENTIALS = 'Enter a correct email address and password';
// The same for every email address, known or not: it never says whether the account exists.
export const THROTTLED = 'Too many attempts to sign in have failed. Wait and try again in about';

/** A short suffix that makes names created by this run unique. */
export const RUN_ID = `${Date.now().toString(36).slice(-5)}${process.pid.toString(36).slice(-2)}`;

/** The sign-in form's fields, found by their labels. */
export function signInForm(page) {
  return {
    email: page.getByLabel('Email address', { exact: true }),
    password: page.getByLabel('Password', { exact: true }),
    submit: page.getByRole('button', { name: 'Sign in', exact: true }),
  };
}

/** On the sign-in page: fills it in and presses "Sign in". Returns the response. */
export async function submitSignIn(j, email, password) {
  const form = signInForm(j.page);
  await form.email.fill(email);
  await form.password.fill(password);
  return j.navigate(() => form.submit.click());
}

/** Opens the sign-in page and signs in; checks it landed on "My work". */
export async function signIn(j, user, password = PASSWORD) {
  await j.visit('/sign-in');
  await expectH1(j.page, /^Sign in to /);
  await submitSignIn(j, user.email, password);
  expectPath(j.page, '/');
  await expectH1(j.page, 'My work');
  await expectSignedInAs(j.page, user.name);
}

export async function expectSignedInAs(page, name) {
  await expectText(page.getByRole('banner'), `Signed in as ${name}`, 'the header');
}

export async function expectSignedOut(page) {
  assert.equal(
    await page.getByRole('banner').getByText('Signed in as').count(),
    0,
    'expected nobody to be signed in, but the header says "Signed in as"',
  );
}

/** Presses "Sign out" in the header; checks it is back on the sign-in page. */
export async function signOut(j) {
  await j.navigate(() => j.page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click());
  expectPath(j.page, '/sign-in');
  await expectText(j.page.getByRole('main'), 'You have signed out.', 'the sign-in page');
  await expectSignedOut(j.page);
}

/** Follows a link in the service navigation. */
export async function openFromNavigation(j, name) {
  const nav = j.page.locator('.govuk-service-navigation').getByRole('navigation', { name: 'Menu' });
  await j.navigate(() => nav.getByRole('link', { name, exact: true }).click());
  await expectH1(j.page, name);
  const current = await nav.locator('[aria-current]').allInnerTexts();
  assert.deepEqual(
    current.map((t) => t.trim()),
    [name],
    `expected "${name}" to be the current item in the service navigation`,
  );
}

/**
 * The page shows an error summary titled "There is a problem" with these problems, each a
 * link to its field; each field shows its own error message and is described by it.
 * `problems` maps a field id to the expected message (a string it contains, or a pattern).
 * For radios and checkboxes the link goes to the first option and the message describes
 * their fieldset (GOV.UK Frontend's pattern), so that is where the description is looked for.
 */
export async function expectProblems(page, problems, { heading = 'There is a problem', titlePrefix = 'Error: ' } = {}) {
  const summary = page.locator('.govuk-error-summary');
  await expectVisible(summary, 'the error summary');
  await expectVisible(
    summary.getByRole('heading', { name: heading }),
    `the heading "${heading}" in the error summary`,
  );
  const title = await page.title();
  assert.ok(title.startsWith(titlePrefix), `expected the page title to start "${titlePrefix}", but it is ${JSON.stringify(title)}`);
  const links = summary.getByRole('link');
  const found = [];
  for (const link of await links.all()) {
    found.push({ href: await link.getAttribute('href'), text: (await link.innerText()).trim() });
  }
  for (const [field, message] of Object.entries(problems)) {
    const link = found.find((l) => l.href === `#${field}`);
    assert.ok(
      link,
      `expected the error summary to link to #${field}; its links are ${JSON.stringify(found)}`,
    );
    assert.ok(
      message instanceof RegExp ? message.test(link.text) : link.text.includes(message),
      `expected the error summary's link to #${field} to say ${message}, but it says ${JSON.stringify(link.text)}`,
    );
    assert.equal(await page.locator(`#${field}`).count(), 1, `the error summary links to #${field}, but no element has that id`);
    const fieldError = await textOf(page.locator(`#${field}-error`), `the error message for ${field} (#${field}-error)`);
    assert.ok(
      message instanceof RegExp ? message.test(fieldError) : fieldError.includes(message),
      `expected the field error for ${field} to say ${message}, but it says ${JSON.stringify(fieldError)}`,
    );
    const { describedBy, what } = await page.locator(`#${field}`).evaluate((el) => {
      const grouped = el.matches('input[type=radio], input[type=checkbox]') && el.closest('fieldset');
      const described = grouped || el;
      return {
        describedBy: described.getAttribute('aria-describedby') ?? '',
        what: grouped ? 'the fieldset around it' : 'it',
      };
    });
    assert.ok(
      describedBy.split(/\s+/).includes(`${field}-error`),
      `expected #${field} (${what}) to be described by its error message (aria-describedby="${describedBy}")`,
    );
  }
  assert.equal(
    found.length,
    Object.keys(problems).length,
    `expected ${Object.keys(problems).length} problem(s) in the error summary, found ${JSON.stringify(found)}`,
  );
}

/** The success banner says this. */
export async function expectBanner(page, message) {
  const banner = page.locator('.govuk-notification-banner');
  await expectText(banner, message, 'the notification banner');
}

/** A row of the page's table that mentions `text`; returns the row's text. */
export async function tableRow(page, text) {
  const rows = page.locator('table.govuk-table tbody tr').filter({ hasText: text });
  return textOf(rows, `one table row mentioning ${JSON.stringify(text)}`);
}

/** The first event on the audit log's page that mentions `text`; returns the event's text. */
export async function auditEvent(page, text) {
  const cards = page.locator('.govuk-summary-card').filter({ hasText: text });
  return textOf(cards.first(), `an audit event mentioning ${JSON.stringify(text)}`);
}

/** Fills the day, month and year of the date group with this legend with today. */
export async function fillToday(page, legend) {
  const d = new Date();
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day', { exact: true }).fill(String(d.getDate()));
  await group.getByLabel('Month', { exact: true }).fill(String(d.getMonth() + 1));
  await group.getByLabel('Year', { exact: true }).fill(String(d.getFullYear()));
}

/**
 * On an episode's page, records its closure as outcomes met, every need achieved, with a
 * summary, and sends it for sign-off.
 */
export async function recordClosure(j) {
  const press = (name) => j.navigate(() => j.page.getByRole('button', { name, exact: true }).click());
  await j.navigate(() => j.page.getByRole('link', { name: 'Close the episode', exact: true }).click());
  await j.page.getByRole('group', { name: "Why is the family's help ending?", exact: true })
    .getByRole('radio', { name: 'Outcomes met', exact: true }).check();
  const needs = j.page.locator('fieldset').filter({ hasText: 'how far was the need met?' });
  for (let i = 0; i < (await needs.count()); i += 1) {
    await needs.nth(i).getByRole('radio', { name: 'Achieved', exact: true }).check();
  }
  await j.page.getByLabel('Closure summary', { exact: true }).fill('The family are managing well and know where to go for help.');
  await press('Record the closure');
  await expectBanner(j.page, 'The closure has been recorded and sent for sign-off.');
}
