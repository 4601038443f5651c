// Issue 24's link by text and GOV.UK One Login for families (ADRs 0050, 0056), on a phone
// (390 px): a lead records a mother's safe contact (her mobile, that texting is safe, that she
// wants texts), sends her own-page link by text, and the text is read back from a real SMS
// gateway (Kannel's bearerbox and smsbox, with fakesmsc as the phone network; installed by
// scripts/install-test-deps.sh --sms) as her phone would show it; she opens it in Arabic. Then
// she signs in again with "GOV.UK One Login" (the test OpenID Connect provider with a families'
// client that signs its token requests, private_key_jwt), and someone One Login knows but the
// record does not meets a kind page in Arabic. Every Hearth page is checked with axe; the
// provider's own pages are not ours and are not. Screenshots go to e2e/test-results/.
//
// This journey starts its own `hearth serve --demo` with the gateway and the provider (the
// shared server has neither): scripts/e2e.sh gives it the binary.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { expectH1, expectText, journey } from '../lib/journey.js';
import { DEMO, expectBanner } from '../lib/hearth.js';
import { PHONE } from '../lib/family.js';
import { hearthWithMail, until } from '../lib/mail-hearth.js';
import { SMS_PASSWORD, SMS_USER, startSmsGateway } from '../lib/sms-gateway.js';
import { FAMILY_CLIENT_ID, FAMILY_CLIENT_KEY, startProvider } from '../lib/oidc-provider.js';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
// The address the test provider gives its `mother`: on her record, so One Login matches her.
const MOTHER_AT_ONE_LOGIN = 'amina.one-login@family.test';

let gateway;
let provider;
// Registered first, so the gateway and the provider stop whatever happens to Hearth's clean-up.
after(() => {
  gateway?.stop();
  provider?.stop();
});
const own = hearthWithMail('own-page-by-text', {
  more: async ({ base }) => {
    gateway = await startSmsGateway();
    provider = await startProvider({ familyRedirect: `${base}/my-family/one-login/callback` });
    return {
      HEARTH_SMS_TRANSPORT: 'kannel',
      HEARTH_SMS_KANNEL_URL: gateway.url,
      HEARTH_SMS_KANNEL_USERNAME: SMS_USER,
      HEARTH_SMS_KANNEL_PASSWORD: SMS_PASSWORD,
      HEARTH_FAMILY_ONE_LOGIN_ISSUER: provider.issuer,
      HEARTH_FAMILY_ONE_LOGIN_CLIENT_ID: FAMILY_CLIENT_ID,
      HEARTH_FAMILY_ONE_LOGIN_PRIVATE_KEY_FILE: FAMILY_CLIENT_KEY,
    };
  },
});
const { sql } = own;

async function shot(j, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await j.page.screenshot({ path: path.join(SHOTS, `own-page-by-text-${name}.png`), fullPage: true });
}

/** Nothing on the page is wider than the phone. */
async function fitsThePhone(j) {
  const overflow = await j.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
}

