import { test, expect, type APIRequestContext } from '@playwright/test';
import { logIn, idNumber, answerQuestion, serveLater, waitForServer } from './helpers';
import * as os from 'node:os';
import * as path from 'node:path';

// The whole 公示 procedure in a browser: staff propose two households for exit, the notice is
// public with masked IDs, an anonymous visitor objects, finalising is refused while the notice
// runs, staff answer, the answer is public, and once the notice is over the exit goes through.
// "Once it is over" is a second server on the same SQLite file whose date is eleven days on
// (FUPIN_TODAY), as the city's server would be then.

const port = Number(process.env.E2E_PORT ?? 3100);
const dbDir = path.join(os.tmpdir(), `fupin-e2e-${port}`);

function member(name: string, relation: string, sex: string, birth: string, seq: number) {
  return {
    id: null, name, sex, id_number: idNumber(birth, seq), disability_cert: null, birth_date: birth,
    relation, ethnicity: '汉族', education: 'junior', student_status: 'none', health: 'healthy',
    labour: 'ordinary', migrant_months: 8, medical_insured: true, pension_insured: true, active: true,
  };
}

/** A household that meets the exit standard of 2020 (safe house and water, insured, a 2020
 * income well above the line), added through the staff API the forms use. */
async function readyHousehold(api: APIRequestContext, village: string, head: string, n: number) {
  const household = {
    id: null, village_code: village, group_no: 2, address: '公示测试组', phone: null, bank_name: null,
    bank_account: null, standard: 'national', attribute: 'general', status: 'poor',
    identified_on: '2016-03-01', exited_on: null, relapsed_on: null, causes: ['skills'],
    has_electricity: true, has_safe_water: true, has_road_access: true,
    members: [
      member(head, 'head', 'male', '1975-03-0' + n, 11 + 2 * n),
      member(head + '妻', 'spouse', 'female', '1977-05-0' + n, 12 + 2 * n),
    ],
    housing: { structure: 'brick_concrete', area_m2: 96, built_year: 2005, danger_grade: 'A',
      renovated_on: null, relocated: false, relocated_on: null },
    version: 1,
  };
  const created = await api.post('/api/staff/create_household', { data: { household } });
  expect(created.status(), await created.text()).toBe(200);
  const id = Number(await created.text());
  const income = await api.post('/api/staff/save_income', {
    data: { household_id: id, version: 1, income: { year: 2020, persons: 2, wages: 24000, business: 0,
      transfer: 600, property: 0, costs: 0, net_income: null, per_capita: null } },
  });
  expect(income.status(), await income.text()).toBe(200);
  return id;
}

