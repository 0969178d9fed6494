import { test, expect } from '@playwright/test';
import { PASSWORD, idNumber } from './helpers';

test('staff upload a register file: the dry run lists each problem by row, a corrected file imports with progress and a result', async ({ page }) => {
  await page.goto('/login');
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await page.getByLabel('用户名').fill('demo-village');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  const village = ((await page.locator('a.my-region').getAttribute('href')) ?? '').split('/').pop()!;

  await page.getByRole('link', { name: '导入', exact: true }).click();
  await expect(page).toHaveURL(/\/staff\/import$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('导入建档立卡数据');
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });

  // The template the page offers gives the header row.
  const template = await page.request.get('/import/template.csv');
  expect(template.ok()).toBe(true);
  const header = (await template.text()).replace(/^\uFEFF/, '').trim().split(',');
  expect(header).toContain('户主身份证号');

  const seq = Date.now() % 900;
  const head = idNumber('1968-03-04', seq * 2 + 1); // odd sequence: a man
  const wife = idNumber('1970-07-08', seq * 2 + 2); // even: a woman
  const row = (values: Record<string, string>) => header.map((h) => values[h] ?? '').join(',');
  const household = {
    行政村代码: village, 村民小组: '2', 户主身份证号: head, 家庭住址: '浏览器测试组8号',
    识别标准: '国家标准', 贫困户属性: '一般贫困户', 主要致贫原因: '因病', 其他致贫原因: '缺技术',
    识别日期: '2015-04-01', 通生活用电: '是', 饮水安全: '是', 通硬化路: '否',
    // The household's 低保, on both rows: one enrolment.
    社会救助: '低保', 救助范围: '全户', 救助开始日期: '2016-01-01', '救助金额（元）': '260', 救助审批机关: '武冈市民政局',
  };
  const person = { 文化程度: '初中', 健康状况: '健康', 劳动技能: '普通劳动力', 参加基本医疗保险: '是' };
  const rows = (wifeSex: string, cause: string) => [
    header.join(','),
    row({ ...household, ...person, 姓名: '浏览导入', 性别: '男', 身份证号: head, 与户主关系: '户主' }),
    row({ ...household, ...person, 主要致贫原因: cause, 姓名: '浏览配偶', 性别: wifeSex, 身份证号: wife, 与户主关系: '配偶' }),
  ].join('\n');

  // A file with two mistakes: a wrong sex for the ID and a second main cause.
  await page.getByLabel(/选择文件/).setInputFiles({
    name: '有错误.csv', mimeType: 'text/csv', buffer: Buffer.from(rows('男', '因学')),
  });
  await page.getByRole('button', { name: '检查文件' }).click();
  const report = page.locator('.import-report');
  await expect(report.locator('.error-summary')).toContainText('发现 2 个问题');
  const problems = report.locator('table.row-errors tbody tr');
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toContainText('主要致贫原因');
  await expect(problems.nth(0)).toContainText('同一户的各行此处填写不一致');
  await expect(problems.nth(0).locator('td').first()).toHaveText('3');
  await expect(report.locator('tr[data-code="id_sex_mismatch"] td').first()).toHaveText('3');
  await expect(report.getByRole('button', { name: '确认导入' })).toHaveCount(0);

  // Corrected: no problems, counts of what will happen, then confirm and follow it.
  await page.getByLabel(/选择文件/).setInputFiles({
    name: '已改正.csv', mimeType: 'text/csv', buffer: Buffer.from(rows('女', '因病')),
  });
  await page.getByRole('button', { name: '检查文件' }).click();
  await expect(report.locator('.ok')).toHaveText('没有发现问题。确认后才会写入。');
  await expect(report.locator('table.counts tr.households td').first()).toHaveText('1');
  await expect(report.locator('table.counts tr.members td').first()).toHaveText('2');
  await expect(report.locator('table.counts tr.assistance td').first()).toHaveText('1');
  await page.evaluate(() => {
    (window as any).sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('.import-progress')) (window as any).sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await report.getByRole('button', { name: '确认导入' }).click();
  await expect(page.locator('.import-done')).toHaveText('导入完成：新增 1 户，更新 0 户，无变化 0 户。');
  expect(await page.evaluate(() => (window as any).sawProgress)).toBe(true);

  // The household is in the register at once.
  await page.goto('/staff?q=浏览导入');
  await expect(page.locator('.staff-results li')).toHaveCount(1);
  await expect(page.locator('.staff-results')).toContainText('浏览导入');

  // The same file again: nothing to change.
  await page.goto('/staff/import');
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await page.getByLabel(/选择文件/).setInputFiles({
    name: '已改正.csv', mimeType: 'text/csv', buffer: Buffer.from(rows('女', '因病')),
  });
  await page.getByRole('button', { name: '检查文件' }).click();
  await expect(report.locator('table.counts tr.households td').nth(2)).toHaveText('1');
  await expect(report.locator('table.counts tr.households td').first()).toHaveText('0');
  await expect(report.locator('table.counts tr.assistance td').first()).toHaveText('0');
});
