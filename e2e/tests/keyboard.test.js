// Signing in with the keyboard alone.

import { PASSWORD, expectFocused, expectH1, expectPath, journey } from '../lib/journey.js';
import { DEMO, expectSignedInAs, signInForm } from '../lib/hearth.js';

journey('keyboard', async (j) => {
  const { page } = j;
  const form = signInForm(page);
  const { keyboard } = page;

  await j.step('open the sign-in page', async () => {
    await j.visit('/sign-in');
    await expectH1(page, /^Sign in to /);
  });

  await j.step('the first Tab focuses the "Skip to main content" link', async () => {
    await keyboard.press('Tab');
    await expectFocused(page.getByRole('link', { name: 'Skip to main content' }), 'the skip link');
  });

  await j.step('Enter on the skip link, then Tab, reaches the email field', async () => {
    await keyboard.press('Enter');
    await keyboard.press('Tab');
    await expectFocused(form.email, 'the email address field');
  });

  await j.step('type the email, Tab to the password, type it', async () => {
    await keyboard.type(DEMO.lead.email);
    await keyboard.press('Tab');
    await expectFocused(form.password, 'the password field');
    await keyboard.type(PASSWORD);
  });

  await j.step('Tab to "Sign in" and press Enter', async () => {
    await keyboard.press('Tab');
    await expectFocused(form.submit, 'the "Sign in" button');
    await j.navigate(() => keyboard.press('Enter'));
    expectPath(page, '/');
    await expectH1(page, 'My work');
    await expectSignedInAs(page, DEMO.lead.name);
  });
});
