// The family's voice (ADR 0037): a lead professional makes a survey link for a family from the
// episode; the family answer it in Polish on a phone-width page, with no account (the
// form needs no JavaScript); the answer shows in the partnership dashboard's figure "Families who say
// things are better". Every page is checked with axe.

import assert from 'node:assert/strict';
import { expectH1, expectStatus, expectText, journey } from '../lib/journey.js';
import { DEMO, signIn } from '../lib/hearth.js';

journey('a family answers a survey in Polish and it shows in the partnership figures', async (j) => {
  const option = (legend, name) =>
    j.page.getByRole('group', { name: legend, exact: true }).getByRole('radio', { name, exact: true });
  const press = (name) => j.navigate(() => j.page.getByRole('button', { name, exact: true }).click());
  const latestBetter = async () => {
    const section = j.page.locator('section', { has: j.page.getByRole('heading', { name: 'Families who say things are better', exact: true }) });
    // A figure links to the records behind it, with words for a screen reader after it.
    return (await section.locator('table tbody tr').last().locator('td').innerText()).split('\n')[0].trim();
  };

  await j.step(`${DEMO.analyst.email} reads the figure before`, async () => {
    await signIn(j, DEMO.analyst);
    expectStatus(await j.visit('/reports'), 200);
    assert.equal(await latestBetter(), 'No figure', 'no survey answered yet this quarter');
  });

  let link;
  await j.step(`${DEMO.lead.email} makes a survey link for a family they lead`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    // The last family: the episode journey closes the first.
    await j.navigate(() => j.page.getByRole('table', { name: 'Families you lead' }).locator('a[href^="/episodes/"]').last().click());
    await j.navigate(() => j.page.getByRole('link', { name: 'Surveys for the family and children', exact: true }).click());
    await expectH1(j.page, 'Surveys for the family and children');
    await option('Which survey?', 'After a review').check();
    await option('Who is it for?', 'The family').check();
    await press('Make the survey link');
    await expectH1(j.page, 'The survey link has been made');
    const text = await j.page.getByRole('main').innerText();
    const found = text.match(/https?:\/\/\S+\/feedback\/\S+/);
    assert.ok(found, 'the page gives the whole link');
    link = new URL(found[0]).pathname;
  });

  await j.step('the family answer it in Polish on a phone, without signing in', async () => {
    await j.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    expectStatus(await j.visit(`${link}?lang=pl`), 200);
    await expectH1(j.page, 'Kilka pytań o pomoc');
    assert.equal(await j.page.locator('html').getAttribute('lang'), 'pl');
    const width = await j.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
    await option('Czy od początku pomocy sytuacja Twojej rodziny jest lepsza, mniej więcej taka sama, czy gorsza?', 'Lepiej').check();
    await option('Czy Twój pracownik słucha, czego potrzebuje Twoja rodzina?', 'Tak').check();
    await j.page.getByLabel('Czy chcesz nam coś powiedzieć? (opcjonalnie)', { exact: true }).fill('Jest spokojniej w domu.');
    await press('Wyślij');
    await expectH1(j.page, 'Dziękujemy');
    expectStatus(await j.visit(`${link}?lang=pl`), 410);
  });

  await j.step(`${DEMO.analyst.email} sees the answer in the partnership dashboard's figure`, async () => {
    await j.newContext();
    await signIn(j, DEMO.analyst);
    expectStatus(await j.visit('/reports'), 200);
    // The figures read a few minutes ago are kept for every reader (ADR 0040): the page says
    // when they were worked out, and the analyst asks for them again.
    await expectText(j.page.locator('#worked-out'), 'Figures worked out at', 'when the figures were worked out');
    await j.navigate(() => j.page.getByRole('link', { name: 'Work them out again now', exact: true }).click());
    assert.equal(await latestBetter(), '100.0%', 'one family of one says things are better');
    expectStatus(await j.visit('/reports/surveys'), 200);
    await expectH1(j.page, "The family's voice");
  });
});
