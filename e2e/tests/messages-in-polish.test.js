// Issue 23's Done-when for messages (ADR 0036): a TAF invitation and a family's feedback link
// arrive in the test mailbox (a real SMTP server, aiosmtpd, that this journey's own Hearth
// sends to) in Polish. The health visitor chooses Polish for her email; the lead professional
// adds her to a family's Team Around the Family, and her invitation comes in Polish; the
// family's mother, whose first language is Polish, is sent the feedback link in Polish when
// the lead's closure is signed off by the manager. Every page is checked with axe.

import assert from 'node:assert/strict';
import { expectH1, journey } from '../lib/journey.js';
import { DEMO, expectBanner, recordClosure } from '../lib/hearth.js';
import { hearthWithMail, until } from '../lib/mail-hearth.js';

const MOTHER = 'matka.e2e@example.org';
const own = hearthWithMail('messages-in-polish');

journey('a TAF invitation and a family\'s feedback link arrive by email in Polish', async (j) => {
  const go = (p) => own.go(j, p);
  const press = (name) => j.navigate(() => j.page.getByRole('button', { name, exact: true }).click());
  const mail = (to) => own.mailbox().find((m) => m.to.includes(to));
  let episode;

  await j.step(`${DEMO.practitioner.email} chooses email in Polish`, async () => {
    await own.signIn(j, DEMO.practitioner);
    await go('/account/messages');
    await expectH1(j.page, 'Messages from Hearth');
    await j.page.getByLabel('Yes', { exact: true }).check();
    await j.page.getByLabel('Language of your messages').selectOption({ label: 'Polish' });
    await press('Save');
    await expectBanner(j.page, 'Your choices about messages have been saved.');
  });

  await j.step('a family the lead leads, whose mother speaks Polish and gave her email', () => {
    const [[lead]] = own.sql("SELECT id FROM users WHERE email = 'lead@demo.hearth.test'");
    const [[health]] = own.sql("SELECT id FROM users WHERE email = ?", [DEMO.practitioner.email]);
    const rows = own.sql(
      `SELECT e.id, MIN(ep.person_id) FROM episodes e JOIN episode_people ep ON ep.episode_id = e.id
       WHERE e.status = 'open' AND e.lead_user_id = ?
         AND NOT EXISTS (SELECT 1 FROM taf_members t WHERE t.episode_id = e.id AND t.user_id = ?)
       GROUP BY e.id ORDER BY e.id LIMIT 1`,
      [lead, health],
    );
    assert.equal(rows.length, 1, 'the demo lead leads an open episode the health visitor is not in');
    const [[id, person]] = rows;
    episode = id;
    // Recorded with her at the first visit (the person pages are the practitioners' journeys').
    own.sql(
      "UPDATE people SET email = ?, first_language = 'Polish', dob = '1988-05-14', dob_certainty = 'exact' WHERE id = ?",
      [MOTHER, person],
    );
  });

  await j.step(`the lead adds ${DEMO.practitioner.name} to the Team Around the Family`, async () => {
    await j.newContext();
    await own.signIn(j, DEMO.lead);
    await go(`/episodes/${episode}`);
    await j.navigate(() => j.page.getByRole('link', { name: 'Add someone to the team', exact: true }).click());
    await j.page.getByLabel('Who is joining?', { exact: true }).selectOption({ label: `${DEMO.practitioner.name} (${DEMO.practitioner.email})` });
    await j.page.getByLabel('Their role in the team', { exact: true }).fill('Health visitor');
    await press('Add to the team');
    await expectBanner(j.page, 'They have joined the Team Around the Family.');
  });

  await j.step('her invitation arrives in the test mailbox, in Polish', async () => {
    // The demo's own invitations to her went before she chose Polish, in English.
    const polish = (m) => m.to.includes(DEMO.practitioner.email) && m.subject === 'Dołączyłeś do zespołu wokół rodziny';
    await until('the Polish invitation in the mailbox', () => own.mailbox().some(polish));
    const m = own.mailbox().find(polish);
    assert.match(m.text, new RegExp(`^Dzień dobry, ${DEMO.practitioner.name}\\. Dodano Cię do zespołu wokół rodziny`));
    assert.match(m.text, /Zaloguj się, aby zobaczyć plan rodziny/);
  });

  await j.step('the lead records the closure, every need with its result', async () => {
    await go(`/episodes/${episode}`);
    await recordClosure(j);
  });

  await j.step(`${DEMO.manager.email} signs off the closure`, async () => {
    await j.newContext();
    await own.signIn(j, DEMO.manager);
    await go(`/episodes/${episode}`);
    await j.navigate(() => j.page.getByRole('link', { name: 'Sign off the closure', exact: true }).click());
    await press('Sign off the closure');
    await expectBanner(j.page, 'The closure has been signed off. The episode has ended.');
  });

  await j.step('the mother\'s feedback link arrives in the test mailbox, in Polish', async () => {
    await until('the feedback link in the mailbox', () => Boolean(mail(MOTHER)));
    const m = mail(MOTHER);
    assert.equal(m.subject, 'Jak oceniasz pomoc, którą otrzymała Twoja rodzina?');
    assert.match(m.text, /^Pomoc dla Twojej rodziny dobiegła końca\./);
    const link = m.text.split('\n').find((l) => l.includes('/feedback/'));
    assert.ok(link && link.trim().startsWith(`${own.base()}/feedback/`), m.text);
    assert.match(m.text, /Wiadomość została wysłana przez Hearth|Hearth/);
  });
});
