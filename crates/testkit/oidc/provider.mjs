// Hearth's test OpenID Connect provider: panva's certified oidc-provider (from npm, installed
// by scripts/install-test-deps.sh --oidc), with one client and a few people. Only this file is
// ours. Its development sign-in page takes the person's login (below) and any password.
//
//   PORT=4000 CLIENT_ID=hearth CLIENT_SECRET=... REDIRECT_URIS="http://..." \
//   POST_LOGOUT_REDIRECT_URIS="http://..." node provider.mjs
//
// With FAMILY_CLIENT_ID, FAMILY_REDIRECT_URIS and FAMILY_CLIENT_KEY (a PEM file), a second
// client stands for the partnership's families as GOV.UK One Login sees them (ADR 0056): it
// proves itself with a JWT signed by that key (private_key_jwt), whose public half is
// registered here. The key in crates/testkit/oidc/family-client-test-key.pem is for tests
// only.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const port = Number(env('PORT'));
const issuer = `http://127.0.0.1:${port}`;
const words = (s) => s.split(/\s+/).filter(Boolean);

// Logins -> claims. A school's staff, a designated safeguarding lead (by group), and someone
// from a domain no organisation in Hearth serves.
const people = {
  teacher: { email: 'ann.teacher@school.test', name: 'Ann Teacher', groups: ['staff'] },
  dsl: { email: 'dev.lead@school.test', name: 'Dev Lead', groups: ['staff', 'safeguarding-leads'] },
  stranger: { email: 'sam.stranger@elsewhere.test', name: 'Sam Stranger', groups: [] },
  // Family members at One Login: a mother whose address is on her record, someone whose
  // address One Login has not verified, and an address two people on the record share.
  mother: { email: 'amina.one-login@family.test', name: 'Amina' },
  unverified: { email: 'amina.one-login@family.test', email_verified: false, name: 'Amina' },
  shared: { email: 'shared.one-login@family.test', name: 'Shared' },
};

const clients = [{
  client_id: env('CLIENT_ID'),
  client_secret: env('CLIENT_SECRET'),
  redirect_uris: words(env('REDIRECT_URIS')),
  post_logout_redirect_uris: words(env('POST_LOGOUT_REDIRECT_URIS', '')),
  grant_types: ['authorization_code'],
  response_types: ['code'],
}];
if (process.env.FAMILY_CLIENT_ID) {
  const jwk = createPublicKey(readFileSync(env('FAMILY_CLIENT_KEY'))).export({ format: 'jwk' });
  clients.push({
    client_id: process.env.FAMILY_CLIENT_ID,
    redirect_uris: words(env('FAMILY_REDIRECT_URIS')),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    jwks: { keys: [{ ...jwk, use: 'sig', alg: 'RS256' }] },
  });
}

const provider = new Provider(issuer, {
  clients,
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ['hearth-test-provider-cookie-key'] },
  async findAccount(ctx, id) {
    const person = people[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...person };
      },
    };
  },
  // The client is the partnership's own service: the person is not asked to consent to it.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
