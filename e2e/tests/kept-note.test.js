// Nothing typed is lost: the lead has a family's episode open in one tab and signs out in
// another; the note they then save in the first tab is kept on the server, and after they
// sign in again it is back in the note form for them to check and save.

import assert from 'node:assert/strict';
import { PASSWORD, expectPath, expectText, journey } from '../lib/journey.js';
import { DEMO, expectBanner, signIn, submitSignIn } from '../lib/hearth.js';

const NOTE = 'Phone call: mum says the new bedtime routine is working.';

journey('a note saved after signing out in another tab is not lost', async (j) => {
  let episodePath;
  const noteBox = () => j.page.getByLabel('What happened', { exact: true });

  await j.step(`sign in as ${DEMO.lead.email} and open a family from the caseload`, async () => {
    await signIn(j, DEMO.lead);
    const caseload = j.page.getByRole('table', { name: 'Families you lead' });
    await j.navigate(() => caseload.getByRole('link').first().click());
    expectPath(j.page, /^\/episodes\/[^/]+$/);
    episodePath = new URL(j.page.url()).pathname;
    await j.navigate(() => j.page.getByRole('link', { name: 'Add a case note', exact: true }).first().click());
    expectPath(j.page, `${episodePath}/notes/new`);
  });

  await j.step('sign out in another tab', async () => {
    const other = await j.context.newPage();
    await other.goto(new URL('/', j.page.url()).href, { waitUntil: 'load' });
    await Promise.all([
      other.waitForNavigation({ waitUntil: 'load' }),
      other.getByRole('banner').getByRole('button', { name: 'Sign out' }).click(),
    ]);
    assert.equal(new URL(other.url()).pathname, '/sign-in');
    await other.close();
  });

  await j.step('write a note in the first tab and save it: asked to sign in, the note kept', async () => {
    await j.page.getByRole('group', { name: 'What kind of contact was it?', exact: true })
      .getByRole('radio', { name: 'Phone call', exact: true }).check();
    const d = new Date();
    const today = [d.getDate(), d.getMonth() + 1].map((n) => String(n).padStart(2, '0')).concat(d.getFullYear()).join('/');
    await j.page.getByLabel('When did it happen?', { exact: true }).fill(today);
    await noteBox().fill(NOTE);
    await j.navigate(() => j.page.getByRole('button', { name: 'Save note', exact: true }).click());
    expectPath(j.page, '/sign-in');
    assert.ok(!j.page.url().includes('bedtime'), 'no typed text in the address');
    await expectText(j.page.getByRole('main'), 'They are kept', 'the sign-in page');
  });

  await j.step('sign in again: the note is back in its form, not yet saved', async () => {
    await submitSignIn(j, DEMO.lead.email, PASSWORD);
    expectPath(j.page, /^\/drafts\//);
    await expectBanner(j.page, 'You were signed out before your note was added.');
    assert.equal(await noteBox().inputValue(), NOTE);
  });

  await j.step('check it and save it', async () => {
    await j.navigate(() => j.page.getByRole('button', { name: 'Save note', exact: true }).click());
    expectPath(j.page, `${episodePath}/notes`);
    await expectBanner(j.page, 'Your note has been added.');
    await expectText(j.page.getByRole('main'), 'bedtime routine', 'the case notes');
  });
});
