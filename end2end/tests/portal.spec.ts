import { test, expect, APIRequestContext, Page } from '@playwright/test';

// The demo register is generated, so the test first finds its subject on the public household
// pages: a householder with a 2-character name and one of the rarer surnames (whose pinyin
// reading differs from the common one), then searches for it every way a visitor would.
const RARE = ['单', '曾', '解', '区', '朴', '仇', '欧阳', '覃', '龙', '贺', '向'];

type Subject = { id: number; name: string; surname: string; pinyin: string; initials: string };

let subject: Subject | undefined;

async function findSubject(request: APIRequestContext): Promise<Subject> {
  if (subject) return subject;
  for (let id = 1; id <= 1500; id++) {
    const res = await request.post('/api/household', { form: { id: String(id) } });
    if (!res.ok()) continue;
    const h = await res.json();
    const name: string = h.head_name;
    const surname = RARE.find((s) => name.startsWith(s));
    if (surname && surname.length === 1 && [...name].length === 2) {
      subject = { id, name, surname, pinyin: h.head_pinyin, initials: h.head_initials };
      return subject;
    }
  }
  throw new Error('no householder with a rare surname and a 2-character name in the first 1500');
}

/// Walks the result pages (plain links) until the household's card appears.
async function expectFound(page: Page, q: string, id: number) {
  await page.goto(`/search?q=${encodeURIComponent(q)}`);
  for (let i = 0; i < 60; i++) {
    const card = page.locator(`.hit a[href="/household/${id}"]`);
    if (await card.count()) {
      await expect(card.first()).toBeVisible();
      return;
    }
    const next = page.locator('.pager a[rel="next"]');
    if (!(await next.count())) break;
    await next.click();
  }
  throw new Error(`household ${id} not found for ${q}`);
}

test.describe('public portal without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a 2-character name, a surname, pinyin and initials each find the household', async ({ page, request }) => {
    const s = await findSubject(request);
    await expectFound(page, s.name, s.id);
    await expectFound(page, s.surname, s.id);
    await expectFound(page, s.pinyin, s.id);
    await expectFound(page, s.initials, s.id);
  });

  test('the search form works as a plain GET form, with a clear message for bad input', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('searchbox').fill('430581');
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page).toHaveURL(/\/search\?q=430581/);
    await expect(page.locator('.error')).toContainText('不支持按号码查询');
    await page.getByRole('searchbox').fill('龘龘龘');
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.locator('.empty')).toContainText('可以试试');
  });

  test('household, village and policy pages render', async ({ page, request }) => {
    const s = await findSubject(request);
    await page.goto(`/household/${s.id}`);
    await expect(page.locator('h1')).toContainText(s.name);
    await expect(page.getByRole('heading', { name: '家庭成员' })).toBeVisible();
    await expect(page.locator('table.data').first()).toContainText('户主');
    await expect(page.locator('td.mono').first()).toHaveText(/^430581\*{8}\d{3}[\dX]$/);
    await page.locator('nav.crumbs a').first().click();
    await expect(page).toHaveURL(/\/village\/\d{12}$/);
    await expect(page.getByRole('heading', { name: '驻村工作队' })).toBeVisible();
    await expect(page.locator('.kpi').first()).toContainText('户');
    await page.goto('/policies?category=education');
    const first = page.locator('.policy a').first();
    await expect(first).toBeVisible();
    await first.click();
    await expect(page.locator('.reach')).toContainText('户享受此政策');
    const res = await request.get('/household/99999999');
    expect(res.status()).toBe(404);
  });

  test('no full ID number or phone number on any public page visited', async ({ page, request }) => {
    const s = await findSubject(request);
    const visited = [`/`, `/search?q=${encodeURIComponent(s.surname)}`, `/household/${s.id}`, `/policies`, `/updates`, `/notices`, `/notices/1`];
    await page.goto(`/household/${s.id}`);
    const village = await page.locator('nav.crumbs a').first().getAttribute('href');
    visited.push(village!);
    for (const url of visited) {
      const html = await (await request.get(url)).text();
      expect(html.match(/(?<!\d)\d{17}[\dX](?!\d)/g), url).toBeNull();
      expect(html.match(/(?<!\d)1\d{10}(?!\d)/g), url).toBeNull();
    }
  });
});

test.describe('public portal with JavaScript', () => {
  test('a search is a plain form: no client is loaded and the result URL is shareable', async ({ page, request }) => {
    const s = await findSubject(request);
    const client: string[] = [];
    page.on('request', (r) => {
      if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) client.push(r.url());
    });
    await page.goto('/search');
    await page.getByRole('searchbox').fill(s.name);
    await page.getByRole('searchbox').press('Enter');
    await expect(page.locator(`.hit a[href="/household/${s.id}"]`)).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/search\\?q=${encodeURIComponent(s.name)}`));
    // The household page, its village and the notices: still nothing to download.
    await page.locator(`.hit a[href="/household/${s.id}"]`).click();
    await expect(page).toHaveURL(new RegExp(`/household/${s.id}$`));
    await page.locator('nav.crumbs a').first().click();
    await expect(page).toHaveURL(/\/village\/\d{12}$/);
    await page.goto('/notices');
    expect(client).toEqual([]);
    // The shareable URL renders the same results on its own.
    await page.goto(`/search?q=${encodeURIComponent(s.name)}`);
    await expect(page.locator(`.hit a[href="/household/${s.id}"]`)).toBeVisible();
  });
});
