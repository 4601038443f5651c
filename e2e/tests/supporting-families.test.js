// Supporting Families (ADR 0042): the lead finds the demo's six-month check of the Mensah
// family's closed episode in "My work", sees the family's standing at the start and, on the
// check, partners' data answering two outcomes (the school's attendance since closure, no new
// police notification); forgets to say whether the third lasted and is told what to fix, then
// answers with their evidence. The task leaves "My work". A practitioner from another team is
// refused the check. Every page is checked with axe.

import assert from 'node:assert/strict';
import { expectH1, expectStatus, expectText, journey } from '../lib/journey.js';
import { DEMO, expectBanner, expectProblems, signIn } from '../lib/hearth.js';

const TASK = "Were the family's outcomes sustained?: Amara Mensah";

journey('supporting families: the six-month check answered with data evidence', async (j) => {
  let check;

  await j.step(`${DEMO.lead.email} opens the check from My work`, async () => {
    await signIn(j, DEMO.lead);
    await j.navigate(() => j.page.getByRole('link', { name: TASK, exact: true }).click());
    await expectH1(j.page, 'Were the outcomes sustained?');
    check = new URL(j.page.url()).pathname;
    assert.match(check, /^\/episodes\/[^/]+\/sustainment$/);
  });

  await j.step("the family's standing at the start: three needs, with the data behind them", async () => {
    const episode = check.replace(/\/sustainment$/, '');
    expectStatus(await j.visit(`${episode}/programme`), 200);
    await expectH1(j.page, 'Supporting Families');
    await expectText(j.page.locator('#counts'), 'needs in 3 headline outcomes', 'in the programme');
    await expectText(j.page.getByRole('main'), 'Two or more domestic abuse notifications in 12 months', 'the police data');
    await expectText(j.page.getByRole('main'), 'Attendance under 90% in a term', "the school's data");
    expectStatus(await j.visit(check), 200);
  });

  await j.step("partners' data answers education and domestic abuse", async () => {
    const education = j.page.locator('#outcome-education');
    await expectText(education, '96.0%', 'a term since closure');
    await expectText(education, 'The school says she has not missed a day', 'the closure evidence');
    await expectText(j.page.locator('#outcome-domestic_abuse'), 'No new domestic abuse notification since closure', 'the police data');
    assert.equal(await j.page.getByRole('group', { name: 'Getting a good education: was it sustained?' }).count(), 0, 'data decides');
  });

  await j.step('forget the answer without data: told what to fix, what was typed kept', async () => {
    const evidence = j.page.getByLabel('Improved family relationships: what shows it', { exact: true });
    await evidence.fill('Mum says they have not argued in months');
    await j.navigate(() => j.page.getByRole('button', { name: 'Answer the check', exact: true }).click());
    expectStatus(j.response, 422);
    await expectProblems(j.page, {
      sustained_family_relationships: 'Say whether “Improved family relationships” was sustained',
    });
    assert.equal(await evidence.inputValue(), 'Mum says they have not argued in months');
  });

  await j.step('answer it: the check is recorded and leaves My work', async () => {
    await j.page
      .getByRole('group', { name: 'Improved family relationships: was it sustained?' })
      .getByRole('radio', { name: 'Yes, it lasted', exact: true })
      .check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Answer the check', exact: true }).click());
    await expectBanner(j.page, 'The sustainment check has been answered.');
    await expectText(j.page.locator('#outcome-education'), "Partners' data", 'whose word');
    await expectText(j.page.locator('#outcome-family_relationships'), "The practitioner's evidence", 'whose word');
    expectStatus(await j.visit('/'), 200);
    assert.equal(await j.page.getByRole('link', { name: TASK, exact: true }).count(), 0, 'the task is done');
  });

  await j.step(`${DEMO.practitioner.email}, of another team, is refused the check`, async () => {
    await j.newContext();
    await signIn(j, DEMO.practitioner);
    expectStatus(await j.visit(check), 403);
  });
});
