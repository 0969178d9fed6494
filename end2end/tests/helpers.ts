import { expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** The demo accounts' password (`fupin seed`; README: demo only). */
export const PASSWORD = 'fupin-demo-2026';

/** Logs `user` in through the login form (hydrated) and waits for the staff desk. */
export async function logIn(page: Page, user: string) {
  await logInAt(page, '', user);
}

/** A valid 18-digit ID (GB 11643 check character) for a birth date and a sequence number. */
export function idNumber(birth: string, seq: number): string {
  const body = `430581${birth.replaceAll('-', '')}${String(seq % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, c, i) => acc + Number(c) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}
/** 二 … 十九 (the question's numbers) as a number. */
export function chineseNumber(s: string): number {
  const digits = '零一二三四五六七八九';
  if (s.startsWith('十')) return 10 + (s.length > 1 ? digits.indexOf(s[1]) : 0);
  return digits.indexOf(s);
}

export async function answerQuestion(page: Page): Promise<number> {
  const label = (await page.locator('#objection-form label', { hasText: '请回答' }).textContent())!;
  const m = label.match(/请回答：(.+?)加(.+?)等于几/)!;
  return chineseNumber(m[1]) + chineseNumber(m[2]);
}


/** The same database served by a second server whose date is `days` on (FUPIN_TODAY), as the
 * city's server would be then. */
export function serveLater(days: number, dbDir: string): { proc: ChildProcess; url: string } {
  const root = path.resolve(__dirname, '../..');
  const port = Number(process.env.E2E_PORT ?? 3100);
  const later = new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
  const laterPort = port + 1;
  const bin = process.env.FUPIN_BIN ?? path.join(root, 'target/release/fupin');
  const proc = spawn(bin, ['serve', '--addr', `127.0.0.1:${laterPort}`, '--site-root', 'target/site'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `sqlite:${dbDir}/e2e.db`, FUPIN_TODAY: later },
    stdio: 'ignore',
  });
  return { proc, url: `http://127.0.0.1:${laterPort}` };
}

/** Waits until a server answers its health check. */
export async function waitForServer(url: string) {
  await expect
    .poll(async () => (await fetch(`${url}/healthz`).catch(() => null))?.status ?? 0, { timeout: 20_000 })
    .toBe(200);
}

/** Logs `user` in on the server at `base` (absolute; '' for the test's own), waiting for the
 * staff desk. */
export async function logInAt(page: Page, base: string, user: string) {
  await page.goto(`${base}/login`);
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}
