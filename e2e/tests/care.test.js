// Issue 22's journey: a social worker finds Daniel, 14, from his record, records him coming
// into care (accommodated under section 20 a week ago) and asks the placements team for a home
// with his brother, in his own words; the
// placements officer sees the homes ranked in the strategy's order with why and places him in
// the council's own foster home that takes brothers together; his record then shows the
// placement, how far it is from home, and that it is local; when the court makes an interim
// care order today, his social worker records the change of legal status. The commissioning
// officer then
// reads the sufficiency picture with Daniel counted in it, and the head of service reads it on
// a phone (390 px), choosing the date. Then the analyst checks this year's SSDA903 return
// (the children looked after return, Daniel in it), downloads its files and runs the DfE's
// validation rules on them (data-to-insight's validator, scripts/install-test-deps.sh
// --ssda903): no errors. Data from `hearth serve --demo`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectH1, expectText, journey, textOf } from '../lib/journey.js';
import { DEMO, expectBanner, fillToday, openFromNavigation, signIn, signOut } from '../lib/hearth.js';

const CHILD = 'Daniel Okafor';
const WISHES = 'I want to live with my brother Sam and keep going to my school.';
const IN_HOUSE = 'The Adeyemi household, Clifton';

const today = fillToday;

/** Fills a day, month and year group with the day `days` ago. */
async function fillDaysAgo(page, legend, days) {
  const d = new Date(Date.now() - days * 24 * 60 * 60 * 1000);
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day', { exact: true }).fill(String(d.getDate()));
  await group.getByLabel('Month', { exact: true }).fill(String(d.getMonth() + 1));
  await group.getByLabel('Year', { exact: true }).fill(String(d.getFullYear()));
}

// The DfE's 903 validator, as scripts/install-test-deps.sh --ssda903 installs it.
const TOOLS = process.env.HEARTH_TOOLS_DIR
  || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hearth-tools');
const VALIDATOR_PYTHON = path.join(TOOLS, 'ssda903-venv', 'bin', 'python');
const VALIDATE = new URL('../../scripts/ssda903-validate.py', import.meta.url).pathname;

