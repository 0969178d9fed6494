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

/** An ordinary rural household (一般农户) of two, created through the staff API in the first
 * village the logged-in clerk may add to; answers its id. `seq` keeps the ID numbers apart. */
export async function createOrdinaryHousehold(page: Page, head: string, seq: number): Promise<number> {
  const options = await page.request.post('/api/staff/new_household', { form: {} });
  const village = (await options.json()).villages[0].code as string;
  const today = new Date().toISOString().slice(0, 10);
  const person = (name: string, relation: string, sex: string, birth: string, n: number) => ({
    id: null, name, sex, id_number: idNumber(birth, n), disability_cert: null, birth_date: birth,
    relation, ethnicity: '汉族', education: 'junior', student_status: 'none', health: 'healthy',
    labour: 'ordinary', migrant_months: 0, medical_insured: true, pension_insured: true, active: true,
  });
  const household = {
    id: null, village_code: village, group_no: 3, address: '监测测试组', phone: null, bank_name: null,
    bank_account: null, standard: 'national', attribute: 'general', status: 'ordinary',
    identified_on: today, exited_on: null, relapsed_on: null, causes: [],
    has_electricity: true, has_safe_water: true, has_road_access: true,
    members: [
      person(head, 'head', 'male', '1968-04-02', seq),
      person(`${head}妻`, 'spouse', 'female', '1970-09-12', seq + 1),
    ],
    housing: { structure: 'brick_concrete', area_m2: 88, built_year: 2008, danger_grade: 'A',
      renovated_on: null, relocated: false, relocated_on: null },
    version: 1,
  };
  const created = await page.request.post('/api/staff/create_household', { data: { household } });
  expect(created.status(), await created.text()).toBe(200);
  return Number(await created.text());
}

/** Records the next step shown on a case page, once the page says it is that step. */
export async function recordStep(page: Page, action: string, fill?: () => Promise<void>) {
  await expect(page.locator('#next-h')).toContainText(action);
  if (fill) await fill();
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.locator('#next-h')).not.toContainText(action);
}

/** A visitor on a running notice's page objects to household `head` with `reason`, answering
 * the form's question, and sees it filed. */
export async function objectTo(visitor: Page, head: string, reason: string) {
  const form = visitor.locator('#objection-form');
  const label = (await form.locator('option', { hasText: head }).textContent())!;
  await form.getByLabel('针对的农户').selectOption({ label });
  await form.getByLabel('异议内容').fill(reason);
  await form.getByLabel('请回答', { exact: false }).fill(String(await answerQuestion(visitor)));
  await form.getByRole('button', { name: '提交异议' }).click();
  await expect(visitor.locator('.notice-ok')).toBeVisible();
}
