// The analyst produces the returns an inspection asks for: Ofsted's Annex A lists as a
// workbook for the inspection date, after a date that does not exist comes back with what to
// fix, and a table of the Standard Safeguarding Dataset as CSV. A lead professional has no
// such page.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { expectH1, expectStatus, expectText, journey } from '../lib/journey.js';
import { DEMO, openFromNavigation, signIn, signOut } from '../lib/hearth.js';

journey('the analyst downloads Annex A and the safeguarding dataset', async (j) => {
  const page = () => j.page;

  await j.step(`sign in as ${DEMO.analyst.email}`, () => signIn(j, DEMO.analyst));

  await j.step('open Returns from the navigation', async () => {
    await openFromNavigation(j, 'Returns');
    await expectText(page().getByRole('main'), 'never a name or an address', 'the returns page');
  });

  await j.step('a date that does not exist comes back with what to fix', async () => {
    const on = page().getByRole('group', { name: 'Date of the inspection' });
    await on.getByLabel('Day').fill('31');
    await on.getByLabel('Month').fill('2');
    await on.getByLabel('Year').fill('2026');
    await j.navigate(() => page().getByRole('button', { name: 'Download Annex A (spreadsheet)' }).click());
    assert.ok((await page().title()).startsWith('Error: '), 'the title says there is an error');
    const summary = page().locator('.govuk-error-summary');
    await expectText(summary, 'Date of the inspection must be a real date', 'the error summary');
    assert.equal(await page().getByRole('group', { name: 'Date of the inspection' }).getByLabel('Day').inputValue(), '31', 'what was typed is kept');
  });

  await j.step('the lists for a real date download as a workbook', async () => {
    const on = page().getByRole('group', { name: 'Date of the inspection' });
    await on.getByLabel('Day').fill('28');
    const [download] = await Promise.all([
      page().waitForEvent('download'),
      page().getByRole('button', { name: 'Download Annex A (spreadsheet)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'annex-a-2026-02-28.xlsx');
    const bytes = fs.readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx file (a zip)');
  });

  await j.step('a table of the dataset downloads as CSV', async () => {
    const [download] = await Promise.all([
      page().waitForEvent('download'),
      page().getByRole('button', { name: 'Download ssd_early_help_episodes.csv' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^ssd_early_help_episodes-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith('earl_episode_id,earl_person_id,earl_episode_start_date'), csv.slice(0, 200));
    assert.ok(csv.split('\r\n').length > 2, 'the demo families are in it');
  });

  await j.step('sign out', () => signOut(j));

  await j.step(`a lead professional has no Returns page (${DEMO.lead.email})`, async () => {
    await signIn(j, DEMO.lead);
    const nav = page().locator('.govuk-service-navigation');
    assert.equal(await nav.getByRole('link', { name: 'Returns', exact: true }).count(), 0, 'no Returns in the lead\'s navigation');
    const response = await j.visit('/returns');
    expectStatus(response, 403);
    await expectH1(page(), 'You do not have permission to see this page');
  });
});
