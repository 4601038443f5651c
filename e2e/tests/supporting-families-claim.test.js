// Supporting Families claims and the data return (ADR 0046): the programme lead opens the
// dashboard, then this quarter, and sees which families count and why the Haddads do not (no
// Team Around the Family); makes the claim, is told to audit the sample before signing off;
// the internal auditor gives the verdict on the sampled family and is refused the sign-off
// (someone other than the auditor signs off), and the lead signs the claim off. The data return is not
// downloadable while a family has a problem: each is explained, then the CSV downloads with
// no names in it. A practitioner is refused the quarter. Every page is checked with axe.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { expectH1, expectStatus, expectText, journey } from '../lib/journey.js';
import { DEMO, expectBanner, expectProblems, signIn } from '../lib/hearth.js';

journey('supporting families: the programme lead claims the quarter and sends the return', async (j) => {
  let quarter;

  await j.step(`${DEMO.programme.email} opens the dashboard`, async () => {
    await signIn(j, DEMO.programme);
    // The menu's "Supporting Families" opens the programme's dashboard.
    const menu = j.page.locator('.govuk-service-navigation').getByRole('navigation', { name: 'Menu' });
    await j.navigate(() => menu.getByRole('link', { name: 'Supporting Families', exact: true }).click());
    await expectH1(j.page, 'Supporting Families dashboard');
    const attached = Number(await j.page.locator('#families-attached').innerText());
    assert.ok(attached >= 4, `the demo's four families at least, not ${attached}`);
    await expectText(j.page.locator('#by-need'), 'Getting a good education', 'the table by outcome');
  });

  await j.step('this quarter: which families count, and why the Haddads do not', async () => {
    await j.navigate(() => j.page.locator('#quarters + ul a').first().click());
    quarter = new URL(j.page.url()).pathname;
    assert.match(quarter, /^\/programme\/quarters\/\d{4}-Q[1-4]$/);
    const counting = j.page.locator('.govuk-summary-card', { hasText: 'Tobi Adebayo' });
    await expectText(counting, 'Counts: achieved and sustained', 'an outcome that counts');
    await expectText(j.page.getByRole('main'), 'Zofia Kowalska', 'the second family that counts');
    const haddad = j.page.locator('.govuk-summary-card', { hasText: 'Yusuf Haddad' });
    await expectText(haddad, 'Missing: A Team Around the Family', 'what is missing');
    await expectText(haddad, 'Whole-family working was not all met', 'why it does not count');
  });

  await j.step('make the claim: the sample is drawn', async () => {
    await j.navigate(() => j.page.getByRole('button', { name: 'Make the claim', exact: true }).click());
    await expectBanner(j.page, 'The claim is made and its audit sample drawn.');
    await expectText(j.page.locator('#sample'), '1 of', 'one family in the sample');
  });

  await j.step('signing off before the sample is audited says what to do', async () => {
    await j.navigate(() => j.page.getByRole('button', { name: 'Sign off the claim', exact: true }).click());
    expectStatus(j.response, 422);
    await expectProblems(j.page, {
      sign_off: 'Give your verdict on every family in the sample: 1 still to audit',
    });
  });

  await j.step(`${DEMO.programmeAudit.email} gives the verdict on the sampled family`, async () => {
    await j.newContext();
    await signIn(j, DEMO.programmeAudit);
    await j.visit(quarter);
    const sampled = j.page.locator('.govuk-summary-card', { hasText: 'In the audit sample' });
    await sampled.getByRole('radio', { name: 'Upheld: the record bears the claim out' }).check();
    await j.navigate(() => sampled.getByRole('button', { name: /^Record the verdict/ }).click());
    await expectBanner(j.page, 'Your verdict is recorded.');
    await expectText(j.page.locator('#sign-off-by-another'), 'another programme lead signs it off', 'who signs off');
  });

  await j.step('the auditor may not sign off the sample they audited', async () => {
    await j.navigate(() => j.page.getByRole('button', { name: 'Sign off the claim', exact: true }).click());
    expectStatus(j.response, 422);
    await expectProblems(j.page, {
      sign_off: "You gave verdicts on this claim's sample, so another programme lead must sign it off",
    });
  });

  await j.step(`${DEMO.programme.email} signs the claim off`, async () => {
    await j.newContext();
    await signIn(j, DEMO.programme);
    await j.visit(quarter);
    await j.navigate(() => j.page.getByRole('button', { name: 'Sign off the claim', exact: true }).click());
    await expectBanner(j.page, 'The claim is signed off.');
    await expectText(j.page.locator('#signed-off'), 'Signed off', 'the claim');
  });

  await j.step("the data return: problems explained, then it downloads", async () => {
    await j.navigate(() => j.page.getByRole('link', { name: "The quarter's data return", exact: true }).click());
    await expectText(j.page.getByRole('main'), 'Supporting Families data return', 'the return page');
    await expectText(j.page.locator('#not-ready'), 'problems', 'not ready yet');
    const haddad = j.page.locator('.govuk-summary-card', { hasText: 'Yusuf Haddad' });
    await expectText(haddad, 'No Team Around the Family: add the professionals working with the family', 'what to fix');
    // Other journeys may have left families with problems too: explain each one.
    for (let i = 0; i < 40; i += 1) {
      const box = j.page.locator('textarea').first();
      if ((await box.count()) === 0) break;
      await box.fill('Worked with the school nurse, who was never added to the record');
      await j.navigate(() => j.page.getByRole('button', { name: /^Keep the explanation/ }).first().click());
      await expectBanner(j.page, 'The explanation is kept.');
    }
    await expectText(j.page.locator('#ready'), 'nothing left to fix', 'ready');
    const [download] = await Promise.all([
      j.page.waitForEvent('download'),
      j.page.getByRole('link', { name: 'Download the return (CSV)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^supporting-families-\d{4}-Q[1-4]\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith('family_reference,framework_version,attached_on'), csv.slice(0, 200));
    assert.ok(csv.includes('missing_team_around_the_family'), 'the explained problem is named');
    for (const name of ['Haddad', 'Adebayo', 'Kowalska']) {
      assert.ok(!csv.includes(name), `no names leave: ${name}`);
    }
  });

  await j.step(`${DEMO.practitioner.email} is refused the quarter`, async () => {
    await j.newContext();
    await signIn(j, DEMO.practitioner);
    expectStatus(await j.visit(quarter), 403);
  });
});
