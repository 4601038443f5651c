// An episode of Family Help: the lead professional opens a family from their caseload, writes
// a case note (after a mistake), brings a health practitioner into the Team Around the Family,
// who adds a note of their own; the lead steps the help up to Targeted Family Help; the
// team manager allocates a Family Help Worker from their tasks; the worker steps it back down
// to the school's lead professional; the lead records the closure and the manager signs it
// off; the closed episode is read-only. A practitioner outside the TAF is refused the episode.
// Every page is checked with axe.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectStatus, expectText, journey } from '../lib/journey.js';
import { DEMO, expectBanner, expectProblems, signIn } from '../lib/hearth.js';

const today = () => {
  const d = new Date();
  return [d.getDate(), d.getMonth() + 1].map((n) => String(n).padStart(2, '0')).concat(d.getFullYear()).join('/');
};

journey('an episode from caseload to closure', async (j) => {
  let episodePath;

  const option = (role, legend, name) =>
    j.page.getByRole('group', { name: legend, exact: true }).getByRole(role, { name, exact: true });
  const press = (name) => j.navigate(() => j.page.getByRole('button', { name, exact: true }).click());
  const openEpisode = async () => {
    const response = await j.visit(episodePath);
    expectStatus(response, 200);
  };

  await j.step(`sign in as ${DEMO.lead.email} and open a family from the caseload`, async () => {
    await signIn(j, DEMO.lead);
    const caseload = j.page.getByRole('table', { name: 'Families you lead' });
    await j.navigate(() => caseload.getByRole('link').first().click());
    expectPath(j.page, /^\/episodes\/[^/]+$/);
    episodePath = new URL(j.page.url()).pathname;
    await expectText(j.page.getByRole('main'), 'Early Family Help', 'the episode page');
  });

  await j.step('save a note with no text: the problem is named and the date typed is kept', async () => {
    await option('radio', 'What kind of contact was it?', 'Visit').check();
    await j.page.getByLabel('When did it happen?', { exact: true }).fill(today());
    const response = await press('Save note');
    expectStatus(response, 422);
    await expectProblems(j.page, { body: 'Enter what happened' });
    assert.equal(await j.page.getByLabel('When did it happen?', { exact: true }).inputValue(), today());
  });

  await j.step('write the note', async () => {
    await j.page.getByLabel('What happened', { exact: true }).fill('Home visit: the children were settled and proud of their reading.');
    await press('Save note');
    await expectBanner(j.page, 'Your note has been added.');
    await expectText(j.page.getByRole('main'), 'proud of their reading', 'the latest notes');
  });

  await j.step(`${DEMO.practitioner.email} outside the TAF is refused the episode`, async () => {
    await j.newContext();
    await signIn(j, DEMO.practitioner);
    const response = await j.visit(episodePath);
    expectStatus(response, 403);
  });

  await j.step(`as the lead, add ${DEMO.practitioner.name} to the Team Around the Family`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await openEpisode();
    await j.page.getByText('Add someone to the team', { exact: true }).click();
    await j.page.getByLabel('Who is joining?', { exact: true }).selectOption({ label: `${DEMO.practitioner.name} (${DEMO.practitioner.email})` });
    await j.page.getByLabel('Their role in the team', { exact: true }).fill('Health visitor');
    await press('Add to the team');
    await expectBanner(j.page, 'They have joined the Team Around the Family.');
  });

  await j.step('the health visitor, now in the TAF, adds a note', async () => {
    await j.newContext();
    await signIn(j, DEMO.practitioner);
    await openEpisode();
    await option('radio', 'What kind of contact was it?', 'Phone call').check();
    await j.page.getByLabel('What happened', { exact: true }).fill('Called mum: the baby is feeding well.');
    await press('Save note');
    await expectBanner(j.page, 'Your note has been added.');
  });

  await j.step('the lead steps the help up to Targeted Family Help with a handover', async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await openEpisode();
    await option('radio', "Move the family's help to", 'Targeted Family Help').check();
    await option('radio', 'For Targeted Family Help: which service?', 'Core service').check();
    await j.page.getByLabel('Handover summary', { exact: true }).fill('Needs have grown since the summer; mum asked for more help.');
    await press('Step up');
    await expectBanner(j.page, "The family's help has moved. The receiving team has been told.");
  });

  await j.step(`${DEMO.manager.email} allocates a Family Help Worker from their tasks`, async () => {
    await j.newContext();
    await signIn(j, DEMO.manager);
    await j.navigate(() => j.page.locator(`a[href="${episodePath}"]`).first().click());
    expectPath(j.page, episodePath);
    await j.page.getByLabel('Who will be the family help worker?', { exact: true }).selectOption({ label: `${DEMO.worker.name} (${DEMO.worker.email})` });
    await press('Allocate');
    await expectBanner(j.page, 'The episode has been allocated.');
  });

  await j.step(`${DEMO.worker.email} steps it back down to the school's lead professional`, async () => {
    await j.newContext();
    await signIn(j, DEMO.worker);
    await openEpisode();
    await expectText(j.page.getByRole('main'), 'mum asked for more help', 'the handover');
    await option('radio', "Move the family's help to", 'Early Family Help').check();
    await j.page.getByLabel('For Early Family Help: who will be the lead professional?', { exact: true }).selectOption({ label: `${DEMO.lead.name} (${DEMO.lead.email})` });
    await j.page.getByLabel('Handover summary', { exact: true }).fill('Calmer now; school will lead again.');
    await press('Step down');
    await expectBanner(j.page, "The family's help has moved. The receiving team has been told.");
  });

  await j.step("the worker reads the family's chronology: the story in one place", async () => {
    await j.navigate(() => j.page.getByRole('link', { name: 'chronology' }).first().click());
    await expectH1(j.page, 'Chronology');
    for (const text of ['Stepped up', 'Stepped down', 'proud of their reading', 'feeding well']) {
      await expectText(j.page.getByRole('main'), text, 'the chronology');
    }
  });

  await j.step('the lead records the closure, every need with its result', async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await openEpisode();
    await option('radio', "Why is the family's help ending?", 'Outcomes met').check();
    const needs = j.page.locator('fieldset').filter({ hasText: 'how far was the need met?' });
    for (let i = 0; i < (await needs.count()); i += 1) {
      await needs.nth(i).getByRole('radio', { name: 'Achieved', exact: true }).check();
    }
    await j.page.getByLabel('Closure summary', { exact: true }).fill('The family are managing well and know where to go for help.');
    await press('Record the closure');
    await expectBanner(j.page, 'The closure has been recorded and sent for sign-off.');
  });

  await j.step(`${DEMO.manager.email} signs off the closure`, async () => {
    await j.newContext();
    await signIn(j, DEMO.manager);
    await openEpisode();
    await press('Sign off the closure');
    await expectBanner(j.page, 'The closure has been signed off. The episode has ended.');
  });

  await j.step('the closed episode is read-only for its lead', async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await openEpisode();
    await expectText(j.page.getByRole('main'), 'Closed', 'the episode page');
    assert.equal(await j.page.getByRole('button', { name: 'Save note', exact: true }).count(), 0, 'no note form on a closed episode');
  });
}, { timeout: 300_000 });
