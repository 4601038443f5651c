// A journey's own `hearth serve --demo`, for settings the shared server does not have: its
// own SQLite database, its own hearth.toml and environment, reached at `http://HOST:PORT`.
// The passkey journey needs it at `localhost` (WebAuthn names a site by its domain name, and
// the shared server is reached by IP number). scripts/e2e.sh gives the binary in
// E2E_HEARTH_BIN.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { PASSWORD, expectH1 } from './journey.js';
import { until } from './mail-hearth.js';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts (before the file's journeys) and stops (after them) a Hearth of their own, with
 * `toml` as its hearth.toml and `env` added to its environment. Returns `base()` (its address
 * once started), `go(j, path)` and `signIn(j, user)`.
 */
export function ownHearth(name, { host = '127.0.0.1', toml = '', env = {} } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `hearth-${name}-`));
  let child;
  let base;

  before(async () => {
    assert.ok(process.env.E2E_HEARTH_BIN, 'E2E_HEARTH_BIN must name the hearth binary (scripts/e2e.sh sets it)');
    const port = await freePort();
    base = `http://${host}:${port}`;
    fs.writeFileSync(path.join(work, 'hearth.toml'), toml);
    child = spawn(process.env.E2E_HEARTH_BIN, ['serve', '--demo', '--listen', `127.0.0.1:${port}`], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        DATABASE_URL: `sqlite://${path.join(work, 'hearth.db')}`,
        HEARTH_DEMO_PASSWORD: PASSWORD,
        HEARTH_PUBLIC_URL: base,
        ...env,
      },
      stdio: 'ignore',
    });
    await until('the journey\'s own Hearth answering /readyz', async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
      } catch {
        return false;
      }
    }, 120);
  });

  after(async () => {
    // Waited for, as mail-hearth.js's are: Hearth may still be writing in its folder (the
    // audit anchor) when told to stop, and a folder removed under it fails the run (ENOTEMPTY).
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill();
      });
    }
    fs.rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  /** Opens a path of this Hearth (checked with axe, as every page is). */
  const go = (j, p) => j.navigate(() => j.page.goto(base + p));

  /** Signs in to this Hearth with a demo account's password; the page it leads to is the caller's to check. */
  async function signIn(j, user) {
    await go(j, '/sign-in');
    await expectH1(j.page, /^Sign in to /);
    await j.page.getByLabel('Email address', { exact: true }).fill(user.email);
    await j.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await j.navigate(() => j.page.getByRole('button', { name: 'Sign in', exact: true }).click());
  }

  return { base: () => base, go, signIn };
}
