// Information rights: a lead professional adds a child and asks the front door for help; the
// front door corrects her date of birth with a reason, her mother disputing it; the data
// protection officer logs a
// subject access request for her, finds everything held (the staff who saw her marked to
// check), leaves an item out, releases, reads the document and downloads the PDF and the data,
// and reads who viewed the child, the break-glass and the sharing reports.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE_URL, expectH1, expectPath, expectText, journey } from '../lib/journey.js';
import { DEMO, expectBanner, expectProblems, openFromNavigation, signIn } from '../lib/hearth.js';

const CHILD = { first: 'Ottilie', last: 'Marchbanks-Quayle', name: 'Ottilie Marchbanks-Quayle' };

journey('subject access request, correction and the data protection officer reports', async (j) => {
  let personId;
  let requestPath;

  await j.step(`as ${DEMO.lead.email}, add ${CHILD.name} with her date of birth`, async () => {
    await signIn(j, DEMO.lead);
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    await j.navigate(() => j.page.getByRole('button', { name: 'Add a new person', exact: true }).click());
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(CHILD.last);
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    expectPath(j.page, /^\/people\/[^/]+$/);
    personId = new URL(j.page.url()).pathname.split('/').pop();
  });

  await j.step('ask the front door for help for her', async () => {
    const option = (role, legend, name) =>
      j.page.getByRole('group', { name: legend, exact: true }).getByRole(role, { name, exact: true });
    await j.navigate(() => j.page.getByRole('button', { name: 'Ask for help for this family', exact: true }).click());
    expectPath(j.page, '/requests/new');
    await option('checkbox', 'Who is the request about?', CHILD.name).check();
    await j.page.getByLabel('What has the family been told about this request?', { exact: true }).fill('Her mother knows and agrees');
    await option('checkbox', 'Are any of these a concern for a child?', 'Missing from home or care').check();
    await option('radio', 'Did the family agree to share their information with the partnership?', 'Yes, they agreed').check();
    await option('radio', 'How soon does the family need help?', 'Soon: within 3 working days').check();
    await option('radio', 'Are you worried a child is at risk of significant harm?', 'No').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Send request', exact: true }).click());
    expectPath(j.page, /^\/requests\/[^/]+$/);
  });

  await j.step(`as ${DEMO.frontDoor.email}, correct her date of birth with a reason; her mother disputes it`, async () => {
    await j.newContext();
    await signIn(j, DEMO.frontDoor);
    await j.visit(`/people/${personId}/change/date-of-birth`);
    await expectH1(j.page, 'Change date of birth');
    await j.page.getByLabel('Day').fill('14');
    await j.page.getByLabel('Month').fill('3');
    await j.page.getByLabel('Year').fill('2017');
    await j.page.getByLabel('Why (optional)').fill('Birth certificate seen at the school');
    await j.page.getByLabel(/The person disagrees with this change/).check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Save the change' }).click());
    await expectProblems(j.page, { disputed_note: 'Enter what the person says about the change' });
    await j.page.getByLabel('What the person says').fill('Mum says the certificate has a typing error');
    await j.navigate(() => j.page.getByRole('button', { name: 'Save the change' }).click());
    expectPath(j.page, `/people/${personId}`);
    const history = j.page.locator('#history + ul');
    await expectText(history, 'Birth certificate seen at the school', 'the history');
    await expectText(history, 'Disputed', 'the history');
    await expectText(history, 'Mum says the certificate has a typing error', 'the history');
  });

  await j.step(`as ${DEMO.dpo.email}, log a subject access request for ${CHILD.first}`, async () => {
    await j.newContext();
    await signIn(j, DEMO.dpo);
    await j.navigate(() => j.page.getByRole('link', { name: 'Subject access', exact: true }).click());
    await expectH1(j.page, 'Subject access requests');
    await j.navigate(() => j.page.getByRole('button', { name: 'Log a subject access request' }).click());
    await j.page.getByLabel('Name of the person the request is about').fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Find the person' }).click());
    const today = new Date();
    const received = j.page.getByRole('group', { name: 'Date the request was received' });
    await received.getByLabel('Day').fill(String(today.getDate()));
    await received.getByLabel('Month').fill(String(today.getMonth() + 1));
    await received.getByLabel('Year').fill(String(today.getFullYear()));
    await j.navigate(() => j.page.getByRole('button', { name: 'Log the request' }).click());
    await expectProblems(j.page, {
      person: 'Select the person the request is about',
      requested_by: 'Enter who made the request',
      identity_checked: 'Enter how their identity (and right to ask) was checked',
    });
    assert.equal(await received.getByLabel('Day').inputValue(), String(today.getDate()), 'the date typed is kept');
    await j.page.getByLabel(new RegExp(CHILD.name)).first().check();
    await j.page.getByLabel('Who made the request').fill('Her mother, with parental responsibility');
    await j.page.getByLabel('How their identity, and their right to ask, was checked').fill('Passport seen at the Family Hub');
    await j.navigate(() => j.page.getByRole('button', { name: 'Log the request' }).click());
    expectPath(j.page, /^\/information-rights\/[^/]+$/);
    requestPath = new URL(j.page.url()).pathname;
    await expectH1(j.page, CHILD.name);
    await expectText(j.page.getByRole('main'), 'Due in', 'the due date');
  });

  await j.step('review what was gathered and leave out what names a member of staff', async () => {
    await expectText(j.page.getByRole('main'), 'Your record', 'the sections');
    await expectText(j.page.getByRole('main'), 'Changes to your details', 'the sections');
    const staff = j.page.locator('.govuk-summary-card', { hasText: 'Check: Names a member of staff' }).filter({ hasText: DEMO.lead.name }).first();
    await expectText(staff, DEMO.lead.name, 'the card of who saw her');
    await staff.getByLabel(/Leave out of the release/).check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Save what to leave out' }).click());
    await expectBanner(j.page, 'What to leave out is saved');
    await expectText(j.page.locator('#release + p'), '1 item is left out', 'the release section');
  });

  await j.step('release, read the document, and download the PDF and the data', async () => {
    await j.navigate(() => j.page.getByRole('button', { name: 'Release the document' }).click());
    await expectBanner(j.page, 'The document is released');
    await j.navigate(() => j.page.getByRole('link', { name: 'Read the document' }).click());
    await expectH1(j.page, `Information held about ${CHILD.name}`);
    await expectText(j.page.getByRole('main'), 'We left out 1 item', 'the introduction');
    await expectText(j.page.getByRole('main'), 'Birth certificate seen at the school', 'the changes');
    const main = await j.page.getByRole('main').innerText();
    assert.ok(!main.includes(`${DEMO.lead.name}, `), 'the staff item left out is not in the document');

    const pdf = await j.page.request.get(`${BASE_URL}${requestPath}/document.pdf`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const body = await pdf.body();
    assert.ok(body.toString('latin1').startsWith('%PDF-'), 'a PDF');
    // Read as a viewer reads it (poppler's pdftotext, scripts/install-test-deps.sh --pdf).
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: body }).toString('utf8').replace(/\s+/g, ' ');
    assert.ok(text.includes(`Information held about ${CHILD.name}`), `its text is readable: ${text.slice(0, 200)}`);

    const json = await j.page.request.get(`${BASE_URL}${requestPath}/document.json`);
    assert.equal(json.status(), 200);
    const data = await json.json();
    assert.equal(data.person, CHILD.name);
    assert.equal(data.left_out, 1);
    assert.ok(data.sections.some((s) => s.key === 'changes' && s.items.length > 0), 'the change is in the data');
  });

  await j.step('read who viewed her, the break-glass and the sharing reports', async () => {
    await j.visit('/information-rights/viewers');
    await j.page.getByLabel('Name of the person').fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Find the person' }).click());
    await j.navigate(() => j.page.getByRole('link', { name: new RegExp(CHILD.name) }).first().click());
    await expectH1(j.page, "Who viewed a person's data");
    const table = j.page.locator('table');
    await expectText(table, DEMO.lead.name, 'the report');
    await expectText(table, 'Their own record', 'the report');
    await expectText(table, 'A request for support about them', 'the report');
    await openFromNavigation(j, 'Break-glass openings');
    await expectH1(j.page, 'Break-glass openings');
    await openFromNavigation(j, 'Sharing without consent');
    await expectH1(j.page, 'Sharing without consent');
  });
});