journey('a social worker asks for a home for a 14-year-old with his brother and the placements officer places him', async (j) => {
  let childPath;

  await j.step(`sign in as ${DEMO.socialWorker.email} and open the children in care`, async () => {
    await signIn(j, DEMO.socialWorker);
    await openFromNavigation(j, 'Children in care');
    await expectText(j.page.getByRole('main'), 'Jayden Clarke', 'the children in care');
  });

  await j.step(`find ${CHILD} and record him coming into care from his record`, async () => {
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(CHILD);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    await j.navigate(() => j.page.getByRole('main').getByRole('link', { name: CHILD }).first().click());
    await expectH1(j.page, CHILD);
    await j.navigate(() => j.page.getByRole('link', { name: 'Record coming into care' }).click());
    await expectH1(j.page, 'Record coming into care');
    await fillDaysAgo(j.page, 'The day the child came into care', 7);
    await j.page.getByLabel('Legal status').selectOption('V2');
    await j.page.getByLabel('Why the child came into care').selectOption('N1');
    await j.page.getByLabel('Postcode of the home the child came from (optional)').fill('NG7 5AA');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record coming into care' }).click());
    await expectBanner(j.page, "The child's coming into care was recorded.");
    await expectH1(j.page, CHILD);
    childPath = new URL(j.page.url()).pathname;
  });

  await j.step('ask for a placement with his brother, in his own words', async () => {
    await j.navigate(() => j.page.getByRole('link', { name: 'Ask for a placement' }).click());
    await expectH1(j.page, 'Ask for a placement');
    const urgency = j.page.getByRole('group', { name: 'How soon does the child need a home?' });
    await urgency.getByRole('radio', { name: 'Within a week' }).check();
    await j.page.getByLabel("The child's wishes and feelings").fill(WISHES);
    const needs = j.page.getByRole('group', { name: 'What must the home offer?' });
    await needs.getByRole('checkbox', { name: 'Teenagers' }).check();
    await needs.getByRole('checkbox', { name: 'Sibling groups' }).check();
    await j.page.getByLabel('Brothers and sisters to live with the child').fill('1');
    await j.navigate(() => j.page.getByRole('button', { name: 'Send to the placements team' }).click());
    await expectBanner(j.page, 'The placements team has the request.');
  });

  await j.step(`sign in as ${DEMO.placements.email}: the homes ranked with why`, async () => {
    await signOut(j);
    await signIn(j, DEMO.placements);
    await openFromNavigation(j, 'Placements');
    await j.navigate(() => j.page.getByRole('link', { name: CHILD }).click());
    await expectH1(j.page, `A home for ${CHILD}`);
    await expectText(j.page.getByRole('main'), WISHES, 'his wishes');
    const homes = j.page.getByRole('group', { name: 'Which home?' });
    const first = await textOf(homes.locator('.govuk-radios__item').first(), 'the first home proposed');
    assert.match(first, new RegExp(IN_HOUSE), 'the council\'s own carers first');
    assert.match(first, /In-house/);
    assert.match(first, /miles from home/);
  });

  await j.step('place him with the in-house carers', async () => {
    await j.page.getByRole('radio', { name: IN_HOUSE }).check();
    await fillDaysAgo(j.page, 'The day the child moves in', 7);
    await j.navigate(() => j.page.getByRole('button', { name: `Place ${CHILD}` }).click());
  });

  await j.step('his record shows the placement, its distance and that it is local', async () => {
    await j.visit(childPath);
    await expectH1(j.page, CHILD);
    const table = j.page.getByRole('table', { name: 'Placements, the latest first' });
    const row = await textOf(table.locator('tbody tr').first(), 'the placement');
    assert.match(row, new RegExp(IN_HOUSE));
    assert.match(row, /\d+\.\d miles/, 'the distance from home');
    assert.match(row, /Yes/, 'local');
  });

  await j.step('the court makes an interim care order today: his social worker records it', async () => {
    await j.newContext();
    await signIn(j, DEMO.socialWorker);
    await j.visit(childPath);
    await expectText(j.page.locator('#legal-status + p'), 'No change since care began', 'no change yet');
    // The status he has already comes back saying so.
    await j.page.getByLabel('The legal status it changed to').selectOption('V2');
    await today(j.page, 'The day it changed');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record the change' }).click());
    await expectText(j.page.locator('.govuk-error-summary'), 'is V2 already: choose the status it changed to', 'the error summary');
    await j.page.getByLabel('The legal status it changed to').selectOption('C1');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record the change' }).click());
    await expectBanner(j.page, 'The change of legal status was recorded.');
    const table = j.page.getByRole('table', { name: 'Changes of legal status, the latest first' });
    const row = await textOf(table.locator('tbody tr').first(), 'the change');
    assert.match(row, /C1: Interim care order/);
    assert.match(row, new RegExp(DEMO.socialWorker.name), 'who recorded it');
    await j.saveArtifacts('legal-status-changed');
    // The commissioning officer reads on.
    await j.newContext();
    await signIn(j, DEMO.placements);
  });

  await j.step('the commissioning officer reads the sufficiency picture, each figure defined', async () => {
    await openFromNavigation(j, 'Sufficiency');
    const looked = j.page.getByRole('table', { name: 'Children looked after', exact: true });
    const count = Number(await textOf(looked.locator('tbody tr td').nth(1), 'the number looked after'));
    assert.ok(count >= 3, `Jayden, Leah and Daniel are looked after (${count})`);
    const mix = await textOf(j.page.getByRole('table', { name: 'Placement mix' }), 'the placement mix');
    assert.match(mix, /In-house fostering/);
    await expectText(j.page.getByRole('main'), 'How this is counted', 'the definitions');
    await expectText(j.page.getByRole('main'), 'Gaps: no suitable home, by need', 'the gaps');
    const csv = j.page.getByRole('link', { name: 'Download these figures (CSV)' });
    assert.match(await csv.getAttribute('href'), /^\/care\/sufficiency\.csv\?on-day=/);
  });

  await j.step('the head of service reads it on a phone for a date they choose', async () => {
    await j.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(j, DEMO.manager);
    await j.visit('/care/sufficiency');
    await expectH1(j.page, 'Sufficiency');
    const d = new Date();
    const group = j.page.getByRole('group', { name: 'The date of the picture' });
    await group.getByLabel('Day', { exact: true }).fill('31');
    await group.getByLabel('Month', { exact: true }).fill('3');
    await group.getByLabel('Year', { exact: true }).fill(String(d.getFullYear() - 1));
    await j.navigate(() => j.page.getByRole('button', { name: 'Show the picture' }).click());
    await expectText(j.page.getByRole('main'), `On 31 March ${d.getFullYear() - 1}`, 'the date chosen');
    await expectText(j.page.getByRole('main'), 'Children looked after at 31 March, over ten years', 'the trend');
  });

  await j.step('the analyst downloads this year\'s 903 files and they pass the DfE\'s rules', async () => {
    await j.newContext();
    await signIn(j, DEMO.analyst);
    await openFromNavigation(j, 'Returns');
    await j.navigate(() => j.page.getByRole('link', { name: 'check the record and download the 903 files' }).click());
    await expectH1(j.page, 'SSDA903: children looked after');
    // The collection year going on: Daniel came into care today.
    const d = new Date();
    const ends = d.getMonth() >= 3 ? d.getFullYear() + 1 : d.getFullYear();
    await j.page.getByLabel('Year the collection ends (31 March)').fill(String(ends));
    await j.navigate(() => j.page.getByRole('button', { name: 'Check the year' }).click());
    await expectText(j.page.getByRole('main'), 'Hearth found no problems in the record for this year.', 'no problems');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-903-'));
    for (const name of ['Header', 'Episodes', 'UASC', 'OC3']) {
      const [download] = await Promise.all([
        j.page.waitForEvent('download'),
        j.page.getByRole('link', { name: new RegExp(`^${name}:`) }).click(),
      ]);
      const file = download.suggestedFilename();
      assert.match(file, /^(header|episodes|uasc|oc3)-\d{4}-\d{2}\.csv$/);
      fs.copyFileSync(await download.path(), path.join(dir, `${file.split('-')[0]}.csv`));
    }
    const episodes = fs.readFileSync(path.join(dir, 'episodes.csv'), 'utf8');
    assert.match(episodes, /^CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n/);
    assert.ok(!episodes.includes('Okafor'), 'no names');
    assert.match(episodes, /\r\n[^,]+,\d\d\/\d\d\/\d{4},L,C1,N1,U4,PR1,/, 'the interim care order, a new episode');
    const run = spawnSync(VALIDATOR_PYTHON, [VALIDATE, dir, String(ends), 'E06000018'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.error, undefined, `the validator runs (scripts/install-test-deps.sh --ssda903): ${run.error}`);
    assert.equal(run.status, 0, `the DfE's rules found:\n${run.stdout}\n${run.stderr}`);
  });
}, { timeout: 300_000 });
