import { test, expect } from '@playwright/test';

// Demo accounts come from `fupin seed` (README: demo only).
const PASSWORD = 'fupin-demo-2026';

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
    const cookie = (await context.cookies()).find((c) => c.name === 'fupin_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');

    // The session is kept in the database: a fresh page load still knows who this is.
    await page.reload();
    await expect(page.locator('.signed-in')).toContainText('演示·村干部');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.reload();
    await expect(page.getByText('尚未登录。')).toBeVisible();
  });
});

async function logIn(page: import('@playwright/test').Page, user: string) {
  await page.goto('/login');
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

test('village staff edits a household: checked as typed, saved, and a stale copy is refused', async ({ browser }) => {
  const a = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await logIn(a, 'demo-village');
  // A household of this village, found through the public search by the village's name.
  const villageHref = await a.locator('a.my-region').getAttribute('href');
  await a.goto(villageHref!);
  const villageName = (await a.locator('h1').textContent())!.trim();
  await a.goto(`/search?q=${encodeURIComponent(villageName)}`);
  const href = await a.locator('.hit a.hit-name').first().getAttribute('href');
  const id = href!.split('/').pop();

  await a.goto(`/staff/household/${id}`);
  await a.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  const b = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await logIn(b, 'demo-village');
  await b.goto(`/staff/household/${id}`);
  await b.locator('body[data-hydrated]').waitFor({ state: 'attached' });

  // An invalid phone: the message appears beside the field and no request leaves the browser.
  let saves = 0;
  a.on('request', (r) => { if (r.url().includes('/api/staff/save_contact')) saves++; });
  const phone = a.getByLabel('联系电话');
  await phone.fill('1381234');
  await expect(a.locator('.field-error').nth(1)).toHaveText('请输入 11 位手机号码，例如 13812345678。');
  await a.getByRole('button', { name: '保存' }).click();
  await a.waitForTimeout(300);
  expect(saves).toBe(0);

  // Fixed: saved.
  await phone.fill('13912345678');
  await expect(a.locator('.field-error').nth(1)).toHaveText('');
  await a.getByRole('button', { name: '保存' }).click();
  await expect(a.locator('.saved')).toContainText('已保存');
  expect(saves).toBe(1);

  // The second browser still holds the old version: its save is refused with who and when.
  await b.getByLabel('住址').fill('第二个浏览器的旧表单');
  await b.getByRole('button', { name: '保存' }).click();
  await expect(b.locator('.error')).toContainText('已被 demo-village');
  await b.locator('a.reload').click();
  await expect(b.getByLabel('联系电话')).toHaveValue('13912345678');

  // Log out.
  await a.goto('/staff');
  await a.getByRole('button', { name: '退出登录' }).click();
  await a.reload();
  await expect(a.getByText('尚未登录。')).toBeVisible();
});
