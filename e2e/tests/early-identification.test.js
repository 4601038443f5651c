// Early identification, the Done-when of issue 19 (ADRs 0035 and 0054): a lead adds a teenager
// who lives in no household; the partner data analyst uploads a term's attendance file and a
// quarter's police notifications, watching each import's progress, and reviews the uncertain
// match side by side; a TAF Worker in a Family Hub, on a phone, works the worklist, seeing why
// the family (of one) is there, and records what was done. axe checks every page.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectText, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, expectProblems, openFromNavigation, signIn } from '../lib/hearth.js';
import { PHONE } from '../lib/family.js';

const MATCHING = { email: 'matching@demo.hearth.test', name: 'Mo Matching' };
const TAF = { email: 'taf-worker@demo.hearth.test', name: 'Tamsin Tafworker' };
// A name nobody in the demo has, new each run (letters only, as names are).
const LAST = `Quill${RUN_ID.replace(/[^a-z]/gi, '').toLowerCase()}ton`.replace(/^./, (c) => c.toUpperCase());
const CHILD = { first: 'Rowan', last: LAST, name: `Rowan ${LAST}` };
const POSTCODE = 'NG5 2AB';

/** A day `days` ago as YYYY-MM-DD. */
function daysAgo(days) {
  const d = new Date(Date.now() - days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** 14 years and 40 days ago as [day, month, year]: not the day another journey's 14-year-old
 * was born, so that journey's search by date of birth still finds no one. */
function dobParts() {
  const d = new Date();
  d.setFullYear(d.getFullYear() - 14);
  d.setDate(d.getDate() - 40);
  return [d.getDate(), d.getMonth() + 1, d.getFullYear()];
}
const [DAY, MONTH, YEAR] = dobParts();
const DOB = `${YEAR}-${String(MONTH).padStart(2, '0')}-${String(DAY).padStart(2, '0')}`;

// A term's attendance: Rowan under 90%, certain by name, date of birth and postcode; and a
// row the school typed wrongly, reported by its line.
const ATTENDANCE = [
  'reference,given_names,family_name,dob,postcode,upn,event,date,attendance',
  `S1,${CHILD.first},${CHILD.last},${DOB},${POSTCODE},,attendance,${daysAgo(30)},82.5`,
  `S2,Ola,Someone,${DOB},${POSTCODE},,attendance,next week,90`,
].join('\n') + '\n';
// A quarter's police notifications: a missing episode about Rowan with a date of birth that is
// not his (the one he gave that night), so a person decides whether it is him. (A row without
// a date of birth whose name only Rowan holds, at his postcode, would be certain: ADR 0058;
// and a year or a digit out would count as a typing mistake.)
const POLICE_DOB = (() => {
  const d = new Date(Date.UTC(YEAR, MONTH - 1, DAY) + 100 * 86_400_000);
  return d.toISOString().slice(0, 10);
})();
const POLICE = [
  'reference,given_names,family_name,dob,postcode,event,date',
  `P1,${CHILD.first},${CHILD.last},${POLICE_DOB},${POSTCODE},missing_episode,${daysAgo(12)}`,
].join('\n') + '\n';

journey('early identification: partners\' files imported, a match reviewed, the worklist worked on a phone', async (j) => {
  await j.step(`as ${DEMO.lead.email}, add ${CHILD.name}, who lives in no household`, async () => {
    await signIn(j, DEMO.lead);
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    await j.navigate(() => j.page.getByRole('button', { name: 'Add a new person', exact: true }).click());
    await expectH1(j.page, 'Add a person');
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(CHILD.last);
    const dob = j.page.getByRole('group', { name: 'Date of birth (optional)', exact: true });
    await dob.getByLabel('Day', { exact: true }).fill(String(DAY));
    await dob.getByLabel('Month', { exact: true }).fill(String(MONTH));
    await dob.getByLabel('Year', { exact: true }).fill(String(YEAR));
    await j.page.getByRole('group', { name: 'How sure is the date of birth?', exact: true })
      .getByRole('radio', { name: 'Exact', exact: true }).check();
    await j.page.getByLabel('Address line 1 (optional)', { exact: true }).fill('3 Example Close');
    await j.page.getByLabel('Postcode (optional)', { exact: true }).fill(POSTCODE);
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    expectPath(j.page, /^\/people\/[^/]+$/);
    await expectBanner(j.page, 'Person added.');
  });

  /** Uploads a file on the desk and watches its import until it has finished. */
  const importFile = async (dataset, name, text) => {
    await j.visit('/identification');
    await expectH1(j.page, "Partners' data");
    await j.page.getByLabel('Dataset', { exact: true }).selectOption({ value: dataset });
    await j.page.getByLabel('Upload the file', { exact: true }).setInputFiles({
      name, mimeType: 'text/csv', buffer: Buffer.from(text),
    });
    await j.navigate(() => j.page.getByRole('button', { name: 'Import the file', exact: true }).click());
    expectPath(j.page, /^\/identification\/imports\/[^/]+$/);
    // The progress bar follows the import; the page shows the report when it ends.
    await j.page.getByRole('heading', { level: 1, name: `Imported: ${name}` }).waitFor({ timeout: 30_000 });
    await j.pageReady();
    await j.checkA11y();
  };

  await j.step(`as ${MATCHING.email}, upload a term's attendance file and watch its import`, async () => {
    await j.newContext();
    await signIn(j, MATCHING);
    await importFile('demo-school-attendance', 'attendance-autumn.csv', ATTENDANCE);
    await expectText(j.page.getByRole('main'), '2 rows read: 1 matched, 0 for review, 0 unmatched, 1 not imported.', 'the report');
    await expectText(j.page.getByRole('main'), 'line 3', 'the bad row, by its line');
  });

  await j.step("upload a quarter's police notifications: the row with another date of birth waits for review", async () => {
    await importFile('demo-police-notifications', 'police-q3.csv', POLICE);
    await expectText(j.page.getByRole('main'), '1 rows read: 0 matched, 1 for review', 'the report');
  });

  await j.step('review the uncertain match side by side: the same person', async () => {
    await j.visit('/identification/review');
    await expectH1(j.page, 'Matches to review');
    const match = j.page.getByRole('region', { name: new RegExp(`${CHILD.name}: Missing episode`) });
    await expectText(match, POLICE_DOB, "the partner's date of birth, beside the record's");
    await expectText(match, 'same postcode', 'why it may be him');
    await j.navigate(() => match.getByRole('button', { name: new RegExp('^The same person') }).click());
    await expectBanner(j.page, 'Recorded: the same person. The row is attached to their record.');
  });

  await j.step(`as ${TAF.email} on a phone, the family of one is on the worklist with why`, async () => {
    await j.newContext({ ...j.contextOptions, ...PHONE });
    await signIn(j, TAF);
    await j.visit('/identification/worklist');
    await expectH1(j.page, 'Families identified, not yet supported');
    const family = j.page.getByRole('region', { name: `${CHILD.name} (a family of one)` });
    await expectText(family, 'Attendance under 90% in a term', 'the attendance reason');
    await expectText(family, 'A missing episode', 'the police reason');
    await expectText(family, '82.5%', 'the attendance behind it');
    const width = await j.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.viewport.width, `the page fits the phone (${width}px wide)`);
  });

  await j.step('record what was done', async () => {
    const family = j.page.getByRole('region', { name: `${CHILD.name} (a family of one)` });
    await family.getByRole('radio', { name: 'Offered help', exact: true }).check();
    await family.getByLabel('Note (optional)').fill('Offered a youth worker at the hub');
    await j.navigate(() => family.getByRole('button', { name: /^Record what was done/ }).click());
    await expectBanner(j.page, 'What was done is recorded.');
    await expectText(
      j.page.getByRole('region', { name: `${CHILD.name} (a family of one)` }),
      'Offered a youth worker at the hub',
      'what was done',
    );
  });

  // The data lead's page of indicators (ADR 0057): an indicator added, changed as a new
  // version with its history, and retired, so the journeys after this one see the same list.
  const CODE = `asb_${LAST.toLowerCase()}`;
  const ASB = 'Two anti-social behaviour notifications in a year';
  await j.step(`as ${MATCHING.email}, add an indicator, make its window shorter, and retire it`, async () => {
    await j.newContext();
    await signIn(j, MATCHING);
    await j.visit('/identification/indicators');
    await expectH1(j.page, 'Early identification indicators');
    const add = j.page.locator('form[action="/identification/indicators"]');
    await add.getByLabel('Short code', { exact: true }).fill(CODE);
    await add.getByLabel('What the worklist says', { exact: true }).fill(ASB);
    await add.getByLabel('Kind of data it reads', { exact: true }).selectOption({ label: 'Police notifications' });
    await add.getByLabel('The event it looks at', { exact: true }).selectOption({ label: 'Anti-social behaviour (Police notifications)' });
    await add.getByRole('radio', { name: 'When there are at least a number of them', exact: true }).check();
    await add.getByLabel('How many events', { exact: true }).fill('two');
    await add.getByLabel('Within how many months', { exact: true }).fill('12');
    await add.getByRole('checkbox', { name: 'Crime prevention and tackling crime', exact: true }).check();
    await add.getByRole('checkbox', { name: 'Level 2: Early Family Help', exact: true }).check();
    await j.navigate(() => add.getByRole('button', { name: 'Add the indicator', exact: true }).click());
    // A count in words is refused at its field, and what was typed is kept.
    await expectProblems(j.page, { count: 'Enter how many events it needs, a whole number from 1 to' });
    assert.equal(await j.page.getByLabel('What the worklist says', { exact: true }).inputValue(), ASB, 'the label typed is kept');
    await j.page.getByLabel('How many events', { exact: true }).fill('2');
    await j.navigate(() => j.page.getByRole('button', { name: 'Add the indicator', exact: true }).click());
    await expectBanner(j.page, 'The indicator was added.');

    await j.navigate(() => j.page.getByRole('link', { name: ASB, exact: true }).click());
    await expectH1(j.page, ASB);
    await expectText(j.page.getByRole('main'), `Indicator ${CODE}, version 1`, 'the version');
    await j.page.getByLabel('Within how many months', { exact: true }).fill('6');
    await j.navigate(() => j.page.getByRole('button', { name: 'Save the change', exact: true }).click());
    await expectBanner(j.page, 'The indicator was changed: the worklist uses the new version now.');

    await j.visit(`/identification/indicators/${CODE}`);
    await expectText(j.page.getByRole('main'), `Indicator ${CODE}, version 2`, 'the new version');
    const history = j.page.getByRole('table', { name: 'Every version, newest first' });
    await expectText(history, MATCHING.name, 'who changed it');
    assert.equal(await history.getByRole('row').count(), 3, 'two versions and the header');
    await j.navigate(() => j.page.getByRole('button', { name: 'Retire the indicator', exact: true }).click());
    await expectBanner(j.page, 'The indicator was retired.');
    const row = j.page.getByRole('row').filter({ hasText: ASB });
    await expectText(row, 'Retired', 'the list says it is retired');
  });
}, { timeout: 180_000 });
