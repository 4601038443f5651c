// A plain HTTP client for the attack replay (tests/attacks.test.js): a browser reduced to its
// cookie jar, so an attacker's requests are exactly what they send — forged forms, made-up
// headers, API calls — with no JavaScript or page in between. Redirects are not followed, so
// a test sees the answer itself.

import assert from 'node:assert/strict';
import { BASE_URL, PASSWORD } from './journey.js';

export class Client {
  constructor(headers = {}) {
    this.cookies = new Map();
    this.headers = headers;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method, path, { body, headers = {} } = {}) {
    const res = await fetch(BASE_URL + path, {
      method,
      redirect: 'manual',
      headers: { ...this.headers, cookie: this.cookieHeader(), ...headers },
      body,
    });
    this.keep(res);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path, headers) {
    return this.request('GET', path, { headers });
  }

  /** Posts a form as given: `fields` is an object or a list of [name, value] pairs. */
  post(path, fields, headers = {}) {
    const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields));
    return this.request('POST', path, {
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  /** The CSRF token in the forms of the page at `path`. */
  async csrf(path = '/') {
    const page = await this.get(path);
    const token = csrfIn(page.text);
    assert.ok(token, `no CSRF token on ${path} (HTTP ${page.status})`);
    return token;
  }

  /** Posts a form with this session's CSRF token, as the browser would. */
  async send(path, fields, headers) {
    const token = await this.csrf(this.signedIn ? '/people' : '/sign-in');
    const list = Array.isArray(fields) ? fields : Object.entries(fields);
    return this.post(path, [['csrf_token', token], ...list], headers);
  }

  async signIn(email, password = PASSWORD, headers = {}) {
    const token = await this.csrf('/sign-in');
    const res = await this.post(
      '/sign-in',
      { csrf_token: token, email, password, next: '/' },
      headers,
    );
    if (res.status === 303) this.signedIn = true;
    return res;
  }

  /** A JSON API call with a bearer token. */
  async api(method, path, token, json) {
    const res = await fetch(BASE_URL + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(json ? { 'content-type': 'application/json' } : {}),
      },
      body: json ? JSON.stringify(json) : undefined,
    });
    const text = await res.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.status, headers: res.headers, text, body };
  }
}

export function csrfIn(html) {
  return /name="csrf_token"[^>]*value="([^"]+)"/.exec(html)?.[1]
    ?? /value="([^"]+)"[^>]*name="csrf_token"/.exec(html)?.[1];
}

/** Signs in a fresh client; fails the test if signing in did not work. */
export async function signedIn(email, headers) {
  const c = new Client(headers);
  const res = await c.signIn(email, PASSWORD);
  assert.equal(res.status, 303, `signing in as ${email} answered ${res.status}`);
  return c;
}

/** The page's text without tags, spaces squashed, for "does the page say X" checks. */
export function textOf(html) {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const attr = (tag, name) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const unescape = (s) => (s ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * The fields a browser would send from the form on the page whose action is `action`, as
 * [name, value] pairs: inputs (ticked boxes only), text areas and selected options.
 */
export function formFields(html, action) {
  const start = html.indexOf(`action="${action}"`);
  assert.ok(start >= 0, `no form with action ${action} on the page`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out = [];
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    if (!name) continue;
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    out.push([name, unescape(attr(tag, 'value'))]);
  }
  for (const [, tag, body] of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(tag, 'name');
    if (name) out.push([name, unescape(body.replace(/^\n/, ''))]);
  }
  for (const [, tag, body] of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(tag, 'name');
    const chosen = /<option\b[^>]*\sselected\b[^>]*>/.exec(body)?.[0] ?? /<option\b[^>]*>/.exec(body)?.[0];
    if (name && chosen) out.push([name, unescape(attr(chosen, 'value'))]);
  }
  return out;
}

/** Every UUID in links of the form `prefix<uuid>`, in order, without repeats. */
export function idsAfter(html, prefix) {
  const re = new RegExp(`${prefix.replace(/[/?]/g, '\\$&')}([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`, 'g');
  return [...new Set([...html.matchAll(re)].map((m) => m[1]))];
}
