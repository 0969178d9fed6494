import { test, expect } from '@playwright/test';

test.describe('home page', () => {
  test('renders in Chinese by default with <html lang="zh">', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('武冈市精准扶贫信息公开平台');
    await expect(page.locator('.stat-regions')).toContainText('18 个乡镇（街道）');
  });

  test('the public home page loads no client; its search box submits to the results', async ({ page }) => {
    const client: string[] = [];
    page.on('request', (r) => {
      if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) client.push(r.url());
    });
    await page.goto('/');
    await page.getByRole('searchbox').fill('湾头');
    await page.getByRole('searchbox').press('Enter');
    await expect(page).toHaveURL(/\/search\?q=%E6%B9%BE%E5%A4%B4/);
    const place = page.locator('.places li').first();
    await expect(place).toContainText('湾头桥镇');
    await expect(place).toContainText('乡镇（街道）');
    // The results page keeps the query in its box, ready to refine.
    await expect(page.getByRole('searchbox')).toHaveValue('湾头');
    expect(client).toEqual([]);
  });

  test('language switch changes the page and is remembered', async ({ page }) => {
    await page.goto('/');
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
