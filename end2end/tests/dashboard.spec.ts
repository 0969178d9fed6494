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
    // Four charts of the register and five of monitoring, drawn on the server, each with its
    // title and a data table.
    await expect(page.locator('figure.chart svg')).toHaveCount(9);
    await expect(page.locator('.monitoring-section figure.chart svg')).toHaveCount(5);
    await expect(page.locator('figure#mon-assistance svg')).toContainText('农村低保');
    await expect(page.locator('figure#mon-categories svg')).toContainText('边缘易致贫户');
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

test('with JavaScript on, the public dashboard is plain links and a form, and loads no client', async ({ page }) => {
  const client: string[] = [];
  page.on('request', (r) => {
    if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) client.push(r.url());
  });
  await page.goto('/dashboard?year=2017');
  const cityHouseholds = await page.locator('.kpi').first().locator('.kpi-value').textContent();

  const bar = page.locator('figure#townships svg a').nth(2);
  const name = (await bar.locator('.bar-label').textContent())!.trim();
  await bar.locator('rect.bar').click();
  await expect(page).toHaveURL(/\/dashboard\?year=2017&township=\d{12}$/);
  await expect(page.locator('.scope')).toContainText(name);
  await expect(page.locator('.kpi').first().locator('.kpi-value')).not.toHaveText(cityHouseholds!);

  // Every mark carries its figures as the browser's own tooltip.
  await expect(page.locator('figure#causes g.mark title').first()).not.toHaveText('');

  // The year picker applies with its button.
  await page.locator('select[name="year"]').selectOption('2016');
  await page.locator('.dash-filters button.apply').click();
  await expect(page).toHaveURL(/year=2016/);
  await expect(page.locator('.kpi-target')).toContainText('2016 年脱贫');
  expect(client).toEqual([]);
});
