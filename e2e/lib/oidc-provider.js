// The test OpenID Connect provider (panva's oidc-provider, installed by
// scripts/install-test-deps.sh --oidc, configured by crates/testkit/oidc/provider.mjs) for a
// journey: started on a free port, stopped with `stop()`. With `familyRedirect`, it has the
// families' client too, which signs its token requests with the test key (private_key_jwt),
// as a partnership's client of GOV.UK One Login does (ADR 0056).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOLS = process.env.HEARTH_TOOLS_DIR
  || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hearth-tools');
const PROVIDER_DIR = path.join(TOOLS, 'oidc-provider');
/** The families' client and its key (for tests only). */
export const FAMILY_CLIENT_ID = 'hearth-e2e-families';
export const FAMILY_CLIENT_KEY = path.join(ROOT, 'crates', 'testkit', 'oidc', 'family-client-test-key.pem');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts the provider; resolves to `{ issuer, stop }` once it answers discovery. */
export async function startProvider({ redirect = '', familyRedirect } = {}) {
  assert.ok(
    fs.existsSync(path.join(PROVIDER_DIR, 'node_modules', 'oidc-provider', 'package.json')),
    `oidc-provider is not installed in ${PROVIDER_DIR} (scripts/install-test-deps.sh --oidc)`,
  );
  const config = path.join(PROVIDER_DIR, `provider-e2e-${process.pid}-${Date.now()}.mjs`);
  fs.copyFileSync(path.join(ROOT, 'crates', 'testkit', 'oidc', 'provider.mjs'), config);
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    PORT: String(port),
    CLIENT_ID: 'hearth-e2e-staff',
    CLIENT_SECRET: `e2e-secret-${process.pid}`,
    REDIRECT_URIS: redirect || 'http://127.0.0.1/unused',
  };
  if (familyRedirect) {
    Object.assign(env, {
      FAMILY_CLIENT_ID,
      FAMILY_REDIRECT_URIS: familyRedirect,
      FAMILY_CLIENT_KEY,
    });
  }
  const child = spawn('node', [config], { env, stdio: 'ignore' });
  const stop = () => {
    child.kill();
    fs.rmSync(config, { force: true });
  };
  const issuer = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    try {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (res.ok) return { issuer, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`oidc-provider did not start at ${issuer}`);
}
