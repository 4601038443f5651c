// Documents and letters (ADR 0043): a lead professional uploads a signed consent form to a
// family's episode, where it is checked for viruses by the real clamd scripts/e2e.sh starts;
// the EICAR test file is refused with a message and not kept; the family plan comes out as a
// PDF in Arabic, read back with pdftotext, and is kept on the episode as a letter.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expectH1, expectPath, expectStatus, journey } from '../lib/journey.js';
import { DEMO, expectBanner, expectProblems, signIn } from '../lib/hearth.js';

// The EICAR anti-virus test file: harmless, and reported by every scanner as infected.
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const CONSENT = Buffer.from('%PDF-1.4\n% Consent to share information, signed\n%%EOF\n');

journey('a lead uploads a signed consent, the EICAR file is refused, and the plan comes out in Arabic', async (j) => {
  const { page } = j;
  let documentsPath;
  const upload = async (kind, title, file) => {
    await page.getByRole('group', { name: 'What is it?' }).getByLabel(kind, { exact: true }).check();
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('Upload a file').setInputFiles(file);
    return j.navigate(() => page.getByRole('button', { name: 'Upload and check the document' }).click());
  };

  await j.step(`sign in as ${DEMO.lead.email} and open a family's documents`, async () => {
    await signIn(j, DEMO.lead);
    const caseload = page.getByRole('table', { name: 'Families you lead' });
    await j.navigate(() => caseload.getByRole('link').first().click());
    expectPath(page, /^\/episodes\/[^/]+$/);
    await j.navigate(() => page.getByRole('link', { name: 'Documents and letters' }).click());
    expectPath(page, /^\/episodes\/[^/]+\/documents$/);
    documentsPath = new URL(page.url()).pathname;
    await expectH1(page, 'Documents');
  });

  await j.step('upload the signed consent form', async () => {
    await upload('Signed consent', 'Consent to share, signed by the family', {
      name: 'consent.pdf', mimeType: 'application/pdf', buffer: CONSENT,
    });
    await expectBanner(page, 'The document has been checked for viruses and saved.');
    const row = page.locator('table.govuk-table tbody tr').filter({ hasText: 'Consent to share, signed by the family' });
    assert.equal(await row.count(), 1, 'the consent is listed');
  });

  await j.step('the EICAR file is refused with a message, and not kept', async () => {
    const response = await upload('Report', 'A report from a partner', {
      name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from(EICAR),
    });
    expectStatus(response, 422);
    await expectProblems(page, {
      file: /The selected file contains a virus \(.+\)\. It has not been saved/,
    });
    assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'A report from a partner', 'the title typed is kept');
    await j.visit(documentsPath);
    assert.equal(await page.locator('table.govuk-table tbody tr').filter({ hasText: 'A report from a partner' }).count(), 0, 'nothing was kept');
  });

  await j.step('download the consent back', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Consent to share, signed by the family/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'consent.pdf');
    assert.deepEqual(fs.readFileSync(await download.path()), CONSENT);
  });

  await j.step('make the family plan as a PDF in Arabic', async () => {
    await page.getByRole('group', { name: 'Which letter?' }).getByLabel('The family plan', { exact: true }).check();
    await page.getByLabel('In which language?').selectOption({ label: 'Arabic' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Make the letter' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'family-plan-ar.pdf');
    const pdf = fs.readFileSync(await download.path());
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
    for (const words of ['خطة', 'عائلتك', 'الخطة']) {
      assert.ok(text.includes(words), `${words} in the letter: ${text}`);
    }
    await j.visit(documentsPath);
    const row = page.locator('table.govuk-table tbody tr').filter({ hasText: 'The family plan (Arabic)' });
    assert.equal(await row.count(), 1, 'the letter is kept on the episode');
  });
});
