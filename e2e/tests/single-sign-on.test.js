// Issue 23's "done when": a school user signs in through the test OpenID Connect provider
// (panva's oidc-provider, installed by scripts/install-test-deps.sh --oidc and configured by
// crates/testkit/oidc/provider.mjs), and a manager with a password signs in with a code from
// an authenticator app (computed here, RFC 6238, with node:crypto). Pages of the provider
// itself are not ours and are not checked with axe; every Hearth page is.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BASE_URL, PASSWORD, expectH1, expectPath, expectText, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectSignedInAs, signIn, signOut, submitSignIn } from '../lib/hearth.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOLS = process.env.HEARTH_TOOLS_DIR
  || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hearth-tools');
const PROVIDER_DIR = path.join(TOOLS, 'oidc-provider');
const CLIENT_ID = 'hearth-e2e';
const CLIENT_SECRET = `e2e-secret-${RUN_ID}`;
const SCHOOL = 'Oakfield Primary School (demo)';

/** Runs the server's binary as its operator would (scripts/e2e.sh says where it is). */
function hearth(args, env = {}) {
  const run = spawnSync(process.env.E2E_HEARTH_BIN, args, {
    cwd: process.env.E2E_SERVER_DIR,
    env: { PATH: process.env.PATH, DATABASE_URL: process.env.E2E_DATABASE_URL, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 0, `hearth ${args.join(' ')} failed: ${run.stdout}${run.stderr}`);
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts the provider for this server; stopped when the file's journeys end. */
async function startProvider() {
  assert.ok(
    fs.existsSync(path.join(PROVIDER_DIR, 'node_modules', 'oidc-provider', 'package.json')),
    `oidc-provider is not installed in ${PROVIDER_DIR} (scripts/install-test-deps.sh --oidc)`,
  );
  const config = path.join(PROVIDER_DIR, `provider-e2e-${RUN_ID}.mjs`);
  fs.copyFileSync(path.join(ROOT, 'crates', 'testkit', 'oidc', 'provider.mjs'), config);
  const port = await freePort();
  const child = spawn('node', [config], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      CLIENT_ID,
      CLIENT_SECRET,
      REDIRECT_URIS: `${BASE_URL}/sign-in/provider/callback`,
      POST_LOGOUT_REDIRECT_URIS: `${BASE_URL}/sign-in?signed_out=1`,
    },
    stdio: 'ignore',
  });
  after(() => {
    child.kill();
    fs.rmSync(config, { force: true });
  });
  const issuer = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    try {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (res.ok) return issuer;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`oidc-provider did not start at ${issuer}`);
}

/** The code an authenticator app shows for a base32 key, `steps` steps from now. */
function totp(base32, steps = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...base32.replace(/[\s=]/g, '')].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + steps));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = (((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1_000_000;
  return String(n).padStart(6, '0');
}

journey('a school user signs in through their organisation\'s provider', async (j) => {
  const { page } = j;
  const issuer = await startProvider();
  const second = { email: `second-admin-${RUN_ID}@demo.hearth.test`, name: `Sam Second ${RUN_ID}` };
  let providerPage = '';

  await j.step('a second administrator is added at the server (to confirm rules)', () => {
    hearth(
      ['users', 'add', '--email', second.email, '--org', 'Nottingham City Council (demo)', '--role', 'administrator', '--name', second.name],
      { HEARTH_NEW_USER_PASSWORD: PASSWORD },
    );
  });

  await j.step('the administrator registers the school\'s provider and a rule', async () => {
    await signIn(j, DEMO.admin);
    await j.visit('/admin/identity-providers/new');
    await expectH1(page, 'Add an identity provider');
    await page.getByLabel('Organisation').selectOption({ label: SCHOOL });
    await page.getByLabel('Issuer URL').fill(issuer);
    await page.getByLabel('Client ID').fill(CLIENT_ID);
    await page.getByLabel('Client secret').fill(CLIENT_SECRET);
    await page.getByLabel('Scopes').fill('openid email profile groups');
    await page.getByLabel('Email domains').fill('school.test');
    await j.navigate(() => page.getByRole('button', { name: 'Save provider' }).click());
    await expectH1(page, `Single sign-on for ${SCHOOL}`);
    providerPage = new URL(page.url()).pathname;
    await page.getByLabel('Claim').fill('email_domain');
    await page.getByLabel('Value').fill('school.test');
    await page.getByLabel('Role it gives').selectOption('practitioner');
    await page.getByLabel('Team it gives').selectOption({ label: 'Pastoral team' });
    await j.navigate(() => page.getByRole('button', { name: 'Add rule' }).click());
    await expectText(page.getByRole('main'), 'Waiting for another administrator', 'the rules');
    await signOut(j);
  });

  await j.step('a second administrator confirms the rule', async () => {
    await signIn(j, second);
    await j.visit(providerPage);
    await j.navigate(() => page.getByRole('button', { name: /^Confirm/ }).click());
    await expectText(page.getByRole('main'), 'Applies', 'the rules');
    await signOut(j);
  });

  await j.step('the teacher chooses "Sign in with" her school and signs in there', async () => {
    await j.visit('/sign-in');
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(issuer)),
      page.getByRole('button', { name: `Sign in with ${SCHOOL}` }).click(),
    ]);
    await page.locator('input[name="login"]').fill('teacher');
    await page.locator('input[name="password"]').fill('any password');
    await j.navigate(() => page.locator('button[type="submit"]').click());
    expectPath(page, '/');
    await expectH1(page, 'My work');
    await expectSignedInAs(page, 'Ann Teacher');
  });

  await j.step('signing out ends Hearth\'s session and the provider\'s', async () => {
    await j.navigate(() => page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click());
    await expectH1(page, 'You have signed out of Hearth');
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(issuer)),
      page.getByRole('button', { name: `Sign out of ${SCHOOL}'s sign-in` }).click(),
    ]);
    await j.navigate(() => page.getByRole('button', { name: 'Yes, sign me out' }).click());
    expectPath(page, '/sign-in');
    await expectText(page.getByRole('main'), 'You have signed out.', 'the sign-in page');
  });
}, { timeout: 180_000 });

