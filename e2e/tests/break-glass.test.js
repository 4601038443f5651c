// Break-glass: a team manager with no part in a family's help finds a child out of hours, gives
// too short a reason and is told what to fix, then opens the record with a real one; the page
// says how it was opened, and the data protection officer finds it in the break-glass report.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectStatus, expectText, expectVisible, journey } from '../lib/journey.js';
import { DEMO, expectBanner, expectProblems, openFromNavigation, signIn, tableRow } from '../lib/hearth.js';

const CHILD = { first: 'Noor', last: 'Zielinska-Haddad', name: 'Noor Zielinska-Haddad' };
const REASON = 'Police called at 2am: Noor found alone at home, mother not answering';

journey('break-glass', async (j) => {
  let personId;

  await j.step(`as ${DEMO.lead.email}, add ${CHILD.name} to the record`, async () => {
    await signIn(j, DEMO.lead);
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    await j.navigate(() => j.page.getByRole('button', { name: 'Add a new person', exact: true }).click());
    await expectH1(j.page, 'Add a person');
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(CHILD.last);
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    expectPath(j.page, /^\/people\/[^/]+$/);
    personId = new URL(j.page.url()).pathname.split('/').pop();
    await expectBanner(j.page, 'Person added.');
  });

  await j.step(`as ${DEMO.manager.email}, the record shows only who is involved`, async () => {
    await j.newContext();
    await signIn(j, DEMO.manager);
    const response = await j.visit(`/people/${personId}`);
    expectStatus(response, 200);
    await expectText(j.page.getByRole('main').locator('.govuk-caption-l'), 'Contact search', 'the caption');
  });

  await j.step('break the glass with too short a reason: told what to fix', async () => {
    await j.page.getByText('Open the record in an emergency (break the glass)').click();
    await j.page.getByLabel('Why must you open this record now?').fill('urgent');
    await j.navigate(() => j.page.getByRole('button', { name: 'Break the glass and open the record' }).click());
    await expectProblems(j.page, {
      reason: 'Say why you must open this record now, in a sentence or more (at least 10 characters)',
    });
    assert.equal(
      await j.page.getByLabel('Why must you open this record now?').inputValue(),
      'urgent',
      'the reason typed should be kept',
    );
  });

  await j.step('break the glass with a reason: the record opens and says how', async () => {
    await j.page.getByLabel('Why must you open this record now?').fill(REASON);
    await j.navigate(() => j.page.getByRole('button', { name: 'Break the glass and open the record' }).click());
    expectPath(j.page, `/people/${personId}`);
    await expectH1(j.page, CHILD.name);
    await expectText(j.page.getByRole('main'), 'You opened this record by breaking the glass', 'the warning');
  });

  await j.step(`as ${DEMO.dpo.email}, the break-glass report lists it with the reason`, async () => {
    await j.newContext();
    await signIn(j, DEMO.dpo);
    await expectVisible(j.page.getByRole('heading', { level: 2, name: 'Tasks' }), 'the review task');
    await openFromNavigation(j, 'Break-glass openings');
    await expectH1(j.page, 'Break-glass openings');
    const row = await tableRow(j.page, CHILD.name);
    assert.ok(row.includes(DEMO.manager.name), `the row should name the manager: ${row}`);
    assert.ok(row.includes('Police called at 2am'), `the row should give the reason: ${row}`);
  });
});
