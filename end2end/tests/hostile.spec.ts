import { test, expect, type Page } from '@playwright/test';
import { logIn } from './helpers';

// The script-injection attacks of the public-facing review, replayed in Chromium with a city
// administrator logged in (the victim whose session a script would use): the injected script
// must not run, the text must read as typed, and the Content-Security-Policy must not block
// the site's own hydration.

const SCRIPT = '<script>window.__pwned = (window.__pwned || 0) + 1</script>';

/** Collects what the browser says the page's CSP blocked. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) seen.push(m.text());
  });
  return seen;
}

async function notPwned(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
}

test('injected markup in titles, stored updates and the objection form never runs', async ({ page }) => {
  const blocked = cspViolations(page);
  page.on('dialog', (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await logIn(page, 'demo-admin');
  // The staff desk hydrated under the policy (logIn waited for data-hydrated on /login).
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });

  // Reflected into <title> through the search query.
  await page.goto(`/search?q=${encodeURIComponent(`</title>${SCRIPT}`)}`);
  await notPwned(page);
  expect(await page.title()).toContain('</title><script>');

  // Stored: a work update whose title carries a script, published for every visitor.
  const today = new Date().toISOString().slice(0, 10);
  const title = `村务</title>${SCRIPT}`;
  const saved = await page.request.post('/api/staff/save_update', {
    data: {
      form: {
        id: null,
        version: 0,
        title,
        body: '测试正文',
        happened_on: today,
        place_code: null,
        measure_category: null,
      },
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  const [id, version] = (await saved.json()) as [number, number];
  const published = await page.request.post('/api/staff/update_state', {
    form: { id: String(id), version: String(version), state: 'published' },
  });
  expect(published.status(), await published.text()).toBe(200);
  // A public page: no client, so nothing hydrates; no script may run either.
  await page.goto(`/updates/${id}`);
  await notPwned(page);
  expect(await page.title()).toContain(title);
  await page.goto('/updates');
  await notPwned(page);

  // Reflected through the notice page's query string, and the objection form's own text.
  await page.goto('/notices');
  const href = await page.locator('a[href^="/notices/"]').first().getAttribute('href');
  expect(href).toBeTruthy();
  await page.goto(`${href}?reason=${encodeURIComponent(`</textarea>${SCRIPT}`)}`);
  await notPwned(page);
  const form = page.locator('form.objection-form');
  await form.locator('select[name=entry]').selectOption({ index: 1 });
  await form.locator('textarea[name=reason]').fill(`</textarea>${SCRIPT}`);
  await form.locator('input[name=answer]').fill('999');
  await form.getByRole('button').click();
  await expect(page.locator('[data-field=answer]')).toBeVisible();
  await notPwned(page);
  // The refusal kept the text (as text) without putting it in the address bar.
  await expect(page.locator('textarea[name=reason]')).toHaveValue(`</textarea>${SCRIPT}`);
  expect(page.url()).not.toContain('textarea');

  expect(blocked, blocked.join('\n')).toEqual([]);
});
