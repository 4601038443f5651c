// The staff pages with the widest tables, on a phone: the front door's queue, the
// directory's desk and the list of users read as one card per row, each cell under its
// column's name, and nothing is wider than the screen.

import assert from 'node:assert/strict';
import { expectH1, expectVisible, journey } from '../lib/journey.js';
import { DEMO, signIn, signOut } from '../lib/hearth.js';

async function expectCardsOnAPhone(page, firstColumn) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `the page is ${scroll}px wide on a ${width}px screen`);
  const cell = page.locator(`.hearth-table--stack td[data-label="${firstColumn}"]`).first();
  await expectVisible(cell, `a cell under "${firstColumn}"`);
  const before = await cell.evaluate((td) => getComputedStyle(td, '::before').content);
  assert.equal(before, `"${firstColumn}"`, 'the cell shows its column name above it');
  const [cellWidth, tableWidth] = await cell.evaluate((td) => [td.getBoundingClientRect().width, td.closest('table').getBoundingClientRect().width]);
  assert.ok(cellWidth >= tableWidth - 1, `each cell takes the card's whole width (${cellWidth} of ${tableWidth})`);
}

journey('staff tables read as cards on a phone', async (j) => {
  const { page } = j;

  await j.step(`the front door's queue as ${DEMO.frontDoor.email}`, async () => {
    await signIn(j, DEMO.frontDoor);
    await j.visit('/front-door');
    await expectH1(page, 'Front door');
    await expectCardsOnAPhone(page, 'Family');
    await signOut(j);
  });

  await j.step(`the directory's desk as ${DEMO.directory.email}`, async () => {
    await signIn(j, DEMO.directory);
    await j.visit('/directory');
    await expectCardsOnAPhone(page, 'Service');
    await signOut(j);
  });

  await j.step(`the users as ${DEMO.admin.email}`, async () => {
    await signIn(j, DEMO.admin);
    await j.visit('/admin/users');
    await expectH1(page, 'Users');
    await expectCardsOnAPhone(page, 'Email address');
  });
}, { contextOptions: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } });
