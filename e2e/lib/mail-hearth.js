// A journey's own `hearth serve --demo` that sends its messages to a real SMTP server
// (aiosmtpd, installed by scripts/install-test-deps.sh --smtp) writing to a Maildir, with the
// mailbox read back as a mail client would and SQL on the journey's own SQLite database. The
// shared server has no mail server (the outbox journey relies on that); scripts/e2e.sh gives
// the binary in E2E_HEARTH_BIN.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { PASSWORD, expectH1 } from './journey.js';

const TOOLS = process.env.HEARTH_TOOLS_DIR
  || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hearth-tools');
const PYTHON = path.join(TOOLS, 'smtp-venv', 'bin', 'python');

/** A date `days` from today as the date fields take it (dd/mm/yyyy). */
export const inDays = (days) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return [d.getDate(), d.getMonth() + 1].map((n) => String(n).padStart(2, '0')).concat(d.getFullYear()).join('/');
};

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Waits, up to `seconds`, until `ok()` is true. */
export async function until(what, ok, seconds = 60) {
  for (let i = 0; i < seconds * 10; i += 1) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${seconds}s`);
}

/**
 * Starts (before the journey) and stops (after it) a Hearth of the journey's own with a mail
 * server. Returns `base()` (its address once started), `mailbox()` and `sql()`. `more({ base })`,
 * when given, starts what else the journey needs before Hearth does (a text message gateway,
 * an OpenID Connect provider that must know Hearth's address) and returns the settings
 * (HEARTH_… variables) that point Hearth at them.
 */
export function hearthWithMail(name, { more } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `hearth-${name}-`));
  const maildir = path.join(work, 'mail');
  const database = path.join(work, 'hearth.db');
  const children = [];
  let base;

  before(async () => {
    assert.ok(fs.existsSync(PYTHON), `aiosmtpd is not installed at ${PYTHON} (scripts/install-test-deps.sh --smtp)`);
    assert.ok(process.env.E2E_HEARTH_BIN, 'E2E_HEARTH_BIN must name the hearth binary (scripts/e2e.sh sets it)');
    const smtp = await freePort();
    children.push(spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtp}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: 'ignore' }));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const extra = more ? await more({ base }) : {};
    children.push(spawn(process.env.E2E_HEARTH_BIN, ['serve', '--demo', '--listen', `127.0.0.1:${port}`], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        DATABASE_URL: `sqlite://${database}`,
        HEARTH_DEMO_PASSWORD: PASSWORD,
        HEARTH_PUBLIC_URL: base,
        HEARTH_SMTP_HOST: '127.0.0.1',
        HEARTH_SMTP_PORT: String(smtp),
        HEARTH_SMTP_SECURITY: 'none',
        HEARTH_SMTP_FROM: 'Family Help <no-reply@hearth.example>',
        HEARTH_SMTP_EVERY_SECONDS: '1',
        ...extra,
      },
      stdio: 'ignore',
    }));
    await until('the journey\'s own Hearth answering /readyz', async () => {
      try {
        return (await fetch(`${base}/readyz`)).ok;
      } catch {
        return false;
      }
    }, 120);
  });

  after(async () => {
    // Each child is waited for: Hearth may still be writing in its folder when told to stop,
    // and a folder removed under it fails the run (ENOTEMPTY).
    await Promise.all(children.map((c) => new Promise((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', resolve);
      c.kill();
    })));
    fs.rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  /** Runs SQL on the journey's own database (setting up what a practitioner recorded before). */
  function sql(statement, params = []) {
    const run = spawnSync('python3', ['-c', `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()
db.commit()
print(json.dumps(rows))
`, database, statement, JSON.stringify(params)], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
  }

  /** Every message the test mail server received, decoded as a mail client would. */
  function mailbox() {
    if (!fs.existsSync(path.join(maildir, 'new'))) return [];
    const run = spawnSync(PYTHON, ['-c', `
import json, mailbox, sys
from email import policy
from email.parser import BytesParser
out = []
box = mailbox.Maildir(sys.argv[1], create=False)
for key in sorted(box.keys()):
    m = BytesParser(policy=policy.default).parsebytes(box.get_bytes(key))
    text = m.get_body(("plain",))
    out.append({"to": str(m["to"] or ""), "subject": str(m["subject"] or ""), "text": text.get_content() if text else ""})
print(json.dumps(out))
`, maildir], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
  }

  /** Opens a path of this Hearth (checked with axe, as every page is). */
  const go = (j, p) => j.navigate(() => j.page.goto(base + p));

  /** Signs in to this Hearth as a demo account. */
  async function signIn(j, user) {
    await go(j, '/sign-in');
    await j.page.getByLabel('Email address', { exact: true }).fill(user.email);
    await j.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await j.navigate(() => j.page.getByRole('button', { name: 'Sign in', exact: true }).click());
    await expectH1(j.page, 'My work');
  }

  return { base: () => base, sql, mailbox, go, signIn };
}
