import { test, expect } from '@playwright/test';
import { logIn, createOrdinaryHousehold, recordStep, objectTo } from './helpers';

// An objection upheld, walked to its end in a browser: village staff open a case (a second tab
// opened earlier is told, in words, that the household already has one), publish its notice
// (a too-short notice is refused with the least days named beside the field), a visitor
// without JavaScript objects, staff uphold the objection, the case is back at the village
// review, and the village refuses it with its reason: the case is closed.

test('an upheld objection sends the case back to its village review, which closes it', async ({ browser }) => {
  test.setTimeout(120_000);
  const staff = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await logIn(staff, 'demo-village');
  const id = await createOrdinaryHousehold(staff, '异议乙', 741);

  // Two tabs on the same record; the first opens the case.
  const other = await staff.context().newPage();
  for (const page of [staff, other]) {
    await page.goto(`/staff/household/${id}`);
    await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
    await expect(page.getByLabel('线索提供方', { exact: false })).toBeVisible();
    await page.locator('form.lead').getByLabel('因自然灾害').check();
    await page.locator('form.lead').getByLabel('线索内容').fill('房屋受洪水损毁');
  }
  await staff.locator('form.lead').getByRole('button', { name: '登记线索' }).click();
  await expect(staff).toHaveURL(/\/staff\/case\/\d+$/);
  const caseUrl = new URL(staff.url()).pathname;
  await other.locator('form.lead').getByRole('button', { name: '登记线索' }).click();
  await expect(other.locator('form.lead')).toContainText('该户已有未办结的监测案件');
  await other.close();

  await staff.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await recordStep(staff, '入户核实', async () => {
    await staff.getByLabel('核实人员 1').fill('村支书');
    await staff.getByLabel('核实人员 2').fill('驻村队员');
    await staff.getByLabel('农户已签署承诺授权书').check();
  });
  await recordStep(staff, '信息比对');
  await recordStep(staff, '村级民主评议');
  // The least days are named beside the field, not the register's ten.
  await expect(staff.locator('#next-h')).toContainText('村内公示');
  const days = staff.getByLabel('公示天数', { exact: false });
  await expect(days.locator('xpath=..')).toContainText('至少 5 天');
  await days.fill('3');
  await staff.getByRole('button', { name: '登记', exact: true }).click();
  await expect(staff.locator('form.step .field-error[data-field="notice_days"]')).toContainText('不得少于');
  await expect(staff.locator('form.step')).not.toContainText('10 天');
  await recordStep(staff, '村内公示', async () => {
    await days.fill('5');
  });
  // The timeline names the clerk as staff know them, never by the login name.
  await expect(staff.locator('.timeline')).toContainText('演示·村干部');
  await expect(staff.locator('.timeline')).not.toContainText('demo-village');
  const href = (await staff.locator('.timeline a[href^="/notices/"]').last().getAttribute('href'))!;
  const notice = href.split('/').pop()!;

  // A visitor without JavaScript objects; the notice names the category, no register label.
  const visitor = await (await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false })).newPage();
  await visitor.goto(href);
  await expect(visitor.locator('.notice-entries')).toContainText('边缘易致贫户');
  await expect(visitor.locator('.notice-entries')).not.toContainText('一般贫困户');
  await objectTo(visitor, '异议乙', '该户房屋已由保险全额理赔，是否核实？');

  // Staff uphold it on the notices desk.
  await staff.goto('/staff/notices');
  await staff.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  const objection = staff.locator(`article[data-notice="${notice}"] li.objection`);
  await objection.getByLabel('书面答复（将公开）').fill('经核实，保险已理赔，收入需重新核算。');
  await objection.locator('select[name="outcome"]').selectOption('upheld');
  await objection.getByRole('button', { name: '发布答复' }).click();
  await expect(objection.locator('.answer')).toContainText('异议成立');

  // The case is back at the village review, and says why; the village refuses it.
  await staff.goto(caseUrl);
  await staff.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await expect(staff.locator('.timeline')).toContainText('公示撤回，退回民主评议');
  await expect(staff.locator('.timeline')).toContainText('保险已理赔');
  await expect(staff.locator('#next-h')).toContainText('村级民主评议');
  await staff.getByLabel('评议/审核未通过', { exact: false }).check();
  await staff.getByLabel('备注', { exact: true }).fill('重新核算后收入高于监测标准，不予纳入');
  await staff.getByRole('button', { name: '登记', exact: true }).click();
  await expect(staff.locator('h1')).toContainText('未纳入监测');
  await expect(staff.locator('#next-h')).toHaveCount(0);
});
