// A practitioner chooses no email, in Polish, from their account; an administrator opens the
// outbox from the navigation, is told nothing goes without a mail server, and looks at each
// state. Every page is checked by axe.

import assert from 'node:assert/strict';
import { expectH1, expectPath, journey } from '../lib/journey.js';
import { DEMO, expectBanner, openFromNavigation, signIn, signOut } from '../lib/hearth.js';

journey('messages journey', async (j) => {
  const { page } = j;

  await j.step(`sign in as ${DEMO.reviewer.email}`, () => signIn(j, DEMO.reviewer));

  await j.step('choose no email, in Polish, from the account page', async () => {
    await j.visit('/account/password');
    await j.navigate(() => page.getByRole('link', { name: 'messages from Hearth' }).click());
    expectPath(page, '/account/messages');
    await expectH1(page, 'Messages from Hearth');
    await page.getByLabel('No', { exact: true }).check();
    await page.getByLabel('Language of your messages').selectOption({ label: 'Polish' });
    await j.navigate(() => page.getByRole('button', { name: 'Save' }).click());
    expectPath(page, '/account/messages', '?saved=1');
    await expectBanner(page, 'Your choices about messages have been saved.');
    assert.equal(await page.getByLabel('No', { exact: true }).isChecked(), true, 'the choice is kept');
    assert.equal(await page.getByLabel('Language of your messages').inputValue(), 'pl');
  });

  await j.step('sign out', () => signOut(j));
  await j.step(`sign in as ${DEMO.admin.email}`, () => signIn(j, DEMO.admin));

  await j.step('open the outbox from the service navigation', async () => {
    await openFromNavigation(j, 'Messages');
    expectPath(page, '/admin/messages');
    await expectH1(page, 'Messages');
    const body = await page.locator('main').innerText();
    assert.match(body, /No mail server is set up/, 'the outbox says nothing goes without one');
  });

  await j.step('look at the messages not sent, then those sent', async () => {
    await j.navigate(() => page.getByRole('link', { name: /^Not sent: \d+/ }).click());
    expectPath(page, '/admin/messages', '?state=failed');
    await j.navigate(() => page.getByRole('link', { name: /^Sent: \d+/ }).click());
    expectPath(page, '/admin/messages', '?state=sent');
  });
});
