// Launches Debian's Chromium through playwright-core. Playwright never downloads a browser
// here: the machine's network allows no such download, so the executable is the system one.

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach Google's services,
// and this closed network refuses those connections (slowly). Playwright adds --headless
// (headless: true) and a fresh temporary --user-data-dir of its own, removed on close.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}
