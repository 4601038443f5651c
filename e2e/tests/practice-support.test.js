// Practice support (issue 26). A school's lead reads the Threshold of Need beside the request
// form, disagrees with the front door's level and sees the challenge resolved at stage 2 by
// a manager; asks a Family Hub's TAF Worker for advice without naming the family and reads
// the answer on the episode; and the hub's TAF Worker publishes a toolkit page that search
// then finds.

import { expectH1, expectPath, expectText, expectVisible, journey } from '../lib/journey.js';
import { DEMO, RUN_ID, expectBanner, openFromNavigation, signIn } from '../lib/hearth.js';

const CHILD = { first: 'Ezra', last: `Thistle${RUN_ID}`, name: `Ezra Thistle${RUN_ID}` };
const TAF = { email: 'taf-worker@demo.hearth.test', name: 'Tamsin Tafworker' };
const ADVICE = `Hold the first meeting at the hub after school ${RUN_ID}.`;
const TOOLKIT = `Welcoming fathers to TAF meetings ${RUN_ID}`;

journey('practice support: the threshold, a challenge, a TAF Worker\'s advice and a toolkit', async (j) => {
  let childId;
  let requestId;
  let episodeId;
  const option = (role, legend, name) =>
    j.page.getByRole('group', { name: legend, exact: true }).getByRole(role, { name, exact: true });

  await j.step(`as ${DEMO.lead.email}, record the child and read the threshold while asking for help`, async () => {
    await signIn(j, DEMO.lead);
    await openFromNavigation(j, 'Find a person');
    await j.page.getByLabel('Name', { exact: true }).fill(CHILD.name);
    await j.navigate(() => j.page.getByRole('button', { name: 'Search', exact: true }).click());
    await j.navigate(() => j.page.getByRole('button', { name: 'Add a new person', exact: true }).click());
    await j.page.getByLabel('First names', { exact: true }).fill(CHILD.first);
    await j.page.getByLabel('Last name', { exact: true }).fill(CHILD.last);
    const dob = j.page.getByRole('group', { name: 'Date of birth (optional)', exact: true });
    await dob.getByLabel('Day', { exact: true }).fill('3');
    await dob.getByLabel('Month', { exact: true }).fill('9');
    await dob.getByLabel('Year', { exact: true }).fill('2015');
    await j.navigate(() => j.page.getByRole('button', { name: 'Add person', exact: true }).click());
    await expectBanner(j.page, 'Person added.');
    childId = new URL(j.page.url()).pathname.split('/').pop();
    await j.visit(`/requests/new?person=${childId}`);
    await expectH1(j.page, 'Ask for help for a family');
    const aside = j.page.locator('#threshold-aside');
    await expectText(aside, 'Threshold of Need', 'the threshold beside the form');
    await j.page.getByText('Level 2: Early Family Help', { exact: true }).click();
    await expectVisible(aside.getByText(/experiencing problems requiring universal services to offer additional support/), 'level 2 described');
    await option('radio', 'Are you worried a child is at risk of significant harm?', 'No').check();
    await option('checkbox', 'What does the family need help with?', 'Secure housing').check();
    await j.page.getByLabel('Secure housing: what is happening, and for whom', { exact: true }).fill('Eviction notice served; the family may lose their flat this month.');
    await j.page.getByLabel('What has the family been told about this request?', { exact: true }).fill('Mum asked the school for help.');
    await option('radio', 'Did the family agree to share their information with the partnership?', 'Yes, they agreed').check();
    await option('radio', 'How soon does the family need help?', 'Urgent: today').check();
    await j.navigate(() => j.page.getByRole('button', { name: 'Send request', exact: true }).click());
    requestId = new URL(j.page.url()).pathname.split('/').pop();
    await expectBanner(j.page, 'Your request has been sent to the front door.');
  });

  await j.step(`as ${DEMO.frontDoor.email}, decide Early Family Help with the indicators for housing beside`, async () => {
    await j.newContext();
    await signIn(j, DEMO.frontDoor);
    await j.visit(`/requests/${requestId}/decide`);
    await expectText(j.page.locator('#threshold-aside'), 'Secure housing:', 'the indicators of the request\'s needs');
    await option('radio', 'Level of need on the Continuum', 'Level 2: Early Family Help').check();
    await option('radio', 'What happens next?', 'Open Early Family Help with a lead professional').check();
    await j.page.getByLabel('The lead professional', { exact: true }).selectOption({ label: `${DEMO.lead.name} (Oakfield Primary School (demo))` });
    await j.page.getByLabel('Rationale', { exact: true }).fill('The school knows the family best.');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record decision', exact: true }).click());
    expectPath(j.page, '/front-door');
  });

  await j.step(`as ${DEMO.lead.email}, challenge the level`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await j.visit(`/requests/${requestId}`);
    await j.navigate(() => j.page.getByRole('link', { name: 'Challenge this decision', exact: true }).click());
    await expectH1(j.page, 'Challenge the decision');
    await option('radio', 'Which level of need do you think is right?', 'Level 3: Targeted Family Help').check();
    await j.page.getByLabel('Why do you think the decision is wrong?', { exact: true }).fill('Eviction is days away: this needs a Family Help Worker.');
    await j.navigate(() => j.page.getByRole('button', { name: 'Send the challenge', exact: true }).click());
    await expectBanner(j.page, 'Your challenge has been sent to the front door.');
  });

  await j.step(`as ${DEMO.frontDoor.email}, talk it through, then take it to managers`, async () => {
    await j.newContext();
    await signIn(j, DEMO.frontDoor);
    await j.visit(`/requests/${requestId}/challenges`);
    await j.navigate(() => j.page.getByRole('button', { name: 'Move to Stage 2: managers', exact: true }).click());
    await expectBanner(j.page, 'The challenge has been updated.');
  });

  await j.step(`as ${DEMO.manager.email}, resolve it at stage 2`, async () => {
    await j.newContext();
    await signIn(j, DEMO.manager);
    await j.visit(`/requests/${requestId}/challenges`);
    await j.page.getByRole('radio', { name: 'The decision is changed', exact: true }).check();
    await j.page.getByLabel('How was it resolved?', { exact: true }).fill('Managers agreed: step up to Targeted Family Help.');
    await j.navigate(() => j.page.getByRole('button', { name: 'Record the resolution', exact: true }).click());
    await expectText(j.page.getByRole('main'), 'Resolved at Stage 2: managers', 'the challenge');
  });

  await j.step(`as ${DEMO.lead.email}, the request shows the challenge resolved at stage 2`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await j.visit(`/requests/${requestId}`);
    await expectText(j.page.locator('main'), 'resolved at Stage 2: managers', 'the request');
    await j.visit('/');
    const link = j.page.locator('a[href^="/episodes/"]').filter({ hasText: CHILD.first }).first();
    episodeId = (await link.getAttribute('href')).split('/')[2];
    await j.visit(`/episodes/${episodeId}/advice`);
    await j.navigate(() => j.page.getByRole('link', { name: 'Ask a TAF Worker', exact: true }).click());
    await j.page.getByLabel('Which Family Hub?', { exact: true }).selectOption({ label: 'Bestwood Family Hub' });
    await option('radio', 'Do you want to name the family to the hub?', 'No, ask without naming them').check();
    await j.page.getByLabel('What do you want to know?', { exact: true }).fill('How do I get dad to come to a TAF meeting?');
    await j.navigate(() => j.page.getByRole('button', { name: 'Send your question', exact: true }).click());
    await expectBanner(j.page, 'Your question has been sent');
  });

  await j.step(`as the TAF Worker, answer from the hub's queue`, async () => {
    await j.newContext();
    await signIn(j, TAF);
    await openFromNavigation(j, 'Consultations');
    const card = j.page.locator('.govuk-summary-card').filter({ hasText: 'How do I get dad to come to a TAF meeting?' }).first();
    await expectText(card, 'The family is not named.', 'the anonymous consultation');
    await card.getByLabel('Your advice', { exact: true }).fill(ADVICE);
    await j.navigate(() => card.getByRole('button', { name: 'Send your advice', exact: true }).click());
    await expectBanner(j.page, 'Your advice has been sent.');
  });

  await j.step(`as ${DEMO.lead.email}, read the answer on the episode`, async () => {
    await j.newContext();
    await signIn(j, DEMO.lead);
    await j.visit(`/episodes/${episodeId}/advice`);
    await expectText(j.page.getByRole('main'), ADVICE, 'the advice on the episode');
  });

  await j.step('as the TAF Worker, publish a toolkit page and find it by search', async () => {
    await j.newContext();
    await signIn(j, TAF);
    await j.visit('/toolkits');
    await expectH1(j.page, 'Practice guidance');
    await j.navigate(() => j.page.getByRole('link', { name: 'Write a new page', exact: true }).click());
    await j.page.getByLabel('Title', { exact: true }).fill(TOOLKIT);
    await j.page.getByLabel('Summary', { exact: true }).fill('Plain steps to make fathers part of the Team Around the Family.');
    await j.page.getByLabel('The guidance', { exact: true }).fill('## Before the meeting\n- Ask dad which time suits him.\n- Meet somewhere he knows.');
    await j.page.getByLabel('Which step of the family\'s journey does it help with?', { exact: true }).selectOption({ label: 'Team Around the Family meetings and reviews' });
    const review = j.page.getByRole('group', { name: 'Review it by', exact: true });
    await review.getByLabel('Day', { exact: true }).fill('1');
    await review.getByLabel('Month', { exact: true }).fill('6');
    await review.getByLabel('Year', { exact: true }).fill(String(new Date().getFullYear() + 1));
    await j.navigate(() => j.page.getByRole('button', { name: 'Publish', exact: true }).click());
    await expectBanner(j.page, 'The page is published.');
    await expectVisible(j.page.getByRole('heading', { level: 2, name: 'Before the meeting' }), 'the guidance rendered');
    await j.visit(`/toolkits?q=${encodeURIComponent(`fathers ${RUN_ID}`)}`);
    await expectText(j.page.locator('#toolkit-results'), TOOLKIT, 'the search result');
  });
}, { timeout: 180_000 });
