import { test, expect } from '@playwright/test';
import { PASSWORD, logIn, idNumber } from './helpers';

test.describe('staff login', () => {
  test('a wrong password gets a message in place; the right one opens the staff desk; logout ends it', async ({ page, context }) => {
    await page.goto('/login');
    await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
    await page.getByLabel('用户名').fill('demo-village');
    await page.getByLabel('密码').fill('not the password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.locator('.error')).toHaveText('用户名或密码不正确。');
    await expect(page).toHaveURL(/\/login$/);

    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page).toHaveURL(/\/staff$/);
    await expect(page.locator('.signed-in')).toContainText('演示·村干部');
    await expect(page.locator('.signed-in')).toContainText('村级工作人员');
    // The header names the clerk, links the desk and offers a logout, here and on public pages.
    await expect(page.locator('.site-header .nav-signed-in')).toContainText('工作台');
    await expect(page.locator('.site-header .nav-name')).toHaveText('演示·村干部');
    const cookie = (await context.cookies()).find((c) => c.name === 'fupin_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');

    // The session is kept in the database: a fresh page load still knows who this is.
    await page.reload();
    await expect(page.locator('.signed-in')).toContainText('演示·村干部');

    await page.goto('/policies');
    await expect(page.locator('.site-header .nav-name')).toHaveText('演示·村干部');
    await page.goto('/staff');

    await page.getByRole('button', { name: '退出登录' }).click();
    await expect(page.locator('.site-header .nav-staff')).toHaveText('工作人员登录');
    await page.reload();
    await expect(page.getByText('尚未登录。')).toBeVisible();
    await expect(page.locator('.site-header .nav-signed-in')).toHaveCount(0);
  });

  test('the header logout works on a public page, without the client', async ({ page }) => {
    await logIn(page, 'demo-township');
    await page.goto('/notices');
    await page.locator('.site-header').getByRole('button', { name: '退出' }).click();
    await expect(page).toHaveURL(/\/notices\??$/);
    await expect(page.locator('.site-header .nav-staff')).toHaveText('工作人员登录');
    await page.goto('/staff');
    await expect(page.getByText('尚未登录。')).toBeVisible();
  });
});



test('village staff edits a household: the ID is checked as typed, saved, and a stale copy is refused', async ({ browser }) => {
  const a = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await logIn(a, 'demo-village');
  // Search-first: the desk's finder lists households of this village by a surname.
  await a.getByLabel('查找本辖区的户').fill('张');
  await a.locator('form.finder').getByRole('button', { name: '查询' }).click();
  // The text goes to the server by POST: it never appears in the address (an ID might).
  await expect(a.locator('.staff-results .hit').first()).toBeVisible();
  await expect(a).toHaveURL(/\/staff$/);
  const href = await a.locator('.staff-results .hit a.hit-name').first().getAttribute('href');
  expect(href).toMatch(/^\/staff\/household\/\d+$/);
  const id = href!.split('/').pop();

  await a.goto(`/staff/household/${id}`);
  await a.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  const b = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await logIn(b, 'demo-village');
  await b.goto(`/staff/household/${id}`);
  await b.locator('body[data-hydrated]').waitFor({ state: 'attached' });

  // The householder's full ID is shown only on request (the reveal is logged).
  await a.getByRole('button', { name: '显示完整身份证号' }).first().click();
  // The answer arrives asynchronously: wait for the full number before reading it.
  const idCell = a.locator('table.data td.mono').first();
  await expect(idCell).toHaveText(/^\d{17}[\dX]$/);
  const fullId = (await idCell.textContent())!.trim();

  // An ID with a wrong check character: the message appears beside the field as it is typed,
  // and saving sends nothing.
  let saves = 0;
  a.on('request', (r) => { if (r.url().includes('/api/staff/save_household')) saves++; });
  const idField = a.locator('input[name="members.0.id_number"]');
  const wrong = fullId.slice(0, 17) + (fullId.endsWith('0') ? '1' : '0');
  await idField.fill(wrong);
  const idError = a.locator('[data-field="members.0.id_number"]');
  await expect(idError).toHaveText('身份证号校验码不正确，请核对。');
  await a.getByRole('button', { name: '保存', exact: true }).click();
  await a.waitForTimeout(300);
  expect(saves).toBe(0);

  // Fixed (and a new phone number): saved.
  await idField.fill(fullId);
  await expect(idError).toHaveText('');
  await a.getByLabel('联系电话').fill('1381234');
  await expect(a.locator('[data-field="phone"]')).toHaveText('请输入 11 位手机号码，例如 13812345678。');
  await a.getByLabel('联系电话').fill('13912345678');
  await a.getByRole('button', { name: '保存', exact: true }).click();
  await expect(a.locator('.saved')).toContainText('已保存');
  expect(saves).toBe(1);
  await expect(a.locator('table.history')).toContainText('update');

  // The second browser still holds the old version: its save is refused with who (by the name staff
  // know them by) and when.
  await b.getByLabel('住址').fill('第二个浏览器的旧表单');
  await b.getByRole('button', { name: '保存', exact: true }).click();
  await expect(b.locator('.error')).toContainText('已被 演示·村干部');
  await b.locator('a.reload').first().click();
  await expect(b.getByLabel('联系电话')).toHaveValue('13912345678');

  // Log out.
  await a.goto('/staff');
  await a.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await a.getByRole('button', { name: '退出登录' }).click();
  await expect(a.getByText('尚未登录。')).toBeVisible();
  await a.reload();
  await expect(a.getByText('尚未登录。')).toBeVisible();
});

