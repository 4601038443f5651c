// A real SMS gateway for a journey's own Hearth (ADR 0049), as the Rust tests start it
// (crates/testkit/src/sms.rs): Debian's Kannel, installed by scripts/install-test-deps.sh --sms,
// its bearerbox, its smsbox (the HTTP `sendsms` interface Hearth calls) and fakesmsc, Kannel's
// own test SMS centre, which takes each text as a phone network would and prints it. The
// journey reads the texts back from that print-out, long ones put back together from their
// parts and UCS-2 decoded, as the phone would show them.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BEARERBOX = '/usr/sbin/bearerbox';
const SMSBOX = '/usr/sbin/smsbox';
const FAKESMSC = '/usr/lib/kannel/test/fakesmsc';
export const SMS_USER = 'hearth';
export const SMS_PASSWORD = 'gateway-secret-e2e';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function listening(port, what, seconds = 30) {
  for (let i = 0; i < seconds * 20; i += 1) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start listening on port ${port}`);
}

/** fakesmsc's printed data: URL-encoded bytes, `+` a space. */
function unescape(data) {
  const bytes = [];
  for (let i = 0; i < data.length;) {
    if (data[i] === '%' && i + 2 < data.length) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 3;
    } else if (data[i] === '+') {
      bytes.push(0x20);
      i += 1;
    } else {
      bytes.push(data.charCodeAt(i));
      i += 1;
    }
  }
  return Buffer.from(bytes);
}

/** A text's bytes as the phone shows them: UTF-16BE for UCS-2. */
function decode(ucs2, bytes) {
  if (!ucs2) return bytes.toString('utf8');
  const swapped = Buffer.from(bytes);
  if (swapped.length % 2) return bytes.toString('latin1');
  swapped.swap16();
  return swapped.toString('utf16le');
}

/** Starts a gateway; `stop()` ends it. `received()` gives the texts so far. */
export async function startSmsGateway() {
  for (const p of [BEARERBOX, SMSBOX, FAKESMSC]) {
    assert.ok(fs.existsSync(p), `${p} is not installed (scripts/install-test-deps.sh --sms)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-sms-'));
  fs.mkdirSync(path.join(dir, 'spool'));
  const [admin, boxes, smsc, sendsms] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const conf = path.join(dir, 'kannel.conf');
  fs.writeFileSync(conf, `group = core
admin-port = ${admin}
admin-interface = 127.0.0.1
admin-password = "${randomUUID().replace(/-/g, '')}"
smsbox-port = ${boxes}
box-allow-ip = 127.0.0.1
log-file = "${dir}/bearerbox.log"
log-level = 1
dlr-storage = internal
store-type = spool
store-location = "${dir}/spool"

group = smsc
smsc = fake
smsc-id = fake
port = ${smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${boxes}
sendsms-port = ${sendsms}
sendsms-interface = 127.0.0.1
log-file = "${dir}/smsbox.log"
log-level = 1
global-sender = "FamilyHelp"

group = sendsms-user
username = "${SMS_USER}"
password = "${SMS_PASSWORD}"
concatenation = true
max-messages = 3

group = sms-service
keyword = default
catch-all = true
max-messages = 0
text = "No service"
`);
  const children = [];
  const run = (program, args, out) => {
    const fd = fs.openSync(path.join(dir, out), 'w');
    const c = spawn(program, args, { stdio: ['ignore', fd, fd] });
    children.push(c);
    return c;
  };
  run(BEARERBOX, [conf], 'bearerbox.out');
  await listening(boxes, 'bearerbox');
  // fakesmsc prints every text it receives ("Got message …") to its standard error.
  run(FAKESMSC, ['-H', '127.0.0.1', '-r', String(smsc), '-i', '1', '-m', '0', '0 0 text -'], 'fakesmsc.out');
  await new Promise((r) => setTimeout(r, 200));
  run(SMSBOX, [conf], 'smsbox.out');
  await listening(sendsms, 'smsbox');

  /** The texts the SMS centre has received, in order: { from, to, coding, text }. */
  function received() {
    const out = fs.readFileSync(path.join(dir, 'fakesmsc.out'), 'utf8');
    const texts = [];
    const waiting = [];
    for (const line of out.split('\n')) {
      const rest = line.split('Got message ')[1];
      if (!rest || !rest.includes(': <')) continue;
      let inner = rest.slice(rest.indexOf(': <') + 3);
      if (inner.lastIndexOf('>') >= 0) inner = inner.slice(0, inner.lastIndexOf('>'));
      const p = inner.split(' ');
      const [from, to, kind] = p;
      if (kind === 'udh' && p.length >= 6 && p[4] === 'data') {
        const udh = unescape(p[3]);
        const data = unescape(p[5]);
        const [ref, total, seq] = udh.length === 6 && udh[0] === 5 && udh[1] === 0 && udh[2] === 3
          ? [udh[3], udh[4], udh[5]] : [0, 1, 1];
        let w = waiting.find((x) => x.ref === ref && x.to === to);
        if (!w) {
          w = { ref, total, parts: [], from, to };
          waiting.push(w);
        }
        w.parts.push([seq, data]);
        if (w.parts.length === w.total) {
          waiting.splice(waiting.indexOf(w), 1);
          const bytes = Buffer.concat(w.parts.sort((a, b) => a[0] - b[0]).map((x) => x[1]));
          const ucs2 = bytes.includes(0);
          texts.push({ from, to, coding: ucs2 ? 'ucs-2' : 'text', text: decode(ucs2, bytes) });
        }
      } else {
        texts.push({ from, to, coding: kind, text: decode(kind === 'ucs-2', unescape(p.slice(3).join(' '))) });
      }
    }
    return texts;
  }

  function stop() {
    for (const c of children.reverse()) c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  return {
    url: `http://127.0.0.1:${sendsms}/cgi-bin/sendsms`,
    received,
    stop,
  };
}
