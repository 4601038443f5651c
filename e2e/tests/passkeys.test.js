// Passkeys (ADR 0051) in real Chromium with its virtual authenticator (the Chrome DevTools
// Protocol's WebAuthn domain): a manager, whose role needs a second factor, adds a passkey
// instead of an authenticator app, then signs in with the password and the passkey. Without
// JavaScript the passkey button is not offered and the code from an app stays. The journeys
// use a Hearth of their own at `localhost`, since WebAuthn names a site by its domain name.

import assert from 'node:assert/strict';
import { PASSWORD, expectH1, expectPath, expectText, journey } from '../lib/journey.js';
import { DEMO, signOut } from '../lib/hearth.js';
import { ownHearth } from '../lib/own-hearth.js';

const own = ownHearth('passkeys', {
  host: 'localhost',
  toml: 'second_factor_roles = ["team_manager"]\n',
});

/** A platform authenticator that verifies its user (as a fingerprint would) by itself. */
async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

journey('passkeys: a manager adds a passkey and signs in with it', async (j) => {
  const { page } = j;
  const authenticator = await j.step('give the browser a virtual authenticator', () => virtualAuthenticator(page));

  await j.step(`sign in as ${DEMO.manager.email}: a second step must be set up first`, async () => {
    await own.signIn(j, DEMO.manager);
    expectPath(page, '/account/two-factor');
    await expectH1(page, 'Sign in with a code from an app');
    await expectText(page.getByRole('heading', { name: 'Add a passkey' }), 'Add a passkey', 'the passkey form, shown by the script');
  });

  await j.step('add a passkey, giving the password again', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Work laptop');
    await page.getByLabel('Your password', { exact: true }).fill(PASSWORD);
    await j.navigate(() => page.getByRole('button', { name: 'Add a passkey' }).click());
    expectPath(page, '/account/two-factor/passkeys');
    await expectH1(page, /Passkey added/);
    await expectText(page.locator('.govuk-panel__body'), 'Work laptop', 'the passkey\'s name');
    assert.equal(await page.locator('#recovery-codes li').count(), 10, 'ten recovery codes, shown once');
    await j.saveArtifacts('passkey-added');
    const made = await authenticator.credentials();
    assert.equal(made.length, 1, 'the authenticator holds one passkey');
  });

  await j.step('go on to work: the hold is lifted', async () => {
    await j.navigate(() => page.getByRole('button', { name: 'Continue' }).click());
    await expectH1(page, 'My work');
  });

  await j.step('the passkey is listed, not yet used', async () => {
    await own.go(j, '/account/two-factor');
    await expectText(page.locator('#passkey-list'), 'Work laptop', 'the list of passkeys');
    await expectText(page.locator('#passkey-list'), 'Not yet', 'when it was last used');
    await j.saveArtifacts('passkey-listed');
  });

  await j.step('sign out', () => signOut(j));

  await j.step('sign in again: the password, then the passkey instead of a code', async () => {
    await own.signIn(j, DEMO.manager);
    expectPath(page, '/sign-in/code');
    await expectH1(page, 'Use your passkey or a code');
    await j.saveArtifacts('code-or-passkey');
    await j.navigate(() => page.getByRole('button', { name: 'Use a passkey' }).click());
    expectPath(page, '/');
    await expectH1(page, 'My work');
    const [used] = await authenticator.credentials();
    assert.ok(used.signCount >= 1, `the authenticator signed (its counter is ${used.signCount})`);
  });

  await j.step('the passkey shows when it was last used', async () => {
    await own.go(j, '/account/two-factor');
    const row = await page.locator('#passkey-list tbody tr').first().innerText();
    assert.ok(row.includes('Work laptop') && !row.includes('Not yet'), row);
  });
}, { timeout: 120_000 });

journey('passkeys: without JavaScript the code from an app stays', async (j) => {
  const { page } = j;
  await j.step(`sign in as ${DEMO.manager.email}, who has a passkey`, async () => {
    await own.signIn(j, DEMO.manager);
    expectPath(page, '/sign-in/code');
  });
  await j.step('no passkey button; the code field is there', async () => {
    assert.equal(await page.getByRole('button', { name: 'Use a passkey' }).count(), 0, 'no passkey button without the script');
    assert.equal(await page.getByLabel('Code', { exact: true }).count(), 1, 'the code field');
    await expectText(page.getByRole('main'), 'one of your recovery codes', 'the code field\'s hint');
  });
}, { contextOptions: { javaScriptEnabled: false } });
