// An administrator adds a user with one role, edits them (the save of a one-role user used to
// be refused), makes them a one-time password reset link, and hands it over; the user, signed
// out, chooses a new password with it and signs in; the administrator finds it all in the
// audit log by the user's name. The user is the journey's own, so no demo account's password
// changes under another journey.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectText, expectVisible, journey, textOf } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, openFromNavigation, signIn, signOut, submitSignIn, tableRow } from '../lib/hearth.js';

const USER = {
  email: `editor-${RUN_ID}@demo.hearth.test`,
  name: `Eli Editor ${RUN_ID}`,
  firstPassword: `first lantern meadow ${RUN_ID}`,
};
const NEW_PASSWORD = `kettle violin orchard ${RUN_ID}`;

journey('administrator edits a user and hands over a password reset link', async (j) => {
  let link;

  await j.step(`sign in as ${DEMO.admin.email}`, () => signIn(j, DEMO.admin));

  await j.step('add a user with one role, which one administrator may give alone', async () => {
    await openFromNavigation(j, 'Users');
    await j.navigate(() => page().getByRole('button', { name: 'Add a user' }).click());
    await expectH1(page(), 'Add a user');
    await page().getByLabel('Full name').fill(USER.name);
    await page().getByLabel('Email address', { exact: true }).fill(USER.email);
    await page().getByLabel('Organisation', { exact: true }).selectOption({ label: 'Nottingham City Council (demo)' });
    await page().getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'Directory editor', exact: true }).check();
    await page().getByLabel('First password').fill(USER.firstPassword);
    await j.navigate(() => page().getByRole('button', { name: 'Save user' }).click());
    await expectBanner(page(), 'User created.');
  });

  await j.step('find the user and change their job title (they have one role)', async () => {
    await openFromNavigation(j, 'Users');
    await page().getByLabel('Name or email address').fill(USER.email);
    await j.navigate(() => page().getByRole('button', { name: 'Search', exact: true }).click());
    await tableRow(page(), USER.email);
    await j.navigate(() => page().getByRole('link', { name: USER.name }).click());
    await expectH1(page(), `Edit ${USER.name}`);
    const roles = page().getByRole('group', { name: 'Roles' });
    assert.ok(await roles.getByRole('checkbox', { name: 'Directory editor', exact: true }).isChecked(), 'the user has the Directory editor role');
    await page().getByLabel('Job title (optional)').fill(`Senior directory editor ${RUN_ID}`);
    await j.navigate(() => page().getByRole('button', { name: 'Save user' }).click());
    await expectBanner(page(), 'User saved.');
    assert.equal(await page().getByLabel('Job title (optional)').inputValue(), `Senior directory editor ${RUN_ID}`);
  });

  await j.step('make a password reset link, shown once', async () => {
    await j.navigate(() => page().getByRole('button', { name: 'Make a password reset link' }).click());
    await expectVisible(page().getByRole('heading', { name: 'Password reset link made' }), 'the link panel');
    const text = await textOf(page().locator('#reset-link p'), 'the link');
    link = new URL(text);
    assert.match(link.pathname, /^\/reset-password\/[A-Za-z0-9_-]{40,}$/, `a reset link: ${text}`);
  });

  await j.step('sign out', () => signOut(j));

  await j.step('the user, signed out, follows the link and chooses a new password', async () => {
    await j.newContext();
    await j.visit(link.pathname);
    await expectH1(page(), 'Choose a new password');
    await expectText(page().getByRole('main'), USER.email, 'the page');
    await page().getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page().getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await j.navigate(() => page().getByRole('button', { name: 'Set my new password' }).click());
    expectPath(page(), '/sign-in');
    await expectText(page().getByRole('main'), 'Your new password is set', 'the sign-in page');
    await submitSignIn(j, USER.email, NEW_PASSWORD);
    expectPath(page(), '/');
    await expectH1(page(), 'My work');
  });

  await j.step('the link works only once', async () => {
    const response = await j.visit(link.pathname);
    assert.equal(response.status(), 410);
    await expectH1(page(), 'This link does not work');
  });

  await j.step("the administrator finds it in the audit log by the user's name", async () => {
    await j.newContext();
    await signIn(j, DEMO.admin);
    await openFromNavigation(j, 'Audit log');
    await page().getByLabel('Who').fill(USER.name);
    await j.navigate(() => page().getByRole('button', { name: 'Search the log' }).click());
    await expectText(page().locator('#results'), /events/, 'the results heading');
    for (const what of ['Password reset by link', 'Password reset link made', 'User changed']) {
      await expectVisible(page().getByRole('heading', { name: what }).first(), `the "${what}" event`);
    }
    const exportLink = page().getByRole('link', { name: /Download every event this search finds/ });
    assert.match(await exportLink.getAttribute('href'), /^\/admin\/audit\/export\?who=Eli\+Editor/);
  });

  // `page` is the journey's current page(), which changes with each new context.
  function page() {
    return j.page;
  }
}, { timeout: 90_000 });
