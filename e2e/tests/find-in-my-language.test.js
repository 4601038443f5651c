// A parent on a phone (390 px), in Arabic and in Urdu: everyday words and the search page's
// own examples find services; a service an editor has translated is shown in the family's
// language; the right-to-left layout keeps each checkbox beside its label. Screenshots of the
// pages are kept under e2e/test-results/ to look at.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectH1, journey } from '../lib/journey.js';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results');

async function shot(j, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await j.page.screenshot({ path: path.join(SHOTS, `find-${name}.png`), fullPage: true });
}

/** Searches for `q` from the search page in `lang`, by typing it, and returns the names found. */
async function search(j, lang, q) {
  await j.visit(`/find?lang=${lang}`);
  await j.page.locator('#q').fill(q);
  await j.navigate(() => j.page.locator('main form button[type=submit]').click());
  return j.page.locator('main h3 a').allInnerTexts();
}

/** The examples the search page gives under its keyword box. */
async function examples(j) {
  const hint = await j.page.locator('#q-hint').innerText();
  const list = hint.includes(':') ? hint.slice(hint.indexOf(':') + 1) : hint;
  return list.split(/[,،]/).map((e) => e.trim()).filter(Boolean);
}

/** How far a checkbox's drawn box is from its label's text, in pixels. */
async function boxToLabelGap(j, name) {
  return j.page.getByRole('checkbox', { name }).evaluate((input) => {
    const label = input.labels[0];
    const box = getComputedStyle(label, '::before');
    const item = input.closest('.govuk-checkboxes__item').getBoundingClientRect();
    const text = label.getBoundingClientRect();
    const rtl = getComputedStyle(label).direction === 'rtl';
    // The box is drawn at `inset-inline-start` within the item.
    const start = rtl ? item.right - parseFloat(box.right) : item.left + parseFloat(box.left);
    const width = parseFloat(box.width);
    return rtl ? start - width - text.right : text.left - (start + width);
  });
}

for (const { lang, title, everyday, free } of [
  { lang: 'ar', title: 'ابحث عن خدمات لعائلتك', everyday: 'دورة للوالدين', free: 'الخدمات المجانية' },
  { lang: 'ur', title: 'اپنے خاندان کے لیے خدمات تلاش کریں', everyday: 'والدین کا کورس', free: 'مفت خدمات' },
]) {
  journey(`a parent searches in ${lang} on a phone and finds services`, async (j) => {
    await j.step('the search page reads right to left, each checkbox beside its label', async () => {
      await j.visit(`/find?lang=${lang}`);
      await expectH1(j.page, title);
      assert.equal(await j.page.locator('html').getAttribute('dir'), 'rtl');
      const gap = await boxToLabelGap(j, free);
      assert.ok(gap >= 0 && gap < 40, `the box is ${gap}px from its label`);
      await shot(j, `${lang}-search`);
    });

    await j.step('"parenting course" in English, and in the family\'s words, finds the parenting group', async () => {
      for (const q of ['parenting course', everyday]) {
        const found = await search(j, lang, q);
        assert.ok(found.length > 0, `${q} finds nothing`);
      }
      await shot(j, `${lang}-results`);
    });

    await j.step('every example under the keyword box finds services', async () => {
      await j.visit(`/find?lang=${lang}`);
      const list = await examples(j);
      assert.ok(list.length >= 3, `examples: ${list}`);
      for (const q of list) {
        const found = await search(j, lang, q);
        assert.ok(found.length > 0, `the example "${q}" finds nothing`);
      }
    });

    await j.step('mixed-direction text is isolated: place names and distances each in their own run', async () => {
      await j.visit(`/find?lang=${lang}&q=play&postcode=NG7&distance=5`);
      for (const line of await j.page.locator('main li p:has(bdi)').all()) {
        const runs = line.locator('.hearth-run');
        assert.ok((await runs.count()) >= 3, 'organisation, place and distance each isolated');
        // Each part stays whole on a narrow screen: a wrapped line never splits the place
        // name around the distance.
        for (const run of await runs.all()) {
          const boxes = await run.evaluate((e) => e.getClientRects().length);
          assert.equal(boxes, 1, `"${await run.innerText()}" is split across lines`);
        }
      }
      await shot(j, `${lang}-distance`);
    });
  }, { contextOptions: PHONE });
}

journey('a service translated by its editor is shown in the family\'s language', async (j) => {
  await j.step('in Urdu, the parenting group is listed and shown under its Urdu name', async () => {
    const found = await search(j, 'ur', 'والدین');
    const urdu = 'انکریڈیبل ایئرز والدین گروپ';
    assert.ok(found.includes(urdu), `found: ${found}`);
    await j.navigate(() => j.page.getByRole('link', { name: urdu }).click());
    await expectH1(j.page, urdu);
    assert.equal(await j.page.locator('h1').getAttribute('lang'), 'ur');
    await shot(j, 'ur-translated-service');
  });

  await j.step('in Arabic, a service with no Arabic text is in English, marked as English, its full stop at its end', async () => {
    const found = await search(j, 'ar', 'الديون');
    assert.ok(found.length > 0);
    await j.navigate(() => j.page.getByRole('link', { name: 'Money and debt advice' }).click());
    const description = j.page.locator('main p[dir=auto]').first();
    assert.equal(await description.getAttribute('lang'), 'en');
    // Laid out left to right inside the right-to-left page.
    assert.equal(await description.evaluate((p) => getComputedStyle(p).direction), 'ltr');
    await shot(j, 'ar-english-service');
  });
}, { contextOptions: PHONE });
