// Issue 24's Done-when (ADRs 0044, 0045), on a phone (390 px), in Arabic: a mother asks for
// help at /ask (with her email address), the front door takes it in and opens Early Family Help
// for her family with the demo lead; the lead writes the plan and invites the mother from the
// episode; the mother opens the link from the test mailbox (a real SMTP server, aiosmtpd, that
// this journey's own Hearth sends to), reads her plan in Arabic, right to left, withdraws
// consent for one agency and writes to the lead; the lead reads her message on the episode and
// in the chronology. Then her page, and a refusal on the family's pages, in every other
// language, each checked with axe like every page here. Screenshots go to e2e/test-results/.
//
// This journey starts its own `hearth serve --demo` with a mail server (the shared server has
// none, which the outbox journey relies on): scripts/e2e.sh gives it the binary.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectH1, expectText, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner } from '../lib/hearth.js';
import { PHONE, askForHelpInArabic, takeInAndOpenEarlyHelp } from '../lib/family.js';
import { hearthWithMail, inDays, until } from '../lib/mail-hearth.js';

// Letters only, so the names read as names to the front door's search.
const TAG = RUN_ID.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]);
const MUM = `Maryam Saleh${TAG}`;
const CHILD = { name: `Omar Saleh${TAG}`, dob: '02/09/2019' };
const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const MOTHER = 'mother.e2e@example.org';
const HEALTH = 'City 0-19 Health Service (demo)';
const SCHOOL = 'Oakfield Primary School (demo)';

const own = hearthWithMail('own-page');
const { sql, mailbox } = own;

async function shot(j, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await j.page.screenshot({ path: path.join(SHOTS, `own-page-${name}.png`), fullPage: true });
}

