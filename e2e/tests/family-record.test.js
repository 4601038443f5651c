// The family record and the front door: a lead professional searches, finds no one, adds a
// child and asks for help; the front door decides; a health visitor outside the family's
// support sees only who is involved (contact search); the data protection officer finds the
// searches, the views and the decision in the audit log; the lead sees the outcome.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectStatus, expectText, expectVisible, journey } from '../lib/journey.js';
import { DEMO, auditEvent, expectBanner, expectProblems, openFromNavigation, signIn, tableRow } from '../lib/hearth.js';

// A name none of the demo's synthetic people has.
const CHILD = { first: 'Kayla', last: 'Brennan-Okoro', name: 'Kayla Brennan-Okoro' };
const FAMILY_TOLD = 'Her mother knows the school is asking the council for help.';
const RATIONALE = 'Repeated missing episodes at 14: needs the Adolescence Service.';

/** A date of birth `years` ago today, as DD/MM/YYYY. */
function yearsAgo(years) {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  return [d.getDate(), d.getMonth() + 1].map((n) => String(n).padStart(2, '0')).concat(d.getFullYear()).join('/');
}
const DOB = yearsAgo(14);

journey('family record and front door', async (j) => {
  let personId;
  let requestId;

  /** A radio or checkbox in the group (fieldset) with this legend. */
  const option = (role, legend, name) =>
    j.page.getByRole('group', { name: legend, exact: true }).getByRole(role, { name, exact: true });

  /** Searches the family record by name (and date of birth, when given). */
  const searchPeople = async (name, dob = '') => {
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(name);
    await j.page.getByLabel('Date of birth', { exact: true }).fill(dob);
    const response = await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    expectStatus(response, 200);
    await expectH1(j.page, 'Find a person');
  };

  await j.step(`sign in as ${DEMO.lead.email}`, () => signIn(j, DEMO.lead));

  await j.step(`search for ${CHILD.name}: no one found`, async () => {
    await searchPeople(CHILD.name, DOB);
    await expectVisible(j.page.getByRole('heading', { level: 2, name: 'No one found' }), 'the heading "No one found"');
  });

  await j.step('add her as a new person', async () => {
    await j.navigate(() => j.page.getByRole('button', { name: 'Add a new person', exact: true }).click());
    await expectH1(j.page, 'Add a person');
    const lastName = j.page.getByLabel('Last name', { exact: true });
    const dob = j.page.getByRole('group', { name: 'Date of birth (optional)', exact: true });
    const [day, month, year] = DOB.split('/');
    const box = (name) => dob.getByLabel(name, { exact: true });
    assert.equal(await lastName.inputValue(), CHILD.last, 'the last name searched for should be filled in');
    assert.deepEqual(
      [await box('Day').inputValue(), await box('Month').inputValue(), await box('Year').inputValue()],
      [String(Number(day)), String(Number(month)), year],
      'the date of birth searched for should be filled in, box by box',
    );
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await lastName.fill(CHILD.last);
    await box('Day').fill(day);
    await box('Month').fill(month);
    await box('Year').fill(year);
    await option('radio', 'How sure is the date of birth?', 'Exact').check();
    await j.page.getByLabel('Address line 1 (optional)', { exact: true }).fill('12 Example Street');
    await j.page.getByLabel('Postcode (optional)', { exact: true }).fill('NG5 2AB');
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    expectPath(j.page, /^\/people\/[^/]+$/);
    personId = new URL(j.page.url()).pathname.split('/').pop();
    await expectBanner(j.page, 'Person added.');
    await expectH1(j.page, CHILD.name);
    await expectText(j.page.getByRole('main'), '12 Example Street', 'the person page');
  });

  await j.step('ask for help for this family', async () => {
    await j.navigate(() => j.page.getByRole('button', { name: 'Ask for help for this family', exact: true }).click());
    expectPath(j.page, '/requests/new');
    await expectH1(j.page, 'Ask for help for a family');
    await expectVisible(option('checkbox', 'Who is the request about?', CHILD.name), `the checkbox for ${CHILD.name}`);
  });

  await j.step('send it with nothing selected: the problems are listed and the text typed is kept', async () => {
    await option('checkbox', 'Who is the request about?', CHILD.name).uncheck();
    await j.page.getByLabel('What has the family been told about this request?', { exact: true }).fill(FAMILY_TOLD);
    const response = await j.navigate(() => j.page.getByRole('button', { name: 'Send request', exact: true }).click());
    expectStatus(response, 422);
    await expectH1(j.page, 'Ask for help for a family');
    await expectVisible(
      option('checkbox', 'Who is the request about?', CHILD.name),
      `the checkbox for ${CHILD.name} under "Who is the request about?" (still offered after the error)`,
    );
    await expectProblems(j.page, {
      people: 'Select at least one family member',
      needs: 'Select at least one need',
      consent: 'Select whether the family agreed',
      urgency: 'Select how soon the family needs help',
      safeguarding: 'Select yes if you are worried a child is at risk of significant harm',
    });
    assert.equal(
      await j.page.getByLabel('What has the family been told about this request?', { exact: true }).inputValue(),
      FAMILY_TOLD,
      'what the family has been told should be kept',
    );
  });

  await j.step('answer the questions and send the request', async () => {
    await option('checkbox', 'Who is the request about?', CHILD.name).check();
    await option('checkbox', 'Are any of these a concern for a child?', 'Missing from home or care').check();
    await option('radio', 'Did the family agree to share their information with the partnership?', 'Yes, they agreed').check();
    await option('radio', 'How soon does the family need help?', 'Soon: within 3 working days').check();
    await option('radio', 'Are you worried a child is at risk of significant harm?', 'No').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Send request', exact: true }).click());
    expectPath(j.page, /^\/requests\/[^/]+$/);
    requestId = new URL(j.page.url()).pathname.split('/').pop();
    await expectBanner(j.page, 'Your request has been sent to the front door.');
    await expectH1(j.page, CHILD.name);
    await expectText(j.page.getByRole('main'), 'Waiting for the front door', 'the request page');
  });

  await j.step(`as ${DEMO.frontDoor.email} in a new browser, open the request from the front door queue`, async () => {
    await j.newContext();
    await signIn(j, DEMO.frontDoor);
    await openFromNavigation(j, 'Front door');
    const row = await tableRow(j.page, CHILD.name);
    assert.match(row, /Oakfield Primary School \(demo\)/, `the queue should say who asked: ${row}`);
    await j.navigate(() => j.page.getByRole('link', { name: new RegExp(`^${CHILD.name} \\(`) }).click());
    expectPath(j.page, `/requests/${requestId}`);
    await expectH1(j.page, CHILD.name);
  });

  await j.step('the front door changes her sex from her record while the request waits: the change is in the history', async () => {
    await j.visit(`/people/${personId}`);
    await j.navigate(() => j.page.getByRole('link', { name: 'Change sex', exact: true }).click());
    await expectH1(j.page, 'Change sex');
    await j.page.getByLabel('Sex', { exact: true }).selectOption({ label: 'Female' });
    await j.navigate(() => j.page.getByRole('button', { name: 'Save the change', exact: true }).click());
    expectPath(j.page, `/people/${personId}`);
    await expectBanner(j.page, 'Details changed.');
    await expectText(j.page.locator('#history + ul'), 'changed from not recorded to “Female”', 'the history of changes');
    await j.visit(`/requests/${requestId}`);
  });

  await j.step('decide: Targeted Family Help from the Adolescence Service, as the routing rules propose', async () => {
    await j.navigate(() => j.page.getByRole('button', { name: 'Decide this request', exact: true }).click());
    expectPath(j.page, `/requests/${requestId}/decide`);
    await expectH1(j.page, new RegExp(`^${CHILD.name} \\(`));
    await expectText(j.page.locator('.govuk-inset-text'), 'the routing rules propose the Adolescence Service', 'the proposal');
    await option('radio', 'Level of need on the Continuum', 'Level 3: Targeted Family Help').check();
    await option('radio', 'What happens next?', 'Open Targeted Family Help').check();
    // Only the chosen outcome's questions show.
    const service = option('radio', 'Who provides it', 'Adolescence Service');
    await expectVisible(service, 'the service choice, under "Open Targeted Family Help"');
    assert.ok(await service.isChecked(), 'the proposed service should be selected already');
    assert.equal(
      await j.page.getByLabel('The reason for no further action', { exact: true }).isVisible(),
      false,
      'another outcome\'s question should stay hidden',
    );
    await j.page.getByLabel('Rationale', { exact: true }).fill(RATIONALE);
    await j.navigate(() => j.page.getByRole('button', { name: 'Record decision', exact: true }).click());
    expectPath(j.page, '/front-door');
    await expectBanner(j.page, 'Decision recorded.');
    assert.equal(
      await j.page.getByRole('link', { name: new RegExp(`^${CHILD.name} \\(`) }).count(),
      0,
      'the decided request should have left the queue',
    );
  });

  await j.step(`as ${DEMO.practitioner.email}, a search shows only who is involved`, async () => {
    await j.newContext();
    await signIn(j, DEMO.practitioner);
    await searchPeople(CHILD.name);
    const card = j.page.locator('.govuk-summary-card').filter({
      has: j.page.getByRole('heading', { level: 3, name: CHILD.name }),
    });
    await expectVisible(card, `one search result for ${CHILD.name}`);
    assert.equal(await card.getByRole('link', { name: CHILD.name }).count(), 0, 'the result should not link to the record');
    const involved = card.locator('.govuk-summary-list__row').filter({ hasText: 'Who is involved' });
    await expectText(involved, 'Adolescence Service', 'the "Who is involved" row');
    await expectText(involved, 'You cannot open this record.', 'the "Who is involved" row');
  });

  await j.step('opening the record by its address shows the contact search page instead', async () => {
    const response = await j.visit(`/people/${personId}`);
    expectStatus(response, 200);
    await expectH1(j.page, CHILD.name);
    const main = j.page.getByRole('main');
    await expectText(main.locator('.govuk-caption-l'), 'Contact search', 'the caption');
    await expectText(main, "You are not part of this person's support", 'the contact search page');
    await expectText(main.getByRole('list'), 'Adolescence Service', 'the list of who is involved');
    assert.equal(await main.getByText('12 Example Street').count(), 0, 'the address should not be shown');
  });

  await j.step(`as ${DEMO.dpo.email}, the audit log lists the searches, the view and the decision`, async () => {
    await j.newContext();
    await signIn(j, DEMO.dpo);
    await openFromNavigation(j, 'Audit log');
    const search = async (event) => {
      await j.page.getByLabel('Event', { exact: true }).selectOption({ label: event });
      const response = await j.navigate(() => j.page.getByRole('button', { name: 'Search the log' }).click());
      expectStatus(response, 200);
      expectPath(j.page, '/admin/audit');
      await expectText(j.page.locator('#results'), /events/, 'the results heading');
    };
    await search('Searched for people');
    const searched = await auditEvent(j.page, DEMO.practitioner.email);
    assert.match(searched, /Searched for people/, `the event: ${searched}`);
    assert.ok(searched.includes(CHILD.name), `the search event should record what was searched for: ${searched}`);
    await search('Viewed who is involved (contact search)');
    const viewed = await auditEvent(j.page, DEMO.practitioner.email);
    assert.ok(viewed.includes(personId), `the contact search event should name the person ${personId}: ${viewed}`);
    await search('Request decided');
    const decided = await auditEvent(j.page, requestId);
    assert.ok(decided.includes(DEMO.frontDoor.email), `the decision should name the officer: ${decided}`);
  });

  await j.step(`as ${DEMO.lead.email} again, "My work" shows the request was decided`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await expectVisible(
      j.page.getByRole('heading', { level: 2, name: 'Your requests for support' }),
      'the heading "Your requests for support"',
    );
    const link = j.page.locator(`a[href="/requests/${requestId}"]`);
    const request = j.page.getByRole('listitem').filter({ has: link });
    await expectText(request, 'Decided: Targeted Family Help opened', 'the request in "Your requests for support"');
    await j.navigate(() => link.click());
    expectPath(j.page, `/requests/${requestId}`);
    await expectH1(j.page, CHILD.name);
    const status = j.page.locator('.govuk-summary-list__row').filter({
      has: j.page.locator('dt', { hasText: /^Status$/ }),
    });
    await expectText(
      status,
      /Level 3: Targeted Family Help\. Targeted Family Help opened: Adolescence Service\. Decided by Frankie Frontdoor/,
      'the request\'s status',
    );
  });
});