journey('a manager with a password signs in with a code from an app', async (j) => {
  const { page } = j;
  const manager = { email: `manager-${RUN_ID}@demo.hearth.test`, name: `Mo Manager ${RUN_ID}` };
  let key = '';

  await j.step('a manager\'s account is added at the server', () => {
    hearth(
      ['users', 'add', '--email', manager.email, '--org', 'Nottingham City Council (demo)', '--role', 'team_manager', '--name', manager.name],
      { HEARTH_NEW_USER_PASSWORD: PASSWORD },
    );
  });

  await j.step('they set up an authenticator app from the key shown as text', async () => {
    await signIn(j, manager);
    await j.visit('/account/two-factor');
    await expectH1(page, 'Sign in with a code from an app');
    key = (await page.locator('#secret').textContent()).trim();
    await page.getByLabel('Code').fill(totp(key));
    await j.navigate(() => page.getByRole('button', { name: 'Set up' }).click());
    await expectText(page.getByRole('main'), 'Your recovery codes', 'the recovery codes');
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    await j.navigate(() => page.getByRole('button', { name: 'Continue' }).click());
    await signOut(j);
  });

  await j.step('the password, then the app\'s code', async () => {
    await j.visit('/sign-in');
    await submitSignIn(j, manager.email, PASSWORD);
    expectPath(page, '/sign-in/code');
    await expectH1(page, 'Enter the code from your app');
    // The next step's code: the one just used is never accepted twice.
    await page.getByLabel('Code').fill(totp(key, 1));
    await j.navigate(() => page.getByRole('button', { name: 'Continue' }).click());
    expectPath(page, '/');
    await expectSignedInAs(page, manager.name);
  });
}, { timeout: 120_000 });
