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
