// A family asking for help in Arabic and the front door taking it in (issue 24, ADR 0044):
// the steps the asking journey and the family's own page journey share. `open(path)` goes to
// a path on the journey's server (the shared one, or a journey's own).

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectText, expectVisible } from './journey.js';
import { DEMO } from './hearth.js';

/** A phone, as the families' journeys use it. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/**
 * A mother asks for help in Arabic from the directory: one question a page (the first one sent
 * empty, to see the problem in Arabic), herself and her son, her address, how to reach her
 * safely (not by text, no voice messages), Arabic, consent to share, her answers checked with
 * one changed, and sent. Returns the request's reference. `shot(name)` keeps a screenshot.
 */
export async function askForHelpInArabic(j, { open, mum, child, email = '', shot = async () => {} }) {
  const group = (legend) => j.page.getByRole('group', { name: legend, exact: true });
  const cont = () => j.navigate(() => j.page.getByRole('button', { name: 'متابعة', exact: true }).click());

  await j.step('from the directory, the start page reads right to left with the signpost first', async () => {
    await open('/find?lang=ar');
    await j.navigate(() => j.page.getByRole('link', { name: 'اطلب المساعدة لعائلتك', exact: true }).click());
    expectPath(j.page, '/ask', '?lang=ar');
    await expectH1(j.page, 'اطلب المساعدة لعائلتك');
    assert.equal(await j.page.locator('html').getAttribute('dir'), 'rtl');
    await expectText(j.page.getByRole('main'), 'اتصل بالرقم 999', 'the signpost');
    await shot('ar-start');
    await j.navigate(() => j.page.getByRole('button', { name: 'ابدأ الآن' }).click());
    expectPath(j.page, '/ask/who', '?lang=ar');
  });

  await j.step('one question a page: who she is, what worries her, with a problem said in Arabic', async () => {
    await cont();
    await expectText(j.page.locator('.govuk-error-summary'), 'اختر من أنت', 'the problem');
    await shot('ar-who-problem');
    await group('من أنت؟').getByRole('radio', { name: 'أحد الوالدين', exact: true }).check();
    await cont();
    await j.page.getByLabel('ما الذي يقلقك؟', { exact: true }).fill('صاحب البيت يريد أن نخرج الشهر القادم ولا نستطيع دفع الإيجار.');
    await j.page.getByRole('checkbox', { name: 'السكن أو المكان الذي نعيش فيه', exact: true }).check();
    await shot('ar-worry');
    await cont();
    expectPath(j.page, '/ask/people', '?lang=ar');
  });

  await j.step('she adds herself and her son, one at a time', async () => {
    for (const p of [
      { name: mum, born: 'أعرف عمره', field: 'العمر بالسنوات', value: '٣٤', relation: 'هذا أنا' },
      { name: child.name, born: 'أعرف تاريخ ميلاده', field: 'تاريخ الميلاد', value: child.dob, relation: 'طفلي' },
    ]) {
      await j.navigate(() => j.page.getByRole('link', { name: 'أضف شخصًا', exact: true }).click());
      await j.page.getByLabel('اسمه', { exact: true }).fill(p.name);
      await group('متى وُلد؟').getByRole('radio', { name: p.born, exact: true }).check();
      await j.page.getByLabel(p.field, { exact: true }).fill(p.value);
      await group('ما صلته بك؟').getByRole('radio', { name: p.relation, exact: true }).check();
      await j.navigate(() => j.page.getByRole('button', { name: 'أضف هذا الشخص', exact: true }).click());
      expectPath(j.page, '/ask/people', '?lang=ar');
    }
    await expectText(j.page.getByRole('main'), child.name, 'the family so far');
    await shot('ar-people');
    await cont();
  });

  await j.step('where she lives, and how to reach her safely: not by text, no voice messages', async () => {
    await j.page.getByLabel('الرمز البريدي', { exact: true }).fill('NG7 2AB');
    await cont();
    await j.page.getByLabel('رقم الهاتف', { exact: true }).fill('07700 900123');
    if (email) await j.page.locator('input[name=email]').fill(email);
    await group('هل من الآمن أن نرسل لك رسالة نصية؟').getByRole('radio', { name: 'لا', exact: true }).check();
    await group('هل من الآمن أن نترك لك رسالة صوتية؟').getByRole('radio', { name: 'لا', exact: true }).check();
    await shot('ar-contact');
    await cont();
    await group('بأي لغة تريد أن نتحدث معك؟').getByRole('radio', { name: 'العربية', exact: true }).check();
    await cont();
    await expectH1(j.page, 'مشاركة ما تخبرنا به');
    await group('هل يمكننا مشاركة ما تخبرنا به مع الخدمات التي يمكنها المساعدة؟')
      .getByRole('radio', { name: 'نعم، يمكنكم مشاركته مع الخدمات التي يمكنها المساعدة', exact: true })
      .check();
    await shot('ar-consent');
    await cont();
  });

  let reference;
  await j.step('she checks her answers, changes one, and sends them', async () => {
    expectPath(j.page, '/ask/check', '?lang=ar');
    await expectH1(j.page, 'راجع إجاباتك قبل إرسالها');
    await j.navigate(() => j.page.getByRole('link', { name: 'تغيير أين تسكن', exact: true }).click());
    await j.page.locator('textarea[name=address]').fill('12 Hill Street');
    await cont();
    expectPath(j.page, '/ask/check', '?lang=ar');
    await expectText(j.page.getByRole('main'), '12 Hill Street', 'the changed answer');
    await shot('ar-check');
    await j.navigate(() => j.page.getByRole('button', { name: 'أرسل طلبي', exact: true }).click());
    expectPath(j.page, '/ask/sent', '?lang=ar');
    reference = (await j.page.locator('.govuk-panel__body strong').innerText()).trim();
    assert.match(reference, /^FH-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await shot('ar-sent');
  });
  return reference;
}

/**
 * The front-door officer (signed in already) finds the family's request with its safety marks,
 * links the son to his record (`childOnRecord`) or adds him, adds the mother, takes it in and
 * decides Early Family Help with the demo lead: the episode opens. Returns the request's path.
 */
export async function takeInAndOpenEarlyHelp(j, { open, reference, mum, child, childOnRecord = false, shot = async () => {} }) {
  let requestPath;
  await j.step(`as ${DEMO.frontDoor.email}, the request from the family shows its safety marks and matches`, async () => {
    await open('/front-door');
    await j.navigate(() => j.page.locator('#from-families a').click());
    await expectH1(j.page, 'Requests from families');
    await j.navigate(() => j.page.getByRole('link', { name: reference, exact: true }).click());
    await expectVisible(j.page.getByText('Do not text: the family said texting is not safe.'), 'the texting mark');
    await expectVisible(j.page.getByText('Do not leave a voice message: the family said it is not safe.'), 'the voice mark');
    const boy = j.page.getByRole('group', { name: new RegExp(`^${child.name} \\(Their child`) });
    if (childOnRecord) {
      const match = boy.getByRole('radio', { name: new RegExp(`^Link to ${child.name}, `) });
      await expectVisible(match, "the boy's existing record, offered to link");
      await match.check();
    } else {
      await boy.getByRole('radio', { name: `Add ${child.name} as a new person`, exact: true }).check();
    }
    await j.page
      .getByRole('group', { name: new RegExp(`^${mum} \\(The person asking`) })
      .getByRole('radio', { name: `Add ${mum} as a new person`, exact: true })
      .check();
    await j.page
      .getByRole('group', { name: 'Is a child at risk of significant harm?', exact: true })
      .getByRole('radio', { name: 'No', exact: true })
      .check();
    await shot('front-door-take-in');
    await j.navigate(() => j.page.getByRole('button', { name: 'Take in as a request', exact: true }).click());
    assert.match(new URL(j.page.url()).pathname, /^\/requests\/[0-9a-f-]+\/decide$/);
    requestPath = new URL(j.page.url()).pathname.replace(/\/decide$/, '');
    await expectText(j.page.locator('#from-the-family'), 'Do not text', 'the marks beside the decision');
  });

  await j.step(`as ${DEMO.frontDoor.email}, decide Early Family Help: the episode opens`, async () => {
    const option = (legend, name) => j.page.getByRole('group', { name: legend, exact: true }).getByRole('radio', { name, exact: true });
    await option('Level of need on the Continuum', 'Level 2: Early Family Help').check();
    await option('What happens next?', 'Open Early Family Help with a lead professional').check();
    await j.page.getByLabel('The lead professional', { exact: true }).selectOption({ label: `${DEMO.lead.name} (Oakfield Primary School (demo))` });
    await j.page.getByLabel('Rationale', { exact: true }).fill('The family asked for help with their home; the school knows them.');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record decision', exact: true }).click());
    expectPath(j.page, '/front-door', '?done=decided');
    await open(requestPath);
    await expectText(j.page.getByRole('main'), 'Early Family Help', 'the decided request');
    await expectText(j.page.getByRole('main'), 'From the family', 'where it came from');
  });
  return requestPath;
}
