// An analyst builds the quarterly report to the boards from the partnership dashboard's
// figures, writes its sections (a gap stops publishing, saying which), publishes it, reads it
// with its figures frozen and downloads it as a PDF.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expectH1, expectPath, expectVisible, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, expectProblems, signIn } from '../lib/hearth.js';

journey('analyst builds and publishes the quarterly report to the boards and downloads its PDF', async (j) => {
  const { page } = j;
  const title = `Family Help quarterly report ${RUN_ID}`;

  await j.step(`sign in as ${DEMO.analyst.email}`, () => signIn(j, DEMO.analyst));

  await j.step('open the quarterly reports from the partnership dashboard', async () => {
    await j.visit('/reports');
    await j.navigate(() => page.getByRole('link', { name: 'Quarterly reports to the boards' }).click());
    await expectH1(page, 'Quarterly reports to the boards');
  });

  await j.step('start a report for the quarter just ended', async () => {
    // The quarter just ended is chosen already.
    assert.notEqual(await page.getByLabel('Quarter the report is about').inputValue(), '');
    await j.navigate(() => page.getByRole('button', { name: 'Start a report' }).click());
    expectPath(page, /^\/reports\/board\/[0-9a-f-]+\/edit$/);
    await expectH1(page, 'Write the report');
  });

  await j.step('write the sections, leaving the worries for now, and try to publish', async () => {
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Summary').fill('More families asked for help, and most were decided on time.');
    await page.getByLabel('What is going well').fill('Decisions on time are above target.');
    await page.getByLabel('What we will do').fill('Audit ten re-requests by the end of the next quarter (quality lead).');
    await j.navigate(() => page.getByRole('button', { name: 'Publish the report' }).click());
    await expectProblems(page, { worries: 'Write the section “What we are worried about” before publishing the report' });
    assert.equal(await page.getByLabel('Summary').inputValue(), 'More families asked for help, and most were decided on time.', 'what was typed is kept');
  });

  await j.step('save the draft, then read it with today’s figures', async () => {
    await page.getByLabel('What we are worried about').fill('Re-requests within a year are rising.');
    await j.navigate(() => page.getByRole('button', { name: 'Save the draft' }).click());
    await expectBanner(page, 'Your changes are saved.');
    await expectH1(page, title);
    await expectVisible(page.getByText(/^Draft: the figures are the record/), 'the draft says its figures change');
    await expectVisible(page.getByRole('heading', { name: 'Requests for support received' }), 'the figures');
  });

  await j.step('publish the report', async () => {
    await j.navigate(() => page.getByRole('link', { name: 'Write or publish the report' }).click());
    await j.navigate(() => page.getByRole('button', { name: 'Publish the report' }).click());
    await expectBanner(page, 'The report is published.');
    await expectVisible(page.getByText(/^Published .* The figures are as they were on that day/), 'the published standing');
    assert.equal(await page.getByRole('link', { name: 'Write or publish the report' }).count(), 0, 'no more writing');
    await expectVisible(page.getByRole('heading', { name: 'What we are worried about' }), 'the sections');
    await expectVisible(page.getByText('Re-requests within a year are rising.'), 'the worries as written');
  });

  await j.step('download the report as a PDF', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the report (PDF)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^board-report-\d{4}-Q\d\.pdf$/);
    const pdf = fs.readFileSync(await download.path());
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
    // Read as a viewer reads it (poppler's pdftotext, scripts/install-test-deps.sh --pdf).
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');
    assert.ok(text.includes('Re-requests within a year are rising.'), 'the worries are in the PDF');
    assert.ok(text.includes('Requests for support received'), 'the figures are in the PDF');
  });

  await j.step('the list shows the report as published', async () => {
    await j.navigate(() => page.getByRole('link', { name: 'All reports' }).click());
    const row = page.locator('table.govuk-table tbody tr').filter({ hasText: title });
    await expectVisible(row, 'the report in the list');
    assert.match(await row.innerText(), /Published/);
  });
});
