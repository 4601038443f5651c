// An episode of Family Help: the lead professional opens a family from their caseload, writes
// a case note (after a mistake), the whole-family assessment, the family plan and two reviews;
// brings a health practitioner into the Team Around the Family,
// who adds a note of their own; the lead steps the help up to Targeted Family Help; the
// team manager allocates a Family Help Worker from their tasks; the worker steps it back down
// to the school's lead professional; the lead records the closure and the manager signs it
// off, which gives the family a feedback link; the family answer it, with no account, once;
// the closed episode is read-only and shows what the family said. A practitioner outside the
// TAF is refused the episode.
// Every page is checked with axe.

import assert from 'node:assert/strict';
import { expectH1, expectPath, expectStatus, expectText, journey } from '../lib/journey.js';
import { DEMO, expectBanner, expectProblems, recordClosure, signIn } from '../lib/hearth.js';

const inDays = (days) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return [d.getDate(), d.getMonth() + 1].map((n) => String(n).padStart(2, '0')).concat(d.getFullYear()).join('/');
};
const today = () => inDays(0);

journey('an episode from caseload to closure', async (j) => {
  let episodePath;

  const option = (role, legend, name) =>
    j.page.getByRole('group', { name: legend, exact: true }).getByRole(role, { name, exact: true });
  const press = (name) => j.navigate(() => j.page.getByRole('button', { name, exact: true }).click());
  const openEpisode = async () => {
    const response = await j.visit(episodePath);
    expectStatus(response, 200);
  };

  await j.step(`sign in as ${DEMO.lead.email} and open a family from the caseload`, async () => {
    await signIn(j, DEMO.lead);
    const caseload = j.page.getByRole('table', { name: 'Families you lead' });
    await j.navigate(() => caseload.getByRole('link').first().click());
    expectPath(j.page, /^\/episodes\/[^/]+$/);
    episodePath = new URL(j.page.url()).pathname;
    await expectText(j.page.getByRole('main'), 'Early Family Help', 'the episode page');
  });

  await j.step('save a note with no text: the problem is named and the date typed is kept', async () => {
    await j.navigate(() => j.page.getByRole('link', { name: 'Add a case note', exact: true }).first().click());
    expectPath(j.page, `${episodePath}/notes/new`);
    await option('radio', 'What kind of contact was it?', 'Visit').check();
    await j.page.getByLabel('When did it happen?', { exact: true }).fill(today());
    const response = await press('Save note');
    expectStatus(response, 422);
    await expectProblems(j.page, { body: 'Enter what happened' });
    assert.equal(await j.page.getByLabel('When did it happen?', { exact: true }).inputValue(), today());
  });

  await j.step('write the note', async () => {
    await j.page.getByLabel('What happened', { exact: true }).fill('Home visit: the children were settled and proud of their reading.');
    await press('Save note');
    await expectBanner(j.page, 'Your note has been added.');
    expectPath(j.page, `${episodePath}/notes`);
    await expectText(j.page.getByRole('main'), 'proud of their reading', 'the case notes');
  });

  await j.step('the lead writes the whole-family assessment and submits it for sign-off', async () => {
    await j.visit(`${episodePath}/assessment`);
    await expectH1(j.page, 'Whole-family assessment');
    await j.page.getByLabel("The child's voice", { exact: true }).fill('I like school when my friends are there.');
    await j.page.getByLabel("The parents' voice", { exact: true }).fill('We want mornings to be calmer.');
    const domain = j.page.locator('details').filter({ hasText: 'Improved family relationships' }).first();
    await domain.locator('summary').click();
    await domain.getByLabel('Strengths', { exact: true }).fill('A loving home; dad cooks every night.');
    await domain.getByLabel('Needs', { exact: true }).fill('Arguments at bedtime.');
    await domain.getByLabel('Where things are now, from 0 to 10', { exact: true }).fill('4');
    await press('Save draft');
    expectPath(j.page, `${episodePath}/assessment`);
    await press('Submit for sign-off');
    expectPath(j.page, `${episodePath}/assessment`);
    // Submitted, it reads whole, for the lead and for the manager who signs it off.
    await expectText(j.page.getByRole('main'), "Waiting for a manager's sign-off", 'the submitted assessment');
    await expectText(j.page.getByRole('main'), 'A loving home; dad cooks every night.', 'the submitted assessment');
    await expectText(j.page.getByRole('main'), '4 out of 10', 'the submitted assessment');
  });

  await j.step('the lead writes the family plan with the family\'s agreement', async () => {
    await j.visit(`${episodePath}/plan?change=all`);
    await expectH1(j.page, 'Family plan');
    await j.page.getByLabel('Outcome 1: what the family wants', { exact: true }).fill('Calmer mornings so the children get to school on time');
    await j.page.getByRole('group', { name: 'Which needs does it work on?' }).first()
      .getByRole('checkbox', { name: 'Improved family relationships', exact: true }).check();
    await j.page.getByLabel('Action 1: what will be done', { exact: true }).fill('Morning routine chart with the children');
    await j.page.getByLabel('Towards which outcome', { exact: true }).first().selectOption({ label: 'Outcome 1' });
    await j.page.getByLabel('Who will do it', { exact: true }).first().selectOption({ label: `${DEMO.lead.name} (Lead professional)` });
    await j.page.getByLabel('By when', { exact: true }).first().fill(inDays(28));
    await option('radio', 'Has the family agreed this plan?', 'Yes').check();
    await j.page.getByLabel('Date they agreed', { exact: true }).fill(today());
    await j.page.getByLabel('Who in the family agreed', { exact: true }).fill('Mum and dad');
    await press('Save the plan');
    expectPath(j.page, `${episodePath}/plan`);
    await expectText(j.page.getByRole('main'), 'Morning routine chart with the children', 'the saved plan');
  });

  for (const [n, score] of [[1, '5'], [2, '7']]) {
    await j.step(`the lead records review ${n}`, async () => {
      await j.visit(`${episodePath}/reviews/new`);
      await expectH1(j.page, 'Record a Team Around the Family review');
      await j.page.getByLabel('Date of the review', { exact: true }).fill(today());
      await j.page.getByLabel('Who came', { exact: true }).fill('Mum, dad, school, health visitor');
      await j.page.getByLabel('Progress, from 0 to 10', { exact: true }).first().fill(score);
      await j.page.getByLabel('What the review decided', { exact: true }).fill(`Review ${n}: keep going with the chart.`);
      await press('Save the review');
      expectPath(j.page, `${episodePath}/plan`);
      await expectText(j.page.getByRole('main'), `Review ${n}: keep going with the chart.`, 'the reviews');
    });
  }

  await j.step(`${DEMO.practitioner.email} outside the TAF is refused the episode`, async () => {
    await j.newContext();
    await signIn(j, DEMO.practitioner);
    const response = await j.visit(episodePath);
    expectStatus(response, 403);
  });

  await j.step(`as the lead, add ${DEMO.practitioner.name} to the Team Around the Family`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await openEpisode();
    await j.navigate(() => j.page.getByRole('link', { name: 'Add someone to the team', exact: true }).click());
    await j.page.getByLabel('Who is joining?', { exact: true }).selectOption({ label: `${DEMO.practitioner.name} (${DEMO.practitioner.email})` });
    await j.page.getByLabel('Their role in the team', { exact: true }).fill('Health visitor');
    await press('Add to the team');
    await expectBanner(j.page, 'They have joined the Team Around the Family.');
  });

  await j.step('the health visitor, now in the TAF, adds a note', async () => {
    await j.newContext();
    await signIn(j, DEMO.practitioner);
    await openEpisode();
    await j.navigate(() => j.page.getByRole('link', { name: 'Add a case note', exact: true }).first().click());
    await option('radio', 'What kind of contact was it?', 'Phone call').check();
    await j.page.getByLabel('What happened', { exact: true }).fill('Called mum: the baby is feeding well.');
    await press('Save note');
    await expectBanner(j.page, 'Your note has been added.');
  });

  await j.step('the health visitor adds an update to an action in the plan', async () => {
    await j.visit(`${episodePath}/plan`);
    await j.navigate(() => j.page.getByRole('link', { name: 'Update “Morning routine chart with the children”' }).click());
    await j.page.getByLabel('Where it stands now', { exact: true }).first().selectOption({ label: 'In progress' });
    await j.page.getByLabel('What has happened', { exact: true }).first().fill('Chart is on the fridge; two good mornings.');
    await press('Save the update');
    expectPath(j.page, `${episodePath}/plan`);
    await expectText(j.page.getByRole('main'), 'two good mornings', 'the action updates');
  });

  await j.step('the lead steps the help up to Targeted Family Help with a handover', async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await openEpisode();
    await j.navigate(() => j.page.getByRole('link', { name: 'Step up or down', exact: true }).click());
    await option('radio', "Move the family's help to", 'Targeted Family Help').check();
    await option('radio', 'For Targeted Family Help: which service?', 'Core service').check();
    await j.page.getByLabel('Handover summary', { exact: true }).fill('Needs have grown since the summer; mum asked for more help.');
    await press('Step up');
    await expectBanner(j.page, "The family's help has moved. The receiving team has been told.");
  });

  await j.step(`${DEMO.manager.email} allocates a Family Help Worker from their tasks`, async () => {
    await j.newContext();
    await signIn(j, DEMO.manager);
    await j.navigate(() => j.page.locator(`a[href="${episodePath}"]`).first().click());
    expectPath(j.page, episodePath);
    await j.navigate(() => j.page.getByRole('link', { name: 'Allocate a lead', exact: true }).first().click());
    await j.page.getByLabel('Who will be the family help worker?', { exact: true }).selectOption({ label: `${DEMO.worker.name} (${DEMO.worker.email})` });
    await press('Allocate');
    await expectBanner(j.page, 'The episode has been allocated.');
  });

  await j.step(`${DEMO.manager.email} signs off the assessment`, async () => {
    await j.visit(`${episodePath}/assessment`);
    await press('Sign off the assessment');
    expectPath(j.page, `${episodePath}/assessment`);
    await expectText(j.page.getByRole('main'), 'Signed off', 'the assessment status');
  });

  await j.step(`${DEMO.worker.email} steps it back down to the school's lead professional`, async () => {
    await j.newContext();
    await signIn(j, DEMO.worker);
    await j.visit(`${episodePath}/history`);
    await expectText(j.page.getByRole('main'), 'mum asked for more help', 'the handover');
    await j.visit(`${episodePath}/step`);
    await option('radio', "Move the family's help to", 'Early Family Help').check();
    await j.page.getByLabel('For Early Family Help: who will be the lead professional?', { exact: true }).selectOption({ label: `${DEMO.lead.name} (${DEMO.lead.email})` });
    await j.page.getByLabel('Handover summary', { exact: true }).fill('Calmer now; school will lead again.');
    await press('Step down');
    await expectBanner(j.page, "The family's help has moved. The receiving team has been told.");
  });

  await j.step("the worker reads the family's chronology: the story in one place", async () => {
    await j.navigate(() => j.page.getByRole('link', { name: /^chronology of / }).first().click());
    await expectH1(j.page, 'Chronology');
    for (const text of ['Stepped up', 'Stepped down', 'proud of their reading', 'feeding well']) {
      await expectText(j.page.getByRole('main'), text, 'the chronology');
    }
  });

  await j.step('the lead marks the action done and records the closure, every need with its result', async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await j.visit(`${episodePath}/plan`);
    await j.navigate(() => j.page.getByRole('link', { name: 'Update “Morning routine chart with the children”' }).click());
    await j.page.getByLabel('Where it stands now', { exact: true }).first().selectOption({ label: 'Done' });
    await j.page.getByLabel('What has happened', { exact: true }).first().fill('Mornings are calm now.');
    await press('Save the update');
    await openEpisode();
    await recordClosure(j);
    await expectText(
      j.page.getByRole('main'),
      'Closure waits for sign-off by a manager in Targeted Family Help core team.',
      'who must sign it off',
    );
  });

  let feedbackPath;
  await j.step(`${DEMO.manager.email} signs off the closure and gets the family's feedback link`, async () => {
    await j.newContext();
    await signIn(j, DEMO.manager);
    await openEpisode();
    await j.navigate(() => j.page.getByRole('link', { name: 'Sign off the closure', exact: true }).click());
    await press('Sign off the closure');
    await expectBanner(j.page, 'The closure has been signed off. The episode has ended.');
    await expectH1(j.page, "The family's feedback invitation");
    const letter = await j.page.getByRole('main').innerText();
    const link = letter.match(/https?:\/\/\S+\/feedback\/\S+/);
    assert.ok(link, 'the letter gives the whole link');
    feedbackPath = new URL(link[0]).pathname;
  });

  await j.step('the family answer the feedback link in Urdu on a phone, without signing in, and only once', async () => {
    await j.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const response = await j.visit(`${feedbackPath}?lang=ur`);
    expectStatus(response, 200);
    await expectH1(j.page, 'ہمیں اس مدد کے بارے میں بتائیں جو آپ کو ملی');
    assert.equal(await j.page.locator('html').getAttribute('dir'), 'rtl');
    expectStatus(await press('بھیجیں'), 422);
    await expectProblems(j.page, {
      rating: 'منتخب کریں کہ آپ کے خاندان کے لیے مدد کیسی تھی',
      what_changed: 'اپنے الفاظ میں بتائیں کہ آپ کے خاندان کے لیے کیا بدلا ہے',
    }, { heading: 'ایک مسئلہ ہے', titlePrefix: 'خرابی: ' });
    await option('radio', 'آپ کے خاندان کو ملنے والی مدد کیسی تھی؟', 'اچھی').check();
    await j.page.getByLabel('آپ کے خاندان کے لیے کیا بدلا ہے؟', { exact: true }).fill('Mornings are calm and we ask for help sooner.');
    await press('بھیجیں');
    await expectH1(j.page, 'شکریہ');
    expectStatus(await j.visit(feedbackPath), 410);
    await expectH1(j.page, 'یہ لنک استعمال نہیں کیا جا سکتا');
  });

  await j.step('the closed episode is read-only for its lead', async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await openEpisode();
    await expectText(j.page.getByRole('main'), 'Closed', 'the episode page');
    assert.equal(await j.page.getByRole('link', { name: 'Add a case note', exact: true }).count(), 0, 'no way to add a note to a closed episode');
    await j.navigate(() => j.page.getByRole('link', { name: "The family's feedback", exact: true }).click());
    await expectText(j.page.getByRole('main'), 'Mornings are calm and we ask for help sooner.', "the family's feedback");
  });
}, { timeout: 300_000 });
