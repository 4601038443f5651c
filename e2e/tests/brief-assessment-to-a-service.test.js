// A lead professional starts light and ends with a service: they choose the Early Help Brief
// Assessment, write it, extend it into the whole-family assessment without retyping a word,
// record a parent's consent to share with a voluntary organisation, and choose that
// organisation's service on the family plan; the plan says the request was sent, and the
// organisation's keyworker finds it in their requests. Every page is checked with axe.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectText, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, signIn } from '../lib/hearth.js';

const SERVICE = 'Family Friends home visiting';
const ORGANISATION = 'Family Friends Volunteers (demo)';
// The organisation as its directory entry names it.
const PUBLISHER = 'Family Friends Volunteers';
const today = () => {
  const d = new Date();
  return [d.getDate(), d.getMonth() + 1].map((n) => String(n).padStart(2, '0')).concat(d.getFullYear()).join('/');
};

journey('brief assessment, extended, to a service that receives the request', async (j) => {
  const press = (name) => j.navigate(() => j.page.getByRole('button', { name, exact: true }).click());
  const going = `Dad walks them to school every day (${RUN_ID}).`;
  let episodePath;
  let person;

  await j.step(`sign in as ${DEMO.lead.email} and open a family whose assessment has not started`, async () => {
    await signIn(j, DEMO.lead);
    // Each row's family (its level links to the Threshold of Need).
    const links = j.page.getByRole('table', { name: 'Families you lead' }).locator('a[href^="/episodes/"]');
    const paths = (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).reverse();
    for (const path of paths) {
      await j.visit(`${path}/assessment`);
      // Nobody has saved its assessment yet.
      if (!(await j.page.getByText('Last saved', { exact: true }).count())) {
        episodePath = path;
        break;
      }
    }
    assert.ok(episodePath, 'one of the families has no assessment yet');
  });

  await j.step('choose the Early Help Brief Assessment for this family', async () => {
    await j.visit(episodePath);
    await press('Use the Early Help Brief Assessment instead');
    await j.visit(`${episodePath}/assessment`);
    await expectH1(j.page, 'Early Help Brief Assessment');
  });

  await j.step('write the brief assessment and save it', async () => {
    await j.page.getByLabel('What is going well', { exact: true }).fill(going);
    await j.page.getByLabel('What the worries are', { exact: true }).fill('Mornings are a battle and the children are late.');
    await j.page.getByLabel('The next step', { exact: true }).fill('A family plan, and a home visiting volunteer.');
    await press('Save draft');
    expectPath(j.page, `${episodePath}/assessment`);
  });

  await j.step('extend it into the whole-family assessment: nothing is retyped', async () => {
    await press('Extend into the whole-family assessment');
    expectPath(j.page, `${episodePath}/assessment`);
    await expectH1(j.page, 'Whole-family assessment');
    assert.equal(await j.page.getByLabel('What is going well', { exact: true }).inputValue(), going);
    assert.equal(await j.page.getByLabel('The next step', { exact: true }).inputValue(), 'A family plan, and a home visiting volunteer.');
  });

  await j.step(`record a parent's consent to share with ${ORGANISATION}`, async () => {
    await j.visit(episodePath);
    const member = j.page.getByRole('main').locator('a[href^="/people/"]:not([href$="/chronology"])').first();
    person = { name: (await member.innerText()).trim(), path: await member.getAttribute('href') };
    await j.visit(person.path);
    await j.page.locator('summary').filter({ hasText: 'Record consent' }).click();
    await j.page.getByLabel('Who gave consent, and their relationship', { exact: true }).fill('Their mother');
    await j.page.getByLabel('Who it may be shared with', { exact: true }).fill(`The Team Around the Family and ${ORGANISATION}`);
    await j.page.getByLabel('Date given', { exact: true }).fill(today());
    await press('Record consent');
    await expectText(j.page.getByRole('main'), `to share with The Team Around the Family and ${ORGANISATION}`, 'the consent');
  });

  await j.step(`choose ${SERVICE} on the family plan for a family member`, async () => {
    await j.visit(`${episodePath}/plan?change=services`);
    await expectH1(j.page, 'Family plan');
    await j.page.getByLabel('Service from the directory 1', { exact: true }).selectOption({ label: `${SERVICE} — ${PUBLISHER}` });
    await j.page.getByLabel('Who service 1 is for', { exact: true }).selectOption({ label: person.name });
    await press('Save the plan');
    expectPath(j.page, `${episodePath}/plan`);
    await expectText(j.page.getByRole('main'), `${SERVICE} (for ${person.name})`, 'the services on the plan');
    await expectText(j.page.getByRole('main'), `Request for ${person.name}:`, 'where the request stands');
  });

  await j.step(`${DEMO.vcsWorker.email} finds the request in their organisation's requests`, async () => {
    await j.newContext();
    await signIn(j, DEMO.vcsWorker);
    await j.visit('/service-requests');
    const row = j.page.getByRole('row').filter({ hasText: person.name }).filter({ hasText: SERVICE });
    assert.ok(await row.count() >= 1, `a request for ${person.name} to ${SERVICE} is listed`);
  });
});