journey('a mother asks for help in Arabic, the front door opens Early Family Help, and she opens her plan from an emailed link, on a phone', async (j) => {
  const base = own.base();
  const go = (p) => own.go(j, p);
  const press = (name) => j.navigate(() => j.page.getByRole('button', { name, exact: true }).click());
  const signInHere = (user) => own.signIn(j, user);
  let episode;
  let mother;

  const open = (p) => go(p);
  const pictured = (name) => shot(j, name);
  const reference = await askForHelpInArabic(j, { open, mum: MUM, child: CHILD, email: MOTHER, shot: pictured });
  await j.newContext();
  await signInHere(DEMO.frontDoor);
  await takeInAndOpenEarlyHelp(j, { open, reference, mum: MUM, child: CHILD, shot: pictured });

  await j.step('her record and her family\'s episode, with the consents the lead records with her', async () => {
    const [[lead]] = sql("SELECT id FROM users WHERE email = 'lead@demo.hearth.test'");
    const rows = sql(
      `SELECT e.id, p.id, p.first_language FROM episodes e JOIN episode_people ep ON ep.episode_id = e.id
       JOIN people p ON p.id = ep.person_id
       WHERE e.status = 'open' AND e.lead_user_id = ? AND p.email = ?`,
      [lead, MOTHER],
    );
    assert.equal(rows.length, 1, 'the episode the front door opened, with the mother in it');
    [[episode, mother]] = rows;
    assert.equal(rows[0][2], 'Arabic', 'the language she asked in is on her record');
    // Recorded by the lead with her (the consent pages are the practitioners' journeys').
    const now = new Date().toISOString().replace('Z', '000Z');
    const today = new Date().toISOString().slice(0, 10);
    for (const [n, agency] of [[1, HEALTH], [2, SCHOOL]]) {
      sql(
        `INSERT INTO consents (id, person_id, given_by, share_with, given_on, recorded_by, created_at)
         VALUES (?, ?, 'The mother', ?, ?, ?, ?)`,
        [`0190e2e0-0000-7000-8000-00000000000${n}`, mother, agency, today, lead, now],
      );
    }
  });

  await j.step('the lead signs in and writes the plan with the family', async () => {
    await j.newContext();
    await signInHere(DEMO.lead);
    await go(`/episodes/${episode}/plan?change=all`);
    await expectH1(j.page, 'Family plan');
    await j.page.getByLabel('Outcome 1: what the family wants', { exact: true }).fill('Calmer evenings at home');
    await j.page.getByRole('group', { name: 'Which needs does it work on?' }).first()
      .getByRole('checkbox', { name: 'Improved family relationships', exact: true }).check();
    await j.page.getByLabel('Action 1: what will be done', { exact: true }).fill('A family meal together on Sundays');
    await j.page.getByLabel('Towards which outcome', { exact: true }).first().selectOption({ label: 'Outcome 1' });
    await j.page.getByLabel('Who will do it', { exact: true }).first().selectOption({ label: `${DEMO.lead.name} (Lead professional)` });
    await j.page.getByLabel('By when', { exact: true }).first().fill(inDays(28));
    await j.page.getByRole('group', { name: 'Has the family agreed this plan?', exact: true }).getByRole('radio', { name: 'Yes', exact: true }).check();
    await j.page.getByLabel('Date they agreed', { exact: true }).fill(inDays(0));
    await j.page.getByLabel('Who in the family agreed', { exact: true }).fill('Mum');
    await press('Save the plan');
    await expectText(j.page.getByRole('main'), 'A family meal together on Sundays', 'the saved plan');
  });

  await j.step('the lead invites the mother from the episode\'s Family tab', async () => {
    await j.navigate(() => j.page.getByRole('link', { name: 'Family', exact: true }).click());
    await expectH1(j.page, 'Messages with the family');
    await j.page.getByRole('group', { name: 'Invite someone in the family to their own page' })
      .locator(`input[value="${mother}"]`).check();
    await press('Send the invitation');
    await expectBanner(j.page, 'The invitation was sent by email in their language. The link works once.');
    await shot(j, 'lead-invites');
  });

  let link;
  await j.step('the invitation arrives in the test mailbox, in Arabic, with no family details', async () => {
    await until('the invitation in the mailbox', () => mailbox().some((m) => m.to.includes(MOTHER)));
    const mail = mailbox().find((m) => m.to.includes(MOTHER));
    assert.equal(mail.subject, 'رابطك إلى صفحة عائلتك');
    link = mail.text.split('\n').find((l) => l.includes('/my-family/sign-in/')).trim();
    assert.ok(link.startsWith(`${base}/my-family/sign-in/`) && link.endsWith('?lang=ar'), link);
  });

  await j.step('on her phone, the mother opens the link: Arabic, right to left, one tap', async () => {
    await j.newContext();
    await j.navigate(() => j.page.goto(link));
    await expectH1(j.page, 'افتح صفحة عائلتك');
    assert.equal(await j.page.locator('html').getAttribute('dir'), 'rtl');
    await shot(j, 'ar-continue');
    await j.navigate(() => j.page.getByRole('button', { name: 'افتح صفحتي', exact: true }).click());
    await expectH1(j.page, 'خطة عائلتك');
  });

  await j.step('she reads her plan, the next review and her team, nothing wider than the phone', async () => {
    const main = j.page.getByRole('main');
    await expectText(main, 'Calmer evenings at home', 'her outcome, in the family\'s words');
    await expectText(main, 'A family meal together on Sundays', 'the action');
    await expectText(main, 'موعد اجتماع المراجعة القادم هو', 'the next review');
    await expectText(main, DEMO.lead.name, 'her lead professional');
    await expectText(main, 'lead@demo.hearth.test', 'how to reach them');
    const overflow = await j.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await shot(j, 'ar-plan');
  });

  await j.step('she stops sharing with the health service, and the school is still shared with', async () => {
    const card = j.page.locator('.govuk-summary-card').filter({ hasText: HEALTH });
    await j.navigate(() => card.getByRole('button', { name: /أوقف المشاركة/ }).click());
    await expectBanner(j.page, 'لقد أوقفت مشاركة معلوماتك مع هذه الجهة.');
    await expectText(j.page.locator('.govuk-summary-card').filter({ hasText: HEALTH }), 'لا تتم المشاركة', 'the health service');
    await expectText(j.page.locator('.govuk-summary-card').filter({ hasText: SCHOOL }), 'تتم المشاركة', 'the school');
    await shot(j, 'ar-consent-withdrawn');
  });

  await j.step('she writes to the lead: first empty, which is named, then her words', async () => {
    await press('أرسل الرسالة');
    await expectText(j.page.locator('.govuk-error-summary'), 'اكتب رسالتك', 'the error summary');
    const box = j.page.getByLabel('اكتب رسالة إلى المهني المسؤول عنك', { exact: true });
    await box.fill('هل يمكن نقل الاجتماع إلى يوم الخميس؟');
    await press('أرسل الرسالة');
    await expectBanner(j.page, 'أُرسلت رسالتك، وتم إبلاغ المهني المسؤول عنك.');
    await expectText(j.page.getByRole('main'), 'هل يمكن نقل الاجتماع إلى يوم الخميس؟', 'the thread');
    await shot(j, 'ar-message-sent');
  });

  await j.step('her page in each other language is checked too', async () => {
    for (const [lang, title] of [['en', 'Your family\'s plan'], ['ur', 'آپ کے خاندان کا منصوبہ'], ['pa', 'ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਦੀ ਯੋਜਨਾ'], ['ro', 'Planul familiei dumneavoastră'], ['pl', 'Plan Twojej rodziny']]) {
      await go(`/my-family/episodes/${episode}?lang=${lang}`);
      await expectH1(j.page, title);
    }
    // A refusal on the family's pages is in their language too (here: a page not found).
    for (const [lang, title] of [['en', 'Page not found'], ['ar', 'الصفحة غير موجودة'], ['ur', 'صفحہ نہیں ملا'], ['pa', 'ਪੰਨਾ ਨਹੀਂ ਮਿਲਿਆ'], ['ro', 'Pagina nu a fost găsită'], ['pl', 'Nie znaleziono strony']]) {
      await go(`/my-family/no-such-page?lang=${lang}`);
      await expectH1(j.page, title);
      assert.equal(await j.page.locator('html').getAttribute('lang'), lang);
    }
    await go(`/my-family/episodes/${episode}?lang=ar`);
  });

  await j.step('the lead is told by email, with no words of hers in it', async () => {
    await until('the lead\'s email', () => mailbox().some((m) => m.to.includes('lead@demo.hearth.test') && m.subject.includes('new message')));
    const mail = mailbox().find((m) => m.to.includes('lead@demo.hearth.test') && m.subject.includes('new message'));
    assert.ok(!mail.text.includes('الخميس'), 'the email holds no words of the message');
  });

  await j.step('the lead reads her message on the episode and in the chronology', async () => {
    await j.newContext();
    await signInHere(DEMO.lead);
    await go(`/episodes/${episode}/family`);
    await expectText(j.page.getByRole('main'), 'هل يمكن نقل الاجتماع إلى يوم الخميس؟', 'the thread on the episode');
    await go(`/people/${mother}/chronology`);
    await expectText(j.page.getByRole('main'), 'هل يمكن نقل الاجتماع إلى يوم الخميس؟', 'the chronology');
    await shot(j, 'lead-chronology');
  });

  await j.step('a used link meets a kind page in Arabic', async () => {
    await j.newContext();
    await j.navigate(() => j.page.goto(link));
    await j.navigate(() => j.page.getByRole('button', { name: 'افتح صفحتي', exact: true }).click());
    await expectH1(j.page, 'استُخدم هذا الرابط من قبل');
    await shot(j, 'ar-link-used');
  });
}, { contextOptions: PHONE, timeout: 420_000 });
