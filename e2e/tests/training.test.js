// Training (ADR 0048): the health visitor reads her own training from her account — what the
// partnership requires of her, what is done, and Signs of Safety running out soon; the team
// manager opens the team's training from their team page, records a course for a worker
// (first without choosing the course: the problem is named and what was typed kept), and sees
// it recorded with their name; the analyst reads the workforce report and downloads it as CSV.
// Every page is checked with axe.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectText, journey } from '../lib/journey.js';
import { DEMO, expectBanner, expectProblems, fillToday, openFromNavigation, signIn, signOut } from '../lib/hearth.js';

journey('training: a practitioner\'s own, a manager records the team\'s, and the workforce report', async (j) => {
  const press = (name) => j.navigate(() => j.page.getByRole('button', { name, exact: true }).click());

  await j.step(`${DEMO.practitioner.email} reads her training from her account`, async () => {
    await signIn(j, DEMO.practitioner);
    await j.visit('/account/password');
    await j.navigate(() => j.page.getByRole('link', { name: 'your training' }).click());
    expectPath(j.page, '/account/training');
    await expectH1(j.page, 'Your training');
    const courses = j.page.getByRole('table', { name: 'Courses' });
    const row = (name) => courses.getByRole('row').filter({ has: j.page.getByRole('rowheader', { name, exact: true }) });
    await expectText(row('Signs of Safety'), 'Due soon', 'Signs of Safety, running out in three weeks');
    await expectText(row('Early Help induction'), 'Done', 'the induction');
    await expectText(row('Trauma Aware practice'), 'Not done', 'Trauma Aware practice');
    await expectText(j.page.getByRole('main'), 'Ask your Hearth administrator', 'whom to ask');
    assert.equal(await j.page.getByRole('button', { name: 'Record the course' }).count(), 0, 'nobody records their own');
    await signOut(j);
  });

  await j.step(`${DEMO.manager.email} opens the team's training from the team page`, async () => {
    await signIn(j, DEMO.manager);
    await openFromNavigation(j, 'Your team');
    await j.navigate(() => j.page.getByRole('link', { name: "Your team's training", exact: true }).click());
    expectPath(j.page, '/team/training');
    await expectH1(j.page, "Your team's training");
    await j.navigate(() => j.page.getByRole('link', { name: DEMO.worker.name, exact: true }).click());
    await expectH1(j.page, `${DEMO.worker.name}'s training`);
  });

  await j.step('record a course without choosing it: the problem is named, nothing typed lost', async () => {
    await fillToday(j.page, 'When was it done?');
    await j.page.getByLabel('Evidence seen (optional)', { exact: true }).fill('Register of the event, 2 pages');
    const response = await press('Record the course');
    assert.equal(response.status(), 422);
    await expectProblems(j.page, { course: 'Choose the course from the list' });
    assert.equal(await j.page.getByLabel('Evidence seen (optional)', { exact: true }).inputValue(), 'Register of the event, 2 pages');
  });

  await j.step('choose the course and record it', async () => {
    await j.page.getByLabel('Course', { exact: true }).selectOption({ label: 'Six-monthly practice development event' });
    await press('Record the course');
    await expectBanner(j.page, 'The training has been recorded.');
    await expectText(j.page.getByRole('main'), `Recorded by ${DEMO.manager.name}`, 'who recorded it');
    await expectText(j.page.getByRole('main'), 'Register of the event, 2 pages', 'the evidence');
    await signOut(j);
  });

  await j.step(`${DEMO.analyst.email} reads the workforce report and downloads it`, async () => {
    await signIn(j, DEMO.analyst);
    await j.visit('/reports/training?by=organisation');
    await expectH1(j.page, 'Training across the partnership');
    const report = j.page.getByRole('table', { name: /By course and organisation/ });
    await expectText(report, 'Signs of Safety', 'the report');
    const [download] = await Promise.all([
      j.page.waitForEvent('download'),
      j.page.getByRole('link', { name: 'Download as CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'training.csv');
  });
});
