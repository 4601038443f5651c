// Retention, erasure and restriction: the data protection officer reads the retention schedule,
// lists what is due, reviews and approves the run (nothing is removed until the daily job
// carries it out); a lead professional adds a child, and the officer logs an erasure request
// about her and refuses it under the safeguarding exemption, with reasons.

import { expectH1, expectPath, expectText, journey } from '../lib/journey.js';
import { DEMO, expectBanner, expectProblems, openFromNavigation, signIn } from '../lib/hearth.js';

const CHILD = { first: 'Philippa', last: 'Thornbury-Kestrel', name: 'Philippa Thornbury-Kestrel' };

journey('retention run approved and an erasure request decided', async (j) => {
  await j.step(`as ${DEMO.dpo.email}, read the schedule, list what is due and approve the run`, async () => {
    await signIn(j, DEMO.dpo);
    await j.navigate(() => j.page.getByRole('link', { name: 'Subject access', exact: true }).click());
    await j.navigate(() => j.page.getByRole('link', { name: /^Retention/ }).click());
    await expectH1(j.page, 'Retention');
    await expectText(j.page.locator('#schedule + table'), 'kept until the youngest child in the family is 25', 'the schedule');
    await j.navigate(() => j.page.getByRole('button', { name: 'List what is due now' }).click());
    expectPath(j.page, /^\/information-rights\/retention\/[^/]+$/);
    await expectH1(j.page, /^Retention run of /);
    await j.navigate(() => j.page.getByRole('button', { name: 'Approve this run' }).click());
    await expectBanner(j.page, 'Run approved');
    await expectText(j.page.locator('.govuk-caption-l'), 'Approved', 'the run');
  });

  await j.step(`as ${DEMO.lead.email}, add ${CHILD.name}`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    await j.navigate(() => j.page.getByRole('button', { name: 'Add a new person', exact: true }).click());
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(CHILD.last);
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    expectPath(j.page, /^\/people\/[^/]+$/);
  });

  await j.step(`as ${DEMO.dpo.email}, log an erasure request and refuse it under the safeguarding exemption`, async () => {
    await j.newContext();
    await signIn(j, DEMO.dpo);
    await j.visit('/information-rights/erasure');
    await expectH1(j.page, 'Erasure and restriction requests');
    await j.navigate(() => j.page.getByRole('button', { name: 'Log an erasure or restriction request' }).click());
    await j.page.getByLabel('Name of the person the request is about').fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Find the person' }).click());
    await j.page.getByLabel(new RegExp(CHILD.name)).first().check();
    await j.page.getByLabel('Erasure (Article 17)').check();
    await j.page.getByLabel('Who made the request').fill('Her father');
    await j.page.getByLabel('What they asked for and why, in their words').fill('He wants the school referral deleted');
    const today = new Date();
    const received = j.page.getByRole('group', { name: 'Date the request was received' });
    await received.getByLabel('Day').fill(String(today.getDate()));
    await received.getByLabel('Month').fill(String(today.getMonth() + 1));
    await received.getByLabel('Year').fill(String(today.getFullYear()));
    await j.navigate(() => j.page.getByRole('button', { name: 'Log the request' }).click());
    expectPath(j.page, /^\/information-rights\/erasure\/[^/]+$/);
    await expectH1(j.page, CHILD.name);

    await j.page.getByLabel('Refuse').check();
    await j.page.getByLabel('Reasons for the decision').fill('A child protection enquiry relies on this record');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record the decision' }).click());
    await expectProblems(j.page, { exemptions: 'Select the exemption the refusal rests on' });
    await j.page.getByLabel('Refuse').check();
    await j.page.getByLabel('Safeguarding: needed to protect a child').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Record the decision' }).click());
    await expectH1(j.page, CHILD.name);
    const summary = j.page.locator('.govuk-summary-list');
    await expectText(summary, 'Refused', 'the decision');
    await expectText(summary, 'Safeguarding: needed to protect a child', 'the exemption');
    await expectText(summary, 'A child protection enquiry relies on this record', 'the reasons');
  });
});
