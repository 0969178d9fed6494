import { test, expect } from '@playwright/test';

test.describe('dashboard without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the 2017 target against progress, and the charts, are in the page', async ({ page }) => {
    await page.goto('/dashboard?year=2017');
    await expect(page.locator('h1')).toHaveText('扶贫工作数据看板');
    const target = page.locator('.kpi-target');
    await expect(target).toContainText('2017 年脱贫');
    await expect(target).toContainText('目标 28,000 人');
    await expect(page.locator('[role="progressbar"]')).toHaveAttribute('aria-valuemax', '28000');
    // Four charts drawn on the server, each with its title and a data table.
    await expect(page.locator('figure.chart svg')).toHaveCount(4);
    await expect(page.locator('figure#townships svg a')).not.toHaveCount(0);
    await expect(page.locator('figure#causes svg')).toContainText('因病');
    await expect(page.locator('figure#monthly svg')).toContainText('全年目标 28,000 人');
    // A township is a plain link: following it filters the page (URL and figures).
    const first = page.locator('figure#townships svg a').first();
    const href = await first.getAttribute('href');
    expect(href).toMatch(/^\/dashboard\?year=2017&township=\d{12}$/);
    await page.goto(href!);
    await expect(page.locator('.scope')).not.toContainText('武冈市');
    await expect(page.locator('figure#townships g.selected')).toHaveCount(1);
  });
});

test('choosing a township updates the charts without a page load, and the URL follows', async ({ page }) => {
  await page.goto('/dashboard?year=2017');
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  // A marker on the window survives client-side navigation but not a page load.
  await page.evaluate(() => { (window as any).__noReload = true; });
  const cityHouseholds = await page.locator('.kpi').first().locator('.kpi-value').textContent();

  const bar = page.locator('figure#townships svg a').nth(2);
  const name = (await bar.locator('.bar-label').textContent())!.trim();
  await bar.locator('rect.bar').click();
  await expect(page).toHaveURL(/\/dashboard\?year=2017&township=\d{12}$/);
  await expect(page.locator('.scope')).toContainText(name);
  await expect(page.locator('.kpi').first().locator('.kpi-value')).not.toHaveText(cityHouseholds!);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

  // Pointing at a bar shows its figures beside the chart.
  await page.locator('figure#causes g.mark').first().hover();
  await expect(page.locator('figure#causes .chart-tip')).not.toHaveText('');

  // The year picker works the same way.
  await page.locator('select[name="year"]').selectOption('2016');
  await expect(page).toHaveURL(/year=2016/);
  await expect(page.locator('.kpi-target')).toContainText('2016 年脱贫');
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});
