// Signing in and out.

import { PASSWORD, expectH1, expectPath, expectStatus, expectText, journey } from '../lib/journey.js';
import { DEMO, expectSignedInAs, expectSignedOut, signIn, signOut, submitSignIn } from '../lib/hearth.js';

journey('sign-in', async (j) => {
  const { page } = j;

  await j.step('open / while signed out: redirected to /sign-in', async () => {
    const response = await j.visit('/');
    expectStatus(response, 200);
    expectPath(page, '/sign-in');
    await expectH1(page, /^Sign in to /);
    await expectSignedOut(page);
  });

  await j.step(`sign in as ${DEMO.lead.email}`, async () => {
    await submitSignIn(j, DEMO.lead.email, PASSWORD);
    expectPath(page, '/');
    await expectH1(page, 'My work');
  });

  await j.step('the header says who is signed in', async () => {
    await expectSignedInAs(page, DEMO.lead.name);
  });
});

journey('sign-out', async (j) => {
  const { page } = j;

  await j.step(`sign in as ${DEMO.lead.email}`, () => signIn(j, DEMO.lead));

  await j.step('press "Sign out" in the header', async () => {
    await signOut(j);
  });

  await j.step('open / again: redirected to /sign-in', async () => {
    await j.visit('/');
    expectPath(page, '/sign-in');
    await expectH1(page, /^Sign in to /);
    await expectSignedOut(page);
    await expectText(page.getByRole('main'), 'Sign in', 'the sign-in page');
  });
});
