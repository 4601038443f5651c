// Every journey reaches its end (issue 16). A school practitioner finds a child who is
// already on the record but whose record they may not open, and asks for help for them from
// the search result; saying the child may be at risk of significant harm shows what to do
// now before anything else. The front-door officer reads the family's history beside the
// decision, sees only the chosen outcome's questions, and records no further action; as it
// closes a safeguarding concern, a manager confirms it from "My work".

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectText, expectVisible, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, openFromNavigation, signIn } from '../lib/hearth.js';

// Unique to this run, so a search finds only this child.
const CHILD = { first: 'Tobias', last: `Quill${RUN_ID}`, name: `Tobias Quill${RUN_ID}` };
const RATIONALE = 'The GP has seen the bruise and the school nurse is in touch with the family.';

journey('a school asks for help for a child it cannot open; the front door decides', async (j) => {
  let childId;
  let requestId;
  const option = (role, legend, name) =>
    j.page.getByRole('group', { name: legend, exact: true }).getByRole(role, { name, exact: true });

  const searchFor = async (name) => {
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    await expectH1(j.page, 'Find a person');
  };

  await j.step(`as ${DEMO.vcsWorker.email}, record the child`, async () => {
    await signIn(j, DEMO.vcsWorker);
    await searchFor(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Add a new person', exact: true }).click());
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(CHILD.last);
    const dob = j.page.getByRole('group', { name: 'Date of birth (optional)', exact: true });
    await dob.getByLabel('Day', { exact: true }).fill('14');
    await dob.getByLabel('Month', { exact: true }).fill('2');
    await dob.getByLabel('Year', { exact: true }).fill('2017');
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    await expectBanner(j.page, 'Person added.');
    childId = new URL(j.page.url()).pathname.split('/').pop();
  });

  await j.step(`as ${DEMO.lead.email}, the search result offers "Ask for help for this person"`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await searchFor(CHILD.name);
    const card = j.page.locator('.govuk-summary-card').filter({
      has: j.page.getByRole('heading', { level: 3, name: CHILD.name }),
    });
    await expectText(card, 'You cannot open this record', 'the search result');
    await j.navigate(() => card.getByRole('button', { name: /^Ask for help for this person/ }).click());
    expectPath(j.page, '/requests/new', `?person=${childId}`);
    await expectH1(j.page, 'Ask for help for a family');
    assert.ok(
      await option('checkbox', 'Who is the request about?', CHILD.name).isChecked(),
      'the child should be chosen already',
    );
  });

  await j.step('"yes, at risk of significant harm" shows what to do now, first', async () => {
    const now = j.page.getByText('If a child is in immediate danger, call 999 now.');
    assert.equal(await now.isVisible(), false, 'the steps should wait for the answer');
    await option('radio', 'Are you worried a child is at risk of significant harm?', 'Yes').check();
    await expectVisible(now, 'what to do now');
  });

  await j.step('describe the need and send the request', async () => {
    await option('checkbox', 'What does the family need help with?', 'Getting a good education').check();
    await j.page
      .getByLabel('Getting a good education: what is happening, and for whom', { exact: true })
      .fill('Bruising seen on his arm on Monday; not in school since.');
    await option('radio', 'Did the family agree to share their information with the partnership?', 'They have not been asked').check();
    await j.page
      .getByLabel('If they did not agree: the lawful basis for sharing and why', { exact: true })
      .fill('Safeguarding: a child may be at risk of significant harm.');
    await option('radio', 'How soon does the family need help?', 'Urgent: today').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Send request', exact: true }).click());
    expectPath(j.page, /^\/requests\/[^/]+$/);
    requestId = new URL(j.page.url()).pathname.split('/').pop();
    await expectBanner(j.page, 'Your request has been sent to the front door.');
    await expectText(j.page.getByRole('main'), 'You raised a safeguarding concern. Do this now', 'the request page');
    await expectText(j.page.getByRole('main'), 'Waiting for the front door', 'the request page');
  });

  await j.step('asking opened nothing: the child\'s page is still the contact card', async () => {
    await j.visit(`/people/${childId}`);
    await expectText(j.page.locator('.govuk-caption-l'), 'Contact search', 'the caption');
  });

  await j.step(`as ${DEMO.frontDoor.email}, decide with the family's history beside the form`, async () => {
    await j.newContext();
    await signIn(j, DEMO.frontDoor);
    await openFromNavigation(j, 'Front door');
    await j.visit(`/requests/${requestId}/decide`);
    await expectVisible(j.page.getByRole('heading', { level: 2, name: "The family's history" }), "the family's history");
    const nfaReason = j.page.getByLabel('The reason for no further action', { exact: true });
    const lead = j.page.getByLabel('The lead professional', { exact: true });
    assert.equal(await nfaReason.isVisible(), false, 'no outcome chosen: its questions are hidden');
    await option('radio', 'What happens next?', 'No further action').check();
    await expectVisible(nfaReason, 'the reason for no further action, once chosen');
    assert.equal(await lead.isVisible(), false, 'another outcome\'s question stays hidden');
    await option('radio', 'Level of need on the Continuum', 'Level 2: Early Family Help').check();
    await nfaReason.fill('Seen by the GP; an accidental injury.');
    await j.page.getByLabel('Rationale', { exact: true }).fill(RATIONALE);
    await j.navigate(() => j.page.getByRole('button', { name: 'Record decision', exact: true }).click());
    expectPath(j.page, `/requests/${requestId}`, '?done=held');
    await expectBanner(j.page, 'a manager must confirm it');
  });

  await j.step(`as ${DEMO.manager.email}, confirm it from "My work"`, async () => {
    await j.newContext();
    await signIn(j, DEMO.manager);
    await j.navigate(() => j.page.locator(`#tasks ~ ul a[href="/requests/${requestId}"]`).click());
    expectPath(j.page, `/requests/${requestId}`);
    await expectText(j.page.getByRole('main'), RATIONALE, 'the held decision');
    await option('radio', 'Do you confirm this decision?', 'Confirm: the decision takes effect').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Save your answer', exact: true }).click());
    expectPath(j.page, '/front-door');
    await expectBanner(j.page, 'Decision confirmed.');
  });

  await j.step(`as ${DEMO.frontDoor.email}, the confirmed decision and its rationale are on the request`, async () => {
    await j.newContext();
    await signIn(j, DEMO.frontDoor);
    await j.visit(`/requests/${requestId}`);
    await expectText(j.page.getByRole('main'), RATIONALE, 'the request');
    await expectText(j.page.getByRole('main'), 'Confirmed by Morgan Manager', 'the request');
  });
});
