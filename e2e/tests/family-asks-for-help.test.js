// A family asks for help themselves (issue 24 item 1, ADR 0044). A mother on a phone (390 px),
// in Arabic, right to left, goes from the directory to the asking pages, one question a page,
// checks her answers and sends them; the front-door officer finds the request from the family
// with its contact safety marks and the records each person may be, takes it in and opens Early
// Family Help. Then every asking page, with its problems, is checked with axe in each of the
// six languages. Screenshots are kept under e2e/test-results/ to look at.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectH1, expectPath, expectText, expectVisible, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, signIn } from '../lib/hearth.js';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
// Letters only, so the names read as names to the search.
const TAG = RUN_ID.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]);
const CHILD = { first: 'Karim', last: `Nassar${TAG}`, name: `Karim Nassar${TAG}` };
const MUM = `Layla Nassar${TAG}`;

async function shot(j, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await j.page.screenshot({ path: path.join(SHOTS, `family-asks-${name}.png`), fullPage: true });
}

journey('a mother asks for help in Arabic on a phone; the front door opens Early Family Help', async (j) => {
  const group = (legend) => j.page.getByRole('group', { name: legend, exact: true });
  const cont = () => j.navigate(() => j.page.getByRole('button', { name: 'متابعة', exact: true }).click());
  let reference;
  let requestPath;

  await j.step(`as ${DEMO.practitioner.email}, the boy is already on the record`, async () => {
    await signIn(j, DEMO.practitioner);
    await j.visit('/people');
    await j.page.getByLabel('Name', { exact: true }).fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    // Other children share his first name: he is none of them.
    await j.navigate(() => j.page.getByRole('button', { name: /^(Add a new person|None of these is the person)/ }).click());
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(CHILD.last);
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    await expectBanner(j.page, 'Person added.');
  });

  await j.step('from the directory, the start page reads right to left with the signpost first', async () => {
    await j.newContext(PHONE);
    await j.visit('/find?lang=ar');
    await j.navigate(() => j.page.getByRole('link', { name: 'اطلب المساعدة لعائلتك', exact: true }).click());
    expectPath(j.page, '/ask', '?lang=ar');
    await expectH1(j.page, 'اطلب المساعدة لعائلتك');
    assert.equal(await j.page.locator('html').getAttribute('dir'), 'rtl');
    await expectText(j.page.getByRole('main'), 'اتصل بالرقم 999', 'the signpost');
    await shot(j, 'ar-start');
    await j.navigate(() => j.page.getByRole('button', { name: 'ابدأ الآن' }).click());
    expectPath(j.page, '/ask/who', '?lang=ar');
  });

  await j.step('one question a page: who she is, what worries her, with a problem said in Arabic', async () => {
    await cont();
    await expectText(j.page.locator('.govuk-error-summary'), 'اختر من أنت', 'the problem');
    await shot(j, 'ar-who-problem');
    await group('من أنت؟').getByRole('radio', { name: 'أحد الوالدين', exact: true }).check();
    await cont();
    await j.page.getByLabel('ما الذي يقلقك؟', { exact: true }).fill('صاحب البيت يريد أن نخرج الشهر القادم ولا نستطيع دفع الإيجار.');
    await j.page.getByRole('checkbox', { name: 'السكن أو المكان الذي نعيش فيه', exact: true }).check();
    await shot(j, 'ar-worry');
    await cont();
    expectPath(j.page, '/ask/people', '?lang=ar');
  });

  await j.step('she adds herself and her son, one at a time', async () => {
    for (const p of [
      { name: MUM, born: 'أعرف عمره', field: 'العمر بالسنوات', value: '٣٤', relation: 'هذا أنا' },
      { name: CHILD.name, born: 'أعرف تاريخ ميلاده', field: 'تاريخ الميلاد', value: '14/05/2018', relation: 'طفلي' },
    ]) {
      await j.navigate(() => j.page.getByRole('link', { name: 'أضف شخصًا', exact: true }).click());
      await j.page.getByLabel('اسمه', { exact: true }).fill(p.name);
      await group('متى وُلد؟').getByRole('radio', { name: p.born, exact: true }).check();
      await j.page.getByLabel(p.field, { exact: true }).fill(p.value);
      await group('ما صلته بك؟').getByRole('radio', { name: p.relation, exact: true }).check();
      await j.navigate(() => j.page.getByRole('button', { name: 'أضف هذا الشخص', exact: true }).click());
      expectPath(j.page, '/ask/people', '?lang=ar');
    }
    await expectText(j.page.getByRole('main'), CHILD.name, 'the family so far');
    await shot(j, 'ar-people');
    await cont();
  });

  await j.step('where she lives, and how to reach her safely: not by text, no voice messages', async () => {
    await j.page.getByLabel('الرمز البريدي', { exact: true }).fill('NG7 2AB');
    await cont();
    await j.page.getByLabel('رقم الهاتف', { exact: true }).fill('07700 900123');
    await group('هل من الآمن أن نرسل لك رسالة نصية؟').getByRole('radio', { name: 'لا', exact: true }).check();
    await group('هل من الآمن أن نترك لك رسالة صوتية؟').getByRole('radio', { name: 'لا', exact: true }).check();
    await shot(j, 'ar-contact');
    await cont();
    await group('بأي لغة تريد أن نتحدث معك؟').getByRole('radio', { name: 'العربية', exact: true }).check();
    await cont();
    await expectH1(j.page, 'مشاركة ما تخبرنا به');
    await group('هل يمكننا مشاركة ما تخبرنا به مع الخدمات التي يمكنها المساعدة؟')
      .getByRole('radio', { name: 'نعم، يمكنكم مشاركته مع الخدمات التي يمكنها المساعدة', exact: true })
      .check();
    await shot(j, 'ar-consent');
    await cont();
  });

  await j.step('she checks her answers, changes one, and sends them', async () => {
    expectPath(j.page, '/ask/check', '?lang=ar');
    await expectH1(j.page, 'راجع إجاباتك قبل إرسالها');
    await j.navigate(() => j.page.getByRole('link', { name: 'تغيير أين تسكن', exact: true }).click());
    await j.page.locator('textarea[name=address]').fill('12 Hill Street');
    await cont();
    expectPath(j.page, '/ask/check', '?lang=ar');
    await expectText(j.page.getByRole('main'), '12 Hill Street', 'the changed answer');
    await shot(j, 'ar-check');
    await j.navigate(() => j.page.getByRole('button', { name: 'أرسل طلبي', exact: true }).click());
    expectPath(j.page, '/ask/sent', '?lang=ar');
    reference = (await j.page.locator('.govuk-panel__body strong').innerText()).trim();
    assert.match(reference, /^FH-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await shot(j, 'ar-sent');
  });

  await j.step(`as ${DEMO.frontDoor.email}, the request from the family shows its safety marks and matches`, async () => {
    await j.newContext({});
    await signIn(j, DEMO.frontDoor);
    await j.visit('/front-door');
    await j.navigate(() => j.page.locator('#from-families a').click());
    await expectH1(j.page, 'Requests from families');
    await j.navigate(() => j.page.getByRole('link', { name: reference, exact: true }).click());
    await expectVisible(j.page.getByText('Do not text: the family said texting is not safe.'), 'the texting mark');
    await expectVisible(j.page.getByText('Do not leave a voice message: the family said it is not safe.'), 'the voice mark');
    const boy = j.page.getByRole('group', { name: new RegExp(`^${CHILD.name} \\(Their child`) });
    const match = boy.getByRole('radio', { name: new RegExp(`^Link to ${CHILD.name}, `) });
    await expectVisible(match, "the boy's existing record, offered to link");
    await match.check();
    await j.page
      .getByRole('group', { name: new RegExp(`^${MUM} \\(The person asking`) })
      .getByRole('radio', { name: `Add ${MUM} as a new person`, exact: true })
      .check();
    await j.page
      .getByRole('group', { name: 'Is a child at risk of significant harm?', exact: true })
      .getByRole('radio', { name: 'No', exact: true })
      .check();
    await shot(j, 'front-door-take-in');
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
    await j.visit(requestPath);
    await expectText(j.page.getByRole('main'), 'Early Family Help', 'the decided request');
    await expectText(j.page.getByRole('main'), 'From the family', 'where it came from');
  });
});

// Each language's pages, with their problems, for axe; answered by field names so one loop
// serves all six.
journey('every asking page is accessible in each of the six languages, on a phone', async (j) => {
  const send = (action) => j.navigate(() => j.page.locator(`main form[action^="${action}"] button[type=submit]`).last().click());
  for (const lang of ['en', 'ar', 'ur', 'pa', 'ro', 'pl']) {
    await j.step(`${lang}: every page and its problems`, async () => {
      await j.newContext(PHONE);
      await j.visit(`/ask?lang=${lang}`);
      assert.equal(await j.page.locator('html').getAttribute('lang'), lang);
      await j.visit(`/ask?lang=${lang}&easy=1`);
      await send('/ask/start');
      await send('/ask/who'); // nothing chosen: a problem
      assert.equal(await j.page.locator('.govuk-error-summary').count(), 1);
      await j.page.locator('input[name=asker][value=young_person]').check();
      await send('/ask/who');
      await send('/ask/worry'); // nothing written
      await j.page.locator('textarea[name=worry]').fill('Worried about school.');
      await send('/ask/worry');
      await send('/ask/people'); // nobody added
      await j.navigate(() => j.page.locator('#add-person').click());
      await send('/ask/people/add'); // nothing typed
      await j.page.locator('input[name=name]').fill('Sam Example');
      await j.page.locator('input[name=born][value=age]').check();
      await j.page.locator('input[name=age]').fill('15');
      await j.page.locator('input[name=relation][value=me]').check();
      await send('/ask/people/add');
      await send('/ask/people');
      await send('/ask/address');
      await j.page.locator('input[name=postcode]').fill('NG7 2AB');
      await send('/ask/address');
      await send('/ask/contact');
      await j.page.locator('input[name=email]').fill('sam@example.org');
      await send('/ask/contact');
      // The page's own language is chosen already.
      assert.equal(await j.page.locator(`input[name=language][value=${lang}]`).isChecked(), true);
      await send('/ask/language');
      await send('/ask/consent');
      await j.page.locator('input[name=consent][value=talk_first]').check();
      await send('/ask/consent');
      expectPath(j.page, '/ask/check', `?lang=${lang}`);
      await send('/ask/check');
      expectPath(j.page, '/ask/sent', `?lang=${lang}`);
      if (lang === 'ur' || lang === 'pa') await shot(j, `${lang}-sent`);
    });
  }
}, { timeout: 300_000 });
