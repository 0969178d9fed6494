import { test, expect, type Page } from '@playwright/test';
import {
  logIn, logInAt, serveLater, waitForServer, createOrdinaryHousehold, recordStep, objectTo,
} from './helpers';
import * as os from 'node:os';
import * as path from 'node:path';

// A monitoring case in a browser, from the lead to the county decision: village staff add an
// ordinary rural household and open a case from its record, walk it to the public notice; a
// visitor without JavaScript objects; staff answer; a week later (a second server on the same
// database, FUPIN_TODAY) township staff review it and city staff decide, and the public
// dashboard's monitoring figures move; city staff then plan a measure and record it done.

const port = Number(process.env.E2E_PORT ?? 3100);
const dbDir = path.join(os.tmpdir(), `fupin-e2e-${port}`);

/** The figure of the monitoring section's first card (households monitored so far). */
async function objects(page: Page, base: string): Promise<number> {
  await page.goto(`${base}/dashboard`);
  const text = await page.locator('.monitoring-section .kpi-value').first().textContent();
  return Number(text!.replace(/[^\d]/g, ''));
}

test('a monitoring case: lead, home check, notice with an objection, township and county', async ({ browser }) => {
  test.setTimeout(180_000);
  const visitor = await (await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false })).newPage();
  const before = await objects(visitor, '');

  const staff = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await logIn(staff, 'demo-village');
  const id = await createOrdinaryHousehold(staff, '监测甲', 731);

  // The lead, on the household's record: an ordinary household is offered 边缘易致贫户.
  await staff.goto(`/staff/household/${id}`);
  await staff.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  const lead = staff.locator('form.lead');
  await lead.getByLabel('因病').check();
  await lead.getByLabel('线索内容').fill('户主突发脑梗住院，医疗自付支出大');
  await lead.getByRole('button', { name: '登记线索' }).click();
  await expect(staff).toHaveURL(/\/staff\/case\/\d+$/);
  const caseUrl = new URL(staff.url()).pathname;
  await staff.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await expect(staff.locator('main')).toContainText('边缘易致贫户');

  // A home check needs two people and the signed consent: refused beside the field without it.
  await expect(staff.locator('#next-h')).toContainText('入户核实');
  await staff.getByLabel('核实人员 1').fill('村支书');
  await staff.getByRole('button', { name: '登记', exact: true }).click();
  await expect(staff.locator('form.step .field-error').first()).toBeVisible();
  await recordStep(staff, '入户核实', async () => {
    await staff.getByLabel('核实人员 2').fill('驻村队员');
    await staff.getByLabel('农户已签署承诺授权书').check();
  });
  await recordStep(staff, '信息比对');
  await recordStep(staff, '村级民主评议');
  await recordStep(staff, '村内公示', async () => {
    await expect(staff.getByLabel('公示天数')).toHaveValue('5');
  });
  // The notice is public: the timeline links it.
  const link = staff.locator('a[href^="/notices/"]').last();
  const href = (await link.getAttribute('href'))!;
  const notice = href.split('/').pop()!;
  // While it runs, the next step says why it must wait.
  await expect(staff.locator('#next-h')).toContainText('乡镇审核');
  await expect(staff.locator('p.warning')).toBeVisible();

  // A visitor without JavaScript objects to it: the page names no risk, only the category.
  await visitor.goto(href);
  await expect(visitor.locator('.notice-period')).toContainText('公示中');
  const body = (await visitor.locator('body').textContent())!;
  expect(body).not.toContain('因病');
  expect(body).not.toMatch(/\d{17}[\dX]/);
  await objectTo(visitor, '监测甲', '该户在城里有商铺出租，是否核实？');

  // Staff answer on the notices desk; the answer is public.
  await staff.goto('/staff/notices');
  await staff.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  const card = staff.locator(`article[data-notice="${notice}"]`);
  const objection = card.locator('li.objection');
  await expect(objection).toContainText('商铺出租');
  await objection.getByLabel('书面答复（将公开）').fill('经核实，该户无商铺，收入已如实登记。');
  await objection.getByRole('button', { name: '发布答复' }).click();
  await expect(card.locator('li.objection .answer')).toBeVisible();

  // A week on: the notice is over; township staff review, city staff decide.
  const later = serveLater(8, dbDir);
  try {
    await waitForServer(later.url);
    const township = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await logInAt(township, later.url, 'demo-township');
    await township.goto(`${later.url}${caseUrl}`);
    await township.locator('body[data-hydrated]').waitFor({ state: 'attached' });
    await recordStep(township, '乡镇审核');
    // The county decision is the city's: the township sees no form for it.
    await expect(township.locator('#next-h')).toContainText('县级确认纳入监测');
    await expect(township.locator('form.step')).toHaveCount(0);

    const city = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await logInAt(city, later.url, 'demo-admin');
    await city.goto(`${later.url}${caseUrl}`);
    await city.locator('body[data-hydrated]').waitFor({ state: 'attached' });
    await recordStep(city, '县级确认纳入监测');
    await expect(city.locator('main')).toContainText('监测帮扶中');

    // The plan (一户一策): a line, then the measure that fulfils it, recorded on the line.
    const plan = city.locator('form.plan');
    await plan.getByLabel('措施名称').fill('产业奖补');
    await plan.locator('button[name="case_plan"]').click();
    const line = city.locator('ul.plan li', { hasText: '产业奖补' });
    await expect(line.locator('form.fulfil')).toBeVisible();
    await line.getByLabel('金额（元）').fill('2000');
    await line.getByLabel('实施单位').fill('市农业农村局');
    await line.locator('button[name="case_measure"]').click();
    await expect(line.locator('.badge')).toContainText('已落实');
    await expect(line.locator('form.fulfil')).toHaveCount(0);

    // The public dashboard counts one more household monitored.
    expect(await objects(visitor, later.url)).toBe(before + 1);
  } finally {
    later.proc.kill('SIGTERM');
  }
});
