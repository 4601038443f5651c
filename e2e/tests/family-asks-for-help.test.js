// A family asks for help themselves (issue 24 item 1, ADR 0044). A mother on a phone (390 px),
// in Arabic, right to left, goes from the directory to the asking pages, one question a page,
// checks her answers and sends them; the front-door officer finds the request from the family
// with its contact safety marks and the records each person may be, takes it in and opens Early
// Family Help. Then every asking page, with its problems, is checked with axe in each of the
// six languages. Screenshots are kept under e2e/test-results/ to look at.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectPath, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, signIn } from '../lib/hearth.js';
import { PHONE, askForHelpInArabic, takeInAndOpenEarlyHelp } from '../lib/family.js';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
// Letters only, so the names read as names to the search.
const TAG = RUN_ID.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]);
const CHILD = { first: 'Karim', last: `Nassar${TAG}`, name: `Karim Nassar${TAG}`, dob: '14/05/2018' };
const MUM = `Layla Nassar${TAG}`;

async function shot(j, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await j.page.screenshot({ path: path.join(SHOTS, `family-asks-${name}.png`), fullPage: true });
}

journey('a mother asks for help in Arabic on a phone; the front door opens Early Family Help', async (j) => {
  await j.step(`as ${DEMO.practitioner.email}, the boy is already on the record`, async () => {
    await signIn(j, DEMO.practitioner);
    await j.visit('/people');
    await j.page.getByLabel('Name', { exact: true }).fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    // Other children share his first name: he is none of them.
    await j.navigate(() => j.page.getByRole('button', { name: /^(Add a new person|None of these is the person)/ }).click());
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(CHILD.last);
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    await expectBanner(j.page, 'Person added.');
  });

  await j.newContext(PHONE);
  const open = (p) => j.visit(p);
  const pictured = (name) => shot(j, name);
  const reference = await askForHelpInArabic(j, { open, mum: MUM, child: CHILD, shot: pictured });

  await j.newContext({});
  await signIn(j, DEMO.frontDoor);
  await takeInAndOpenEarlyHelp(j, { open, reference, mum: MUM, child: CHILD, childOnRecord: true, shot: pictured });
});

// Each language's pages, with their problems, for axe; answered by field names so one loop
// serves all six.
journey('every asking page is accessible in each of the six languages, on a phone', async (j) => {
  const send = (action) => j.navigate(() => j.page.locator(`main form[action^="${action}"] button[type=submit]`).last().click());
  for (const lang of ['en', 'ar', 'ur', 'pa', 'ro', 'pl']) {
    await j.step(`${lang}: every page and its problems`, async () => {
      await j.newContext(PHONE);
      await j.visit(`/ask?lang=${lang}`);
      assert.equal(await j.page.locator('html').getAttribute('lang'), lang);
      await j.visit(`/ask?lang=${lang}&easy=1`);
      await send('/ask/start');
      await send('/ask/who'); // nothing chosen: a problem
      assert.equal(await j.page.locator('.govuk-error-summary').count(), 1);
      await j.page.locator('input[name=asker][value=young_person]').check();
      await send('/ask/who');
      await send('/ask/worry'); // nothing written
      await j.page.locator('textarea[name=worry]').fill('Worried about school.');
      await send('/ask/worry');
      await send('/ask/people'); // nobody added
      await j.navigate(() => j.page.locator('#add-person').click());
      await send('/ask/people/add'); // nothing typed
      await j.page.locator('input[name=name]').fill('Sam Example');
      await j.page.locator('input[name=born][value=age]').check();
      await j.page.locator('input[name=age]').fill('15');
      await j.page.locator('input[name=relation][value=me]').check();
      await send('/ask/people/add');
      await send('/ask/people');
      await send('/ask/address');
      await j.page.locator('input[name=postcode]').fill('NG7 2AB');
      await send('/ask/address');
      await send('/ask/contact');
      await j.page.locator('input[name=email]').fill('sam@example.org');
      await send('/ask/contact');
      // The page's own language is chosen already.
      assert.equal(await j.page.locator(`input[name=language][value=${lang}]`).isChecked(), true);
      await send('/ask/language');
      await send('/ask/consent');
      await j.page.locator('input[name=consent][value=talk_first]').check();
      await send('/ask/consent');
      expectPath(j.page, '/ask/check', `?lang=${lang}`);
      await send('/ask/check');
      expectPath(j.page, '/ask/sent', `?lang=${lang}`);
      if (lang === 'ur' || lang === 'pa') await shot(j, `${lang}-sent`);
    });
  }
}, { timeout: 300_000 });