test('village staff registers a household with members, then records a measure, a visit and an income', async ({ page }) => {
  await logIn(page, 'demo-village');
  await page.getByRole('link', { name: '新增贫困户' }).click();
  await expect(page).toHaveURL(/\/staff\/household\/new$/);
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });

  const seq = 100 + Math.floor(Math.random() * 400) * 2; // even: a woman's sequence number
  await page.getByLabel('住址').fill('测试组 8 号');
  await page.locator('select[name="causes"]').selectOption('illness');
  await page.locator('input[name="members.0.name"]').fill('欧阳测试');
  await page.locator('input[name="members.0.id_number"]').fill(idNumber('1968-07-15', seq + 1));
  await expect(page.locator('input[name="members.0.birth_date"]')).toHaveValue('1968-07-15');
  await page.getByRole('button', { name: '添加成员' }).click();
  await page.locator('select[name="members.1.relation"]').selectOption('spouse');
  await page.locator('input[name="members.1.name"]').fill('李测试');
  // A woman's ID while the sex still says male: told at once, beside the ID.
  await page.locator('input[name="members.1.id_number"]').fill(idNumber('1970-02-03', seq));
  await expect(page.locator('[data-field="members.1.id_number"]')).toHaveText('身份证号第 17 位与性别不一致。');
  await page.locator('select[name="members.1.sex"]').selectOption('female');
  await expect(page.locator('[data-field="members.1.id_number"]')).toHaveText('');
  await page.getByRole('button', { name: '登记新户' }).click();
  await expect(page).toHaveURL(/\/staff\/household\/\d+$/);
  await expect(page.locator('h1')).toContainText('欧阳测试');

  // A measure for the whole household.
  await page.locator('form.measure select[name="category"]').selectOption('medical');
  await page.locator('form.measure input[name="name"]').fill('大病救助');
  await page.locator('form.measure input[name="amount"]').fill('-5');
  await expect(page.locator('form.measure [data-field="amount"]')).toHaveText('金额不能为负数。');
  await page.locator('form.measure input[name="amount"]').fill('3000');
  await page.getByRole('button', { name: '登记措施' }).click();
  await expect(page.locator('.saved')).toContainText('已登记');
  await expect(page.locator('table.measures')).toContainText('大病救助');

  // A visit needs a helper first: the refusal says so beside the date.
  await page.locator('form.visit input[name="note"]').fill('了解就医情况');
  await page.getByRole('button', { name: '登记走访' }).click();
  await expect(page.locator('form.visit [data-field="visited_on"]')).toHaveText(/帮扶责任人/);

  // Assign a helper (picked by name), then the visit goes in.
  await page.getByLabel('查找干部（姓名）').fill('王');
  await page.locator('ul.picker input[type="radio"]').first().check();
  await page.getByRole('button', { name: '更换帮扶责任人' }).click();
  await expect(page.locator('.current-helper')).not.toContainText('尚未指定');
  await page.locator('form.visit input[name="note"]').fill('了解就医情况');
  await page.getByRole('button', { name: '登记走访' }).click();
  await expect(page.locator('ul.visits')).toContainText('了解就医情况');

  // This year's income.
  await page.locator('form.income input[name="wages"]').fill('9600');
  await page.getByRole('button', { name: '保存收入' }).click();
  await expect(page.locator('table.incomes')).toContainText('9,600');
  await expect(page.locator('table.history')).toContainText('save_income');
});
