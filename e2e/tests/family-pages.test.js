// A parent on a phone (390 px) finds the privacy notice, accessibility statement and cookies
// page from the footer of the directory, in their language, right to left in Arabic, and by
// keyboard. Screenshots are kept under e2e/test-results/ to look at.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectFocused, expectH1, journey } from '../lib/journey.js';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results');

async function shot(j, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await j.page.screenshot({ path: path.join(SHOTS, `family-pages-${name}.png`), fullPage: true });
}

journey('a parent reads the privacy notice and the cookies page in their language', async (j) => {
  await j.step('from the Arabic directory, the footer leads to the privacy notice in Arabic', async () => {
    await j.visit('/find?lang=ar');
    await j.navigate(() => j.page.getByRole('contentinfo').getByRole('link', { name: 'الخصوصية' }).click());
    await expectH1(j.page, 'إشعار الخصوصية');
    assert.equal(await j.page.locator('html').getAttribute('dir'), 'rtl');
    // Nothing is wider than the phone.
    const overflow = await j.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await shot(j, 'ar-privacy');
  });

  await j.step('the language is remembered: the cookies page follows in Arabic', async () => {
    await j.visit('/cookies');
    await expectH1(j.page, 'ملفات تعريف الارتباط');
    await shot(j, 'ar-cookies');
  });

  await j.step('in Polish, the accessibility statement is reached by keyboard from the footer', async () => {
    await j.visit('/find?lang=pl');
    const link = j.page.getByRole('contentinfo').getByRole('link', { name: 'Dostępność' });
    await link.focus();
    await expectFocused(link, 'the footer link');
    await j.navigate(() => j.page.keyboard.press('Enter'));
    await expectH1(j.page, 'Deklaracja dostępności');
    await shot(j, 'pl-accessibility');
  });
}, { contextOptions: PHONE });
