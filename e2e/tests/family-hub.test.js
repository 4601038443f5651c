// Issue 21's journey, on a phone: a Family Hub worker sets up a course, registers a family
// and books them on it, marks the first session's register with one walk-in, loses the
// connection for two marks and gets it back (the marks are sent then, once each), notes a
// concern about the mum from the register that reaches the front door as a request for support,
// and a manager reads the hubs' reach.

import assert from 'node:assert/strict';
import { expectH1, expectText, journey, textOf } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, signIn, signOut } from '../lib/hearth.js';

const COURSE = `Incredible Years ${RUN_ID}`;
const FAMILY = `Hussain${RUN_ID}`;

function today() {
  const d = new Date();
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
}

async function choose(page, select, text) {
  const value = await page.locator(`${select} option`, { hasText: text }).first().getAttribute('value');
  await page.locator(select).selectOption(value);
}

journey('a hub worker registers a family, books a course and marks the register offline; a manager reads the reach', async (j) => {
  await j.step(`sign in as ${DEMO.hub.email}`, () => signIn(j, DEMO.hub));

  await j.step('set up a ten-week course at Bestwood from the directory', async () => {
    await j.visit('/hubs');
    await expectH1(j.page, 'Family Hubs');
    await j.navigate(() => j.page.getByRole('link', { name: 'Set up a programme' }).click());
    await choose(j.page, '#service', 'Incredible Years');
    await choose(j.page, '#location', 'Bestwood Family Hub');
    await j.page.getByLabel('Name', { exact: true }).fill(COURSE);
    await j.page.getByLabel('Course (families book the whole course)').check();
    await j.page.getByLabel('Date of the first session').fill(today());
    await j.page.getByLabel('Number of weekly sessions').fill('10');
    await j.page.getByLabel('Start time').fill('10:00');
    await j.page.getByLabel('End time').fill('12:00');
    await j.page.getByLabel('Who runs the sessions').fill('Sam and Ali');
    await j.page.getByLabel('Places').fill('12');
    await j.navigate(() => j.page.getByRole('button', { name: 'Set up programme' }).click());
    await expectH1(j.page, COURSE);
  });

  await j.step('register a family: a mum and her toddler', async () => {
    await j.visit('/hubs/families/new');
    await expectH1(j.page, 'Register a family');
    await choose(j.page, '#hub', 'Bestwood Family Hub');
    await j.page.locator('#given_names-0').fill('Amina');
    await j.page.locator('#family_name-0').fill(FAMILY);
    await j.page.locator('#dob-0').fill('14/05/1993');
    await j.page.locator('#given_names-1').fill('Idris');
    await j.page.locator('#family_name-1').fill(FAMILY);
    await j.page.locator('#dob-1').fill(`01/03/${new Date().getFullYear() - 2}`);
    await j.page.getByLabel('Postcode').fill('NG5 5AB');
    await j.page.getByLabel('Language spoken at home').fill('Urdu');
    await j.page.getByLabel('Phone number (optional)').fill('07700 900456');
    await j.page.getByRole('group', { name: 'Keeping their contact details' }).getByRole('checkbox').check();
    await j.page.getByRole('group', { name: 'Keeping their attendance' }).getByRole('checkbox').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Register family' }).click());
    await expectBanner(j.page, 'Family registered.');
    await expectH1(j.page, `${FAMILY} family`);
  });

  await j.step('book them both on the course', async () => {
    for (const name of ['Amina', 'Idris']) {
      await choose(j.page, '#member', name);
      await choose(j.page, '#programme', COURSE);
      await j.navigate(() => j.page.getByRole('button', { name: 'Book', exact: true }).click());
      await expectBanner(j.page, 'Booked');
    }
  });

  await j.step('open the first session\'s register and count one walk-in', async () => {
    await j.navigate(() => j.page.getByRole('link', { name: COURSE }).first().click());
    await j.navigate(() => j.page.getByRole('link', { name: /Mark register/ }).first().click());
    await expectH1(j.page, COURSE);
    await j.page.getByLabel('How many walk-ins to count only (not registered)').fill('1');
    await choose(j.page, '#counted_band', 'Adult');
    await j.navigate(() => j.page.getByRole('button', { name: 'Save register' }).click());
    await expectBanner(j.page, 'Register saved.');
    await expectText(j.page.getByRole('main'), '1 walk-ins counted', 'the register');
  });

  await j.step('lose the connection, tick two people, and get it back', async () => {
    await j.context.setOffline(true);
    await j.page.getByLabel(`Amina ${FAMILY}`).check();
    await j.page.getByLabel(`Idris ${FAMILY}`).check();
    // Each tick is kept at once; the status catches up after the attempt to send it fails.
    await j.page.waitForFunction(
      () => document.querySelector('#register-status')?.textContent.includes('2 marks are kept'),
      null,
      { timeout: 15_000 },
    );
    await expectText(j.page.locator('#register-status'), '2 marks are kept on this device', 'the register\'s status');
    await j.context.setOffline(false);
    // The register sends the kept marks once the browser is back online: wait for it to say so.
    await j.page.waitForFunction(
      () => document.querySelector('#register-status')?.textContent.includes('Every mark is saved.'),
      null,
      { timeout: 15_000 },
    );
    await expectText(j.page.locator('#register-status'), 'Every mark is saved.', 'the register\'s status');
    // What Hearth kept: both came, once each, and the walk-in.
    await j.visit(new URL(j.page.url()).pathname);
    assert.ok(await j.page.getByLabel(`Amina ${FAMILY}`).isChecked(), 'Amina is marked as having come');
    assert.ok(await j.page.getByLabel(`Idris ${FAMILY}`).isChecked(), 'Idris is marked as having come');
    await j.navigate(() => j.page.getByRole('link', { name: 'Back to the programme' }).click());
    const row = j.page.locator('tr', { hasText: 'Mark register' }).first();
    assert.match(await textOf(row, 'the first session'), /\(3 came\)/);
  });

  await j.step('note a concern about the mum from the register: it goes to the front door', async () => {
    await j.navigate(() => j.page.getByRole('link', { name: /Mark register/ }).first().click());
    await j.navigate(() => j.page.getByRole('link', { name: `Note a concern about Amina ${FAMILY}` }).click());
    await expectH1(j.page, `Note a concern about the ${FAMILY} family`);
    // Sent with nothing said: each question is asked again, the mum still chosen.
    await j.navigate(() => j.page.getByRole('button', { name: 'Send to the front door' }).click());
    assert.match(await j.page.title(), /^Error: /);
    await expectText(j.page.locator('.govuk-error-summary'), 'what the hub saw or heard', 'the error summary');
    assert.ok(await j.page.getByLabel(`Amina ${FAMILY}`).isChecked(), 'Amina is still chosen');
    await j.page.getByRole('group', { name: 'Are you worried a child is at risk of significant harm?' }).getByLabel('No').check();
    await j.page.getByLabel('Improved family relationships').check();
    await j.page.getByLabel('What did you see or hear that worries you?').fill('Amina was tearful and said things are hard at home');
    await j.page.getByRole('group', { name: 'Did the family agree to share their information with the partnership?' }).getByRole('radio').first().check();
    await j.page.getByRole('group', { name: 'How soon does the family need help?' }).getByRole('radio').first().check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Send to the front door' }).click());
    await expectBanner(j.page, 'Concern sent to the front door as a request for support.');
    await expectH1(j.page, `${FAMILY} family`);
  });

  await j.step('the front door finds the hub\'s request in its queue', async () => {
    await signOut(j);
    await signIn(j, DEMO.frontDoor);
    await j.visit('/front-door');
    await expectText(j.page.getByRole('main'), `Amina ${FAMILY}`, 'the front door queue');
  });

  await j.step('a manager reads the reach', async () => {
    await signOut(j);
    await signIn(j, DEMO.manager);
    await j.visit('/hubs/reach');
    await expectH1(j.page, "Family Hubs' reach");
    const attendances = Number(await textOf(j.page.locator('#reach-attendances'), 'the attendances'));
    assert.ok(attendances >= 3, `at least this journey's three attendances: ${attendances}`);
    await expectText(j.page.getByRole('table', { name: 'By hub' }), 'Bestwood Family Hub', 'the hubs');
  });
}, { contextOptions: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } });
