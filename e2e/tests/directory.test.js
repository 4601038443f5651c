// The directory of services: a family on a narrow screen finds a free parenting group near NG7
// for a 3-year-old, in Urdu; a voluntary group's directory editor updates its service and a
// reviewer publishes it; a school's pastoral lead asks a service to help a family and the
// voluntary group that runs it accepts. (The lead, not the health visitor, asks: the family
// record journey counts the health visitor's searches in the audit log.)

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectText, expectVisible, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, openFromNavigation, signIn } from '../lib/hearth.js';

const GROUP = 'Incredible Years parenting group';
// Its name as the demo's editors translated it into Urdu.
const GROUP_IN_URDU = 'انکریڈیبل ایئرز والدین گروپ';
const HOME_VISITING = 'Family Friends home visiting';

journey('a family finds a parenting group in Urdu on a phone', async (j) => {

  await j.step('open the directory and choose Urdu', async () => {
    await j.visit('/find');
    await expectH1(j.page, 'Find services for your family');
    await j.navigate(() => j.page.getByRole('navigation', { name: 'Choose your language' }).getByRole('link', { name: 'اردو' }).click());
    await expectH1(j.page, 'اپنے خاندان کے لیے خدمات تلاش کریں');
    assert.equal(await j.page.locator('html').getAttribute('dir'), 'rtl', 'Urdu reads right to left');
    assert.equal(await j.page.locator('html').getAttribute('lang'), 'ur');
  });

  await j.step('search for free parenting help near NG7 for a 3-year-old', async () => {
    await j.page.getByLabel('مدد کی قسم', { exact: true }).selectOption('parenting');
    await j.page.getByLabel('آپ کے بچے کی عمر، سالوں میں (اختیاری)', { exact: true }).fill('3');
    await j.page.getByLabel('آپ کا پوسٹ کوڈ (اختیاری)', { exact: true }).fill('NG7');
    await j.page.getByLabel('آپ کتنی دور جا سکتے ہیں؟', { exact: true }).selectOption('2');
    await j.page.getByRole('checkbox', { name: 'مفت خدمات' }).check();
    await j.navigate(() => j.page.getByRole('button', { name: 'تلاش کریں' }).click());
    expectPath(j.page, '/find');
    await expectVisible(j.page.getByRole('link', { name: GROUP_IN_URDU }), `a link to ${GROUP}, in Urdu`);
  });

  await j.step('open the group: its name, times, place and map link in Urdu', async () => {
    await j.navigate(() => j.page.getByRole('link', { name: GROUP_IN_URDU }).click());
    await expectH1(j.page, GROUP_IN_URDU);
    await expectText(j.page.getByRole('main'), 'منگل', 'the day it runs, in Urdu');
    await expectText(j.page.getByRole('main'), 'Hyson Green Family Hub', 'where it runs');
    await expectVisible(j.page.getByRole('link', { name: /نقشے پر دکھائیں/ }), 'a map link');
  });

  await j.step('the language is remembered on the next visit', async () => {
    await j.visit('/find');
    assert.equal(await j.page.locator('html').getAttribute('lang'), 'ur');
  });
}, { contextOptions: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } });

