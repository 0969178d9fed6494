// Screenshots of pages as a person sees them, in Debian's Chromium: each page in Chinese and in
// English, at a phone's width (375 px) and a desktop's (1280 px), full length.
//
//   node screens.mjs http://127.0.0.1:3000 OUT_DIR /path [/path …]
//   FUPIN_USER=demo-township node screens.mjs …   # logged in first (staff pages)
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const [base, out, ...paths] = process.argv.slice(2);
if (!base || !out || !paths.length) {
  console.error('usage: node screens.mjs BASE_URL OUT_DIR PATH [PATH …]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const sizes = { phone: { width: 375, height: 812 }, desktop: { width: 1280, height: 900 } };
for (const lang of ['zh', 'en']) {
  for (const [size, viewport] of Object.entries(sizes)) {
    const context = await browser.newContext({ viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: base }]);
    const page = await context.newPage();
    if (process.env.FUPIN_USER) {
      await page.goto(`${base}/login`);
      await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      await page.locator('input[name="username"]').fill(process.env.FUPIN_USER);
      await page.locator('input[name="password"]').fill(process.env.FUPIN_PASSWORD ?? 'fupin-demo-2026');
      await page.locator('form.login button[type="submit"]').click();
      await page.waitForURL(/\/staff$/);
    }
    for (const path of paths) {
      await page.goto(base + path, { waitUntil: 'load' });
      const name = path.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_|_$/g, '') || 'home';
      const file = `${out}/${name}-${lang}-${size}.png`;
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await context.close();
  }
}
await browser.close();
