// Sign-in problems: missing and malformed answers, a wrong password, and the wait after too
// many failures.

import assert from 'node:assert/strict';
import { PASSWORD, expectFocused, expectH1, expectPath, expectStatus, journey } from '../lib/journey.js';
import {
  DEMO, THROTTLED, WRONG_CREDENTIALS, expectProblems, expectSignedOut, signInForm, submitSignIn,
} from '../lib/hearth.js';

journey('bad sign-in', async (j) => {
  const { page } = j;
  const form = signInForm(page);

  await j.step('submit the empty form', async () => {
    await j.visit('/sign-in');
    const response = await j.navigate(() => form.submit.click());
    expectStatus(response, 422);
    expectPath(page, '/sign-in');
    await expectProblems(page, { email: 'Enter an email address', password: 'Enter your password' });
  });

  await j.step('the error summary has the focus, so a screen reader reads it first', async () => {
    await expectFocused(page.locator('.govuk-error-summary'), 'the error summary');
  });

  await j.step('the error summary link moves the focus to its field', async () => {
    await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter your password' }).click();
    await expectFocused(form.password, 'the password field');
  });

  await j.step('submit a malformed email address', async () => {
    const response = await submitSignIn(j, 'not-an-email', 'some password');
    expectStatus(response, 422);
    await expectProblems(page, { email: 'Enter an email address in the correct format' });
    assert.equal(await form.email.inputValue(), 'not-an-email', 'the email typed should be kept');
    assert.equal(await form.password.inputValue(), '', 'the password should never be sent back');
  });

  await j.step('submit a wrong password', async () => {
    const response = await submitSignIn(j, DEMO.lead.email, `${PASSWORD}-wrong`);
    expectStatus(response, 401);
    expectPath(page, '/sign-in');
    await expectProblems(page, { email: WRONG_CREDENTIALS });
    assert.equal(await form.email.inputValue(), DEMO.lead.email, 'the email typed should be kept');
    assert.equal(await form.password.inputValue(), '', 'the password should never be sent back');
    await expectSignedOut(page);
  });
});

journey('sign-in throttling', async (j) => {
  const { page } = j;
  const user = DEMO.directory;

  await j.step('open the sign-in page', async () => {
    await j.visit('/sign-in');
    await expectH1(page, /^Sign in to /);
  });

  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await j.step(`wrong password, attempt ${attempt} of 5`, async () => {
      const response = await submitSignIn(j, user.email, `wrong password ${attempt}`);
      if (attempt < 5) {
        expectStatus(response, 401);
        await expectProblems(page, { email: WRONG_CREDENTIALS });
      } else {
        expectStatus(response, 429);
        await expectProblems(page, { email: THROTTLED });
      }
      await expectSignedOut(page);
    });
  }

  await j.step('the right password is refused while the wait lasts', async () => {
    const response = await submitSignIn(j, user.email, PASSWORD);
    expectStatus(response, 429);
    expectPath(page, '/sign-in');
    await expectProblems(page, { email: THROTTLED });
    await expectSignedOut(page);
  });
});
