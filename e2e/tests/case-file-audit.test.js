// Case-file audits (issue 18, item 3). A school's lead asks for help and the front door opens
// Early Family Help; the team manager draws the latest case file into a sample, reads it and
// grades it question by question (a missing grade is named); the quality auditor, a second
// pair of eyes, changes the grade with reasons and sets the lead an action with a due date,
// which the lead marks done from their list.

import { expectH1, expectText, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, expectProblems, openFromNavigation, signIn } from '../lib/hearth.js';

const CHILD = { first: 'Wynn', last: `Audley${RUN_ID}`, name: `Wynn Audley${RUN_ID}` };
const QUALITY = { email: 'quality@demo.hearth.test', name: 'Quinn Quality' };
const QUESTIONS = ["The child's voice", 'Assessment', 'The plan', 'Progress and review', 'Management oversight'];

journey('case-file audit: the manager grades a file and a second auditor moderates', async (j) => {
  let requestId;
  const option = (role, legend, name) =>
    j.page.getByRole('group', { name: legend, exact: true }).getByRole(role, { name, exact: true });
  const today = new Date();

  await j.step(`as ${DEMO.lead.email}, ask for help for a child`, async () => {
    await signIn(j, DEMO.lead);
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    await j.navigate(() => j.page.getByRole('button', { name: 'Add a new person', exact: true }).click());
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(CHILD.last);
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    await expectBanner(j.page, 'Person added.');
    const childId = new URL(j.page.url()).pathname.split('/').pop();
    await j.visit(`/requests/new?person=${childId}`);
    await option('radio', 'Are you worried a child is at risk of significant harm?', 'No').check();
    await option('checkbox', 'What does the family need help with?', 'Secure housing').check();
    await j.page.getByLabel('Secure housing: what is happening, and for whom', { exact: true }).fill('Rent arrears; a notice may follow.');
    await j.page.getByLabel('What has the family been told about this request?', { exact: true }).fill('Dad asked the school for help.');
    await option('radio', 'Did the family agree to share their information with the partnership?', 'Yes, they agreed').check();
    await option('radio', 'How soon does the family need help?', 'Urgent: today').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Send request', exact: true }).click());
    requestId = new URL(j.page.url()).pathname.split('/').pop();
    await expectBanner(j.page, 'Your request has been sent to the front door.');
  });

  await j.step(`as ${DEMO.frontDoor.email}, open Early Family Help with the school's lead`, async () => {
    await j.newContext();
    await signIn(j, DEMO.frontDoor);
    await j.visit(`/requests/${requestId}/decide`);
    await option('radio', 'Level of need on the Continuum', 'Level 2: Early Family Help').check();
    await option('radio', 'What happens next?', 'Open Early Family Help with a lead professional').check();
    await j.page.getByLabel('The lead professional', { exact: true }).selectOption({ label: `${DEMO.lead.name} (Oakfield Primary School (demo))` });
    await j.page.getByLabel('Rationale', { exact: true }).fill('The school knows the family best.');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record decision', exact: true }).click());
  });

  await j.step(`as ${DEMO.manager.email}, draw the latest Early Family Help file and grade it`, async () => {
    await j.newContext();
    await signIn(j, DEMO.manager);
    await openFromNavigation(j, 'Case-file audits');
    await j.page.getByLabel('Level of help', { exact: true }).selectOption({ label: 'Early Family Help' });
    await option('radio', 'Which case files?', 'Open case files').check();
    for (const legend of ['Started on or after', 'Started on or before']) {
      const group = j.page.getByRole('group', { name: legend, exact: true });
      await group.getByLabel('Day', { exact: true }).fill(String(today.getDate()));
      await group.getByLabel('Month', { exact: true }).fill(String(today.getMonth() + 1));
      await group.getByLabel('Year', { exact: true }).fill(String(today.getFullYear()));
    }
    await j.page.getByLabel('How many case files?', { exact: true }).fill('1');
    await option('radio', 'How should they be chosen?', 'The most recently started').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Draw the sample', exact: true }).click());
    await expectBanner(j.page, '1 case file was drawn for audit.');
    await j.navigate(() => j.page.locator('table.govuk-table tbody tr').first().locator('a[href^="/quality/audits/"]').click());
    await expectH1(j.page, 'Case-file audit');
    await expectText(j.page.locator('.govuk-summary-list').first(), CHILD.name, 'the family of the file drawn');

    for (const q of QUESTIONS.slice(0, -1)) await option('radio', q, 'Good').check();
    await j.page.getByLabel('What did you find overall?', { exact: true }).fill('Warm, child-centred work; reviews are thin.');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record the grades', exact: true }).click());
    await expectProblems(j.page, { grade_management: 'Choose a grade for management oversight' });
    await option('radio', 'Management oversight', 'Requires improvement').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Record the grades', exact: true }).click());
    await expectBanner(j.page, 'The case file is graded.');
    await expectText(j.page.locator('#overall-grade'), 'Good', 'the overall grade by the rule');
    await expectText(j.page.locator('#moderate'), 'Moderation', 'moderation waits for a second auditor');
    await expectText(j.page.locator('main'), 'you cannot moderate your own audit', 'the first auditor cannot moderate');
  });

  await j.step(`as ${QUALITY.email}, moderate the grade with reasons and set the lead an action`, async () => {
    await j.newContext();
    await signIn(j, QUALITY);
    await openFromNavigation(j, 'Case-file audits');
    await j.navigate(() => j.page.locator('table.govuk-table tbody tr').filter({ hasText: 'To moderate' }).first().locator('a[href^="/quality/audits/"]').click());
    await expectText(j.page.locator('.govuk-summary-list').first(), CHILD.name, 'the same file');
    await option('radio', 'Do you agree with the grade?', 'Change it to Requires improvement').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Record the moderation', exact: true }).click());
    await expectProblems(j.page, { reasons: 'Say why the grade should change' });
    await option('radio', 'Do you agree with the grade?', 'Change it to Requires improvement').check();
    await j.page.getByLabel('Your reasons', { exact: true }).fill('No manager has recorded direction since the decision.');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record the moderation', exact: true }).click());
    await expectBanner(j.page, 'Your moderation is recorded.');
    await expectText(j.page.locator('#moderated-grade'), 'Requires improvement', 'the moderated grade');
    const due = new Date(today.getTime() + 14 * 86_400_000);
    await j.page.getByLabel('What should the worker do?', { exact: true }).fill(`Record the plan's review dates ${RUN_ID}`);
    const group = j.page.getByRole('group', { name: 'By when?', exact: true });
    await group.getByLabel('Day', { exact: true }).fill(String(due.getDate()));
    await group.getByLabel('Month', { exact: true }).fill(String(due.getMonth() + 1));
    await group.getByLabel('Year', { exact: true }).fill(String(due.getFullYear()));
    await j.navigate(() => j.page.getByRole('button', { name: 'Set the action', exact: true }).click());
    await expectBanner(j.page, "The action is on the worker's task list.");
  });

  await j.step(`as ${DEMO.lead.email}, find the action among the tasks`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await expectText(j.page.locator('main'), `Record the plan's review dates ${RUN_ID}`, 'the action on My work');
    const task = j.page.locator('#tasks + ul li').filter({ hasText: `Record the plan's review dates ${RUN_ID}` });
    await j.navigate(() => task.getByRole('button', { name: /^Mark as done/ }).click());
    await expectH1(j.page, 'My work');
    if (await j.page.getByText(`Record the plan's review dates ${RUN_ID}`).count() !== 0) {
      throw new Error('the action done is still on the list');
    }
  });
});