journey('a voluntary group updates its service and a reviewer publishes it', async (j) => {
  const text = `Weekly visits from a trained volunteer, now on Saturdays too (${RUN_ID}).`;

  await j.step(`as ${DEMO.vcsEditor.email}, change the service's description`, async () => {
    await signIn(j, DEMO.vcsEditor);
    await j.visit('/directory');
    await expectH1(j.page, 'Directory of services');
    await j.navigate(() => j.page.getByRole('link', { name: HOME_VISITING, exact: true }).click());
    await expectH1(j.page, `Change ${HOME_VISITING}`);
    await j.page.getByLabel('What it does and who it is for', { exact: true }).fill(text);
    await j.navigate(() => j.page.getByRole('button', { name: 'Send for review' }).click());
    expectPath(j.page, '/directory');
    await expectBanner(j.page, 'Your change has been sent to a reviewer.');
  });

  await j.step('an unknown postcode for a new place is explained at the field', async () => {
    await j.visit('/directory');
    await j.navigate(() => j.page.getByRole('link', { name: 'Add a place where services run' }).click());
    await expectH1(j.page, 'Add a place');
    await j.page.getByLabel('Name of the place', { exact: true }).fill(`Church hall (${RUN_ID})`);
    await j.page.getByLabel('Building and street', { exact: true }).fill('1 Chapel Lane');
    await j.page.getByLabel('Postcode', { exact: true }).fill('NG7 9ZZ');
    await j.navigate(() => j.page.getByRole('button', { name: 'Add the place' }).click());
    await expectText(j.page.locator('#postcode-error'), 'We do not know where NG7 9ZZ is', 'the message at the field');
    assert.equal(await j.page.getByLabel('Postcode', { exact: true }).inputValue(), 'NG7 9ZZ');
  });

  await j.step('with the postcode put right the place is added, then changed', async () => {
    await j.page.getByLabel('Postcode', { exact: true }).fill('NG7 5AA');
    await j.navigate(() => j.page.getByRole('button', { name: 'Add the place' }).click());
    await expectH1(j.page, 'Places where services run');
    await expectBanner(j.page, 'The place has been added.');
    await j.navigate(() => j.page.getByRole('link', { name: `Church hall (${RUN_ID})`, exact: true }).click());
    await expectH1(j.page, `Change Church hall (${RUN_ID})`);
    await j.page.getByLabel('Access (optional)', { exact: true }).fill('Step-free entrance from Chapel Lane');
    await j.navigate(() => j.page.getByRole('button', { name: 'Save the place' }).click());
    await expectBanner(j.page, 'The place has been changed.');
  });

  await j.step(`as ${DEMO.reviewer.email}, review and publish it`, async () => {
    await j.newContext();
    await signIn(j, DEMO.reviewer);
    await j.visit('/directory');
    await j.navigate(() => j.page.locator('a[href^="/directory/changes/"]', { hasText: HOME_VISITING }).first().click());
    await expectH1(j.page, `Review: ${HOME_VISITING}`);
    await expectText(j.page.getByRole('main'), text, 'the proposed description');
    await j.navigate(() => j.page.getByRole('button', { name: 'Publish' }).click());
    await expectBanner(j.page, 'Published.');
  });

  await j.step('families see the new description', async () => {
    await j.visit(`/find?lang=en&q=${encodeURIComponent('Family Friends')}`);
    await j.navigate(() => j.page.getByRole('link', { name: HOME_VISITING }).click());
    await expectText(j.page.getByRole('main'), text, 'the public page');
  });
});

journey('a school asks a service to help a family and the voluntary group accepts', async (j) => {
  const child = { first: 'Zara', last: `Okonkwo-${RUN_ID}` };
  const name = `${child.first} ${child.last}`;
  let personPath;

  await j.step(`as ${DEMO.lead.email}, find no one and add the child`, async () => {
    await signIn(j, DEMO.lead);
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    await j.navigate(() => j.page.getByRole('button', { name: 'Add a new person', exact: true }).click());
    await j.page.getByLabel('First names', { exact: true }).fill(child.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(child.last);
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    await expectH1(j.page, name);
    personPath = new URL(j.page.url()).pathname;
  });

  await j.step('ask the home visiting service to help, with consent', async () => {
    await j.navigate(() => j.page.getByRole('link', { name: 'Ask a service to help' }).click());
    await expectH1(j.page, 'Ask a service to help');
    await j.page.getByLabel('Which service?', { exact: true }).selectOption({ label: `${HOME_VISITING} (Family Friends Volunteers)` });
    await j.page.getByLabel('Why does the family need this service?', { exact: true }).fill('New baby, mum isolated since moving to the city.');
    await j.page.getByRole('checkbox', { name: /The family agreed/ }).check();
    await j.page.getByLabel('Who agreed, and their relationship to the family', { exact: true }).fill('Her mother');
    await j.page.getByRole('radio', { name: 'Text message' }).check();
    await j.page.getByLabel('Number or address to use (if by phone, text or email)', { exact: true }).fill('07700 900123');
    await j.navigate(() => j.page.getByRole('button', { name: 'Send request' }).click());
    await expectBanner(j.page, 'Request sent.');
    await expectText(j.page.getByRole('main'), 'Waiting for an answer', 'the family record');
  });

  await j.step(`as ${DEMO.vcsWorker.email}, open the request and accept it`, async () => {
    await j.newContext();
    await signIn(j, DEMO.vcsWorker);
    await openFromNavigation(j, 'Requests for your services');
    await j.navigate(() => j.page.getByRole('link', { name }).click());
    await expectH1(j.page, `Request for ${name}`);
    await j.page.getByRole('radio', { name: 'Yes, accept the request' }).check();
    await j.page.getByLabel('Your reason, and what happens next', { exact: true }).fill('A volunteer will text this week to arrange a first visit.');
    await j.navigate(() => j.page.getByRole('button', { name: 'Save answer' }).click());
    await expectBanner(j.page, 'Answer saved.');
  });

  await j.step('the pastoral lead sees it accepted on the family record', async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await j.visit(personPath);
    await expectText(j.page.getByRole('main'), 'Accepted', 'the family record');
    await expectText(j.page.getByRole('main'), 'A volunteer will text this week', 'the answer');
  });
});
