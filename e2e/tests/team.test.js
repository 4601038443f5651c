// A team manager on a phone opens their team: each worker's caseload and what is overdue,
// narrowed to visits with the filter form (no JavaScript needed), and nothing wider than the
// screen.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectVisible, journey } from '../lib/journey.js';
import { DEMO, openFromNavigation, signIn } from '../lib/hearth.js';

async function expectNoSidewaysScroll(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `the page is ${scroll}px wide on a ${width}px screen`);
}

journey('team manager reads their team on a phone', async (j) => {
  const { page } = j;

  await j.step(`sign in as ${DEMO.manager.email}`, () => signIn(j, DEMO.manager));

  await j.step('open Your team from the service navigation', async () => {
    // On a phone the navigation folds behind its "Menu" button.
    await page.locator('.govuk-service-navigation__toggle').click();
    await openFromNavigation(j, 'Your team');
    await expectVisible(page.getByRole('heading', { name: 'Caseloads' }), 'the caseloads');
    await expectVisible(page.getByRole('heading', { name: DEMO.worker.name }), "the worker's caseload");
    await expectNoSidewaysScroll(page);
  });

  await j.step('show only overdue visits', async () => {
    await page.getByLabel('Overdue').selectOption({ label: 'Visits' });
    await j.navigate(() => page.getByRole('button', { name: 'Show', exact: true }).click());
    expectPath(page, '/team', /overdue=visit/);
    await expectH1(page, 'Your team');
    await expectVisible(page.getByRole('heading', { name: 'Overdue' }), 'the overdue list');
    const items = await page.locator('#overdue + ul li, #overdue + p').allInnerTexts();
    assert.ok(items.length > 0, 'the overdue section says something');
    for (const item of items) {
      assert.ok(/^Visit: |Nothing that matches is overdue/.test(item.trim()), `only visits are listed: ${item}`);
    }
    await expectNoSidewaysScroll(page);
  });

  await j.step("one worker's caseload", async () => {
    await page.getByLabel('Worker').selectOption({ label: DEMO.worker.name });
    await page.getByLabel('Overdue').selectOption({ label: 'Anything overdue' });
    await j.navigate(() => page.getByRole('button', { name: 'Show', exact: true }).click());
    expectPath(page, '/team', /worker=/);
    assert.equal(await page.locator('.govuk-summary-card').count(), 1, "only the worker's card");
    await expectNoSidewaysScroll(page);
  });
}, { contextOptions: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } });
