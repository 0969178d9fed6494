import { test, expect } from '@playwright/test';

test.describe('home page', () => {
  test('renders in Chinese by default with <html lang="zh">', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('武冈市精准扶贫信息公开平台');
    await expect(page.locator('.stat-regions')).toContainText('18 个乡镇（街道）');
  });

  test('hydrated search box suggests places from a server function', async ({ page }) => {
    await page.goto('/');
    // Wait until the WASM client has taken over the page.
    await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
    const box = page.getByRole('searchbox');
    await box.pressSequentially('湾头');
    const item = page.locator('.suggest li').first();
    await expect(item).toContainText('湾头桥镇');
    await expect(item).toContainText('乡镇（街道）');
    // Still on the same page: suggestions came without a navigation.
    expect(new URL(page.url()).pathname).toBe('/');
  });

  test('language switch changes the page and is remembered', async ({ page }) => {
    await page.goto('/');
    await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wugang Poverty Alleviation Open Data');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wugang Poverty Alleviation Open Data');
  });

  test('unknown paths answer 404 with a way home', async ({ page }) => {
    const res = await page.goto('/no-such-page');
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('link', { name: '返回首页' })).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('server-rendered content and the search form are there', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('武冈市精准扶贫信息公开平台');
    await expect(page.locator('.stat-regions')).toContainText('306 个行政村');
    await expect(page.locator('form[role="search"][method="get"]')).toHaveAttribute('action', '/search');
  });

  test('language switch works through a plain link', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wugang Poverty Alleviation Open Data');
  });
});
