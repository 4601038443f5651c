// An administrator adds an organisation, a team and a user, deactivates the user, finds the
// changes in the audit log, and the deactivated user cannot sign in.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectStatus, expectText, expectVisible, journey } from '../lib/journey.js';
import {
  DEMO, RUN_ID, WRONG_CREDENTIALS, auditEvent, expectBanner, expectProblems, expectSignedOut,
  openFromNavigation, signIn, signOut, submitSignIn, tableRow,
} from '../lib/hearth.js';

const ORG = `E2E Primary School ${RUN_ID}`;
const URN = String(100000 + (Date.now() % 900000));
const TEAM = `E2E Early Help Team ${RUN_ID}`;
const USER = {
  name: `Sam E2E ${RUN_ID}`,
  email: `sam.e2e.${RUN_ID}@example.org`,
  jobTitle: 'Family support worker',
  phone: '0115 496 0000',
  password: `correct horse battery ${RUN_ID}`,
};

journey('admin journey', async (j) => {
  const { page } = j;
  let userId;

  const fillOrganisation = async () => {
    await page.getByLabel('Name', { exact: true }).fill(ORG);
    await page.getByLabel('Type of organisation').selectOption({ label: 'School' });
    await page.getByLabel('Identifier (optional)').fill(URN);
  };

  await j.step(`sign in as ${DEMO.admin.email}`, () => signIn(j, DEMO.admin));

  await j.step('open Organisations from the service navigation', () => openFromNavigation(j, 'Organisations'));

  await j.step('add an organisation', async () => {
    await j.navigate(() => page.getByRole('button', { name: 'Add an organisation' }).click());
    expectPath(page, '/admin/organisations/new');
    await expectH1(page, 'Add an organisation');
    await fillOrganisation();
    await j.navigate(() => page.getByRole('button', { name: 'Save organisation' }).click());
    expectPath(page, '/admin/organisations');
    await expectBanner(page, 'Organisation created.');
    const row = await tableRow(page, ORG);
    assert.match(row, /School/, `the new organisation's row should say its type: ${row}`);
    assert.ok(row.includes(URN), `the new organisation's row should show its URN ${URN}: ${row}`);
  });

  await j.step('adding the same organisation again is refused, keeping the answers', async () => {
    await j.navigate(() => page.getByRole('button', { name: 'Add an organisation' }).click());
    await fillOrganisation();
    const response = await j.navigate(() => page.getByRole('button', { name: 'Save organisation' }).click());
    expectStatus(response, 422);
    await expectProblems(page, { name: 'already exists' });
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), ORG, 'the name typed should be kept');
    assert.equal(await page.getByLabel('Type of organisation').inputValue(), 'school', 'the type chosen should be kept');
    assert.equal(await page.getByLabel('Identifier (optional)').inputValue(), URN, 'the identifier typed should be kept');
  });

  await j.step('open Teams and add a team to the new organisation', async () => {
    await openFromNavigation(j, 'Teams');
    await j.navigate(() => page.getByRole('button', { name: 'Add a team' }).click());
    await expectH1(page, 'Add a team');
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: ORG });
    await page.getByLabel('Team name').fill(TEAM);
    await page.getByLabel('What the team does (optional)').fill('Early help for families at the school.');
    await j.navigate(() => page.getByRole('button', { name: 'Save team' }).click());
    expectPath(page, '/admin/teams');
    await expectBanner(page, 'Team created.');
    const row = await tableRow(page, TEAM);
    assert.ok(row.includes(ORG), `the team's row should name its organisation: ${row}`);
  });

  await j.step('open Users and add a user', async () => {
    await openFromNavigation(j, 'Users');
    await j.navigate(() => page.getByRole('button', { name: 'Add a user' }).click());
    await expectH1(page, 'Add a user');
    await page.getByLabel('Full name').fill(USER.name);
    await page.getByLabel('Email address', { exact: true }).fill(USER.email);
    await page.getByLabel('Job title (optional)').fill(USER.jobTitle);
    await page.getByLabel('Work phone number (optional)').fill(USER.phone);
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: ORG });
    await page.getByLabel('Team', { exact: true }).selectOption({ label: `${ORG} – ${TEAM}` });
    await page.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'Practitioner', exact: true }).check();
    await page.getByLabel('First password').fill(USER.password);
    await j.navigate(() => page.getByRole('button', { name: 'Save user' }).click());
    expectPath(page, /^\/admin\/users\/[^/]+$/);
    userId = new URL(page.url()).pathname.split('/').pop();
    await expectBanner(page, 'User created.');
    await expectH1(page, `Edit ${USER.name}`);
    assert.equal(await page.getByLabel('Email address', { exact: true }).inputValue(), USER.email);
    // Separation of duties: a role that reaches families' records waits for a second
    // administrator, so the account does not hold it yet.
    assert.ok(
      !(await page.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'Practitioner', exact: true }).isChecked()),
      'the Practitioner role should wait for a second administrator',
    );
    await expectText(page.locator('#role-change + .govuk-inset-text'), /Practitioner/, 'the role change waiting for approval');
    await expectVisible(page.getByRole('button', { name: 'Withdraw the change' }), 'the "Withdraw the change" button');
  });

  await j.step('deactivate the user', async () => {
    await j.navigate(() => page.getByRole('button', { name: 'Deactivate user' }).click());
    expectPath(page, `/admin/users/${userId}`);
    await expectBanner(page, 'User deactivated.');
    await expectVisible(page.getByRole('button', { name: 'Reactivate user' }), 'the "Reactivate user" button');
  });

  await j.step('the users list shows them as deactivated', async () => {
    await openFromNavigation(j, 'Users');
    await page.getByLabel('Name or email address').fill(USER.email);
    await j.navigate(() => page.getByRole('button', { name: 'Search', exact: true }).click());
    const row = await tableRow(page, USER.email);
    assert.match(row, /Deactivated/, `the user's row should say Deactivated: ${row}`);
  });

  await j.step("the audit log lists the user's creation and deactivation", async () => {
    await openFromNavigation(j, 'Audit log');
    // "Who" matches who did something (the administrator here); the user is the record.
    await page.getByLabel('Record id').fill(userId);
    const response = await j.navigate(() => page.getByRole('button', { name: 'Search the log' }).click());
    expectStatus(response, 200);
    expectPath(page, '/admin/audit');
    await expectText(page.locator('#results'), /events/, 'the results heading');
    for (const what of ['User created', 'User deactivated']) {
      const text = await auditEvent(page, what);
      assert.ok(text.includes(userId), `the event should name the user's record ${userId}: ${text}`);
      assert.ok(text.includes(DEMO.admin.email) || text.includes(DEMO.admin.name), `the event should name the administrator: ${text}`);
    }
  });

  await j.step('sign out', () => signOut(j));

  await j.step('the deactivated user cannot sign in', async () => {
    const response = await submitSignIn(j, USER.email, USER.password);
    expectStatus(response, 401);
    expectPath(page, '/sign-in');
    await expectProblems(page, { email: WRONG_CREDENTIALS });
    await expectSignedOut(page);
  });
}, { timeout: 90_000 });
