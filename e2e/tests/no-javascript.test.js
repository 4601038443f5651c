// Hearth works without JavaScript: sign in and add an organisation.

import assert from 'node:assert/strict';
import { expectH1, expectPath, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, openFromNavigation, signIn, tableRow } from '../lib/hearth.js';

const ORG = `E2E No-JS Housing ${RUN_ID}`;

journey('no JavaScript', async (j) => {
  const { page } = j;

  await j.step(`sign in as ${DEMO.admin.email} with JavaScript off`, async () => {
    await signIn(j, DEMO.admin);
    const enhanced = await page.evaluate(() => document.body.className);
    assert.ok(!/govuk-frontend-supported/.test(enhanced), 'JavaScript should be off in this context');
  });

  await j.step('add an organisation', async () => {
    await openFromNavigation(j, 'Organisations');
    await j.navigate(() => page.getByRole('button', { name: 'Add an organisation' }).click());
    await expectH1(page, 'Add an organisation');
    await page.getByLabel('Name', { exact: true }).fill(ORG);
    await page.getByLabel('Type of organisation').selectOption({ label: 'Housing' });
    await j.navigate(() => page.getByRole('button', { name: 'Save organisation' }).click());
    expectPath(page, '/admin/organisations');
    await expectBanner(page, 'Organisation created.');
    const row = await tableRow(page, ORG);
    assert.match(row, /Housing/, `the row should say the type: ${row}`);
  });
}, { contextOptions: { javaScriptEnabled: false } });