test('an exit goes through its public notice: objection, refusal, answer, then the exit', async ({ browser }) => {
  test.setTimeout(120_000);
  const staffContext = await browser.newContext({ locale: 'zh-CN' });
  const staff = await staffContext.newPage();
  await logIn(staff, 'demo-village');
  const options = await staff.request.post('/api/staff/new_household', { form: {} });
  const village = (await options.json()).villages[0].code as string;
  await readyHousehold(staff.request, village, '公示甲', 1);
  await readyHousehold(staff.request, village, '公示乙', 2);

  // Staff choose the two households and publish the notice.
  await staff.goto('/staff/notices');
  await staff.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  const find = staff.getByLabel('查找户');
  await find.fill('公示');
  await find.press('Tab');
  const hits = staff.locator('.propose-hits li');
  await expect(hits).toHaveCount(2);
  await hits.nth(0).getByRole('button', { name: '加入' }).click();
  await hits.nth(1).getByRole('button', { name: '加入' }).click();
  await expect(staff.locator('ol.chosen li')).toHaveCount(2);
  // A notice shorter than ten days is refused beside the field, before anything is sent.
  await staff.getByLabel('公示天数').fill('7');
  await staff.getByRole('button', { name: '生成公示' }).click();
  await expect(staff.locator('[data-field="days"]')).toHaveText('公示不得少于规定天数（至少 10 天）。');
  await staff.getByLabel('公示天数').fill('10');
  await staff.getByRole('button', { name: '生成公示' }).click();
  const made = staff.locator('.notice-ok a');
  await expect(made).toHaveCount(1);
  const href = (await made.getAttribute('href'))!;
  expect(href).toMatch(/^\/notices\/\d+$/);
  const notice = href.split('/').pop()!;

  // Anyone: the notice is listed and shows both households with masked IDs only.
  const visitor = await (await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false })).newPage();
  await visitor.goto('/notices');
  await expect(visitor.locator(`a[href="/notices/${notice}"]`)).toBeVisible();
  await visitor.goto(href);
  await expect(visitor.locator('table.notice-entries tbody tr')).toHaveCount(2);
  for (const cell of await visitor.locator('table.notice-entries td.id').allTextContents()) {
    expect(cell).toMatch(/^430581\*{8}\d{3}[\dX]$/);
  }
  expect(await visitor.locator('body').textContent()).not.toMatch(/\d{17}[\dX]/);
  await expect(visitor.locator('.notice-period')).toContainText('公示中');

  // An objection, without JavaScript: a wrong answer comes back beside its field with the text
  // kept; the right one files it.
  const form = visitor.locator('#objection-form');
  await form.getByLabel('针对的农户').selectOption({ label: (await form.locator('option', { hasText: '公示甲' }).textContent())! });
  await form.getByLabel('异议内容').fill('该户儿子在外务工，收入是否如实登记？');
  await form.getByLabel('请回答', { exact: false }).fill(String((await answerQuestion(visitor)) + 1));
  await form.getByRole('button', { name: '提交异议' }).click();
  await expect(visitor.locator('[data-field="answer"]')).toHaveText('答案不对，请重新计算。');
  await expect(form.getByLabel('异议内容')).toHaveValue('该户儿子在外务工，收入是否如实登记？');
  await form.getByLabel('请回答', { exact: false }).fill(String(await answerQuestion(visitor)));
  await form.getByRole('button', { name: '提交异议' }).click();
  await expect(visitor.locator('.notice-ok')).toHaveText('您的异议已提交，工作人员答复后将在此公开。');
  await expect(visitor.locator('ol.objections li')).toContainText('待答复');

  // The dashboard's staff view shows what waits: the running notice and its objection.
  await staff.goto('/dashboard');
  await expect(staff.locator('.staff-waiting')).toContainText(/公示中 [1-9]\d* 份，待答复异议 [1-9]\d* 条/);

  // Staff cannot finalise while the notice runs (nor, later, while the objection waits).
  await staff.goto('/staff/notices');
  await staff.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  const card = staff.locator(`article[data-notice="${notice}"]`);
  const rowA = card.locator('tr', { hasText: '公示甲' });
  await rowA.locator('input.finalise-on').fill('2020-12-31');
  await rowA.getByRole('button', { name: '确认脱贫' }).click();
  await expect(rowA.locator('.field-error')).toHaveText('公示期尚未结束，不能确认。');

  // Staff answer; the answer is published with the notice (the objector's words are not).
  const objection = card.locator('li.objection');
  await expect(objection).toContainText('收入是否如实登记');
  await objection.getByLabel('书面答复（将公开）').fill('经村委会和驻村工作队入户核实，务工收入已如实计入。');
  await objection.getByRole('button', { name: '发布答复' }).click();
  await expect(card.locator('li.objection .answer')).toContainText('异议不成立');
  await visitor.reload();
  await expect(visitor.locator('ol.objections')).toContainText('务工收入已如实计入');
  await expect(visitor.locator('ol.objections')).not.toContainText('收入是否如实登记');

  // Eleven days on: the notice is over, the form is gone, and the exit goes through.
  const later = serveLater(11, dbDir);
  try {
    await waitForServer(later.url);
    await visitor.goto(`${later.url}${href}`);
    await expect(visitor.locator('.notice-period')).toContainText('公示期已结束');
    await expect(visitor.locator('#objection-form')).toHaveCount(0);
    // The session lives in the database: the same login works on the later server.
    await staff.goto(`${later.url}/staff/notices`);
    await staff.locator('body[data-hydrated]').waitFor({ state: 'attached' });
    const laterRow = staff.locator(`article[data-notice="${notice}"] tr`, { hasText: '公示甲' });
    await laterRow.locator('input.finalise-on').fill('2020-12-31');
    await laterRow.getByRole('button', { name: '确认脱贫' }).click();
    await expect(laterRow).toContainText('已确认');
    await visitor.goto(`${later.url}${href}`);
    await expect(visitor.locator('table.notice-entries tr', { hasText: '公示甲' })).toContainText('已确认');
  } finally {
    later.proc.kill('SIGTERM');
  }
});
