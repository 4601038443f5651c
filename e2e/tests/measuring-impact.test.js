// An analyst opens the partnership's dashboard, narrows it to one Family Hub's locality and to
// Urdu speakers, opens the records behind a figure (a count: an analyst opens no family's
// record), and downloads the figures as CSV.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { expectH1, expectPath, expectVisible, journey } from '../lib/journey.js';
import { DEMO, signIn } from '../lib/hearth.js';

journey('analyst filters the partnership dashboard, drills into a figure and exports it', async (j) => {
  const { page } = j;

  await j.step(`sign in as ${DEMO.analyst.email}`, () => signIn(j, DEMO.analyst));

  await j.step('open Measuring impact from the service navigation', async () => {
    // The dashboard's h1 is its scope ("The partnership"), under the caption "Measuring impact".
    const nav = page.locator('.govuk-service-navigation');
    await j.navigate(() => nav.getByRole('link', { name: 'Measuring impact', exact: true }).click());
    await expectH1(page, 'The partnership');
    assert.equal(await nav.locator('[aria-current]').innerText(), 'Measuring impact', 'the current item in the navigation');
    await expectVisible(page.getByRole('heading', { name: 'Requests for support received' }), 'the first indicator');
    // The trend is an image a screen reader reads as one, with every quarter's figure.
    const chart = page.getByRole('img', { name: /Requests for support received, by quarter/ });
    // An SVG has no innerText: wait for it to show, and check there is one.
    await chart.waitFor({ state: 'visible' });
    assert.equal(await chart.count(), 1, 'one chart for the indicator');
  });

  await j.step('filter to the Hyson Green locality and Urdu speakers', async () => {
    await page.getByLabel('Locality (Family Hub area)').selectOption({ label: 'Hyson Green' });
    await page.getByLabel('First language').selectOption({ label: 'Urdu' });
    await j.navigate(() => page.getByRole('button', { name: 'Show the figures' }).click());
    expectPath(page, '/reports', /locality=Hyson\+Green.*language=Urdu/);
    assert.equal(await page.getByLabel('First language').inputValue(), 'Urdu');
  });

  await j.step('open the records behind the latest quarter’s requests', async () => {
    const table = page.locator('section', { has: page.getByRole('heading', { name: 'Requests for support received' }) }).locator('table');
    const latest = table.locator('tbody tr').last().getByRole('link');
    await j.navigate(() => latest.click());
    expectPath(page, '/reports/drill', /kpi=requests.*language=Urdu/);
    await expectVisible(page.getByText(/only their number is shown|Records behind the figure/), 'the count of records');
    await j.navigate(() => page.getByRole('link', { name: 'Back to the dashboard' }).click());
    expectPath(page, '/reports', /language=Urdu/);
  });

  await j.step('download the filtered figures as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these figures (CSV)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^hearth-partnership-\d{4}-Q\d\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith('indicator,title,quarter,figure,'), csv.slice(0, 80));
    assert.ok(csv.includes('\r\nrequests,Requests for support received,'), 'the requests indicator is exported');
  });
});
