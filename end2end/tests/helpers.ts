import { expect, type Page } from '@playwright/test';

/** The demo accounts' password (`fupin seed`; README: demo only). */
export const PASSWORD = 'fupin-demo-2026';

/** Logs `user` in through the login form (hydrated) and waits for the staff desk. */
export async function logIn(page: Page, user: string) {
  await page.goto('/login');
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

/** A valid 18-digit ID (GB 11643 check character) for a birth date and a sequence number. */
export function idNumber(birth: string, seq: number): string {
  const body = `430581${birth.replaceAll('-', '')}${String(seq % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, c, i) => acc + Number(c) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}