journey('on a phone, a lead sends a mother her link by text, she opens it in Arabic, and signs in again with GOV.UK One Login', async (j) => {
  const go = (p) => own.go(j, p);
  const press = (name) => j.navigate(() => j.page.getByRole('button', { name, exact: true }).click());
  let episode;
  let mother;

  await j.step('a demo family the lead helps, with a mother in it who reads Arabic', async () => {
    const rows = sql(
      `SELECT e.id, p.id FROM episodes e
       JOIN users u ON u.id = e.lead_user_id
       JOIN episode_people ep ON ep.episode_id = e.id
       JOIN people p ON p.id = ep.person_id
       WHERE e.status = 'open' AND u.email = ? AND p.restricted = 0 AND p.sex = 'female'
         AND p.dob IS NOT NULL AND p.dob <= '1995-01-01'
         AND (SELECT COUNT(*) FROM episode_people o WHERE o.episode_id = e.id) > 1
       ORDER BY e.id LIMIT 1`,
      [DEMO.lead.email],
    );
    assert.equal(rows.length, 1, 'an open episode the demo lead leads, with a mother in the family');
    [[episode, mother]] = rows;
    // What the front door recorded when her family asked (the asking is other journeys').
    sql("UPDATE people SET first_language = 'Arabic', email = ? WHERE id = ?", [MOTHER_AT_ONE_LOGIN, mother]);
  });

  await j.step('the lead records, on the phone, that texting her is safe', async () => {
    await own.signIn(j, DEMO.lead);
    await go(`/people/${mother}/change/safe-contact`);
    await j.page.getByLabel('Mobile number for texts', { exact: true }).fill('07700 900123');
    await j.page.getByRole('group', { name: 'Is it safe to text them?', exact: true })
      .getByRole('radio', { name: 'Yes', exact: true }).check();
    await j.page.getByRole('group', { name: 'Is it safe to leave them a message?', exact: true })
      .getByRole('radio', { name: 'No', exact: true }).check();
    await j.page.getByRole('group', { name: 'How do they want to hear from us?', exact: true })
      .getByRole('radio', { name: 'Text message', exact: true }).check();
    await fitsThePhone(j);
    await shot(j, 'safe-contact');
    await press('Save the change');
    await expectText(j.page.getByRole('main'), '+447700900123; safe to text: yes', 'her details');
  });

  await j.step('the lead sends her link by text from the episode\'s Family tab', async () => {
    await go(`/episodes/${episode}/family`);
    await expectH1(j.page, 'Messages with the family');
    await j.page.getByRole('group', { name: 'Invite someone in the family to their own page' })
      .locator(`input[value="${mother}"]`).check();
    await j.page.getByRole('group', { name: 'How should the link reach them?' })
      .getByRole('radio', { name: 'By text message', exact: true }).check();
    await fitsThePhone(j);
    await press('Send the invitation');
    await expectBanner(j.page, 'The invitation was sent by text in their language. Outside the times they said are safe, it waits until those times begin. The link works once.');
    await shot(j, 'lead-sends-by-text');
  });

  let link;
  await j.step('the text reaches her phone through the SMS gateway, in Arabic, with the link only', async () => {
    const mine = () => gateway.received().filter((t) => t.to.includes('7700900123'));
    await until('the text at the SMS centre', () => mine().length > 0, 60);
    const [text] = mine();
    assert.equal(text.coding, 'ucs-2', 'Arabic goes as UCS-2');
    assert.match(text.text, /[\u0600-\u06FF]/, 'written in Arabic');
    link = text.text.split(/\s+/).find((w) => w.includes('/my-family/sign-in/'));
    assert.ok(link && link.startsWith(`${own.base()}/my-family/sign-in/`) && link.endsWith('?lang=ar'), text.text);
  });

  await j.step('on her phone she opens it: Arabic, right to left, one tap to her plan', async () => {
    await j.newContext();
    await j.navigate(() => j.page.goto(link));
    await expectH1(j.page, 'افتح صفحة عائلتك');
    assert.equal(await j.page.locator('html').getAttribute('dir'), 'rtl');
    await shot(j, 'ar-continue');
    await press('افتح صفحتي');
    const h1 = (await j.page.locator('h1').first().textContent()).trim();
    if (h1 === 'المساعدة المقدمة لعائلتك') {
      // More than one episode: she chooses.
      await j.navigate(() => j.page.getByRole('main').getByRole('link').first().click());
    }
    await expectH1(j.page, 'خطة عائلتك');
    await expectText(j.page.getByRole('main'), DEMO.lead.name, 'her lead professional');
    await fitsThePhone(j);
    await shot(j, 'ar-plan-from-text');
  });

  await j.step('another day, she signs in with GOV.UK One Login instead, in Arabic', async () => {
    await j.newContext();
    await go('/my-family?lang=ar');
    await expectH1(j.page, 'اطّلع على خطة عائلتك');
    await expectText(j.page.getByRole('main'), 'أو استخدم GOV.UK One Login', 'the page');
    await fitsThePhone(j);
    await shot(j, 'ar-ask-with-one-login');
    await Promise.all([
      j.page.waitForURL((url) => url.href.startsWith(provider.issuer)),
      j.page.getByRole('button', { name: 'سجّل الدخول باستخدام GOV.UK One Login', exact: true }).click(),
    ]);
    // The provider's own sign-in page (not ours, so not checked with axe).
    await j.page.locator('input[name="login"]').fill('mother');
    await j.page.locator('input[name="password"]').fill('any password');
    await j.navigate(() => j.page.locator('button[type="submit"]').click());
    const h1 = (await j.page.locator('h1').first().textContent()).trim();
    if (h1 === 'المساعدة المقدمة لعائلتك') {
      await j.navigate(() => j.page.getByRole('main').getByRole('link').first().click());
    }
    await expectH1(j.page, 'خطة عائلتك');
    await fitsThePhone(j);
    await shot(j, 'ar-plan-from-one-login');
    const [[n]] = sql(
      "SELECT COUNT(*) FROM family_sessions WHERE person_id = ? AND signed_in_with = 'one_login'",
      [mother],
    );
    assert.equal(n, 1, 'a family session made by One Login');
  });

  await j.step('someone One Login knows but the record does not meets a kind page in Arabic', async () => {
    await j.newContext();
    await go('/my-family?lang=ar');
    await Promise.all([
      j.page.waitForURL((url) => url.href.startsWith(provider.issuer)),
      j.page.getByRole('button', { name: 'سجّل الدخول باستخدام GOV.UK One Login', exact: true }).click(),
    ]);
    await j.page.locator('input[name="login"]').fill('stranger');
    await j.page.locator('input[name="password"]').fill('any password');
    await j.navigate(() => j.page.locator('button[type="submit"]').click());
    await expectH1(j.page, 'لم نتمكن من العثور على صفحة عائلتك');
    assert.equal(await j.page.locator('html').getAttribute('dir'), 'rtl');
    await fitsThePhone(j);
    await shot(j, 'ar-one-login-not-matched');
  });
}, { contextOptions: PHONE, timeout: 300_000 });
